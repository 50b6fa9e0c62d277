"""The status method on the edge cases a city meets: no database, just targets and measurements."""

from datetime import date

import pytest

from citydiplomacy.commitments.models import Measurement, Target
from citydiplomacy.commitments.status import METHOD, Status, assess

AS_OF = date(2026, 6, 30)


def emissions(**changes) -> Target:
    """Emissions down from 100 (2010) to 50 by 2030: a decreasing target."""
    data = {
        "key": "ghg",
        "indicator": "Citywide emissions",
        "unit": "MtCO2e",
        "baseline_year": 2010,
        "baseline_value": 100,
        "target_year": 2030,
        "target_value": 50,
    } | changes
    return Target.model_validate(data)


def renewables(**changes) -> Target:
    """Renewable share up from 20% (2015) to 60% by 2035: an increasing target."""
    data = {
        "key": "res",
        "indicator": "Renewable share",
        "unit": "%",
        "baseline_year": 2015,
        "baseline_value": 20,
        "target_year": 2035,
        "target_value": 60,
    } | changes
    return Target.model_validate(data)


def series(values: dict[int, float]) -> list[Measurement]:
    return [Measurement(year=year, value=value, source="test") for year, value in values.items()]


def test_every_status_carries_the_method_text():
    for measurements in ([], series({2015: 90}), series({2015: 40})):
        result = assess(emissions(), measurements, AS_OF)
        assert result.method == METHOD
        assert "least-squares" in result.method.lower()
        assert result.explanation


def test_no_measurements_is_no_data():
    result = assess(emissions(), [], AS_OF)
    assert result.status == Status.no_data
    assert "no measurement" in result.explanation.lower()


def test_one_point_projects_the_line_from_the_baseline():
    # 100 (2010) -> 90 (2015): -2 a year, so 60 at the end of 2030, 80% of the required 50.
    result = assess(emissions(), series({2015: 90}), AS_OF)
    assert result.projected_value == pytest.approx(60, abs=0.1)
    assert result.share_of_required_change == pytest.approx(0.8, abs=0.01)
    assert result.status == Status.at_risk
    assert result.points_used == 2


def test_one_point_in_the_baseline_year_gives_no_trend():
    result = assess(emissions(), series({2010: 98}), AS_OF)
    assert result.status == Status.no_data
    assert "baseline year" in result.explanation


def test_flat_trend_is_off_track():
    result = assess(emissions(), series({2012: 100, 2015: 100, 2018: 100, 2021: 100}), AS_OF)
    assert result.slope_per_year == pytest.approx(0, abs=1e-9)
    assert result.status == Status.off_track
    assert result.share_of_required_change == pytest.approx(0, abs=1e-6)


def test_target_already_met_is_on_track_without_projection():
    result = assess(emissions(), series({2015: 80, 2020: 48}), AS_OF)
    assert result.status == Status.on_track
    assert "already meets" in result.explanation
    assert result.slope_per_year is None


def test_missing_years_do_not_change_the_fitted_line():
    # Points exactly on a line (-2.5 a year): gaps in the years must not matter.
    steady = assess(emissions(), series({y: 100 - 2.5 * (y - 2010) for y in range(2011, 2021)}), AS_OF)
    gappy = assess(emissions(), series({2011: 97.5, 2014: 90, 2019: 77.5}), AS_OF)
    assert steady.projected_value == pytest.approx(50, abs=0.1)
    assert gappy.projected_value == pytest.approx(steady.projected_value, abs=1e-3)  # leap days shift dates a little
    assert gappy.status == steady.status == Status.on_track


@pytest.mark.parametrize(
    ("target", "values", "expected"),
    [
        (emissions(), {2015: 85, 2020: 72}, Status.on_track),  # down fast enough
        (emissions(), {2015: 95, 2020: 90}, Status.off_track),  # down too slowly
        (emissions(), {2015: 105, 2020: 110}, Status.off_track),  # the wrong way
        (renewables(), {2018: 28, 2022: 38}, Status.on_track),  # up fast enough
        (renewables(), {2018: 22, 2022: 24}, Status.off_track),  # up too slowly
        (renewables(), {2018: 18, 2022: 15}, Status.off_track),  # the wrong way
    ],
)
def test_direction_decides_what_progress_means(target, values, expected):
    assert assess(target, series(values), AS_OF).status == expected


def test_wrong_way_is_explained():
    result = assess(renewables(), series({2018: 18, 2022: 15}), AS_OF)
    assert result.share_of_required_change < 0
    assert "moves away" in result.explanation


def test_measurements_after_the_target_year_do_not_count():
    target = emissions(target_year=2020)
    before = assess(target, series({2015: 90, 2018: 85}), AS_OF)
    with_later = assess(target, series({2015: 90, 2018: 85, 2022: 10, 2024: 5}), AS_OF)
    assert with_later.status == before.status
    assert with_later.projected_value == pytest.approx(before.projected_value)
    assert with_later.ignored_after_target_year == 2
    assert "after 2020" in with_later.explanation


def test_a_measured_target_year_is_compared_directly():
    missed = assess(emissions(target_year=2020), series({2015: 80, 2020: 55}), AS_OF)
    assert missed.status == Status.off_track
    assert "missed" in missed.explanation
    met = assess(emissions(target_year=2020), series({2015: 80, 2020: 50}), AS_OF)
    assert met.status == Status.on_track


def test_a_missed_past_milestone_downgrades_on_track_to_at_risk():
    target = emissions(milestones=[{"year": 2015, "value": 80}])
    # Slow start, fast finish: the trend still reaches 50 but 2015 missed its milestone.
    result = assess(target, series({2015: 95, 2018: 70, 2021: 60}), AS_OF)
    assert result.projected_value <= 50
    assert result.status == Status.at_risk
    assert [m.result for m in result.milestones] == ["missed"]
    assert "2015 milestone" in result.explanation


def test_milestones_in_the_future_are_upcoming():
    result = assess(emissions(milestones=[{"year": 2028, "value": 60}]), series({2015: 85}), AS_OF)
    assert [m.result for m in result.milestones] == ["upcoming"]


def test_data_after_the_as_of_date_is_not_used():
    later = series({2015: 90, 2025: 40})
    assert assess(emissions(), later, date(2020, 1, 1)).latest_value == 90
    assert assess(emissions(), later, AS_OF).latest_value == 40


def test_hold_the_line_target_needs_a_direction_and_is_judged_on_the_projection():
    target = renewables(target_value=20, direction="increase")
    assert assess(target, series({2018: 21, 2022: 22}), AS_OF).status == Status.on_track
    assert assess(target, series({2018: 19, 2022: 17}), AS_OF).status == Status.off_track


def test_illustrative_data_is_flagged_on_the_status():
    measurements = [Measurement(year=2015, value=90, source="demo", illustrative=True)]
    assert assess(emissions(), measurements, AS_OF).uses_illustrative_data
