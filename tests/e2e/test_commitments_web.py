"""The commitments pages: from the demo, a person sees every commitment's status with its
method, opens the SDG dashboard and downloads a VLR draft whose PDF pages show the charts;
staff record commitments, targets and measurements, with each problem beside its field;
network obligations are listed by due date, overdue ones flagged, and can be marked done."""

from __future__ import annotations

import html
import re

import numpy as np
import pytest

from citydiplomacy.demo import build_demo
from citydiplomacy.services import commitments as svc
from citydiplomacy.services.registry import Actor, create_workspace, save_record
from tests.commitments.test_reports import _chart_pixels, _pages
from tests.fixtures.database import unique

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SYSTEM = Actor.system("python")
FIVE_ZEROES = "2019-la-green-new-deal-five-zeroes"


@pytest.fixture(scope="module")
def demo(engine) -> str:
    """The real demo workspace (registry records and the commitment ledger), once per backend."""
    slug = unique("la")
    build_demo(engine, slug=slug)
    return slug


def token_of(page_html: str) -> str:
    match = CSRF.search(page_html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def grid_commitment(engine, workspace) -> str:
    """A commitment with one target (renewable share, % from 30 in 2015 to 80 by 2030) and two values."""
    view = svc.save_commitment(
        engine,
        workspace,
        {
            "title": "Clean grid pledge",
            "made_on": "2016-05-01",
            "kind": "pledge",
            "targets": [
                {
                    "key": "renewables",
                    "indicator": "Share of renewable electricity",
                    "unit": "%",
                    "baseline_year": 2015,
                    "baseline_value": 30,
                    "target_year": 2030,
                    "target_value": 80,
                }
            ],
        },
        SYSTEM,
    )
    svc.add_measurements(
        engine,
        workspace,
        view.ref,
        "renewables",
        [
            {"year": 2018, "value": 36, "source": "Utility annual report"},
            {"year": 2021, "value": 44, "source": "Utility annual report"},
        ],
        SYSTEM,
    )
    return view.ref


# -- the "done when" path, on the real demo ---------------------------------------------------


def test_from_the_demo_a_person_sees_statuses_with_their_method_the_sdgs_and_a_vlr_pdf_with_charts(
    client_as, demo, tmp_path
):
    viewer = client_as("viewer", demo)

    ledger = viewer.get(f"/w/{demo}/commitments")
    assert ledger.status_code == 200
    page = html.unescape(ledger.text)
    data = viewer.get(f"/w/{demo}/commitments.json").json()
    refs = [c["commitment"]["ref"] for c in data["commitments"]]
    assert FIVE_ZEROES in refs and len(refs) >= 2
    targets = [t["target"] for c in data["commitments"] for t in c["targets"]]
    assert len(targets) >= 6
    for target in targets:
        status = target["status"]
        assert status["label"] in page
        assert status["explanation"] in page, target["key"]  # the target's own numbers, beside its status
    method = targets[0]["status"]["method"]
    assert method.startswith("Least-squares") and page.count(method) >= len(targets)  # the method beside every status
    assert page.count('class="status-badge status-') >= len(targets)
    assert "illustrative" in page

    sdgs = viewer.get(f"/w/{demo}/sdgs")
    assert sdgs.status_code == 200
    board = {g["goal"]["number"]: g for g in viewer.get(f"/w/{demo}/sdgs.json").json()["goals"]}
    assert sorted(board) == list(range(1, 18))
    for number in (7, 11, 13):
        assert f'href="/w/{demo}/sdgs/{number}"' in sdgs.text
        goal = board[number]
        assert goal["commitments"] + goal["goal"]["engagements"] > 0, number
    assert board[7]["commitments"] >= 1 and board[13]["commitments"] >= 1
    energy = viewer.get(f"/w/{demo}/sdgs/7")
    assert energy.status_code == 200 and "Five Zeroes" in html.unescape(energy.text)

    reports = viewer.get(f"/w/{demo}/reports")
    assert reports.status_code == 200 and f'action="/w/{demo}/reports/vlr"' in reports.text
    pdf = viewer.get(f"/w/{demo}/reports/vlr", params={"year": 2024, "format": "pdf"})
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == f'attachment; filename="{demo}-vlr-2024-draft.pdf"'
    assert pdf.content[:4] == b"%PDF"
    pages = _pages(pdf.content, tmp_path)
    assert len(pages) >= 3
    for image in pages:  # every page has something printed on it (a goal's last lines may stand alone)
        assert int((np.asarray(image.convert("L")) < 128).sum()) > 100, "a blank page"
    assert sum(1 for image in pages if _chart_pixels(image) > 30) >= 3, "the charts are drawn on the pages"


def test_a_commitment_page_shows_charts_measurements_and_links_to_where_it_was_made(client_as, demo):
    viewer = client_as("viewer", demo)
    response = viewer.get(f"/w/{demo}/commitments/{FIVE_ZEROES}")
    assert response.status_code == 200
    page = response.text
    view = viewer.get(f"/w/{demo}/commitments/{FIVE_ZEROES}.json").json()
    commitment = view["card"]["commitment"]
    assert len(commitment["targets"]) == 5
    charts = re.findall(r'<img src="([^"]+chart\.svg)" alt="([^"]+)"', page)
    assert len(charts) == 5 and all("Chart of" in alt for _src, alt in charts)
    svg = viewer.get(charts[0][0])
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in svg.content[:2000]
    assert "Illustrative data" in page and '<span class="tag illustrative">illustrative</span>' in page
    assert "<caption>Measurements of" in page
    assert view["card"]["engagement_url"] == f"/w/{demo}/engagements/{commitment['engagement']['ref']}"
    assert f'href="{view["card"]["engagement_url"]}"' in page
    assert f'href="/w/{demo}/networks#network-c40"' in page
    assert 'action="' not in page.split("<main", 1)[1].split("site-search", 1)[0]  # no forms for a viewer
    summary = viewer.get(f"/w/{demo}/commitments/{FIVE_ZEROES}/summary.pdf")
    assert summary.status_code == 200 and summary.content[:4] == b"%PDF"
    assert summary.headers["content-disposition"].startswith("attachment;")


def test_networks_page_shows_cited_facts_memberships_and_obligations_by_due_date(client_as, demo):
    viewer = client_as("viewer", demo)
    response = viewer.get(f"/w/{demo}/networks")
    assert response.status_code == 200
    view = viewer.get(f"/w/{demo}/networks.json").json()
    c40 = next(n for n in view["networks"] if n["ref"] == "c40")
    assert c40["in_reference_list"] and c40["founded"]["value"] == 2005 and c40["founded"]["source"]
    assert c40["our_memberships"]
    due = [row["obligation"]["due_on"] for row in view["obligations"]]
    assert due == sorted(due) and {row["obligation"]["network"] for row in view["obligations"]} <= {"c40", "u20"}
    page = html.unescape(response.text)
    assert "C40" in page and "source:" in page and "as of" in page
    assert "Mark done" not in page  # viewers get no forms


# -- staff workflows ---------------------------------------------------------------------------


def test_obligations_overdue_are_flagged_and_staff_mark_one_done(engine, client_as, workspace):
    svc.seed_networks(engine, workspace, SYSTEM, ["c40"])
    save_record(engine, workspace, "memberships", {"network": "c40", "start_date": "2015-01-01"}, SYSTEM)
    staff = client_as("staff", workspace, csrf=False)
    page = staff.get(f"/w/{workspace}/networks").text
    form = re.search(r'<form method="post" action="(/w/[^"]+/networks/memberships/c40/us/obligations)">', page)
    assert form, "staff can create the membership's obligations"
    created = staff.post(form.group(1), data={"csrf_token": token_of(page)}, follow_redirects=False)
    assert created.status_code == 303
    view = staff.get(f"/w/{workspace}/networks.json").json()
    overdue = [row for row in view["obligations"] if row["obligation"]["overdue"]]
    assert overdue and view["overdue"] == len(overdue)
    assert [r["obligation"]["due_on"] for r in view["obligations"]] == sorted(
        r["obligation"]["due_on"] for r in view["obligations"]
    )
    page = staff.get(f"/w/{workspace}/networks").text
    assert 'class="overdue-row"' in page and "overdue</strong>" in page
    first = overdue[0]
    done = staff.post(first["done_url"], data={"csrf_token": token_of(page)}, follow_redirects=False)
    assert done.status_code == 303
    after = staff.get(f"/w/{workspace}/networks.json").json()
    still = {row["obligation"]["ref"]: row["obligation"] for row in after["obligations"]}
    if first["obligation"]["recurrence"] == "once":
        assert first["obligation"]["ref"] not in still
    else:
        assert still[first["obligation"]["ref"]]["due_on"] > first["obligation"]["due_on"]


def test_staff_add_a_commitment_with_a_target_then_a_measurement(client, workspace):
    form = client.get(f"/w/{workspace}/commitments/new")
    assert form.status_code == 200 and 'name="target-unit"' in form.text
    created = client.post(
        f"/w/{workspace}/commitments/new",
        data={
            "title": "Zero waste to landfill",
            "kind": "plan",
            "made_on": "2019-04-29",
            "sdgs": "11.6, 12.5",
            "confidentiality": "internal",
            "target-key": "landfill",
            "target-indicator": "Waste sent to landfill",
            "target-unit": "kt",
            "target-baseline_year": "2015",
            "target-baseline_value": "1000",
            "target-target_year": "2035",
            "target-target_value": "100",
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    url = created.headers["location"]
    assert url == f"/w/{workspace}/commitments/2019-zero-waste-to-landfill"
    added = client.post(
        f"{url}/targets/landfill/measurements",
        data={
            "on": "2020",
            "value": "800",
            "unit": "kt",
            "source": "Sanitation bureau",
            "illustrative": "on",
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    view = client.get(f"{url}.json").json()
    target = view["card"]["commitment"]["targets"][0]
    assert [(m["year"], m["value"], m["illustrative"]) for m in target["measurements"]] == [(2020, 800, True)]
    assert target["status"]["status"] != "no_data"
    target_added = client.post(
        f"{url}/targets",
        data={
            "key": "recycling",
            "indicator": "Recycling rate",
            "unit": "%",
            "baseline_year": "2015",
            "baseline_value": "40",
            "target_year": "2035",
            "target_value": "90",
        },
        follow_redirects=False,
    )
    assert target_added.status_code == 303
    assert [t["key"] for t in client.get(f"{url}.json").json()["card"]["commitment"]["targets"]] == [
        "landfill",
        "recycling",
    ]
    ledger = client.get(f"/w/{workspace}/commitments")
    assert "Zero waste to landfill" in ledger.text and "Recycling rate" in ledger.text


@pytest.mark.parametrize(
    "row, field, words",
    [
        ({"on": "2020", "value": "40", "unit": "MWh", "source": "Utility"}, "unit", "is not the target's unit"),
        ({"on": "2012", "value": "40", "source": "Utility"}, "on", "before the baseline year"),
        ({"on": "2031-06-30", "value": "40", "source": "Utility"}, "on", "after the target year"),
        ({"on": "2018", "value": "37", "source": "Utility"}, "on", "already has a value"),
        ({"on": "2020", "value": "", "source": "Utility"}, "value", ""),
    ],
)
def test_a_bad_measurement_is_shown_beside_its_field_and_nothing_is_written(
    engine, client, workspace, row, field, words
):
    ref = grid_commitment(engine, workspace)
    response = client.post(f"/w/{workspace}/commitments/{ref}/targets/renewables/measurements", data=row)
    assert response.status_code == 422
    error = re.search(rf'<p class="error" id="f-m-renewables-{field}-error">(.*?)</p>', response.text, re.DOTALL)
    assert error and words in html.unescape(error.group(1))
    assert f'id="f-m-renewables-{field}"' in response.text and 'aria-invalid="true"' in response.text
    assert f'value="{row["on"]}"' in response.text  # what was typed is kept
    measurements = svc.get_commitment(engine, workspace, ref, SYSTEM).targets[0].measurements
    assert [(m.year, m.value) for m in measurements] == [(2018, 36), (2021, 44)]


def test_a_bad_commitment_form_names_each_field(client, workspace):
    response = client.post(
        f"/w/{workspace}/commitments/new",
        data={
            "title": "Paris pledge",
            "networks": "no-such-network",
            "sdgs": "18",
            "target-key": "emissions",
            "target-indicator": "GHG emissions",
            "target-unit": "MtCO2e",
            "target-baseline_year": "2030",
            "target-baseline_value": "30",
            "target-target_year": "2020",
            "target-target_value": "10",
        },
    )
    assert response.status_code == 422
    text = html.unescape(response.text)
    assert "nothing was saved" in text
    assert re.search(r'id="f-sdgs-error">[^<]*<span[^>]*>[^<]*</span>\s*\'18\' is not an SDG code', text)
    assert re.search(r'id="f-target-key-error">[^<]*<span[^>]*>[^<]*</span>\s*target_year 2020 must be after', text)
    assert 'href="#f-sdgs"' in text and 'href="#f-target-key"' in text  # the summary links to each field
    assert client.get(f"/w/{workspace}/commitments.json").json()["commitments"] == []


def test_a_target_that_repeats_a_key_is_refused_beside_the_key(engine, client, workspace):
    ref = grid_commitment(engine, workspace)
    response = client.post(
        f"/w/{workspace}/commitments/{ref}/targets",
        data={
            "key": "renewables",
            "indicator": "Another indicator",
            "unit": "%",
            "baseline_year": "2015",
            "baseline_value": "1",
            "target_year": "2030",
            "target_value": "2",
        },
    )
    assert response.status_code == 422
    assert 'id="f-new-target-key-error"' in response.text and "used twice" in response.text


# -- permissions and CSRF -------------------------------------------------------------------------


def test_viewers_cannot_add_commitments_or_measurements(engine, client_as, workspace):
    ref = grid_commitment(engine, workspace)
    viewer = client_as("viewer", workspace)
    assert viewer.get(f"/w/{workspace}/commitments/new").status_code == 403
    refused = viewer.post(
        f"/w/{workspace}/commitments/{ref}/targets/renewables/measurements",
        data={"on": "2022", "value": "50", "source": "Utility"},
    )
    assert refused.status_code == 403
    assert viewer.post(f"/w/{workspace}/commitments/new", data={"title": "Mine"}).status_code == 403
    page = viewer.get(f"/w/{workspace}/commitments/{ref}").text
    assert "Add the measurement" not in page and "Add a target" not in page
    assert len(svc.get_commitment(engine, workspace, ref, SYSTEM).targets[0].measurements) == 2


def test_another_workspace_is_not_found(engine, client_as, workspace):
    ref = grid_commitment(engine, workspace)
    other = unique("other")
    create_workspace(engine, {"slug": other, "name": "Elsewhere", "country_code": "US"}, SYSTEM)
    stranger = client_as("admin", other)
    for url in (
        f"/w/{workspace}/commitments",
        f"/w/{workspace}/commitments/{ref}",
        f"/w/{workspace}/sdgs",
        f"/w/{workspace}/networks",
        f"/w/{workspace}/reports",
        f"/w/{workspace}/commitments/{ref}/summary.pdf",
        f"/w/{workspace}/commitments/{ref}/targets/renewables/chart.svg",
    ):
        assert stranger.get(url).status_code == 404, url
    posted = stranger.post(
        f"/w/{workspace}/commitments/{ref}/targets/renewables/measurements",
        data={"on": "2022", "value": "50", "source": "Utility"},
    )
    assert posted.status_code == 404


def test_forms_need_their_csrf_token(engine, client_as, workspace):
    ref = grid_commitment(engine, workspace)
    bare = client_as("staff", workspace, csrf=False)
    row = {"on": "2022", "value": "50", "unit": "%", "source": "Utility"}
    url = f"/w/{workspace}/commitments/{ref}/targets/renewables/measurements"
    assert bare.post(url, data=row, follow_redirects=False).status_code == 403
    page = bare.get(f"/w/{workspace}/commitments/{ref}").text
    assert page.count('name="csrf_token"') >= 2  # the measurement form and the target form
    accepted = bare.post(url, data={"csrf_token": token_of(page), **row}, follow_redirects=False)
    assert accepted.status_code == 303
    assert [m.year for m in svc.get_commitment(engine, workspace, ref, SYSTEM).targets[0].measurements] == [
        2018,
        2021,
        2022,
    ]


def test_an_empty_workspace_says_so(client, workspace):
    assert "No commitments recorded yet" in client.get(f"/w/{workspace}/commitments").text
    assert "No open obligations" in client.get(f"/w/{workspace}/networks").text
    assert "No commitments recorded yet" in client.get(f"/w/{workspace}/reports").text
    assert client.get(f"/w/{workspace}/sdgs/18").status_code == 404
