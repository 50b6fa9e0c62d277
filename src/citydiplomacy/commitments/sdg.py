"""The UN Sustainable Development Goals as reference data: goals, targets, indicators.

Codes follow the official pattern: goal ``"11"``, target ``"11.6"`` or ``"11.a"``,
indicator ``"11.6.1"``. Any of them can tag a record (a commitment, a target, an
agreement, a practice); :func:`is_sdg_code` says whether a code exists and
:func:`check_sdg_codes` turns bad codes into problems naming the field.

The data lives in ``data/sdg.yaml`` with its provenance; texts are abridged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from ..domain.errors import Problem

__all__ = [
    "SdgFramework",
    "SdgGoal",
    "SdgIndicator",
    "SdgTarget",
    "check_sdg_codes",
    "describe",
    "framework",
    "goal_of",
    "is_sdg_code",
    "normalise_sdg_code",
    "sdg_goal",
    "sdg_indicator",
    "sdg_target",
]

#: goal "1".."17"; target "1.1", "1.a"; indicator "1.1.1", "1.a.2".
CODE_PATTERN = re.compile(
    r"^(?P<goal>[1-9]|1[0-7])(?:\.(?P<target>[0-9]{1,2}|[a-d])(?:\.(?P<indicator>[0-9]{1,2}))?)?$"
)


@dataclass(frozen=True)
class SdgIndicator:
    code: str
    title: str
    uncertain: bool = False

    @property
    def target_code(self) -> str:
        return self.code.rsplit(".", 1)[0]


@dataclass(frozen=True)
class SdgTarget:
    code: str
    title: str
    indicators: tuple[SdgIndicator, ...] = ()

    @property
    def goal(self) -> int:
        return int(self.code.split(".")[0])


@dataclass(frozen=True)
class SdgGoal:
    number: int
    name: str
    title: str
    targets: tuple[SdgTarget, ...] = ()

    @property
    def code(self) -> str:
        return str(self.number)

    @property
    def indicators(self) -> tuple[SdgIndicator, ...]:
        return tuple(i for t in self.targets for i in t.indicators)


@dataclass(frozen=True)
class SdgFramework:
    provenance: str
    as_of: str
    goals: tuple[SdgGoal, ...]
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    def lookup(self, code: str):
        return self._index.get(code)

    @property
    def targets(self) -> tuple[SdgTarget, ...]:
        return tuple(t for g in self.goals for t in g.targets)

    @property
    def indicators(self) -> tuple[SdgIndicator, ...]:
        return tuple(i for g in self.goals for i in g.indicators)


@lru_cache(maxsize=1)
def framework() -> SdgFramework:
    """The framework, read once from ``data/sdg.yaml``."""
    text = resources.files("citydiplomacy.commitments").joinpath("data/sdg.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    goals = []
    index: dict[str, object] = {}
    for g in data["goals"]:
        targets = []
        for t in g["targets"]:
            indicators = []
            for code, entry in (t.get("indicators") or {}).items():
                if isinstance(entry, dict):
                    indicator = SdgIndicator(code, entry["title"], bool(entry.get("uncertain")))
                else:
                    indicator = SdgIndicator(code, entry)
                indicators.append(indicator)
                index[code] = indicator
            target = SdgTarget(t["code"], t["title"], tuple(indicators))
            targets.append(target)
            index[target.code] = target
        goal = SdgGoal(int(g["code"]), g["name"], g["title"], tuple(targets))
        goals.append(goal)
        index[goal.code] = goal
    return SdgFramework(data["provenance"].strip(), str(data["as_of"]), tuple(goals), index)


def normalise_sdg_code(code: object) -> str:
    """``" SDG 11.6 "`` -> ``"11.6"``; ``11`` -> ``"11"``; ``"11.A"`` -> ``"11.a"``."""
    text = str(code).strip().lower()
    text = re.sub(r"^sdg\s*", "", text)
    return text


def is_sdg_code(code: object) -> bool:
    """Whether ``code`` is an existing goal, target or indicator code ("11", "11.6", "11.6.1")."""
    if code is None or isinstance(code, bool):
        return False
    text = normalise_sdg_code(code)
    return bool(CODE_PATTERN.match(text)) and framework().lookup(text) is not None


def goal_of(code: str) -> int:
    """The goal number a code belongs to: ``"11.6.1"`` -> 11."""
    return int(normalise_sdg_code(code).split(".")[0])


def sdg_goal(number: int | str) -> SdgGoal:
    found = framework().lookup(str(int(number)) if str(number).isdigit() else str(number))
    if not isinstance(found, SdgGoal):
        raise KeyError(f"no SDG goal {number!r}; goals are numbered 1 to 17")
    return found


def sdg_target(code: str) -> SdgTarget:
    found = framework().lookup(normalise_sdg_code(code))
    if not isinstance(found, SdgTarget):
        raise KeyError(f"no SDG target {code!r}; targets look like '11.6' or '11.a'")
    return found


def sdg_indicator(code: str) -> SdgIndicator:
    found = framework().lookup(normalise_sdg_code(code))
    if not isinstance(found, SdgIndicator):
        raise KeyError(f"no SDG indicator {code!r}; indicators look like '11.6.1'")
    return found


def describe(code: str) -> str:
    """A one-line label for any code: "11.6 Reduce the adverse per capita environmental impact…"."""
    found = framework().lookup(normalise_sdg_code(code))
    if found is None:
        raise KeyError(f"no SDG code {code!r}")
    if isinstance(found, SdgGoal):
        return f"Goal {found.number}: {found.name}"
    return f"{found.code} {found.title}"


def check_sdg_codes(codes, field_name: str) -> tuple[list[str], list[Problem]]:
    """Normalise a list of codes; every unknown code becomes a problem naming ``field_name[i]``.

    Returns the cleaned, de-duplicated codes (in the order given) and the problems."""
    cleaned: list[str] = []
    problems: list[Problem] = []
    for position, raw in enumerate(codes or []):
        code = normalise_sdg_code(raw)
        if not is_sdg_code(code):
            hint = (
                "a goal (1 to 17), a target such as '11.6' or '11.a', or an indicator such as '11.6.1'"
                if not CODE_PATTERN.match(code)
                else "a code of the UN global indicator framework"
            )
            problems.append(
                Problem(f"'{raw}' is not an SDG code; use {hint}", field=f"{field_name}[{position}]", value=raw)
            )
        elif code not in cleaned:
            cleaned.append(code)
    return cleaned, problems
