"""One search box over every record type: the registry's own ``q`` filter, type by type.

Results go through :func:`registry.list_records`, so they hold only what the actor may
see in this workspace, exactly as the lists and the API would.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from ..adapters.db.repository import FILTERS
from ..domain import RECORD_TYPES, InvalidInput, Problem, Record
from . import registry
from .registry import Actor, ListQuery

__all__ = ["SEARCHABLE", "SearchHits", "search"]

#: Record types with a text search, in the order results are shown (most used first).
SEARCHABLE: tuple[str, ...] = tuple(
    plural
    for plural in ("engagements", "partners", "people", "agreements", "places", "networks", "posts", "gifts")
    if plural in FILTERS and "q" in FILTERS[plural] and plural in {m.plural for m in RECORD_TYPES}
)

MAX_QUERY = 200


@dataclass
class SearchHits:
    plural: str
    items: list[Record]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def search(
    engine: Engine, ws: str, q: str, actor: Actor, *, only: str | None = None, page: int = 1, per_page: int = 5
) -> list[SearchHits]:
    """Matches for ``q`` (words in a name or title, or in a ref) per record type.

    ``only`` narrows to one type (then ``page`` and ``per_page`` page through it). An
    empty query finds nothing rather than everything."""
    q = (q or "").strip()
    if len(q) > MAX_QUERY:
        raise InvalidInput([Problem(f"the search text is too long; use at most {MAX_QUERY} characters", field="q")])
    if only is not None and only not in SEARCHABLE:
        raise InvalidInput(
            [Problem(f"cannot search '{only}'; use one of: {', '.join(SEARCHABLE)}", field="type", value=only)]
        )
    if page < 1:
        raise InvalidInput([Problem("page numbers start at 1", field="page", value=page)])
    if not q:
        return []
    out = []
    for plural in (only,) if only else SEARCHABLE:
        result = registry.list_records(engine, ws, plural, ListQuery(q=q, page=page, per_page=per_page), actor)
        out.append(SearchHits(plural, result.items, result.total, result.page, result.per_page))
    return out
