"""Free-text country strings -> ISO 3166-1 (pycountry), with regions.

Handles ISO codes, official/common names, a small alias table of English
usage found in real data ("South Korea", "Ivory Coast", "Republic of Ireland",
"Kosovo"), constituent countries ("England" -> GB, region England), strings
with a region ("England, United Kingdom", "New York, United States"),
disambiguated names ("Georgia (country)") and territories that have their own
ISO code but are written with their sovereign ("Martinique, France" -> MQ,
because GeoNames files Martinique's towns under MQ; FR is kept as a fallback).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pycountry
from rapidfuzz import fuzz, process

from .normalise import fold, strip_parenthetical

__all__ = ["TERRITORIES", "CountryMatch", "country_name", "parse_country"]


@dataclass(frozen=True)
class CountryMatch:
    alpha2: str
    alpha3: str
    name: str
    region: str | None
    reason: str
    #: further ISO codes to search when a place is not found under ``alpha2``
    #: (e.g. "Martinique, France" -> alpha2 MQ, also ("FR",)).
    also: tuple[str, ...] = field(default=())
    #: True when the country was only matched approximately (a typo).
    approximate: bool = False


# Kosovo is not in ISO 3166-1 but GeoNames (and the EU) use XK.
_EXTRA = {"XK": ("XKX", "Kosovo")}

# English usage not covered by pycountry's name/common_name/official_name.
_ALIASES: dict[str, str] = {
    "usa": "US",
    "u s": "US",
    "u s a": "US",
    "united states of america": "US",
    "america": "US",
    "us state": "US",
    "u s state": "US",
    "uk": "GB",
    "u k": "GB",
    "great britain": "GB",
    "britain": "GB",
    "russia": "RU",
    "russian federation": "RU",
    "south korea": "KR",
    "korea south": "KR",
    "republic of korea": "KR",
    "north korea": "KP",
    "korea north": "KP",
    "turkey": "TR",
    "turkiye": "TR",
    "vietnam": "VN",
    "viet nam": "VN",
    "czech republic": "CZ",
    "czechia": "CZ",
    "ivory coast": "CI",
    "cote d ivoire": "CI",
    "cape verde": "CV",
    "swaziland": "SZ",
    "eswatini": "SZ",
    "macedonia": "MK",
    "north macedonia": "MK",
    "republic of macedonia": "MK",
    "burma": "MM",
    "east timor": "TL",
    "timor leste": "TL",
    "vatican": "VA",
    "vatican city": "VA",
    "holy see": "VA",
    "palestine": "PS",
    "state of palestine": "PS",
    "kosovo": "XK",
    "taiwan": "TW",
    "republic of china": "TW",
    "iran": "IR",
    "syria": "SY",
    "laos": "LA",
    "moldova": "MD",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "brunei": "BN",
    "democratic republic of the congo": "CD",
    "dr congo": "CD",
    "drc": "CD",
    "congo kinshasa": "CD",
    "republic of the congo": "CG",
    "congo brazzaville": "CG",
    "gambia": "GM",
    "the gambia": "GM",
    "bahamas": "BS",
    "the bahamas": "BS",
    "micronesia": "FM",
    "federated states of micronesia": "FM",
    "republic of ireland": "IE",
    "ireland": "IE",
    "eire": "IE",
    "the netherlands": "NL",
    "holland": "NL",
    "surinam": "SR",
    "bosnia": "BA",
    "bosnia and hercegovina": "BA",
    "bosnia herzegovina": "BA",
    "hong kong": "HK",
    "macau": "MO",
    "macao": "MO",
    "falkland islands": "FK",
    "falklands": "FK",
    "aland": "AX",
    "aland islands": "AX",
    "reunion": "RE",
    "st helena": "SH",
    "saint helena": "SH",
    "sao tome and principe": "ST",
    "saint kitts and nevis": "KN",
    "saint lucia": "LC",
    "saint vincent and the grenadines": "VC",
    "united arab emirates": "AE",
    "uae": "AE",
    "western sahara": "EH",
    "french guiana": "GF",
    "moldavia": "MD",  # historical English name of Moldova
}

# Names that stand for a region of a country rather than the country itself.
_REGION_ALIASES: dict[str, tuple[str, str]] = {
    "england": ("GB", "England"),
    "scotland": ("GB", "Scotland"),
    "wales": ("GB", "Wales"),
    "northern ireland": ("GB", "Northern Ireland"),
    "northern cyprus": ("CY", "Northern Cyprus"),  # GeoNames files it under CY
    "north cyprus": ("CY", "Northern Cyprus"),
    "west bank": ("PS", "West Bank"),
    "gaza strip": ("PS", "Gaza Strip"),
    "gaza": ("PS", "Gaza Strip"),
}

#: Sovereign -> dependent territories with their own ISO 3166-1 code.
TERRITORIES: dict[str, tuple[str, ...]] = {
    "FR": ("GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"),
    "GB": ("JE", "GG", "IM", "GI", "BM", "FK", "KY", "VG", "AI", "MS", "TC", "SH"),
    "NL": ("AW", "CW", "SX", "BQ"),
    "US": ("PR", "GU", "VI", "AS", "MP"),
    "DK": ("FO", "GL"),
    "FI": ("AX",),
    "NO": ("SJ",),
    "AU": ("CX", "CC", "NF"),
    "CN": ("HK", "MO"),
    "NZ": ("CK", "NU", "TK"),
}
_SOVEREIGN = {t: s for s, ts in TERRITORIES.items() for t in ts}

# Qualifiers in "Georgia (country)" that mean "the country itself".
_COUNTRY_QUALIFIERS = {"country", "nation", "state", "sovereign state", "republic"}


def _country_record(alpha2: str) -> tuple[str, str, str] | None:
    if alpha2 in _EXTRA:
        alpha3, name = _EXTRA[alpha2]
        return alpha2, alpha3, name
    rec = pycountry.countries.get(alpha_2=alpha2)
    if rec is None:
        return None
    name = getattr(rec, "common_name", None) or rec.name
    return rec.alpha_2, rec.alpha_3, name


def country_name(alpha2: str) -> str | None:
    rec = _country_record(alpha2)
    return rec[2] if rec else None


@lru_cache(maxsize=1)
def _name_table() -> dict[str, str]:
    table: dict[str, str] = {}
    before_comma: dict[str, set[str]] = {}
    for rec in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(rec, attr, None)
            if not value:
                continue
            table.setdefault(fold(value), rec.alpha_2)
            if "," in value:
                head, tail = (p.strip() for p in value.split(",", 1))
                # "Iran, Islamic Republic of" -> "Islamic Republic of Iran"
                table.setdefault(fold(f"{tail} {head}"), rec.alpha_2)
                before_comma.setdefault(fold(head), set()).add(rec.alpha_2)
    for head, codes in before_comma.items():
        if len(codes) == 1:  # "Korea" is ambiguous (KP/KR) and is skipped
            table.setdefault(head, next(iter(codes)))
    table.update(_ALIASES)
    return table


def _from_code(text: str) -> str | None:
    if not text.isalpha() or len(text) not in (2, 3):
        return None
    upper = text.upper()
    if upper in _EXTRA:
        return upper
    if len(upper) == 3 and upper == "XKX":
        return "XK"
    rec = pycountry.countries.get(alpha_2=upper) if len(upper) == 2 else pycountry.countries.get(alpha_3=upper)
    return rec.alpha_2 if rec else None


def _make(
    alpha2: str, region: str | None, reason: str, also: tuple[str, ...] = (), approximate: bool = False
) -> CountryMatch | None:
    rec = _country_record(alpha2)
    if rec is None:
        return None
    return CountryMatch(rec[0], rec[1], rec[2], region, reason, also, approximate)


def _exact(text: str) -> CountryMatch | None:
    """Codes, names and aliases, without splitting or fuzzy matching."""
    code = _from_code(text.strip())
    key = fold(text)
    if key in _REGION_ALIASES:
        alpha2, region = _REGION_ALIASES[key]
        return _make(alpha2, region, f"'{text}' is part of {country_name(alpha2)}; kept as region {region!r}")
    if code is not None and key not in _name_table():
        return _make(code, None, f"ISO code {text.strip().upper()}")
    alpha2 = _name_table().get(key)
    if alpha2 is None:
        return None
    reason = f"country name {text.strip()!r}"
    if key == "georgia":
        reason += " (read as the country; write 'Georgia, United States' for the US state)"
    return _make(alpha2, None, reason, also=_territory_also(alpha2))


def _territory_also(alpha2: str) -> tuple[str, ...]:
    if alpha2 in _SOVEREIGN:
        return (_SOVEREIGN[alpha2],)
    return TERRITORIES.get(alpha2, ())


@lru_cache(maxsize=4096)
def parse_country(text: str | None) -> CountryMatch | None:
    """Parse a free-text country string; ``None`` when it is not understood."""
    if text is None:
        return None
    text = " ".join(text.split())
    if not text:
        return None
    found = _exact(text)
    if found:
        return found
    # "Georgia (country)", "Georgia (U.S. state)"
    base, qual = strip_parenthetical(text)
    if qual is not None:
        if fold(qual) in _COUNTRY_QUALIFIERS:
            inner = _exact(base)
            if inner:
                return _make(inner.alpha2, inner.region, f"{text!r}: qualifier {qual!r} marks the country", inner.also)
        outer = _exact(qual)
        if outer:
            return _make(outer.alpha2, base, f"{text!r}: {base!r} read as a region of {outer.name}", outer.also)
    # "England, United Kingdom", "Martinique, France", "New York, United States"
    if "," in text:
        head, tail = (p.strip() for p in text.rsplit(",", 1))
        outer = parse_country(tail)
        if outer and head:
            inner = _exact(head)
            if inner and inner.alpha2 != outer.alpha2 and inner.alpha2 in TERRITORIES.get(outer.alpha2, ()):
                return _make(
                    inner.alpha2,
                    None,
                    f"{head!r} has its own ISO code {inner.alpha2} (GeoNames files its places there); "
                    f"{outer.alpha2} searched as fallback",
                    also=(outer.alpha2,),
                )
            region = inner.region if inner and inner.alpha2 == outer.alpha2 and inner.region else head
            return _make(outer.alpha2, region, f"{text!r}: country {outer.name}, region {region!r}", outer.also)
    return _fuzzy_country(text)


def _fuzzy_country(text: str) -> CountryMatch | None:
    key = fold(text)
    if len(key) < 4:
        return None
    table = _name_table()
    hits = process.extract(key, list(table), scorer=fuzz.ratio, score_cutoff=88, limit=5)
    if not hits:
        return None
    best_code = table[hits[0][0]]
    rivals = [h for h in hits[1:] if table[h[0]] != best_code and h[1] >= hits[0][1] - 5]
    if rivals:
        return None
    return _make(
        best_code,
        None,
        f"approximate: {text!r} read as {country_name(best_code)!r} (similarity {hits[0][1]:.0f}%)",
        also=_territory_also(best_code),
        approximate=True,
    )
