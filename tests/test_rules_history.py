"""The rules across the border with the published week before (roster/history.py).

Each rule in three steps, in the solver and in the checker: trivially feasible with a history;
fixed just inside the limit counting the published days; fixed just outside it. The published
week is 2023-W52 (Monday 25 to Sunday 31 December); the planned period starts Monday 2024-01-01.
"""

from __future__ import annotations

from typing import Any

import pytest
from rulekit import conflict, judge, make_roster, past, period

from roster.history import History

# The checker's sentences are messages; these tests read them in English (ROSTER_LANG=en).
pytestmark = pytest.mark.usefixtures("english")

BORDER = "2023-W52"


def roster(**config: Any) -> Any:
    """The rule test roster, with no rest rule unless one is given (so each test sees its own
    rule alone)."""
    rules = {"min_rest_hours": 0, "rest_after_long_shift_hours": 0, **config.pop("rules", {})}
    return make_roster(rules=rules, **config)


def outside(outcome: Any, rule: str, border: str = BORDER) -> None:
    """The solver refuses the roster, and the checker names ``rule`` across the border with the
    published period ``border``."""
    assert not outcome.feasible
    broken = [v for v in outcome.report.violations if v.rule == rule]
    assert broken, outcome.report.violations
    assert all(v.border == border for v in broken)
    # The rule test roster speaks Chinese (the default language).
    assert all(v.text.endswith(f" (across the border with {border})") for v in broken)


def inside(outcome: Any) -> None:
    """The solver accepts the roster, and the checker finds nothing."""
    assert outcome.feasible
    assert outcome.report.violations == []


@pytest.mark.parametrize(
    "config",
    [
        {"rules": {"min_rest_hours": 8}},
        {"rules": {"max_consecutive_days": 3}},
        {"rules": {"min_consecutive_days": 2, "min_consecutive_days_off": 2}},
        {"rules": {"max_hours_per_window": 40, "max_nights_per_window": 1}},
        {"rules": {"max_weekends_per_window": 1}},
        {"successions": [{"after": ["night"], "then": ["day"]}]},
    ],
)
def test_trivially_feasible_with_a_history(config: dict[str, Any]) -> None:
    r = roster(**config)
    history = past(r, {"p1": "DDDDDNN", "p2": ".N.N.N."})
    assert judge(r, None, history=history).feasible


# --- rest and overlap ------------------------------------------------------------------------


def test_rest_after_sunday_night_just_inside() -> None:
    # Sunday's night shift ends Monday 06:00; Monday's day shift starts 08:00: 2 hours.
    history = past(roster(), {"p1": "......N"})
    inside(judge(roster(rules={"min_rest_hours": 2}), {"p1": "D"}, history=history))


def test_rest_after_sunday_night_just_outside() -> None:
    r = roster(rules={"min_rest_hours": 2.5})
    outcome = judge(r, {"p1": "D"}, history=past(r, {"p1": "......N"}))
    outside(outcome, "rest")
    assert "2 h between night/2023-12-31T22:00 (published) and day/2024-01-01T08:00" in (
        outcome.report.violations[0].text
    )


def test_the_border_is_named_in_the_rosters_language() -> None:
    r = roster(rules={"min_rest_hours": 2.5}, language="en")
    outcome = judge(r, {"p1": "D"}, history=past(r, {"p1": "......N"}))
    assert [v.text for v in outcome.report.violations] == [
        "Person 1 (p1): 2 h between night/2023-12-31T22:00 (published) and day/2024-01-01T08:00, "
        "needs 2.5 h (across the border with 2023-W52)"
    ]


def test_rest_without_history_does_not_fire() -> None:
    inside(judge(roster(rules={"min_rest_hours": 2.5}), {"p1": "D"}))


def test_rest_does_not_fire_for_another_person() -> None:
    r = roster(rules={"min_rest_hours": 8})
    inside(judge(r, {"p2": "D"}, history=past(r, {"p1": "......N"})))


def test_long_rest_after_a_published_long_shift() -> None:
    # An 8-hour night counts as long here: 16 hours' rest after it, to Monday 22:00.
    config = {"long_shift_hours": 8, "rest_after_long_shift_hours": 16}
    r = roster(rules=config)
    history = past(r, {"p1": "......N"})
    inside(judge(r, {"p1": "N"}, history=history))
    longer = roster(rules={**config, "rest_after_long_shift_hours": 16.5})
    outside(judge(longer, {"p1": "N"}, history=past(longer, {"p1": "......N"})), "rest")


def turn_roster(early: int = 0, people: int = 2, **rules: Any) -> Any:
    """A 24-hour turn from 08:00 and an early shift from 06:00 needing ``early`` people, every
    day."""
    head = {"min": 0, "target": 0, "max": 2, "over_weight": 0}
    need = {"min": early, "target": early, "max": 2, "over_weight": 0}
    posts = [
        {
            "id": "turn",
            "name": "24h",
            "shifts": [{"start": "08:00", "hours": 24}],
            "headcount": head,
        },
        {
            "id": "early",
            "name": "早班",
            "shifts": [{"start": "06:00", "hours": 8}],
            "headcount": need,
        },
    ]
    return roster(posts=posts, rules=rules, people=people)


def test_a_published_turn_running_into_the_period_is_an_overlap() -> None:
    r = turn_roster()
    # Sunday's turn runs to Monday 08:00: Monday's 06:00 shift overlaps it.
    history = past(r, {"p1": "......T"})
    outcome = judge(r, {"p1": "E"}, history=history)
    outside(outcome, "no_overlap")
    # Tuesday's 06:00 is free of it.
    inside(judge(r, {"p1": ".E"}, history=history))


def test_rest_after_a_published_turn_names_the_conflict() -> None:
    r = turn_roster(rest_after_long_shift_hours=24, long_shift_hours=24)
    history = past(r, {"p1": "......T"})
    # The turn ends Monday 08:00; 24 hours' rest runs to Tuesday 08:00: Tuesday 06:00 is inside.
    outside(judge(r, {"p1": ".E"}, history=history), "rest")
    inside(judge(r, {"p1": "..E"}, history=history))
    texts = conflict(r, {"p1": ".E"}, history=history)
    assert texts == [
        "p1 rests after turn/2023-12-31T08:00 (published, 2023-W52) until 2024-01-02 08:00"
    ]


# --- successions -----------------------------------------------------------------------------


def test_succession_across_the_border() -> None:
    r = roster(successions=[{"after": ["night"], "then": ["day"]}])
    # Night on Saturday, not Sunday: no succession with Monday.
    inside(judge(r, {"p1": "D"}, history=past(r, {"p1": ".....N."})))
    outside(judge(r, {"p1": "D"}, history=past(r, {"p1": "......N"})), "successions")
    # Another kind on Monday is free.
    inside(judge(r, {"p1": "N"}, history=past(r, {"p1": "......N"})))


def test_weighted_succession_across_the_border_costs_its_weight() -> None:
    r = roster(successions=[{"after": ["night"], "then": ["day"], "weight": 7}])
    outcome = judge(r, {"p1": "D"}, history=past(r, {"p1": "......N"}))
    assert outcome.feasible
    assert outcome.objective == 7
    assert outcome.report.terms["successions"] == 7


# --- runs of days ----------------------------------------------------------------------------


def test_consecutive_days_continue_from_last_week() -> None:
    r = roster(rules={"max_consecutive_days": 3})
    history = past(r, {"p1": ".....DD"})
    inside(judge(r, {"p1": "D.DDD"}, history=history))
    outcome = judge(r, {"p1": "DD"}, history=history)
    outside(outcome, "max_consecutive_days")
    assert "works 4 days in a row (2023-12-30 … 2024-01-02), at most 3" in (
        outcome.report.violations[0].text
    )


def test_a_run_already_too_long_last_week_leaves_monday_off() -> None:
    r = roster(rules={"max_consecutive_days": 3})
    history = past(r, {"p1": "...DDDD"})
    inside(judge(r, {"p1": ".DDD"}, history=history))
    outside(judge(r, {"p1": "D"}, history=history), "max_consecutive_days")


def test_consecutive_days_conflict_names_the_published_days() -> None:
    r = roster(rules={"max_consecutive_days": 2})
    texts = conflict(r, {"p1": "D"}, history=past(r, {"p1": ".....DD"}))
    assert texts == ["p1 works at most 2 days in a row (2023-12-30 … 2024-01-01)"]


def test_a_single_sunday_is_completed_by_the_period() -> None:
    r = roster(rules={"min_consecutive_days": 2})
    history = past(r, {"p1": "......D"})
    inside(judge(r, {"p1": "D."}, history=history))
    outcome = judge(r, {"p1": "."}, history=history)
    outside(outcome, "min_consecutive_days")
    assert "works only 1 day(s) in a row (2023-12-31), at least 2" in (
        outcome.report.violations[0].text
    )


def test_a_single_monday_after_a_published_day_off() -> None:
    r = roster(rules={"min_consecutive_days": 2})
    # Without a history a run touching the period's start is exempt.
    inside(judge(r, {"p1": "D."}))
    outside(judge(r, {"p1": "D."}, history=past(r, {"p1": "....DD."})), "min_consecutive_days")
    inside(judge(r, {"p1": "DD."}, history=past(r, {"p1": "....DD."})))


def test_days_off_run_across_the_border() -> None:
    r = roster(rules={"min_consecutive_days_off": 2})
    history = past(r, {"p1": ".....D."})
    inside(judge(r, {"p1": ".D"}, history=history))
    outside(judge(r, {"p1": "D"}, history=history), "min_consecutive_days_off")


def test_unpublished_days_are_unknown_not_off() -> None:
    # Only the last three days of 2023-W52 are published: before them nothing is known.
    r = roster(rules={"min_consecutive_days": 2})
    history = past(r, {"p1": "D.."}, days=3)
    assert history.days_before(7)[0].isoformat() == "2023-12-29"
    inside(judge(r, {"p1": "D."}, history=past(r, {"p1": "DDD"}, days=3)))
    outside(
        judge(r, {"p1": "D."}, history=history), "min_consecutive_days", "2023-12-29…2023-12-31"
    )


# --- caps over the rolling window ------------------------------------------------------------


def test_hours_over_the_window() -> None:
    r = roster(rules={"max_hours_per_window": 40}, window_weeks=2)
    history = past(r, {"p1": "DDDD..."})  # 32 h published
    inside(judge(r, {"p1": "D"}, history=history))
    outcome = judge(r, {"p1": "DD"}, history=history)
    outside(outcome, "hours")
    assert "48 h in 2023-W52 … 2024-W01, at most 40" in outcome.report.violations[0].text


def test_the_window_rolls_past_older_weeks() -> None:
    r = roster(rules={"max_hours_per_window": 40}, window_weeks=2)
    # 56 hours two weeks back are out of a window of 2 weeks; 0 in the week before.
    history = past(r, {"p1": "DDDDDDD......."}, days=14)
    inside(judge(r, {"p1": "DDDDD"}, days=7, history=history))
    outcome = judge(r, {"p1": "DDDDDD"}, days=7, history=history)
    assert not outcome.feasible
    assert [v.border for v in outcome.report.violations] == [""]


def test_weekly_hours_stay_per_week() -> None:
    r = roster(rules={"max_hours_per_week": 16})
    inside(judge(r, {"p1": "DD"}, days=7, history=past(r, {"p1": "DDDDDDD"})))


def test_published_hours_alone_over_the_cap_leave_none() -> None:
    r = roster(rules={"max_hours_per_window": 40}, window_weeks=2)
    history = past(r, {"p1": "DDDDDDD"})  # 56 h
    inside(judge(r, {}, history=history))
    outside(judge(r, {"p1": "D"}, history=history), "hours")


def test_nights_over_the_window() -> None:
    r = roster(rules={"max_nights_per_window": 3}, window_weeks=2)
    history = past(r, {"p1": ".....NN"})
    inside(judge(r, {"p1": "..N"}, history=history))
    outside(judge(r, {"p1": "N.N"}, history=history), "nights")


def test_weekends_over_the_window() -> None:
    r = roster(rules={"max_weekends_per_window": 1}, window_weeks=2)
    history = past(r, {"p1": ".....D."})
    inside(judge(r, {"p1": "DDDDD..D"}, history=history))
    outside(judge(r, {"p1": ".....D"}, history=history), "max_weekends")


def test_window_cap_conflict_says_what_was_published() -> None:
    r = roster(rules={"max_nights_per_window": 2}, window_weeks=2)
    texts = conflict(r, {"p1": "N"}, days=7, history=past(r, {"p1": ".....NN"}))
    assert texts == ["p1 takes at most 2 night shift(s) in 2023-W52 … 2024-W01, 2 published"]


# --- fairness over the window ----------------------------------------------------------------


def night_roster(window_weeks: int = 2, people: int = 2) -> Any:
    """People (two) and one night shift a day that needs one of them; fairness on nights only."""
    head = {"min": 1, "target": 1, "max": 1}
    posts = [
        {
            "id": "night",
            "name": "夜班",
            "shifts": [{"start": "22:00", "hours": 8}],
            "headcount": head,
        }
    ]
    weights = {"fair_hours": 0, "fair_nights": 1}
    return roster(posts=posts, weights=weights, window_weeks=window_weeks, people=people)


def test_who_had_last_weeks_nights_gets_fewer() -> None:
    r = night_roster()
    history = past(r, {"p1": "NNNNNNN"})
    # The window's 14 nights, 7 each: p2 owes all of this week's.
    best = judge(r, None, days=7, history=history)
    assert best.feasible and best.objective == 0
    assert best.report.terms["fair_nights"] == 0
    inside(judge(r, {"p2": "NNNNNNN"}, days=7, history=history))
    # One night moved to p1 is one above and one below the share.
    moved = judge(r, {"p1": "N", "p2": ".NNNNNN"}, days=7, history=history)
    assert moved.feasible
    assert moved.objective == moved.report.terms["fair_nights"] == 2
    # Without the history the week alone is shared: 3.5 each, so half a night off each, rounded up.
    alone = judge(r, {"p2": "NNNNNNN"}, days=7)
    assert alone.objective == alone.report.terms["fair_nights"] == 8


def test_a_share_already_exceeded_costs_what_it_is_over() -> None:
    r = night_roster()
    # 14 nights published for p1 over two weeks, but only the last one is in the window.
    history = past(r, {"p1": "NNNNNNNNNNNNNN"}, days=14)
    best = judge(r, None, days=7, history=history)
    assert best.objective == 0
    heavy = past(night_roster(window_weeks=3), {"p1": "NNNNNNNNNNNNNN"}, days=14)
    # Window of 3 weeks: 21 nights, 10.5 each; p1 has 14, so 4 over at best (3.5 rounded up).
    best = judge(night_roster(window_weeks=3), None, days=7, history=heavy)
    assert best.objective == best.report.terms["fair_nights"] == 8


def test_someone_new_shares_only_the_planned_week() -> None:
    from rulekit import published

    before = night_roster()
    week = published(before, {"p1": "NNNN...", "p2": "....NNN"})
    now = night_roster(people=3)
    history = History.from_schedules(now, [week], period())
    # Window of two weeks, 14 nights: p1 and p2 could give 14 days each, p3 (new) 7. Shares:
    # 5.6, 5.6 and 2.8, so this week p1 is due 1.6, p2 2.6 and p3 2.8.
    outcome = judge(now, {"p1": "NN", "p2": "..NN", "p3": "....NNN"}, days=7, history=history)
    assert outcome.feasible
    assert outcome.objective == outcome.report.terms["fair_nights"] == 3


# --- the history itself ----------------------------------------------------------------------


def test_an_empty_history_is_no_history() -> None:
    r = roster(rules={"max_consecutive_days": 3, "min_consecutive_days": 2})
    empty = History.from_schedules(r, [], period())
    assert empty.duties == () and empty.covered == frozenset()
    a = judge(r, {"p1": "D.DD"})
    b = judge(r, {"p1": "D.DD"}, history=empty)
    assert (a.status, a.objective, a.report) == (b.status, b.objective, b.report)


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        (
            "p1 is on night/2023-12-31T22:00 (published, 2023-W52) until 2024-01-01 06:00",
            "Person 1 (p1)在已发布的2023-W52值Night 2023-12-31 22:00，到2024-01-01 06:00才下班",
        ),
        (
            "p1 works none of day on 2024-01-01 after night/2023-12-31T22:00 (published, 2023-W52)",
            "Person 1 (p1)上完已发布的2023-W52的Night 2023-12-31 22:00后，2024-01-01不能上Day",
        ),
        (
            "p1 works at most 40 h in 2023-W52 … 2024-W01, 32 h published",
            "Person 1 (p1)在2023-W52至2024-W01最多工作40小时（已发布的班次已有32小时）",
        ),
        (
            "p1 takes at most 3 night shift(s) in 2023-W52 … 2024-W01",
            "Person 1 (p1)在2023-W52至2024-W01最多上3个夜班",
        ),
        (
            "p1 works at most 1 weekends in 2023-W52 … 2024-W01, 1 published",
            "Person 1 (p1)在2023-W52至2024-W01最多工作1个周末（已发布的班次已有1个）",
        ),
    ],
)
def test_border_conflicts_read_in_chinese(text: str, sentence: str) -> None:
    from solver.explain import conflict_sentence
    from solver.model import HardRule

    assert conflict_sentence(roster(), HardRule("rule", text)) == sentence


def test_a_shortage_is_explained_by_the_published_turn() -> None:
    from rulekit import period as planning
    from rulekit import published

    from roster.report import build_schedule
    from roster.slots import expand

    r = turn_roster(early=1, people=1)
    history = History.from_schedules(r, [published(r, {"p1": "......T"})], planning())
    per = planning(1)
    schedule = build_schedule(
        r, per, expand(r.config, per), {}, published(r, {}).solver, history=history
    )
    (short,) = schedule.shortages
    assert short.reasons == {"no_overlap": 1}
    # Stored in schedule.json: the roster's words (zh), whatever language messages are in.
    assert short.people["p1"] == "Person 1 (p1)：turn/2023-12-31T08:00（已发布）与 " + (
        "early/2024-01-01T06:00 时间重叠（跨越与已发布的 2023-W52 的衔接）"
    )


def test_a_week_begun_in_the_published_days_counts_them() -> None:
    from datetime import date

    from rulekit import plan

    from roster.check import check
    from roster.report import build_schedule
    from roster.schedule import SolverInfo
    from roster.slots import Period, expand
    from solver.solve import SolveOptions, build_model, run

    r = roster(rules={"max_hours_per_week": 24, "max_nights_per_week": 1})
    # Monday and Tuesday of 2024-W01 are published; the period runs Wednesday to Tuesday.
    before = Period(date(2024, 1, 1), date(2024, 1, 2), "UTC")
    slots = expand(r.config, before)
    info = SolverInfo(status="OPTIMAL", objective=0, bound=0, wall_seconds=0, workers=1, seed=0)
    week = build_schedule(r, before, slots, plan(slots, {"p1": "DN"}, before.first), info)
    per = Period(date(2024, 1, 3), date(2024, 1, 9), "UTC")
    history = History.from_schedules(r, [week], per)
    slots = expand(r.config, per)

    def judged(rows: dict[str, str]) -> tuple[bool, list[str]]:
        m, _ = build_model(r, per, slots, strict=False, history=history)
        assignment = plan(slots, rows, per.first)
        m.fix(assignment)
        solver, status = run(m, SolveOptions(repeatable=True, work_units=10, workers=1, seed=0), 1)
        report = check(r, per, slots, assignment, history=history)
        feasible = solver.status_name(status) in ("OPTIMAL", "FEASIBLE")
        return feasible, [v.border for v in report.violations]

    # Monday's 8 hours and Tuesday's night (16 h) count in 2024-W01, as Wednesday does.
    assert judged({"p1": "D"}) == (True, [])
    assert judged({"p1": "DD"}) == (False, ["2024-01-01…2024-01-02"])
    assert judged({"p1": "..N"}) == (False, ["2024-01-01…2024-01-02"])
    # Monday 2024-01-08 starts another week.
    assert judged({"p1": "D....DN"}) == (True, [])
