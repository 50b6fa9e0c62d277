"""Scenarios: joint entries, qualifiers, districts and communes."""

from citydiplomacy.gazetteer import split_joint


def test_split_joint():
    assert split_joint("Haaren -- Esch") == ["Haaren", "Esch"]
    assert split_joint("Berlin – Spandau") == ["Berlin", "Spandau"]
    assert split_joint("Esch-sur-Alzette") == ["Esch-sur-Alzette"]
    assert split_joint("Biel/Bienne") == ["Biel/Bienne"]
    assert split_joint("Brighton and Hove") == ["Brighton and Hove"]


def test_joint_entry_is_not_one_place_but_each_part_resolves(gz):
    res = gz.resolve("Haaren -- Esch", "Netherlands")
    assert res.status == "ambiguous"
    assert res.best is None
    assert "Haaren" in res.reason and "Esch" in res.reason and "joint" in res.reason
    assert [p.status for p in res.parts] == ["resolved", "resolved"]
    assert [p.best.geonames_id for p in res.parts] == [2755009, 2756030]
    assert {c.geonames_id for c in res.candidates} == {2755009, 2756030}


def test_joint_entry_of_unknown_parts_is_unresolved(gz):
    res = gz.resolve("Qwxzzyplk -- Vbnmqqzx", "Netherlands")
    assert res.status == "unresolved"
    assert len(res.parts) == 2


def test_place_with_parent_in_parentheses(gz):
    res = gz.resolve("Esch (Haaren)", "Netherlands")
    assert res.status == "resolved"
    assert res.best.geonames_id == 2756030
    assert "Haaren" in res.reason


def test_city_dash_district(gz):
    res = gz.resolve("Berlin – Spandau", "Germany")
    assert res.status == "resolved"
    assert res.best.geonames_id == 7290252


def test_district_missing_from_gazetteer_offers_only_the_parent(gz):
    res = gz.resolve("Tokyo – Nerima", "Japan")
    assert res.status == "ambiguous"
    assert res.best is None
    assert [c.geonames_id for c in res.candidates] == [1850147]  # Tokyo
    assert "parent" in res.reason


def test_russian_adjectival_district_points_to_its_seat_but_is_not_resolved(gz):
    res = gz.resolve("Nerekhtsky District", "Russia")
    assert res.status == "ambiguous"
    assert res.candidates[0].geonames_id == 522594  # Nerekhta
    assert "district" in res.reason


def test_rural_gmina_is_not_its_seat_town(gz):
    res = gz.resolve("Lubin (rural gmina)", "Poland")
    assert res.status == "ambiguous"
    assert res.candidates[0].geonames_id == 3092931
    assert "rural gmina" in res.reason


def test_county_is_not_resolved_to_a_town(gz):
    res = gz.resolve("Dallas County", "United States")
    assert res.status == "ambiguous"
    assert res.best is None


def test_comma_qualifier_used_as_admin_hint(gz):
    res = gz.resolve("Friedberg, Bavaria", "Germany")
    assert res.status == "resolved"
    assert res.best.geonames_id == 2924803
    assert res.best.subdivision_code == "DE-BY"
    assert gz.resolve("Friedberg", "Germany").status == "ambiguous"


def test_slash_names_one_place(gz):
    res = gz.resolve("Biel/Bienne", "Switzerland")
    assert res.status == "resolved"
    assert res.best.geonames_id == 2661513
