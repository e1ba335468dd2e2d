"""What a roster store holds before a period, as the period's history: the one way the commands
(and the INRC-II benchmark) read it."""

from __future__ import annotations

from roster.history import History, history_weeks
from roster.load import Roster
from roster.slots import Period
from roster.versions import Version

from .store import Store


def published_history(
    store: Store, roster: Roster, period: Period
) -> tuple[History | None, list[Version]]:
    """The history of ``period`` from the latest version of each period ``store`` holds for the
    community before it, as far back as the roster's rules look (``history_weeks``), and those
    versions, oldest first; (None, []) when nothing is published before the period."""
    versions = store.history_before(roster.name, period.start, history_weeks(roster, period))
    if not versions:
        return None, []
    return History.from_versions(roster, versions, period), versions
