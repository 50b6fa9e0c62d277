"""Every shipped pack's YAML cases pass, and every shipped pack says it is illustrative."""

import pytest

from citydiplomacy.rules.cases import run_case
from citydiplomacy.rules.loader import load_file, shipped_pack_files

PACKS = [load_file(path, run_cases=False) for path in shipped_pack_files()]
CASES = [(pack, i, case) for pack in PACKS for i, case in enumerate(pack.cases.cases)]


def test_the_shipped_packs_carry_at_least_forty_cases():
    assert len(CASES) >= 40
    assert all(pack.cases is not None for pack in PACKS), "every shipped pack ships its own cases"


def test_every_shipped_pack_is_labelled_illustrative_not_legal_advice():
    for pack in PACKS:
        assert pack.pack.illustrative is True
        assert "not legal advice" in pack.pack.disclaimer.lower()


def test_every_rule_cites_facts_from_the_facts_file():
    for pack in PACKS:
        for rule in pack.pack.rules:
            assert any(c.facts for c in rule.citations), rule.id


@pytest.mark.parametrize("pack,index,case", CASES, ids=[f"{p.id}:{c.name[:60]}" for p, _i, c in CASES])
def test_pack_case(pack, index, case):
    result = run_case(pack, case, index)
    assert result.passed, result.problem()
