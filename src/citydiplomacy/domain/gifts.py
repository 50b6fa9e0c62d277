"""Gifts and grants received from foreign partners: who gave what to whom, and what became of it.

Gift rules (disclosure thresholds, annual limits per source) are checked on these records
by the rules engine; the record itself only states the facts.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from pydantic import Field, field_validator, model_validator

from .base import Record, Ref, Text, slugify


class GiftDisposition(StrEnum):
    """What became of a gift: the words ethics offices use on disclosure forms."""

    kept = "kept"
    returned = "returned"
    transferred_to_city = "transferred_to_city"
    pending = "pending"


class Gift(Record):
    """A gift or grant: from a partner or a person, to one of our officials or to the government itself.

    ``value`` is in ``currency`` (ISO 4217). ``value_usd`` is the US-dollar equivalent on the
    day it was received, when the currency is not USD; rules that compare with dollar
    thresholds need it and answer *unclear* without it.
    """

    kind_name: ClassVar[str] = "gift"
    plural: ClassVar[str] = "gifts"

    description: Text = Field(description="What was given: 'Porcelain vase', 'Grant for the 2026 youth exchange'.")
    donor_partner: Ref | None = Field(default=None, description="Ref of the partner (organisation) that gave it.")
    donor_person: Ref | None = Field(default=None, description="Ref of the person who gave it, if given personally.")
    recipient: Ref | None = Field(default=None, description="Ref of the official (a person) who received it.")
    to_government: bool = Field(default=False, description="Given to the government itself rather than to an official.")
    value: Decimal | None = Field(
        default=None,
        ge=0,
        max_digits=14,
        decimal_places=2,
        description="Value in 'currency'; empty if not yet appraised.",
    )
    currency: str = Field(default="USD", description="ISO 4217 code, e.g. USD, EUR, CNY.")
    value_usd: Decimal | None = Field(
        default=None,
        ge=0,
        max_digits=14,
        decimal_places=2,
        description="US-dollar equivalent on the day received (needed when currency is not USD).",
    )
    received_on: date = Field(description="Date received.")
    disposition: GiftDisposition = GiftDisposition.pending

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        value = value.strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", value):
            raise ValueError(f"'{value}' is not an ISO 4217 currency code (three letters, e.g. 'USD')")
        return value

    @model_validator(mode="after")
    def _parties(self) -> Gift:
        if self.donor_partner is None and self.donor_person is None:
            raise ValueError(
                "a gift needs a donor: 'donor_partner' (an organisation ref) or 'donor_person' (a person ref)"
            )
        if self.recipient is None and not self.to_government:
            raise ValueError(
                "a gift needs a recipient: 'recipient' (an official's person ref) or 'to_government': true"
            )
        if self.recipient is not None and self.to_government:
            raise ValueError(
                "a gift goes either to an official ('recipient') or to the government ('to_government': true), not both"
            )
        return self

    @property
    def usd(self) -> Decimal | None:
        """The value in US dollars, if known."""
        if self.currency == "USD":
            return self.value
        return self.value_usd

    def default_ref(self) -> str:
        return f"{self.received_on.isoformat()}-{slugify(self.description, 60)}"

    def references(self) -> dict[str, list[str]]:
        refs: dict[str, list[str]] = {}
        if self.donor_partner:
            refs["partners"] = [self.donor_partner]
        people = [p for p in (self.donor_person, self.recipient) if p]
        if people:
            refs["people"] = people
        return refs
