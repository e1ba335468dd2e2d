"""Rule ``rounds``: each area's first round of the day before any area's second."""

from __future__ import annotations

import itertools

from roster.shortfall import round_prices, rounds_of

from ..model import Penalty, RosterModel


def rounds(m: RosterModel) -> list[Penalty]:
    """A post marked ``rounds: true`` is an area whose shifts of a day are rounds (disinfection
    at 08:00 and 15:00). When people are short, every area keeps its first round of each day
    before any area gets its second: on each day, a round not held costs ``weights.rounds`` if it
    would be the area's last of the day, and each earlier one costs ``weights.rounds`` more than
    every later round of every area that day together. A round is held when at least one person
    takes it; how many are missing on it is the ``headcount`` rule's business. Soft. Penalty unit:
    rounds not held, priced by their place in the day (``roster.shortfall.round_prices``).

    For each area and day, ``lost(k)`` says the area's k-th round is not held; the lost rounds
    are the last ones (``lost(k)`` implies ``lost(k+1)``), and the rounds kept are at most the
    rounds someone takes."""
    prices = round_prices(m.roster.config, m.slots)
    penalties: list[Penalty] = []
    for (post, day), slots in rounds_of(m.roster.config, m.slots).items():
        held = []
        people: set[str] = set()
        for slot in slots:
            on = m.on_slot(slot)
            if not on:
                continue  # nobody may take it: never held
            people.update(p.id for p, _ in on)
            flag = m.model.new_bool_var(f"held({slot.id})")
            m.model.add(sum(var for _, var in on) >= 1).only_enforce_if(flag)
            held.append(flag)
        lost = [m.model.new_bool_var(f"rounds({post},{day},{k + 1})") for k in range(len(slots))]
        for earlier, later in itertools.pairwise(lost):
            m.model.add_implication(earlier, later)
        m.model.add(len(slots) - sum(lost) <= sum(held))
        who = tuple(sorted(people))
        for var, price in zip(lost, prices[(post, day)], strict=True):
            penalties.append(Penalty("rounds", var, price, who, (day,)))
    return penalties
