"""The public transparency page: a workspace's public engagements and agreements, for anyone.

Only workspaces that opted in (``Workspace.public_page``) have one; for the others, and
for unknown slugs, the answer is the same "not found". Records are read as an actor who
may see public records only and change nothing, so an internal or confidential record
cannot appear here whatever the caller asks for.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from ..adapters.db.repository import Page
from ..domain import NotFound, Workspace
from ..domain.vocab import Confidentiality
from . import registry
from .registry import Actor, ListQuery

__all__ = ["PUBLIC", "PublicRecords", "public_records"]

#: Who reads the transparency page: anybody, who sees public records only and changes nothing.
PUBLIC = Actor(name="public", interface="web", visible=(Confidentiality.public,), can_write=False)


@dataclass
class PublicRecords:
    workspace: Workspace
    engagements: Page
    agreements: Page


def public_records(engine: Engine, ws: str, *, page: int = 1, per_page: int = 50) -> PublicRecords:
    """The public engagements (newest first) and agreements of a workspace that publishes them."""
    try:
        workspace = registry.get_workspace(engine, ws, PUBLIC)
    except NotFound:
        raise NotFound("public page", ws) from None
    if not workspace.public_page:
        raise NotFound("public page", ws)
    engagements = registry.list_records(
        engine, ws, "engagements", ListQuery(sort="-start", page=page, per_page=per_page), PUBLIC
    )
    agreements = registry.list_records(engine, ws, "agreements", ListQuery(sort="-signed", per_page=500), PUBLIC)
    return PublicRecords(workspace, engagements, agreements)
