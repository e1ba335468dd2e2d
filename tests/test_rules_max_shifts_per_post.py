"""Rule max_shifts_per_post: at most N shifts of a post per person over the period."""

from __future__ import annotations

import pytest
from rulekit import judge, make_roster

pytestmark = pytest.mark.rule("max_shifts_per_post")

LIMIT = {"rules": {"max_shifts_per_post": {"night": 2}}}


def test_trivially_feasible() -> None:
    assert judge(make_roster(**LIMIT), None).feasible


def test_at_the_limit_is_feasible() -> None:
    # Other posts do not count.
    outcome = judge(make_roster(**LIMIT), {"p1": "N.N.DDD"})
    assert outcome.feasible
    assert outcome.report.violations == []


def test_one_over_is_infeasible() -> None:
    outcome = judge(make_roster(**LIMIT), {"p1": "N.N.N"})
    assert not outcome.feasible
    assert outcome.rules_broken() == {"max_shifts_per_post"}


def test_zero_means_never() -> None:
    config = {"rules": {"max_shifts_per_post": {"night": 0}}}
    assert not judge(make_roster(**config), {"p1": "......N"}).feasible


def test_does_not_fire_for_another_person() -> None:
    outcome = judge(make_roster(**LIMIT), {"p1": "N.N", "p2": ".N.N"})
    assert outcome.feasible
    assert outcome.report.violations == []


def test_tag_overrides_global_and_person_overrides_tag() -> None:
    config = {
        "rules": {"max_shifts_per_post": {"night": 1}},
        "rules_by_tag": {"staff": {"max_shifts_per_post": {"night": 3}}},
    }
    tags = {"p1": ["staff"], "p2": ["staff"]}
    person = {"p2": {"max_shifts_per_post": {"night": 2}}}
    r = make_roster(people=3, tags=tags, person_rules=person, **config)
    assert judge(r, {"p1": "N.N.N"}).feasible
    assert not judge(r, {"p2": "N.N.N"}).feasible
    assert judge(r, {"p2": "N.N"}).feasible
    assert not judge(r, {"p3": "N.N"}).feasible
