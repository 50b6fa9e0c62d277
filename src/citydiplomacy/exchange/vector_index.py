"""Nearest-neighbour search over practice embeddings: an HNSW index (usearch) per workspace.

Why not sqlite-vec and pgvector (docs/exchange.md, "Vector index"): this Python's
``sqlite3`` module is built without ``enable_load_extension``, so no SQLite extension
can be loaded, and Debian 12 ships no pgvector package for PostgreSQL 15. So:

* the vectors are stored in the database (``practice_embeddings``: float32 blobs,
  written in the same transaction as the practice), which stays the source of truth;
* each process keeps an in-memory HNSW graph per workspace (usearch, cosine metric),
  built on first use and kept in step with the table: every search reads the
  workspace's generation (one primary-key read; every write of embeddings bumps it);
  when it moved, the table's (count, max id, sum of ids) tell what changed: new rows
  (ids only grow: re-embedding replaces the row) are added, and any other difference
  (a deletion, an out-of-order commit) rebuilds the graph from the stored vectors.

Filtered searches (exchange/search.py): the HNSW answer is over-fetched and filtered in
SQL; when too few of the nearest pass, and the filters leave at most ``EXACT_LIMIT``
practices, the similarities are computed exactly over just those vectors.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import Connection, Engine

from ..adapters.db import tables as t
from .embeddings import DIMENSIONS, MODEL_NAME

__all__ = [
    "EXACT_LIMIT",
    "VectorIndexes",
    "bump_generation",
    "current_generation",
    "exact_search",
    "indexes_for",
    "vector_from_bytes",
    "vector_to_bytes",
]

#: Narrow filtered searches over at most this many practices are exact (a small matrix product).
EXACT_LIMIT = 2_000


def vector_to_bytes(vector) -> bytes:
    import numpy as np

    return np.asarray(vector, dtype="<f4").tobytes()


def vector_from_bytes(data: bytes):
    import numpy as np

    return np.frombuffer(data, dtype="<f4")


@dataclass
class _WorkspaceIndex:
    index: object
    count: int = 0
    max_id: int = 0
    id_sum: int = 0
    #: practice_vector_generations.generation when the index was last brought up to date.
    generation: int | None = None
    #: practice id -> id of its practice_embeddings row, to account for replaced vectors.
    row_ids: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _new_index():
    from usearch.index import Index

    # connectivity 16 / expansion 128 for adding and 64 for search: recall ~0.99 on these
    # vectors in bench/bench_search.py; cosine metric on unit vectors.
    return Index(ndim=DIMENSIONS, metric="cos", dtype="f32", connectivity=16, expansion_add=128, expansion_search=64)


class VectorIndexes:
    """The HNSW indexes of one engine's workspaces."""

    def __init__(self) -> None:
        self._by_workspace: dict[int, _WorkspaceIndex] = {}
        self._lock = threading.Lock()

    def _signature(self, conn: Connection, workspace_id: int) -> tuple[int, int, int]:
        e = t.practice_embeddings
        row = conn.execute(
            sa.select(
                sa.func.count(), sa.func.coalesce(sa.func.max(e.c.id), 0), sa.func.coalesce(sa.func.sum(e.c.id), 0)
            ).where(e.c.workspace_id == workspace_id, e.c.model == MODEL_NAME)
        ).one()
        return int(row[0]), int(row[1]), int(row[2])

    def _load(self, conn: Connection, workspace_id: int, after_id: int = 0) -> list[tuple[int, int, bytes]]:
        e = t.practice_embeddings
        return list(
            conn.execute(
                sa.select(e.c.id, e.c.practice_id, e.c.vector)
                .where(e.c.workspace_id == workspace_id, e.c.model == MODEL_NAME, e.c.id > after_id)
                .order_by(e.c.id)
            )
        )

    def _add(self, entry: _WorkspaceIndex, rows) -> None:
        import numpy as np

        if not rows:
            return
        latest = {r.practice_id: r for r in rows}  # the newest row of each practice
        rows = list(latest.values())
        for row in rows:  # a re-embedded practice: its old vector goes
            old = entry.row_ids.pop(row.practice_id, None)
            if old is not None:
                entry.index.remove(int(row.practice_id))
                entry.count -= 1
                entry.id_sum -= old
        keys = np.array([r.practice_id for r in rows], dtype=np.uint64)
        vectors = np.vstack([vector_from_bytes(r.vector) for r in rows])
        entry.index.add(keys, vectors, threads=0)
        for row in rows:
            entry.row_ids[row.practice_id] = row.id
        entry.count += len(rows)
        entry.max_id = max(entry.max_id, max(r.id for r in rows))
        entry.id_sum += sum(r.id for r in rows)

    def sync(self, conn: Connection, workspace_id: int) -> _WorkspaceIndex:
        """The workspace's index, brought up to date with the stored vectors."""
        with self._lock:
            entry = self._by_workspace.get(workspace_id)
            if entry is None:
                entry = self._by_workspace[workspace_id] = _WorkspaceIndex(_new_index())
        with entry.lock:
            generation = current_generation(conn, workspace_id)
            if generation == entry.generation:
                return entry
            signature = self._signature(conn, workspace_id)
            entry.generation = generation
            if signature == (entry.count, entry.max_id, entry.id_sum):
                return entry
            if signature[1] > entry.max_id:
                self._add(entry, self._load(conn, workspace_id, after_id=entry.max_id))
            if signature != (entry.count, entry.max_id, entry.id_sum):
                entry.index = _new_index()
                entry.count = entry.max_id = entry.id_sum = 0
                entry.row_ids = {}
                self._add(entry, self._load(conn, workspace_id))
            return entry

    def search(self, conn: Connection, workspace_id: int, vector, limit: int) -> list[tuple[int, float]]:
        """Best-first (practice id, cosine similarity)."""
        entry = self.sync(conn, workspace_id)
        if entry.count == 0:
            return []
        matches = entry.index.search(vector, min(limit, len(entry.index)))
        return [(int(m.key), 1.0 - float(m.distance)) for m in matches]

    def size(self, conn: Connection, workspace_id: int) -> int:
        return len(self.sync(conn, workspace_id).index)


def current_generation(conn: Connection, workspace_id: int) -> int:
    g = t.practice_vector_generations
    value = conn.execute(sa.select(g.c.generation).where(g.c.workspace_id == workspace_id)).scalar_one_or_none()
    return int(value or 0)


def bump_generation(conn: Connection, workspace_id: int) -> None:
    """Call in every transaction that adds, replaces or deletes a workspace's embeddings."""
    g = t.practice_vector_generations
    changed = conn.execute(g.update().where(g.c.workspace_id == workspace_id).values(generation=g.c.generation + 1))
    if changed.rowcount == 0:
        conn.execute(g.insert().values(workspace_id=workspace_id, generation=1))


def exact_search(conn: Connection, practice_ids: list[int], vector, limit: int) -> list[tuple[int, float]]:
    """Exact cosine similarity over the given practices' stored vectors (filtered searches)."""
    import numpy as np

    if not practice_ids:
        return []
    e = t.practice_embeddings
    rows = []
    for start in range(0, len(practice_ids), 5000):  # stay under bind-parameter limits
        chunk = practice_ids[start : start + 5000]
        rows.extend(
            conn.execute(
                sa.select(e.c.practice_id, e.c.vector).where(e.c.practice_id.in_(chunk), e.c.model == MODEL_NAME)
            )
        )
    if not rows:
        return []
    matrix = np.vstack([vector_from_bytes(r.vector) for r in rows])
    scores = matrix @ np.asarray(vector, dtype=np.float32)
    order = np.argsort(-scores)[:limit]
    return [(int(rows[i].practice_id), float(scores[i])) for i in order]


_INDEXES: weakref.WeakKeyDictionary[Engine, VectorIndexes] = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()


def indexes_for(engine: Engine) -> VectorIndexes:
    """The vector indexes held for this engine (one set per engine and process)."""
    with _INDEXES_LOCK:
        indexes = _INDEXES.get(engine)
        if indexes is None:
            indexes = _INDEXES[engine] = VectorIndexes()
        return indexes
