"""Week 7 knows week 6: the reference community solved week after week, with no store.

2020-W06 is solved, its schedule becomes the history of 2020-W07, and 2020-W07 is solved with it
and without it. Solved alone, week 7 knew nothing of week 6; with the history, nobody goes from
Sunday's evening gate shift (18:00–24:00) to Monday's 00:00 shift against the 8 hours' rest, the
person on Sunday's 24-hour turn is not on duty on Monday, no run of working days is longer than 6
across the border, and last week's night workers get fewer nights.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from roster.check import check
from roster.history import History
from roster.load import Roster, load_roster
from roster.render import render_summary
from roster.report import assignment_of
from roster.schedule import Schedule
from roster.slots import expand, make_period
from solver.solve import SolveOptions, solve

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "xingwang"
#: Short, repeatable searches: the roster is the same on any machine.
OPTIONS = SolveOptions(repeatable=True, work_units=2, workers=2, seed=0)
MONDAY = date(2020, 2, 10)


@cache
def community() -> Roster:
    """The reference community (which shares night shifts over the window: ``fair_nights``)."""
    roster = load_roster(EXAMPLE)
    assert roster.config.weights.fair_nights > 0
    return roster


@cache
def weeks() -> tuple[Schedule, History, Schedule, Schedule]:
    """Week 6; the history of week 7 made of it; week 7 alone; week 7 with the history."""
    roster = community()
    week6 = solve(roster, make_period(roster.config.timezone, "2020-W06", None, None), OPTIONS)
    period = make_period(roster.config.timezone, "2020-W07", None, None)
    history = History.from_schedules(roster, [week6], period)
    alone = solve(roster, period, OPTIONS)
    joined = solve(roster, period, replace(OPTIONS, history=history))
    return week6, history, alone, joined


def on(schedule: Schedule, prefix: str) -> set[str]:
    """Everyone on the slots whose start (local, ``YYYY-MM-DDTHH:MM``) begins with ``prefix``."""
    return {p for s in schedule.slots if s.id.split("/")[1].startswith(prefix) for p in s.assigned}


def nights(schedule: Schedule, people: set[str]) -> int:
    """Night shifts of ``people`` in the schedule."""
    return sum(p.nights for p in schedule.people if p.id in people)


def longest_run(week6: Schedule, week7: Schedule, pid: str) -> int:
    """The longest run of working days of ``pid`` over the two weeks."""
    worked = {s.start.date() for w in (week6, week7) for s in w.slots if pid in s.assigned}
    best = run = 0
    for i in range(14):
        run = run + 1 if MONDAY - timedelta(days=7) + timedelta(days=i) in worked else 0
        best = max(best, run)
    return best


def test_the_history_is_week_6() -> None:
    week6, history, _, _ = weeks()
    assert history.sources == ((date(2020, 2, 3), date(2020, 2, 9), "2020-W06"),)
    assert len(history.duties) == sum(len(s.assigned) for s in week6.slots)
    assert history.warnings == ()


def test_with_the_history_week_7_keeps_every_rule_across_the_border() -> None:
    roster = community()
    _, history, _, joined = weeks()
    period = make_period(roster.config.timezone, "2020-W07", None, None)
    report = check(
        roster, period, expand(roster.config, period), assignment_of(joined), history=history
    )
    assert report.violations == []
    assert joined.solver.objective == report.penalty


def test_week_7_alone_broke_the_border_and_with_the_history_does_not() -> None:
    roster = community()
    week6, history, alone, joined = weeks()
    period = make_period(roster.config.timezone, "2020-W07", None, None)
    slots = expand(roster.config, period)
    broken = check(roster, period, slots, assignment_of(alone), history=history).violations
    assert {v.rule for v in broken if v.border} & {"rest", "no_overlap", "max_consecutive_days"}
    assert all(v.border == "2020-W06" and "2020-W06" in v.text for v in broken if v.border)
    # Sunday 18:00-24:00, then Monday 00:00-06:00: no rest at all.
    evening = on(week6, "2020-02-09T18:00")
    assert not evening & on(joined, "2020-02-10T00:00")
    # Sunday's 24-hour turn ends Monday 08:00 and earns 24 hours' rest: nothing on Monday.
    turn = on(week6, "2020-02-09T08:00") & {
        p for s in week6.slots if s.post == "duty-24h" for p in s.assigned
    }
    assert len(turn) == 1
    assert not turn & on(joined, "2020-02-10")
    # At most 6 working days in a row, across the border too.
    assert max(longest_run(week6, joined, p.id) for p in roster.people) <= 6


def test_last_weeks_night_workers_get_fewer_nights() -> None:
    week6, _, alone, joined = weeks()
    had = {p.id for p in week6.people if p.nights}
    assert nights(joined, had) < nights(alone, had)


def test_the_summary_shows_the_windows_totals() -> None:
    week6, _, _, joined = weeks()
    assert joined.window is not None
    assert joined.window.published == ["2020-W06"]
    assert joined.window.first == date(2020, 1, 20)
    by_id = {p.id: p for p in joined.window.people}
    for person in week6.people:
        this = next(p for p in joined.people if p.id == person.id)
        assert by_id[person.id].hours == person.hours + this.hours
        assert by_id[person.id].nights == person.nights + this.nights
    text = render_summary(joined)
    assert "2020-01-20 – 2020-02-16" in text
    line = next(x for x in text.splitlines() if x.lstrip().startswith("p01 "))
    assert f"{by_id['p01'].hours:g}" in line
