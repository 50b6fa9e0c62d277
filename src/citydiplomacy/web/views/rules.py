"""Rules pages: the badge on records, a record's findings with their trace, the pre-check of a
planned engagement, the rule browser, interpretations, the impact of a staged change and
our obligations as tasks.

Every builder calls the rules services (``services.rules``) and shapes their results for a
page and its JSON twin. Pack citations may come from an uploaded pack: only http(s)
addresses become links.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml
from sqlalchemy import Engine

from ...domain import Problem, Workspace
from ...domain.accounts import Role
from ...rules.facts import FACTS
from ...services import refs, registry
from ...services import rules as service
from ...services.dashboard import today_in
from ...services.registry import Actor
from .common import Cell, Link, external_url, format_day, labelled, record_path
from .forms import FormView
from .places import country_name

__all__ = [
    "BadgeView",
    "FindingsView",
    "ImpactView",
    "InterpretationsView",
    "ObligationsView",
    "PrecheckView",
    "RuleBrowserView",
    "RuleView",
    "badge_view",
    "findings_view",
    "impact_view",
    "interpretations_view",
    "obligations_view",
    "precheck_view",
    "rule_browser_view",
    "rule_view",
    "rules_list_column",
]

DISCLAIMER = "Illustrative rules encoded from public sources, not legal advice: counsel decides, the rules explain."
CHECKED_TYPES = ("engagements", "agreements")
VERDICT_LABELS = {
    "applies": "Applies",
    "does_not_apply": "Does not apply",
    "unclear": "Unclear",
    "not_in_force": "Not in force",
}
BEARER_LABELS = {
    "our_government": "our government",
    "named_official": "a named official of ours",
    "counterpart": "the counterpart",
    "third_party": "a third party",
}
SECTION_OF_LEVEL = {"action": "ours", "unclear": "unclear", "info": "counterpart", "ok": "findings"}


def may_change_rules(actor: Actor) -> bool:
    """Counsel and admins may stage, interpret and activate (the services enforce it)."""
    return actor.role is None or Role(actor.role).at_least(Role.counsel)


def findings_path(ws: str, plural: str, ref: str) -> str:
    return f"/w/{ws}/rules/check/{plural}/{ref}"


# -- badges ------------------------------------------------------------------------------------


@dataclass
class BadgeView:
    """The rules badge of one record: counts, a short text, and the link to the explanation."""

    ref: str
    text: str
    level: str = field(metadata={"help": "action (obligations for us), unclear, info (counterpart duties) or ok."})
    url: str
    our_obligations: int = 0
    counterpart_duties: int = 0
    unclear: int = 0
    next_due: date | None = None


def badge_text(badge: service.Badge) -> str:
    parts = []
    if badge.our_obligations:
        parts.append(f"{badge.our_obligations} obligation{'s' if badge.our_obligations != 1 else ''} for us")
    if badge.counterpart_duties:
        parts.append(f"{badge.counterpart_duties} about the counterpart")
    if badge.unclear:
        parts.append(f"{badge.unclear} unclear")
    return "Rules: " + (" · ".join(parts) if parts else "none apply")


def badge_view(ws: str, plural: str, badge: service.Badge) -> BadgeView:
    section = SECTION_OF_LEVEL.get(badge.level, "findings")
    return BadgeView(
        badge.ref,
        badge_text(badge),
        badge.level,
        f"{findings_path(ws, plural, badge.ref)}#{section}",
        badge.our_obligations,
        badge.counterpart_duties,
        badge.unclear,
        badge.next_due,
    )


def record_badge(engine: Engine, ws: str, plural: str, ref: str, actor: Actor) -> BadgeView | None:
    """The badge of one saved record (a detail page): only that record's facts are derived."""
    if plural not in CHECKED_TYPES:
        return None
    check = service.check_record(engine, ws, plural, ref, actor)
    return badge_view(ws, plural, check.badge())


def rules_list_column(engine: Engine, ws: str, plural: str, items: list, actor: Actor) -> tuple[str, list[Cell]] | None:
    """The "Rules" column of the engagement and agreement lists: one badge per row, from the
    workspace's cached fact table when it is up to date, else from the page's records alone."""
    if plural not in CHECKED_TYPES or not items:
        return None
    refs = [item.ref for item in items]
    today = today_in(registry.get_workspace(engine, ws, actor).timezone)
    badges = service.badges_for(engine, ws, plural, items, actor, check_date=today)
    cells = []
    for ref in refs:
        badge = badges.get(ref)
        view = badge_view(ws, plural, badge) if badge is not None else None
        cells.append(Cell(view.text, view.url) if view else Cell(""))
    return "Rules", cells


# -- findings --------------------------------------------------------------------------------


def _citations(items: list[dict] | None) -> list[dict]:
    return [{**c, "link": external_url(c.get("url"))} for c in items or []]


def _finding(data: dict) -> dict:
    """A finding as the page shows it: its answer, who bears the duty, and its trace."""
    trace = dict(data["trace"])
    trace["citations"] = _citations(trace.get("citations"))
    trace["parameters"] = [{**p, "citations": _citations(p.get("citations"))} for p in trace.get("parameters") or []]
    trace["terms"] = [{**t, "citations": _citations(t.get("citations"))} for t in trace.get("terms") or []]
    trace["facts_list"] = [
        {"name": name, "value": _shown(value), "meaning": FACTS[name].description if name in FACTS else ""}
        for name, value in (trace.get("facts") or {}).items()
    ]
    return {
        **data,
        "verdict_label": VERDICT_LABELS.get(data["verdict"], data["verdict"]),
        "bearer_label": BEARER_LABELS.get(data["duty_bearer"], data["duty_bearer"].replace("_", " ")),
        "obligation_label": labelled(data["obligation"]["kind"]),
        "due_label": (
            format_day(date.fromisoformat(data["due_on"]))
            + ("" if data["due_exact"] else " (no lead time was published: before this date)")
        )
        if data["due_on"]
        else None,
        "rule_url": None,
        "trace": trace,
    }


def _shown(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value) if value else "none"
    return str(value)


@dataclass
class Question:
    """A fact the registry does not record, answerable on the findings page."""

    fact: str
    question: str
    meaning: str
    answer: str = field(metadata={"help": "yes, no or unknown."})


@dataclass
class FindingsView:
    """A record checked against the rules in force on its own date, and as if today."""

    workspace: Workspace
    record_type: str
    plural: str
    ref: str
    title: str
    record_url: str
    check_date: date
    badge: BadgeView
    ours: list[dict] = field(metadata={"help": "Our obligations that apply, with bearer and due date."})
    counterpart: list[dict] = field(metadata={"help": "Duties of the counterpart that apply: information, not ours."})
    unclear: list[dict]
    not_applying: list[dict]
    expected: list[dict] = field(metadata={"help": "Announced or pending rules that would apply (not yet in force)."})
    today_changes: list[dict] = field(metadata={"help": "Rules whose answer differs if checked as if today."})
    questions: list[Question]
    can_answer: bool
    answer_url: str
    disclaimer: str = DISCLAIMER
    rules_url: str = ""
    api_url: str = ""
    precheck: bool = False


def _split(findings: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {"ours": [], "counterpart": [], "unclear": [], "not_applying": [], "expected": []}
    for f in findings:
        if f["verdict"] == "applies" and f["expected"]:
            out["expected"].append(f)
        elif f["verdict"] == "applies":
            out["counterpart" if f["about_counterpart"] else "ours"].append(f)
        elif f["verdict"] == "unclear":
            out["unclear"].append(f)
        else:
            out["not_applying"].append(f)
    return out


def _findings_view(
    workspace: Workspace,
    check: service.RecordCheck,
    plural: str,
    *,
    record_url: str,
    questions: list[Question],
    can_answer: bool,
    precheck: bool = False,
) -> FindingsView:
    ws = workspace.slug
    own = [_finding(f.as_dict()) for f in check.findings]
    for f in own:
        f["rule_url"] = f"/w/{ws}/rules/{f['rule_id']}"
    before = {f["rule_id"]: f["verdict"] for f in own}
    today = []
    for f in check.findings_today:
        if before.get(f.rule_id) != f.verdict:
            shown = _finding(f.as_dict())
            shown["rule_url"] = f"/w/{ws}/rules/{f.rule_id}"
            shown["before_label"] = VERDICT_LABELS.get(before.get(f.rule_id, "not_in_force"), "Not in force")
            today.append(shown)
    parts = _split(own)
    return FindingsView(
        workspace=workspace,
        record_type=check.record_type,
        plural=plural,
        ref=check.record_ref,
        title=check.record_title,
        record_url=record_url,
        check_date=check.check_date,
        badge=badge_view(ws, plural, check.badge()),
        questions=questions,
        can_answer=can_answer,
        answer_url=f"{findings_path(ws, plural, check.record_ref)}/answers",
        today_changes=today,
        rules_url=f"/w/{ws}/rules",
        api_url=f"/api/workspaces/{ws}/rules/check/{plural}/{check.record_ref}",
        precheck=precheck,
        **parts,
    )


def _questions(record_type: str, answers: dict[str, Any]) -> list[Question]:
    out = []
    for name, fact in FACTS.items():
        if fact.asked and fact.record == record_type:
            value = answers.get(name)
            out.append(
                Question(
                    name,
                    (fact.question or fact.description).removeprefix("answer: "),
                    fact.description,
                    "unknown" if value is None else ("yes" if value else "no"),
                )
            )
    return out


def findings_view(
    engine: Engine, ws: str, plural: str, ref: str, actor: Actor, *, check_date: date | None = None
) -> FindingsView:
    workspace = registry.get_workspace(engine, ws, actor)
    check = service.check_record(engine, ws, plural, ref, actor, check_date=check_date or today_in(workspace.timezone))
    answers = service.fact_answers(engine, ws, plural, ref, actor)
    return _findings_view(
        workspace,
        check,
        plural,
        record_url=record_path(ws, plural, ref),
        questions=_questions(check.record_type, answers),
        can_answer=actor.can_write,
    )


@dataclass
class PrecheckView:
    """A planned engagement checked before it is saved (nothing is written), and the form again."""

    workspace: Workspace
    form: FormView
    check: FindingsView | None = field(metadata={"help": "None when the form has problems to fix first."})
    saved: bool = False


def precheck_view(engine: Engine, ws: str, data: dict[str, Any], actor: Actor, form: FormView) -> PrecheckView:
    workspace = registry.get_workspace(engine, ws, actor)
    check = service.precheck_engagement(engine, ws, data, actor, check_date=today_in(workspace.timezone))
    findings = _findings_view(
        workspace, check, "engagements", record_url="", questions=[], can_answer=False, precheck=True
    )
    return PrecheckView(workspace, form, findings)


# -- the rule browser ----------------------------------------------------------------------------


def _in_force_label(rule: service.RuleInfo, today: date) -> str:
    if rule.expected:
        return f"Expected from {format_day(rule.effective_from)} (announced or pending, not confirmed in force)"
    if rule.effective_from > today:
        return f"Will be in force from {format_day(rule.effective_from)}"
    if rule.effective_to is not None and rule.effective_to < today:
        return f"In force {format_day(rule.effective_from)} to {format_day(rule.effective_to)} (no longer)"
    until = f" to {format_day(rule.effective_to)}" if rule.effective_to else ""
    return f"In force since {format_day(rule.effective_from)}{until}"


def _rule_row(ws: str, rule: service.RuleInfo, today: date) -> dict:
    data = rule.as_dict()
    data.update(
        url=f"/w/{ws}/rules/{rule.id}",
        in_force=_in_force_label(rule, today),
        bearer_label=BEARER_LABELS.get(rule.duty_bearer, rule.duty_bearer),
        obligation_label=labelled(rule.obligation_kind),
        citations=_citations(rule.citations),
        condition_text=yaml.safe_dump(
            rule.condition, sort_keys=False, allow_unicode=True, default_flow_style=False
        ).strip(),
        future=rule.expected or rule.effective_from > today,
    )
    return data


@dataclass
class PackGroup:
    pack: str
    version: str
    origin: str
    jurisdiction: str
    disclaimer: str
    rules: list[dict]


def jurisdiction_name(jurisdiction: str) -> str:
    """'US-AR' reads 'Arkansas', 'US (federal)' reads 'United States (federal)'."""
    import pycountry

    code = jurisdiction.split(" ", 1)[0].rstrip(",")
    if "-" in code:
        found = pycountry.subdivisions.get(code=code.upper())
        name = found.name if found is not None else None
    else:
        name = country_name(code)
    return f"{name}{jurisdiction[len(code) :]}" if name else jurisdiction


@dataclass
class RuleBrowserView:
    """The rules of the packs that can bind this workspace (its country's, its state's, its own),
    by pack, each with its citations; other jurisdictions' packs apart."""

    workspace: Workspace
    today: date
    packs: list[PackGroup] = field(metadata={"help": "Packs that can bind this workspace."})
    disclaimer: str
    can_change: bool
    links: list[Link]
    other_packs: list[PackGroup] = field(
        default_factory=list, metadata={"help": "Packs of other jurisdictions: they cannot bind this workspace."}
    )


def rule_browser_view(engine: Engine, ws: str, actor: Actor) -> RuleBrowserView:
    workspace = registry.get_workspace(engine, ws, actor)
    today = today_in(workspace.timezone)
    groups: dict[str, PackGroup] = {}
    ours: set[str] = set()
    for rule in service.list_rules(engine, ws):
        group = groups.get(rule.pack)
        if group is None:
            group = groups[rule.pack] = PackGroup(
                rule.pack,
                rule.pack_version,
                rule.pack_origin,
                jurisdiction_name(rule.jurisdiction),
                rule.disclaimer,
                [],
            )
        if rule.binds_us:
            ours.add(rule.pack)
        group.rules.append(_rule_row(ws, rule, today))
    links = [
        Link("Our obligations", f"/w/{ws}/obligations"),
        Link("Interpretations of undefined terms", f"/w/{ws}/rules/interpretations"),
        Link("Pack versions, staged changes and their impact", f"/w/{ws}/rules/impact"),
    ]
    return RuleBrowserView(
        workspace,
        today,
        [g for g in groups.values() if g.pack in ours],
        DISCLAIMER,
        may_change_rules(actor),
        links,
        [g for g in groups.values() if g.pack not in ours],
    )


@dataclass
class RuleView:
    """Every version of one rule, with citations, confidence, dates and its condition."""

    workspace: Workspace
    rule_id: str
    title: str
    versions: list[dict]
    disclaimer: str


def rule_view(engine: Engine, ws: str, rule_id: str, actor: Actor) -> RuleView:
    workspace = registry.get_workspace(engine, ws, actor)
    today = today_in(workspace.timezone)
    versions = [_rule_row(ws, r, today) for r in service.get_rule(rule_id, engine, ws)]
    return RuleView(workspace, rule_id, versions[-1]["title"], versions, DISCLAIMER)


# -- interpretations ------------------------------------------------------------------------------


@dataclass
class TermInfo:
    id: str
    label: str
    applies_to: str
    meaning: str
    settle: str
    citations: list[dict]


@dataclass
class InterpretationsView:
    """Counsel's readings of undefined terms: staged, active or withdrawn; the editor for counsel."""

    workspace: Workspace
    items: list[dict]
    terms: list[TermInfo]
    can_change: bool
    values: dict[str, str] = field(default_factory=dict, metadata={"help": "What was typed (after a refusal)."})
    problems: list[dict] = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)
    impact_url: str = ""
    other_terms: list[TermInfo] = field(
        default_factory=list, metadata={"help": "Terms of other jurisdictions' packs (they cannot bind us)."}
    )


def interpretations_view(
    engine: Engine,
    ws: str,
    actor: Actor,
    *,
    values: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
) -> InterpretationsView:
    workspace = registry.get_workspace(engine, ws, actor)
    items = []
    for item in reversed(service.list_interpretations(engine, ws)):
        data = item.as_dict() | {"when": yaml.safe_dump(item.when, sort_keys=False, allow_unicode=True).strip()}
        if item.status == "staged":
            data["impact_url"] = f"/w/{ws}/rules/impact?chosen=1&interpretation={item.id}"
        if item.status == "active":
            data["withdraw_url"] = f"/w/{ws}/rules/impact?chosen=1&withdraw={item.id}"
        items.append(data)

    def info(t) -> TermInfo:
        return TermInfo(
            t.id,
            t.label,
            t.applies_to,
            t.meaning,
            t.settle,
            _citations([c.model_dump(mode="json", exclude_none=True) for c in t.citations]),
        )

    terms = [info(t) for t in service.list_terms(engine, ws)]
    others = [info(t) for t in service.list_terms(engine, ws, ours=False)]
    facts = [
        {"name": f.name, "type": f.type, "meaning": f.description, "vocabulary": list(f.values or ())}
        for f in FACTS.values()
        if f.record in {t.applies_to for t in terms}
    ]
    return InterpretationsView(
        workspace,
        items,
        terms,
        may_change_rules(actor),
        values or {},
        [p.as_dict() for p in problems or []],
        facts,
        f"/w/{ws}/rules/impact",
        others,
    )


# -- impact of a staged change --------------------------------------------------------------------


@dataclass
class ImpactView:
    """What would change if the chosen staged pack versions and interpretations were activated."""

    workspace: Workspace
    check_date: date
    versions: list[dict] = field(metadata={"help": "Every stored pack version; 'chosen' marks those in this report."})
    staged_interpretations: list[dict]
    active_interpretations: list[dict]
    chosen_versions: list[int]
    chosen_interpretations: list[int]
    chosen_withdraw: list[int]
    summary: dict | None
    changed: list[dict] = field(metadata={"help": "Records whose verdict changes, with before and after."})
    new_obligations: list[dict]
    agreements_to_end: list[dict]
    removed_obligations: list[dict]
    shipped: list[str] = field(metadata={"help": "Ids of the shipped packs (to stage a shipped version)."})
    can_change: bool
    problems: list[dict] = field(default_factory=list)
    message: str = ""
    disclaimer: str = DISCLAIMER


ROWS_SHOWN = 500


def _impact_row(ws: str, row) -> dict:
    data = row.as_dict()
    plural = {"engagement": "engagements", "agreement": "agreements", "gift": "gifts"}[row.record_type]
    data.update(
        record_url=findings_path(ws, plural, row.record_ref)
        if plural in CHECKED_TYPES
        else record_path(ws, plural, row.record_ref),
        rule_url=f"/w/{ws}/rules/{row.rule_id}",
        before_label=VERDICT_LABELS.get(row.before, row.before),
        after_label=VERDICT_LABELS.get(row.after, row.after),
        when=("planned" if row.planned else "past") if row.planned is not None else "date unknown",
    )
    return data


def impact_view(
    engine: Engine,
    ws: str,
    actor: Actor,
    *,
    versions: list[int] | None = None,
    interpretations: list[int] | None = None,
    withdraw: list[int] | None = None,
    check_date: date | None = None,
    problems: list[Problem] | None = None,
    message: str = "",
) -> ImpactView:
    """With nothing chosen (``None``), every staged version and interpretation is in the report."""
    workspace = registry.get_workspace(engine, ws, actor)
    check_date = check_date or today_in(workspace.timezone)
    stored = service.list_pack_versions(engine, ws)
    readings = service.list_interpretations(engine, ws)
    if versions is None:
        versions = [v.id for v in stored if v.status == "staged"]
    if interpretations is None:
        interpretations = [i.id for i in readings if i.status == "staged"]
    withdraw = withdraw or []
    report = None
    if versions or interpretations or withdraw:
        report = service.impact(
            engine,
            ws,
            actor,
            versions=versions,
            interpretations=interpretations,
            withdraw=withdraw,
            check_date=check_date,
        )
    rows = [_impact_row(ws, r) for r in report.rows] if report else []
    from ...rules.loader import shipped_packs

    return ImpactView(
        workspace=workspace,
        check_date=check_date,
        versions=[v.as_dict() | {"chosen": v.id in versions} for v in reversed(stored)],
        staged_interpretations=[
            i.as_dict() | {"chosen": i.id in interpretations} for i in readings if i.status == "staged"
        ],
        active_interpretations=[i.as_dict() | {"chosen": i.id in withdraw} for i in readings if i.status == "active"],
        chosen_versions=list(versions),
        chosen_interpretations=list(interpretations),
        chosen_withdraw=list(withdraw),
        summary=report.summary() if report else None,
        changed=rows[:ROWS_SHOWN],
        new_obligations=[r for r in rows if r["new_obligation"]][:ROWS_SHOWN],
        agreements_to_end=[
            r for r in rows if r["must_end_by"] or (r["new_obligation"] and r["obligation_kind"] == "must_terminate")
        ],
        removed_obligations=[r for r in rows if r["obligation_removed"]][:ROWS_SHOWN],
        shipped=[p.id for p in shipped_packs()],
        can_change=may_change_rules(actor),
        problems=[p.as_dict() for p in problems or []],
        message=message,
    )


# -- obligations as tasks --------------------------------------------------------------------------


@dataclass
class ObligationsView:
    """Our obligations from the rules, as tasks: due date, owner, status and evidence."""

    workspace: Workspace
    today: date
    status: str
    statuses: list[str]
    items: list[dict]
    overdue: int
    can_edit: bool
    problems: list[dict] = field(default_factory=list)
    message: str = ""


def obligations_view(
    engine: Engine,
    ws: str,
    actor: Actor,
    *,
    status: str = "open",
    problems: list[Problem] | None = None,
    message: str = "",
) -> ObligationsView:
    workspace = registry.get_workspace(engine, ws, actor)
    today = today_in(workspace.timezone)
    statuses = list(service.store.OBLIGATION_STATUSES)
    tasks = service.list_obligations(engine, ws, actor, status=status if status in statuses else None)
    plurals = {"engagement": "engagements", "agreement": "agreements", "gift": "gifts"}
    wanted: dict[str, set[str]] = {}
    for task in tasks:
        wanted.setdefault(plurals[task.record_type], set()).add(task.record_ref)
    titles = refs.display_names(engine, ws, actor, wanted)
    items = []
    for task in tasks:
        plural = plurals[task.record_type]
        data = task.as_dict()
        data.update(
            record_title=titles.get(plural, {}).get(task.record_ref, task.record_ref),
            overdue=task.status == "open" and task.due_on is not None and task.due_on < today,
            due_label=format_day(task.due_on) if task.due_on else "no date",
            record_url=record_path(ws, plural, task.record_ref),
            findings_url=findings_path(ws, plural, task.record_ref) if plural in CHECKED_TYPES else None,
            rule_url=f"/w/{ws}/rules/{task.rule_id}",
            kind_label=labelled(task.kind),
            update_url=f"/w/{ws}/obligations/{task.id}",
        )
        items.append(data)
    return ObligationsView(
        workspace,
        today,
        status if status in statuses else "all",
        statuses,
        items,
        sum(1 for i in items if i["overdue"]),
        actor.can_write,
        [p.as_dict() for p in problems or []],
        message,
    )
