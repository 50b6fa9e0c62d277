"""The agreement lifecycle: proposed -> in force -> dormant/lapsed -> terminated, and expiry warnings."""

from __future__ import annotations

from datetime import date

import pytest

from citydiplomacy.domain import InvalidInput
from citydiplomacy.domain.agreements import (
    allowed_transitions,
    check_transition,
    expiry_warning,
)
from citydiplomacy.domain.vocab import AgreementStatus as S


def test_a_proposal_is_adopted_or_abandoned():
    assert allowed_transitions("proposed") == (S.in_force, S.terminated)


def test_a_tie_in_force_can_go_quiet_run_out_or_end():
    assert set(allowed_transitions(S.in_force)) == {S.dormant, S.lapsed, S.terminated}


def test_dormant_and_lapsed_ties_can_be_revived():
    assert S.in_force in allowed_transitions(S.dormant)
    assert S.in_force in allowed_transitions(S.lapsed)


def test_terminated_is_final():
    assert allowed_transitions(S.terminated) == ()
    with pytest.raises(InvalidInput) as error:
        check_transition("terminated", "in_force")
    assert error.value.problems[0].field == "status"
    assert "final" in error.value.problems[0].message


def test_a_proposal_cannot_lapse_before_it_was_in_force():
    with pytest.raises(InvalidInput) as error:
        check_transition("proposed", "lapsed")
    assert "allowed next: in_force, terminated" in error.value.problems[0].message


def test_keeping_the_status_is_always_allowed():
    for status in S:
        check_transition(status, status)


@pytest.mark.parametrize(
    "expires, status, expected",
    [
        (date(2026, 1, 1), "in_force", "expired"),
        (date(2026, 1, 2), "dormant", "expiring"),  # today
        (date(2026, 4, 2), "in_force", "expiring"),  # exactly 90 days ahead
        (date(2026, 4, 3), "in_force", None),
        (date(2026, 1, 1), "terminated", None),
        (date(2026, 1, 1), "lapsed", None),
        (None, "in_force", None),
    ],
)
def test_expiry_warnings(expires, status, expected):
    assert expiry_warning(expires, status, today=date(2026, 1, 2)) == expected
