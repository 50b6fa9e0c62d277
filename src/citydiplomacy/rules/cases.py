"""Running a pack's YAML cases: facts in, expected findings out (like OpenFisca's YAML tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..domain import Problem
from .conditions import Interpretation
from .engine import RuleSet, evaluate
from .facts import RECORD_DATE
from .loader import LoadedPack
from .schema import Case, Expected
from .table import FactTable


@dataclass
class CaseResult:
    pack: str
    name: str
    file: str | None
    line: int | None
    passed: bool
    messages: list[str] = field(default_factory=list)
    rule_ids: list[str] = field(default_factory=list)

    def problem(self) -> Problem:
        rules = f" (rule {', '.join(self.rule_ids)})" if self.rule_ids else ""
        return Problem(f"case '{self.name}' fails{rules}: " + "; ".join(self.messages), file=self.file, line=self.line)


def case_facts(case: Case) -> dict:
    workspace = {
        "workspace.kind": case.workspace.kind,
        "workspace.country": case.workspace.country,
        "workspace.subdivision": case.workspace.subdivision,
        "workspace.geonames_id": case.workspace.geonames_id,
    }
    return workspace | dict(case.facts)


def run_case(loaded: LoadedPack, case: Case, index: int) -> CaseResult:
    source = loaded.cases_source
    line = source.line(("cases", index)) if source else None
    interpretations = [
        Interpretation(term=i.term, statement=i.statement, value=i.value, when=i.when, by="case")
        for i in case.interpretations
    ]
    ruleset = RuleSet([loaded], interpretations, overlay={loaded.id: case.parameters})
    result = CaseResult(loaded.id, case.name, loaded.cases_file, line, True)
    if ruleset.problems:
        result.passed = False
        result.messages.extend(ruleset.problems)
        return result
    table = FactTable.from_rows(case.record, [case_facts(case)], refs=["case"])
    check_date = case.check_date or case.facts.get(RECORD_DATE[case.record])
    if not isinstance(check_date, date):
        check_date = date.fromisoformat(str(check_date))
    evaluation = evaluate(ruleset, table, check_date, view="today" if case.view == "today" else "record_date")
    findings = {f.rule_id: f for f in evaluation.findings(0, include_not_in_force=True)}
    for rule_id, expected in case.expect.items():
        if isinstance(expected, str):
            expected = Expected(verdict=expected)
        finding = findings.get(rule_id)
        if finding is None and expected.verdict == "not_covered":
            continue
        if finding is None:
            result.messages.append(
                f"{rule_id}: expected {expected.verdict}, but the rule does not cover this workspace"
            )
            result.rule_ids.append(rule_id)
            continue
        problems = []
        if expected.verdict == "not_covered":
            problems.append(f"expected the rule not to cover this workspace, got {finding.verdict}")
        elif finding.verdict != expected.verdict:
            detail = finding.headline()
            problems.append(f"expected {expected.verdict}, got {finding.verdict} ({detail})")
        if expected.due is not None and finding.due_on != expected.due:
            problems.append(f"expected due {expected.due}, got {finding.due_on}")
        if expected.failed is not None:
            named = {f.get("fact") or f.get("term") for f in finding.failed}
            if expected.failed not in named:
                problems.append(
                    f"expected the failed condition to name '{expected.failed}', it names {sorted(n for n in named if n) or 'nothing'}"
                )
        if expected.unclear_on is not None:
            named = {u.name for u in finding.unclear}
            if expected.unclear_on not in named:
                problems.append(
                    f"expected it to be unclear on '{expected.unclear_on}', it names {sorted(named) or 'nothing'}"
                )
        if expected.interpretation_used is not None:
            used = bool(finding.trace["interpretations"])
            if used != expected.interpretation_used:
                problems.append(f"expected interpretation_used {expected.interpretation_used}, got {used}")
        if problems:
            result.rule_ids.append(rule_id)
            result.messages.extend(f"{rule_id}: {p}" for p in problems)
    result.passed = not result.messages
    return result


def run_cases(loaded: LoadedPack) -> list[CaseResult]:
    if loaded.cases is None:
        return []
    return [run_case(loaded, case, i) for i, case in enumerate(loaded.cases.cases)]
