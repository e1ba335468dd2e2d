"""Rule max_consecutive_days: at most N working days in a row."""

from __future__ import annotations

import pytest
from rulekit import conflict, judge, make_roster

pytestmark = pytest.mark.rule("max_consecutive_days")


def test_trivially_feasible() -> None:
    assert judge(make_roster(rules={"max_consecutive_days": 3}), None).feasible


def test_at_the_limit_is_feasible() -> None:
    outcome = judge(make_roster(rules={"max_consecutive_days": 3}), {"p1": "DDD.DDD.NNN"})
    assert outcome.feasible
    assert outcome.report.violations == []


def test_one_over_is_infeasible() -> None:
    outcome = judge(make_roster(rules={"max_consecutive_days": 3}), {"p1": "DDDN"})
    assert not outcome.feasible
    assert outcome.rules_broken() == {"max_consecutive_days"}


def test_over_at_the_end_of_the_period_is_infeasible() -> None:
    outcome = judge(make_roster(rules={"max_consecutive_days": 3}), {"p1": "..........DDDD"})
    assert not outcome.feasible


def test_does_not_fire_for_another_person() -> None:
    outcome = judge(make_roster(rules={"max_consecutive_days": 3}), {"p1": "DDD", "p2": "...DDD"})
    assert outcome.feasible
    assert outcome.report.violations == []


def test_tag_overrides_global_and_person_overrides_tag() -> None:
    config = {
        "rules": {"max_consecutive_days": 3},
        "rules_by_tag": {"staff": {"max_consecutive_days": 5}},
    }
    tags = {"p1": ["staff"], "p2": ["staff"]}
    person = {"p2": {"max_consecutive_days": 2}}
    r = make_roster(people=3, tags=tags, person_rules=person, **config)
    assert judge(r, {"p1": "DDDDD"}).feasible
    assert not judge(r, {"p1": "DDDDDD"}).feasible
    assert judge(r, {"p2": "DD"}).feasible
    assert not judge(r, {"p2": "DDD"}).feasible
    assert not judge(r, {"p3": "DDDD"}).feasible


def test_conflict_is_named() -> None:
    texts = conflict(make_roster(rules={"max_consecutive_days": 2}), {"p1": ".DDD"})
    assert texts == ["p1 works at most 2 days in a row (2024-01-02 … 2024-01-04)"]
