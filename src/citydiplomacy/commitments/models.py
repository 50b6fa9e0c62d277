"""The commitment ledger's records: pledge -> targets -> measurements, and membership obligations.

Plain pydantic models (no database, no web). A *commitment* is something the city
promised (a pledge, a plan, a declaration); it can count toward several frameworks at
once (a network's pledge, SDG targets, a bilateral agreement) and holds *targets*
(an indicator going from a baseline to a target value by a target year, with interim
milestones). *Measurements* are the indicator's time series, entered separately as
data arrives. *Obligations* are what a network membership asks of the city (a climate
action plan, annual reporting, dues) with due dates.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from ..domain.base import LongText, Record, Ref, Text, slugify
from .sdg import check_sdg_codes

__all__ = [
    "Commitment",
    "CommitmentKind",
    "CommitmentStatus",
    "Direction",
    "Measurement",
    "Milestone",
    "Obligation",
    "Recurrence",
    "Target",
    "same_unit",
    "unit_key",
]

#: A target's key inside its commitment ("grid-renewable-share").
Key = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]
Unit = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]

YEAR_MIN, YEAR_MAX = 1900, 2100


class CommitmentKind(StrEnum):
    pledge = "pledge"  # a public promise, often through a network (Climate Mayors' Paris pledge)
    plan = "plan"  # an adopted plan with targets (a Green New Deal, a climate action plan)
    declaration = "declaration"  # a joint declaration or charter signed with others
    resolution = "resolution"  # a council resolution or executive directive


class CommitmentStatus(StrEnum):
    active = "active"
    achieved = "achieved"
    withdrawn = "withdrawn"
    superseded = "superseded"


class Direction(StrEnum):
    """Which way is progress: emissions go down, renewable shares go up."""

    decrease = "decrease"
    increase = "increase"


class Recurrence(StrEnum):
    once = "once"
    annual = "annual"


#: Spellings of the same unit; anything else must match exactly (ignoring case and spaces).
UNIT_ALIASES = {
    "percent": "%",
    "per cent": "%",
    "pct": "%",
    "percentage": "%",
    "tco2e": "tco2e",
    "t co2e": "tco2e",
    "mt co2e": "mtco2e",
    "million tco2e": "mtco2e",
}


def unit_key(unit: str) -> str:
    text = re.sub(r"\s+", " ", unit.strip().lower())
    return UNIT_ALIASES.get(text, text.replace(" ", ""))


def same_unit(a: str, b: str) -> bool:
    return unit_key(a) == unit_key(b)


class Milestone(BaseModel):
    """An interim value the target should have reached by the end of ``year``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    value: float
    note: str | None = Field(default=None, max_length=500)


class Target(BaseModel):
    """One indicator moving from a baseline to a target value by the end of the target year."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    key: Key = Field(description="Short key, unique in the commitment (e.g. 'grid-renewable-share').")
    indicator: Text = Field(description="What is measured, in words ('Share of electricity from renewable sources').")
    unit: Unit = Field(description="Unit of every value of this target ('%', 'MtCO2e', 'gallons per capita per day').")
    direction: Direction | None = Field(
        default=None, description="decrease or increase; derived from baseline and target when omitted."
    )
    baseline_year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    baseline_value: float
    target_year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    target_value: float
    milestones: list[Milestone] = Field(default_factory=list)
    indicator_code: str | None = Field(default=None, description="SDG indicator this target reports on, e.g. '7.2.1'.")
    sdgs: list[str] = Field(default_factory=list, description="SDG goal, target or indicator codes this target serves.")
    notes: LongText | None = None

    @field_validator("sdgs")
    @classmethod
    def _sdgs(cls, values: list[str]) -> list[str]:
        cleaned, problems = check_sdg_codes(values, "sdgs")
        if problems:
            raise ValueError("; ".join(p.message for p in problems))
        return cleaned

    @field_validator("indicator_code")
    @classmethod
    def _indicator_code(cls, value: str | None) -> str | None:
        if value is None:
            return None
        cleaned, problems = check_sdg_codes([value], "indicator_code")
        if problems or cleaned[0].count(".") != 2:
            raise ValueError(f"'{value}' is not an SDG indicator code (three parts, e.g. '11.6.1')")
        return cleaned[0]

    @model_validator(mode="after")
    def _span(self) -> Target:
        if self.target_year <= self.baseline_year:
            raise ValueError(f"target_year {self.target_year} must be after baseline_year {self.baseline_year}")
        derived = None
        if self.target_value < self.baseline_value:
            derived = Direction.decrease
        elif self.target_value > self.baseline_value:
            derived = Direction.increase
        if self.direction is None:
            if derived is None:
                raise ValueError(
                    "target_value equals baseline_value; say which way is progress with direction: decrease or increase"
                )
            self.direction = derived
        elif derived is not None and self.direction != derived:
            raise ValueError(
                f"direction '{self.direction}' contradicts baseline_value {self.baseline_value:g} -> "
                f"target_value {self.target_value:g}; fix the values or the direction"
            )
        years = [m.year for m in self.milestones]
        if len(years) != len(set(years)):
            raise ValueError("two milestones for the same year; keep one per year")
        for m in self.milestones:
            if not self.baseline_year < m.year < self.target_year:
                raise ValueError(
                    f"milestone year {m.year} is outside the target's span "
                    f"({self.baseline_year + 1} to {self.target_year - 1})"
                )
        self.milestones = sorted(self.milestones, key=lambda m: m.year)
        return self

    @property
    def target_end(self) -> date:
        return date(self.target_year, 12, 31)

    @property
    def baseline_end(self) -> date:
        return date(self.baseline_year, 12, 31)

    def meets(self, value: float) -> bool:
        """Whether ``value`` reaches the target (at or beyond it, in the direction of progress)."""
        tolerance = 1e-9 * max(1.0, abs(self.target_value), abs(self.baseline_value))
        if self.direction == Direction.decrease:
            return value <= self.target_value + tolerance
        return value >= self.target_value - tolerance


class Measurement(BaseModel):
    """One value of a target's indicator: what it was on a date, and where the figure comes from.

    Annual figures may be given as ``year: 2022`` (stored as 31 December 2022)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    on: date = Field(description="The date the value describes; for an annual figure, 31 December of the year.")
    value: float
    unit: Unit | None = Field(default=None, description="Unit of the value; must be the target's unit when given.")
    source: Text = Field(description="Where the figure comes from (report, dataset, office).")
    illustrative: bool = Field(
        default=False, description="True for made-up demonstration values: shown labelled as such."
    )
    note: str | None = Field(default=None, max_length=1000)

    @model_validator(mode="before")
    @classmethod
    def _year(cls, data):
        if isinstance(data, dict) and "year" in data:
            data = dict(data)
            year = data.pop("year")
            if data.get("on") is not None:
                raise ValueError("give either 'on' (a date) or 'year', not both")
            try:
                year = int(year)
            except (TypeError, ValueError):
                raise ValueError(f"year must be a whole number such as 2022, not {year!r}") from None
            if not YEAR_MIN <= year <= YEAR_MAX:
                raise ValueError(f"year {year} is out of range ({YEAR_MIN} to {YEAR_MAX})")
            data["on"] = date(year, 12, 31)
        return data


class Commitment(Record):
    """Something the city promised: to whom (networks, agreements), in which frameworks (SDGs), with targets."""

    kind_name: ClassVar[str] = "commitment"
    plural: ClassVar[str] = "commitments"

    title: Text
    kind: CommitmentKind = CommitmentKind.pledge
    status: CommitmentStatus = CommitmentStatus.active
    made_on: date | None = Field(default=None, description="When the commitment was made (announced or signed).")
    made_by: str | None = Field(
        default=None, max_length=300, description="Who made it for the city ('Mayor Eric Garcetti')."
    )
    description: LongText | None = None
    frameworks: list[Text] = Field(
        default_factory=list,
        description="Other frameworks it counts toward, in words ('Paris Agreement', 'LA Green New Deal').",
    )
    networks: list[Ref] = Field(default_factory=list, description="Refs of networks whose pledge this is (e.g. 'c40').")
    agreements: list[Ref] = Field(
        default_factory=list, description="Refs of agreements that serve or embody it (an MOU)."
    )
    engagement: Ref | None = Field(default=None, description="Ref of the engagement where it was made.")
    practices: list[Ref] = Field(
        default_factory=list, description="Slugs of practices that serve it (free text refs for now)."
    )
    sdgs: list[str] = Field(default_factory=list, description="SDG goal, target or indicator codes it serves.")
    targets: list[Target] = Field(default_factory=list)

    @field_validator("sdgs")
    @classmethod
    def _sdgs(cls, values: list[str]) -> list[str]:
        cleaned, problems = check_sdg_codes(values, "sdgs")
        if problems:
            raise ValueError("; ".join(p.message for p in problems))
        return cleaned

    @field_validator("networks", "agreements", "practices", "frameworks")
    @classmethod
    def _unique(cls, values: list[str]) -> list[str]:
        out: list[str] = []
        for value in values:
            if value not in out:
                out.append(value)
        return out

    @model_validator(mode="after")
    def _targets(self) -> Commitment:
        seen_keys: set[str] = set()
        seen_series: dict[tuple, str] = {}
        for position, target in enumerate(self.targets):
            if target.key in seen_keys:
                raise ValueError(f"targets[{position}].key '{target.key}' is used twice; each target needs its own key")
            seen_keys.add(target.key)
            series = (target.indicator.strip().lower(), target.target_year)
            if series in seen_series:
                raise ValueError(
                    f"targets[{position}] repeats the series of target '{seen_series[series]}' "
                    f"(same indicator and target year); merge them or change one"
                )
            seen_series[series] = target.key
        return self

    def target(self, key: str) -> Target | None:
        return next((t for t in self.targets if t.key == key), None)

    def all_sdg_codes(self) -> list[str]:
        codes = list(self.sdgs)
        for target in self.targets:
            for code in [*target.sdgs, *([target.indicator_code] if target.indicator_code else [])]:
                if code not in codes:
                    codes.append(code)
        return codes

    def default_ref(self) -> str:
        prefix = f"{self.made_on.year}-" if self.made_on else ""
        return f"{prefix}{slugify(self.title, 60)}"

    def references(self) -> dict[str, list[str]]:
        refs: dict[str, list[str]] = {}
        if self.networks:
            refs["networks"] = list(self.networks)
        if self.agreements:
            refs["agreements"] = list(self.agreements)
        if self.engagement:
            refs["engagements"] = [self.engagement]
        return refs


class Obligation(Record):
    """Something a network membership asks of the city, due on a date (annual ones roll forward when done)."""

    kind_name: ClassVar[str] = "obligation"
    plural: ClassVar[str] = "obligations"

    membership: Ref = Field(description="Ref of the membership that brings the obligation (e.g. 'c40/us').")
    kind: Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[a-z][a-z0-9_]{0,39}$")] = (
        Field(description="climate_action_plan, annual_reporting, dues, communique_contribution, …")
    )
    title: Text
    due_on: date = Field(description="Next due date.")
    recurrence: Recurrence = Recurrence.once
    done: bool = False
    last_done_on: date | None = None
    due_is_assumed: bool = Field(
        default=False, description="True when the date is a placeholder to confirm with the network."
    )

    @model_validator(mode="after")
    def _done(self) -> Obligation:
        if self.done and self.recurrence == Recurrence.annual:
            raise ValueError("an annual obligation is never done for good; record last_done_on and move due_on forward")
        return self

    def default_ref(self) -> str:
        return f"{self.membership}/{self.kind.replace('_', '-')}"

    def references(self) -> dict[str, list[str]]:
        return {"memberships": [self.membership]}
