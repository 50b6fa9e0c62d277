"""Reading practice libraries in the JSON Lines format of ``practices.jsonl``.

One practice per line. The shared file's fields (``id``, ``title``, ``city``,
``country``, ``level``, ``year_started``, ``topics``, ``sdgs``, ``summary``,
``adopters``, ``inspired_by``, ``uncertain``, ``sources``) map onto
:class:`~citydiplomacy.exchange.models.Practice`; each adopter becomes a
:class:`~citydiplomacy.exchange.models.Transfer` from the practice's city. A line may
also carry the library's own fields (``problem``, ``what_was_done``, ``results``,
``cost``, ``conditions``, ``status``, ``contacts``, ``place_ref``, ``notes``).

Every problem names the file, the line and the field, and nothing is returned as
valid unless the whole file is: the import is all-or-nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from pydantic import ValidationError

from ..domain import Problem
from .models import Practice, Transfer, transfer_ref

__all__ = ["LibraryEntry", "read_library"]

_RENAMED = {"id": "slug", "country": "country_code"}
_NOT_PRACTICE_FIELDS = {"adopters"}


@dataclass
class LibraryEntry:
    line: int
    practice: Practice
    transfers: list[Transfer] = field(default_factory=list)


def _problems(
    error: ValidationError, *, line: int, file: str, rename: dict[str, str], prefix: str = ""
) -> list[Problem]:
    back = {new: old for old, new in rename.items()}
    out = []
    for item in error.errors():
        location = [str(part) for part in item["loc"]]
        if location:
            location[0] = back.get(location[0], location[0])
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown field (see exchange/data/README.md for the fields of a practice line)"
        value = item.get("input") if item["type"] != "missing" and not isinstance(item.get("input"), dict) else None
        out.append(Problem(message, field=(prefix + ".".join(location)) or None, line=line, file=file, value=value))
    return out


def _practice(data: dict, *, line: int, file: str) -> tuple[Practice | None, list[Problem]]:
    values = {_RENAMED.get(k, k): v for k, v in data.items() if k not in _NOT_PRACTICE_FIELDS}
    values.setdefault("source", f"{file}, line {line}")
    try:
        return Practice.model_validate(values), []
    except ValidationError as error:
        return None, _problems(error, line=line, file=file, rename=_RENAMED)


def _transfers(practice: Practice, adopters, *, line: int, file: str) -> tuple[list[Transfer], list[Problem]]:
    if adopters is None:
        return [], []
    if not isinstance(adopters, list):
        return [], [
            Problem("expected a list of adopters ({city, country, year, note})", field="adopters", line=line, file=file)
        ]
    transfers, problems, seen = [], [], set()
    for position, adopter in enumerate(adopters):
        where = f"adopters.{position}."
        if not isinstance(adopter, dict):
            problems.append(
                Problem("expected an object {city, country, year, note}", field=where[:-1], line=line, file=file)
            )
            continue
        unknown = set(adopter) - {"city", "country", "year", "note", "outcome", "adaptation", "status", "sources"}
        for key in sorted(unknown):
            problems.append(
                Problem(
                    "unknown field of an adopter (expected city, country, year, note)",
                    field=where + key,
                    line=line,
                    file=file,
                )
            )
        ref = transfer_ref(practice.slug, adopter.get("city"), adopter.get("country"), adopter.get("year"))
        base, n = ref, 2
        while ref in seen:  # the same borrower twice in one year: keep both, numbered
            ref, n = f"{base}-{n}", n + 1
        seen.add(ref)
        values = {
            "ref": ref,
            "practice": practice.slug,
            "adopter_city": adopter.get("city"),
            "adopter_country": adopter.get("country"),
            "year": adopter.get("year"),
            "evidence": adopter.get("note"),
            "from_city": practice.city,
            "from_country": practice.country_code,
            "origin": "import",
            "status": adopter.get("status", "adopted"),
            "outcome": adopter.get("outcome", "unknown"),
            "adaptation": adopter.get("adaptation"),
            "sources": adopter.get("sources", []),
        }
        try:
            transfers.append(Transfer.model_validate(values))
        except ValidationError as error:
            problems.extend(
                _problems(
                    error,
                    line=line,
                    file=file,
                    prefix=where,
                    rename={"city": "adopter_city", "country": "adopter_country", "note": "evidence"},
                )
            )
    return transfers, problems


def read_library(text: str, *, file: str = "practices.jsonl") -> tuple[list[LibraryEntry], list[Problem]]:
    """Parse a whole file. Returns the entries and every problem found (empty when valid)."""
    entries: list[LibraryEntry] = []
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as error:
            problems.append(
                Problem(
                    f"not valid JSON ({error.msg} at column {error.colno}); each line must be one JSON object",
                    line=number,
                    file=file,
                )
            )
            continue
        if not isinstance(data, dict):
            problems.append(Problem("each line must be one JSON object describing a practice", line=number, file=file))
            continue
        practice, found = _practice(data, line=number, file=file)
        problems.extend(found)
        if practice is None:
            continue
        if practice.slug in first_line:
            problems.append(
                Problem(
                    f"id '{practice.slug}' is already used on line {first_line[practice.slug]}; ids must be unique",
                    field="id",
                    line=number,
                    file=file,
                    value=practice.slug,
                )
            )
            continue
        first_line[practice.slug] = number
        transfers, found = _transfers(practice, data.get("adopters"), line=number, file=file)
        problems.extend(found)
        entries.append(LibraryEntry(number, practice, transfers))
    if not entries and not problems:
        problems.append(Problem("the file has no practices (expected one JSON object per line)", file=file))
    return entries, problems
