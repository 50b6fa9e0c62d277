"""World regions: UN M49 continents and sub-regions, a few everyday names, map frames.

Country membership follows the UN Statistics Division's M49 standard (Kosovo, which M49
does not list, is placed in Southern Europe with its neighbours). "Bridges between regions"
and "a sister city in West Africa" are read with these tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "CONTINENTS",
    "MAP_FRAMES",
    "REGIONS",
    "REGION_ALIASES",
    "SUBREGIONS",
    "Region",
    "continent_of",
    "find_region",
    "frame_for",
    "region_of",
    "regions_in_text",
]

#: UN M49 sub-regions -> ISO 3166-1 alpha-2 codes.
SUBREGIONS: dict[str, tuple[str, ...]] = {
    "Northern Africa": ("DZ", "EG", "LY", "MA", "SD", "TN", "EH"),
    "Eastern Africa": (
        "IO",
        "BI",
        "KM",
        "DJ",
        "ER",
        "ET",
        "TF",
        "KE",
        "MG",
        "MW",
        "MU",
        "YT",
        "MZ",
        "RE",
        "RW",
        "SC",
        "SO",
        "SS",
        "UG",
        "TZ",
        "ZM",
        "ZW",
    ),
    "Middle Africa": ("AO", "CM", "CF", "TD", "CG", "CD", "GQ", "GA", "ST"),
    "Southern Africa": ("BW", "SZ", "LS", "NA", "ZA"),
    "Western Africa": (
        "BJ",
        "BF",
        "CV",
        "CI",
        "GM",
        "GH",
        "GN",
        "GW",
        "LR",
        "ML",
        "MR",
        "NE",
        "NG",
        "SH",
        "SN",
        "SL",
        "TG",
    ),
    "Caribbean": (
        "AI",
        "AG",
        "AW",
        "BS",
        "BB",
        "BQ",
        "VG",
        "KY",
        "CU",
        "CW",
        "DM",
        "DO",
        "GD",
        "GP",
        "HT",
        "JM",
        "MQ",
        "MS",
        "PR",
        "BL",
        "KN",
        "LC",
        "MF",
        "VC",
        "SX",
        "TT",
        "TC",
        "VI",
    ),
    "Central America": ("BZ", "CR", "SV", "GT", "HN", "MX", "NI", "PA"),
    "South America": ("AR", "BO", "BV", "BR", "CL", "CO", "EC", "FK", "GF", "GY", "PY", "PE", "GS", "SR", "UY", "VE"),
    "Northern America": ("BM", "CA", "GL", "PM", "US"),
    "Central Asia": ("KZ", "KG", "TJ", "TM", "UZ"),
    "Eastern Asia": ("CN", "HK", "MO", "KP", "JP", "MN", "KR", "TW"),
    "South-eastern Asia": ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"),
    "Southern Asia": ("AF", "BD", "BT", "IN", "IR", "MV", "NP", "PK", "LK"),
    "Western Asia": (
        "AM",
        "AZ",
        "BH",
        "CY",
        "GE",
        "IQ",
        "IL",
        "JO",
        "KW",
        "LB",
        "OM",
        "QA",
        "SA",
        "PS",
        "SY",
        "TR",
        "AE",
        "YE",
    ),
    "Eastern Europe": ("BY", "BG", "CZ", "HU", "PL", "MD", "RO", "RU", "SK", "UA"),
    "Northern Europe": ("AX", "DK", "EE", "FO", "FI", "GG", "IS", "IE", "IM", "JE", "LV", "LT", "NO", "SJ", "SE", "GB"),
    "Southern Europe": (
        "AL",
        "AD",
        "BA",
        "HR",
        "GI",
        "GR",
        "VA",
        "IT",
        "MT",
        "ME",
        "MK",
        "PT",
        "SM",
        "RS",
        "SI",
        "ES",
        "XK",
    ),
    "Western Europe": ("AT", "BE", "FR", "DE", "LI", "LU", "MC", "NL", "CH"),
    "Australia and New Zealand": ("AU", "CX", "CC", "HM", "NZ", "NF"),
    "Melanesia": ("FJ", "NC", "PG", "SB", "VU"),
    "Micronesia": ("GU", "KI", "MH", "FM", "NR", "MP", "PW", "UM"),
    "Polynesia": ("AS", "CK", "PF", "NU", "PN", "WS", "TK", "TO", "TV", "WF"),
    "Antarctica": ("AQ",),
}

#: Continents as people say them (the Americas split in two), built from the sub-regions.
CONTINENTS: dict[str, tuple[str, ...]] = {
    "Africa": ("Northern Africa", "Eastern Africa", "Middle Africa", "Southern Africa", "Western Africa"),
    "North America": ("Northern America", "Central America", "Caribbean"),
    "South America": ("South America",),
    "Asia": ("Central Asia", "Eastern Asia", "South-eastern Asia", "Southern Asia", "Western Asia"),
    "Europe": ("Eastern Europe", "Northern Europe", "Southern Europe", "Western Europe"),
    "Oceania": ("Australia and New Zealand", "Melanesia", "Micronesia", "Polynesia"),
    "Antarctica": ("Antarctica",),
}

_EXTRA: dict[str, tuple[str, ...]] = {
    "Middle East": (
        "BH",
        "CY",
        "EG",
        "IR",
        "IQ",
        "IL",
        "JO",
        "KW",
        "LB",
        "OM",
        "QA",
        "SA",
        "PS",
        "SY",
        "TR",
        "AE",
        "YE",
    ),
    "Latin America": SUBREGIONS["Central America"] + SUBREGIONS["South America"] + SUBREGIONS["Caribbean"],
    "Nordic countries": ("DK", "FI", "IS", "NO", "SE", "AX", "FO", "GL"),
    "Sub-Saharan Africa": tuple(c for s in CONTINENTS["Africa"] if s != "Northern Africa" for c in SUBREGIONS[s])
    + ("SD",),
}

#: Everyday names -> canonical region name.
_ALIASES = {
    "west africa": "Western Africa",
    "western africa": "Western Africa",
    "east africa": "Eastern Africa",
    "eastern africa": "Eastern Africa",
    "north africa": "Northern Africa",
    "northern africa": "Northern Africa",
    "central africa": "Middle Africa",
    "middle africa": "Middle Africa",
    "southern africa": "Southern Africa",
    "southeast asia": "South-eastern Asia",
    "south east asia": "South-eastern Asia",
    "south-east asia": "South-eastern Asia",
    "south-eastern asia": "South-eastern Asia",
    "asean": "South-eastern Asia",
    "east asia": "Eastern Asia",
    "eastern asia": "Eastern Asia",
    "south asia": "Southern Asia",
    "southern asia": "Southern Asia",
    "central asia": "Central Asia",
    "west asia": "Western Asia",
    "western asia": "Western Asia",
    "eastern europe": "Eastern Europe",
    "east europe": "Eastern Europe",
    "northern europe": "Northern Europe",
    "north europe": "Northern Europe",
    "southern europe": "Southern Europe",
    "south europe": "Southern Europe",
    "western europe": "Western Europe",
    "west europe": "Western Europe",
    "caribbean": "Caribbean",
    "the caribbean": "Caribbean",
    "central america": "Central America",
    "south america": "South America",
    "north america": "North America",
    "northern america": "Northern America",
    "australasia": "Australia and New Zealand",
    "melanesia": "Melanesia",
    "micronesia": "Micronesia",
    "polynesia": "Polynesia",
    "pacific islands": "Oceania",
    "africa": "Africa",
    "asia": "Asia",
    "europe": "Europe",
    "oceania": "Oceania",
    "antarctica": "Antarctica",
    "middle east": "Middle East",
    "the middle east": "Middle East",
    "latin america": "Latin America",
    "nordic countries": "Nordic countries",
    "nordics": "Nordic countries",
    "scandinavia": "Nordic countries",
    "sub-saharan africa": "Sub-Saharan Africa",
    "subsaharan africa": "Sub-Saharan Africa",
}


@dataclass(frozen=True)
class Region:
    name: str
    kind: str  # "continent", "subregion" or "grouping"
    countries: tuple[str, ...]


def _build() -> tuple[dict[str, Region], dict[str, str], dict[str, str]]:
    regions: dict[str, Region] = {}
    sub_of: dict[str, str] = {}
    cont_of: dict[str, str] = {}
    for name, codes in SUBREGIONS.items():
        regions[name] = Region(name, "subregion", codes)
        for code in codes:
            sub_of[code] = name
    for name, subs in CONTINENTS.items():
        codes = tuple(c for s in subs for c in SUBREGIONS[s])
        if name not in regions:
            regions[name] = Region(name, "continent", codes)
        else:  # "South America" is both; keep it as the continent
            regions[name] = Region(name, "continent", codes)
        for code in codes:
            cont_of[code] = name
    for name, codes in _EXTRA.items():
        regions[name] = Region(name, "grouping", codes)
    return regions, sub_of, cont_of


REGIONS, _SUB_OF, _CONT_OF = _build()
#: every region name and alias understood in text, lower case
REGION_ALIASES: tuple[str, ...] = tuple(sorted(set(_ALIASES) | {n.lower() for n in REGIONS}))


def region_of(country_code: str | None) -> str | None:
    """The M49 sub-region of a country ("VN" -> "South-eastern Asia")."""
    return _SUB_OF.get((country_code or "").upper())


def continent_of(country_code: str | None) -> str | None:
    """The continent of a country ("VN" -> "Asia"; Mexico -> "North America")."""
    return _CONT_OF.get((country_code or "").upper())


def find_region(text: str) -> Region | None:
    """A region by name or everyday alias ("West Africa" -> Western Africa)."""
    key = re.sub(r"\s+", " ", (text or "").strip().lower())
    name = _ALIASES.get(key)
    if name is None:
        name = next((n for n in REGIONS if n.lower() == key), None)
    return REGIONS.get(name) if name else None


def regions_in_text(text: str) -> list[Region]:
    """Regions named anywhere in a sentence, longest names first ("a sister city in West Africa")."""
    low = " " + re.sub(r"[^a-z\- ]+", " ", (text or "").lower()) + " "
    low = re.sub(r"\s+", " ", low)
    found: list[Region] = []
    taken: list[tuple[int, int]] = []
    for alias in sorted(_ALIASES, key=len, reverse=True):
        at = low.find(f" {alias} ")
        if at < 0:
            continue
        span = (at, at + len(alias) + 2)
        if any(a < span[1] and span[0] < b for a, b in taken):
            continue
        taken.append(span)
        region = REGIONS[_ALIASES[alias]]
        if region not in found:
            found.append(region)
    return found


#: Map frames (lon_min, lat_min, lon_max, lat_max) for the views people ask for most.
MAP_FRAMES: dict[str, tuple[float, float, float, float]] = {
    "world": (-180.0, -58.0, 180.0, 84.0),
    "Africa": (-20.0, -36.0, 55.0, 38.5),
    "Europe": (-25.0, 34.0, 45.0, 71.5),
    "Asia": (25.0, -11.0, 150.0, 56.0),
    "North America": (-170.0, 7.0, -50.0, 75.0),
    "South America": (-83.0, -56.0, -33.0, 13.5),
    "Oceania": (110.0, -48.0, 180.0, 0.0),
    "Middle East": (24.0, 11.0, 64.0, 43.0),
    "Latin America": (-118.0, -56.0, -33.0, 33.0),
    "Western Africa": (-26.0, 3.0, 17.0, 28.0),
    "South-eastern Asia": (92.0, -11.5, 142.0, 29.0),
    "Eastern Asia": (73.0, 18.0, 146.0, 54.0),
    "Western Europe": (-6.0, 42.0, 17.5, 55.5),
    "Northern America": (-170.0, 15.0, -50.0, 75.0),
}


def frame_for(view: str) -> tuple[str, tuple[float, float, float, float]]:
    """The frame for a view name ("world", a continent, a region alias); raises KeyError if unknown."""
    if not view or view.strip().lower() == "world":
        return "world", MAP_FRAMES["world"]
    region = find_region(view)
    if region is None:
        raise KeyError(view)
    if region.name in MAP_FRAMES:
        return region.name, MAP_FRAMES[region.name]
    return region.name, ()  # computed from the countries' shapes by the map module
