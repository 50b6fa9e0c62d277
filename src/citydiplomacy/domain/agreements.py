"""Agreements: sister-city ties, memoranda, letters of intent, declarations, charters, pledges."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_serializer, model_validator

from .base import LongText, Record, Ref, Text, slugify
from .dates import active_on, apply_partial, partial_text, truncate_day
from .errors import InvalidInput, Problem
from .vocab import AgreementKind, AgreementStatus, DatePrecision

#: The agreement lifecycle: which status may follow which. A proposal is adopted (in force)
#: or abandoned (terminated); a tie in force may go quiet (dormant), run out (lapsed) or be
#: ended (terminated); a dormant or lapsed tie may be revived or renewed. Terminated is final.
TRANSITIONS: dict[AgreementStatus, tuple[AgreementStatus, ...]] = {
    AgreementStatus.proposed: (AgreementStatus.in_force, AgreementStatus.terminated),
    AgreementStatus.in_force: (AgreementStatus.dormant, AgreementStatus.lapsed, AgreementStatus.terminated),
    AgreementStatus.dormant: (AgreementStatus.in_force, AgreementStatus.lapsed, AgreementStatus.terminated),
    AgreementStatus.lapsed: (AgreementStatus.in_force, AgreementStatus.terminated),
    AgreementStatus.terminated: (),
}

#: How far ahead an expiry date raises a warning.
EXPIRY_WARNING_DAYS = 90


def allowed_transitions(status: AgreementStatus | str) -> tuple[AgreementStatus, ...]:
    """The statuses an agreement with ``status`` may move to next (empty when final).

    >>> [s.value for s in allowed_transitions("proposed")]
    ['in_force', 'terminated']
    """
    return TRANSITIONS[AgreementStatus(status)]


def check_transition(current: AgreementStatus | str, new: AgreementStatus | str) -> None:
    """Raise InvalidInput (field 'status') unless ``current`` may become ``new``; staying put is allowed."""
    current, new = AgreementStatus(current), AgreementStatus(new)
    if new == current or new in TRANSITIONS[current]:
        return
    allowed = ", ".join(s.value for s in TRANSITIONS[current]) or "none: it is final"
    raise InvalidInput(
        [
            Problem(
                f"an agreement that is {current.value} cannot become {new.value}; allowed next: {allowed}",
                field="status",
                value=new.value,
            )
        ]
    )


def expiry_warning(
    expires_on: date | None, status: AgreementStatus | str, today: date, within: int = EXPIRY_WARNING_DAYS
) -> str | None:
    """'expired', 'expiring' (within ``within`` days) or None, for agreements still meant to be alive.

    Terminated and lapsed agreements have run their course and raise no warning."""
    if expires_on is None or AgreementStatus(status) in (AgreementStatus.terminated, AgreementStatus.lapsed):
        return None
    if expires_on < today:
        return "expired"
    if (expires_on - today).days <= within:
        return "expiring"
    return None


class Party(BaseModel):
    """A party to an agreement: a partner, a place (sister cities are places), or us."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    partner: Ref | None = None
    place: Ref | None = None
    us: bool = False

    @model_validator(mode="after")
    def _one(self) -> Party:
        if sum([self.partner is not None, self.place is not None, self.us]) != 1:
            raise ValueError("a party is exactly one of: a partner ref, a place ref, or us: true")
        return self


class Document(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: Text
    url: str | None = Field(default=None, max_length=2000)
    reference: str | None = Field(default=None, max_length=300, description="Council file, registry number…")


class Agreement(Record):
    kind_name: ClassVar[str] = "agreement"
    plural: ClassVar[str] = "agreements"

    title: Text
    kind: AgreementKind
    status: AgreementStatus = AgreementStatus.proposed
    parties: list[Party] = Field(default_factory=list)
    signed_on: date | None = None
    effective_on: date | None = None
    expires_on: date | None = None
    date_precision: DatePrecision = DatePrecision.day
    binding: bool = Field(default=False, description="Whether the parties intend it to be legally binding.")
    recognised_by_national_org: bool | None = Field(
        default=None,
        description="Recognised by a national sister-city organisation (e.g. Sister Cities International); unknown if empty.",
    )
    summary: LongText | None = None
    documents: list[Document] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _partial_dates(cls, data):
        """A signing date given as '1959-06' or '1959' is a month or a year: the precision follows."""
        if isinstance(data, dict):
            return apply_partial(data, ("signed_on", "effective_on"), moment=False)
        return data

    @field_serializer("signed_on", "effective_on", when_used="json")
    def _known_part(self, value: date | None) -> str | None:
        """Only what is known: '1959' for a year, never an invented day."""
        return partial_text(value, str(self.date_precision))

    @model_validator(mode="after")
    def _dates(self) -> Agreement:
        precision = str(self.date_precision)
        if self.signed_on:
            self.signed_on = truncate_day(self.signed_on, precision)
        if self.effective_on:
            self.effective_on = truncate_day(self.effective_on, precision)
        if self.signed_on and self.expires_on and self.expires_on < self.signed_on:
            raise ValueError(f"expires_on {self.expires_on} is before signed_on {self.signed_on}")
        if self.effective_on and self.expires_on and self.expires_on < self.effective_on:
            raise ValueError(f"expires_on {self.expires_on} is before effective_on {self.effective_on}")
        if self.status == AgreementStatus.in_force and self.signed_on is None and self.effective_on is None:
            raise ValueError("an agreement in force needs signed_on or effective_on")
        return self

    def in_force_on(self, on: date) -> bool:
        if self.status in (AgreementStatus.proposed,):
            return False
        return active_on(self.effective_on or self.signed_on, self.expires_on, on)

    def default_ref(self) -> str:
        year = self.signed_on or self.effective_on
        prefix = f"{year.year}-" if year else ""
        return f"{prefix}{slugify(self.title, 60)}"

    def references(self) -> dict[str, list[str]]:
        refs: dict[str, list[str]] = {}
        for party in self.parties:
            if party.partner:
                refs.setdefault("partners", []).append(party.partner)
            if party.place:
                refs.setdefault("places", []).append(party.place)
        return refs
