"""The first rules, each in three steps (trivially feasible; just inside; just outside), with
the solver and the checker agreeing on every roster."""

from __future__ import annotations

from typing import Any

import pytest
from rulekit import Outcome, at_most_ones, judge, make_roster, period

from roster.check import check
from roster.slots import expand
from solver.solve import SolveOptions, build_model, run

# The checker's sentences are messages; these tests read them in English (ROSTER_LANG=en).
pytestmark = pytest.mark.usefixtures("english")

NOBODY = {"min": 0, "target": 0, "max": 3}
DAY = {"id": "day", "name": "白班", "shifts": [{"start": "08:00", "hours": 8}], "headcount": NOBODY}
NIGHT = {
    "id": "night",
    "name": "夜班",
    "shifts": [{"start": "22:00", "hours": 8}],
    "headcount": NOBODY,
}


def posts(day: dict[str, Any] | None = None, night: dict[str, Any] | None = None) -> list[Any]:
    """The two posts of rulekit, with extra keys for each."""
    return [{**DAY, **(day or {})}, {**NIGHT, **(night or {})}]


def open_posts(**rules: Any) -> Any:
    """Posts needing nobody, with rules (no rest rule unless given)."""
    return make_roster(people=3, rules={"min_rest_hours": 0, **rules})


# --- headcount ----------------------------------------------------------------------------------


def head(**headcount: Any) -> Any:
    none = {"headcount": {"min": 0, "target": 0, "max": 3}}
    return make_roster(people=3, posts=posts({"headcount": headcount}, none))


@pytest.mark.rule("headcount")
def test_headcount_feasible_at_target() -> None:
    outcome = judge(head(min=1, target=2, max=2), {"p1": "D", "p2": "D"}, days=1)
    assert (outcome.objective, outcome.report.penalty) == (0, 0)


@pytest.mark.rule("headcount")
def test_headcount_under_target_costs_the_under_weight() -> None:
    outcome = judge(head(min=1, target=2, max=3, under_weight=7), {"p1": "D"}, days=1)
    assert outcome.objective == 7 == outcome.report.terms["under_target"]


@pytest.mark.rule("headcount")
def test_headcount_over_target_costs_the_over_weight() -> None:
    outcome = judge(head(min=1, target=1, max=3, over_weight=4), {"p1": "D", "p2": "D"}, days=1)
    assert outcome.objective == 4 == outcome.report.terms["over_target"]


@pytest.mark.rule("headcount")
def test_headcount_above_max_is_infeasible() -> None:
    outcome = judge(head(min=1, target=2, max=2), {"p1": "D", "p2": "D", "p3": "D"}, days=1)
    assert not outcome.feasible
    assert outcome.rules_broken() == {"headcount"}


@pytest.mark.rule("headcount")
def test_headcount_below_min_is_a_priced_shortage() -> None:
    outcome = judge(head(min=2, target=2, max=2), {"p1": "D"}, days=1)
    assert outcome.feasible
    assert outcome.objective == 1000 == outcome.report.terms["shortage"]
    assert outcome.report.violations == []


@pytest.mark.rule("headcount")
def test_headcount_below_min_with_strict_is_infeasible() -> None:
    roster = head(min=2, target=2, max=2)
    period1 = period(1)
    slots = expand(roster.config, period1)
    m, _ = build_model(roster, period1, slots, strict=True)
    solver, status = run(m, SolveOptions(repeatable=True, work_units=5, workers=1), 1)
    m2, _ = build_model(roster, period1, slots, strict=True)
    m2.fix({slots[0].id: ["p1"]})
    _, fixed = run(m2, SolveOptions(repeatable=True, work_units=5, workers=1), 1)
    assert solver.status_name(status) == "OPTIMAL"
    assert solver.status_name(fixed) == "INFEASIBLE"
    report = check(roster, period1, slots, {slots[0].id: ["p1"]}, strict=True)
    assert [v.rule for v in report.violations] == ["headcount"]


# --- who may take a post ------------------------------------------------------------------------


@pytest.mark.rule("eligibility")
def test_required_skill() -> None:
    roster = _skilled()
    assert judge(roster, {"p1": "D"}, days=1).feasible
    outcome = judge(roster, {"p2": "D"}, days=1)
    assert not outcome.feasible
    assert outcome.rules_broken() == {"skill"}


def _skilled() -> Any:
    """Two people; only p1 has the skill the day post requires."""
    roster = make_roster(
        people=2, posts=posts({"skills": ["thermometer"]}), skills={"thermometer": "测温"}
    )
    roster.people[0].skills.append("thermometer")
    return roster


@pytest.mark.rule("eligibility")
def test_required_tags_any_of() -> None:
    roster = make_roster(
        people=3,
        tags={"p1": ["committee"], "p2": ["staff"], "p3": ["volunteer"]},
        posts=posts({"tags": ["committee", "staff"]}),
    )
    assert judge(roster, {"p1": "D"}, days=1).feasible
    assert judge(roster, {"p2": "D"}, days=1).feasible
    outcome = judge(roster, {"p3": "D"}, days=1)
    assert not outcome.feasible
    assert outcome.rules_broken() == {"tag"}


# --- quotas -------------------------------------------------------------------------------------


def quota(**limits: Any) -> Any:
    return make_roster(
        people=3,
        tags={"p1": ["party_member"], "p2": ["party_member"]},
        posts=posts(
            {
                "headcount": {**NOBODY, "over_weight": 0},
                "quotas": [{"tag": "party_member", **limits}],
            }
        ),
    )


@pytest.mark.rule("quotas")
def test_quota_min_met() -> None:
    outcome = judge(quota(min=1), {"p1": "D", "p3": "D"}, days=1)
    assert (outcome.objective, outcome.report.penalty) == (0, 0)


@pytest.mark.rule("quotas")
def test_quota_min_missed_is_priced_as_a_shortage() -> None:
    outcome = judge(quota(min=1), {"p3": "D"}, days=1)
    assert outcome.objective == 1000 == outcome.report.terms["quota"]


@pytest.mark.rule("quotas")
def test_quota_max() -> None:
    assert judge(quota(max=1), {"p1": "D", "p3": "D"}, days=1).feasible
    outcome = judge(quota(max=1), {"p1": "D", "p2": "D"}, days=1)
    assert not outcome.feasible
    assert outcome.rules_broken() == {"quotas"}


# --- unavailability -----------------------------------------------------------------------------


@pytest.mark.rule("eligibility")
def test_leave_by_days_and_by_hours() -> None:
    leave = [
        {"person": "p1", "from": "2024-01-02", "to": "2024-01-02", "reason": "病假"},
        {"person": "p2", "from": "2024-01-01T20:00", "to": "2024-01-01T23:00"},
    ]
    roster = make_roster(people=3, rules={"min_rest_hours": 0}, leave=leave)
    assert judge(roster, {"p1": "D.D", "p2": "D"}, days=3).feasible
    outcome = judge(roster, {"p1": ".D"}, days=3)
    assert not outcome.feasible
    assert outcome.rules_broken() == {"unavailable"}
    assert (
        outcome.report.violations[0].text == "day/2024-01-02T08:00: Person 1 (p1) on leave (病假)"
    )
    # 20:00–23:00 overlaps the 22:00 night shift but not the day shift.
    assert not judge(roster, {"p2": "N"}, days=3).feasible


# --- overlap and shifts per day -----------------------------------------------------------------


@pytest.mark.rule("no_overlap")
def test_no_overlap() -> None:
    roster = make_roster(
        people=2,
        rules={"min_rest_hours": 0, "max_shifts_per_day": 3},
        posts=[DAY, {**NIGHT, "shifts": [{"start": "15:00", "hours": 8}]}],
    )
    assert judge(roster, {"p1": "D", "p2": "N"}, days=1).feasible
    assert judge(roster, {"p1": "N"}, days=1).feasible
    # Day 08:00–16:00 and the other post 15:00–23:00 share an hour.
    both = _judge_both(roster)
    assert not both.feasible
    assert both.rules_broken() == {"no_overlap"}


@pytest.mark.rule("no_overlap", "max_shifts_per_day", "rest")
def test_rules_stating_the_same_clique_add_it_once() -> None:
    # Overlapping posts, one shift a day and rest: three rules, the same clique every day.
    roster = make_roster(
        people=2,
        rules={"min_rest_hours": 8, "max_shifts_per_day": 1},
        posts=[DAY, {**NIGHT, "shifts": [{"start": "15:00", "hours": 8}]}],
    )
    assert at_most_ones(roster, days=14) == 2 * 14
    assert not _judge_both(roster).feasible
    # In explain mode each rule keeps its own guarded copy, so a conflict can name any of them.
    explained, _ = build_model(
        roster, period(14), expand(roster.config, period(14)), strict=False, explain=True
    )
    assert {h.rule for h in explained.guards.values()} >= {
        "no_overlap",
        "max_shifts_per_day",
        "rest",
    }


def _judge_both(roster: Any) -> Any:
    """p1 on every slot of day 0 (both posts), judged by the solver and the checker."""
    per = period(1)
    slots = expand(roster.config, per)
    assignment = {s.id: ["p1"] for s in slots}
    m, _ = build_model(roster, per, slots, strict=False)
    m.fix(assignment)
    solver, status = run(m, SolveOptions(repeatable=True, work_units=5, workers=1), 1)
    return Outcome(solver.status_name(status), None, check(roster, per, slots, assignment))


@pytest.mark.rule("max_shifts_per_day")
def test_max_shifts_per_day() -> None:
    roster = open_posts(max_shifts_per_day=2)
    assert judge(roster, {"p1": "DN"}, days=2).feasible
    two = _judge_both(roster)
    assert two.feasible
    one = _judge_both(open_posts(max_shifts_per_day=1))
    assert not one.feasible
    assert one.rules_broken() == {"max_shifts_per_day"}


# --- rest ---------------------------------------------------------------------------------------


@pytest.mark.rule("rest")
def test_rest_between_shifts() -> None:
    # Day ends 16:00, night starts 22:00: six hours between them.
    assert _judge_both(open_posts(max_shifts_per_day=2, min_rest_hours=6)).feasible
    outcome = _judge_both(open_posts(max_shifts_per_day=2, min_rest_hours=6.5))
    assert not outcome.feasible
    assert outcome.rules_broken() == {"rest"}
    assert outcome.report.violations[0].text == (
        "Person 1 (p1): 6 h between day/2024-01-01T08:00 and night/2024-01-01T22:00, needs 6.5 h"
    )


@pytest.mark.rule("rest")
def test_long_rest_after_a_long_shift() -> None:
    turn = {**DAY, "name": "24小时值班", "shifts": [{"start": "08:00", "hours": 24}]}
    rules = {"min_rest_hours": 8, "long_shift_hours": 24, "rest_after_long_shift_hours": 24}
    roster = make_roster(people=2, rules=rules, posts=[turn, NIGHT])
    assert judge(roster, {"p1": "D.D"}, days=3).feasible  # 24 h on, 24 h off
    outcome = judge(roster, {"p1": "DN"}, days=3)  # back 14 h after the turn ends
    assert not outcome.feasible
    assert outcome.rules_broken() == {"rest"}
    shorter = make_roster(
        people=2, rules={**rules, "rest_after_long_shift_hours": 14}, posts=[turn, NIGHT]
    )
    assert judge(shorter, {"p1": "DN"}, days=3).feasible
    back_to_back = judge(roster, {"p1": "DD"}, days=2)
    assert not back_to_back.feasible


# --- hours --------------------------------------------------------------------------------------


@pytest.mark.rule("hours")
def test_max_hours_per_week() -> None:
    assert judge(open_posts(max_hours_per_week=40), {"p1": "DDDDD"}, days=7).feasible
    outcome = judge(open_posts(max_hours_per_week=39.5), {"p1": "DDDDD"}, days=7)
    assert not outcome.feasible
    assert outcome.rules_broken() == {"hours"}


@pytest.mark.rule("hours")
def test_max_hours_per_week_counts_each_iso_week() -> None:
    assert judge(open_posts(max_hours_per_week=40), {"p1": "..DDDDD" + "DDDDD"}, days=14).feasible
    assert not judge(open_posts(max_hours_per_week=40), {"p1": "DDDDDD"}, days=14).feasible


@pytest.mark.rule("hours")
def test_min_hours_per_week_applies_to_whole_weeks_only() -> None:
    rules = {"min_hours_per_week": 16}
    assert judge(open_posts(**rules), {"p1": "DD", "p2": "DD", "p3": "DD"}, days=7).feasible
    outcome = judge(open_posts(**rules), {"p1": "D", "p2": "DD", "p3": "DD"}, days=7)
    assert not outcome.feasible
    assert outcome.rules_broken() == {"hours"}
    # A three-day period holds no whole ISO week, so nobody owes hours.
    assert judge(open_posts(**rules), {}, days=3).feasible


@pytest.mark.rule("hours")
def test_max_and_min_hours_over_the_period() -> None:
    assert judge(open_posts(max_hours=16), {"p1": "D......D"}, days=14).feasible
    assert not judge(open_posts(max_hours=15), {"p1": "D......D"}, days=14).feasible
    rows = {"p1": "DD", "p2": "DD", "p3": "DD"}
    assert judge(open_posts(min_hours=16), rows, days=14).feasible
    assert not judge(open_posts(min_hours=17), rows, days=14).feasible


@pytest.mark.rule("hours")
def test_person_overrides_tag_overrides_global() -> None:
    roster = make_roster(
        people=3,
        tags={"p1": ["volunteer"], "p2": ["volunteer"]},
        rules={"min_rest_hours": 0, "max_hours_per_week": 8},
        rules_by_tag={"volunteer": {"max_hours_per_week": 16}},
        person_rules={"p2": {"max_hours_per_week": 24}},
    )
    assert judge(roster, {"p1": "DD", "p2": "DDD", "p3": "D"}, days=7).feasible
    assert not judge(roster, {"p1": "DDD"}, days=7).feasible
    assert not judge(roster, {"p2": "DDDD"}, days=7).feasible
    assert not judge(roster, {"p3": "DD"}, days=7).feasible
