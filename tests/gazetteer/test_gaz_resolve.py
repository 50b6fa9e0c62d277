"""Scenarios: resolving single place names."""

from citydiplomacy.gazetteer import Candidate, Resolution

REASONS = {"exact", "alternate name", "transliteration", "fuzzy"}


def test_springfield_in_the_us_is_ambiguous_with_scored_candidates(gz):
    res = gz.resolve("Springfield", "United States")
    assert res.status == "ambiguous"
    assert res.best is None
    assert res.country_code == "US"
    assert len(res.candidates) >= 3
    for cand in res.candidates:
        assert isinstance(cand, Candidate)
        assert 0.0 < cand.score <= 1.0
        assert cand.reason in REASONS
        assert cand.country_code == "US"
    assert {c.subdivision_code for c in res.candidates[:3]} == {"US-MO", "US-MA", "US-IL"}
    assert "Springfield" in res.reason and "pick one" in res.reason


def test_springfield_with_an_illinois_hint_is_resolved(gz):
    for hint in ("Illinois", "IL", "US-IL"):
        res = gz.resolve("Springfield", "USA", admin=hint)
        assert res.status == "resolved", hint
        assert res.best.geonames_id == 4250542
        assert res.best.subdivision_code == "US-IL"
        assert res.best.subdivision_name == "Illinois"


def test_paris_france_is_the_capital_not_a_hamlet(gz):
    res = gz.resolve("Paris", "France")
    assert res.status == "resolved"
    assert res.best.geonames_id == 2988507
    assert res.best.subdivision_code == "FR-IDF"


def test_bagcilar_two_places_the_istanbul_district_dominates(gz):
    res = gz.resolve("Bağcılar", "Turkey")
    assert res.status == "resolved"
    assert res.best.geonames_id == 751324
    assert res.best.admin1_code == "34"
    assert {c.geonames_id for c in res.candidates} == {751324, 10189962}
    assert "population" in res.reason and "10x" in res.reason


def test_bagcilar_without_diacritics_is_a_transliteration_match(gz):
    res = gz.resolve("Bagcilar", "Türkiye")
    assert res.status == "resolved"
    assert res.best.geonames_id == 751324
    assert res.best.reason == "transliteration"
    assert res.best.score < 1.0


def test_zurich_with_and_without_umlaut(gz):
    exact = gz.resolve("Zürich")
    plain = gz.resolve("Zurich")
    shouted = gz.resolve("ZURICH", "CH")
    for res in (exact, plain, shouted):
        assert res.status == "resolved"
        assert res.best.geonames_id == 2657896
    assert exact.best.reason == "exact" and exact.best.score == 1.0
    assert plain.best.reason == "alternate name"
    assert plain.best.score < exact.best.score


def test_kyiv_and_kiev(gz):
    for name in ("Kyiv", "Kiev", "Київ", "Киев"):
        res = gz.resolve(name)
        assert res.status == "resolved", name
        assert res.best.geonames_id == 703448, name
    assert gz.resolve("Kiev").best.reason == "alternate name"


def test_ho_chi_minh_city_saigon_hcmc(gz):
    for name, country in (("Ho Chi Minh City", "Viet Nam"), ("Saigon", None), ("HCMC", "Vietnam")):
        res = gz.resolve(name, country)
        assert res.status == "resolved", name
        assert res.best.geonames_id == 1566083, name


def test_accented_and_unaccented_spellings_meet(gz):
    accented = gz.resolve("Göttingen", "Germany")
    plain = gz.resolve("Gottingen", "Germany")
    assert accented.best.geonames_id == plain.best.geonames_id
    assert accented.best.reason == "exact"
    assert plain.best.reason in ("alternate name", "transliteration")


def test_a_typo_gives_fuzzy_candidates_but_is_never_resolved(gz):
    res = gz.resolve("Munchn", "Germany")
    assert res.status == "ambiguous"
    assert res.best is None
    assert res.candidates[0].geonames_id == 2867714  # Munich
    assert all(c.reason == "fuzzy" for c in res.candidates)
    assert all(c.score < 0.9 for c in res.candidates)
    assert "approximate" in res.reason


def test_unknown_name_is_unresolved_with_a_reason(gz):
    res = gz.resolve("Qwxzzyplk", "Germany")
    assert res.status == "unresolved"
    assert res.candidates == ()
    assert res.best is None
    assert "Qwxzzyplk" in res.reason


def test_empty_name_is_unresolved(gz):
    assert gz.resolve("   ").status == "unresolved"


def test_literal_name_beats_a_foreign_alternate_name(gz):
    # Aken (Saxony-Anhalt) is a real town; "Aken" is also the Dutch name of Aachen.
    res = gz.resolve("Aken", "Germany")
    assert res.status == "resolved"
    assert res.best.geonames_id == 2958781
    assert "alternate name" in res.reason


def test_exact_spelling_is_not_overruled_by_a_merely_bigger_accent_folded_match(gz):
    # "Munster" is a town in Lower Saxony; Münster (NRW) is bigger but spelled differently.
    res = gz.resolve("Munster", "Germany")
    assert res.status == "ambiguous"
    assert {2867543, 2867542} <= {c.geonames_id for c in res.candidates}


def test_frankfurt_forms(gz):
    assert gz.resolve("Frankfurt (Oder)", "Germany").best.geonames_id == 2925535
    plain = gz.resolve("Frankfurt", "Germany")
    assert plain.status == "resolved" and plain.best.geonames_id == 2925533


def test_newcastle_upon_tyne(gz):
    res = gz.resolve("Newcastle upon Tyne", "England, United Kingdom")
    assert res.status == "resolved"
    assert res.best.geonames_id == 2641673
    assert res.best.subdivision_code == "GB-ENG"


def test_city_states_and_territories(gz):
    assert gz.resolve("Singapore").best.geonames_id == 1880252
    assert gz.resolve("Singapore", "Singapore").best.geonames_id == 1880252
    monaco = gz.resolve("Monaco")  # there is also a Monaco in New Zealand
    assert monaco.status == "resolved" and monaco.best.geonames_id == 2993458
    hk = gz.resolve("Hong Kong", "China")  # GeoNames files it under HK
    assert hk.status == "resolved" and hk.best.geonames_id == 1819729
    assert "HK" in hk.reason
    assert gz.resolve("Macau").best.geonames_id == 1821274


def test_martinique_towns_are_found_under_mq(gz):
    res = gz.resolve("Fort-de-France", "Martinique, France")
    assert res.status == "resolved"
    assert res.country_code == "MQ"
    assert res.best.country_code == "MQ"


def test_admin_hint_for_an_unmappable_country_is_ignored_and_said_so(gz):
    res = gz.resolve("Kawanishi", "Japan", admin="Hyogo")
    assert "ignored" in res.reason
    assert "JP" in res.reason


def test_approximate_country_caps_the_status(gz):
    res = gz.resolve("Athens", "Grece")
    assert res.country_code == "GR"
    assert res.status == "ambiguous"
    assert res.candidates[0].geonames_id == 264371


def test_country_inside_the_name_when_country_is_missing(gz):
    res = gz.resolve("Varna, Bulgaria", "")
    assert res.status == "resolved"
    assert res.best.geonames_id == 726050


def test_resolution_is_frozen(gz):
    res = gz.resolve("Paris", "France")
    assert isinstance(res, Resolution)
    try:
        res.status = "x"  # type: ignore[misc]
    except AttributeError:
        pass
    else:
        raise AssertionError("Resolution should be immutable")
