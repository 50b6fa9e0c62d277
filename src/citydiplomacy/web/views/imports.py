"""Import pages: the upload form, the preview (what would be created, updated or rejected, with
every problem by line and field) and the result of the commit."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from ...domain import PermissionDenied, Problem, Workspace
from ...domain.vocab import label
from ...services import registry
from ...services.imports import ImportReport
from ...services.registry import Actor
from .forms import Option

__all__ = ["ImportFormView", "ImportReportView", "import_form_view", "report_view"]

#: Record types a file can hold (a JSON workspace export holds several).
IMPORT_TYPES = (
    "engagements",
    "partners",
    "people",
    "posts",
    "agreements",
    "places",
    "networks",
    "memberships",
    "gifts",
)
ROWS_SHOWN = 500


@dataclass
class ImportFormView:
    workspace: Workspace
    record_types: list[Option]
    problems: list[dict] = field(default_factory=list, metadata={"help": "Why the last upload was refused, if it was."})


def import_form_view(engine: Engine, ws: str, actor: Actor, problems: list[Problem] | None = None) -> ImportFormView:
    if not actor.can_write:
        raise PermissionDenied(f"{actor.name} may read but not change records in this workspace.")
    workspace = registry.get_workspace(engine, ws, actor)
    types = [Option("", "Tell from the file name (engagements.csv, partners-2024.json…)")]
    types += [Option(t, label(t)) for t in IMPORT_TYPES]
    return ImportFormView(workspace, types, [p.as_dict() for p in problems or []])


@dataclass
class TypeLine:
    record_type: str
    label: str
    inserted: int
    updated: int
    unchanged: int
    rejected: int


@dataclass
class ImportReportView:
    workspace: Workspace
    file: str
    format: str
    committed: bool = field(metadata={"help": "False for a preview (nothing written yet)."})
    ok: bool = field(metadata={"help": "True when nothing is wrong: the preview can be committed."})
    summary: str
    counts: list[TypeLine]
    rows: list[dict] = field(metadata={"help": "Each row: record_type, ref, action, line (first 500)."})
    rows_total: int
    problems: list[dict] = field(metadata={"help": "Each problem: file, line, field, message, value."})
    rejected_lines: list[int]
    upload_id: str | None = field(default=None, metadata={"help": "Server-side copy of the file, for the commit."})
    commit_url: str | None = None
    unmatched: list[dict] = field(default_factory=list, metadata={"help": "Calendar attendees matched to nobody."})
    notes: list[str] = field(default_factory=list)
    audit_url: str = ""
    record_type: str = ""


def report_view(
    engine: Engine,
    ws: str,
    actor: Actor,
    report: ImportReport,
    *,
    upload_id: str | None,
    record_type: str | None = None,
) -> ImportReportView:
    workspace = registry.get_workspace(engine, ws, actor)
    counts = [TypeLine(t, label(t), c.inserted, c.updated, c.unchanged, c.rejected) for t, c in report.counts.items()]
    data = report.as_dict()
    committed = not report.dry_run
    return ImportReportView(
        workspace=workspace,
        file=report.file,
        format=report.format,
        committed=committed,
        ok=report.ok,
        summary=report.summary(),
        counts=counts,
        rows=data["rows"][:ROWS_SHOWN],
        rows_total=len(report.rows),
        problems=data["problems"],
        rejected_lines=sorted({p.line for p in report.problems if p.line}),
        upload_id=None if committed else upload_id,
        commit_url=f"/w/{ws}/import/{upload_id}/commit" if upload_id and report.ok and not committed else None,
        unmatched=data.get("unmatched", []),
        notes=data.get("notes", []),
        audit_url=f"/w/{ws}/audit?interface=import",
        record_type=record_type or "",
    )
