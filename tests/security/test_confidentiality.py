"""Confidential records are for staff and above: a viewer finds no trace of them in lists,
pages, JSON twins, search, suggestions, exports or the audit trail."""

from __future__ import annotations

import csv
import io

import pytest

from citydiplomacy.adapters.db.repository import ALL_LEVELS, ListQuery
from citydiplomacy.domain import NotFound
from citydiplomacy.services import registry
from citydiplomacy.services.registry import Actor, save_record, update_record
from tests.fixtures.database import unique
from tests.fixtures.web import signed_in
from tests.security.conftest import SECRET_ENGAGEMENT

SYSTEM = Actor.system("python")
SECRET_WORDS = ("secret-intermediary", "Discreet Intermediary", "Back-channel", SECRET_ENGAGEMENT)


@pytest.fixture
def as_viewer(web_app, engine, world, test_users):
    with signed_in(web_app, engine, test_users["viewer"]) as client:
        yield client


@pytest.fixture
def as_staff(web_app, engine, world, test_users):
    with signed_in(web_app, engine, test_users["staff"]) as client:
        yield client


def addresses(ws: str) -> list[str]:
    """Everywhere a record could show up."""
    return [
        f"/api/workspaces/{ws}/partners",
        f"/api/workspaces/{ws}/engagements?per_page=500",
        f"/api/workspaces/{ws}/audit?limit=1000",
        f"/w/{ws}/",
        f"/w/{ws}/.json",
        f"/w/{ws}/partners",
        f"/w/{ws}/partners.json",
        f"/w/{ws}/engagements",
        f"/w/{ws}/engagements.json?per_page=500",
        f"/w/{ws}/search?q=intermediary",
        f"/w/{ws}/search.json?q=dinner",
        f"/w/{ws}/search.json?q=discreet",
        f"/w/{ws}/autocomplete/partners?q=discreet",
        f"/w/{ws}/export/partners.csv",
        f"/w/{ws}/export/engagements.json",
        f"/w/{ws}/audit?per_page=500",
        f"/w/{ws}/audit.json?per_page=500",
        f"/w/{ws}/audit/export.csv",
        f"/w/{ws}/audit/export.json",
        f"/w/{ws}/partners/hcmc",
        f"/w/{ws}/partners/hcmc.json",
    ]


def test_a_viewer_finds_no_trace_of_confidential_records(as_viewer, as_staff, world):
    for url in addresses(world.own):
        response = as_viewer.get(url)
        assert response.status_code == 200, (url, response.status_code)
        for word in SECRET_WORDS:
            assert word.lower() not in response.text.lower(), (url, word)
    # ...while staff see them, so the addresses above do show such records
    seen = " ".join(as_staff.get(url).text for url in addresses(world.own)).lower()
    assert "discreet intermediary" in seen and "back-channel" in seen


@pytest.mark.parametrize(
    "url",
    [
        "/api/workspaces/{ws}/partners/secret-intermediary",
        "/api/workspaces/{ws}/partners/secret-intermediary/history",
        "/api/workspaces/{ws}/engagements/" + SECRET_ENGAGEMENT,
        "/w/{ws}/partners/secret-intermediary",
        "/w/{ws}/partners/secret-intermediary.json",
        "/w/{ws}/engagements/" + SECRET_ENGAGEMENT,
        "/w/{ws}/history/partners/secret-intermediary",
        "/w/{ws}/history/partners/secret-intermediary.json",
    ],
)
def test_a_confidential_record_is_not_found_for_a_viewer_as_if_it_did_not_exist(url, as_viewer, as_staff, world):
    hidden = as_viewer.get(url.format(ws=world.own))
    missing = as_viewer.get(
        url.format(ws=world.own)
        .replace("secret-intermediary", "no-such-partner")
        .replace(SECRET_ENGAGEMENT, "2023-03-01-no-such-meeting")
    )
    assert hidden.status_code == missing.status_code == 404
    assert as_staff.get(url.format(ws=world.own)).status_code == 200


def test_counts_on_the_overview_leave_out_what_a_viewer_may_not_read(as_viewer, as_staff, world):
    def counts(client):
        return {c["plural"]: c["total"] for c in client.get(f"/w/{world.own}/.json").json()["counts"]}

    assert counts(as_staff)["partners"] == counts(as_viewer)["partners"] + 1


def test_a_viewer_cannot_write_a_confidential_record_and_nothing_is_written(engine, as_viewer, as_staff, world):
    body = {
        "name": f"Quiet partner {unique('p')}",
        "kind": "company",
        "country_code": "VN",
        "confidentiality": "confidential",
    }
    refused = as_viewer.post(f"/api/workspaces/{world.own}/partners", json=body)
    assert refused.status_code == 403
    found = registry.list_records(engine, world.own, "partners", ListQuery(q=body["name"]), SYSTEM)
    assert found.total == 0, "the refused write left nothing behind"
    # a viewer also cannot write at a level they can read
    assert (
        as_viewer.post(f"/api/workspaces/{world.own}/partners", json=body | {"confidentiality": "public"}).status_code
        == 403
    )
    # staff may write confidential records
    assert as_staff.post(f"/api/workspaces/{world.own}/partners", json=body).status_code == 201
    assert registry.list_records(engine, world.own, "partners", ListQuery(q=body["name"]), SYSTEM).total == 1


def test_a_record_made_confidential_keeps_its_earlier_history_but_hides_its_new_contents(engine, as_viewer, world):
    name = f"Partner {unique('r')}"
    ref = save_record(
        engine,
        world.own,
        "partners",
        {"name": name, "kind": "city", "country_code": "VN", "website": "https://example.org/before"},
        SYSTEM,
    ).record.ref
    update_record(
        engine,
        world.own,
        "partners",
        ref,
        {"confidentiality": "confidential", "website": "https://example.org/after-secret"},
        SYSTEM,
    )
    history = as_viewer.get(f"/api/workspaces/{world.own}/audit", params={"ref": ref}).json()["items"]
    assert [e["action"] for e in history] == ["update", "create"]
    change = history[0]
    assert change["after"] == {"confidentiality": "confidential"}
    assert change["changed"] == ["confidentiality"]
    page = as_viewer.get(f"/w/{world.own}/history/partners/{ref}")
    assert page.status_code == 200
    assert "after-secret" not in page.text and "may not read" in page.text
    rows = list(csv.DictReader(io.StringIO(as_viewer.get(f"/w/{world.own}/audit/export.csv?ref={ref}").text)))
    assert [r["redacted"] for r in rows] == ["true", "false"]
    assert "after-secret" not in as_viewer.get(f"/w/{world.own}/audit/export.json?ref={ref}").text


def test_entries_about_roles_and_tokens_are_for_administrators(engine, web_app, world, test_users):
    with (
        signed_in(web_app, engine, test_users["staff"]) as staff,
        signed_in(web_app, engine, test_users["admin"]) as admin,
    ):
        for client, expected in ((staff, False), (admin, True)):
            kinds = {
                e["record_type"] for e in client.get(f"/api/workspaces/{world.own}/audit?limit=1000").json()["items"]
            }
            assert ("role" in kinds) is expected
            assert (
                client.get(f"/w/{world.own}/audit.json?record_type=role").json()["total"] > 0
                if expected
                else client.get(f"/w/{world.own}/audit.json?record_type=role").json()["total"] == 0
            )


def audit_everywhere(client, ws: str) -> str:
    """Every place a viewer reads the audit trail: the API, the pages, their JSON and exports."""
    return " ".join(
        client.get(url).text
        for url in (
            f"/api/workspaces/{ws}/audit?limit=1000",
            f"/w/{ws}/audit?per_page=500",
            f"/w/{ws}/audit.json?per_page=500",
            f"/w/{ws}/audit/export.csv",
            f"/w/{ws}/audit/export.json",
        )
    )


def test_the_sdg_tags_and_answers_of_a_confidential_engagement_stay_with_it(engine, as_viewer, as_staff, world):
    from citydiplomacy.services import commitments, rules

    commitments.set_sdg_tags(engine, world.own, "engagements", SECRET_ENGAGEMENT, ["16.6"], SYSTEM)
    rules.answer_fact(engine, world.own, "engagements", SECRET_ENGAGEMENT, "engagement.arranges_meeting", True, SYSTEM)
    seen_by_viewer, seen_by_staff = audit_everywhere(as_viewer, world.own), audit_everywhere(as_staff, world.own)
    assert SECRET_ENGAGEMENT in seen_by_staff and "sdg_tags" in seen_by_staff
    assert SECRET_ENGAGEMENT not in seen_by_viewer and "16.6" not in seen_by_viewer


def test_an_obligation_about_a_confidential_gift_stays_with_it(engine, web_app, test_users):
    """In a Florida workspace, a confidential foreign gift must be disclosed: the obligation and
    its audit entries are the gift's, so a viewer reads none of them."""
    from citydiplomacy.services import accounts, rules
    from citydiplomacy.services.registry import create_workspace

    florida = unique("fl")
    create_workspace(
        engine,
        {
            "slug": florida,
            "name": "Test City, Florida",
            "country_code": "US",
            "subdivision_code": "US-FL",
            "timezone": "America/New_York",
        },
        SYSTEM,
    )
    save_record(
        engine,
        florida,
        "partners",
        {"ref": "jp-foundation", "name": "Japan Foundation", "kind": "ngo", "country_code": "JP"},
        SYSTEM,
    )
    save_record(
        engine,
        florida,
        "gifts",
        {
            "ref": "quiet-grant",
            "description": "Quiet grant",
            "donor_partner": "jp-foundation",
            "to_government": True,
            "value": "6500000",
            "currency": "JPY",
            "value_usd": "50000.00",
            "received_on": "2023-03-10",
            "disposition": "kept",
            "confidentiality": "confidential",
        },
        SYSTEM,
    )
    rules.sync_obligations(engine, florida, SYSTEM, check_date=__import__("datetime").date(2023, 3, 20))
    (task,) = [o for o in rules.list_obligations(engine, florida, SYSTEM) if o.record_ref == "quiet-grant"]
    rules.update_obligation(engine, florida, task.id, {"owner": "Clerk", "evidence": "filed"}, SYSTEM)
    for role in ("viewer", "staff"):
        accounts.grant_role(engine, test_users[role].username, florida, role, SYSTEM)
    with (
        signed_in(web_app, engine, test_users["viewer"]) as viewer,
        signed_in(web_app, engine, test_users["staff"]) as staff,
    ):
        assert "quiet-grant" in audit_everywhere(staff, florida)
        assert "quiet-grant" not in audit_everywhere(viewer, florida)
        assert "quiet-grant" not in viewer.get(f"/w/{florida}/obligations?status=all").text


def test_a_filter_naming_a_confidential_record_matches_nothing_as_if_it_did_not_exist(
    engine, as_viewer, as_staff, world
):
    def refs(client, params):
        response = client.get(f"/api/workspaces/{world.own}/engagements", params=params | {"per_page": 500})
        assert response.status_code == 200
        return [e["ref"] for e in response.json()["items"]]

    # a public reception that the confidential intermediary also attended
    reception = save_record(
        engine,
        world.own,
        "engagements",
        {
            "title": "Public reception",
            "kind": "reception",
            "start": "2023-04-01T18:00:00",
            "timezone": "America/Los_Angeles",
            "partners": ["hcmc", "secret-intermediary"],
            "confidentiality": "public",
        },
        SYSTEM,
    ).record.ref
    try:
        assert {SECRET_ENGAGEMENT, reception} <= set(refs(as_staff, {"partner": "secret-intermediary"}))
        hidden = refs(as_viewer, {"partner": "secret-intermediary"})
        assert hidden == refs(as_viewer, {"partner": "no-such-partner"}) == []
        assert reception in refs(as_viewer, {"partner": "hcmc"})
    finally:
        registry.delete_record(engine, world.own, "engagements", reception, SYSTEM)


def test_a_repository_read_that_is_not_told_who_reads_shows_nothing_confidential(engine, world):
    from citydiplomacy.services.unit_of_work import UnitOfWork

    with UnitOfWork(engine, world.own, write=False) as uow:
        records = uow.records
        assert "secret-intermediary" not in {p.ref for p in records.iter_all("partners")}
        assert "secret-intermediary" not in {p.ref for p in records.list("partners", ListQuery(per_page=500)).items}
        with pytest.raises(NotFound):
            records.get("partners", "secret-intermediary")
        secret_id = records.id_of("partners", "secret-intermediary")
        with pytest.raises(NotFound):
            records.get_by_id("partners", secret_id)
        assert records.load_many("partners", [secret_id]) == {}
        # ...and the reader's own levels, given, decide
        assert records.get("partners", "secret-intermediary", visible=ALL_LEVELS)[1].name == "Discreet Intermediary Ltd"


def test_a_visible_record_names_no_confidential_record_it_points_at(engine, as_viewer, as_staff, world):
    """A public reception the confidential intermediary attended: the viewer reads it, and reads
    'a confidential record' where the intermediary is, in every interface; never its ref or name."""
    reception = save_record(
        engine,
        world.own,
        "engagements",
        {
            "title": "Harbour reception",
            "kind": "reception",
            "start": "2023-05-01T18:00:00",
            "timezone": "America/Los_Angeles",
            "partners": ["hcmc", "secret-intermediary"],
            "confidentiality": "public",
        },
        SYSTEM,
    ).record.ref
    ws = world.own
    try:
        urls = [
            f"/api/workspaces/{ws}/engagements/{reception}",
            f"/api/workspaces/{ws}/engagements?per_page=500",
            f"/w/{ws}/engagements/{reception}",
            f"/w/{ws}/engagements/{reception}.json",
            f"/w/{ws}/engagements.json?per_page=500",
            f"/w/{ws}/export/engagements.csv",
            f"/w/{ws}/export/engagements.json",
            f"/w/{ws}/partners/hcmc.json",
            f"/api/workspaces/{ws}/audit?limit=1000",
            f"/w/{ws}/audit/export.json",
        ]
        for url in urls:
            text = as_viewer.get(url).text
            assert "Harbour reception" in text or reception in text, url
            for word in SECRET_WORDS:
                assert word.lower() not in text.lower(), (url, word)
        api = as_viewer.get(f"/api/workspaces/{ws}/engagements/{reception}").json()
        assert api["partners"] == ["hcmc", "confidential:1"]
        page = as_viewer.get(f"/w/{ws}/engagements/{reception}").text
        assert "a confidential record" in page
        assert "secret-intermediary" in as_staff.get(f"/api/workspaces/{ws}/engagements/{reception}").text
    finally:
        registry.delete_record(engine, ws, "engagements", reception, SYSTEM)
