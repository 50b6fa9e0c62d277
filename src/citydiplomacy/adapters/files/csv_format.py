"""CSV: one record type per file, one record per row, the header row names the fields.

Cell conventions (the same for reading and writing, so a round trip is lossless):

- an empty cell means the field is absent (its default applies);
- simple lists (``partners``, ``topics``, ``sdgs``, ``other_names``, ``alternate_names``)
  are ``;``-separated: ``trade; climate``. A list whose items contain ``;`` is written
  as a JSON array (``["A; B", "C"]``), which is also accepted on reading;
- lists of objects (``participants``, ``follow_ups``, ``parties``, ``documents``) and
  dicts (``identifiers``) are JSON text: ``[{"person": "jane-doe", "side": "ours"}]``;
- booleans are ``true``/``false``; dates and times are ISO 8601, as in the JSON API.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from typing import Any, TextIO, get_args, get_origin

from pydantic import BaseModel

from ...domain import Problem, Record
from .text import RawRow

SCALAR, SIMPLE_LIST, JSON_CELL = "scalar", "list", "json"

__all__ = ["JSON_CELL", "SCALAR", "SIMPLE_LIST", "column_kinds", "columns", "read_csv", "write_csv"]


def column_kinds(model: type[Record]) -> dict[str, str]:
    """Field name -> how its cell is written, in the model's field order."""
    kinds = {}
    for name, info in model.model_fields.items():
        origin = get_origin(info.annotation)
        if origin is list:
            (item,) = get_args(info.annotation)
            nested = isinstance(item, type) and issubclass(item, BaseModel)
            kinds[name] = JSON_CELL if nested else SIMPLE_LIST
        elif origin is dict:
            kinds[name] = JSON_CELL
        else:
            kinds[name] = SCALAR
    return kinds


def columns(model: type[Record]) -> list[str]:
    return list(model.model_fields)


# -- reading ---------------------------------------------------------------------------


def read_csv(text: str, file_name: str, plural: str, model: type[Record]) -> tuple[list[RawRow], list[Problem]]:
    """Rows of a CSV file (text already decoded), each with its physical line number."""
    problems: list[Problem] = []
    if not text.strip():
        return [], [
            Problem(
                "the file is empty; the first row must name the columns (for example: ref,title,kind,start)",
                file=file_name,
            )
        ]
    kinds = column_kinds(model)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[RawRow] = []
    header: list[str] | None = None
    unnamed: set[int] = set()
    last_line = 0
    try:
        for cells in reader:
            start_line, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # blank line
            if header is None:
                header, unnamed, header_problems = _check_header(cells, kinds, file_name, start_line)
                if header_problems:
                    return [], header_problems
                continue
            data, row_problems = _decode_row(cells, header, unnamed, kinds, file_name, start_line)
            problems.extend(row_problems)
            rows.append(RawRow(plural=plural, data=data, line=start_line, index=len(rows)))
    except csv.Error as error:
        line = last_line + 1
        if "unexpected end of data" in str(error):
            message = (
                'a quoted cell that starts on this line is never closed (unbalanced "): the file may be '
                'truncated, or a quote inside a cell is not doubled ("")'
            )
        else:
            message = f'the row cannot be read ({error}); a quote inside a cell must be doubled ("")'
        problems.append(Problem(message, file=file_name, line=line))
    if header is None and not problems:
        problems.append(Problem("the file has no header row naming the columns", file=file_name))
    return rows, problems


def _check_header(cells: list[str], kinds: dict[str, str], file_name: str, line: int):
    header = [cell.strip() for cell in cells]
    problems = []
    unnamed = {i for i, name in enumerate(header) if not name}
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if not name:
            continue
        if name not in kinds:
            problems.append(
                Problem(
                    f"unknown column '{name}' (column {position}); the columns of this record type are: {', '.join(kinds)}",
                    field=name,
                    file=file_name,
                    line=line,
                    value=name,
                )
            )
        elif name in seen:
            problems.append(
                Problem(f"column '{name}' appears twice in the header", field=name, file=file_name, line=line)
            )
        seen.add(name)
    return header, unnamed, problems


def _decode_row(cells, header, unnamed, kinds, file_name, line) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
        problems.append(
            Problem(
                f"the row has {len(cells)} cells but the header names {len(header)} columns; a cell may contain an "
                "unquoted comma (put quotes around cells that contain commas)",
                file=file_name,
                line=line,
            )
        )
    data: dict[str, Any] = {}
    for position, name in enumerate(header):
        cell = cells[position] if position < len(cells) else ""
        if position in unnamed:
            if cell.strip():
                problems.append(
                    Problem(
                        f"column {position + 1} has a value but no name in the header; name the column or empty it",
                        file=file_name,
                        line=line,
                        value=cell,
                    )
                )
            continue
        if not cell.strip():
            continue
        try:
            data[name] = decode_cell(cell, kinds[name])
        except ValueError as error:
            problems.append(Problem(str(error), field=name, file=file_name, line=line, value=cell))
    return data, problems


#: A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def escape_formula(text: str) -> str:
    """``=HYPERLINK(…)`` is written ``'=HYPERLINK(…)`` so that a spreadsheet shows it as text.
    Plain numbers ('-33.86') are left alone; a value that itself starts with a quote before
    such a character gets one more quote, so :func:`unescape_formula` gives back every value."""
    if not text:
        return text
    if text[0] in FORMULA_START and not _NUMBER.match(text):
        return "'" + text
    if text[0] == "'" and len(text) > 1 and (text[1] in FORMULA_START or text[1] == "'"):
        return "'" + text
    return text


def unescape_formula(text: str) -> str:
    """The value :func:`escape_formula` was given."""
    if len(text) > 1 and text[0] == "'" and (text[1] in FORMULA_START or text[1] == "'"):
        return text[1:]
    return text


def decode_cell(cell: str, kind: str) -> Any:
    cell = unescape_formula(cell)
    text = cell.strip()
    if kind == SIMPLE_LIST:
        if text.startswith("["):
            value = _json(text, 'a JSON array like ["a", "b"], or items separated by ";"')
            if not isinstance(value, list):
                raise ValueError("expected a list")
            return value
        return [item.strip() for item in text.split(";") if item.strip()]
    if kind == JSON_CELL:
        return _json(text, 'JSON text, for example [{"person": "jane-doe", "side": "ours"}] or {"wikidata": "Q65"}')
    return cell


def _json(text: str, expected: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"is not valid JSON ({error.msg} at character {error.pos + 1}); expected {expected}") from None


# -- writing ---------------------------------------------------------------------------


def encode_cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == SIMPLE_LIST:
        items = [str(v) for v in value]
        plain = "; ".join(items)
        if any(";" in i or i != i.strip() or not i for i in items) or plain.startswith("["):
            return json.dumps(items, ensure_ascii=False)
        return plain
    if kind == JSON_CELL:
        return json.dumps(_without_nulls(value), ensure_ascii=False) if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _without_nulls(value: Any) -> Any:
    """Nested objects without their empty (null) fields: shorter cells, same meaning."""
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    return value


def write_csv(
    records: Iterable[Record], model: type[Record], out: TextIO, *, bom: bool = True, raw: bool = False
) -> int:
    """Write a header and one row per record; returns the number of rows.

    ``bom``: start with a UTF-8 byte-order mark so that Excel reads accents correctly.
    Cells a spreadsheet would run as formulas are written as text (see :func:`escape_formula`;
    the import reads them back unchanged); ``raw`` writes every value exactly as stored."""
    escape = (lambda text: text) if raw else escape_formula
    kinds = column_kinds(model)
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(list(kinds))
    count = 0
    for record in records:
        data = record.model_dump(mode="json")
        writer.writerow([escape(encode_cell(data.get(name), kind)) for name, kind in kinds.items()])
        count += 1
    return count
