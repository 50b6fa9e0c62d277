"""A world for the security tests: two workspaces holding the same records, a user per
role in the first, and an outsider who is a member of the second only.

Because both workspaces hold records with the same refs, a 404 for another workspace's
address proves isolation, not just a missing record.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from citydiplomacy.services import accounts
from citydiplomacy.services.registry import Actor, create_workspace, save_record
from tests.fixtures.database import unique
from tests.fixtures.web import SCENARIO, TEST_PASSWORD, signed_in

SYSTEM = Actor.system("python")

#: A confidential partner and an engagement with it, in every world workspace.
SECRETS = [
    (
        "partners",
        {
            "ref": "secret-intermediary",
            "name": "Discreet Intermediary Ltd",
            "kind": "company",
            "country_code": "VN",
            "confidentiality": "confidential",
            "notes": "Back-channel contact.",
        },
    ),
    (
        "engagements",
        {
            "title": "Back-channel dinner",
            "kind": "meeting",
            "start": "2023-03-01T19:00:00",
            "timezone": "America/Los_Angeles",
            "partners": ["secret-intermediary"],
            "confidentiality": "confidential",
        },
    ),
]
SECRET_ENGAGEMENT = "2023-03-01-back-channel-dinner"


def fill(engine, slug: str) -> None:
    for plural, body in SCENARIO + SECRETS:
        save_record(engine, slug, plural, body, SYSTEM)


@dataclass
class World:
    own: str
    foreign: str
    outsider: accounts.User
    member_target: accounts.User  # a viewer of both workspaces, for member-management routes


@pytest.fixture(scope="session")
def world(engine, test_users) -> World:
    own, foreign = unique("own"), unique("foreign")
    for slug in (own, foreign):
        create_workspace(
            engine,
            {
                "slug": slug,
                "name": f"City {slug}",
                "country_code": "US",
                "subdivision_code": "US-CA",
                "timezone": "America/Los_Angeles",
            },
            SYSTEM,
        )
        fill(engine, slug)
    for role in ("viewer", "staff", "counsel", "admin"):
        accounts.grant_role(engine, test_users[role].username, own, role, SYSTEM)
    suffix = uuid.uuid4().hex[:6]
    outsider = accounts.create_user(
        engine,
        {"username": f"outsider-{suffix}", "display_name": "Someone elsewhere", "password": TEST_PASSWORD},
        SYSTEM,
    )
    accounts.grant_role(engine, outsider.username, foreign, "staff", SYSTEM)
    target = accounts.create_user(
        engine, {"username": f"target-{suffix}", "display_name": "A member", "password": TEST_PASSWORD}, SYSTEM
    )
    for slug in (own, foreign):
        accounts.grant_role(engine, target.username, slug, "viewer", SYSTEM)
    return World(own, foreign, outsider, target)


@pytest.fixture
def outsider_client(web_app, engine, world):
    with signed_in(web_app, engine, world.outsider) as client:
        yield client
