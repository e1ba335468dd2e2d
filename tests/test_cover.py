"""Who can cover a slot, and swaps two people agreed on: checked without the solver."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import SMALL_YAML, write_folder
from rulekit import make_roster, past, period, plan

from roster.check import check
from roster.cover import CoverError, cover, swap
from roster.load import Roster, load_roster
from roster.models import Leave
from roster.report import assignment_of, build_schedule
from roster.schedule import Schedule, SolverInfo
from roster.slots import Period, expand, make_period
from solver.solve import SolveOptions, solve

ZONE = ZoneInfo("Asia/Shanghai")
SLOT = "gate-temp/2020-02-06T12:00"


def _base(tmp_path: Path) -> tuple[Roster, Period, Schedule]:
    folder = write_folder(tmp_path / "社区", SMALL_YAML + "weights: {fair_hours: 0}\n")
    roster = load_roster(folder)
    period = make_period(roster.config.timezone, "2020-W06", None, None)
    return (
        roster,
        period,
        solve(roster, period, SolveOptions(repeatable=True, work_units=10, workers=2, seed=0)),
    )


def _ill(roster: Roster, person: str) -> Roster:
    leave = dict(roster.leave)
    away = Leave(
        person=person,
        start=datetime(2020, 2, 6, 0, 0, tzinfo=ZONE),
        end=datetime(2020, 2, 7, 0, 0, tzinfo=ZONE),
        reason="发热",
    )
    leave[person] = [*leave.get(person, []), away]
    return Roster(roster.folder, roster.config, roster.people, leave)


def test_cover_lists_who_can_take_the_place_of_someone_who_fell_ill(tmp_path: Path) -> None:
    roster, period, base = _base(tmp_path)
    slot = next(s for s in base.slots if s.id == SLOT)
    ill = slot.assigned[0]
    sick = _ill(roster, ill)
    report = cover(sick, period, base, SLOT, now=datetime(2020, 2, 6, 7, 0, tzinfo=ZONE))
    assert report.dropped == [ill]
    assert report.candidates, "a small roster with 13 people has someone free"
    # Each candidate without knock-on can be added and breaks no hard rule.
    slots = expand(sick.config, period)
    after = {s.id: [p for p in s.assigned if p != ill or s.id != SLOT] for s in base.slots}
    for candidate in report.candidates:
        if candidate.knock_on:
            continue
        trial = {**after, SLOT: [*after[SLOT], candidate.person]}
        assert check(sick, period, slots, trial).violations == [], candidate
    ranked = [(len(c.knock_on), c.penalty_change) for c in report.candidates]
    assert ranked == sorted(ranked)
    # The ill person and the one without a thermometer are ruled out, each with the reason.
    why = {r.person: r for r in report.ruled_out}
    assert why[ill].rule == "unavailable" and "发热" in why[ill].reason
    assert why["p02"].rule == "skill"
    # Everyone is either on the slot, a candidate or ruled out.
    named = {c.person for c in report.candidates} | set(why) | set(report.on_slot)
    assert named == {p.id for p in sick.people}


def test_cover_refuses_a_past_slot_and_an_unknown_one(tmp_path: Path, english: None) -> None:
    roster, period, base = _base(tmp_path)
    with pytest.raises(CoverError, match="started before --now"):
        cover(
            roster,
            period,
            base,
            "gate-temp/2020-02-03T06:00",
            now=datetime(2020, 2, 6, tzinfo=ZONE),
        )
    with pytest.raises(CoverError, match="no slot 'gate-temp/2020-02-06T07:00'"):
        cover(roster, period, base, "gate-temp/2020-02-06T07:00")


def test_a_swap_between_two_gate_workers_is_accepted(tmp_path: Path) -> None:
    roster, period, base = _base(tmp_path)
    before = assignment_of(base)
    slots = expand(roster.config, period)
    gate = [sid for sid in before if sid.startswith("gate-temp/2020-02-0")]
    tried = accepted = 0
    for first in gate[:8]:
        for second in gate[-8:]:
            for a in before[first]:
                for b in before[second]:
                    if a in before[second] or b in before[first]:
                        continue
                    report = swap(roster, period, base, a, b, first, second)
                    tried += 1
                    if report.accepted:
                        accepted += 1
                        # The swapped roster keeps every hard rule the published one kept.
                        assert check(roster, period, slots, report.assignment).violations == []
                        assert report.assignment[first].count(b) == 1
                        assert report.assignment[second].count(a) == 1
                    else:
                        assert report.broken
    assert tried and accepted, (tried, accepted)


def test_a_swap_that_breaks_a_rule_is_refused_naming_it(tmp_path: Path, english: None) -> None:
    roster, period, base = _base(tmp_path)
    before = assignment_of(base)
    gate = next(sid for sid, people in before.items() if sid.startswith("gate-temp") and people)
    worker = before[gate][0]
    # 李明 (p02) has no thermometer training: he may not take a temperature-check shift.
    report = swap(roster, period, base, worker, "p02", gate)
    assert not report.accepted
    assert report.broken[0].rule == "skill"
    assert all("李明" in v.text for v in report.broken)
    with pytest.raises(CoverError, match="is not on"):
        swap(roster, period, base, "p02", worker, gate)


# --- across the border with the week published before (roster/history.py) ----------------------
# The published week is 2023-W52; the period starts Monday 2024-01-01 (tests/rulekit.py).

MONDAY_DAY = "day/2024-01-01T08:00"


def _border_week(rules: dict[str, object]) -> tuple[Roster, Period, Schedule]:
    """A week of the rule test roster in which p2 has Monday's day shift and nobody else works."""
    r = make_roster(
        people=3, rules={"min_rest_hours": 0, "rest_after_long_shift_hours": 0, **rules}
    )
    per = period(7)
    slots = expand(r.config, per)
    info = SolverInfo(status="OPTIMAL", objective=0, bound=0, wall_seconds=0, workers=1, seed=0)
    return r, per, build_schedule(r, per, slots, plan(slots, {"p2": "D"}), info)


def test_a_swap_keeps_the_rest_after_last_weeks_night_just_inside() -> None:
    # Sunday's night shift ends Monday 06:00; Monday's day shift starts 08:00: 2 hours.
    r, per, week = _border_week({"min_rest_hours": 2})
    report = swap(r, per, week, "p2", "p1", MONDAY_DAY, history=past(r, {"p1": "......N"}))
    assert report.accepted and report.assignment[MONDAY_DAY] == ["p1"]


def test_a_swap_that_leaves_too_little_rest_after_last_weeks_night_is_refused(
    english: None,
) -> None:
    r, per, week = _border_week({"min_rest_hours": 2.5})
    history = past(r, {"p1": "......N"})
    report = swap(r, per, week, "p2", "p1", MONDAY_DAY, history=history)
    assert not report.accepted
    [broken] = report.broken
    assert (broken.rule, broken.border) == ("rest", "2023-W52")
    assert "night/2023-12-31T22:00 (published)" in broken.text
    assert broken.text.endswith(" (across the border with 2023-W52)")
    # Without the published week the same swap looks fine: the history is what refuses it.
    assert swap(r, per, week, "p2", "p1", MONDAY_DAY).accepted


def test_a_swap_that_makes_a_run_from_last_week_too_long_is_refused(english: None) -> None:
    r, per, week = _border_week({"max_consecutive_days": 3})
    # Saturday and Sunday published, Monday swapped in: 3 days in a row, at the limit.
    inside = swap(r, per, week, "p2", "p1", MONDAY_DAY, history=past(r, {"p1": ".....DD"}))
    assert inside.accepted
    # Friday to Sunday published: Monday would be the fourth.
    outside = swap(r, per, week, "p2", "p1", MONDAY_DAY, history=past(r, {"p1": "....DDD"}))
    assert not outside.accepted
    [broken] = outside.broken
    assert (broken.rule, broken.border) == ("max_consecutive_days", "2023-W52")
    assert "works 4 days in a row" in broken.text


def test_cover_rules_out_who_could_not_rest_since_last_weeks_night() -> None:
    r, per, week = _border_week({"min_rest_hours": 2.5})
    history = past(r, {"p1": "......N"})
    report = cover(r, per, week, MONDAY_DAY, history=history)
    why = {x.person: x for x in report.ruled_out}
    assert why["p1"].rule == "rest" and "p1" not in {c.person for c in report.candidates}
    assert [c.person for c in report.candidates] == ["p3"]
    # Just inside the limit, p1 can take it.
    r, per, week = _border_week({"min_rest_hours": 2})
    report = cover(r, per, week, MONDAY_DAY, history=past(r, {"p1": "......N"}))
    assert {c.person for c in report.candidates} == {"p1", "p3"}


def test_cover_rules_out_who_would_work_too_many_days_in_a_row_across_the_border() -> None:
    r, per, week = _border_week({"max_consecutive_days": 3})
    report = cover(r, per, week, MONDAY_DAY, history=past(r, {"p1": "....DDD", "p3": ".....DD"}))
    why = {x.person: x.rule for x in report.ruled_out}
    assert why == {"p1": "max_consecutive_days"}
    assert [c.person for c in report.candidates] == ["p3"]


def test_cover_of_the_last_shift_of_the_week_with_someone_away_to_the_end(tmp_path: Path) -> None:
    roster, period, base = _base(tmp_path)
    last = "gate-temp/2020-02-09T18:00"
    ill = next(s for s in base.slots if s.id == last).assigned[0]
    leave = dict(roster.leave)
    away = Leave(
        person=ill,
        start=datetime(2020, 2, 9, 12, 0, tzinfo=ZONE),
        end=period.end,
        reason="隔离",
    )
    leave[ill] = [*leave.get(ill, []), away]
    sick = Roster(roster.folder, roster.config, roster.people, leave)
    report = cover(sick, period, base, last, now=datetime(2020, 2, 9, 12, 0, tzinfo=ZONE))
    assert report.dropped == [ill] and report.candidates
    why = {r.person: r for r in report.ruled_out}
    assert why[ill].rule == "unavailable" and "隔离" in why[ill].reason
    # A swap that gives the person away a shift of the rest of the week is refused, naming
    # their leave.
    slot = next(
        s for s in base.slots if s.start >= away.start and s.assigned and ill not in s.assigned
    )
    refused = swap(sick, period, base, slot.assigned[0], ill, slot.id)
    assert not refused.accepted and refused.broken[0].rule == "unavailable"
