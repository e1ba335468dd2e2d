"""What a wall-clock limit leaves out, said in the output: shortages not explained in time, and a
repeatable search stopped by its wall-clock guard. No test here measures time: the deadline is
one already past, the guard's numbers are given."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

from ortools.sat.python import cp_model

from roster.explain import UNEXPLAINED, explain_quota_shortages, explain_shortages
from roster.render import render_summary
from roster.report import build_schedule
from roster.schedule import SolverInfo
from roster.slots import Period
from solver.search import WALL_CAP, Guard, wall_guard
from tests.explainkit import days, solved
from tests.test_explain import gate_roster

INFO = SolverInfo(status="FEASIBLE", objective=0, bound=0, wall_seconds=1.0, workers=2, seed=0)


def test_the_guard_is_named_only_when_it_ended_the_run_before_its_answer() -> None:
    assert wall_guard(10) == WALL_CAP * 10 + 30.0
    fired, quiet = Guard(), Guard()
    fired.fired = True
    # Stopped by the clock before the search finished: the roster depends on the machine.
    assert fired.cut(cp_model.FEASIBLE)
    # The units all done (the guard never fired): the work limit ended it.
    assert not quiet.cut(cp_model.FEASIBLE)
    # An optimal roster is the repeatable one, whatever the clock said.
    assert not fired.cut(cp_model.OPTIMAL)


def test_a_repeatable_solve_on_a_normal_machine_is_not_flagged(tmp_path: Path) -> None:
    schedule = solved(gate_roster(tmp_path / "gate"))
    assert schedule.solver.wall_guard is False
    data = json.loads(schedule.to_json())
    # Both fields are written only when they say something: golden files stay as they were.
    assert "wall_guard" not in data["solver"]
    assert "shortages_unexplained" not in data["solver"]


def test_the_guard_is_said_in_the_summary_and_schedule_json(tmp_path: Path) -> None:
    schedule = solved(gate_roster(tmp_path / "gate"))
    schedule.solver = schedule.solver.model_copy(update={"wall_guard": True})
    assert json.loads(schedule.to_json())["solver"]["wall_guard"] is True
    assert "墙钟保护时限在搜索用完其工作量之前就停止了搜索" in render_summary(schedule)
    assert "wall-clock guard stopped the search" in render_summary(schedule, "en")


def test_shortages_past_the_deadline_are_listed_unexplained_and_counted(tmp_path: Path) -> None:
    roster = gate_roster(tmp_path / "gate")
    period, slots = days(roster)
    assignment: dict[str, list[str]] = {s.id: [] for s in slots}
    past = time.monotonic() - 1.0
    explained = build_schedule(roster, period, slots, assignment, INFO)
    cut = build_schedule(roster, period, slots, assignment, INFO, deadline=past)
    # The same places missing, on the same slots; only the reasons are left out.
    assert [(s.slot, s.missing) for s in cut.shortages] == [
        (s.slot, s.missing) for s in explained.shortages
    ]
    assert len(cut.shortages) == 4
    first = cut.shortages[0]
    assert first.reasons == {UNEXPLAINED: 2}
    assert first.people == {}
    assert first.text == "缺2人：未能在时限内说明原因"
    quota = cut.quota_shortages[0]
    assert quota.reasons == {UNEXPLAINED: quota.missing}
    assert quota.text == f"缺{quota.missing}名党员：未能在时限内说明原因"
    total = len(cut.shortages) + len(cut.quota_shortages)
    assert cut.solver.shortages_unexplained == total
    assert json.loads(cut.to_json())["solver"]["shortages_unexplained"] == total
    assert cut.hints == [
        f"{total}处缺员中有{total}处未列出原因：说明完之前时限已到"
        "（要看全部原因，请加大 --time-limit 或用 --repeatable 求解）"
    ]
    assert cut.hints[0] in render_summary(cut)
    # Without a deadline (the repeatable mode) every shortage is explained, and nothing is said.
    assert explained.solver.shortages_unexplained == 0
    assert explained.hints == []
    assert all(UNEXPLAINED not in s.reasons for s in explained.shortages)


def test_a_deadline_not_reached_changes_nothing(tmp_path: Path) -> None:
    roster = gate_roster(tmp_path / "gate")
    period, slots = days(roster)
    assignment: dict[str, list[str]] = {s.id: [] for s in slots}
    short = {s.id: 2 for s in slots}
    later = time.monotonic() + 3600
    assert explain_shortages(roster, period, slots, assignment, short) == explain_shortages(
        roster, period, slots, assignment, short, deadline=later
    )
    quotas = {s.id: {"party_member": 1} for s in slots}
    assert explain_quota_shortages(
        roster, period, slots, assignment, quotas
    ) == explain_quota_shortages(roster, period, slots, assignment, quotas, deadline=later)


def test_a_period_s_days_and_weeks_are_copies() -> None:
    period = Period(date(2020, 2, 1), date(2020, 2, 10), "Asia/Shanghai")
    period.days.append(date(2021, 1, 1))
    period.weeks()[(2020, 6)].clear()
    period.full_weeks().clear()
    assert len(period.days) == 10
    assert period.weeks() == {
        (2020, 5): [date(2020, 2, 1), date(2020, 2, 2)],
        (2020, 6): [date(2020, 2, d) for d in range(3, 10)],
        (2020, 7): [date(2020, 2, 10)],
    }
    assert period.full_weeks() == {(2020, 6)}
