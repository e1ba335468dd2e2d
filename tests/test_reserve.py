"""The search keeps the end of its wall-clock limit for a shortage's proof and hint only when its
roster leaves a place empty (solver.search.Reserve): the watcher that tells it so."""

from __future__ import annotations

from typing import cast

import pytest
from ortools.sat.python import cp_model

from solver.model import RosterModel
from solver.search import Reserve, SolveOptions, _Watcher, run


class Bare:
    """Just the CP-SAT model, as ``run`` reads it from a RosterModel."""

    def __init__(self, model: cp_model.CpModel) -> None:
        self.model = model


def shortage_model(filled: bool) -> tuple[cp_model.CpModel, cp_model.IntVar]:
    """One place: taken by nobody (a shortage of 1) or by its one candidate."""
    model = cp_model.CpModel()
    taken = model.new_bool_var("taken")
    short = model.new_int_var(0, 1, "short")
    model.add(short == 1 - taken)
    model.add(taken == int(filled))
    model.minimize(short)
    return model, short


@pytest.mark.parametrize("filled", [True, False])
def test_the_watcher_says_whether_the_roster_leaves_a_place_empty(filled: bool) -> None:
    model, short = shortage_model(filled)
    watcher = _Watcher(None, terms=((short, 3),))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model, watcher) == cp_model.OPTIMAL
    assert watcher.found
    assert watcher.wanting is not filled


@pytest.mark.parametrize("filled", [True, False])
def test_a_run_with_a_reserve_returns_the_roster_it_found(filled: bool) -> None:
    # The reserve only ever stops a search early: the roster and status stay the solver's.
    model, short = shortage_model(filled)
    options = SolveOptions(time_limit=5, seed=0)
    reserve = Reserve(4.0, ((short, 1),))
    solver, status = run(cast(RosterModel, Bare(model)), options, 1, reserve)
    assert status == cp_model.OPTIMAL
    assert solver.value(short) == int(not filled)
