"""Engagements: meetings, calls, message exchanges, visits, delegations and events."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator, model_validator

from .base import LongText, Record, Ref, Text, slugify
from .dates import apply_partial, check_timezone, localise, partial_text, truncate_moment
from .vocab import (
    TOPIC_SET,
    Channel,
    DatePrecision,
    EngagementKind,
    EngagementStatus,
    Initiator,
    Side,
    VenueKind,
)


class Participant(BaseModel):
    """Someone who took part, on our side or theirs. ``post`` pins the capacity; when
    omitted, the title shown is the post the person held on the engagement's date."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    person: Ref
    side: Side
    post: Ref | None = None
    role: str | None = Field(default=None, max_length=120, description="lead, note-taker, interpreter…")


class FollowUp(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    description: Text
    owner: str | None = Field(default=None, max_length=200)
    due_on: date | None = None
    done: bool = False
    done_on: date | None = None

    @model_validator(mode="after")
    def _done(self) -> FollowUp:
        if self.done_on and not self.done:
            raise ValueError("done_on is set but done is false")
        return self


class Engagement(Record):
    kind_name: ClassVar[str] = "engagement"
    plural: ClassVar[str] = "engagements"

    title: Text
    kind: EngagementKind
    channel: Channel = Channel.in_person
    status: EngagementStatus = EngagementStatus.planned
    start: datetime = Field(description="Start, ISO 8601; a time without offset is read in 'timezone'.")
    end: datetime | None = None
    timezone: str = Field(default="UTC", description="IANA time zone the engagement is scheduled in.")
    date_precision: DatePrecision = Field(
        default=DatePrecision.day, description="'month' or 'year' when only that much of the date is known."
    )
    venue_place: Ref | None = Field(default=None, description="Ref of the place (city or country) where it happened.")
    venue_kind: VenueKind | None = None
    venue_name: str | None = Field(default=None, max_length=300)
    official_capacity: bool = True
    expected_attendance: int | None = Field(default=None, ge=0)
    initiated_by: Initiator = Initiator.unknown
    partners: list[Ref] = Field(default_factory=list, description="Refs of the counterpart organisations.")
    participants: list[Participant] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    sdgs: list[int] = Field(default_factory=list, description="UN Sustainable Development Goal numbers, 1-17.")
    summary: LongText | None = None
    outcomes: LongText | None = None
    follow_ups: list[FollowUp] = Field(default_factory=list)
    entered_by: str | None = Field(default=None, max_length=200, description="Who entered the record.")

    @model_validator(mode="before")
    @classmethod
    def _partial_start(cls, data):
        """A start given as '2027-01' or '2027' is a month or a year: the precision follows."""
        if isinstance(data, dict):
            return apply_partial(data, ("start", "end"), moment=True)
        return data

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        return check_timezone(value)

    @field_serializer("start", "end", when_used="json")
    def _known_part(self, value: datetime | None) -> str | None:
        """Only what is known: '2027-01' for a month, never an invented day or time."""
        return partial_text(value, str(self.date_precision))

    @field_validator("topics")
    @classmethod
    def _topics(cls, values: list[str]) -> list[str]:
        cleaned = []
        for value in values:
            topic = value.strip().lower().replace(" ", "-").replace("_", "-")
            if topic not in TOPIC_SET:
                raise ValueError(f"'{value}' is not a known topic; use one of: {', '.join(sorted(TOPIC_SET))}")
            if topic not in cleaned:
                cleaned.append(topic)
        return cleaned

    @field_validator("sdgs")
    @classmethod
    def _sdgs(cls, values: list[int]) -> list[int]:
        for value in values:
            if not 1 <= value <= 17:
                raise ValueError(f"{value} is not a UN SDG goal number (1 to 17)")
        return sorted(set(values))

    @model_validator(mode="after")
    def _times(self) -> Engagement:
        precision = str(self.date_precision)
        self.start = truncate_moment(localise(self.start, self.timezone), precision)
        if self.end is not None:
            self.end = truncate_moment(localise(self.end, self.timezone), precision)
            if self.end < self.start:
                raise ValueError(f"end {self.end.isoformat()} is before start {self.start.isoformat()}")
        people = [(p.person, p.side) for p in self.participants]
        if len(people) != len(set(people)):
            raise ValueError("a person is listed twice on the same side")
        return self

    @property
    def on(self) -> date:
        """The local calendar date the engagement starts on."""
        return self.start.date()

    def default_ref(self) -> str:
        return f"{self.start.date().isoformat()}-{slugify(self.title, 60)}"

    def references(self) -> dict[str, list[str]]:
        refs: dict[str, list[str]] = {}
        if self.partners:
            refs["partners"] = list(self.partners)
        people = [p.person for p in self.participants]
        if people:
            refs["people"] = people
        posts = [p.post for p in self.participants if p.post]
        if posts:
            refs["posts"] = posts
        if self.venue_place:
            refs["places"] = [self.venue_place]
        return refs
