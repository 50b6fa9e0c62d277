"""The office's daily workflows in a real browser (Chromium through Playwright).

Each scenario signs in through /login like a person would, uses the keyboard where a
person would, and checks what the page shows. Screenshots of the main pages go to
test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from citydiplomacy.services.registry import Actor, create_workspace, save_record
from tests.fixtures.database import unique
from tests.fixtures.web import SCENARIO

SYSTEM = Actor.system("python")
BAD_CSV = (
    "ref,title,kind,start,timezone\n"
    "2026-01-10-ok,A good row,meeting,2026-01-10T10:00:00,America/Los_Angeles\n"
    "2026-01-11-lunch,A lunch,lunch,2026-01-11T12:00:00,America/Los_Angeles\n"
)
FIXED_CSV = BAD_CSV.replace(",lunch,", ",meeting,")


@pytest.fixture
def office(engine, workspace) -> str:
    """The test workspace holding the Viet Nam scenario, an upcoming engagement and an expiring tie."""
    for plural, body in SCENARIO:
        save_record(engine, workspace, plural, body, SYSTEM)
    today = datetime.now(ZoneInfo("America/Los_Angeles")).date()
    save_record(
        engine,
        workspace,
        "engagements",
        {
            "title": "Courtesy call by the Consul General",
            "kind": "meeting",
            "start": f"{today + timedelta(days=5)}T10:00:00",
            "timezone": "America/Los_Angeles",
            "partners": ["hcmc"],
            "follow_ups": [
                {"description": "Send the climate plan", "owner": "Ana", "due_on": str(today - timedelta(days=3))}
            ],
        },
        SYSTEM,
    )
    save_record(
        engine,
        workspace,
        "agreements",
        {
            "title": "Friendship city tie with Da Nang",
            "kind": "friendship_city",
            "status": "in_force",
            "signed_on": "2016-05-01",
            "expires_on": str(today + timedelta(days=60)),
            "parties": [{"us": True}],
        },
        SYSTEM,
    )
    save_record(
        engine,
        workspace,
        "engagements",
        {
            "title": "Confidential talks on the consulate",
            "kind": "meeting",
            "start": "2024-03-03T10:00:00",
            "timezone": "America/Los_Angeles",
            "confidentiality": "confidential",
        },
        SYSTEM,
    )
    return workspace


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_staff_log_an_engagement_with_autocomplete_using_the_keyboard(open_browser, office, screenshot):
    page = open_browser("staff", office)
    page.goto(f"/w/{office}/")
    expect(page.get_by_role("heading", name="Next 30 days (1)")).to_be_visible()
    expect(page.get_by_text("Send the climate plan")).to_be_visible()
    screenshot(page, "dashboard")
    page.get_by_role("link", name="Log an engagement").first.click()
    expect(page.get_by_role("heading", name="Log an engagement")).to_be_visible()
    page.get_by_label("Title").fill("Video call with Ho Chi Minh City")
    page.get_by_label("Kind (required)").select_option("call")
    page.get_by_label("Starts").fill("2026-12-01T09:30")
    page.get_by_label("Time zone").select_option("Asia/Ho_Chi_Minh")

    partner = page.locator("#f-partners-0")
    partner.click()
    partner.press_sequentially("chi minh", delay=30)
    option = page.get_by_role("option", name=re.compile("Ho Chi Minh City People's Committee"))
    expect(option).to_be_visible()
    expect(partner).to_have_attribute("aria-expanded", "true")
    partner.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    partner.press("Enter")
    expect(partner).to_have_value("hcmc")
    expect(page.locator("#f-partners-0-picked")).to_contain_text("Ho Chi Minh City People's Committee")

    place = page.locator("#f-venue_place")
    place.click()
    place.press_sequentially("Da Nan", delay=30)
    expect(page.get_by_role("option", name=re.compile("Da Nang"))).to_be_visible(timeout=20000)
    place.press("ArrowDown")
    place.press("Enter")
    expect(place).to_have_value(re.compile(r"^geonames:\d+$"))

    person = page.locator("#f-participants-0-person")
    person.click()
    person.press_sequentially("nguyen", delay=30)
    expect(page.get_by_role("option", name=re.compile("Nguyen Xuan Phuc"))).to_be_visible()
    person.press("ArrowDown")
    person.press("Enter")
    expect(person).to_have_value("nguyen-xuan-phuc")

    page.get_by_role("button", name="Add another participant").click()
    expect(page.locator("#f-participants-1-person")).to_be_focused()
    page.get_by_label("Climate", exact=True).check()
    page.get_by_role("button", name="Save the engagement").click()

    expect(page.get_by_role("heading", name="Video call with Ho Chi Minh City")).to_be_visible()
    expect(page.get_by_text("1 Dec 2026, 09:30 (Asia/Ho_Chi_Minh, UTC+07:00)")).to_be_visible()
    expect(page.get_by_role("link", name="Ho Chi Minh City People's Committee")).to_be_visible()
    expect(page.get_by_role("link", name="Da Nang")).to_be_visible()


def test_quick_add_puts_a_new_partner_into_the_form(open_browser, office):
    page = open_browser("staff", office)
    page.goto(f"/w/{office}/engagements/new")
    page.get_by_role("button", name="Add a new partner").click()
    page.get_by_label("Name of the new partner").fill("Consulate General of Peru")
    page.get_by_label("Kind of partner").select_option("consulate")
    page.get_by_label("Its country code").fill("PE")
    page.get_by_role("button", name="Add and use it").first.click()
    expect(page.locator("#f-partners-0")).to_have_value("consulate-general-of-peru")
    expect(page.get_by_text("Added Consulate General of Peru")).to_be_visible()


def test_a_form_error_is_announced_and_shown_beside_the_field(open_browser, office, screenshot):
    page = open_browser("staff", office)
    page.goto(f"/w/{office}/engagements/new")
    page.get_by_label("Title").fill("Meeting without a date")
    page.locator("#f-partners-0").fill("nobody-we-know")
    page.get_by_role("button", name="Save the engagement").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.locator("#f-start")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-partners-0")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-partners-0-error")).to_contain_text("no partner with ref 'nobody-we-know'")
    expect(page.get_by_label("Title")).to_have_value("Meeting without a date")
    screenshot(page, "engagement-form-error")
    summary.get_by_role("link", name=re.compile("Starts")).click()
    expect(page.locator("#f-start")).to_be_focused()


def test_import_a_csv_with_a_bad_row_fix_it_commit_and_see_the_audit_entry(open_browser, office, screenshot):
    page = open_browser("staff", office)
    page.goto(f"/w/{office}/import")
    page.get_by_label("File to import").set_input_files(
        files=[{"name": "engagements.csv", "mimeType": "text/csv", "buffer": BAD_CSV.encode()}]
    )
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", name=re.compile("nothing will be written"))).to_be_visible()
    problems = page.get_by_role("table", name=re.compile("Each problem"))
    expect(problems).to_contain_text("lunch")
    expect(problems.get_by_role("cell", name="3", exact=True)).to_be_visible()
    expect(problems.get_by_role("cell", name="kind", exact=True)).to_be_visible()
    screenshot(page, "import-preview-error")
    page.get_by_role("link", name="Upload the corrected file").click()
    page.get_by_label("File to import").set_input_files(
        files=[{"name": "engagements.csv", "mimeType": "text/csv", "buffer": FIXED_CSV.encode()}]
    )
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_text("Nothing has been written yet")).to_be_visible()
    screenshot(page, "import-preview")
    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.get_by_role("heading", name="Imported engagements.csv")).to_be_visible()
    expect(page.get_by_text("2 inserted")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="audit trail").click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("2026-01-11-lunch")
    expect(main.get_by_text(re.compile(r"through import")).first).to_be_visible()


def test_a_viewer_cannot_edit(open_browser, office):
    page = open_browser("viewer", office)
    page.goto(f"/w/{office}/partners/hcmc")
    expect(page.get_by_role("heading", name="Ho Chi Minh City People's Committee")).to_be_visible()
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    page.goto(f"/w/{office}/engagements")
    expect(page.get_by_role("link", name="Log an engagement")).to_have_count(0)
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    response = page.request.post(
        f"/w/{office}/engagements/new",
        headers={"X-CSRF-Token": token},
        form={"title": "Sneaky", "kind": "meeting", "start": "2026-01-01T10:00"},
    )
    assert response.status == 403
    assert page.goto(f"/w/{office}/engagements/new").status == 403


def test_a_confidential_record_is_hidden_from_a_viewer(open_browser, office):
    ref = "2024-03-03-confidential-talks-on-the-consulate"
    staff = open_browser("staff", office)
    staff.goto(f"/w/{office}/engagements")
    expect(staff.get_by_role("link", name="Confidential talks on the consulate")).to_be_visible()
    viewer = open_browser("viewer", office)
    viewer.goto(f"/w/{office}/engagements")
    expect(viewer.get_by_role("link", name="Reception for the President")).to_be_visible()
    expect(viewer.get_by_text("Confidential talks on the consulate")).to_have_count(0)
    assert viewer.goto(f"/w/{office}/engagements/{ref}").status == 404
    viewer.goto(f"/w/{office}/search?q=consulate")
    expect(viewer.get_by_text("Confidential talks on the consulate")).to_have_count(0)


def test_another_workspaces_record_answers_404(open_browser, office, engine):
    other = unique("ws")
    create_workspace(engine, {"slug": other, "name": "Elsewhere", "country_code": "FR"}, SYSTEM)
    save_record(engine, other, "partners", {"ref": "mairie", "name": "Mairie de Lyon", "kind": "city"}, SYSTEM)
    page = open_browser("staff", office)
    assert page.goto(f"/w/{other}/partners/mairie").status == 404
    assert page.goto(f"/w/{office}/partners/mairie").status == 404
    page.goto(f"/w/{office}/search?q=mairie")
    expect(page.get_by_text("Mairie de Lyon")).to_have_count(0)


def test_partner_timeline_and_search(open_browser, office, screenshot):
    page = open_browser("staff", office)
    page.goto(f"/w/{office}/partners/hcmc")
    timeline = page.locator(".timeline")
    expect(timeline.locator("li")).to_have_count(4)
    expect(timeline.locator("li").first).to_contain_text("Courtesy call by the Consul General")
    screenshot(page, "partner-timeline")
    page.get_by_label("Search this workspace").fill("climate")
    page.get_by_label("Search this workspace").press("Enter")
    expect(page.get_by_role("heading", name="Search: “climate”")).to_be_visible()
    expect(page.get_by_role("link", name="Memorandum on climate cooperation")).to_be_visible()
    screenshot(page, "search")


def test_the_transparency_page_shows_only_public_records(open_browser, engine, screenshot):
    slug = unique("pub")
    create_workspace(
        engine,
        {"slug": slug, "name": "Open City", "country_code": "US", "timezone": "America/Chicago", "public_page": True},
        SYSTEM,
    )
    save_record(
        engine,
        slug,
        "engagements",
        {
            "title": "Public reception for the consular corps",
            "kind": "reception",
            "start": "2026-02-02T18:00:00",
            "timezone": "America/Chicago",
            "confidentiality": "public",
            "summary": "Annual reception.",
        },
        SYSTEM,
    )
    save_record(
        engine,
        slug,
        "engagements",
        {"title": "Internal briefing", "kind": "meeting", "start": "2026-02-03T09:00:00"},
        SYSTEM,
    )
    save_record(
        engine,
        slug,
        "agreements",
        {
            "title": "Sister city tie with Accra",
            "kind": "sister_city",
            "status": "in_force",
            "signed_on": "2020-01-01",
            "confidentiality": "public",
            "parties": [{"us": True}],
        },
        SYSTEM,
    )
    page = open_browser(None)
    assert page.goto(f"/public/{slug}").status == 200
    expect(page.get_by_text("Public reception for the consular corps")).to_be_visible()
    expect(page.get_by_text("Sister city tie with Accra")).to_be_visible()
    expect(page.get_by_text("Internal briefing")).to_have_count(0)
    screenshot(page, "transparency")
    assert page.goto(f"/public/{unique('nope')}").status == 404


def test_phone_width_pages_do_not_scroll_sideways(open_browser, office, screenshot):
    page = open_browser("staff", office, phone=True)
    for name, url in [
        ("dashboard", f"/w/{office}/"),
        ("engagements", f"/w/{office}/engagements"),
        ("engagement-form", f"/w/{office}/engagements/new"),
        ("partner", f"/w/{office}/partners/hcmc"),
        ("search", f"/w/{office}/search?q=climate"),
        ("import", f"/w/{office}/import"),
        ("agreement", f"/w/{office}/agreements/2018-memorandum-on-climate-cooperation"),
    ]:
        page.goto(url)
        assert no_horizontal_scroll(page), f"{name} scrolls sideways at 375 px"
        if name in ("dashboard", "engagement-form"):
            screenshot(page, f"phone-{name}")
