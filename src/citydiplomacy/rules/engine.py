"""Evaluation: every rule against every record, as arrays, with three answers and a trace.

``evaluate(ruleset, table, check_date)`` answers, for each record and rule, one of:

- *applies* — with the obligation, who bears it and when it is due;
- *does not apply* — naming the condition that failed;
- *unclear* — naming the unknown fact, undefined term or unknown parameter value,
  and what would settle it;
- *not in force* — the rule was not in force on the date that matters.

Rules are taken as in force on the record's own date (an engagement's start, a gift's
receipt, an agreement's signature), except continuing duties (``in_force_on:
check_date``) which are tested on the date of the check. ``view="today"`` is the second
view: every rule and parameter as it stands on the check date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from .conditions import (
    All,
    Any_,
    CompiledTerm,
    EvalContext,
    Interpretation,
    Leaf,
    Node,
    Not,
    Scope_,
    TermRef,
    parse,
    state,
)
from .deadlines import describe as describe_deadline
from .deadlines import due_days
from .facts import FACTS, RECORD_DATE
from .loader import CompiledRule, LoadedPack
from .params import ParamIndex
from .table import FactTable, day_number, from_day_number

OUTSIDE, NOT_IN_FORCE, APPLIES, DOES_NOT_APPLY, UNCLEAR = 0, 1, 2, 3, 4
VERDICTS = {NOT_IN_FORCE: "not_in_force", APPLIES: "applies", DOES_NOT_APPLY: "does_not_apply", UNCLEAR: "unclear"}
OUR_SIDE = ("our_government", "named_official")


class RuleSet:
    """Packs compiled together with a workspace's interpretations (and, for cases, assumed parameter values)."""

    def __init__(
        self,
        packs: list[LoadedPack],
        interpretations: list[Interpretation] = (),
        overlay: dict[str, dict[str, dict[date, Any]]] | None = None,
    ):
        self.packs = list(packs)
        self.interpretations = list(interpretations)
        self.problems: list[str] = []
        self._params: dict[str, dict[str, ParamIndex]] = {}
        self._terms: dict[str, dict[str, CompiledTerm]] = {}
        overlay = overlay or {}
        for loaded in self.packs:
            pack_overlay = overlay.get(loaded.id, {})
            self._params[loaded.id] = {p.id: ParamIndex(p, pack_overlay.get(p.id)) for p in loaded.pack.parameters}
            terms = {}
            for term in loaded.pack.terms:
                readings = []
                for interpretation in self.interpretations:
                    if interpretation.term != term.id:
                        continue
                    scope = Scope_(term.applies_to, {p.id: p for p in loaded.pack.parameters}, {}, None)
                    node = parse(interpretation.when, scope, ("when",))
                    if node is None:
                        self.problems.extend(str(p) for p in scope.problems)
                        continue
                    readings.append((interpretation, node))
                compiled = loaded.terms[term.id]
                terms[term.id] = CompiledTerm(term, compiled["clearly_true"], compiled["clearly_false"], readings)
            self._terms[loaded.id] = terms

    def rules(self, record: str | None = None) -> list[tuple[LoadedPack, CompiledRule]]:
        return [(p, r) for p in self.packs for r in p.rules if record is None or r.rule.applies_to == record]

    def terms(self) -> dict[str, Any]:
        return {t.id: t for p in self.packs for t in p.pack.terms}


@dataclass
class RuleResult:
    """One rule id (all its versions) over every row of a table."""

    pack: LoadedPack
    versions: list[CompiledRule]
    codes: np.ndarray  # int8 verdict codes
    version: np.ndarray  # index into versions, -1 if none in force
    due: np.ndarray  # day numbers
    due_known: np.ndarray
    due_exact: np.ndarray
    uncertain_start: np.ndarray  # unclear only because the start date is not confirmed
    date_unknown: np.ndarray
    contexts: list[EvalContext]

    @property
    def rule_id(self) -> str:
        return self.versions[0].rule.id


@dataclass
class Evaluation:
    table: FactTable
    ruleset: RuleSet
    check_date: date
    view: str
    results: dict[str, RuleResult] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(VERDICTS.values(), 0)
        for result in self.results.values():
            for code, name in VERDICTS.items():
                out[name] += int((result.codes == code).sum())
        return out

    def verdict(self, rule_id: str, row: int) -> str | None:
        result = self.results.get(rule_id)
        if result is None or result.codes[row] == OUTSIDE:
            return None
        return VERDICTS[int(result.codes[row])]

    def findings(self, row: int, *, include_not_in_force: bool = False) -> list[Finding]:
        out = []
        for result in self.results.values():
            code = int(result.codes[row])
            if code == OUTSIDE or (code == NOT_IN_FORCE and not include_not_in_force):
                continue
            out.append(explain(self, result, row))
        order = {APPLIES: 0, UNCLEAR: 1, DOES_NOT_APPLY: 2, NOT_IN_FORCE: 3}
        out.sort(key=lambda f: (order[_code(f.verdict)], f.about_counterpart, f.rule_id))
        return out


def _code(verdict: str) -> int:
    return {v: k for k, v in VERDICTS.items()}[verdict]


def _dates_for(table: FactTable, mode: str, check_date: date) -> tuple[np.ndarray, np.ndarray]:
    if mode == "record_date":
        column = table.columns[RECORD_DATE[table.record]]
        return column.data, column.known
    return np.full(table.n, day_number(check_date), dtype=np.int64), np.ones(table.n, dtype=bool)


def evaluate(ruleset: RuleSet, table: FactTable, check_date: date, view: str = "record_date") -> Evaluation:
    """Every rule of ``ruleset`` that applies to ``table.record`` over every row."""
    evaluation = Evaluation(table, ruleset, check_date, view)
    n = table.n
    for loaded in ruleset.packs:
        relevant = [r for r in loaded.rules if r.rule.applies_to == table.record]
        if not relevant:
            continue
        contexts: dict[str, EvalContext] = {}

        def context(mode: str, contexts=contexts, loaded=loaded) -> EvalContext:
            if view == "today":
                mode = "check_date"
            if mode not in contexts:
                days, known = _dates_for(table, mode, check_date)
                contexts[mode] = EvalContext(table, days, known, ruleset._params[loaded.id], ruleset._terms[loaded.id])
            return contexts[mode]

        scope_true, _ = loaded.scope.eval(context("check_date"))
        groups: dict[str, list[CompiledRule]] = {}
        for compiled in relevant:
            groups.setdefault(compiled.rule.id, []).append(compiled)
        for rule_id, versions in groups.items():
            codes = np.full(n, NOT_IN_FORCE, dtype=np.int8)
            chosen = np.full(n, -1, dtype=np.int16)
            due = np.zeros(n, dtype=np.int64)
            due_known = np.zeros(n, dtype=bool)
            due_exact = np.zeros(n, dtype=bool)
            uncertain = np.zeros(n, dtype=bool)
            date_unknown_all = np.zeros(n, dtype=bool)
            used = []
            for index, compiled in enumerate(versions):
                rule = compiled.rule
                ctx = context(rule.in_force_on)
                used.append(ctx)
                days, known = ctx.days, ctx.days_known
                in_force = known & (days >= day_number(rule.effective_from))
                if rule.effective_to is not None:
                    in_force &= days <= day_number(rule.effective_to)
                truth, unknown = compiled.node.eval(ctx)
                false = ~truth & ~unknown
                date_unknown = ~known & (chosen < 0)
                take = (in_force | date_unknown) & (chosen < 0)
                code = np.where(truth, APPLIES, np.where(unknown, UNCLEAR, DOES_NOT_APPLY)).astype(np.int8)
                code = np.where(date_unknown & ~false, UNCLEAR, code).astype(np.int8)
                window = np.zeros(n, dtype=bool)
                if rule.in_force_uncertain_until is not None:
                    window = in_force & (days < day_number(rule.in_force_uncertain_until)) & (code == APPLIES)
                    code = np.where(window, UNCLEAR, code).astype(np.int8)
                codes = np.where(take, code, codes).astype(np.int8)
                chosen = np.where(take, index, chosen).astype(np.int16)
                uncertain |= take & window
                date_unknown_all |= take & date_unknown
                deadline = rule.obligation.deadline
                applies = take & (code == APPLIES)
                if deadline is not None and applies.any():
                    anchor = deadline.before or deadline.after
                    reference, ref_known = None, np.ones(n, dtype=bool)
                    if anchor:
                        column = table.columns[anchor]
                        reference, ref_known = column.data, column.known
                    days_due, exact = due_days(deadline, reference, loaded.pack.holidays, n)
                    rows = applies & ref_known
                    due[rows] = days_due[rows]
                    due_known |= rows
                    due_exact[rows] = exact
            codes = np.where(scope_true, codes, OUTSIDE).astype(np.int8)
            evaluation.results[rule_id] = RuleResult(
                loaded,
                versions,
                codes,
                chosen,
                due,
                due_known,
                due_exact,
                uncertain,
                date_unknown_all,
                used,
            )
    return evaluation


# -- explanations -------------------------------------------------------------------------


@dataclass
class Unclear:
    """What makes a finding unclear, and what would settle it."""

    kind: str  # fact, term, parameter, effective_date, record_date
    name: str
    label: str
    settle: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "name": self.name, "label": self.label, "settle": self.settle}


@dataclass
class Finding:
    """One rule checked against one record, with everything a page or report needs."""

    rule_id: str
    title: str
    pack: str
    pack_version: str
    jurisdiction: str
    record_type: str
    record_ref: str
    record_title: str
    verdict: str
    view: str
    evaluated_on: date | None
    duty_bearer: str
    about_counterpart: bool
    obligation_kind: str
    obligation_text: str
    obligation_to: str | None
    due_on: date | None
    due_exact: bool
    due_text: str | None
    expected: bool
    confidence: str
    confidence_reason: str
    illustrative: bool
    for_us: str | None
    reasons: list[str]
    failed: list[dict]
    unclear: list[Unclear]
    trace: dict

    @property
    def is_our_obligation(self) -> bool:
        return self.verdict == "applies" and not self.about_counterpart and not self.expected

    def headline(self) -> str:
        who = "the counterpart" if self.about_counterpart else self.duty_bearer.replace("_", " ")
        if self.verdict == "applies":
            due = f", due {self.due_on}{'' if self.due_exact else ' (no lead time published)'}" if self.due_on else ""
            return f"{self.title}: applies — {who}: {self.obligation_text.rstrip('.')}{due}"
        if self.verdict == "unclear":
            return f"{self.title}: unclear — " + "; ".join(u.label for u in self.unclear)
        if self.verdict == "does_not_apply":
            return f"{self.title}: does not apply — " + "; ".join(
                f["text"] + f" ({f['result']})" for f in self.failed[:3]
            )
        return f"{self.title}: not in force on {self.evaluated_on}"

    def as_dict(self) -> dict:
        return {
            "rule_id": self.rule_id,
            "title": self.title,
            "pack": self.pack,
            "pack_version": self.pack_version,
            "jurisdiction": self.jurisdiction,
            "record_type": self.record_type,
            "record_ref": self.record_ref,
            "record_title": self.record_title,
            "verdict": self.verdict,
            "view": self.view,
            "evaluated_on": self.evaluated_on.isoformat() if self.evaluated_on else None,
            "duty_bearer": self.duty_bearer,
            "about_counterpart": self.about_counterpart,
            "obligation": {"kind": self.obligation_kind, "text": self.obligation_text, "to": self.obligation_to},
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "due_exact": self.due_exact,
            "due_text": self.due_text,
            "expected": self.expected,
            "confidence": {"level": self.confidence, "reason": self.confidence_reason},
            "illustrative": self.illustrative,
            "for_us": self.for_us,
            "headline": self.headline(),
            "reasons": self.reasons,
            "failed": self.failed,
            "unclear": [u.as_dict() for u in self.unclear],
            "trace": self.trace,
        }


def explain(evaluation: Evaluation, result: RuleResult, row: int) -> Finding:
    table = evaluation.table
    code = int(result.codes[row])
    version = int(result.version[row])
    compiled = result.versions[version if version >= 0 else 0]
    rule, loaded = compiled.rule, result.pack
    ctx = result.contexts[version if version >= 0 else 0]
    evaluated_on = from_day_number(int(ctx.days[row])) if ctx.days_known[row] else None
    tree = _explain_node(compiled.node, ctx, row, loaded) if version >= 0 else None
    failed: list[dict] = []
    unclear: list[Unclear] = []
    reasons: list[str] = []
    if code == DOES_NOT_APPLY and tree is not None:
        failed = _failed(tree)
        reasons.append("Does not apply because " + "; ".join(f"{f['text']} is {f['result']}" for f in failed[:4]) + ".")
    elif code == UNCLEAR:
        if result.date_unknown[row]:
            name = RECORD_DATE[table.record] if rule.in_force_on == "record_date" else "check_date"
            unclear.append(
                Unclear(
                    "record_date",
                    name,
                    f"the {name} is unknown, so it is not known which rules were in force",
                    FACTS[name].settle if name in FACTS else "give the date of the check",
                )
            )
        if result.uncertain_start[row]:
            unclear.append(
                Unclear(
                    "effective_date",
                    rule.id,
                    f"the rule's start date is not confirmed (in force for certain from {rule.in_force_uncertain_until})",
                    "counsel to confirm the effective date of the law",
                )
            )
        if tree is not None and tree["result"] == "unknown":
            unclear.extend(_unknowns(tree))
        reasons.append("Unclear: " + "; ".join(u.label for u in unclear) + ".")
    elif code == APPLIES:
        reasons.append(f"Applies: every condition holds on {evaluated_on}.")
        if rule.duty_bearer == "counterpart":
            reasons.append("The duty is the counterpart's, shown for information; it is not our obligation.")
    else:
        reasons.append(
            f"Not in force on {evaluated_on}: in force {rule.effective_from} to {rule.effective_to or 'open'}."
        )
    due_on = from_day_number(int(result.due[row])) if code == APPLIES and result.due_known[row] else None
    deadline = rule.obligation.deadline
    facts_used = sorted(
        {leaf.fact.name for leaf in compiled.node.leaves() if isinstance(leaf, Leaf)}
        | {n for t in _terms_used(tree) for n in t.get("facts", [])}
        | {RECORD_DATE[table.record]}
    )
    trace = {
        "record": {"type": table.record, "ref": table.refs[row]},
        "view": evaluation.view,
        "check_date": evaluation.check_date.isoformat(),
        "evaluated_on": evaluated_on.isoformat() if evaluated_on else None,
        "rule": {
            "id": rule.id,
            "pack": loaded.id,
            "pack_version": loaded.version,
            "version_line": loaded.rule_line(rule.id),
            "effective_from": rule.effective_from.isoformat(),
            "effective_to": rule.effective_to.isoformat() if rule.effective_to else None,
            "expected": rule.expected,
            "in_force_on": rule.in_force_on,
        },
        "facts": {name: _plain(table.columns[name].value_at(row)) for name in facts_used if name in table.columns},
        "conditions": tree,
        "parameters": _params_used(tree),
        "terms": _terms_used(tree),
        "interpretations": [t["interpretation"] for t in _terms_used(tree) if t.get("interpretation")],
        "citations": [c.model_dump(mode="json", exclude_none=True) for c in rule.citations],
        "illustrative": loaded.pack.illustrative and rule.illustrative,
        "disclaimer": loaded.pack.disclaimer,
    }
    return Finding(
        rule_id=rule.id,
        title=rule.title,
        pack=loaded.id,
        pack_version=loaded.version,
        jurisdiction=rule.jurisdiction,
        record_type=table.record,
        record_ref=table.refs[row],
        record_title=table.titles[row] if table.titles else table.refs[row],
        verdict=VERDICTS[code],
        view=evaluation.view,
        evaluated_on=evaluated_on,
        duty_bearer=rule.duty_bearer,
        about_counterpart=rule.duty_bearer not in OUR_SIDE,
        obligation_kind=rule.obligation.kind,
        obligation_text=rule.obligation.text,
        obligation_to=rule.obligation.to,
        due_on=due_on,
        due_exact=bool(result.due_exact[row]) if due_on else False,
        due_text=describe_deadline(deadline, loaded.pack.holidays) if deadline else None,
        expected=rule.expected,
        confidence=rule.confidence.level,
        confidence_reason=rule.confidence.reason,
        illustrative=loaded.pack.illustrative and rule.illustrative,
        for_us=rule.for_us,
        reasons=reasons,
        failed=failed,
        unclear=unclear,
        trace=trace,
    )


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _explain_node(node: Node, ctx: EvalContext, row: int, loaded: LoadedPack) -> dict:
    result = state(ctx, node, row)
    if isinstance(node, (All, Any_, Not)):
        return {
            "op": node.text(),
            "text": node.text(),
            "result": result,
            "children": [_explain_node(c, ctx, row, loaded) for c in node.children],
        }
    if isinstance(node, TermRef):
        compiled = ctx.terms[node.term]
        decided_by, interpretation = compiled.source_at(ctx, row)
        term = compiled.term
        out = {
            "op": "term",
            "text": f"'{term.label}'",
            "term": term.id,
            "label": term.label,
            "result": result,
            "decided_by": decided_by,
            "meaning": term.meaning,
            "settle": term.settle,
            "citations": [c.model_dump(mode="json", exclude_none=True) for c in term.citations],
        }
        facts = set()
        for key in ("clearly_true", "clearly_false"):
            sub = getattr(compiled, key)
            if sub is not None:
                facts |= {leaf.fact.name for leaf in sub.leaves() if isinstance(leaf, Leaf)}
        for _i, sub in compiled.interpretations:
            facts |= {leaf.fact.name for leaf in sub.leaves() if isinstance(leaf, Leaf)}
        out["facts"] = sorted(facts)
        if interpretation is not None:
            out["interpretation"] = interpretation.as_dict()
        return out
    assert isinstance(node, Leaf)
    column = ctx.table.columns[node.fact.name]
    value = column.value_at(row)
    out = {"op": node.op, "text": node.text(), "fact": node.fact.name, "value": _plain(value), "result": result}
    if node.param:
        index = ctx.params[node.param]
        on = node.param_as_of or (from_day_number(int(ctx.days[row])) if ctx.days_known[row] else None)
        if on is not None:
            out["parameter"] = index.at(on).as_dict()
    return out


def _failed(tree: dict) -> list[dict]:
    """The conditions that made a false answer false."""
    if tree["result"] != "false":
        return []
    if tree["op"] == "all of":
        out = []
        for child in tree["children"]:
            if child["result"] == "false":
                out.extend(_failed(child))
                break
        return out
    if tree["op"] == "any of":
        return [leaf for child in tree["children"] for leaf in _failed(child)]
    if tree["op"] == "not":
        child = tree["children"][0]
        return [{**child, "text": "not " + child["text"], "result": "false"}]
    return [{k: v for k, v in tree.items() if k != "children"}]


def _unknowns(tree: dict) -> list[Unclear]:
    if tree["result"] != "unknown":
        return []
    if tree["op"] in ("all of", "any of", "not"):
        return [u for child in tree["children"] for u in _unknowns(child)]
    if tree["op"] == "term":
        return [
            Unclear(
                "term", tree["term"], f"'{tree['label']}' is not defined in the law: {tree['meaning']}", tree["settle"]
            )
        ]
    fact = FACTS[tree["fact"]]
    if tree.get("value") is None and tree["op"] != "known":
        return [Unclear("fact", fact.name, f"{fact.name} is unknown", fact.settle)]
    parameter = tree.get("parameter") or {}
    note = parameter.get("note") or "no value is known for that date"
    return [
        Unclear(
            "parameter",
            parameter.get("id", "?"),
            f"parameter '{parameter.get('id')}' as it stood on {parameter.get('as_it_stood_on')} is not known ({note})",
            "counsel to confirm the value from the cited source",
        )
    ]


def _walk(tree: dict | None):
    if tree is None:
        return
    yield tree
    for child in tree.get("children", []):
        yield from _walk(child)


def _params_used(tree: dict | None) -> list[dict]:
    return [node["parameter"] for node in _walk(tree) if "parameter" in node]


def _terms_used(tree: dict | None) -> list[dict]:
    return [{k: v for k, v in node.items() if k != "children"} for node in _walk(tree) if node.get("op") == "term"]
