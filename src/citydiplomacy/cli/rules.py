"""``citydip rules``: browse, test and check the rules; stage, weigh and activate changes."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from .common import (
    DatabaseOption,
    WorkspaceOption,
    cli_actor,
    console,
    engine_for,
    err_console,
    friendly_errors,
    pick_workspace,
    print_json,
    print_table,
)

app = typer.Typer(
    help="Foreign-contact, agreement and gift rules (illustrative packs, not legal advice).", no_args_is_help=True
)

DateOption = Annotated[str | None, typer.Option("--as-of", help="Date of the check, YYYY-MM-DD (default: today).")]
OutFormat = Annotated[str, typer.Option("--format", "-f", help="text or json.")]


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date; write YYYY-MM-DD", param_hint="--as-of") from None


def _print_check(check) -> None:
    console.print(
        f"[bold]{check.record_type} {check.record_ref}[/] — {check.record_title} (checked {check.check_date})"
    )
    if not check.findings:
        console.print("  no rule covers it in this jurisdiction")
    for finding in check.findings:
        colour = {"applies": "red" if finding.is_our_obligation else "cyan", "unclear": "yellow"}.get(
            finding.verdict, "green"
        )
        tag = (
            " [dim](counterpart's duty: information only)[/]"
            if finding.about_counterpart and finding.verdict == "applies"
            else ""
        )
        tag += " [dim](expected, not confirmed in force)[/]" if finding.expected else ""
        console.print(f"  [{colour}]{finding.verdict.replace('_', ' ')}[/] {finding.rule_id}{tag}")
        console.print(f"    {finding.headline()}", markup=False, highlight=False)
        for item in finding.unclear:
            console.print(f"    to settle: {item.settle}", markup=False, highlight=False)
        if finding.for_us and finding.verdict == "applies":
            console.print(f"    for us: {finding.for_us}", markup=False, highlight=False)
        console.print(
            f"    confidence {finding.confidence}: {finding.confidence_reason}", markup=False, highlight=False
        )
    changed = {f.rule_id: f.verdict for f in check.findings_today}
    differs = [f for f in check.findings if changed.get(f.rule_id) != f.verdict] + [
        f for f in check.findings_today if f.rule_id not in {g.rule_id for g in check.findings}
    ]
    if differs:
        console.print(f"  as if today ({check.check_date}):")
        for finding in check.findings_today:
            console.print(f"    {finding.verdict.replace('_', ' ')} {finding.rule_id}", markup=False, highlight=False)
    console.print("  [dim]Illustrative rules, not legal advice.[/]")


@app.command("check")
def check_command(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            help="JSON: engagements, agreements or gifts as in the API (other record types give context).",
        ),
    ],
    as_of: DateOption = None,
    fmt: OutFormat = "text",
    subdivision: Annotated[
        str | None,
        typer.Option(
            help="Jurisdiction of the checking government, e.g. US-TX (default: the file's 'workspace', else a US city)."
        ),
    ] = None,
    kind: Annotated[str | None, typer.Option(help="city, county or state.")] = None,
) -> None:
    """Check records in a JSON file against the shipped rules, without a database."""
    from ..services import rules

    with friendly_errors():
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            from ..domain import InvalidInput, Problem

            raise InvalidInput([Problem(f"not valid JSON: {error.msg}", file=str(file), line=error.lineno)]) from None
        workspace = dict(data.get("workspace") or {}) if isinstance(data, dict) else {}
        if subdivision:
            workspace["subdivision_code"] = subdivision.upper()
        if kind:
            workspace["kind"] = kind
        checks = rules.check_data(data, check_date=_date(as_of), workspace=workspace)
    if fmt == "json":
        print_json([c.as_dict() for c in checks])
        return
    for check in checks:
        _print_check(check)


@app.command("list")
def list_command(
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
    shipped: Annotated[bool, typer.Option("--shipped", help="The shipped packs, without a database.")] = False,
    fmt: OutFormat = "text",
) -> None:
    """Rules of the packs that can bind the workspace (its country's, state's and own), then the
    other jurisdictions' apart; or the shipped packs."""
    from ..services import rules

    with friendly_errors():
        if shipped:
            items = rules.list_rules()
        else:
            engine = engine_for(database)
            items = rules.list_rules(engine, pick_workspace(engine, workspace))
    if fmt == "json":
        print_json([r.as_dict() for r in items])
        return

    def rows(selected):
        return [
            [
                r.id,
                r.jurisdiction,
                r.applies_to,
                r.duty_bearer,
                r.obligation_kind,
                f"{r.effective_from} → {r.effective_to or ''}{' (expected)' if r.expected else ''}",
                r.confidence,
            ]
            for r in selected
        ]

    headers = ["rule", "jurisdiction", "applies to", "bearer", "obligation", "in force", "confidence"]
    ours = [r for r in items if r.binds_us is not False]
    print_table("Rules (illustrative, not legal advice)", headers, rows(ours))
    others = [r for r in items if r.binds_us is False]
    if others:
        print_table("Other jurisdictions: these cannot bind this workspace", headers, rows(others))


@app.command("show")
def show_command(
    rule_id: Annotated[str, typer.Argument(help="Rule id.")],
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
    shipped: Annotated[bool, typer.Option("--shipped")] = False,
    fmt: OutFormat = "text",
) -> None:
    """One rule in full: conditions, obligation, dates, citations."""
    from ..services import rules

    with friendly_errors():
        if shipped:
            versions = rules.get_rule(rule_id)
        else:
            engine = engine_for(database)
            versions = rules.get_rule(rule_id, engine, pick_workspace(engine, workspace))
    if fmt == "json":
        print_json([v.as_dict() for v in versions])
        return
    for v in versions:
        console.print(f"[bold]{v.id}[/] — {v.title}", highlight=False)
        console.print(
            f"  pack {v.pack} {v.pack_version} ({v.pack_origin}); {v.jurisdiction}; in force {v.effective_from} to {v.effective_to or 'open'}{' (expected)' if v.expected else ''}",
            markup=False,
        )
        console.print(
            f"  {v.duty_bearer.replace('_', ' ')} must {v.obligation_kind.replace('_', ' ')}: {v.obligation_text}",
            markup=False,
        )
        console.print("  when: " + json.dumps(v.condition, default=str), markup=False, highlight=False)
        console.print(f"  confidence {v.confidence}: {v.confidence_reason}", markup=False)
        if v.for_us:
            console.print(f"  for us: {v.for_us}", markup=False)
        for c in v.citations:
            console.print(
                f"  cites {c.get('document')} {c.get('section', '')} {c.get('url', '')} {' '.join(c.get('facts', []))}",
                markup=False,
            )
        console.print(f"  [dim]{v.disclaimer}[/]")


@app.command("test")
def test_command(
    packs: Annotated[list[Path] | None, typer.Argument(help="Pack files (default: the shipped packs).")] = None,
    fmt: OutFormat = "text",
) -> None:
    """Run the packs' YAML cases (facts in, expected findings out)."""
    from ..services import rules

    with friendly_errors():
        results = rules.test_packs([str(p) for p in packs] if packs else None)
    failed = [r for r in results if not r.passed]
    if fmt == "json":
        print_json([r.__dict__ for r in results])
    else:
        for r in results:
            mark = "[green]pass[/]" if r.passed else "[red]FAIL[/]"
            console.print(f"{mark} {r.pack}: {r.name}", highlight=False)
            for message in r.messages:
                console.print(f"     {r.file}:{r.line}: {message}", markup=False, highlight=False)
        console.print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise typer.Exit(1)


@app.command("stage")
def stage_command(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, readable=True, help="Pack YAML; a sibling NAME.cases.yaml is staged with it."
        ),
    ],
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Validate a pack, run its cases and stage it. Nothing changes until 'rules activate'."""
    from ..services import rules

    cases = file.with_name(file.name.removesuffix(".yaml") + ".cases.yaml")
    with friendly_errors():
        engine = engine_for(database)
        version = rules.stage_pack(
            engine,
            pick_workspace(engine, workspace),
            file.read_text(encoding="utf-8"),
            str(file),
            cli_actor(),
            cases_text=cases.read_text(encoding="utf-8") if cases.exists() else None,
        )
    console.print(
        f"Staged {version.pack_id} {version.version} as #{version.id}. See 'citydip rules impact --version {version.id}'."
    )


@app.command("interpret")
def interpret_command(
    term: Annotated[str, typer.Argument(help="The undefined term, e.g. official_meeting.")],
    statement: Annotated[str, typer.Option(help="Counsel's reading in plain words.")],
    when: Annotated[
        str, typer.Option(help='Condition as JSON, e.g. \'[{"fact": "engagement.channel", "in": ["messaging_app"]}]\'.')
    ],
    value: Annotated[bool, typer.Option("--covers/--does-not-cover", help="Whether the term covers those cases.")],
    activate_now: Annotated[
        bool, typer.Option("--activate", help="Put it in force at once (default: staged).")
    ] = False,
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record counsel's interpretation of an undefined term (staged unless --activate)."""
    from ..services import rules

    with friendly_errors():
        try:
            condition = json.loads(when)
        except json.JSONDecodeError as error:
            raise typer.BadParameter(f"--when is not valid JSON: {error.msg}") from None
        engine = engine_for(database)
        saved = rules.record_interpretation(
            engine,
            pick_workspace(engine, workspace),
            {"term": term, "statement": statement, "when": condition, "value": value},
            cli_actor(),
            activate_now=activate_now,
        )
    console.print(f"Interpretation #{saved.id} of '{saved.term}' recorded ({saved.status}).")


@app.command("impact")
def impact_command(
    version: Annotated[list[int] | None, typer.Option("--version", help="Staged pack version id (repeatable).")] = None,
    interpretation: Annotated[
        list[int] | None, typer.Option("--interpretation", help="Staged interpretation id (repeatable).")
    ] = None,
    withdraw: Annotated[
        list[int] | None, typer.Option("--withdraw", help="Active interpretation id to withdraw (repeatable).")
    ] = None,
    as_of: DateOption = None,
    fmt: OutFormat = "text",
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """What would change if staged versions/interpretations were activated. Writes nothing."""
    from ..services import rules

    with friendly_errors():
        engine = engine_for(database)
        slug = pick_workspace(engine, workspace)
        if not (version or interpretation or withdraw):
            staged_versions = [v.id for v in rules.list_pack_versions(engine, slug, status="staged")]
            staged_readings = [i.id for i in rules.list_interpretations(engine, slug, status="staged")]
        else:
            staged_versions, staged_readings = version or [], interpretation or []
        report = rules.impact(
            engine,
            slug,
            cli_actor(),
            versions=staged_versions,
            interpretations=staged_readings,
            withdraw=withdraw or [],
            check_date=_date(as_of),
        )
    if fmt == "json":
        print_json(report.as_dict())
        return
    summary = report.summary()
    console.print(
        f"Impact of versions {staged_versions or '-'} and interpretations {staged_readings or '-'}:", highlight=False
    )
    console.print("  " + ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in summary.items()), highlight=False)
    print_table(
        "Changed verdicts",
        ["record", "rule", "before", "after", "new obligation", "due / end by"],
        [
            [
                f"{r.record_type} {r.record_ref}",
                r.rule_id,
                r.before,
                r.after,
                "yes" if r.new_obligation else "",
                r.must_end_by or r.due_on,
            ]
            for r in report.rows[:200]
        ],
    )


@app.command("activate")
def activate_command(
    version: Annotated[list[int] | None, typer.Option("--version")] = None,
    interpretation: Annotated[list[int] | None, typer.Option("--interpretation")] = None,
    withdraw: Annotated[list[int] | None, typer.Option("--withdraw")] = None,
    shipped: Annotated[bool, typer.Option("--shipped", help="Stage and activate the shipped packs.")] = False,
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Put staged pack versions and interpretations in force."""
    from ..services import rules

    with friendly_errors():
        engine = engine_for(database)
        slug = pick_workspace(engine, workspace)
        if shipped:
            staged = rules.install_shipped_packs(engine, slug, cli_actor())
            console.print(f"Activated {len(staged)} shipped packs (illustrative, not legal advice).")
        if version or interpretation or withdraw:
            done = rules.activate(
                engine,
                slug,
                cli_actor(),
                versions=version or [],
                interpretations=interpretation or [],
                withdraw=withdraw or [],
            )
            console.print(
                f"Activated {len(done['versions'])} version(s), {len(done['interpretations'])} interpretation(s); "
                f"withdrew {len(done['withdrawn'])}."
            )
        elif not shipped:
            err_console.print("Nothing to activate: give --version, --interpretation, --withdraw or --shipped.")
            raise typer.Exit(2)


@app.command("obligations")
def obligations_command(
    sync: Annotated[bool, typer.Option("--sync", help="Refresh obligations from the current findings first.")] = False,
    status: Annotated[str | None, typer.Option(help="open, done, waived or superseded.")] = None,
    as_of: DateOption = None,
    fmt: OutFormat = "text",
    database: DatabaseOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Our obligations as tasks (due dates, owners, status, evidence)."""
    from ..services import rules

    with friendly_errors():
        engine = engine_for(database)
        slug = pick_workspace(engine, workspace)
        if sync:
            counts = rules.sync_obligations(engine, slug, cli_actor(), check_date=_date(as_of))
            console.print("Synced: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        items = rules.list_obligations(engine, slug, cli_actor(), status=status)
    if fmt == "json":
        print_json([o.as_dict() for o in items])
        return
    print_table(
        "Obligations",
        ["#", "due", "status", "record", "rule", "owner", "evidence"],
        [[o.id, o.due_on, o.status, f"{o.record_type} {o.record_ref}", o.rule_id, o.owner, o.evidence] for o in items],
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
