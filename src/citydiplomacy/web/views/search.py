"""The search page: matches for one query in every record type the actor may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from sqlalchemy import Engine

from ...domain import Record, Workspace
from ...domain.vocab import label
from ...services import registry
from ...services.registry import Actor
from ...services.search import search
from .common import Cell, format_day, format_moment, labelled, record_name, record_path

__all__ = ["SearchSection", "SearchView", "search_view"]

PER_TYPE = 5
PER_PAGE = 25


@dataclass
class SearchSection:
    plural: str
    title: str
    total: int
    rows: list[list[Cell]] = field(metadata={"help": "Name (linked) and what it is."})
    items: list[Record] = field(metadata={"help": "The matching records, as the API returns them."})
    more_url: str | None = field(default=None, metadata={"help": "Every match of this type, page by page."})
    page: int = 1
    pages: int = 1
    prev_url: str | None = None
    next_url: str | None = None


@dataclass
class SearchView:
    workspace: Workspace
    query: str
    only: str | None = field(metadata={"help": "The one record type shown, when narrowed."})
    total: int
    sections: list[SearchSection]


def _describe(record: Record) -> str:
    plural = record.plural
    if plural == "engagements":
        return f"{labelled(record.kind)} · {format_moment(record.start, record.timezone, record.date_precision)}"
    if plural == "agreements":
        signed = format_day(record.signed_on, record.date_precision) if record.signed_on else "not signed"
        return f"{labelled(record.kind)} · {labelled(record.status)} · {signed}"
    if plural in ("partners", "places"):
        return f"{labelled(record.kind)} · {record.country_code or ''}".rstrip(" ·")
    if plural == "people":
        return record.country_code or ""
    if plural == "posts":
        return f"post of {record.person}"
    return label(record.kind_name)


def _url(ws: str, q: str, **params) -> str:
    return f"/w/{ws}/search?" + urlencode({"q": q, **params})


def search_view(engine: Engine, ws: str, q: str, actor: Actor, *, only: str | None = None, page: int = 1) -> SearchView:
    workspace = registry.get_workspace(engine, ws, actor)
    per_page = PER_PAGE if only else PER_TYPE
    hits = search(engine, ws, q, actor, only=only, page=page, per_page=per_page)
    sections = []
    for hit in hits:
        section = SearchSection(
            hit.plural,
            label(hit.plural),
            hit.total,
            rows=[[Cell(record_name(r), record_path(ws, hit.plural, r.ref)), Cell(_describe(r))] for r in hit.items],
            items=hit.items,
            page=hit.page,
            pages=hit.pages,
        )
        if not only and hit.total > len(hit.items):
            section.more_url = _url(ws, q, type=hit.plural)
        if only:
            section.prev_url = _url(ws, q, type=only, page=hit.page - 1) if hit.page > 1 else None
            section.next_url = _url(ws, q, type=only, page=hit.page + 1) if hit.page < hit.pages else None
        sections.append(section)
    return SearchView(workspace, q.strip(), only, sum(s.total for s in sections), sections)
