"""The engine's semantics: three answers, dated parameters, deadlines, and vectorised = one by one."""

from datetime import date

import numpy as np

from citydiplomacy.rules.conditions import Interpretation
from citydiplomacy.rules.deadlines import due_days
from citydiplomacy.rules.engine import RuleSet, evaluate
from citydiplomacy.rules.loader import load_pack, shipped_packs
from citydiplomacy.rules.schema import Deadline, Holidays
from citydiplomacy.rules.table import FactTable, day_number, from_day_number

PACKS = {p.id: p for p in shipped_packs()}


def test_checking_many_records_at_once_gives_the_same_answers_as_one_at_a_time():
    rng = np.random.default_rng(7)
    rows = []
    for i in range(300):
        rows.append(
            {
                "workspace.kind": "city",
                "workspace.country": "US",
                "engagement.date": date(2019, 6, 1) + (date(2022, 1, 1) - date(2019, 6, 1)) * float(rng.random()),
                "engagement.kind": rng.choice(["meeting", "call", "message_exchange", "reception", "event"]),
                "engagement.channel": rng.choice(["in_person", "email", "video", "messaging_app"]),
                "engagement.official_capacity": [True, False, None][i % 3],
                "engagement.expected_attendance": [None, 20, 60, 51][i % 4],
                "engagement.initiated_by": ["them", "us", None][i % 3],
                "engagement.venue_kind": ["our_premises", "their_mission", None][i % 3],
                "engagement.topics": [["culture"], [], ["trade"]][i % 3],
                "counterpart.is_prc_mission": [True, False, None][i % 3],
                "counterpart.countries": [["CN"], ["TW"], None][i % 3],
                "counterpart.kinds": [["consulate"], ["trade_office"], None][i % 3],
                "counterpart.senior_diplomat_present": [True, None, False, True][i % 4],
            }
        )
    ruleset = RuleSet([PACKS["us-federal-prc-missions"]])
    together = evaluate(ruleset, FactTable.from_rows("engagement", rows), date(2026, 1, 1))
    for i, row in enumerate(rows):
        alone = evaluate(ruleset, FactTable.from_rows("engagement", [row]), date(2026, 1, 1))
        for rule_id in together.results:
            assert together.verdict(rule_id, i) == alone.verdict(rule_id, 0), (rule_id, row)
    verdicts = {together.verdict("us-prc-notice-engagements", i) for i in range(len(rows))}
    assert verdicts == {"applies", "does_not_apply", "unclear", "not_in_force"}


def test_a_does_not_apply_finding_names_the_condition_that_failed():
    row = {
        "workspace.kind": "city",
        "workspace.country": "US",
        "engagement.date": date(2021, 6, 1),
        "engagement.kind": "meeting",
        "engagement.channel": "in_person",
        "counterpart.is_prc_mission": True,
        "counterpart.countries": ["CN"],
        "counterpart.kinds": ["consulate"],
        "counterpart.senior_diplomat_present": False,
    }
    evaluation = evaluate(
        RuleSet([PACKS["us-federal-prc-missions"]]), FactTable.from_rows("engagement", [row]), date(2026, 1, 1)
    )
    finding = {f.rule_id: f for f in evaluation.findings(0)}["us-prc-senior-approval"]
    assert finding.verdict == "does_not_apply"
    assert [f["fact"] for f in finding.failed] == ["counterpart.senior_diplomat_present"]
    assert finding.reasons[0].startswith("Does not apply because counterpart.senior_diplomat_present is true is false")


def test_an_interpretation_that_does_not_parse_is_reported_not_applied():
    bad = Interpretation(
        term="official_meeting", statement="x", value=False, when=[{"fact": "engagement.medium", "is": "x"}]
    )
    ruleset = RuleSet([PACKS["us-federal-prc-missions"]], [bad])
    assert ruleset.problems and "engagement.medium" in ruleset.problems[0]


def test_parameters_are_read_as_they_stood_on_the_records_date():
    ca = PACKS["us-ca-gifts"]
    rows = [
        {
            "workspace.country": "US",
            "workspace.subdivision": "US-CA",
            "workspace.kind": "city",
            "gift.date": day,
            "gift.to_government": False,
            "gift.donor_year_total_usd": 600,
        }
        for day in (date(2022, 12, 31), date(2023, 1, 1), date(2024, 12, 31), date(2025, 1, 1))
    ]
    evaluation = evaluate(RuleSet([ca]), FactTable.from_rows("gift", rows), date(2026, 1, 1))
    assert [evaluation.verdict("ca-gift-over-annual-limit", i) for i in range(4)] == [
        "not_in_force",
        "applies",
        "applies",
        "unclear",
    ]
    finding = {f.rule_id: f for f in evaluation.findings(2)}["ca-gift-over-annual-limit"]
    (parameter,) = finding.trace["parameters"]
    assert (
        parameter["value"] == 590
        and parameter["value_since"] == "2023-01-01"
        and parameter["citations"][0]["facts"] == ["F7.2"]
    )


def test_business_day_deadlines_skip_weekends_and_the_jurisdictions_public_holidays():
    reference = np.array([day_number(date(2025, 7, 7))])  # a Monday; 4 July 2025 (Friday) is a US holiday
    due, exact = due_days(
        Deadline(before="engagement.date", days=2, unit="business"), reference, Holidays(country="US"), 1
    )
    assert exact and from_day_number(int(due[0])) == date(2025, 7, 2)
    due, _ = due_days(Deadline(before="engagement.date", days=2, unit="calendar"), reference, None, 1)
    assert from_day_number(int(due[0])) == date(2025, 7, 5)
    due, exact = due_days(Deadline(before="engagement.date"), reference, None, 1)
    assert not exact and from_day_number(int(due[0])) == date(2025, 7, 7), (
        "no lead time: due by the date itself, not exact"
    )


def test_the_2019_rule_never_invents_a_lead_time():
    rule = next(
        r.rule for r in PACKS["us-federal-prc-missions"].rules if r.rule.id == "us-prc-notice-official-meetings"
    )
    assert rule.obligation.deadline.days is None
    assert "F1.8" in rule.obligation.deadline.note


def test_an_uncertain_parameter_value_makes_the_rule_unclear_naming_the_parameter():
    pack = load_pack(
        """\
pack: test-pack
version: "1"
title: t
jurisdiction: US
applies_in: {country: US}
illustrative: true
disclaimer: Illustrative, not legal advice.
parameters:
  - id: cap
    description: cap
    type: money_usd
    values:
      2020-01-01: {value: 10}
      2021-01-01: {unknown: true, note: not published}
rules:
  - id: test-rule
    title: r
    jurisdiction: US
    duty_bearer: named_official
    applies_to: gift
    when: [{fact: gift.value_usd, gt: {param: cap}}]
    obligation: {kind: disclose, text: Disclose.}
    effective_from: 2020-01-01
    citations: [{document: d, facts: [F7.2]}]
    confidence: {level: low, reason: test}
""",
        "p.yaml",
    )
    rows = [
        {"workspace.country": "US", "gift.date": date(2020, 6, 1), "gift.value_usd": 11},
        {"workspace.country": "US", "gift.date": date(2021, 6, 1), "gift.value_usd": 11},
    ]
    evaluation = evaluate(RuleSet([pack]), FactTable.from_rows("gift", rows), date(2026, 1, 1))
    assert evaluation.verdict("test-rule", 0) == "applies"
    finding = evaluation.findings(1)[0]
    assert finding.verdict == "unclear" and finding.unclear[0].kind == "parameter" and finding.unclear[0].name == "cap"


def test_fifty_thousand_engagements_are_checked_in_one_vectorised_pass():
    """Speed is measured in bench/bench_rules.py, not here; this checks the bulk path's answers."""
    rng = np.random.default_rng(1)
    n = 50_000
    rows = {
        "workspace.kind": ["city"] * n,
        "workspace.country": ["US"] * n,
        "engagement.date": [date(2019, 1, 1) + (date(2026, 1, 1) - date(2019, 1, 1)) * float(x) for x in rng.random(n)],
        "engagement.kind": list(rng.choice(["meeting", "event", "call"], n)),
        "engagement.channel": list(rng.choice(["in_person", "email"], n)),
        "engagement.expected_attendance": list(rng.integers(0, 200, n)),
        "counterpart.is_prc_mission": list(rng.random(n) < 0.3),
        "counterpart.countries": [["CN"] if x < 0.3 else ["JP"] for x in rng.random(n)],
        "counterpart.kinds": [["consulate"]] * n,
        "counterpart.senior_diplomat_present": list(rng.random(n) < 0.2),
    }
    table = FactTable.from_columns("engagement", [str(i) for i in range(n)], rows)
    ruleset = RuleSet(list(PACKS.values()))
    evaluation = evaluate(ruleset, table, date(2026, 11, 1))
    counts = evaluation.counts()
    assert counts["applies"] > 0
    assert sum(counts.values()) >= n
