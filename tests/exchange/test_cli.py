"""citydip practices: import, search, show, borrow and peers from the command line."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from citydiplomacy.cli.practices import app
from citydiplomacy.services.registry import Actor, create_workspace

runner = CliRunner()


def test_a_staff_member_imports_searches_opens_and_borrows_from_the_command_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    from citydiplomacy.bootstrap import open_database

    engine = open_database(url)
    create_workspace(engine, {"slug": "la", "name": "City of Los Angeles", "country_code": "US"}, Actor("setup"))
    engine.dispose()
    base = ["--database", url, "--workspace", "la"]

    result = runner.invoke(app, ["import", *base])
    assert result.exit_code == 0, result.output
    assert "81 inserted" in result.output

    result = runner.invoke(
        app,
        [
            "search",
            "how did other cities warn people before earthquakes?",
            *base,
            "--limit",
            "3",
            "--format",
            "json",
            "--mode",
            "lexical",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {r["slug"] for r in data["results"][:2]} == {"mexico-city-sasmex", "los-angeles-shakealertla"}
    assert all(isinstance(r["score"], float) for r in data["results"]) and len(data["results"]) == 3

    result = runner.invoke(app, ["show", "mexico-city-sasmex", *base])
    assert result.exit_code == 0 and "Sources" in result.output and "Caveats" in result.output

    result = runner.invoke(
        app,
        [
            "borrow",
            "mexico-city-sasmex",
            *base,
            "--from",
            "Mexico City",
            "--year",
            "2026",
            "--adaptation",
            "Alerts through the city's app",
            "--outcome",
            "unknown",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Los Angeles borrows" in result.output

    result = runner.invoke(app, ["show", "mexico-city-sasmex", *base, "--format", "json"])
    transfers = json.loads(result.output)["transfers"]
    assert any(t["transfer"]["adopter_is_us"] and t["transfer"]["year"] == 2026 for t in transfers)

    result = runner.invoke(app, ["peers", "extreme heat", *base, "--format", "json", "--limit", "3"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) == 3


def test_a_bad_file_is_reported_with_its_line_and_field(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    from citydiplomacy.bootstrap import open_database

    engine = open_database(url)
    create_workspace(engine, {"slug": "la", "name": "City of Los Angeles", "country_code": "US"}, Actor("setup"))
    engine.dispose()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "title": "T", "country": "Narnia", "summary": "s"}\n', encoding="utf-8")
    result = runner.invoke(app, ["import", str(bad), "--database", url, "--workspace", "la"])
    assert result.exit_code == 2
    assert "bad.jsonl, line 1, field 'country'" in result.output
