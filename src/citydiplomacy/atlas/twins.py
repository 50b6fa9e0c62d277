"""The world's twin towns: reading the list, resolving each name, the resolution report.

Pure functions over the gazetteer; storing the result is ``atlas.store``'s job.

Hard cases, decided here on purpose (see docs/atlas.md):

* **Region-qualified and disambiguated countries** ("England, United Kingdom",
  "Martinique, France", "Georgia (country)") are read by the gazetteer's country parser; the
  region becomes an admin hint where it maps to a subdivision.
* **Districts and rural communes** ("Nerekhtsky District", "Dębica (rural gmina)") are never
  taken to be their seat town: the gazetteer caps them at *ambiguous* and the seat is kept as a
  candidate for a person to confirm with a pick.
* **Joint entries** ("Haaren -- Esch"): the tie holds for every part; the name is *resolved*
  to all parts only when every part resolves on its own, otherwise it stays ambiguous.
* **A country written into the name** with the country column empty ("Varna, Bulgaria", "")
  is split; a bare country or territory in the name column ("Falkland Islands") is not a town
  and stays unresolved.
* **Picks** made by a person replace the gazetteer's answer for exactly that
  (name, country) pair, in this and every later import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..domain import Problem
from ..gazetteer import Candidate, Gazetteer, Resolution

__all__ = [
    "REPORT_COLUMNS",
    "NameResult",
    "Pick",
    "TwinFile",
    "TwinRow",
    "parse_twin_text",
    "read_twin_file",
    "report_rows",
    "resolve_name",
    "resolve_names",
    "write_report",
]

REQUIRED_COLUMNS = ("city1", "country1", "city2", "country2")
REPORT_COLUMNS = (
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
)
RESOLVED, AMBIGUOUS, UNRESOLVED = "resolved", "ambiguous", "unresolved"
_MAX_NAME = 300
_MAX_COUNTRY = 200


@dataclass(frozen=True)
class TwinRow:
    """One pair of the list, as written, with the line it came from."""

    line: int
    name1: str
    country1: str
    name2: str
    country2: str

    @property
    def keys(self) -> tuple[tuple[str, str], tuple[str, str]]:
        return (self.name1, self.country1), (self.name2, self.country2)


@dataclass(frozen=True)
class Pick:
    """A person's choice of place for one (name, country) of the list."""

    input_name: str
    input_country: str
    geonames_id: int
    picked_by: str
    picked_at: datetime
    note: str | None = None


@dataclass
class NameResult:
    """How one distinct (name, country) of the list was resolved; one row of the report."""

    input_name: str
    input_country: str
    input_country_code: str | None
    status: str
    geonames_ids: list[int] = field(default_factory=list)
    resolved_name: str | None = None
    admin1: str | None = None
    country_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = None
    score: float | None = None
    reason: str = ""
    candidates: list[dict] = field(default_factory=list)
    picked_by: str | None = None
    #: filled for joint entries resolved to several places: one dict per place
    places: list[dict] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return self.input_name, self.input_country

    def report_row(self) -> dict[str, str]:
        """The report's columns; joint entries list their places separated by ';'."""

        def cell(value) -> str:
            return "" if value is None else str(value)

        row = {
            "input_name": self.input_name,
            "input_country": self.input_country,
            "status": self.status,
            "score": "" if self.score is None else f"{self.score:.2f}",
            "reason": self.reason,
        }
        if self.status == RESOLVED and len(self.places) > 1:
            for column, key in (
                ("geonames_id", "geonames_id"),
                ("resolved_name", "name"),
                ("admin1", "admin1"),
                ("country_code", "country_code"),
                ("latitude", "latitude"),
                ("longitude", "longitude"),
            ):
                row[column] = ";".join(cell(p.get(key)) for p in self.places)
        elif self.status == RESOLVED:
            row.update(
                geonames_id=cell(self.geonames_ids[0] if self.geonames_ids else None),
                resolved_name=cell(self.resolved_name),
                admin1=cell(self.admin1),
                country_code=cell(self.country_code),
                latitude=cell(self.latitude),
                longitude=cell(self.longitude),
            )
        else:
            row.update(geonames_id="", resolved_name="", admin1="", country_code="", latitude="", longitude="")
        return {column: row[column] for column in REPORT_COLUMNS}

    def stored(self) -> dict:
        """Columns of ``atlas_twin_names`` (without id and timestamps)."""
        return {
            "input_name": self.input_name,
            "input_country": self.input_country,
            "input_country_code": self.input_country_code,
            "status": self.status,
            "geonames_ids": list(self.geonames_ids),
            "resolved_name": self.resolved_name,
            "admin1": self.admin1,
            "country_code": self.country_code,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "population": self.population,
            "score": self.score,
            "reason": self.reason,
            "candidates": list(self.candidates),
            "picked_by": self.picked_by,
        }


# -- reading ---------------------------------------------------------------------------


@dataclass
class TwinFile:
    """A read list: the pairs, the problems that make it invalid, and the rows skipped on purpose."""

    rows: list[TwinRow]
    problems: list[Problem]
    skipped: list[Problem] = field(default_factory=list)


def read_twin_file(path: str | Path) -> TwinFile:
    """Read and check a twin-town CSV; ``problems`` is empty when it may be imported."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return TwinFile([], [Problem(f"file not found: {path}", file=str(path))])
    except UnicodeDecodeError as error:
        return TwinFile(
            [],
            [
                Problem(
                    f"the file is not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8",
                    file=str(path),
                )
            ],
        )
    return parse_twin_text(text, file=path.name)


def parse_twin_text(text: str, *, file: str = "twin towns") -> TwinFile:
    reader = csv.reader(io.StringIO(text))
    problems: list[Problem] = []
    skipped: list[Problem] = []
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return TwinFile(
            [],
            [Problem("the file is empty; expected a header line 'city1,country1,city2,country2'", file=file, line=1)],
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return TwinFile(
            [],
            [
                Problem(
                    f"missing column(s) {', '.join(missing)}; the header must name city1,country1,city2,country2",
                    file=file,
                    line=1,
                    value=",".join(header),
                )
            ],
        )
    at = {c: header.index(c) for c in REQUIRED_COLUMNS}
    rows: list[TwinRow] = []
    seen: dict[tuple, int] = {}
    for line_no, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < len(header):
            problems.append(
                Problem(
                    f"expected {len(header)} columns, found {len(cells)} (a comma inside a name must be quoted)",
                    file=file,
                    line=line_no,
                    value=",".join(cells),
                )
            )
            continue
        values = {c: " ".join(cells[i].split()) for c, i in at.items()}
        bad = False
        for column in ("city1", "city2"):
            if not values[column]:
                problems.append(Problem("a town name is required", file=file, line=line_no, field=column))
                bad = True
            elif len(values[column]) > _MAX_NAME:
                problems.append(
                    Problem(
                        f"name longer than {_MAX_NAME} characters",
                        file=file,
                        line=line_no,
                        field=column,
                        value=values[column][:60],
                    )
                )
                bad = True
        for column in ("country1", "country2"):
            if len(values[column]) > _MAX_COUNTRY:
                problems.append(
                    Problem(
                        f"country longer than {_MAX_COUNTRY} characters",
                        file=file,
                        line=line_no,
                        field=column,
                        value=values[column][:60],
                    )
                )
                bad = True
        if bad:
            continue
        row = TwinRow(line_no, values["city1"], values["country1"], values["city2"], values["country2"])
        a, b = row.keys
        if a == b:
            # e.g. Nienburg (Weser) and Nienburg (Saale), both written "Nienburg, Germany": two towns are
            # meant, but nothing in the row tells them apart, so the pair is skipped and reported.
            skipped.append(
                Problem(
                    "the same name and country on both sides: two towns of one name are meant "
                    "but cannot be told apart; pair skipped",
                    file=file,
                    line=line_no,
                    field="city2",
                    value=row.name2,
                )
            )
            continue
        pair = tuple(sorted((a, b)))
        if pair in seen:  # the same pair twice (either order) is one tie; keep the first line
            continue
        seen[pair] = line_no
        rows.append(row)
    if not rows and not problems:
        problems.append(Problem("the file has a header but no pairs", file=file, line=2))
    return TwinFile(rows, problems, skipped)


# -- resolving -------------------------------------------------------------------------


def _candidate_dict(c: Candidate) -> dict:
    return {
        "geonames_id": c.geonames_id,
        "name": c.name,
        "admin1": c.subdivision_name or c.admin1_code,
        "country_code": c.country_code,
        "latitude": c.latitude,
        "longitude": c.longitude,
        "population": c.population,
        "score": c.score,
        "reason": c.reason,
    }


def _fill(result: NameResult, c: Candidate | dict) -> None:
    d = c if isinstance(c, dict) else _candidate_dict(c)
    result.geonames_ids = [d["geonames_id"]]
    result.resolved_name = d["name"]
    result.admin1 = d["admin1"]
    result.country_code = d["country_code"]
    result.latitude = d["latitude"]
    result.longitude = d["longitude"]
    result.population = d["population"]
    result.places = [d]


def _country_in_name(gz: Gazetteer, name: str) -> tuple[str, str] | None:
    """ "Varna, Bulgaria" (country column empty) -> ("Varna", "Bulgaria")."""
    if "," not in name:
        return None
    town, _, tail = name.rpartition(",")
    match = gz.country(tail.strip())
    if match is None or match.approximate or not town.strip():
        return None
    return town.strip(), tail.strip()


def resolve_name(gz: Gazetteer, name: str, country: str, pick: Pick | None = None, limit: int = 5) -> NameResult:
    """Resolve one (name, country) of the list; a pick, when given, decides."""
    country_match = gz.country(country) if country else None
    result = NameResult(name, country, country_match.alpha2 if country_match else None, UNRESOLVED)
    query_name, query_country, note = name, country, ""
    if not country:
        split = _country_in_name(gz, name)
        if split:
            query_name, query_country = split
            country_match = gz.country(query_country)
            result.input_country_code = country_match.alpha2 if country_match else None
            note = f"country column empty; read '{query_country}' from the name. "
        else:
            whole = gz.country(name)
            if whole is not None and not whole.approximate:
                result.input_country_code = whole.alpha2
                result.reason = (
                    f"'{name}' names a country or territory ({whole.name}, {whole.alpha2}), not a town; "
                    "the tie is kept, unplaced, until a person picks a town"
                )
                return _apply_pick(gz, result, pick)

    resolution = gz.resolve(query_name, query_country or None, limit=limit)
    result.candidates = [_candidate_dict(c) for c in resolution.candidates]
    if resolution.parts:
        _joint(result, resolution)
    else:
        result.status = resolution.status
        result.reason = resolution.reason
        if resolution.status == RESOLVED and resolution.best is not None:
            _fill(result, resolution.best)
            result.score = resolution.best.score
        elif resolution.candidates:
            result.score = resolution.candidates[0].score
    if country and country_match is None:
        result.reason = f"country '{country}' not recognised, so the whole world was searched; " + result.reason
    result.reason = note + result.reason
    return _apply_pick(gz, result, pick)


def _joint(result: NameResult, resolution: Resolution) -> None:
    parts = resolution.parts
    if all(p.status == RESOLVED and p.best is not None for p in parts):
        places = [_candidate_dict(p.best) for p in parts]
        result.status = RESOLVED
        result.geonames_ids = [p["geonames_id"] for p in places]
        result.places = places
        first = places[0]
        result.resolved_name = "; ".join(p["name"] for p in places)
        result.admin1 = first["admin1"]
        result.country_code = first["country_code"]
        result.latitude, result.longitude = first["latitude"], first["longitude"]
        result.population = sum(p["population"] or 0 for p in places)
        result.score = min(p.best.score for p in parts)
        result.reason = (
            "joint entry of "
            + str(len(parts))
            + " places, twinned together: "
            + "; ".join(f"'{p.query}' -> {p.best.name} ({p.best.geonames_id})" for p in parts)
        )
    else:
        result.status = AMBIGUOUS if resolution.candidates else UNRESOLVED
        result.score = resolution.candidates[0].score if resolution.candidates else None
        result.reason = "joint entry: not every part resolves on its own, so a person should pick; " + "; ".join(
            f"'{p.query}' {p.status}" for p in parts
        )


def _apply_pick(gz: Gazetteer, result: NameResult, pick: Pick | None) -> NameResult:
    if pick is None:
        return result
    place = gz.get(pick.geonames_id)
    before = result.status
    if place is None:
        result.reason = (
            f"a pick by {pick.picked_by} names GeoNames {pick.geonames_id}, which the gazetteer no "
            f"longer has; the pick was not applied. " + result.reason
        )
        return result
    was_candidate = any(c["geonames_id"] == pick.geonames_id for c in result.candidates)
    _fill(result, place)
    result.status = RESOLVED
    result.score = 1.0
    result.picked_by = pick.picked_by
    result.reason = (
        f"picked by {pick.picked_by} on {pick.picked_at:%Y-%m-%d}"
        + (f" ({pick.note})" if pick.note else "")
        + f"; the gazetteer alone said {before}"
        + ("" if was_candidate or not result.candidates else ", and the pick was not among its candidates")
        + ": "
        + result.reason
    )
    return result


def resolve_names(
    gz: Gazetteer, rows: Iterable[TwinRow], picks: dict[tuple[str, str], Pick] | None = None
) -> dict[tuple[str, str], NameResult]:
    """Every distinct (name, country) of the rows, resolved once, in first-seen order."""
    picks = picks or {}
    out: dict[tuple[str, str], NameResult] = {}
    for row in rows:
        for key in row.keys:
            if key not in out:
                out[key] = resolve_name(gz, key[0], key[1], picks.get(key))
    return out


# -- the report ------------------------------------------------------------------------


def report_rows(results: Iterable[NameResult]) -> list[dict[str, str]]:
    return [r.report_row() for r in results]


def write_report(path: str | Path, results: Iterable[NameResult]) -> int:
    """Write the resolution report (one row per distinct input name); returns the row count.

    Written to a temporary file and moved into place, so a reader never sees half a report."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(REPORT_COLUMNS))
        writer.writeheader()
        for row in report_rows(results):
            writer.writerow(row)
            count += 1
    tmp.replace(path)
    return count
