"""The home page: every workspace (a workspace's own page is its dashboard, ``views/dashboard.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from ...domain.vocab import label
from ...services import registry
from ...services.registry import Actor
from .common import workspace_path

__all__ = ["IndexView", "index_view"]


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
            for w in registry.list_workspaces(engine, actor)  # only those the actor may open
        ]
    )
