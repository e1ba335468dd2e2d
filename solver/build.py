"""The model of a roster with every rule added and the objective stated: what every search and
every explanation starts from."""

from __future__ import annotations

from roster.history import History
from roster.load import Roster
from roster.slots import Period, Slot

from .model import Penalty, RosterModel
from .rules import RULES


def build_model(
    roster: Roster,
    period: Period,
    slots: list[Slot],
    *,
    strict: bool,
    explain: bool = False,
    history: History | None = None,
) -> tuple[RosterModel, list[Penalty]]:
    """The model with every rule added, and the penalties of the soft rules. ``history``: the
    duties published before the period, built for it."""
    if history is not None:
        history.check_period(period)
    m = RosterModel(roster, period, slots, strict=strict, explain=explain, history=history)
    penalties: list[Penalty] = []
    for rule in RULES:
        penalties.extend(rule(m))
    m.model.minimize(sum(p.coef * p.var for p in penalties))
    m.penalties = penalties
    return m, penalties
