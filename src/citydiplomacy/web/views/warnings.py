"""Expiry warnings for agreements, worded once for lists, pages and the dashboard."""

from __future__ import annotations

from datetime import date

from ...domain import Agreement
from ...domain.agreements import expiry_warning
from .common import format_day

__all__ = ["expiry_text", "expiry_warning_of"]


def expiry_warning_of(agreement: Agreement, today: date) -> str | None:
    """'expired', 'expiring' or None."""
    return expiry_warning(agreement.expires_on, agreement.status, today)


def expiry_text(agreement: Agreement, today: date) -> str:
    """'Expired on 3 Jan 2026 (20 days ago)', 'Expires on 1 Mar 2026 (in 40 days)', or ''."""
    warning = expiry_warning_of(agreement, today)
    if warning is None:
        return ""
    days = (agreement.expires_on - today).days
    when = format_day(agreement.expires_on)
    if warning == "expired":
        return f"Expired on {when} ({-days} day{'s' if -days != 1 else ''} ago)"
    if days == 0:
        return f"Expires today ({when})"
    return f"Expires on {when} (in {days} day{'s' if days != 1 else ''})"
