"""Dates: the single rule for "active on a date", and time-zone checks."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


def active_on(start: date | None, end: date | None, on: date) -> bool:
    """True if a dated span (post, membership, agreement) covers ``on``.

    Open ends are unbounded; both ends are inclusive. This is the only place the rule
    is written: posts, memberships and agreements all call it.

    >>> active_on(date(2019, 1, 1), None, date(2020, 5, 1))
    True
    >>> active_on(date(2019, 1, 1), date(2019, 12, 31), date(2020, 5, 1))
    False
    """
    if start is not None and on < start:
        return False
    return not (end is not None and on > end)


def check_timezone(name: str) -> str:
    """Return ``name`` if it is an IANA time zone, else raise ValueError naming it."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, IsADirectoryError):
        raise ValueError(f"'{name}' is not an IANA time zone (for example 'America/Los_Angeles')") from None
    return name


def localise(moment: datetime, tz_name: str) -> datetime:
    """Attach ``tz_name`` to a naive datetime; convert an aware one to it."""
    zone = ZoneInfo(tz_name)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def timezone_names() -> list[str]:
    return sorted(available_timezones())


# -- partly known dates ----------------------------------------------------------------------
#
# Historical and planned records often know only a month ("Jan 2027") or a year ("1959"). The
# record keeps a full date (the first day of the month or year, at midnight for a moment) and a
# precision; every interface shows and exchanges only the part that is known: "2027-01", "1959".

_PARTIAL = re.compile(r"^\s*(\d{4})(?:-(\d{2}))?\s*$")


def read_partial(value: object) -> tuple[str, str] | None:
    """``("2027-01-01", "month")`` for ``"2027-01"``, ``("1959-01-01", "year")`` for ``"1959"``;
    None when the value is not a partial date."""
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        value = str(value)
    if not isinstance(value, str):
        return None
    match = _PARTIAL.match(value)
    if match is None:
        return None
    year, month = match.groups()
    if month is not None and not 1 <= int(month) <= 12:
        return None
    return f"{year}-{month or '01'}-01", "month" if month else "year"


def truncate_day(day: date, precision: str) -> date:
    """The first day of the known month or year."""
    if precision == "year":
        return day.replace(month=1, day=1)
    if precision == "month":
        return day.replace(day=1)
    return day


def truncate_moment(moment: datetime, precision: str) -> datetime:
    """Midnight of the first day of the known month or year (in the moment's own zone)."""
    if precision in ("month", "year"):
        day = truncate_day(moment.date(), precision)
        return moment.replace(year=day.year, month=day.month, day=day.day, hour=0, minute=0, second=0, microsecond=0)
    return moment


def partial_text(value: date | datetime | None, precision: str) -> str | None:
    """What is known of a date, ISO style: '1959', '2027-01', '2018-04-10', or the full moment."""
    if value is None:
        return None
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def apply_partial(data: dict, fields: tuple[str, ...], *, moment: bool) -> dict:
    """Read partial dates in ``fields`` of raw input: '2027-01' becomes the first of the month
    and sets ``date_precision`` to 'month' (unless it says otherwise, which is an error)."""
    found = {}
    for name in fields:
        partial = read_partial(data.get(name))
        if partial is not None:
            found[name] = partial
    if not found:
        return data
    data = dict(data)
    precisions = {precision for _day, precision in found.values()}
    given = data.get("date_precision")
    given = getattr(given, "value", given)
    if len(precisions) > 1:
        raise ValueError(f"{' and '.join(found)} give different precisions (a month and a year)")
    implied = precisions.pop()
    if given in (None, ""):
        data["date_precision"] = implied
    elif given != implied:
        name = next(iter(found))
        raise ValueError(f"{name} '{data[name]}' gives only a {implied}, but date_precision is '{given}'")
    for name, (day, _precision) in found.items():
        data[name] = f"{day}T00:00:00" if moment else day
    return data
