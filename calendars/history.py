"""What the feeds show of a roster's published versions: each event's SEQUENCE, status and times,
computed from the versions alone (no earlier feed file is read)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from roster.i18n import _
from roster.schedule import SlotOut
from roster.versions import Version

from .errors import FeedError

K = TypeVar("K", bound=Hashable)

#: How many periods a feed carries by default: the most recent ones, by their start.
DEFAULT_WINDOW = 4


@dataclass(frozen=True)
class Entry:
    """One event of a feed: a slot as the latest version shows it, or, when ``cancelled``, as the
    last version that had it showed it.

    ``sequence`` counts the published versions of the period that changed the event after the one
    where it first appeared; ``created`` is that first version's publishing time and ``modified``
    the publishing time of the version that last changed it (both None for a lone schedule).
    """

    slot: SlotOut
    sequence: int = 0
    cancelled: bool = False
    created: datetime | None = None
    modified: datetime | None = None


@dataclass(frozen=True)
class Period:
    """A published period inside the window, with the versions it was published in."""

    start: datetime
    end: datetime
    versions: tuple[Version, ...]

    @property
    def latest(self) -> Version:
        """The version whose duties the feeds show."""
        return self.versions[-1]


@dataclass
class Published:
    """Everything the feeds of a list of versions show."""

    #: The periods inside the window, oldest first.
    periods: list[Period]
    #: The reference time: cancelled events of a period that ended by then are left out.
    now: datetime | None
    #: Person id → the events of their feed, by start time (people no longer in the roster too).
    duties: dict[str, list[Entry]] = field(default_factory=dict)
    #: The events of the overview feeds (post and whole roster), one per slot, by start time.
    slots: list[Entry] = field(default_factory=list)


# What "changed" means. An event shows its slot's start, end and post (title, place and
# instructions) and, in a person's feed, who else is on that shift, in an overview feed, who is
# on it and how many are missing. The texts come from the roster folder as it is now, so the
# slot data below decides exactly when the rendered event differs between two versions: a
# version changes an event when any of these differ, or when the event leaves (cancelled) or
# comes back. Editing a post's instructions or a name in the roster folder changes the text of
# every event without raising SEQUENCE: that is a change of wording, not of anyone's duty.


def _duty_signature(slot: SlotOut, person: str) -> Hashable:
    others = tuple(pid for pid in slot.assigned if pid != person)
    return (slot.start, slot.end, slot.post, others)


def _slot_signature(slot: SlotOut) -> Hashable:
    return (slot.start, slot.end, slot.post, tuple(slot.assigned), slot.shortage)


@dataclass
class _Track:
    """The life of one event through the versions of its period."""

    slot: SlotOut
    signature: Hashable
    created: datetime
    modified: datetime
    sequence: int = 0
    cancelled: bool = False

    def entry(self) -> Entry:
        return Entry(self.slot, self.sequence, self.cancelled, self.created, self.modified)


def _follow(
    versions: Sequence[tuple[datetime, dict[K, tuple[SlotOut, Hashable]]]],
    tracks: dict[K, _Track] | None = None,
) -> dict[K, _Track]:
    """Each event's track through one period's versions, given for each version in order its
    publishing time and its events as key → (slot, signature); ``tracks`` are those after the
    period's earlier versions (changed in place)."""
    tracks = {} if tracks is None else tracks
    for when, events in versions:
        for key, (slot, signature) in events.items():
            track = tracks.get(key)
            if track is None:
                tracks[key] = _Track(slot, signature, when, when)
            elif track.cancelled or track.signature != signature:
                track.slot, track.signature = slot, signature
                track.sequence += 1
                track.modified = when
                track.cancelled = False
        for key, track in tracks.items():
            if key not in events and not track.cancelled:
                # Removed in this version: the event stays, cancelled, with the last content it
                # had, so subscribed calendars see it called off rather than lose it silently.
                track.sequence += 1
                track.modified = when
                track.cancelled = True
    return tracks


#: What ``published`` keeps between calls for a caller that passes it (a server building the feeds
#: of each new version): for each period and kind of event, the publishing stamps of the versions
#: followed so far and the tracks after them. Versions never change and a period's versions are
#: only ever added, so a new version of a period is followed from where the last call stopped
#: instead of through all its versions again.
HistoryMemo = dict[Hashable, tuple[tuple[Hashable, ...], dict[Any, _Track]]]


def _followed(
    memo: HistoryMemo | None,
    key: Hashable,
    versions: Sequence[Version],
    events_of: Callable[[Version], dict[Any, tuple[SlotOut, Hashable]]],
) -> dict[Any, _Track]:
    """The tracks of one period's events through its versions, from ``memo`` where it has them
    (the result is shared with the memo: read it, do not change it)."""
    stamps = tuple((v.number, v.published_at) for v in versions)
    tracks: dict[Any, _Track] | None = None
    done = 0
    if memo is not None and key in memo:
        seen, kept = memo[key]
        if stamps == seen:
            return kept
        if stamps[: len(seen)] == seen:
            tracks = {k: replace(track) for k, track in kept.items()}
            done = len(seen)
    tracks = _follow([(v.published_at, events_of(v)) for v in versions[done:]], tracks)
    if memo is not None:
        memo[key] = (stamps, tracks)
    return tracks


def _duty_events(version: Version) -> dict[Any, tuple[SlotOut, Hashable]]:
    return {
        (pid, s.id): (s, _duty_signature(s, pid))
        for s in version.schedule.slots
        for pid in s.assigned
    }


def _slot_events(version: Version) -> dict[Any, tuple[SlotOut, Hashable]]:
    return {s.id: (s, _slot_signature(s)) for s in version.schedule.slots}


def period_label(version: Version, zone: tzinfo | None = None) -> str:
    """The period of a version as its first and last day, e.g. 2020-02-03–2020-02-09, in
    ``zone`` (default: the schedule's time zone; the period's end is the midnight after its
    last day)."""
    if zone is None:
        try:
            zone = ZoneInfo(version.schedule.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = version.period_start.tzinfo  # the times' own offset then
    first = version.period_start.astimezone(zone)
    last = version.period_end.astimezone(zone) - timedelta(seconds=1)
    return f"{first:%Y-%m-%d}–{last:%Y-%m-%d}"


def _periods(versions: Sequence[Version]) -> list[Period]:
    """The versions grouped by period, each period's versions by number; errors name the clash."""
    grouped: dict[tuple[datetime, datetime], list[Version]] = {}
    for version in versions:
        if version.published_at.tzinfo is None:
            raise FeedError(
                _(
                    "version {number} of {period}: its publishing time has no time zone; "
                    "the store must keep aware UTC times"
                ).format(number=version.number, period=period_label(version))
            )
        grouped.setdefault((version.period_start, version.period_end), []).append(version)
    periods = []
    for (start, end), members in grouped.items():
        members.sort(key=lambda v: v.number)
        numbers = [v.number for v in members]
        if len(set(numbers)) != len(numbers):
            twice = sorted({n for n in numbers if numbers.count(n) > 1})
            raise FeedError(
                _("{period} has version {number} twice; give each published version once").format(
                    period=period_label(members[0]), number=twice[0]
                )
            )
        periods.append(Period(start, end, tuple(members)))
    periods.sort(key=lambda p: (p.start, p.end))
    return periods


def _kept(entry: Entry, over: bool, later: list[tuple[datetime, datetime]]) -> bool:
    """Whether an event of a period shows: not when a period published later holds its slot's
    start, and not when it is cancelled and its period is ``over``."""
    if any(start <= entry.slot.start < end for start, end in later):
        return False
    # A cancelled event leaves the feed once its period is over: phones have dropped it by then,
    # and a feed that kept every cancellation would only grow.
    return not (entry.cancelled and over)


def _order(entry: Entry) -> tuple[datetime, str, str]:
    return (entry.slot.start, entry.slot.post, entry.slot.id)


def published(
    versions: Sequence[Version],
    window: int = DEFAULT_WINDOW,
    now: datetime | None = None,
    *,
    memo: HistoryMemo | None = None,
) -> Published:
    """What the feeds show of ``versions``: any periods, in any order, and every published
    version of each (SEQUENCE counts the versions it is given: a caller that passed only the
    latest would reset it). A period's versions follow each other by number.

    The ``window`` most recent periods (by start), and any period not yet over at ``now``, are
    shown, each as its latest version, plus
    the duties that an earlier version of it had and a later one removed, as cancelled events,
    until the period is over at ``now`` (default: the newest publishing time among
    ``versions``, so the result depends on the versions alone). Where two periods overlap, the
    one published last shows the slots they share.

    A caller that asks again and again as versions are added (a server) passes the same
    ``memo`` each time: a period's events are then followed only through its new versions. The
    result is the same.
    """
    if window < 1:
        raise FeedError(
            _("a window of {window} periods shows nothing; give 1 or more").format(window=window)
        )
    if now is not None and now.tzinfo is None:
        raise FeedError(
            _("the reference time {time} has no time zone; give UTC").format(
                time=f"{now:%Y-%m-%d %H:%M}"
            )
        )
    if now is None and versions:
        now = max(v.published_at for v in versions)
    every = _periods(versions)
    # A period not yet over stays whatever the window: rosters published weeks ahead must not
    # push the week being worked out of the feeds.
    periods = [
        p for rank, p in enumerate(every) if rank >= len(every) - window or (now and p.end > now)
    ]
    shown = Published(periods=periods, now=now)

    # Periods by when they were last published: a later one owns the slots it shares with an
    # earlier one (a coordinator who publishes an overlapping range means it to replace them).
    by_publication = sorted(periods, key=lambda p: (p.latest.published_at, p.start, p.end))
    for rank, period in enumerate(by_publication):
        later = [(p.start, p.end) for p in by_publication[rank + 1 :]]
        over = now is not None and period.end <= now

        duties = _followed(
            memo, ("duties", period.start, period.end), period.versions, _duty_events
        )
        for (pid, _slot), track in duties.items():
            entry = track.entry()
            if _kept(entry, over, later):
                shown.duties.setdefault(pid, []).append(entry)
        slots = _followed(memo, ("slots", period.start, period.end), period.versions, _slot_events)
        for track in slots.values():
            entry = track.entry()
            if _kept(entry, over, later):
                shown.slots.append(entry)
    if memo is not None:
        # Periods no longer shown leave the memo.
        current = {(p.start, p.end) for p in periods}
        for key in [k for k in memo if not (isinstance(k, tuple) and k[1:] in current)]:
            del memo[key]

    for entries in shown.duties.values():
        entries.sort(key=_order)
    shown.slots.sort(key=_order)
    return shown
