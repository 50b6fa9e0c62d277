"""The home page (every workspace) and a workspace's overview."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from ...domain import RECORD_TYPES, Workspace
from ...domain.vocab import label
from ...services import registry
from ...services.registry import Actor, ListQuery
from .common import Cell, api_path, format_moment, list_path, record_path, workspace_path

__all__ = ["IndexView", "OverviewView", "index_view", "overview_view"]


@dataclass
class WorkspaceSummary:
    slug: str
    name: str
    kind: str
    country_code: str
    timezone: str
    url: str


@dataclass
class IndexView:
    """Home page: the workspaces in this database."""

    workspaces: list[WorkspaceSummary] = field(metadata={"help": "Every workspace, by name."})


def index_view(engine: Engine, actor: Actor) -> IndexView:
    return IndexView(
        workspaces=[
            WorkspaceSummary(w.slug, w.name, label(w.kind.value), w.country_code, w.timezone, workspace_path(w.slug))
            for w in registry.list_workspaces(engine)
        ]
    )


@dataclass
class Count:
    plural: str
    label: str
    total: int
    url: str | None = field(metadata={"help": "Page listing them; none for types only in the API."})
    api_url: str = ""


@dataclass
class OverviewView:
    """A workspace's overview: how many records of each type, and the latest engagements."""

    workspace: Workspace
    counts: list[Count] = field(metadata={"help": "Records of each type the actor may see."})
    latest_engagements: list[list[Cell]] = field(metadata={"help": "The five latest engagements: when, title."})


def overview_view(engine: Engine, ws: str, actor: Actor) -> OverviewView:
    workspace = registry.get_workspace(engine, ws)
    counts = []
    for model in RECORD_TYPES:
        page = registry.list_records(engine, ws, model.plural, ListQuery(per_page=1), actor)
        counts.append(Count(model.plural, label(model.plural), page.total, list_path(ws, model.plural),
                            api_path(ws, model.plural)))
    latest = registry.list_records(engine, ws, "engagements", ListQuery(per_page=5, sort="-start"), actor)
    rows = [
        [Cell(format_moment(e.start, e.timezone, e.date_precision)),
         Cell(e.title, record_path(ws, "engagements", e.ref))]
        for e in latest.items
    ]
    return OverviewView(workspace=workspace, counts=counts, latest_engagements=rows)
