"""Due dates: calendar or business days before/after a date, skipping the jurisdiction's
public holidays (from the ``holidays`` package), or a fixed date."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .schema import Deadline, Holidays

YEARS = range(1990, 2041)


@lru_cache(maxsize=32)
def holiday_days(country: str, subdivision: str | None) -> np.ndarray:
    """Public holidays of a country (and subdivision) as numpy days, 1990-2040."""
    import holidays

    calendar = holidays.country_holidays(country, subdiv=subdivision, years=YEARS)
    return np.array(sorted(calendar.keys()), dtype="datetime64[D]")


def due_days(
    deadline: Deadline, reference: np.ndarray | None, calendar: Holidays | None, n: int
) -> tuple[np.ndarray, bool]:
    """Due dates as day numbers for ``n`` rows, and whether they are exact.

    ``reference`` holds the day numbers of the date fact named by ``before``/``after``.
    Without ``days`` there is no published lead time: the reference date itself is
    returned and marked not exact."""
    from .table import day_number

    if deadline.by is not None:
        return np.full(n, day_number(deadline.by), dtype=np.int64), True
    assert reference is not None
    if deadline.days is None:
        return reference.astype(np.int64), False
    sign = -1 if deadline.before else 1
    if deadline.unit == "calendar":
        return reference.astype(np.int64) + sign * deadline.days, True
    holidays = holiday_days(calendar.country, calendar.subdivision) if calendar else np.array([], dtype="datetime64[D]")
    start = reference.astype("datetime64[D]")
    moved = np.busday_offset(start, sign * deadline.days, roll="backward" if sign < 0 else "forward", holidays=holidays)
    return moved.astype(np.int64), True


def describe(deadline: Deadline, calendar: Holidays | None) -> str:
    if deadline.by is not None:
        text = f"by {deadline.by.isoformat()}"
    else:
        anchor = (deadline.before or deadline.after or "").replace("_", " ")
        direction = "before" if deadline.before else "after"
        if deadline.days is None:
            text = f"{direction} {anchor} (no lead time published)"
        else:
            unit = "business days" if deadline.unit == "business" else "calendar days"
            where = (
                f", skipping {calendar.country}{'-' + calendar.subdivision if calendar and calendar.subdivision else ''} public holidays"
                if deadline.unit == "business" and calendar
                else ""
            )
            text = f"{deadline.days} {unit} {direction} {anchor}{where}"
    return text + (f" — {deadline.note}" if deadline.note else "")
