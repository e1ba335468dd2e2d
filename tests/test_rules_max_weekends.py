"""Rule max_weekends: at most N weekends worked (Saturday or Sunday) in the period."""

from __future__ import annotations

import pytest
from rulekit import conflict, judge, make_roster

pytestmark = pytest.mark.rule("max_weekends")

#: Two weeks from a Monday: days 5, 6 and 12, 13 are the weekends.
SAT1_SUN1 = ".....DD"
SAT1_SUN2 = ".....D......D"
SUN1_SAT2 = "......D.....D"


def test_trivially_feasible() -> None:
    assert judge(make_roster(rules={"max_weekends": 1}), None).feasible


def test_both_days_of_one_weekend_is_feasible() -> None:
    outcome = judge(make_roster(rules={"max_weekends": 1}), {"p1": SAT1_SUN1})
    assert outcome.feasible
    assert outcome.report.violations == []


def test_two_weekends_is_infeasible() -> None:
    for row in (SAT1_SUN2, SUN1_SAT2):
        outcome = judge(make_roster(rules={"max_weekends": 1}), {"p1": row})
        assert not outcome.feasible
        assert outcome.rules_broken() == {"max_weekends"}


def test_zero_weekends() -> None:
    assert not judge(make_roster(rules={"max_weekends": 0}), {"p1": "......N"}).feasible
    assert judge(make_roster(rules={"max_weekends": 0}), {"p1": "DDDDD..DDDDD"}).feasible


def test_does_not_fire_for_another_person() -> None:
    outcome = judge(make_roster(rules={"max_weekends": 1}), {"p1": ".....D", "p2": "............D"})
    assert outcome.feasible
    assert outcome.report.violations == []


def test_tag_overrides_global_and_person_overrides_tag() -> None:
    config = {"rules": {"max_weekends": 0}, "rules_by_tag": {"staff": {"max_weekends": 2}}}
    tags = {"p1": ["staff"], "p2": ["staff"]}
    person = {"p2": {"max_weekends": 1}}
    r = make_roster(people=3, tags=tags, person_rules=person, **config)
    assert judge(r, {"p1": SAT1_SUN2}).feasible
    assert not judge(r, {"p2": SAT1_SUN2}).feasible
    assert judge(r, {"p2": SAT1_SUN1}).feasible
    assert not judge(r, {"p3": SAT1_SUN1}).feasible


def test_conflict_is_named() -> None:
    texts = conflict(make_roster(rules={"max_weekends": 1}), {"p2": SAT1_SUN2})
    assert texts == ["p2 works at most 1 weekends"]
