"""The command line, as an administrator on the server uses it."""

import json

from typer.testing import CliRunner

from citydiplomacy.cli.main import app
from tests.fixtures.database import unique

runner = CliRunner()


def run(*args, database_url):
    result = runner.invoke(app, [*args, "--database", database_url], catch_exceptions=False)
    return result


def test_init_creates_a_workspace_and_records_can_be_listed(database_url, engine):
    slug = unique("cli")
    result = run(
        "init",
        "--workspace",
        slug,
        "--name",
        "City of Oakland",
        "--country",
        "US",
        "--subdivision",
        "US-CA",
        "--timezone",
        "America/Los_Angeles",
        database_url=database_url,
    )
    assert result.exit_code == 0, result.output
    assert f"Created workspace '{slug}'" in result.output
    listed = run("list", "partners", "-w", slug, "--format", "json", database_url=database_url)
    assert json.loads(listed.output) == {"items": [], "total": 0, "page": 1, "per_page": 50, "pages": 1}


def test_a_filter_that_does_not_apply_is_a_clear_error_not_a_traceback(database_url, workspace):
    result = run("list", "places", "-w", workspace, "--topic", "trade", database_url=database_url)
    assert result.exit_code == 2
    assert "places cannot be filtered by 'topic'" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_record_is_reported_plainly(database_url, workspace):
    result = run("show", "partners", "no-such-partner", "-w", workspace, database_url=database_url)
    assert result.exit_code == 2
    assert "No partner 'no-such-partner' in this workspace" in result.output


def test_the_first_admin_is_created_from_the_cli_with_a_generated_password(database_url, workspace):
    name = unique("admin").replace("-", ".")
    result = run("user", "add", name, "--admin", database_url=database_url)
    assert result.exit_code == 0, result.output
    assert "site administrator" in result.output
    password = result.output.split("signing in): ")[1].split()[0]
    from citydiplomacy.bootstrap import open_database
    from citydiplomacy.services.accounts import authenticate

    assert authenticate(open_database(database_url), name, password, "cli-test").is_admin


def test_audit_verify_reports_an_intact_trail(database_url, workspace):
    result = run("audit", "verify", database_url=database_url)
    assert result.exit_code == 0
    assert "Audit trail intact" in result.output
