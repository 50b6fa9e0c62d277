"""Workspace administrators manage members and tokens; members issue tokens up to their own role."""

from __future__ import annotations

from citydiplomacy.services import accounts
from citydiplomacy.services.registry import Actor
from tests.fixtures.database import unique
from tests.fixtures.web import TEST_PASSWORD, signed_in
from tests.security.helpers import browser, form_token

SYSTEM = Actor.system("python")


def new_user(engine, name: str = "member") -> accounts.User:
    username = unique(name).replace("-", ".")
    return accounts.create_user(
        engine, {"username": username, "display_name": f"{name.title()} Person", "password": TEST_PASSWORD}, SYSTEM
    )


def test_an_admin_adds_changes_and_removes_a_member_through_the_pages(client_as, workspace, engine, web_app):
    admin = client_as("admin", workspace, csrf=False)
    newcomer = new_user(engine)
    page = admin.get(f"/w/{workspace}/admin/members")
    assert page.status_code == 200 and "Add a member" in page.text
    token = form_token(page.text)
    added = admin.post(
        f"/w/{workspace}/admin/members",
        data={"username": newcomer.username, "role": "viewer", "csrf_token": token},
        follow_redirects=False,
    )
    assert added.status_code == 303
    with signed_in(web_app, engine, newcomer) as them:
        assert them.get(f"/w/{workspace}/").status_code == 200
        assert them.post(f"/api/workspaces/{workspace}/people", json={"name": "Ada Example"}).status_code == 403
        admin.post(
            f"/w/{workspace}/admin/members", data={"username": newcomer.username, "role": "staff", "csrf_token": token}
        )
        assert them.post(f"/api/workspaces/{workspace}/people", json={"name": "Ada Example"}).status_code == 201
        roles = {m["username"]: m["role"] for m in admin.get(f"/w/{workspace}/admin/members.json").json()["members"]}
        assert roles[newcomer.username] == "staff"
        removed = admin.post(
            f"/w/{workspace}/admin/members/{newcomer.username}/remove",
            data={"csrf_token": token},
            follow_redirects=False,
        )
        assert removed.status_code == 303
        assert them.get(f"/w/{workspace}/").status_code == 404  # no longer a member: the workspace is not there


def test_admin_form_errors_are_shown_beside_the_field(client_as, workspace):
    admin = client_as("admin", workspace, csrf=False)
    token = form_token(admin.get(f"/w/{workspace}/admin/members").text)
    response = admin.post(
        f"/w/{workspace}/admin/members", data={"username": "someone", "role": "emperor", "csrf_token": token}
    )
    assert response.status_code == 422
    assert "is not a role; use viewer, staff, counsel or admin" in response.text
    assert 'id="role-error"' in response.text  # beside the field it is about
    unknown = admin.post(
        f"/w/{workspace}/admin/members", data={"username": "nobody-at-all", "role": "viewer", "csrf_token": token}
    )
    assert unknown.status_code == 404


def test_admins_cannot_change_their_own_role(client_as, workspace, test_users):
    admin = client_as("admin", workspace)
    response = admin.put(f"/api/workspaces/{workspace}/members/{test_users['admin'].username}", json={"role": "viewer"})
    assert response.status_code == 403 and "another administrator" in response.json()["detail"]


def test_members_through_the_api(client_as, workspace, engine):
    admin = client_as("admin", workspace)
    member = new_user(engine)
    base = f"/api/workspaces/{workspace}/members"
    put = admin.put(f"{base}/{member.username}", json={"role": "counsel"})
    assert put.status_code == 200 and put.json() == {
        "username": member.username,
        "display_name": member.display_name,
        "role": "counsel",
        "site_admin": False,
    }
    assert {m["username"] for m in admin.get(base).json()["items"]} >= {member.username}
    assert admin.put(f"{base}/{member.username}", json={"role": "king"}).status_code == 422
    assert admin.delete(f"{base}/{member.username}").status_code == 204
    assert admin.delete(f"{base}/{member.username}").status_code == 404
    assert member.username not in {m["username"] for m in admin.get(base).json()["items"]}


def test_a_token_made_on_the_page_is_shown_once_and_works_until_revoked(client_as, workspace, web_app):
    staff = client_as("staff", workspace, csrf=False)
    page = staff.get(f"/w/{workspace}/admin/tokens")
    token = form_token(page.text)
    options = page.text.split('id="token-role"')[1].split("</select>")[0]
    assert 'value="staff"' in options and 'value="admin"' not in options  # up to one's own role
    created = staff.post(
        f"/w/{workspace}/admin/tokens",
        data={"name": "nightly export", "role": "staff", "days": "30", "csrf_token": token},
    )
    assert created.status_code == 201
    secret = created.text.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith("cdp_")
    listed = staff.get(f"/w/{workspace}/admin/tokens")
    assert secret not in listed.text and secret[:12] in listed.text  # never shown again; recognisable by its start
    with browser(web_app, headers={"Authorization": f"Bearer {secret}"}) as script:
        assert script.post(f"/api/workspaces/{workspace}/people", json={"name": "Ada Example"}).status_code == 201
        token_id = staff.get(f"/w/{workspace}/admin/tokens.json").json()["tokens"][0]["id"]
        revoked = staff.post(
            f"/w/{workspace}/admin/tokens/{token_id}/revoke", data={"csrf_token": token}, follow_redirects=False
        )
        assert revoked.status_code == 303
        assert script.get(f"/api/workspaces/{workspace}/people").status_code == 401


def test_no_one_issues_a_token_above_their_role_and_others_tokens_are_not_theirs(client_as, workspace):
    viewer = client_as("viewer", workspace)
    admin = client_as("admin", workspace)
    base = f"/api/workspaces/{workspace}/tokens"
    assert viewer.post(base, json={"name": "too much", "role": "staff"}).status_code == 403
    own = viewer.post(base, json={"name": "reader", "role": "viewer", "expires_in_days": 7})
    assert own.status_code == 201 and own.json()["token"].startswith("cdp_") and own.json()["role"] == "viewer"
    admins = admin.post(base, json={"name": "admin script", "role": "admin"}).json()
    assert [t["name"] for t in viewer.get(base).json()["items"]] == ["reader"]  # only their own
    assert {t["name"] for t in admin.get(base).json()["items"]} == {"reader", "admin script"}
    assert "token" not in admin.get(base).json()["items"][0]
    assert viewer.delete(f"{base}/{admins['id']}").status_code == 404
    assert admin.delete(f"{base}/{own.json()['id']}").status_code == 204


def test_creating_workspaces_is_for_site_administrators(client, site_admin_client):
    body = {"slug": unique("ws"), "name": "New City", "country_code": "US"}
    refused = client.post("/api/workspaces", json=body)
    assert refused.status_code == 403 and "site administrator" in refused.json()["detail"]
    assert site_admin_client.post("/api/workspaces", json=body).status_code == 201
    assert body["slug"] in [w["slug"] for w in site_admin_client.get("/api/workspaces").json()["items"]]
    assert body["slug"] not in [w["slug"] for w in client.get("/api/workspaces").json()["items"]]


def test_people_see_only_their_workspaces(client, workspace, engine):
    from citydiplomacy.services.registry import create_workspace

    other = unique("ws")
    create_workspace(engine, {"slug": other, "name": "Elsewhere", "country_code": "VN"}, SYSTEM)
    listed = [w["slug"] for w in client.get("/api/workspaces").json()["items"]]
    assert workspace in listed and other not in listed
    assert other not in client.get("/").text and other not in client.get("/.json").text
    assert client.get(f"/api/workspaces/{other}").status_code == 404
    account = client.get("/account.json").json()
    assert {w["slug"]: w["role"] for w in account["workspaces"]}[workspace] == "staff"
