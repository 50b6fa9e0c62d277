"""The Exchange in a real browser, on the demo: a staff member asks how other cities warned people
before earthquakes, reads why the results matched, opens Mexico City's SASMEX, records that Los
Angeles is borrowing it, and sees the new transfer on the diffusion view. Screenshots of the
results, the practice page and the diffusion view go to test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from citydiplomacy.demo import build_demo
from tests.fixtures.database import unique

QUESTION = "how did other cities warn people before earthquakes?"


@pytest.fixture(scope="module")
def demo(engine) -> str:
    slug = unique("la-practices-browser")
    build_demo(engine, slug=slug)
    return slug


def test_a_person_finds_a_practice_borrows_it_and_sees_it_spread(open_browser, demo, screenshot):
    errors: list[str] = []
    page = open_browser("staff", demo)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"/w/{demo}/")
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Practices").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Practices other cities tried")

    # ask the question (keyboard: type and press Enter)
    box = page.get_by_label("Your question")
    box.fill(QUESTION)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/practices\?q=how"))
    results = page.locator(".practice-results-list > li")
    expect(results.first).to_contain_text("SASMEX")
    top_two = " ".join(results.nth(i).locator("h3").inner_text() for i in range(2))
    assert "SASMEX" in top_two and "ShakeAlert" in top_two
    first = results.first
    expect(first.locator("mark").first).to_be_visible()
    expect(first.locator(".why")).to_contain_text("Why it matched")
    expect(first.locator(".why")).to_contain_text("topic: earthquake")
    screenshot(page, "practices-search")

    # open the practice
    first.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/practices/mexico-city-sasmex$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("SASMEX")
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    expect(page.get_by_role("heading", name="More like this")).to_be_visible()
    screenshot(page, "practice-page")

    # record that we are borrowing it
    form = page.locator("form.borrow-form")
    form.get_by_label("Year").fill("2026")
    form.get_by_label("How we adapt it").fill("Sirens in Metro stations, alerts in Spanish and English")
    form.get_by_label("Status").select_option("intended")
    form.get_by_role("button", name="Record that we are borrowing this").click()
    page.wait_for_url(re.compile(r"/practices/mexico-city-sasmex\?borrowed="))
    expect(page.get_by_role("status").filter(has_text="Recorded:")).to_contain_text("Los Angeles")
    ours = page.locator("section", has=page.locator("#our-borrowing-h"))
    expect(ours.locator("table")).to_contain_text("Sirens in Metro stations")

    # and see it on the diffusion view: an arrow into our city, labelled 2026, and in the timeline
    page.get_by_role("link", name="See it on the diffusion view").click()
    page.wait_for_url(re.compile(r"/practices/mexico-city-sasmex/diffusion$"))
    arrow = page.locator('svg.diffusion-map path.diffusion-edge-us[data-year="2026"]')
    expect(arrow).to_have_count(1)
    assert "Los Angeles, 2026" in arrow.locator("title").text_content()
    expect(page.locator("svg.diffusion-map text.diffusion-year", has_text="2026")).to_have_count(1)
    expect(page.locator(".diffusion-timeline")).to_contain_text("Los Angeles is borrowing")
    screenshot(page, "practice-diffusion")

    # the library-wide view shows it too
    page.goto(f"/w/{demo}/practices/diffusion")
    expect(page.locator('svg.diffusion-map path.diffusion-edge-us[data-year="2026"]')).to_have_count(1)
    screenshot(page, "practices-diffusion")
    assert errors == []


def test_the_search_page_works_on_a_phone(open_browser, demo, screenshot):
    page = open_browser("viewer", demo, phone=True)
    page.goto(f"/w/{demo}/practices?q=cash+for+poor+families")
    expect(page.locator(".practice-results-list > li").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"the page scrolls sideways on a phone ({width}px)"
    screenshot(page, "practices-search-phone")
