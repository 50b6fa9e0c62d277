"""Our record, as a person reads it in the browser: Busan's partner page shows the 1971 sister-city
agreement that hangs on the place, the list's other ties of Busan only as reference, and the
agreement register counts Los Angeles's own agreements. Screenshots go to
test-artifacts/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from citydiplomacy.demo import build_demo, load_demo
from tests.fixtures.database import unique


@pytest.fixture(scope="module")
def demo(engine) -> str:
    slug = unique("la-record-browser")
    build_demo(engine, slug=slug)
    return slug


def test_busans_page_shows_our_1971_agreement_and_its_other_ties_as_reference(open_browser, demo, screenshot):
    page = open_browser("staff", demo)
    page.goto(f"/w/{demo}/partners?q=Busan")
    page.get_by_role("link", name="Busan Metropolitan City").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Busan Metropolitan City")
    agreements = page.get_by_role("region", name="Agreements (1)")
    expect(agreements).to_contain_text("Sister city: Los Angeles – Busan")
    expect(agreements).to_contain_text("1971")
    ties = page.get_by_role("region", name="Their other ties")
    expect(ties).to_contain_text("For reference only")
    expect(ties).to_contain_text("Kaohsiung")
    expect(ties.get_by_role("button")).to_have_count(0)  # nothing to change: it is not our record
    screenshot(page, "busan-partner-page")

    page.goto(f"/w/{demo}/agreements")
    own = len(load_demo().records["agreements"])
    expect(page.get_by_role("status")).to_have_text(f"{own} found")
    expect(page.locator("main")).not_to_contain_text("Seoul – Mexico City")
    screenshot(page, "agreement-register")
