"""Who may call each route: the expectations of the route × role × workspace matrix.

Every route of the app must have an entry here (the matrix fails on a route without one),
so a new route is never left unchecked: add it to :func:`expectation` with its rule and,
for writes, how to build a request that succeeds when allowed.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from citydiplomacy.domain import RECORD_TYPES, NotFound
from citydiplomacy.services import accounts
from citydiplomacy.services.registry import Actor, delete_record, save_record

SYSTEM = Actor.system("python")
PLURALS = [m.plural for m in RECORD_TYPES]
ROLE_RANK = {"viewer": 0, "staff": 1, "counsel": 2, "admin": 3}


@dataclass
class Request:
    method: str
    url: str
    json: object = None
    data: dict | None = None


@dataclass
class Context:
    """What a request builder knows: the database, the workspace asked for, who asks."""

    engine: object
    world: object
    ws: str
    user: accounts.User | None
    test_users: dict


@dataclass(frozen=True)
class Rule:
    """``access``: public (anyone, anything but a server error), same (every caller gets the
    same answer), signed_in, site_admin, or member (of the workspace in the address, with at
    least ``min_role``). ``loose``: the matrix cannot build a valid body, so "allowed" means
    "not refused" (no 401/403/404); ``not_found_ok``: allowed callers may get 404 (the route
    needs an id the matrix cannot make)."""

    access: str
    min_role: str = "viewer"
    loose: bool = False
    not_found_ok: bool = False
    build: Callable[[Context, str, str], Request] | None = field(default=None, compare=False)


def u() -> str:
    return uuid.uuid4().hex[:10]


def new_body(plural: str, ctx: Context) -> dict:
    """A valid new record of each type (unique, pointing at the scenario's records)."""
    x = u()
    if plural == "memberships":
        network = save_record(ctx.engine, ctx.ws, "networks", {"name": f"Network {x}"}, SYSTEM).record.ref
        return {"network": network, "member": "hcmc"}
    return {
        "places": {"kind": "city", "name": f"Town {x}", "country_code": "VN"},
        "partners": {"name": f"Partner {x}", "kind": "city", "country_code": "VN"},
        "people": {"name": f"Person {x}", "country_code": "VN"},
        "posts": {
            "person": "eric-garcetti",
            "title": f"Adviser {x}",
            "own_government": True,
            "start_date": "2023-05-11",
        },
        "networks": {"name": f"Network {x}"},
        "agreements": {
            "title": f"Agreement {x}",
            "kind": "letter_of_intent",
            "signed_on": "2024-03-01",
            "status": "in_force",
            "parties": [{"partner": "hcmc"}, {"us": True}],
        },
        "engagements": {
            "title": f"Meeting {x}",
            "kind": "meeting",
            "start": "2024-11-05T14:00:00",
            "timezone": "America/Los_Angeles",
            "partners": ["hcmc"],
        },
        "gifts": {
            "description": f"Gift {x}",
            "donor_partner": "government-of-viet-nam",
            "recipient": "eric-garcetti",
            "value": "45.00",
            "received_on": "2018-04-11",
        },
    }[plural]


def fresh_record(ctx: Context, plural: str) -> tuple[str, dict]:
    body = new_body(plural, ctx)
    return save_record(ctx.engine, ctx.ws, plural, body, SYSTEM).record.ref, body


def token_of(ctx: Context) -> int:
    """A token the caller owns in the workspace (else one of a member there)."""
    owner = ctx.user
    if owner is None or accounts.role_in(ctx.engine, owner, ctx.ws) is None:
        owner = ctx.world.outsider if ctx.ws == ctx.world.foreign else ctx.test_users["admin"]
    return accounts.create_api_token(ctx.engine, owner, ctx.ws, f"matrix {u()}", "viewer", actor=SYSTEM)[1].id


def fill_path(ctx: Context, path: str) -> str:
    """Concrete address for a route path (its records made fresh, so writes can succeed)."""
    url = path.replace("{ws}", ctx.ws).replace("{plural}", "partners")
    if "{ref:path}" in url:
        match = re.search(r"/([\w-]+)/\{ref:path\}", url)
        plural = match.group(1)
        url = url.replace("{ref:path}", fresh_record(ctx, plural)[0])
    if "{username}" in url:
        accounts.grant_role(ctx.engine, ctx.world.member_target.username, ctx.ws, "viewer", SYSTEM)
        url = url.replace("{username}", ctx.world.member_target.username)
    if "{token_id}" in url:
        url = url.replace("{token_id}", str(token_of(ctx)))
    return url.replace("{code}", "VN").replace("{upload_id}", "0" * 32).replace("{file_name}", "partners.csv")


def simple(ctx: Context, method: str, path: str) -> Request:
    return Request(method, fill_path(ctx, path))


def api_create(plural: str):
    def build(ctx: Context, method: str, path: str) -> Request:
        return Request(method, fill_path(ctx, path), json=new_body(plural, ctx))

    return build


def api_put(plural: str):
    def build(ctx: Context, method: str, path: str) -> Request:
        ref, body = fresh_record(ctx, plural)
        url = path.replace("{ws}", ctx.ws).replace("{ref:path}", ref)
        return Request(method, url, json=body | {"notes": "replaced by the matrix"})

    return build


def api_patch(ctx: Context, method: str, path: str) -> Request:
    return Request(method, fill_path(ctx, path), json={"notes": "changed by the matrix"})


def with_json(body: Callable[[], object]):
    def build(ctx: Context, method: str, path: str) -> Request:
        return Request(method, fill_path(ctx, path), json=body())

    return build


def with_form(body: Callable[[Context], dict]):
    def build(ctx: Context, method: str, path: str) -> Request:
        return Request(method, fill_path(ctx, path), data=body(ctx))

    return build


def new_gazetteer_place(ctx: Context) -> dict:
    """A place from the gazetteer that the workspace does not hold yet (so adding it is a write)."""
    with contextlib.suppress(NotFound):
        delete_record(ctx.engine, ctx.ws, "places", "country:jp", SYSTEM)
    return {"ref": "country:jp"}


def new_workspace() -> dict:
    return {"slug": f"m-{u()}", "name": "Matrix City", "country_code": "US"}


EXPECTATIONS: dict[tuple[str, str], Rule] = {
    # Signing in and the account
    ("GET", "/login"): Rule("public"),
    ("GET", "/login.json"): Rule("public"),
    ("POST", "/login"): Rule("same"),  # without the sign-in form's token: refused for everyone alike
    ("POST", "/logout"): Rule("signed_in"),
    ("GET", "/account"): Rule("signed_in"),
    ("GET", "/account.json"): Rule("signed_in"),
    ("GET", "/account/password"): Rule("signed_in"),
    ("POST", "/account/password"): Rule("signed_in", loose=True),  # wrong current password: 422
    ("GET", "/openapi.json"): Rule("public"),
    ("GET", "/static"): Rule("public"),
    # Home and workspaces
    ("GET", "/"): Rule("signed_in"),
    ("GET", "/.json"): Rule("signed_in"),
    ("GET", "/api/workspaces"): Rule("signed_in"),
    ("POST", "/api/workspaces"): Rule("site_admin", build=with_json(new_workspace)),
    ("GET", "/api/workspaces/{ws}"): Rule("member"),
    ("GET", "/api/workspaces/{ws}/audit"): Rule("member"),
    ("GET", "/w/{ws}"): Rule("same"),  # a redirect to /w/{ws}/ that looks nothing up
    ("GET", "/w/{ws}/"): Rule("member"),
    ("GET", "/w/{ws}/.json"): Rule("member"),
    # Members and tokens
    ("GET", "/api/workspaces/{ws}/members"): Rule("member", "admin"),
    ("PUT", "/api/workspaces/{ws}/members/{username}"): Rule(
        "member", "admin", build=with_json(lambda: {"role": "viewer"})
    ),
    ("DELETE", "/api/workspaces/{ws}/members/{username}"): Rule("member", "admin"),
    ("GET", "/api/workspaces/{ws}/tokens"): Rule("member"),
    ("POST", "/api/workspaces/{ws}/tokens"): Rule(
        "member", build=with_json(lambda: {"name": "matrix", "role": "viewer"})
    ),
    ("DELETE", "/api/workspaces/{ws}/tokens/{token_id}"): Rule("member"),
    ("GET", "/w/{ws}/admin/members"): Rule("member", "admin"),
    ("GET", "/w/{ws}/admin/members.json"): Rule("member", "admin"),
    ("POST", "/w/{ws}/admin/members"): Rule(
        "member", "admin", build=with_form(lambda ctx: {"username": ctx.world.member_target.username, "role": "viewer"})
    ),
    ("POST", "/w/{ws}/admin/members/{username}/remove"): Rule("member", "admin"),
    ("GET", "/w/{ws}/admin/tokens"): Rule("member"),
    ("GET", "/w/{ws}/admin/tokens.json"): Rule("member"),
    ("POST", "/w/{ws}/admin/tokens"): Rule(
        "member", build=with_form(lambda ctx: {"name": "matrix", "role": "viewer", "days": "30"})
    ),
    ("POST", "/w/{ws}/admin/tokens/{token_id}/revoke"): Rule("member"),
    # Audit
    ("GET", "/w/{ws}/audit"): Rule("member"),
    ("GET", "/w/{ws}/audit.json"): Rule("member"),
    ("GET", "/w/{ws}/audit/export.csv"): Rule("member"),
    ("GET", "/w/{ws}/audit/export.json"): Rule("member"),
    ("GET", "/w/{ws}/history/{plural}/{ref:path}"): Rule("member"),
    # Daily workflows
    ("GET", "/w/{ws}/search"): Rule("member"),
    ("GET", "/w/{ws}/search.json"): Rule("member"),
    ("GET", "/w/{ws}/countries/{code}"): Rule("member"),
    ("GET", "/w/{ws}/autocomplete/{plural}"): Rule("member"),
    ("POST", "/w/{ws}/quick/{plural}"): Rule(
        "member",
        "staff",
        build=with_form(lambda ctx: {"name": f"Quick partner {u()}", "kind": "city", "country_code": "VN"}),
    ),
    ("POST", "/w/{ws}/places/from-gazetteer"): Rule("member", "staff", build=with_form(new_gazetteer_place)),
    ("GET", "/w/{ws}/import"): Rule("member", "staff"),
    ("GET", "/w/{ws}/import.json"): Rule("member", "staff"),
    ("POST", "/w/{ws}/import"): Rule("member", "staff", loose=True),
    ("POST", "/w/{ws}/import/{upload_id}/commit"): Rule("member", "staff", loose=True, not_found_ok=True),
    ("GET", "/w/{ws}/export/{file_name}"): Rule("member"),
    ("GET", "/public/{ws}"): Rule("same"),
    ("POST", "/w/{ws}/agreements/{ref:path}/status"): Rule(
        "member", "staff", loose=True, build=with_form(lambda ctx: {"status": "dormant"})
    ),
}

for _plural in PLURALS:
    _base = f"/api/workspaces/{{ws}}/{_plural}"
    EXPECTATIONS.update(
        {
            ("GET", _base): Rule("member"),
            ("POST", _base): Rule("member", "staff", build=api_create(_plural)),
            ("GET", _base + "/{ref:path}"): Rule("member"),
            ("GET", _base + "/{ref:path}/history"): Rule("member"),
            ("PUT", _base + "/{ref:path}"): Rule("member", "staff", build=api_put(_plural)),
            ("PATCH", _base + "/{ref:path}"): Rule("member", "staff", build=api_patch),
            ("DELETE", _base + "/{ref:path}"): Rule("member", "staff"),
        }
    )
    _page = f"/w/{{ws}}/{_plural}"
    EXPECTATIONS.update(
        {
            ("GET", _page): Rule("member"),
            ("GET", _page + ".json"): Rule("member"),
            ("GET", _page + "/{ref:path}"): Rule("member"),
            ("GET", _page + "/new"): Rule("member", "staff"),
            ("GET", _page + "/new.json"): Rule("member", "staff"),
            ("POST", _page + "/new"): Rule("member", "staff", loose=True),
            ("GET", _page + "/{ref:path}/edit"): Rule("member", "staff"),
            ("POST", _page + "/{ref:path}/edit"): Rule("member", "staff", loose=True),
        }
    )


# -- Rules (web/routes/rules.py) ---------------------------------------------------------------

RULE_ID = "us-prc-senior-approval"
MESSAGING_READING = {
    "term": "official_meeting",
    "statement": "A messaging-app exchange that does not arrange a meeting is not one.",
    "when": [
        {"fact": "engagement.channel", "in": ["messaging_app"]},
        {"fact": "engagement.arranges_meeting", "is": False},
    ],
    "value": False,
}


def rules_path(ctx: Context, path: str) -> str:
    """Addresses of the rules routes: a fresh engagement, a shipped rule, a fresh obligation."""
    from citydiplomacy.rules import store
    from citydiplomacy.services.unit_of_work import UnitOfWork

    url = path.replace("{ws}", ctx.ws).replace("{plural}", "engagements").replace("{rule_id}", RULE_ID)
    if "{ref:path}" in url:
        url = url.replace("{ref:path}", fresh_record(ctx, "engagements")[0])
    if "{obligation_id}" in url:
        with UnitOfWork(ctx.engine, ctx.ws) as uow:
            _action, task = store.upsert_obligation(
                uow.conn,
                uow.workspace_id,
                {
                    "record_type": "engagement",
                    "record_ref": f"matrix-{u()}",
                    "rule_id": f"matrix-rule-{u()}",
                    "pack_id": "matrix",
                    "pack_version": "1",
                    "kind": "review_by_counsel",
                    "description": "Matrix task",
                    "due_on": None,
                    "due_note": None,
                },
                "matrix",
                uow.now,
            )
            uow.commit()
        url = url.replace("{obligation_id}", str(task))
    return url


def rules_simple(ctx: Context, method: str, path: str) -> Request:
    return Request(method, rules_path(ctx, path))


def rules_form(body: Callable[[Context], dict]):
    def build(ctx: Context, method: str, path: str) -> Request:
        return Request(method, rules_path(ctx, path), data=body(ctx))

    return build


def rules_json(body: Callable[[Context], object]):
    def build(ctx: Context, method: str, path: str) -> Request:
        return Request(method, rules_path(ctx, path), json=body(ctx))

    return build


def staged_interpretation(ctx: Context) -> int:
    from citydiplomacy.services.rules import record_interpretation

    return record_interpretation(ctx.engine, ctx.ws, MESSAGING_READING, SYSTEM).id


PLANNED = {
    "title": "Planned lunch",
    "kind": "meeting",
    "start": "2031-05-01T12:00:00",
    "timezone": "America/Los_Angeles",
    "partners": ["hcmc"],
}
_rules_api = "/api/workspaces/{ws}/rules"
for _route, _rule in {
    ("GET", "/w/{ws}/rules"): Rule("member"),
    ("GET", "/w/{ws}/rules.json"): Rule("member"),
    ("GET", "/w/{ws}/rules/{rule_id}"): Rule("member", build=rules_simple),
    ("GET", "/w/{ws}/rules/check/{plural}/{ref:path}"): Rule("member", build=rules_simple),
    ("POST", "/w/{ws}/rules/check/{plural}/{ref:path}/answers"): Rule(
        "member", "staff", build=rules_form(lambda ctx: {"fact": "engagement.arranges_meeting", "answer": "no"})
    ),
    ("POST", "/w/{ws}/rules/precheck"): Rule(
        "member",
        "staff",
        build=rules_form(
            lambda ctx: {
                "title": "Planned lunch",
                "kind": "meeting",
                "start": "2031-05-01T12:00",
                "timezone": "America/Los_Angeles",
                "partners-0": "hcmc",
            }
        ),
    ),
    ("GET", "/w/{ws}/rules/interpretations"): Rule("member"),
    ("GET", "/w/{ws}/rules/interpretations.json"): Rule("member"),
    ("POST", "/w/{ws}/rules/interpretations"): Rule(
        "member",
        "counsel",
        build=rules_form(
            lambda ctx: {
                "term": "official_meeting",
                "statement": MESSAGING_READING["statement"],
                "value": "does_not_cover",
                "when": "- fact: engagement.channel\n  in: [messaging_app]\n- fact: engagement.arranges_meeting\n  is: false\n",
            }
        ),
    ),
    ("GET", "/w/{ws}/rules/impact"): Rule("member"),
    ("GET", "/w/{ws}/rules/impact.json"): Rule("member"),
    ("POST", "/w/{ws}/rules/packs"): Rule(
        "member", "counsel", build=rules_form(lambda ctx: {"shipped": "us-ca-gifts"})
    ),
    ("POST", "/w/{ws}/rules/packs/install-shipped"): Rule("member", "counsel"),
    ("POST", "/w/{ws}/rules/activate"): Rule(
        "member", "counsel", build=rules_form(lambda ctx: {"interpretation": str(staged_interpretation(ctx))})
    ),
    ("GET", "/w/{ws}/obligations"): Rule("member"),
    ("GET", "/w/{ws}/obligations.json"): Rule("member"),
    ("POST", "/w/{ws}/obligations/sync"): Rule("member", "staff"),
    ("POST", "/w/{ws}/obligations/{obligation_id}"): Rule(
        "member", "staff", build=rules_form(lambda ctx: {"owner": "International Affairs", "status": "open"})
    ),
    ("GET", _rules_api): Rule("member"),
    ("GET", _rules_api + "/{rule_id}"): Rule("member", build=rules_simple),
    ("GET", _rules_api + "/check/{plural}/{ref:path}"): Rule("member", build=rules_simple),
    ("POST", _rules_api + "/precheck"): Rule("member", build=rules_json(lambda ctx: PLANNED)),
    ("PUT", _rules_api + "/answers/{plural}/{ref:path}"): Rule(
        "member", "staff", build=rules_json(lambda ctx: {"fact": "engagement.arranges_meeting", "value": False})
    ),
    ("GET", _rules_api + "/interpretations"): Rule("member"),
    ("POST", _rules_api + "/interpretations"): Rule(
        "member", "counsel", build=rules_json(lambda ctx: MESSAGING_READING)
    ),
    ("GET", _rules_api + "/packs"): Rule("member"),
    ("POST", _rules_api + "/packs"): Rule(
        "member", "counsel", build=rules_json(lambda ctx: {"shipped": "us-ca-gifts"})
    ),
    ("POST", _rules_api + "/packs/install-shipped"): Rule("member", "counsel"),
    ("GET", _rules_api + "/impact"): Rule("member"),
    ("POST", _rules_api + "/activate"): Rule(
        "member", "counsel", build=rules_json(lambda ctx: {"interpretations": [staged_interpretation(ctx)]})
    ),
    ("GET", _rules_api + "/obligations"): Rule("member"),
    ("POST", _rules_api + "/obligations/sync"): Rule("member", "staff"),
    ("PATCH", _rules_api + "/obligations/{obligation_id}"): Rule(
        "member", "staff", build=rules_json(lambda ctx: {"owner": "International Affairs"})
    ),
}.items():
    EXPECTATIONS[_route] = _rule

# -- Commitments (web/routes/commitments.py) -------------------------------------------------

MATRIX_TARGET = {
    "key": "share",
    "indicator": "Share of renewable electricity",
    "unit": "%",
    "baseline_year": 2015,
    "baseline_value": 30,
    "target_year": 2030,
    "target_value": 80,
}


def fresh_commitment(ctx: Context) -> str:
    """A commitment with one target ('share') and a 2018 value, so every route has something to act on."""
    from citydiplomacy.services import commitments

    x = u()
    view = commitments.save_commitment(
        ctx.engine, ctx.ws, {"ref": f"pledge-{x}", "title": f"Pledge {x}", "targets": [MATRIX_TARGET]}, SYSTEM
    )
    commitments.add_measurements(
        ctx.engine, ctx.ws, view.ref, "share", [{"year": 2018, "value": 35, "source": "matrix"}], SYSTEM
    )
    return view.ref


def annual_obligation(ctx: Context) -> str:
    """An annual obligation of the scenario's C40 membership ('c40/us'); marking it done moves it on a year."""
    from citydiplomacy.services import commitments

    made = commitments.add_membership_obligations(ctx.engine, ctx.ws, "c40/us", SYSTEM)
    return next(o.ref for o in made if o.recurrence == "annual")


def commitments_path(ctx: Context, path: str) -> str:
    url = path.replace("{ws}", ctx.ws)
    if "/commitments/{ref:path}" in url:
        url = url.replace("{ref:path}", fresh_commitment(ctx))
    elif "/obligations/{ref:path}" in url:
        url = url.replace("{ref:path}", annual_obligation(ctx))
    elif "/memberships/{ref:path}" in url:
        url = url.replace("{ref:path}", "c40/us")
    url = url.replace("{record_type}/{ref:path}", "partners/hcmc")
    return url.replace("{key}", "share").replace("{on}", "2018-12-31").replace("{goal}", "13")


def commitments_request(body: Callable[[Context], object] | None = None, *, form: bool = False, query: str = ""):
    def build(ctx: Context, method: str, path: str) -> Request:
        url = commitments_path(ctx, path) + query
        if body is None:
            return Request(method, url)
        return Request(method, url, data=body(ctx)) if form else Request(method, url, json=body(ctx))

    return build


def new_commitment(ctx: Context) -> dict:
    return {"title": f"Matrix pledge {u()}", "targets": [MATRIX_TARGET]}


_READ = commitments_request()
_API = "/api/workspaces/{ws}"
for _route, _rule in {
    ("GET", _API + "/network-reference"): Rule("member"),
    ("POST", _API + "/network-reference/seed"): Rule(
        "member", "staff", build=commitments_request(lambda ctx: {"refs": ["c40"]})
    ),
    ("GET", _API + "/obligations"): Rule("member"),
    ("POST", _API + "/obligations/from-membership"): Rule(
        "member", "staff", build=commitments_request(lambda ctx: {"membership": "c40/us"})
    ),
    ("POST", _API + "/obligations/{ref:path}/done"): Rule("member", "staff", build=_READ),
    ("GET", _API + "/commitments"): Rule("member"),
    ("POST", _API + "/commitments"): Rule("member", "staff", build=commitments_request(new_commitment)),
    ("POST", _API + "/commitments/{ref:path}/targets/{key}/measurements"): Rule(
        "member",
        "staff",
        build=commitments_request(lambda ctx: {"measurements": [{"year": 2019, "value": 37, "source": "matrix"}]}),
    ),
    ("DELETE", _API + "/commitments/{ref:path}/targets/{key}/measurements/{on}"): Rule("member", "staff", build=_READ),
    ("POST", _API + "/commitments/{ref:path}/targets"): Rule(
        "member",
        "staff",
        build=commitments_request(
            lambda ctx: MATRIX_TARGET | {"key": "storage", "indicator": "Battery storage", "unit": "MW"}
        ),
    ),
    ("GET", _API + "/commitments/{ref:path}/summary"): Rule("member", build=commitments_request(query="?format=html")),
    ("GET", _API + "/commitments/{ref:path}"): Rule("member", build=_READ),
    ("PUT", _API + "/commitments/{ref:path}"): Rule(
        "member",
        "staff",
        build=commitments_request(lambda ctx: {"title": "Replaced by the matrix", "targets": [MATRIX_TARGET]}),
    ),
    ("DELETE", _API + "/commitments/{ref:path}"): Rule("member", "staff", build=_READ),
    ("GET", _API + "/sdg-dashboard"): Rule("member"),
    ("GET", _API + "/sdg-tags/{record_type}/{ref:path}"): Rule("member", build=_READ),
    ("PUT", _API + "/sdg-tags/{record_type}/{ref:path}"): Rule(
        "member", "staff", build=commitments_request(lambda ctx: {"codes": ["11", "13.2"]})
    ),
    ("GET", _API + "/reports/vlr"): Rule("member", build=commitments_request(query="?year=2024&format=html")),
    ("POST", "/w/{ws}/networks/seed"): Rule(
        "member", "staff", build=commitments_request(lambda ctx: {"refs": "c40"}, form=True)
    ),
    ("POST", "/w/{ws}/networks/memberships/{ref:path}/obligations"): Rule(
        "member", "staff", build=commitments_request(lambda ctx: {}, form=True)
    ),
    ("POST", "/w/{ws}/networks/obligations/{ref:path}/done"): Rule(
        "member", "staff", build=commitments_request(lambda ctx: {}, form=True)
    ),
    ("GET", "/w/{ws}/commitments"): Rule("member"),
    ("GET", "/w/{ws}/commitments.json"): Rule("member"),
    ("GET", "/w/{ws}/commitments/new"): Rule("member", "staff"),
    ("GET", "/w/{ws}/commitments/new.json"): Rule("member", "staff"),
    ("POST", "/w/{ws}/commitments/new"): Rule(
        "member", "staff", build=commitments_request(lambda ctx: {"title": f"Matrix pledge {u()}"}, form=True)
    ),
    ("GET", "/w/{ws}/commitments/{ref:path}/targets/{key}/chart.svg"): Rule("member", build=_READ),
    ("POST", "/w/{ws}/commitments/{ref:path}/targets/{key}/measurements"): Rule(
        "member",
        "staff",
        build=commitments_request(lambda ctx: {"on": "2019", "value": "37", "source": "matrix"}, form=True),
    ),
    ("POST", "/w/{ws}/commitments/{ref:path}/targets"): Rule(
        "member",
        "staff",
        build=commitments_request(
            lambda ctx: MATRIX_TARGET | {"key": "storage", "indicator": "Battery storage", "unit": "MW"}, form=True
        ),
    ),
    ("GET", "/w/{ws}/commitments/{ref:path}/summary.pdf"): Rule("member", build=_READ),
    ("GET", "/w/{ws}/commitments/{ref:path}/summary.html"): Rule("member", build=_READ),
    ("GET", "/w/{ws}/commitments/{ref:path}"): Rule("member", build=_READ),
    ("GET", "/w/{ws}/sdgs"): Rule("member"),
    ("GET", "/w/{ws}/sdgs.json"): Rule("member"),
    ("GET", "/w/{ws}/sdgs/{goal}"): Rule("member", build=_READ),
    ("GET", "/w/{ws}/reports"): Rule("member"),
    ("GET", "/w/{ws}/reports.json"): Rule("member"),
    ("GET", "/w/{ws}/reports/vlr"): Rule("member", build=commitments_request(query="?year=2024&format=html")),
}.items():
    EXPECTATIONS[_route] = _rule


# -- Atlas (web/routes/atlas.py) ---------------------------------------------------------------
# A workspace's atlas is read by its members; the twin-town report is shared reference data that
# every signed-in user may read; picks change that shared layer, so only site administrators make
# them. The matrix picks for a name that is not on the list (allowed callers get 404, so the
# shared layer other tests use is never changed).


def atlas_request(query: str = "", body: Callable[[Context], dict] | None = None, *, form: bool = False):
    def build(ctx: Context, method: str, path: str) -> Request:
        url = path.replace("{ws}", ctx.ws) + query
        if body is None:
            return Request(method, url)
        return Request(method, url, data=body(ctx)) if form else Request(method, url, json=body(ctx))

    return build


def unlisted_pick(ctx: Context) -> dict:
    return {"input_name": f"Matrixville {u()}", "input_country": "Nowhere", "geonames_id": 5368361}


_ATLAS_API = "/api/workspaces/{ws}/atlas"
for _route, _rule in {
    ("GET", "/w/{ws}/atlas"): Rule("member"),
    ("GET", "/w/{ws}/atlas.json"): Rule("member"),
    ("GET", "/w/{ws}/atlas/paths"): Rule("member", build=atlas_request("?target=hcmc")),
    ("GET", "/w/{ws}/atlas/paths.json"): Rule("member", build=atlas_request("?target=hcmc")),
    ("GET", "/w/{ws}/atlas/network"): Rule("member"),
    ("GET", "/w/{ws}/atlas/network.json"): Rule("member"),
    ("GET", "/w/{ws}/atlas/suggestions"): Rule("member", build=atlas_request("?goal=trade+with+Vietnam")),
    ("GET", "/w/{ws}/atlas/suggestions.json"): Rule("member", build=atlas_request("?goal=trade+with+Vietnam")),
    ("GET", "/atlas/twins"): Rule("signed_in"),
    ("GET", "/atlas/twins.json"): Rule("signed_in"),
    ("POST", "/atlas/twins/picks"): Rule(
        "site_admin", not_found_ok=True, build=atlas_request(body=unlisted_pick, form=True)
    ),
    ("GET", _ATLAS_API + "/metrics"): Rule("member", build=atlas_request("?top=5")),
    ("GET", _ATLAS_API + "/countries"): Rule("member"),
    ("GET", _ATLAS_API + "/timeline"): Rule("member"),
    ("GET", _ATLAS_API + "/paths"): Rule("member", build=atlas_request("?target=hcmc")),
    ("GET", _ATLAS_API + "/suggestions"): Rule("member", build=atlas_request("?goal=trade+with+Vietnam")),
    ("GET", _ATLAS_API + "/targets"): Rule("member", build=atlas_request("?q=Ho")),
    ("GET", _ATLAS_API + "/map"): Rule("member", build=atlas_request("?view=Asia")),
    ("GET", _ATLAS_API + "/map.svg"): Rule("member", build=atlas_request("?view=Asia")),
    ("GET", _ATLAS_API + "/map.png"): Rule("member", build=atlas_request("?view=Asia&width=400")),
    ("GET", "/api/atlas/twins/report"): Rule("signed_in", build=atlas_request("?status=ambiguous&per_page=5")),
    ("POST", "/api/atlas/twins/picks"): Rule("site_admin", not_found_ok=True, build=atlas_request(body=unlisted_pick)),
}.items():
    EXPECTATIONS[_route] = _rule

# -- Exchange (web/routes/practices.py) --------------------------------------------------------
# Members read the practice library; staff and above write practices and record transfers.
# Each workspace the matrix asks for gets the same practice, so a 404 in another is isolation.

MATRIX_PRACTICE = {
    "slug": "matrix-earthquake-alerts",
    "title": "Earthquake alerts by siren",
    "city": "Mexico City",
    "country_code": "MX",
    "year_started": 1993,
    "topics": ["earthquake", "early-warning"],
    "summary": "Sirens warn people seconds before an earthquake's shaking arrives.",
}


def practice_in(ctx: Context, slug: str | None = None) -> str:
    from citydiplomacy.services import practices

    body = MATRIX_PRACTICE | ({"slug": slug} if slug else {})
    practices.save_practice(ctx.engine, ctx.ws, body, SYSTEM)
    return body["slug"]


def practices_request(
    query: str = "", body: Callable[[Context], object] | None = None, *, form: bool = False, fresh: bool = False
):
    def build(ctx: Context, method: str, path: str) -> Request:
        slug = practice_in(ctx, f"matrix-{u()}" if fresh else None)
        url = path.replace("{ws}", ctx.ws).replace("{slug}", slug) + query
        if body is None:
            return Request(method, url)
        return Request(method, url, data=body(ctx)) if form else Request(method, url, json=body(ctx))

    return build


_PRACTICES_API = "/api/workspaces/{ws}/practices"
_READ_PRACTICE = practices_request()
for _route, _rule in {
    ("GET", "/w/{ws}/practices"): Rule("member", build=practices_request("?q=earthquake+warning")),
    ("GET", "/w/{ws}/practices.json"): Rule("member", build=practices_request("?q=earthquake+warning")),
    ("GET", "/w/{ws}/practices/peers"): Rule("member", build=practices_request("?problem=earthquakes")),
    ("GET", "/w/{ws}/practices/peers.json"): Rule("member", build=practices_request("?problem=earthquakes")),
    ("GET", "/w/{ws}/practices/diffusion"): Rule("member", build=_READ_PRACTICE),
    ("GET", "/w/{ws}/practices/diffusion.json"): Rule("member", build=_READ_PRACTICE),
    ("GET", "/w/{ws}/practices/{slug}"): Rule("member", build=_READ_PRACTICE),
    ("GET", "/w/{ws}/practices/{slug}/diffusion"): Rule("member", build=_READ_PRACTICE),
    ("GET", "/w/{ws}/practices/{slug}/diffusion.json"): Rule("member", build=_READ_PRACTICE),
    ("POST", "/w/{ws}/practices/{slug}/borrow"): Rule(
        "member",
        "staff",
        build=practices_request(
            body=lambda ctx: {"year": "2026", "status": "intended", "adaptation": "matrix"}, form=True
        ),
    ),
    ("GET", _PRACTICES_API): Rule("member", build=practices_request("?topic=earthquake")),
    ("POST", _PRACTICES_API): Rule(
        "member", "staff", build=practices_request(body=lambda ctx: MATRIX_PRACTICE | {"slug": f"matrix-{u()}"})
    ),
    ("GET", _PRACTICES_API + "/search"): Rule("member", build=practices_request("?q=earthquake&mode=lexical")),
    ("GET", _PRACTICES_API + "/peers"): Rule("member", build=practices_request("?problem=earthquakes")),
    ("GET", _PRACTICES_API + "/borrowed-from-us"): Rule("member", build=_READ_PRACTICE),
    ("GET", _PRACTICES_API + "/our-borrowings"): Rule("member", build=_READ_PRACTICE),
    ("GET", _PRACTICES_API + "/transfers"): Rule("member", build=_READ_PRACTICE),
    ("GET", _PRACTICES_API + "/diffusion"): Rule("member", build=_READ_PRACTICE),
    ("GET", _PRACTICES_API + "/timeline"): Rule("member", build=_READ_PRACTICE),
    ("GET", _PRACTICES_API + "/{slug}"): Rule("member", build=_READ_PRACTICE),
    ("PUT", _PRACTICES_API + "/{slug}"): Rule(
        "member", "staff", build=practices_request(body=lambda ctx: MATRIX_PRACTICE | {"status": "active"})
    ),
    ("DELETE", _PRACTICES_API + "/{slug}"): Rule("member", "staff", build=practices_request(fresh=True)),
    ("GET", _PRACTICES_API + "/{slug}/more-like-this"): Rule("member", build=_READ_PRACTICE),
    ("GET", _PRACTICES_API + "/{slug}/transfers"): Rule("member", build=_READ_PRACTICE),
    ("POST", _PRACTICES_API + "/{slug}/transfers"): Rule(
        "member", "staff", build=practices_request(body=lambda ctx: {"year": 2026, "adaptation": "matrix"})
    ),
    ("GET", _PRACTICES_API + "/{slug}/diffusion"): Rule("member", build=_READ_PRACTICE),
    ("GET", _PRACTICES_API + "/{slug}/timeline"): Rule("member", build=_READ_PRACTICE),
}.items():
    EXPECTATIONS[_route] = _rule


def expectation(method: str, path: str) -> Rule | None:
    return EXPECTATIONS.get((method, path))
