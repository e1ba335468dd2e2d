"""The solver-free checker: every rule as executable spec, and every penalty recomputed.

Each function here is the twin of the solver rule with the same name in ``solver/rules``. Hard rules
return violations; soft rules return their penalty. ``check`` runs them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from .eligibility import ineligibility
from .load import Roster
from .models import Person, RuleSet
from .slots import Period, Slot


@dataclass(frozen=True)
class Violation:
    """A hard rule the roster breaks, in words."""

    rule: str
    text: str


@dataclass
class Ctx:
    """What every check needs: the roster, the period, its slots and who is on each."""

    roster: Roster
    period: Period
    slots: list[Slot]
    assignment: dict[str, list[str]]
    strict: bool = False
    by_id: dict[str, Slot] = field(init=False)
    shifts_of: dict[str, list[Slot]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {s.id: s for s in self.slots}
        self.shifts_of = {p.id: [] for p in self.roster.people}
        for slot in self.slots:
            for pid in self.assignment.get(slot.id, []):
                if pid in self.shifts_of:
                    self.shifts_of[pid].append(slot)
        for shifts in self.shifts_of.values():
            shifts.sort(key=lambda s: (s.start, s.id))

    def rules(self, person: Person) -> RuleSet:
        """Rules in force for ``person``."""
        return self.roster.rules_for(person)

    def who(self, pid: str) -> str:
        """A person as ``name (id)``."""
        return f"{self.roster.person(pid).name} ({pid})"

    def full_weeks(self) -> dict[tuple[int, int], list[date]]:
        """ISO weeks entirely inside the period: minimums per week apply to these only."""
        return {k: v for k, v in self.period.weeks().items() if len(v) == 7}


def _count(ctx: Ctx, slot: Slot) -> int:
    return len(ctx.assignment.get(slot.id, []))


# --- headcount ----------------------------------------------------------------------------------


def headcount(ctx: Ctx) -> tuple[list[Violation], dict[str, int]]:
    """Headcount: never more than max on a slot; below min is a violation with --strict, else the
    ``shortage`` penalty per missing person; below target (but at or above min) costs
    ``under_target`` per person, above target ``over_target`` per person."""
    violations: list[Violation] = []
    terms = {"shortage": 0, "under_target": 0, "over_target": 0}
    weights = ctx.roster.config.weights
    for slot in ctx.slots:
        n = _count(ctx, slot)
        if n > slot.max:
            violations.append(Violation("headcount", f"{slot.id}: {n} people, max is {slot.max}"))
        short = max(0, slot.min - n)
        if short and ctx.strict:
            violations.append(Violation("headcount", f"{slot.id}: {n} people, min is {slot.min}"))
        terms["shortage"] += weights.shortage * short
        terms["under_target"] += slot.under_weight * max(0, slot.target - max(n, slot.min))
        terms["over_target"] += slot.over_weight * max(0, n - slot.target)
    return violations, terms


def shortages(ctx: Ctx) -> dict[str, int]:
    """People missing below each slot's minimum, by slot id (only slots that are short)."""
    out = {}
    for slot in ctx.slots:
        short = slot.min - _count(ctx, slot)
        if short > 0:
            out[slot.id] = short
    return out


# --- who may take a post ------------------------------------------------------------------------


def eligibility(ctx: Ctx) -> list[Violation]:
    """Who may take a slot: required skills, one of the required tags, not on leave, and no night
    shift for people who do none. Also: only known people, each at most once per slot."""
    out = []
    for slot in ctx.slots:
        assigned = ctx.assignment.get(slot.id, [])
        if len(set(assigned)) != len(assigned):
            out.append(Violation("eligibility", f"{slot.id}: someone is listed twice"))
        for pid in assigned:
            try:
                person = ctx.roster.person(pid)
            except KeyError:
                out.append(Violation("eligibility", f"{slot.id}: unknown person {pid!r}"))
                continue
            reason = ineligibility(ctx.roster, person, slot)
            if reason is not None:
                out.append(Violation(reason.id, f"{slot.id}: {ctx.who(pid)} {reason.text}"))
    for sid in ctx.assignment:
        if sid not in ctx.by_id:
            out.append(Violation("eligibility", f"unknown slot {sid!r} in the schedule"))
    return out


def quotas(ctx: Ctx) -> tuple[list[Violation], dict[str, int]]:
    """Team quotas: at most ``max`` people with the tag on each shift (hard); fewer than ``min`` is a
    violation with --strict, else the ``quota`` penalty, weighted as a shortage, per person missing."""
    violations: list[Violation] = []
    penalty = 0
    weight = ctx.roster.config.weights.shortage
    for slot in ctx.slots:
        post = ctx.roster.post(slot.post)
        assigned = [ctx.roster.person(p) for p in ctx.assignment.get(slot.id, [])
                    if p in ctx.shifts_of]
        for quota in post.quotas:
            n = sum(1 for p in assigned if quota.tag in p.tags)
            label = ctx.roster.config.tags.get(quota.tag, quota.tag)
            if quota.max is not None and n > quota.max:
                violations.append(Violation(
                    "quotas", f"{slot.id}: {n} {label}, at most {quota.max} allowed"))
            if n < quota.min:
                if ctx.strict:
                    violations.append(Violation(
                        "quotas", f"{slot.id}: {n} {label}, at least {quota.min} needed"))
                penalty += weight * (quota.min - n)
    return violations, {"quota": penalty}


# --- time: overlap, shifts per day, rest ---------------------------------------------------------


def no_overlap(ctx: Ctx) -> list[Violation]:
    """Nobody is in two slots that overlap in time."""
    out = []
    for pid, shifts in ctx.shifts_of.items():
        for i, first in enumerate(shifts):
            for second in shifts[i + 1:]:
                if second.start >= first.end:
                    break
                out.append(Violation("no_overlap",
                                     f"{ctx.who(pid)}: {first.id} overlaps {second.id}"))
    return out


def max_shifts_per_day(ctx: Ctx) -> list[Violation]:
    """At most ``max_shifts_per_day`` shifts starting on one date per person."""
    out = []
    for pid, shifts in ctx.shifts_of.items():
        limit = ctx.rules(ctx.roster.person(pid)).max_shifts_per_day
        if limit is None:
            continue
        per_day: dict[date, int] = {}
        for slot in shifts:
            per_day[slot.day] = per_day.get(slot.day, 0) + 1
        for day, n in sorted(per_day.items()):
            if n > limit:
                out.append(Violation("max_shifts_per_day",
                                     f"{ctx.who(pid)}: {n} shifts on {day}, at most {limit}"))
    return out


def rest_after(rules: RuleSet, slot: Slot) -> int:
    """Minutes of rest a person needs after ``slot``: the long rest after a long shift."""
    rest = rules.min_rest_hours or 0.0
    if rules.long_shift_hours is not None and slot.hours >= rules.long_shift_hours:
        rest = max(rest, rules.rest_after_long_shift_hours or 0.0)
    return round(rest * 60)


def rest(ctx: Ctx) -> list[Violation]:
    """Between the end of one shift and the start of the next, at least ``min_rest_hours``; after a
    shift of ``long_shift_hours`` or more, at least ``rest_after_long_shift_hours``."""
    out = []
    for pid, shifts in ctx.shifts_of.items():
        rules = ctx.rules(ctx.roster.person(pid))
        for i, first in enumerate(shifts):
            need = rest_after(rules, first)
            for second in shifts[i + 1:]:
                if second.start < first.end:
                    continue  # an overlap, reported by no_overlap
                gap = int((second.start - first.end).total_seconds() // 60)
                if gap >= need:
                    break
                out.append(Violation("rest", f"{ctx.who(pid)}: {gap / 60:g} h between {first.id} "
                                             f"and {second.id}, needs {need / 60:g} h"))
    return out


# --- hours --------------------------------------------------------------------------------------


def hours(ctx: Ctx) -> list[Violation]:
    """Hours worked, counted on the date a shift starts: at most ``max_hours_per_week`` in each ISO
    week, at least ``min_hours_per_week`` in each ISO week wholly inside the period, and between
    ``min_hours`` and ``max_hours`` over the period."""
    out = []
    full = ctx.full_weeks()
    for pid, shifts in ctx.shifts_of.items():
        rules = ctx.rules(ctx.roster.person(pid))
        per_week: dict[tuple[int, int], int] = dict.fromkeys(ctx.period.weeks(), 0)
        for slot in shifts:
            iso = slot.day.isocalendar()
            per_week[(iso.year, iso.week)] = per_week.get((iso.year, iso.week), 0) + slot.minutes
        total = sum(per_week.values())
        for (year, week), minutes in sorted(per_week.items()):
            if rules.max_hours_per_week is not None and minutes > rules.max_hours_per_week * 60:
                out.append(Violation("hours", f"{ctx.who(pid)}: {minutes / 60:g} h in {year}-W"
                                              f"{week:02d}, at most {rules.max_hours_per_week:g}"))
            if ((year, week) in full and rules.min_hours_per_week is not None
                    and minutes < rules.min_hours_per_week * 60):
                out.append(Violation("hours", f"{ctx.who(pid)}: {minutes / 60:g} h in {year}-W"
                                              f"{week:02d}, at least {rules.min_hours_per_week:g}"))
        if rules.max_hours is not None and total > rules.max_hours * 60:
            out.append(Violation("hours", f"{ctx.who(pid)}: {total / 60:g} h in the period, "
                                          f"at most {rules.max_hours:g}"))
        if rules.min_hours is not None and total < rules.min_hours * 60:
            out.append(Violation("hours", f"{ctx.who(pid)}: {total / 60:g} h in the period, "
                                          f"at least {rules.min_hours:g}"))
    return out


# --- all ----------------------------------------------------------------------------------------


@dataclass
class CheckReport:
    """The outcome of a check: hard violations and the penalty of each soft rule."""

    violations: list[Violation]
    terms: dict[str, int]

    @property
    def penalty(self) -> int:
        """The roster's total penalty: the objective the solver minimises."""
        return sum(self.terms.values())


HardCheck = Callable[[Ctx], list[Violation]]
SoftCheck = Callable[[Ctx], tuple[list[Violation], dict[str, int]]]

HARD: list[HardCheck] = [eligibility, no_overlap, max_shifts_per_day, rest, hours]
SOFT: list[SoftCheck] = [headcount, quotas]


def check(
    roster: Roster,
    period: Period,
    slots: list[Slot],
    assignment: dict[str, list[str]],
    *,
    strict: bool = False,
) -> CheckReport:
    """Check a roster against every rule, without the solver."""
    ctx = Ctx(roster, period, slots, assignment, strict)
    violations: list[Violation] = []
    terms: dict[str, int] = {}
    for soft in SOFT:
        found, penalty = soft(ctx)
        violations.extend(found)
        terms.update(penalty)
    for hard in HARD:
        violations.extend(hard(ctx))
    return CheckReport(violations, terms)
