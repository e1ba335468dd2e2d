"""Rules ``fair_hours``, ``fair_nights``, ``fair_weekends``: the load shared evenly in each pool."""

from __future__ import annotations

from roster.eligibility import FAIR_HOURS, FAIR_NIGHTS, FAIR_WEEKENDS, Measure, fairness_pools

from ..model import Penalty, RosterModel


def _spread(m: RosterModel, measure: Measure) -> list[Penalty]:
    """Penalty (the measure's weight) per unit, rounded up, of the gap between the most and the
    least loaded person of each pool, each person's load scaled by what they can give."""
    weight: int = getattr(m.roster.config.weights, measure.rule)
    if weight <= 0:
        return []
    penalties = []
    for number, pool in enumerate(fairness_pools(m.roster, m.period)):
        loads = []
        for person in pool.people:
            terms = [
                (pool.scaled(person, measure.size(slot)), var)
                for slot, var in m.of_person(person)
                if measure.size(slot)
            ]
            top = sum(s for s, _ in terms)
            load = m.model.new_int_var(0, top, f"{measure.rule}_load({person.id})")
            m.model.add(load == sum(s * v for s, v in terms))
            loads.append((load, top))
        ceiling = max(top for _, top in loads)
        if ceiling == 0:
            continue
        most = m.model.new_int_var(0, ceiling, f"{measure.rule}_max(pool{number})")
        least = m.model.new_int_var(0, ceiling, f"{measure.rule}_min(pool{number})")
        m.model.add_max_equality(most, [load for load, _ in loads])
        m.model.add_min_equality(least, [load for load, _ in loads])
        gap = m.model.new_int_var(0, -(-ceiling // measure.unit), f"{measure.rule}(pool{number})")
        m.model.add(gap * measure.unit >= most - least)
        penalties.append(Penalty(measure.rule, gap, weight))
    return penalties


def fair_hours(m: RosterModel) -> list[Penalty]:
    """In each pool (people who may take the same posts), each hour of gap between the most and
    the least loaded costs ``weights.fair_hours``; loads are compared in proportion to what each
    can give (weekly limit times days not on leave). Soft; unit: hours, rounded up."""
    return _spread(m, FAIR_HOURS)


def fair_nights(m: RosterModel) -> list[Penalty]:
    """In each pool, each night shift of gap between the most and the fewest night shifts (in
    proportion to what each can give) costs ``weights.fair_nights``. Soft; unit: night shifts."""
    return _spread(m, FAIR_NIGHTS)


def fair_weekends(m: RosterModel) -> list[Penalty]:
    """In each pool, each weekend shift (starting Saturday or Sunday) of gap between the most and
    the fewest costs ``weights.fair_weekends``. Soft; unit: weekend shifts."""
    return _spread(m, FAIR_WEEKENDS)
