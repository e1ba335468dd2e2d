"""Whether a roster's shortage is proven unavoidable, or only not filled within the time limit.

The main solve's bound cannot say: it bounds the whole penalty, and a roster that fills a place
may cost more in other rules (fairness, wishes). So a second, short solve minimises the missing
places alone (the shortage terms, priorities included), starting from the roster found: its bound
proves how much every roster leaves missing, and it may find a roster that leaves less. It runs
with the main solve's workers and seed and a deterministic limit, so the same input gives the
same answer.

In the wall-clock mode the proof shares the command's time limit with the solve: it runs in the
time the search left (on the search's own model, not a second one built for it), and when no
time is left, or the time runs out before the bound closes, the shortage is said to be not
proven within the limit. The proof never makes the command overrun its limit.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from roster.history import History
from roster.load import Roster
from roster.schedule import Schedule, SolverInfo
from roster.shortfall import not_proven_within_limit, place_weights
from roster.slots import Period, Slot

from .build import build_model
from .limits import WALL_SLACK
from .model import RosterModel
from .search import Guard, new_solver

#: The deterministic time of the second solve, at most (CP-SAT's work units, 2 to 3 wall seconds
#: each on a busy 2-core machine); a short main solve gets half its own limit, at least 1.
PROOF_BUDGET = 5.0
#: The hard wall-clock stop of the second solve, as a multiple of its budget (plus WALL_SLACK).
WALL_FACTOR = 20.0
#: The objective terms that count missing places (people below minimums and team quotas).
SHORTAGE_TERMS = ("shortage", "quota", "priority")
#: In the wall-clock mode, the least time (seconds) worth starting the proof's CP-SAT run with:
#: below it the shortage is not proven within the limit without trying.
MIN_PROOF_WALL = 0.1


@dataclass(frozen=True)
class ShortageProof:
    """What is known about a roster's shortage.

    ``cost`` is what its missing places cost (the shortage terms of the objective), ``bound`` the
    least any roster's missing places cost, as proven, ``places`` the places every roster leaves
    missing (a lower bound, exact when every post has the same priority), ``missing`` the places
    this roster leaves missing, ``better`` the cost of
    the missing places of a roster found with fewer, if one was, and ``optimal`` whether the
    roster was proven optimal (then a better one is worse in the other rules)."""

    cost: int
    bound: int
    places: int
    missing: int = 0  # the places the roster leaves open
    better: int | None = None
    optimal: bool = False
    work: float = 0.0
    #: The proof reached its limit (the command's time, or its work budget) before it could
    #: prove the shortage, or had no time left to start: not proven within the limit.
    stopped: bool = False
    #: A deterministic proof stopped by its wall-clock guard before its work was done: its
    #: answer depends on the machine (``solver.wall_guard`` of the schedule).
    guarded: bool = False

    @property
    def proven(self) -> bool:
        """Whether no roster leaves less missing (by priority) than this one."""
        return self.bound >= self.cost

    @property
    def traded(self) -> bool:
        """Whether the places could be filled but the roster, proven optimal, leaves them open
        because filling them costs more in other rules: more time would not fill them."""
        return self.optimal and self.better is not None


def shortage_cost(schedule: Schedule) -> int:
    """What the schedule's missing places cost: its shortage terms summed."""
    return sum(t.penalty for t in schedule.objective_terms if t.rule in SHORTAGE_TERMS)


def prove_shortage(
    roster: Roster,
    period: Period,
    slots: list[Slot],
    schedule: Schedule,
    *,
    budget: float = PROOF_BUDGET,
    workers: int = 1,
    seed: int = 0,
    wall: float | None = None,
    history: History | None = None,
    deadline: float | None = None,
    model: RosterModel | None = None,
) -> ShortageProof | None:
    """Prove the schedule's shortage unavoidable, or say it is not: None when nothing is missing.

    A solve minimises the missing places alone, from the schedule's roster as hint; its bound
    proves how much every roster leaves missing. It runs ``budget`` deterministic seconds of the
    repeatable search, or, with ``wall`` or ``deadline``, CP-SAT's ordinary search (the main
    solve's mode) for ``wall`` seconds and never past ``deadline`` (``time.monotonic()``, the end
    of the command's time limit). ``model``: the solve's own model (built with shortages soft and
    the same ``history``), reused instead of building a second one; its objective and hints are
    replaced. When the limit leaves no time, or runs out before the bound closes, the proof says
    so (``stopped``) instead of going on."""
    cost = shortage_cost(schedule)
    if cost <= 0:
        return None
    top = max(place_weights(roster.config, slots).values())
    optimal = schedule.solver.status == "OPTIMAL"
    missing = sum(s.missing for s in schedule.shortages) + sum(
        s.missing for s in schedule.quota_shortages
    )
    timed = wall is not None or deadline is not None

    def left() -> float:
        limit = math.inf if wall is None else wall
        if deadline is not None:
            limit = min(limit, deadline - time.monotonic())
        return limit

    if timed and left() < MIN_PROOF_WALL:
        return ShortageProof(cost, 0, 0, missing, None, optimal, 0.0, stopped=True)
    if model is None:
        m, penalties = build_model(roster, period, slots, strict=False, history=history)
    else:
        m, penalties = model, model.penalties
        m.model.clear_hints()  # type: ignore[no-untyped-call]  # ortools ships no annotation
    m.model.minimize(sum(p.coef * p.var for p in penalties if p.rule in SHORTAGE_TERMS))
    m.hint({s.id: list(s.assigned) for s in schedule.slots})
    solver = new_solver()
    params = solver.parameters
    params.num_workers = workers
    params.random_seed = seed
    guard = Guard()
    if not timed:
        # Deterministic, as the main solve's repeatable mode (solver/search.py), and guarded
        # the same way: by the engine's clock, not CP-SAT's (``Guard``).
        params.interleave_search = True
        params.max_deterministic_time = budget
        status = guard.run(solver, m.model, budget * WALL_FACTOR + WALL_SLACK)
    else:
        # The model build may have used the time: judge again what is left.
        seconds = left()
        if seconds < MIN_PROOF_WALL:
            return ShortageProof(cost, 0, 0, missing, None, optimal, 0.0, stopped=True)
        params.max_time_in_seconds = seconds
        status = solver.solve(m.model)
    work = solver.response_proto.deterministic_time
    raw = solver.best_objective_bound
    # The objective is a whole number: a fractional bound rounds up and stays a bound.
    bound = min(cost, max(0, math.ceil(raw - 1e-6))) if math.isfinite(raw) else 0
    better = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found = round(solver.objective_value)
        better = found if found < cost else None
    # Stopped by the limit: the search did not finish and the bound does not reach the cost.
    stopped = status != cp_model.OPTIMAL and status != cp_model.INFEASIBLE and bound < cost
    return ShortageProof(
        cost,
        bound,
        _places(bound, top),
        missing,
        better,
        optimal,
        work,
        stopped=stopped,
        guarded=guard.cut(status),
    )


def _places(cost: int, top: int) -> int:
    """Places every roster leaves missing when their cost is at least ``cost``: each costs at
    most ``top`` (the highest priority's place)."""
    return -(-cost // top) if top > 0 else 0


def proof_fields(proof: ShortageProof | None) -> dict[str, object]:
    """The ``solver`` fields of schedule.json for a proof (both null when nothing is missing)."""
    if proof is None:
        return {"shortage_proven": None, "shortage_bound": None}
    return {"shortage_proven": proof.proven, "shortage_bound": proof.places}


def not_proven_sentences(roster: Roster, proof: ShortageProof) -> list[str]:
    """The staffing hint for a shortage that is not proven: more time, not more people (or, when
    the roster is optimal and leaves the places open for other rules, which weight to raise),
    then, when the proof stopped at the command's limit, that it is not proven within it."""
    zh = roster.config.language.lower().startswith("zh")
    limit = [not_proven_within_limit(roster.config.language)] if proof.stopped else []
    return _not_proven(zh, proof) + limit


def _not_proven(zh: bool, proof: ShortageProof) -> list[str]:
    """The sentences of ``not_proven_sentences`` after the one on the limit."""
    if proof.traded:
        if zh:
            return [
                "缺员并非人手不够：这些名额可以排满，但会在其他规则（公平、个人意愿等）上罚分更多；"
                "如须排满，请提高 weights.shortage"
            ]
        return [
            "The shortage is not for want of people: these places can be filled, but only at a "
            "greater cost in other rules (fairness, wishes); raise weights.shortage to fill them"
        ]
    found = proof.better is not None
    rest = max(1, proof.missing - proof.places)
    if zh:
        if proof.places:
            text = (
                f"已证实至少缺{proof.places}个名额，须增加人员；其余{rest}个只是在求解时限内未排满，"
                "加长求解时间（--time-limit）或许能排满"
            )
        else:
            text = (
                "缺员未经证实：只是在求解时限内未排满，"
                "加长求解时间（--time-limit）或许能排满，暂不必加人"
            )
        return [text + ("（已找到缺员更少的排法）" if found else "")]
    if proof.places:
        text = (
            f"At least {proof.places} place(s) are proven unfillable and need more people; the "
            f"other {rest} were only not filled within the time limit: given more time "
            "(--time-limit) the solver may fill them"
        )
    else:
        text = (
            "The shortage is not proven: it was not filled within the time limit; given more "
            "time (--time-limit) the solver may fill it, so no more people are advised yet"
        )
    return [text + (" (a roster with fewer missing was found)" if found else "")]


def merged_fields(infos: list[SolverInfo]) -> dict[str, object]:
    """The ``solver`` fields of a roster solved in parts: proven when every part's shortage is,
    the places every roster leaves missing summed (null when no part misses anyone)."""
    known = [i for i in infos if i.shortage_proven is not None]
    if not known:
        return {"shortage_proven": None, "shortage_bound": None}
    return {
        "shortage_proven": all(i.shortage_proven for i in known),
        "shortage_bound": sum(i.shortage_bound or 0 for i in known),
    }
