"""The `citydip rules` commands."""

import json

from typer.testing import CliRunner

from citydiplomacy.cli.main import app

runner = CliRunner()


def test_rules_test_runs_every_pack_case():
    result = runner.invoke(app, ["rules", "test"])
    assert result.exit_code == 0, result.output
    assert "0 failed" in result.output


def test_rules_test_fails_on_a_failing_case(tmp_path):
    from citydiplomacy.rules.loader import PACKS_DIR

    (tmp_path / "p.yaml").write_text((PACKS_DIR / "us_compact_clause.yaml").read_text())
    cases = (
        (PACKS_DIR / "us_compact_clause.cases.yaml")
        .read_text()
        .replace(
            "us-compact-clause-binding-agreement: {verdict: applies, due: 2026-06-01}",
            "us-compact-clause-binding-agreement: {verdict: applies, due: 2026-05-31}",
        )
    )
    (tmp_path / "p.cases.yaml").write_text(cases)
    result = runner.invoke(app, ["rules", "test", str(tmp_path / "p.yaml")])
    assert result.exit_code == 1 and "expected due 2026-05-31" in result.output


def test_rules_check_evaluates_records_in_the_api_json(tmp_path):
    data = {
        "workspace": {"subdivision_code": "US-TX"},
        "places": [{"ref": "taizhou", "kind": "city", "name": "Taizhou", "country_code": "CN"}],
        "agreements": [
            {
                "ref": "taizhou-tie",
                "title": "Sister city: Taizhou",
                "kind": "sister_city",
                "status": "in_force",
                "signed_on": "1996-05-01",
                "parties": [{"us": True}, {"place": "taizhou"}],
                "recognised_by_national_org": True,
            }
        ],
        "answers": {"agreements/taizhou-tie": {"agreement.commits_to_exchange": True}},
    }
    file = tmp_path / "check.json"
    file.write_text(json.dumps(data))
    result = runner.invoke(app, ["rules", "check", str(file), "--as-of", "2025-09-15", "--format", "json"])
    assert result.exit_code == 0, result.output
    (check,) = json.loads(result.output)
    finding = {f["rule_id"]: f for f in check["findings"]}["tx-withdraw-existing-sister-city"]
    assert finding["verdict"] == "applies" and finding["due_on"] == "2025-10-01" and finding["illustrative"] is True
    text = runner.invoke(app, ["rules", "check", str(file), "--as-of", "2025-09-15"])
    assert "tx-withdraw-existing-sister-city" in text.output and "not legal advice" in text.output


def test_rules_check_names_a_bad_field(tmp_path):
    file = tmp_path / "bad.json"
    file.write_text(
        json.dumps(
            {"engagements": [{"title": "x", "kind": "meeting", "start": "2020-01-01T10:00:00", "chanel": "email"}]}
        )
    )
    result = runner.invoke(app, ["rules", "check", str(file)])
    assert result.exit_code == 2 and "engagements[0].chanel" in result.output


def test_rules_list_and_show_the_shipped_packs():
    listed = runner.invoke(app, ["rules", "list", "--shipped", "--format", "json"])
    assert listed.exit_code == 0 and len(json.loads(listed.output)) >= 15
    shown = runner.invoke(app, ["rules", "show", "us-prc-senior-approval", "--shipped"])
    assert shown.exit_code == 0 and "F2.7" in shown.output


def test_the_docs_list_every_fact_of_the_vocabulary():
    from pathlib import Path

    from citydiplomacy.rules.facts import FACTS

    text = (Path(__file__).parents[2] / "docs" / "rules.md").read_text()
    missing = [name for name in FACTS if f"`{name}`" not in text]
    assert missing == []
