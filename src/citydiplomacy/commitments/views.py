"""Plain models carrying everything a page, an API response or a report needs.

Services return these; web pages, JSON twins, the CLI and the VLR report render them
without further queries. Chart series are ready to plot (dates and values).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from pydantic import BaseModel, Field

from .models import Measurement, Milestone, Target
from .sdg import describe, is_sdg_code
from .status import Status, TargetStatus, assess, year_fraction

__all__ = [
    "ChartPoint",
    "ChartSeries",
    "CommitmentSummary",
    "CommitmentView",
    "LinkView",
    "MeasurementView",
    "ObligationView",
    "SdgDashboard",
    "SdgGoalSummary",
    "SdgLabel",
    "TargetView",
    "sdg_labels",
    "status_counts",
    "target_view",
    "worst_status",
]

#: Order from worst to best, for "worst status" summaries.
SEVERITY = [Status.off_track, Status.at_risk, Status.no_data, Status.on_track]


class SdgLabel(BaseModel):
    code: str
    label: str


def sdg_labels(codes: list[str]) -> list[SdgLabel]:
    return [SdgLabel(code=c, label=describe(c)) for c in codes if is_sdg_code(c)]


class LinkView(BaseModel):
    """A link to a registry record; ``found`` is false when the record was deleted since."""

    ref: str
    label: str
    found: bool = True


class ChartPoint(BaseModel):
    on: date
    value: float
    illustrative: bool = False


class ChartSeries(BaseModel):
    """A target's chart: measured points, baseline, target, milestones and the trend line."""

    unit: str
    indicator: str
    measured: list[ChartPoint] = Field(default_factory=list)
    baseline: ChartPoint
    target: ChartPoint
    milestones: list[ChartPoint] = Field(default_factory=list)
    trend: list[ChartPoint] = Field(
        default_factory=list, description="Two points: the fitted line at the baseline and at the target year."
    )
    illustrative: bool = False


class MeasurementView(BaseModel):
    on: date
    year: int
    value: float
    unit: str
    source: str
    illustrative: bool
    note: str | None = None
    counts: bool = Field(description="False for measurements after the target year (shown, not used).")


class TargetView(BaseModel):
    key: str
    indicator: str
    unit: str
    direction: str
    baseline_year: int
    baseline_value: float
    target_year: int
    target_value: float
    milestones: list[Milestone]
    indicator_code: str | None = None
    sdgs: list[SdgLabel] = Field(default_factory=list)
    notes: str | None = None
    status: TargetStatus
    measurements: list[MeasurementView] = Field(default_factory=list)
    series: ChartSeries


class CommitmentView(BaseModel):
    ref: str
    title: str
    kind: str
    status: str
    made_on: date | None = None
    made_by: str | None = None
    description: str | None = None
    frameworks: list[str] = Field(default_factory=list)
    networks: list[LinkView] = Field(default_factory=list)
    agreements: list[LinkView] = Field(default_factory=list)
    engagement: LinkView | None = None
    practices: list[str] = Field(default_factory=list)
    sdgs: list[SdgLabel] = Field(default_factory=list)
    targets: list[TargetView] = Field(default_factory=list)
    status_counts: dict[str, int] = Field(default_factory=dict)
    worst_status: Status | None = None
    uses_illustrative_data: bool = False
    confidentiality: str
    source: str | None = None
    notes: str | None = None
    as_of: date


class CommitmentSummary(BaseModel):
    ref: str
    title: str
    kind: str
    status: str
    made_on: date | None = None
    networks: list[str] = Field(default_factory=list)
    sdgs: list[str] = Field(default_factory=list)
    target_count: int
    status_counts: dict[str, int] = Field(default_factory=dict)
    worst_status: Status | None = None
    uses_illustrative_data: bool = False


class ObligationView(BaseModel):
    ref: str
    membership: str
    network: str | None = None
    network_name: str | None = None
    kind: str
    title: str
    due_on: date
    days_until_due: int
    overdue: bool
    recurrence: str
    done: bool
    last_done_on: date | None = None
    due_is_assumed: bool
    source: str | None = None
    notes: str | None = None


class SdgGoalSummary(BaseModel):
    number: int
    name: str
    title: str
    codes_used: list[SdgLabel] = Field(
        default_factory=list, description="Targets and indicators of this goal our records use."
    )
    commitments: list[LinkView] = Field(default_factory=list)
    target_status_counts: dict[str, int] = Field(default_factory=dict)
    engagements: int = 0
    agreements: int = 0
    practices: list[str] = Field(default_factory=list)


class SdgDashboard(BaseModel):
    as_of: date
    goals: list[SdgGoalSummary]
    provenance: str


def status_counts(statuses: list[Status]) -> dict[str, int]:
    counts = Counter(str(s) for s in statuses)
    return {str(s): counts.get(str(s), 0) for s in Status}


def worst_status(statuses: list[Status]) -> Status | None:
    for status in SEVERITY:
        if status in statuses:
            return status
    return None


def target_view(target: Target, measurements: list[Measurement], as_of: date) -> TargetView:
    status = assess(target, measurements, as_of)
    ordered = sorted(measurements, key=lambda m: m.on)
    shown = [m for m in ordered if m.on <= as_of]
    baseline = ChartPoint(on=target.baseline_end, value=target.baseline_value)
    goal = ChartPoint(on=target.target_end, value=target.target_value)
    trend: list[ChartPoint] = []
    if status.slope_per_year is not None and status.projected_value is not None:
        span = year_fraction(target.target_end) - year_fraction(target.baseline_end)
        trend = [
            ChartPoint(on=target.baseline_end, value=status.projected_value - status.slope_per_year * span),
            ChartPoint(on=target.target_end, value=status.projected_value),
        ]
    series = ChartSeries(
        unit=target.unit,
        indicator=target.indicator,
        measured=[ChartPoint(on=m.on, value=m.value, illustrative=m.illustrative) for m in shown],
        baseline=baseline,
        target=goal,
        milestones=[ChartPoint(on=date(m.year, 12, 31), value=m.value) for m in target.milestones],
        trend=trend,
        illustrative=any(m.illustrative for m in shown),
    )
    return TargetView(
        key=target.key,
        indicator=target.indicator,
        unit=target.unit,
        direction=str(target.direction),
        baseline_year=target.baseline_year,
        baseline_value=target.baseline_value,
        target_year=target.target_year,
        target_value=target.target_value,
        milestones=target.milestones,
        indicator_code=target.indicator_code,
        sdgs=sdg_labels(target.sdgs),
        notes=target.notes,
        status=status,
        measurements=[
            MeasurementView(
                on=m.on,
                year=m.on.year,
                value=m.value,
                unit=m.unit or target.unit,
                source=m.source,
                illustrative=m.illustrative,
                note=m.note,
                counts=m.on <= target.target_end,
            )
            for m in shown
        ],
        series=series,
    )
