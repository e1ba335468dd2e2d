"""Errors a coordinator can cause when writing feeds, each naming the file or folder concerned."""

from __future__ import annotations

from roster.errors import RosterError


class FeedError(RosterError):
    """Raised when feeds cannot be written: the output folder is not a feeds folder, the feeds
    secret or rotation file is damaged, the schedule does not match the roster, or an option is
    malformed.

    The message starts with the file or folder concerned and says what to do about it.
    """
