"""Bad import files: every problem is named (file, line, field) and nothing is written."""

from __future__ import annotations

import json

import pytest

from citydiplomacy.domain import InvalidInput
from citydiplomacy.services.imports import import_data, import_file, import_ics

from .import_helpers import DATA, SAMPLE_WORKSPACE, counts


@pytest.fixture
def stocked(engine, workspace, actor):
    """A workspace with the sample records, so refs to them resolve."""
    import_file(engine, workspace, SAMPLE_WORKSPACE, actor)
    return workspace


def refused(engine, workspace, call) -> list:
    """Run an import that must be refused; check it wrote nothing and return its problems."""
    before = counts(engine, workspace)
    with pytest.raises(InvalidInput) as caught:
        call()
    assert counts(engine, workspace) == before, "a refused import wrote something"
    assert "nothing was written" in str(caught.value)
    return caught.value.problems


def test_an_unknown_column_is_named(engine, stocked, actor):
    csv_text = "ref,title,kind,start,venue\n2025-01-10-x,X,meeting,2025-01-10T10:00:00,City Hall\n"

    problems = refused(engine, stocked, lambda: import_data(engine, stocked, csv_text, "engagements.csv", actor))

    assert len(problems) == 1
    problem = problems[0]
    assert (problem.file, problem.line, problem.field) == ("engagements.csv", 1, "venue")
    assert "unknown column 'venue' (column 5)" in problem.message and "venue_name" in problem.message


def test_a_bad_value_names_file_line_and_field_and_the_good_rows_are_not_written(engine, stocked, actor):
    problems = refused(engine, stocked, lambda: import_file(engine, stocked, DATA / "engagements-bad-kind.csv", actor))

    by_field = {p.field: p for p in problems}
    assert set(by_field) == {"kind", "start"}
    kind = by_field["kind"]
    assert (kind.file, kind.line, kind.value) == ("engagements-bad-kind.csv", 3, "lunch")
    assert str(kind).startswith("engagements-bad-kind.csv, line 3, field 'kind': ")
    assert "meeting" in kind.message  # says what is expected
    start = by_field["start"]
    assert (start.line, start.value) == (4, "2025-13-45T10:00:00")


def test_a_bad_value_in_json_names_the_line_of_the_field(engine, stocked, actor):
    text = json.dumps(
        {
            "engagements": [
                {"ref": "2025-01-10-a", "title": "A", "kind": "meeting", "start": "2025-01-10T10:00:00"},
                {
                    "ref": "2025-01-11-b",
                    "title": "B",
                    "kind": "meeting",
                    "start": "2025-01-11T10:00:00",
                    "sdgs": [3, 18],
                },
            ]
        },
        indent=2,
    )
    sdgs_line = next(i for i, line in enumerate(text.splitlines(), 1) if '"sdgs"' in line)

    problems = refused(engine, stocked, lambda: import_data(engine, stocked, text, "backup.json", actor))

    assert [(p.file, p.line, p.field.split(".")[0]) for p in problems] == [("backup.json", sdgs_line, "sdgs")]
    assert "18" in problems[0].message


def test_an_unknown_ref_is_named_unless_the_file_creates_it(engine, workspace, actor):
    rows = [
        {"ref": "yuki", "name": "Yuki Tanaka"},
    ]
    engagements = [
        {
            "ref": "2025-01-10-a",
            "title": "A",
            "kind": "meeting",
            "start": "2025-01-10T10:00:00",
            "participants": [{"person": "yuki", "side": "theirs"}],
            "partners": ["nobody-we-know"],
        },
    ]
    text = json.dumps({"people": rows, "engagements": engagements}, indent=2)
    partners_line = next(i for i, line in enumerate(text.splitlines(), 1) if '"partners"' in line)

    problems = refused(engine, workspace, lambda: import_data(engine, workspace, text, "mixed.json", actor))

    assert len(problems) == 1  # 'yuki' is created by the same file: known
    problem = problems[0]
    assert (problem.field, problem.line, problem.value) == ("partners[0]", partners_line, "nobody-we-know")
    assert "no partner with ref 'nobody-we-know'" in problem.message


def test_duplicate_refs_in_a_file_are_refused(engine, workspace, actor):
    csv_text = (
        "ref,name,kind\n"
        "city-of-x,City of X,city\n"
        "city-of-y,City of Y,city\n"
        "city-of-x,City of X again,city\n"
        ",Same Name,city\n"
        ",Same Name,city\n"
    )

    problems = refused(engine, workspace, lambda: import_data(engine, workspace, csv_text, "partners.csv", actor))

    assert [(p.line, p.field, p.value) for p in problems] == [(4, "ref", "city-of-x"), (6, "ref", "same-name")]
    assert "first at line 2" in problems[0].message
    assert "derived" in problems[1].message


def test_malformed_json_gives_the_parser_line_and_column(engine, stocked, actor):
    problems = refused(
        engine, stocked, lambda: import_file(engine, stocked, DATA / "engagements-malformed.json", actor)
    )

    assert len(problems) == 1
    assert problems[0].line == 3
    assert "line 3, column" in problems[0].message and "not valid JSON" in problems[0].message


def test_a_truncated_csv_with_an_unbalanced_quote(engine, stocked, actor):
    problems = refused(engine, stocked, lambda: import_file(engine, stocked, DATA / "engagements-truncated.csv", actor))

    assert [(p.file, p.line) for p in problems] == [("engagements-truncated.csv", 2)]
    assert "never closed" in problems[0].message


def test_a_file_that_is_not_utf8_gets_a_clear_message(engine, stocked, actor):
    problems = refused(engine, stocked, lambda: import_file(engine, stocked, DATA / "partners-latin1.csv", actor))

    assert len(problems) == 1
    assert problems[0].line == 2
    assert "not UTF-8" in problems[0].message and "0xfc" in problems[0].message
    assert "CSV UTF-8" in problems[0].message  # how to fix it


@pytest.mark.parametrize(
    "name, content",
    [
        ("engagements.csv", b""),
        ("engagements.json", b"  \n"),
        ("calendar.ics", b""),
    ],
)
def test_an_empty_file(engine, stocked, actor, name, content):
    problems = refused(engine, stocked, lambda: import_data(engine, stocked, content, name, actor))

    assert len(problems) == 1 and "empty" in problems[0].message and problems[0].file == name


def test_a_calendar_file_that_is_not_icalendar(engine, stocked, actor):
    problems = refused(engine, stocked, lambda: import_ics(engine, stocked, DATA / "not-a-calendar.ics", actor))

    assert len(problems) == 1
    assert problems[0].file == "not-a-calendar.ics"
    assert "not iCalendar" in problems[0].message and "BEGIN:VCALENDAR" in problems[0].message


@pytest.mark.parametrize(
    "text, line, expected",
    [
        ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nEND:VCALENDAR\n", None, "cannot be read"),
        (
            "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:x\nDTSTART:2025XX01\nEND:VEVENT\nEND:VCALENDAR\n",
            3,
            "DTSTART cannot be read: Wrong date format 2025XX01",
        ),
        (
            "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:x\nSUMMARY:No start\nEND:VEVENT\nEND:VCALENDAR\n",
            3,
            "'No start' has no start (DTSTART)",
        ),
    ],
)
def test_a_calendar_that_breaks_inside(engine, stocked, actor, text, line, expected):
    problems = refused(
        engine, stocked, lambda: import_ics(engine, stocked, text.encode(), actor, file_name="broken.ics")
    )

    assert len(problems) == 1
    assert problems[0].file == "broken.ics" and problems[0].line == line
    assert expected in problems[0].message


def test_a_file_name_that_names_no_record_type(engine, stocked, actor):
    problems = refused(engine, stocked, lambda: import_data(engine, stocked, "ref,name\n", "export.csv", actor))

    assert "cannot tell the record type" in problems[0].message and "engagements-2024.csv" in problems[0].message


def test_a_bare_json_list_of_the_wrong_shape(engine, stocked, actor):
    problems = refused(
        engine,
        stocked,
        lambda: import_data(engine, stocked, '{"engagments": [], "people": {"ref": "x"}}', "backup.json", actor),
    )

    assert [(p.line, p.field) for p in problems] == [(1, "engagments"), (1, "people")]
    assert "unknown record type 'engagments'" in problems[0].message
    assert "must be a list" in problems[1].message


def test_a_json_file_nested_thousands_of_levels_deep_is_refused_with_a_message(engine, workspace, actor):
    from citydiplomacy.domain import InvalidInput
    from citydiplomacy.services.imports import import_data

    deep = '{"partners": ' + "[" * 5000 + "]" * 5000 + "}"
    with pytest.raises(InvalidInput) as refused:
        import_data(engine, workspace, deep, "deep.json", actor)
    (problem,) = refused.value.problems
    assert problem.file == "deep.json" and "nests lists or objects too deeply" in problem.message
