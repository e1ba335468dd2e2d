"""Rules ``fair_hours``, ``fair_nights``, ``fair_weekends``: the load shared evenly in each pool."""

from __future__ import annotations

from collections.abc import Callable

from roster.eligibility import fairness_pools
from roster.slots import Slot

from ..model import Penalty, RosterModel


def _spread(
    m: RosterModel, rule: str, weight: int, size: Callable[[Slot], int], unit: int
) -> list[Penalty]:
    """Penalty ``weight`` per ``unit`` (rounded up) of the gap between the most and the least
    loaded person of each pool, the load of a person being the sum of ``size`` over their slots."""
    if weight <= 0:
        return []
    penalties = []
    for number, pool in enumerate(fairness_pools(m.roster, m.slots)):
        loads = []
        for person in pool:
            terms = [(size(slot), var) for slot, var in m.of_person(person) if size(slot)]
            top = sum(s for s, _ in terms)
            load = m.model.new_int_var(0, top, f"{rule}_load({person.id})")
            m.model.add(load == sum(s * v for s, v in terms))
            loads.append((load, top))
        ceiling = max(top for _, top in loads)
        if ceiling == 0:
            continue
        most = m.model.new_int_var(0, ceiling, f"{rule}_max(pool{number})")
        least = m.model.new_int_var(0, ceiling, f"{rule}_min(pool{number})")
        m.model.add_max_equality(most, [load for load, _ in loads])
        m.model.add_min_equality(least, [load for load, _ in loads])
        gap = m.model.new_int_var(0, -(-ceiling // unit), f"{rule}(pool{number})")
        m.model.add(gap * unit >= most - least)
        penalties.append(Penalty(rule, gap, weight))
    return penalties


def fair_hours(m: RosterModel) -> list[Penalty]:
    """In each pool (people who may take the same posts and are not on leave), each hour of gap
    between the most and the least hours worked costs ``weights.fair_hours``. Soft; unit: hours,
    the gap rounded up to a whole hour."""
    return _spread(m, "fair_hours", m.roster.config.weights.fair_hours, lambda s: s.minutes, 60)


def fair_nights(m: RosterModel) -> list[Penalty]:
    """In each pool, each night shift of gap between the most and the fewest night shifts costs
    ``weights.fair_nights``. Soft; unit: night shifts."""
    return _spread(m, "fair_nights", m.roster.config.weights.fair_nights, lambda s: int(s.night), 1)


def fair_weekends(m: RosterModel) -> list[Penalty]:
    """In each pool, each weekend shift (starting Saturday or Sunday) of gap between the most and
    the fewest costs ``weights.fair_weekends``. Soft; unit: weekend shifts."""
    return _spread(
        m,
        "fair_weekends",
        m.roster.config.weights.fair_weekends,
        lambda s: int(s.day.weekday() >= 5),
        1,
    )
