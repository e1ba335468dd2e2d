"""Rules nights, pins and fairness, each at both sides of its limit."""

from __future__ import annotations

from typing import Any

from rulekit import judge, make_roster

NOBODY = {"min": 0, "target": 0, "max": 3}


def roster(**config: Any) -> Any:
    rules = {"min_rest_hours": 0, **config.pop("rules", {})}
    return make_roster(people=3, rules=rules, **config)


# --- nights -------------------------------------------------------------------------------------


def test_max_nights_per_week() -> None:
    assert judge(roster(rules={"max_nights_per_week": 2}), None, days=7).feasible
    assert judge(roster(rules={"max_nights_per_week": 2}), {"p1": "N.N"}, days=7).feasible
    outcome = judge(roster(rules={"max_nights_per_week": 2}), {"p1": "N.N.N"}, days=7)
    assert not outcome.feasible
    assert outcome.rules_broken() == {"nights"}
    # Each ISO week has its own allowance.
    assert judge(roster(rules={"max_nights_per_week": 2}), {"p1": ".....NNN"}, days=14).feasible


def test_max_nights_over_the_period() -> None:
    assert judge(roster(rules={"max_nights": 2}), {"p1": "N......N"}, days=14).feasible
    outcome = judge(roster(rules={"max_nights": 2}), {"p1": "N......N.N"}, days=14)
    assert not outcome.feasible
    assert outcome.rules_broken() == {"nights"}


def test_day_shifts_do_not_count_as_nights() -> None:
    assert judge(roster(rules={"max_nights": 0}), {"p1": "DDDD"}, days=7).feasible


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


def test_pins_are_kept() -> None:
    pinned = roster(pins=[{"person": "p2", "slot": "night/2024-01-02T22:00"}])
    solved = judge(pinned, None, days=3)
    assert solved.feasible
    assert solved.report.violations == []
    assert judge(pinned, {"p2": ".N"}, days=3).feasible
    outcome = judge(pinned, {"p1": ".N"}, days=3)
    assert not outcome.feasible
    assert outcome.rules_broken() == {"pins"}


def test_pins_of_other_weeks_are_ignored() -> None:
    later = roster(pins=[{"person": "p2", "slot": "night/2024-02-02T22:00"}])
    assert judge(later, {}, days=3).feasible


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


def test_fair_hours_even_split_costs_nothing() -> None:
    # Two eight-hour shifts a day for three days: 16 hours each is everyone's fair share.
    even = {"p1": "DN.", "p2": "N.D", "p3": ".DN"}
    outcome = judge(fair(fair_hours=5), even, days=3)
    assert outcome.report.terms["fair_hours"] == 0 == outcome.objective


def test_fair_hours_counts_each_hour_away_from_the_share() -> None:
    # 24, 16 and 8 hours against 16 each: 8 + 0 + 8 hours at 5 each.
    uneven = {"p1": "DND", "p2": "N.N", "p3": ".D."}
    outcome = judge(fair(fair_hours=5), uneven, days=3)
    assert outcome.objective == 80 == outcome.report.terms["fair_hours"]


def test_fair_hours_solves_to_an_even_split() -> None:
    outcome = judge(fair(fair_hours=5), None, days=3)
    assert outcome.objective == 0
    assert outcome.report.violations == []


def test_fair_nights() -> None:
    # Three nights to share: one each is fair; p1 has two too many, p2 and p3 one too few.
    outcome = judge(fair(fair_nights=7), {"p1": "NNN", "p2": "DDD", "p3": ""}, days=3)
    assert outcome.objective == (2 + 1 + 1) * 7 == outcome.report.terms["fair_nights"]


def test_fair_weekends() -> None:
    # Four weekend shifts among three: a share of 1.3 each (in tenths, rounded to 13). p1 and p2
    # have two (0.7 over, rounded up to 1), p3 none (1.3 under, rounded up to 2).
    weekend = {"p1": ".DN..NN", "p2": "N.D..DD", "p3": "DN.DN"}
    outcome = judge(fair(fair_weekends=2), weekend, days=7)
    assert outcome.report.terms["fair_weekends"] == (1 + 1 + 2) * 2
    assert outcome.objective == outcome.report.penalty


def test_days_on_leave_lower_the_share() -> None:
    # p3 is away one day of three: shares 3/8, 3/8, 2/8 of 48 hours are 18, 18 and 12.
    leave = [{"person": "p3", "from": "2024-01-03", "to": "2024-01-03"}]
    rows = {"p1": "DND", "p2": "N.N", "p3": ".D."}
    assert judge(fair(fair_hours=5), rows, days=3).report.terms["fair_hours"] == 16 * 5
    outcome = judge(fair(fair_hours=5, leave=leave), rows, days=3)
    assert outcome.report.terms["fair_hours"] == (6 + 2 + 4) * 5
    assert outcome.objective == outcome.report.penalty


def test_weekly_limits_set_the_share() -> None:
    # A 20-hour part-timer's share is half a 40-hour colleague's: 16, 32 and 32 of 80 hours.
    r = fair(fair_hours=5)
    r.people[2].rules.max_hours_per_week = 20
    for person in r.people[:2]:
        person.rules.max_hours_per_week = 40
    outcome = judge(r, {"p1": "DNDN.", "p2": "NDN.D", "p3": "...DN"}, days=5)
    assert outcome.report.terms["fair_hours"] == 0 == outcome.objective


def test_people_away_all_period_are_left_out() -> None:
    leave = [{"person": "p3", "from": "2024-01-01", "to": "2024-01-03"}]
    outcome = judge(fair(fair_hours=5, leave=leave), {"p1": "DND", "p2": "NDN"}, days=3)
    assert outcome.report.terms["fair_hours"] == 0 == outcome.objective
