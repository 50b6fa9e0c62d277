"""Forms as data: fields, groups of fields, repeatable rows and the errors beside each field.

A form view is built from the raw values of the form (what the user typed, kept as is
after an error) and the problems a service reported. ``Problem.field`` names a field as
the domain does (``participants.0.person``, ``partners[1]``); :func:`form_name` turns it
into the form's input name (``participants-0-person``), so the message lands beside the
input it is about, and in the error summary at the top with a link to that input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ...domain import Problem, Workspace
from ...domain.vocab import label

__all__ = [
    "ErrorItem",
    "FieldGroup",
    "FormField",
    "FormValues",
    "FormView",
    "Option",
    "QuickAdd",
    "attach_problems",
    "form_name",
    "options",
    "row_count",
]


@dataclass
class Option:
    value: str
    label: str


def options(values, *, blank: str | None = None) -> list[Option]:
    """Options from enum members or strings, labelled in plain words; ``blank`` adds an empty first choice."""
    out = [Option("", blank)] if blank is not None else []
    for v in values:
        raw = str(getattr(v, "value", v))
        out.append(Option(raw, label(raw)))
    return out


@dataclass
class FormField:
    name: str = field(metadata={"help": "Name of the input, as posted: 'title', 'participants-0-person'."})
    label: str
    input: str = field(
        default="text",
        metadata={
            "help": "text, textarea, select, checkbox, checkboxes, date, datetime-local, number, email, url or hidden."
        },
    )
    value: str = ""
    values: list[str] = field(default_factory=list, metadata={"help": "Chosen values of a checkbox group."})
    options: list[Option] = field(default_factory=list)
    required: bool = False
    hint: str = ""
    error: str = ""
    suggest: str | None = field(
        default=None,
        metadata={"help": "Autocomplete endpoint (JSON) the browser may query with ?q=; the input holds a ref."},
    )
    wide: bool = False

    @property
    def id(self) -> str:
        return "f-" + self.name


@dataclass
class QuickAdd:
    """A small inline form to create a counterpart without leaving the page (JavaScript), with a
    link to the full form for browsers without it."""

    plural: str
    title: str
    url: str = field(metadata={"help": "Endpoint the inline form posts to; answers the new record's ref."})
    full_form_url: str
    target: str = field(metadata={"help": "Repeatable group whose first empty input receives the new ref."})
    fields: list[FormField] = field(default_factory=list)


@dataclass
class FieldGroup:
    legend: str
    fields: list[FormField] = field(default_factory=list)
    repeat: str | None = field(default=None, metadata={"help": "Prefix of repeatable rows: 'participants'."})
    item_label: str = ""
    rows: list[list[FormField]] = field(default_factory=list)
    hint: str = ""
    quick_add: list[QuickAdd] = field(default_factory=list)


@dataclass
class ErrorItem:
    message: str
    target: str | None = field(default=None, metadata={"help": "id of the input the error is about, if any."})
    label: str = ""


@dataclass
class FormView:
    workspace: Workspace
    title: str
    action: str
    groups: list[FieldGroup]
    submit: str
    cancel_url: str
    errors: list[ErrorItem] = field(default_factory=list)
    intro: str = ""
    multipart: bool = False


class FormValues:
    """The raw values of a submitted form (or of a record shown for editing): strings, and lists
    for checkbox groups. Missing means empty."""

    def __init__(self, data: Mapping[str, Any] | None = None, lists: Mapping[str, list[str]] | None = None):
        self.data: dict[str, str] = {k: "" if v is None else str(v) for k, v in (data or {}).items()}
        self.lists: dict[str, list[str]] = {k: [str(x) for x in v] for k, v in (lists or {}).items()}

    @classmethod
    def from_form(cls, form, list_names: tuple[str, ...] = ()) -> FormValues:
        data = {k: v for k, v in form.multi_items() if isinstance(v, str) and k not in list_names}
        return cls(data, {name: [v for v in form.getlist(name) if isinstance(v, str)] for name in list_names})

    def get(self, name: str) -> str:
        return self.data.get(name, "").strip()

    def raw(self, name: str) -> str:
        return self.data.get(name, "")

    def getlist(self, name: str) -> list[str]:
        return self.lists.get(name, [])

    def checked(self, name: str) -> bool:
        return self.get(name) in ("on", "true", "1", "yes")

    def optional(self, name: str) -> str | None:
        value = self.get(name)
        return value or None

    def as_dict(self) -> dict[str, Any]:
        return {**self.data, **self.lists}


def row_count(values: FormValues, prefix: str, *, minimum: int = 1, spare: int = 1) -> int:
    """How many rows of a repeatable group to show: every row with a value, plus ``spare`` empty ones."""
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)(?:-|$)")
    indices = [
        int(m.group(1)) for name in values.data for m in [pattern.match(name)] if m and values.data[name].strip()
    ]
    used = max(indices) + 1 if indices else 0
    return max(minimum, used + spare)


def form_name(problem_field: str | None, index_maps: Mapping[str, list[int]] | None = None) -> str | None:
    """'participants[1].person' or 'participants.1.person' -> 'participants-1-person'.

    ``index_maps`` translates positions in the saved list back to form rows, for groups
    whose empty rows were skipped: {'participants': [0, 2]} maps item 1 to row 2."""
    if not problem_field:
        return None
    parts = re.sub(r"\[(\d+)\]", r".\1", problem_field).split(".")
    if index_maps and len(parts) > 1 and parts[0] in index_maps and parts[1].isdigit():
        rows = index_maps[parts[0]]
        position = int(parts[1])
        if position < len(rows):
            parts[1] = str(rows[position])
    return "-".join(parts)


#: pydantic's terse messages, in the words of a form.
PLAIN_WORDS = {
    "Field required": "this is required: please fill it in",
    "Input should be a valid datetime": "enter a date and time, e.g. 2026-03-04 15:30",
    "Input should be a valid date": "enter a date, e.g. 2026-03-04",
}


def _all_fields(groups: list[FieldGroup]):
    for group in groups:
        yield from group.fields
        for row in group.rows:
            yield from row
        for quick in group.quick_add:
            yield from quick.fields


def attach_problems(
    groups: list[FieldGroup], problems: list[Problem], index_maps: Mapping[str, list[int]] | None = None
) -> list[ErrorItem]:
    """Put each problem beside its input and return the error summary (in form order first)."""
    fields = {f.name: f for f in _all_fields(groups) if f.input != "hidden"}
    summary: list[ErrorItem] = []
    for problem in problems:
        name = form_name(problem.field, index_maps)
        message = PLAIN_WORDS.get(problem.message, problem.message)
        if name in fields:
            target = fields[name]
            target.error = message if not target.error else f"{target.error}; {message}"
            summary.append(ErrorItem(message, target.id, target.label))
            continue
        # A problem about a whole row ('participants-1') points at the row's first input.
        row_field = next((f for n, f in fields.items() if name and n.startswith(name + "-")), None)
        if row_field is not None:
            row_field.error = message if not row_field.error else f"{row_field.error}; {message}"
            summary.append(ErrorItem(message, row_field.id, row_field.label))
        else:
            summary.append(ErrorItem(message, None, problem.field or ""))
    order = {f.id: i for i, f in enumerate(fields.values())}
    summary.sort(key=lambda e: order.get(e.target, len(order)))
    return summary
