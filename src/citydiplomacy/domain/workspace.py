"""The workspace: the government using the system, and its jurisdiction."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .base import CountryCode
from .dates import check_timezone
from .vocab import WorkspaceKind


class Workspace(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$", description="Short name used in URLs: 'los-angeles'.")
    name: str = Field(min_length=1, max_length=200)
    kind: WorkspaceKind = WorkspaceKind.city
    country_code: CountryCode = Field(description="ISO 3166-1 alpha-2.")
    subdivision_code: str | None = Field(default=None, description="ISO 3166-2 of the state or province.")
    place_geonames_id: int | None = None
    timezone: str = "UTC"
    public_page: bool = Field(
        default=False, description="Publish public engagements and agreements on a transparency page."
    )

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        return check_timezone(value)
