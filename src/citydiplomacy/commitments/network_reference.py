"""The reference list of city networks, with a citation for every fact.

Read from ``data/networks.yaml``. Used to seed a workspace's Network records and to
create the obligations a membership brings, with due dates computed from the
membership's start date (one-off obligations) or the calendar (annual ones).
"""

from __future__ import annotations

import calendar
from datetime import date
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from .models import Recurrence

__all__ = [
    "CitedFact",
    "NetworkReference",
    "ObligationTemplate",
    "ReferenceList",
    "add_months",
    "next_annual_due",
    "reference_list",
    "reference_network",
]


class CitedFact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: int | str
    source: str = Field(description="The kind of public source the fact comes from.")
    confidence: str = Field(pattern="^(high|medium)$")


class ObligationTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str
    title: str
    recurrence: Recurrence
    due: str | None = Field(default=None, pattern=r"^\d\d-\d\d$", description="MM-DD, for annual obligations.")
    months_after_joining: int | None = Field(default=None, ge=0, le=120, description="For one-off obligations.")
    due_is_assumed: bool = False
    source: str
    confidence: str = Field(pattern="^(high|medium)$")

    @model_validator(mode="after")
    def _due(self) -> ObligationTemplate:
        if self.recurrence == Recurrence.annual and not self.due:
            raise ValueError(f"annual obligation '{self.kind}' needs due: MM-DD")
        if self.recurrence == Recurrence.once and self.months_after_joining is None:
            raise ValueError(f"one-off obligation '{self.kind}' needs months_after_joining")
        return self

    def due_on(self, joined: date | None, as_of: date) -> date:
        """The next due date: for annual obligations the next MM-DD on or after ``as_of``;
        for one-off ones, ``months_after_joining`` after the membership started (or ``as_of``)."""
        if self.recurrence == Recurrence.annual:
            month, day = (int(x) for x in self.due.split("-"))
            return next_annual_due(month, day, as_of)
        return add_months(joined or as_of, self.months_after_joining or 0)


class NetworkReference(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ref: str
    name: str
    acronym: str | None = None
    website: str | None = None
    founded_year: CitedFact
    secretariat: CitedFact | None = None
    requirements: list[CitedFact] = Field(default_factory=list)
    obligations: list[ObligationTemplate] = Field(default_factory=list)

    def network_record(self) -> dict:
        """The fields of a registry Network record, with the provenance in source and notes."""
        sources = [f"founded {self.founded_year.value}: {self.founded_year.source}"]
        notes = []
        if self.secretariat:
            notes.append(f"Secretariat: {self.secretariat.value} ({self.secretariat.source}).")
        for requirement in self.requirements:
            notes.append(
                f"Membership: {requirement.value} ({requirement.source}; confidence {requirement.confidence})."
            )
        record = {
            "ref": self.ref,
            "name": self.name,
            "founded_year": int(self.founded_year.value),
            "source": "Reference list of city networks (citydiplomacy); " + "; ".join(sources),
            "notes": "\n".join(notes) or None,
            "confidentiality": "public",
        }
        if self.acronym:
            record["acronym"] = self.acronym
        if self.website:
            record["website"] = self.website
        return record


class ReferenceList(BaseModel):
    as_of: date
    provenance: str
    networks: list[NetworkReference]


@lru_cache(maxsize=1)
def reference_list() -> ReferenceList:
    text = resources.files("citydiplomacy.commitments").joinpath("data/networks.yaml").read_text(encoding="utf-8")
    return ReferenceList.model_validate(yaml.safe_load(text))


def reference_network(ref: str) -> NetworkReference | None:
    return next((n for n in reference_list().networks if n.ref == ref), None)


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, clamped to the end of a shorter month (31 Jan + 1 -> 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_annual_due(month: int, day: int, as_of: date) -> date:
    for year in (as_of.year, as_of.year + 1):
        candidate = date(year, month, min(day, calendar.monthrange(year, month)[1]))
        if candidate >= as_of:
            return candidate
    raise AssertionError("unreachable: next year's date is always after as_of")
