"""Exchange use cases: the practice library, transfers, search, peers and diffusion.

Every function takes primitives and an :class:`~citydiplomacy.services.registry.Actor`,
runs in its own unit of work, and returns plain models (exchange/results.py). Every
write is audited in the same transaction (``UnitOfWork.audit``), like the registry's.
Embeddings are computed when a practice is written, if the semantic extra is
installed; a search only embeds its query.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy import Engine

from ..adapters.db import tables as t
from ..domain import Conflict, InvalidInput, NotFound, Problem
from ..domain.vocab import Confidentiality
from ..exchange import diffusion as diffusion_
from ..exchange import store
from ..exchange.embeddings import MODEL_NAME, SemanticSearchUnavailable, get_embedder, semantic_available
from ..exchange.geography import city_by_geonames_id, find_city
from ..exchange.jsonl import read_library
from ..exchange.models import Practice, PracticeFilters, Transfer
from ..exchange.peers import CityProfile, similarity
from ..exchange.results import (
    DiffusionGraph,
    Facet,
    FacetValue,
    ImportLine,
    PeerCity,
    PracticeDetail,
    PracticeImportReport,
    PracticePage,
    SearchResults,
    TimelineYear,
    TransferView,
)
from ..exchange.search import (
    CANDIDATES,
    Candidates,
    build_hits,
    fuse,
    lexical_candidates,
    semantic_candidates,
    summary_of,
)
from ..exchange.text import embedding_text, text_hash
from ..exchange.vector_index import bump_generation, indexes_for, vector_from_bytes, vector_to_bytes
from .registry import Actor, _require_write, problems_from_validation
from .unit_of_work import UnitOfWork

__all__ = [
    "SEARCH_MODES",
    "borrowed_from_us",
    "delete_practice",
    "diffusion_graph",
    "diffusion_timeline",
    "embed_missing",
    "find_peers",
    "get_practice",
    "import_practices",
    "import_shared_library",
    "list_practices",
    "list_transfers",
    "more_like_this",
    "our_borrowings",
    "practice_facets",
    "record_transfer",
    "save_practice",
    "search_practices",
    "shared_library_path",
]

SEARCH_MODES = ("auto", "lexical", "semantic", "hybrid")
#: Cosine similarity above which a practice counts as tackling the problem asked about.
PEER_MIN_SIMILARITY = 0.35
PRACTICE = "practice"
TRANSFER = "practice-transfer"


def shared_library_path() -> Path:
    """The practice library shipped with the package (exchange/data/practices.jsonl)."""
    return Path(str(resources.files("citydiplomacy.exchange") / "data" / "practices.jsonl"))


def _filters(filters: PracticeFilters | dict[str, Any] | None) -> PracticeFilters:
    if isinstance(filters, PracticeFilters):
        return filters
    try:
        return PracticeFilters.model_validate(filters or {})
    except ValidationError as error:
        raise InvalidInput(problems_from_validation(error)) from None


# -- embeddings (written with the practice) ---------------------------------------------------


def _embed(uow: UnitOfWork, items: list[tuple[int, Practice]]) -> int:
    """Store embeddings for practices whose text changed; returns how many were computed."""
    if not items or not semantic_available():
        return 0
    e = t.practice_embeddings
    texts = {pid: embedding_text(p) for pid, p in items}
    current = {
        row.practice_id: row.text_hash
        for row in uow.conn.execute(
            sa.select(e.c.practice_id, e.c.text_hash).where(e.c.practice_id.in_(list(texts)), e.c.model == MODEL_NAME)
        )
    }
    stale = [(pid, text) for pid, text in texts.items() if current.get(pid) != text_hash(text)]
    if not stale:
        return 0
    vectors = _encode_cached([text for _, text in stale])
    ids = [pid for pid, _ in stale]
    # Replace (delete + insert) so the row id grows: the in-process HNSW index syncs on ids.
    uow.conn.execute(e.delete().where(e.c.practice_id.in_(ids)))
    uow.conn.execute(
        e.insert(),
        [
            {
                "workspace_id": uow.workspace_id,
                "practice_id": pid,
                "model": MODEL_NAME,
                "dimensions": len(vector),
                "text_hash": text_hash(text),
                "vector": vector_to_bytes(vector),
                "embedded_at": uow.now,
            }
            for (pid, text), vector in zip(stale, vectors)
        ],
    )
    bump_generation(uow.conn, uow.workspace_id)
    return len(stale)


#: Vectors already computed in this process, by hash of the embedded text: the model is
#: deterministic, so the same text (the shared library written into a second workspace, a demo
#: rebuilt) is not embedded again. Bounded; the oldest entries go first.
_VECTOR_CACHE: OrderedDict[str, Any] = OrderedDict()
VECTOR_CACHE_SIZE = 2048


def _encode_cached(texts: list[str]) -> list:
    hashes = [text_hash(text) for text in texts]
    found = {h: _VECTOR_CACHE[h] for h in hashes if h in _VECTOR_CACHE}
    missing = list(dict.fromkeys(h for h in hashes if h not in found))
    if missing:
        by_hash = dict(zip(hashes, texts))
        for digest, vector in zip(missing, get_embedder().encode([by_hash[h] for h in missing])):
            found[digest] = _VECTOR_CACHE[digest] = vector
            while len(_VECTOR_CACHE) > VECTOR_CACHE_SIZE:
                _VECTOR_CACHE.popitem(last=False)
    return [found[h] for h in hashes]


def _pending_embeddings(uow: UnitOfWork) -> int:
    p, e = t.practices, t.practice_embeddings
    return uow.conn.execute(
        sa.select(sa.func.count())
        .select_from(p)
        .where(
            p.c.workspace_id == uow.workspace_id, ~sa.exists().where(e.c.practice_id == p.c.id, e.c.model == MODEL_NAME)
        )
    ).scalar_one()


def embed_missing(engine: Engine, workspace: str, actor: Actor) -> int:
    """Compute embeddings for practices that have none or whose text changed (after installing the extra)."""
    _require_write(actor)
    if not semantic_available():
        raise SemanticSearchUnavailable([])
    with UnitOfWork(engine, workspace) as uow:
        p = t.practices
        rows = uow.conn.execute(sa.select(p).where(p.c.workspace_id == uow.workspace_id))
        items = [(row.id, store.practice_from_row(row).practice) for row in rows]
        done = 0
        for start in range(0, len(items), 256):
            done += _embed(uow, items[start : start + 256])
        uow.commit()
    return done


# -- practices --------------------------------------------------------------------------------


def _audit(uow: UnitOfWork, actor: Actor, action: str, record_type: str, ref: str, before, after) -> None:
    uow.audit(
        actor=actor.name,
        interface=actor.interface,
        action=action,
        record_type=record_type,
        record_ref=ref,
        before=before.model_dump(mode="json") if before is not None else None,
        after=after.model_dump(mode="json") if after is not None else None,
    )


def _visible(actor: Actor) -> tuple[Confidentiality, ...]:
    return tuple(actor.visible)


def _save_practice(uow: UnitOfWork, practice: Practice, actor: Actor) -> tuple[str, int]:
    existing = store.read_practice(uow.conn, uow.workspace_id, practice.slug)
    if existing is not None and Confidentiality(existing.practice.confidentiality) not in actor.visible:
        raise Conflict(f"The slug '{practice.slug}' cannot be used; choose another slug.")
    if existing is not None and existing.practice == practice:
        return "unchanged", existing.id
    new_id = store.write_practice(uow.conn, uow.workspace_id, practice, uow.now, existing.id if existing else None)
    _audit(
        uow,
        actor,
        "update" if existing else "create",
        PRACTICE,
        practice.slug,
        existing.practice if existing else None,
        practice,
    )
    return ("updated" if existing else "inserted"), new_id


def save_practice(engine: Engine, workspace: str, data: dict[str, Any], actor: Actor) -> PracticeDetail:
    """Create a practice or replace the one with the same slug; embeds it when the extra is installed."""
    _require_write(actor)
    try:
        practice = Practice.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(problems_from_validation(error)) from None
    if Confidentiality(practice.confidentiality) not in actor.visible:
        raise InvalidInput(
            [
                Problem(
                    "you cannot save a practice at a confidentiality level you may not read",
                    field="confidentiality",
                    value=str(practice.confidentiality),
                )
            ]
        )
    with UnitOfWork(engine, workspace) as uow:
        _action, practice_id = _save_practice(uow, practice, actor)
        _embed(uow, [(practice_id, practice)])
        uow.commit()
    return get_practice(engine, workspace, practice.slug, actor)


def delete_practice(engine: Engine, workspace: str, slug: str, actor: Actor) -> Practice:
    _require_write(actor)
    with UnitOfWork(engine, workspace) as uow:
        stored = _get(uow, slug, actor)
        for _id, transfer, _pid in store.read_transfers(uow.conn, uow.workspace_id, practice_ids=[stored.id]):
            _audit(uow, actor, "delete", TRANSFER, transfer.ref, transfer, None)
        store.delete_practice(uow.conn, stored.id)
        bump_generation(uow.conn, uow.workspace_id)  # its embedding went with it
        _audit(uow, actor, "delete", PRACTICE, slug, stored.practice, None)
        uow.commit()
    return stored.practice


def _get(uow: UnitOfWork, slug: str, actor: Actor) -> store.StoredPractice:
    stored = store.read_practice(uow.conn, uow.workspace_id, slug)
    if stored is None or Confidentiality(stored.practice.confidentiality) not in actor.visible:
        raise NotFound("practice", slug)
    return stored


def _transfer_view(transfer: Transfer, title: str) -> TransferView:
    adopter = find_city(transfer.adopter_city, transfer.adopter_country)
    teacher = find_city(transfer.from_city, transfer.from_country)
    return TransferView(
        transfer=transfer,
        practice_title=title,
        adopter_latitude=adopter.latitude if adopter else None,
        adopter_longitude=adopter.longitude if adopter else None,
        from_latitude=teacher.latitude if teacher else None,
        from_longitude=teacher.longitude if teacher else None,
    )


def get_practice(engine: Engine, workspace: str, slug: str, actor: Actor) -> PracticeDetail:
    with UnitOfWork(engine, workspace, write=False) as uow:
        stored = _get(uow, slug, actor)
        transfers = store.read_transfers(uow.conn, uow.workspace_id, practice_ids=[stored.id])
        e = t.practice_embeddings
        embedded = uow.conn.execute(
            sa.select(e.c.id).where(e.c.practice_id == stored.id, e.c.model == MODEL_NAME)
        ).first()
    return PracticeDetail(
        summary=summary_of(stored),
        practice=stored.practice,
        transfers=[_transfer_view(tr, stored.practice.title) for _, tr, _ in transfers],
        has_embedding=embedded is not None,
    )


def list_practices(
    engine: Engine,
    workspace: str,
    actor: Actor,
    filters: PracticeFilters | dict | None = None,
    *,
    page: int = 1,
    per_page: int = 50,
) -> PracticePage:
    """The library, newest first, narrowed by the filters."""
    filters = _filters(filters)
    page, per_page = max(1, page), min(max(1, per_page), 500)
    with UnitOfWork(engine, workspace, write=False) as uow:
        p = t.practices
        conditions = store.filter_conditions(uow.workspace_id, filters, _visible(actor))
        total = uow.conn.execute(sa.select(sa.func.count()).select_from(p).where(*conditions)).scalar_one()
        rows = uow.conn.execute(
            sa.select(p)
            .where(*conditions)
            .order_by(sa.func.coalesce(p.c.year_started, 0).desc(), p.c.ref)
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
        items = [summary_of(store.practice_from_row(row)) for row in rows]
    return PracticePage(items=items, total=total, page=page, per_page=per_page)


def practice_facets(
    engine: Engine, workspace: str, actor: Actor, filters: PracticeFilters | dict | None = None
) -> list[Facet]:
    """Counts per topic, SDG, region, country, status and population band of the filtered library."""
    from ..exchange.models import population_band

    filters = _filters(filters)
    with UnitOfWork(engine, workspace, write=False) as uow:
        p = t.practices
        conditions = store.filter_conditions(uow.workspace_id, filters, _visible(actor))
        ids = sa.select(p.c.id).where(*conditions).scalar_subquery()

        def counts(column, table=p, key=None):
            key = key if key is not None else table.c.id
            query = (
                sa.select(column, sa.func.count())
                .where(key.in_(ids))
                .group_by(column)
                .order_by(sa.func.count().desc(), column)
            )
            return [FacetValue(value=str(v), count=c) for v, c in uow.conn.execute(query) if v is not None]

        facets = [
            Facet(
                name="topic",
                values=counts(t.practice_topics.c.topic, t.practice_topics, t.practice_topics.c.practice_id),
            ),
            Facet(name="sdg", values=counts(t.practice_sdgs.c.goal, t.practice_sdgs, t.practice_sdgs.c.practice_id)),
            Facet(name="region", values=counts(p.c.region)),
            Facet(name="country", values=counts(p.c.country_code)),
            Facet(name="status", values=counts(p.c.status)),
        ]
        bands: dict[str, int] = {}
        for (population,) in uow.conn.execute(sa.select(p.c.population).where(*conditions)):
            band = population_band(population)
            if band is not None:
                bands[str(band)] = bands.get(str(band), 0) + 1
        ordered = sorted(bands.items(), key=lambda item: -item[1])
        facets.append(Facet(name="population_band", values=[FacetValue(value=b, count=c) for b, c in ordered]))
    return facets


# -- import -----------------------------------------------------------------------------------


def import_practices(
    engine: Engine,
    workspace: str,
    text: str,
    actor: Actor,
    *,
    file_name: str = "practices.jsonl",
    dry_run: bool = False,
) -> PracticeImportReport:
    """Import a JSON Lines practice library: validated first, then written all or nothing.

    Each line's ``id`` is the practice's stable slug; re-importing updates in place and
    reports unchanged practices. Imported transfers (``adopters``) are replaced per
    practice; transfers recorded by staff are never touched.
    """
    _require_write(actor)
    entries, problems = read_library(text, file=file_name)
    if problems:
        raise InvalidInput(problems)
    importer = dataclasses.replace(actor, interface="import")
    report = PracticeImportReport(file=file_name, dry_run=dry_run)
    with UnitOfWork(engine, workspace) as uow:
        written: list[tuple[int, Practice]] = []
        for entry in entries:
            action, practice_id = _save_practice(uow, entry.practice, importer)
            setattr(report, action, getattr(report, action) + 1)
            line = ImportLine(line=entry.line, slug=entry.practice.slug, action=action)
            _import_transfers(uow, practice_id, entry.transfers, importer, report, line)
            if action == "unchanged" and (line.transfers_inserted or line.transfers_updated or line.transfers_removed):
                line.action = "updated"
            report.lines.append(line)
            written.append((practice_id, entry.practice))
        if dry_run:
            return report  # leaving the unit of work without commit rolls everything back
        report.embedded = sum(_embed(uow, written[i : i + 256]) for i in range(0, len(written), 256))
        report.embeddings_pending = _pending_embeddings(uow)
        report.run_id = uow.conn.execute(
            t.import_runs.insert()
            .values(
                workspace_id=uow.workspace_id,
                at=uow.now,
                actor=actor.name,
                file_name=file_name[:500],
                format="jsonl",
                record_type="practices",
                inserted=report.inserted,
                updated=report.updated,
                unchanged=report.unchanged,
                report=report.model_dump(mode="json", exclude={"lines"})
                | {"lines": [line.model_dump() for line in report.lines]},
            )
            .returning(t.import_runs.c.id)
        ).scalar_one()
        uow.commit()
    return report


def _import_transfers(
    uow: UnitOfWork,
    practice_id: int,
    transfers: list[Transfer],
    actor: Actor,
    report: PracticeImportReport,
    line: ImportLine,
) -> None:
    existing = {
        tr.ref: (row_id, tr)
        for row_id, tr, _ in store.read_transfers(uow.conn, uow.workspace_id, practice_ids=[practice_id])
        if tr.origin == "import"
    }
    for transfer in transfers:
        found = existing.pop(transfer.ref, None)
        if found is None:
            other = store.read_transfer(uow.conn, uow.workspace_id, transfer.ref)
            if other is not None:  # a staff-recorded transfer already uses this key: keep it, store ours beside it
                transfer = transfer.model_copy(update={"ref": f"{transfer.ref}-imported"[:160]})
                found = existing.pop(transfer.ref, None)
        if found is not None and found[1] == transfer:
            report.transfers_unchanged += 1
            continue
        store.write_transfer(
            uow.conn, uow.workspace_id, practice_id, transfer, uow.now, found[0] if found else None, actor.name
        )
        _audit(
            uow, actor, "update" if found else "create", TRANSFER, transfer.ref, found[1] if found else None, transfer
        )
        if found:
            report.transfers_updated += 1
            line.transfers_updated += 1
        else:
            report.transfers_inserted += 1
            line.transfers_inserted += 1
    for ref, (row_id, transfer) in existing.items():  # no longer in the file
        store.delete_transfer(uow.conn, row_id)
        _audit(uow, actor, "delete", TRANSFER, ref, transfer, None)
        report.transfers_removed += 1
        line.transfers_removed += 1


def import_shared_library(engine: Engine, workspace: str, actor: Actor) -> PracticeImportReport:
    """Load the 81-practice library shipped with the package (the demo workspace gets it)."""
    path = shared_library_path()
    return import_practices(engine, workspace, path.read_text(encoding="utf-8"), actor, file_name=path.name)


# -- transfers --------------------------------------------------------------------------------


def _our_city(uow: UnitOfWork) -> CityProfile:
    workspace = uow.workspace
    facts = city_by_geonames_id(workspace.place_geonames_id) or find_city(workspace.name, workspace.country_code)
    name = facts.name if facts else workspace.name.removeprefix("City of ").strip()
    m, n = t.memberships, t.networks
    networks = frozenset(
        r[0]
        for r in uow.conn.execute(
            sa.select(n.c.name)
            .join(m, m.c.network_id == n.c.id)
            .where(m.c.workspace_id == uow.workspace_id, m.c.member_id.is_(None))
        )
    )
    return CityProfile(name=name, country_code=workspace.country_code, facts=facts, networks=networks)


def record_transfer(engine: Engine, workspace: str, slug: str, data: dict[str, Any], actor: Actor) -> TransferView:
    """Record that a city borrowed the practice ("borrow this").

    Without an adopter, the borrower is our own city (``adopter_is_us``); without a
    ``from_city``, it was learned from the practice's city of origin. ``status``
    defaults to "intended" for our own borrowing.
    """
    _require_write(actor)
    with UnitOfWork(engine, workspace) as uow:
        stored = _get(uow, slug, actor)
        values = dict(data)
        values["practice"] = slug
        if not values.get("adopter_city") and not values.get("adopter_country"):
            ours = _our_city(uow)
            values.update(adopter_is_us=True, adopter_city=ours.name, adopter_country=ours.country_code)
            values.setdefault("status", "intended")
        if not values.get("from_city"):
            values.setdefault("from_city", stored.practice.city)
            values["from_country"] = values.get("from_country") or stored.practice.country_code
        values["origin"] = "recorded"
        try:
            transfer = Transfer.model_validate(values).with_ref()
        except ValidationError as error:
            raise InvalidInput(problems_from_validation(error)) from None
        found = store.read_transfer(uow.conn, uow.workspace_id, transfer.ref)
        if found is not None and found[1].practice != slug:
            raise Conflict(f"The transfer ref '{transfer.ref}' is used by another practice; choose another ref.")
        store.write_transfer(
            uow.conn, uow.workspace_id, stored.id, transfer, uow.now, found[0] if found else None, actor.name
        )
        _audit(
            uow, actor, "update" if found else "create", TRANSFER, transfer.ref, found[1] if found else None, transfer
        )
        uow.commit()
    return _transfer_view(transfer, stored.practice.title)


def _all_transfers(uow: UnitOfWork, actor: Actor, practice: str | None = None) -> list[tuple[Transfer, str]]:
    p = t.practices
    conditions = store.filter_conditions(uow.workspace_id, None, _visible(actor))
    if practice:
        conditions.append(p.c.ref == practice)
    titles = {row.id: row.title for row in uow.conn.execute(sa.select(p.c.id, p.c.title).where(*conditions))}
    return [
        (tr, titles[pid]) for _, tr, pid in store.read_transfers(uow.conn, uow.workspace_id, practice_ids=list(titles))
    ]


def list_transfers(engine: Engine, workspace: str, actor: Actor, *, practice: str | None = None) -> list[TransferView]:
    with UnitOfWork(engine, workspace, write=False) as uow:
        if practice:
            _get(uow, practice, actor)
        return [_transfer_view(tr, title) for tr, title in _all_transfers(uow, actor, practice)]


def _same_city(city: str | None, country: str | None, ours: CityProfile) -> bool:
    if not city or (country and country != ours.country_code):
        return False
    facts = find_city(city, country or ours.country_code)
    if facts and ours.facts:
        return facts.geonames_id == ours.facts.geonames_id
    return diffusion_.city_key(city, None) == diffusion_.city_key(ours.name, None)


def borrowed_from_us(engine: Engine, workspace: str, actor: Actor) -> list[TransferView]:
    """Transfers in which another city learned from ours (the reverse view of peers)."""
    with UnitOfWork(engine, workspace, write=False) as uow:
        ours = _our_city(uow)
        return [
            _transfer_view(tr, title)
            for tr, title in _all_transfers(uow, actor)
            if not tr.adopter_is_us and _same_city(tr.from_city, tr.from_country, ours)
        ]


def our_borrowings(engine: Engine, workspace: str, actor: Actor) -> list[TransferView]:
    """Transfers in which our city is the borrower."""
    with UnitOfWork(engine, workspace, write=False) as uow:
        ours = _our_city(uow)
        return [
            _transfer_view(tr, title)
            for tr, title in _all_transfers(uow, actor)
            if tr.adopter_is_us or _same_city(tr.adopter_city, tr.adopter_country, ours)
        ]


# -- search -----------------------------------------------------------------------------------


def _semantic_ready(uow: UnitOfWork, mode: str, notices: list[str]) -> bool:
    if mode == "lexical":
        return False
    if not semantic_available():
        if mode == "auto":
            notices.append(
                "Semantic search is not installed; showing word matches only "
                "(install citydiplomacy[semantic] to also find practices by meaning)."
            )
            return False
        raise SemanticSearchUnavailable([])
    e = t.practice_embeddings
    has_vectors = uow.conn.execute(sa.select(e.c.id).where(e.c.workspace_id == uow.workspace_id).limit(1)).first()
    if has_vectors is None:
        notices.append("No practice has an embedding yet; run 'citydip practices reindex' to search by meaning.")
        return False
    return True


def search_practices(
    engine: Engine,
    workspace: str,
    query: str,
    actor: Actor,
    *,
    mode: str = "auto",
    filters: PracticeFilters | dict | None = None,
    limit: int = 10,
    offset: int = 0,
) -> SearchResults:
    """Find practices for a question, best first, each with why it matched.

    ``mode``: ``lexical`` (full-text only), ``semantic`` (meaning only), ``hybrid``
    (both, fused by reciprocal rank) or ``auto`` (hybrid when the semantic extra is
    installed and practices are embedded, lexical otherwise, with a notice).
    """
    if mode not in SEARCH_MODES:
        raise InvalidInput(
            [Problem(f"unknown search mode; use one of {', '.join(SEARCH_MODES)}", field="mode", value=mode)]
        )
    query = (query or "").strip()
    if not query:
        raise InvalidInput([Problem("type a question or some words to search for", field="q")])
    filters = _filters(filters)
    limit, offset = min(max(1, limit), 100), max(0, offset)
    notices: list[str] = []
    with UnitOfWork(engine, workspace, write=False) as uow:
        semantic = _semantic_ready(uow, mode, notices)
        run = "hybrid" if semantic and mode in ("auto", "hybrid") else ("semantic" if semantic else "lexical")
        depth = max(CANDIDATES, offset + limit)
        candidates = Candidates()
        if run in ("lexical", "hybrid"):
            candidates.lexical = lexical_candidates(uow.conn, uow.workspace_id, query, filters, _visible(actor), depth)
        if run in ("semantic", "hybrid"):
            vector = get_embedder().encode_one(query)
            candidates.semantic = semantic_candidates(
                uow.conn, indexes_for(engine), uow.workspace_id, vector, filters, _visible(actor), depth
            )
        ranked = (
            fuse(candidates) if run == "hybrid" else (candidates.lexical if run == "lexical" else candidates.semantic)
        )
        hits = build_hits(
            uow.conn, ranked, candidates, query=query, limit=limit, offset=offset, filter_topics=filters.topic
        )
    return SearchResults(query=query, mode=run, filters=filters, hits=hits, notices=notices)


def more_like_this(
    engine: Engine,
    workspace: str,
    slug: str,
    actor: Actor,
    *,
    limit: int = 10,
    filters: PracticeFilters | dict | None = None,
) -> SearchResults:
    """Practices like this one: nearest by meaning (its stored embedding) fused with its words and topics."""
    filters = _filters(filters)
    notices: list[str] = []
    with UnitOfWork(engine, workspace, write=False) as uow:
        stored = _get(uow, slug, actor)
        practice = stored.practice
        query = " ".join([practice.title, *(topic.replace("-", " ") for topic in practice.topics)])
        candidates = Candidates()
        candidates.lexical = [
            (i, s)
            for i, s in lexical_candidates(uow.conn, uow.workspace_id, query, filters, _visible(actor), CANDIDATES + 1)
            if i != stored.id
        ]
        e = t.practice_embeddings
        row = uow.conn.execute(
            sa.select(e.c.vector).where(e.c.practice_id == stored.id, e.c.model == MODEL_NAME)
        ).first()
        if row is not None and semantic_available():
            candidates.semantic = semantic_candidates(
                uow.conn,
                indexes_for(engine),
                uow.workspace_id,
                vector_from_bytes(row.vector),
                filters,
                _visible(actor),
                CANDIDATES,
                exclude=stored.id,
            )
        else:
            notices.append(
                "Showing practices that share words and topics; install citydiplomacy[semantic] "
                "(then 'citydip practices reindex') to also find them by meaning."
            )
        run = "hybrid" if candidates.semantic else "lexical"
        ranked = fuse(candidates) if candidates.semantic else candidates.lexical
        hits = build_hits(
            uow.conn,
            ranked,
            candidates,
            query=query,
            limit=min(max(1, limit), 100),
            shared_with=practice.topics,
            semantic_label="this practice",
        )
    return SearchResults(query=query, mode=run, filters=filters, hits=hits, notices=notices, more_like=slug)


# -- peers and diffusion ----------------------------------------------------------------------


def find_peers(
    engine: Engine,
    workspace: str,
    actor: Actor,
    *,
    problem: str | None = None,
    filters: PracticeFilters | dict | None = None,
    limit: int = 10,
) -> list[PeerCity]:
    """Cities like ours that tackled a problem (started or borrowed a matching practice), most similar first.

    Without ``problem``, every city in the library (filters still apply).
    """
    filters = _filters(filters)
    if problem:
        found = search_practices(engine, workspace, problem, actor, filters=filters, limit=30)
        # A practice tackled the problem if its words match or it is close in meaning.
        relevant_slugs = [
            hit.practice.slug
            for hit in found.hits
            if hit.why.matched_terms or (hit.why.semantic_similarity or 0) >= PEER_MIN_SIMILARITY
        ]
    with UnitOfWork(engine, workspace, write=False) as uow:
        ours = _our_city(uow)
        p = t.practices
        conditions = store.filter_conditions(uow.workspace_id, filters, _visible(actor))
        if problem:
            conditions.append(p.c.ref.in_(relevant_slugs or [""]))
        rows = {row.id: store.practice_from_row(row) for row in uow.conn.execute(sa.select(p).where(*conditions))}
        relevant = list(rows)
        cities: dict[str, dict] = {}

        def offer(city: str | None, country: str | None, slug: str, role: str) -> None:
            if not city or not country or _same_city(city, country, ours):
                return
            key = diffusion_.city_key(city, country)
            entry = cities.setdefault(key, {"city": city, "country": country, "practices": [], "roles": []})
            if slug not in entry["practices"]:
                entry["practices"].append(slug)
            if role not in entry["roles"]:
                entry["roles"].append(role)

        for stored in rows.values():
            offer(stored.practice.city, stored.practice.country_code, stored.practice.slug, "origin")
        for _, transfer, _pid in store.read_transfers(uow.conn, uow.workspace_id, practice_ids=relevant):
            if not transfer.adopter_is_us:
                offer(transfer.adopter_city, transfer.adopter_country, transfer.practice, "adopter")
        networks = _networks_by_city(uow)
    peers = []
    for key, entry in cities.items():
        facts = find_city(entry["city"], entry["country"])
        profile = CityProfile(
            entry["city"], entry["country"], facts, networks.get(facts.geonames_id if facts else key, frozenset())
        )
        score, reasons, shared = similarity(ours, profile)
        peers.append(
            PeerCity(
                city=facts.name if facts else entry["city"],
                country_code=entry["country"],
                region=profile.region,
                population=profile.population,
                climate=profile.climate,
                similarity=score,
                reasons=reasons,
                shared_networks=shared,
                practices=entry["practices"],
                roles=entry["roles"],
                latitude=facts.latitude if facts else None,
                longitude=facts.longitude if facts else None,
            )
        )
    peers.sort(key=lambda peer: (-peer.similarity, -len(peer.practices), peer.city))
    return peers[: max(1, limit)]


def _networks_by_city(uow: UnitOfWork) -> dict:
    """Network names per member city (GeoNames id of the member partner's place, else its name)."""
    m, n, pa, pl = t.memberships, t.networks, t.partners, t.places
    rows = uow.conn.execute(
        sa.select(n.c.name, pa.c.name.label("partner"), pa.c.country_code, pl.c.geonames_id)
        .join(m, m.c.network_id == n.c.id)
        .join(pa, pa.c.id == m.c.member_id)
        .outerjoin(pl, pl.c.id == pa.c.place_id)
        .where(m.c.workspace_id == uow.workspace_id)
    )
    out: dict = {}
    for row in rows:
        facts = None
        if row.geonames_id is None and row.country_code:
            facts = find_city(row.partner.removeprefix("City of ").strip(), row.country_code)
        key = row.geonames_id or (facts.geonames_id if facts else diffusion_.city_key(row.partner, row.country_code))
        out[key] = frozenset(out.get(key, frozenset()) | {row.name})
    return out


def _diffusion_inputs(uow: UnitOfWork, actor: Actor, practice: str | None) -> tuple[list[Practice], list[Transfer]]:
    p = t.practices
    conditions = store.filter_conditions(uow.workspace_id, None, _visible(actor))
    if practice:
        _get(uow, practice, actor)
        conditions.append(p.c.ref == practice)
    stored = [store.practice_from_row(row) for row in uow.conn.execute(sa.select(p).where(*conditions))]
    transfers = [
        tr for _, tr, _ in store.read_transfers(uow.conn, uow.workspace_id, practice_ids=[s.id for s in stored])
    ]
    if not practice:  # the network view shows practices that travelled
        travelled = {tr.practice for tr in transfers}
        stored = [s for s in stored if s.practice.slug in travelled]
    return [s.practice for s in stored], transfers


def diffusion_graph(engine: Engine, workspace: str, actor: Actor, *, practice: str | None = None) -> DiffusionGraph:
    """Who learned from whom: city nodes and transfer edges, for one practice or the whole library."""
    with UnitOfWork(engine, workspace, write=False) as uow:
        practices, transfers = _diffusion_inputs(uow, actor, practice)
    return diffusion_.diffusion_graph(practices, transfers)


def diffusion_timeline(
    engine: Engine, workspace: str, actor: Actor, *, practice: str | None = None
) -> list[TimelineYear]:
    """When: the practice's start and each transfer, by year."""
    with UnitOfWork(engine, workspace, write=False) as uow:
        practices, transfers = _diffusion_inputs(uow, actor, practice)
    return diffusion_.timeline(practices, transfers)
