"""Rules nights, pins and fairness, each at both sides of its limit."""

from __future__ import annotations

from typing import Any

import pytest
from ortools.sat.python import cp_model
from rulekit import judge, make_roster, period

from roster.check import check
from roster.slots import expand
from solver.rules.fairness import achievable, least_gap
from solver.solve import SolveOptions, build_model, run

# The checker's sentences are messages; these tests read them in English (ROSTER_LANG=en).
pytestmark = pytest.mark.usefixtures("english")

NOBODY = {"min": 0, "target": 0, "max": 3}


def roster(**config: Any) -> Any:
    rules = {"min_rest_hours": 0, **config.pop("rules", {})}
    return make_roster(people=3, rules=rules, **config)


# --- nights -------------------------------------------------------------------------------------


@pytest.mark.rule("nights")
def test_max_nights_per_week() -> None:
    assert judge(roster(rules={"max_nights_per_week": 2}), None, days=7).feasible
    assert judge(roster(rules={"max_nights_per_week": 2}), {"p1": "N.N"}, days=7).feasible
    outcome = judge(roster(rules={"max_nights_per_week": 2}), {"p1": "N.N.N"}, days=7)
    assert not outcome.feasible
    assert outcome.rules_broken() == {"nights"}
    # Each ISO week has its own allowance.
    assert judge(roster(rules={"max_nights_per_week": 2}), {"p1": ".....NNN"}, days=14).feasible


@pytest.mark.rule("nights")
def test_max_nights_over_the_period() -> None:
    assert judge(roster(rules={"max_nights": 2}), {"p1": "N......N"}, days=14).feasible
    outcome = judge(roster(rules={"max_nights": 2}), {"p1": "N......N.N"}, days=14)
    assert not outcome.feasible
    assert outcome.rules_broken() == {"nights"}


@pytest.mark.rule("nights")
def test_day_shifts_do_not_count_as_nights() -> None:
    assert judge(roster(rules={"max_nights": 0}), {"p1": "DDDD"}, days=7).feasible


@pytest.mark.rule("nights", "eligibility")
def test_no_nights_by_tag_and_night_window() -> None:
    r = roster(tags={"p1": ["senior"]}, rules_by_tag={"senior": {"no_nights": True}})
    assert judge(r, {"p1": "DDD", "p2": "NNN"}, days=7).feasible
    outcome = judge(r, {"p1": "N"}, days=7)
    assert not outcome.feasible
    assert outcome.rules_broken() == {"no_nights"}
    # The night window is the community's to set: here only 07:00–09:00 counts as night.
    late = roster(
        tags={"p1": ["senior"]},
        rules_by_tag={"senior": {"no_nights": True}},
        night={"start": "07:00", "end": "09:00"},
    )
    assert not judge(late, {"p1": "D"}, days=1).feasible  # 08:00–16:00 overlaps 07:00–09:00
    assert judge(late, {"p1": "N"}, days=1).feasible  # 22:00–06:00 does not


# --- pins ---------------------------------------------------------------------------------------


@pytest.mark.rule("pins")
def test_pins_are_kept() -> None:
    pinned = roster(pins=[{"person": "p2", "slot": "night/2024-01-02T22:00"}])
    solved = judge(pinned, None, days=3)
    assert solved.feasible
    assert solved.report.violations == []
    assert judge(pinned, {"p2": ".N"}, days=3).feasible
    outcome = judge(pinned, {"p1": ".N"}, days=3)
    assert not outcome.feasible
    assert outcome.rules_broken() == {"pins"}


@pytest.mark.rule("pins")
def test_pins_of_other_weeks_are_ignored() -> None:
    later = roster(pins=[{"person": "p2", "slot": "night/2024-02-02T22:00"}])
    assert judge(later, {}, days=3).feasible


@pytest.mark.rule("pins")
def test_pin_at_a_time_without_a_shift_is_infeasible() -> None:
    wrong = roster(pins=[{"person": "p2", "slot": "night/2024-01-02T21:00"}])
    outcome = judge(wrong, None, days=3)
    assert not outcome.feasible
    assert [v.text for v in outcome.report.violations] == [
        "pins[0]: no slot night/2024-01-02T21:00 in the period"
    ]


# --- fairness -----------------------------------------------------------------------------------


def fair(leave: list[Any] | None = None, **weights: int) -> Any:
    # Both posts need one person a day; three people share them.
    head = {"min": 1, "target": 1, "max": 1}
    posts = [
        {
            "id": "day",
            "name": "白班",
            "shifts": [{"start": "08:00", "hours": 8}],
            "headcount": head,
        },
        {
            "id": "night",
            "name": "夜班",
            "shifts": [{"start": "22:00", "hours": 8}],
            "headcount": head,
        },
    ]
    return roster(posts=posts, weights={"fair_hours": 0, **weights}, leave=leave or [])


@pytest.mark.rule("fair_hours")
def test_fair_hours_even_split_costs_nothing() -> None:
    # Two eight-hour shifts a day for three days: 16 hours each is everyone's fair share.
    even = {"p1": "DN.", "p2": "N.D", "p3": ".DN"}
    outcome = judge(fair(fair_hours=5), even, days=3)
    assert outcome.report.terms["fair_hours"] == 0 == outcome.objective


@pytest.mark.rule("fair_hours")
def test_fair_hours_counts_each_hour_away_from_the_share() -> None:
    # 24, 16 and 8 hours against 16 each: 8 + 0 + 8 hours at 5 each.
    uneven = {"p1": "DND", "p2": "N.N", "p3": ".D."}
    outcome = judge(fair(fair_hours=5), uneven, days=3)
    assert outcome.objective == 80 == outcome.report.terms["fair_hours"]


@pytest.mark.rule("fair_hours")
def test_fair_hours_solves_to_an_even_split() -> None:
    outcome = judge(fair(fair_hours=5), None, days=3)
    assert outcome.objective == 0
    assert outcome.report.violations == []


@pytest.mark.rule("fair_nights")
def test_fair_nights() -> None:
    # Three nights to share: one each is fair; p1 has two too many, p2 and p3 one too few.
    outcome = judge(fair(fair_nights=7), {"p1": "NNN", "p2": "DDD", "p3": ""}, days=3)
    assert outcome.objective == (2 + 1 + 1) * 7 == outcome.report.terms["fair_nights"]


@pytest.mark.rule("fair_weekends")
def test_fair_weekends() -> None:
    # Four weekend shifts among three: a share of 1.3 each (in tenths, rounded to 13). p1 and p2
    # have two (0.7 over, rounded up to 1), p3 none (1.3 under, rounded up to 2).
    weekend = {"p1": ".DN..NN", "p2": "N.D..DD", "p3": "DN.DN"}
    outcome = judge(fair(fair_weekends=2), weekend, days=7)
    assert outcome.report.terms["fair_weekends"] == (1 + 1 + 2) * 2
    assert outcome.objective == outcome.report.penalty


@pytest.mark.rule("fair_hours")
def test_days_on_leave_lower_the_share() -> None:
    # p3 is away one day of three: shares 3/8, 3/8, 2/8 of 48 hours are 18, 18 and 12.
    leave = [{"person": "p3", "from": "2024-01-03", "to": "2024-01-03"}]
    rows = {"p1": "DND", "p2": "N.N", "p3": ".D."}
    assert judge(fair(fair_hours=5), rows, days=3).report.terms["fair_hours"] == 16 * 5
    outcome = judge(fair(fair_hours=5, leave=leave), rows, days=3)
    assert outcome.report.terms["fair_hours"] == (6 + 2 + 4) * 5
    assert outcome.objective == outcome.report.penalty


@pytest.mark.rule("fair_hours")
def test_weekly_limits_set_the_share() -> None:
    # A 20-hour part-timer's share is half a 40-hour colleague's: 16, 32 and 32 of 80 hours.
    r = fair(fair_hours=5)
    r.people[2].rules.max_hours_per_week = 20
    for person in r.people[:2]:
        person.rules.max_hours_per_week = 40
    outcome = judge(r, {"p1": "DNDN.", "p2": "NDN.D", "p3": "...DN"}, days=5)
    assert outcome.report.terms["fair_hours"] == 0 == outcome.objective


@pytest.mark.rule("fair_hours")
def test_people_away_all_period_are_left_out() -> None:
    leave = [{"person": "p3", "from": "2024-01-01", "to": "2024-01-03"}]
    outcome = judge(fair(fair_hours=5, leave=leave), {"p1": "DND", "p2": "NDN"}, days=3)
    assert outcome.report.terms["fair_hours"] == 0 == outcome.objective


# --- fairness: what the loads can be ------------------------------------------------------------


@pytest.mark.rule("fair_hours", "fair_nights", "fair_weekends")
def test_reachable_loads_are_the_sums_of_the_slots() -> None:
    # Two 6-hour shifts and a 24-hour turn, in steps of 6 hours: 0, 6, 12, 24, 30, 36.
    reach = achievable([([360, 360, 1440], None)], 360)
    assert reach is not None
    assert [i for i in range(8) if reach >> i & 1] == [0, 1, 2, 4, 5, 6]
    # 18 hours is 6 from 12 and from 24; 20 hours is 4 from 24.
    assert least_gap(reach, 360, 18 * 60) == 360
    assert least_gap(reach, 360, 20 * 60) == 240
    assert least_gap(reach, 360, 24 * 60) == 0
    # Beyond every sum: the distance to the largest.
    assert least_gap(reach, 360, 40 * 60) == 4 * 60


@pytest.mark.rule("fair_hours")
def test_a_weekly_limit_caps_the_reachable_loads_of_each_week() -> None:
    # At most 24 hours a week: 30 and 36 hours are out of reach in one week, not over two.
    one = achievable([([360, 360, 1440], 1440)], 360)
    assert one is not None and [i for i in range(8) if one >> i & 1] == [0, 1, 2, 4]
    two = achievable([([360, 1440], 1440), ([360], 1440)], 360)
    assert two is not None and [i for i in range(8) if two >> i & 1] == [0, 1, 2, 4, 5]


@pytest.mark.rule("fair_hours", "fair_nights", "fair_weekends")
def test_without_the_set_the_gap_is_to_the_nearest_multiple() -> None:
    assert least_gap(None, 60, 150) == 30
    assert least_gap(None, 60, 120) == 0
    assert least_gap(0, 0, 150) == 150  # no slots at all: the load is 0


def capped(weekly: float) -> Any:
    # Two people for an 8-hour day shift on five days (80 hours), nobody required; p1 may work
    # 40 hours a week and p2 8, so their fair shares are 40/48 and 8/48 of 80 hours.
    head = {"min": 0, "target": 2, "max": 2, "under_weight": 0}
    posts = [
        {"id": "day", "name": "白班", "shifts": [{"start": "08:00", "hours": 8}], "headcount": head}
    ]
    return make_roster(
        people=2,
        posts=posts,
        weights={"fair_hours": 3},
        rules={"min_rest_hours": 0},
        person_rules={"p1": {"max_hours_per_week": 40}, "p2": {"max_hours_per_week": weekly}},
    )


def static_bound(r: Any, days: int, explain: bool = False) -> int:
    """The objective's least value from the domains of the penalty variables alone."""
    per = period(days)
    m, penalties = build_model(r, per, expand(r.config, per), strict=False, explain=explain)
    return sum(p.coef * m.model.proto.variables[p.var.index].domain[0] for p in penalties)


@pytest.mark.rule("fair_hours")
def test_fair_hours_bound_from_what_loads_can_be() -> None:
    # p1's share is 66 h 40 min, but 40 h is the most: 26 h 40 min, 27 hours rounded up.
    # p2's share is 13 h 20 min, and one 8-hour shift is the most: 5 h 20 min, 6 hours.
    r = capped(8)
    assert static_bound(r, 5) == (27 + 6) * 3
    outcome = judge(r, None, days=5)
    assert outcome.status == "OPTIMAL"
    assert outcome.objective == (27 + 6) * 3 == outcome.report.penalty
    assert outcome.report.violations == []


@pytest.mark.rule("fair_hours")
def test_fair_hours_bound_is_a_bound_on_both_sides() -> None:
    # Fixed rosters cost what the checker says, at the bound and above it.
    r = capped(8)
    assert judge(r, {"p1": "DDDDD", "p2": "D"}, days=5).objective == (27 + 6) * 3
    outcome = judge(r, {"p1": "DDDD", "p2": "D"}, days=5)
    assert outcome.objective == (35 + 6) * 3 == outcome.report.penalty
    outcome = judge(r, {"p1": "DDDDD", "p2": ""}, days=5)
    assert outcome.objective == (27 + 14) * 3 == outcome.report.penalty


@pytest.mark.rule("fair_hours")
def test_explain_mode_bounds_without_the_weekly_limit() -> None:
    # Explain mode may switch the hours rule off, so the loads it caps are not ruled out: p2 may
    # reach 16 hours (2 h 40 min from the share, 3 hours); p1 has five shifts, 40 hours, anyway.
    assert static_bound(capped(8), 5, explain=True) == (27 + 3) * 3


@pytest.mark.rule("fair_hours")
def test_fair_hours_bound_when_shifts_are_not_whole_units() -> None:
    # Ninety-minute shifts: the gap cannot be counted in whole hours of load, so the bound comes
    # from the nearest reachable load alone; solver and checker agree at the optimum.
    head = {"min": 1, "target": 1, "max": 1}
    posts = [
        {
            "id": "day",
            "name": "白班",
            "shifts": [{"start": "08:00", "hours": 1.5}],
            "headcount": head,
        }
    ]
    r = make_roster(people=2, posts=posts, weights={"fair_hours": 2}, rules={"min_rest_hours": 0})
    # Three shifts, 4.5 hours: 2 h 15 min each is fair; 1.5 or 3 hours are 45 min away, 1 hour.
    assert static_bound(r, 3) == (1 + 1) * 2
    outcome = judge(r, None, days=3)
    assert outcome.status == "OPTIMAL"
    assert outcome.objective == 4 == outcome.report.penalty


# --- fairness: short slots are shared -----------------------------------------------------------


def scarce() -> Any:
    # A 6-hour gate shift every day and a 1-hour broadcast Monday to Wednesday, one person each:
    # over four days 27 hours, 9 each for three people. Anyone could make 9 hours of one gate
    # shift and three broadcasts, but there are only three broadcasts for the three of them.
    exact = {"min": 1, "target": 1, "max": 1}
    posts = [
        {
            "id": "gate",
            "name": "门岗",
            "shifts": [{"start": "14:00", "hours": 6}],
            "headcount": exact,
        },
        {
            "id": "broadcast",
            "name": "广播",
            "shifts": [{"start": "10:00", "hours": 1, "days": ["mon", "tue", "wed"]}],
            "headcount": exact,
        },
    ]
    rules = {"min_rest_hours": 0, "max_shifts_per_day": 2}
    r = make_roster(people=3, posts=posts, weights={"fair_hours": 1}, rules=rules)
    for person, name in zip(r.people, ("马秀英", "韩建国", "李德明"), strict=True):
        person.name = name
    return r


def scarce_roster(gates: dict[str, int], broadcasts: dict[str, int]) -> tuple[int | None, int]:
    """Solve ``scarce()`` over four days with each person's number of gate shifts and
    broadcasts fixed (taken in day order); the solver's objective and the checker's penalty."""
    r = scarce()
    per = period(4)
    slots = expand(r.config, per)
    assignment: dict[str, list[str]] = {s.id: [] for s in slots}
    for post, counts in (("gate", gates), ("broadcast", broadcasts)):
        free = iter(s.id for s in slots if s.post == post)
        for person, count in counts.items():
            for _ in range(count):
                assignment[next(free)].append(person)
    m, _ = build_model(r, per, slots, strict=False)
    m.fix(assignment)
    solver, status = run(m, SolveOptions(repeatable=True, work_units=10, workers=1, seed=0), 1)
    objective = round(solver.objective_value) if status == cp_model.OPTIMAL else None
    return objective, check(r, per, slots, assignment).penalty


@pytest.mark.rule("fair_hours")
def test_short_slots_shared_by_the_pool_bound_the_gaps() -> None:
    # Each person alone could be exactly on their share: the per-person bound is 0.
    r = scarce()
    assert static_bound(r, 4) == 0
    # Whoever does not get the broadcasts has a load of 0, 6, 12 … hours, 3 off their share:
    # loads of 12, 9 and 6 hours are the best, 3 + 0 + 3.
    outcome = judge(r, None, days=4)
    assert outcome.status == "OPTIMAL"
    assert outcome.objective == 6 == outcome.report.penalty
    # CP-SAT's LP sees it from the limits each person's gate shifts set (at least 3 hours off,
    # less the broadcasts they take): it proves the optimum after a single conflict, where without
    # those limits its bound stays at 0.
    per = period(4)
    m, _ = build_model(r, per, expand(r.config, per), strict=False)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_number_of_conflicts = 1
    assert solver.solve(m.model) == cp_model.OPTIMAL
    assert solver.best_objective_bound == 6


@pytest.mark.rule("fair_hours")
def test_short_slot_limits_keep_every_roster() -> None:
    # The limits are implied: fixed rosters cost what the checker says, at the optimum and above.
    assert scarce_roster({"p1": 2, "p2": 1, "p3": 1}, {"p2": 3}) == (6, 6)
    assert scarce_roster({"p1": 2, "p2": 1, "p3": 1}, {"p2": 2, "p3": 1}) == (6, 6)
    # The broadcasts with the one who already has 12 hours: 15, 6 and 6 hours, 6 + 3 + 3.
    assert scarce_roster({"p1": 2, "p2": 1, "p3": 1}, {"p1": 3}) == (12, 12)
