"""The solver-free checker: every rule as executable spec, and every penalty recomputed.

Each function here is the twin of the solver rule with the same name in ``solver/rules``. Hard rules
return violations; soft rules return their penalty. ``check`` runs them all.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from .eligibility import (
    FAIRNESS,
    fairness_pools,
    ineligibilities,
    past_load,
    past_work,
    pinned,
    pool_work,
)
from .history import History, PastDuty, border_note, iso_week, rolling_windows, week_label
from .i18n import _, speaking_for
from .load import Roster
from .models import WEEKDAYS, Bounds, NightWindow, Person, Request, RuleSet, TimeWindow
from .shortfall import place_weights, round_prices, rounds_of
from .slots import Period, Shift, Slot, is_night


@dataclass(frozen=True)
class Violation:
    """A hard rule the roster breaks, in words (in the message language: ``check`` speaks the
    roster's unless --lang or ROSTER_LANG chose another). ``border`` names the published period
    whose duties take part (``2020-W05``) when the violation comes from the border with the
    history; the text then says so."""

    rule: str
    text: str
    border: str = ""


@dataclass
class Ctx:
    """What every check needs: the roster, the period, its slots and who is on each."""

    roster: Roster
    period: Period
    slots: list[Slot]
    assignment: dict[str, list[str]]
    strict: bool = False
    #: The duties published before the period (roster/history.py), or None.
    history: History | None = None
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

    def past(self, pid: str) -> list[PastDuty]:
        """The person's duties published before the period (none without a history)."""
        return self.history.of(pid) if self.history is not None else []

    def violation(self, rule: str, text: str, border: str = "") -> Violation:
        """A violation; one from the border with the published ``border`` says so."""
        if not border:
            return Violation(rule, text)
        return Violation(rule, text + border_note(border), border)


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
            violations.append(
                Violation(
                    "headcount",
                    _("{slot}: {n} people, max is {max}").format(slot=slot.id, n=n, max=slot.max),
                )
            )
        short = max(0, slot.min - n)
        if short and ctx.strict:
            violations.append(
                Violation(
                    "headcount",
                    _("{slot}: {n} people, min is {min}").format(slot=slot.id, n=n, min=slot.min),
                )
            )
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
            out.append(
                Violation("eligibility", _("{slot}: someone is listed twice").format(slot=slot.id))
            )
        for pid in assigned:
            try:
                person = ctx.roster.person(pid)
            except KeyError:
                out.append(
                    Violation(
                        "eligibility",
                        _("{slot}: unknown person {id!r}").format(slot=slot.id, id=pid),
                    )
                )
                continue
            # Every reason, not only the first: a leave or no-nights breach must not hide
            # behind a missing skill.
            for reason in ineligibilities(ctx.roster, person, slot):
                out.append(
                    Violation(
                        reason.id,
                        _("{slot}: {who} {reason}").format(
                            slot=slot.id, who=ctx.who(pid), reason=reason.text
                        ),
                    )
                )
    for sid in ctx.assignment:
        if sid not in ctx.by_id:
            out.append(
                Violation(
                    "eligibility", _("unknown slot {slot!r} in the schedule").format(slot=sid)
                )
            )
    return out


def quotas(ctx: Ctx) -> tuple[list[Violation], dict[str, int]]:
    """Team quotas: at most ``max`` people with the tag on each shift (hard); fewer than ``min``
    is a violation with --strict, else the ``quota`` penalty (weighted as a shortage) per person
    missing."""
    violations: list[Violation] = []
    penalty = 0
    weight = ctx.roster.config.weights.shortage
    for slot in ctx.slots:
        post = ctx.roster.post(slot.post)
        assigned = [
            ctx.roster.person(p) for p in ctx.assignment.get(slot.id, []) if p in ctx.shifts_of
        ]
        for quota in post.quotas:
            n = sum(1 for p in assigned if quota.tag in p.tags)
            label = ctx.roster.config.tags.get(quota.tag, quota.tag)
            if quota.max is not None and n > quota.max:
                violations.append(
                    Violation(
                        "quotas",
                        _("{slot}: {n} {label}, at most {max} allowed").format(
                            slot=slot.id, n=n, label=label, max=quota.max
                        ),
                    )
                )
            if n < quota.min:
                if ctx.strict:
                    violations.append(
                        Violation(
                            "quotas",
                            _("{slot}: {n} {label}, at least {min} needed").format(
                                slot=slot.id, n=n, label=label, min=quota.min
                            ),
                        )
                    )
                penalty += weight * (quota.min - n)
    return violations, {"quota": penalty}


def quota_shortages(ctx: Ctx) -> dict[str, dict[str, int]]:
    """Slot id → tag → how many people with the tag the slot lacks below its quota minimum: the
    places the ``quota`` penalty counts, tied to the shifts they come from."""
    out: dict[str, dict[str, int]] = {}
    for slot in ctx.slots:
        post = ctx.roster.post(slot.post)
        if not post.quotas:
            continue
        assigned = [
            ctx.roster.person(p) for p in ctx.assignment.get(slot.id, []) if p in ctx.shifts_of
        ]
        for quota in post.quotas:
            n = sum(1 for p in assigned if quota.tag in p.tags)
            if n < quota.min:
                out.setdefault(slot.id, {})[quota.tag] = quota.min - n
    return out


# --- time: overlap, shifts per day, rest ---------------------------------------------------------


def no_overlap(ctx: Ctx) -> list[Violation]:
    """Nobody is in two slots that overlap in time, nor on a slot while still on a published duty
    that runs into the period (across the border)."""
    out = []
    for pid, shifts in ctx.shifts_of.items():
        for past in ctx.past(pid):
            for slot in shifts:
                if slot.start >= past.end:
                    break
                out.append(
                    ctx.violation(
                        "no_overlap",
                        _("{who}: {first} (published) overlaps {second}").format(
                            who=ctx.who(pid), first=past.slot, second=slot.id
                        ),
                        past.source,
                    )
                )
        for i, first in enumerate(shifts):
            for second in shifts[i + 1 :]:
                if second.start >= first.end:
                    break
                out.append(
                    Violation(
                        "no_overlap",
                        _("{who}: {first} overlaps {second}").format(
                            who=ctx.who(pid), first=first.id, second=second.id
                        ),
                    )
                )
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
                out.append(
                    Violation(
                        "max_shifts_per_day",
                        _("{who}: {n} shifts on {day}, at most {limit}").format(
                            who=ctx.who(pid), n=n, day=day, limit=limit
                        ),
                    )
                )
    return out


def rest_after(rules: RuleSet, slot: Shift) -> int:
    """Minutes of rest a person needs after ``slot``: the long rest after a long shift."""
    rest = rules.min_rest_hours or 0.0
    if rules.long_shift_hours is not None and slot.hours >= rules.long_shift_hours:
        rest = max(rest, rules.rest_after_long_shift_hours or 0.0)
    return round(rest * 60)


def rest(ctx: Ctx) -> list[Violation]:
    """Between the end of one shift and the start of the next, at least ``min_rest_hours``; after a
    shift of ``long_shift_hours`` or more, at least ``rest_after_long_shift_hours``. A published
    duty before the period needs its rest too: it blocks the first hours of the period."""
    out = []
    for pid, shifts in ctx.shifts_of.items():
        rules = ctx.rules(ctx.roster.person(pid))
        for past in ctx.past(pid):
            need = rest_after(rules, past)
            for second in shifts:
                if second.start < past.end:
                    continue  # an overlap, reported by no_overlap
                gap = int((second.start - past.end).total_seconds() // 60)
                if gap >= need:
                    break
                out.append(
                    ctx.violation(
                        "rest",
                        _(
                            "{who}: {gap} h between {first} (published) and {second}, needs "
                            "{need} h"
                        ).format(
                            who=ctx.who(pid),
                            gap=f"{gap / 60:g}",
                            first=past.slot,
                            second=second.id,
                            need=f"{need / 60:g}",
                        ),
                        past.source,
                    )
                )
        for i, first in enumerate(shifts):
            need = rest_after(rules, first)
            for second in shifts[i + 1 :]:
                if second.start < first.end:
                    continue  # an overlap, reported by no_overlap
                gap = int((second.start - first.end).total_seconds() // 60)
                if gap >= need:
                    break
                out.append(
                    Violation(
                        "rest",
                        _("{who}: {gap} h between {first} and {second}, needs {need} h").format(
                            who=ctx.who(pid),
                            gap=f"{gap / 60:g}",
                            first=first.id,
                            second=second.id,
                            need=f"{need / 60:g}",
                        ),
                    )
                )
    return out


# --- hours --------------------------------------------------------------------------------------


def hours(ctx: Ctx) -> list[Violation]:
    """Hours worked, counted on the date a shift starts: at most ``max_hours_per_week`` in each ISO
    week (a week the period starts in the middle of counts its published days too), at least
    ``min_hours_per_week`` in each ISO week wholly inside the period, between ``min_hours`` and
    ``max_hours`` over the period (the planned one alone), and at most ``max_hours_per_window`` in
    each rolling window of ``window_weeks`` ISO weeks (published weeks included)."""
    out = []
    full = ctx.period.full_weeks()
    for pid, shifts in ctx.shifts_of.items():
        rules = ctx.rules(ctx.roster.person(pid))
        per_week: dict[tuple[int, int], int] = dict.fromkeys(ctx.period.weeks(), 0)
        for slot in shifts:
            iso = slot.day.isocalendar()
            per_week[(iso.year, iso.week)] = per_week.get((iso.year, iso.week), 0) + slot.minutes
        total = sum(per_week.values())
        past = _past_by_week(ctx, pid, lambda d: d.minutes)
        for (year, week), planned in sorted(per_week.items()):
            before = past.get((year, week), (0, ""))
            minutes = planned + before[0]
            # Published hours alone over the cap are the past's, not this roster's, to answer for.
            if (
                rules.max_hours_per_week is not None
                and minutes > rules.max_hours_per_week * 60
                and planned
            ):
                out.append(
                    ctx.violation(
                        "hours",
                        _("{who}: {hours} h in {week}, at most {limit}").format(
                            who=ctx.who(pid),
                            hours=f"{minutes / 60:g}",
                            week=f"{year}-W{week:02d}",
                            limit=f"{rules.max_hours_per_week:g}",
                        ),
                        before[1],
                    )
                )
            if (
                (year, week) in full
                and rules.min_hours_per_week is not None
                and minutes < rules.min_hours_per_week * 60
            ):
                out.append(
                    Violation(
                        "hours",
                        _("{who}: {hours} h in {week}, at least {limit}").format(
                            who=ctx.who(pid),
                            hours=f"{minutes / 60:g}",
                            week=f"{year}-W{week:02d}",
                            limit=f"{rules.min_hours_per_week:g}",
                        ),
                    )
                )
        if rules.max_hours is not None and total > rules.max_hours * 60:
            out.append(
                Violation(
                    "hours",
                    _("{who}: {hours} h in the period, at most {limit}").format(
                        who=ctx.who(pid), hours=f"{total / 60:g}", limit=f"{rules.max_hours:g}"
                    ),
                )
            )
        if rules.min_hours is not None and total < rules.min_hours * 60:
            out.append(
                Violation(
                    "hours",
                    _("{who}: {hours} h in the period, at least {limit}").format(
                        who=ctx.who(pid), hours=f"{total / 60:g}", limit=f"{rules.min_hours:g}"
                    ),
                )
            )
        if rules.max_hours_per_window is not None:
            cap = rules.max_hours_per_window
            for weeks, amount, planned, border in _windows(ctx, pid, lambda s: s.minutes):
                if amount > cap * 60 and planned:
                    out.append(
                        ctx.violation(
                            "hours",
                            _("{who}: {hours} h in {weeks}, at most {limit}").format(
                                who=ctx.who(pid),
                                hours=f"{amount / 60:g}",
                                weeks=_weeks_text(weeks),
                                limit=f"{cap:g}",
                            ),
                            border,
                        )
                    )
    return out


def window_weeks(ctx: Ctx) -> int:
    """ISO weeks in the rolling window: the history's, else the roster's ``window_weeks``."""
    return ctx.history.window_weeks if ctx.history is not None else ctx.roster.config.window_weeks


def _past_by_week(
    ctx: Ctx, pid: str, size: Callable[[Shift], int]
) -> dict[tuple[int, int], tuple[int, str]]:
    """A person's published amounts by ISO week, each with the label of a published period that
    holds a duty counted (for the border note)."""
    out: dict[tuple[int, int], tuple[int, str]] = {}
    for duty in ctx.past(pid):
        amount = size(duty)
        if amount:
            week = iso_week(duty.day)
            out[week] = (out.get(week, (0, ""))[0] + amount, duty.source)
    return out


def _windows(
    ctx: Ctx, pid: str, size: Callable[[Shift], int]
) -> list[tuple[list[tuple[int, int]], int, int, str]]:
    """For each rolling window of the period (``roster.history.rolling_windows``): its ISO weeks,
    the person's amount in it (planned and published shifts), the planned part of it, and the
    label of a published period counted in it (empty when none is). A cap is broken by this
    roster only when the planned part is not 0: published duties alone over a cap are the past's
    (the model then gives the person nothing more in the window)."""
    planned: dict[tuple[int, int], int] = {}
    for slot in ctx.shifts_of[pid]:
        week = iso_week(slot.day)
        planned[week] = planned.get(week, 0) + size(slot)
    past = _past_by_week(ctx, pid, size)
    out = []
    for weeks in rolling_windows(ctx.period, window_weeks(ctx)):
        mine = sum(planned.get(w, 0) for w in weeks)
        amount = mine + sum(past.get(w, (0, ""))[0] for w in weeks)
        border = next((past[w][1] for w in weeks if w in past), "")
        out.append((weeks, amount, mine, border))
    return out


def _weeks_text(weeks: list[tuple[int, int]]) -> str:
    """``2020-W03 … 2020-W06`` (one week alone as itself)."""
    if len(weeks) == 1:
        return week_label(weeks[0])
    return f"{week_label(weeks[0])} … {week_label(weeks[-1])}"


# --- sequences: successions, consecutive days, weekends, shifts per post, requests ---------------
# (rules of issue 3; each is the twin of the solver rule of the same name)


def slot_is(slot: Shift, name: str) -> bool:
    """Whether ``slot`` is named by ``name`` in a succession: its post id, ``night`` (it overlaps
    the night window) or ``day`` (it does not)."""
    if name == "night":
        return slot.night
    if name == "day":
        return not slot.night
    return slot.post == name


def successions(ctx: Ctx) -> tuple[list[Violation], dict[str, int]]:
    """Forbidden successions: a shift of ``after`` on one date followed by a shift of ``then`` on
    the next date (dates the shifts start on). Forbidden outright when the succession has no
    weight; otherwise each such pair of shifts costs the weight (term ``successions``, unit:
    occurrences). A published shift on the day before the period and a shift on its first day
    are a succession too (across the border)."""
    violations: list[Violation] = []
    penalty = 0
    eve = ctx.period.first - timedelta(days=1)
    for pid, shifts in ctx.shifts_of.items():
        for rule in ctx.roster.config.successions:
            for past in ctx.past(pid):
                if past.day != eve or not any(slot_is(past, name) for name in rule.after):
                    continue
                for second in shifts:
                    if second.day != ctx.period.first:
                        continue
                    if not any(slot_is(second, name) for name in rule.then):
                        continue
                    if rule.weight is None:
                        violations.append(
                            ctx.violation(
                                "successions",
                                _(
                                    "{who}: {second} follows {first} (published), a forbidden "
                                    "succession"
                                ).format(who=ctx.who(pid), second=second.id, first=past.slot),
                                past.source,
                            )
                        )
                    else:
                        penalty += rule.weight
            for first in shifts:
                if not any(slot_is(first, name) for name in rule.after):
                    continue
                for second in shifts:
                    if (second.day - first.day).days != 1:
                        continue
                    if not any(slot_is(second, name) for name in rule.then):
                        continue
                    if rule.weight is None:
                        violations.append(
                            Violation(
                                "successions",
                                _("{who}: {second} follows {first}, a forbidden succession").format(
                                    who=ctx.who(pid), second=second.id, first=first.id
                                ),
                            )
                        )
                    else:
                        penalty += rule.weight
    return violations, {"successions": penalty}


def worked_days(ctx: Ctx, pid: str) -> list[bool]:
    """For each date of the period, in order: whether the person has a slot starting on it."""
    days = {slot.day for slot in ctx.shifts_of[pid]}
    return [day in days for day in ctx.period.days]


def runs(flags: list[bool]) -> list[tuple[int, int, bool]]:
    """The maximal runs of equal values as ``(first index, length, value)``."""
    out: list[tuple[int, int, bool]] = []
    for i, flag in enumerate(flags):
        if out and out[-1][2] == flag:
            first, length, _ = out[-1]
            out[-1] = (first, length + 1, flag)
        else:
            out.append((i, 1, flag))
    return out


def _inner_runs(flags: list[bool], value: bool) -> list[tuple[int, int]]:
    """Runs of ``value`` with a day of the other value just before and just after, both inside the
    period: the runs the minimum rules check (runs touching either end are exempt)."""
    return [
        (first, length)
        for first, length, flag in runs(flags)
        if flag == value and first > 0 and first + length < len(flags)
    ]


def _span(ctx: Ctx, first: int, length: int, days: list[date] | None = None) -> str:
    days = ctx.period.days if days is None else days
    return f"{days[first]}" if length == 1 else f"{days[first]} … {days[first + length - 1]}"


def _with_history(ctx: Ctx, pid: str) -> tuple[list[bool], list[date], int]:
    """The person's worked days with the published days just before the period put in front (as
    far back as published schedules cover them without a gap): the flags, their dates, and how
    many are published."""
    flags = worked_days(ctx, pid)
    if ctx.history is None:
        return flags, ctx.period.days, 0
    reach = len(ctx.history.covered)
    before = ctx.history.days_before(reach)
    return ctx.history.worked_before(pid, reach) + flags, before + ctx.period.days, len(before)


def _source(ctx: Ctx, days: list[date], first: int, published: int) -> str:
    """The published period of the run starting at index ``first`` when it starts before the
    border (empty otherwise)."""
    if first >= published or ctx.history is None:
        return ""
    return ctx.history.source(days[first])


def max_consecutive_days(ctx: Ctx) -> list[Violation]:
    """At most ``max_consecutive_days`` working days in a row (a day is worked when a shift starts
    on it). Hard. A run that started in the published days before the period continues in it."""
    out = []
    for pid in ctx.shifts_of:
        limit = ctx.rules(ctx.roster.person(pid)).max_consecutive_days
        if limit is None:
            continue
        flags, days, published = _with_history(ctx, pid)
        for first, length, worked in runs(flags):
            if worked and length > limit and first + length > published:
                out.append(
                    ctx.violation(
                        "max_consecutive_days",
                        _("{who}: works {n} days in a row ({days}), at most {limit}").format(
                            who=ctx.who(pid),
                            n=length,
                            days=_span(ctx, first, length, days),
                            limit=limit,
                        ),
                        _source(ctx, days, first, published),
                    )
                )
    return out


def min_consecutive_days(ctx: Ctx) -> list[Violation]:
    """At least ``min_consecutive_days`` working days in a row, for every run of working days that
    has a day off just before and just after it inside the period. Hard. With a history, the
    published days before the period count: a run that starts there, or a day off there just
    before a run, is checked like one inside the period."""
    out = []
    for pid in ctx.shifts_of:
        limit = ctx.rules(ctx.roster.person(pid)).min_consecutive_days
        if limit is None:
            continue
        flags, days, published = _with_history(ctx, pid)
        for first, length in _inner_runs(flags, True):
            if length < limit and first + length >= published:
                out.append(
                    ctx.violation(
                        "min_consecutive_days",
                        _(
                            "{who}: works only {n} day(s) in a row ({days}), at least {limit}"
                        ).format(
                            who=ctx.who(pid),
                            n=length,
                            days=_span(ctx, first, length, days),
                            limit=limit,
                        ),
                        _source(ctx, days, first - 1, published),
                    )
                )
    return out


def min_consecutive_days_off(ctx: Ctx) -> list[Violation]:
    """At least ``min_consecutive_days_off`` days off in a row, for every run of days off that has a
    working day just before and just after it inside the period. Hard. With a history, the
    published days before the period count, as for ``min_consecutive_days``."""
    out = []
    for pid in ctx.shifts_of:
        limit = ctx.rules(ctx.roster.person(pid)).min_consecutive_days_off
        if limit is None:
            continue
        flags, days, published = _with_history(ctx, pid)
        for first, length in _inner_runs(flags, False):
            if length < limit and first + length >= published:
                out.append(
                    ctx.violation(
                        "min_consecutive_days_off",
                        _("{who}: only {n} day(s) off in a row ({days}), at least {limit}").format(
                            who=ctx.who(pid),
                            n=length,
                            days=_span(ctx, first, length, days),
                            limit=limit,
                        ),
                        _source(ctx, days, first - 1, published),
                    )
                )
    return out


def weekend_days(period: Period) -> list[list[int]]:
    """The weekends of the period as day indices: the Saturday and Sunday of each ISO week, as far
    as they fall inside the period."""
    return [list(weekend) for weekend in _weekend_days(period.first, period.last)]


@functools.lru_cache(maxsize=64)
def _weekend_days(first: date, last: date) -> tuple[tuple[int, ...], ...]:
    """``weekend_days`` made once per period (the explanation of shortages asks it per person)."""
    out: dict[tuple[int, int], list[int]] = {}
    for i in range((last - first).days + 1):
        day = first + timedelta(days=i)
        if day.weekday() >= 5:
            iso = day.isocalendar()
            out.setdefault((iso.year, iso.week), []).append(i)
    return tuple(tuple(days) for days in out.values())


def max_weekends(ctx: Ctx) -> list[Violation]:
    """At most ``max_weekends`` weekends worked in the period (the planned one alone), and at most
    ``max_weekends_per_window`` in each rolling window of ``window_weeks`` ISO weeks (published
    weeks included); a weekend is worked when Saturday or Sunday is. Hard."""
    out = []
    weekends = weekend_days(ctx.period)
    for pid in ctx.shifts_of:
        rules = ctx.rules(ctx.roster.person(pid))
        limit = rules.max_weekends
        if limit is not None:
            flags = worked_days(ctx, pid)
            worked = [w for w in weekends if any(flags[i] for i in w)]
            if len(worked) > limit:
                out.append(
                    Violation(
                        "max_weekends",
                        _("{who}: works {n} weekends, at most {limit}").format(
                            who=ctx.who(pid), n=len(worked), limit=limit
                        ),
                    )
                )
        cap = rules.max_weekends_per_window
        if cap is None:
            continue
        planned = {iso_week(s.day) for s in ctx.shifts_of[pid] if s.day.weekday() >= 5}
        past = {iso_week(d.day): d.source for d in ctx.past(pid) if d.weekend}
        for weeks in rolling_windows(ctx.period, window_weeks(ctx)):
            n = sum(1 for w in weeks if w in planned or w in past)
            # A weekend already worked in a published week is not worked more by this roster.
            if n > cap and any(w in planned and w not in past for w in weeks):
                out.append(
                    ctx.violation(
                        "max_weekends",
                        _("{who}: works {n} weekends in {weeks}, at most {limit}").format(
                            who=ctx.who(pid), n=n, weeks=_weeks_text(weeks), limit=cap
                        ),
                        next((past[w] for w in weeks if w in past), ""),
                    )
                )
    return out


def max_shifts_per_post(ctx: Ctx) -> list[Violation]:
    """At most ``max_shifts_per_post[post]`` shifts of each listed post over the period. Hard."""
    out = []
    for pid, shifts in ctx.shifts_of.items():
        limits = ctx.rules(ctx.roster.person(pid)).max_shifts_per_post or {}
        for post, limit in sorted(limits.items()):
            n = sum(1 for slot in shifts if slot.post == post)
            if n > limit:
                out.append(
                    Violation(
                        "max_shifts_per_post",
                        _("{who}: {n} shifts of {post}, at most {limit}").format(
                            who=ctx.who(pid), n=n, post=post, limit=limit
                        ),
                    )
                )
    return out


def _overlaps_window(slot: Slot, window: TimeWindow) -> bool:
    """Whether the slot overlaps the daily window on any day it touches."""
    return is_night(slot.start, slot.end, NightWindow(start=window.start, end=window.end))


def request_matches(request: Request, slot: Slot) -> bool:
    """Whether ``slot`` matches every criterion the request gives: one slot, post, date, weekday,
    and time window (the slot overlaps it)."""
    if request.slot is not None and slot.id != request.slot:
        return False
    if request.post is not None and slot.post != request.post:
        return False
    if request.date is not None and slot.day != request.date:
        return False
    if request.weekday is not None and WEEKDAYS[slot.day.weekday()] != request.weekday:
        return False
    return request.time is None or _overlaps_window(slot, request.time)


def requests(ctx: Ctx) -> tuple[list[Violation], dict[str, int]]:
    """Requests: a ``prefer`` request costs its weight when the person works none of the matching
    shifts; an ``avoid`` request costs its weight for each matching shift worked. Soft; term
    ``requests``, unit: weight of the request."""
    penalty = 0
    for request in ctx.roster.config.requests:
        worked = sum(
            1 for slot in ctx.shifts_of.get(request.person, []) if request_matches(request, slot)
        )
        if request.kind == "prefer":
            penalty += request.weight if worked == 0 else 0
        else:
            penalty += request.weight * worked
    return [], {"requests": penalty}


# --- nights, pins, fairness ---------------------------------------------------------------------


def nights(ctx: Ctx) -> list[Violation]:
    """At most ``max_nights_per_week`` night shifts in each ISO week (a week the period starts in
    the middle of counts its published nights too), ``max_nights`` over the period (the planned
    one alone) and ``max_nights_per_window`` in each rolling window of ``window_weeks`` ISO weeks
    (published weeks included). A night shift overlaps the night window."""
    out = []
    for pid, shifts in ctx.shifts_of.items():
        rules = ctx.rules(ctx.roster.person(pid))
        night = [s for s in shifts if s.night]
        per_week: dict[tuple[int, int], int] = {}
        for slot in night:
            iso = slot.day.isocalendar()
            per_week[(iso.year, iso.week)] = per_week.get((iso.year, iso.week), 0) + 1
        past = _past_by_week(ctx, pid, lambda d: int(d.night))
        cap = rules.max_nights_per_week
        for (year, week), planned in sorted(per_week.items()):
            before = past.get((year, week), (0, ""))
            n = planned + before[0]
            if cap is not None and n > cap and planned:
                out.append(
                    ctx.violation(
                        "nights",
                        _("{who}: {n} night shifts in {weeks}, at most {limit}").format(
                            who=ctx.who(pid), n=n, weeks=f"{year}-W{week:02d}", limit=cap
                        ),
                        before[1],
                    )
                )
        if rules.max_nights is not None and len(night) > rules.max_nights:
            out.append(
                Violation(
                    "nights",
                    _("{who}: {n} night shifts in the period, at most {limit}").format(
                        who=ctx.who(pid), n=len(night), limit=rules.max_nights
                    ),
                )
            )
        if rules.max_nights_per_window is not None:
            limit = rules.max_nights_per_window
            for weeks, n, planned, border in _windows(ctx, pid, lambda d: int(d.night)):
                if n > limit and planned:
                    out.append(
                        ctx.violation(
                            "nights",
                            _("{who}: {n} night shifts in {weeks}, at most {limit}").format(
                                who=ctx.who(pid), n=n, weeks=_weeks_text(weeks), limit=limit
                            ),
                            border,
                        )
                    )
    return out


def pins(ctx: Ctx) -> list[Violation]:
    """Every pin in the period is kept: the pinned person is on the pinned slot."""
    out = []
    for index, person, slot in pinned(ctx.roster, ctx.slots):
        pin = ctx.roster.config.pins[index]
        if slot is None:
            out.append(
                Violation(
                    "pins",
                    _("pins[{index}]: no slot {slot} in the period").format(
                        index=index, slot=pin.slot
                    ),
                )
            )
        elif person.id not in ctx.assignment.get(slot.id, []):
            out.append(
                Violation(
                    "pins",
                    _("pins[{index}]: {who} is not on {slot}").format(
                        index=index, who=ctx.who(person.id), slot=slot.id
                    ),
                )
            )
    return out


def fairness(ctx: Ctx) -> tuple[list[Violation], dict[str, int]]:
    """Each person's hours, night shifts and weekend shifts near their fair share of their pool's
    (in proportion to what each can give); each unit of difference per person, rounded up, costs
    the rule's weight (``fair_hours``, ``fair_nights``, ``fair_weekends``). With a history, loads,
    shares and the pool's work are those of the rolling window: the published weeks in it plus the
    planned period, so who had last week's nights is due fewer this week."""
    history = ctx.history
    pools = fairness_pools(ctx.roster, ctx.period, history)
    terms = {}
    for measure in FAIRNESS:
        weight: int = getattr(ctx.roster.config.weights, measure.rule)
        penalty = 0
        for pool in pools if weight > 0 else []:
            total = pool_work(pool, ctx.slots, measure) + past_work(history, pool, measure)
            for person in pool.people:
                load = sum(measure.size(s) for s in ctx.shifts_of[person.id])
                load += past_load(history, pool, person.id, measure)
                gap = abs(load - pool.expected(person, total))
                penalty += weight * -(-gap // measure.unit)
        terms[measure.rule] = penalty
    return [], terms


# --- when people are short: post priorities and rounds -------------------------------------------


def priority(ctx: Ctx) -> tuple[list[Violation], dict[str, int]]:
    """Priority: each place missing (a person below a slot's minimum or below a team quota's
    minimum) on a post above the lowest priority costs what its priority's place costs beyond
    ``weights.shortage`` (``roster.shortfall.place_weights``). Soft; no term when every post has
    the same priority, nor with --strict, where missing places are violations of ``headcount``
    and ``quotas``."""
    config = ctx.roster.config
    if ctx.strict or len({p.priority for p in config.posts}) < 2:
        return [], {}  # no term: every post weighs the same
    weights = place_weights(config, ctx.slots)
    penalty = 0
    for slot in ctx.slots:
        post = ctx.roster.post(slot.post)
        extra = weights[post.priority] - config.weights.shortage
        if extra <= 0:
            continue
        assigned = [
            ctx.roster.person(p) for p in ctx.assignment.get(slot.id, []) if p in ctx.shifts_of
        ]
        missing = max(0, slot.min - len(assigned))
        for quota in post.quotas:
            missing += max(0, quota.min - sum(1 for p in assigned if quota.tag in p.tags))
        penalty += extra * missing
    return [], {"priority": penalty}


def rounds(ctx: Ctx) -> tuple[list[Violation], dict[str, int]]:
    """Rounds: on each day, each area (a post with ``rounds``) holds as many of its rounds as
    have at least one person; the rounds not held are its last ones, and each costs its price
    (``roster.shortfall.round_prices``): an area's first round of a day costs more than every
    later round of every area that day together. Soft; term ``rounds``."""
    if not any(p.rounds for p in ctx.roster.config.posts):
        return [], {}  # no term: no post has rounds
    prices = round_prices(ctx.roster.config, ctx.slots)
    penalty = 0
    for key, slots in rounds_of(ctx.roster.config, ctx.slots).items():
        held = sum(1 for slot in slots if _count(ctx, slot) > 0)
        penalty += sum(prices[key][held:])
    return [], {"rounds": penalty}


# --- all ----------------------------------------------------------------------------------------


@dataclass
class CheckReport:
    """The outcome of a check: hard violations, the penalty of each soft rule, and the people
    missing below each short slot's minimum."""

    violations: list[Violation]
    terms: dict[str, int]
    shortages: dict[str, int] = field(default_factory=dict)
    #: Slot id → tag → people with the tag missing below the post's quota minimum.
    quota_shortages: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def penalty(self) -> int:
        """The roster's total penalty: the objective the solver minimises."""
        return sum(self.terms.values())


HardCheck = Callable[[Ctx], list[Violation]]
SoftCheck = Callable[[Ctx], tuple[list[Violation], dict[str, int]]]

HARD: list[HardCheck] = [
    eligibility,
    no_overlap,
    max_shifts_per_day,
    rest,
    hours,
    max_consecutive_days,
    min_consecutive_days,
    min_consecutive_days_off,
    max_weekends,
    max_shifts_per_post,
    nights,
    pins,
]
SOFT: list[SoftCheck] = [headcount, quotas, successions, requests, fairness, priority, rounds]


def check(
    roster: Roster,
    period: Period,
    slots: list[Slot],
    assignment: dict[str, list[str]],
    *,
    strict: bool = False,
    history: History | None = None,
) -> CheckReport:
    """Check a roster against every rule, without the solver. With ``history`` (the duties
    published before the period, built for this period), the rules count across the border and
    the violations that come from it name the published period (``Violation.border``).

    The violations are in the message language of the roster (``speaking_for``), so a library
    caller gets the roster's language unless ROSTER_LANG or --lang chose another."""
    with speaking_for(roster.config.language):
        return _check(roster, period, slots, assignment, strict, history)


def _check(
    roster: Roster,
    period: Period,
    slots: list[Slot],
    assignment: dict[str, list[str]],
    strict: bool,
    history: History | None,
) -> CheckReport:
    if history is not None:
        history.check_period(period)
    ctx = Ctx(roster, period, slots, assignment, strict, history)
    violations: list[Violation] = []
    terms: dict[str, int] = {}
    for soft in SOFT:
        found, penalty = soft(ctx)
        violations.extend(found)
        terms.update(penalty)
    for hard in HARD:
        violations.extend(hard(ctx))
    return CheckReport(violations, terms, shortages(ctx), quota_shortages(ctx))


# --- soft ranges on runs and totals, complete weekends -------------------------------------------
# (each the twin of the solver rule of the same name in solver/rules/preferred_runs.py,
# complete_weekends.py and preferred_totals.py)


def shift_matches(slot: Slot | PastDuty, name: str) -> bool:
    """Whether ``slot`` (or a published duty) is the shift ``name`` of
    ``preferred_consecutive_shifts``: its shift pattern's name or its post id."""
    return slot.name == name or slot.post == name


def run_excess(flags: list[bool], low: int | None, high: int | None, published: int = 0) -> int:
    """Days outside ``low``–``high`` over the runs of true values in ``flags``: each day of a run
    beyond ``high``, and each day short of ``low`` for a run with a false value just before and
    just after it inside the list (runs touching either end are not held to the minimum). The
    first ``published`` flags are published days before the period: what was charged when they
    were planned is not charged again (a run's days over ``high`` before the period, a short run
    that ended before the day before the period)."""
    total = 0
    for first, length, value in runs(flags):
        end = first + length  # the index of the day that ends the run
        if not value or end <= published - 1:
            continue
        if high is not None:
            before = max(0, min(end, published) - first)
            total += max(0, length - high) - max(0, before - high)
        inner = first > 0 and end < len(flags)
        if low is not None and inner and end >= published:
            total += max(0, low - length)
    return total


def _days_with_history(
    ctx: Ctx, pid: str, bounds: Bounds, shift: str = ""
) -> tuple[list[bool], int]:
    """The person's worked days (with ``shift``, days on that shift) with the published days
    before the period in front, as far back as a run of ``bounds`` reaches; and how many are
    published."""
    if shift:
        days = {slot.day for slot in ctx.shifts_of[pid] if shift_matches(slot, shift)}
        flags = [day in days for day in ctx.period.days]
    else:
        flags = worked_days(ctx, pid)
    reach = max(bounds.min or 0, bounds.max or 0)
    if ctx.history is None or reach == 0:
        return flags, 0
    match = (lambda duty: shift_matches(duty, shift)) if shift else None
    before = ctx.history.worked_before(pid, reach, match)
    return before + flags, len(before)


def preferred_consecutive_days(ctx: Ctx) -> tuple[list[Violation], dict[str, int]]:
    """Runs of working days within ``preferred_consecutive_days``: each day over the maximum or
    short of the minimum (runs touching the period's ends: the maximum only) costs
    ``weights.preferred_consecutive_days``. With a history, runs go on from the published days:
    a run's days over the maximum in the period cost, and a short run that ends in the period
    or on the day before it."""
    weight = ctx.roster.config.weights.preferred_consecutive_days
    penalty = 0
    for pid in ctx.shifts_of:
        bounds = ctx.rules(ctx.roster.person(pid)).preferred_consecutive_days
        if bounds is not None:
            flags, published = _days_with_history(ctx, pid, bounds)
            penalty += weight * run_excess(flags, bounds.min, bounds.max, published)
    return [], {"preferred_consecutive_days": penalty}


def preferred_consecutive_days_off(ctx: Ctx) -> tuple[list[Violation], dict[str, int]]:
    """Runs of days off within ``preferred_consecutive_days_off``, priced as
    ``preferred_consecutive_days`` with ``weights.preferred_consecutive_days_off``, across the
    border too."""
    weight = ctx.roster.config.weights.preferred_consecutive_days_off
    penalty = 0
    for pid in ctx.shifts_of:
        bounds = ctx.rules(ctx.roster.person(pid)).preferred_consecutive_days_off
        if bounds is not None:
            flags, published = _days_with_history(ctx, pid, bounds)
            off = [not worked for worked in flags]
            penalty += weight * run_excess(off, bounds.min, bounds.max, published)
    return [], {"preferred_consecutive_days_off": penalty}


def preferred_consecutive_shifts(ctx: Ctx) -> tuple[list[Violation], dict[str, int]]:
    """Runs of days on one shift (by shift name or post id) within the range given for it in
    ``preferred_consecutive_shifts``; a day off or on another shift ends the run. Priced as
    ``preferred_consecutive_days`` with ``weights.preferred_consecutive_shifts``, across the
    border too (a published duty's shift is its post's pattern at that time of day)."""
    weight = ctx.roster.config.weights.preferred_consecutive_shifts
    penalty = 0
    for pid in ctx.shifts_of:
        limits = ctx.rules(ctx.roster.person(pid)).preferred_consecutive_shifts or {}
        for name, bounds in limits.items():
            flags, published = _days_with_history(ctx, pid, bounds, name)
            penalty += weight * run_excess(flags, bounds.min, bounds.max, published)
    return [], {"preferred_consecutive_shifts": penalty}


def complete_weekends(ctx: Ctx) -> tuple[list[Violation], dict[str, int]]:
    """For people with ``complete_weekends``: each weekend wholly inside the period worked on
    exactly one of its two days costs ``weights.complete_weekends``; with a history, so does the
    weekend of a period starting on a Sunday whose Saturday is published."""
    weight = ctx.roster.config.weights.complete_weekends
    penalty = 0
    weekends = [w for w in weekend_days(ctx.period) if len(w) == 2]
    saturday = ctx.period.first - timedelta(days=1)
    border = ctx.history is not None and saturday.weekday() == 5 and saturday in ctx.history.covered
    for pid in ctx.shifts_of:
        if not ctx.rules(ctx.roster.person(pid)).complete_weekends:
            continue
        flags = worked_days(ctx, pid)
        penalty += weight * sum(1 for sat, sun in weekends if flags[sat] != flags[sun])
        if border and ctx.history is not None:
            penalty += weight * (ctx.history.worked_before(pid, 1)[0] != flags[0])
    return [], {"complete_weekends": penalty}


def preferred_total_shifts(ctx: Ctx) -> tuple[list[Violation], dict[str, int]]:
    """Each person's shifts over the period within ``preferred_total_shifts``: each shift short
    or over costs ``weights.preferred_total_shifts``. ``preferred_total_shifts_per_window``: the
    same over the rolling window, the shifts published in it before the period counted too (those
    over its maximum already were the past's to charge)."""
    weight = ctx.roster.config.weights.preferred_total_shifts
    penalty = 0
    for pid, shifts in ctx.shifts_of.items():
        rules = ctx.rules(ctx.roster.person(pid))
        done = len(ctx.history.in_window(pid)) if ctx.history is not None else 0
        for bounds, before in (
            (rules.preferred_total_shifts, 0),
            (rules.preferred_total_shifts_per_window, done),
        ):
            if bounds is None:
                continue
            total = before + len(shifts)
            if bounds.min is not None:
                penalty += weight * max(0, bounds.min - total)
            if bounds.max is not None:
                penalty += weight * (max(0, total - bounds.max) - max(0, before - bounds.max))
    return [], {"preferred_total_shifts": penalty}


def preferred_max_weekends(ctx: Ctx) -> tuple[list[Violation], dict[str, int]]:
    """Each weekend worked (Saturday or Sunday) above ``preferred_max_weekends`` costs
    ``weights.preferred_max_weekends``. ``preferred_max_weekends_per_window``: the same over the
    rolling window, the weekends of its published weeks counted too (a week both published and
    planned once; published weekends over the most already were the past's to charge)."""
    weight = ctx.roster.config.weights.preferred_max_weekends
    penalty = 0
    for pid in ctx.shifts_of:
        rules = ctx.rules(ctx.roster.person(pid))
        planned = {iso_week(s.day) for s in ctx.shifts_of[pid] if s.day.weekday() >= 5}
        past = (
            {iso_week(d.day) for d in ctx.history.in_window(pid) if d.weekend}
            if ctx.history is not None
            else set()
        )
        for limit, before in (
            (rules.preferred_max_weekends, set()),
            (rules.preferred_max_weekends_per_window, past),
        ):
            if limit is None:
                continue
            worked = len(planned | before)
            penalty += weight * (max(0, worked - limit) - max(0, len(before) - limit))
    return [], {"preferred_max_weekends": penalty}


SOFT.extend(
    [
        preferred_consecutive_days,
        preferred_consecutive_days_off,
        preferred_consecutive_shifts,
        complete_weekends,
        preferred_total_shifts,
        preferred_max_weekends,
    ]
)
