"""The one door of solver/: ``solve()`` turns a roster and a period into a Schedule.

A roster whose people and posts fall into independent parts (the communities of a district) is
solved part by part (solver/components.py), each part by ``solve_one``: build the model, search,
explain what went wrong or what is missing, report. The names other packages import from here
(``SolveOptions``, ``Progress``, ``build_model``, ``run``) live one floor down and are named here
too.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import replace

from ortools.sat.python import cp_model

from roster.errors import InfeasibleError, SolveInterrupted
from roster.i18n import _
from roster.load import Roster
from roster.report import build_schedule
from roster.schedule import Schedule, SolverInfo
from roster.slots import Period, expand

from . import lns
from .build import build_model
from .components import PartRunner, SolveOne, find_parts, solve_in_parts
from .explain import CONFLICT_BUDGET, HINT_BUDGET, conflict_error, staffing_hints
from .proof import (
    PROOF_BUDGET,
    SHORTAGE_TERMS,
    not_proven_sentences,
    proof_fields,
    prove_shortage,
)
from .search import (
    SMALL_MODEL,
    WALL_CAP,
    Guard,
    Progress,
    Reserve,
    SolveOptions,
    Stop,
    choose_workers,
    guard_seconds,
    mode,
    run,
)
from .search import budget as budget_of

#: Share of a wall-clock limit kept from the search for the shortage's proof and staffing hint
#: (solver/proof.py, solver/explain.py), which run after it only when some place is left empty:
#: the search stops that early only if its best roster by then leaves a place empty.
EXPLAIN_SHARE = 0.1
#: Share of a wall-clock limit kept from the search in any case, for reporting its roster
#: (the checker recomputes every penalty, and the shortages are explained).
REPORT_SHARE = 0.02
#: Seconds below which the staffing hint is not tried in the wall-clock mode, on top of
#: ``HINT_BUILDS`` times the time the model took to build.
MIN_EXPLAIN = 0.2
HINT_BUILDS = 3
#: Seconds a conflict's explanation gets at least, past the limit if need be.
MIN_CONFLICT = 2.0

__all__ = [
    "SMALL_MODEL",
    "WALL_CAP",
    "Progress",
    "SolveOptions",
    "Stop",
    "build_model",
    "choose_workers",
    "run",
    "solve",
    "solve_one",
]


def solve(
    roster: Roster,
    period: Period,
    options: SolveOptions | None = None,
    runner: PartRunner | None = None,
) -> Schedule:
    """Solve one planning period: build the model, search, and report the roster.

    By default the whole solve ends within ``options.time_limit`` wall-clock seconds; with
    ``options.repeatable`` it is limited by ``options.work_units`` of CP-SAT's deterministic time
    instead, and the same input, seed and workers give the same roster. When
    ``options.stop`` is interrupted the best roster found so far comes back, its solver info
    marked ``interrupted``.

    With a ``runner`` (a cluster, solver/cluster.py) each part's search runs there, ``runner.lanes``
    parts at a time, through the same passes and merge as in this process.

    Raises InfeasibleError, naming the conflicting hard rules, when no roster satisfies them;
    InterruptedError (a RosterError) when interrupted before any roster was found."""
    options = options or SolveOptions()
    stop = options.stop or Stop()
    if not options.repeatable and stop.deadline is None:
        stop.deadline = time.monotonic() + options.time_limit
    options = replace(options, stop=stop)
    # Parts that share nobody (the communities of a district) are solved apart and merged.
    one: SolveOne = solve_one if runner is None else functools.partial(runner.solve, solve_one)
    parts = find_parts(roster)
    if len(parts) > 1:
        lanes = None if runner is None else runner.lanes
        return solve_in_parts(roster, period, options, one, parts, parallel=lanes)
    return one(roster, period, options)


def solve_one(roster: Roster, period: Period, options: SolveOptions) -> Schedule:
    """Solve a roster as one model (a part of a district, or a roster of one part): build it,
    search, explain a conflict or a shortage, and report the roster. In the wall-clock mode the
    whole of it ends within ``options.time_limit`` seconds (and by ``options.stop``'s deadline):
    the search stops ``EXPLAIN_SHARE`` of the limit early when its roster leaves places empty,
    for their proof and the staffing hint, and ``REPORT_SHARE`` early otherwise.

    Raises InfeasibleError, naming the conflicting hard rules, when no roster satisfies them."""
    started = time.monotonic()
    stop = options.stop or Stop()
    options = replace(options, stop=stop)
    slots = expand(roster.config, period)
    m, _index = build_model(roster, period, slots, strict=options.strict, history=options.history)
    built = time.monotonic() - started
    if options.hint:
        m.hint(options.hint)
    workers = choose_workers(m, options.workers, options.repeatable)
    search_options = options
    reserve = None
    if not options.repeatable:
        end = started + options.time_limit
        kept = REPORT_SHARE if not options.lns else EXPLAIN_SHARE
        search_for = end - time.monotonic() - kept * options.time_limit
        search_options = replace(options, time_limit=max(0.01, search_for))
        empty = tuple((p.var, p.coef) for p in m.penalties if p.rule in SHORTAGE_TERMS)
        if not options.lns and empty:
            keep = (EXPLAIN_SHARE - REPORT_SHARE) * options.time_limit
            reserve = Reserve(min(keep, search_for / 2), empty)
    bound: float | None = None
    lns_guard = False
    guard = Guard()
    if options.lns:
        solver, status, stats = lns.search(m, search_options, workers)
        bound, lns_guard = stats.bound, stats.wall_guard
    else:
        solver, status = run(m, search_options, workers, reserve, guard)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if stop.interrupted:
            raise SolveInterrupted()
        if status == cp_model.INFEASIBLE:
            # Name the smallest set of contradicting hard rules (solver/explain.py): worth a
            # little time past the limit, since without it the error says nothing.
            explained, _index = build_model(
                roster, period, slots, strict=options.strict, explain=True, history=options.history
            )
            budget = min(CONFLICT_BUDGET, max(2.0, budget_of(options)))
            wall = None if options.repeatable else max(MIN_CONFLICT, stop.left())
            raise conflict_error(roster, explained, budget=budget, seed=options.seed, wall=wall)
        raise InfeasibleError(not_found(options, guard.fired), [])
    assignment = m.extract(solver)
    info = SolverInfo(
        status=solver.status_name(status),
        objective=round(solver.objective_value),
        # The objective is a whole number, so a fractional bound rounds up and stays a bound.
        bound=math.ceil((solver.best_objective_bound if bound is None else bound) - 1e-6),
        wall_seconds=round(time.monotonic() - started, 2),
        workers=workers,
        seed=options.seed,
        mode=mode(options),
        interrupted=stop.interrupted,
        # Whether a wall-clock guard stopped the search before its work units, so that its
        # roster depends on the machine (an optimal roster does not). The LNS loop makes many
        # CP-SAT calls, each with its own guard: it says itself.
        wall_guard=options.repeatable and (lns_guard if options.lns else guard.cut(status)),
    )
    schedule = build_schedule(
        roster,
        period,
        slots,
        assignment,
        info,
        strict=options.strict,
        generated_at=options.generated_at,
        history=options.history,
        deadline=None
        if options.repeatable
        else min(started + options.time_limit, stop.deadline or math.inf),
    )
    if stop.interrupted:
        return schedule
    # Whether the shortage is proven unavoidable or only not filled in time (solver/proof.py).
    # In the wall-clock mode it gets what is left of the limit, never more: when nothing is, the
    # shortage is not proven within the limit. It reuses the search's model (shortages soft, so
    # the same as the proof's own) unless the LNS loop added its bound to it.
    proof_budget = min(PROOF_BUDGET, max(1.0, budget_of(options) / 2))
    proof_wall = None
    deadline = None
    if not options.repeatable:
        proof_wall = proof_budget
        deadline = min(started + options.time_limit, stop.deadline or math.inf)
    reuse = not options.strict and not options.lns
    proof = prove_shortage(
        roster,
        period,
        slots,
        schedule,
        budget=proof_budget,
        workers=workers,
        seed=options.seed,
        wall=proof_wall,
        history=options.history,
        deadline=deadline,
        model=m if reuse else None,
    )
    proven = proof_fields(proof)
    if proof is not None and proof.guarded:
        proven["wall_guard"] = True  # the proof's guard stopped it: proven or not may differ
    schedule.solver = schedule.solver.model_copy(update=proven)
    if proof is not None and not proof.proven:
        # More people are advised only for a shortage no roster can fill.
        schedule.hints.extend(not_proven_sentences(roster, proof))
        return schedule
    # How many more people of which kind would fill every place (solver/explain.py).
    budget = min(HINT_BUDGET, max(1.0, budget_of(options) / 2))
    wall = None
    if not options.repeatable:
        wall = min(started + options.time_limit - time.monotonic(), stop.left())
        # The hint builds a larger model and fills places greedily before CP-SAT runs (neither
        # bounded by the clock): try it only when that fits, judged by this model's build.
        if wall < MIN_EXPLAIN + HINT_BUILDS * built:
            return schedule
    schedule.hints.extend(
        staffing_hints(
            roster, period, slots, assignment, budget=budget, seed=options.seed, wall=wall
        )
    )
    return schedule


def not_found(options: SolveOptions, guarded: bool = False) -> str:
    """The sentence for a search that ended without any roster (and without proving there is
    none): in the mode's unit, or, when the repeatable mode's wall-clock guard stopped it
    (``guarded``), that the machine was too slow for the work asked, not the work too little."""
    if options.repeatable and guarded:
        return _(
            "no roster found before the wall-clock guard stopped the search after {seconds:g} s, "
            "short of its {units:g} work units: this machine is too slow or too busy for them; "
            "solve again when it is less busy, or without --repeatable"
        ).format(seconds=guard_seconds(options, budget_of(options)), units=options.work_units)
    if options.repeatable:
        return _("no roster found within {units:g} work units; give more (--work-units)").format(
            units=options.work_units
        )
    return _("no roster found within {seconds:g} s; give more time (--time-limit)").format(
        seconds=options.time_limit
    )
