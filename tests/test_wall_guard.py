"""A repeatable solve cut by its wall-clock guard says so (schedule.json ``solver.wall_guard``),
by the plain search and by the engine's LNS loop alike. The guard is forced by shrinking it to
1.5 s on a fortnight of the small roster with fairness on: CP-SAT finds a roster there in a small
fraction of a unit of work but needs 6.6 units to prove it optimal, so no machine finishes before
the guard. Nothing here asserts a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import write_folder
from ortools.sat.python import cp_model

from roster.load import load_roster
from roster.slots import make_period
from solver import lns, search
from solver.solve import SolveOptions, solve

#: The guard's seconds when forced: WALL_CAP × units + WALL_SLACK with WALL_CAP at 0.
FORCED = 1.5


@pytest.mark.parametrize("use_lns", [False, True], ids=["search", "lns"])
def test_a_solve_cut_by_its_guard_is_flagged(
    use_lns: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for module in (search, lns):
        monkeypatch.setattr(module, "WALL_CAP", 0)
        monkeypatch.setattr(module, "WALL_SLACK", FORCED)
    roster = load_roster(write_folder(tmp_path / "社区"))
    fortnight = make_period(roster.config.timezone, None, date(2020, 2, 3), date(2020, 2, 16))
    options = SolveOptions(repeatable=True, work_units=100, workers=2, seed=0, lns=use_lns)
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


@dataclass
class _Params:
    max_deterministic_time: float
    max_time_in_seconds: float


@dataclass
class _Call:
    """What ``lns._cut_by_wall`` reads of a finished CP-SAT call."""

    deterministic_time: float
    wall_time: float
    parameters: _Params


def _call(work: float, wall: float, units: float = 0.3, stop: float = 10.0) -> Any:
    return _Call(work, wall, _Params(units, stop))


def test_a_loop_call_counts_as_cut_only_at_its_stop_with_work_left() -> None:
    feasible, optimal = cp_model.FEASIBLE, cp_model.OPTIMAL
    # At its stop with 0.1 of 0.3 units done: cut by the wall.
    assert lns._cut_by_wall(_call(0.1, 10.0), feasible)
    assert lns._cut_by_wall(_call(0.1, 9.9), cp_model.UNKNOWN)
    # Its units all done, however long it took.
    assert not lns._cut_by_wall(_call(0.3, 10.0), feasible)
    # Ended well before its stop (its own reason, or Ctrl-C).
    assert not lns._cut_by_wall(_call(0.1, 2.0), feasible)
    # A proven answer is the repeatable one, whatever the clock said.
    assert not lns._cut_by_wall(_call(0.1, 10.0), optimal)
    assert not lns._cut_by_wall(_call(0.1, 10.0), cp_model.INFEASIBLE)
