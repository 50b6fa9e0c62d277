"""Lexical search on the database's own full-text engine.

* SQLite: the FTS5 table ``practices_fts`` (rowid = practices.id), Porter stemming,
  ranked by ``bm25`` with column weights title > topics > place > body.
* PostgreSQL: the ``practices.search_vector`` tsvector (english configuration,
  weights A title, B topics, C place, D body) with a GIN index, ranked by ``ts_rank_cd``.

Both take the same query terms (see text.query_terms), ORed, and return
``(practice_id, score)`` best first, plus highlighted snippets for the hits shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import Connection

from ..adapters.db import tables as t
from .text import SearchDocument

__all__ = ["HIGHLIGHT_START", "HIGHLIGHT_STOP", "Highlight", "delete", "highlights", "search", "write"]

#: Markers around matched words in snippets; chosen because practice texts never use them.
HIGHLIGHT_START, HIGHLIGHT_STOP = "\u27e6", "\u27e7"

_FTS = sa.table("practices_fts", sa.column("rowid"))
_FTS_NAME = sa.literal_column("practices_fts")
_FTS_TOP = sa.text(
    "SELECT rowid, bm25(practices_fts, :w0, :w1, :w2, :w3) AS r FROM practices_fts "
    "WHERE practices_fts MATCH :q ORDER BY r, rowid LIMIT :n"
)
#: bm25 column weights: title, topics, place, body.
_BM25_WEIGHTS = (6.0, 3.0, 2.0, 1.0)
_PG_DOCUMENT = sa.text(
    "UPDATE practices SET search_vector = "
    "setweight(to_tsvector('english', :title), 'A') || setweight(to_tsvector('english', :topics), 'B') || "
    "setweight(to_tsvector('english', :place), 'C') || setweight(to_tsvector('english', :body), 'D') "
    "WHERE id = :id"
)


def _is_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def write(conn: Connection, practice_id: int, document: SearchDocument) -> None:
    """(Re)index one practice, in the caller's transaction."""
    values = {
        "id": practice_id,
        "title": document.title,
        "topics": document.topics,
        "place": document.place,
        "body": document.body,
    }
    if _is_sqlite(conn):
        conn.execute(sa.text("DELETE FROM practices_fts WHERE rowid = :id"), {"id": practice_id})
        conn.execute(
            sa.text(
                "INSERT INTO practices_fts (rowid, title, topics, place, body) "
                "VALUES (:id, :title, :topics, :place, :body)"
            ),
            values,
        )
    else:
        conn.execute(_PG_DOCUMENT, values)


def write_many(conn: Connection, rows: list[tuple[int, SearchDocument]]) -> None:
    """Index many practices at once (imports, the benchmark)."""
    if not rows:
        return
    values = [{"id": i, "title": d.title, "topics": d.topics, "place": d.place, "body": d.body} for i, d in rows]
    if _is_sqlite(conn):
        conn.execute(sa.text("DELETE FROM practices_fts WHERE rowid = :id"), [{"id": v["id"]} for v in values])
        conn.execute(
            sa.text(
                "INSERT INTO practices_fts (rowid, title, topics, place, body) "
                "VALUES (:id, :title, :topics, :place, :body)"
            ),
            values,
        )
    else:
        conn.execute(_PG_DOCUMENT, values)


def delete(conn: Connection, practice_id: int) -> None:
    if _is_sqlite(conn):
        conn.execute(sa.text("DELETE FROM practices_fts WHERE rowid = :id"), {"id": practice_id})
    # PostgreSQL: the column goes with the row.


def _fts5_query(terms: list[str]) -> str:
    return " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _pg_query(terms: list[str]):
    # Terms are words (text.query_terms keeps letters and digits only), so joining them
    # with '|' cannot inject tsquery operators; to_tsquery stems them and drops stopwords.
    return sa.func.to_tsquery(sa.literal_column("'english'"), " | ".join(terms))


#: Above this many matching practices, SQLite search selects candidates by coordination
#: level before ranking (see :func:`_sqlite_tiered`); below it, one bm25 pass ranks all.
TIERED_ABOVE = 2000


def _fts5_all(terms: list[str]) -> str:
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _fts5_at_least_two(terms: list[str]) -> str:
    pairs = [f"({_fts5_all([a, b])})" for i, a in enumerate(terms) for b in terms[i + 1 :]]
    return " OR ".join(pairs)


def _sqlite_ranked(
    conn: Connection, match: str, conditions: list, limit: int, exclude: set[int]
) -> list[tuple[int, float]]:
    """bm25-ranked matches that pass ``conditions``.

    The full-text table is queried alone, then the few best rows are checked against the
    conditions (workspace, visibility, filters): joined in one statement, SQLite's planner
    may walk the workspace's practices and probe FTS5 row by row, which is slow. When the
    conditions reject too many rows, it fetches deeper, and at worst runs the join.
    """
    p = t.practices
    weights = {f"w{i}": w for i, w in enumerate(_BM25_WEIGHTS)}
    # Ranking costs the same for any LIMIT (every match is scored), so fetch generously.
    fetch = max(4 * (limit + len(exclude)), 200)
    while fetch <= 25_600:
        rows = conn.execute(_FTS_TOP, {"q": match, "n": fetch, **weights}).all()
        candidates = [(row[0], -float(row[1])) for row in rows if row[0] not in exclude]
        allowed: set[int] = set()
        ids = [i for i, _ in candidates]
        for start in range(0, len(ids), 5000):
            allowed.update(
                r[0] for r in conn.execute(sa.select(p.c.id).where(p.c.id.in_(ids[start : start + 5000]), *conditions))
            )
        kept = [c for c in candidates if c[0] in allowed]
        if len(kept) >= limit or len(rows) < fetch:
            return kept[:limit]
        fetch *= 8
    rank = sa.func.bm25(_FTS_NAME, *_BM25_WEIGHTS)
    query = (
        sa.select(p.c.id, rank.label("rank"))
        .select_from(_FTS.join(p, p.c.id == _FTS.c.rowid))
        .where(_FTS_NAME.op("MATCH")(match), *conditions)
        .order_by(rank, p.c.id)
        .limit(limit)
    )
    if exclude:
        query = query.where(p.c.id.not_in(exclude))
    return [(row.id, -float(row.rank)) for row in conn.execute(query)]


def _sqlite_tiered(conn: Connection, terms: list[str], conditions: list, limit: int) -> list[tuple[int, float]]:
    """Coordination-level ranking for large libraries.

    bm25 costs time for every matching row, and an ORed question matches tens of
    thousands of practices in a library of 100,000. So candidates are taken tier by
    tier - practices with every word, then with at least two words, then with any -
    until ``limit`` are found; each tier is ranked by bm25 over far fewer rows, and
    practices matching more of the question come first (Lucene's "coord" idea). Scores
    mean the same in every tier: an AND query has the same phrases as the ORed one, and
    in the pairs query each word is a phrase ``len - 1`` times, so its bm25 divided by
    ``len - 1`` is the ORed bm25 (exact up to 8 words; beyond, words 9+ are left out).
    """
    # (match expression, divisor that turns its bm25 into the bm25 of the ORed question)
    tiers = [(_fts5_all(terms), 1)]
    if len(terms) >= 3:
        head = terms[:8]  # at most 28 pairs; each word then appears in len(head) - 1 pairs
        tiers.append((_fts5_at_least_two(head), len(head) - 1))
    if len(terms) >= 2:
        tiers.append((_fts5_query(terms), 1))
    found: list[tuple[int, float]] = []
    seen: set[int] = set()
    for match, divisor in tiers:
        for practice_id, score in _sqlite_ranked(conn, match, conditions, limit - len(found), seen):
            found.append((practice_id, score / divisor))
            seen.add(practice_id)
        if len(found) >= limit:
            break
    return found


def search(conn: Connection, terms: list[str], conditions: list, limit: int) -> list[tuple[int, float]]:
    """Best-first (practice id, score) for practices matching any term and all ``conditions``.

    ``conditions`` are SQLAlchemy expressions on ``tables.practices`` (workspace, filters).
    Scores are positive, higher is better: -bm25 on SQLite, ts_rank_cd on PostgreSQL.
    """
    if not terms:
        return []
    p = t.practices
    if _is_sqlite(conn):
        match = _fts5_query(terms)
        matches = conn.execute(
            sa.text("SELECT count(*) FROM (SELECT 1 FROM practices_fts WHERE practices_fts MATCH :q LIMIT :n)"),
            {"q": match, "n": TIERED_ABOVE + 1},
        ).scalar_one()
        if matches > TIERED_ABOVE:
            return _sqlite_tiered(conn, terms, conditions, limit)
        return _sqlite_ranked(conn, match, conditions, limit, set())
    tsquery = _pg_query(terms)
    vector = sa.literal_column("practices.search_vector")
    rank = sa.func.ts_rank_cd(vector, tsquery)
    query = (
        sa.select(p.c.id, rank.label("rank"))
        .where(vector.op("@@")(tsquery), *conditions)
        .order_by(rank.desc(), p.c.id)
        .limit(limit)
    )
    return [(row.id, float(row.rank)) for row in conn.execute(query)]


@dataclass(frozen=True)
class Highlight:
    """Where the words matched: a field and its text cut into plain and matched segments."""

    field: str
    segments: list[tuple[str, bool]]

    @property
    def matched_words(self) -> list[str]:
        return [text for text, matched in self.segments if matched]


def _segments(marked: str) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    rest = marked
    while rest:
        start = rest.find(HIGHLIGHT_START)
        if start < 0:
            out.append((rest, False))
            break
        if start:
            out.append((rest[:start], False))
        stop = rest.find(HIGHLIGHT_STOP, start)
        if stop < 0:
            out.append((rest[start + 1 :], True))
            break
        out.append((rest[start + 1 : stop], True))
        rest = rest[stop + 1 :]
    return [s for s in out if s[0]]


def highlights(conn: Connection, ids: list[int], terms: list[str]) -> dict[int, list[Highlight]]:
    """Highlighted title and a snippet of the description, for the practices shown."""
    if not ids or not terms:
        return {}
    out: dict[int, list[Highlight]] = {}
    if _is_sqlite(conn):
        # One query per hit: FTS5 turns "rowid = ?" into a seek in each term's doclist,
        # whereas "rowid IN (...)" would walk every match of the query again.
        statement = sa.text(
            "SELECT rowid AS id, highlight(practices_fts, 0, :a, :b) AS title, "
            "snippet(practices_fts, 3, :a, :b, '…', 24) AS body FROM practices_fts "
            "WHERE practices_fts MATCH :q AND rowid = :id"
        )
        match = _fts5_query(terms)
        rows = [
            row
            for practice_id in ids
            for row in conn.execute(
                statement, {"a": HIGHLIGHT_START, "b": HIGHLIGHT_STOP, "q": match, "id": practice_id}
            )
        ]
    else:
        tsquery = _pg_query(terms)
        options = (
            f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_STOP}, MaxWords=30, MinWords=12, "
            'MaxFragments=2, FragmentDelimiter=" … "'
        )
        title_options = f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_STOP}, HighlightAll=true"
        p = t.practices
        english = sa.literal_column("'english'")
        body = sa.func.concat_ws(" ", p.c.summary, p.c.problem, p.c.what_was_done, p.c.results)
        rows = conn.execute(
            sa.select(
                p.c.id,
                sa.func.ts_headline(english, p.c.title, tsquery, title_options).label("title"),
                sa.func.ts_headline(english, body, tsquery, options).label("body"),
            ).where(p.c.id.in_(ids))
        )
    for row in rows:
        items = []
        for field in ("title", "body"):
            value = getattr(row, field) or ""
            if HIGHLIGHT_START in value:
                items.append(Highlight(field, _segments(value)))
        out[row.id] = items
    return out
