"""A published version of one period's roster: what the store keeps, the feeds and server read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .schedule import Schedule


@dataclass(frozen=True)
class Version:
    """One published version of one period's schedule. Versions are never changed: a repair or a
    swap publishes the next number, whose ``parent`` is the version it was made from."""

    #: 1, 2, … within its period.
    number: int
    #: The number of the version this one replaces (None for a period's first version).
    parent: int | None
    #: When it was published (aware, UTC).
    published_at: datetime
    #: Who published it (``--by``, default the OS user).
    author: str
    #: Why it was published (``-m``).
    message: str
    #: SHA-256 of the inputs it was made from (roster folder files), hex.
    inputs_digest: str
    #: The schedule itself, ``schedule.json`` version 1.
    schedule: Schedule

    @property
    def period_start(self) -> datetime:
        """Aware start of the period this version is for."""
        return self.schedule.period.start

    @property
    def period_end(self) -> datetime:
        """Aware end (exclusive) of the period this version is for."""
        return self.schedule.period.end
