"""The registry's domain rules, as staff meet them when they record their work."""

from datetime import date

import pytest
from pydantic import ValidationError

from citydiplomacy.domain import Agreement, Engagement, Membership, Party, Place, Post, title_on
from citydiplomacy.domain.dates import active_on


def test_an_engagement_scheduled_abroad_keeps_its_local_time_and_zone():
    meeting = Engagement(
        title="Meeting with the Prime Minister", kind="meeting", start="2018-04-10T10:00", timezone="Asia/Ho_Chi_Minh"
    )
    assert meeting.start.isoformat() == "2018-04-10T10:00:00+07:00"
    assert meeting.on == date(2018, 4, 10)


def test_an_engagement_given_in_utc_is_shown_in_its_own_zone():
    call = Engagement(title="Call", kind="call", start="2020-03-20T17:00:00Z", timezone="America/Los_Angeles")
    assert call.start.isoformat() == "2020-03-20T10:00:00-07:00"


def test_an_engagement_cannot_end_before_it_starts():
    with pytest.raises(ValidationError, match="before start"):
        Engagement(title="x", kind="meeting", start="2020-01-02T10:00", end="2020-01-02T09:00")


def test_an_unknown_time_zone_is_named_in_the_error():
    with pytest.raises(ValidationError, match="'Mars/Olympus' is not an IANA time zone"):
        Engagement(title="x", kind="meeting", start="2020-01-02T10:00", timezone="Mars/Olympus")


def test_topics_come_from_the_controlled_vocabulary_and_sdgs_are_goal_numbers():
    meeting = Engagement(
        title="x", kind="meeting", start="2020-01-02", topics=["Trade", "human rights"], sdgs=[16, 8, 8]
    )
    assert meeting.topics == ["trade", "human-rights"]
    assert meeting.sdgs == [8, 16]
    with pytest.raises(ValidationError, match="'astrology' is not a known topic"):
        Engagement(title="x", kind="meeting", start="2020-01-02", topics=["astrology"])
    with pytest.raises(ValidationError, match="18 is not a UN SDG goal number"):
        Engagement(title="x", kind="meeting", start="2020-01-02", sdgs=[18])


def test_unknown_fields_are_refused_not_dropped():
    with pytest.raises(ValidationError) as error:
        Engagement(title="x", kind="meeting", start="2020-01-02", colour="red")
    assert error.value.errors()[0]["loc"] == ("colour",)


def test_refs_are_derived_from_the_record_when_not_given():
    meeting = Engagement(title="Meeting with PM Phúc", kind="meeting", start="2018-04-10T10:00").with_ref()
    assert meeting.ref == "2018-04-10-meeting-with-pm-phuc"
    assert Place(kind="city", name="Hanoi", country_code="vn", geonames_id=1581130).with_ref().ref == "geonames:1581130"
    assert Place(kind="country", name="Viet Nam", country_code="VN").with_ref().ref == "country:vn"


def test_a_subdivision_must_lie_in_its_country():
    with pytest.raises(ValidationError, match="not in country"):
        Place(kind="subdivision", name="California", country_code="MX", subdivision_code="US-CA")


def test_a_post_is_at_a_partner_or_in_our_own_government_not_both():
    with pytest.raises(ValidationError, match="either at a partner"):
        Post(person="someone", title="Consul General")
    with pytest.raises(ValidationError, match="has no 'partner'"):
        Post(person="someone", title="Mayor", partner="x", own_government=True)


def test_titles_shown_are_those_held_on_the_date():
    posts = [
        Post(
            person="p",
            title="Deputy Consul General",
            partner="consulate",
            start_date="2015-01-01",
            end_date="2017-12-31",
        ),
        Post(person="p", title="Consul General", partner="consulate", start_date="2018-01-01"),
    ]
    assert title_on(posts, date(2016, 6, 1)) == "Deputy Consul General"
    assert title_on(posts, date(2019, 6, 1)) == "Consul General"
    assert title_on(posts, date(2014, 6, 1)) is None


def test_active_on_is_inclusive_at_both_ends_and_open_ended():
    assert active_on(date(2020, 1, 1), date(2020, 12, 31), date(2020, 12, 31))
    assert active_on(date(2020, 1, 1), date(2020, 12, 31), date(2020, 1, 1))
    assert not active_on(date(2020, 1, 1), date(2020, 12, 31), date(2021, 1, 1))
    assert active_on(None, None, date(1900, 1, 1))


def test_an_agreement_in_force_needs_a_date_and_cannot_expire_before_signing():
    with pytest.raises(ValidationError, match="needs signed_on or effective_on"):
        Agreement(title="Sister cities", kind="sister_city", status="in_force")
    with pytest.raises(ValidationError, match="expires_on"):
        Agreement(title="MOU", kind="memorandum_of_understanding", signed_on="2020-01-01", expires_on="2019-01-01")
    tie = Agreement(title="LA-Busan", kind="sister_city", status="in_force", signed_on="1971-01-01")
    assert tie.in_force_on(date(2020, 1, 1))
    assert not tie.binding


def test_a_party_is_exactly_one_thing():
    with pytest.raises(ValidationError, match="exactly one"):
        Party(partner="a", place="geonames:1")
    assert Party(us=True).us


def test_membership_dates_are_ordered():
    with pytest.raises(ValidationError, match="before start_date"):
        Membership(network="c40", start_date="2020-01-01", end_date="2019-01-01")


def test_text_with_a_nul_character_is_refused_naming_the_field():
    from citydiplomacy.domain import Partner

    with pytest.raises(ValidationError, match=r"'participants\[0\].role' contains a NUL character"):
        Engagement(
            title="x",
            kind="meeting",
            start="2020-01-02",
            participants=[{"person": "a", "side": "ours", "role": "note\x00taker"}],
        )
    with pytest.raises(ValidationError, match="'name' contains a NUL character"):
        Partner(name="Consulate\x00", kind="consulate")
