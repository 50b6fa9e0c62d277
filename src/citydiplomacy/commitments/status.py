"""Is a target on track? The status method, stated once and returned with every status.

Method (see docs/commitments.md, "How status is computed"):

1. Points: the baseline (31 December of the baseline year) and every measurement dated
   up to the as-of date and not after 31 December of the target year.
2. If the latest of those measurements already meets the target, or it is the
   target year's own measurement, compare it with the target directly: on track
   when it meets the target, off track when the target year was measured and missed.
3. Otherwise fit an ordinary least-squares straight line through the points and
   project it to 31 December of the target year. The *share of the required change*
   is (projection - baseline) / (target - baseline).
   On track: the projection reaches the target (share >= 100%).
   At risk: share >= 80%, or the projection reaches the target but a milestone whose
   year has passed was measured and missed.
   Off track: share < 80%, including trends that move the wrong way.
4. No data: no measurement after the baseline, so there is no trend.

Why a linear least-squares trend: it uses every measurement, so one unusual year
(a pandemic dip in emissions) does not decide the status alone; with a single
measurement it reduces to the straight line from the baseline to that measurement;
and unlike a compound growth rate it can reach the "zero" targets that many city
pledges set. Its limits: old and recent points weigh the same, so a recent
acceleration shows up slowly, and S-shaped adoption curves are projected as lines.
"""

from __future__ import annotations

import calendar
from datetime import date
from enum import StrEnum

import numpy as np
from pydantic import BaseModel, Field

from .models import Measurement, Target

__all__ = [
    "AT_RISK_SHARE",
    "METHOD",
    "MilestoneCheck",
    "Status",
    "TargetStatus",
    "assess",
    "format_value",
    "year_fraction",
]

#: Below this share of the required change the target is off track; at or above, at risk.
AT_RISK_SHARE = 0.8

METHOD = (
    "Least-squares linear trend through the baseline and every measurement up to the target year, "
    "projected to 31 December of the target year. On track: the projection reaches the target, or the "
    "latest measurement already meets it. At risk: the projection covers at least 80% of the change "
    "required from the baseline, or it reaches the target but a past milestone was missed. Off track: "
    "less than 80%, or the trend moves the wrong way; a measured target year that missed is off track. "
    "No data: no measurement after the baseline. Measurements after the target year do not count toward it."
)


class Status(StrEnum):
    on_track = "on_track"
    at_risk = "at_risk"
    off_track = "off_track"
    no_data = "no_data"


LABELS = {
    Status.on_track: "On track",
    Status.at_risk: "At risk",
    Status.off_track: "Off track",
    Status.no_data: "No data",
}


class MilestoneCheck(BaseModel):
    year: int
    value: float
    result: str = Field(description="met, missed, upcoming, or no_data (no measurement in that year).")
    measured: float | None = None


class TargetStatus(BaseModel):
    """A target's status with the method and the numbers behind it, ready to show beside the status."""

    status: Status
    label: str
    method: str = Field(description="The general method, the same for every target.")
    explanation: str = Field(description="This target's numbers, in one or two sentences.")
    as_of: date
    projected_value: float | None = None
    slope_per_year: float | None = None
    share_of_required_change: float | None = Field(default=None, description="1.0 = the projection reaches the target.")
    latest_on: date | None = None
    latest_value: float | None = None
    points_used: int = 0
    ignored_after_target_year: int = 0
    milestones: list[MilestoneCheck] = Field(default_factory=list)
    uses_illustrative_data: bool = False


def year_fraction(day: date) -> float:
    """Decimal year: 1 January 2020 -> 2020.0; 31 December 2020 -> 2020.997."""
    days = 366 if calendar.isleap(day.year) else 365
    return day.year + (day.timetuple().tm_yday - 1) / days


def format_value(value: float) -> str:
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:,.1f}".rstrip("0").rstrip(".")
    if magnitude >= 1:
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:.3g}"


def _check_milestones(target: Target, points: list[Measurement], as_of: date) -> list[MilestoneCheck]:
    checks = []
    for milestone in target.milestones:
        end = date(milestone.year, 12, 31)
        in_year = [m for m in points if m.on.year == milestone.year]
        if end > as_of and not in_year:
            checks.append(MilestoneCheck(year=milestone.year, value=milestone.value, result="upcoming"))
        elif not in_year:
            checks.append(MilestoneCheck(year=milestone.year, value=milestone.value, result="no_data"))
        else:
            measured = in_year[-1].value
            better = measured <= milestone.value if target.direction == "decrease" else measured >= milestone.value
            if end > as_of and not better:
                # The year is not over: a miss so far is not a miss yet.
                checks.append(
                    MilestoneCheck(year=milestone.year, value=milestone.value, result="upcoming", measured=measured)
                )
            else:
                checks.append(
                    MilestoneCheck(
                        year=milestone.year,
                        value=milestone.value,
                        result="met" if better else "missed",
                        measured=measured,
                    )
                )
    return checks


def _result(target: Target, status: Status, explanation: str, as_of: date, **extra) -> TargetStatus:
    return TargetStatus(
        status=status, label=LABELS[status], method=METHOD, explanation=explanation, as_of=as_of, **extra
    )


def assess(target: Target, measurements: list[Measurement], as_of: date) -> TargetStatus:
    """The status of ``target`` as of ``as_of`` from its measurements (any order)."""
    unit = target.unit
    known = sorted((m for m in measurements if m.on <= as_of), key=lambda m: m.on)
    after = [m for m in known if m.on > target.target_end]
    points = [m for m in known if target.baseline_year <= m.on.year and m.on <= target.target_end]
    # A measurement dated in the baseline year describes the baseline period: it counts as a point
    # (it may refine the baseline) but not as progress after it.
    progress = [m for m in points if m.on.year > target.baseline_year]
    illustrative = any(m.illustrative for m in points)
    milestones = _check_milestones(target, points, as_of)
    after_note = (
        f" {len(after)} measurement(s) after {target.target_year} are shown but do not count toward this target."
        if after
        else ""
    )
    common = {"ignored_after_target_year": len(after), "milestones": milestones, "uses_illustrative_data": illustrative}
    goal = f"the {target.target_year} target of {format_value(target.target_value)} {unit}"

    if not progress:
        why = (
            f"No measurement after the baseline year {target.baseline_year}, so there is no trend yet; "
            f"add a measurement to get a status."
        )
        if points:
            why = (
                f"Only measurements from the baseline year {target.baseline_year}: a trend needs a point in time "
                f"after the baseline; add a later measurement."
            )
        return _result(target, Status.no_data, why + after_note, as_of, points_used=len(points), **common)

    latest = points[-1]
    latest_text = f"{latest.on.year}: {format_value(latest.value)} {unit}"
    base = dict(latest_on=latest.on, latest_value=latest.value, **common)

    if target.meets(latest.value):
        return _result(
            target,
            Status.on_track,
            f"The latest measurement ({latest_text}) already meets {goal}." + after_note,
            as_of,
            projected_value=latest.value,
            share_of_required_change=_share(target, latest.value),
            points_used=len(points) + 1,
            **base,
        )
    if latest.on.year == target.target_year:
        return _result(
            target,
            Status.off_track,
            f"The target year was measured ({latest_text}) and missed {goal}." + after_note,
            as_of,
            projected_value=latest.value,
            share_of_required_change=_share(target, latest.value),
            points_used=len(points) + 1,
            **base,
        )

    xs = np.array([year_fraction(target.baseline_end)] + [year_fraction(m.on) for m in points])
    ys = np.array([target.baseline_value] + [m.value for m in points])
    slope, intercept = np.polyfit(xs, ys, 1)
    projected = float(slope * year_fraction(target.target_end) + intercept)
    share = _share(target, projected)
    span = f"{points[0].on.year}" if points[0].on.year == latest.on.year else f"{points[0].on.year}-{latest.on.year}"
    trend = (
        f"The trend of {'+' if slope >= 0 else '-'}{format_value(abs(float(slope)))} {unit} a year through the baseline "
        f"({target.baseline_year}: {format_value(target.baseline_value)} {unit}) and {len(points)} measurement(s) ({span}) "
        f"projects {format_value(projected)} {unit} at the end of {target.target_year}, against {goal}"
    )
    numbers = dict(
        projected_value=projected,
        slope_per_year=float(slope),
        share_of_required_change=share,
        points_used=len(points) + 1,
        **base,
    )
    if share is None:  # a "hold the line" target (target equals baseline)
        status = Status.on_track if target.meets(projected) else Status.off_track
        return _result(target, status, trend + "." + after_note, as_of, **numbers)
    share_text = f": {share:.0%} of the required change"
    if share >= 1 - 1e-6:  # a projection exactly on the target, give or take floating point and leap days
        missed = [m for m in milestones if m.result == "missed"]
        if missed:
            years = ", ".join(str(m.year) for m in missed)
            return _result(
                target,
                Status.at_risk,
                trend + share_text + f", but the {years} milestone was missed." + after_note,
                as_of,
                **numbers,
            )
        return _result(target, Status.on_track, trend + share_text + "." + after_note, as_of, **numbers)
    if share >= AT_RISK_SHARE:
        return _result(target, Status.at_risk, trend + share_text + "." + after_note, as_of, **numbers)
    wrong_way = share < 0
    suffix = "; the trend moves away from the target." if wrong_way else "."
    return _result(target, Status.off_track, trend + share_text + suffix + after_note, as_of, **numbers)


def _share(target: Target, value: float) -> float | None:
    required = target.target_value - target.baseline_value
    if required == 0:
        return None
    return (value - target.baseline_value) / required
