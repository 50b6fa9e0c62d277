"""List pages (engagements, partners, people, agreements): a filter form, a table, a pager.

The filters are the API's (:class:`ListQuery`); each page offers those that apply to
its record type, so a link copied from the page works against the API too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from sqlalchemy import Engine

from ...domain import Agreement, Record, Workspace
from ...domain.vocab import (
    SDG_GOALS,
    TOPICS,
    AgreementKind,
    AgreementStatus,
    EngagementKind,
    EngagementStatus,
    PartnerKind,
    PlaceKind,
    label,
)
from ...services import refs, registry
from ...services.dashboard import today_in
from ...services.registry import Actor, ListQuery
from ..pagination import page_links
from .common import (
    Cell,
    Link,
    api_path,
    format_day,
    format_moment,
    labelled,
    record_name,
    record_path,
)
from .places import country_name
from .warnings import expiry_text

__all__ = ["LIST_PAGES", "FilterField", "ListView", "export_links", "list_view"]


@dataclass
class Option:
    value: str
    label: str


@dataclass
class FilterField:
    name: str = field(metadata={"help": "Query parameter (the same as the API's)."})
    label: str
    input: str = field(default="text", metadata={"help": "text, date, number or select."})
    value: str = ""
    options: list[Option] = field(default_factory=list)


def _options(values) -> list[Option]:
    return [Option(str(getattr(v, "value", v)), label(str(getattr(v, "value", v)))) for v in values]


def _text(name: str, text: str) -> Callable[[], FilterField]:
    return lambda: FilterField(name, text)


def _date(name: str, text: str) -> Callable[[], FilterField]:
    return lambda: FilterField(name, text, "date")


def _select(name: str, text: str, options: list[Option]) -> Callable[[], FilterField]:
    return lambda: FilterField(name, text, "select", options=list(options))


@dataclass
class RowContext:
    """What a table cell needs besides its record: the workspace and the names of the records
    it references (read once per page), so people read names, not refs."""

    ws: str
    us: str = field(default="us", metadata={"help": "How the workspace itself reads as a party."})
    names: dict[str, dict[str, str]] = field(default_factory=dict)

    def name(self, plural: str, ref: str) -> str:
        return self.names.get(plural, {}).get(ref, ref)


Column = tuple[str, Callable[[RowContext, Record], Cell]]


def _link_self(plural: str):
    return lambda c, r: Cell(record_name(r), record_path(c.ws, plural, r.ref))


def _refs(c: RowContext, plural: str, refs: list[str | None]) -> Cell:
    links = [Link(c.name(plural, ref), record_path(c.ws, plural, ref)) for ref in refs if ref]
    return Cell(", ".join(link.text for link in links), links=links)


def _agreement_parties(c: RowContext, a: Agreement) -> Cell:
    links = []
    for party in a.parties:
        if party.partner:
            links.append(Link(c.name("partners", party.partner), record_path(c.ws, "partners", party.partner)))
        elif party.place:
            links.append(Link(c.name("places", party.place), record_path(c.ws, "places", party.place)))
        else:
            links.append(Link(c.us))
    return Cell(", ".join(link.text for link in links), links=links)


def _country(c: RowContext, code: str | None) -> Cell:
    if not code:
        return Cell("")
    return Cell(country_name(code) or code, f"/w/{c.ws}/countries/{code}")


def _referenced(items: list[Record]) -> dict[str, set[str]]:
    """The refs the list's cells name, by record type."""
    wanted: dict[str, set[str]] = {"partners": set(), "places": set()}
    for record in items:
        for plural, named in record.references().items():
            if plural in wanted:
                wanted[plural].update(named)
    return wanted


@dataclass(frozen=True)
class ListPage:
    """What a list page offers for one record type."""

    plural: str
    title: str
    filters: tuple[Callable[[], FilterField], ...]
    sorts: tuple[tuple[str, str], ...]
    columns: tuple[Column, ...]


LIST_PAGES: dict[str, ListPage] = {
    "engagements": ListPage(
        "engagements",
        "Engagements",
        (
            _text("q", "Title contains"),
            _date("date_from", "From (day)"),
            _date("date_to", "To (day)"),
            _select("kind", "Kind", _options(EngagementKind)),
            _select("status", "Status", _options(EngagementStatus)),
            _select("topic", "Topic", _options(TOPICS)),
            _text("country", "Country"),
            _text("partner", "Partner"),
            _text("person", "Person"),
            _select("sdg", "UN SDG", [Option(str(n), f"{n}. {name}") for n, name in SDG_GOALS.items()]),
        ),
        (
            ("-start", "Newest first"),
            ("start", "Oldest first"),
            ("title", "Title"),
            ("kind", "Kind"),
            ("status", "Status"),
        ),
        (
            ("When", lambda c, e: Cell(format_moment(e.start, e.timezone, e.date_precision))),
            ("Title", _link_self("engagements")),
            ("Kind", lambda c, e: Cell(labelled(e.kind))),
            ("Status", lambda c, e: Cell(labelled(e.status))),
            ("Partners", lambda c, e: _refs(c, "partners", e.partners)),
        ),
    ),
    "partners": ListPage(
        "partners",
        "Partners",
        (_text("q", "Name contains"), _select("kind", "Kind", _options(PartnerKind)), _text("country", "Country")),
        (("name", "Name"), ("country", "Country"), ("kind", "Kind")),
        (
            ("Name", _link_self("partners")),
            ("Kind", lambda c, p: Cell(labelled(p.kind))),
            ("Country", lambda c, p: _country(c, p.country_code)),
            ("Ref", lambda c, p: Cell(p.ref)),
        ),
    ),
    "people": ListPage(
        "people",
        "People",
        (
            _text("q", "Name contains"),
            _text("country", "Country"),
            _text("partner", "Held a post at"),
        ),
        (("name", "Name"),),
        (
            ("Name", _link_self("people")),
            ("Honorific", lambda c, p: Cell(p.honorific or "")),
            ("Country", lambda c, p: _country(c, p.country_code)),
            ("Ref", lambda c, p: Cell(p.ref)),
        ),
    ),
    "agreements": ListPage(
        "agreements",
        "Agreements",
        (
            _text("q", "Title contains"),
            _select("kind", "Kind", _options(AgreementKind)),
            _select("status", "Status", _options(AgreementStatus)),
            _text("country", "Country"),
            _text("partner", "Partner"),
            _date("date_from", "Signed from"),
            _date("date_to", "Signed to"),
        ),
        (
            ("-signed", "Newest first"),
            ("signed", "Oldest first"),
            ("title", "Title"),
            ("expires", "Expiry"),
            ("status", "Status"),
        ),
        (
            ("Title", _link_self("agreements")),
            ("Kind", lambda c, a: Cell(labelled(a.kind))),
            ("Status", lambda c, a: Cell(labelled(a.status))),
            ("Signed", lambda c, a: Cell(format_day(a.signed_on, a.date_precision))),
            ("Expires", lambda c, a: Cell(format_day(a.expires_on))),
            ("Parties", _agreement_parties),
        ),
    ),
    "places": ListPage(
        "places",
        "Places",
        (_text("q", "Name contains"), _select("kind", "Kind", _options(PlaceKind)), _text("country", "Country")),
        (("name", "Name"), ("country", "Country"), ("-population", "Largest first")),
        (
            ("Name", _link_self("places")),
            ("Kind", lambda c, p: Cell(labelled(p.kind))),
            ("Country", lambda c, p: _country(c, p.country_code)),
            ("State or province", lambda c, p: Cell(p.admin1 or p.subdivision_code or "")),
            ("Population", lambda c, p: Cell(f"{p.population:,}" if p.population else "")),
        ),
    ),
}


#: Extra columns: ``f(engine, ws, plural, records, actor) -> (heading, cells) | None``, one cell per record.
EXTRA_COLUMNS: list[Callable[..., tuple[str, list[Cell]] | None]] = []


@dataclass
class ListView:
    """A page of records with the filters that produced it."""

    workspace: Workspace
    plural: str
    title: str
    items: list[Record] = field(metadata={"help": "The records on this page, as the API returns them."})
    headers: list[str] = field(metadata={"help": "Column headings of the table."})
    rows: list[list[Cell]] = field(metadata={"help": "Table cells, one list per record, in the order of items."})
    total: int
    page: int
    per_page: int
    pages: int
    links: dict[str, str] = field(metadata={"help": "first, prev, next and last page addresses."})
    filters: list[FilterField] = field(metadata={"help": "The filter form, with the values in use."})
    sorts: list[Option]
    sort: str = ""
    api_url: str = ""
    can_edit: bool = False
    new_url: str | None = field(default=None, metadata={"help": "Form to add a record (for those who may)."})
    new_label: str = ""
    exports: list[Link] = field(default_factory=list, metadata={"help": "Downloads of every record of this type."})


@functools.cache
def _country_options() -> tuple[Option, ...]:
    """Every country by its common name (built once: the list does not change while we run)."""
    import pycountry

    named = sorted((country_name(c.alpha_2) or c.name, c.alpha_2) for c in pycountry.countries)
    return tuple(Option(code, name) for name, code in named)


def _by_name(engine: Engine, ws: str, actor: Actor, item: FilterField) -> FilterField:
    """Partner, person and country filters are menus of names (the value is still the ref or
    code, as in the API); past a few hundred records a partner or person is typed as its ref."""
    if item.name == "country":
        return FilterField(item.name, item.label, "select", options=list(_country_options()))
    plural = {"partner": "partners", "person": "people"}.get(item.name)
    if plural is None:
        return item
    found = refs.choices(engine, ws, actor, plural)
    if found is None:
        return FilterField(item.name, f"{item.label} (ref)")
    return FilterField(item.name, item.label, "select", options=[Option(ref, name) for ref, name in found])


def list_view(engine: Engine, ws: str, plural: str, query: ListQuery, actor: Actor, url: str) -> ListView:
    """``url`` is the page's own address; the pager keeps its parameters."""
    spec = LIST_PAGES[plural]
    workspace = registry.get_workspace(engine, ws, actor)
    page = registry.list_records(engine, ws, plural, query, actor)
    filters = []
    for make in spec.filters:
        item = _by_name(engine, ws, actor, make())
        value = getattr(query, item.name)
        item.value = "" if value is None else str(value)
        filters.append(item)
    context = RowContext(
        ws, refs.our_name(engine, ws, actor), refs.display_names(engine, ws, actor, _referenced(page.items))
    )
    rows = [[column(context, record) for _heading, column in spec.columns] for record in page.items]
    headers = [heading for heading, _ in spec.columns]
    for extra in EXTRA_COLUMNS:  # columns other capabilities add (the rules badge)
        added = extra(engine, ws, plural, page.items, actor)
        if added:
            headers.append(added[0])
            for row, cell in zip(rows, added[1]):
                row.append(cell)
    if plural == "agreements":
        today = today_in(workspace.timezone)
        headers.append("Expiry warning")
        for row, record in zip(rows, page.items):
            row.append(Cell(expiry_text(record, today)))
    used = query.model_dump(mode="json", exclude_defaults=True, exclude={"visible"})
    return ListView(
        workspace=workspace,
        plural=plural,
        title=spec.title,
        items=page.items,
        headers=headers,
        rows=rows,
        total=page.total,
        page=page.page,
        per_page=page.per_page,
        pages=page.pages,
        links=page_links(url, page.page, page.pages),
        filters=filters,
        sorts=[Option(value, text) for value, text in spec.sorts],
        sort=query.sort or spec.sorts[0][0],
        api_url=api_path(ws, plural) + (f"?{urlencode(used)}" if used else ""),
        can_edit=actor.can_write,
        new_url=f"/w/{ws}/{plural}/new" if actor.can_write else None,
        new_label=NEW_LABELS.get(plural, ""),
        exports=export_links(ws, plural, used, page.total),
    )


NEW_LABELS = {
    "engagements": "Log an engagement",
    "partners": "Add a partner",
    "people": "Add a person",
    "agreements": "Add an agreement",
    "places": "Add a place",
}


def export_links(ws: str, plural: str, used: dict | None = None, total: int | None = None) -> list[Link]:
    """Downloads of the list as it is filtered ('Export these 12 as CSV'), or of every record."""
    filters = {k: v for k, v in (used or {}).items() if k not in ("page", "per_page", "sort")}
    suffix = f"?{urlencode(filters)}" if filters else ""
    which = (f"these {total}" if total is not None else "these") if filters else "all"
    links = [
        Link(f"Export {which} as CSV", f"/w/{ws}/export/{plural}.csv{suffix}"),
        Link(f"Export {which} as JSON", f"/w/{ws}/export/{plural}.json{suffix}"),
    ]
    if plural == "engagements":
        links.append(
            Link(
                f"Export {'these' if filters else ''} planned engagements as a calendar (.ics)".replace("  ", " "),
                f"/w/{ws}/export/engagements.ics{suffix}",
            )
        )
    return links
