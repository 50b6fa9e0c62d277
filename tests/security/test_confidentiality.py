"""Confidential records are for staff and above: a viewer finds no trace of them in lists,
pages, JSON twins, search, suggestions, exports or the audit trail."""

from __future__ import annotations

import csv
import io

import pytest

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


def test_a_viewer_cannot_write_at_a_level_they_cannot_read_even_with_the_right_role(engine, as_staff, world):
    # staff may write confidential records; viewers may not write at all (see the matrix)
    body = {
        "name": f"Quiet partner {unique('p')}",
        "kind": "company",
        "country_code": "VN",
        "confidentiality": "confidential",
    }
    assert as_staff.post(f"/api/workspaces/{world.own}/partners", json=body).status_code == 201


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
