"""One CP-SAT run of a roster's model, and how to run it: the options, the worker count, the
progress reports."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from ortools.sat.python import cp_model

from roster.errors import RosterError
from roster.history import History

from .limits import WALL_SLACK
from .model import RosterModel, apply_params

#: Below this many Booleans a model counts as small and gets 8 workers, above it 2. Measured on
#: 2 cores: 8 workers proved small rostering models optimal far sooner than 2, while on large
#: ones 8 threads fight for 2 cores and 2 did better. In the repeatable (interleaved) search a
#: single worker was faster on the tiny clinic example (optimal in 0.2 s against 2.6 s with 8)
#: but far worse on Curtois & Qu instances 6 and 7 (2,230 and 1,377 against 1,954 and 1,081 in 60
#: units), so small models keep 8 (`python -m benchmarks.workers`, benchmarks/results.md).
SMALL_MODEL = 2000
#: The same threshold for the wall-clock search (CP-SAT's ordinary portfolio, which with 2 workers
#: runs 2 of its subsolvers and none of its LNS ones). On examples/xingwang (3,595 Booleans; load
#: 16 on 2 cores) 8 workers gave 228 / 87 at 30 s where 2 gave 4,149 and 4,163 / 80, and 99 / 90
#: at 60 s where 2 gave 1,153 / 80. Curtois & Qu 8 (3,120) went the other way in one run at 60 s
#: (8: 16,068; 2: 4,579), and 15,600 Booleans (instance 12) stay with 2: community rosters decide.
SMALL_MODEL_WALL = 5000

#: The hard wall-clock stop of a repeatable run, as a multiple of its work units, plus
#: ``solver.limits.WALL_SLACK`` seconds (``Guard``). It only guards against a machine far slower
#: than CP-SAT's estimate: a stop that comes first makes the roster depend on the load. Five times
#: plus 5 s was too tight on the shared 2-core machine (one unit took 2 to 5.6 wall seconds):
#: `make demo` (10 units, before the example's ``fair_nights: 5``) was cut at 55 s there and gave
#: penalty 112 instead of the 105 it gave in 12 s when quiet; the district's parts of 1 unit were
#: cut too (3,127 / 2,762 against 3,119 / 2,762 at 60 units, benchmarks/district.md).
WALL_CAP = 20


@dataclass(frozen=True)
class Progress:
    """A progress report during a solve."""

    objective: float
    bound: float
    elapsed: float
    solutions: int


class Stop:
    """When a solve ends early: at its wall-clock ``deadline`` (``time.monotonic()``; None in the
    repeatable mode, whose limits are work), or at once when ``interrupt()`` is called (Ctrl-C).

    Every CP-SAT run of the solve registers with it while it runs (``running``), so an interrupt
    stops them all, and each returns the best roster it has; loops ask ``interrupted`` before
    starting another run. Safe to call from a signal handler's thread."""

    def __init__(self, deadline: float | None = None) -> None:
        self.deadline = deadline
        self.interrupted = False
        self._lock = threading.Lock()
        self._running: set[cp_model.CpSolver] = set()

    def left(self) -> float:
        """Seconds until the deadline (infinite without one; 0 once interrupted)."""
        if self.interrupted:
            return 0.0
        if self.deadline is None:
            return math.inf
        return max(0.0, self.deadline - time.monotonic())

    def interrupt(self) -> None:
        """Stop every run now and start no new one (each keeps the best roster it found).
        Calling it again stops runs that started meanwhile."""
        with self._lock:
            self.interrupted = True
            running = list(self._running)
        for solver in running:
            solver.stop_search()

    @contextmanager
    def running(self, solver: cp_model.CpSolver) -> Iterator[None]:
        """Register ``solver`` for the time of its run."""
        with self._lock:
            self._running.add(solver)
        try:
            yield
        finally:
            with self._lock:
                self._running.discard(solver)


@dataclass
class SolveOptions:
    """How to solve. ``workers=None`` chooses by model size (see SMALL_MODEL).

    By default ``time_limit`` is wall-clock seconds for the whole solve (building the model,
    searching, explaining a shortage) and CP-SAT runs its ordinary parallel portfolio. With
    ``repeatable`` it runs the interleaved search instead, limited by ``work_units`` of its
    deterministic time (work counted, not seconds): the same input, seed and workers give the
    same roster on any machine, however loaded.

    ``hint`` starts the search from a roster; the model can also fix cells
    (``RosterModel.fix``), the ground for keeping a frozen past or repairing a published roster.
    """

    time_limit: float = 10.0
    workers: int | None = None
    seed: int = 0
    strict: bool = False
    on_progress: Callable[[Progress], None] | None = None
    hint: dict[str, list[str]] | None = None
    generated_at: datetime | None = None
    log: bool = False
    #: CP-SAT parameters by name, set last (experts: ``--param``).
    extra: dict[str, object] = field(default_factory=dict)
    #: Improve the first rosters with the large-neighbourhood loop of solver/lns.py.
    lns: bool = False
    #: The interleaved, deterministic search, limited by ``work_units`` (not ``time_limit``).
    repeatable: bool = False
    #: CP-SAT's deterministic time of a repeatable solve (about a second of work each).
    work_units: float = 10.0
    #: The deadline and the interrupt of the solve (``solve()`` makes one when none is given).
    stop: Stop | None = None
    #: The duties published before the period (``roster.history.History.from_schedules``, built
    #: for this period): rest, runs of days, window caps and fairness continue across the border.
    history: History | None = None
    #: Wall-clock mode: seconds a search may go on past its limit while it has found no roster
    #: yet (never past ``stop``'s deadline); it stops at its first roster then. The parts of a
    #: district use it so that a slow model build on a loaded machine does not leave a part
    #: without a roster (solver/components.py).
    grace: float = 0.0
    #: Wall-clock mode: before the search, extend the hinted roster to every variable of the
    #: model (``complete_hint``), so that CP-SAT starts from it. A hint of the cells alone was
    #: lost in the parts' short searches of two workers with presolve off (a community hinted
    #: with a roster of 113 found 157 first, then 151 in 1.5 s).
    complete_hint: bool = False


def new_solver() -> cp_model.CpSolver:
    """A CP-SAT solver that leaves Ctrl-C to the program: CP-SAT's own SIGINT handler aborts the
    process (``std::bad_function_call``) when the signal comes while it searches from Python,
    and the command line stops a solve through ``Stop`` instead."""
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False
    return solver


def budget(options: SolveOptions) -> float:
    """The solve's limit in its mode's unit: work units when repeatable, else seconds."""
    return options.work_units if options.repeatable else options.time_limit


def with_budget(options: SolveOptions, amount: float) -> SolveOptions:
    """``options`` with the limit of its mode set to ``amount`` (units or seconds)."""
    if options.repeatable:
        return replace(options, work_units=amount)
    return replace(options, time_limit=amount)


def mode(options: SolveOptions) -> str:
    """ "repeatable" or "wall", as schedule.json's solver block says."""
    return "repeatable" if options.repeatable else "wall"


def check_params(extra: dict[str, object]) -> None:
    """Raise RosterError naming the first of ``extra`` that is not a CP-SAT parameter or has a
    value of the wrong kind (``--param``)."""
    params = new_solver().parameters
    for key, value in extra.items():
        if key.startswith("_") or not hasattr(params, key):
            raise RosterError(
                f"--param {key}={value}: CP-SAT has no parameter {key!r}; see "
                "sat_parameters.proto in OR-Tools for their names"
            )
        try:
            apply_params(params, {key: value})
        except (AttributeError, TypeError, ValueError):
            current = getattr(params, key)
            kinds = {bool: "true or false", int: "a whole number", float: "a number", str: "a name"}
            kind = kinds.get(type(current), "a [list] of values")
            raise RosterError(f"--param {key}={value}: {key} takes {kind}") from None


def choose_workers(model: RosterModel, requested: int | None, repeatable: bool = True) -> int:
    """The worker count: the one asked for, or 8 for small models and 2 for large ones (below
    ``SMALL_MODEL`` Booleans when repeatable, ``SMALL_MODEL_WALL`` otherwise)."""
    if requested is not None:
        return max(1, requested)
    small = SMALL_MODEL if repeatable else SMALL_MODEL_WALL
    return 8 if model.variable_count() < small else 2


@dataclass(frozen=True)
class Reserve:
    """Seconds a wall-clock run keeps at the end of its limit for work that follows it only when
    its roster leaves something to explain: the run stops ``seconds`` before its limit if its
    best roster by then has a positive value of ``terms`` (``(variable, coefficient)`` pairs:
    the penalties of places left empty, whose proof and staffing hint take that time), and
    otherwise searches to its limit."""

    seconds: float
    terms: tuple[tuple[cp_model.IntVar, int], ...]


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution to the progress callback; with ``stop_after`` (seconds),
    stops the search at the first solution found past that time (a run's grace). With
    ``terms`` it notes whether the latest solution has a positive value of them (``wanting``)."""

    def __init__(
        self,
        report: Callable[[Progress], None] | None,
        stop_after: float | None = None,
        terms: tuple[tuple[cp_model.IntVar, int], ...] = (),
    ) -> None:
        super().__init__()
        self._report = report
        self._count = 0
        self._stop_after = stop_after
        self._terms = terms
        self.wanting = False

    @property
    def found(self) -> bool:
        """Whether the search has found a solution."""
        return self._count > 0

    def on_solution_callback(self) -> None:
        self._count += 1
        if self._terms:
            self.wanting = any(coef * self.value(var) > 0 for var, coef in self._terms)
        if self._stop_after is not None and self.wall_time >= self._stop_after:
            self.stop_search()
        if self._report is not None:
            self._report(
                Progress(
                    self.objective_value, self.best_objective_bound, self.wall_time, self._count
                )
            )


def set_limits(params: Any, options: SolveOptions, amount: float) -> None:
    """The search and limits of one run of ``amount`` (the mode's unit). Repeatable: interleaved
    search (its batches merged in a fixed order, not as threads finish) within ``amount`` of
    deterministic time, which counts work rather than seconds, so a busy or slow machine stops
    at the same point; no wall-clock limit of CP-SAT's own (the run's ``Guard`` stops a machine
    far slower than the work estimate assumes). Otherwise CP-SAT's ordinary portfolio for
    ``amount`` seconds, and never past the solve's deadline."""
    if options.repeatable:
        params.interleave_search = True
        params.max_deterministic_time = amount
        return
    left = options.stop.left() if options.stop is not None else math.inf
    params.max_time_in_seconds = max(0.01, min(amount, left))


def wall_guard(amount: float) -> float:
    """The wall-clock guard of a repeatable run of ``amount`` work units, in seconds."""
    return WALL_CAP * amount + WALL_SLACK


#: Seconds between two calls of ``stop_search`` while a fired guard waits for its run to end:
#: CP-SAT hears the call only once its search has started.
GUARD_POLL = 0.1


class Guard:
    """The wall-clock guard of one repeatable CP-SAT run, kept outside CP-SAT so that it stops
    the run exactly when its seconds are up and says so (``fired``).

    CP-SAT's own ``max_time_in_seconds`` is conservative: it stops when the time spent plus the
    longest of its recent gaps between checks of the clock reaches the limit. An interleaved
    search checks between batches, which on a loaded machine are up to a minute apart, so a run
    could stop well before the limit, its roster cut short with nothing said (``make demo`` once
    gave 368 instead of 312 in 175 s under a guard of 230 s). With the limit here, a run that was
    not stopped by it did all its work, wherever it ran."""

    def __init__(self) -> None:
        self.fired = False
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._solver: cp_model.CpSolver | None = None

    def fire(self) -> None:
        """Stop the run now, as its seconds being up would (and note it); nothing once the run
        has ended."""
        with self._lock:
            if self._done.is_set() or self._solver is None:
                return
            self.fired = True
            solver = self._solver
        solver.stop_search()

    def run(
        self,
        solver: cp_model.CpSolver,
        model: cp_model.CpModel,
        seconds: float,
        stop: Stop | None = None,
        callback: cp_model.CpSolverSolutionCallback | None = None,
    ) -> Any:
        """Solve ``model`` with ``solver`` (stoppable through ``stop``, as ``solve_registered``),
        CP-SAT given no wall-clock limit of its own and this guard stopping it at ``seconds``."""
        solver.parameters.max_time_in_seconds = math.inf
        with self.watching(solver, seconds):
            return solve_registered(solver, model, stop, callback)

    def cut(self, status: Any) -> bool:
        """Whether this guard ended its run before the run had proven its answer (a roster
        optimal, or none possible): its answer then depends on the machine's speed and load. A
        run ended by its work, or stopped by Ctrl-C, was not cut."""
        return self.fired and status not in (
            cp_model.OPTIMAL,
            cp_model.INFEASIBLE,
            cp_model.MODEL_INVALID,
        )

    @contextmanager
    def watching(self, solver: cp_model.CpSolver, seconds: float) -> Iterator[None]:
        """Guard ``solver``'s run (the body of the ``with``) with ``seconds`` of wall-clock time."""
        with self._lock:
            self._solver = solver
            self._done.clear()
        end = time.monotonic() + seconds
        watcher = threading.Thread(target=self._watch, args=(end,), name="guard", daemon=True)
        watcher.start()
        try:
            yield
        finally:
            with self._lock:
                self._done.set()
            watcher.join()

    def _watch(self, end: float) -> None:
        while not self._done.wait(GUARD_POLL):
            if not self.fired and time.monotonic() >= end:
                self.fire()
            if self.fired and self._solver is not None:
                self._solver.stop_search()


def guard_seconds(options: SolveOptions, amount: float) -> float:
    """The seconds of a repeatable run's ``Guard``: ``wall_guard(amount)``, or the caller's
    ``max_time_in_seconds`` (``--param``), which takes the place of the engine's guard."""
    given = options.extra.get("max_time_in_seconds")
    if isinstance(given, int | float):
        return float(given)
    return wall_guard(amount)


def solve_registered(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    stop: Stop | None,
    callback: cp_model.CpSolverSolutionCallback | None = None,
) -> Any:
    """``solver.solve(model)``, stoppable through ``stop``; UNKNOWN at once when interrupted."""
    if stop is None:
        return solver.solve(model, callback)
    with stop.running(solver):
        if stop.interrupted:
            return cp_model.UNKNOWN
        return solver.solve(model, callback)


#: Seconds at most for completing a hint (``complete_hint``): with every cell fixed the solve is
#: mostly propagation.
HINT_COMPLETION = 2.0


def complete_hint(model: cp_model.CpModel, stop: Stop | None = None) -> bool:
    """Extend ``model``'s hint to every variable: solve a copy with the hinted variables fixed
    to their hinted values and hint the solution found (the penalties, days worked and other
    helper variables of that roster at their least). Returns whether it did; when the hinted
    values are not a roster (or the time ran out) the hint stays as it was."""
    hint = model.proto.solution_hint
    pairs = list(zip(hint.vars, hint.values, strict=True))
    if not pairs:
        return False
    fixed = model.clone()
    fixed.clear_hints()  # type: ignore[no-untyped-call]  # ortools ships no annotation
    for index, value in pairs:
        fixed.add(fixed.get_int_var_from_proto_index(index) == value)
    solver = new_solver()
    solver.parameters.num_workers = 1
    left = stop.left() if stop is not None else math.inf
    solver.parameters.max_time_in_seconds = max(0.01, min(HINT_COMPLETION, left))
    status = solve_registered(solver, fixed, stop)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    model.clear_hints()  # type: ignore[no-untyped-call]  # ortools ships no annotation
    for index, value in enumerate(solver.response_proto.solution):
        model.add_hint(model.get_int_var_from_proto_index(index), value)
    return True


def run(
    m: RosterModel,
    options: SolveOptions,
    workers: int,
    reserve: Reserve | None = None,
    guard: Guard | None = None,
) -> tuple[cp_model.CpSolver, Any]:
    """Solve ``m`` with the given options; returns the solver and its status. In the wall-clock
    mode a ``reserve`` stops the run early when its roster leaves places empty (``Reserve``). A
    repeatable run is watched by ``guard`` (a new one when None; ``guard_seconds``), which says
    whether it stopped the run."""
    if options.complete_hint and not options.repeatable:
        complete_hint(m.model, options.stop)
    solver = new_solver()
    params = solver.parameters
    params.num_workers = workers
    params.random_seed = options.seed
    set_limits(params, options, budget(options))
    params.log_search_progress = options.log
    apply_params(params, options.extra)
    if options.repeatable:
        # The guard is the engine's, not CP-SAT's (see ``Guard``), even when given by --param.
        guard = guard or Guard()
        seconds = guard_seconds(options, budget(options))
        status = guard.run(solver, m.model, seconds, options.stop, _Watcher(options.on_progress))
        return solver, status
    limit = params.max_time_in_seconds
    timers: list[threading.Timer] = []
    stop_after = None
    if options.grace > 0:
        # The grace: CP-SAT's limit moves out by it, and the search is stopped at the time of its
        # own limit when it has a solution by then, else at its first one.
        left = options.stop.left() if options.stop is not None else math.inf
        params.max_time_in_seconds = max(0.01, min(limit + options.grace, left))
        stop_after = limit
    terms = reserve.terms if reserve is not None and reserve.seconds > 0 else ()
    watcher = _Watcher(options.on_progress, stop_after=stop_after, terms=terms)
    if options.grace > 0:

        def at_limit() -> None:
            if watcher.found:
                solver.stop_search()

        timers.append(threading.Timer(limit, at_limit))
    if reserve is not None and terms:

        def at_reserve() -> None:
            if watcher.found and watcher.wanting:
                solver.stop_search()

        timers.append(threading.Timer(max(0.0, limit - reserve.seconds), at_reserve))
    for timer in timers:
        timer.daemon = True
        timer.start()
    try:
        status = solve_registered(solver, m.model, options.stop, watcher)
    finally:
        for timer in timers:
            timer.cancel()
    return solver, status
