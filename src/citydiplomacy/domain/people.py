"""People and the dated posts they hold (Popolo's Person, Post and Membership in one)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import Field, model_validator

from .base import CountryCode, Record, Ref, Text, slugify
from .dates import active_on
from .vocab import Level, Seniority


class Person(Record):
    kind_name: ClassVar[str] = "person"
    plural: ClassVar[str] = "people"

    name: Text
    honorific: str | None = Field(default=None, max_length=80, description="H.E., Dr., Hon.")
    other_names: list[str] = Field(default_factory=list, description="Other spellings and former names.")
    country_code: CountryCode | None = Field(
        default=None, description="Nationality or the country the person represents."
    )
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=80)

    def default_ref(self) -> str:
        return slugify(self.name)


class Post(Record):
    """A dated position: "Consul General of Japan in Los Angeles", "Mayor of Los Angeles".

    A post with no ``partner`` is a post in our own government (``own_government`` true).
    """

    kind_name: ClassVar[str] = "post"
    plural: ClassVar[str] = "posts"

    person: Ref
    title: Text
    partner: Ref | None = Field(default=None, description="Ref of the organisation; omit for our own government.")
    own_government: bool = False
    level: Level | None = None
    seniority: Seniority = Seniority.other
    start_date: date | None = None
    end_date: date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Post:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        if self.partner is None and not self.own_government:
            raise ValueError(
                "a post is either at a partner ('partner') or in our own government ('own_government': true)"
            )
        if self.partner is not None and self.own_government:
            raise ValueError("a post in our own government has no 'partner'")
        return self

    def held_on(self, on: date) -> bool:
        return active_on(self.start_date, self.end_date, on)

    def default_ref(self) -> str:
        start = self.start_date.year if self.start_date else "undated"
        return f"{self.person}/{slugify(self.title, 60)}/{start}"

    def references(self) -> dict[str, list[str]]:
        refs: dict[str, list[str]] = {"people": [self.person]}
        if self.partner:
            refs["partners"] = [self.partner]
        return refs


def title_on(posts: list[Post], on: date) -> str | None:
    """The title a person held on a date: of the posts held that day, the one started most recently."""
    held = [p for p in posts if p.held_on(on)]
    if not held:
        return None
    held.sort(key=lambda p: p.start_date or date.min, reverse=True)
    return held[0].title
