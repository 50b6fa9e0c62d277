"""A workspace's dashboard: what is coming up, what is overdue, what expires, what changed,
and how many records of each type there are."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine

from ...domain import RECORD_TYPES, Workspace
from ...domain.vocab import label
from ...services import dashboard as service
from ...services import registry
from ...services.registry import Actor, ListQuery
from .common import (
    Cell,
    api_path,
    format_day,
    format_moment,
    labelled,
    list_path,
    record_path,
)
from .warnings import expiry_text

__all__ = ["Count", "DashboardView", "dashboard_view"]


@dataclass
class Count:
    plural: str
    label: str
    total: int
    url: str | None = field(metadata={"help": "Page listing them; none for types only in the API."})
    api_url: str = ""


@dataclass
class DashboardView:
    """A workspace's dashboard. Times are shown in each engagement's own zone, with the zone."""

    workspace: Workspace
    today: date = field(metadata={"help": "The day in the workspace's time zone the dashboard is as of."})
    can_edit: bool
    upcoming: list[list[Cell]] = field(metadata={"help": "Engagements in the next 30 days: when, title, kind, status."})
    upcoming_total: int
    overdue: list[list[Cell]] = field(
        metadata={"help": "Open follow-ups due before today: due, what, who, engagement."}
    )
    expiring: list[list[Cell]] = field(metadata={"help": "Agreements expired or expiring within 90 days."})
    obligations: list[list[Cell]] = field(
        metadata={
            "help": "Open obligations due within 90 days or overdue: network memberships' and the rules' (ours only)."
        }
    )
    activity: list[list[Cell]] = field(metadata={"help": "Latest changes: when (workspace's zone), who, what, record."})
    counts: list[Count] = field(metadata={"help": "Records of each type the actor may see."})


ACTIONS = {"create": "created", "update": "changed", "delete": "deleted"}


def _activity_row(ws: str, entry, plurals: dict[str, str], tz: str) -> list[Cell]:
    version = entry.after or entry.before or {}
    name = version.get("title") or version.get("name") or version.get("description") or entry.record_ref
    plural = plurals.get(entry.record_type)
    url = record_path(ws, plural, entry.record_ref) if plural and entry.action != "delete" else None
    return [
        Cell(format_moment(entry.at, tz)),
        Cell(entry.actor),
        Cell(f"{ACTIONS.get(entry.action, entry.action)} {entry.record_type.replace('_', ' ')} ({entry.interface})"),
        Cell(name, url),
    ]


def dashboard_view(engine: Engine, ws: str, actor: Actor, today: date | None = None) -> DashboardView:
    workspace = registry.get_workspace(engine, ws, actor)
    board = service.dashboard(engine, ws, actor, today)
    counts = []
    for model in RECORD_TYPES:
        page = registry.list_records(engine, ws, model.plural, ListQuery(per_page=1), actor)
        counts.append(
            Count(
                model.plural, label(model.plural), page.total, list_path(ws, model.plural), api_path(ws, model.plural)
            )
        )
    plurals = {m.kind_name: m.plural for m in RECORD_TYPES}
    return DashboardView(
        workspace=workspace,
        today=board.today,
        can_edit=actor.can_write,
        upcoming=[
            [
                Cell(format_moment(e.start, e.timezone, e.date_precision)),
                Cell(e.title, record_path(ws, "engagements", e.ref)),
                Cell(labelled(e.kind)),
                Cell(labelled(e.status)),
            ]
            for e in board.upcoming
        ],
        upcoming_total=board.upcoming_total,
        overdue=[
            [
                Cell(
                    f"{format_day(o.follow_up.due_on)} ({o.days_overdue} day{'s' if o.days_overdue != 1 else ''} late)"
                ),
                Cell(o.follow_up.description),
                Cell(o.follow_up.owner or "Nobody named"),
                Cell(o.engagement.title, record_path(ws, "engagements", o.engagement.ref)),
            ]
            for o in board.overdue
        ],
        expiring=[
            [
                Cell(expiry_text(a, board.today)),
                Cell(a.title, record_path(ws, "agreements", a.ref)),
                Cell(labelled(a.status)),
                Cell(labelled(a.kind)),
            ]
            for a in board.expiring
        ],
        obligations=_obligation_rows(engine, ws, actor, board.today),
        activity=[_activity_row(ws, entry, plurals, workspace.timezone) for entry in board.activity],
        counts=counts,
    )


def _obligation_rows(engine: Engine, ws: str, actor: Actor, today: date, within_days: int = 90) -> list[list[Cell]]:
    """Obligations from network memberships and from the rules, merged and sorted by due date."""
    from ...services import commitments, rules

    rows: list[tuple[date, list[Cell]]] = []
    for item in commitments.upcoming_obligations(engine, ws, actor, as_of=today, within_days=within_days):
        when = f"{format_day(item.due_on)}" + (" (overdue)" if item.overdue else "")
        rows.append(
            (
                item.due_on,
                [
                    Cell(when),
                    Cell(item.title, f"/w/{ws}/networks"),
                    Cell(item.network_name or item.network or "Network membership"),
                ],
            )
        )
    for task in rules.list_obligations(engine, ws, actor, status="open"):
        if task.due_on is None or (task.due_on - today).days > within_days:
            continue
        when = format_day(task.due_on) + (" (overdue)" if task.due_on < today else "")
        rows.append(
            (task.due_on, [Cell(when), Cell(task.description, f"/w/{ws}/obligations"), Cell(f"Rule {task.rule_id}")])
        )
    rows.sort(key=lambda pair: pair[0])
    return [cells for _due, cells in rows]
