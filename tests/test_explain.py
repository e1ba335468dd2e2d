"""Shortages explained: why each person could not take a short slot, and the staffing hint."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from roster.explain import explain_shortages
from roster.load import Roster
from solver import explain
from solver.explain import staffing_hints
from solver.search import new_solver
from tests.explainkit import days, person, post, solved, write_roster

ZH_LABELS = {"thermometer": "测温", "party_member": "党员", "volunteer": "志愿者"}


def gate_roster(folder: Path) -> Roster:
    """A temperature post needing two a day (one a party member) and four people: one without
    the skill, one on sick leave, two who may work only 12 h a week (two shifts)."""
    return write_roster(
        folder,
        [
            post(
                "gate-temp",
                "体温检测岗",
                need=2,
                skills=("thermometer",),
                quotas=(("party_member", 1),),
            )
        ],
        [
            person("p1", "甲", "party_member", skills=("thermometer",)),
            person("p2", "乙", "volunteer", skills=("thermometer",)),
            person("p3", "丙", "volunteer"),
            person("p4", "丁", "party_member", skills=("thermometer",)),
        ],
        rules={"max_hours_per_week": 12},
        leave=[{"person": "p4", "from": "2020-02-03", "to": "2020-02-05", "reason": "病假"}],
        labels=ZH_LABELS,
    )


def test_shortage_lists_each_reason_counted_in_chinese(tmp_path: Path) -> None:
    schedule = solved(gate_roster(tmp_path / "gate"))
    first = schedule.shortages[0]
    assert (first.slot, first.missing) == ("gate-temp/2020-02-03T08:00", 2)
    assert first.reasons == {"skill": 1, "unavailable": 1, "hours": 2}
    assert first.text == "缺2人：1人无测温技能，1人病假，2人本周工时已满"
    # What kept each person away is stored in schedule.json: the roster's words, as the sentence.
    assert first.people["p3"] == "缺少技能 测温"
    assert first.people["p1"] == "甲 (p1)：2020-W06 18 小时，最多 12 小时"


def test_staffing_hint_counts_the_people_of_each_kind_a_re_solve_uses(tmp_path: Path) -> None:
    schedule = solved(gate_roster(tmp_path / "gate"))
    # Three places are missing, two of them on Monday (so two people), one a party member.
    assert sum(s.missing for s in schedule.shortages) == 3
    assert schedule.hints == ["再加1名会测温的人员、1名会测温的党员即可排满"]


def test_staffing_hint_is_the_same_on_every_run(tmp_path: Path) -> None:
    roster = gate_roster(tmp_path / "gate")
    period, slots = days(roster)
    assignment = {s.id: [] for s in slots}
    first = staffing_hints(roster, period, slots, assignment, budget=1, seed=0)
    assert first == staffing_hints(roster, period, slots, assignment, budget=1, seed=0)
    # Four empty days of two (one a party member): 2 people a day, each at most two shifts.
    assert first == ["再加2名会测温的人员、2名会测温的党员即可排满"]


def rules_roster(folder: Path) -> Roster:
    """An English roster where each of six people is kept off the evening slot by another rule."""
    return write_roster(
        folder,
        [
            post("day", "Day", "08:00", 12, need=0),
            post("morning", "Morning", "06:00", 4, need=0),
            post("evening", "Evening", "19:00", 4, need=2),
        ],
        [
            person("p1", "Ann"),  # on the day shift, which overlaps the evening
            person("p2", "Bob"),  # on the morning shift, ended 13 h before: needs 14 h rest
            person("p3", "Cai", max_hours_per_week=4, min_rest_hours=0),  # morning: 4 h used up
            person("p4", "Dee", "senior"),  # does no nights (the evening runs to 23:00)
            person("p5", "Eve"),  # on leave
            person("p6", "Fay"),  # nothing stops her: the solver just did not choose her
            person("p7", "Gil", max_shifts_per_day=1, min_rest_hours=0),  # one shift a day
        ],
        language="en",
        rules={"min_rest_hours": 14, "max_shifts_per_day": 2},
        rules_by_tag={"senior": {"no_nights": True}},
        night={"start": "22:00", "end": "06:00"},
        leave=[{"person": "p5", "from": "2020-02-03", "to": "2020-02-03", "reason": "sick"}],
    )


def test_each_hard_rule_is_named_as_a_reason(tmp_path: Path) -> None:
    roster = rules_roster(tmp_path / "rules")
    period, slots = days(roster, 1)
    assignment = {
        "day/2020-02-03T08:00": ["p1"],
        "morning/2020-02-03T06:00": ["p2", "p3", "p7"],
        "evening/2020-02-03T19:00": [],
    }
    (item,) = explain_shortages(roster, period, slots, assignment, {"evening/2020-02-03T19:00": 2})
    assert item.reasons == {
        "unavailable": 1,
        "no_nights": 1,
        "free": 1,
        "hours": 1,
        "no_overlap": 1,
        "rest": 1,
        "max_shifts_per_day": 1,
    }
    assert item.text == (
        "2 missing: 1 on leave (sick), 1 doing no night shifts, 1 on an overlapping shift, "
        "1 already on their most shifts that day, 1 resting after an earlier shift, "
        "1 with weekly hours used up, 1 free but not chosen"
    )
    assert (
        item.people["p2"] == "Bob (p2): 9 h between morning/2020-02-03T06:00 and "
        "evening/2020-02-03T19:00, needs 14 h"
    )


def test_a_person_already_on_the_slot_is_not_counted(tmp_path: Path) -> None:
    roster = rules_roster(tmp_path / "rules")
    period, slots = days(roster, 1)
    assignment = {"evening/2020-02-03T19:00": ["p6"]}
    (item,) = explain_shortages(roster, period, slots, assignment, {"evening/2020-02-03T19:00": 1})
    assert "p6" not in item.people
    assert sum(item.reasons.values()) == 6


def test_a_repeatable_staffing_hint_is_kept_by_the_engines_guard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a deadline (the repeatable mode) the hint's CP-SAT run gets no wall limit of its
    own, which stops early by its longest gap between looks at the clock, so the hint is the
    same on any machine; the engine's guard keeps it instead."""
    made: list[cp_model.CpSolver] = []

    def recording() -> cp_model.CpSolver:
        solver = new_solver()
        made.append(solver)
        return solver

    monkeypatch.setattr(explain, "new_solver", recording)
    roster = gate_roster(tmp_path / "gate")
    period, slots = days(roster)
    assignment = {s.id: [] for s in slots}
    hints = staffing_hints(roster, period, slots, assignment, budget=1, seed=0)
    assert hints == ["再加2名会测温的人员、2名会测温的党员即可排满"]
    assert made and all(s.parameters.max_time_in_seconds == math.inf for s in made)
    # With a deadline (the wall-clock mode) the run keeps CP-SAT's own limit, within it.
    made.clear()
    staffing_hints(roster, period, slots, assignment, budget=1, seed=0, wall=30.0)
    assert made and all(0 < s.parameters.max_time_in_seconds <= 30.0 for s in made)
