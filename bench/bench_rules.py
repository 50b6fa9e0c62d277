"""Benchmark: the compiled rules engine vs rule-engine and JsonLogic on the same conditions.

Generates N synthetic engagements (default 1,000,000) as fact columns, checks them against
every shipped engagement rule (the US federal PRC-missions pack: 4 rules, their undefined
terms expanded to the pack's clear cases), and evaluates the same conditions written for
``rule-engine`` (PyPI rule-engine) and a JsonLogic implementation (PyPI json-logic-qubit),
record by record. All facts are known in this data, so three-valued and two-valued logic
agree and the "applies" counts must match; the run fails if they do not.

    python bench/bench_rules.py [--n 1000000] [--library-sample N] [--seed 0]

``--library-sample`` evaluates the two libraries on the first N records only and scales
their time to the full N (printed as such); by default they run on every record.
Results are printed and written to bench/results/rules.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from datetime import date
from pathlib import Path

import numpy as np

from citydiplomacy.rules.engine import APPLIES, RuleSet, evaluate
from citydiplomacy.rules.loader import shipped_packs
from citydiplomacy.rules.table import POOL, Column, FactTable, day_number

KINDS = [
    "meeting",
    "call",
    "message_exchange",
    "inbound_visit",
    "outbound_visit",
    "trade_mission",
    "event",
    "reception",
    "conference",
    "signing",
]
CHANNELS = ["in_person", "phone", "video", "email", "messaging_app", "letter"]
VENUES = ["our_premises", "their_mission", "other_government_site", "university_or_research_site", "neutral", "online"]
INITIATORS = ["us", "them", "third_party"]
PARTNER_KINDS = [
    "embassy",
    "consulate",
    "trade_office",
    "national_government",
    "ministry",
    "subnational_government",
    "city",
    "company",
    "ngo",
    "university",
]
COUNTRIES = ["CN", "JP", "KR", "MX", "TW", "HK", "DE", "FR", "GB", "IN"]
TOPICS = ["culture", "trade", "education", "climate", "tourism"]

R1_KINDS = ["meeting", "inbound_visit", "outbound_visit", "signing", "trade_mission"]
R3_KINDS = R1_KINDS + ["reception", "event", "conference"]
GOV = ["national_government", "ministry", "subnational_government"]


def generate(n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    start, end = day_number(date(2018, 1, 1)), day_number(date(2027, 1, 1))
    partner_kind = rng.integers(0, len(PARTNER_KINDS), n)
    country = rng.choice(len(COUNTRIES), n, p=[0.3] + [0.7 / 9] * 9)
    return {
        "date": rng.integers(start, end, n),
        "kind": rng.integers(0, len(KINDS), n),
        "channel": rng.choice(len(CHANNELS), n, p=[0.55, 0.1, 0.1, 0.15, 0.05, 0.05]),
        "venue": rng.integers(0, len(VENUES), n),
        "initiated": rng.integers(0, len(INITIATORS), n),
        "official": rng.random(n) < 0.9,
        "attendance": rng.integers(0, 400, n),
        "topic": rng.integers(0, len(TOPICS), n),
        "partner_kind": partner_kind,
        "country": country,
        "senior": rng.random(n) < 0.2,
    }


def fact_table(data: dict[str, np.ndarray]) -> FactTable:
    n = len(data["date"])
    known = np.ones(n, dtype=bool)

    def codes(vocab, index):
        return POOL.codes_of(vocab)[index]

    kinds = codes(PARTNER_KINDS, data["partner_kind"])
    countries = codes(COUNTRIES, data["country"])
    prc = np.isin(data["partner_kind"], [0, 1]) & (data["country"] == 0)
    table = FactTable("engagement", [str(i) for i in range(n)])
    cols = {
        "workspace.kind": Column("enum", np.full(n, POOL.code("city"), dtype=np.int32), known),
        "workspace.country": Column("text", np.full(n, POOL.code("US"), dtype=np.int32), known),
        "workspace.subdivision": Column("text", np.full(n, POOL.code("US-CA"), dtype=np.int32), known),
        "workspace.geonames_id": Column("number", np.full(n, 5368361.0), known),
        "engagement.date": Column("date", data["date"].astype(np.int64), known),
        "engagement.kind": Column("enum", codes(KINDS, data["kind"]), known),
        "engagement.channel": Column("enum", codes(CHANNELS, data["channel"]), known),
        "engagement.venue_kind": Column("enum", codes(VENUES, data["venue"]), known),
        "engagement.initiated_by": Column("enum", codes(INITIATORS, data["initiated"]), known),
        "engagement.official_capacity": Column("bool", data["official"], known),
        "engagement.expected_attendance": Column("number", data["attendance"].astype(np.float64), known),
        "engagement.topics": Column("set", codes(TOPICS, data["topic"]).reshape(n, 1), known),
        "counterpart.kinds": Column("set", kinds.reshape(n, 1), known),
        "counterpart.countries": Column("set", countries.reshape(n, 1), known),
        "counterpart.is_prc_mission": Column("bool", prc, known),
        "counterpart.senior_diplomat_present": Column("bool", data["senior"], known),
    }
    table.columns.update(cols)
    table.titles = table.refs
    return table


def records(data: dict[str, np.ndarray], lo: int, hi: int) -> list[dict]:
    out = []
    for i in range(lo, hi):
        pk = PARTNER_KINDS[data["partner_kind"][i]]
        c = COUNTRIES[data["country"][i]]
        out.append(
            {
                "day": int(data["date"][i]),
                "kind": KINDS[data["kind"][i]],
                "channel": CHANNELS[data["channel"][i]],
                "venue_kind": VENUES[data["venue"][i]],
                "initiated_by": INITIATORS[data["initiated"][i]],
                "official_capacity": bool(data["official"][i]),
                "expected_attendance": int(data["attendance"][i]),
                "topics": [TOPICS[data["topic"][i]]],
                "counterpart_kinds": [pk],
                "counterpart_countries": [c],
                "is_prc_mission": pk in ("embassy", "consulate") and c == "CN",
                "senior": bool(data["senior"][i]),
                "workspace_kind": "city",
            }
        )
    return out


D = {
    name: day_number(value)
    for name, value in {
        "r1_from": date(2019, 10, 16),
        "r1_to": date(2020, 7, 5),
        "r2_from": date(2020, 7, 6),
        "r3_from": date(2020, 9, 2),
    }.items()
}


def rule_engine_rules():
    import rule_engine

    def lst(items):
        return "[" + ", ".join(f'"{x}"' for x in items) + "]"

    prc_or_gov = (
        '(is_prc_mission or ("CN" in counterpart_countries and ('
        + " or ".join(f'"{k}" in counterpart_kinds' for k in GOV)
        + ")))"
    )
    texts = {
        "us-prc-notice-official-meetings": f"day >= {D['r1_from']} and day <= {D['r1_to']} and {prc_or_gov} and official_capacity "
        f'and channel == "in_person" and kind in {lst(R1_KINDS)}',
        "us-prc-notice-engagements": f'day >= {D["r2_from"]} and {prc_or_gov} and channel == "in_person"',
        "us-prc-senior-approval": f'day >= {D["r3_from"]} and is_prc_mission and senior and channel == "in_person" '
        f'and kind in {lst(R3_KINDS)} and workspace_kind in ["city", "county"]',
        "us-prc-cultural-event-approval": f'day >= {D["r3_from"]} and is_prc_mission and kind in ["event", "reception", "conference"] '
        f'and "culture" in topics and initiated_by == "them" and venue_kind != "their_mission" '
        f"and expected_attendance > 50",
    }
    return {k: rule_engine.Rule(v) for k, v in texts.items()}


def json_logic_rules():
    def var(name):
        return {"var": name}

    prc_or_gov = {
        "or": [
            var("is_prc_mission"),
            {
                "and": [
                    {"in": ["CN", var("counterpart_countries")]},
                    {"or": [{"in": [k, var("counterpart_kinds")]} for k in GOV]},
                ]
            },
        ]
    }
    return {
        "us-prc-notice-official-meetings": {
            "and": [
                {">=": [var("day"), D["r1_from"]]},
                {"<=": [var("day"), D["r1_to"]]},
                prc_or_gov,
                var("official_capacity"),
                {"==": [var("channel"), "in_person"]},
                {"in": [var("kind"), R1_KINDS]},
            ]
        },
        "us-prc-notice-engagements": {
            "and": [{">=": [var("day"), D["r2_from"]]}, prc_or_gov, {"==": [var("channel"), "in_person"]}]
        },
        "us-prc-senior-approval": {
            "and": [
                {">=": [var("day"), D["r3_from"]]},
                var("is_prc_mission"),
                var("senior"),
                {"==": [var("channel"), "in_person"]},
                {"in": [var("kind"), R3_KINDS]},
                {"in": [var("workspace_kind"), ["city", "county"]]},
            ]
        },
        "us-prc-cultural-event-approval": {
            "and": [
                {">=": [var("day"), D["r3_from"]]},
                var("is_prc_mission"),
                {"in": [var("kind"), ["event", "reception", "conference"]]},
                {"in": ["culture", var("topics")]},
                {"==": [var("initiated_by"), "them"]},
                {"!=": [var("venue_kind"), "their_mission"]},
                {">": [var("expected_attendance"), 50]},
            ]
        },
    }


def run_library(name, match, rules, data, sample, chunk=50_000):
    counts = dict.fromkeys(rules, 0)
    seconds = 0.0
    for lo in range(0, sample, chunk):
        batch = records(data, lo, min(sample, lo + chunk))
        started = time.perf_counter()
        for item in batch:
            for rule_id, rule in rules.items():
                if match(rule, item):
                    counts[rule_id] += 1
        seconds += time.perf_counter() - started
    return counts, seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--library-sample", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    n, sample = args.n, min(args.library_sample or args.n, args.n)
    check_date = date(2026, 11, 22)

    data = generate(n, args.seed)
    federal = [p for p in shipped_packs() if p.id == "us-federal-prc-missions"]
    ruleset = RuleSet(federal)
    started = time.perf_counter()
    table = fact_table(data)
    build = time.perf_counter() - started
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        evaluation = evaluate(ruleset, table, check_date)
        timings.append(time.perf_counter() - started)
    ours = min(timings)
    our_counts = {k: int((r.codes == APPLIES).sum()) for k, r in evaluation.results.items()}
    sample_counts = {k: int((r.codes[:sample] == APPLIES).sum()) for k, r in evaluation.results.items()}

    from json_logic import jsonLogic

    re_counts, re_seconds = run_library(
        "rule-engine", lambda rule, item: rule.matches(item), rule_engine_rules(), data, sample
    )
    jl_counts, jl_seconds = run_library(
        "json-logic", lambda rule, item: bool(jsonLogic(rule, item)), json_logic_rules(), data, sample
    )
    scale = n / sample
    for name, counts in (("rule-engine", re_counts), ("json-logic", jl_counts)):
        if counts != sample_counts:
            print(f"MISMATCH: {name} {counts} vs citydiplomacy {sample_counts}")
            return 1

    result = {
        "engagements": n,
        "rules": len(our_counts),
        "library_sample": sample,
        "seed": args.seed,
        "machine": {
            "python": platform.python_version(),
            "processor": platform.processor() or platform.machine(),
            "cpus": __import__("os").cpu_count(),
        },
        "citydiplomacy_seconds": round(ours, 4),
        "citydiplomacy_build_seconds": round(build, 4),
        "rule_engine_seconds": round(re_seconds * scale, 2),
        "json_logic_seconds": round(jl_seconds * scale, 2),
        "rule_engine_measured_seconds": round(re_seconds, 2),
        "json_logic_measured_seconds": round(jl_seconds, 2),
        "ratio_rule_engine": round(re_seconds * scale / ours, 1),
        "ratio_json_logic": round(jl_seconds * scale / ours, 1),
        "applies": our_counts,
        "counts_match": True,
    }
    scaled = "" if sample == n else f" (measured on {sample:,} records, scaled to {n:,})"
    print(f"{n:,} engagements x {len(our_counts)} rules (US federal PRC-missions pack), same conditions, counts match")
    print(f"  citydiplomacy (compiled, numpy): {ours:8.3f} s  (+ {build:.3f} s to build the fact table)")
    print(
        f"  rule-engine {__import__('rule_engine').__version__}:             {result['rule_engine_seconds']:8.2f} s{scaled}  -> {result['ratio_rule_engine']}x slower"
    )
    print(
        f"  json-logic-qubit:                {result['json_logic_seconds']:8.2f} s{scaled}  -> {result['ratio_json_logic']}x slower"
    )
    out = Path(__file__).parent / "results" / "rules.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"  written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
