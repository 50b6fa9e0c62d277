"""Exports: one type as CSV or JSON, or the whole workspace; lossless round trips; visibility."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest

from citydiplomacy.domain import RECORD_TYPES
from citydiplomacy.domain.vocab import Confidentiality
from citydiplomacy.services.exports import export_records, export_workspace
from citydiplomacy.services.imports import import_data, import_file
from citydiplomacy.services.registry import create_workspace

from ..fixtures.database import unique
from .import_helpers import SAMPLE_WORKSPACE, counts

PLURALS = [t.plural for t in RECORD_TYPES]


def fresh_workspace(engine, actor) -> str:
    slug = unique("ws")
    create_workspace(
        engine, {"slug": slug, "name": slug, "country_code": "US", "timezone": "America/Los_Angeles"}, actor
    )
    return slug


def export_text(engine, workspace, plural, fmt, actor) -> str:
    out = io.StringIO()
    export_records(engine, workspace, plural, fmt, out, actor)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_every_record_type_survives_export_import_export_unchanged(engine, workspace, actor, fmt):
    import_file(engine, workspace, SAMPLE_WORKSPACE, actor)
    first = {plural: export_text(engine, workspace, plural, fmt, actor) for plural in PLURALS}
    copy = fresh_workspace(engine, actor)

    for plural in PLURALS:  # dependency order: each file's refs exist when it is imported
        report = import_data(engine, copy, first[plural].encode("utf-8"), f"{plural}.{fmt}", actor)
        assert report.total("inserted") == len(json.loads(export_text(engine, workspace, plural, "json", actor)))

    second = {plural: export_text(engine, copy, plural, fmt, actor) for plural in PLURALS}
    for plural in PLURALS:
        assert second[plural] == first[plural], f"{plural} changed in the {fmt} round trip"
    assert all(first[p] for p in PLURALS)
    # and importing the export back where it came from changes nothing
    for plural in PLURALS:
        again = import_data(engine, workspace, first[plural], f"{plural}.{fmt}", actor)
        assert again.total("inserted") == again.total("updated") == 0


def test_the_csv_export_uses_the_import_conventions(engine, workspace, actor):
    import_file(engine, workspace, SAMPLE_WORKSPACE, actor)

    places = export_text(engine, workspace, "places", "csv", actor)
    engagements = export_text(engine, workspace, "engagements", "csv", actor)

    assert places.startswith("\ufeffref,confidentiality,source,notes,kind,name,")  # header = field names
    assert "LA; Ciudad de Los Ángeles" in places  # simple list: ;-separated
    assert '"[""Sampa; SP"", ""Cidade de São Paulo""]"' in places  # an item containing ';' -> JSON array
    assert '""person"": ""maria-lopez"", ""side"": ""ours""}' in engagements  # nested objects: JSON, no nulls
    assert "\r\n" in engagements  # RFC 4180 line ends


def test_the_workspace_export_reimports_in_one_go(engine, workspace, actor):
    import_file(engine, workspace, SAMPLE_WORKSPACE, actor)
    out = io.StringIO()

    written = export_workspace(engine, workspace, out, actor)

    assert list(written) == PLURALS and sum(written.values()) == 22
    copy = fresh_workspace(engine, actor)
    report = import_data(engine, copy, out.getvalue(), "backup.json", actor)
    assert report.total("inserted") == 22
    again = io.StringIO()
    export_workspace(engine, copy, again, actor)
    assert again.getvalue() == out.getvalue()
    assert list(json.loads(out.getvalue())) == PLURALS


def test_confidential_records_are_never_exported_to_someone_who_cannot_see_them(engine, workspace, actor, tmp_path):
    import_file(engine, workspace, SAMPLE_WORKSPACE, actor)
    intern = replace(actor, name="intern", visible=(Confidentiality.public, Confidentiality.internal))

    partners = json.loads(export_text(engine, workspace, "partners", "json", intern))
    csv_text = export_text(engine, workspace, "engagements", "csv", intern)
    path = tmp_path / "everything.json"
    export_workspace(engine, workspace, path, intern)

    assert "sensitive-contact" not in {p["ref"] for p in partners} and len(partners) == 4
    assert "Confidential meeting" not in csv_text and "2024-03-15-courtesy-call" in csv_text
    everything = path.read_text(encoding="utf-8")
    assert "confidential" not in {r["confidentiality"] for rs in json.loads(everything).values() for r in rs}
    assert not list(tmp_path.glob(".*.part"))  # written to a temporary file, then renamed


def test_an_export_streams_in_batches_and_writes_to_a_binary_stream(engine, workspace, actor):
    rows = [{"ref": f"person-{i:04d}", "name": f"Person {i}"} for i in range(2500)]
    import_data(engine, workspace, json.dumps(rows), "people.json", actor)
    out = io.BytesIO()

    count = export_records(engine, workspace, "people", "csv", out, actor)

    assert count == 2500
    lines = out.getvalue().decode("utf-8-sig").splitlines()
    assert len(lines) == 2501 and lines[1].startswith("person-0000,") and lines[-1].startswith("person-2499,")
    assert counts(engine, workspace)["people"] == 2500


FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]


def test_a_csv_export_writes_formulas_as_text_and_imports_them_back_unchanged(engine, workspace, actor):
    """OWASP's CSV injection: a partner named '=HYPERLINK(…)' must not run in a spreadsheet."""
    from citydiplomacy.adapters.db.repository import ListQuery
    from citydiplomacy.services.registry import list_records, save_record

    for n, name in enumerate(FORMULAS):
        save_record(
            engine,
            workspace,
            "partners",
            {"ref": f"formula-{n}", "name": name, "kind": "company", "other_names": ["-1+2", "'=quoted"]},
            actor,
        )
    save_record(
        engine,
        workspace,
        "places",
        {
            "ref": "sydney",
            "kind": "city",
            "name": "Sydney",
            "country_code": "AU",
            "latitude": -33.8688,
            "longitude": 151.2093,
        },
        actor,
    )
    out = io.StringIO()
    export_records(engine, workspace, "partners", "csv", out, actor)
    cells = [cell for row in csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")], "every formula is written as text"
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    places = io.StringIO()
    export_records(engine, workspace, "places", "csv", places, actor)
    assert "-33.8688" in places.getvalue() and "'-33.8688" not in places.getvalue(), "numbers stay numbers"

    raw = io.StringIO()
    export_records(engine, workspace, "partners", "csv", raw, actor, raw=True)
    assert '"=HYPERLINK(""http://evil.example"",""click"")"' in raw.getvalue()

    again = fresh_workspace(engine, actor)
    report = import_data(engine, again, out.getvalue(), "partners.csv", actor)
    assert not report.problems
    names = {
        p.ref: (p.name, p.other_names)
        for p in list_records(engine, again, "partners", ListQuery(per_page=50), actor).items
    }
    assert names["formula-0"] == (FORMULAS[0], ["-1+2", "'=quoted"])
    assert {names[f"formula-{n}"][0] for n in range(3)} == set(FORMULAS)
