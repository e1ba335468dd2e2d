"""Writing a schedule's feeds (per person, per post, whole roster) and their index, atomically."""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import overload
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event
from icalendar.prop import vDDDTypes, vDuration

from roster.i18n import _
from roster.load import Roster
from roster.models import Post
from roster.schedule import Schedule, SlotOut
from roster.versions import Version

from .errors import FeedError
from .history import DEFAULT_WINDOW, Entry, Published, period_label, published
from .html import render_index
from .ics import CRLF, clean_text, serialize, vtimezone
from .tokens import FeedKey, Tokens
from .words import Words, words_for

INDEX_FORMAT = "dutyroster.feeds/1"
INDEX_JSON = "index.json"
INDEX_HTML = "index.html"
PRODID = "-//dutyroster//dutyroster feeds 1//EN"
#: How often clients should fetch a feed again (RFC 7986 REFRESH-INTERVAL, X-PUBLISHED-TTL).
DEFAULT_REFRESH = timedelta(hours=1)
#: Minutes before a shift that its reminder goes off.
DEFAULT_ALARM_MINUTES = 30


@dataclass(frozen=True)
class FeedOptions:
    """How feeds are written. ``alarm_minutes=None`` leaves the reminder out."""

    base_url: str | None = None
    alarm_minutes: int | None = DEFAULT_ALARM_MINUTES
    refresh: timedelta = DEFAULT_REFRESH


@dataclass
class EventMemo:
    """Rendered events kept from one build of a roster's feeds to the next (a server builds them
    for every new version): an event whose feed, slot and history are the same is not built
    again, so a version that moves two people renders a handful of events, not every one.

    An event's bytes also depend on the roster folder, the options and the names the versions
    recorded; the memo holds for one roster object and these, and ``build_feeds`` empties it
    when any of them differ. Only the feeds of versions use it (a lone schedule's events look
    back at the files they replace instead).
    """

    roster: Roster | None = None
    options: FeedOptions | None = None
    recorded: tuple[dict[str, str], dict[str, _PostText]] | None = None
    events: dict[Hashable, bytes] = field(default_factory=dict)
    #: Of the events the last build asked for, how many were rendered and how many taken from
    #: the memo (for logs and benchmarks).
    rendered: int = 0
    reused: int = 0


@dataclass(frozen=True)
class ShownVersion:
    """A published version whose duties the feeds show: the latest of its period."""

    period_start: datetime
    period_end: datetime
    number: int
    published_at: datetime

    def to_dict(self) -> dict[str, object]:
        """Its entry in ``index.json``."""
        return {
            "start": self.period_start.isoformat(),
            "end": self.period_end.isoformat(),
            "version": self.number,
            "published_at": self.published_at.astimezone(UTC).isoformat(),
        }


@dataclass
class FeedIndex:
    """What ``write_feeds`` wrote: paths relative to the feeds folder, by person and post id."""

    folder: Path
    people: dict[str, str]
    posts: dict[str, str]
    all: str
    base_url: str | None = None
    updated: datetime | None = None
    events: dict[str, int] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    #: Of ``events``, how many are cancelled duties (feeds of versions only), by path.
    cancelled: dict[str, int] = field(default_factory=dict)
    #: The versions shown, oldest period first; None for feeds of a lone schedule.
    versions: list[ShownVersion] | None = None

    def url(self, path: str) -> str | None:
        """The https:// (or http://) URL of a feed path, when a base URL was given."""
        return f"{self.base_url}/{path}" if self.base_url else None

    def to_json(self) -> str:
        """The text of ``index.json``: the documented keys first, then format, base URL, when the
        feeds' content last changed (the newest DTSTAMP) and, for published versions, which."""
        data: dict[str, object] = {
            "people": self.people,
            "posts": self.posts,
            "all": self.all,
            "format": INDEX_FORMAT,
            "base_url": self.base_url,
            "updated": self.updated.isoformat() if self.updated else None,
        }
        if self.versions is not None:
            data["versions"] = [shown.to_dict() for shown in self.versions]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def check_base_url(base_url: str | None) -> str | None:
    """The base URL without its trailing slash; it must be an http(s) URL with a host."""
    if base_url is None or base_url == "":
        return None
    parts = urlsplit(base_url)
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
        raise FeedError(
            _(
                "--base-url {url!r} is not a web address of a folder; "
                "write it like https://example.org/feeds"
            ).format(url=base_url)
        )
    return base_url.rstrip("/")


@overload
def write_feeds(
    roster: Roster,
    source: Schedule,
    out_dir: Path | str,
    base_url: str | None = None,
    *,
    alarm_minutes: int | None = DEFAULT_ALARM_MINUTES,
    refresh: timedelta = DEFAULT_REFRESH,
    schedule_file: str = "schedule.json",
) -> FeedIndex: ...


@overload
def write_feeds(
    roster: Roster,
    source: Sequence[Version],
    out_dir: Path | str,
    base_url: str | None = None,
    *,
    alarm_minutes: int | None = DEFAULT_ALARM_MINUTES,
    refresh: timedelta = DEFAULT_REFRESH,
    window: int = DEFAULT_WINDOW,
    now: datetime | None = None,
) -> FeedIndex: ...


def write_feeds(
    roster: Roster,
    source: Schedule | Sequence[Version],
    out_dir: Path | str,
    base_url: str | None = None,
    *,
    alarm_minutes: int | None = DEFAULT_ALARM_MINUTES,
    refresh: timedelta = DEFAULT_REFRESH,
    schedule_file: str = "schedule.json",
    window: int = DEFAULT_WINDOW,
    now: datetime | None = None,
) -> FeedIndex:
    """Write every feed and ``index.json`` / ``index.html`` into ``out_dir``, from one schedule
    (``roster feeds``) or from the published versions of the roster's periods (``roster
    publish``, the server).

    From versions (pass every published version of each period): the feeds show the latest
    version of each of the ``window`` most recent periods and of any period not yet over at
    ``now`` (default: the newest publishing time among ``versions``); a duty that a later
    version removed stays as a cancelled event until its period is over. SEQUENCE, CREATED,
    LAST-MODIFIED and DTSTAMP come from the versions alone, so the same versions give the same
    bytes. See docs/feeds.md.

    Everything is built in a temporary folder beside ``out_dir`` and then swapped into place, so a
    reader never sees a half-written feed and a failure leaves the previous feeds as they were.
    The same roster folder (secret included) and schedule give byte-identical files.
    ``schedule_file`` is only used to name the schedule in error messages.
    """
    options = FeedOptions(check_base_url(base_url), alarm_minutes, refresh)
    if alarm_minutes is not None and alarm_minutes < 0:
        raise FeedError(
            _("alarm of {minutes} minutes: give 0 or more minutes before a shift").format(
                minutes=alarm_minutes
            )
        )
    if isinstance(source, Schedule):
        _check_matches(roster, source, schedule_file)
    out = Path(out_dir)
    _check_target(out)
    files, index = build_feeds(roster, source, options, out, window=window, now=now)
    try:
        _publish(out.resolve(), files)
    except OSError as exc:
        raise FeedError(
            _(
                "{folder}: cannot write the feeds ({reason}); "
                "the previous feeds, if any, are left as they were"
            ).format(folder=out, reason=exc.strerror or exc)
        ) from None
    return index


def build_feeds(
    roster: Roster,
    source: Schedule | Sequence[Version],
    options: FeedOptions,
    out: Path | None = None,
    *,
    window: int = DEFAULT_WINDOW,
    now: datetime | None = None,
    select: Collection[FeedKey] | None = None,
    shown: Published | None = None,
    memo: EventMemo | None = None,
) -> tuple[dict[str, bytes], FeedIndex]:
    """Every file of the feeds folder as bytes by relative path, and the index describing them.

    From a schedule, feeds already in ``out`` are only read: an event unchanged since then keeps
    its DTSTAMP. From versions nothing is read: every stamp comes from the versions.

    With ``select``, only those feeds are rendered (and no index files); the index still names
    every feed's path. A server uses it to render again just the feeds a new version changed.
    A server also passes ``shown`` (``published(versions, window, now)``, when it has it
    already) and a ``memo`` it keeps between builds, so that unchanged events are not built
    again (see EventMemo); neither changes a byte of the result.
    """
    words = words_for(roster.config.language)
    tokens = Tokens(roster.folder)
    if isinstance(source, Schedule):
        builder = _Builder.of_schedule(roster, source, options, words)
        shown_versions = None
    else:
        versions = tuple(source)
        if shown is None:
            shown = published(versions, window, now)
        _check_versions(roster, shown)
        builder = _Builder.of_versions(roster, versions, shown, options, words, memo)
        # In the roster's zone and UTC whatever offsets the store hands back, so the bytes do
        # not depend on the database.
        shown_versions = [
            ShownVersion(
                p.start.astimezone(roster.zone),
                p.end.astimezone(roster.zone),
                p.latest.number,
                p.latest.published_at.astimezone(UTC),
            )
            for p in shown.periods
        ]
    files: dict[str, bytes] = {}
    index = FeedIndex(
        folder=out or Path(),
        people={},
        posts={},
        all="",
        base_url=options.base_url,
        versions=shown_versions,
    )

    def previous(path: str) -> Previous:
        # Only a lone schedule's feeds look back at the files they replace (see _restamp).
        return _previous_events(out / path) if out is not None and builder.restamps else {}

    def add(path: str, feed: _Feed) -> str:
        files[path] = feed.assemble()
        index.events[path] = len(feed.events)
        index.sizes[path] = len(files[path])
        index.cancelled[path] = feed.cancelled
        return path

    for person in roster.people:
        key = FeedKey("person", person.id)
        path = index.people[person.id] = f"people/{tokens.token(key)}.ics"
        if select is None or key in select:
            add(path, builder.person_feed(person.id, person.name, index.url(path), previous(path)))
    for post in roster.config.posts:
        key = FeedKey("post", post.id)
        path = index.posts[post.id] = f"posts/{post.id}-{tokens.token(key)}.ics"
        if select is None or key in select:
            add(path, builder.post_feed(post, index.url(path), previous(path)))
    path = index.all = f"all-{tokens.token(FeedKey('all'))}.ics"
    if select is None or FeedKey("all") in select:
        add(path, builder.all_feed(index.url(path), previous(path)))
    builder.keep(complete=select is None)
    if select is not None:
        return files, index
    index.updated = max(builder.stamps_used, default=builder.stamp)
    files[INDEX_JSON] = index.to_json().encode("utf-8")
    files[INDEX_HTML] = render_index(roster, index, words).encode("utf-8")
    return files, index


def _check_versions(roster: Roster, shown: Published) -> None:
    """The versions shown must be of this roster's time zone. People and posts that have left
    the roster folder since an older version are shown by the names that version recorded."""
    for period in shown.periods:
        for version in period.versions:
            if version.schedule.timezone != roster.config.timezone:
                raise FeedError(
                    _(
                        "version {number} of {period}: time zone {zone} is not the roster's "
                        "{roster_zone} ({folder}); publish a roster solved in the roster's "
                        "time zone"
                    ).format(
                        number=version.number,
                        period=period_label(version, roster.zone),
                        zone=version.schedule.timezone,
                        roster_zone=roster.config.timezone,
                        folder=roster.folder,
                    )
                )


def _check_matches(roster: Roster, schedule: Schedule, where: str) -> None:
    """The schedule must have been solved for this roster: same zone, known posts and people."""
    if schedule.timezone != roster.config.timezone:
        raise FeedError(
            _(
                "{file}: time zone {zone} is not the roster's {roster_zone} ({folder}); "
                "solve the roster again"
            ).format(
                file=where,
                zone=schedule.timezone,
                roster_zone=roster.config.timezone,
                folder=roster.folder,
            )
        )
    people = {p.id for p in roster.people}
    posts = {p.id for p in roster.config.posts}
    for i, slot in enumerate(schedule.slots):
        if slot.post not in posts:
            raise FeedError(
                _(
                    "{file}: {place}: {id!r} is not a post of {folder}; solve the roster again"
                ).format(file=where, place=f"slots[{i}].post", id=slot.post, folder=roster.folder)
            )
        for j, pid in enumerate(slot.assigned):
            if pid not in people:
                raise FeedError(
                    _(
                        "{file}: {place}: {id!r} is not a person of {folder}; "
                        "solve the roster again"
                    ).format(
                        file=where, place=f"slots[{i}].assigned[{j}]", id=pid, folder=roster.folder
                    )
                )


def _is_feeds_folder(out: Path) -> bool:
    try:
        data = json.loads((out / INDEX_JSON).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(data, dict) and data.get("format") == INDEX_FORMAT


def _check_target(out: Path) -> None:
    """Refuse to replace anything but an empty folder or feeds we wrote before: the swap removes
    every file in it, and a mistyped --out must not delete someone's documents."""
    if not out.exists():
        return
    if not out.is_dir():
        raise FeedError(
            _("{path}: is a file, not a folder; give --out a folder for the feeds").format(path=out)
        )
    if any(out.iterdir()) and not _is_feeds_folder(out):
        raise FeedError(
            _(
                "{folder}: holds files not written by `roster feeds` (no {index} of {format}); "
                "give --out an empty or new folder"
            ).format(folder=out, index=INDEX_JSON, format=INDEX_FORMAT)
        )


def _publish(out: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` into a temporary folder beside ``out`` and swap it into place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.new-"))
    try:
        # mkdtemp makes the folder 0700; feeds are meant to be served, so keep the old folder's
        # mode, or the usual 0755.
        staging.chmod(out.stat().st_mode & 0o7777 if out.is_dir() else 0o755)
        for relative, data in sorted(files.items()):
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        _swap(staging, out)
    finally:
        # After a swap `staging` holds the previous feeds; after a failure, the partial new ones.
        shutil.rmtree(staging, ignore_errors=True)


_RENAME_EXCHANGE = 2  # from <linux/fs.h>
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where that is not available."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    try:
        renameat2 = ctypes.CDLL(libc_name, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), ctypes.c_uint(_RENAME_EXCHANGE)
    )
    return bool(result == 0)


def _swap(staging: Path, out: Path) -> None:
    """Put ``staging`` at ``out``; the previous ``out`` (if any) ends up at ``staging``."""
    if not out.exists():
        staging.rename(out)
        return
    if _exchange(staging, out):
        return
    # Without an atomic exchange the folder is missing for the moment between the two renames;
    # readers then get "not found" rather than a mixture of old and new feeds.
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


_DTSTAMP = "DTSTAMP:"
_STAMP = re.compile(r"\d{8}T\d{6}Z")


#: UID → (DTSTAMP, the event's other content lines, unfolded) of a feed written before.
Previous = dict[str, tuple[datetime, tuple[str, ...]]]


def _previous_events(path: Path) -> Previous:
    """The events of a feed file written before; empty when there is none or it is unreadable."""
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    events: Previous = {}
    block: list[str] | None = None
    for line in text.replace("\r\n ", "").split("\r\n"):
        if line == "BEGIN:VEVENT":
            block = []
        elif line == "END:VEVENT" and block is not None:
            uids = [item[4:] for item in block if item.startswith("UID:")]
            stamps = [item[len(_DTSTAMP) :] for item in block if item.startswith(_DTSTAMP)]
            if len(uids) == 1 and len(stamps) == 1 and _STAMP.fullmatch(stamps[0]):
                stamp = datetime.strptime(stamps[0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
                rest = tuple(item for item in block if not item.startswith(_DTSTAMP))
                events[uids[0]] = (stamp, rest)
            block = None
        elif block is not None:
            block.append(line)
    return events


def _uid(roster: str, key: FeedKey, slot: str, person: str = "") -> str:
    """A UID stable across runs and unique across communities, feeds and people, so re-publishing
    updates events instead of duplicating them, and the same shift in two feeds a person
    subscribes to stays two events. Hashed so it shows no ids to whoever sees the feed."""
    # A duty that moves to another slot (slot ids hold the post and the start time) shows as two
    # events: the old one cancelled, a new one with its own UID. Keeping one UID and moving it
    # would need a rule pairing the duties a person lost with those they gained, and with two
    # of each (or a swap undone in the next version) any pairing is a guess that depends on the
    # history, so one UID could mean different shifts in two versions. One UID per (feed, slot,
    # person) is a function of the duty alone: a client that missed a version still ends up
    # right; the person sees the old duty called off (struck through in Apple Calendar, gone in
    # Google) and the new one appear with a reminder of its own, where a moved event can keep
    # the reminder state a client stored for the old time; CalDAV clients store one resource per
    # UID and simply update one and add one. A duty whose slot keeps its id (its end or its crew
    # changed) keeps its UID and its SEQUENCE goes up (calendars.history).
    text = "\0".join((roster, key.kind, key.id, slot, person))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32] + "@dutyroster"


@dataclass(frozen=True)
class _PostText:
    """What an event shows of its post."""

    name: str
    location: str = ""
    instructions: str = ""


def _order(slot: SlotOut) -> tuple[datetime, str, str]:
    return (slot.start, slot.post, slot.id)


_END = b"END:VCALENDAR" + CRLF.encode("ascii")


@dataclass
class _Feed:
    """One feed as rendered pieces: the calendar's own properties (and its time zone block) and
    each event's bytes, in order. Events are serialised one by one, which gives the same bytes
    as serialising the whole calendar (folding is per content line), so they can be kept."""

    head: Calendar
    events: list[bytes] = field(default_factory=list)
    cancelled: int = 0

    def assemble(self) -> bytes:
        head = serialize(self.head)
        assert head.endswith(_END)
        return b"".join([head[: -len(_END)], *self.events, _END])


def _event_key(key: FeedKey, entry: Entry, person: str = "") -> Hashable:
    """What an event of a feed shows, given the roster folder, options and recorded names: its
    feed (and person), its slot's id, times, post, crew and shortage, and its history."""
    slot = entry.slot
    return (
        key.kind,
        key.id,
        person,
        slot.id,
        slot.start,
        slot.end,
        slot.post,
        tuple(slot.assigned),
        slot.shortage,
        entry.sequence,
        entry.cancelled,
        entry.created,
        entry.modified,
    )


class _Builder:
    """Builds the calendars of one schedule or of a roster's published versions; holds what every
    feed shares."""

    def __init__(
        self,
        roster: Roster,
        options: FeedOptions,
        words: Words,
        shown: Published,
        *,
        stamp: datetime | None,
        span: tuple[datetime, datetime] | None,
        restamps: bool,
        recorded_names: dict[str, str] | None = None,
        recorded_posts: dict[str, _PostText] | None = None,
        memo: EventMemo | None = None,
    ):
        self.roster = roster
        self.options = options
        self.words = words
        self.shown = shown
        self.zone = ZoneInfo(roster.config.timezone)
        #: The DTSTAMP of an event without a history of its own (a lone schedule's).
        self.stamp = stamp
        #: Whether events unchanged since the feeds in the output folder keep their DTSTAMP.
        self.restamps = restamps
        self.stamps_used: list[datetime] = []
        self.people = {p.id: p for p in roster.people}
        self.recorded_names = recorded_names or {}
        self.recorded_posts = recorded_posts or {}
        # A memo holds for one roster folder, options and recorded names: else it starts afresh.
        self.memo = None if restamps else memo
        self.kept: dict[Hashable, bytes] = {}
        if self.memo is not None:
            recorded = (self.recorded_names, self.recorded_posts)
            if (
                self.memo.roster is not roster
                or self.memo.options != options
                or self.memo.recorded != recorded
            ):
                self.memo.roster, self.memo.options, self.memo.recorded = roster, options, recorded
                self.memo.events = {}
            self.memo.rendered = self.memo.reused = 0
        self.timezone = None
        if span is not None:
            first, last = span
            self.timezone = vtimezone(
                roster.config.timezone,
                first.astimezone(self.zone).date(),
                last.astimezone(self.zone).date() + timedelta(days=1),
            )

    @classmethod
    def of_schedule(
        cls, roster: Roster, schedule: Schedule, options: FeedOptions, words: Words
    ) -> _Builder:
        """The feeds of one schedule: every event at SEQUENCE 0, confirmed."""
        zone = ZoneInfo(roster.config.timezone)
        # DTSTAMP says when an event's information last changed: the schedule's generation time,
        # not the clock, so the same schedule gives byte-identical feeds. An event that is the
        # same as in the previous feeds keeps its DTSTAMP (see _restamp). A schedule without a
        # generation time uses its period's start.
        made = schedule.generated_at or schedule.period.start
        if made.tzinfo is None:
            made = made.replace(tzinfo=zone)
        slots = sorted(schedule.slots, key=_order)
        entries = [Entry(slot) for slot in slots]
        duties: dict[str, list[Entry]] = {}
        for entry in entries:
            for pid in entry.slot.assigned:
                duties.setdefault(pid, []).append(entry)
        shown = Published(periods=[], now=None, duties=duties, slots=entries)
        first = min([schedule.period.start] + [s.start for s in slots])
        last = max([schedule.period.end] + [s.end for s in slots])
        return cls(
            roster,
            options,
            words,
            shown,
            stamp=made.astimezone(UTC),
            span=(first, last),
            restamps=True,
        )

    @classmethod
    def of_versions(
        cls,
        roster: Roster,
        versions: Sequence[Version],
        shown: Published,
        options: FeedOptions,
        words: Words,
        memo: EventMemo | None = None,
    ) -> _Builder:
        """The feeds of published versions, as ``history.published`` shows them."""
        # People and posts no longer in the roster folder keep the names their versions recorded
        # (the most recently published wins); their events then carry no instructions or phone.
        names: dict[str, str] = {}
        posts: dict[str, _PostText] = {}
        for version in sorted(versions, key=lambda v: (v.published_at, v.period_start, v.number)):
            names.update((p.id, p.name) for p in version.schedule.people)
            posts.update((p.id, _PostText(p.name, p.location)) for p in version.schedule.posts)
        entries = shown.slots + [e for duties in shown.duties.values() for e in duties]
        span = None
        if shown.periods:
            first = min([p.start for p in shown.periods] + [e.slot.start for e in entries])
            last = max([p.end for p in shown.periods] + [e.slot.end for e in entries])
            span = (first, last)
        latest = [p.latest.published_at.astimezone(UTC) for p in shown.periods]
        return cls(
            roster,
            options,
            words,
            shown,
            stamp=max(latest, default=None),
            span=span,
            restamps=False,
            recorded_names=names,
            recorded_posts=posts,
            memo=memo,
        )

    # Calendars

    def _calendar(self, name: str, url: str | None) -> Calendar:
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("name", clean_text(name))
        calendar.add("x-wr-calname", clean_text(name))
        # Two vDuration objects: icalendar stores the parameters on the value it is given.
        refresh = self.options.refresh
        calendar.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh))
        if url is not None:
            calendar.add("source", url, parameters={"VALUE": "URI"})
        # No METHOD: these are published calendars, not iTIP messages (CalDAV servers reject a
        # METHOD in stored objects, RFC 4791 section 4.1), so no ORGANIZER is needed either.
        if self.timezone is not None:
            calendar.add_component(self.timezone)
        return calendar

    def person_feed(self, person_id: str, name: str, url: str | None, previous: Previous) -> _Feed:
        """The duties of one person, each with a reminder; removed ones cancelled, silent."""
        w = self.words
        key = FeedKey("person", person_id)
        feed = _Feed(
            self._calendar(w.person_calendar.format(roster=self.roster.name, name=name), url)
        )
        for entry in self.shown.duties.get(person_id, []):
            memo_key = _event_key(key, entry, person_id)
            body = self._remembered(memo_key, entry)
            if body is None:
                slot = entry.slot
                others = [self._name(pid) for pid in slot.assigned if pid != person_id]
                crew = w.coworkers.format(names=w.list_sep.join(others)) if others else w.alone
                uid = _uid(self.roster.name, key, slot.id, person_id)
                event = self._event(entry, uid, [crew], w.cancelled_duty)
                if entry.cancelled:
                    # Nobody is needed then any more: the time is free and no reminder rings
                    # (some clients, Etar among them, show a cancelled event like any other).
                    event.add("transp", "TRANSPARENT")
                else:
                    # The person is busy then, and is the one who must be reminded.
                    event.add("transp", "OPAQUE")
                    self._alarm(event, slot)
                self._restamp(event, entry, previous)
                body = self._rendered(memo_key, event)
            feed.events.append(body)
            feed.cancelled += entry.cancelled
        return feed

    def post_feed(self, post: Post, url: str | None, previous: Previous) -> _Feed:
        """Every shift of one post with who is on it."""
        calendar = self._calendar(
            self.words.post_calendar.format(roster=self.roster.name, post=post.name), url
        )
        return self._overview(calendar, FeedKey("post", post.id), post.id, previous)

    def all_feed(self, url: str | None, previous: Previous) -> _Feed:
        """Every shift of the roster with who is on it."""
        calendar = self._calendar(self.words.all_calendar.format(roster=self.roster.name), url)
        return self._overview(calendar, FeedKey("all"), None, previous)

    def _overview(
        self, calendar: Calendar, key: FeedKey, post: str | None, previous: Previous
    ) -> _Feed:
        # Overview feeds are watched by coordinators, not by the people on duty: their events
        # neither block time nor ring a reminder for each of dozens of shifts a day.
        w = self.words
        feed = _Feed(calendar)
        for entry in self.shown.slots:
            slot = entry.slot
            if post is not None and slot.post != post:
                continue
            memo_key = _event_key(key, entry)
            body = self._remembered(memo_key, entry)
            if body is None:
                names = [self._name(pid) for pid in slot.assigned]
                lines = [w.on_duty.format(names=w.list_sep.join(names)) if names else w.nobody]
                if slot.shortage > 0:
                    lines.append(w.short.format(n=slot.shortage))
                uid = _uid(self.roster.name, key, slot.id)
                event = self._event(entry, uid, lines, w.cancelled_shift)
                event.add("transp", "TRANSPARENT")
                self._restamp(event, entry, previous)
                body = self._rendered(memo_key, event)
            feed.events.append(body)
            feed.cancelled += entry.cancelled
        return feed

    # The memo of rendered events

    def _remembered(self, memo_key: Hashable, entry: Entry) -> bytes | None:
        """The event's bytes from an earlier build, if the memo has them."""
        if self.memo is None:
            return None
        body = self.memo.events.get(memo_key)
        if body is not None:
            self.kept[memo_key] = body
            self.memo.reused += 1
            # The stamp it was rendered with (versions' events keep theirs, see _restamp).
            self.stamps_used.append(self._stamp(entry))
        return body

    def _rendered(self, memo_key: Hashable, event: Event) -> bytes:
        body = serialize(event)
        if self.memo is not None:
            self.kept[memo_key] = body
            self.memo.rendered += 1
        return body

    def keep(self, *, complete: bool) -> None:
        """Leave the events of this build in the memo: only them after a build of every feed
        (events no feed shows any more go), added to the others after a partial one."""
        if self.memo is None:
            return
        if complete:
            self.memo.events = self.kept
        else:
            self.memo.events.update(self.kept)
        self.kept = {}

    # Events

    def _event(self, entry: Entry, uid: str, crew: list[str], cancelled_note: str) -> Event:
        slot = entry.slot
        post = self._post(slot.post)
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", self._stamp(entry))
        # RFC 5545: CREATED and LAST-MODIFIED are when the event was first and last published;
        # a lone schedule has no such history, and its feeds stay as they always were.
        if entry.created is not None:
            event.add("created", entry.created.astimezone(UTC))
        if entry.modified is not None:
            event.add("last-modified", entry.modified.astimezone(UTC))
        event.add("dtstart", slot.start.astimezone(self.zone))
        event.add("dtend", slot.end.astimezone(self.zone))
        event.add("sequence", entry.sequence)
        event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
        # The title says it too: Apple Calendar strikes a cancelled event through, Google drops
        # it, but some clients show it like any other.
        title = self.words.cancelled.format(post=post.name) if entry.cancelled else post.name
        event.add("summary", clean_text(title))
        if post.location:
            event.add("location", clean_text(post.location))
        if entry.cancelled:
            # Neither instructions nor a crew (you would be alone) for a shift nobody works:
            # that it is off, and whom to ask.
            parts = [cancelled_note, self._coordinator()]
        else:
            parts = [post.instructions.strip()] if post.instructions.strip() else []
            parts.append("\n".join([*crew, self._coordinator()]).strip())
        event.add("description", clean_text("\n\n".join(p for p in parts if p)))
        return event

    def _stamp(self, entry: Entry) -> datetime:
        """DTSTAMP: for a published calendar without METHOD, RFC 5545 makes it the time the
        event's information was last revised, which for versions is LAST-MODIFIED."""
        if entry.modified is not None:
            return entry.modified.astimezone(UTC)
        assert self.stamp is not None  # a lone schedule always has its generation time
        return self.stamp

    def _restamp(self, event: Event, entry: Entry, previous: Previous) -> None:
        """Give an event of a lone schedule that is unchanged since the previous feeds its
        previous DTSTAMP: RFC 5545 makes DTSTAMP the time its information was last revised, and
        a re-solve that gives the same duties then leaves the feeds byte-identical. Events of
        versions know when they last changed, and keep the stamp they were given."""
        stamp = self._stamp(entry)
        if self.restamps:
            lines = [str(line) for line in event.content_lines(sorted=False) if line][1:-1]
            rest = tuple(line for line in lines if not line.startswith(_DTSTAMP))
            old = previous.get(str(event["UID"]))
            if old is not None and old[1] == rest:
                stamp = old[0]
                # Assigning to an existing key keeps the property where it was.
                event["DTSTAMP"] = vDDDTypes(stamp)
        self.stamps_used.append(stamp)

    def _alarm(self, event: Event, slot: SlotOut) -> None:
        if self.options.alarm_minutes is None:
            return
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", timedelta(minutes=-self.options.alarm_minutes))
        reminder = self.words.reminder.format(post=self._post(slot.post).name)
        alarm.add("description", clean_text(reminder))
        event.add_component(alarm)

    def _post(self, post_id: str) -> _PostText:
        """The post as the roster folder describes it, or as the versions recorded it when it has
        left the folder since."""
        try:
            post = self.roster.post(post_id)
        except KeyError:
            return self.recorded_posts.get(post_id, _PostText(post_id))
        return _PostText(post.name, post.location, post.instructions)

    def _name(self, person_id: str) -> str:
        """A co-worker's name, with their phone only where they or the community chose to share."""
        person = self.people.get(person_id)
        if person is None:
            return self.recorded_names.get(person_id, person_id)
        share = person.share_phone
        if share is None:
            share = self.roster.config.share_phones
        if share and person.phone:
            return self.words.with_phone.format(name=person.name, phone=person.phone)
        return person.name

    def _coordinator(self) -> str:
        contact = self.roster.config.coordinator
        if contact is None:
            return ""
        if contact.phone:
            return self.words.coordinator_phone.format(name=contact.name, phone=contact.phone)
        return self.words.coordinator.format(name=contact.name)
