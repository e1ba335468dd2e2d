"""Whether a roster's shortage is proven unavoidable, or only not filled within the time limit.

A shortage is proven when the solve's own bound shows it: no roster costs less than the bound, so
when the bound is at least what the roster's missing places cost, no roster leaves less missing.
Otherwise a second, short solve minimises the missing places alone, starting from the roster
found, to prove their lower bound (or to find that a roster with fewer exists). It runs with the
main solve's workers and seed and a deterministic limit, so the same input gives the same answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ortools.sat.python import cp_model

from roster.load import Roster
from roster.schedule import Schedule, SolverInfo
from roster.shortfall import place_weights
from roster.slots import Period, Slot

from .limits import WALL_SLACK

#: The deterministic time of the second solve, at most (CP-SAT's work units, 2 to 3 wall seconds
#: each on a busy 2-core machine); a short main solve gets half its own limit, at least 1.
PROOF_BUDGET = 5.0
#: The hard wall-clock stop of the second solve, as a multiple of its budget (plus WALL_SLACK).
WALL_FACTOR = 20.0
#: The objective terms that count missing places (people below minimums and team quotas).
SHORTAGE_TERMS = ("shortage", "quota", "priority")


@dataclass(frozen=True)
class ShortageProof:
    """What is known about a roster's shortage.

    ``cost`` is what its missing places cost (the shortage terms of the objective), ``bound`` the
    least any roster's missing places cost as proven, ``places`` the places every roster leaves
    missing (a lower bound, exact when every post has the same priority), and ``better`` the cost
    of the missing places of a roster found with fewer, when the second solve found one."""

    cost: int
    bound: int
    places: int
    by_main_bound: bool
    better: int | None = None
    work: float = 0.0

    @property
    def proven(self) -> bool:
        """Whether no roster leaves less missing (by priority) than this one."""
        return self.bound >= self.cost


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
) -> ShortageProof | None:
    """Prove the schedule's shortage unavoidable, or say it is not: None when nothing is missing.

    First from the schedule's own bound (``solver.bound``): when it is at least the cost of the
    missing places, every roster costs at least that much, so none leaves less missing. Otherwise
    a solve of ``budget`` deterministic seconds minimises the missing places alone, from the
    schedule's roster as hint; its bound proves how much every roster leaves missing."""
    cost = shortage_cost(schedule)
    if cost <= 0:
        return None
    top = max(place_weights(roster.config, slots).values())
    main = schedule.solver.bound
    if main is not None and main >= cost:
        return ShortageProof(cost, cost, _places(cost, top), by_main_bound=True)
    from .solve import build_model  # solve.py calls this module: import at use

    m, penalties = build_model(roster, period, slots, strict=False)
    m.model.minimize(sum(p.coef * p.var for p in penalties if p.rule in SHORTAGE_TERMS))
    m.hint({s.id: list(s.assigned) for s in schedule.slots})
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = workers
    params.random_seed = seed
    # Deterministic, as the main solve (solver/solve.py run()).
    params.interleave_search = True
    params.max_deterministic_time = budget
    params.max_time_in_seconds = budget * WALL_FACTOR + WALL_SLACK
    status = solver.solve(m.model)
    work = solver.response_proto.deterministic_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # Not even the hint was taken back: nothing learnt beyond the main bound.
        bound = max(0, main or 0)
        return ShortageProof(cost, bound, _places(bound, top), by_main_bound=False, work=work)
    # The objective is a whole number: a fractional bound rounds up and stays a bound.
    bound = min(cost, math.ceil(solver.best_objective_bound - 1e-6))
    found = round(solver.objective_value)
    better = found if found < cost else None
    return ShortageProof(cost, bound, _places(bound, top), False, better, work)


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
    """The staffing hint for a shortage that is not proven: more time, not more people."""
    zh = roster.config.language.lower().startswith("zh")
    if zh:
        text = (
            "缺员未经证实：只是在求解时限内未排满，"
            "加长求解时间（--time-limit）或许能排满，暂不必加人"
        )
        if proof.better is not None:
            text += "（已找到缺员更少的排法）"
        if proof.places:
            text += f"；已证实至少缺{proof.places}个名额"
        return [text]
    text = (
        "The shortage is not proven: it was not filled within the time limit; given more time "
        "(--time-limit) the solver may fill it, so no more people are advised yet"
    )
    if proof.better is not None:
        text += " (a roster with fewer missing was found)"
    if proof.places:
        text += f"; at least {proof.places} place(s) are proven unfillable"
    return [text]


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
