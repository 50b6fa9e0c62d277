"""An international-affairs office keeps its registry through the REST API:
create, read, replace, change and delete every kind of record."""

from __future__ import annotations

import pytest

from citydiplomacy.domain import RECORD_TYPES

#: For each record type: a new record (pointing at the scenario's records), its ref,
#: a change (PATCH) and the field that shows it.
NEW_RECORDS = {
    "places": (
        {"kind": "city", "name": "Hanoi", "country_code": "VN", "geonames_id": 1581130},
        "geonames:1581130",
        {"population": 8053663},
        "population",
    ),
    "partners": (
        {
            "name": "Consulate General of Viet Nam in San Francisco",
            "kind": "consulate",
            "country_code": "VN",
            "parent": "government-of-viet-nam",
        },
        "consulate-general-of-viet-nam-in-san-francisco",
        {"website": "https://vnconsulate-sf.org"},
        "website",
    ),
    "people": ({"name": "Võ Văn Thưởng", "country_code": "VN"}, "vo-van-thuong", {"honorific": "H.E."}, "honorific"),
    "posts": (
        {
            "person": "eric-garcetti",
            "title": "Ambassador to India",
            "own_government": False,
            "partner": "government-of-viet-nam",
            "start_date": "2023-05-11",
        },
        "eric-garcetti/ambassador-to-india/2023",
        {"seniority": "head_of_mission"},
        "seniority",
    ),
    "networks": ({"name": "Mayors for Peace"}, "mayors-for-peace", {"founded_year": 1982}, "founded_year"),
    "memberships": (
        {"network": "c40", "member": "hcmc"},
        "c40/hcmc",
        {"role": "member", "start_date": "2019-01-01"},
        "start_date",
    ),
    "agreements": (
        {
            "title": "Letter of intent on tourism",
            "kind": "letter_of_intent",
            "signed_on": "2024-03-01",
            "status": "in_force",
            "parties": [{"partner": "hcmc"}, {"us": True}],
        },
        "2024-letter-of-intent-on-tourism",
        {"status": "lapsed"},
        "status",
    ),
    "engagements": (
        {
            "title": "Trade roundtable",
            "kind": "meeting",
            "start": "2024-11-05T14:00:00",
            "timezone": "America/Los_Angeles",
            "partners": ["hcmc"],
        },
        "2024-11-05-trade-roundtable",
        {"status": "held", "outcomes": "Agreed a follow-up call."},
        "status",
    ),
    "gifts": (
        {
            "description": "Lacquer painting",
            "donor_partner": "government-of-viet-nam",
            "recipient": "eric-garcetti",
            "value": "450.00",
            "received_on": "2018-04-11",
        },
        "2018-04-11-lacquer-painting",
        {"disposition": "transferred_to_city"},
        "disposition",
    ),
}


def test_every_record_type_has_a_crud_case():
    assert set(NEW_RECORDS) == {model.plural for model in RECORD_TYPES}


@pytest.mark.parametrize("plural", list(NEW_RECORDS))
def test_create_read_change_replace_and_delete(client, registry_ws, plural):
    body, ref, change, changed_field = NEW_RECORDS[plural]
    base = f"/api/workspaces/{registry_ws}/{plural}"

    created = client.post(base, json=body)
    assert created.status_code == 201, created.json()
    assert created.json()["ref"] == ref
    assert created.headers["location"].endswith(f"{base}/{ref}")

    fetched = client.get(f"{base}/{ref}")
    assert fetched.status_code == 200
    assert fetched.json() == created.json()

    patched = client.patch(f"{base}/{ref}", json=change)
    assert patched.status_code == 200, patched.json()
    assert patched.json()[changed_field] == change[changed_field]
    for key in body:  # a merge: the other fields keep their values
        if key not in change:
            assert patched.json()[key] == fetched.json()[key]

    replaced = client.put(f"{base}/{ref}", json=body)
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json() == created.json(), "PUT replaces the whole record, undoing the change"

    history = client.get(f"{base}/{ref}/history").json()["items"]
    assert [entry["action"] for entry in history] == ["update", "update", "create"]
    assert changed_field in history[1]["changed"]
    assert {entry["interface"] for entry in history} == {"api"}

    assert client.delete(f"{base}/{ref}").status_code == 204
    assert client.get(f"{base}/{ref}").status_code == 404
    assert next(e["action"] for e in client.get(f"{base}/{ref}/history").json()["items"]) == "delete"


def test_put_creates_a_record_at_its_address(client, registry_ws):
    base = f"/api/workspaces/{registry_ws}/people"
    response = client.put(f"{base}/tran-thi-mai", json={"name": "Trần Thị Mai"})
    assert response.status_code == 201
    assert response.headers["location"].endswith(f"{base}/tran-thi-mai")
    assert response.json()["ref"] == "tran-thi-mai"
    again = client.put(f"{base}/tran-thi-mai", json={"name": "Trần Thị Mai"})
    assert again.status_code == 200


def test_put_refuses_a_body_whose_ref_differs_from_the_address(client, registry_ws):
    response = client.put(
        f"/api/workspaces/{registry_ws}/people/eric-garcetti", json={"ref": "someone-else", "name": "X"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "ref"


def test_patch_cannot_change_a_ref(client, registry_ws):
    response = client.patch(f"/api/workspaces/{registry_ws}/people/eric-garcetti", json={"ref": "garcetti"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "ref"


def test_refs_with_slashes_and_colons_work_in_addresses(client, registry_ws):
    base = f"/api/workspaces/{registry_ws}"
    post = client.get(f"{base}/posts/nguyen-xuan-phuc/prime-minister/2016")
    assert post.status_code == 200
    assert post.json()["title"] == "Prime Minister"
    place = client.get(f"{base}/places/geonames:5368361")
    assert place.json()["name"] == "Los Angeles"
    history = client.get(f"{base}/posts/nguyen-xuan-phuc/prime-minister/2016/history")
    assert history.status_code == 200
    assert history.json()["items"][0]["record_ref"] == "nguyen-xuan-phuc/prime-minister/2016"
    changed = client.patch(f"{base}/memberships/c40/us", json={"role": "chair"})
    assert changed.json()["role"] == "chair"


def test_refs_in_addresses_are_case_insensitive_like_refs_in_bodies(client, registry_ws):
    assert client.get(f"/api/workspaces/{registry_ws}/places/Geonames:5368361").status_code == 200


def test_engagement_times_keep_their_time_zone(client, registry_ws):
    engagement = client.get(f"/api/workspaces/{registry_ws}/engagements/2018-04-10-call-with-the-prime-minister").json()
    assert engagement["start"] == "2018-04-10T10:00:00+07:00"
    assert engagement["timezone"] == "Asia/Ho_Chi_Minh"
    assert engagement["sdgs"] == [11, 13]


def test_workspaces_are_listed_created_and_fetched(site_admin_client):
    from tests.fixtures.database import unique

    client = site_admin_client

    slug = unique("ws")
    body = {"slug": slug, "name": f"City of {slug}", "country_code": "vn", "timezone": "Asia/Ho_Chi_Minh"}
    created = client.post("/api/workspaces", json=body)
    assert created.status_code == 201
    assert created.json()["country_code"] == "VN"
    assert created.headers["location"].endswith(f"/api/workspaces/{slug}")
    assert client.get(f"/api/workspaces/{slug}").json()["name"] == f"City of {slug}"
    listed = client.get("/api/workspaces").json()
    assert slug in [w["slug"] for w in listed["items"]]
    assert listed["total"] == len(listed["items"])
    again = client.post("/api/workspaces", json=body)
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"


def test_workspace_audit_trail_lists_changes_newest_first(client, registry_ws):
    base = f"/api/workspaces/{registry_ws}"
    client.patch(f"{base}/partners/hcmc", json={"other_names": ["Saigon"]})
    audit = client.get(f"{base}/audit", params={"record_type": "partner", "ref": "hcmc"}).json()["items"]
    assert [e["action"] for e in audit] == ["update", "create"]
    assert audit[0]["changed"] == ["other_names"]
    assert audit[0]["after"]["other_names"] == ["Saigon"]
    everything = client.get(f"{base}/audit", params={"limit": 5}).json()["items"]
    assert len(everything) == 5
    assert everything[0]["record_ref"] == "hcmc"
    wrong = client.get(f"{base}/audit", params={"record_type": "partners"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "record_type"
