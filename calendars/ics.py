"""RFC 5545 serialisation we can vouch for: content-line folding, clean text, time zone blocks."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from icalendar import Component, Timezone

#: RFC 5545 section 3.1: a physical line holds at most 75 octets, not counting the CRLF.
LINE_OCTETS = 75
CRLF = "\r\n"

# TEXT values may not hold control characters other than HTAB (RFC 5545 section 3.3.11); line
# breaks are kept and become the \n escape.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Text safe to put in a TEXT property: CR LF and lone CR become LF, other controls go."""
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


# The pieces a fold may go between: single characters, except that a TEXT escape (backslash and
# the next character) and an RFC 6868 parameter escape (^n, ^^, ^') each stay whole, since some
# clients unescape before they unfold.
_UNITS = re.compile(r"\\.|\^[n^']|.", re.DOTALL)


def fold_line(line: str, limit: int = LINE_OCTETS) -> str:
    """One content line folded into physical lines of at most ``limit`` octets (the leading space
    of a continuation line counts), never inside a UTF-8 character or an escape sequence.

    icalendar 7.3 folds itself, but can move the second backslash of an escaped backslash onto
    the next line; we refold every line its serialiser produces with this function instead.
    """
    if len(line.encode("utf-8")) <= limit:
        return line
    lines: list[str] = []
    current: list[str] = []
    size = 0
    room = limit
    for unit in _UNITS.findall(line):
        octets = len(unit.encode("utf-8"))
        if current and size + octets > room:
            lines.append("".join(current))
            current, size = [], 0
            room = limit - 1  # the space that marks a continuation line
        current.append(unit)
        size += octets
    lines.append("".join(current))
    return (CRLF + " ").join(lines)


def serialize(calendar: Component) -> bytes:
    """The calendar (or one of its components) as RFC 5545 bytes: UTF-8, CRLF line ends, our
    folding, properties in the order they were added (so the output is byte-stable and
    readable)."""
    lines = [str(line) for line in calendar.content_lines(sorted=False) if line]
    return "".join(fold_line(line) + CRLF for line in lines).encode("utf-8")


@lru_cache(maxsize=16)
def vtimezone(tzid: str, first: date, last: date) -> Timezone:
    """A VTIMEZONE for ``tzid`` valid from ``first`` to ``last``, built from zoneinfo.

    Made once per range (a server builds the feeds of every new version over the same days) and
    shared: callers add it to calendars and serialise it, and must not change it.

    icalendar adds a COMMENT on the validity range directly inside VTIMEZONE, which RFC 5545 does
    not allow there (only inside STANDARD and DAYLIGHT); it is dropped. The range is kept short so
    the block holds the transitions the events need and nothing from decades ago.
    """
    zone = Timezone.from_tzid(tzid, first_date=first - timedelta(days=1), last_date=last)
    zone.pop("COMMENT", None)
    return zone
