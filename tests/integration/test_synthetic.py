"""The synthetic workspace generator: what it writes loads back through the services as
valid records, it is deterministic for a seed, and the workspace stays usable after it."""

from __future__ import annotations

from datetime import date

import pytest

from citydiplomacy.adapters.db.repository import ALL_LEVELS, ListQuery
from citydiplomacy.demo.synthetic import generate_workspace, main
from citydiplomacy.domain import RECORD_TYPES_BY_PLURAL
from citydiplomacy.services import registry
from citydiplomacy.services.unit_of_work import UnitOfWork
from tests.fixtures.database import unique

AS_OF = date(2026, 1, 1)
SIZE = {"engagements": 500, "partners": 200, "people": 400, "places": 120, "seed": 7, "as_of": AS_OF}
PLURALS = ("places", "partners", "people", "posts", "networks", "memberships", "agreements", "engagements")


@pytest.fixture(scope="module")
def synthetic(engine):
    slug = unique("synth")
    return slug, generate_workspace(engine, slug, **SIZE)


def dump_all(engine, slug) -> dict[str, list[dict]]:
    """Every record of the workspace, loaded (and so validated) by the registry, by type."""
    with UnitOfWork(engine, slug, write=False) as uow:
        return {
            plural: sorted(
                (r.model_dump(mode="json") for r in uow.records.iter_all(plural, visible=ALL_LEVELS)),
                key=lambda d: d["ref"],
            )
            for plural in PLURALS
        }


def test_a_generated_workspace_loads_as_valid_records_through_the_services(engine, synthetic, actor):
    slug, report = synthetic
    assert report.counts["engagements"] == 500 and report.counts["partners"] == 200 and report.counts["people"] == 400
    for plural in PLURALS:
        page = registry.list_records(engine, slug, plural, ListQuery(per_page=50), actor)
        assert page.total == report.counts[plural], plural
        for record in page.items[:10]:
            again = registry.get_record(engine, slug, plural, record.ref, actor)
            assert again == record
            model = RECORD_TYPES_BY_PLURAL[plural]
            assert model.model_validate(again.model_dump()) == again


def test_generated_engagements_look_like_an_offices_work(engine, synthetic, actor):
    slug, _ = synthetic
    engagements = dump_all(engine, slug)["engagements"]
    years = {int(e["start"][:4]) for e in engagements}
    assert min(years) == 2015 and max(years) == 2027
    assert {e["confidentiality"] for e in engagements} == {"public", "internal", "confidential"}
    assert all(e["partners"] and e["topics"] for e in engagements)
    assert all(any(p["side"] == "ours" for p in e["participants"]) for e in engagements)
    planned = [e for e in engagements if e["status"] == "planned"]
    assert planned and all(e["start"][:10] > AS_OF.isoformat() for e in planned)
    assert any(f["done"] for e in engagements for f in e["follow_ups"])
    assert any(e["venue_place"] for e in engagements) and any(e["sdgs"] for e in engagements)
    upcoming = registry.list_records(
        engine, slug, "engagements", ListQuery(date_from=AS_OF, status="planned", per_page=5), actor
    )
    assert upcoming.total == len(planned)


def test_pinned_posts_were_held_on_the_engagement_date(engine, synthetic, actor):
    slug, _ = synthetic
    with UnitOfWork(engine, slug, write=False) as uow:
        posts = {p.ref: p for p in uow.records.iter_all("posts", visible=ALL_LEVELS)}
        engagements = list(uow.records.iter_all("engagements", visible=ALL_LEVELS))
    pinned = [(e, p) for e in engagements for p in e.participants if p.post]
    assert pinned
    for engagement, participant in pinned:
        post = posts[participant.post]
        assert post.person == participant.person and post.held_on(engagement.on)


def test_the_same_seed_gives_the_same_workspace_and_another_seed_a_different_one(engine, synthetic):
    slug, _ = synthetic
    twin = unique("synth-twin")
    generate_workspace(engine, twin, **SIZE)
    assert dump_all(engine, twin) == dump_all(engine, slug)
    other = unique("synth-other")
    generate_workspace(engine, other, **{**SIZE, "seed": 8})
    assert dump_all(engine, other)["engagements"] != dump_all(engine, slug)["engagements"]


def test_the_workspace_stays_usable_after_generation_and_the_generation_is_audited(engine, synthetic, actor):
    slug, _ = synthetic
    partner = registry.list_records(engine, slug, "partners", ListQuery(per_page=1), actor).items[0]
    result = registry.save_record(
        engine,
        slug,
        "engagements",
        {
            "title": "Follow-up call after the synthetic data",
            "kind": "call",
            "channel": "phone",
            "status": "held",
            "start": "2025-03-04T10:00:00",
            "timezone": "America/Los_Angeles",
            "partners": [partner.ref],
        },
        actor,
    )
    assert result.action == "inserted"
    history = registry.audit_history(engine, slug, record_type_name="workspace")
    generated = [h for h in history if (h.after or {}).get("event") == "synthetic workspace generated"]
    assert len(generated) == 1 and generated[0].after["seed"] == 7


def test_the_command_line_generates_a_workspace(database_url, engine, capsys):
    slug = unique("synth-cli")
    code = main(
        [
            "--database",
            database_url,
            "--slug",
            slug,
            "--engagements",
            "30",
            "--partners",
            "20",
            "--people",
            "30",
            "--places",
            "20",
            "--as-of",
            "2026-01-01",
            "--quiet",
        ]
    )
    assert code == 0
    assert f"workspace '{slug}'" in capsys.readouterr().out
    assert registry.get_workspace(engine, slug).slug == slug
    assert main(["--database", database_url, "--slug", slug, "--engagements", "5", "--quiet"]) == 1
    assert "already exists" in capsys.readouterr().err
