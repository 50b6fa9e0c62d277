"""City networks (C40, U20, ICLEI, UCLG, …) and memberships in them."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import Field, model_validator

from .base import Record, Ref, Text, slugify
from .dates import active_on
from .vocab import MembershipRole


class Network(Record):
    kind_name: ClassVar[str] = "network"
    plural: ClassVar[str] = "networks"

    name: Text
    acronym: str | None = Field(default=None, max_length=40)
    founded_year: int | None = Field(default=None, ge=1800, le=2100)
    website: str | None = Field(default=None, max_length=500)
    secretariat: Ref | None = Field(default=None, description="Ref of the partner that runs the network.")

    def default_ref(self) -> str:
        return slugify(self.acronym or self.name)

    def references(self) -> dict[str, list[str]]:
        return {"partners": [self.secretariat]} if self.secretariat else {}


class Membership(Record):
    """A member of a network: us (``member`` omitted) or a partner (a peer city)."""

    kind_name: ClassVar[str] = "membership"
    plural: ClassVar[str] = "memberships"

    network: Ref
    member: Ref | None = Field(
        default=None, description="Ref of the partner that is a member; omit for our own government."
    )
    role: MembershipRole = MembershipRole.member
    start_date: date | None = None
    end_date: date | None = None

    @model_validator(mode="after")
    def _dates(self) -> Membership:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        return self

    def active(self, on: date) -> bool:
        return active_on(self.start_date, self.end_date, on)

    def default_ref(self) -> str:
        return f"{self.network}/{self.member or 'us'}"

    def references(self) -> dict[str, list[str]]:
        refs: dict[str, list[str]] = {"networks": [self.network]}
        if self.member:
            refs["partners"] = [self.member]
        return refs
