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
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event
from icalendar.prop import vDDDTypes, vDuration

from roster.load import Roster
from roster.models import Person, Post
from roster.schedule import Schedule, SlotOut

from .errors import FeedError
from .html import render_index
from .ics import clean_text, serialize, vtimezone
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

    def url(self, path: str) -> str | None:
        """The https:// (or http://) URL of a feed path, when a base URL was given."""
        return f"{self.base_url}/{path}" if self.base_url else None

    def to_json(self) -> str:
        """The text of ``index.json``: the documented keys first, then format, base URL and when
        the feeds' content last changed (the newest DTSTAMP)."""
        data = {
            "people": self.people,
            "posts": self.posts,
            "all": self.all,
            "format": INDEX_FORMAT,
            "base_url": self.base_url,
            "updated": self.updated.isoformat() if self.updated else None,
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def check_base_url(base_url: str | None) -> str | None:
    """The base URL without its trailing slash; it must be an http(s) URL with a host."""
    if base_url is None or base_url == "":
        return None
    parts = urlsplit(base_url)
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
        raise FeedError(
            f"--base-url {base_url!r} is not a web address of a folder; "
            "write it like https://example.org/feeds"
        )
    return base_url.rstrip("/")


def write_feeds(
    roster: Roster,
    schedule: Schedule,
    out_dir: Path | str,
    base_url: str | None = None,
    *,
    alarm_minutes: int | None = DEFAULT_ALARM_MINUTES,
    refresh: timedelta = DEFAULT_REFRESH,
    schedule_file: str = "schedule.json",
) -> FeedIndex:
    """Write every feed of ``schedule`` and ``index.json`` / ``index.html`` into ``out_dir``.

    Everything is built in a temporary folder beside ``out_dir`` and then swapped into place, so a
    reader never sees a half-written feed and a failure leaves the previous feeds as they were.
    The same roster folder (secret included) and schedule give byte-identical files.
    ``schedule_file`` is only used to name the schedule in error messages.
    """
    options = FeedOptions(check_base_url(base_url), alarm_minutes, refresh)
    if alarm_minutes is not None and alarm_minutes < 0:
        raise FeedError(f"alarm of {alarm_minutes} minutes: give 0 or more minutes before a shift")
    _check_matches(roster, schedule, schedule_file)
    out = Path(out_dir)
    _check_target(out)
    files, index = build_feeds(roster, schedule, options, out)
    try:
        _publish(out.resolve(), files)
    except OSError as exc:
        raise FeedError(
            f"{out}: cannot write the feeds ({exc.strerror or exc}); "
            "the previous feeds, if any, are left as they were"
        ) from None
    return index


def build_feeds(
    roster: Roster, schedule: Schedule, options: FeedOptions, out: Path
) -> tuple[dict[str, bytes], FeedIndex]:
    """Every file of the feeds folder as bytes by relative path, and the index describing them.

    Feeds already in ``out`` are only read: an event unchanged since then keeps its DTSTAMP.
    """
    words = words_for(roster.config.language)
    tokens = Tokens(roster.folder)
    builder = _Builder(roster, schedule, options, words)
    files: dict[str, bytes] = {}
    index = FeedIndex(
        folder=out,
        people={},
        posts={},
        all="",
        base_url=options.base_url,
    )

    def add(path: str, calendar: Calendar, events: int) -> str:
        files[path] = serialize(calendar)
        index.events[path] = events
        index.sizes[path] = len(files[path])
        return path

    for person in roster.people:
        path = f"people/{tokens.token(FeedKey('person', person.id))}.ics"
        previous = _previous_events(out / path)
        calendar, count = builder.person_feed(person, index.url(path), previous)
        index.people[person.id] = add(path, calendar, count)
    for post in roster.config.posts:
        path = f"posts/{post.id}-{tokens.token(FeedKey('post', post.id))}.ics"
        previous = _previous_events(out / path)
        calendar, count = builder.post_feed(post, index.url(path), previous)
        index.posts[post.id] = add(path, calendar, count)
    path = f"all-{tokens.token(FeedKey('all'))}.ics"
    calendar, count = builder.all_feed(index.url(path), _previous_events(out / path))
    index.all = add(path, calendar, count)
    index.updated = max(builder.stamps_used, default=builder.stamp)
    files[INDEX_JSON] = index.to_json().encode("utf-8")
    files[INDEX_HTML] = render_index(roster, index, words).encode("utf-8")
    return files, index


def _check_matches(roster: Roster, schedule: Schedule, where: str) -> None:
    """The schedule must have been solved for this roster: same zone, known posts and people."""
    if schedule.timezone != roster.config.timezone:
        raise FeedError(
            f"{where}: time zone {schedule.timezone} is not the roster's "
            f"{roster.config.timezone} ({roster.folder}); solve the roster again"
        )
    people = {p.id for p in roster.people}
    posts = {p.id for p in roster.config.posts}
    for i, slot in enumerate(schedule.slots):
        if slot.post not in posts:
            raise FeedError(
                f"{where}: slots[{i}].post: {slot.post!r} is not a post of {roster.folder}; "
                "solve the roster again"
            )
        for j, pid in enumerate(slot.assigned):
            if pid not in people:
                raise FeedError(
                    f"{where}: slots[{i}].assigned[{j}]: {pid!r} is not a person of "
                    f"{roster.folder}; solve the roster again"
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
        raise FeedError(f"{out}: is a file, not a folder; give --out a folder for the feeds")
    if any(out.iterdir()) and not _is_feeds_folder(out):
        raise FeedError(
            f"{out}: holds files not written by `roster feeds` (no {INDEX_JSON} of "
            f"{INDEX_FORMAT}); give --out an empty or new folder"
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
    text = "\0".join((roster, key.kind, key.id, slot, person))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32] + "@dutyroster"


class _Builder:
    """Builds the calendars of one schedule; holds what every feed shares."""

    def __init__(self, roster: Roster, schedule: Schedule, options: FeedOptions, words: Words):
        self.roster = roster
        self.options = options
        self.words = words
        self.zone = ZoneInfo(roster.config.timezone)
        self.slots = sorted(schedule.slots, key=lambda s: (s.start, s.post, s.id))
        # DTSTAMP says when an event's information last changed: the schedule's generation time,
        # not the clock, so the same schedule gives byte-identical feeds. An event that is the
        # same as in the previous feeds keeps its DTSTAMP (see _restamp). A schedule without a
        # generation time uses its period's start.
        made = schedule.generated_at or schedule.period.start
        if made.tzinfo is None:
            made = made.replace(tzinfo=self.zone)
        self.stamp = made.astimezone(UTC)
        self.stamps_used: list[datetime] = []
        first = min([schedule.period.start] + [s.start for s in self.slots])
        last = max([schedule.period.end] + [s.end for s in self.slots])
        self.timezone = vtimezone(
            roster.config.timezone,
            first.astimezone(self.zone).date(),
            last.astimezone(self.zone).date() + timedelta(days=1),
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
        calendar.add_component(self.timezone)
        return calendar

    def person_feed(
        self, person: Person, url: str | None, previous: Previous
    ) -> tuple[Calendar, int]:
        """The duties of one person, each with a reminder."""
        w = self.words
        key = FeedKey("person", person.id)
        calendar = self._calendar(
            w.person_calendar.format(roster=self.roster.name, name=person.name), url
        )
        count = 0
        for slot in self.slots:
            if person.id not in slot.assigned:
                continue
            others = [self._name(pid) for pid in slot.assigned if pid != person.id]
            crew = w.coworkers.format(names=w.list_sep.join(others)) if others else w.alone
            event = self._event(slot, _uid(self.roster.name, key, slot.id, person.id), [crew])
            # The person is busy then, and is the one who must be reminded.
            event.add("transp", "OPAQUE")
            self._alarm(event, slot)
            self._restamp(event, previous)
            calendar.add_component(event)
            count += 1
        return calendar, count

    def post_feed(self, post: Post, url: str | None, previous: Previous) -> tuple[Calendar, int]:
        """Every shift of one post with who is on it."""
        calendar = self._calendar(
            self.words.post_calendar.format(roster=self.roster.name, post=post.name), url
        )
        return calendar, self._overview(calendar, FeedKey("post", post.id), post.id, previous)

    def all_feed(self, url: str | None, previous: Previous) -> tuple[Calendar, int]:
        """Every shift of the roster with who is on it."""
        calendar = self._calendar(self.words.all_calendar.format(roster=self.roster.name), url)
        return calendar, self._overview(calendar, FeedKey("all"), None, previous)

    def _overview(
        self, calendar: Calendar, key: FeedKey, post: str | None, previous: Previous
    ) -> int:
        # Overview feeds are watched by coordinators, not by the people on duty: their events
        # neither block time nor ring a reminder for each of dozens of shifts a day.
        w = self.words
        count = 0
        for slot in self.slots:
            if post is not None and slot.post != post:
                continue
            names = [self._name(pid) for pid in slot.assigned]
            lines = [w.on_duty.format(names=w.list_sep.join(names)) if names else w.nobody]
            if slot.shortage > 0:
                lines.append(w.short.format(n=slot.shortage))
            event = self._event(slot, _uid(self.roster.name, key, slot.id), lines)
            event.add("transp", "TRANSPARENT")
            self._restamp(event, previous)
            calendar.add_component(event)
            count += 1
        return count

    # Events

    def _event(self, slot: SlotOut, uid: str, crew: list[str]) -> Event:
        post: Post = self.roster.post(slot.post)
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", self.stamp)
        event.add("dtstart", slot.start.astimezone(self.zone))
        event.add("dtend", slot.end.astimezone(self.zone))
        event.add("sequence", 0)
        event.add("status", "CONFIRMED")
        event.add("summary", clean_text(post.name))
        if post.location:
            event.add("location", clean_text(post.location))
        parts = [post.instructions.strip()] if post.instructions.strip() else []
        parts.append("\n".join([*crew, self._coordinator()]).strip())
        event.add("description", clean_text("\n\n".join(p for p in parts if p)))
        return event

    def _restamp(self, event: Event, previous: Previous) -> None:
        """Give an event unchanged since the previous feeds its previous DTSTAMP: RFC 5545 makes
        DTSTAMP the time its information was last revised, and a re-solve that gives the same
        duties then leaves the feeds byte-identical."""
        lines = [str(line) for line in event.content_lines(sorted=False) if line][1:-1]
        rest = tuple(line for line in lines if not line.startswith(_DTSTAMP))
        old = previous.get(str(event["UID"]))
        stamp = self.stamp
        if old is not None and old[1] == rest:
            stamp = old[0]
            # Assigning to an existing key keeps the property where it was.
            event["DTSTAMP"] = vDDDTypes(stamp)
        self.stamps_used.append(stamp)

    def _alarm(self, event: Event, slot: SlotOut) -> None:
        if self.options.alarm_minutes is None:
            return
        post: Post = self.roster.post(slot.post)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", timedelta(minutes=-self.options.alarm_minutes))
        alarm.add("description", clean_text(self.words.reminder.format(post=post.name)))
        event.add_component(alarm)

    def _name(self, person_id: str) -> str:
        """A co-worker's name, with their phone only where they or the community chose to share."""
        person = self.roster.person(person_id)
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
