"""Commitment, target and measurement rules, checked before anything reaches the database."""

import pytest
from pydantic import ValidationError

from citydiplomacy.commitments.models import Commitment, Measurement, Obligation, Target, same_unit

TARGET = {
    "key": "grid",
    "indicator": "Renewable share",
    "unit": "%",
    "baseline_year": 2017,
    "baseline_value": 30,
    "target_year": 2045,
    "target_value": 100,
}


def errors(model, data) -> str:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return str(caught.value)


def test_direction_is_derived_from_baseline_and_target():
    assert Target.model_validate(TARGET).direction == "increase"
    assert Target.model_validate(TARGET | {"target_value": 0}).direction == "decrease"


def test_target_rules_name_the_problem():
    assert "must be after baseline_year" in errors(Target, TARGET | {"target_year": 2017})
    assert "contradicts" in errors(Target, TARGET | {"direction": "decrease"})
    assert "say which way is progress" in errors(Target, TARGET | {"target_value": 30})
    assert "outside the target's span" in errors(Target, TARGET | {"milestones": [{"year": 2050, "value": 90}]})
    assert "same year" in errors(
        Target, TARGET | {"milestones": [{"year": 2025, "value": 50}, {"year": 2025, "value": 55}]}
    )
    assert "not an SDG code" in errors(Target, TARGET | {"sdgs": ["7.9"]})
    assert "not an SDG indicator code" in errors(Target, TARGET | {"indicator_code": "7.2"})


def test_commitment_refuses_duplicate_targets_and_series():
    base = {"title": "Plan", "targets": [TARGET, TARGET]}
    assert "used twice" in errors(Commitment, base)
    assert "repeats the series" in errors(
        Commitment, {"title": "Plan", "targets": [TARGET, TARGET | {"key": "grid-2"}]}
    )


def test_commitment_ref_and_sdg_codes():
    commitment = Commitment.model_validate(
        {
            "title": "Five Zeroes",
            "made_on": "2019-04-29",
            "sdgs": ["SDG 13.2", "11"],
            "targets": [TARGET | {"sdgs": ["7.2"], "indicator_code": "7.2.1"}],
        }
    )
    assert commitment.with_ref().ref == "2019-five-zeroes"
    assert commitment.sdgs == ["13.2", "11"]
    assert commitment.all_sdg_codes() == ["13.2", "11", "7.2", "7.2.1"]


def test_measurement_by_year_or_date():
    assert Measurement.model_validate({"year": 2022, "value": 1, "source": "x"}).on.isoformat() == "2022-12-31"
    assert "either 'on'" in errors(Measurement, {"year": 2022, "on": "2022-06-30", "value": 1, "source": "x"})
    assert "source" in errors(Measurement, {"year": 2022, "value": 1})


def test_units_compare_ignoring_case_spacing_and_spellings_of_percent():
    assert same_unit("%", "percent") and same_unit("MtCO2e", "mt co2e") and not same_unit("tCO2e", "MtCO2e")


def test_annual_obligations_are_never_done_for_good():
    data = {"membership": "c40/us", "kind": "dues", "title": "Dues", "due_on": "2025-01-31", "recurrence": "annual"}
    assert Obligation.model_validate(data).with_ref().ref == "c40/us/dues"
    assert "never done for good" in errors(Obligation, data | {"done": True})
