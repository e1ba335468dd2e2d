"""The soft ranges on runs and totals and complete weekends: preferred_consecutive_days,
preferred_consecutive_days_off, preferred_consecutive_shifts, complete_weekends,
preferred_total_shifts, preferred_max_weekends. Each roster is judged by the solver (its
objective) and by the checker (its term), on both sides of each limit."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError
from rulekit import judge, make_roster

from roster.models import Bounds

WEIGHT = 7


def cost(rule: str, limit: Any, row: str, *, days: int | None = None, **extra: Any) -> int:
    """The penalty of p1 working ``row`` under ``rule: limit``, checked to be the same for the
    solver and the checker, and the only term that costs."""
    rules = {rule: limit, "min_rest_hours": 0}
    config: dict[str, Any] = {"rules": rules, "weights": {"fair_hours": 0, rule: WEIGHT}}
    config.update(extra)
    outcome = judge(make_roster(people=1, **config), {"p1": row}, days=days or len(row))
    assert outcome.feasible
    assert outcome.report.violations == []
    term = outcome.report.terms[rule]
    assert outcome.objective == term == outcome.report.penalty
    return term


RUNS = {"min": 2, "max": 3}


@pytest.mark.parametrize(
    ("row", "days_out"),
    [
        (".DD.DDD.", 0),  # runs of 2 and 3: inside the range
        (".DDDD...", 1),  # a run of 4: one over
        (".D..DDD.", 1),  # a run of 1 between days off: one short
        ("D.DD", 0),  # a run of 1 on the first day may have begun before: not short
        ("DD.D", 0),  # a run of 1 on the last day may go on: not short
        ("DDDDD.", 2),  # a run touching the start is still held to the maximum
        ("..DDDDDD", 3),
    ],
)
@pytest.mark.rule("preferred_consecutive_days")
def test_preferred_consecutive_days(row: str, days_out: int) -> None:
    assert cost("preferred_consecutive_days", RUNS, row) == WEIGHT * days_out


@pytest.mark.parametrize(
    ("row", "days_out"),
    [
        ("D..D...D", 0),  # 2 and 3 days off
        ("D.D", 1),  # 1 day off: one short
        ("D....D", 1),  # 4 days off: one over
        (".D", 0),  # a day off at the start is not short
        ("....D", 1),  # 4 days off at the start: one over
        ("D......", 3),  # 6 at the end: three over
    ],
)
@pytest.mark.rule("preferred_consecutive_days_off")
def test_preferred_consecutive_days_off(row: str, days_out: int) -> None:
    assert cost("preferred_consecutive_days_off", RUNS, row) == WEIGHT * days_out


@pytest.mark.parametrize(
    ("row", "days_out"),
    [
        ("DNND", 0),  # two nights
        ("DNNND", 1),  # three nights: one over
        ("DND", 1),  # one night between day shifts: one short
        (".N.", 1),  # or between days off
        ("NDN", 0),  # runs at the ends
        ("DDDD", 0),  # day shifts are another shift
    ],
)
@pytest.mark.rule("preferred_consecutive_shifts")
def test_preferred_consecutive_shifts(row: str, days_out: int) -> None:
    limits = {"night": {"min": 2, "max": 2}}
    assert cost("preferred_consecutive_shifts", limits, row) == WEIGHT * days_out


@pytest.mark.rule("preferred_consecutive_shifts")
def test_preferred_consecutive_shifts_by_shift_name() -> None:
    # Two posts whose shifts are both named 夜班 make one run.
    posts = [
        {
            "id": "day",
            "name": "白班岗",
            "shifts": [{"start": "08:00", "hours": 8, "name": "夜班"}],
            "headcount": {"min": 0, "target": 0, "max": 2, "over_weight": 0},
        },
        {
            "id": "night",
            "name": "夜班岗",
            "shifts": [{"start": "22:00", "hours": 8, "name": "夜班"}],
            "headcount": {"min": 0, "target": 0, "max": 2, "over_weight": 0},
        },
    ]
    limits = {"夜班": {"max": 2}}
    assert cost("preferred_consecutive_shifts", limits, "DNN.", posts=posts) == WEIGHT
    assert cost("preferred_consecutive_shifts", limits, "DN.N", posts=posts) == 0


@pytest.mark.parametrize(
    ("row", "halves"),
    [
        (".....DD", 0),
        (".......", 0),
        (".....D.", 1),  # Saturday only
        ("......D", 1),  # Sunday only
        (".....D......D.", 2),
        (".....D", 0),  # the period ends on Saturday: its weekend is not whole
    ],
)
@pytest.mark.rule("complete_weekends")
def test_complete_weekends(row: str, halves: int) -> None:
    assert cost("complete_weekends", True, row) == WEIGHT * halves


@pytest.mark.rule("complete_weekends")
def test_complete_weekends_only_for_people_with_the_rule() -> None:
    config: dict[str, Any] = {
        "rules_by_tag": {"fulltime": {"complete_weekends": True}},
        "weights": {"fair_hours": 0, "complete_weekends": WEIGHT},
    }
    r = make_roster(tags={"p1": ["fulltime"]}, **config)
    assert judge(r, {"p1": ".....D."}, days=7).objective == WEIGHT
    assert judge(r, {"p2": ".....D."}, days=7).objective == 0


@pytest.mark.parametrize(
    ("row", "shifts_out"),
    [("", 3), ("DD", 1), ("DDD", 0), ("DNDD", 0), ("DDDDD", 1), ("DDDDDDD", 3)],
)
@pytest.mark.rule("preferred_total_shifts")
def test_preferred_total_shifts(row: str, shifts_out: int) -> None:
    assert cost("preferred_total_shifts", {"min": 3, "max": 4}, row, days=7) == (
        WEIGHT * shifts_out
    )


@pytest.mark.parametrize(
    ("row", "over"),
    [
        (".....D.", 0),
        (".....D......D", 1),  # two weekends, one allowed
        (".....DD.....DD", 1),  # both days of a weekend are one weekend
        ("DDDDD........", 0),
    ],
)
@pytest.mark.rule("preferred_max_weekends")
def test_preferred_max_weekends(row: str, over: int) -> None:
    assert cost("preferred_max_weekends", 1, row, days=14) == WEIGHT * over


@pytest.mark.rule("preferred_total_shifts", "preferred_consecutive_days", "complete_weekends")
def test_the_solver_meets_the_ranges_when_it_can() -> None:
    config: dict[str, Any] = {
        "rules": {
            "preferred_total_shifts": {"min": 5, "max": 5},
            "preferred_consecutive_days": {"min": 2, "max": 3},
            "complete_weekends": True,
        },
        "weights": {"fair_hours": 0},
    }
    outcome = judge(make_roster(people=1, **config), None, days=14)
    # Penalty 0: exactly five shifts, in runs of two or three, weekends whole.
    assert outcome.objective == 0
    assert outcome.report.penalty == 0


def test_ranges_are_read_from_text() -> None:
    assert Bounds.model_validate("3..5") == Bounds(min=3, max=5)
    assert Bounds.model_validate("..5") == Bounds(max=5)
    assert Bounds.model_validate("3..") == Bounds(min=3)
    with pytest.raises(ValidationError, match="not a range"):
        Bounds.model_validate("3-5")
    with pytest.raises(ValidationError, match="below min"):
        Bounds.model_validate("5..3")
