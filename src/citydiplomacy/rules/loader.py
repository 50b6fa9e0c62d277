"""Loading rule packs: YAML in, a checked and compiled pack out, or every problem with file,
line and rule id.

A pack is rejected when a field is unknown or malformed, when two versions of the same
rule id overlap in time, when a condition names a fact, term or parameter that does not
exist, or when one of its test cases fails. Rejection never touches what is active.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..domain import InvalidInput, Problem
from .conditions import Node, Scope_, parse
from .facts import FACTS, RECORD_DATE
from .schema import CaseFile, Pack, Rule
from .yamlsource import Source, read_yaml

PACKS_DIR = Path(__file__).parent / "packs"


@dataclass
class CompiledRule:
    rule: Rule
    node: Node
    version_no: int  # position among the versions of the same rule id


@dataclass
class LoadedPack:
    pack: Pack
    source: Source
    text: str
    cases_text: str | None = None
    cases_file: str | None = None
    cases: CaseFile | None = None
    cases_source: Source | None = None
    rules: list[CompiledRule] = field(default_factory=list)
    terms: dict[str, dict[str, Node | None]] = field(default_factory=dict)
    scope: Node | None = None
    origin: str = "shipped"

    @property
    def id(self) -> str:
        return self.pack.pack

    @property
    def version(self) -> str:
        return self.pack.version

    @property
    def sha256(self) -> str:
        return hashlib.sha256((self.text + "\0" + (self.cases_text or "")).encode()).hexdigest()

    def rule_line(self, rule_id: str) -> int | None:
        for i, rule in enumerate(self.pack.rules):
            if rule.id == rule_id:
                return self.source.line(("rules", i))
        return None


def _problems_from(error: ValidationError, source: Source, base: tuple = ()) -> list[Problem]:
    out = []
    for item in error.errors():
        loc = base + tuple(item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = f"unknown field '{loc[-1]}' (check the spelling; see docs/rules.md for the fields allowed here)"
        elif item["type"] == "string_pattern_mismatch":
            message = f"'{item.get('input')}' is not a valid id: use lower-case letters, digits, '.', '_' or '-' (2 to 120 characters)"
        elif item["type"] == "missing":
            message = f"missing required field '{loc[-1]}'"
        rule_id = _rule_id_at(source, loc)
        if rule_id:
            message = f"rule '{rule_id}': {message}"
        out.append(source.problem(message, loc))
    return out


def _rule_id_at(source: Source, loc: tuple) -> str | None:
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        try:
            rule = source.data["rules"][loc[1]]
            return rule.get("id") if isinstance(rule, dict) else None
        except (KeyError, IndexError, TypeError):
            return None
    return None


def scope_condition(pack: Pack) -> list[dict[str, Any]]:
    """The pack's 'applies_in' as a condition on workspace facts."""
    scope = pack.applies_in
    parts: list[dict[str, Any]] = [{"fact": "workspace.country", "is": scope.country}]
    if scope.subdivision:
        parts.append({"fact": "workspace.subdivision", "is": scope.subdivision})
    if scope.kinds:
        parts.append({"fact": "workspace.kind", "in": list(scope.kinds)})
    if scope.geonames_id is not None:
        parts.append({"fact": "workspace.geonames_id", "is": scope.geonames_id})
    return parts


def load_pack(
    text: str,
    file: str,
    *,
    cases_text: str | None = None,
    cases_file: str | None = None,
    run_cases: bool = True,
    origin: str = "uploaded",
) -> LoadedPack:
    """Check and compile a pack; raise :class:`InvalidInput` listing every problem."""
    source, problems = read_yaml(text, file)
    if source is None or problems:
        raise InvalidInput(problems)
    if not isinstance(source.data, dict):
        raise InvalidInput([source.problem("a pack file is a mapping with pack, version, rules…")])
    try:
        pack = Pack.model_validate(source.data)
    except ValidationError as error:
        raise InvalidInput(_problems_from(error, source)) from None
    loaded = LoadedPack(
        pack=pack, source=source, text=text, cases_text=cases_text, cases_file=cases_file, origin=origin
    )
    problems = _compile(loaded)
    if problems:
        raise InvalidInput(problems)
    if cases_text is not None:
        loaded.cases, loaded.cases_source = _load_cases(
            cases_text, cases_file or file.replace(".yaml", ".cases.yaml"), pack
        )
        if run_cases:
            from .cases import run_cases as run

            failures = [r for r in run(loaded) if not r.passed]
            if failures:
                raise InvalidInput([f.problem() for f in failures])
    return loaded


def _compile(loaded: LoadedPack) -> list[Problem]:
    pack, source = loaded.pack, loaded.source
    problems: list[Problem] = []
    params = {}
    for i, parameter in enumerate(pack.parameters):
        if parameter.id in params:
            problems.append(source.problem(f"parameter '{parameter.id}' is defined twice", ("parameters", i, "id")))
        params[parameter.id] = parameter
    terms = {}
    for i, term in enumerate(pack.terms):
        if term.id in terms:
            problems.append(source.problem(f"term '{term.id}' is defined twice", ("terms", i, "id")))
        terms[term.id] = term
    for i, term in enumerate(pack.terms):
        compiled: dict[str, Node | None] = {}
        for key in ("clearly_true", "clearly_false"):
            raw = getattr(term, key)
            if raw is None:
                compiled[key] = None
                continue
            scope = Scope_(term.applies_to, params, {}, source)
            compiled[key] = parse(raw, scope, ("terms", i, key))
            problems.extend(scope.problems)
        loaded.terms[term.id] = compiled
    scope = Scope_("engagement", {}, {}, source)
    loaded.scope = parse(scope_condition(pack), scope, ("applies_in",))
    problems.extend(scope.problems)

    versions: dict[str, list[tuple[int, Rule]]] = {}
    for i, rule in enumerate(pack.rules):
        scope = Scope_(rule.applies_to, params, terms, source, rule_id=rule.id)
        node = parse(rule.when, scope, ("rules", i, "when"))
        problems.extend(scope.problems)
        deadline = rule.obligation.deadline
        if deadline is not None:
            for key in ("before", "after"):
                name = getattr(deadline, key)
                if name is None:
                    continue
                fact = FACTS.get(name)
                if fact is None or fact.type != "date" or fact.record != rule.applies_to:
                    dates = [n for n, f in FACTS.items() if f.type == "date" and f.record == rule.applies_to]
                    problems.append(
                        source.problem(
                            f"rule '{rule.id}': deadline '{key}' must name a date fact of the {rule.applies_to} ({', '.join(dates)}), not '{name}'",
                            ("rules", i, "obligation", "deadline", key),
                        )
                    )
        same = versions.setdefault(rule.id, [])
        for j, other in same:
            if other.applies_to != rule.applies_to:
                problems.append(
                    source.problem(
                        f"rule '{rule.id}': versions of one rule must apply to the same record type",
                        ("rules", i, "applies_to"),
                    )
                )
            if _overlap(other, rule):
                problems.append(
                    source.problem(
                        f"rule '{rule.id}': effective dates {_span(rule)} overlap those of the version on line "
                        f"{source.line(('rules', j))} ({_span(other)}); end one version before the next starts",
                        ("rules", i, "effective_from"),
                    )
                )
        same.append((i, rule))
        if node is not None:
            loaded.rules.append(CompiledRule(rule, node, len(same) - 1))
    return problems


def _overlap(a: Rule, b: Rule) -> bool:
    a_end = a.effective_to or date.max
    b_end = b.effective_to or date.max
    return a.effective_from <= b_end and b.effective_from <= a_end


def _span(rule: Rule) -> str:
    return f"{rule.effective_from} to {rule.effective_to or 'open'}"


def _load_cases(text: str, file: str, pack: Pack) -> tuple[CaseFile, Source]:
    source, problems = read_yaml(text, file)
    if source is None or problems:
        raise InvalidInput(problems)
    try:
        cases = CaseFile.model_validate(source.data)
    except ValidationError as error:
        raise InvalidInput(_problems_from(error, source)) from None
    problems = []
    if cases.pack != pack.pack:
        problems.append(source.problem(f"cases are for pack '{cases.pack}', not '{pack.pack}'", ("pack",)))
    rule_ids = {r.id for r in pack.rules}
    for i, case in enumerate(cases.cases):
        for rule_id in case.expect:
            if rule_id not in rule_ids:
                problems.append(
                    source.problem(
                        f"case '{case.name}': no rule '{rule_id}' in pack '{pack.pack}'",
                        ("cases", i, "expect", rule_id),
                    )
                )
        for name in case.facts:
            fact = FACTS.get(name)
            if fact is None or fact.record not in (case.record, "any"):
                problems.append(
                    source.problem(
                        f"case '{case.name}': '{name}' is not a fact of {case.record}s", ("cases", i, "facts", name)
                    )
                )
        if case.check_date is None and RECORD_DATE[case.record] not in case.facts:
            problems.append(
                source.problem(f"case '{case.name}': give {RECORD_DATE[case.record]} or check_date", ("cases", i))
            )
    if problems:
        raise InvalidInput(problems)
    return cases, source


def shipped_pack_files() -> list[Path]:
    return sorted(p for p in PACKS_DIR.glob("*.yaml") if not p.name.endswith(".cases.yaml"))


def load_file(path: Path, *, run_cases: bool = True, origin: str = "uploaded") -> LoadedPack:
    cases_path = path.with_name(path.name.removesuffix(".yaml") + ".cases.yaml")
    cases_text = cases_path.read_text(encoding="utf-8") if cases_path.exists() else None
    return load_pack(
        path.read_text(encoding="utf-8"),
        str(path),
        cases_text=cases_text,
        cases_file=str(cases_path) if cases_text is not None else None,
        run_cases=run_cases,
        origin=origin,
    )


_SHIPPED: list[LoadedPack] | None = None


def shipped_packs(*, run_cases: bool = False) -> list[LoadedPack]:
    """The packs shipped with citydiplomacy (illustrative, not legal advice)."""
    global _SHIPPED
    if run_cases:
        return [load_file(p, run_cases=True, origin="shipped") for p in shipped_pack_files()]
    if _SHIPPED is None:
        _SHIPPED = [load_file(p, run_cases=False, origin="shipped") for p in shipped_pack_files()]
    return _SHIPPED
