"""Large-neighbourhood search around CP-SAT: keep the best roster, free a part of it, re-solve.

CP-SAT's portfolio proves small rosters optimal quickly, but on rosters of a few thousand Booleans
and more it stalls far from the best known results (measured on the Curtois & Qu instances, see
benchmarks/results.md). In interleaved (deterministic) mode its own LNS workers share the turns
with eight full-model workers and it finds a first roster late (Curtois & Qu 12: none in 20
units with 2 workers), so the improving is done here. This loop does what published rostering
heuristics do: find a first roster ignoring the objective, let CP-SAT's portfolio improve it for a
share of the time (and prove a bound), then
repeatedly fix most (person, slot) cells to the best roster so far and let a short single-worker
CP-SAT run re-optimise the rest: a few people's whole period, a few days for everyone, or the
people and days around a term of the objective that costs something (a short slot, an unmet
request: each ``Penalty`` says where it lives). A last full run, hinted with the best roster,
reports it with CP-SAT's status.

In the repeatable mode every limit is deterministic time, as in ``solver.search.run``: the budget
is spent by counting each sub-solve's deterministic time, so the same seed gives the same roster
on a busy machine too (the wall-clock cap of ``run`` still guards against a machine far slower
than the estimate). Otherwise the same shares are of wall-clock seconds, spent as the clock says.
"""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol

from ortools.sat.python import cp_model

from .limits import WALL_SLACK
from .model import Penalty, RosterModel, apply_params
from .search import (
    SMALL_MODEL,
    Guard,
    Progress,
    Reserve,
    SolveOptions,
    Stop,
    budget,
    new_solver,
    run,
    solve_registered,
    with_budget,
)


class Run(Protocol):
    """One full CP-SAT run (``solver.search.run``; a test may pass another)."""

    def __call__(
        self,
        m: RosterModel,
        options: SolveOptions,
        workers: int,
        reserve: Reserve | None = None,
        guard: Guard | None = None,
    ) -> tuple[cp_model.CpSolver, Any]: ...


#: Share of the time limit that finding a first roster may take at most.
FIND_SHARE = 0.5
#: Share of the time limit for the first full CP-SAT run on small models (below
#: ``solver.search.SMALL_MODEL`` Booleans), where it often proves the roster optimal.
FIRST_SHARE = 0.2
#: The same on larger models. There the interleaved portfolio hardly improves the first roster
#: (Curtois & Qu 8: not at all in 9 units) while the loop below does, so it only gets a glimpse
#: (the last run proves the bound). Measured at 20 units, 0.2 against 0.05: instance 5
#: 1,338 → 1,250, instance 8 2,682 → 2,473, instance 12 33,321 → 7,051.
FIRST_SHARE_LARGE = 0.05
#: Share of the time limit (at most FINAL_MAX) for the last full run, hinted with the best roster:
#: it may still improve it, and it reports the roster with CP-SAT's own status and bound.
FINAL_SHARE = 0.05
FINAL_MAX = 3.0
#: The same on larger models, where the LP needs longer to converge: on Curtois & Qu 12 at 60
#: units the bound went from 24 to 2,240 with 0.15 (at most 10) instead of 0.05 (at most 3), for a
#: roster 1.8 % worse (5,745 against 5,643: the loop has less time); benchmarks/results.md.
FINAL_SHARE_LARGE = 0.15
FINAL_MAX_LARGE = 10.0
#: Sub-solves run side by side, at most: the laptops and CI machines we aim at have 2 cores, and
#: a fixed number (not the machine's core count) keeps the roster the same on every machine.
BATCH = 2
#: The kinds of neighbourhood the loop takes turns with (see ``_neighbourhood`` and ``_repair``).
#: "block" (some people over some days) is left out: it improved the roster least often, and
#: without it the loop did better on all three instances tried (Curtois & Qu 5, 8, 12 at 20
#: units: 1,250 / 2,473 / 7,051 with it, 1,249 / 2,359 / 6,891 without); ``_repair`` still frees
#: a block when no term of the objective costs anything.
KINDS = ("people", "days", "repair")
#: Whether the loop moves to a different roster of the same penalty.
ACCEPT_EQUAL = True
#: The hard wall-clock stop, as a multiple of the time limit plus ``solver.limits.WALL_SLACK``
#: seconds (as in ``solver.search.run``). The loop's sub-solves cost more wall time per
#: deterministic unit than one long solve (each copies the model): 2 to 7 seconds a unit on a busy
#: 2-core machine (Curtois & Qu 4 at 60 units: 433 s), hence the room.
WALL_CAP = 20
#: Seconds the last resort (the best roster with every cell fixed) may take at least, past the
#: loop's stop if need be: repeatable, and in the wall-clock mode, where the stop is the user's.
FIXED_FLOOR = 10.0
FIXED_FLOOR_WALL = 1.0
#: Deterministic-time limit of one sub-solve (a fraction of a second of one core's work).
#: Measured on Curtois & Qu 5, 8 and 12 at 20 units: 0.1 gave 1,346 / 2,554 / 6,253, 0.2 gave
#: 1,249 / 2,359 / 6,891, 0.3 gave 1,251 / 2,072 / 6,668, 0.5 gave 1,248 / 2,580 on 5 and 8.
SUB_DTIME = 0.3
#: Deterministic time charged per sub-solve on top of CP-SAT's own count, for the copying and
#: fixing done here (and so that the loop ends even if sub-solves report no work at all).
SUB_OVERHEAD = 0.01
#: CP-SAT parameters of every sub-solve, on top of one worker, its seed and its limits: one round
#: of presolve and no probing. A sub-solve's presolve counts against its 0.3 units, and CP-SAT's
#: default (up to three rounds, each probing every free Boolean) spent all of them on Curtois &
#: Qu 13 with 15 % of the people free: the sub-solves stopped after presolve, with no roster.
#: Measured at 20 units (START_CELLS 2,000), default against this: instance 5 1,337 → 1,154,
#: 7 1,289 → 1,101, 8 2,462 → 2,480, 15 10,610 → 10,210; no presolve at all was worse (7: 1,577,
#: 15: 11,647).
SUB_PARAMS: dict[str, object] = {"max_presolve_iterations": 1, "cp_model_probing_level": 0}
#: The number of cells the neighbourhoods start by freeing, at most (on large models the usual
#: shares are cut to it, then adapt as usual). On Curtois & Qu 13 (56,160 cells) the usual 15 % of
#: the people is 8,424 cells, too many for a sub-solve to improve anything in its time, and the
#: loop ends before its sizes have adapted: at 20 units (measured before at-most-ones were stated
#: once, solver/model.py) 87,301 with the usual shares, 22,850 with 2,000 cells; instance 12
#: (15,600 cells) 8,304 → 7,484. Smaller models are unaffected.
START_CELLS = 2000


@dataclass
class _Kind:
    """A kind of neighbourhood with its adaptive size (share of people or days freed)."""

    name: str
    size: float
    low: float
    high: float
    tries: int = 0
    wins: int = 0

    def grow(self) -> None:
        self.size = min(self.high, self.size * 1.15)

    def shrink(self) -> None:
        self.size = max(self.low, self.size / 1.15)


@dataclass
class LnsStats:
    """What the loop did, for logs and benchmarks."""

    iterations: int = 0
    improvements: int = 0
    first_objective: float | None = None
    final_objective: float | None = None
    #: The proven lower bound, when the loop ran (None: read the returned solver's).
    bound: float | None = None
    by_kind: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: (phase, deterministic time, wall seconds)
    phases: list[tuple[str, float, float]] = field(default_factory=list)
    #: Repeatable only: whether the loop's wall-clock stop (``WALL_CAP``) ended any of its CP-SAT
    #: calls before its work, or the loop itself before its units were spent. The roster then
    #: depends on the machine's speed and load (``roster.schedule.SolverInfo.wall_guard``).
    wall_guard: bool = False


@dataclass
class _Cells:
    """The model's (person, slot) Booleans, indexed by person and by day."""

    index: list[int]
    person_of: list[str]
    day_of: list[date]
    by_person: dict[str, list[int]]
    by_day: dict[date, list[int]]

    @classmethod
    def of(cls, m: RosterModel) -> _Cells:
        index: list[int] = []
        person_of: list[str] = []
        day_of: list[date] = []
        by_person: dict[str, list[int]] = {}
        by_day: dict[date, list[int]] = {}
        for slot in m.slots:
            for person, var in m.on_slot(slot):
                k = len(index)
                index.append(var.index)
                person_of.append(person.id)
                day_of.append(slot.day)
                by_person.setdefault(person.id, []).append(k)
                by_day.setdefault(slot.day, []).append(k)
        return cls(index, person_of, day_of, by_person, by_day)


def search(
    m: RosterModel,
    options: SolveOptions,
    workers: int,
    run: Run = run,
) -> tuple[cp_model.CpSolver, Any, LnsStats]:
    """Solve ``m`` within the options' limit (work units or seconds, ``solver.search.budget``): a
    first roster, CP-SAT's portfolio from it, the LNS loop, a last full run hinted with the best
    roster. Returns the last
    run's solver and status (its roster is at least as good as the best found) and what the loop
    did. ``run`` makes each full run (``solver.search.run``)."""
    started = time.monotonic()
    limit = budget(options)
    stop = options.stop or Stop()
    if options.repeatable:
        wall_deadline = started + WALL_CAP * limit + WALL_SLACK
    else:
        wall_deadline = started + min(limit, stop.left())
    stats = LnsStats()

    def spent() -> float:
        # Work counted when repeatable, the clock otherwise.
        return used if options.repeatable else time.monotonic() - started

    def guarded(guard: Guard | None, status: Any) -> None:
        # Only a repeatable run has work to stop short of; the clock is its limit otherwise.
        if options.repeatable and guard is not None and guard.cut(status):
            stats.wall_guard = True

    def full_run(dtime: float) -> tuple[cp_model.CpSolver, Any]:
        # A full run of ``dtime``, under a guard of the loop's own stop when repeatable.
        guard = Guard() if options.repeatable else None
        solver, status = run(m, _capped(options, dtime, wall_deadline), workers, None, guard)
        guarded(guard, status)
        return solver, status

    # 1. A first roster, ignoring the objective: CP-SAT finds one far sooner that way (0.1 s
    # against 4 s and more on Curtois & Qu instance 5), and minimising from it goes faster too.
    feasible = m.model.clone()
    feasible.proto.clear_objective()
    finder = new_solver()
    _limits(finder, options, workers, limit * FIND_SHARE, wall_deadline)
    finding = Guard() if options.repeatable else None
    found = _solve(finder, feasible, stop, finding)
    guarded(finding, found)
    used = finder.deterministic_time
    if found not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # Infeasible, or too hard to find alone: the plain run decides (and explains).
        solver, status = full_run(max(1.0, limit - spent()))
        return solver, status, stats
    # 2. CP-SAT's portfolio from that roster, for a share of the time: it proves small models
    # optimal, and gives the bound.
    _set_hint(m.model, list(finder.response_proto.solution))
    share = FIRST_SHARE if m.variable_count() < SMALL_MODEL else FIRST_SHARE_LARGE
    solver, status = full_run(max(1.0, limit * share))
    used += solver.deterministic_time
    if status in (cp_model.OPTIMAL, cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
        return solver, status, stats
    if status == cp_model.FEASIBLE:
        best = list(solver.response_proto.solution)
        best_objective = solver.objective_value
    else:
        # The portfolio found nothing in its share (seen on the reference community with a budget
        # of 10): the loop starts from the first roster, priced by the model's own objective.
        best = list(finder.response_proto.solution)
        best_objective = _objective_of(m.model, best)
    bound = solver.best_objective_bound
    stats.first_objective = best_objective
    stats.phases.append(("find", finder.deterministic_time, finder.wall_time))
    stats.phases.append(("portfolio", solver.deterministic_time, solver.wall_time))
    # 3. The loop.
    loop_start = time.monotonic()
    cells = _Cells.of(m)
    rng = random.Random(options.seed)
    people = sorted(cells.by_person)
    days = sorted(cells.by_day)
    kinds = _kinds(cells, people, days)
    # The terms the loop can repair: those naming someone with a cell (a slot nobody may take
    # stays short whatever is freed).
    located = [p for p in m.penalties if any(q in cells.by_person for q in p.people)]
    if m.variable_count() < SMALL_MODEL:
        final_limit = min(FINAL_MAX, max(1.0, limit * FINAL_SHARE))
    else:
        final_limit = min(FINAL_MAX_LARGE, max(1.0, limit * FINAL_SHARE_LARGE))
    # Sub-solves run in a batch of one per worker, in threads (CP-SAT releases the GIL), all
    # from the same best roster; their results are taken in batch order, so the outcome does not
    # depend on which thread finishes first.
    batch = max(1, min(workers, BATCH))
    with ThreadPoolExecutor(max_workers=batch) as pool:
        while (
            spent() < limit - final_limit
            and best_objective > bound
            and time.monotonic() < wall_deadline - final_limit
            and not stop.interrupted
        ):
            jobs = []
            for _ in range(batch):
                kind = kinds[stats.iterations % len(kinds)]
                stats.iterations += 1
                kind.tries += 1
                if kind.name == "repair":
                    free = _repair(kind, cells, people, days, rng, located, best)
                else:
                    free = _neighbourhood(kind, cells, people, days, rng)
                sub = _fixed_copy(m.model, cells, free, best)
                seed = options.seed + stats.iterations
                remaining = max(0.1, wall_deadline - time.monotonic())
                guard = Guard() if options.repeatable else None
                job = pool.submit(_sub_solve, sub, seed, remaining, stop, guard)
                jobs.append((kind, guard, job))
            results = [(kind, job.result()) for kind, _, job in jobs]
            for (_, guard, _), (_, (_, sub_status)) in zip(jobs, results, strict=True):
                guarded(guard, sub_status)
            # The batch ran side by side: it costs the longest of its sub-solves.
            used += max(r.deterministic_time for _, (r, _) in results) + SUB_OVERHEAD
            moved = False
            for kind, (sub_solver, sub_status) in results:
                if sub_status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                    kind.shrink()
                    continue
                value = sub_solver.objective_value
                if value < best_objective:
                    best = list(sub_solver.response_proto.solution)
                    best_objective = value
                    moved = True
                    stats.improvements += 1
                    kind.wins += 1
                    if options.on_progress is not None:
                        elapsed = time.monotonic() - started
                        options.on_progress(Progress(value, bound, elapsed, stats.improvements))
                elif ACCEPT_EQUAL and value == best_objective and not moved:
                    # An equally good roster: moving to it shows the next neighbourhoods new
                    # ground.
                    best = list(sub_solver.response_proto.solution)
                    moved = True
                elif sub_status == cp_model.OPTIMAL:
                    # Nothing better within this neighbourhood: look wider next time.
                    kind.grow()
                else:
                    # Out of time before proving anything: look narrower next time.
                    kind.shrink()
    if (
        options.repeatable
        and not stop.interrupted
        and spent() < limit - final_limit
        and best_objective > bound
    ):
        # The loop ended at its wall-clock stop, with work units left: another machine, or this
        # one less busy, would have gone on.
        stats.wall_guard = True
    stats.by_kind = {k.name: (k.tries, k.wins) for k in kinds}
    looped = spent() - sum(p[1] for p in stats.phases)
    stats.phases.append(("loop", looped, time.monotonic() - loop_start))
    # 4. The last run: the full model from the best roster, with the bound already proven.
    _set_hint(m.model, best)
    objective = m.model.proto.objective
    m.model.add(
        sum(
            coef * m.model.get_int_var_from_proto_index(var)
            for var, coef in zip(objective.vars, objective.coeffs, strict=True)
        )
        >= round(bound) - round(objective.offset)
    )
    remaining = max(final_limit, limit - spent())
    solver, status = full_run(remaining)
    stats.phases.append(("final", solver.deterministic_time, solver.wall_time))
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        stats.final_objective = solver.objective_value
        stats.bound = max(bound, solver.best_objective_bound)
        return solver, status, stats
    # The last run found nothing in its time: on Curtois & Qu 13 (60,000 Booleans) 1.6 units were
    # not enough even to load the hint. Report the loop's best roster (the model with every cell
    # fixed to it, solved at once) and the loop's bound, never CP-SAT's "optimal" for that copy.
    fixed = _fixed_copy(m.model, cells, set(), best)
    solver = new_solver()
    solver.parameters.num_workers = 1
    # Every cell fixed, so it is solved as soon as it is loaded; the floor is for loading a
    # large model (10 s when repeatable, under the loop's guard; 1 s past the stop otherwise).
    floor = FIXED_FLOOR if options.repeatable else FIXED_FLOOR_WALL
    solver.parameters.max_time_in_seconds = max(floor, wall_deadline - time.monotonic())
    fixing = Guard() if options.repeatable else None
    status = _solve(solver, fixed, None, fixing)
    guarded(fixing, status)
    if status == cp_model.OPTIMAL and solver.objective_value > bound:
        status = cp_model.FEASIBLE
    stats.bound = bound
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        stats.final_objective = solver.objective_value
    return solver, status, stats


def _solve(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    stop: Stop | None,
    guard: Guard | None,
) -> Any:
    """``solver.search.solve_registered``; with a ``guard`` (a repeatable run) the solver's wall
    limit becomes the guard's seconds and CP-SAT gets none of its own: CP-SAT's stops early by the
    longest of its recent gaps between looks at the clock (see ``solver.search.Guard``)."""
    if guard is None:
        return solve_registered(solver, model, stop)
    return guard.run(solver, model, solver.parameters.max_time_in_seconds, stop)


def _kinds(cells: _Cells, people: list[str], days: list[date]) -> list[_Kind]:
    """The kinds of neighbourhood of ``KINDS``, each starting at its usual share of the people or
    days, or at ``START_CELLS`` cells when that share would free more."""
    cap = START_CELLS / max(1, len(cells.index))
    kinds = [
        _Kind("people", min(0.15, cap), 2 / max(2, len(people)), 0.8),
        _Kind("days", min(0.2, cap), 1 / max(1, len(days)), 0.8),
        _Kind("block", min(0.35, cap), 0.1, 0.9),
        _Kind("repair", min(0.2, cap), 0.02, 0.9),
    ]
    return [k for k in kinds if k.name in KINDS]


def _capped(options: SolveOptions, dtime: float, wall_deadline: float) -> SolveOptions:
    """``options`` for one full run of ``dtime`` (units or seconds) whose wall-clock stop is the
    loop's own deadline. When repeatable, not ``solver.search.run``'s multiple of ``dtime``: the
    interleaved portfolio runs far past a short deterministic limit (27.6 units for 9 on Curtois
    & Qu 12, 25 s of wall time against a cap of 50 s), so on a busy machine that multiple could
    cut a run short and the same seed would give another roster. A stop the caller set in
    ``extra`` still wins."""
    if not options.repeatable:
        return with_budget(options, max(0.01, min(dtime, wall_deadline - time.monotonic())))
    wall = max(1.0, wall_deadline - time.monotonic())
    return replace(options, work_units=dtime, extra={"max_time_in_seconds": wall, **options.extra})


def _fixed_copy(
    model: cp_model.CpModel, cells: _Cells, free: set[int], best: list[int]
) -> cp_model.CpModel:
    """A copy of ``model`` with every cell outside ``free`` fixed to ``best``, hinted with it."""
    sub = model.clone()
    variables = sub.proto.variables
    for k, var_index in enumerate(cells.index):
        if k not in free:
            # A Boolean's domain is [0, 1]: both ends become the value.
            domain = variables[var_index].domain
            domain[0] = domain[1] = best[var_index]
    _set_hint(sub, best)
    return sub


def _sub_solve(
    sub: cp_model.CpModel,
    seed: int,
    wall: float,
    stop: Stop | None = None,
    guard: Guard | None = None,
) -> tuple[cp_model.CpSolver, Any]:
    """One short single-worker solve of a neighbourhood (deterministic for its seed), within
    ``wall`` seconds (kept by ``guard`` when given)."""
    solver = new_solver()
    params = solver.parameters
    params.num_workers = 1
    params.random_seed = seed
    params.max_deterministic_time = SUB_DTIME
    params.max_time_in_seconds = wall
    apply_params(params, SUB_PARAMS)
    status = _solve(solver, sub, stop, guard)
    return solver, status


def _limits(
    solver: cp_model.CpSolver,
    options: SolveOptions,
    workers: int,
    dtime: float,
    wall_deadline: float,
) -> None:
    """The parameters of ``solver.search.run`` with these limits (``dtime`` in the mode's unit)."""
    params = solver.parameters
    params.num_workers = workers
    params.random_seed = options.seed
    if options.repeatable:
        params.interleave_search = True
    apply_params(params, options.extra)
    wall = max(0.1, wall_deadline - time.monotonic())
    if options.repeatable:
        params.max_deterministic_time = max(0.1, dtime)
        params.max_time_in_seconds = wall
    else:
        params.max_time_in_seconds = max(0.1, min(dtime, wall))


def _neighbourhood(
    kind: _Kind, cells: _Cells, people: list[str], days: list[date], rng: random.Random
) -> set[int]:
    """The cells a neighbourhood frees."""
    if kind.name == "people":
        n = max(2, round(kind.size * len(people)))
        chosen = rng.sample(people, min(n, len(people)))
        return {k for p in chosen for k in cells.by_person[p]}
    if kind.name == "days":
        width = max(1, round(kind.size * len(days)))
        first = rng.randrange(0, max(1, len(days) - width + 1))
        return {k for d in days[first : first + width] for k in cells.by_day[d]}
    # A block: some people over a stretch of days.
    count, width = _block_shape(kind, people, days)
    chosen_people = set(rng.sample(people, count))
    first = rng.randrange(0, max(1, len(days) - width + 1))
    return _block_cells(cells, chosen_people, set(days[first : first + width]))


def _block_shape(kind: _Kind, people: list[str], days: list[date]) -> tuple[int, int]:
    """How many people and how many days a block has, so that the share freed is ``kind.size``."""
    share = kind.size**0.5
    count = max(2, min(len(people), round(share * len(people))))
    width = max(2, min(len(days), round(share * len(days))))
    return count, width


def _block_cells(cells: _Cells, chosen: set[str], window: set[date]) -> set[int]:
    """The cells of the chosen people on the days of the window."""
    return {k for p in chosen for k in cells.by_person[p] if cells.day_of[k] in window}


def _repair(
    kind: _Kind,
    cells: _Cells,
    people: list[str],
    days: list[date],
    rng: random.Random,
    located: list[Penalty],
    best: list[int],
) -> set[int]:
    """The cells around one term of the objective that costs something in ``best``: a stretch of
    days centred on its day and people chosen first among those it names (the people of a short
    slot, the person of an unmet request), sized so the share freed is about ``kind.size``. A
    term is chosen with probability proportional to its cost, so the neighbourhoods go where the
    penalty is. With no such term, a random block."""
    costs = [p.coef * best[p.var.index] for p in located]
    if not any(c > 0 for c in costs):
        return _neighbourhood(replace(kind, name="block"), cells, people, days, rng)
    term = rng.choices(located, weights=costs)[0]
    count, width = _block_shape(kind, people, days)
    # A term's days may hold no cell (a slot nobody may take): then any stretch will do.
    term_days = [d for d in term.days if d in cells.by_day]
    centre = days.index(rng.choice(term_days)) if term_days else rng.randrange(len(days))
    first = max(0, min(len(days) - width, centre - width // 2))
    named = [p for p in term.people if p in cells.by_person]
    chosen = set(rng.sample(named, min(len(named), max(1, count // 2))))
    others = [p for p in people if p not in chosen]
    chosen.update(rng.sample(others, min(len(others), count - len(chosen))))
    return _block_cells(cells, chosen, set(days[first : first + width]))


def _set_hint(model: cp_model.CpModel, values: list[int]) -> None:
    """Hint every variable of ``model`` with ``values`` (a solution, by variable index)."""
    hint = model.proto.solution_hint
    hint.vars.clear()
    hint.values.clear()
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)


def _objective_of(model: cp_model.CpModel, solution: list[int]) -> float:
    """The value of ``model``'s objective for a full assignment of its variables."""
    objective = model.proto.objective
    total = sum(
        coeff * (solution[var] if var >= 0 else 1 - solution[-var - 1])
        for var, coeff in zip(objective.vars, objective.coeffs, strict=True)
    )
    return float((total + objective.offset) * (objective.scaling_factor or 1))
