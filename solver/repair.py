"""Repairing a published roster: the past frozen, as few assignments changed as possible.

The repair minimises, in this order: hard rules broken (none: they stay hard), people missing
below minimums and quotas, the weighted number of changed assignments, then the usual penalty.
It runs in two phases on one model: the first minimises shortages and changes together (each
person missing weighs more than every change there could be), the second keeps that result and
minimises the usual penalty, for at most a few times what the first one needed (see
``polish_budget``), so a repair is back as soon as it is known.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from datetime import datetime

from ortools.sat.python import cp_model

from roster.eligibility import ineligibilities
from roster.errors import RosterError
from roster.i18n import _
from roster.load import Roster
from roster.report import assignment_of, build_schedule
from roster.schedule import Schedule, ShortageOut, SolverInfo
from roster.slots import Period, Slot, expand

from .build import build_model
from .components import Part, find_parts, sub_roster
from .search import SolveOptions, budget, choose_workers, run, with_budget

#: Share of the time limit for the first phase (shortages and changes); the rest polishes the
#: usual penalty without giving any of that back.
FIRST_PHASE = 0.7
#: The second phase may take this many times what the first one needed (its seconds, or its work
#: units when repeatable), never less than POLISH_FLOOR and never more than its share of the
#: limit: a repair proven minimal in a fraction of a second is back in about a second, not in a
#: third of its limit.
POLISH_RATIO = 2.0
#: The least the second phase is given, in the mode's unit (seconds, or work units).
POLISH_FLOOR = 0.5
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
    #: How many independent parts of the roster were searched again (one for a community; in a
    #: district, the communities the event touched).
    parts_repaired: int = 1

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
    event took away, whose own duties may be handed on at the lower cost.

    A roster of independent parts (the communities of a district, ``solver.components``) is
    repaired part by part: only the parts the event touches (an absent person of theirs, or a
    duty of theirs the folder no longer allows) get a model; the others keep every duty, as
    they would in a repair of the whole, which leaves a part without a reason to change alone.
    Each repaired part gets the whole time limit."""
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
    absent_set = set(absent)
    parts = find_parts(roster)
    if len(parts) == 1:
        found = [_repair_part(roster, period, slots, before, now, options, absent_set)]
        status, bound = found[0].status, found[0].bound
    else:
        chosen = touched_parts(roster, parts, by_id, before, absent_set)
        found = []
        for index in chosen:
            sub = sub_roster(roster, parts[index])
            sub_slots = expand(sub.config, period)
            sub_before = {s.id: before.get(s.id, []) for s in sub_slots}
            part = _repair_part(sub, period, sub_slots, sub_before, now, options, absent_set)
            part.roster, part.slots = sub, sub_slots
            found.append(part)
        # Optimal as a repair of one part is: the others keep every duty by design. The bound
        # is set below, once the parts left alone are priced.
        optimal = all(f.status == "OPTIMAL" for f in found)
        status, bound = ("OPTIMAL" if optimal else "FEASIBLE"), 0.0
    assignment = {sid: list(before.get(sid, [])) for sid in by_id}
    for part in found:
        assignment.update(part.assignment)
    info = SolverInfo(
        status=status,
        objective=None,
        bound=int(bound),
        wall_seconds=round(time.monotonic() - started, 2),
        workers=max((f.workers for f in found), default=options.workers or 1),
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
    if len(parts) > 1:
        schedule, penalties = _explained_by_part(schedule, base, found, period, options)
        # The parts share no rule, so the whole's penalty is the sum of the parts': what the
        # parts left alone cost, plus each repaired part's proven bound.
        whole = schedule.solver.objective or 0
        proven = whole - sum(penalties) + sum(math.ceil(f.bound - 1e-6) for f in found)
        schedule.solver = schedule.solver.model_copy(update={"bound": min(whole, proven)})
    changes = diff_assignments(before, assignment, by_id)
    change_cost = sum(f.change_cost for f in found)
    return RepairResult(
        schedule=schedule,
        changes=changes,
        change_cost=change_cost,
        change_bound=min(sum(f.change_bound for f in found), change_cost),
        proven_minimal=all(f.proven for f in found),
        frozen_slots=sum(1 for s in slots if s.start < now),
        absent=tuple(sorted(absent_set)),
        parts_repaired=len(found),
    )


def touched_parts(
    roster: Roster,
    parts: list[Part],
    slots: dict[str, Slot],
    before: dict[str, list[str]],
    absent: set[str],
) -> list[int]:
    """The indices of the parts a repair must search again: those of an absent person, and
    those with a duty in ``before`` that the folder no longer allows (leave given, a skill or
    tag taken away, a person gone), in the parts' order."""
    part_of_person = {pid: i for i, part in enumerate(parts) for pid in part.people}
    part_of_post = {post: i for i, part in enumerate(parts) for post in part.posts}
    touched = {part_of_person[pid] for pid in absent if pid in part_of_person}
    for sid, people in before.items():
        slot = slots.get(sid)
        if slot is None or not people:
            continue
        index = part_of_post[slot.post]
        if index in touched:
            continue
        for pid in people:
            if part_of_person.get(pid) != index or ineligibilities(
                roster, roster.person(pid), slot
            ):
                touched.add(index)
                break
    return sorted(touched)


@dataclass
class _Part:
    """What the repair of one part (or of a roster of one part) found."""

    assignment: dict[str, list[str]]
    change_cost: int
    change_bound: int
    proven: bool
    status: str
    bound: float
    workers: int
    #: The part's own roster and slots (set for a part of a larger roster).
    roster: Roster | None = None
    slots: list[Slot] = field(default_factory=list)


def _explained_by_part(
    schedule: Schedule,
    base: Schedule,
    found: list[_Part],
    period: Period,
    options: SolveOptions,
) -> tuple[Schedule, list[int]]:
    """The merged schedule with each shortage explained within its own part, as a solve in parts
    explains them (over the whole roster, every other community's people would be counted as
    "not of this community"): the base version's words for parts left alone, the repaired
    parts' own for theirs. Also each repaired part's own penalty."""
    penalties: list[int] = []
    ours: dict[str, ShortageOut] = {}
    quota: dict[tuple[str, str | None], ShortageOut] = {}
    repaired: set[str] = set()
    for part in found:
        if part.roster is None:
            continue
        repaired.update(s.id for s in part.slots)
        own = build_schedule(
            part.roster,
            period,
            part.slots,
            part.assignment,
            schedule.solver,
            strict=options.strict,
            history=options.history,
        )
        penalties.append(own.solver.objective or 0)
        ours.update((item.slot, item) for item in own.shortages)
        quota.update(((item.slot, item.tag), item) for item in own.quota_shortages)
    kept = {item.slot: item for item in base.shortages if item.slot not in repaired}
    kept_quota = {
        (item.slot, item.tag): item for item in base.quota_shortages if item.slot not in repaired
    }
    shortages = [ours.get(i.slot) or kept.get(i.slot) or i for i in schedule.shortages]
    quotas = [
        quota.get((i.slot, i.tag)) or kept_quota.get((i.slot, i.tag)) or i
        for i in schedule.quota_shortages
    ]
    merged = schedule.model_copy(update={"shortages": shortages, "quota_shortages": quotas})
    return merged, penalties


def _repair_part(
    roster: Roster,
    period: Period,
    slots: list[Slot],
    before: dict[str, list[str]],
    now: datetime,
    options: SolveOptions,
    absent_set: set[str],
) -> _Part:
    """The two-phase search of ``repair`` on one roster (a whole one, or a part of a district)."""
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
    second = with_budget(options, polish_budget(options, solver))
    solver2, status2 = run(m, second, workers)
    if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        assignment = m.extract(solver2)
        final_status = solver2.status_name(status2)
        bound = solver2.best_objective_bound
    else:
        final_status = "FEASIBLE"
        bound = 0.0
    changed_cost = _cost(assignment, before, slots, now, period, absent_set, holes, taken_over)
    return _Part(
        assignment=assignment,
        change_cost=changed_cost,
        change_bound=min(change_bound, changed_cost),
        proven=proven and changed_cost == change_cost,
        status=final_status,
        bound=bound,
        workers=workers,
    )


def polish_budget(options: SolveOptions, first: cp_model.CpSolver) -> float:
    """The second phase's limit in the mode's unit: ``POLISH_RATIO`` times what the first phase
    used (work units when repeatable, so the same input gives the same roster on any machine;
    else seconds), at least ``POLISH_FLOOR``, at most its share of the limit."""
    used = first.deterministic_time if options.repeatable else first.wall_time
    share = budget(options) * (1 - FIRST_PHASE)
    return min(share, max(POLISH_FLOOR, POLISH_RATIO * used))


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
