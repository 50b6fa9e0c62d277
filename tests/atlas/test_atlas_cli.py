"""`citydip atlas …` end to end on a fresh SQLite file: import with report, pick, metrics,
path, suggest and map export."""

from __future__ import annotations

import csv

from typer.testing import CliRunner

from citydiplomacy.cli.main import app

runner = CliRunner()


def said(result) -> str:
    """The output with line wrapping undone."""
    return " ".join(result.output.split())


def test_the_atlas_commands_from_import_to_map(tmp_path, twin_sample):
    db = f"sqlite:///{tmp_path / 'atlas.sqlite3'}"
    report = tmp_path / "report.csv"

    result = runner.invoke(app, ["demo", "--no-serve", "--database", db])
    assert result.exit_code == 0, result.output

    result = runner.invoke(
        app,
        [
            "atlas",
            "import-twins",
            str(twin_sample),
            "--report",
            str(report),
            "--database",
            db,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "distinct names" in said(result) and "copied" not in said(result)
    with report.open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == [
            "input_name",
            "input_country",
            "status",
            "geonames_id",
            "resolved_name",
            "admin1",
            "country_code",
            "latitude",
            "longitude",
            "score",
            "reason",
        ]

    result = runner.invoke(app, ["atlas", "pick", "Nerekhtsky District", "Russia", "522594", "--database", db])
    assert result.exit_code == 0, result.output
    assert "Nerekhta" in said(result) and "was ambiguous" in said(result)

    result = runner.invoke(app, ["atlas", "path", "Kaohsiung", "--database", db, "-w", "los-angeles"])
    assert result.exit_code == 0, result.output
    assert "Busan" in said(result) and "Wikipedia" in said(result)

    result = runner.invoke(
        app,
        ["atlas", "suggest", "a sister city in West Africa", "--database", db, "-w", "los-angeles", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    assert '"region": "Western Africa"' in result.output and '"reasons"' in result.output

    result = runner.invoke(app, ["atlas", "metrics", "--database", db, "-w", "los-angeles", "--top", "3"])
    assert result.exit_code == 0, result.output
    assert "communities" in said(result) and "Ties between regions" in said(result)

    svg = tmp_path / "map.svg"
    result = runner.invoke(app, ["atlas", "map", "--out", str(svg), "--database", db, "-w", "los-angeles"])
    assert result.exit_code == 0, result.output
    assert svg.read_text(encoding="utf-8").startswith("<svg")

    result = runner.invoke(app, ["atlas", "map", "--out", str(tmp_path / "map.gif"), "--database", db])
    assert result.exit_code != 0 and ".svg or .png" in said(result)


def test_a_broken_list_is_refused_with_the_line(tmp_path):
    db = f"sqlite:///{tmp_path / 'atlas.sqlite3'}"
    bad = tmp_path / "bad.csv"
    bad.write_text("city1,country1,city2,country2\nBerat,Albania,,Italy\n", encoding="utf-8")
    result = runner.invoke(
        app, ["atlas", "import-twins", str(bad), "--report", str(tmp_path / "r.csv"), "--database", db]
    )
    assert result.exit_code == 2
    assert "line 2" in said(result) and "city2" in said(result) and "nothing was written" in said(result)
