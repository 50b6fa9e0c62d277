"""Places: countries (ISO 3166-1), subdivisions (ISO 3166-2), cities and towns (GeoNames)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, field_validator, model_validator

from .base import CountryCode, Record, Text, slugify
from .vocab import Confidentiality, PlaceKind


class Place(Record):
    kind_name: ClassVar[str] = "place"
    plural: ClassVar[str] = "places"

    kind: PlaceKind
    name: Text
    country_code: CountryCode = Field(description="ISO 3166-1 alpha-2 code of the country the place is in (or is).")
    subdivision_code: str | None = Field(default=None, description="ISO 3166-2 code, e.g. US-CA.")
    admin1: str | None = Field(default=None, description="Name of the first-level administrative area.")
    geonames_id: int | None = Field(default=None, ge=1)
    wikidata_id: str | None = Field(default=None, pattern=r"^Q[1-9][0-9]*$")
    alternate_names: list[str] = Field(default_factory=list)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    population: int | None = Field(default=None, ge=0)
    timezone: str | None = None
    confidentiality: Confidentiality = Confidentiality.public

    @field_validator("subdivision_code")
    @classmethod
    def _subdivision(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().upper()
        if "-" not in value:
            raise ValueError(f"'{value}' is not an ISO 3166-2 code (e.g. 'US-CA')")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Place:
        if self.kind == PlaceKind.subdivision and not self.subdivision_code:
            raise ValueError("a subdivision needs its ISO 3166-2 subdivision_code")
        if self.subdivision_code and not self.subdivision_code.startswith(self.country_code + "-"):
            raise ValueError(f"subdivision_code {self.subdivision_code} is not in country {self.country_code}")
        return self

    def default_ref(self) -> str:
        if self.kind == PlaceKind.country:
            return f"country:{self.country_code.lower()}"
        if self.kind == PlaceKind.subdivision:
            return f"subdivision:{self.subdivision_code.lower()}"
        if self.geonames_id:
            return f"geonames:{self.geonames_id}"
        return f"place:{self.country_code.lower()}-{slugify(self.name)}"
