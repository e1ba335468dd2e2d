"""Rules ``fair_hours``, ``fair_nights``, ``fair_weekends``: each person near their fair share."""

from __future__ import annotations

from collections.abc import Iterable
from math import gcd

from ortools.sat.python import cp_model

from roster.eligibility import (
    FAIR_HOURS,
    FAIR_NIGHTS,
    FAIR_WEEKENDS,
    Measure,
    fairness_pools,
    past_load,
    past_work,
    pool_work,
)
from roster.models import Person

from ..model import Penalty, RosterModel

#: Loads are enumerated (as bits of an integer) only up to this many steps of their gcd; beyond
#: it the gcd alone bounds the gap, which is exact enough and keeps building fast.
MAX_STEPS = 200_000


def achievable(weeks: Iterable[tuple[list[int], int | None]], step: int) -> int | None:
    """The loads a person can reach, as a bit set over multiples of ``step``: bit i set when some
    choice of their slots adds up to ``i * step``. ``weeks`` holds each ISO week's slot sizes
    (multiples of ``step``) and the most the week may hold (or None). None when the set would
    have more than ``MAX_STEPS`` bits."""
    reach = 1
    top = 0
    for sizes, cap in weeks:
        week_top = sum(sizes) // step
        if cap is not None:
            week_top = min(week_top, cap // step)
        top += week_top
        if top > MAX_STEPS:
            return None
        mask = (1 << (week_top + 1)) - 1
        week = 1
        for size in sizes:
            week = (week | (week << (size // step))) & mask
        # Loads of the weeks so far plus a load of this week: the sum set of the two bit sets.
        both = 0
        bit = 0
        while week >> bit:
            if (week >> bit) & 1:
                both |= reach << bit
            bit += 1
        reach = both
    return reach


def least_gap(reach: int | None, step: int, expected: int) -> int:
    """The distance from ``expected`` to the nearest reachable load (``reach`` as from
    ``achievable``; None means every multiple of ``step`` from 0 up). An ``expected`` below 0 (a
    share the published weeks already exceed) is nearest to the empty load."""
    if expected < 0:
        return -expected
    if step <= 0:
        return expected  # no slots: the load is 0
    below = expected // step
    if reach is None:
        return min(expected - below * step, (below + 1) * step - expected)
    gaps = []
    under = reach & ((1 << (below + 1)) - 1)
    if under:
        gaps.append(expected - (under.bit_length() - 1) * step)
    over = reach >> (below + 1)
    if over:
        gaps.append(((over & -over).bit_length() + below) * step - expected)
    return min(gaps)


def _weeks(
    m: RosterModel, person: Person, measure: Measure, smallest: int = 1
) -> tuple[list[tuple[list[int], int | None]], int]:
    """The measure's sizes of a person's slots of at least ``smallest`` by ISO week, each week
    with the most its hard rules let it hold, and the gcd of the sizes (0 when there are none)."""
    by_week: dict[tuple[int, int], list[int]] = {}
    for slot, _ in m.of_person(person):
        size = measure.size(slot)
        if size and size >= smallest:
            iso = slot.day.isocalendar()
            by_week.setdefault((iso.year, iso.week), []).append(size)
    step = 0
    for sizes in by_week.values():
        for size in sizes:
            step = gcd(step, size)
    cap: int | None = None
    rules = m.rules(person)
    # Hours are the one measure a hard rule caps per week (rule ``hours``, by the week a shift
    # starts in, in minutes as here). In explain mode that rule may be switched off: no cap.
    if measure is FAIR_HOURS and not m.explain and rules.max_hours_per_week is not None:
        cap = round(rules.max_hours_per_week * 60)
    return [(sizes, cap) for _, sizes in sorted(by_week.items())], step


def _gap_from(
    m: RosterModel, person: Person, measure: Measure, expected: int, smallest: int
) -> int:
    """The least distance from ``expected`` to a load made of the person's slots of at least
    ``smallest`` alone."""
    weeks, step = _weeks(m, person, measure, smallest)
    return least_gap(achievable(weeks, step) if step else 0, step, expected)


def _spread(m: RosterModel, measure: Measure) -> list[Penalty]:
    """For each person of each pool, the measure's weight per unit (rounded up) by which their
    load differs from their fair share of the pool's work.

    A load is a sum of the sizes of the person's slots, so it can only be a multiple of their gcd
    and, more precisely, one of the sums their slots (within weekly hour limits) can make. The
    gap's least value, the distance from the fair share to the nearest such sum, is the penalty's
    lower bound; when the unit divides the gcd (hours of whole-hour shifts, shift counts) the gap
    in units is modelled exactly with the share rounded down and up to the unit, so the LP
    relaxation sees at least half a unit wherever the share falls between two units.

    With a history, fairness is over the rolling window: the pool's work and each load include the
    published weeks in it, and shares count the published days not on leave. The published load
    is a constant, so the person's share of the window less it is what the period should bring
    (below 0 when the published weeks already hold more than the share)."""
    weight: int = getattr(m.roster.config.weights, measure.rule)
    if weight <= 0:
        return []
    unit = measure.unit
    penalties = []
    history = m.history
    for pool in fairness_pools(m.roster, m.period, history):
        total = pool_work(pool, m.slots, measure) + past_work(history, pool, measure)
        for person in pool.people:
            terms = [
                (measure.size(slot), var) for slot, var in m.of_person(person) if measure.size(slot)
            ]
            expected = pool.expected(person, total) - past_load(history, pool, person.id, measure)
            weeks, step = _weeks(m, person, measure)
            least = least_gap(achievable(weeks, step) if step else 0, step, expected)
            # The gap is at most the larger of the share and the most the person can take, plus
            # how far the published load is already over the share.
            top = max(expected, sum(s for s, _ in terms)) - min(0, expected)
            units = m.model.new_int_var(
                -(-least // unit), -(-top // unit), f"{measure.rule}({person.id})"
            )
            load = sum(s * v for s, v in terms)
            if step and step % unit == 0:
                # The load is a whole number of units: the gap rounded up is exactly the larger
                # of (load - share rounded down) and (share rounded up - load), in units.
                m.model.add(unit * units >= load - unit * (expected // unit))
                m.model.add(unit * units >= unit * -(-expected // unit) - load)
            else:
                deviation = m.model.new_int_var(least, top, f"{measure.rule}_dev({person.id})")
                m.model.add(deviation >= load - expected)
                m.model.add(deviation >= expected - load)
                m.model.add(units * unit >= deviation)
            _coarse_cuts(m, person, measure, terms, expected, least, unit * units)
            # Where the term lives (solver/lns.py): the person; any day of the period.
            penalties.append(Penalty(measure.rule, units, weight, (person.id,)))
    return penalties


def _coarse_cuts(
    m: RosterModel,
    person: Person,
    measure: Measure,
    terms: list[tuple[int, cp_model.IntVar]],
    expected: int,
    least: int,
    gap: cp_model.LinearExpr,
) -> None:
    """Implied limits on a person's gap (``gap``, in the measure's own amounts) from their long
    slots: for each size ``t`` of their slots but the smallest, a load is a sum of slots of at
    least ``t`` (the coarse part, which can only reach certain loads) plus shorter ones, so the
    gap is at least the coarse part's least distance to the share minus the short slots taken.

    Redundant for the search, but CP-SAT's LP keeps them, and they carry what the per-person bound
    (the gap's least value over all the person's slots) misses: the short slots that let a load
    land near its share are few and shared by the pool (one 1-hour broadcast a day against dozens
    of people whose 6-hour gate shifts leave them hours off their share). On the district's
    44-person community c11 (10 units, 2 workers) the root bound went from 59 to 86 and the roster
    from 156 to 98 (benchmarks/district.md)."""
    for smallest in sorted({size for size, _ in terms})[1:]:
        coarse = _gap_from(m, person, measure, expected, smallest)
        if coarse <= least:
            continue  # no stronger than the gap's least value
        short = sum(size * var for size, var in terms if size < smallest)
        m.model.add(gap >= coarse - short)


def fair_hours(m: RosterModel) -> list[Penalty]:
    """Each person's hours are held near their fair share of their pool's hours (the pool's
    hours at target headcount, shared in proportion to what each can give: weekly limit times days
    not on leave). Each hour above or below costs ``weights.fair_hours``. Soft; unit: hours of
    difference per person, rounded up."""
    return _spread(m, FAIR_HOURS)


def fair_nights(m: RosterModel) -> list[Penalty]:
    """Each person's night shifts are held near their fair share of the pool's night shifts; each
    night shift above or below costs ``weights.fair_nights``. Soft; unit: night shifts."""
    return _spread(m, FAIR_NIGHTS)


def fair_weekends(m: RosterModel) -> list[Penalty]:
    """Each person's weekend shifts (starting Saturday or Sunday) are held near their fair share;
    each one above or below costs ``weights.fair_weekends``. Soft; unit: weekend shifts."""
    return _spread(m, FAIR_WEEKENDS)
