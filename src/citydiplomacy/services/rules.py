"""Rules use cases: check records, pre-check a planned engagement, browse rules, record
interpretations, stage packs, read the impact of a change, activate it, and track our
obligations as tasks.

Every function takes primitives and an :class:`Actor`, runs in its own unit of work, and
returns plain dataclasses with everything a page needs (findings with their trace,
explanations, impact rows). Changes to rules (staging, activating, interpretations) are
for counsel: an actor whose ``role`` is below counsel is refused. Every write is audited.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine

from ..adapters.db import tables as t
from ..adapters.db.repository import ALL_LEVELS, visible_to
from ..domain import RECORD_TYPES_BY_PLURAL, InvalidInput, NotFound, PermissionDenied, Problem
from ..domain.accounts import Role
from ..rules import store
from ..rules.cases import CaseResult, run_cases
from ..rules.conditions import Interpretation, Scope_, parse
from ..rules.derive import Context, facts_for_records
from ..rules.engine import APPLIES, OUR_SIDE, UNCLEAR, Evaluation, Finding, RuleSet, evaluate
from ..rules.facts import FACTS
from ..rules.impact import ImpactReport, compare
from ..rules.loader import LoadedPack, load_file, load_pack, shipped_pack_files, shipped_packs
from ..rules.records import context_for, load_records
from ..rules.table import FactTable
from .registry import Actor, parse_record, problems_from_validation
from .unit_of_work import UnitOfWork

RULE_RECORDS = {"engagements": "engagement", "agreements": "agreement", "gifts": "gift"}


def _record_kind(plural: str) -> str:
    try:
        return RULE_RECORDS[plural]
    except KeyError:
        raise InvalidInput(
            [Problem(f"rules check engagements, agreements and gifts, not '{plural}'", field="type")]
        ) from None


def _require_counsel(actor: Actor, what: str) -> None:
    if actor.role is not None and not Role(actor.role).at_least(Role.counsel):
        raise PermissionDenied(f"Only counsel (or an admin) may {what}; {actor.name} is {Role(actor.role).value}.")


def _today() -> date:
    return date.today()


# -- results ------------------------------------------------------------------------------


@dataclass
class RecordCheck:
    """A record checked against the rules: as on its own date, and as if today."""

    record_type: str
    record_ref: str
    record_title: str
    check_date: date
    findings: list[Finding]
    findings_today: list[Finding]

    @property
    def our_obligations(self) -> list[Finding]:
        return [f for f in self.findings if f.is_our_obligation]

    @property
    def about_counterpart(self) -> list[Finding]:
        return [f for f in self.findings if f.about_counterpart and f.verdict == "applies"]

    @property
    def unclear(self) -> list[Finding]:
        return [f for f in self.findings if f.verdict == "unclear"]

    def badge(self) -> Badge:
        return Badge.of(self.record_ref, self.findings)

    def as_dict(self) -> dict:
        return {
            "record_type": self.record_type,
            "record_ref": self.record_ref,
            "record_title": self.record_title,
            "check_date": self.check_date.isoformat(),
            "badge": self.badge().as_dict(),
            "findings": [f.as_dict() for f in self.findings],
            "findings_today": [f.as_dict() for f in self.findings_today],
        }


@dataclass
class Badge:
    """What a list page shows next to a record."""

    ref: str
    our_obligations: int = 0
    counterpart_duties: int = 0
    unclear: int = 0
    next_due: date | None = None
    label: str = "no rule applies"
    level: str = "ok"  # ok, info, unclear, action

    @classmethod
    def of(cls, ref: str, findings: list[Finding]) -> Badge:
        badge = cls(ref)
        for f in findings:
            if f.verdict == "applies" and f.is_our_obligation:
                badge.our_obligations += 1
                if f.due_on and (badge.next_due is None or f.due_on < badge.next_due):
                    badge.next_due = f.due_on
            elif f.verdict == "applies":
                badge.counterpart_duties += 1
            elif f.verdict == "unclear":
                badge.unclear += 1
        if badge.our_obligations:
            badge.level, badge.label = "action", f"{badge.our_obligations} obligation(s) for us"
        elif badge.unclear:
            badge.level, badge.label = "unclear", f"{badge.unclear} unclear"
        elif badge.counterpart_duties:
            badge.level, badge.label = "info", f"{badge.counterpart_duties} duty(ies) of the counterpart"
        return badge

    def as_dict(self) -> dict:
        out = dict(self.__dict__)
        out["next_due"] = self.next_due.isoformat() if self.next_due else None
        return out


@dataclass
class RuleInfo:
    """A rule as the rule browser shows it."""

    id: str
    title: str
    pack: str
    pack_version: str
    pack_origin: str
    jurisdiction: str
    duty_bearer: str
    applies_to: str
    obligation_kind: str
    obligation_text: str
    effective_from: date
    effective_to: date | None
    expected: bool
    confidence: str
    confidence_reason: str
    illustrative: bool
    citations: list[dict]
    condition: Any
    for_us: str | None
    disclaimer: str
    binds_us: bool | None = None  # can the pack bind the workspace (its country, state, city)? None: no workspace

    def as_dict(self) -> dict:
        out = dict(self.__dict__)
        out["effective_from"] = self.effective_from.isoformat()
        out["effective_to"] = self.effective_to.isoformat() if self.effective_to else None
        return out


# -- packs in force -------------------------------------------------------------------------

_LOADED: dict[str, LoadedPack] = {}


def _load_stored(version: store.PackVersion) -> LoadedPack:
    found = _LOADED.get(version.sha256)
    if found is None:
        found = load_pack(
            version.content,
            f"{version.pack_id} {version.version} (stored #{version.id})",
            cases_text=version.cases,
            run_cases=False,
            origin=version.origin,
        )
        _LOADED[version.sha256] = found
    return found


def _packs_in_force(uow: UnitOfWork, *, replace: dict[str, LoadedPack] | None = None) -> list[LoadedPack]:
    """Per pack id: the workspace's active stored version, else the shipped one."""
    by_id = {p.id: p for p in shipped_packs()}
    for version in store.versions(uow.conn, uow.workspace_id, status="active"):
        by_id[version.pack_id] = _load_stored(version)
    by_id.update(replace or {})
    return [by_id[k] for k in sorted(by_id)]


def _binding(workspace):
    """A test of whether a pack can bind the workspace: its country's, its state's, its own."""
    kind = str(workspace.kind)

    def binds(loaded: LoadedPack) -> bool:
        return loaded.pack.applies_in.binds(
            kind, workspace.country_code, workspace.subdivision_code, workspace.place_geonames_id
        )

    return binds


def _ruleset(uow: UnitOfWork, *, replace=None, interpretations: list[Interpretation] | None = None) -> RuleSet:
    if interpretations is None:
        interpretations = store.interpretations(uow.conn, uow.workspace_id, status="active")
    return RuleSet(_packs_in_force(uow, replace=replace), interpretations)


# -- facts of a workspace, cached ---------------------------------------------------------

_FACTS: dict[tuple, tuple[tuple, FactTable]] = {}
_SOURCE_TABLES = {
    "engagement": [
        t.engagements,
        t.partners,
        t.people,
        t.posts,
        t.engagement_participants,
        t.engagement_partners,
        t.rule_fact_answers,
    ],
    "agreement": [t.agreements, t.partners, t.places, t.agreement_parties, t.rule_fact_answers],
    "gift": [t.gifts, t.partners, t.people, t.posts, t.rule_fact_answers],
}


def workspace_facts(uow: UnitOfWork, record: str) -> FactTable:
    """Facts of every record of a kind in the workspace; rebuilt only when the records changed."""
    key = (id(uow.engine), uow.workspace_id, record)
    stamp = store.fingerprint(uow.conn, uow.workspace_id, _SOURCE_TABLES[record]) + (
        tuple(uow.workspace.model_dump(mode="json").values()),
    )
    cached = _FACTS.get(key)
    if cached and cached[0] == stamp:
        return cached[1]
    ctx = context_for(uow.records, uow.workspace)
    # Facts of every record, cached per workspace: a system read on purpose; the findings are
    # filtered per reader before anyone sees them.
    records = load_records(uow.records, record, ALL_LEVELS)
    table = facts_for_records(record, records, ctx, store.answers(uow.conn, uow.workspace_id, record))
    _FACTS[key] = (stamp, table)
    return table


def _cached_facts(uow: UnitOfWork, record: str) -> FactTable | None:
    """The workspace's cached fact table if it is up to date, else None (nothing is rebuilt)."""
    stamp = store.fingerprint(uow.conn, uow.workspace_id, _SOURCE_TABLES[record]) + (
        tuple(uow.workspace.model_dump(mode="json").values()),
    )
    cached = _FACTS.get((id(uow.engine), uow.workspace_id, record))
    return cached[1] if cached and cached[0] == stamp else None


def badges_for(
    engine: Engine, workspace: str, plural: str, records: list, actor: Actor, *, check_date: date | None = None
) -> dict[str, Badge]:
    """Badges of a few loaded records (a list page's): from the workspace's cached fact table when
    it is up to date, else from the facts of these records alone (with only what they point at),
    so that a list page never waits for the whole workspace's facts to be derived again."""
    record = _record_kind(plural)
    check_date = check_date or _today()
    with UnitOfWork(engine, workspace, write=False) as uow:
        ruleset = _ruleset(uow)
        visible = _visible_refs(uow, plural, actor, [r.ref for r in records])
        table = workspace_facts(uow, record) if record == "gift" else _cached_facts(uow, record)
        if table is None:
            items = [r for r in records if r.ref in visible]
            answers = store.answers(uow.conn, uow.workspace_id, record)
            table = facts_for_records(
                record, items, _context_for_items(uow, items), {ref: answers.get(ref, {}) for ref in visible}
            )
    return _badges(evaluate(ruleset, table, check_date), visible)


def _context_for_items(uow: UnitOfWork, items: list) -> Context:
    """What a few engagements or agreements point at: their partners, places, people and posts."""
    from types import SimpleNamespace

    from sqlalchemy import select

    conn, ws = uow.conn, uow.workspace_id
    p, pl, pe, po = t.partners, t.places, t.people, t.posts
    partner_refs, place_refs, person_refs = set(), set(), set()
    for item in items:
        partner_refs.update(getattr(item, "partners", None) or [])
        for party in getattr(item, "parties", None) or []:
            partner_refs.add(party.partner) if party.partner else place_refs.add(party.place)
        for participant in getattr(item, "participants", None) or []:
            person_refs.add(participant.person)
    partners = [
        SimpleNamespace(ref=r.ref, kind=r.kind, country_code=r.country_code)
        for r in conn.execute(
            select(p.c.ref, p.c.kind, p.c.country_code).where(
                p.c.workspace_id == ws, p.c.ref.in_(partner_refs - {None})
            )
        )
    ]
    places = [
        SimpleNamespace(ref=r.ref, kind=r.kind, country_code=r.country_code)
        for r in conn.execute(
            select(pl.c.ref, pl.c.kind, pl.c.country_code).where(
                pl.c.workspace_id == ws, pl.c.ref.in_(place_refs - {None})
            )
        )
    ]
    people = conn.execute(
        select(pe.c.id, pe.c.ref, pe.c.country_code).where(pe.c.workspace_id == ws, pe.c.ref.in_(person_refs - {None}))
    ).all()
    person_of = {r.id: r.ref for r in people}
    rows = conn.execute(
        select(
            po.c.ref,
            po.c.person_id,
            p.c.ref.label("partner"),
            po.c.seniority,
            po.c.level,
            po.c.start_date,
            po.c.end_date,
        )
        .select_from(po.outerjoin(p, po.c.partner_id == p.c.id))
        .where(po.c.workspace_id == ws, po.c.person_id.in_(list(person_of)))
    ).all()
    posts = [
        SimpleNamespace(
            ref=r.ref,
            person=person_of.get(r.person_id),
            partner=r.partner,
            seniority=r.seniority,
            level=r.level,
            start_date=r.start_date,
            end_date=r.end_date,
        )
        for r in rows
    ]
    return Context.for_workspace(
        uow.workspace,
        partners=partners,
        places=places,
        people=[SimpleNamespace(ref=r.ref, country_code=r.country_code) for r in people],
        posts=posts,
    )


def _findings(ruleset: RuleSet, table: FactTable, row: int, check_date: date) -> tuple[list[Finding], list[Finding]]:
    own = evaluate(ruleset, table, check_date).findings(row)
    today = evaluate(ruleset, table, check_date, view="today").findings(row)
    return own, today


# -- checking -------------------------------------------------------------------------------


def check_record(
    engine: Engine, workspace: str, plural: str, ref: str, actor: Actor, *, check_date: date | None = None
) -> RecordCheck:
    """Findings (with trace) for one saved engagement, agreement or gift."""
    record = _record_kind(plural)
    check_date = check_date or _today()
    with UnitOfWork(engine, workspace, write=False) as uow:
        _id, item = uow.records.get(plural, ref, visible=actor.visible)  # NotFound if the actor may not see it
        ruleset = _ruleset(uow)
        if record == "gift":  # yearly totals per donor need every gift of the workspace
            table = workspace_facts(uow, record)
            table = _one_row(table, table.refs.index(ref))
        else:  # one record: no need to load the whole workspace
            ctx = context_for(uow.records, uow.workspace)
            table = facts_for_records(
                record, [item], ctx, {ref: store.answers(uow.conn, uow.workspace_id, record).get(ref, {})}
            )
    own, today = _findings(ruleset, table, 0, check_date)
    return RecordCheck(record, ref, table.titles[0], check_date, own, today)


def _one_row(table: FactTable, row: int) -> FactTable:
    """A one-record table (explanations of one record cost nothing however large the workspace)."""
    from ..rules.table import Column

    out = FactTable(table.record, [table.refs[row]], titles=[table.titles[row]])
    for name, column in table.columns.items():
        out.columns[name] = Column(column.type, column.data[row : row + 1], column.known[row : row + 1])
    return out


def precheck_engagement(
    engine: Engine,
    workspace: str,
    data: dict[str, Any],
    actor: Actor,
    *,
    check_date: date | None = None,
    answers: dict[str, Any] | None = None,
) -> RecordCheck:
    """Check a planned engagement given as a dict (the API's JSON), before it is saved.

    Fields left out whose default would decide a rule (``official_capacity``) are taken as
    unknown, so the answer is *unclear* rather than silently assumed."""
    engagement = parse_record("engagements", data)
    unknown = {engagement.ref: {name for name in ("official_capacity",) if name not in data}}
    check_date = check_date or _today()
    with UnitOfWork(engine, workspace, write=False) as uow:
        problems = uow.records.validate_refs(engagement)
        if problems:
            raise InvalidInput(problems)
        ctx = context_for(uow.records, uow.workspace)
        ruleset = _ruleset(uow)
    table = facts_for_records(
        "engagement", [engagement], ctx, {engagement.ref: _checked_answers(answers or {})}, unknown
    )
    own, today = _findings(ruleset, table, 0, check_date)
    return RecordCheck("engagement", engagement.ref, engagement.title, check_date, own, today)


@dataclass
class WorkspaceCheck:
    check_date: date
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    badges: dict[str, dict[str, Badge]] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "check_date": self.check_date.isoformat(),
            "counts": self.counts,
            "seconds": round(self.seconds, 3),
            "badges": {p: {r: b.as_dict() for r, b in items.items()} for p, items in self.badges.items()},
        }


def check_workspace(
    engine: Engine,
    workspace: str,
    actor: Actor,
    *,
    check_date: date | None = None,
    record_types=("engagements", "agreements", "gifts"),
    with_badges: bool = True,
    refs: Iterable[str] | None = None,
) -> WorkspaceCheck:
    """Every engagement, agreement and gift checked at once (vectorised), with a badge each.

    ``refs`` limits the badges to those records (a list page's): the whole workspace is still
    evaluated from the cached fact table, but only these badges are built."""
    import time

    started = time.perf_counter()
    check_date = check_date or _today()
    result = WorkspaceCheck(check_date)
    with UnitOfWork(engine, workspace, write=False) as uow:
        ruleset = _ruleset(uow)
        for plural in record_types:
            record = _record_kind(plural)
            table = workspace_facts(uow, record)
            evaluation = evaluate(ruleset, table, check_date)
            result.counts[plural] = evaluation.counts()
            if with_badges:
                result.badges[plural] = _badges(evaluation, _visible_refs(uow, plural, actor, refs))
    result.seconds = time.perf_counter() - started
    return result


def _visible_refs(uow: UnitOfWork, plural: str, actor: Actor, refs: Iterable[str] | None = None) -> set[str]:
    from sqlalchemy import select

    table = t.RECORD_TABLES[plural]
    query = select(table.c.ref).where(table.c.workspace_id == uow.workspace_id, visible_to(table, actor.visible))
    if refs is not None:
        query = query.where(table.c.ref.in_(list(refs)))
    return set(uow.conn.execute(query).scalars())


def _badges(evaluation: Evaluation, visible: set[str]) -> dict[str, Badge]:
    """Badges from the verdict arrays, without building full explanations."""
    import numpy as np

    table = evaluation.table
    ours = np.zeros(table.n, dtype=np.int32)
    theirs = np.zeros(table.n, dtype=np.int32)
    unclear = np.zeros(table.n, dtype=np.int32)
    next_due = np.full(table.n, np.iinfo(np.int64).max, dtype=np.int64)
    for result in evaluation.results.values():
        for index, compiled in enumerate(result.versions):
            rule = compiled.rule
            rows = (result.version == index) & (result.codes == APPLIES)
            if rule.duty_bearer in OUR_SIDE and not rule.expected:
                ours += rows
                has_due = rows & result.due_known
                next_due = np.where(has_due, np.minimum(next_due, result.due), next_due)
            else:
                theirs += rows
        unclear += result.codes == UNCLEAR
    from ..rules.table import from_day_number

    out = {}
    never = np.iinfo(np.int64).max
    rows = (
        range(table.n)
        if len(visible) * 4 > table.n
        else sorted(i for i, ref in enumerate(table.refs) if ref in visible)
    )
    for i in rows:
        ref = table.refs[i]
        if ref not in visible:
            continue
        badge = Badge(
            ref,
            int(ours[i]),
            int(theirs[i]),
            int(unclear[i]),
            from_day_number(int(next_due[i])) if next_due[i] != never else None,
        )
        if badge.our_obligations:
            badge.level, badge.label = "action", f"{badge.our_obligations} obligation(s) for us"
        elif badge.unclear:
            badge.level, badge.label = "unclear", f"{badge.unclear} unclear"
        elif badge.counterpart_duties:
            badge.level, badge.label = "info", f"{badge.counterpart_duties} duty(ies) of the counterpart"
        out[ref] = badge
    return out


def check_data(
    data: dict[str, Any],
    *,
    check_date: date | None = None,
    workspace: dict[str, Any] | None = None,
    packs: list[LoadedPack] | None = None,
    interpretations: list[Interpretation] = (),
) -> list[RecordCheck]:
    """Check records given as the API's JSON (``{"engagements": [...], "partners": [...], ...}``,
    a single record, or a list of records of one type), without a database.

    Records of other types in the same document (partners, places, people, posts) give the
    context; ``"answers": {"engagements/REF": {"engagement.arranges_meeting": false}}``
    answers questions the registry does not record. ``workspace`` gives the jurisdiction
    (default: a US city; e.g. {"kind": "city", "country_code": "US", "subdivision_code": "US-TX"})."""
    from ..domain import Workspace

    check_date = check_date or _today()
    documents = _as_documents(data)
    ws = workspace or {}
    try:
        ws_model = Workspace.model_validate({"slug": "file", "name": "file", "country_code": "US", **ws})
    except ValidationError as error:
        raise InvalidInput(problems_from_validation(error, prefix="workspace.")) from None
    parsed: dict[str, list] = {}
    problems: list[Problem] = []
    for plural, items in documents.items():
        for i, item in enumerate(items):
            try:
                parsed.setdefault(plural, []).append(parse_record(plural, item))
            except InvalidInput as error:
                problems.extend(
                    Problem(p.message, field=f"{plural}[{i}].{p.field}" if p.field else f"{plural}[{i}]", value=p.value)
                    for p in error.problems
                )
    if problems:
        raise InvalidInput(problems)
    ctx = Context.for_workspace(
        ws_model,
        partners=parsed.get("partners", []),
        places=parsed.get("places", []),
        people=parsed.get("people", []),
        posts=parsed.get("posts", []),
    )
    answers_by_type: dict[str, dict] = {}
    for key, values in (data.get("answers") or {}).items() if isinstance(data, dict) else []:
        plural, _sep, ref = key.partition("/")
        answers_by_type.setdefault(plural, {})[ref] = _checked_answers(values)
    ruleset = RuleSet(packs if packs is not None else shipped_packs(), list(interpretations))
    out = []
    for plural, record in RULE_RECORDS.items():
        records = parsed.get(plural, [])
        if not records:
            continue
        table = facts_for_records(record, records, ctx, answers_by_type.get(plural))
        own = evaluate(ruleset, table, check_date)
        today = evaluate(ruleset, table, check_date, view="today")
        for row, item in enumerate(records):
            out.append(
                RecordCheck(record, item.ref, table.titles[row], check_date, own.findings(row), today.findings(row))
            )
    if not out:
        raise InvalidInput([Problem("no engagements, agreements or gifts to check in this file")])
    return out


def _as_documents(data: Any) -> dict[str, list]:
    if isinstance(data, list):
        kinds = {_guess_type(item) for item in data}
        if len(kinds) != 1 or None in kinds:
            raise InvalidInput([Problem("a list must hold records of one type (engagements, agreements or gifts)")])
        return {kinds.pop(): data}
    if not isinstance(data, dict):
        raise InvalidInput([Problem("give a JSON object or a list of records")])
    if any(key in RECORD_TYPES_BY_PLURAL for key in data):
        unknown = [k for k in data if k not in RECORD_TYPES_BY_PLURAL and k not in ("answers", "workspace")]
        if unknown:
            raise InvalidInput(
                [
                    Problem(
                        f"unknown key '{k}'; use record types ({', '.join(RECORD_TYPES_BY_PLURAL)}), 'answers' or 'workspace'",
                        field=k,
                    )
                    for k in unknown
                ]
            )
        return {k: v for k, v in data.items() if k in RECORD_TYPES_BY_PLURAL}
    kind = _guess_type(data)
    if kind is None:
        raise InvalidInput(
            [
                Problem(
                    "cannot tell the record type: an engagement has 'start', an agreement 'parties' or 'kind', a gift 'received_on'"
                )
            ]
        )
    return {kind: [data]}


def _guess_type(item: Any) -> str | None:
    if not isinstance(item, dict):
        return None
    if "received_on" in item:
        return "gifts"
    if "start" in item:
        return "engagements"
    if "parties" in item or "signed_on" in item or ("kind" in item and "title" in item):
        return "agreements"
    return None


def _checked_answers(values: dict[str, Any]) -> dict[str, Any]:
    problems = []
    for name, value in values.items():
        fact = FACTS.get(name)
        if fact is None or not fact.asked:
            asked = ", ".join(n for n, f in FACTS.items() if f.asked)
            problems.append(Problem(f"'{name}' is not a question the rules ask; answerable facts: {asked}", field=name))
        elif fact.type == "bool" and not isinstance(value, bool) and value is not None:
            problems.append(Problem(f"'{name}' is answered true or false", field=name, value=value))
    if problems:
        raise InvalidInput(problems)
    return values


# -- browsing --------------------------------------------------------------------------------


def list_rules(
    engine: Engine | None = None, workspace: str | None = None, *, record: str | None = None
) -> list[RuleInfo]:
    """Rules with their citations: the workspace's packs in force, or the shipped packs."""
    binds = None
    if engine is not None and workspace is not None:
        with UnitOfWork(engine, workspace, write=False) as uow:
            packs = _packs_in_force(uow)
            binds = _binding(uow.workspace)
    else:
        packs = shipped_packs()
    out = []
    for loaded in packs:
        for compiled in loaded.rules:
            rule = compiled.rule
            if record and rule.applies_to != record:
                continue
            out.append(
                RuleInfo(
                    id=rule.id,
                    title=rule.title,
                    pack=loaded.id,
                    pack_version=loaded.version,
                    pack_origin=loaded.origin,
                    jurisdiction=rule.jurisdiction,
                    duty_bearer=rule.duty_bearer,
                    applies_to=rule.applies_to,
                    obligation_kind=rule.obligation.kind,
                    obligation_text=rule.obligation.text,
                    effective_from=rule.effective_from,
                    effective_to=rule.effective_to,
                    expected=rule.expected,
                    confidence=rule.confidence.level,
                    confidence_reason=rule.confidence.reason,
                    illustrative=loaded.pack.illustrative and rule.illustrative,
                    citations=[c.model_dump(mode="json", exclude_none=True) for c in rule.citations],
                    condition=rule.when,
                    for_us=rule.for_us,
                    disclaimer=loaded.pack.disclaimer,
                    binds_us=binds(loaded) if binds else None,
                )
            )
    return out


def get_rule(rule_id: str, engine: Engine | None = None, workspace: str | None = None) -> list[RuleInfo]:
    """Every version of one rule."""
    found = [r for r in list_rules(engine, workspace) if r.id == rule_id]
    if not found:
        raise NotFound("rule", rule_id)
    return found


def test_packs(paths: list[str] | None = None) -> list[CaseResult]:
    """Run the YAML cases of the shipped packs (or of the given pack files)."""
    from pathlib import Path

    files = [Path(p) for p in paths] if paths else shipped_pack_files()
    results = []
    for path in files:
        loaded = load_file(path, run_cases=False)
        results.extend(run_cases(loaded))
    return results


# -- policy shifts: stage, read the impact, activate -----------------------------------------


def stage_pack(
    engine: Engine, workspace: str, text: str, file_name: str, actor: Actor, *, cases_text: str | None = None
) -> store.PackVersion:
    """Validate a pack (and run its cases) and store it as staged. Nothing changes until activated.
    A bad pack raises InvalidInput naming file, line and rule; the active version stays active."""
    _require_counsel(actor, "stage rule packs")
    loaded = load_pack(text, file_name, cases_text=cases_text, run_cases=True)
    with UnitOfWork(engine, workspace) as uow:
        version_id = store.stage_version(
            uow.conn,
            uow.workspace_id,
            pack_id=loaded.id,
            version=loaded.version,
            content=text,
            cases=cases_text,
            origin=loaded.origin,
            actor=actor.name,
            now=uow.now,
        )
        staged = store.version(uow.conn, uow.workspace_id, version_id)
        uow.audit(
            actor=actor.name,
            interface=actor.interface,
            action="create",
            record_type="rule_pack",
            record_ref=f"{loaded.id}@{loaded.version}#{version_id}",
            after=staged.as_dict(),
        )
        uow.commit()
    return staged


def stage_shipped_pack(engine: Engine, workspace: str, pack_id: str, actor: Actor) -> store.PackVersion:
    """Stage the shipped version of one pack (with its cases), e.g. to restore it after a change."""
    for path in shipped_pack_files():
        if load_file(path, run_cases=False).id == pack_id:
            cases = path.with_name(path.name.removesuffix(".yaml") + ".cases.yaml")
            return stage_pack(
                engine,
                workspace,
                path.read_text(encoding="utf-8"),
                str(path),
                actor,
                cases_text=cases.read_text(encoding="utf-8") if cases.exists() else None,
            )
    raise NotFound("shipped rule pack", pack_id)


def install_shipped_packs(engine: Engine, workspace: str, actor: Actor) -> list[store.PackVersion]:
    """Stage and activate the shipped packs (illustrative, not legal advice) for a workspace."""
    _require_counsel(actor, "load rule packs")
    staged = []
    for path in shipped_pack_files():
        cases = path.with_name(path.name.removesuffix(".yaml") + ".cases.yaml")
        staged.append(
            stage_pack(
                engine,
                workspace,
                path.read_text(encoding="utf-8"),
                str(path),
                actor,
                cases_text=cases.read_text(encoding="utf-8") if cases.exists() else None,
            )
        )
    activate(engine, workspace, actor, versions=[v.id for v in staged])
    return staged


def list_pack_versions(engine: Engine, workspace: str, *, status: str | None = None) -> list[store.PackVersion]:
    with UnitOfWork(engine, workspace, write=False) as uow:
        return store.versions(uow.conn, uow.workspace_id, status=status)


def record_interpretation(
    engine: Engine, workspace: str, data: dict[str, Any], actor: Actor, *, activate_now: bool = False
) -> Interpretation:
    """Counsel records how an undefined term is read, e.g. ``{"term": "official_meeting",
    "statement": "A messaging-app exchange that does not arrange a meeting is not an official meeting.",
    "when": [{"fact": "engagement.channel", "in": ["messaging_app"]}, {"fact": "engagement.arranges_meeting", "is": false}],
    "value": false}``. It is staged (see its impact first) unless ``activate_now``."""
    _require_counsel(actor, "record interpretations")
    problems = []
    for key in ("term", "statement", "when", "value"):
        if key not in data:
            problems.append(Problem(f"missing '{key}'", field=key))
    extra = set(data) - {"term", "statement", "when", "value", "on"}
    problems.extend(Problem("unknown field", field=k) for k in sorted(extra))
    if problems:
        raise InvalidInput(problems)
    if not isinstance(data["value"], bool):
        raise InvalidInput(
            [Problem("value is true (the term covers these cases) or false (it does not)", field="value")]
        )
    with UnitOfWork(engine, workspace) as uow:
        terms = _ruleset(uow).terms()
        term = terms.get(data["term"])
        if term is None:
            raise InvalidInput(
                [
                    Problem(
                        f"no undefined term '{data['term']}' in the packs in force; terms: {', '.join(sorted(terms))}",
                        field="term",
                    )
                ]
            )
        scope = Scope_(term.applies_to, {}, {}, None)
        if parse(data["when"], scope, ("when",)) is None:
            raise InvalidInput(scope.problems)
        on = date.fromisoformat(data["on"]) if data.get("on") else uow.now.date()
        interpretation = Interpretation(
            term=term.id,
            statement=str(data["statement"]).strip(),
            value=data["value"],
            when=data["when"],
            by=actor.name,
            on=on,
        )
        new_id = store.add_interpretation(
            uow.conn, uow.workspace_id, interpretation, status="active" if activate_now else "staged", now=uow.now
        )
        saved = store.interpretations(uow.conn, uow.workspace_id, ids=[new_id])[0]
        uow.audit(
            actor=actor.name,
            interface=actor.interface,
            action="create",
            record_type="interpretation",
            record_ref=f"{term.id}#{new_id}",
            after=saved.as_dict() | {"when": saved.when},
        )
        uow.commit()
    return saved


def list_interpretations(engine: Engine, workspace: str, *, status: str | None = None) -> list[Interpretation]:
    with UnitOfWork(engine, workspace, write=False) as uow:
        return store.interpretations(uow.conn, uow.workspace_id, status=status)


def impact(
    engine: Engine,
    workspace: str,
    actor: Actor,
    *,
    versions=(),
    interpretations=(),
    withdraw=(),
    check_date: date | None = None,
) -> ImpactReport:
    """What would change if the staged pack versions and interpretations were activated (and the
    listed interpretations withdrawn): verdicts, new obligations, agreements to end. Writes nothing."""
    check_date = check_date or _today()
    report = ImpactReport(check_date)
    with UnitOfWork(engine, workspace, write=False) as uow:
        before = _ruleset(uow)
        after = _proposed(uow, versions, interpretations, withdraw)
        tables = [workspace_facts(uow, record) for record in RULE_RECORDS.values()]
    for table in tables:
        compare(evaluate(before, table, check_date), evaluate(after, table, check_date), report)
    with UnitOfWork(engine, workspace, write=False) as uow:  # rows of records the actor may not see are left out
        report.rows = _only_visible(uow, report.rows, actor)
    return report


def _only_visible(uow: UnitOfWork, items: list, actor: Actor) -> list:
    """Items (impact rows, obligations) about records the actor may see; each has record_type and record_ref."""
    from ..adapters.db.repository import ALL_LEVELS

    if set(actor.visible) >= set(ALL_LEVELS) or not items:
        return items
    plurals = {kind: plural for plural, kind in RULE_RECORDS.items()}
    wanted: dict[str, set[str]] = {}
    for item in items:
        wanted.setdefault(item.record_type, set()).add(item.record_ref)
    visible = {kind: _visible_refs(uow, plurals[kind], actor, refs) for kind, refs in wanted.items()}
    return [item for item in items if item.record_ref in visible[item.record_type]]


def _proposed(uow: UnitOfWork, versions, interpretations, withdraw) -> RuleSet:
    replace = {}
    for version_id in versions:
        version = store.version(uow.conn, uow.workspace_id, int(version_id))
        replace[version.pack_id] = _load_stored(version)
    active = [
        i for i in store.interpretations(uow.conn, uow.workspace_id, status="active") if i.id not in set(withdraw)
    ]
    staged = store.interpretations(uow.conn, uow.workspace_id, ids=[int(i) for i in interpretations])
    if len(staged) != len(set(interpretations)):
        raise NotFound("interpretation", ", ".join(str(i) for i in interpretations))
    return _ruleset(uow, replace=replace, interpretations=active + staged)


def activate(engine: Engine, workspace: str, actor: Actor, *, versions=(), interpretations=(), withdraw=()) -> dict:
    """Put staged pack versions and interpretations in force (and withdraw interpretations)."""
    _require_counsel(actor, "activate rules")
    done: dict[str, list] = {"versions": [], "interpretations": [], "withdrawn": []}
    with UnitOfWork(engine, workspace) as uow:
        for version_id in versions:
            activated = store.activate_version(uow.conn, uow.workspace_id, int(version_id), actor.name, uow.now)
            done["versions"].append(activated.as_dict())
            uow.audit(
                actor=actor.name,
                interface=actor.interface,
                action="update",
                record_type="rule_pack",
                record_ref=f"{activated.pack_id}@{activated.version}#{activated.id}",
                after={"status": "active"},
            )
        for interpretation_id in interpretations:
            item = store.set_interpretation_status(
                uow.conn, uow.workspace_id, int(interpretation_id), "active", actor.name, uow.now
            )
            done["interpretations"].append(item.as_dict())
            uow.audit(
                actor=actor.name,
                interface=actor.interface,
                action="update",
                record_type="interpretation",
                record_ref=f"{item.term}#{item.id}",
                after={"status": "active"},
            )
        for interpretation_id in withdraw:
            item = store.set_interpretation_status(
                uow.conn, uow.workspace_id, int(interpretation_id), "withdrawn", actor.name, uow.now
            )
            done["withdrawn"].append(item.as_dict())
            uow.audit(
                actor=actor.name,
                interface=actor.interface,
                action="update",
                record_type="interpretation",
                record_ref=f"{item.term}#{item.id}",
                after={"status": "withdrawn"},
            )
        uow.commit()
    return done


# -- answers and obligations --------------------------------------------------------------------


def answer_fact(engine: Engine, workspace: str, plural: str, ref: str, fact: str, value: Any, actor: Actor) -> None:
    """Answer a question the registry does not record (``engagement.arranges_meeting`` …); None clears it."""
    record = _record_kind(plural)
    if not actor.can_write:
        raise PermissionDenied(f"{actor.name} may read but not change records in this workspace.")
    _checked_answers({fact: value})
    if not fact.startswith(record + "."):
        raise InvalidInput([Problem(f"'{fact}' is not a fact of {plural}", field="fact")])
    with UnitOfWork(engine, workspace) as uow:
        uow.records.get(plural, ref, visible=actor.visible)
        store.set_answer(uow.conn, uow.workspace_id, record, ref, fact, value, actor.name, uow.now)
        uow.audit(
            actor=actor.name,
            interface=actor.interface,
            action="update",
            record_type=f"{record}_answer",
            record_ref=f"{ref}:{fact}",
            after={"value": value},
        )
        uow.commit()


def sync_obligations(engine: Engine, workspace: str, actor: Actor, *, check_date: date | None = None) -> dict[str, int]:
    """Turn findings into our obligations (tasks): new ones are opened, due dates refreshed, and
    open ones whose finding no longer applies marked superseded. Owners, status and evidence are kept."""
    if not actor.can_write:
        raise PermissionDenied(f"{actor.name} may read but not change records in this workspace.")
    check_date = check_date or _today()
    counts = {"inserted": 0, "updated": 0, "unchanged": 0, "superseded": 0}
    with UnitOfWork(engine, workspace) as uow:
        ruleset = _ruleset(uow)
        keep = set()
        for record in RULE_RECORDS.values():
            table = workspace_facts(uow, record)
            evaluation = evaluate(ruleset, table, check_date)
            for rule_id, result in evaluation.results.items():
                import numpy as np

                for row in np.nonzero(result.codes == APPLIES)[0]:
                    compiled = result.versions[int(result.version[row])]
                    rule = compiled.rule
                    if rule.duty_bearer not in OUR_SIDE or rule.expected:
                        continue
                    finding = _one_finding(evaluation, rule_id, int(row))
                    values = {
                        "record_type": record,
                        "record_ref": table.refs[row],
                        "rule_id": rule_id,
                        "pack_id": result.pack.id,
                        "pack_version": result.pack.version,
                        "kind": rule.obligation.kind,
                        "description": rule.obligation.text,
                        "due_on": finding.due_on,
                        "due_note": (finding.due_text or "")[:500] or None,
                    }
                    action, _id = store.upsert_obligation(uow.conn, uow.workspace_id, values, actor.name, uow.now)
                    counts[action] += 1
                    keep.add((record, table.refs[row], rule_id))
        counts["superseded"] = store.supersede_missing(uow.conn, uow.workspace_id, keep, actor.name, uow.now)
        if counts["inserted"] or counts["updated"] or counts["superseded"]:
            uow.audit(
                actor=actor.name,
                interface=actor.interface,
                action="update",
                record_type="obligations",
                record_ref=check_date.isoformat(),
                after=counts,
            )
        uow.commit()
    return counts


def _one_finding(evaluation: Evaluation, rule_id: str, row: int) -> Finding:
    from ..rules.engine import explain

    return explain(evaluation, evaluation.results[rule_id], row)


def list_obligations(
    engine: Engine, workspace: str, actor: Actor, *, status: str | None = None, ref: str | None = None
) -> list[store.ObligationTask]:
    with UnitOfWork(engine, workspace, write=False) as uow:
        return _only_visible(uow, store.obligations(uow.conn, uow.workspace_id, status=status, record_ref=ref), actor)


def fact_answers(engine: Engine, workspace: str, plural: str, ref: str, actor: Actor) -> dict[str, Any]:
    """The answers given for one record to the questions the registry does not record."""
    record = _record_kind(plural)
    with UnitOfWork(engine, workspace, write=False) as uow:
        uow.records.get(plural, ref, visible=actor.visible)
        return dict(store.answers(uow.conn, uow.workspace_id, record).get(ref, {}))


def list_terms(engine: Engine | None = None, workspace: str | None = None, *, ours: bool = True) -> list[Any]:
    """The undefined terms of the packs in force (what interpretations can settle): for a
    workspace, those of the packs that can bind it (``ours=False``: of the other jurisdictions)."""
    if engine is not None and workspace is not None:
        with UnitOfWork(engine, workspace, write=False) as uow:
            binds = _binding(uow.workspace)
            packs = [p for p in _packs_in_force(uow) if binds(p) == ours]
    else:
        packs = shipped_packs()
    return sorted(RuleSet(packs).terms().values(), key=lambda term: term.id)


def update_obligation(
    engine: Engine, workspace: str, obligation_id: int, changes: dict[str, Any], actor: Actor
) -> store.ObligationTask:
    """Change an obligation's owner, status or evidence (e.g. ``{"status": "done", "evidence": "counsel reviewed on 2025-09-20"}``)."""
    if not actor.can_write:
        raise PermissionDenied(f"{actor.name} may read but not change records in this workspace.")
    problems = [
        Problem("only owner, status and evidence can be changed", field=k)
        for k in changes
        if k not in ("owner", "status", "evidence")
    ]
    if changes.get("status") is not None and changes["status"] not in store.OBLIGATION_STATUSES:
        problems.append(
            Problem(
                f"status is one of: {', '.join(store.OBLIGATION_STATUSES)}", field="status", value=changes["status"]
            )
        )
    if changes.get("status") == "done" and not (changes.get("evidence") or "").strip():
        problems.append(
            Problem("say what shows it was done (evidence), e.g. 'counsel reviewed on 2025-09-20'", field="evidence")
        )
    if problems:
        raise InvalidInput(problems)
    with UnitOfWork(engine, workspace) as uow:
        before = store.obligations(uow.conn, uow.workspace_id, ids=[obligation_id])
        if not before:
            raise NotFound("obligation", obligation_id)
        after = store.update_obligation(uow.conn, uow.workspace_id, obligation_id, changes, actor.name, uow.now)
        uow.audit(
            actor=actor.name,
            interface=actor.interface,
            action="update",
            record_type="obligation",
            record_ref=f"{after.record_ref}:{after.rule_id}",
            before=json.loads(json.dumps(before[0].as_dict(), default=str)),
            after=json.loads(json.dumps(after.as_dict(), default=str)),
        )
        uow.commit()
    return after
