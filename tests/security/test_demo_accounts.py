"""`citydip demo` makes a demo administrator (and a viewer, staff member and counsel) with
random passwords printed once on the console; nothing is hard-coded."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from citydiplomacy.bootstrap import open_database
from citydiplomacy.cli.main import app
from citydiplomacy.web import create_app
from tests.security.helpers import browser, sign_in

runner = CliRunner()


def passwords(output: str) -> dict[str, str]:
    return dict(re.findall(r"(demo-[a-z]+)\s+[a-z ]+?\s+password\s+(\S+)", output))


def test_the_demo_prints_sign_in_details_once_and_they_work(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    first = runner.invoke(app, ["demo", "--no-serve", "--database", url], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    printed = passwords(first.output)
    assert set(printed) == {"demo-admin", "demo-viewer", "demo-staff", "demo-counsel"}, first.output
    assert "/login" in first.output
    again = runner.invoke(app, ["demo", "--no-serve", "--database", url], catch_exceptions=False)
    assert again.exit_code == 0 and passwords(again.output) == {}  # existing accounts: no password shown again
    assert "citydip user password" in again.output

    engine = open_database(url)
    try:
        with browser(create_app(engine)) as client:
            assert sign_in(client, "demo-viewer", printed["demo-viewer"]).status_code == 303
            roles = {w["slug"]: w["role"] for w in client.get("/account.json").json()["workspaces"]}
            assert roles == {"los-angeles": "viewer"}
        with browser(create_app(engine)) as client:
            assert sign_in(client, "demo-admin", printed["demo-admin"]).status_code == 303
            assert client.get("/account.json").json()["site_admin"] is True
    finally:
        engine.dispose()

    other = runner.invoke(
        app, ["demo", "--no-serve", "--database", f"sqlite:///{tmp_path / 'other.sqlite3'}"], catch_exceptions=False
    )
    assert passwords(other.output)["demo-admin"] != printed["demo-admin"]  # random, not built in
