"""A repeatable solve of the engine's LNS loop cut by its wall-clock guard says so (schedule.json
``solver.wall_guard``), as the plain search does (tests/test_repeatable.py). The guard is forced
by shrinking it to 3 s on a fortnight of the small roster with fairness on: CP-SAT finds a
roster there in a small fraction of a unit of work but needs 6.6 units to prove it optimal, so no
machine finishes before the guard. Nothing here asserts a time."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import write_folder
from ortools.sat.python import cp_model

from roster.i18n import speaking
from roster.load import load_roster
from roster.slots import make_period
from solver import lns, search
from solver.solve import SolveOptions, not_found, solve

#: The guard's seconds when forced: WALL_CAP × units + WALL_SLACK with WALL_CAP at 0.
FORCED = 3.0


def test_a_loop_cut_by_its_guard_is_flagged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The LNS loop's guard, forced. (The plain search's guard is fired by hand at its first
    roster in tests/test_repeatable.py, which needs no forced seconds.)"""
    for module in (search, lns):
        monkeypatch.setattr(module, "WALL_CAP", 0)
        monkeypatch.setattr(module, "WALL_SLACK", FORCED)
    roster = load_roster(write_folder(tmp_path / "社区"))
    fortnight = make_period(roster.config.timezone, None, date(2020, 2, 3), date(2020, 2, 16))
    options = SolveOptions(repeatable=True, work_units=100, workers=2, seed=0, lns=True)
    schedule = solve(roster, fortnight, options)
    assert schedule.solver.status == "FEASIBLE"
    assert schedule.solver.wall_guard is True
    assert '"wall_guard": true' in schedule.to_json()


def test_a_loop_that_spends_its_work_is_not_flagged(tmp_path: Path) -> None:
    roster = load_roster(write_folder(tmp_path / "社区"))
    week = make_period(roster.config.timezone, "2020-W06", None, None)
    options = SolveOptions(repeatable=True, work_units=1.5, workers=2, seed=0, lns=True)
    schedule = solve(roster, week, options)
    assert schedule.solver.status in ("OPTIMAL", "FEASIBLE")
    assert schedule.solver.wall_guard is False
    assert "wall_guard" not in schedule.to_json()


def test_a_loop_call_counts_as_cut_only_when_its_guard_fired_before_a_proof() -> None:
    feasible, optimal = cp_model.FEASIBLE, cp_model.OPTIMAL
    fired, quiet = search.Guard(), search.Guard()
    fired.fired = True
    # Stopped by its guard with a roster or none: cut by the wall.
    assert fired.cut(feasible)
    assert fired.cut(cp_model.UNKNOWN)
    # Its work done, or its own reason, or Ctrl-C: the guard did not fire.
    assert not quiet.cut(feasible)
    assert not quiet.cut(cp_model.UNKNOWN)
    # A proven answer is the repeatable one, whatever the clock said.
    assert not fired.cut(optimal)
    assert not fired.cut(cp_model.INFEASIBLE)


def test_a_loop_sub_solve_is_kept_by_the_engines_guard() -> None:
    """A neighbourhood's solve gets no wall-clock limit of CP-SAT's own when it has a guard
    (CP-SAT's stops early by its longest gap between looks at the clock): the guard keeps it, as
    for any repeatable run."""
    model = cp_model.CpModel()
    xs = [model.new_bool_var(f"x{i}") for i in range(60)]
    for i in range(59):
        model.add_bool_or([xs[i], xs[i + 1]])
    model.minimize(sum((i % 7 + 1) * x for i, x in enumerate(xs)))
    guard = search.Guard()
    solver, status = lns._sub_solve(model, 0, 30.0, None, guard)
    assert solver.parameters.max_time_in_seconds == float("inf")
    assert solver.status_name(status) == "OPTIMAL"
    assert not guard.fired


def test_no_roster_says_whether_the_guard_or_the_work_was_short() -> None:
    """A search without a roster names what ran out: the guard's seconds on a machine too slow
    for the work, the work units, or the seconds, in the coordinator's language."""
    repeatable = SolveOptions(repeatable=True, work_units=10)
    with speaking("en"):
        guarded = not_found(repeatable, guarded=True)
        assert "wall-clock guard" in guarded and "230 s" in guarded and "10 work units" in guarded
        assert "--work-units" not in guarded
        assert not_found(repeatable) == (
            "no roster found within 10 work units; give more (--work-units)"
        )
        assert not_found(SolveOptions(time_limit=60)) == (
            "no roster found within 60 s; give more time (--time-limit)"
        )
    with speaking("zh_CN"):
        assert not_found(repeatable, guarded=True).startswith("墙钟保护时限在 230 秒时停止了搜索")
        assert not_found(repeatable) == "10 个工作量单位内没有找到排班；请增加 --work-units"
