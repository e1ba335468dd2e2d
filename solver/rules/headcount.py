"""Rule ``headcount``: people per slot between a hard minimum and maximum, near a soft target."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..model import Penalty, RosterModel


def headcount(m: RosterModel) -> list[Penalty]:
    """Every slot has at most ``max`` people (hard) and at least ``min`` (hard with ``--strict``;
    otherwise each missing person costs ``weights.shortage``, so a roster is always produced).
    Each person below ``target`` but at or above ``min`` costs the slot's under weight, each
    person above ``target`` its over weight. Penalty unit: people."""
    penalties: list[Penalty] = []
    shortage_weight = m.roster.config.weights.shortage
    for slot in m.slots:
        lits = [var for _, var in m.on_slot(slot)]
        count = sum(lits)
        # Where the terms live: the slot's people, on its day (for solver/lns.py).
        people, days = tuple(p.id for p, _ in m.on_slot(slot)), (slot.day,)
        if len(lits) > slot.max:
            m.model.add(count <= slot.max).only_enforce_if(
                m.guard("headcount", f"{slot.id} takes at most {slot.max}")
            )
        short: cp_model.LinearExpr | int = 0
        if slot.min > 0:
            if m.strict:
                m.model.add(count >= slot.min).only_enforce_if(
                    m.guard("headcount", f"{slot.id} needs at least {slot.min}")
                )
            else:
                short_var = m.model.new_int_var(0, slot.min, f"shortage({slot.id})")
                m.model.add(count + short_var >= slot.min)
                penalties.append(Penalty("shortage", short_var, shortage_weight, people, days))
                short = short_var
        gap = slot.target - slot.min
        if gap > 0 and slot.under_weight:
            under = m.model.new_int_var(0, gap, f"under_target({slot.id})")
            m.model.add(count + short + under >= slot.target)
            penalties.append(Penalty("under_target", under, slot.under_weight, people, days))
        room = min(len(lits), slot.max) - slot.target
        if room > 0 and slot.over_weight:
            over = m.model.new_int_var(0, room, f"over_target({slot.id})")
            m.model.add(count - over <= slot.target)
            penalties.append(Penalty("over_target", over, slot.over_weight, people, days))
    return penalties
