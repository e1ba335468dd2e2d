"""Rule ``max_consecutive_days``: at most N working days in a row."""

from __future__ import annotations

from ..model import Penalty, RosterModel
from .days import Day, worked_days
from .history import past_days


def max_consecutive_days(m: RosterModel) -> list[Penalty]:
    """At most ``max_consecutive_days`` working days in a row; a day is worked when a shift starts
    on it. Hard.

    Stated as windows: every ``limit + 1`` consecutive dates hold at least one day off. Each window
    is a small linear constraint the LP relaxation and propagation both use directly. With a
    history the published days before the period come first, as constants: a run that started
    last week continues (and one already too long leaves the first day off)."""
    for person in m.people:
        limit = m.rules(person).max_consecutive_days
        if limit is None:
            continue
        before, before_dates = past_days(m, person, limit)
        dates = before_dates + m.period.days
        if limit >= len(dates):
            continue
        days: list[Day] = [*before, *worked_days(m, person)]
        for first in range(len(dates) - limit):
            if first + limit < len(before):
                continue  # wholly published
            window = days[first : first + limit + 1]
            lits = [d for d in window if not isinstance(d, int)]
            worked = sum(d for d in window if isinstance(d, int))
            if len(lits) <= limit - worked:
                continue  # enough days that cannot be worked at all
            guard = m.guard(
                "max_consecutive_days",
                f"{person.id} works at most {limit} days in a row "
                f"({dates[first]} … {dates[first + limit]})",
            )
            m.model.add(sum(lits) <= max(0, limit - worked)).only_enforce_if(guard)
    return []
