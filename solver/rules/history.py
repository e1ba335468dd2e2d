"""What the rules read of the history (roster/history.py): published days and the rolling window."""

from __future__ import annotations

from datetime import date

from roster.models import Person

from ..model import RosterModel


def window_weeks(m: RosterModel) -> int:
    """ISO weeks in the rolling window: the history's, else the roster's ``window_weeks``."""
    return m.history.window_weeks if m.history is not None else m.roster.config.window_weeks


def past_days(m: RosterModel, person: Person, count: int) -> tuple[list[int], list[date]]:
    """Up to ``count`` published dates just before the period (as far back as published schedules
    cover them without a gap), oldest first, with 1 where the person had a duty starting on it and
    0 where not; empty without a history."""
    if m.history is None or count <= 0:
        return [], []
    return [int(w) for w in m.history.worked_before(person.id, count)], m.history.days_before(count)
