"""Practices, transfers and search filters: the exchange's records, validated with pydantic.

A *practice* is something a city did that others could borrow (Bogotá's Ciclovía,
Mexico City's earthquake early warning). A *transfer* records that one city adopted a
practice from another, in a year, adapted in some way, with an outcome - failures
included, because a failed transfer is as useful to the next borrower as a success.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from ..domain.base import REF_PATTERN, LongText, Ref, Text, slugify
from ..domain.vocab import Confidentiality

__all__ = [
    "POPULATION_BANDS",
    "Contact",
    "PopulationBand",
    "Practice",
    "PracticeFilters",
    "PracticeStatus",
    "Region",
    "Topic",
    "Transfer",
    "TransferOutcome",
    "TransferStatus",
    "transfer_ref",
]

Topic = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")]
CountryCode = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z]{2}$")]
Year = Annotated[int, Field(ge=1800, le=2100)]


class PracticeStatus(StrEnum):
    """Where the practice stands in its home city."""

    planned = "planned"
    pilot = "pilot"
    active = "active"
    ended = "ended"
    unknown = "unknown"  # the source does not say (the shared library does not record it)


class TransferStatus(StrEnum):
    intended = "intended"  # "we are borrowing this" - recorded from the practice page
    in_progress = "in-progress"
    adopted = "adopted"
    abandoned = "abandoned"


class TransferOutcome(StrEnum):
    unknown = "unknown"
    success = "success"
    mixed = "mixed"
    failure = "failure"


class Region(StrEnum):
    """World regions used for filtering and peer matching (derived from the country)."""

    africa = "Africa"
    asia = "Asia"
    europe = "Europe"
    latin_america = "Latin America and the Caribbean"
    north_america = "North America"
    oceania = "Oceania"
    other = "Other"


class PopulationBand(StrEnum):
    small = "small"  # under 250,000
    medium = "medium"  # 250,000 - 1 million
    large = "large"  # 1 - 5 million
    mega = "mega"  # 5 million and more


#: Inclusive lower and exclusive upper bound of each band.
POPULATION_BANDS: dict[PopulationBand, tuple[int, int | None]] = {
    PopulationBand.small: (0, 250_000),
    PopulationBand.medium: (250_000, 1_000_000),
    PopulationBand.large: (1_000_000, 5_000_000),
    PopulationBand.mega: (5_000_000, None),
}


def population_band(population: int | None) -> PopulationBand | None:
    if population is None:
        return None
    for band, (low, high) in POPULATION_BANDS.items():
        if population >= low and (high is None or population < high):
            return band
    return None


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Contact(_Model):
    """Someone to ask about the practice: a person or organisation, optionally a registry record."""

    name: Text
    role: Text | None = None
    email: str | None = Field(default=None, max_length=320)
    person_ref: Ref | None = Field(default=None, description="Ref of a person in the registry.")
    partner_ref: Ref | None = Field(default=None, description="Ref of a partner organisation in the registry.")


class Practice(_Model):
    """A practice in a workspace's library. ``slug`` is its stable key (the ``id`` of the shared file)."""

    slug: Ref = Field(description="Stable key, unique in the workspace's library (e.g. 'mexico-city-sasmex').")
    title: Text
    summary: LongText | None = None
    problem: LongText | None = Field(default=None, description="The problem the practice answered.")
    what_was_done: LongText | None = None
    results: LongText | None = Field(default=None, description="Results, with figures where known.")
    cost: LongText | None = None
    conditions: LongText | None = Field(
        default=None, description="Conditions for transfer: what a borrowing city needs."
    )
    city: Text | None = Field(default=None, description="City of origin (null for a national programme).")
    place_ref: Ref | None = Field(default=None, description="The city's place record in the registry, if any.")
    country_code: CountryCode
    level: Annotated[str, StringConstraints(max_length=40)] | None = None
    year_started: Year | None = None
    status: PracticeStatus = PracticeStatus.unknown
    topics: list[Topic] = Field(default_factory=list)
    sdgs: list[Annotated[int, Field(ge=1, le=17)]] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    sources: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]] = Field(
        default_factory=list
    )
    uncertain: list[LongText] = Field(default_factory=list, description="Caveats to read before relying on the record.")
    inspired_by: list[LongText] = Field(default_factory=list)
    confidentiality: Confidentiality = Confidentiality.public
    source: str | None = Field(default=None, max_length=2000, description="Where the record came from (file, person).")
    notes: LongText | None = None

    @field_validator("topics")
    @classmethod
    def _unique_topics(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    @field_validator("sdgs")
    @classmethod
    def _unique_goals(cls, value: list[int]) -> list[int]:
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _says_something(self) -> Practice:
        if not any((self.summary, self.problem, self.what_was_done, self.results)):
            raise ValueError(
                "describe the practice: give at least a summary, the problem, what was done or the results"
            )
        return self


class Transfer(_Model):
    """City X adopted the practice from city Y in year Z, adapted how, with what outcome."""

    ref: Annotated[str, StringConstraints(pattern=REF_PATTERN)] | None = None
    practice: Ref = Field(description="Slug of the practice borrowed.")
    adopter_city: Text | None = Field(
        default=None, description="The borrowing city (null when only a country or group is known)."
    )
    adopter_country: CountryCode | None = None
    adopter_place_ref: Ref | None = None
    adopter_is_us: bool = Field(default=False, description="The workspace's own city is the borrower.")
    from_city: Text | None = Field(default=None, description="Learned from (default: the practice's city of origin).")
    from_country: CountryCode | None = None
    year: Year | None = None
    status: TransferStatus = TransferStatus.adopted
    outcome: TransferOutcome = TransferOutcome.unknown
    adaptation: LongText | None = Field(default=None, description="How the borrower adapted it.")
    outcome_notes: LongText | None = None
    evidence: LongText | None = Field(default=None, description="How strong the link is.")
    sources: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]] = Field(
        default_factory=list
    )
    origin: Annotated[str, StringConstraints(pattern=r"^(import|recorded)$")] = "recorded"

    @model_validator(mode="after")
    def _names_a_borrower(self) -> Transfer:
        if not (self.adopter_city or self.adopter_country or self.adopter_is_us):
            raise ValueError("say who borrowed the practice: an adopter city or country")
        return self

    def with_ref(self) -> Transfer:
        if self.ref:
            return self
        return self.model_copy(
            update={"ref": transfer_ref(self.practice, self.adopter_city, self.adopter_country, self.year)}
        )


def transfer_ref(practice: str, city: str | None, country: str | None, year: int | None) -> str:
    """Stable key of a transfer: practice, borrower and year ('bogota-ciclovia--los-angeles-us-2010')."""
    who = slugify(" ".join(p for p in (city, country) if p) or "unknown", limit=60)
    return f"{practice}--{who}-{year or 'undated'}"[:160]


class PracticeFilters(_Model):
    """Facets a search or listing can be narrowed by (all optional, combined with AND)."""

    topic: list[Topic] = Field(default_factory=list, description="Any of these topics.")
    sdg: list[Annotated[int, Field(ge=1, le=17)]] = Field(default_factory=list, description="Any of these SDG goals.")
    region: list[Region] = Field(default_factory=list)
    country: list[CountryCode] = Field(default_factory=list)
    population_band: list[PopulationBand] = Field(default_factory=list)
    year_from: Year | None = None
    year_to: Year | None = None
    status: list[PracticeStatus] = Field(default_factory=list)

    @field_validator("topic", "sdg", "region", "country", "population_band", "status", mode="before")
    @classmethod
    def _listify(cls, value):
        if value is None or value == "":
            return []
        if isinstance(value, (str, int)):
            return [value]
        return value

    def is_empty(self) -> bool:
        return not (
            self.topic
            or self.sdg
            or self.region
            or self.country
            or self.population_band
            or self.status
            or self.year_from
            or self.year_to
        )
