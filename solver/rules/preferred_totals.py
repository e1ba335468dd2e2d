"""Rules ``preferred_total_shifts`` and ``preferred_max_weekends``: soft totals over the period.

The ``*_per_window`` keys count the rolling window, the published weeks in it included."""

from __future__ import annotations

from ortools.sat.python import cp_model

from roster.check import weekend_days
from roster.history import iso_week
from roster.models import Bounds, Person

from ..model import Penalty, RosterModel
from .days import worked_days


def preferred_total_shifts(m: RosterModel) -> list[Penalty]:
    """Each person's number of shifts over the period is between ``min`` and ``max`` of
    ``preferred_total_shifts``: each shift short or over costs ``weights.preferred_total_shifts``.
    ``preferred_total_shifts_per_window`` is the same range over the rolling window: the shifts
    published in its weeks before the period count with the period's. Soft, unit: shifts."""
    weight = m.roster.config.weights.preferred_total_shifts
    penalties: list[Penalty] = []
    for person in m.people if weight else []:
        rules = m.rules(person)
        if rules.preferred_total_shifts is not None:
            penalties += _total(m, person, rules.preferred_total_shifts, 0, weight, "")
        if rules.preferred_total_shifts_per_window is not None:
            done = len(m.history.in_window(person.id)) if m.history is not None else 0
            window = rules.preferred_total_shifts_per_window
            penalties += _total(m, person, window, done, weight, ",window")
    return penalties


def _total(
    m: RosterModel, person: Person, bounds: Bounds, done: int, weight: int, tag: str
) -> list[Penalty]:
    """The penalties of ``done`` published shifts plus the person's shifts in the period outside
    ``bounds``."""
    lits = [var for _, var in m.of_person(person)]
    total = sum(lits)
    days = tuple(m.period.days)
    penalties = []
    if bounds.min is not None and bounds.min > done:
        need = bounds.min - done
        short = m.model.new_int_var(0, need, f"preferred_total_shifts({person.id}{tag},short)")
        # Exactly max(0, min − published − total).
        m.model.add_max_equality(short, [0, need - total])
        penalties.append(Penalty("preferred_total_shifts", short, weight, (person.id,), days))
    # Published shifts over the maximum were the past's to charge: the period is charged for
    # its own shifts over what is left.
    if bounds.max is not None and bounds.max < done + len(lits):
        room = max(0, bounds.max - done)
        over = m.model.new_int_var(
            0, len(lits) - room, f"preferred_total_shifts({person.id}{tag},over)"
        )
        m.model.add_max_equality(over, [0, total - room])
        penalties.append(Penalty("preferred_total_shifts", over, weight, (person.id,), days))
    return penalties


def preferred_max_weekends(m: RosterModel) -> list[Penalty]:
    """Each weekend worked (Saturday or Sunday, as far as it falls in the period) above
    ``preferred_max_weekends`` costs ``weights.preferred_max_weekends``.
    ``preferred_max_weekends_per_window`` is the same most over the rolling window: the weekends
    worked in its published weeks count with the period's (a weekend both published and planned,
    when the period starts on a Sunday, once). Soft, unit: weekends."""
    weight = m.roster.config.weights.preferred_max_weekends
    weekends = weekend_days(m.period)
    penalties: list[Penalty] = []
    for person in m.people if weight else []:
        rules = m.rules(person)
        if rules.preferred_max_weekends is not None:
            limit = rules.preferred_max_weekends
            penalties += _weekends(m, person, weekends, limit, set(), weight, "")
        if rules.preferred_max_weekends_per_window is not None:
            past = (
                {iso_week(d.day) for d in m.history.in_window(person.id) if d.weekend}
                if m.history is not None
                else set()
            )
            limit = rules.preferred_max_weekends_per_window
            penalties += _weekends(m, person, weekends, limit, past, weight, ",window")
    return penalties


def _weekends(
    m: RosterModel,
    person: Person,
    weekends: list[list[int]],
    limit: int,
    past: set[tuple[int, int]],
    weight: int,
    tag: str,
) -> list[Penalty]:
    """The penalty of the weekends of ``past`` (ISO weeks) and those worked in the period (of
    other weeks) above ``limit``; published weekends over it were the past's to charge."""
    days = worked_days(m, person)
    flags: list[cp_model.IntVar] = []
    for weekend in weekends:
        first = m.period.days[weekend[0]]
        lits = [d for i in weekend if not isinstance(d := days[i], int)]
        if not lits or iso_week(first) in past:
            continue
        flag = m.model.new_bool_var(f"weekend_worked({person.id}{tag},{first})")
        m.model.add_max_equality(flag, lits)
        flags.append(flag)
    room = max(0, limit - len(past))
    if len(flags) <= room:
        return []
    over = m.model.new_int_var(0, len(flags) - room, f"preferred_max_weekends({person.id}{tag})")
    m.model.add_max_equality(over, [0, sum(flags) - room])
    when = tuple(m.period.days[i] for w in weekends for i in w)
    return [Penalty("preferred_max_weekends", over, weight, (person.id,), when)]
