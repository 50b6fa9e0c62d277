"""A malformed or inconsistent pack is rejected with file, line and rule id."""

import pytest

from citydiplomacy.domain import InvalidInput
from citydiplomacy.rules.loader import load_pack

GOOD = """\
pack: test-pack
version: "1"
title: Test pack
jurisdiction: US
applies_in: {country: US}
illustrative: true
disclaimer: Illustrative, not legal advice.
rules:
  - id: test-rule
    title: A test rule
    jurisdiction: US
    duty_bearer: our_government
    applies_to: engagement
    when:
      - {fact: engagement.channel, is: in_person}
    obligation: {kind: notify, text: Tell someone.}
    effective_from: 2020-01-01
    citations: [{document: Test, facts: [F1.1]}]
    confidence: {level: high, reason: test}
"""


def rejected(text, cases=None):
    with pytest.raises(InvalidInput) as error:
        load_pack(text, "bad.yaml", cases_text=cases, cases_file="bad.cases.yaml")
    return error.value.problems


def test_a_good_pack_loads():
    assert load_pack(GOOD, "good.yaml").rules[0].rule.id == "test-rule"


def test_an_unknown_field_is_named_with_its_line_and_rule():
    (problem,) = rejected(
        GOOD.replace("    applies_to: engagement\n", "    applies_to: engagement\n    aplies_from: 2020-01-01\n")
    )
    assert problem.file == "bad.yaml" and problem.line == 14
    assert "unknown field 'aplies_from'" in problem.message and "rule 'test-rule'" in problem.message


def test_a_condition_on_a_fact_that_does_not_exist_is_refused():
    (problem,) = rejected(GOOD.replace("engagement.channel, is: in_person", "engagement.chanel, is: in_person"))
    assert problem.line == 15 and "rule 'test-rule'" in problem.message
    assert "fact that does not exist: 'engagement.chanel'" in problem.message


def test_a_value_outside_the_facts_vocabulary_is_refused():
    (problem,) = rejected(GOOD.replace("is: in_person", "is: inperson"))
    assert "'inperson' is not a value of 'engagement.channel'" in problem.message


def test_overlapping_dates_for_the_same_rule_are_refused():
    second = GOOD.split("rules:\n")[1].replace("2020-01-01", "2021-06-01")
    problems = rejected(GOOD + second)
    assert len(problems) == 1
    assert problems[0].line == 28 and "rule 'test-rule'" in problems[0].message
    assert "overlap" in problems[0].message and "line 9" in problems[0].message


def test_consecutive_versions_of_a_rule_are_accepted():
    first = GOOD.replace(
        "    effective_from: 2020-01-01\n", "    effective_from: 2020-01-01\n    effective_to: 2021-05-31\n"
    )
    second = GOOD.split("rules:\n")[1].replace("2020-01-01", "2021-06-01")
    loaded = load_pack(first + second, "ok.yaml")
    assert [r.version_no for r in loaded.rules] == [0, 1]


def test_a_failing_case_rejects_the_pack_naming_the_case_file_line_and_rule():
    cases = """\
pack: test-pack
cases:
  - name: an email is wrongly expected to be covered
    record: engagement
    facts: {engagement.date: 2021-01-01, engagement.channel: email}
    expect: {test-rule: applies}
"""
    (problem,) = rejected(GOOD, cases)
    assert problem.file == "bad.cases.yaml" and problem.line == 3
    assert "test-rule" in problem.message and "expected applies, got does_not_apply" in problem.message


def test_yaml_syntax_errors_give_the_line():
    (problem,) = rejected(GOOD + "  - id: [unclosed\n")
    assert problem.line is not None and problem.file == "bad.yaml"


def test_duplicate_keys_are_refused_rather_than_silently_collapsed():
    problems = rejected(GOOD.replace("    title: A test rule\n", "    title: A test rule\n    title: Another\n"))
    assert any("duplicate key 'title'" in p.message and p.line == 11 for p in problems)


def test_a_date_that_does_not_exist_is_named_with_its_line_not_a_server_error():
    problems = rejected(GOOD.replace("effective_from: 2020-01-01", "effective_from: 2023-02-30"))
    problem = next(p for p in problems if "2023-02-30" in p.message)
    assert problem.file == "bad.yaml" and problem.line == 17
    assert "day is out of range for month" in problem.message and "effective_from" in (problem.field or "")
