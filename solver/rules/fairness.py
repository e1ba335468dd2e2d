"""Rules ``fair_hours``, ``fair_nights``, ``fair_weekends``: each person near their fair share."""

from __future__ import annotations

from roster.eligibility import (
    FAIR_HOURS,
    FAIR_NIGHTS,
    FAIR_WEEKENDS,
    Measure,
    fairness_pools,
    pool_work,
)

from ..model import Penalty, RosterModel


def _spread(m: RosterModel, measure: Measure) -> list[Penalty]:
    """For each person of each pool, the measure's weight per unit (rounded up) by which their
    load differs from their fair share of the pool's work."""
    weight: int = getattr(m.roster.config.weights, measure.rule)
    if weight <= 0:
        return []
    penalties = []
    for pool in fairness_pools(m.roster, m.period):
        total = pool_work(pool, m.slots, measure)
        for person in pool.people:
            terms = [
                (measure.size(slot), var) for slot, var in m.of_person(person) if measure.size(slot)
            ]
            expected = pool.expected(person, total)
            top = max(expected, sum(s for s, _ in terms))
            deviation = m.model.new_int_var(0, top, f"{measure.rule}_dev({person.id})")
            load = sum(s * v for s, v in terms)
            m.model.add(deviation >= load - expected)
            m.model.add(deviation >= expected - load)
            units = m.model.new_int_var(0, -(-top // measure.unit), f"{measure.rule}({person.id})")
            m.model.add(units * measure.unit >= deviation)
            penalties.append(Penalty(measure.rule, units, weight))
    return penalties


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
