"""The atlas in a real browser, on the demo: open the map, zoom, hover a country (its tooltip),
click a tie through to its record, and ask who can introduce us to a city we have no tie with.
Screenshots of the map and the answer go to test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from citydiplomacy.demo import build_demo
from tests.fixtures.database import unique


@pytest.fixture(scope="module")
def demo(engine) -> str:
    slug = unique("la-atlas-browser")
    build_demo(engine, slug=slug)
    return slug


def view_box(page) -> list[float]:
    return [float(v) for v in page.locator("[data-atlas-canvas] svg").get_attribute("viewBox").split()]


def point_inside(page, selector: str) -> tuple[float, float]:
    """A point of the screen where the shape is the topmost element (Viet Nam is an S: its box's
    centre lies in Laos)."""
    found = page.evaluate(
        """(selector) => {
        const shape = document.querySelector(selector);
        const r = shape.getBoundingClientRect();
        for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
            const x = r.left + r.width * i / 20, y = r.top + r.height * j / 20;
            if (document.elementFromPoint(x, y) === shape) return [x, y];
        }
        return null;
    }""",
        selector,
    )
    assert found, f"{selector} is hidden under other shapes"
    return found[0], found[1]


def test_a_person_explores_the_map_and_asks_for_an_introduction(open_browser, demo, screenshot):
    errors: list[str] = []
    page = open_browser("viewer", demo)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"/w/{demo}/")
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Atlas").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("international ties on the map")
    svg = page.locator("[data-atlas-canvas] svg")
    expect(svg).to_be_visible()
    screenshot(page, "atlas-map")

    # zoom with the buttons and the wheel; reset
    start = view_box(page)
    page.get_by_role("button", name="Zoom in").click()
    zoomed = view_box(page)
    assert zoomed[2] < start[2] * 0.7
    box = svg.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.4)
    page.mouse.wheel(0, -300)
    assert view_box(page)[2] < zoomed[2]
    page.get_by_role("button", name="Reset view").click()
    assert view_box(page) == start

    # hover a country: its <title> is the tooltip, repeated in the status line for everyone
    vietnam = page.locator('path.country[data-country="VN"]')
    assert vietnam.locator("title").text_content().startswith("Vietnam: ")
    x, y = point_inside(page, 'path.country[data-country="VN"]')
    page.mouse.move(x, y)
    expect(page.locator("[data-atlas-tooltip]")).to_contain_text("Vietnam: ")

    # click a sister-city tie through to its agreement
    busan = page.locator('path.link-own[data-ref="agreements/sister-city-busan"]')
    busan.dispatch_event("click")
    page.wait_for_url(re.compile(r"/agreements/sister-city-busan$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Busan")

    # a country through to its page, by keyboard (the SVG link takes focus and Enter)
    page.go_back()
    page.locator(f'a[href="/w/{demo}/countries/VN"]').first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/countries/VN$"))

    # ask who can introduce us to Kaohsiung (no tie of ours)
    page.goto(f"/w/{demo}/atlas")
    page.get_by_role("navigation", name="Atlas").get_by_role("link", name="Introduction paths").click()
    box = page.get_by_label("Who can introduce us to …")
    box.fill("Kaohs")
    expect(page.locator("#atlas-target-options option").first).to_have_attribute("value", "Kaohsiung, Taiwan")
    box.fill("Kaohsiung")
    page.get_by_role("button", name="Find paths").click()
    expect(page.get_by_role("heading", name=re.compile("From Los Angeles to Kaohsiung"))).to_be_visible()
    expect(page.locator(".atlas-explanation")).to_contain_text(
        "Los Angeles — sister city (since 1971) — Busan — sister city of (Wikipedia's list) — Kaohsiung"
    )
    screenshot(page, "atlas-paths")
    page.locator(".atlas-path").first.get_by_role("link", name="agreements/sister-city-busan").click()
    page.wait_for_url(re.compile(r"/agreements/sister-city-busan$"))
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors


def test_the_map_fits_a_phone(open_browser, demo, screenshot):
    page = open_browser("viewer", demo, phone=True)
    page.goto(f"/w/{demo}/atlas")
    expect(page.locator("[data-atlas-canvas] svg")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    screenshot(page, "atlas-map-phone")
