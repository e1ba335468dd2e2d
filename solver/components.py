"""Independent parts of a roster: groups of people and posts that share nobody, solved apart.

A district of communities is many rosters in one folder: nobody of one community may take another's
posts. Every rule of the model couples slots only through a person (overlap, rest, hours, sequences,
requests) or people only through a slot (headcount, quotas), so the connected components of the
graph "person — post they may take" can be solved as separate models and their rosters merged:
the merged roster is exactly what solving each part alone gives, and the objective is the sum.

A rule that ties people of different posts together some other way (a fairness pool spanning the
whole roster, say) must add its ties in ``find_parts`` (see ``_rule_ties``); ``solve_in_parts``
also re-checks the merged roster and never calls it optimal when the whole costs more than the sum
of its parts.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from typing import Protocol

from roster.eligibility import takers
from roster.errors import InfeasibleError, SolveInterrupted
from roster.i18n import _
from roster.load import Roster
from roster.report import assignment_of, build_schedule
from roster.schedule import Schedule, SolverInfo
from roster.slots import Period, Slot, expand

# Who may take a post lives with the model, which needs it first; named here too, where the
# district's tools and tests have always found it.
from .model import candidates as candidates
from .model import count_pairs as count_pairs
from .proof import merged_fields
from .search import Progress, SolveOptions, Stop, budget, with_budget

#: Parts solved side by side (threads), each with one CP-SAT worker unless workers are asked for.
#: On the district (60 units, 2 shared cores, the portfolio of ``PART_PARAMS``) two side by side
#: with a worker each gave 3,119 / 2,762 in 143 s (CPU 114 s), one at a time with the full
#: portfolio 4,305 / 2,740 in 251 s (benchmarks/district.md).
PARALLEL = 2
#: CP-SAT parameters of every part's search unless the caller sets them: the portfolio cut to its
#: LP-guided worker (``max_lp_sym``) and its LNS workers. With one worker the full portfolio walks
#: through every full-problem subsolver in turn, and a part of 1 or 2 units spends them before any
#: LNS runs: at 2 units, 1 worker, communities c02 and c11 of the district gave 102 / 84 and
#: 143 / 90 trimmed against 113 / 77 and 283 / 87 with 2 workers and the full portfolio. (On one
#: community alone, examples/xingwang, 10 units and 2 workers, the full portfolio's bound was
#: better: 106 / 82 against 94 / 72; this is for parts of a larger solve.)
PART_PARAMS: dict[str, object] = {
    "ignore_subsolvers": [
        "default_lp",
        "no_lp",
        "max_lp",
        "pseudo_costs",
        "reduced_costs",
        "quick_restart",
        "quick_restart_no_lp",
        "core",
    ]
}
#: The least work units a part gets in a pass of the repeatable mode (less is not worth a model
#: build).
MIN_PART_TIME = 1.0
#: Share of the work units for the repeatable mode's first pass, which gives every part its first
#: roster.
FIRST_PASS = 0.5
#: The work units a part gets for a second try when its share found no roster at all.
RETRY_TIME = 10.0
#: The wall-clock mode's CP-SAT workers of a part when none are asked for, and its parameters.
#: One worker runs CP-SAT's LP-guided search alone, which on a community of the district found
#: no roster in 5 s; two add the feasibility jump, which finds one as soon as the search starts,
#: and LNS. Presolve off: on a community of 43 people (2 workers, machine loaded by other runs)
#: presolve took 1.9 s of a 5 s run, and the runs without it gave 95 / 55 at 2 s and 65 / 56 at
#: 5 s against 193 / 25 and 122 / 55 with it (c11: 105 / 88 against 146 / 84 at 5 s).
WALL_PART_WORKERS = 2
WALL_PART_PARAMS: dict[str, object] = {"cp_model_presolve": False}
#: Wall-clock mode: share of the lanes' seconds left that the parts' first searches share, each
#: when it starts, with the parts still to start and the searches running (``WallPlan``). One
#: long search of a part beats a short one and restarts from its roster: the bound comes from
#: CP-SAT's LP, which each search builds again. On the district at 60 s, side by side with 0.6
#: fixed at the start in the parts' order, 0.8 with the shares taken when each search starts,
#: smallest parts first, had the better penalty and bound on 9 of 9 seeds in three runs (load 9
#: to 15: 8,908 / 6,882 against 9,142 / 6,548; load 6 to 8: 8,342 / 7,190 against 8,421 /
#: 7,118); 1.0 gave 8,999 / 6,830 (benchmarks/district.md).
FIRST_SHARE = 0.8
#: Wall-clock mode: the least seconds of a first search, and of a search that improves a roster
#: (a search restarts from the part's roster and builds its model again).
MIN_FIRST = 0.5
MIN_SLICE = 3.0
#: Seconds a part without a roster at the deadline gets past it, until its first roster.
RESCUE_TIME = 10.0
#: The grace of a search with every place hard, as a multiple of its limit (``search_part``).
STAFFED_GRACE = 3.0
#: In the wall-clock mode, the share of the limit kept at the end for merging the parts' rosters
#: into one schedule (checked and priced over the whole roster), and at least this many seconds.
MERGE_SHARE = 0.03
MERGE_MIN = 0.5
#: Search each part first among the rosters that fill every place (see ``_solve_staffed``).
#: Measured on the district (1 unit a part, 1 worker, CP-SAT's portfolio trimmed to its LP and
#: LNS workers): 15 of 29 communities had people missing with shortages soft, none with them hard,
#: and the hard search's fairness was as good or better (c29: 3,099 / 82 against 91 / 84).
STAFFED_FIRST = True
#: The terms that count people missing.
STAFFING_TERMS = ("shortage", "quota")

SolveOne = Callable[[Roster, Period, SolveOptions], Schedule]


class PartRunner(Protocol):
    """Where the parts' searches run when not in threads of this process (a cluster's workers,
    solver/cluster.py): ``solve`` runs ``solve_one`` (a top-level function, sent by name) on a
    part's roster and returns its Schedule; ``lanes`` parts run at once."""

    @property
    def lanes(self) -> int: ...

    def solve(
        self, solve_one: SolveOne, roster: Roster, period: Period, options: SolveOptions
    ) -> Schedule: ...


# --- parts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """People and posts that may be solved as a model of their own, in the roster's order."""

    people: tuple[str, ...]
    posts: tuple[str, ...]


class _Union:
    """Union-find over hashable keys."""

    def __init__(self) -> None:
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(self, key: tuple[str, str]) -> tuple[str, str]:
        self.parent.setdefault(key, key)
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def join(self, a: tuple[str, str], b: tuple[str, str]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _rule_ties(roster: Roster) -> Iterable[tuple[tuple[str, str], tuple[str, str]]]:
    """Ties between people and posts that the rules make besides "may take": a pin or a request
    naming a post keeps the person with that post, so the part's roster still knows the post."""
    for pin in roster.config.pins:
        yield ("person", pin.person), ("post", pin.slot.partition("/")[0])
    for request in roster.config.requests:
        if request.post is not None:
            yield ("person", request.person), ("post", request.post)


def find_parts(roster: Roster) -> list[Part]:
    """The connected components of "person — post they may take", in the order of their first
    post. People who may take no post, and posts nobody may take, join the first part: they add no
    variables, and their hard rules (a minimum of hours) still have to be met somewhere."""
    union = _Union()
    able = takers(roster)
    for post in roster.config.posts:
        union.find(("post", post.id))
        for person in able[post.id]:
            union.join(("post", post.id), ("person", person.id))
    for a, b in _rule_ties(roster):
        union.join(a, b)
    groups: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for post in roster.config.posts:
        groups.setdefault(union.find(("post", post.id)), ([], []))[1].append(post.id)
    for person in roster.people:
        groups.setdefault(union.find(("person", person.id)), ([], []))[0].append(person.id)
    real = [g for g in groups.values() if g[0] and g[1]]
    loose = [g for g in groups.values() if not (g[0] and g[1])]
    if not real:
        return [Part(tuple(p.id for p in roster.people), tuple(p.id for p in roster.config.posts))]
    for people, posts in loose:
        real[0][0].extend(people)
        real[0][1].extend(posts)
    order = {p.id: i for i, p in enumerate(roster.people)}
    post_order = {p.id: i for i, p in enumerate(roster.config.posts)}
    parts = [
        Part(
            tuple(sorted(people, key=order.__getitem__)),
            tuple(sorted(posts, key=post_order.__getitem__)),
        )
        for people, posts in real
    ]
    return sorted(parts, key=lambda part: post_order[part.posts[0]])


def sub_roster(roster: Roster, part: Part) -> Roster:
    """The roster of one part: its people and posts, and the leave, requests and pins of its
    people. Rules, tags, weights and successions are the whole roster's."""
    people = set(part.people)
    posts = set(part.posts)
    config = roster.config.model_copy(
        update={
            "posts": [p for p in roster.config.posts if p.id in posts],
            "people": [p for p in roster.config.people if p.id in people],
            "leave": [x for x in roster.config.leave if x.person in people],
            "requests": [x for x in roster.config.requests if x.person in people],
            "pins": [x for x in roster.config.pins if x.person in people],
        }
    )
    return Roster(
        folder=roster.folder,
        config=config,
        people=[p for p in roster.people if p.id in people],
        leave={k: v for k, v in roster.leave.items() if k in people},
    )


# --- solving -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartProgress:
    """Progress of a solve in parts: the sums over parts of the best objective and bound so far.

    ``objective`` counts only parts with a roster; ``complete`` says whether every part has one
    (only then is ``objective`` the objective of a full roster). Has the fields of ``Progress``."""

    objective: float
    bound: float
    elapsed: float
    solutions: int
    part: int
    parts: int
    parts_done: int
    parts_found: int
    complete: bool


@dataclass
class _Tally:
    """Best objective and bound of each part, for the progress of the whole (thread-safe)."""

    parts: int
    started: float
    report: Callable[[PartProgress], None] | None
    objective: dict[int, float] = field(default_factory=dict)
    bound: dict[int, float] = field(default_factory=dict)
    done: set[int] = field(default_factory=set)
    solutions: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def update(
        self, index: int, objective: float | None, bound: float | None, done: bool = False
    ) -> None:
        with self.lock:
            if objective is not None:
                # A second search of a part starts above the part's best roster: keep the best.
                self.objective[index] = min(objective, self.objective.get(index, objective))
                self.solutions += 1
            if bound is not None:
                self.bound[index] = max(bound, self.bound.get(index, bound))
            if done:
                self.done.add(index)
            if self.report is not None:
                self.report(
                    PartProgress(
                        objective=sum(self.objective.values()),
                        bound=sum(self.bound.values()),
                        elapsed=time.monotonic() - self.started,
                        solutions=self.solutions,
                        part=index + 1,
                        parts=self.parts,
                        parts_done=len(self.done),
                        parts_found=len(self.objective),
                        complete=len(self.objective) == self.parts,
                    )
                )


def solve_in_parts(
    roster: Roster,
    period: Period,
    options: SolveOptions,
    solve_one: SolveOne,
    parts: list[Part],
    *,
    parallel: int | None = None,
    executor: Executor | None = None,
) -> Schedule:
    """Solve each part with ``solve_one`` and merge the rosters into one schedule of the whole.

    Each search of a part is ``search_part``: first among the rosters that fill every place
    (``STAFFED_FIRST``), then with places soft; from the part's best roster so far as hint, keeping
    the better roster and the better bound (``_better``). ``parallel`` (default ``PARALLEL``)
    searches run side by side, in threads when no ``executor`` is given (CP-SAT releases the
    interpreter while it searches). A caller's ``executor`` (a cluster's) gets each search as a
    call of ``search_part`` whose arguments can cross to another process: options without
    ``stop`` and without the progress callback. The rosters are merged in the parts' order.

    How the limit is shared depends on the mode:

    - Repeatable (work units): two passes fixed in advance (``first_pass``, ``second_pass``):
      every part an equal share of ``FIRST_PASS`` of the units, then the rest to the parts not
      proven optimal in proportion to their gap. The shares depend only on the parts and on what
      the first pass found, never on the clock, so the roster is the same however the parts run.
    - Wall clock (seconds): ``WallPlan`` chooses the next search each time a lane is free: every
      part's first search, smallest part first (``FIRST_SHARE`` of the lanes' seconds left,
      shared with the parts still to start), again and twice as long for a part that found no
      roster, then the part with the largest gap for its share of the seconds left, until the
      deadline. A part still without a roster at the deadline is searched past it until its
      first roster (``RESCUE_TIME`` at most): a roster of the whole district beats none.

    The merged solver info: OPTIMAL only when every part is, objective and bound summed, the
    wall time of the whole, the most workers a part used. When ``options.stop`` is interrupted,
    running parts keep their best roster, parts without one have their places left empty (the
    status is UNKNOWN) and the schedule is marked interrupted. Raises InfeasibleError when a
    part has no roster, naming the part; SolveInterrupted when interrupted before any part had
    one."""
    started = time.monotonic()
    stop = options.stop or Stop()
    options = replace(options, stop=stop)
    lanes = max(1, PARALLEL if parallel is None else parallel)
    pool = executor or ThreadPoolExecutor(max_workers=lanes)
    solving = _Solving(roster, period, options, solve_one, parts, lanes, pool, executor is None)
    try:
        if options.repeatable:
            solving.repeatable_passes()
        else:
            reserve = max(MERGE_MIN, MERGE_SHARE * options.time_limit)
            solving.wall_plan(started + options.time_limit - reserve)
    finally:
        if executor is None:
            pool.shutdown(wait=True)
    best = solving.best
    if not best and stop.interrupted:
        raise SolveInterrupted()
    missing = [i for i in range(len(parts)) if i not in best]
    if missing and not stop.interrupted:
        if options.repeatable:
            sentence = _(
                "no roster found within {units:g} work units for {missing} of {parts} parts "
                "(the first: {first}); give more (--work-units)"
            )
        else:
            sentence = _(
                "no roster found within {units:g} s for {missing} of {parts} parts "
                "(the first: {first}); give more time (--time-limit)"
            )
        first = _part_name(parts, missing[0])
        raise InfeasibleError(
            sentence.format(
                units=options.work_units if options.repeatable else options.time_limit,
                missing=len(missing),
                parts=len(parts),
                first=first,
            ),
            [],
        )
    found = [best.get(i) for i in range(len(parts))]
    return merge(roster, period, found, options, started)


def part_options(options: SolveOptions, limit: float, best: Schedule | None = None) -> SolveOptions:
    """The options of one search of a part: ``limit`` in the mode's unit, the workers of a part
    (``options.workers`` when asked for; in the repeatable mode 1, however many parts run side
    by side, so that a cluster of any size gives the roster of this process; in the wall-clock
    mode ``WALL_PART_WORKERS``), the parts' CP-SAT parameters of the mode (``PART_PARAMS``,
    ``WALL_PART_PARAMS``) under the caller's, and ``best``'s roster as hint (the caller's hint
    when None)."""
    if options.workers is not None:
        workers: int | None = options.workers
    elif options.repeatable:
        workers = 1
    else:
        workers = WALL_PART_WORKERS
    params = PART_PARAMS if options.repeatable else WALL_PART_PARAMS
    return replace(
        with_budget(options, limit),
        workers=workers,
        hint=options.hint if best is None else assignment_of(best),
        # The wall-clock guard of a repeatable search is the engine's own
        # (``solver.search.WALL_CAP``), for this part's limit and for a retry's longer one alike.
        extra={**params, **options.extra},
    )


def search_part(
    solve_one: SolveOne,
    roster: Roster,
    period: Period,
    options: SolveOptions,
    floor: int,
    best: Schedule | None = None,
    retry: float | None = None,
) -> Schedule | None:
    """One search of one part (its ``sub_roster``), the unit of work a lane runs: first among
    the rosters that fill every place when ``floor`` (the least a missing person costs) is above
    0 and ``best`` (the part's roster so far; None for a first search) fills every place; when
    none is found there, with places soft. Returns the roster found, or None when none was found
    within ``options``' limit or the search was interrupted before one. ``options.grace`` lets
    the soft search go on until its first roster; the hard one gets at most ``STAFFED_GRACE``
    times its own limit more.
    With ``retry`` (in the mode's unit), a soft search that found nothing is made once more with
    that limit, and its failure raised.

    Raises InfeasibleError naming the conflicting hard rules when the part has no roster at all.
    A function of picklable arguments (``solve_one`` a module-level function, ``options``
    without ``stop`` and ``on_progress``), so an executor can run it in another process."""
    try:
        if STAFFED_FIRST and floor > 0 and (best is None or _staffed(best)):
            # A part that cannot be staffed must not spend a first search's whole grace here.
            hard = replace(options, grace=min(options.grace, STAFFED_GRACE * budget(options)))
            found = _solve_staffed(solve_one, roster, period, hard, floor)
            if found is not None:
                return found
        try:
            return solve_one(roster, period, options)
        except InfeasibleError as exc:
            if exc.conflicts:
                raise
            stop = options.stop
            late = not options.repeatable and stop is not None and stop.left() <= 0
            if retry is None or late:
                return None
        return solve_one(roster, period, with_budget(options, retry))
    except SolveInterrupted:
        return None


class _Solving:
    """The state of one solve in parts: the parts' rosters, their best rosters so far, the
    progress tally; and the two ways of sharing the limit (see ``solve_in_parts``)."""

    def __init__(
        self,
        roster: Roster,
        period: Period,
        options: SolveOptions,
        solve_one: SolveOne,
        parts: list[Part],
        lanes: int,
        pool: Executor,
        local: bool,
    ) -> None:
        self.period = period
        self.options = options
        self.solve_one = solve_one
        self.parts = parts
        self.lanes = lanes
        self.pool = pool
        # Searches in threads of this process report progress and obey the stop; a caller's
        # executor may run them in another process, which neither can reach.
        self.local = local
        self.subs = [sub_roster(roster, part) for part in parts]
        self.best: dict[int, Schedule] = {}
        self.tally = _Tally(len(parts), time.monotonic(), options.on_progress)  # type: ignore[arg-type]
        # A roster with a person missing costs at least this (shortages and quotas share the
        # weight); 0 when every place is hard already.
        self.floor = roster.config.weights.shortage if not options.strict else 0

    def submit(
        self,
        index: int,
        limit: float,
        first: bool,
        retry: float | None = None,
        rescue: bool = False,
    ) -> Future[Schedule | None]:
        """Start one search of part ``index`` (``search_part``): a first one from the caller's
        hint, else from the part's best roster; a rescue with places soft, taking the first
        roster CP-SAT finds."""
        best = None if first else self.best.get(index)
        options = part_options(self.options, limit, best)

        def relay(p: Progress) -> None:
            self.tally.update(index, p.objective, p.bound)

        options = replace(
            options,
            on_progress=relay if self.local else None,
            stop=self.options.stop if self.local else None,
        )
        if not self.options.repeatable:
            # A search goes on past its share until its first roster (within the solve's
            # deadline): on a loaded machine building the model can take the whole share. A
            # first search may take till the deadline; one from a roster finds that at once,
            # the roster completed to a hint of every variable.
            options.grace = self.options.time_limit if first else limit
            options.complete_hint = not first
        floor = self.floor
        if rescue:
            floor = 0
            options.extra = {**options.extra, "stop_after_first_solution": True}
        call = (self.solve_one, self.subs[index], self.period, options, floor, best, retry)
        return self.pool.submit(search_part, *call)

    def record(self, index: int, future: Future[Schedule | None], first: bool) -> None:
        """Keep the better of the part's rosters. A search that raised: a first search's error
        is raised naming the part; a later one found nothing better."""
        try:
            found = future.result()
        except InfeasibleError as exc:
            if not first:
                return
            raise InfeasibleError(
                f"{_part_name(self.parts, index)}: {exc}", exc.conflicts
            ) from None
        if found is None:
            return
        self.best[index] = _better(self.best.get(index), found)
        info = self.best[index].solver
        self.tally.update(index, info.objective, info.bound, done=first)

    def repeatable_passes(self) -> None:
        """The repeatable mode's two passes of work units."""
        units = self.options.work_units
        first = first_pass(len(self.parts), units)
        self._run_pass(first, True)
        gaps = {i: _gap(self.best[i]) for i in self.best}
        self._run_pass(second_pass(gaps, units - sum(first.values())), False)

    def _run_pass(self, limits: dict[int, float], first: bool) -> None:
        # Longest first, so the parts still running at the end of a pass are short ones.
        order = sorted(limits, key=lambda i: (-limits[i], i))
        futures: dict[int, Future[Schedule | None]] = {}
        for index in order:
            if first or index in self.best:
                # A part whose share found no roster at all is tried once more with more work:
                # a roster with shortages is always better than none.
                retry = max(RETRY_TIME, 4 * limits[index]) if first else None
                futures[index] = self.submit(index, limits[index], first, retry)
        for index, future in futures.items():
            self.record(index, future, first)

    def wall_plan(self, end: float) -> None:
        """The wall-clock mode: ``WallPlan`` chooses each search as a lane frees up, until
        ``end`` (``time.monotonic()``); then each part still without a roster is searched past
        it, until its first roster."""
        stop = self.options.stop
        assert stop is not None
        # Smallest parts first: they are proven or settle soonest, and their time left over
        # goes to the larger parts after them.
        order = sorted(range(len(self.parts)), key=lambda i: (len(self.parts[i].people), i))
        plan = WallPlan(len(self.parts), self.lanes, end - time.monotonic(), order)
        running: dict[Future[Schedule | None], PartRun] = {}
        while True:
            while len(running) < self.lanes and not stop.interrupted:
                run = plan.next(end - time.monotonic())
                if run is None:
                    break
                first = run.kind != "improve"
                running[self.submit(run.index, run.seconds, first)] = run
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                run = running.pop(future)
                self.record(run.index, future, run.kind != "improve")
                best = self.best.get(run.index)
                plan.finished(run.index, None if best is None else _gap(best))
        missing = [i for i in range(len(self.parts)) if i not in self.best]
        if missing and not stop.interrupted:
            # Past the deadline: a roster beats none. Each part without one gets up to
            # RESCUE_TIME, the lanes taking them in turn.
            stop.deadline = time.monotonic() + RESCUE_TIME * -(-len(missing) // self.lanes)
            futures = {i: self.submit(i, RESCUE_TIME, True, rescue=True) for i in missing}
            for index, future in futures.items():
                self.record(index, future, True)


def _part_name(parts: list[Part], index: int) -> str:
    """How an error names a part: "part 3 of 29 (posts c03-gate-temp, c03-gate-register, …)"."""
    posts = parts[index].posts
    shown = ", ".join(posts[:3]) + (", …" if len(posts) > 3 else "")
    return f"part {index + 1} of {len(parts)} (posts {shown})"


def first_pass(parts: int, time_limit: float) -> dict[int, float]:
    """Each part's deterministic time for its first roster: the same share of ``FIRST_PASS`` of
    the limit (a small community short of people is no easier than a big one), at least
    ``MIN_PART_TIME`` and never more than the whole limit."""
    share = max(FIRST_PASS * time_limit / parts, min(MIN_PART_TIME, time_limit))
    return dict.fromkeys(range(parts), share)


def second_pass(gaps: dict[int, int], time_limit: float) -> dict[int, float]:
    """The deterministic time left, shared by the parts with a gap in proportion to it; parts
    whose share would be under ``MIN_PART_TIME`` get none, smallest gap first, and their time
    goes to the others."""
    chosen = sorted((i for i, gap in gaps.items() if gap > 0), key=lambda i: (-gaps[i], i))
    while chosen and time_limit * gaps[chosen[-1]] / sum(gaps[i] for i in chosen) < MIN_PART_TIME:
        chosen.pop()
    total = sum(gaps[i] for i in chosen)
    return {i: time_limit * gaps[i] / total for i in chosen}


@dataclass(frozen=True)
class PartRun:
    """One search of one part that the wall-clock plan asks for: ``seconds`` long; ``kind`` says
    why: "first" (its first roster), "retry" (none found yet), "improve" (its gap), "rescue"
    (past the deadline, until a first roster)."""

    index: int
    seconds: float
    kind: str


class WallPlan:
    """The wall-clock mode's plan: which part searches next, and for how long. It knows no
    clock: the caller says how many seconds are left when a lane is free (``next``) and what a
    search left behind (``finished``).

    In order of precedence: every part's first search, in ``order`` (the parts' own by
    default), each ``FIRST_SHARE`` of the lanes' seconds left shared among the parts still to
    start and the searches running (``first_share``), so a part proven early leaves its time to
    the parts after it; a part whose searches found no roster yet, again, twice as long each
    time (from its share at the start); then the
    idle part with the largest gap (penalty − bound; proven parts have none; halved for each
    search in a row that did not narrow it), for its share of the seconds the lanes have left in
    proportion to its gap, at least ``MIN_SLICE`` (a search restarts from its roster, so very
    short ones are mostly model building). No search asks for
    more than the seconds left; none starts with less than ``MIN_SLICE`` left unless a part has
    no roster yet."""

    def __init__(
        self, parts: int, lanes: int, seconds: float, order: Iterable[int] | None = None
    ) -> None:
        self.parts = parts
        self.lanes = max(1, lanes)
        self.first = first_share(parts, self.lanes, seconds)
        #: The order of the parts' first searches (and of retries): the parts' own by default.
        self.order = list(range(parts)) if order is None else list(order)
        #: Searches of a part that found no roster, for the parts without one.
        self.failed: dict[int, int] = {}
        #: The gap of each part with a roster, and how many searches in a row left it as it was.
        self.gaps: dict[int, int] = {}
        self.stalls: dict[int, int] = {}
        self.running: set[int] = set()

    def next(self, left: float) -> PartRun | None:
        """The search to start now, with ``left`` seconds to the deadline; None when there is
        none (all parts proven, the others running, or too little time left)."""
        if left <= 0:
            return None
        idle = [i for i in self.order if i not in self.running]
        fresh = [i for i in idle if i not in self.gaps and i not in self.failed]
        if fresh:
            # The share of the lanes' seconds left, among the parts still to start and the
            # searches running: a part that proved its roster early leaves its time to the next.
            share = first_share(len(fresh) + len(self.running), self.lanes, left)
            return self._start(PartRun(fresh[0], share, "first"))
        for index in idle:
            if index in self.failed:
                seconds = self.first * 2 ** self.failed[index]
                return self._start(PartRun(index, min(seconds, left), "retry"))
        # A part whose last searches did not narrow its gap counts half as much for each.
        gaps = {i: gap / 2 ** self.stalls.get(i, 0) for i, gap in self.gaps.items() if gap > 0}
        chosen = [i for i in idle if i in gaps]
        if left < MIN_SLICE or not chosen:
            return None
        index = max(chosen, key=lambda i: (gaps[i], -i))
        share = self.lanes * left * gaps[index] / sum(gaps.values())
        return self._start(PartRun(index, min(left, max(MIN_SLICE, share)), "improve"))

    def finished(self, index: int, gap: int | None) -> None:
        """A search of part ``index`` ended; ``gap`` is its best roster's gap (None: it has no
        roster yet)."""
        self.running.discard(index)
        if gap is None:
            self.failed[index] = self.failed.get(index, 0) + 1
            return
        self.failed.pop(index, None)
        before = self.gaps.get(index)
        if before is not None and gap >= before:
            self.stalls[index] = self.stalls.get(index, 0) + 1
        else:
            self.stalls.pop(index, None)
        self.gaps[index] = gap

    def _start(self, run: PartRun) -> PartRun:
        self.running.add(run.index)
        return run


def first_share(parts: int, lanes: int, seconds: float) -> float:
    """The seconds of a part's first search in the wall-clock mode, when ``parts`` (the parts
    still to start and the searches running) share the lanes' ``seconds`` left: an equal share of
    ``FIRST_SHARE`` of them, at least ``MIN_FIRST`` and at most ``seconds``."""
    share = FIRST_SHARE * max(1, lanes) * seconds / max(1, parts)
    return max(0.0, min(seconds, max(MIN_FIRST, share)))


def _gap(schedule: Schedule) -> int:
    """How far a part's roster may be from its optimum (0 when proven optimal)."""
    info = schedule.solver
    if info.status == "OPTIMAL":
        return 0
    return max(0, (info.objective or 0) - (info.bound or 0))


def _better(old: Schedule | None, new: Schedule) -> Schedule:
    """The better of two rosters of a part (lower penalty; the first on a tie), with the better
    of the two proven bounds, OPTIMAL when that bound meets the penalty, and the wall-clock guard
    said when it stopped either search (which roster is kept may then depend on the machine)."""
    if old is None:
        return new
    keep = new if (new.solver.objective or 0) < (old.solver.objective or 0) else old
    bound = max(old.solver.bound or 0, new.solver.bound or 0)
    bound = min(bound, keep.solver.objective or 0)
    status = "OPTIMAL" if bound == keep.solver.objective else keep.solver.status
    solver = keep.solver.model_copy(
        update={
            "bound": bound,
            "status": status,
            "workers": max(old.solver.workers, new.solver.workers),
            "wall_guard": old.solver.wall_guard or new.solver.wall_guard,
        }
    )
    return keep.model_copy(update={"solver": solver})


def _staffed(schedule: Schedule) -> bool:
    """Whether a part's roster has every place filled (no shortage, no quota missed)."""
    return not any(t.penalty for t in schedule.objective_terms if t.rule in STAFFING_TERMS)


def _solve_staffed(
    solve_one: SolveOne, roster: Roster, period: Period, options: SolveOptions, floor: int
) -> Schedule | None:
    """A part solved among the rosters that fill every place (minimum headcounts and quotas
    hard, as ``--strict`` makes them), or None when none was found in the time.

    Its roster is a roster of the soft model with the same penalty. Its bound holds for the soft
    model only up to ``floor``, the least a roster with someone missing costs there (every penalty
    is at least 0, and one missing person costs ``floor``), so the bound is capped at ``floor``
    and OPTIMAL kept only when the penalty is within it."""
    try:
        found = solve_one(roster, period, replace(options, strict=True))
    except InfeasibleError:
        return None
    return _soft(found, floor)


def _soft(schedule: Schedule, floor: int) -> Schedule:
    """A roster found with every place hard, with its status and bound as a soft-model result
    (see ``_solve_staffed``)."""
    info = schedule.solver
    objective = info.objective or 0
    bound = min(info.bound or 0, floor)
    status = "OPTIMAL" if info.status == "OPTIMAL" and objective <= floor else "FEASIBLE"
    solver = info.model_copy(update={"bound": bound, "status": status})
    return schedule.model_copy(update={"solver": solver})


def merge(
    roster: Roster,
    period: Period,
    found: list[Schedule | None],
    options: SolveOptions,
    started: float,
) -> Schedule:
    """One schedule of the whole roster from the schedules of its parts (None for a part
    interrupted before it had a roster: its places stay empty)."""
    slots: list[Slot] = expand(roster.config, period)
    schedules = [s for s in found if s is not None]
    complete = len(schedules) == len(found)
    assignment: dict[str, list[str]] = {}
    for schedule in schedules:
        assignment.update(assignment_of(schedule))
    infos = [s.solver for s in schedules]
    parts_sum = sum(i.objective or 0 for i in infos)
    if not complete:
        status = "UNKNOWN"
    else:
        status = "OPTIMAL" if all(i.status == "OPTIMAL" for i in infos) else "FEASIBLE"
    stop = options.stop
    info = SolverInfo(
        status=status,
        objective=parts_sum,
        bound=sum(i.bound or 0 for i in infos),
        wall_seconds=0.0,
        workers=max(i.workers for i in infos),
        seed=options.seed,
        mode="repeatable" if options.repeatable else "wall",
        interrupted=stop is not None and stop.interrupted,
        wall_guard=any(i.wall_guard for i in infos),
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
        deadline=None if options.repeatable or stop is None else stop.deadline,
    )
    # build_schedule recomputes the objective from the whole roster. It is the parts' sum unless a
    # rule ties parts together; then the parts' optimality says nothing about the whole.
    for part in schedules:
        schedule.hints.extend(part.hints)
    # Each part explained its shortages with its own people; explained again over the whole
    # roster, every other community's people would be counted as "not of this community".
    explained = {item.slot: item for part in schedules for item in part.shortages}
    schedule.shortages = [explained.get(item.slot, item) for item in schedule.shortages]
    update: dict[str, object] = {"wall_seconds": round(time.monotonic() - started, 2)}
    update.update(merged_fields(infos))  # whether the parts' shortages are proven
    whole = schedule.solver.objective or 0
    if whole != parts_sum and complete:
        update.update(status="FEASIBLE", bound=min(info.bound or 0, whole))
    return schedule.model_copy(update={"solver": schedule.solver.model_copy(update=update)})
