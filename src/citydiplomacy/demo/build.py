"""Build the demo workspace from ``data/los_angeles.yaml``.

The YAML file holds one workspace and its records, exactly as the domain models
define them. Building validates every record first (so a mistake in the file is
reported with the file, line, record ref and field, and nothing is written), then
saves all records in dependency order in one unit of work through the same save
and audit path as :func:`citydiplomacy.services.registry.save_record`. Building
twice changes nothing: the second run reports every record as unchanged.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, select

from ..adapters.db import tables as t
from ..domain import RECORD_TYPES, InvalidInput, Problem, Record
from ..services import registry
from ..services.commitments import seed_demo_commitments
from ..services.registry import Actor
from ..services.unit_of_work import UnitOfWork

__all__ = ["DEMO_FILE", "BuildReport", "DemoContent", "build_demo", "load_demo"]

#: The demo content shipped with the package.
DEMO_FILE = Path(__file__).parent / "data" / "los_angeles.yaml"
#: The world's twin towns from Wikipedia (see atlas/data/PROVENANCE.md), imported by the demo.
TWIN_TOWNS_FILE = Path(__file__).parent.parent / "atlas" / "data" / "twin_towns_wikipedia.csv"

#: Sections the file may hold besides the record types.
_WORKSPACE_KEY = "workspace"


@dataclass
class DemoContent:
    """The parsed, validated content of a demo file."""

    file: str
    workspace: dict[str, Any]
    #: Validated records by record type plural, in the file's order.
    records: dict[str, list[Record]] = field(default_factory=dict)

    def count(self) -> int:
        return sum(len(items) for items in self.records.values())


@dataclass
class BuildReport:
    """What a build did: per record type, how many records were inserted, updated or unchanged."""

    workspace: str
    workspace_created: bool
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def total(self, action: str) -> int:
        return sum(c.get(action, 0) for c in self.counts.values())

    @property
    def changed(self) -> bool:
        return self.workspace_created or self.total("inserted") + self.total("updated") > 0

    def summary(self) -> str:
        head = f"workspace '{self.workspace}'" + (" created" if self.workspace_created else " already existed")
        parts = [
            f"{plural}: " + ", ".join(f"{n} {action}" for action, n in sorted(c.items()) if n)
            for plural, c in self.counts.items()
            if any(c.values())
        ]
        return head + "; " + "; ".join(parts)


#: libyaml's safe loader when PyYAML was built with it (ten times faster), else the Python one.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _record_lines(text: str) -> dict[str, list[int]]:
    """Line numbers (1-based) of each record in each top-level list, for error messages."""
    root = yaml.compose(text, Loader=_SAFE_LOADER)
    lines: dict[str, list[int]] = {}
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key_node, value_node in root.value:
        if isinstance(value_node, yaml.SequenceNode):
            lines[str(key_node.value)] = [item.start_mark.line + 1 for item in value_node.value]
    return lines


def load_demo(path: Path | str = DEMO_FILE) -> DemoContent:
    """Read and validate a demo file; raise :class:`InvalidInput` listing every problem.

    Each problem names the file, the line where the record starts, the record
    (``engagement '2018-meeting-…'``) and the field. References between records must
    point at records in the same file.
    """
    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_SAFE_LOADER)
    except OSError as error:
        raise InvalidInput([Problem(f"cannot read the demo file: {error.strerror}", file=str(path))]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise InvalidInput(
            [
                Problem(
                    f"not valid YAML: {getattr(error, 'problem', error)}",
                    file=name,
                    line=mark.line + 1 if mark else None,
                )
            ]
        ) from None
    if not isinstance(data, dict):
        raise InvalidInput([Problem("the demo file must be a mapping with 'workspace' and record lists", file=name)])

    known = {t.plural: t for t in RECORD_TYPES}
    problems: list[Problem] = []
    for key in data:
        if key != _WORKSPACE_KEY and key not in known:
            problems.append(
                Problem(
                    f"unknown section '{key}'; use 'workspace' or one of: {', '.join(known)}", file=name, field=str(key)
                )
            )
    workspace = data.get(_WORKSPACE_KEY)
    if not isinstance(workspace, dict):
        problems.append(
            Problem("missing 'workspace' mapping (slug, name, country_code…)", file=name, field="workspace")
        )
        workspace = {}

    lines = _record_lines(text)
    content = DemoContent(file=name, workspace=workspace)
    for plural, model in known.items():
        items = data.get(plural) or []
        if not isinstance(items, list):
            problems.append(Problem(f"'{plural}' must be a list of records", file=name, field=plural))
            continue
        parsed: list[Record] = []
        for index, item in enumerate(items):
            line = lines.get(plural, [None] * len(items))[index]
            label = _label(model, item, index)
            if not isinstance(item, dict):
                problems.append(Problem(f"{label}: a record must be a mapping of fields", file=name, line=line))
                continue
            try:
                parsed.append(registry.parse_record(plural, item, line=line, file=name))
            except InvalidInput as error:
                problems.extend(_name_record(p, label) for p in error.problems)
        content.records[plural] = parsed

    problems.extend(_check_references(content, lines))
    problems.extend(_check_unique(content, lines))
    if problems:
        raise InvalidInput(problems)
    return content


def _label(model: type[Record], item: Any, index: int) -> str:
    ref = item.get("ref") if isinstance(item, dict) else None
    return f"{model.kind_name} '{ref}'" if ref else f"{model.kind_name} #{index + 1} (no ref)"


def _name_record(problem: Problem, label: str) -> Problem:
    return Problem(
        f"{label}: {problem.message}", field=problem.field, line=problem.line, file=problem.file, value=problem.value
    )


def _check_references(content: DemoContent, lines: dict[str, list[int]]) -> list[Problem]:
    refs = {plural: {r.ref for r in records} for plural, records in content.records.items()}
    problems = []
    for plural, records in content.records.items():
        for index, record in enumerate(records):
            for target, targets in record.references().items():
                for ref in targets:
                    if ref not in refs.get(target, ()):
                        kind = {t.plural: t.kind_name for t in RECORD_TYPES}[target]
                        problems.append(
                            Problem(
                                f"{record.kind_name} '{record.ref}': no {kind} with ref '{ref}' in this file; "
                                f"add it under '{target}' or correct the ref",
                                file=content.file,
                                line=_line(lines, plural, index),
                                field=target,
                                value=ref,
                            )
                        )
    return problems


def _check_unique(content: DemoContent, lines: dict[str, list[int]]) -> list[Problem]:
    problems = []
    for plural, records in content.records.items():
        seen: set[str] = set()
        for index, record in enumerate(records):
            if record.ref in seen:
                problems.append(
                    Problem(
                        f"{record.kind_name} '{record.ref}' appears twice; refs are unique per record type",
                        file=content.file,
                        line=_line(lines, plural, index),
                        field="ref",
                        value=record.ref,
                    )
                )
            seen.add(record.ref)
    return problems


def _line(lines: dict[str, list[int]], plural: str, index: int) -> int | None:
    found = lines.get(plural, [])
    return found[index] if index < len(found) else None


def _workspace_exists(engine: Engine, slug: str) -> bool:
    with UnitOfWork(engine, write=False) as uow:
        return uow.conn.execute(select(t.workspaces.c.id).where(t.workspaces.c.slug == slug)).first() is not None


def build_demo(
    engine: Engine, *, slug: str = "los-angeles", actor: Actor | None = None, path: Path | str = DEMO_FILE
) -> BuildReport:
    """Create (or bring up to date) the demo workspace ``slug`` from the demo file.

    The whole file is validated before anything is written. The workspace is created
    if missing (with the file's name, place and time zone); the records are then saved
    in one unit of work, each audited like any other save, and committed once. Then the
    demo commitments are added (:func:`~citydiplomacy.services.commitments.seed_demo_commitments`).
    """
    actor = actor or Actor(name="citydiplomacy demo builder", interface="import")
    content = load_demo(path)
    created = False
    if not _workspace_exists(engine, slug):
        registry.create_workspace(engine, {**content.workspace, "slug": slug}, actor)
        created = True
    report = BuildReport(workspace=slug, workspace_created=created)
    with UnitOfWork(engine, slug) as uow:
        for plural, records in content.records.items():
            counts: Counter[str] = Counter({"inserted": 0, "updated": 0, "unchanged": 0})
            for record in records:
                try:
                    result = registry._save(uow, record, actor)
                except InvalidInput as error:
                    label = f"{record.kind_name} '{record.ref}'"
                    raise InvalidInput(
                        [
                            _name_record(Problem(p.message, field=p.field, file=content.file, value=p.value), label)
                            for p in error.problems
                        ]
                    ) from None
                counts[result.action] += 1
            report.counts[plural] = dict(counts)
        uow.commit()
    # The commitment ledger on top of the registry records (Five Zeroes, Paris pledge, obligations).
    # Idempotent too: a second build writes nothing.
    seed_demo_commitments(engine, slug, actor)
    _add_twin_towns(engine, actor)
    _add_practice_library(engine, slug, actor)
    return report


def _add_twin_towns(engine: Engine, actor: Actor) -> None:
    """The world's twin towns (shipped with the package) as the shared reference layer, if the
    database has none yet. The list is read beside the workspace (atlas, a place's "their
    other ties"), never copied into it."""
    from ..services import atlas

    if atlas.twin_report(engine, per_page=1).total == 0:
        atlas.import_twins(engine, TWIN_TOWNS_FILE, actor)


def _add_practice_library(engine: Engine, slug: str, actor: Actor) -> None:
    """The Exchange's shared library of 81 practices and their transfers (shipped with the package).
    Embedded for semantic search when the optional extra is installed; lexical search works without
    it. Idempotent: a second build reports every practice unchanged and writes nothing."""
    from ..services.practices import import_shared_library

    import_shared_library(engine, slug, actor)
