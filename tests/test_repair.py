"""Repair of a published roster: the past frozen, the fewest changes, every change listed."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import SMALL_YAML, write_folder
from hypothesis import given, settings
from hypothesis import strategies as st

from roster.check import check
from roster.load import Roster, load_roster
from roster.models import Leave
from roster.report import assignment_of
from roster.schedule import Schedule
from roster.slots import Period, expand, make_period
from solver.repair import (
    FIRST_PHASE,
    POLISH_FLOOR,
    POLISH_RATIO,
    RepairError,
    polish_budget,
    repair,
)
from solver.solve import SolveOptions, solve

ZONE = ZoneInfo("Asia/Shanghai")
OPTIONS = SolveOptions(repeatable=True, work_units=10, workers=2, seed=0)


def _base(tmp_path: Path) -> tuple[Roster, Period, Schedule]:
    folder = write_folder(tmp_path / "社区", SMALL_YAML + "weights: {fair_hours: 0}\n")
    roster = load_roster(folder)
    period = make_period(roster.config.timezone, "2020-W06", None, None)
    return roster, period, solve(roster, period, OPTIONS)


def _with_leave(roster: Roster, person: str, start: datetime, end: datetime) -> Roster:
    leave = dict(roster.leave)
    leave[person] = [
        *leave.get(person, []),
        Leave(person=person, start=start, end=end, reason="发热"),
    ]
    return Roster(roster.folder, roster.config, roster.people, leave)


def _busiest_gate_worker(schedule: Schedule, after: datetime) -> str:
    counts: dict[str, int] = {}
    for slot in schedule.slots:
        if slot.post == "gate-temp" and slot.start >= after:
            for pid in slot.assigned:
                counts[pid] = counts.get(pid, 0) + 1
    return max(sorted(counts), key=lambda p: counts[p])


def test_a_gate_worker_falling_ill_on_thursday_moves_only_their_own_duties(tmp_path: Path) -> None:
    roster, period, base = _base(tmp_path)
    now = datetime(2020, 2, 6, 7, 0, tzinfo=ZONE)
    ill = _busiest_gate_worker(base, now)
    back = datetime(2020, 2, 9, 0, 0, tzinfo=ZONE)
    own = [
        s.id
        for s in base.slots
        if ill in s.assigned and now <= s.start and s.end > now and s.start < back
    ]
    sick = _with_leave(roster, ill, now, back)
    result = repair(sick, period, base, now, OPTIONS, absent=(ill,))
    after = assignment_of(result.schedule)
    before = assignment_of(base)
    # The past is identical, to the person.
    for slot in base.slots:
        if slot.start < now:
            assert after[slot.id] == before[slot.id], slot.id
    # The ill person has nothing left from now until they are back.
    assert not [sid for sid, people in after.items() if ill in people and sid in own]
    # Their duties are handed on; nobody else loses or gains anything beyond that.
    assert sorted({c.slot for c in result.removed}) == sorted(own)
    assert len(result.added) == len(own)
    assert result.proven_minimal
    # The repaired roster breaks no hard rule and is as well staffed as before.
    slots = expand(sick.config, period)
    report = check(sick, period, slots, after)
    assert report.violations == []
    assert sum(report.shortages.values()) == sum(s.shortage for s in base.slots)


def test_nothing_changed_means_no_change(tmp_path: Path) -> None:
    roster, period, base = _base(tmp_path)
    now = datetime(2020, 2, 4, 12, 0, tzinfo=ZONE)
    result = repair(roster, period, base, now, OPTIONS)
    assert result.changes == [] and result.change_cost == 0 and result.proven_minimal
    assert assignment_of(result.schedule) == assignment_of(base)


def test_an_event_at_the_very_start_of_the_week_may_change_the_whole_week(tmp_path: Path) -> None:
    roster, period, base = _base(tmp_path)
    ill = _busiest_gate_worker(base, period.start)
    sick = _with_leave(roster, ill, period.start, period.end)
    result = repair(sick, period, base, period.start, OPTIONS, absent=(ill,))
    assert result.frozen_slots == 0
    assert all(ill not in people for people in assignment_of(result.schedule).values())


def test_a_moment_outside_the_period_or_a_past_leave_is_refused(
    tmp_path: Path, english: None
) -> None:
    roster, period, base = _base(tmp_path)
    with pytest.raises(RepairError, match="outside the period"):
        repair(roster, period, base, datetime(2020, 2, 10, 1, 0, tzinfo=ZONE), OPTIONS)
    monday = next(s for s in base.slots if s.assigned)
    worker = monday.assigned[0]
    # Leave over a duty already worked cannot be honoured: the past is not rewritten.
    past = _with_leave(roster, worker, monday.start, monday.end)
    with pytest.raises(RepairError, match=r"worked .* before --now"):
        repair(past, period, base, datetime(2020, 2, 6, 7, 0, tzinfo=ZONE), OPTIONS)


@pytest.fixture(scope="module")
def base_week(tmp_path_factory: pytest.TempPathFactory) -> tuple[Roster, Period, Schedule]:
    return _base(tmp_path_factory.mktemp("property"))


@settings(max_examples=6, deadline=None, derandomize=True)
@given(
    hour=st.integers(min_value=0, max_value=7 * 24 - 1),
    person=st.sampled_from([f"p{i:02d}" for i in range(1, 14)]),
    days=st.integers(min_value=1, max_value=3),
)
def test_any_absence_repairs_to_a_checked_roster_that_keeps_the_past(
    base_week: tuple[Roster, Period, Schedule], hour: int, person: str, days: int
) -> None:
    roster, period, base = base_week
    now = period.start + timedelta(hours=hour)
    sick = _with_leave(roster, person, now, now + timedelta(days=days))
    result = repair(sick, period, base, now, OPTIONS, absent=(person,))
    before, after = assignment_of(base), assignment_of(result.schedule)
    slots = expand(sick.config, period)
    report = check(sick, period, slots, after)
    assert report.violations == []
    # Shortages never grow beyond what the published roster had plus the absent person's places
    # (a shift under way at ``now`` counts: the rest of it may find nobody).
    lost = sum(
        1
        for s in slots
        if person in before[s.id] and s.end > now and s.start < now + timedelta(days=days)
    )
    assert sum(report.shortages.values()) <= sum(s.shortage for s in base.slots) + lost
    for slot in slots:
        if slot.start < now < slot.end and person in before[slot.id]:
            # Fell ill during the shift: they are off, the others stay, someone may take over.
            assert person not in after[slot.id]
            assert set(before[slot.id]) - {person} <= set(after[slot.id])
        elif slot.start < now:
            assert after[slot.id] == before[slot.id]
    # Every difference is listed as a change, and nobody else's duties moved.
    listed = {(c.slot, c.person, c.kind) for c in result.changes}
    for slot in slots:
        for pid in set(before[slot.id]) - set(after[slot.id]):
            assert (slot.id, pid, "removed") in listed
        for pid in set(after[slot.id]) - set(before[slot.id]):
            assert (slot.id, pid, "added") in listed
    assert len(listed) == len(result.changes)


def test_falling_ill_during_a_24_hour_turn_hands_over_the_rest_of_it(tmp_path: Path) -> None:
    roster, period, base = _base(tmp_path)
    turn = next(s for s in base.slots if s.id == "duty/2020-02-05T08:00")
    [on_duty] = turn.assigned
    now = datetime(2020, 2, 5, 20, 0, tzinfo=ZONE)
    sick = _with_leave(roster, on_duty, now, datetime(2020, 2, 7, 0, 0, tzinfo=ZONE))
    result = repair(sick, period, base, now, OPTIONS, absent=(on_duty,))
    after = assignment_of(result.schedule)
    assert on_duty not in after[turn.id]
    [relief] = after[turn.id]
    assert ("duty/2020-02-05T08:00", relief, "added") in {
        (c.slot, c.person, c.kind) for c in result.changes
    }
    report = check(sick, period, expand(sick.config, period), after)
    assert report.violations == []


# --- a district: communities that share nobody are repaired apart -------------------------------

DISTRICT_YAML = """\
name: 测试街道
timezone: Asia/Shanghai
tags: {east: 东村, west: 西村}
rules: {max_consecutive_days: 5}
weights: {fair_hours: 0}
posts:
  - {id: east-gate, name: 东村门岗, shifts: [{start: "08:00", end: "20:00"}], tags: [east],
     headcount: {min: 1}}
  - {id: west-gate, name: 西村门岗, shifts: [{start: "08:00", end: "20:00"}], tags: [west],
     headcount: {min: 1}}
"""
DISTRICT_PEOPLE = """\
id,name,tags
e1,赵一,east
e2,钱二,east
e3,孙三,east
w1,李四,west
w2,周五,west
w3,吴六,west
"""


def test_a_district_repairs_only_the_community_the_event_touches(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "街道", DISTRICT_YAML, DISTRICT_PEOPLE)
    roster = load_roster(folder)
    period = make_period(roster.config.timezone, "2020-W06", None, None)
    base = solve(roster, period, OPTIONS)
    before = assignment_of(base)
    now = datetime(2020, 2, 5, 7, 0, tzinfo=ZONE)
    ill = next(p for s in base.slots if s.post == "east-gate" and s.start > now for p in s.assigned)
    sick = _with_leave(roster, ill, now, period.end)
    result = repair(sick, period, base, now, OPTIONS, absent=(ill,))
    after = assignment_of(result.schedule)
    assert result.parts_repaired == 1
    assert all(after[sid] == people for sid, people in before.items() if sid.startswith("west"))
    assert all(ill not in after[s.id] for s in base.slots if s.start >= now)
    assert result.proven_minimal and result.removed
    assert check(sick, period, expand(sick.config, period), after).violations == []
    # Leave written to the folder for a person of the other community (not named absent) makes
    # that community a part to repair too; nothing changed, nothing is repaired.
    west = next(
        p for s in base.slots if s.post == "west-gate" and s.start > now for p in s.assigned
    )
    both = _with_leave(sick, west, now, now + timedelta(days=1))
    assert repair(both, period, base, now, OPTIONS, absent=(ill,)).parts_repaired == 2
    calm = repair(roster, period, base, now, OPTIONS)
    assert calm.parts_repaired == 0 and calm.changes == []
    # The bound prices the community left alone at what it costs: nothing to repair is optimal.
    assert (calm.schedule.solver.status, calm.schedule.solver.bound) == (
        "OPTIMAL",
        calm.schedule.solver.objective,
    )
    info = result.schedule.solver
    assert info.objective is not None and info.bound is not None
    assert info.bound <= info.objective
    assert assignment_of(calm.schedule) == before


def test_an_event_in_the_last_hour_of_the_week_hands_on_only_what_is_left(tmp_path: Path) -> None:
    roster, period, base = _base(tmp_path)
    now = period.end - timedelta(hours=1)  # Sunday 23:00
    last = next(s for s in base.slots if s.id == "gate-temp/2020-02-09T18:00")
    ill = last.assigned[0]
    sick = _with_leave(roster, ill, now, period.end)
    result = repair(sick, period, base, now, OPTIONS, absent=(ill,))
    before, after = assignment_of(base), assignment_of(result.schedule)
    assert ill not in after[last.id]
    # Every shift over by 23:00 is as published; the changes are in what is left of the week.
    assert all(after[s.id] == before[s.id] for s in base.slots if s.end <= now)
    assert {c.slot for c in result.changes} <= {s.id for s in base.slots if s.end > now}
    assert check(sick, period, expand(sick.config, period), after).violations == []


class _Spent:
    """What a finished first phase reports: its wall time and its deterministic time."""

    def __init__(self, wall: float, work: float) -> None:
        self.wall_time = wall
        self.deterministic_time = work


@pytest.mark.parametrize(
    ("repeatable", "wall", "work", "expected"),
    [
        # Repeatable: the work units of the first phase count, never the (machine's) seconds.
        (True, 9.0, 0.05, POLISH_FLOOR),
        (True, 0.1, 1.0, POLISH_RATIO * 1.0),
        (True, 0.1, 100.0, 20 * (1 - FIRST_PHASE)),
        # Wall clock: the seconds of the first phase count.
        (False, 0.1, 9.0, POLISH_FLOOR),
        (False, 1.0, 0.0, POLISH_RATIO * 1.0),
        (False, 50.0, 0.0, 10 * (1 - FIRST_PHASE)),
    ],
)
def test_polish_budget_follows_the_first_phase_between_the_floor_and_the_share(
    repeatable: bool, wall: float, work: float, expected: float
) -> None:
    options = SolveOptions(repeatable=repeatable, work_units=20, time_limit=10, workers=1)
    spent = _Spent(wall, work)
    assert polish_budget(options, spent) == pytest.approx(expected)  # type: ignore[arg-type]
