"""Rule min_consecutive_days: runs of working days are not too short (except at the ends)."""

from __future__ import annotations

import pytest
from rulekit import judge, make_roster

pytestmark = pytest.mark.rule("min_consecutive_days")


def test_trivially_feasible() -> None:
    assert judge(make_roster(rules={"min_consecutive_days": 3}), None).feasible


def test_at_the_limit_is_feasible() -> None:
    outcome = judge(make_roster(rules={"min_consecutive_days": 3}), {"p1": ".DDD.DDD"})
    assert outcome.feasible
    assert outcome.report.violations == []


def test_one_short_is_infeasible() -> None:
    outcome = judge(make_roster(rules={"min_consecutive_days": 3}), {"p1": ".DD."})
    assert not outcome.feasible
    assert outcome.rules_broken() == {"min_consecutive_days"}


def test_single_day_is_infeasible() -> None:
    outcome = judge(make_roster(rules={"min_consecutive_days": 2}), {"p1": "...D...."})
    assert not outcome.feasible
    assert outcome.rules_broken() == {"min_consecutive_days"}


def test_runs_touching_the_ends_are_exempt() -> None:
    outcome = judge(make_roster(rules={"min_consecutive_days": 3}), {"p1": "D............D"})
    assert outcome.feasible
    assert outcome.report.violations == []


def test_does_not_fire_for_another_person() -> None:
    # Together p1 and p2 work three days in a row; each alone works a short run.
    outcome = judge(make_roster(rules={"min_consecutive_days": 3}), {"p1": "D", "p2": "....DDD."})
    assert outcome.feasible
    assert not judge(make_roster(rules={"min_consecutive_days": 3}), {"p2": "....D.."}).feasible


def test_tag_overrides_global_and_person_overrides_tag() -> None:
    config = {
        "rules": {"min_consecutive_days": 3},
        "rules_by_tag": {"staff": {"min_consecutive_days": 1}},
    }
    tags = {"p1": ["staff"], "p2": ["staff"]}
    person = {"p2": {"min_consecutive_days": 2}}
    r = make_roster(people=3, tags=tags, person_rules=person, **config)
    assert judge(r, {"p1": ".D."}).feasible
    assert not judge(r, {"p2": ".D."}).feasible
    assert judge(r, {"p2": ".DD."}).feasible
    assert not judge(r, {"p3": ".DD."}).feasible
