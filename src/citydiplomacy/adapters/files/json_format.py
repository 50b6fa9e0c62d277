"""JSON: records exactly as the API shows them (``model_dump(mode="json")``).

Two shapes are read:

- ``{"places": [...], "partners": [...], "engagements": [...]}`` - several record types;
- ``[...]`` - a bare list of one record type (named by the caller or the file name).

Each record keeps the line its object starts on (and the lines of its top-level
fields), so messages can say "engagements.json, line 42, field 'kind'".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TextIO

from ...domain import RECORD_TYPES, RECORD_TYPES_BY_PLURAL, Problem, Record
from .text import RawRow

__all__ = ["JsonSectionsWriter", "key_lines", "read_json", "write_json_list"]

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class _Lines:
    """Offsets -> line numbers, for offsets visited in increasing order."""

    def __init__(self, text: str):
        self.text, self.offset, self.line = text, 0, 1

    def at(self, offset: int) -> int:
        if offset < self.offset:
            return self.text.count("\n", 0, offset) + 1
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def read_json(text: str, file_name: str, plural: str | None) -> tuple[list[RawRow], list[Problem]]:
    """Rows of a JSON file. ``plural`` is needed for a bare list and is otherwise a check."""
    if not text.strip():
        return [], [
            Problem('the file is empty; expected a JSON list of records or {"engagements": [...]}', file=file_name)
        ]
    try:
        json.loads(text)
    except RecursionError:
        return [], [
            Problem(
                "the file nests lists or objects too deeply to be records (a record is at most a few levels deep)",
                file=file_name,
            )
        ]
    except json.JSONDecodeError as error:
        return [], [
            Problem(
                f"the file is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
                file=file_name,
                line=error.lineno,
            )
        ]
    lines = _Lines(text)
    pos = _skip(text, 0)
    if text[pos] == "[":
        if plural is None:
            return [], [
                Problem(
                    "the file is a bare list, so the record type must be given (or name the file after it, "
                    'e.g. engagements.json), or wrap it: {"engagements": [...]}',
                    file=file_name,
                )
            ]
        rows: list[RawRow] = []
        problems: list[Problem] = []
        _read_list(text, pos, plural, file_name, lines, problems, rows)
        return rows, problems
    if text[pos] != "{":
        return [], [
            Problem('expected a JSON list of records or an object like {"engagements": [...]}', file=file_name, line=1)
        ]
    return _read_sections(text, pos, plural, file_name, lines)


def _skip(text: str, pos: int) -> int:
    return _SPACE.match(text, pos).end()


def _read_sections(text, pos, plural, file_name, lines):
    rows: list[RawRow] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    pos = _skip(text, pos + 1)
    while text[pos] != "}":
        key_line = lines.at(pos)
        key, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, _skip(text, pos) + 1)  # past ':'
        if key in RECORD_TYPES_BY_PLURAL and key not in seen and text[pos] == "[" and plural in (None, key):
            pos = _read_list(text, pos, key, file_name, lines, problems, rows)
            seen.add(key)
            pos = _skip(text, pos)
            if text[pos] == ",":
                pos = _skip(text, pos + 1)
            continue
        _value, pos = _DECODER.raw_decode(text, pos)
        if key not in RECORD_TYPES_BY_PLURAL:
            problems.append(
                Problem(
                    f"unknown record type '{key}'; the keys are record types: {', '.join(t.plural for t in RECORD_TYPES)}",
                    file=file_name,
                    line=key_line,
                    field=key,
                )
            )
        elif plural is not None and key != plural:
            problems.append(
                Problem(
                    f"the file holds '{key}' but '{plural}' were chosen for this import",
                    file=file_name,
                    line=key_line,
                    field=key,
                )
            )
        elif key in seen:
            problems.append(
                Problem(f"'{key}' appears twice; put all {key} in one list", file=file_name, line=key_line, field=key)
            )
        else:
            problems.append(
                Problem(f"the value of '{key}' must be a list of records", file=file_name, line=key_line, field=key)
            )
        seen.add(key)
        pos = _skip(text, pos)
        if text[pos] == ",":
            pos = _skip(text, pos + 1)
    return rows, problems


def _read_list(text, pos, plural, file_name, lines, problems, rows) -> int:
    """Append the records of the list starting at ``pos``; returns the offset after it."""
    index = 0
    pos = _skip(text, pos + 1)
    while text[pos] != "]":
        start = pos
        item, pos = _DECODER.raw_decode(text, pos)
        line = lines.at(start)
        if isinstance(item, dict):
            rows.append(
                RawRow(plural=plural, data=item, line=line, index=index, locate=_locator(text, start, pos, line))
            )
        else:
            problems.append(
                Problem(
                    f"item {index + 1} of '{plural}' is not a record (a JSON object {{...}})", file=file_name, line=line
                )
            )
        index += 1
        pos = _skip(text, pos)
        if text[pos] == ",":
            pos = _skip(text, pos + 1)
    return pos + 1


def _locator(text: str, start: int, end: int, line: int):
    found: dict[str, int] | None = None

    def locate(key: str) -> int | None:
        nonlocal found
        if found is None:  # computed only when a message needs it
            found = key_lines(text, start, end, line)
        return found.get(key)

    return locate


def key_lines(text: str, start: int, end: int, line: int) -> dict[str, int]:
    """Lines of the keys of the JSON object text[start:end] (top level only)."""
    out: dict[str, int] = {}
    depth, pos, expect_key = 0, start, False
    while pos < end:
        char = text[pos]
        if char == '"':
            string_end = pos + 1
            while text[string_end] != '"':
                string_end += 2 if text[string_end] == "\\" else 1
            if depth == 1 and expect_key:
                out.setdefault(json.loads(text[pos : string_end + 1]), line)
                expect_key = False
            pos = string_end + 1
            continue
        if char == "\n":
            line += 1
        elif char in "{[":
            depth += 1
            expect_key = depth == 1 and char == "{"
        elif char in "}]":
            depth -= 1
        elif char == "," and depth == 1:
            expect_key = True
        pos += 1
    return out


# -- writing ---------------------------------------------------------------------------


def _dump(record: Record, indent: str) -> str:
    body = json.dumps(record.model_dump(mode="json"), indent=2, ensure_ascii=False)
    return "\n".join(indent + line for line in body.splitlines())


def write_json_list(records: Iterable[Record], out: TextIO) -> int:
    """A bare JSON list, one record after another (streamed, never all in memory)."""
    count = 0
    out.write("[")
    for record in records:
        out.write(",\n" if count else "\n")
        out.write(_dump(record, "  "))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


class JsonSectionsWriter:
    """``{"places": [...], "partners": [...]}``, written section by section."""

    def __init__(self, out: TextIO):
        self.out, self.sections = out, 0

    def section(self, plural: str, records: Iterable[Record]) -> int:
        self.out.write(",\n" if self.sections else "{\n")
        self.out.write(f"  {json.dumps(plural)}: [")
        count = 0
        for record in records:
            self.out.write(",\n" if count else "\n")
            self.out.write(_dump(record, "    "))
            count += 1
        self.out.write("\n  ]" if count else "]")
        self.sections += 1
        return count

    def close(self) -> None:
        self.out.write("\n}\n" if self.sections else "{}\n")
