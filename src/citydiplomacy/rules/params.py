"""Dated parameters: reference lists and thresholds "as they stood on" a date.

Each parameter keeps its values keyed by the date they start to apply (OpenFisca
style). A lookup at a date takes the latest value starting on or before it. A value
marked unknown, or a date before the first value, gives no value: a condition that
needs it answers *unclear* and names the parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from .schema import Citation, Parameter, ParameterValue
from .table import POOL, day_number


@dataclass
class ParamAt:
    """A parameter's value on a date, for traces."""

    id: str
    on: date
    value: Any
    known: bool
    since: date | None
    note: str | None
    citations: list[Citation]

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "as_it_stood_on": self.on.isoformat(),
            "value": self.value,
            "known": self.known,
            "value_since": self.since.isoformat() if self.since else None,
            "note": self.note,
            "citations": [c.model_dump(mode="json", exclude_none=True) for c in self.citations],
        }


class ParamIndex:
    """A parameter ready for vectorised lookups at many dates."""

    def __init__(self, parameter: Parameter, overlay: dict[date, Any] | None = None):
        self.parameter = parameter
        self.id = parameter.id
        self.type = parameter.type
        values: dict[date, ParameterValue] = dict(parameter.values)
        for day, value in (overlay or {}).items():
            values[day] = ParameterValue(value=value, note="assumed for this case")
        self.starts = sorted(values)
        self.items = [values[d] for d in self.starts]
        self.days = np.array([day_number(d) for d in self.starts], dtype=np.int64)
        self.known = np.array([not (v.unknown or v.value is None) for v in self.items], dtype=bool)
        if self.type in ("countries", "strings"):
            self.payload = [POOL.codes_of(v.value or []) for v in self.items]
        else:
            self.payload = [float(v.value) if v.value is not None else np.nan for v in self.items]

    def version_index(self, days: np.ndarray) -> np.ndarray:
        """Index of the value in force at each day; -1 before the first value."""
        return np.searchsorted(self.days, days, side="right") - 1

    def at(self, on: date) -> ParamAt:
        idx = int(self.version_index(np.array([day_number(on)]))[0])
        if idx < 0:
            return ParamAt(
                self.id, on, None, False, None, f"no value before {self.starts[0]}", list(self.parameter.citations)
            )
        item = self.items[idx]
        return ParamAt(
            self.id,
            on,
            item.value,
            bool(self.known[idx]),
            self.starts[idx],
            item.note,
            list(item.citations) + list(self.parameter.citations),
        )
