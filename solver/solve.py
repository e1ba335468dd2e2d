"""The one door of solver/: ``solve()`` turns a roster and a period into a Schedule.

A roster whose people and posts fall into independent parts (the communities of a district) is
solved part by part (solver/components.py), each part by ``solve_one``: build the model, search,
explain what went wrong or what is missing, report. The names other packages import from here
(``SolveOptions``, ``Progress``, ``build_model``, ``run``) live one floor down and are named here
too.
"""

from __future__ import annotations

import math
import time

from ortools.sat.python import cp_model

from roster.errors import InfeasibleError
from roster.load import Roster
from roster.report import build_schedule
from roster.schedule import Schedule, SolverInfo
from roster.slots import Period, expand

from . import lns
from .build import build_model
from .components import find_parts, solve_in_parts
from .explain import CONFLICT_BUDGET, HINT_BUDGET, conflict_error, staffing_hints
from .search import SMALL_MODEL, WALL_CAP, Progress, SolveOptions, choose_workers, run

__all__ = [
    "SMALL_MODEL",
    "WALL_CAP",
    "Progress",
    "SolveOptions",
    "build_model",
    "choose_workers",
    "run",
    "solve",
    "solve_one",
]


def solve(roster: Roster, period: Period, options: SolveOptions | None = None) -> Schedule:
    """Solve one planning period: build the model, run CP-SAT, and report the roster.

    Raises InfeasibleError, naming the conflicting hard rules, when no roster satisfies them."""
    options = options or SolveOptions()
    # Parts that share nobody (the communities of a district) are solved apart and merged.
    parts = find_parts(roster)
    if len(parts) > 1:
        return solve_in_parts(roster, period, options, solve_one, parts)
    return solve_one(roster, period, options)


def solve_one(roster: Roster, period: Period, options: SolveOptions) -> Schedule:
    """Solve a roster as one model (a part of a district, or a roster of one part): build it,
    search, explain a conflict or a shortage, and report the roster.

    Raises InfeasibleError, naming the conflicting hard rules, when no roster satisfies them."""
    started = time.monotonic()
    slots = expand(roster.config, period)
    m, _ = build_model(roster, period, slots, strict=options.strict)
    if options.hint:
        m.hint(options.hint)
    workers = choose_workers(m, options.workers)
    bound: float | None = None
    if options.lns:
        solver, status, stats = lns.search(m, options, workers)
        bound = stats.bound
    else:
        solver, status = run(m, options, workers)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if status == cp_model.INFEASIBLE:
            # Name the smallest set of contradicting hard rules (solver/explain.py).
            explained, _ = build_model(roster, period, slots, strict=options.strict, explain=True)
            budget = min(CONFLICT_BUDGET, max(2.0, options.time_limit))
            raise conflict_error(roster, explained, budget=budget, seed=options.seed)
        raise InfeasibleError(
            f"no roster found within {options.time_limit:g} s; give more time (--time-limit)", []
        )
    assignment = m.extract(solver)
    info = SolverInfo(
        status=solver.status_name(status),
        objective=round(solver.objective_value),
        # The objective is a whole number, so a fractional bound rounds up and stays a bound.
        bound=math.ceil((solver.best_objective_bound if bound is None else bound) - 1e-6),
        wall_seconds=round(time.monotonic() - started, 2),
        workers=workers,
        seed=options.seed,
    )
    schedule = build_schedule(
        roster,
        period,
        slots,
        assignment,
        info,
        strict=options.strict,
        generated_at=options.generated_at,
    )
    # How many more people of which kind would fill every place (solver/explain.py).
    budget = min(HINT_BUDGET, max(1.0, options.time_limit / 2))
    schedule.hints.extend(
        staffing_hints(roster, period, slots, assignment, budget=budget, seed=options.seed)
    )
    return schedule
