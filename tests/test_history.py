"""Building a History from published schedules: what is kept, what is left out, and how."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from rulekit import MONDAY, make_roster, past, period, published

from roster.check import check
from roster.errors import HistoryError, RosterError
from roster.history import History, history_since, history_weeks, period_label, rolling_windows
from roster.report import build_schedule
from roster.slots import Period, expand


def test_duties_carry_what_the_rules_need() -> None:
    r = make_roster(language="en")
    history = past(r, {"p1": ".....DN", "p2": "......D"})
    assert [(d.person, d.slot, d.hours, d.night, d.weekend) for d in history.of("p1")] == [
        ("p1", "day/2023-12-30T08:00", 8.0, False, True),
        ("p1", "night/2023-12-31T22:00", 8.0, True, True),
    ]
    assert {d.source for d in history.duties} == {"2023-W52"}
    assert history.of("p3") == []
    assert history.worked_before("p1", 3) == [False, True, True]
    assert history.days_before(3) == [date(2023, 12, 29), date(2023, 12, 30), date(2023, 12, 31)]
    assert history.last_source == "2023-W52"


def test_people_and_posts_no_longer_in_the_roster_are_left_out_with_a_warning() -> None:
    before = make_roster(people=3, language="en")
    schedule = published(before, {"p1": "D", "p3": "DN"})
    now = make_roster(people=2, language="en")
    now.config.posts.pop()  # the night post is gone
    now = type(now)(now.folder, now.config, now.people, now.leave)
    history = History.from_schedules(now, [schedule], period())
    assert [(d.person, d.post) for d in history.duties] == [("p1", "day")]
    assert history.warnings == (
        "2023-W52: p3 is no longer in the roster; their published duties are left out of the "
        "history",
        "2023-W52: post night is no longer in the roster; its published duties are left out of "
        "the history",
    )


def test_warnings_in_chinese() -> None:
    before = make_roster(people=3)
    history = History.from_schedules(
        make_roster(people=2), [published(before, {"p3": "D"})], period()
    )
    assert history.warnings == ("2023-W52：p3 已不在名单中，其已发布的班次不计入历史",)


def test_later_schedules_win_on_the_dates_they_cover() -> None:
    r = make_roster()
    first = published(r, {"p1": "DDDDDDD"})
    second = published(r, {"p2": "DDDDDDD"})
    history = History.from_schedules(r, [first, second], period())
    assert {d.person for d in history.duties} == {"p2"}


def test_only_duties_before_the_period_and_within_reach_are_kept() -> None:
    r = make_roster(window_weeks=3)
    since = history_since(r, period())
    # Two weeks back for a window of 3 (the planned week and two before); the rules alone reach
    # a week.
    assert since == MONDAY - timedelta(weeks=2)
    old = published(r, {"p1": "D" * 21}, days=21)
    history = History.from_schedules(r, [old], period())
    assert min(d.day for d in history.duties) == since
    assert history_weeks(r, period()) == 2
    # A schedule of the planned period itself is not history.
    per = period(7)
    slots = expand(r.config, per)
    current = build_schedule(r, per, slots, {slots[0].id: ["p1"]}, old.solver)
    assert History.from_schedules(r, [current], per).duties == ()


def test_long_runs_reach_further_back() -> None:
    r = make_roster(rules={"max_consecutive_days": 20}, window_weeks=1)
    assert history_since(r, period()) == MONDAY - timedelta(days=21)


def test_labels_and_windows() -> None:
    assert period_label(date(2020, 2, 3), date(2020, 2, 9)) == "2020-W06"
    assert period_label(date(2020, 2, 1), date(2020, 2, 14)) == "2020-02-01…2020-02-14"
    per = Period(date(2020, 2, 10), date(2020, 2, 23), "Asia/Shanghai")
    assert rolling_windows(per, 2) == [[(2020, 6), (2020, 7)], [(2020, 7), (2020, 8)]]


def test_a_history_for_another_period_is_refused() -> None:
    r = make_roster()
    history = past(r, {"p1": "D"})
    other = Period(MONDAY + timedelta(days=7), MONDAY + timedelta(days=13), "UTC")
    with pytest.raises(HistoryError, match="built for a period starting 2024-01-01"):
        check(r, other, expand(r.config, other), {}, history=history)
    assert issubclass(HistoryError, RosterError)


def test_window_weeks_below_one_is_refused() -> None:
    with pytest.raises(HistoryError):
        History.from_schedules(make_roster(), [], period(), window_weeks=0)


def test_schedule_json_has_no_window_without_history() -> None:
    r = make_roster()
    schedule = published(r, {"p1": "D"})
    assert schedule.window is None
    assert '"window"' not in schedule.to_json()


def test_nothing_published_builds_the_same_model_as_no_history() -> None:
    from pathlib import Path

    from roster.load import load_roster
    from roster.slots import make_period
    from solver.solve import build_model

    roster = load_roster(Path(__file__).resolve().parent.parent / "examples" / "xingwang")
    per = make_period(roster.config.timezone, "2020-W07", None, None)
    slots = expand(roster.config, per)
    none, _ = build_model(roster, per, slots, strict=False)
    empty = History.from_schedules(roster, [], per)
    nothing, _ = build_model(roster, per, slots, strict=False, history=empty)
    # The protos compare by identity: their text is the model.
    assert str(none.model.proto) == str(nothing.model.proto)


def test_a_roster_solved_in_parts_keeps_the_history() -> None:
    from rulekit import LETTERS

    from solver.components import find_parts
    from solver.solve import SolveOptions, solve

    head = {"min": 1, "target": 1, "max": 1}
    posts = [
        {
            "id": "day",
            "name": "白班",
            "shifts": [{"start": "08:00", "hours": 8}],
            "tags": ["a"],
            "headcount": head,
        },
        {
            "id": "night",
            "name": "夜班",
            "shifts": [{"start": "22:00", "hours": 8}],
            "tags": ["b"],
            "headcount": head,
        },
    ]
    r = make_roster(
        people=3,
        tags={"p1": ["a"], "p2": ["a"], "p3": ["b"]},
        posts=posts,
        rules={"min_rest_hours": 8, "max_consecutive_days": 2},
        # Without its history p1 would take Monday: p2 would rather not.
        requests=[{"person": "p2", "kind": "avoid", "date": "2024-01-01", "weight": 5}],
    )
    assert len(find_parts(r)) == 2
    assert LETTERS["D"] == "day"
    # p1 worked Saturday and Sunday: with at most 2 days in a row, p2 takes Monday's day shift.
    history = past(r, {"p1": ".....DD", "p2": "DD.....", "p3": "...NNN."})
    schedule = solve(
        r,
        period(7),
        SolveOptions(repeatable=True, work_units=5, workers=1, seed=0, history=history),
    )
    monday = {s.id: s.assigned for s in schedule.slots}
    assert monday["day/2024-01-01T08:00"] == ["p2"]
    assert schedule.window is not None
    report = check(
        r,
        period(7),
        expand(r.config, period(7)),
        {s.id: s.assigned for s in schedule.slots},
        history=history,
    )
    assert report.violations == []
