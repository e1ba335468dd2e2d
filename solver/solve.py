"""Building the model from the rules, running CP-SAT, and turning its answer into a Schedule."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ortools.sat.python import cp_model

from roster.errors import InfeasibleError
from roster.load import Roster
from roster.report import build_schedule
from roster.schedule import Schedule, SolverInfo
from roster.slots import Period, Slot, expand

from . import lns
from .components import find_parts, solve_in_parts
from .explain import CONFLICT_BUDGET, HINT_BUDGET, conflict_error, staffing_hints
from .limits import WALL_SLACK
from .model import Penalty, RosterModel, apply_params
from .proof import PROOF_BUDGET, not_proven_sentences, proof_fields, prove_shortage
from .rules import RULES

#: Below this many Booleans a model counts as small and gets 8 workers, above it 2. Measured on
#: 2 cores: 8 workers proved small rostering models optimal far sooner than 2, while on large
#: ones 8 threads fight for 2 cores and 2 did better. In the repeatable (interleaved) search a
#: single worker was faster on the tiny clinic example (optimal in 0.2 s against 2.6 s with 8)
#: but far worse on Curtois & Qu instances 6 and 7 (2,230 and 1,377 against 1,954 and 1,081 in 60
#: units), so small models keep 8 (`python -m benchmarks.workers`, benchmarks/results.md).
SMALL_MODEL = 2000

#: The hard wall-clock stop, as a multiple of the time limit (which is deterministic time), plus
#: ``solver.limits.WALL_SLACK`` seconds. It only guards against a machine far slower than
#: CP-SAT's estimate: a stop that comes first makes the roster depend on the load. Five times
#: plus 5 s was too tight on the shared 2-core machine (one unit took 2 to 5.6 wall seconds):
#: `make demo` (10 units) was cut at 55 s there and gave penalty 112 instead of the 105 it gives
#: in 12 s when quiet; the district's parts of 1 unit were cut too (3,127 / 2,762 against
#: 3,119 / 2,762 at 60 units, benchmarks/district.md).
WALL_CAP = 20


@dataclass(frozen=True)
class Progress:
    """A progress report during a solve."""

    objective: float
    bound: float
    elapsed: float
    solutions: int


@dataclass
class SolveOptions:
    """How to run CP-SAT. ``workers=None`` chooses by model size (see SMALL_MODEL)."""

    time_limit: float = 10.0
    workers: int | None = None
    seed: int = 0
    strict: bool = False
    on_progress: Callable[[Progress], None] | None = None
    hint: dict[str, list[str]] | None = None
    generated_at: datetime | None = None
    log: bool = False
    extra: dict[str, object] = field(default_factory=dict)
    #: Improve the first rosters with the large-neighbourhood loop of solver/lns.py.
    lns: bool = False


def choose_workers(model: RosterModel, requested: int | None) -> int:
    """The worker count: the one asked for, or 8 for small models and 2 for large ones."""
    if requested is not None:
        return max(1, requested)
    return 8 if model.variable_count() < SMALL_MODEL else 2


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution to the progress callback."""

    def __init__(self, report: Callable[[Progress], None] | None) -> None:
        super().__init__()
        self._report = report
        self._count = 0

    def on_solution_callback(self) -> None:
        self._count += 1
        if self._report is not None:
            self._report(
                Progress(
                    self.objective_value, self.best_objective_bound, self.wall_time, self._count
                )
            )


def build_model(
    roster: Roster, period: Period, slots: list[Slot], *, strict: bool, explain: bool = False
) -> tuple[RosterModel, list[Penalty]]:
    """The model with every rule added, and the penalties of the soft rules."""
    m = RosterModel(roster, period, slots, strict=strict, explain=explain)
    penalties: list[Penalty] = []
    for rule in RULES:
        penalties.extend(rule(m))
    m.model.minimize(sum(p.coef * p.var for p in penalties))
    m.penalties = penalties
    return m, penalties


def run(m: RosterModel, options: SolveOptions, workers: int) -> tuple[cp_model.CpSolver, Any]:
    """Solve ``m`` with the given options; returns the solver and its status."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = workers
    params.random_seed = options.seed
    # Same input, seed and worker count must give the same roster. Interleaved search makes the
    # portfolio deterministic (its batches are merged in a fixed order, not as threads finish),
    # and the limit is CP-SAT's deterministic time, which counts work rather than seconds, so a
    # busy or slow machine stops at the same point. The wall-clock cap only guards against a
    # machine far slower than the work estimate assumes.
    params.interleave_search = True
    params.max_deterministic_time = options.time_limit
    params.max_time_in_seconds = WALL_CAP * options.time_limit + WALL_SLACK
    params.log_search_progress = options.log
    apply_params(params, options.extra)
    status = solver.solve(m.model, _Watcher(options.on_progress))
    return solver, status


def solve(roster: Roster, period: Period, options: SolveOptions | None = None) -> Schedule:
    """Solve one planning period: build the model, run CP-SAT, and report the roster.

    Raises InfeasibleError, naming the conflicting hard rules, when no roster satisfies them."""
    options = options or SolveOptions()
    # Parts that share nobody (the communities of a district) are solved apart and merged.
    parts = find_parts(roster)
    if len(parts) > 1:
        return solve_in_parts(roster, period, options, solve, parts)
    started = time.monotonic()
    slots = expand(roster.config, period)
    m, _ = build_model(roster, period, slots, strict=options.strict)
    if options.hint:
        m.hint(options.hint)
    workers = choose_workers(m, options.workers)
    bound: float | None = None
    if options.lns:
        solver, status, stats = lns.search(m, options, workers, run)
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
    # Whether the shortage is proven unavoidable or only not filled in time (solver/proof.py).
    budget = min(PROOF_BUDGET, max(1.0, options.time_limit / 2))
    proof = prove_shortage(
        roster, period, slots, schedule, budget=budget, workers=workers, seed=options.seed
    )
    schedule.solver = schedule.solver.model_copy(update=proof_fields(proof))
    if proof is not None and not proof.proven:
        # More people are advised only for a shortage no roster can fill.
        schedule.hints.extend(not_proven_sentences(roster, proof))
        return schedule
    # How many more people of which kind would fill every place (solver/explain.py).
    budget = min(HINT_BUDGET, max(1.0, options.time_limit / 2))
    schedule.hints.extend(
        staffing_hints(roster, period, slots, assignment, budget=budget, seed=options.seed)
    )
    return schedule
