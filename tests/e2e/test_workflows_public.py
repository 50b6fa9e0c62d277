"""The public transparency page: opt-in, no sign-in, public engagements and agreements only."""

from __future__ import annotations

import pytest

from citydiplomacy.services.registry import create_workspace, save_record
from tests.fixtures.database import unique


@pytest.fixture
def published(engine, actor) -> str:
    slug = unique("pub")
    create_workspace(
        engine,
        {"slug": slug, "name": "Open City", "country_code": "US", "timezone": "America/Chicago", "public_page": True},
        actor,
    )
    for plural, body in [
        (
            "partners",
            {"ref": "open-partner", "name": "Consulate of Ghana", "kind": "consulate", "confidentiality": "public"},
        ),
        ("partners", {"ref": "quiet-partner", "name": "Quiet Holdings", "kind": "company"}),
        (
            "engagements",
            {
                "title": "Public reception",
                "kind": "reception",
                "start": "2026-02-02T18:00:00",
                "timezone": "America/Chicago",
                "confidentiality": "public",
                "partners": ["open-partner", "quiet-partner"],
                "summary": "A reception for the consul.",
                "notes": "internal note that must not leak",
            },
        ),
        ("engagements", {"title": "Internal briefing", "kind": "meeting", "start": "2026-02-03T09:00:00"}),
        (
            "engagements",
            {
                "title": "Confidential talks",
                "kind": "meeting",
                "start": "2026-02-04T09:00:00",
                "confidentiality": "confidential",
            },
        ),
        (
            "agreements",
            {
                "title": "Friendship declaration",
                "kind": "joint_declaration",
                "status": "in_force",
                "signed_on": "2025-05-05",
                "confidentiality": "public",
                "parties": [{"us": True}, {"partner": "open-partner"}],
            },
        ),
        ("agreements", {"title": "Draft memorandum", "kind": "memorandum_of_understanding"}),
    ]:
        save_record(engine, slug, plural, body, actor)
    return slug


def test_the_public_page_lists_only_public_engagements_and_agreements(anonymous_client, published):
    response = anonymous_client.get(f"/public/{published}")
    assert response.status_code == 200
    text = response.text
    assert "Public reception" in text and "Friendship declaration" in text
    for hidden in (
        "Internal briefing",
        "Confidential talks",
        "Draft memorandum",
        "Quiet Holdings",
        "internal note that must not leak",
    ):
        assert hidden not in text
    assert "Consulate of Ghana" in text and "(America/Chicago, UTC-06:00)" in text
    twin = anonymous_client.get(f"/public/{published}.json").json()
    assert [e["title"] for e in twin["engagements"]] == ["Public reception"]
    assert twin["engagements"][0]["partners"] == ["Consulate of Ghana"]
    assert [a["title"] for a in twin["agreements"]] == ["Friendship declaration"]
    assert twin["agreements"][0]["parties"] == ["Open City", "Consulate of Ghana"]
    assert "notes" not in json_text(twin)


def json_text(value) -> str:
    import json

    return json.dumps(value)


def test_a_workspace_that_did_not_opt_in_has_no_public_page(anonymous_client, workspace):
    assert anonymous_client.get(f"/public/{workspace}").status_code == 404
    assert anonymous_client.get(f"/public/{workspace}.json").status_code == 404
    assert anonymous_client.get("/public/no-such-city").status_code == 404


def test_the_public_page_offers_no_workspace_navigation(anonymous_client, published):
    text = anonymous_client.get(f"/public/{published}").text
    assert f'href="/w/{published}/' not in text
    assert anonymous_client.get(f"/w/{published}/", follow_redirects=False).status_code in (302, 303, 307, 401)
