"""What the server serves, built at once from the store and the roster folder and never changed:
a new version gives a new snapshot, swapped in whole, so no reader sees half of one."""

from __future__ import annotations

import gzip
import hashlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from calendars.feeds import (
    INDEX_HTML,
    INDEX_JSON,
    EventMemo,
    FeedIndex,
    FeedOptions,
    build_feeds,
)
from calendars.history import Entry, HistoryMemo, Published, published
from calendars.tokens import FeedKey, load_secret
from roster.load import Roster, load_roster
from roster.versions import Version
from store import Store

#: Files in the roster folder that are the store, not the roster: publishing changes them, and
#: that is what ``Store.revision`` is for.
_STORE_SUFFIXES = (".db", ".db-wal", ".db-shm", ".db-journal")
#: Feeds smaller than this are sent as they are: gzip would save nothing worth a header.
GZIP_MIN = 512
#: Feeds at least this large are gzip-coded while the snapshot is built, in the watcher's
#: thread, rather than by the first request that asks, on the event loop (a district's whole
#: roster takes about a tenth of a second).
GZIP_AHEAD = 64 * 1024


def folder_stamp(folder: Path) -> tuple[tuple[str, int, int, int], ...]:
    """The name, size, mtime and inode of each file in the roster folder (not the store's): a
    person added, a token rotated or a password set changes it."""
    stamps = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(_STORE_SUFFIXES) or not entry.is_file():
                continue
            info = entry.stat()
            stamps.append((entry.name, info.st_size, info.st_mtime_ns, info.st_ino))
    return tuple(sorted(stamps))


@dataclass(frozen=True)
class Feed:
    """One feed file as it is served."""

    path: str
    body: bytes
    #: Strong entity tags (quoted) of the plain and the gzip-coded body: a hash of the content,
    #: so every worker process and every restart give the same tag to the same bytes.
    etag: str
    etag_gzip: str
    last_modified: datetime
    #: ``person``, ``post`` or ``all``, and the person's or post's id.
    kind: str
    owner: str = ""


@dataclass(frozen=True)
class Snapshot:
    """Everything served for one roster at one store revision and one state of the folder."""

    #: What it was built from: (store revision, folder stamp); a differing key means rebuild.
    key: tuple[int, tuple[tuple[str, int, int, int], ...]]
    roster: Roster
    index: FeedIndex
    shown: Published
    #: Feeds by their path relative to the feeds folder (as in index.json).
    feeds: dict[str, Feed]
    #: Worker page paths (``people/TOKEN``) → person id.
    pages: dict[str, str]
    #: Names of people and posts as the versions recorded them (those who left the folder).
    recorded_names: dict[str, str]
    recorded_posts: dict[str, str]
    #: How many feeds were rendered (the rest kept the previous snapshot's bytes), the seconds
    #: the build took and when it finished (for logs and the benchmark).
    rendered: int
    build_seconds: float
    built_at: datetime
    #: Renders what an update deferred (the whole roster's feed) into a new snapshot; None when
    #: nothing was deferred.
    finish: Callable[[Snapshot], Snapshot] | None = field(default=None, compare=False, repr=False)
    #: The rendered events the next snapshot of the same roster folder starts from (only the
    #: watcher's thread builds snapshots, one after the other).
    memo: EventMemo = field(default_factory=EventMemo, compare=False, repr=False)
    #: Each shown period's event histories so far, for ``published`` (same thread, same rule).
    history: HistoryMemo = field(default_factory=dict, compare=False, repr=False)
    _gzipped: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    @property
    def revision(self) -> int:
        """The store revision this snapshot shows."""
        return self.key[0]

    def gzipped(self, feed: Feed) -> bytes:
        """The feed's body gzip-coded, made on first use (same bytes every time: no mtime)."""
        cached = self._gzipped.get(feed.path)
        if cached is None:
            data = _gzip(feed.body)
            with self._lock:
                cached = self._gzipped.setdefault(feed.path, data)
        return cached

    def person_name(self, person_id: str) -> str:
        """A person's name from the folder, or as the versions recorded it."""
        try:
            return self.roster.person(person_id).name
        except KeyError:
            return self.recorded_names.get(person_id, person_id)

    def feed_of(self, kind: str, owner: str = "") -> Feed | None:
        """The feed of a person, a post or the whole roster (None when there is none)."""
        if kind == "person":
            path = self.index.people.get(owner)
        elif kind == "post":
            path = self.index.posts.get(owner)
        else:
            path = self.index.all
        return self.feeds.get(path) if path else None


def _gzip(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=6, mtime=0)


def _gzip_ahead(feeds: dict[str, Feed], previous: Snapshot | None) -> dict[str, bytes]:
    """The gzip codings a new snapshot starts with: the previous snapshot's for bodies it keeps,
    and new ones for large feeds."""
    coded: dict[str, bytes] = {}
    for path, feed in feeds.items():
        before = previous.feeds.get(path) if previous is not None else None
        kept = previous._gzipped.get(path) if previous is not None else None
        if kept is not None and before is not None and before.body is feed.body:
            coded[path] = kept
        elif len(feed.body) >= GZIP_AHEAD:
            coded[path] = _gzip(feed.body)
    return coded


def _tag(body: bytes, suffix: str = "") -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + suffix + '"'


def build_snapshot(
    folder: Path,
    store: Store,
    base_url: str | None,
    previous: Snapshot | None = None,
    *,
    defer_all: bool = False,
) -> Snapshot:
    """Read the roster folder and the latest published versions and render every feed.

    The store's revision is read before the versions, so a version published meanwhile is
    either in this snapshot or makes the next look at the store see a newer revision. The
    feeds are those ``roster publish`` writes (``store.feed_versions`` of the roster, the
    default window), so a static copy and the server give the same bytes.

    Given the ``previous`` snapshot of an unchanged roster folder, only the feeds whose events
    differ are rendered again (a repair that moves two people renders their feeds, their posts'
    and the whole roster's); the others keep their bytes. Anything every feed shows (the span
    of the time zone block, names recorded by the versions) renders them all.

    With ``defer_all``, an update that changes people's feeds leaves the whole roster's feed
    (a district's takes seconds to render, and only coordinators subscribe to it) as it was,
    Last-Modified included, and ``finish`` on the snapshot renders it from the same versions.
    """
    started = time.perf_counter()
    # The feeds secret is made (on a folder published without feeds) before the folder is
    # stamped: else the next look would take the new file for an edit and build everything again.
    load_secret(folder)
    stamp = folder_stamp(folder)
    if previous is not None and previous.key[1] != stamp:
        previous = None
    roster = previous.roster if previous is not None else load_roster(folder)
    memo = previous.memo if previous is not None else EventMemo()
    history: HistoryMemo = previous.history if previous is not None else {}
    revision = store.revision(roster.name)
    versions = store.feed_versions(roster.name)
    shown = published(versions, memo=history)
    names, posts = _recorded(versions)
    select = None if previous is None else _changed(roster, previous, shown, names, posts)
    everything = FeedKey("all")
    deferred = defer_all and select is not None and everything in select and len(select) > 1
    if deferred:
        assert select is not None
        select = select - {everything}
    options = FeedOptions(base_url=base_url)
    files, index = build_feeds(roster, versions, options, select=select, shown=shown, memo=memo)
    # Every feed's Last-Modified: the newest publishing time, or the newest edit of the roster
    # folder (a renamed post changes the text of every event). One instant for every feed, so
    # If-Modified-Since can never answer 304 for bytes that changed; calendar clients that send
    # If-None-Match get their 304s feed by feed from the ETag.
    moments = [v.published_at for v in versions]
    moments += [datetime.fromtimestamp(s[2] / 1e9, UTC) for s in stamp]
    modified = max(moments, default=datetime(2000, 1, 1, tzinfo=UTC)).astimezone(UTC)
    modified = modified.replace(microsecond=0)
    feeds: dict[str, Feed] = {}
    owners = [("person", pid, path) for pid, path in index.people.items()]
    owners += [("post", pid, path) for pid, path in index.posts.items()]
    owners.append(("all", "", index.all))
    for kind, owner, path in owners:
        body = files.get(path)
        if body is None and deferred and kind == "all":
            assert previous is not None
            feeds[path] = previous.feeds[path]
        elif body is None:
            assert previous is not None  # only an update leaves feeds out
            feeds[path] = replace(previous.feeds[path], last_modified=modified)
        else:
            feeds[path] = Feed(path, body, _tag(body), _tag(body, "-gzip"), modified, kind, owner)
    # index.json and index.html list every private link: they are never served.
    assert INDEX_JSON not in feeds and INDEX_HTML not in feeds
    pages = {path.removesuffix(".ics"): pid for pid, path in index.people.items()}

    def finish(snapshot: Snapshot) -> Snapshot:
        """The snapshot with the whole roster's feed rendered from the same versions."""
        begun = time.perf_counter()
        rest, _ = build_feeds(
            roster, versions, options, select={everything}, shown=shown, memo=memo
        )
        body = rest[index.all]
        feeds = dict(snapshot.feeds)
        feeds[index.all] = Feed(
            index.all, body, _tag(body), _tag(body, "-gzip"), modified, "all", ""
        )
        coded = _gzip_ahead(feeds, snapshot)
        return replace(
            snapshot,
            feeds=feeds,
            rendered=snapshot.rendered + 1,
            build_seconds=snapshot.build_seconds + time.perf_counter() - begun,
            built_at=datetime.now(UTC),
            finish=None,
            _gzipped=coded,
            _lock=threading.Lock(),
        )

    coded = _gzip_ahead(feeds, previous)
    return Snapshot(
        key=(revision, stamp),
        roster=roster,
        index=index,
        shown=shown,
        feeds=feeds,
        pages=pages,
        recorded_names=names,
        recorded_posts=posts,
        rendered=sum(1 for path in files if path in feeds),
        build_seconds=time.perf_counter() - started,
        built_at=datetime.now(UTC),
        finish=finish if deferred else None,
        memo=memo,
        history=history,
        _gzipped=coded,
    )


def _span(shown: Published) -> tuple[datetime, datetime] | None:
    """The days the feeds' time zone block covers (as ``calendars.feeds`` computes them)."""
    if not shown.periods:
        return None
    entries = shown.slots + [e for duties in shown.duties.values() for e in duties]
    first = min([p.start for p in shown.periods] + [e.slot.start for e in entries])
    last = max([p.end for p in shown.periods] + [e.slot.end for e in entries])
    return first, last


def _changed(
    roster: Roster,
    previous: Snapshot,
    shown: Published,
    names: dict[str, str],
    posts: dict[str, str],
) -> set[FeedKey] | None:
    """The feeds whose events differ from the previous snapshot's; None when every feed must be
    rendered again. A feed is a function of its events, the roster folder (unchanged here), the
    names the versions recorded and the span of its time zone block."""
    before = previous.shown
    if (
        _span(shown) != _span(before)
        or names != previous.recorded_names
        or posts != previous.recorded_posts
    ):
        return None
    changed = {
        FeedKey("person", p.id)
        for p in roster.people
        if shown.duties.get(p.id, []) != before.duties.get(p.id, [])
    }

    def by_post(slots: list[Entry]) -> dict[str, list[Entry]]:
        grouped: dict[str, list[Entry]] = {}
        for entry in slots:
            grouped.setdefault(entry.slot.post, []).append(entry)
        return grouped

    new, old = by_post(shown.slots), by_post(before.slots)
    changed |= {
        FeedKey("post", p.id) for p in roster.config.posts if new.get(p.id, []) != old.get(p.id, [])
    }
    if shown.slots != before.slots:
        changed.add(FeedKey("all"))
    return changed


def _recorded(versions: list[Version]) -> tuple[dict[str, str], dict[str, str]]:
    """Names of people and posts as the versions recorded them, the latest published winning."""
    names: dict[str, str] = {}
    posts: dict[str, str] = {}
    for version in sorted(versions, key=lambda v: (v.published_at, v.period_start, v.number)):
        names.update((p.id, p.name) for p in version.schedule.people)
        posts.update((p.id, p.name) for p in version.schedule.posts)
    return names, posts


def check_sources(roster: Roster, store: Store, base_url: str | None) -> int:
    """Check, without rendering, what a snapshot is built from: the published versions the feeds
    show (their time zone against the roster's, their numbering) and the feeds secret. Raises
    the RosterError a build would, so `roster serve` can say it before starting any worker.
    Returns how many versions the feeds show."""
    versions = store.feed_versions(roster.name)
    build_feeds(roster, versions, FeedOptions(base_url=base_url), select=())
    return len(versions)


def current_key(
    folder: Path, store: Store, community: str
) -> tuple[int, tuple[tuple[str, int, int, int], ...]]:
    """The key a snapshot built now would have: cheap (one query, one folder listing)."""
    return (store.revision(community), folder_stamp(folder))
