"""Partners: every counterpart organisation (Popolo's Organization)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .base import CountryCode, Record, Ref, Text, slugify
from .vocab import MISSION_KINDS, PartnerKind


class Partner(Record):
    kind_name: ClassVar[str] = "partner"
    plural: ClassVar[str] = "partners"

    name: Text
    kind: PartnerKind
    country_code: CountryCode | None = Field(
        default=None, description="Country the partner belongs to (a consulate: its sending state)."
    )
    place: Ref | None = Field(
        default=None, description="Ref of the place where it sits (e.g. geonames:5368361 for Los Angeles)."
    )
    parent: Ref | None = Field(default=None, description="Ref of the parent partner (a consulate's foreign ministry).")
    other_names: list[str] = Field(default_factory=list)
    identifiers: dict[str, str] = Field(default_factory=dict, description="Ids in other systems: {'wikidata': 'Q…'}.")
    website: str | None = Field(default=None, max_length=500)

    @property
    def is_foreign_mission(self) -> bool:
        return self.kind in MISSION_KINDS

    def default_ref(self) -> str:
        return slugify(self.name)

    def references(self) -> dict[str, list[str]]:
        refs: dict[str, list[str]] = {}
        if self.place:
            refs.setdefault("places", []).append(self.place)
        if self.parent:
            refs.setdefault("partners", []).append(self.parent)
        return refs
