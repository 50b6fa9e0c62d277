"""What every import file shares: UTF-8 decoding, raw rows, guessing type and format from the name."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from ...domain import RECORD_TYPES, InvalidInput, Problem

FORMATS = ("csv", "json", "ics")


@dataclass
class RawRow:
    """One record as read from a file, before validation."""

    plural: str
    data: dict[str, Any]
    line: int | None
    #: Position among the file's records of this type (0-based), for messages when no line is known.
    index: int
    #: Line of a top-level field, if the format can tell (JSON); else the row's line.
    locate: Callable[[str], int | None] | None = field(default=None, repr=False)

    def line_of(self, field_name: str | None) -> int | None:
        if field_name and self.locate is not None:
            found = self.locate(re.split(r"[.\[]", field_name)[0])
            if found is not None:
                return found
        return self.line


def decode_text(data: bytes | str, file_name: str) -> str:
    """UTF-8 text (with or without a byte-order mark), or InvalidInput saying how to fix the file."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InvalidInput(
            [
                Problem(
                    "the file is UTF-16 text; save it as UTF-8 (in Excel: 'CSV UTF-8 (Comma delimited)')",
                    file=file_name,
                )
            ]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InvalidInput(
            [
                Problem(
                    f"the file is not UTF-8 text: byte 0x{data[error.start]:02x} cannot be read. Save it as UTF-8 "
                    "(in Excel: 'CSV UTF-8 (Comma delimited)'; in a text editor: encoding UTF-8)",
                    file=file_name,
                    line=line,
                )
            ]
        ) from None


def infer_format(file_name: str, fmt: str | None = None) -> str:
    if fmt:
        fmt = fmt.lower().lstrip(".")
        if fmt not in FORMATS:
            raise InvalidInput([Problem(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}", file=file_name)])
        return fmt
    suffix = PurePath(file_name).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise InvalidInput(
        [
            Problem(
                f"cannot tell the format from the file name; name it .csv, .json or .ics, or choose the format "
                f"({', '.join(FORMATS)})",
                file=file_name,
            )
        ]
    )


_NAMES = {t.plural: t.plural for t in RECORD_TYPES} | {t.kind_name: t.plural for t in RECORD_TYPES}


def infer_record_type(file_name: str, record_type: str | None = None) -> str:
    """'engagements.csv', 'engagements-2024.csv', 'Engagements_Q1.json' -> 'engagements'."""
    if record_type:
        if record_type in _NAMES:
            return _NAMES[record_type]
        raise InvalidInput(
            [
                Problem(
                    f"unknown record type '{record_type}'; use one of: {', '.join(t.plural for t in RECORD_TYPES)}",
                    file=file_name,
                )
            ]
        )
    match = re.match(r"[a-z]+", PurePath(file_name).stem.lower())
    if match and match.group(0) in _NAMES:
        return _NAMES[match.group(0)]
    raise InvalidInput(
        [
            Problem(
                "cannot tell the record type from the file name; name the file after the type (for example "
                f"engagements.csv or engagements-2024.csv) or choose the type ({', '.join(t.plural for t in RECORD_TYPES)})",
                file=file_name,
            )
        ]
    )
