"""Scenarios: country strings, subdivisions and the admin1 -> ISO 3166-2 mapping."""

import pytest

from citydiplomacy.gazetteer import iso_subdivision, parse_country


@pytest.mark.parametrize(
    "text, alpha2, region",
    [
        ("England, United Kingdom", "GB", "England"),
        ("England", "GB", "England"),
        ("Scotland", "GB", "Scotland"),
        ("Georgia (country)", "GE", None),
        ("Georgia, United States", "US", "Georgia"),
        ("New York, United States", "US", "New York"),
        ("United States", "US", None),
        ("USA", "US", None),
        ("us", "US", None),
        ("Viet Nam", "VN", None),
        ("South Korea", "KR", None),
        ("Türkiye", "TR", None),
        ("Turkey", "TR", None),
        ("Czech Republic", "CZ", None),
        ("Republic of Ireland", "IE", None),
        ("Ivory Coast", "CI", None),
        ("Kosovo", "XK", None),
        ("Northern Cyprus", "CY", "Northern Cyprus"),
        ("Brandenburg, Germany", "DE", "Brandenburg"),
    ],
)
def test_country_strings(gz, text, alpha2, region):
    match = gz.country(text)
    assert match is not None, text
    assert match.alpha2 == alpha2
    assert match.region == region
    assert match.reason


def test_martinique_france_is_mq_with_france_as_fallback():
    match = parse_country("Martinique, France")
    assert match.alpha2 == "MQ"
    assert match.alpha3 == "MTQ"
    assert match.also == ("FR",)
    assert "own ISO code" in match.reason


def test_bare_georgia_is_the_country_and_the_reason_warns():
    match = parse_country("Georgia")
    assert match.alpha2 == "GE"
    assert "US state" in match.reason


def test_typo_in_country_is_flagged_approximate():
    match = parse_country("Kazakhstah")
    assert match.alpha2 == "KZ" and match.approximate
    assert parse_country("Island") is None  # too far from Iceland to guess
    assert parse_country("") is None


def test_admin1_mapping_only_where_reliable():
    assert iso_subdivision("US", "IL") == "US-IL"
    assert iso_subdivision("CH", "ZH") == "CH-ZH"
    # GeoNames FR "11" is Ile-de-France; ISO FR-11 would be the Aude departement
    assert iso_subdivision("FR", "11") == "FR-IDF"
    # GeoNames JP "01" is Aichi, ISO JP-01 is Hokkaido: no mapping for JP at all
    assert iso_subdivision("JP", "01") is None
    assert iso_subdivision("TR", "34") is None


@pytest.mark.parametrize(
    "city, country, iso",
    [
        ("Munich", "DE", "DE-BY"),
        ("Berlin", "DE", "DE-BE"),
        ("Hamburg", "DE", "DE-HH"),
        ("Stuttgart", "DE", "DE-BW"),
        ("Dresden", "DE", "DE-SN"),
        ("Hannover", "DE", "DE-NI"),
        ("Toronto", "CA", "CA-ON"),
        ("Vancouver", "CA", "CA-BC"),
        ("Halifax", "CA", "CA-NS"),
        ("Warsaw", "PL", "PL-14"),
        ("Kraków", "PL", "PL-12"),
        ("Gdańsk", "PL", "PL-22"),
        ("Milan", "IT", "IT-25"),
        ("Rome", "IT", "IT-62"),
        ("Palermo", "IT", "IT-82"),
        ("Lyon", "FR", "FR-ARA"),
        ("Rennes", "FR", "FR-BRE"),
        ("Ajaccio", "FR", "FR-20R"),
        ("Barcelona", "ES", "ES-CT"),
        ("Sevilla", "ES", "ES-AN"),
        ("Bilbao", "ES", "ES-PV"),
        ("Amsterdam", "NL", "NL-NH"),
        ("Rotterdam", "NL", "NL-ZH"),
        ("Graz", "AT", "AT-6"),
        ("Vienna", "AT", "AT-9"),
        ("Sydney", "AU", "AU-NSW"),
        ("Perth", "AU", "AU-WA"),
        ("Glasgow", "GB", "GB-SCT"),
        ("Antwerp", "BE", "BE-VLG"),
        ("Geneva", "CH", "CH-GE"),
    ],
)
def test_admin1_tables_agree_with_the_installed_data(gz, city, country, iso):
    res = gz.resolve(city, country)
    assert res.best is not None, res.reason
    assert res.best.subdivision_code == iso


def test_subdivision_lookup(gz):
    assert gz.subdivision("US-IL").name == "Illinois"
    assert gz.subdivision("IL", "United States").code == "US-IL"
    assert gz.subdivision("Illinois", "USA").code == "US-IL"
    assert gz.subdivision("Bavaria", "Germany").code == "DE-BY"
    assert gz.subdivision("Nowhere", "Germany") is None
