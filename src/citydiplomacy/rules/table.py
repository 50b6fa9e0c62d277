"""Facts as columns: one numpy array per fact over many records, with a mask of what is known.

Conditions are compiled into operations on these arrays (see :mod:`.conditions`), so
checking 50,000 records costs a few array operations per condition, not a Python
loop per record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from .facts import FACTS

EPOCH = date(1970, 1, 1)


class StringPool:
    """Strings as integer codes, shared by every table and compiled condition in the process."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.strings: list[str] = []

    def code(self, text: str) -> int:
        found = self.codes.get(text)
        if found is None:
            found = self.codes[text] = len(self.strings)
            self.strings.append(text)
        return found

    def codes_of(self, texts: Iterable[str]) -> np.ndarray:
        return np.array([self.code(t) for t in texts], dtype=np.int32)


POOL = StringPool()


def day_number(value: date) -> int:
    return (value - EPOCH).days


def from_day_number(value: int) -> date:
    return date.fromordinal(EPOCH.toordinal() + int(value))


@dataclass
class Column:
    type: str
    data: np.ndarray
    known: np.ndarray

    def value_at(self, row: int) -> Any:
        """The plain value of one row (for traces); None when unknown."""
        if not self.known[row]:
            return None
        item = self.data[row]
        if self.type == "bool":
            return bool(item)
        if self.type in ("enum", "text"):
            return POOL.strings[int(item)]
        if self.type == "number":
            number = float(item)
            return int(number) if number.is_integer() else number
        if self.type == "date":
            return from_day_number(int(item))
        return sorted(POOL.strings[int(c)] for c in item if c >= 0)


def build_column(fact_type: str, values: list[Any]) -> Column:
    """A column from plain values; None means unknown."""
    n = len(values)
    known = np.fromiter((v is not None for v in values), dtype=bool, count=n)
    if fact_type == "bool":
        data = np.fromiter((bool(v) if v is not None else False for v in values), dtype=bool, count=n)
    elif fact_type in ("enum", "text"):
        code = POOL.code
        data = np.fromiter((code(str(v)) if v is not None else -1 for v in values), dtype=np.int32, count=n)
    elif fact_type == "number":
        data = np.fromiter((float(v) if v is not None else np.nan for v in values), dtype=np.float64, count=n)
    elif fact_type == "date":
        data = np.fromiter((day_number(v) if v is not None else 0 for v in values), dtype=np.int64, count=n)
    elif fact_type == "set":
        width = max((len(v) for v in values if v is not None), default=0)
        data = np.full((n, max(width, 1)), -1, dtype=np.int32)
        code = POOL.code
        for i, items in enumerate(values):
            if items:
                data[i, : len(items)] = [code(str(x)) for x in items]
    else:  # pragma: no cover - FACTS only uses the types above
        raise ValueError(f"unknown fact type {fact_type}")
    return Column(fact_type, data, known)


@dataclass
class FactTable:
    """Facts of ``n`` records of one kind (engagement, agreement or gift)."""

    record: str
    refs: list[str]
    columns: dict[str, Column] = field(default_factory=dict)
    titles: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.refs)

    @classmethod
    def from_columns(
        cls, record: str, refs: list[str], values: dict[str, list[Any]], titles: list[str] | None = None
    ) -> FactTable:
        table = cls(record, list(refs), titles=list(titles or refs))
        n = len(refs)
        for name, spec in FACTS.items():
            if spec.record not in (record, "any"):
                continue
            column_values = values.get(name)
            if column_values is None:
                column_values = [None] * n
            if len(column_values) != n:
                raise ValueError(f"fact {name} has {len(column_values)} values for {n} records")
            table.columns[name] = build_column(spec.type, column_values)
        return table

    @classmethod
    def from_rows(cls, record: str, rows: list[dict[str, Any]], refs: list[str] | None = None) -> FactTable:
        """Facts given per record (``{fact: value}``); a fact not given is unknown."""
        refs = refs or [f"{record}-{i + 1}" for i in range(len(rows))]
        names = {name for row in rows for name in row}
        return cls.from_columns(record, refs, {name: [row.get(name) for row in rows] for name in names})

    def facts_at(self, row: int) -> dict[str, Any]:
        return {name: column.value_at(row) for name, column in self.columns.items()}
