"""Repairing a published roster: the past frozen, as few assignments changed as possible.

The repair minimises, in this order: hard rules broken (none: they stay hard), people missing
below minimums and quotas, the weighted number of changed assignments, then the usual penalty.
It runs in two phases on one model: the first minimises shortages and changes together (each
person missing weighs more than every change there could be), the second keeps that result and
minimises the usual penalty.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

from ortools.sat.python import cp_model

from roster.errors import RosterError
from roster.i18n import _
from roster.load import Roster
from roster.report import assignment_of, build_schedule
from roster.schedule import Schedule, SolverInfo
from roster.slots import Period, Slot, expand

from .build import build_model
from .search import SolveOptions, budget, choose_workers, run, with_budget

#: Share of the time limit for the first phase (shortages and changes); the rest polishes the
#: usual penalty without giving any of that back.
FIRST_PHASE = 0.7
#: A change to someone the event did not touch costs this many times a change that only fills
#: a place the absent person left.
UNAFFECTED = 2


class RepairError(RosterError):
    """Raised when a repair cannot start: the base schedule does not fit the folder or the period,
    or a duty before ``now`` could no longer be kept. The message names what and how to fix it."""


@dataclass(frozen=True)
class Change:
    """One assignment that differs from the base version: ``added`` (the person now has the duty)
    or ``removed`` (they no longer have it)."""

    slot: str
    post: str
    start: datetime
    end: datetime
    person: str
    kind: str
    #: Who had the place before (for an addition) or who takes it now (for a removal).
    instead_of: tuple[str, ...] = ()


@dataclass
class RepairResult:
    """The repaired schedule and what changed against the base version."""

    schedule: Schedule
    changes: list[Change]
    #: Weighted cost of the changes (see ``change_weight``) and the proven lower bound on it.
    change_cost: int
    change_bound: int
    #: True when CP-SAT proved no roster with as few people missing changes less.
    proven_minimal: bool
    frozen_slots: int
    absent: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)

    @property
    def added(self) -> list[Change]:
        """The duties people gain."""
        return [c for c in self.changes if c.kind == "added"]

    @property
    def removed(self) -> list[Change]:
        """The duties people lose."""
        return [c for c in self.changes if c.kind == "removed"]

    @property
    def people_touched(self) -> list[str]:
        """Everyone whose duties changed, in order of first change."""
        return list(dict.fromkeys(c.person for c in self.changes))


def change_weight(slot: Slot, period: Period) -> int:
    """The cost of changing one assignment of ``slot``: a change sooner weighs more than one
    later in the period (people have less time to rearrange their lives), by one unit a day, on
    a base large enough that one change always costs less than two."""
    days_left = (period.last - slot.day).days
    span = (period.last - period.first).days + 1
    return span + 1 + days_left


def repair(
    roster: Roster,
    period: Period,
    base: Schedule,
    now: datetime,
    options: SolveOptions | None = None,
    *,
    absent: tuple[str, ...] = (),
) -> RepairResult:
    """Repair ``base`` (the latest published schedule of ``period``) after the folder changed
    (new leave, people dropped): every slot starting before ``now`` keeps its people; later
    slots change as little as the rules and shortages allow. ``absent`` names the people the
    event took away, whose own duties may be handed on at the lower cost."""
    options = options or SolveOptions()
    started = time.monotonic()
    if now.tzinfo is None:
        raise RepairError(_("--now {now} has no time zone").format(now=now.isoformat()))
    if not period.start <= now < period.end:
        raise RepairError(
            _("--now {now} is outside the period {first} – {last}; give a moment inside it").format(
                now=f"{now:%Y-%m-%d %H:%M}",
                first=f"{period.first:%Y-%m-%d}",
                last=f"{period.last:%Y-%m-%d}",
            )
        )
    if base.period.start != period.start or base.period.end != period.end:
        raise RepairError(
            _("the base schedule is for {first} – {last}, not the period being repaired").format(
                first=f"{base.period.start:%Y-%m-%d}", last=f"{base.period.end:%Y-%m-%d}"
            )
        )
    slots = expand(roster.config, period)
    by_id = {s.id: s for s in slots}
    before = assignment_of(base)
    for sid, people in before.items():
        if people and sid not in by_id:
            raise RepairError(
                _(
                    "slot {slot} of the base schedule is not in the folder's posts any more; "
                    "restore the post's shifts, or solve the period again"
                ).format(slot=sid)
            )
    frozen = [s for s in slots if s.start < now]
    m, penalties = build_model(
        roster, period, slots, strict=options.strict, history=options.history
    )
    # Slots under way at ``now`` whose person can no longer go on (fell ill during a 24-hour
    # turn): that person is off, the others stay, and someone may take over the rest of it.
    taken_over: set[str] = set()
    known = {p.id for p in roster.people}
    for slot in frozen:
        kept = set(before.get(slot.id, []))
        for pid in sorted(kept):
            if m.works(pid, slot.id) is not None:
                continue
            if slot.end > now:
                kept.discard(pid)
                taken_over.add(slot.id)
                continue
            who = roster.person(pid).name if pid in known else pid
            raise RepairError(
                _(
                    "{name} ({id}) worked {slot} before --now, but the folder no longer allows it "
                    "(leave or rules given for the past); leave starts at --now or later"
                ).format(name=who, id=pid, slot=slot.id)
            )
        for person, var in m.on_slot(slot):
            if person.id in kept:
                m.model.add(var == 1)
            elif slot.id not in taken_over:
                m.model.add(var == 0)

    absent_set = set(absent)
    holes = {sid for sid, people in before.items() if any(p in absent_set for p in people)}
    change_terms: list[tuple[int, cp_model.IntVar | cp_model.LinearExpr]] = []
    for slot in slots:
        if slot.start < now and slot.id not in taken_over:
            continue
        weight = change_weight(slot, period)
        had = set(before.get(slot.id, []))
        for person, var in m.on_slot(slot):
            if person.id in had:
                if person.id not in absent_set:
                    change_terms.append((UNAFFECTED * weight, 1 - var))
            else:
                cost = weight if slot.id in holes else UNAFFECTED * weight
                change_terms.append((cost, var))
    change_expr = sum(cost * term for cost, term in change_terms)
    most_change = sum(cost for cost, _ in change_terms) + 1
    missing = [p for p in penalties if p.rule in ("shortage", "quota")]
    missing_expr = sum(p.var for p in missing)
    usual = sum(p.coef * p.var for p in penalties)

    workers = choose_workers(m, options.workers, options.repeatable)
    m.hint({sid: [p for p in people if p not in absent_set] for sid, people in before.items()})
    first = with_budget(options, budget(options) * FIRST_PHASE)
    m.model.minimize(most_change * missing_expr + change_expr)
    solver, status = run(m, first, workers)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RepairError(
            _(
                "no repaired roster found: the frozen past and the hard rules leave no way to go "
                "on; check the new leave against the rules (`roster validate`), or give more time"
            )
        )
    phase_one = round(solver.objective_value)
    phase_one_bound = round(solver.best_objective_bound)
    proven = status == cp_model.OPTIMAL
    missing_found = phase_one // most_change
    change_cost = phase_one - missing_found * most_change
    change_bound = (
        max(0, phase_one_bound - missing_found * most_change) if not proven else (change_cost)
    )
    assignment = m.extract(solver)

    # Second phase: keep the shortages and the changes, polish the usual penalty.
    m.model.add(most_change * missing_expr + change_expr <= phase_one)
    m.model.clear_hints()  # type: ignore[no-untyped-call]  # ortools ships no annotation
    m.hint(assignment)
    m.model.minimize(usual)
    second = with_budget(options, budget(options) * (1 - FIRST_PHASE))
    solver2, status2 = run(m, second, workers)
    if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        assignment = m.extract(solver2)
        final_status = solver2.status_name(status2)
        bound = solver2.best_objective_bound
    else:
        final_status = "FEASIBLE"
        bound = 0.0
    changed_cost = _cost(assignment, before, slots, now, period, absent_set, holes, taken_over)
    info = SolverInfo(
        status=final_status,
        objective=None,
        bound=int(bound),
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
        history=options.history,
    )
    changes = diff_assignments(before, assignment, by_id)
    return RepairResult(
        schedule=schedule,
        changes=changes,
        change_cost=changed_cost,
        change_bound=min(change_bound, changed_cost),
        proven_minimal=proven and changed_cost == change_cost,
        frozen_slots=len(frozen),
        absent=tuple(sorted(absent_set)),
    )


def _cost(
    after: dict[str, list[str]],
    before: dict[str, list[str]],
    slots: list[Slot],
    now: datetime,
    period: Period,
    absent: set[str],
    holes: set[str],
    taken_over: set[str],
) -> int:
    """The weighted change cost of ``after`` against ``before`` (the first phase's measure)."""
    total = 0
    for slot in slots:
        if slot.start < now and slot.id not in taken_over:
            continue
        weight = change_weight(slot, period)
        had, has = set(before.get(slot.id, [])), set(after.get(slot.id, []))
        total += sum(UNAFFECTED * weight for p in had - has if p not in absent)
        total += sum(weight if slot.id in holes else UNAFFECTED * weight for _ in has - had)
    return total


def diff_assignments(
    before: dict[str, list[str]], after: dict[str, list[str]], slots: dict[str, Slot]
) -> list[Change]:
    """Every assignment added or removed, in slot order, each naming who it replaces."""
    out: list[Change] = []
    for sid, slot in slots.items():
        had, has = before.get(sid, []), after.get(sid, [])
        gone = [p for p in had if p not in has]
        new = [p for p in has if p not in had]
        for pid in gone:
            out.append(Change(sid, slot.post, slot.start, slot.end, pid, "removed", tuple(new)))
        for pid in new:
            out.append(Change(sid, slot.post, slot.start, slot.end, pid, "added", tuple(gone)))
    return out
