"""Our record is ours: the world's twin list is read beside a workspace, never counted as its own.

Los Angeles's register holds Los Angeles's agreements. Loading the world's 26,114 twin pairs
(the copy the package ships) changes neither the register's count, nor what search finds, nor
what an export holds; and a database that still holds copies from earlier versions loses them
on upgrade, with an audit entry each, keeping everything a person touched.
"""

from __future__ import annotations

import io
import json

import pytest
from typer.testing import CliRunner

from citydiplomacy import migrations
from citydiplomacy.adapters.db import audit
from citydiplomacy.adapters.db.engine import make_engine
from citydiplomacy.adapters.db.repository import ListQuery
from citydiplomacy.bootstrap import open_database
from citydiplomacy.cli.main import app
from citydiplomacy.demo import build_demo, load_demo
from citydiplomacy.demo.build import TWIN_TOWNS_FILE
from citydiplomacy.services import atlas, exports, registry, search
from citydiplomacy.services.registry import Actor
from tests.fixtures.database import BACKENDS, PostgresDatabase

#: A handful of the list's real rows: enough for the demo not to load the whole list itself.
SAMPLE = """city1,country1,city2,country2
Busan,South Korea,Kaohsiung,Taiwan
Seoul,South Korea,Mexico City,Mexico
Los Angeles,United States,Busan,South Korea
"""

STAFF = Actor(name="staff", interface="python")


@pytest.fixture(params=BACKENDS)
def fresh_url(request, tmp_path):
    """A database of its own: the twin list is shared by every workspace of a database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ours.sqlite3'}"
    else:
        database = PostgresDatabase()
        yield database.create()
        database.drop()


def snapshot(engine, slug) -> dict:
    register = registry.list_records(engine, slug, "agreements", ListQuery(per_page=500), STAFF)
    found = {
        q: [(h.plural, [item.ref for item in h.items], h.total) for h in search.search(engine, slug, q, STAFF)]
        for q in ("Seoul", "Kaohsiung", "sister", "Busan")
    }
    out = io.StringIO()
    exports.export_records(engine, slug, "agreements", "csv", out, STAFF)
    whole = io.StringIO()
    exports.export_workspace(engine, slug, whole, STAFF)
    return {
        "count": register.total,
        "refs": sorted(a.ref for a in register.items),
        "search": found,
        "export": out.getvalue(),
        "workspace": json.loads(whole.getvalue()),
    }


def test_importing_the_world_twin_list_leaves_our_register_search_and_exports_unchanged(fresh_url, tmp_path):
    engine = open_database(fresh_url)
    try:
        sample = tmp_path / "sample.csv"
        sample.write_text(SAMPLE, encoding="utf-8")
        atlas.import_twins(engine, sample, STAFF)
        build_demo(engine, slug="los-angeles")
        before = snapshot(engine, "los-angeles")
        assert before["count"] == len(load_demo().records["agreements"])
        assert not any(ref.startswith("twin:") for ref in before["refs"])

        result = CliRunner().invoke(
            app,
            ["atlas", "import-twins", str(TWIN_TOWNS_FILE), "--report", str(tmp_path / "r.csv"), "-d", fresh_url],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        assert atlas.twin_report(engine, per_page=1).total > 15_000  # distinct names of 26,111 pairs
        assert snapshot(engine, "los-angeles") == before
        # the list is there to read beside the record: Seoul's ties include Mexico City
        assert "Mexico City" in {tie.name for tie in atlas.reference_ties(engine, 1835848)}
    finally:
        engine.dispose()


TWIN_SOURCE = (
    "Wikipedia contributors, 'List of twin towns and sister cities' pages (CC BY-SA 4.0), "
    "as collected by the Hekman/twincities project (MIT); line 7 of the imported list"
)


def test_upgrading_removes_the_copies_nobody_touched_and_keeps_what_people_entered(fresh_url):
    engine = open_database(fresh_url)
    try:
        registry.create_workspace(
            engine, {"slug": "ws", "name": "City of Los Angeles", "country_code": "US", "timezone": "UTC"}, STAFF
        )

        def save(plural, data):
            registry.save_record(engine, "ws", plural, data, STAFF)

        place_source = TWIN_SOURCE.split("; line")[0]
        for gid, name, cc in ((1835848, "Seoul", "KR"), (3530597, "Mexico City", "MX"), (1668341, "Taipei", "TW")):
            save(
                "places",
                {"ref": f"geonames:{gid}", "kind": "city", "name": name, "country_code": cc, "source": place_source},
            )
        copy = {"kind": "sister_city", "status": "dormant", "confidentiality": "public", "source": TWIN_SOURCE}
        save(
            "agreements",
            copy
            | {
                "ref": "twin:1835848-3530597",
                "title": "Sister cities: Seoul – Mexico City",
                "parties": [{"place": "geonames:1835848"}, {"place": "geonames:3530597"}],
            },
        )
        save(
            "agreements",
            copy
            | {
                "ref": "twin:1668341-5368361",
                "title": "Sister cities: Taipei – Los Angeles",
                "parties": [{"us": True}, {"place": "geonames:1668341"}],
            },
        )
        # somebody confirmed the Taipei tie and wrote why: it is the office's record now
        registry.update_record(
            engine, "ws", "agreements", "twin:1668341-5368361", {"notes": "Confirmed by the protocol office."}, STAFF
        )

        migrations.downgrade(engine, "0006_atlas")
        migrations.upgrade(engine)

        refs = {a.ref for a in registry.list_records(engine, "ws", "agreements", ListQuery(), STAFF).items}
        assert refs == {"twin:1668341-5368361"}
        places = {p.ref for p in registry.list_records(engine, "ws", "places", ListQuery(), STAFF).items}
        assert places == {"geonames:1668341"}  # Taipei is still a party to the kept agreement
        removed = registry.audit_history(engine, "ws", STAFF)
        deletions = {(e.record_type, e.record_ref) for e in removed if e.action == "delete"}
        assert deletions == {
            ("agreement", "twin:1835848-3530597"),
            ("place", "geonames:1835848"),
            ("place", "geonames:3530597"),
        }
        with make_engine(fresh_url).connect() as conn:
            _checked, breaks = audit.verify(conn)
        assert breaks == []
    finally:
        engine.dispose()
