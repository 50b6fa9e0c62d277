"""Reference data: the SDG framework is complete and well formed; the networks list cites its facts."""

import re
from datetime import date

import pytest

from citydiplomacy.commitments import sdg
from citydiplomacy.commitments.models import Recurrence
from citydiplomacy.commitments.network_reference import add_months, reference_list, reference_network

TARGET_CODE = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-d])$")
INDICATOR_CODE = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-d])\.(\d{1,2})$")


def test_seventeen_goals_numbered_one_to_seventeen_with_titles():
    goals = sdg.framework().goals
    assert [g.number for g in goals] == list(range(1, 18))
    assert all(g.name and g.title for g in goals)
    assert sdg.sdg_goal(11).name == "Sustainable cities and communities"


def test_one_hundred_and_sixty_nine_targets_with_short_titles():
    targets = sdg.framework().targets
    assert len(targets) == 169
    assert len({t.code for t in targets}) == 169
    for target in targets:
        match = TARGET_CODE.match(target.code)
        assert match, target.code
        assert 1 <= int(match.group(1)) <= 17
        assert 10 <= len(target.title) <= 200, target.code


def test_known_target_counts_per_goal():
    counts = {g.number: len(g.targets) for g in sdg.framework().goals}
    assert counts == {
        1: 7,
        2: 8,
        3: 13,
        4: 10,
        5: 9,
        6: 8,
        7: 5,
        8: 12,
        9: 8,
        10: 10,
        11: 10,
        12: 11,
        13: 5,
        14: 10,
        15: 12,
        16: 12,
        17: 19,
    }


def test_indicators_belong_to_their_target_and_cover_the_demo_goals():
    for goal in sdg.framework().goals:
        for target in goal.targets:
            for indicator in target.indicators:
                assert INDICATOR_CODE.match(indicator.code), indicator.code
                assert indicator.target_code == target.code
                assert indicator.title
    for number in (6, 7, 11, 12, 13, 17):
        goal = sdg.sdg_goal(number)
        without = [t.code for t in goal.targets if not t.indicators]
        assert without in ([], ["11.c"]), without  # 11.c's indicator was deleted in the 2020 review
    assert len(sdg.framework().indicators) >= 231


def test_provenance_names_the_resolution_and_says_texts_are_abridged():
    provenance = sdg.framework().provenance
    assert "A/RES/71/313" in provenance and "abridged" in provenance.lower()


@pytest.mark.parametrize("code", ["11", "11.6", "11.6.1", "11.a", "17.19.2", 13, "SDG 7.2", " 6.3.1 ", "11.A"])
def test_valid_codes(code):
    assert sdg.is_sdg_code(code)


@pytest.mark.parametrize(
    "code", ["0", "18", "11.8", "11.6.9", "11.e", "11.6.1.1", "", "x", None, True, "1.1.1 "[:4] + "a"]
)
def test_invalid_codes(code):
    assert not sdg.is_sdg_code(code)


def test_lookups_and_labels():
    assert sdg.sdg_target("11.6").goal == 11
    assert sdg.sdg_indicator("7.2.1").title.startswith("Renewable energy share")
    assert sdg.describe("13") == "Goal 13: Climate action"
    assert sdg.goal_of("12.5.1") == 12
    with pytest.raises(KeyError):
        sdg.sdg_target("11.6.1")


def test_check_sdg_codes_names_the_field_of_each_bad_code():
    cleaned, problems = sdg.check_sdg_codes(["13.2", "11.6", "13.2", "19", "11.x"], "sdgs")
    assert cleaned == ["13.2", "11.6"]
    assert [p.field for p in problems] == ["sdgs[3]", "sdgs[4]"]
    assert "not an SDG code" in problems[0].message


REQUIRED_NETWORKS = {
    "c40",
    "u20",
    "iclei",
    "uclg",
    "metropolis",
    "climate-mayors",
    "gcom",
    "mayors-for-peace",
    "strong-cities",
    "gpm",
}


def test_networks_reference_list_has_the_required_networks_with_cited_founding_years():
    reference = reference_list()
    assert reference.as_of <= date.today()
    refs = {n.ref for n in reference.networks}
    assert refs >= REQUIRED_NETWORKS
    for network in reference.networks:
        assert 1900 <= int(network.founded_year.value) <= reference.as_of.year
        assert len(network.founded_year.source) > 10
        for fact in [*network.requirements, *network.obligations]:
            assert fact.source and fact.confidence in ("high", "medium")
        if network.website:
            assert network.website.startswith("https://")
    assert reference_network("c40").founded_year.value == 2005
    assert reference_network("iclei").founded_year.value == 1990
    assert reference_network("mayors-for-peace").founded_year.value == 1982


def test_obligation_due_dates():
    c40 = reference_network("c40")
    plan = next(o for o in c40.obligations if o.kind == "climate_action_plan")
    report = next(o for o in c40.obligations if o.kind == "annual_reporting")
    assert plan.recurrence == Recurrence.once
    assert plan.due_on(date(2024, 3, 15), date(2025, 1, 1)) == date(2026, 3, 15)
    assert report.recurrence == Recurrence.annual
    assert report.due_on(None, date(2025, 1, 1)) == date(2025, 7, 31)
    assert report.due_on(None, date(2025, 8, 1)) == date(2026, 7, 31)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
