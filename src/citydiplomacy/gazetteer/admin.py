"""GeoNames admin1 codes <-> ISO 3166-2 subdivisions.

GeoNames' ``admin1code`` is *not* an ISO 3166-2 suffix in general.  Only a few
countries use ISO-style codes; most use FIPS-like numbers, and some of those
numbers collide with unrelated ISO suffixes (GeoNames JP "01" is Aichi, ISO
JP-01 is Hokkaido; GeoNames FR "11" is Île-de-France, ISO FR-11 is the Aude
département).  So the mapping is an explicit allow-list:

* ``_IDENTITY``: countries whose GeoNames admin1 codes *are* the ISO suffixes.
* ``_TABLES``: hand-written code tables for the countries most present in the
  twin-town data.

Every entry was checked against the largest GeoNames city carrying that code
(e.g. DE "02" -> Munich -> DE-BY); ``tests/gazetteer/test_admin.py`` re-checks
a capital per entry against the installed data.  Any other country: no ISO
code (``None``) and admin hints are ignored, with the reason saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pycountry

from .normalise import fold

__all__ = ["AdminHint", "admin_supported", "iso_subdivision", "resolve_admin_hint", "subdivision_display_name"]

_IDENTITY = {"US", "CH", "GB", "BE"}

_TABLES: dict[str, dict[str, str]] = {
    "DE": {
        "01": "BW",
        "02": "BY",
        "03": "HB",
        "04": "HH",
        "05": "HE",
        "06": "NI",
        "07": "NW",
        "08": "RP",
        "09": "SL",
        "10": "SH",
        "11": "BB",
        "12": "MV",
        "13": "SN",
        "14": "ST",
        "15": "TH",
        "16": "BE",
    },
    "AT": {"01": "1", "02": "2", "03": "3", "04": "4", "05": "5", "06": "6", "07": "7", "08": "8", "09": "9"},
    "ES": {
        "07": "IB",
        "27": "RI",
        "29": "MD",
        "31": "MC",
        "32": "NC",
        "34": "AS",
        "39": "CB",
        "51": "AN",
        "52": "AR",
        "53": "CN",
        "54": "CM",
        "55": "CL",
        "56": "CT",
        "57": "EX",
        "58": "GA",
        "59": "PV",
        "60": "VC",
        "CE": "CE",
        "ML": "ML",
    },
    "IT": {
        "01": "65",
        "02": "77",
        "03": "78",
        "04": "72",
        "05": "45",
        "06": "36",
        "07": "62",
        "08": "42",
        "09": "25",
        "10": "57",
        "11": "67",
        "12": "21",
        "13": "75",
        "14": "88",
        "15": "82",
        "16": "52",
        "17": "32",
        "18": "55",
        "19": "23",
        "20": "34",
    },
    "FR": {
        "11": "IDF",
        "24": "CVL",
        "27": "BFC",
        "28": "NOR",
        "32": "HDF",
        "44": "GES",
        "52": "PDL",
        "53": "BRE",
        "75": "NAQ",
        "76": "OCC",
        "84": "ARA",
        "93": "PAC",
        "94": "20R",
    },
    "NL": {
        "01": "DR",
        "02": "FR",
        "03": "GE",
        "04": "GR",
        "05": "LI",
        "06": "NB",
        "07": "NH",
        "09": "UT",
        "10": "ZE",
        "11": "ZH",
        "15": "OV",
        "16": "FL",
    },
    "PL": {
        "72": "02",
        "73": "04",
        "74": "10",
        "75": "06",
        "76": "08",
        "77": "12",
        "78": "14",
        "79": "16",
        "80": "18",
        "81": "20",
        "82": "22",
        "83": "24",
        "84": "26",
        "85": "28",
        "86": "30",
        "87": "32",
    },
    "CA": {
        "01": "AB",
        "02": "BC",
        "03": "MB",
        "04": "NB",
        "05": "NL",
        "07": "NS",
        "08": "ON",
        "09": "PE",
        "10": "QC",
        "11": "SK",
        "12": "YT",
        "13": "NT",
        "14": "NU",
    },
    "AU": {"01": "ACT", "02": "NSW", "03": "NT", "04": "QLD", "05": "SA", "06": "TAS", "07": "VIC", "08": "WA"},
}

# English exonyms for subdivisions whose pycountry names are in the local language.
_ENGLISH: dict[str, str] = {
    "bavaria": "DE-BY",
    "lower saxony": "DE-NI",
    "hesse": "DE-HE",
    "north rhine westphalia": "DE-NW",
    "rhineland palatinate": "DE-RP",
    "saxony": "DE-SN",
    "saxony anhalt": "DE-ST",
    "thuringia": "DE-TH",
    "mecklenburg western pomerania": "DE-MV",
    "baden wurttemberg": "DE-BW",
    "vienna": "AT-9",
    "lower austria": "AT-3",
    "upper austria": "AT-4",
    "styria": "AT-6",
    "carinthia": "AT-2",
    "tyrol": "AT-7",
    "catalonia": "ES-CT",
    "andalusia": "ES-AN",
    "basque country": "ES-PV",
    "valencian community": "ES-VC",
    "balearic islands": "ES-IB",
    "canary islands": "ES-CN",
    "castile and leon": "ES-CL",
    "castile la mancha": "ES-CM",
    "navarre": "ES-NC",
    "aragon": "ES-AR",
    "lombardy": "IT-25",
    "piedmont": "IT-21",
    "tuscany": "IT-52",
    "sicily": "IT-82",
    "sardinia": "IT-88",
    "apulia": "IT-75",
    "aosta valley": "IT-23",
    "trentino south tyrol": "IT-32",
    "friuli venezia giulia": "IT-36",
    "brittany": "FR-BRE",
    "normandy": "FR-NOR",
    "corsica": "FR-20R",
    "north holland": "NL-NH",
    "south holland": "NL-ZH",
    "north brabant": "NL-NB",
    "friesland": "NL-FR",
    "lower silesian": "PL-02",
    "lower silesia": "PL-02",
    "silesian": "PL-24",
    "silesia": "PL-24",
    "lesser poland": "PL-12",
    "masovian": "PL-14",
    "masovia": "PL-14",
    "greater poland": "PL-30",
    "pomeranian": "PL-22",
    "west pomeranian": "PL-32",
    "warmian masurian": "PL-28",
    "flanders": "BE-VLG",
    "flemish region": "BE-VLG",
    "wallonia": "BE-WAL",
    "walloon region": "BE-WAL",
    "brussels": "BE-BRU",
    "brussels capital region": "BE-BRU",
    "newfoundland": "CA-NL",
}

_BRACKET = re.compile(r"\s*\[[^\]]*\]")


def admin_supported(country_code: str) -> bool:
    return country_code in _IDENTITY or country_code in _TABLES


@cache
def iso_subdivision(country_code: str, admin1_code: str | None) -> str | None:
    """ISO 3166-2 code for a GeoNames (country, admin1) pair, or None if not reliable."""
    if not admin1_code:
        return None
    if country_code in _IDENTITY:
        suffix = admin1_code
    else:
        suffix = _TABLES.get(country_code, {}).get(admin1_code)
        if suffix is None:
            return None
    code = f"{country_code}-{suffix}"
    return code if pycountry.subdivisions.get(code=code) is not None else None


@cache
def subdivision_display_name(iso_code: str | None) -> str | None:
    if not iso_code:
        return None
    sub = pycountry.subdivisions.get(code=iso_code)
    return _BRACKET.sub("", sub.name).strip() if sub else None


@cache
def _geonames_codes(country_code: str) -> dict[str, str]:
    """ISO code -> GeoNames admin1 code for supported countries."""
    if country_code in _IDENTITY:
        return {s.code: s.code.split("-", 1)[1] for s in pycountry.subdivisions.get(country_code=country_code) or ()}
    return {f"{country_code}-{iso}": gn for gn, iso in _TABLES.get(country_code, {}).items()}


@cache
def _subdivision_names(country_code: str) -> dict[str, str]:
    """folded name variant -> ISO code, for all subdivision levels of a country."""
    out: dict[str, str] = {}
    ambiguous: set[str] = set()
    for sub in pycountry.subdivisions.get(country_code=country_code) or ():
        name = sub.name
        variants = {name, _BRACKET.sub("", name)}
        variants.update(re.findall(r"\[([^\]]*)\]", name))
        if "," in name:
            variants.add(name.split(",", 1)[0])
        for v in variants:
            key = fold(v)
            if not key:
                continue
            if key in out and out[key] != sub.code:
                ambiguous.add(key)
            out.setdefault(key, sub.code)
    for key in ambiguous:
        out.pop(key, None)
    for key, code in _ENGLISH.items():
        if code.startswith(country_code + "-"):
            out[key] = code
    return out


@dataclass(frozen=True)
class AdminHint:
    text: str
    iso_code: str | None  # the ISO 3166-2 subdivision the hint names (any level)
    geonames_admin1: str | None  # GeoNames admin1 code to filter on, when mappable
    note: str  # human-readable explanation


def _top_level(code: str) -> list[str]:
    """The subdivision and its ancestors, most specific first."""
    chain = [code]
    seen = {code}
    while True:
        sub = pycountry.subdivisions.get(code=chain[-1])
        parent = getattr(sub, "parent_code", None) if sub else None
        if not parent or parent in seen:
            return chain
        chain.append(parent)
        seen.add(parent)


def resolve_admin_hint(hint: str, country_code: str | None) -> AdminHint | None:
    """Interpret "Illinois", "IL", "US-IL", "Bavaria" for a country."""
    if not hint or not hint.strip():
        return None
    text = hint.strip()
    iso: str | None = None
    upper = text.upper().replace(" ", "")
    if "-" in upper and pycountry.subdivisions.get(code=upper) is not None:
        iso = upper
        if country_code is None:
            country_code = upper.split("-", 1)[0]
    if country_code is None:
        return AdminHint(text, None, None, f"admin hint {text!r} ignored: no country given")
    if (
        iso is None
        and len(upper) <= 3
        and upper.isalnum()
        and pycountry.subdivisions.get(code=f"{country_code}-{upper}") is not None
    ):
        iso = f"{country_code}-{upper}"
    if iso is None:
        iso = _subdivision_names(country_code).get(fold(text))
    if iso is None or not iso.startswith(country_code + "-"):
        return AdminHint(text, None, None, f"admin hint {text!r} is not a known subdivision of {country_code}; ignored")
    if not admin_supported(country_code):
        return AdminHint(
            text,
            iso,
            None,
            f"admin hint {text!r} ({iso}) ignored: GeoNames admin1 codes for {country_code} "
            "cannot be mapped to ISO 3166-2 reliably",
        )
    codes = _geonames_codes(country_code)
    for level in _top_level(iso):
        if level in codes:
            return AdminHint(text, iso, codes[level], f"admin hint {text!r} -> {level}")
    return AdminHint(text, iso, None, f"admin hint {text!r} ({iso}) has no GeoNames admin1 equivalent; ignored")
