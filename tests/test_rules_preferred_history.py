"""The soft ranges across the border with the published week before: runs of working days, days
off and shifts go on from the published days, complete weekends are completed across a Sunday
border, and the ``*_per_window`` totals count the published weeks of the rolling window.

Each roster is judged by the solver (its objective) and by the checker (its term), which must
agree, on both sides of each limit. The published week is 2023-W52 (Monday 25 to Sunday 31
December; a row's character 0 is its Monday); the planned period starts Monday 2024-01-01.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from rulekit import MONDAY, Outcome, judge, make_roster, past, published

from roster.history import History, reach_days
from roster.slots import Period

WEIGHT = 7
RUNS = {"min": 2, "max": 3}
#: A Sunday border: the period starts on Sunday 2023-12-31, the published days end on Saturday.
SUNDAY = date(2023, 12, 31)


def agreed_term(outcome: Outcome, rule: str) -> int:
    """The term of ``rule`` in a feasible, unbroken roster, which the solver's objective, the
    checker's term and the checker's whole penalty must all equal."""
    assert outcome.feasible
    assert outcome.report.violations == []
    term = outcome.report.terms[rule]
    assert outcome.objective == term == outcome.report.penalty
    return term


def cost(
    rule: str,
    limit: Any,
    before: str,
    row: str,
    *,
    key: str | None = None,
    published_days: int = 7,
    **extra: Any,
) -> int:
    """The penalty of p1 working ``row`` after the published ``before`` under ``key: limit``
    (``key`` defaults to the rule), the same for the solver and the checker, and the only term
    that costs."""
    rules = {key or rule: limit, "min_rest_hours": 0}
    weights = {"fair_hours": 0, rule: WEIGHT}
    r = make_roster(people=1, rules=rules, weights=weights, **extra)
    history = past(r, {"p1": before}, days=published_days)
    return agreed_term(judge(r, {"p1": row}, days=len(row), history=history), rule)


@pytest.mark.parametrize(
    ("before", "row", "days_out"),
    [
        ("....DDD", ".", 0),  # a run of 3 ends on Sunday: at the maximum
        ("....DDD", "D.", 1),  # it goes on to 4: one over, charged now
        ("DDDDDDD", ".", 0),  # 7 published days were charged when they were planned
        ("DDDDDDD", "D.", 1),  # only Monday is new over the maximum
        ("......D", ".", 1),  # a run of 1 ended on Sunday: short, charged now
        ("......D", "D.", 0),  # Monday makes it 2
        (".....D.", "..", 0),  # a short run that ended on Saturday was charged last week
    ],
)
@pytest.mark.rule("preferred_consecutive_days")
def test_preferred_consecutive_days_across_the_border(before: str, row: str, days_out: int) -> None:
    assert cost("preferred_consecutive_days", RUNS, before, row) == WEIGHT * days_out


@pytest.mark.parametrize(
    ("before", "row", "days_out"),
    [
        ("DDDD...", "D", 0),  # 3 days off ending Sunday: at the maximum
        ("DDDD...", ".D", 1),  # 4 with Monday: one over
        ("DDDDDD.", "D", 1),  # 1 day off ended on Sunday: short
        ("DDDDDD.", ".D", 0),  # 2 with Monday
        ("DDDDD.D", "D", 0),  # the short run of Saturday was charged last week
    ],
)
@pytest.mark.rule("preferred_consecutive_days_off")
def test_preferred_consecutive_days_off_across_the_border(
    before: str, row: str, days_out: int
) -> None:
    assert cost("preferred_consecutive_days_off", RUNS, before, row) == WEIGHT * days_out


@pytest.mark.parametrize(
    ("before", "row", "days_out"),
    [
        ("......N", "N.", 0),  # 2 nights across the border
        (".....NN", "N.", 1),  # 3: one over
        (".....NN", "D", 0),  # 2 nights ended on Sunday
        ("......N", "D", 1),  # 1 night ended on Sunday: short, charged now
        ("......D", "N.", 1),  # Monday's night is alone: the day shift before ends it
        (".......", "N.", 1),  # and so does a day off
    ],
)
@pytest.mark.rule("preferred_consecutive_shifts")
def test_preferred_consecutive_shifts_across_the_border(
    before: str, row: str, days_out: int
) -> None:
    limits = {"night": {"min": 2, "max": 2}}
    assert cost("preferred_consecutive_shifts", limits, before, row) == WEIGHT * days_out


@pytest.mark.rule("preferred_consecutive_shifts")
def test_a_published_shift_is_known_by_its_patterns_name() -> None:
    # Both posts' shifts are named 夜班: Sunday's published night and Monday's day make one run.
    head = {"min": 0, "target": 0, "max": 1, "over_weight": 0}
    posts = [
        {
            "id": post,
            "name": name,
            "shifts": [{"start": start, "hours": 8, "name": "夜班"}],
            "headcount": head,
        }
        for post, name, start in (("day", "白班岗", "08:00"), ("night", "夜班岗", "22:00"))
    ]
    limits = {"夜班": {"max": 2}}
    rule = "preferred_consecutive_shifts"
    assert cost(rule, limits, "......N", "DN.", posts=posts) == WEIGHT
    assert cost(rule, limits, "......N", "D.N", posts=posts) == 0


def sunday_cost(rule: str, limit: Any, saturday: str, row: str, key: str | None = None) -> int:
    """The penalty of p1 working ``row`` from Sunday 2023-12-31, the week before published up to
    Saturday (``saturday``: its last character is Saturday's), solver and checker agreeing."""
    rules = {key or rule: limit, "min_rest_hours": 0}
    r = make_roster(people=1, rules=rules, weights={"fair_hours": 0, rule: WEIGHT})
    schedule = published(r, {"p1": saturday}, days=len(saturday), border=SUNDAY)
    period = Period(SUNDAY, SUNDAY, "UTC")
    history = History.from_schedules(r, [schedule], period)
    outcome = judge(r, {"p1": row}, days=len(row), history=history, first=SUNDAY)
    return agreed_term(outcome, rule)


@pytest.mark.parametrize(
    ("saturday", "row", "halves"),
    [
        ("D", "D", 0),  # both days
        (".", ".", 0),  # neither
        ("D", ".", 1),  # Saturday published, Sunday off
        (".", "D", 1),  # Sunday only
    ],
)
@pytest.mark.rule("complete_weekends")
def test_complete_weekends_across_a_sunday_border(saturday: str, row: str, halves: int) -> None:
    assert sunday_cost("complete_weekends", True, saturday, row) == WEIGHT * halves


@pytest.mark.rule("complete_weekends")
def test_a_weekend_before_a_monday_border_is_not_charged_again() -> None:
    assert cost("complete_weekends", True, ".....D.", "D") == 0


WINDOW = "preferred_total_shifts_per_window"


@pytest.mark.parametrize(
    ("before", "row", "shifts_out"),
    [
        ("DD.....", ".", 1),  # 2 in the window: one short
        ("DD.....", "D", 0),  # 3
        ("DDDD...", ".", 0),  # 4
        ("DDDD...", "D", 1),  # 5: one over
        ("DDDDDD.", ".", 0),  # the published week alone over: the past's, not charged again
        ("DDDDDD.", "D", 1),  # Monday is over
    ],
)
@pytest.mark.rule("preferred_total_shifts")
def test_preferred_total_shifts_per_window(before: str, row: str, shifts_out: int) -> None:
    bounds = {"min": 3, "max": 4}
    assert cost("preferred_total_shifts", bounds, before, row, key=WINDOW) == (WEIGHT * shifts_out)


@pytest.mark.rule("preferred_total_shifts")
def test_the_window_holds_window_weeks_weeks() -> None:
    bounds = {"min": 3, "max": 4}
    rule = "preferred_total_shifts"
    # 2024-W01 alone: the published week is outside the window.
    assert cost(rule, bounds, "DDDD...", "D", key=WINDOW, window_weeks=1) == WEIGHT * 2
    # The period's own range counts the period alone, history or not.
    assert cost(rule, bounds, "DDDD...", "DDD") == 0


@pytest.mark.parametrize(
    ("before", "row", "over"),
    [
        (".....D.", ".......", 0),  # one weekend in the window
        (".....D.", ".....D.", 1),  # two
        (".......", ".....DD", 0),
        # Two published weekends over a most of 1: the past's; a third is charged.
        (".....D......D", ".......", 0),
        (".....D......D", "......D", 1),
    ],
)
@pytest.mark.rule("preferred_max_weekends")
def test_preferred_max_weekends_per_window(before: str, row: str, over: int) -> None:
    rule, key = "preferred_max_weekends", "preferred_max_weekends_per_window"
    days = len(before)
    assert cost(rule, 1, before, row, key=key, published_days=days) == WEIGHT * over


@pytest.mark.rule("preferred_max_weekends")
def test_a_weekend_across_a_sunday_border_counts_once() -> None:
    rule, key = "preferred_max_weekends", "preferred_max_weekends_per_window"
    assert sunday_cost(rule, 1, "D", "D", key=key) == 0
    assert sunday_cost(rule, 0, ".", "D", key=key) == WEIGHT


def test_the_history_reaches_as_far_back_as_the_ranges() -> None:
    ranges = {"preferred_consecutive_shifts": {"night": {"min": 2, "max": 9}}}
    r = make_roster(rules=ranges, window_weeks=1)
    assert reach_days(r) == 10
    # A run of 9 nights and one before it: 10 days, beyond the week of the window.
    assert past(r, {"p1": "NNNNNNNNNNNNNN"}, days=14).since == MONDAY - timedelta(days=10)
