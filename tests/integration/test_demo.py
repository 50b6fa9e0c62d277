"""The demo workspace "City of Los Angeles": builds from its YAML file, holds the headline
records, is labelled illustrative throughout, and rebuilding it changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from citydiplomacy.adapters.db import audit
from citydiplomacy.adapters.db import tables as t
from citydiplomacy.adapters.db.repository import ALL_LEVELS, ListQuery
from citydiplomacy.demo import DEMO_FILE, build_demo, load_demo
from citydiplomacy.domain import RECORD_TYPES, InvalidInput, title_on
from citydiplomacy.services import atlas, commitments, registry
from citydiplomacy.services.unit_of_work import UnitOfWork
from tests.fixtures.database import unique

ILLUSTRATIVE = "Illustrative demo record based on public reporting; details approximate."
#: Audit entries of the commitment ledger the demo adds on top of its registry records.
LEDGER_ENTRIES = ("commitment", "measurement", "obligation", "sdg_tags")
#: Audit entries of the Exchange's shared practice library the demo imports.
EXCHANGE_ENTRIES = ("practice", "practice-transfer")


@pytest.fixture(scope="module")
def demo(engine):
    """The demo, built once per backend into a fresh workspace; returns (slug, first build report)."""
    slug = unique("la")
    return slug, build_demo(engine, slug=slug)


def get(engine, slug, plural, ref, actor):
    return registry.get_record(engine, slug, plural, ref, actor)


def all_records(engine, slug, plural):
    with UnitOfWork(engine, slug, write=False) as uow:
        return list(uow.records.iter_all(plural, visible=ALL_LEVELS))


def posts_of(engine, slug, person, actor):
    return registry.list_records(engine, slug, "posts", ListQuery(person=person, per_page=100), actor).items


def test_the_demo_builds_every_record_in_the_file(engine, demo):
    slug, report = demo
    content = load_demo()
    assert report.workspace_created
    for plural, records in content.records.items():
        assert report.counts[plural]["inserted"] == len(records), plural
    workspace = registry.get_workspace(engine, slug)
    assert workspace.name == "City of Los Angeles"
    assert workspace.timezone == "America/Los_Angeles"
    assert workspace.place_geonames_id == 5368361
    assert workspace.public_page is True
    assert 40 <= report.counts["engagements"]["inserted"] <= 70
    assert 40 <= report.counts["partners"]["inserted"] <= 80
    assert 20 <= report.counts["agreements"]["inserted"] <= 40


def test_the_mayor_met_prime_minister_nguyen_xuan_phuc_in_vietnam_in_2018_about_flights_to_lax(engine, demo, actor):
    slug, _ = demo
    meeting = get(engine, slug, "engagements", "2018-meeting-prime-minister-nguyen-xuan-phuc", actor)
    assert meeting.on.year == 2018 and meeting.date_precision == "year"
    assert meeting.kind == "meeting" and meeting.status == "held"
    assert {"aviation", "human-rights"} <= set(meeting.topics)
    assert "gov-vietnam" in meeting.partners
    venue = get(engine, slug, "places", meeting.venue_place, actor)
    assert venue.country_code == "VN"
    assert "LAX" in meeting.summary
    assert any(not f.done and f.due_on for f in meeting.follow_ups)
    assert any(f.done for f in meeting.follow_ups)
    mission = get(engine, slug, "engagements", "2018-business-delegation-to-asia-vietnam", actor)
    assert mission.kind == "trade_mission" and "aviation" in mission.topics


def test_titles_on_the_vietnam_meeting_are_those_held_on_its_date(engine, demo, actor):
    slug, _ = demo
    meeting = get(engine, slug, "engagements", "2018-meeting-prime-minister-nguyen-xuan-phuc", actor)
    titles = {}
    for participant in meeting.participants:
        posts = posts_of(engine, slug, participant.person, actor)
        titles[participant.person] = title_on(posts, meeting.on)
        if participant.post:
            pinned = get(engine, slug, "posts", participant.post, actor)
            assert pinned.held_on(meeting.on)
            assert pinned.title == titles[participant.person]
    assert titles == {"eric-garcetti": "Mayor of Los Angeles", "nguyen-xuan-phuc": "Prime Minister of Vietnam"}
    # Later posts do not leak into earlier engagements: in 2022 he was president.
    assert title_on(posts_of(engine, slug, "nguyen-xuan-phuc", actor), date(2022, 1, 1)) == "President of Vietnam"


@pytest.mark.parametrize(
    "government",
    [
        "gov-armenia",
        "gov-canada",
        "gov-germany",
        "gov-ireland",
        "gov-israel",
        "gov-korea",
        "gov-spain",
        "gov-vietnam",
        "holy-see",
    ],
)
def test_the_mayor_met_each_head_of_government(engine, demo, actor, government):
    slug, _ = demo
    meetings = registry.list_records(
        engine, slug, "engagements", ListQuery(partner=government, per_page=100), actor
    ).items
    met = []
    for meeting in meetings:
        ours = {p.person for p in meeting.participants if p.side == "ours"}
        for participant in meeting.participants:
            if participant.side != "theirs":
                continue
            held = [p for p in posts_of(engine, slug, participant.person, actor) if p.held_on(meeting.on)]
            if any(p.seniority == "head_of_state_or_government" and p.partner == government for p in held):
                met.append((meeting.ref, "eric-garcetti" in ours))
    assert any(with_mayor for _ref, with_mayor in met), f"no meeting of the Mayor with the head of {government}"


def test_los_angeles_is_a_founding_member_of_urban_20_with_buenos_aires_paris_seoul_and_tokyo(engine, demo, actor):
    slug, _ = demo
    network = get(engine, slug, "networks", "u20", actor)
    assert network.acronym == "U20" and network.founded_year == 2017
    memberships = [m for m in all_records(engine, slug, "memberships") if m.network == "u20"]
    ours = [m for m in memberships if m.member is None]
    assert len(ours) == 1 and ours[0].role == "founding_member"
    assert {m.member for m in memberships if m.member} == {
        "city-buenos-aires",
        "city-paris",
        "seoul-metropolitan-government",
        "tokyo-metropolitan-government",
    }
    summit = get(engine, slug, "engagements", "2018-10-u20-mayors-summit-buenos-aires", actor)
    assert summit.on.year == 2018
    assert get(engine, slug, "places", summit.venue_place, actor).name == "Buenos Aires"
    assert {"city-buenos-aires", "city-paris", "seoul-metropolitan-government", "tokyo-metropolitan-government"} <= set(
        summit.partners
    )


def test_the_gender_equity_network_has_its_five_partner_cities(engine, demo, actor):
    slug, _ = demo
    members = [m for m in all_records(engine, slug, "memberships") if m.network == "city-network-for-gender-equity"]
    assert all(m.start_date == date(2020, 11, 1) and m.role == "founding_member" for m in members)
    cities = set()
    for membership in members:
        if membership.member:
            partner = get(engine, slug, "partners", membership.member, actor)
            cities.add(get(engine, slug, "places", partner.place, actor).name)
    assert cities == {"Barcelona", "Freetown", "London", "Mexico City", "Tokyo"}
    assert any(m.member is None for m in members)
    launch = get(engine, slug, "engagements", "2020-11-launch-city-network-for-gender-equity", actor)
    assert launch.on == date(2020, 11, 1) and "gender-equity" in launch.topics and 5 in launch.sdgs


def test_the_green_new_deal_is_a_five_zeroes_pledge_and_the_games_have_a_host_city_contract(engine, demo, actor):
    slug, _ = demo
    pledge = get(engine, slug, "agreements", "2019-la-green-new-deal", actor)
    assert pledge.kind == "pledge" and pledge.status == "in_force"
    assert [p.us for p in pledge.parties] == [True]
    assert "Five Zeroes" in pledge.title and "2050" in pledge.title
    paris = get(engine, slug, "agreements", "2017-climate-mayors-paris-agreement-pledge", actor)
    assert paris.kind == "pledge" and paris.signed_on.year == 2017
    contract = get(engine, slug, "agreements", "2017-la28-host-city-contract", actor)
    assert contract.binding and [p.partner for p in contract.parties if p.partner] == ["ioc"]


def test_sister_cities_are_places_and_tehran_is_dormant(engine, demo, actor):
    slug, _ = demo
    sisters = registry.list_records(
        engine, slug, "agreements", ListQuery(kind="sister_city", per_page=500), actor
    ).items
    assert len(sisters) >= 20
    assert all(any(p.us for p in a.parties) and any(p.place for p in a.parties) for a in sisters)
    tehran = get(engine, slug, "agreements", "sister-city-tehran", actor)
    assert tehran.status == "dormant" and "revolution" in tehran.notes
    nagoya = get(engine, slug, "agreements", "sister-city-nagoya", actor)
    assert nagoya.status == "in_force" and nagoya.date_precision == "year"


def test_every_record_is_labelled_illustrative_and_says_where_it_came_from(engine, demo):
    slug, _ = demo
    seen = 0
    for model in RECORD_TYPES:
        for record in all_records(engine, slug, model.plural):
            seen += 1
            assert record.notes and record.notes.startswith(ILLUSTRATIVE), (model.plural, record.ref)
            assert record.source, (model.plural, record.ref)
    assert seen == load_demo().count()


def test_the_demo_has_a_mix_of_confidentiality_and_upcoming_work(engine, demo):
    slug, _ = demo
    engagements = all_records(engine, slug, "engagements")
    levels = [e.confidentiality for e in engagements] + [
        a.confidentiality for a in all_records(engine, slug, "agreements")
    ]
    assert levels.count("confidential") >= 2
    assert levels.count("internal") >= 5
    assert levels.count("public") > len(levels) / 2
    planned = [e for e in engagements if e.status == "planned"]
    assert len(planned) >= 5 and all(e.on.year in (2026, 2027) for e in planned)
    follow_ups = [f for e in engagements for f in e.follow_ups]
    assert any(f.done for f in follow_ups)
    assert sum(1 for f in follow_ups if not f.done and f.due_on and f.due_on.year == 2027) >= 3


def test_building_twice_changes_nothing_and_the_audit_chain_verifies(engine, demo):
    slug, _ = demo
    with UnitOfWork(engine, slug, write=False) as uow:
        workspace_id = uow.workspace_id
        before = uow.conn.execute(
            select(func.count()).select_from(t.audit_log).where(t.audit_log.c.workspace_id == workspace_id)
        ).scalar_one()
        registry_entries = uow.conn.execute(
            select(func.count())
            .select_from(t.audit_log)
            .where(
                t.audit_log.c.workspace_id == workspace_id,
                t.audit_log.c.record_type.not_in(LEDGER_ENTRIES + EXCHANGE_ENTRIES),
            )
        ).scalar_one()
    again = build_demo(engine, slug=slug)
    assert not again.workspace_created and not again.changed
    assert again.total("unchanged") == load_demo().count()
    with engine.connect() as conn:
        after = conn.execute(
            select(func.count()).select_from(t.audit_log).where(t.audit_log.c.workspace_id == workspace_id)
        ).scalar_one()
        checked, breaks = audit.verify(conn)
    assert after == before
    assert registry_entries == load_demo().count() + 1  # one entry per record, plus the workspace
    assert checked >= after
    assert [b for b in breaks if b.workspace_id == workspace_id] == []


def test_a_mistake_in_the_demo_file_names_the_file_line_record_and_field(tmp_path, engine):
    text = DEMO_FILE.read_text(encoding="utf-8")
    text = text.replace("topics: [aviation, trade, tourism, human-rights]", "topics: [aviation, flying-cars]")
    text = text.replace("partners: [holy-see]", "partners: [holy-sea]")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text, encoding="utf-8")
    slug = unique("la-broken")
    with pytest.raises(InvalidInput) as caught:
        build_demo(engine, slug=slug, path=broken)
    problems = caught.value.problems
    topic = next(p for p in problems if "flying-cars" in p.message)
    assert topic.file == "broken.yaml" and topic.field == "topics"
    assert "engagement '2018-meeting-prime-minister-nguyen-xuan-phuc'" in topic.message
    assert text.splitlines()[topic.line - 1].strip() == "- ref: 2018-meeting-prime-minister-nguyen-xuan-phuc"
    missing = next(p for p in problems if "holy-sea" in str(p.value))
    assert "no partner with ref 'holy-sea'" in missing.message and missing.field == "partners"
    assert missing.line is not None
    # Nothing was written: not even the workspace.
    assert slug not in {w.slug for w in registry.list_workspaces(engine)}


def test_the_demo_has_the_five_zeroes_with_a_status_and_its_method_for_every_target(engine, demo, actor):
    slug, _ = demo
    five_zeroes = commitments.get_commitment(engine, slug, "2019-la-green-new-deal-five-zeroes", actor)
    assert "Five Zeroes" in five_zeroes.title
    assert len(five_zeroes.targets) == 5
    for target in five_zeroes.targets:
        assert target.status.status in {"on_track", "at_risk", "off_track", "no_data"}
        assert target.status.method.startswith("Least-squares") and target.status.explanation
    assert five_zeroes.uses_illustrative_data
    assert five_zeroes.engagement is not None and five_zeroes.engagement.found
    assert [n.ref for n in five_zeroes.networks] == ["c40"]
    refs = {c.ref for c in commitments.list_commitments(engine, slug, actor)}
    assert any("paris" in ref for ref in refs)
    obligations = commitments.upcoming_obligations(engine, slug, actor, include_done=True)
    assert {o.network for o in obligations} == {"c40", "u20"}


def test_the_register_holds_only_our_agreements_beside_the_world_twin_list(engine, demo, actor):
    """The world's twin-town list ships with the package and the demo loads it as a shared
    reference layer: read beside the record (atlas, a place's other ties), never copied in."""
    slug, _ = demo
    assert atlas.twin_report(engine, per_page=1).total > 0
    agreements = all_records(engine, slug, "agreements")
    assert len(agreements) == len(load_demo().records["agreements"])
    assert not [a.ref for a in agreements if a.ref.startswith("twin:")]
    assert all(a.notes.startswith(ILLUSTRATIVE) for a in agreements)
    # Busan's ties on the list (Kaohsiung among them) are read as reference
    assert "Kaohsiung" in {tie.name for tie in atlas.reference_ties(engine, 1838524)}
    # and still open a path: Los Angeles - our own sister city Busan - the list's tie to Kaohsiung
    answer = atlas.introduction_paths(engine, slug, "Kaohsiung", actor)
    assert answer.paths[0].hops == 2 and answer.paths[0].steps[0].evidence == "agreements/sister-city-busan"
    assert answer.paths[0].steps[1].source == "reference"


def test_the_demo_holds_the_practice_library_and_the_seismic_alert_is_searchable(engine, demo, actor):
    """The Exchange's 81 shared practices come with the demo (embedded when the semantic extra is
    installed), and a staff question about earthquake warnings finds Mexico City's SASMEX."""
    from citydiplomacy.exchange.embeddings import semantic_available
    from citydiplomacy.services import practices

    slug, _ = demo
    assert practices.list_practices(engine, slug, actor, per_page=1).total == 81
    assert practices.list_transfers(engine, slug, actor)
    found = practices.search_practices(
        engine, slug, "how did other cities warn people before earthquakes?", actor, limit=3
    )
    assert found.hits[0].practice.slug == "mexico-city-sasmex"
    assert found.mode == ("hybrid" if semantic_available() else "lexical")
    words = practices.search_practices(engine, slug, "earthquake early warning", actor, mode="lexical", limit=3)
    assert "mexico-city-sasmex" in [hit.practice.slug for hit in words.hits]
    assert practices.get_practice(engine, slug, "mexico-city-sasmex", actor).has_embedding == semantic_available()


def test_the_demo_builds_without_the_semantic_extra(engine, monkeypatch):
    """Without the optional extra the library is imported for word search only."""
    from citydiplomacy.services import practices

    monkeypatch.setattr(practices, "semantic_available", lambda: False)
    slug = unique("la-lexical")
    build_demo(engine, slug=slug)
    actor = registry.Actor.system()
    assert practices.list_practices(engine, slug, actor, per_page=1).total == 81
    assert not practices.get_practice(engine, slug, "mexico-city-sasmex", actor).has_embedding
    found = practices.search_practices(engine, slug, "how did other cities warn people before earthquakes?", actor)
    assert found.mode == "lexical" and found.notices
    assert "mexico-city-sasmex" in [hit.practice.slug for hit in found.hits[:3]]
