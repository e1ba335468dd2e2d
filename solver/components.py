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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from roster.eligibility import open_posts
from roster.errors import InfeasibleError, SolveInterrupted
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
#: The least time (work units, or seconds in the wall-clock mode) a part gets in a pass (less is
#: not worth a model build).
MIN_PART_TIME = 1.0
#: Share of the time limit for the first pass, which gives every part its first roster.
FIRST_PASS = 0.5
#: The time (units or seconds) a part gets for a second try when its share found no roster at all.
RETRY_TIME = 10.0
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
    for post in roster.config.posts:
        union.find(("post", post.id))
    for pid, open_to in open_posts(roster.people, roster.config.posts).items():
        for post_id in sorted(open_to):
            union.join(("post", post_id), ("person", pid))
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
) -> Schedule:
    """Solve each part with ``solve_one`` and merge the rosters into one schedule of the whole.

    The limit of the whole solve (``solver.search.budget``: work units when repeatable, else
    wall-clock seconds) is shared by the parts in two passes (``first_pass`` and
    ``second_pass``): every part gets an equal share of ``FIRST_PASS`` of it for a first roster;
    then the time left goes to the parts not proven optimal, in proportion to their gap to the
    bound, each searching again from its roster and keeping the better roster and the better
    bound. Each search is first among the rosters that fill every place (``STAFFED_FIRST``,
    ``_solve_staffed``); a part where none is found in its share is searched again, in the same
    share, with places soft. In the repeatable mode shares are work: they depend only on the
    parts and on what the first pass found, never on the clock, so the roster is the same
    however the parts are run. In the wall-clock mode they are seconds of a lane: ``parallel``
    lanes give ``parallel`` times the limit to share, the second pass shares what the clock has
    left, and no part runs past the solve's deadline (``options.stop``). ``parallel`` (default
    ``PARALLEL``) parts side by side in threads (CP-SAT releases the interpreter while it
    searches), each with ``options.workers`` workers, or 1 when none are asked for and parts run
    side by side (by model size when one at a time). The rosters are merged in the parts' order.
    The merged solver info: OPTIMAL only when every part is, objective and bound summed, the
    wall time of the whole, the most workers a part used.

    When ``options.stop`` is interrupted, running parts keep their best roster, parts not started
    have none (their places are left empty, the status is UNKNOWN) and the schedule is marked
    interrupted. Raises InfeasibleError when a part has no roster, naming the part;
    SolveInterrupted when interrupted before any part had one."""
    started = time.monotonic()
    stop = options.stop or Stop()
    options = replace(options, stop=stop)
    lanes = max(1, PARALLEL if parallel is None else parallel)
    workers = options.workers if options.workers is not None or lanes == 1 else 1
    subs = [sub_roster(roster, part) for part in parts]
    tally = _Tally(len(parts), started, options.on_progress)  # type: ignore[arg-type]
    best: dict[int, Schedule] = {}
    lock = threading.Lock()
    # A roster with a person missing costs at least this (shortages and quotas share the weight).
    floor = roster.config.weights.shortage if not options.strict else 0

    def solve_part(index: int, limit: float, first: bool) -> None:
        def relay(p: Progress) -> None:
            tally.update(index, p.objective, p.bound)

        if stop.interrupted or (first is False and index not in best):
            return
        if not options.repeatable and stop.left() <= 0:
            return  # past the deadline: the part is left without a roster (see below)
        part_options = replace(
            with_budget(options, limit),
            workers=workers,
            on_progress=relay,
            hint=options.hint if first else assignment_of(best[index]),
            # The wall-clock guard is the engine's own (``solver.search.WALL_CAP``), for this
            # part's limit and for a retry's longer one alike.
            extra={**PART_PARAMS, **options.extra},
        )
        found = None
        if STAFFED_FIRST and floor > 0 and (first or _staffed(best[index])):
            found = _solve_staffed(solve_one, subs[index], period, part_options, floor)
        try:
            if found is None and first:
                try:
                    found = _solve_part(index, parts, solve_one, subs[index], period, part_options)
                except InfeasibleError as exc:
                    if exc.conflicts or options.repeatable:
                        raise
                    return  # none in the time: said once for all such parts, below
            elif found is None:
                try:
                    found = solve_one(subs[index], period, part_options)
                except InfeasibleError:
                    return  # no better roster in the time: keep the first one
        except SolveInterrupted:
            return  # stopped before this part had a roster
        with lock:
            best[index] = _better(best.get(index), found)
            info = best[index].solver
        tally.update(index, info.objective, info.bound, done=first)

    def run_pass(limits: dict[int, float], first: bool) -> None:
        # Longest first, so the parts still running at the end of a pass are short ones.
        order = sorted(limits, key=lambda i: (-limits[i], i))
        if lanes == 1:
            for index in order:
                solve_part(index, limits[index], first)
            return
        with ThreadPoolExecutor(max_workers=lanes) as pool:
            futures = [pool.submit(solve_part, i, limits[i], first) for i in order]
            for future in futures:
                future.result()

    if options.repeatable:
        first = first_pass(len(parts), options.work_units)
        run_pass(first, True)
        gaps = {i: _gap(best[i]) for i in best}
        run_pass(second_pass(gaps, options.work_units - sum(first.values())), False)
    else:
        # Seconds of the lanes; the clock, not the plan, says what the second pass has.
        reserve = max(MERGE_MIN, MERGE_SHARE * options.time_limit)
        end = started + options.time_limit - reserve
        run_pass(first_pass(len(parts), lanes * (end - time.monotonic())), True)
        gaps = {i: _gap(best[i]) for i in best}
        left = max(0.0, end - time.monotonic())
        shares = second_pass(gaps, lanes * left)
        run_pass({i: min(share, left) for i, share in shares.items()}, False)
    if not best and stop.interrupted:
        raise SolveInterrupted("interrupted before any roster was found; nothing written")
    missing = [i for i in range(len(parts)) if i not in best]
    if missing and not stop.interrupted:
        posts = parts[missing[0]].posts
        shown = ", ".join(posts[:3]) + (", …" if len(posts) > 3 else "")
        raise InfeasibleError(
            f"no roster found within {options.time_limit:g} s for {len(missing)} of "
            f"{len(parts)} parts (the first: part {missing[0] + 1}, posts {shown}); give more "
            "time (--time-limit)",
            [],
        )
    found = [best.get(i) for i in range(len(parts))]
    return merge(roster, period, found, options, started)


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


def _gap(schedule: Schedule) -> int:
    """How far a part's roster may be from its optimum (0 when proven optimal)."""
    info = schedule.solver
    if info.status == "OPTIMAL":
        return 0
    return max(0, (info.objective or 0) - (info.bound or 0))


def _better(old: Schedule | None, new: Schedule) -> Schedule:
    """The better of two rosters of a part (lower penalty; the first on a tie), with the better
    of the two proven bounds, OPTIMAL when that bound meets the penalty."""
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


def _solve_part(
    index: int,
    parts: list[Part],
    solve_one: SolveOne,
    roster: Roster,
    period: Period,
    options: SolveOptions,
) -> Schedule:
    """One part; when its share of time found no roster at all, once more with more time, since
    a roster with shortages is always better than none."""
    try:
        try:
            return solve_one(roster, period, options)
        except InfeasibleError as exc:
            if exc.conflicts:
                raise
            stop = options.stop
            if not options.repeatable and stop is not None and stop.left() <= 0:
                raise
            retry = max(RETRY_TIME, 4 * budget(options))
            return solve_one(roster, period, with_budget(options, retry))
    except InfeasibleError as exc:
        posts = parts[index].posts
        shown = ", ".join(posts[:3]) + (", …" if len(posts) > 3 else "")
        raise InfeasibleError(
            f"part {index + 1} of {len(parts)} (posts {shown}): {exc}", exc.conflicts
        ) from None


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
