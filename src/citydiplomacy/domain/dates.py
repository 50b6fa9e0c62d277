"""Dates: the single rule for "active on a date", and time-zone checks."""

from __future__ import annotations

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
