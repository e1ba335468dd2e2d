"""Rules ``preferred_consecutive_*`` (days, days off, shifts): runs of a preferred length.

Each day a run is longer or shorter than the range costs: ``preferred_consecutive_days``,
``preferred_consecutive_days_off`` and ``preferred_consecutive_shifts``. With a history the runs
go on from the published days before the period (roster/history.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ortools.sat.python import cp_model

from roster.check import shift_matches
from roster.models import Bounds, Person

from ..model import Penalty, RosterModel
from .days import Day, worked_days

#: A day of a run: a Boolean and whether the day is of the run's kind when it is true (False:
#: when it is false), or a constant (True: the day is of the run's kind whatever happens).
Mark = tuple[cp_model.IntVar, bool] | bool


def preferred_consecutive_days(m: RosterModel) -> list[Penalty]:
    """Each run of working days is between ``min`` and ``max`` long: every day over the maximum
    and every day short of the minimum costs ``weights.preferred_consecutive_days``. A run
    touching either end of the period is not held to the minimum (it may go on beyond the
    period); its days inside the period count towards the maximum. With a history, a run goes on
    from the published days before the period: only its days over the maximum that fall in the
    period cost, and a short run that ends in the period (or on the day before it) costs now.
    Soft, unit: days."""
    weight = m.roster.config.weights.preferred_consecutive_days
    penalties: list[Penalty] = []
    for person in m.people:
        bounds = m.rules(person).preferred_consecutive_days
        if bounds is not None and weight:
            before = _before(m, person, bounds)
            marks = [*before, *(_lit(d) for d in worked_days(m, person))]
            penalties += soft_runs(
                m, person, marks, bounds, weight, "preferred_consecutive_days", past=len(before)
            )
    return penalties


def preferred_consecutive_days_off(m: RosterModel) -> list[Penalty]:
    """Each run of days off is between ``min`` and ``max`` long; as
    ``preferred_consecutive_days``, with ``weights.preferred_consecutive_days_off``. Leave and days
    with no shift the person may take are days off. Soft, unit: days."""
    weight = m.roster.config.weights.preferred_consecutive_days_off
    penalties: list[Penalty] = []
    for person in m.people:
        bounds = m.rules(person).preferred_consecutive_days_off
        if bounds is not None and weight:
            before = [not worked for worked in _before(m, person, bounds)]
            marks = [*before, *(_negate(d) for d in worked_days(m, person))]
            penalties += soft_runs(
                m, person, marks, bounds, weight, "preferred_consecutive_days_off", past=len(before)
            )
    return penalties


def preferred_consecutive_shifts(m: RosterModel) -> list[Penalty]:
    """For each shift named in ``preferred_consecutive_shifts`` (a shift pattern's name, such as
    早班, or a post id), each run of days on that shift is between ``min`` and ``max`` long; a
    day off or a day on another shift ends the run. Costs and ends of the period as
    ``preferred_consecutive_days``, with ``weights.preferred_consecutive_shifts``. Soft, unit:
    days."""
    weight = m.roster.config.weights.preferred_consecutive_shifts
    penalties: list[Penalty] = []
    for person in m.people:
        limits = m.rules(person).preferred_consecutive_shifts
        if not limits or not weight:
            continue
        for name, bounds in sorted(limits.items()):
            before = _before(m, person, bounds, name)
            marks = [*before, *_days_on_shift(m, person, name)]
            penalties += soft_runs(
                m, person, marks, bounds, weight, "preferred_consecutive_shifts", name, len(before)
            )
    return penalties


def _before(m: RosterModel, person: Person, bounds: Bounds, shift: str = "") -> list[bool]:
    """The published days just before the period that a run of ``bounds`` can reach back to
    (``max`` days for the maximum, ``min`` for the minimum), as constants: whether the person
    worked (with ``shift``, worked that shift) on each; empty without a history."""
    reach = max(bounds.min or 0, bounds.max or 0)
    if m.history is None or reach == 0:
        return []
    match = (lambda duty: shift_matches(duty, shift)) if shift else None
    return m.history.worked_before(person.id, reach, match)


def _lit(day: Day) -> Mark:
    return bool(day) if isinstance(day, int) else (day, True)


def _negate(day: Day) -> Mark:
    return not day if isinstance(day, int) else (day, False)


def _days_on_shift(m: RosterModel, person: Person, name: str) -> list[Mark]:
    """For each date: whether the person works a shift named ``name`` that day."""
    by_day: dict[date, list[cp_model.IntVar]] = {}
    for slot, var in m.of_person(person):
        if shift_matches(slot, name):
            by_day.setdefault(slot.day, []).append(var)
    out: list[Mark] = []
    for day in m.period.days:
        lits = by_day.get(day, [])
        if not lits:
            out.append(False)
        elif len(lits) == 1:
            out.append((lits[0], True))
        else:
            on = m.model.new_bool_var(f"on_shift({person.id},{name},{day})")
            m.model.add_max_equality(on, lits)
            out.append((on, True))
    return out


def soft_runs(
    m: RosterModel,
    person: Person,
    marks: Sequence[Mark],
    bounds: Bounds,
    weight: int,
    rule: str,
    label: str = "",
    past: int = 0,
) -> list[Penalty]:
    """Penalties for the runs of ``marks`` (true days) outside ``bounds``. The first ``past``
    marks are published days before the period (constants, ``_before``).

    Over the maximum: each window of ``max + 1`` days all true costs once, so a run of length L
    costs L − max; a window wholly among published days was charged when they were planned, so a
    run from last week is charged only for its days over the maximum in the period. Under the
    minimum: each pattern "false, j true days, false" with j below the minimum, both ends known,
    costs min − j once its last day (the one that ends the run) is in the period: a short run
    that ended on the day before the period is charged now, as its end was not known then. Each
    penalty Boolean is exactly its pattern (not merely at least), so any solution's objective is
    the roster's penalty."""
    dates = m.period.days
    history = m.history.days_before(past) if m.history is not None and past else []
    every = [*history, *dates]
    penalties: list[Penalty] = []
    tag = f"{rule}({person.id}{',' + label if label else ''}"

    def planned(first: int, last: int) -> tuple[date, ...]:
        """The dates of the period among ``every[first : last + 1]``."""
        return tuple(every[max(first, past) : last + 1])

    if bounds.max is not None:
        size = bounds.max + 1
        for first in range(max(0, past - size + 1), len(every) - size + 1):
            pattern = [(marks[i], True) for i in range(first, first + size)]
            var = _pattern(m, pattern, f"{tag},over,{every[first]})")
            if var is not None:
                days = planned(first, first + size - 1)
                penalties.append(Penalty(rule, var, weight, (person.id,), days))
    if bounds.min is not None:
        for j in range(1, bounds.min):
            for before in range(max(0, past - j - 1), len(every) - j - 1):
                after = before + j + 1
                pattern = [
                    (marks[before], False),
                    *[(marks[i], True) for i in range(before + 1, after)],
                    (marks[after], False),
                ]
                var = _pattern(m, pattern, f"{tag},short{j},{every[before + 1]})")
                if var is not None:
                    days = planned(before, after)
                    penalties.append(
                        Penalty(rule, var, weight * (bounds.min - j), (person.id,), days)
                    )
    return penalties


def _pattern(m: RosterModel, pattern: list[tuple[Mark, bool]], name: str) -> cp_model.IntVar | None:
    """A Boolean equal to "every mark has its wanted value", or None when that cannot happen."""
    holds: list[cp_model.LiteralT] = []  # each is true when its day has the wanted value
    fails: list[cp_model.LiteralT] = []  # each is true when it does not
    for mark, want in pattern:
        if isinstance(mark, bool):
            if mark != want:
                return None
            continue
        boolean, kind = mark
        if kind == want:
            holds.append(boolean)
            fails.append(boolean.Not())
        else:
            holds.append(boolean.Not())
            fails.append(boolean)
    var = m.model.new_bool_var(name)
    if not holds:
        m.model.add(var == 1)
        return var
    m.model.add_bool_or([*fails, var])
    for lit in holds:
        m.model.add_implication(var, lit)
    return var
