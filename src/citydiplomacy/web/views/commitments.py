"""Commitments pages: networks and obligations, the commitment ledger, the SDG dashboard and
the report builder. Each builder calls the commitments services and returns a dataclass the
template and the JSON twin both render.

Statuses always travel with their method and the target's own numbers (``TargetStatus``),
so a page can show them beside every badge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from ...commitments.models import CommitmentKind, CommitmentStatus
from ...commitments.network_reference import CitedFact, reference_network
from ...commitments.sdg import framework
from ...commitments.status import METHOD
from ...commitments.views import (
    CommitmentView,
    ObligationView,
    SdgGoalSummary,
    TargetView,
)
from ...domain import NotFound, PermissionDenied, Problem, Workspace
from ...domain.vocab import Confidentiality, label
from ...services import commitments as svc
from ...services import registry
from ...services.registry import Actor, ListQuery
from .common import Link, external_url, format_day, record_path
from .forms import ErrorItem, FormField, FormValues, Option, options

__all__ = [
    "CommitmentPage",
    "LedgerView",
    "NetworksView",
    "ReportsView",
    "SdgGoalView",
    "SdgsView",
    "chart_path",
    "commitment_data",
    "commitment_form_view",
    "commitment_page",
    "ledger_view",
    "measurement_rows",
    "networks_view",
    "reports_view",
    "sdg_goal_view",
    "sdgs_view",
    "target_data",
    "workspace_today",
]

STATUS_LABELS = {"on_track": "On track", "at_risk": "At risk", "off_track": "Off track", "no_data": "No data"}


def workspace_today(workspace: Workspace) -> date:
    """Today in the workspace's own time zone (the day statuses and due dates are counted from)."""
    return datetime.now(ZoneInfo(workspace.timezone)).date()


def _base(ws: str) -> str:
    return f"/w/{ws}"


def chart_path(ws: str, ref: str, key: str) -> str:
    return f"/w/{ws}/commitments/{ref}/targets/{key}/chart.svg"


def _require_write(actor: Actor) -> None:
    if not actor.can_write:
        raise PermissionDenied(f"{actor.name} may read but not change records in this workspace.")


# -- form fields whose ids are unique on a page with several small forms ---------------------


@dataclass
class PrefixedField(FormField):
    """A form field whose id carries a prefix (several forms on one page post the same names)."""

    prefix: str = ""

    @property
    def id(self) -> str:
        return f"f-{self.prefix}-{self.name}" if self.prefix else "f-" + self.name


@dataclass
class SmallForm:
    """A form on a page (add a measurement, add a target): its address, fields and errors."""

    action: str
    fields: list[PrefixedField]
    submit: str
    errors: list[ErrorItem] = field(default_factory=list)


def _attach(fields: list[PrefixedField], problems: list[Problem], name_of) -> list[ErrorItem]:
    """Each problem beside its field (``name_of`` maps a service field name to a form field name)."""
    by_name = {f.name: f for f in fields}
    summary = []
    for problem in problems:
        name = name_of(problem)
        target = by_name.get(name) if name else None
        if target is not None:
            target.error = problem.message if not target.error else f"{target.error}; {problem.message}"
            summary.append(ErrorItem(problem.message, target.id, target.label))
        else:
            summary.append(ErrorItem(problem.message, None, problem.field or ""))
    return summary


# -- networks and obligations --------------------------------------------------------------


@dataclass
class MembershipRow:
    ref: str
    network: str
    role: str
    start: str
    end: str
    obligations_url: str | None = field(
        default=None,
        metadata={
            "help": "Form address that creates the obligations the reference list gives for this membership (staff)."
        },
    )


@dataclass
class NetworkCard:
    ref: str
    name: str
    acronym: str | None
    website: str | None
    founded_year: int | None
    founded: CitedFact | None = field(metadata={"help": "Founding year with its source, from the reference list."})
    secretariat: CitedFact | None
    requirements: list[CitedFact]
    in_reference_list: bool
    our_memberships: list[MembershipRow]
    other_members: list[Link]
    api_url: str


@dataclass
class ObligationRow:
    obligation: ObligationView
    due: str = field(metadata={"help": "Due date, and how many days until (or since) it."})
    done_url: str | None = field(metadata={"help": "Form address that marks it done (staff)."})


@dataclass
class NetworksView:
    workspace: Workspace
    today: date
    can_edit: bool
    networks: list[NetworkCard]
    obligations: list[ObligationRow] = field(metadata={"help": "Open obligations, earliest due first (overdue first)."})
    overdue: int
    reference_as_of: date
    reference_provenance: str
    not_yet_added: list[dict[str, str]] = field(
        metadata={"help": "Networks of the reference list the workspace does not hold."}
    )
    seed_url: str | None
    api_url: str


def _due_text(o: ObligationView) -> str:
    day = format_day(o.due_on)
    if o.done:
        return f"{day} (done)"
    if o.days_until_due < 0:
        late = -o.days_until_due
        return f"{day} ({late} day{'s' if late != 1 else ''} overdue)"
    if o.days_until_due == 0:
        return f"{day} (today)"
    return f"{day} (in {o.days_until_due} day{'s' if o.days_until_due != 1 else ''})"


def networks_view(engine: Engine, ws: str, actor: Actor) -> NetworksView:
    workspace = registry.get_workspace(engine, ws, actor)
    today = workspace_today(workspace)
    networks = registry.list_records(engine, ws, "networks", ListQuery(per_page=500, sort="name"), actor).items
    memberships = registry.list_records(engine, ws, "memberships", ListQuery(per_page=500), actor).items
    partner_names = registry.list_records(engine, ws, "partners", ListQuery(per_page=500), actor).items
    names = {p.ref: p.name for p in partner_names}
    cards = []
    for network in networks:
        reference = reference_network(network.ref)
        ours = [m for m in memberships if m.network == network.ref and m.member is None]
        others = [m for m in memberships if m.network == network.ref and m.member is not None]
        cards.append(
            NetworkCard(
                ref=network.ref,
                name=network.name,
                acronym=network.acronym,
                website=external_url(network.website),
                founded_year=network.founded_year,
                founded=reference.founded_year if reference else None,
                secretariat=reference.secretariat if reference else None,
                requirements=list(reference.requirements) if reference else [],
                in_reference_list=reference is not None,
                our_memberships=[
                    MembershipRow(
                        ref=m.ref,
                        network=network.name,
                        role=label(str(m.role)),
                        start=format_day(m.start_date) or "not recorded",
                        end=format_day(m.end_date) or "current",
                        obligations_url=(
                            f"/w/{ws}/networks/memberships/{m.ref}/obligations"
                            if actor.can_write and reference and reference.obligations
                            else None
                        ),
                    )
                    for m in ours
                ],
                other_members=[
                    Link(names.get(m.member, m.member), record_path(ws, "partners", m.member)) for m in others
                ],
                api_url=record_path(ws, "networks", network.ref),
            )
        )
    obligations = svc.upcoming_obligations(engine, ws, actor, as_of=today)
    held = {n.ref for n in networks}
    reference = svc.network_reference()
    return NetworksView(
        workspace=workspace,
        today=today,
        can_edit=actor.can_write,
        networks=cards,
        obligations=[
            ObligationRow(o, _due_text(o), f"/w/{ws}/networks/obligations/{o.ref}/done" if actor.can_write else None)
            for o in obligations
        ],
        overdue=sum(1 for o in obligations if o.overdue),
        reference_as_of=reference.as_of,
        reference_provenance=reference.provenance,
        not_yet_added=[{"ref": n.ref, "name": n.name} for n in reference.networks if n.ref not in held],
        seed_url=f"/w/{ws}/networks/seed" if actor.can_write else None,
        api_url=f"/api/workspaces/{ws}/obligations",
    )


# -- the ledger ---------------------------------------------------------------------------


@dataclass
class TargetRow:
    target: TargetView
    status_label: str
    chart_url: str
    chart_alt: str
    measurement_form: SmallForm | None = None


@dataclass
class CommitmentCard:
    commitment: CommitmentView
    url: str
    targets: list[TargetRow]
    engagement_url: str | None
    agreement_links: list[Link]
    network_links: list[Link]


@dataclass
class LedgerView:
    workspace: Workspace
    as_of: date
    can_edit: bool
    method: str = field(metadata={"help": "How every status is computed (the same for every target)."})
    commitments: list[CommitmentCard]
    totals: dict[str, int] = field(metadata={"help": "Targets per status, over every commitment."})
    new_url: str | None
    api_url: str


def _chart_alt(t: TargetView) -> str:
    latest = (
        f"latest {t.status.latest_value:g} {t.unit} ({t.status.latest_on.year})"
        if t.status.latest_on
        else "no measurement yet"
    )
    return (
        f"Chart of {t.indicator}: baseline {t.baseline_value:g} {t.unit} in {t.baseline_year}, "
        f"target {t.target_value:g} {t.unit} by {t.target_year}, {latest}; status {t.status.label}."
    )


def _card(ws: str, view: CommitmentView) -> CommitmentCard:
    return CommitmentCard(
        commitment=view,
        url=f"/w/{ws}/commitments/{view.ref}",
        targets=[TargetRow(t, t.status.label, chart_path(ws, view.ref, t.key), _chart_alt(t)) for t in view.targets],
        engagement_url=record_path(ws, "engagements", view.engagement.ref)
        if view.engagement and view.engagement.found
        else None,
        agreement_links=[
            Link(a.label, record_path(ws, "agreements", a.ref) if a.found else None) for a in view.agreements
        ],
        network_links=[Link(n.label, f"/w/{ws}/networks#network-{n.ref}" if n.found else None) for n in view.networks],
    )


def ledger_view(engine: Engine, ws: str, actor: Actor) -> LedgerView:
    workspace = registry.get_workspace(engine, ws, actor)
    today = workspace_today(workspace)
    views = svc.ledger(engine, ws, actor, as_of=today)
    totals = dict.fromkeys(STATUS_LABELS, 0)
    for view in views:
        for t in view.targets:
            totals[str(t.status.status)] += 1
    return LedgerView(
        workspace=workspace,
        as_of=today,
        can_edit=actor.can_write,
        method=METHOD,
        commitments=[_card(ws, v) for v in views],
        totals=totals,
        new_url=f"/w/{ws}/commitments/new" if actor.can_write else None,
        api_url=f"/api/workspaces/{ws}/commitments",
    )


# -- one commitment -----------------------------------------------------------------------


MEASUREMENT_FIELDS = ("on", "value", "unit", "source", "illustrative", "note", "replace")
TARGET_FIELDS = (
    "key",
    "indicator",
    "unit",
    "baseline_year",
    "baseline_value",
    "target_year",
    "target_value",
    "indicator_code",
    "sdgs",
)


def _measurement_fields(key: str, unit: str, values: FormValues | None) -> list[PrefixedField]:
    v = values or FormValues({"unit": unit})
    p = f"m-{key}"
    return [
        PrefixedField(
            "on",
            "Date or year",
            value=v.raw("on"),
            required=True,
            prefix=p,
            hint="A year (2024, stored as 31 December) or a date (2024-06-30).",
        ),
        PrefixedField("value", "Value", input="number", value=v.raw("value"), required=True, prefix=p),
        PrefixedField("unit", "Unit", value=v.raw("unit"), prefix=p, hint=f"The target's unit: {unit}."),
        PrefixedField(
            "source",
            "Source",
            value=v.raw("source"),
            required=True,
            prefix=p,
            wide=True,
            hint="Where the figure comes from (report, dataset, office).",
        ),
        PrefixedField("note", "Note", value=v.raw("note"), prefix=p, wide=True),
        PrefixedField(
            "illustrative", "Illustrative (made-up) value", input="checkbox", value=v.raw("illustrative"), prefix=p
        ),
        PrefixedField(
            "replace",
            "Replace a value already stored for this date",
            input="checkbox",
            value=v.raw("replace"),
            prefix=p,
        ),
    ]


def measurement_rows(values: FormValues) -> tuple[list[dict[str, Any]], bool]:
    """One measurement row from the form (a year or a date), and whether to replace a stored value."""
    on = values.get("on")
    row: dict[str, Any] = {"year": on} if re.fullmatch(r"\d{4}", on) else {"on": on or None}
    row["value"] = values.get("value") or None
    row["source"] = values.get("source") or None
    for name in ("unit", "note"):
        if values.get(name):
            row[name] = values.get(name)
    row["illustrative"] = values.checked("illustrative")
    return [row], values.checked("replace")


def _measurement_field_name(problem: Problem) -> str | None:
    if not problem.field:
        return None
    last = problem.field.rsplit(".", 1)[-1]
    return "on" if last == "year" else last if last in MEASUREMENT_FIELDS else None


def _target_fields(prefix: str, values: FormValues | None, *, required: bool) -> list[PrefixedField]:
    v = values or FormValues()
    return [
        PrefixedField(
            "key",
            "Key",
            value=v.raw("key"),
            required=required,
            prefix=prefix,
            hint="Short, unique in the commitment: lower case, digits and hyphens (zero-waste).",
        ),
        PrefixedField(
            "indicator",
            "Indicator",
            value=v.raw("indicator"),
            required=required,
            prefix=prefix,
            wide=True,
            hint="What is measured, in words.",
        ),
        PrefixedField("unit", "Unit", value=v.raw("unit"), required=required, prefix=prefix, hint="%, MtCO2e, …"),
        PrefixedField(
            "baseline_year",
            "Baseline year",
            input="number",
            value=v.raw("baseline_year"),
            required=required,
            prefix=prefix,
        ),
        PrefixedField(
            "baseline_value",
            "Baseline value",
            input="number",
            value=v.raw("baseline_value"),
            required=required,
            prefix=prefix,
        ),
        PrefixedField(
            "target_year", "Target year", input="number", value=v.raw("target_year"), required=required, prefix=prefix
        ),
        PrefixedField(
            "target_value",
            "Target value",
            input="number",
            value=v.raw("target_value"),
            required=required,
            prefix=prefix,
        ),
        PrefixedField(
            "indicator_code",
            "SDG indicator code",
            value=v.raw("indicator_code"),
            prefix=prefix,
            hint="Optional, e.g. 7.2.1.",
        ),
        PrefixedField(
            "sdgs", "SDG codes", value=v.raw("sdgs"), prefix=prefix, hint="Optional, comma-separated: 7, 13.2."
        ),
    ]


def _codes(text: str) -> list[str]:
    return [c.strip() for c in re.split(r"[,\s]+", text) if c.strip()]


def target_data(values: FormValues) -> dict[str, Any]:
    """A target from the form's fields (empty optional fields left out)."""
    data: dict[str, Any] = {name: values.get(name) or None for name in TARGET_FIELDS[:7]}
    if values.get("indicator_code"):
        data["indicator_code"] = values.get("indicator_code")
    if values.get("sdgs"):
        data["sdgs"] = _codes(values.get("sdgs"))
    return data


def _target_field_name(problem: Problem, position: int | None) -> str | None:
    """'targets[2].unit' / 'targets.2.unit' -> 'unit' (for the target at ``position``); a problem
    about the whole target or the list of targets -> its first field."""
    if not problem.field:
        return "key" if position is not None and f"targets[{position}]" in problem.message else None
    parts = re.sub(r"\[(\d+)\]", r".\1", problem.field).split(".")
    if parts[0] != "targets":
        return None
    if len(parts) == 1:
        return "key"
    if position is not None and parts[1] != str(position):
        return None
    return parts[2] if len(parts) > 2 and parts[2] in TARGET_FIELDS else "key"


@dataclass
class CommitmentPage:
    workspace: Workspace
    can_edit: bool
    card: CommitmentCard
    method: str
    summary_pdf_url: str
    summary_html_url: str
    api_url: str
    target_form: SmallForm | None = field(default=None, metadata={"help": "Add a target (staff)."})
    errors: list[ErrorItem] = field(default_factory=list)


def commitment_page(
    engine: Engine,
    ws: str,
    ref: str,
    actor: Actor,
    *,
    problems: list[Problem] | None = None,
    form_for: str | None = None,
    values: FormValues | None = None,
) -> CommitmentPage:
    """A commitment's page; after a failed form, ``form_for`` names the form (a target key for
    its measurement form, or '+target') that gets ``values`` and ``problems`` beside its fields."""
    workspace = registry.get_workspace(engine, ws, actor)
    view = svc.get_commitment(engine, ws, ref, actor, as_of=workspace_today(workspace))
    card = _card(ws, view)
    errors: list[ErrorItem] = []
    if actor.can_write:
        for row in card.targets:
            mine = form_for == row.target.key
            fields = _measurement_fields(row.target.key, row.target.unit, values if mine else None)
            form = SmallForm(
                f"/w/{ws}/commitments/{view.ref}/targets/{row.target.key}/measurements", fields, "Add the measurement"
            )
            if mine and problems:
                form.errors = _attach(fields, problems, _measurement_field_name)
                errors = form.errors
            row.measurement_form = form
    target_form = None
    if actor.can_write:
        fields = _target_fields("new-target", values if form_for == "+target" else None, required=True)
        target_form = SmallForm(f"/w/{ws}/commitments/{view.ref}/targets", fields, "Add the target")
        if form_for == "+target" and problems:
            position = len(view.targets)
            target_form.errors = _attach(fields, problems, lambda p: _target_field_name(p, position))
            errors = target_form.errors
    return CommitmentPage(
        workspace=workspace,
        can_edit=actor.can_write,
        card=card,
        method=METHOD,
        summary_pdf_url=f"/w/{ws}/commitments/{view.ref}/summary.pdf",
        summary_html_url=f"/w/{ws}/commitments/{view.ref}/summary.html",
        api_url=f"/api/workspaces/{ws}/commitments/{view.ref}",
        target_form=target_form,
        errors=errors,
    )


# -- new commitment form ------------------------------------------------------------------


LIST_TEXT_FIELDS = ("frameworks", "networks", "agreements", "practices", "sdgs")


@dataclass
class CommitmentFormView:
    workspace: Workspace
    title: str
    action: str
    fields: list[PrefixedField]
    target_fields: list[PrefixedField] = field(
        metadata={"help": "The first target (optional: more can be added later)."}
    )
    errors: list[ErrorItem]
    cancel_url: str


def commitment_form_view(
    engine: Engine, ws: str, actor: Actor, values: FormValues | None = None, problems: list[Problem] | None = None
) -> CommitmentFormView:
    _require_write(actor)
    workspace = registry.get_workspace(engine, ws, actor)
    v = values or FormValues({"kind": "pledge", "status": "active", "confidentiality": "internal"})
    visible = [c for c in Confidentiality if c in actor.visible]
    fields = [
        PrefixedField("title", "Title", value=v.raw("title"), required=True, wide=True),
        PrefixedField("ref", "Ref", value=v.raw("ref"), hint="Optional: made from the year and the title when empty."),
        PrefixedField("kind", "Kind", input="select", value=v.raw("kind"), options=options(CommitmentKind)),
        PrefixedField("status", "Status", input="select", value=v.raw("status"), options=options(CommitmentStatus)),
        PrefixedField("made_on", "Made on", input="date", value=v.raw("made_on")),
        PrefixedField("made_by", "Made by", value=v.raw("made_by"), hint="Who made it for the city."),
        PrefixedField("description", "Description", input="textarea", value=v.raw("description"), wide=True),
        PrefixedField(
            "frameworks",
            "Other frameworks",
            value=v.raw("frameworks"),
            wide=True,
            hint="Comma-separated, in words: Paris Agreement, C40 Deadline 2020.",
        ),
        PrefixedField("networks", "Networks (refs)", value=v.raw("networks"), hint="Comma-separated: c40, u20."),
        PrefixedField("agreements", "Agreements (refs)", value=v.raw("agreements"), hint="Comma-separated refs."),
        PrefixedField("engagement", "Engagement where it was made (ref)", value=v.raw("engagement")),
        PrefixedField("practices", "Practices (slugs)", value=v.raw("practices"), hint="Comma-separated."),
        PrefixedField("sdgs", "SDG codes", value=v.raw("sdgs"), hint="Comma-separated: 7, 11.6, 13.2.1."),
        PrefixedField(
            "confidentiality",
            "Confidentiality",
            input="select",
            value=v.raw("confidentiality"),
            options=[Option(str(c), label(str(c))) for c in visible],
        ),
        PrefixedField("source", "Source", value=v.raw("source"), wide=True),
        PrefixedField("notes", "Notes", input="textarea", value=v.raw("notes"), wide=True),
    ]
    target_values = FormValues({k.removeprefix("target-"): val for k, val in v.data.items() if k.startswith("target-")})
    target_fields = _target_fields("target", target_values, required=False)
    for f in target_fields:
        f.name = "target-" + f.name
        f.prefix = ""
    errors: list[ErrorItem] = []
    if problems:
        all_fields = fields + target_fields

        def name_of(problem: Problem) -> str | None:
            target_name = _target_field_name(problem, 0)
            if target_name:
                return "target-" + target_name
            if not problem.field:
                return None
            first = re.sub(r"\[(\d+)\]", r".\1", problem.field).split(".")[0]
            return first if first in {f.name for f in fields} else None

        errors = _attach(all_fields, problems, name_of)
    return CommitmentFormView(
        workspace=workspace,
        title="New commitment",
        action=f"/w/{ws}/commitments/new",
        fields=fields,
        target_fields=target_fields,
        errors=errors,
        cancel_url=f"/w/{ws}/commitments",
    )


def commitment_data(values: FormValues) -> dict[str, Any]:
    """A commitment from the new-commitment form; the target is included when any of its fields is filled."""
    data: dict[str, Any] = {}
    for name in (
        "title",
        "ref",
        "kind",
        "status",
        "made_on",
        "made_by",
        "description",
        "engagement",
        "confidentiality",
        "source",
        "notes",
    ):
        if values.get(name):
            data[name] = values.get(name)
    data.setdefault("title", None)
    for name in LIST_TEXT_FIELDS:
        text = values.get(name)
        if text:
            data[name] = _codes(text) if name == "sdgs" else [x.strip() for x in text.split(",") if x.strip()]
    target_values = FormValues(
        {k.removeprefix("target-"): val for k, val in values.data.items() if k.startswith("target-")}
    )
    if any(target_values.get(n) for n in TARGET_FIELDS):
        data["targets"] = [target_data(target_values)]
    return data


# -- SDG dashboard --------------------------------------------------------------------------


@dataclass
class GoalRow:
    goal: SdgGoalSummary
    url: str
    commitments: int
    targets: int
    practices: int


@dataclass
class SdgsView:
    workspace: Workspace
    as_of: date
    goals: list[GoalRow]
    status_labels: dict[str, str]
    provenance: str
    api_url: str


def sdgs_view(engine: Engine, ws: str, actor: Actor) -> SdgsView:
    workspace = registry.get_workspace(engine, ws, actor)
    board = svc.sdg_dashboard(engine, ws, actor, as_of=workspace_today(workspace))
    return SdgsView(
        workspace=workspace,
        as_of=board.as_of,
        goals=[
            GoalRow(
                g,
                f"/w/{ws}/sdgs/{g.number}",
                len(g.commitments),
                sum(g.target_status_counts.values()),
                len(g.practices),
            )
            for g in board.goals
        ],
        status_labels=STATUS_LABELS,
        provenance=board.provenance,
        api_url=f"/api/workspaces/{ws}/sdg-dashboard",
    )


@dataclass
class SdgGoalView:
    workspace: Workspace
    as_of: date
    goal: SdgGoalSummary
    targets: list[dict[str, str]] = field(metadata={"help": "The goal's SDG targets (code and abridged text)."})
    commitment_links: list[Link]
    engagements_url: str
    status_labels: dict[str, str]
    previous_url: str | None
    next_url: str | None


def sdg_goal_view(engine: Engine, ws: str, number: int, actor: Actor) -> SdgGoalView:
    workspace = registry.get_workspace(engine, ws, actor)
    if not 1 <= number <= 17:
        raise NotFound("SDG goal", str(number))
    board = svc.sdg_dashboard(engine, ws, actor, as_of=workspace_today(workspace))
    goal = next(g for g in board.goals if g.number == number)
    reference = next(g for g in framework().goals if g.number == number)
    return SdgGoalView(
        workspace=workspace,
        as_of=board.as_of,
        goal=goal,
        targets=[{"code": t.code, "text": t.title} for t in reference.targets],
        commitment_links=[Link(c.label, f"/w/{ws}/commitments/{c.ref}") for c in goal.commitments],
        engagements_url=f"/w/{ws}/engagements?sdg={number}",
        status_labels=STATUS_LABELS,
        previous_url=f"/w/{ws}/sdgs/{number - 1}" if number > 1 else None,
        next_url=f"/w/{ws}/sdgs/{number + 1}" if number < 17 else None,
    )


# -- report builder -----------------------------------------------------------------------


@dataclass
class ReportsView:
    workspace: Workspace
    years: list[int]
    default_year: int
    vlr_url: str = field(metadata={"help": "GET with year=YYYY and format=pdf or html."})
    commitments: list[dict[str, str]] = field(metadata={"help": "One-page summaries: title, PDF and HTML addresses."})
    api_url: str


def reports_view(engine: Engine, ws: str, actor: Actor) -> ReportsView:
    workspace = registry.get_workspace(engine, ws, actor)
    today = workspace_today(workspace)
    items = svc.list_commitments(engine, ws, actor, as_of=today)
    return ReportsView(
        workspace=workspace,
        years=list(range(today.year, 1999, -1)),
        default_year=today.year - 1,
        vlr_url=f"/w/{ws}/reports/vlr",
        commitments=[
            {
                "ref": c.ref,
                "title": c.title,
                "pdf": f"/w/{ws}/commitments/{c.ref}/summary.pdf",
                "html": f"/w/{ws}/commitments/{c.ref}/summary.html",
            }
            for c in items
        ],
        api_url=f"/api/workspaces/{ws}/reports/vlr",
    )
