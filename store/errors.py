"""Errors of the roster store, rooted in RosterError so the CLI prints them as one sentence."""

from __future__ import annotations

from roster.errors import RosterError
from roster.versions import Version


class StoreError(RosterError):
    """Raised when the roster store cannot be opened or read: a wrong ``--db`` / ``ROSTER_DB``, a
    server that does not answer, or a store written by a newer dutyroster. The message names the
    store (passwords hidden) and what to do."""


class StoreConflict(StoreError):
    """Raised when a version is published on top of one that is no longer the period's latest:
    someone else published in between. ``latest`` is the version to rebase on: look at it
    (``roster diff``), then publish again with it as the parent. Nothing was recorded."""

    def __init__(self, message: str, latest: Version | None) -> None:
        self.latest = latest
        super().__init__(message)


class VersionNotFound(StoreError):
    """Raised when a version number, or any version, of a period is asked for that was never
    published. ``roster history`` lists what was."""
