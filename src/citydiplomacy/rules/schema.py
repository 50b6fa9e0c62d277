"""The rule language: what a rule pack file may contain (pydantic models, unknown fields refused).

A pack is one YAML file: its id and version, the jurisdiction it covers, dated
parameters (reference lists, thresholds), undefined terms, and rules. Conditions
(``when``) are checked separately by :mod:`.conditions`, against the fact vocabulary.
Test cases live in a sibling ``*.cases.yaml`` file (see :class:`CaseFile`).
"""

from __future__ import annotations

import re
from datetime import date as Date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ID = r"^[a-z0-9][a-z0-9._-]{1,119}$"
FACT_ID = re.compile(r"^F\d+\.\d+$")

DutyBearer = Literal["our_government", "named_official", "counterpart", "third_party"]
ObligationKind = Literal["notify", "obtain_approval", "disclose", "must_not", "must_terminate", "review_by_counsel"]
RecordKind = Literal["engagement", "agreement", "gift"]
Verdict = Literal["applies", "does_not_apply", "unclear", "not_in_force"]
#: What a case may expect: a verdict, or "not_covered" (the workspace is outside the pack's jurisdiction).
CaseVerdict = Literal["applies", "does_not_apply", "unclear", "not_in_force", "not_covered"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Citation(Strict):
    """Where a rule or a value comes from. ``facts`` are ids in the source facts file (F1.6…)."""

    document: str = Field(min_length=1)
    section: str | None = None
    url: str | None = None
    date: Date | None = None
    facts: list[str] = Field(default_factory=list)
    note: str | None = None

    @field_validator("facts")
    @classmethod
    def _facts(cls, values: list[str]) -> list[str]:
        for value in values:
            if not FACT_ID.match(value):
                raise ValueError(f"'{value}' is not a fact id (write it as in the facts file, e.g. F1.6)")
        return values


class Confidence(Strict):
    level: Literal["high", "medium", "low"]
    reason: str = Field(min_length=1)


class ParameterValue(Strict):
    """One dated value. ``unknown: true`` means no source settles it: rules using it answer *unclear*."""

    value: Any = None
    unknown: bool = False
    expected: bool = False
    note: str | None = None
    citations: list[Citation] = Field(default_factory=list)

    @model_validator(mode="after")
    def _value(self) -> ParameterValue:
        if self.unknown and self.value is not None:
            raise ValueError("a value marked 'unknown: true' has no 'value'")
        return self


class Parameter(Strict):
    """A dated parameter (OpenFisca style): values keyed by the date they start to apply."""

    id: str = Field(pattern=ID)
    description: str
    type: Literal["countries", "strings", "money_usd", "number"]
    values: dict[Date, ParameterValue]
    citations: list[Citation] = Field(default_factory=list)

    @field_validator("values")
    @classmethod
    def _not_empty(cls, values: dict) -> dict:
        if not values:
            raise ValueError("a parameter needs at least one dated value")
        return dict(sorted(values.items()))

    @model_validator(mode="after")
    def _types(self) -> Parameter:
        for day, item in self.values.items():
            if item.unknown or item.value is None:
                continue
            if self.type in ("countries", "strings"):
                if not isinstance(item.value, list) or not all(isinstance(v, str) for v in item.value):
                    raise ValueError(f"value of {day} must be a list of strings")
                if self.type == "countries" and not all(re.fullmatch(r"[A-Z]{2}", v) for v in item.value):
                    raise ValueError(f"value of {day} must list ISO 3166-1 alpha-2 codes in capitals, e.g. [CN, RU]")
            elif not isinstance(item.value, (int, float)) or isinstance(item.value, bool):
                raise ValueError(f"value of {day} must be a number")
        return self


class Scope(Strict):
    """Where a pack applies: the workspace must match every field given."""

    country: str = Field(pattern=r"^[A-Z]{2}$")
    subdivision: str | None = Field(default=None, pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
    kinds: list[Literal["city", "county", "state"]] | None = None
    geonames_id: int | None = None

    def binds(self, kind: str, country: str, subdivision: str | None, geonames_id: int | None) -> bool:
        """Whether a government of this kind and place is inside the scope (so the pack can bind it)."""
        return (
            self.country == country
            and (self.subdivision is None or self.subdivision == subdivision)
            and (self.kinds is None or kind in self.kinds)
            and (self.geonames_id is None or self.geonames_id == geonames_id)
        )


class Holidays(Strict):
    """Public holidays for business-day deadlines, from the ``holidays`` package."""

    country: str = Field(pattern=r"^[A-Z]{2}$")
    subdivision: str | None = None


class Term(Strict):
    """A term the law uses without defining it. Where neither clear case settles it, the answer
    is *unclear* until counsel records an interpretation for the workspace."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,79}$")
    label: str
    applies_to: RecordKind
    meaning: str = Field(description="What the source says and does not say.")
    clearly_true: Any = None
    clearly_false: Any = None
    settle: str = Field(description="What would settle it: the question to put to counsel.")
    citations: list[Citation] = Field(min_length=1)


class Deadline(Strict):
    """When the obligation falls due, relative to a date fact of the record, or by a fixed date.

    Without ``days``, the duty is "before/after the date" with no published lead time:
    the due date shown is the reference date itself and is marked as not exact."""

    before: str | None = None
    after: str | None = None
    by: Date | None = None
    days: int | None = Field(default=None, ge=0)
    unit: Literal["calendar", "business"] = "calendar"
    note: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Deadline:
        if sum(x is not None for x in (self.before, self.after, self.by)) != 1:
            raise ValueError(
                "a deadline has exactly one of: before (a date fact), after (a date fact), by (a fixed date)"
            )
        if self.by is not None and self.days is not None:
            raise ValueError("a fixed deadline ('by') takes no 'days'")
        return self


class Obligation(Strict):
    kind: ObligationKind
    text: str = Field(description="What must be done, in plain words.")
    to: str | None = Field(default=None, description="To whom notice, disclosure or a request goes.")
    deadline: Deadline | None = None


class Rule(Strict):
    id: str = Field(pattern=ID)
    title: str
    jurisdiction: str
    duty_bearer: DutyBearer
    applies_to: RecordKind
    when: Any = Field(description="Condition over facts (see docs/rules.md).")
    obligation: Obligation
    effective_from: Date
    effective_to: Date | None = None
    expected: bool = Field(default=False, description="Announced or pending, not confirmed in force.")
    in_force_uncertain_until: Date | None = Field(
        default=None, description="Until this date it is not known whether the rule was already in force."
    )
    in_force_on: Literal["record_date", "check_date"] = Field(
        default="record_date",
        description="record_date: the rule must be in force on the record's own date; check_date: a continuing "
        "duty (e.g. not to maintain an agreement) tested on the date of the check.",
    )
    citations: list[Citation] = Field(min_length=1)
    confidence: Confidence
    illustrative: bool = True
    for_us: str | None = Field(
        default=None, description="For duties of the counterpart: what it means (or does not mean) for us."
    )

    @model_validator(mode="after")
    def _dates(self) -> Rule:
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValueError(f"effective_to {self.effective_to} is before effective_from {self.effective_from}")
        if self.in_force_uncertain_until and self.in_force_uncertain_until < self.effective_from:
            raise ValueError("in_force_uncertain_until is before effective_from")
        return self


class Pack(Strict):
    pack: str = Field(pattern=ID, description="The pack's id.")
    version: str = Field(min_length=1, max_length=40)
    title: str
    jurisdiction: str
    applies_in: Scope
    illustrative: bool
    disclaimer: str
    holidays: Holidays | None = None
    parameters: list[Parameter] = Field(default_factory=list)
    terms: list[Term] = Field(default_factory=list)
    rules: list[Rule] = Field(min_length=1)


# -- test cases --------------------------------------------------------------------------


class CaseWorkspace(Strict):
    kind: Literal["city", "county", "state"] = "city"
    country: str = "US"
    subdivision: str | None = None
    geonames_id: int | None = None


class CaseInterpretation(Strict):
    term: str
    statement: str
    when: Any
    value: bool


class Expected(Strict):
    verdict: CaseVerdict
    due: Date | None = None
    failed: str | None = Field(default=None, description="A fact or term named among the failed conditions.")
    unclear_on: str | None = Field(default=None, description="A fact, term or parameter named as what is unclear.")
    interpretation_used: bool | None = None


class Case(Strict):
    name: str
    record: RecordKind
    workspace: CaseWorkspace = Field(default_factory=CaseWorkspace)
    facts: dict[str, Any]
    check_date: Date | None = Field(default=None, description="The date of the check (default: the record's date).")
    view: Literal["record_date", "today"] = "record_date"
    interpretations: list[CaseInterpretation] = Field(default_factory=list)
    parameters: dict[str, dict[Date, Any]] = Field(
        default_factory=dict, description="Extra dated parameter values assumed for this case (an overlay)."
    )
    expect: dict[str, CaseVerdict | Expected] = Field(min_length=1)


class CaseFile(Strict):
    pack: str
    cases: list[Case] = Field(min_length=1)
