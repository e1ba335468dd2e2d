"""Rule min_consecutive_days_off: runs of days off are not too short (except at the ends)."""

from __future__ import annotations

import pytest
from rulekit import conflict, judge, make_roster

pytestmark = pytest.mark.rule("min_consecutive_days_off")


def rules(limit: int) -> dict[str, object]:
    return {"rules": {"min_consecutive_days_off": limit}}


def test_trivially_feasible() -> None:
    assert judge(make_roster(**rules(2)), None).feasible


def test_at_the_limit_is_feasible() -> None:
    outcome = judge(make_roster(**rules(2)), {"p1": "D..D...D"})
    assert outcome.feasible
    assert outcome.report.violations == []


def test_one_short_is_infeasible() -> None:
    outcome = judge(make_roster(**rules(3)), {"p1": "D..D"})
    assert not outcome.feasible
    assert outcome.rules_broken() == {"min_consecutive_days_off"}


def test_runs_touching_the_ends_are_exempt() -> None:
    outcome = judge(make_roster(**rules(3)), {"p1": ".DDDDDDDDDDDD."})
    assert outcome.feasible
    assert outcome.report.violations == []


def test_does_not_fire_for_another_person() -> None:
    outcome = judge(make_roster(**rules(2)), {"p1": "D.", "p2": "..D"})
    assert outcome.feasible
    assert outcome.report.violations == []


def test_leave_counts_as_a_day_off() -> None:
    leave = [{"person": "p1", "from": "2024-01-02", "to": "2024-01-02"}]
    r = make_roster(leave=leave, **rules(2))
    assert not judge(r, {"p1": "D.D"}).feasible
    assert judge(r, {"p1": "D..D"}).feasible


def test_tag_overrides_global_and_person_overrides_tag() -> None:
    config = {
        "rules": {"min_consecutive_days_off": 3},
        "rules_by_tag": {"staff": {"min_consecutive_days_off": 1}},
    }
    tags = {"p1": ["staff"], "p2": ["staff"]}
    person = {"p2": {"min_consecutive_days_off": 2}}
    r = make_roster(people=3, tags=tags, person_rules=person, **config)
    assert judge(r, {"p1": "D.D"}).feasible
    assert not judge(r, {"p2": "D.D"}).feasible
    assert judge(r, {"p2": "D..D"}).feasible
    assert not judge(r, {"p3": "D..D"}).feasible


def test_conflict_is_named() -> None:
    texts = conflict(make_roster(**rules(3)), {"p1": "....D..D"})
    assert texts == ["p1 has no run of 2 days off from 2024-01-06 to 2024-01-07 (at least 3)"]
