"""Resolving the hard names of the real twin-town list, and the resolution report."""

from __future__ import annotations

import csv

import pytest

from citydiplomacy.atlas.twins import (
    REPORT_COLUMNS,
    Pick,
    parse_twin_text,
    read_twin_file,
    resolve_name,
    resolve_names,
    write_report,
)


def _in_list(rows, name: str, country: str) -> bool:
    return any(
        (r["city1"], r["country1"]) == (name, country) or (r["city2"], r["country2"]) == (name, country) for r in rows
    )


# (name, country) exactly as on real rows of the list, and what must come out
RESOLVED = [
    # region-qualified countries
    ("Whitby", "England, United Kingdom", "GB"),
    ("Fort-de-France", "Martinique, France", "MQ"),  # GeoNames files Martinique's towns under MQ
    # disambiguated country
    ("Akhmeta", "Georgia (country)", "GE"),
    # "city – district" as Wikipedia writes Belgrade's municipalities
    ("Belgrade – New Belgrade", "Serbia", "RS"),
]


@pytest.mark.parametrize("name,country,code", RESOLVED)
def test_region_qualified_and_disambiguated_countries_resolve(gz, twin_rows, name, country, code):
    assert _in_list(twin_rows, name, country), "the case must be a real row of the list"
    result = resolve_name(gz, name, country)
    assert result.status == "resolved", result.reason
    assert result.country_code == code
    assert result.latitude is not None and result.geonames_ids


@pytest.mark.parametrize(
    "name,country,seat",
    [
        ("Nerekhtsky District", "Russia", 522594),  # Nerekhta, the district's seat
        ("Dębica (rural gmina)", "Poland", 773380),  # the town of Dębica, seat of the rural commune
        ("County Kildare", "Republic of Ireland", 2963436),  # the town of Kildare
    ],
)
def test_districts_and_rural_communes_are_not_taken_for_their_seat(gz, twin_rows, name, country, seat):
    assert _in_list(twin_rows, name, country)
    result = resolve_name(gz, name, country)
    assert result.status == "ambiguous"
    assert result.geonames_ids == []  # nothing placed until a person picks
    assert seat in [c["geonames_id"] for c in result.candidates], "the seat is kept as a candidate to pick"


def test_a_country_written_into_the_name_is_read_from_it(gz, twin_rows):
    assert _in_list(twin_rows, "Varna, Bulgaria", "")
    result = resolve_name(gz, "Varna, Bulgaria", "")
    assert result.status == "resolved"
    assert result.country_code == "BG" and result.resolved_name == "Varna"
    assert "read 'Bulgaria' from the name" in result.reason


def test_a_territory_in_the_town_column_stays_unplaced(gz, twin_rows):
    assert _in_list(twin_rows, "Falkland Islands", "")
    result = resolve_name(gz, "Falkland Islands", "")
    assert result.status == "unresolved"
    assert "not a town" in result.reason and result.input_country_code == "FK"


def test_a_joint_entry_is_tied_to_every_part(gz):
    # The README names "Haaren -- Esch"; the 2026 file itself writes it as "Esch (Haaren)", so the
    # joint form is constructed here with the README's own example.
    result = resolve_name(gz, "Haaren -- Esch", "Netherlands")
    assert result.status == "resolved"
    assert result.geonames_ids == [2755009, 2756030]
    assert "joint entry of 2 places" in result.reason
    row = result.report_row()
    assert row["geonames_id"] == "2755009;2756030" and row["resolved_name"] == "Haaren;Esch"


def test_a_pick_decides_and_says_who_made_it(gz):
    from datetime import UTC, datetime

    pick = Pick("Nerekhtsky District", "Russia", 522594, "ana@city", datetime(2026, 11, 1, tzinfo=UTC), "district seat")
    result = resolve_name(gz, "Nerekhtsky District", "Russia", pick)
    assert result.status == "resolved" and result.geonames_ids == [522594]
    assert result.picked_by == "ana@city"
    assert result.reason.startswith(
        "picked by ana@city on 2026-11-01 (district seat); the gazetteer alone said ambiguous"
    )


def test_the_report_has_one_row_per_distinct_name_with_the_agreed_columns(gz, twin_sample, tmp_path):
    parsed = read_twin_file(twin_sample)
    assert parsed.problems == []
    results = resolve_names(gz, parsed.rows)
    out = tmp_path / "report.csv"
    count = write_report(out, results.values())
    with out.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        assert tuple(reader.fieldnames) == REPORT_COLUMNS
    assert count == len(rows) == len(results)
    assert len({(r["input_name"], r["input_country"]) for r in rows}) == len(rows)
    assert {r["status"] for r in rows} == {"resolved", "ambiguous", "unresolved"}
    for row in rows:
        if row["status"] == "resolved":
            assert row["geonames_id"] and row["latitude"] and row["country_code"]
        else:
            assert row["geonames_id"] == "" and row["latitude"] == ""
        assert row["reason"]
    la = next(r for r in rows if (r["input_name"], r["input_country"]) == ("Los Angeles", "United States"))
    assert la["geonames_id"] == "5368361" and la["admin1"] == "California"


def test_a_broken_file_names_the_line_and_field():
    parsed = parse_twin_text("city1,country1,city2,country2\nBerat,Albania,,Turkey\nDurrës,Albania\n", file="t.csv")
    assert [(p.line, p.field) for p in parsed.problems] == [(2, "city2"), (3, None)]
    assert "a town name is required" in parsed.problems[0].message
    assert "expected 4 columns" in parsed.problems[1].message


def test_a_missing_column_is_reported_with_the_header():
    parsed = parse_twin_text("town,country\nBerat,Albania\n", file="t.csv")
    assert parsed.rows == [] and "missing column(s) city1" in parsed.problems[0].message


def test_the_same_name_on_both_sides_is_skipped_and_said(twin_rows):
    # Nienburg (Weser) and Nienburg (Saale) are twinned, but the list writes both "Nienburg, Germany"
    assert any(r["city1"] == r["city2"] == "Nienburg" for r in twin_rows)
    parsed = parse_twin_text(
        "city1,country1,city2,country2\nNienburg,Germany,Nienburg,Germany\nBerat,Albania,Fermo,Italy\n"
        "Fermo,Italy,Berat,Albania\n"
    )
    assert parsed.problems == [] and len(parsed.rows) == 1
    assert parsed.skipped[0].line == 2 and "cannot be told apart" in parsed.skipped[0].message
