"""A record's history as a timeline: engagements, agreements and posts, newest first.

Shared by the partner, person, place and country pages; the same entries go to the HTML
page and its JSON twin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ...domain import Agreement, Engagement, Post
from .common import Cell, format_day, format_moment, labelled, record_path
from .warnings import expiry_text

__all__ = ["FollowUpRow", "TimelineEntry", "open_follow_ups", "timeline"]


@dataclass
class TimelineEntry:
    on: date | None = field(metadata={"help": "Day it happened (local day for engagements); none if unknown."})
    when: str = field(metadata={"help": "The date as shown, with the time zone for engagements."})
    what: str = field(metadata={"help": "Engagement kind, 'Agreement signed', 'Post began'…"})
    title: Cell
    detail: str = ""
    warning: str = field(default="", metadata={"help": "Expiry warning of an agreement, if any."})


@dataclass
class FollowUpRow:
    description: str
    owner: str
    due: str
    overdue: bool
    engagement: Cell


def _engagement_entry(ws: str, e: Engagement) -> TimelineEntry:
    return TimelineEntry(
        e.on,
        format_moment(e.start, e.timezone, e.date_precision),
        labelled(e.kind),
        Cell(e.title, record_path(ws, "engagements", e.ref)),
        labelled(e.status),
    )


def _agreement_entry(ws: str, a: Agreement, today: date) -> TimelineEntry:
    on = a.signed_on or a.effective_on
    what = "Agreement signed" if a.signed_on else ("Agreement in effect" if a.effective_on else "Agreement (undated)")
    return TimelineEntry(
        on,
        format_day(on, a.date_precision) if on else "Date unknown",
        what,
        Cell(a.title, record_path(ws, "agreements", a.ref)),
        f"{labelled(a.kind)} · {labelled(a.status)}",
        expiry_text(a, today),
    )


def _post_entries(ws: str, post: Post, names: dict[str, str]) -> list[TimelineEntry]:
    where = names.get(post.partner or "", post.partner or "our government")
    out = []
    if post.start_date:
        out.append(
            TimelineEntry(post.start_date, format_day(post.start_date), "Post began", Cell(post.title), f"at {where}")
        )
    if post.end_date:
        out.append(
            TimelineEntry(post.end_date, format_day(post.end_date), "Post ended", Cell(post.title), f"at {where}")
        )
    return out


def timeline(
    ws: str, today: date, *, engagements=(), agreements=(), posts=(), names: dict[str, str] | None = None
) -> list[TimelineEntry]:
    """Every dated event, newest first; undated ones last."""
    entries = [_engagement_entry(ws, e) for e in engagements]
    entries += [_agreement_entry(ws, a, today) for a in agreements]
    for post in posts:
        entries += _post_entries(ws, post, names or {})
    dated = sorted((e for e in entries if e.on), key=lambda e: e.on, reverse=True)
    return dated + [e for e in entries if not e.on]


def open_follow_ups(ws: str, engagements, today: date) -> list[FollowUpRow]:
    """Follow-ups not yet done, of these engagements; those with the earliest due date first."""
    rows = []
    for e in engagements:
        for f in e.follow_ups:
            if f.done:
                continue
            rows.append(
                (
                    f.due_on or date.max,
                    FollowUpRow(
                        f.description,
                        f.owner or "",
                        format_day(f.due_on) if f.due_on else "No due date",
                        bool(f.due_on and f.due_on < today),
                        Cell(e.title, record_path(ws, "engagements", e.ref)),
                    ),
                )
            )
    rows.sort(key=lambda item: item[0])
    return [row for _, row in rows]
