"""The commitments REST API: the ledger with statuses and their method, measurements written
all or nothing, network reference and obligations, SDG tags and dashboard, VLR and summary
downloads; writes need staff, another workspace is 404."""

from __future__ import annotations

import pytest

from citydiplomacy.services.registry import Actor, create_workspace
from tests.fixtures.database import unique

SYSTEM = Actor.system("python")

PLEDGE = {
    "title": "Clean grid pledge",
    "kind": "pledge",
    "made_on": "2016-05-01",
    "sdgs": ["7.2", "13"],
    "targets": [
        {
            "key": "renewables",
            "indicator": "Share of renewable electricity",
            "unit": "%",
            "baseline_year": 2015,
            "baseline_value": 30,
            "target_year": 2030,
            "target_value": 80,
            "indicator_code": "7.2.1",
        }
    ],
}


def api(ws: str, path: str = "") -> str:
    return f"/api/workspaces/{ws}{path}"


@pytest.fixture
def pledge(client, workspace) -> str:
    response = client.post(api(workspace, "/commitments"), json=PLEDGE)
    assert response.status_code == 201, response.json()
    return response.json()["ref"]


def errors(response) -> dict[str, str]:
    assert response.headers["content-type"].startswith("application/problem+json")
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def test_create_read_list_replace_and_delete_a_commitment(client, workspace):
    created = client.post(api(workspace, "/commitments"), json=PLEDGE)
    assert created.status_code == 201
    ref = created.json()["ref"]
    assert ref == "2016-clean-grid-pledge"
    assert created.headers["location"] == api(workspace, f"/commitments/{ref}")
    again = client.post(api(workspace, "/commitments"), json=PLEDGE)
    assert again.status_code == 409

    status = client.get(api(workspace, f"/commitments/{ref}")).json()["targets"][0]["status"]
    assert status["status"] == "no_data" and status["method"].startswith("Least-squares") and status["explanation"]

    listed = client.get(api(workspace, "/commitments")).json()
    assert listed["total"] == 1 and listed["items"][0]["status_counts"]["no_data"] == 1
    assert client.get(api(workspace, "/commitments"), params={"sdg": "13"}).json()["total"] == 1
    assert client.get(api(workspace, "/commitments"), params={"sdg": "6"}).json()["total"] == 0

    replaced = client.put(api(workspace, f"/commitments/{ref}"), json=PLEDGE | {"status": "achieved"})
    assert replaced.status_code == 200 and replaced.json()["status"] == "achieved"
    mismatch = client.put(api(workspace, f"/commitments/{ref}"), json=PLEDGE | {"ref": "other"})
    assert mismatch.status_code == 422 and "ref" in errors(mismatch)

    assert client.delete(api(workspace, f"/commitments/{ref}")).status_code == 204
    assert client.get(api(workspace, f"/commitments/{ref}")).status_code == 404


def test_measurements_give_a_status_and_bad_rows_are_refused_all_or_nothing(client, workspace, pledge):
    url = api(workspace, f"/commitments/{pledge}/targets/renewables/measurements")
    added = client.post(
        url,
        json={
            "measurements": [
                {"year": 2018, "value": 40, "source": "Utility report"},
                {"on": "2021-12-31", "value": 55, "unit": "percent", "source": "Utility report", "illustrative": True},
            ]
        },
    )
    assert added.status_code == 200, added.json()
    target = added.json()
    assert [m["value"] for m in target["measurements"]] == [40, 55]
    assert target["status"]["status"] == "on_track" and target["series"]["trend"]

    refused = client.post(
        url,
        json={
            "measurements": [
                {"year": 2022, "value": 60, "source": "ok row"},
                {"year": 2022, "value": 61, "source": "twice"},
                {"year": 2023, "value": 200, "unit": "MWh", "source": "wrong unit"},
                {"year": 2012, "value": 20, "source": "before the baseline"},
                {"year": 2018, "value": 41, "source": "already stored"},
            ]
        },
    )
    assert refused.status_code == 422
    found = errors(refused)
    assert "appears twice" in found["measurements[1].on"]
    assert "is not the target's unit" in found["measurements[2].unit"]
    assert "before the baseline year" in found["measurements[3].on"]
    assert "already has a value" in found["measurements[4].on"]
    after = client.get(api(workspace, f"/commitments/{pledge}")).json()["targets"][0]["measurements"]
    assert [m["year"] for m in after] == [2018, 2021]  # not even the good row was written

    assert client.delete(f"{url}/2018-12-31").status_code == 204
    assert client.delete(f"{url}/2018-12-31").status_code == 404
    unknown_target = client.post(
        api(workspace, f"/commitments/{pledge}/targets/nope/measurements"),
        json={"measurements": [{"year": 2020, "value": 1, "source": "x"}]},
    )
    assert unknown_target.status_code == 422 and "target" in errors(unknown_target)


def test_a_target_can_be_added_and_a_repeated_key_is_refused(client, workspace, pledge):
    target = {
        "key": "storage",
        "indicator": "Battery storage",
        "unit": "MW",
        "baseline_year": 2015,
        "baseline_value": 0,
        "target_year": 2030,
        "target_value": 1000,
    }
    added = client.post(api(workspace, f"/commitments/{pledge}/targets"), json=target)
    assert added.status_code == 200 and [t["key"] for t in added.json()["targets"]] == ["renewables", "storage"]
    again = client.post(api(workspace, f"/commitments/{pledge}/targets"), json=target | {"indicator": "Other"})
    assert again.status_code == 422 and "used twice" in again.text


def test_network_reference_seeding_and_obligations(client, workspace):
    reference = client.get(api(workspace, "/network-reference")).json()
    c40 = next(n for n in reference["networks"] if n["ref"] == "c40")
    assert c40["founded_year"]["value"] == 2005 and c40["founded_year"]["source"] and reference["as_of"]
    seeded = client.post(api(workspace, "/network-reference/seed"), json={"refs": ["c40", "u20"]})
    assert seeded.status_code == 200 and seeded.json()["results"] == {"c40": "inserted", "u20": "inserted"}
    assert client.post(api(workspace, "/network-reference/seed"), json={"refs": ["c40"]}).json()["results"] == {
        "c40": "kept"
    }
    unknown = client.post(api(workspace, "/network-reference/seed"), json={"refs": ["no-such"]})
    assert unknown.status_code == 422

    assert (
        client.post(api(workspace, "/memberships"), json={"network": "c40", "start_date": "2015-01-01"}).status_code
        == 201
    )
    created = client.post(api(workspace, "/obligations/from-membership"), json={"membership": "c40/us"})
    assert created.status_code == 200 and created.json()["items"]
    listed = client.get(api(workspace, "/obligations")).json()["items"]
    assert [o["due_on"] for o in listed] == sorted(o["due_on"] for o in listed)
    overdue = [o for o in listed if o["overdue"]]
    assert overdue and all(o["days_until_due"] < 0 for o in overdue)
    one_off = next(o for o in listed if o["recurrence"] == "once")
    done = client.post(api(workspace, f"/obligations/{one_off['ref']}/done"), json={"done_on": "2024-01-15"})
    assert done.status_code == 200 and done.json()["done"] and done.json()["last_done_on"] == "2024-01-15"
    assert one_off["ref"] not in {o["ref"] for o in client.get(api(workspace, "/obligations")).json()["items"]}
    assert one_off["ref"] in {
        o["ref"] for o in client.get(api(workspace, "/obligations"), params={"include_done": True}).json()["items"]
    }


def test_sdg_tags_on_any_record_and_the_dashboard(client, workspace, pledge):
    partner = client.post(api(workspace, "/partners"), json={"name": "Water Utility of Osaka", "kind": "company"})
    ref = partner.json()["ref"]
    tagged = client.put(api(workspace, f"/sdg-tags/partners/{ref}"), json={"codes": ["6.4.1", "6"]})
    assert tagged.status_code == 200 and set(tagged.json()["codes"]) == {"6", "6.4.1"}
    assert set(client.get(api(workspace, f"/sdg-tags/partners/{ref}")).json()["codes"]) == {"6", "6.4.1"}
    bad = client.put(api(workspace, f"/sdg-tags/partners/{ref}"), json={"codes": ["19"]})
    assert bad.status_code == 422 and "codes[0]" in errors(bad)
    assert client.get(api(workspace, "/sdg-tags/partners/no-such-partner")).status_code == 404
    assert client.put(api(workspace, "/sdg-tags/spaceships/x"), json={"codes": ["6"]}).status_code == 422

    board = client.get(api(workspace, "/sdg-dashboard")).json()
    goals = {g["number"]: g for g in board["goals"]}
    assert sorted(goals) == list(range(1, 18))
    assert [c["ref"] for c in goals[7]["commitments"]] == [pledge]
    assert goals[7]["target_status_counts"]["no_data"] == 1


def test_vlr_and_summary_downloads(client, workspace, pledge):
    client.post(
        api(workspace, f"/commitments/{pledge}/targets/renewables/measurements"),
        json={"measurements": [{"year": 2018, "value": 40, "source": "Utility report"}]},
    )
    page = client.get(api(workspace, "/reports/vlr"), params={"year": 2020, "format": "html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-disposition"] == f'attachment; filename="{workspace}-vlr-2020-draft.html"'
    assert "Voluntary Local Review 2020" in page.text and "Clean grid pledge" in page.text
    pdf = client.get(api(workspace, "/reports/vlr"), params={"year": 2020})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    too_early = client.get(api(workspace, "/reports/vlr"), params={"year": 1990})
    assert too_early.status_code == 422 and "year" in errors(too_early)
    assert client.get(api(workspace, "/reports/vlr"), params={"year": 2020, "format": "docx"}).status_code == 422
    summary = client.get(api(workspace, f"/commitments/{pledge}/summary"))
    assert summary.status_code == 200 and summary.content[:4] == b"%PDF"
    assert summary.headers["content-disposition"] == f'attachment; filename="{workspace}-{pledge}-summary.pdf"'


def test_viewers_read_but_cannot_write(client_as, workspace, pledge):
    viewer = client_as("viewer", workspace)
    assert viewer.get(api(workspace, f"/commitments/{pledge}")).status_code == 200
    writes = [
        viewer.post(api(workspace, "/commitments"), json=PLEDGE | {"title": "Another"}),
        viewer.put(api(workspace, f"/commitments/{pledge}"), json=PLEDGE),
        viewer.delete(api(workspace, f"/commitments/{pledge}")),
        viewer.post(
            api(workspace, f"/commitments/{pledge}/targets/renewables/measurements"),
            json={"measurements": [{"year": 2019, "value": 41, "source": "x"}]},
        ),
        viewer.put(api(workspace, f"/sdg-tags/commitments/{pledge}"), json={"codes": ["7"]}),
        viewer.post(api(workspace, "/network-reference/seed"), json={"refs": ["c40"]}),
    ]
    assert [w.status_code for w in writes] == [403] * len(writes)
    assert viewer.get(api(workspace, f"/commitments/{pledge}")).json()["targets"][0]["measurements"] == []


def test_another_workspace_is_not_found_and_anonymous_callers_sign_in(
    client_as, anonymous_client, engine, workspace, pledge
):
    other = unique("other")
    create_workspace(engine, {"slug": other, "name": "Elsewhere", "country_code": "US"}, SYSTEM)
    stranger = client_as("admin", other)
    for path in (
        "/commitments",
        f"/commitments/{pledge}",
        "/obligations",
        "/sdg-dashboard",
        "/network-reference",
        f"/sdg-tags/commitments/{pledge}",
        "/reports/vlr?year=2020&format=html",
    ):
        assert stranger.get(api(workspace, path)).status_code == 404, path
        assert anonymous_client.get(api(workspace, path)).status_code == 401, path
    assert stranger.delete(api(workspace, f"/commitments/{pledge}")).status_code == 404


def test_the_openapi_description_documents_the_commitments_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/workspaces/{ws}/commitments",
        "/api/workspaces/{ws}/commitments/{ref}",
        "/api/workspaces/{ws}/commitments/{ref}/targets/{key}/measurements",
        "/api/workspaces/{ws}/obligations",
        "/api/workspaces/{ws}/sdg-dashboard",
        "/api/workspaces/{ws}/sdg-tags/{record_type}/{ref}",
        "/api/workspaces/{ws}/reports/vlr",
        "/api/workspaces/{ws}/network-reference",
    ):
        assert path in paths, path
