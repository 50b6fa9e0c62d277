"""Conditions: parsed and checked against the fact vocabulary, compiled to array operations.

Syntax (YAML)::

    all: [ ... ]            any: [ ... ]            not: { ... }
    term: official_meeting                      # an undefined term of the law
    fact: engagement.channel, in: [in_person, video]
    fact: counterpart.countries, any_in: {param: tx_foreign_adversaries}
    fact: gift.value_usd, ge: {param: fl_foreign_gift_threshold}
    fact: agreement.date, before: 2025-09-01
    fact: engagement.expected_attendance, known: true

A list is read as ``all``. Every condition answers true, false or unknown for each
record (Kleene logic): ``all`` is false if any part is false, else unknown if any part
is unknown; ``any`` is true if any part is true, else unknown if any part is unknown.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from ..domain import Problem
from .facts import FACTS, Fact
from .params import ParamIndex
from .table import POOL, FactTable, day_number
from .yamlsource import Source

#: Operators each fact type accepts.
OPERATORS: dict[str, tuple[str, ...]] = {
    "bool": ("is", "known"),
    "enum": ("is", "in", "not_in", "known"),
    "text": ("is", "in", "not_in", "known"),
    "number": ("is", "gt", "ge", "lt", "le", "known"),
    "date": ("before", "after", "on_or_before", "on_or_after", "known"),
    "set": ("has", "any_in", "none_in", "known"),
}
OP_WORDS = {
    "is": "is",
    "in": "is one of",
    "not_in": "is none of",
    "gt": ">",
    "ge": "≥",
    "lt": "<",
    "le": "≤",
    "before": "is before",
    "after": "is after",
    "on_or_before": "is on or before",
    "on_or_after": "is on or after",
    "has": "includes",
    "any_in": "includes any of",
    "none_in": "includes none of",
    "known": "is known:",
}
PARAM_TYPES = {
    "in": ("countries", "strings"),
    "not_in": ("countries", "strings"),
    "any_in": ("countries", "strings"),
    "none_in": ("countries", "strings"),
    "gt": ("money_usd", "number"),
    "ge": ("money_usd", "number"),
    "lt": ("money_usd", "number"),
    "le": ("money_usd", "number"),
    "is": ("money_usd", "number"),
}

_ids = itertools.count(1)

Result = tuple[np.ndarray, np.ndarray]  # (true, unknown)


@dataclass
class Interpretation:
    """Counsel's reading of an undefined term, as applied by the engine."""

    term: str
    statement: str
    value: bool
    when: Any
    by: str = "case"
    on: date | None = None
    id: int | None = None
    status: str = "active"

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "term": self.term,
            "statement": self.statement,
            "value": self.value,
            "by": self.by,
            "on": self.on.isoformat() if self.on else None,
            "status": self.status,
        }


class EvalContext:
    """One evaluation of compiled conditions over a fact table, at per-row dates."""

    def __init__(
        self,
        table: FactTable,
        days: np.ndarray,
        days_known: np.ndarray,
        params: dict[str, ParamIndex],
        terms: dict[str, CompiledTerm],
    ):
        self.table, self.days, self.days_known = table, days, days_known
        self.params, self.terms = params, terms
        self.results: dict[int, Result] = {}
        self.term_sources: dict[str, np.ndarray] = {}
        self.term_results: dict[str, Result] = {}

    def ones(self) -> np.ndarray:
        return np.ones(self.table.n, dtype=bool)

    def zeros(self) -> np.ndarray:
        return np.zeros(self.table.n, dtype=bool)


class Node:
    path: tuple

    def __init__(self) -> None:
        self.id = next(_ids)

    def eval(self, ctx: EvalContext) -> Result:
        found = ctx.results.get(self.id)
        if found is None:
            found = ctx.results[self.id] = self._eval(ctx)
        return found

    def _eval(self, ctx: EvalContext) -> Result:  # pragma: no cover - every node kind defines it
        raise TypeError(f"{type(self).__name__} must define _eval")

    def leaves(self):
        yield self


def state(ctx: EvalContext, node: Node, row: int) -> str:
    t, u = node.eval(ctx)
    return "unknown" if u[row] else ("true" if t[row] else "false")


class All(Node):
    def __init__(self, children: list[Node], path: tuple):
        super().__init__()
        self.children, self.path = children, path

    def _eval(self, ctx):
        t, f = ctx.ones(), ctx.zeros()
        for child in self.children:
            ct, cu = child.eval(ctx)
            t &= ct
            f |= ~ct & ~cu
        return t, ~t & ~f

    def leaves(self):
        for c in self.children:
            yield from c.leaves()

    def text(self) -> str:
        return "all of"


class Any_(Node):
    def __init__(self, children: list[Node], path: tuple):
        super().__init__()
        self.children, self.path = children, path

    def _eval(self, ctx):
        t, f = ctx.zeros(), ctx.ones()
        for child in self.children:
            ct, cu = child.eval(ctx)
            t |= ct
            f &= ~ct & ~cu
        return t, ~t & ~f

    def leaves(self):
        for c in self.children:
            yield from c.leaves()

    def text(self) -> str:
        return "any of"


class Not(Node):
    def __init__(self, child: Node, path: tuple):
        super().__init__()
        self.child, self.path = child, path
        self.children = [child]

    def _eval(self, ctx):
        ct, cu = self.child.eval(ctx)
        return ~ct & ~cu, cu

    def leaves(self):
        yield from self.child.leaves()

    def text(self) -> str:
        return "not"


class TermRef(Node):
    def __init__(self, term: str, path: tuple):
        super().__init__()
        self.term, self.path = term, path

    def _eval(self, ctx):
        return ctx.terms[self.term].eval(ctx)

    def text(self) -> str:
        return f"term '{self.term}'"


class Leaf(Node):
    def __init__(self, fact: Fact, op: str, operand: Any, param: str | None, param_as_of: date | None, path: tuple):
        super().__init__()
        self.fact, self.op, self.operand, self.param, self.param_as_of, self.path = (
            fact,
            op,
            operand,
            param,
            param_as_of,
            path,
        )
        if param is None:
            self._static = self._prepare(operand)

    def text(self) -> str:
        if self.param:
            operand = f"parameter '{self.param}'" + (f" as it stood on {self.param_as_of}" if self.param_as_of else "")
        elif isinstance(self.operand, list):
            operand = "[" + ", ".join(str(v) for v in self.operand) + "]"
        else:
            operand = str(self.operand).lower() if isinstance(self.operand, bool) else str(self.operand)
        return f"{self.fact.name} {OP_WORDS[self.op]} {operand}"

    def _prepare(self, operand: Any) -> Any:
        t = self.fact.type
        if self.op == "known":
            return bool(operand)
        if t in ("enum", "text", "set"):
            if isinstance(operand, list):
                return POOL.codes_of(str(v) for v in operand)
            if isinstance(operand, np.ndarray):
                return operand
            return POOL.code(str(operand))
        if t == "date":
            return day_number(operand)
        if t == "bool":
            return bool(operand)
        return float(operand)

    def _predicate(self, data: np.ndarray, value: Any) -> np.ndarray:
        op = self.op
        if op == "is":
            return data == value
        if op == "in":
            return np.isin(data, value)
        if op == "not_in":
            return ~np.isin(data, value)
        if op in ("gt", "after"):
            return data > value
        if op == "ge" or op == "on_or_after":
            return data >= value
        if op in ("lt", "before"):
            return data < value
        if op in ("le", "on_or_before"):
            return data <= value
        if op == "has":
            return (data == value).any(axis=1)
        if op == "any_in":
            return np.isin(data, value).any(axis=1)
        if op == "none_in":
            return ~np.isin(data, value).any(axis=1)
        raise ValueError(op)  # pragma: no cover - checked when parsed

    def _eval(self, ctx):
        column = ctx.table.columns[self.fact.name]
        if self.op == "known":
            return column.known == self._static, ctx.zeros()
        if self.param is None:
            truth = self._predicate(column.data, self._static)
            return truth & column.known, ~column.known
        index = ctx.params[self.param]
        if self.param_as_of is not None:
            versions = np.full(ctx.table.n, int(index.version_index(np.array([day_number(self.param_as_of)]))[0]))
            dated = ctx.ones()
        else:
            versions = index.version_index(ctx.days)
            dated = ctx.days_known
        truth = ctx.zeros()
        unknown = ~column.known | ~dated | (versions < 0)
        for version in np.unique(versions[~unknown]) if (~unknown).any() else []:
            rows = (versions == version) & ~unknown
            if not index.known[version]:
                unknown |= rows
                continue
            value = self._prepare(index.payload[version])
            truth[rows] = self._predicate(column.data[rows], value)
        return truth & ~unknown, unknown


class CompiledTerm:
    """An undefined term: clear cases from the pack, then counsel's interpretations, else unknown."""

    UNDEFINED, CLEARLY_TRUE, CLEARLY_FALSE = 0, 1, 2

    def __init__(
        self,
        term,
        clearly_true: Node | None,
        clearly_false: Node | None,
        interpretations: list[tuple[Interpretation, Node]],
    ):
        self.term, self.clearly_true, self.clearly_false = term, clearly_true, clearly_false
        self.interpretations = interpretations

    def eval(self, ctx: EvalContext) -> Result:
        key = f"term:{self.term.id}"
        if key in ctx.term_results:
            return ctx.term_results[key]
        n = ctx.table.n
        source = np.zeros(n, dtype=np.int16)
        truth = ctx.zeros()
        decided = ctx.zeros()
        if self.clearly_true is not None:
            ct, _ = self.clearly_true.eval(ctx)
            truth |= ct
            decided |= ct
            source[ct] = self.CLEARLY_TRUE
        if self.clearly_false is not None:
            cf, _ = self.clearly_false.eval(ctx)
            cf = cf & ~decided
            decided |= cf
            source[cf] = self.CLEARLY_FALSE
        for i, (interpretation, node) in enumerate(self.interpretations):
            wt, _ = node.eval(ctx)
            rows = wt & ~decided
            if interpretation.value:
                truth |= rows
            decided |= rows
            source[rows] = 3 + i
        ctx.term_sources[key] = source
        result = (truth & decided, ~decided)
        ctx.term_results[key] = result
        return result

    def source_at(self, ctx: EvalContext, row: int) -> tuple[str, Interpretation | None]:
        self.eval(ctx)
        code = int(ctx.term_sources[f"term:{self.term.id}"][row])
        if code == self.CLEARLY_TRUE:
            return "clear case in the pack (clearly_true)", None
        if code == self.CLEARLY_FALSE:
            return "clear case in the pack (clearly_false)", None
        if code >= 3:
            interpretation = self.interpretations[code - 3][0]
            return f"counsel's interpretation by {interpretation.by}" + (
                f" on {interpretation.on}" if interpretation.on else ""
            ), interpretation
        return "undefined", None


# -- parsing ------------------------------------------------------------------------------


@dataclass
class Scope_:
    """What a condition may refer to while it is parsed."""

    record: str
    params: dict[str, Any]  # id -> Parameter
    terms: dict[str, Any]  # id -> Term
    source: Source | None
    rule_id: str | None = None
    problems: list[Problem] = field(default_factory=list)
    used_terms: set[str] = field(default_factory=set)

    def problem(self, message: str, path: tuple) -> None:
        prefix = f"rule '{self.rule_id}': " if self.rule_id else ""
        if self.source is not None:
            self.problems.append(self.source.problem(prefix + message, path))
        else:
            self.problems.append(Problem(prefix + message, field=".".join(str(p) for p in path) or None))


def parse(raw: Any, scope: Scope_, path: tuple) -> Node | None:
    """A condition node, or None after recording problems in ``scope``."""
    if isinstance(raw, list):
        children = [parse(item, scope, path + (i,)) for i, item in enumerate(raw)]
        return All([c for c in children if c is not None], path) if all(c is not None for c in children) else None
    if not isinstance(raw, dict) or not raw:
        scope.problem(f"a condition is a mapping (fact/all/any/not/term), not {raw!r}", path)
        return None
    keys = set(raw)
    if keys in ({"all"}, {"any"}):
        (key,) = keys
        items = raw[key]
        if not isinstance(items, list) or not items:
            scope.problem(f"'{key}' takes a non-empty list of conditions", path + (key,))
            return None
        children = [parse(item, scope, path + (key, i)) for i, item in enumerate(items)]
        if any(c is None for c in children):
            return None
        return All(children, path) if key == "all" else Any_(children, path)
    if keys == {"not"}:
        child = parse(raw["not"], scope, path + ("not",))
        return Not(child, path) if child is not None else None
    if keys == {"term"}:
        term_id = raw["term"]
        term = scope.terms.get(term_id)
        if term is None:
            scope.problem(
                f"unknown term '{term_id}'; define it under 'terms' (terms: {', '.join(sorted(scope.terms)) or 'none'})",
                path + ("term",),
            )
            return None
        if term.applies_to != scope.record:
            scope.problem(f"term '{term_id}' is about {term.applies_to}s, not {scope.record}s", path + ("term",))
            return None
        scope.used_terms.add(term_id)
        return TermRef(term_id, path)
    if "fact" in keys:
        return _parse_leaf(raw, scope, path)
    scope.problem(f"unknown condition keys {sorted(keys)}; use fact (with an operator), all, any, not or term", path)
    return None


def _parse_leaf(raw: dict, scope: Scope_, path: tuple) -> Leaf | None:
    name = raw["fact"]
    fact = FACTS.get(name)
    if fact is None:
        close = [
            n
            for n in FACTS
            if n.split(".")[-1] == str(name).split(".")[-1] or n.startswith(str(name).split(".")[0] + ".")
        ]
        hint = (
            f"; facts of this kind: {', '.join(sorted(close)[:12])}"
            if close
            else "; see docs/rules.md for the fact vocabulary"
        )
        scope.problem(f"condition on a fact that does not exist: '{name}'{hint}", path + ("fact",))
        return None
    if fact.record not in (scope.record, "any"):
        scope.problem(
            f"fact '{name}' is about {fact.record}s; this condition is about {scope.record}s", path + ("fact",)
        )
        return None
    ops = [k for k in raw if k != "fact"]
    if len(ops) != 1:
        scope.problem(
            f"a fact condition has exactly one operator; '{name}' accepts: {', '.join(OPERATORS[fact.type])}", path
        )
        return None
    op = ops[0]
    if op not in OPERATORS[fact.type]:
        scope.problem(
            f"operator '{op}' does not apply to {fact.type} fact '{name}'; use one of: {', '.join(OPERATORS[fact.type])}",
            path + (op,),
        )
        return None
    operand = raw[op]
    if isinstance(operand, dict):
        if set(operand) - {"param", "as_of"} or "param" not in operand:
            scope.problem("a parameter operand is {param: ID} or {param: ID, as_of: DATE}", path + (op,))
            return None
        param_id = operand["param"]
        parameter = scope.params.get(param_id)
        if parameter is None:
            scope.problem(
                f"unknown parameter '{param_id}' (parameters: {', '.join(sorted(scope.params)) or 'none'})",
                path + (op, "param"),
            )
            return None
        if op not in PARAM_TYPES or parameter.type not in PARAM_TYPES[op]:
            scope.problem(f"parameter '{param_id}' ({parameter.type}) cannot be used with '{op}'", path + (op, "param"))
            return None
        as_of = operand.get("as_of")
        if as_of is not None and not isinstance(as_of, date):
            scope.problem(f"as_of must be a date (YYYY-MM-DD), not {as_of!r}", path + (op, "as_of"))
            return None
        return Leaf(fact, op, None, param_id, as_of, path)
    problem = _check_literal(fact, op, operand)
    if problem:
        scope.problem(problem, path + (op,))
        return None
    return Leaf(fact, op, operand, None, None, path)


def _check_literal(fact: Fact, op: str, operand: Any) -> str | None:
    if op == "known":
        return None if isinstance(operand, bool) else "known takes true or false"
    if fact.type == "bool":
        return None if isinstance(operand, bool) else f"'{fact.name}' is true or false, not {operand!r}"
    if fact.type == "number":
        ok = isinstance(operand, (int, float)) and not isinstance(operand, bool)
        return None if ok else f"'{fact.name}' is a number; compare it with a number or {{param: ID}}, not {operand!r}"
    if fact.type == "date":
        return None if isinstance(operand, date) else f"'{fact.name}' is a date; write YYYY-MM-DD, not {operand!r}"
    values = operand if isinstance(operand, list) else [operand]
    if op in ("in", "not_in", "any_in", "none_in") and not isinstance(operand, list):
        return f"'{op}' takes a list or {{param: ID}}"
    if op in ("is", "has") and isinstance(operand, list):
        return f"'{op}' takes one value; use 'in'/'any_in' for a list"
    if fact.values is not None:
        wrong = [v for v in values if str(v) not in fact.values]
        if wrong:
            return f"{', '.join(repr(v) for v in wrong)} is not a value of '{fact.name}'; use one of: {', '.join(fact.values)}"
    return None


def fixed_param_dates(node: Node) -> list[tuple[str, date]]:
    return [(leaf.param, leaf.param_as_of) for leaf in node.leaves() if isinstance(leaf, Leaf) and leaf.param_as_of]


Predicate = Callable[[EvalContext], Result]
