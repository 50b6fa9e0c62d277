"""Voluntary Local Review drafts and one-page summaries: HTML and PDF, with charts that really render."""

import shutil
import subprocess
from datetime import date

import numpy as np
import pytest
from PIL import Image, ImageStat
from typer.testing import CliRunner

from citydiplomacy.cli.main import app
from citydiplomacy.services import commitments as svc
from citydiplomacy.services.registry import save_record

#: The colour of measured points in every chart (charts.py); only charts use it.
MEASURED_BLUE = (0x1F, 0x4E, 0x79)


@pytest.fixture
def seeded(engine, workspace, actor):
    svc.seed_demo_commitments(engine, workspace, actor, today=date(2026, 6, 30))
    save_record(
        engine,
        workspace,
        "partners",
        {"ref": "ladwp-partner", "name": "Partner Utility of Osaka", "kind": "company"},
        actor,
    )
    save_record(
        engine,
        workspace,
        "engagements",
        {
            "ref": "2024-grid-exchange",
            "title": "Clean grid exchange",
            "kind": "meeting",
            "status": "held",
            "start": "2024-03-05T10:00",
            "sdgs": [7],
            "partners": ["ladwp-partner"],
            "outcomes": "Agreed to share data.",
        },
        actor,
    )
    save_record(
        engine,
        workspace,
        "engagements",
        {
            "ref": "2023-other-year",
            "title": "Meeting in another year",
            "kind": "meeting",
            "start": "2023-03-05T10:00",
            "sdgs": [7],
        },
        actor,
    )
    return workspace


def test_vlr_html_has_a_section_per_goal_with_targets_charts_actions_and_partners(engine, seeded, actor):
    report = svc.vlr_report(engine, seeded, 2024, actor)
    numbers = [g.number for g in report.goals]
    assert {6, 7, 11, 12, 13} <= set(numbers) and numbers == sorted(numbers)
    energy = next(g for g in report.goals if g.number == 7)
    assert [i.target.key for i in energy.indicators] == ["zero-carbon-grid", "zero-carbon-buildings"]
    assert [a.ref for a in energy.actions if a.kind == "engagement"] == ["2024-grid-exchange"]
    assert "Partner Utility of Osaka" in energy.partners and "C40 Cities Climate Leadership Group" in energy.partners
    assert report.as_of == date(2024, 12, 31)
    grid = energy.indicators[0].target
    assert max(m.year for m in grid.measurements) == 2024  # the 2025 value is after the report year

    html = svc.vlr_document(engine, seeded, 2024, actor, fmt="html").decode()
    assert "Voluntary Local Review 2024" in html and "DRAFT" in html
    assert "illustrative data" in html.lower()
    assert html.count('src="data:image/svg+xml;base64,') >= 6
    assert "SDG 13: Climate action" in html and "Clean grid exchange" in html and "Least-squares" in html
    assert "http://" not in html and "https://" not in html  # nothing fetched when opened or printed


def _pages(pdf: bytes, tmp_path, dpi: int = 50) -> list[Image.Image]:
    assert shutil.which("pdftoppm"), "pdftoppm missing: apt-get install poppler-utils"
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(tmp_path / "page")], check=True)
    return [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob("page-*.png"))]


def _chart_pixels(image: Image.Image) -> int:
    """How many pixels have the colour of measured points and lines (drawn only in charts)."""
    pixels = np.asarray(image, dtype=int)
    return int((np.abs(pixels - np.array(MEASURED_BLUE)).max(axis=2) < 40).sum())


def test_vlr_pdf_pages_render_with_charts(engine, seeded, actor, tmp_path):
    pdf = svc.vlr_document(engine, seeded, 2024, actor, fmt="pdf")
    assert pdf.startswith(b"%PDF")
    pages = _pages(pdf, tmp_path)
    assert len(pages) >= 6
    for page in pages:
        assert max(ImageStat.Stat(page.convert("L")).var) > 50, "a blank page"
    assert sum(1 for page in pages if _chart_pixels(page) > 30) >= 5


def test_one_page_commitment_summary(engine, seeded, actor, tmp_path):
    pdf = svc.commitment_document(engine, seeded, "2019-la-green-new-deal-five-zeroes", actor, as_of=date(2026, 6, 30))
    pages = _pages(pdf, tmp_path, dpi=80)
    assert len(pages) == 1
    assert _chart_pixels(pages[0]) > 100
    html = svc.commitment_document(engine, seeded, "2019-la-green-new-deal-five-zeroes", actor, fmt="html").decode()
    assert html.count("data:image/svg+xml") == 5 and "Method." in html


def test_cli_report_and_commitments_commands(engine, database_url, seeded, tmp_path):
    runner = CliRunner()
    out = tmp_path / "vlr.html"
    result = runner.invoke(
        app, ["report", "vlr", "--year", "2024", "--out", str(out), "-d", database_url, "-w", seeded]
    )
    assert result.exit_code == 0, result.output
    assert "Voluntary Local Review 2024" in out.read_text()
    bad = runner.invoke(
        app, ["report", "vlr", "--year", "2024", "--out", str(tmp_path / "vlr.docx"), "-d", database_url, "-w", seeded]
    )
    assert bad.exit_code != 0 and ".pdf or .html" in bad.output
    listed = runner.invoke(app, ["commitments", "list", "-d", database_url, "-w", seeded, "--format", "json"])
    assert listed.exit_code == 0 and "2019-la-green-new-deal-five-zeroes" in listed.output
    wrong = runner.invoke(
        app,
        [
            "commitments",
            "measure",
            "2019-la-green-new-deal-five-zeroes",
            "zero-waste",
            "--year",
            "2024",
            "--value",
            "0.8",
            "--unit",
            "fraction",
            "--source",
            "x",
            "-d",
            database_url,
            "-w",
            seeded,
        ],
    )
    assert wrong.exit_code == 2 and "measurements[0].unit" in wrong.output
    shown = runner.invoke(
        app, ["commitments", "show", "2017-paris-pledge-climate-mayors", "-d", database_url, "-w", seeded]
    )
    assert shown.exit_code == 0 and "On track" in shown.output and "Method" in shown.output
