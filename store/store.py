"""The roster store: every published version of every period, on SQLite or PostgreSQL."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, Row, and_, func, or_, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from roster.i18n import N_, _
from roster.schedule import Schedule
from roster.slots import period_label
from roster.versions import Version

from .db import make_engine, shown, to_url
from .errors import StoreConflict, StoreError, VersionNotFound
from .migrate import upgrade
from .schema import versions as table


def open_store(url_or_path: str | Path, *, create: bool = True, cache: int = 0) -> Store:
    """Open the roster store at a SQLite path or a ``postgresql://`` URL, bringing its schema up
    to date. With ``create=False`` a SQLite file that does not exist is an error rather than a
    new, empty store (reading commands must not leave files in a roster folder).

    ``cache`` keeps up to that many parsed schedules in memory, for a long-running reader such
    as a feed server (parsing a district's week takes about 0.2 s; versions never change, so a
    cached one never goes stale). The schedules handed out are then shared between calls: treat
    them as read-only.

    Raises StoreError when the store cannot be reached or was written by a newer dutyroster.
    """
    url = to_url(url_or_path)
    if url.get_backend_name() == "sqlite" and url.database:
        path = Path(url.database)
        if not path.exists():
            if not create:
                raise StoreError(
                    _(
                        "{store}: no roster store here yet; `roster publish` creates it (or give "
                        "the store with --db or ROSTER_DB)"
                    ).format(store=url_or_path)
                )
            path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    plain_path = url.get_backend_name() == "sqlite" and "://" not in str(url_or_path)
    store = Store(engine, str(url_or_path) if plain_path else None, cache=cache)
    with store._errors("open"):
        upgrade(engine)
    return store


class Store:
    """Published versions, by community and period. Versions are only ever added: each period's
    versions are numbered 1, 2, … and each names its parent, the one it replaces.

    Use ``open_store``; close it (or use it as a context manager) when done.
    """

    def __init__(self, engine: Engine, location: str | None = None, *, cache: int = 0) -> None:
        self._engine = engine
        self._location = location or shown(engine.url)
        self._cache_size = cache
        self._cache: OrderedDict[tuple[int, str], Schedule] = OrderedDict()
        self._cache_lock = threading.Lock()

    @property
    def location(self) -> str:
        """The store as it may be printed: a SQLite file's path as it was given, or the URL
        without its password."""
        return self._location

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._engine.dialect.name

    def close(self) -> None:
        """Close every connection to the store."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Database failures (a server gone, a locked or broken file) as one StoreError;
        ``doing`` is one of ``_DOING``'s keys."""
        try:
            yield
        except IntegrityError:
            raise
        except DBAPIError as exc:
            cause = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise StoreError(_(_DOING[doing]).format(store=self.location, cause=cause)) from None

    # --- writing ----------------------------------------------------------------------------

    def publish(
        self,
        schedule: Schedule,
        *,
        inputs_digest: str,
        author: str,
        message: str = "",
        parent: int | None,
        published_at: datetime | None = None,
    ) -> Version:
        """Record ``schedule`` as the next version of its period (community ``schedule.roster``,
        ``schedule.period``) and return it.

        ``parent`` is the version the schedule was made from, None for a period's first version:
        it must be the period's latest version when the transaction commits, so a publisher who
        was overtaken gets StoreConflict (naming the version to rebase on) and nothing is
        recorded. The check and the insert are one transaction; the unique (community, period,
        number) constraint settles a race between two stores on two machines.
        """
        if schedule.period.start.tzinfo is None or schedule.period.end.tzinfo is None:
            raise StoreError(
                _(
                    "{roster}: the schedule's period has no UTC offset, so its instants are "
                    "unknown; solve the roster again"
                ).format(roster=schedule.roster)
            )
        when = (published_at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        text = schedule.to_json()
        key = _key(schedule.roster, schedule.period.start, schedule.period.end)
        try:
            with self._errors("publish to"), self._engine.connect() as conn:
                conn.execution_options(sqlite_begin="IMMEDIATE")
                with conn.begin():
                    latest = conn.execute(_latest_query(key)).first()
                    latest_number = latest.number if latest is not None else None
                    if latest_number != parent:
                        raise self._conflict(
                            schedule, self._version(latest) if latest else None, parent
                        )
                    number = (parent or 0) + 1
                    conn.execute(
                        table.insert().values(
                            community=schedule.roster,
                            period_start=schedule.period.start,
                            period_end=schedule.period.end,
                            number=number,
                            parent=parent,
                            published_at=when,
                            author=author,
                            message=message,
                            inputs_digest=inputs_digest,
                            schedule_digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                            schedule=text,
                        )
                    )
        except IntegrityError:
            # Another publisher took the number between our check and our insert.
            now = self.latest(schedule.roster, schedule.period.start, schedule.period.end)
            raise self._conflict(schedule, now, parent) from None
        return Version(
            number=number,
            parent=parent,
            published_at=when,
            author=author,
            message=message,
            inputs_digest=inputs_digest,
            schedule=Schedule.model_validate_json(text),
        )

    @staticmethod
    def _conflict(schedule: Schedule, latest: Version | None, parent: int | None) -> StoreConflict:
        period = f"{schedule.roster} {period_label(schedule.period.start, schedule.period.end)}"
        if latest is None:
            return StoreConflict(
                _(
                    "{period} has no version {parent}: nothing is published for it yet; publish "
                    "it as the first version"
                ).format(period=period, parent=parent),
                None,
            )
        if parent is not None and parent > latest.number:
            return StoreConflict(
                _(
                    "{period} has no version {parent}: its latest is version {latest}; rebase on "
                    "version {latest}"
                ).format(period=period, parent=parent, latest=latest.number),
                latest,
            )
        local = latest.published_at.astimezone(latest.schedule.period.start.tzinfo)
        return StoreConflict(
            _(
                "{period} is already at version {latest} (by {author}, {when}), which this "
                "schedule does not build on: rebase on version {latest}"
            ).format(
                period=period,
                latest=latest.number,
                author=latest.author,
                when=f"{local:%Y-%m-%d %H:%M}",
            ),
            latest,
        )

    # --- reading ----------------------------------------------------------------------------

    def _rows(self, query: Any) -> list[Row[Any]]:
        with self._errors("read"), self._engine.connect() as conn:
            return list(conn.execute(query))

    def _version(self, row: Row[Any]) -> Version:
        """The version of a row, its schedule parsed (or taken from the cache)."""
        if not self._cache_size:
            return _version(row, Schedule.model_validate_json(row.schedule))
        key = (row.id, row.schedule_digest)
        with self._cache_lock:
            schedule = self._cache.get(key)
            if schedule is not None:
                self._cache.move_to_end(key)
        if schedule is None:
            schedule = Schedule.model_validate_json(row.schedule)
            with self._cache_lock:
                self._cache[key] = schedule
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return _version(row, schedule)

    def communities(self) -> list[str]:
        """Every community with a published version, sorted."""
        query = select(table.c.community).distinct().order_by(table.c.community)
        return [row.community for row in self._rows(query)]

    def revision(self, community: str) -> int:
        """A number that grows whenever a version of ``community`` is published (0 while none
        is): a cheap cache key for a server that must notice a new version at once."""
        query = select(func.coalesce(func.max(table.c.id), 0)).where(table.c.community == community)
        return int(self._rows(query)[0][0])

    def versions(
        self,
        community: str,
        period_start: datetime | None = None,
        period_end: datetime | None = None,
    ) -> list[Version]:
        """Every version of ``community``'s periods that overlap [period_start, period_end) (no
        bound where None), ordered by period, then number."""
        query = select(table).where(table.c.community == community)
        if period_start is not None:
            query = query.where(table.c.period_end > period_start)
        if period_end is not None:
            query = query.where(table.c.period_start < period_end)
        query = query.order_by(table.c.period_start, table.c.period_end, table.c.number)
        return [self._version(row) for row in self._rows(query)]

    def latest(self, community: str, start: datetime, end: datetime) -> Version | None:
        """The newest version of the period [start, end), or None when it was never published."""
        rows = self._rows(_latest_query(_key(community, start, end)))
        return self._version(rows[0]) if rows else None

    def get(self, community: str, start: datetime, end: datetime, number: int) -> Version:
        """Version ``number`` of the period [start, end). Raises VersionNotFound."""
        query = select(table).where(_key(community, start, end), table.c.number == number)
        rows = self._rows(query)
        if not rows:
            latest = self.latest(community, start, end)
            period = f"{community} {period_label(start, end)}"
            if latest is None:
                raise VersionNotFound(_("{period} has never been published").format(period=period))
            raise VersionNotFound(
                _("{period} has no version {number}: its versions are 1 to {latest}").format(
                    period=period, number=number, latest=latest.number
                )
            )
        return self._version(rows[0])

    def history_before(self, community: str, start: datetime, weeks: int) -> list[Version]:
        """What is published before a period that starts at ``start``: the latest version of
        each published period that ends at or before ``start`` and after ``start - weeks``
        weeks (so it overlaps that window), oldest first. Empty when nothing is published."""
        since = start - timedelta(weeks=weeks)
        newest = (
            select(
                table.c.period_start,
                table.c.period_end,
                func.max(table.c.number).label("number"),
            )
            .where(
                table.c.community == community,
                table.c.period_end <= start,
                table.c.period_end > since,
            )
            .group_by(table.c.period_start, table.c.period_end)
            .subquery()
        )
        query = (
            select(table)
            .join(
                newest,
                and_(
                    table.c.period_start == newest.c.period_start,
                    table.c.period_end == newest.c.period_end,
                    table.c.number == newest.c.number,
                ),
            )
            .where(table.c.community == community)
            .order_by(table.c.period_start, table.c.period_end)
        )
        return [self._version(row) for row in self._rows(query)]

    def feed_versions(
        self, community: str, periods: int = 4, now: datetime | None = None
    ) -> list[Version]:
        """Every version of the periods the calendar feeds show: the ``periods`` most recent
        published periods (by start) and every period not yet over at ``now`` (default: the
        newest publishing time of the community, as ``calendars.feeds.write_feeds`` assumes),
        ordered by period, then number. Feeds need every version, not only the latest, to
        number changes (SEQUENCE) and to show removed duties as cancelled."""
        spans = (
            select(
                table.c.period_start,
                table.c.period_end,
                func.max(table.c.published_at).label("published_at"),
            )
            .where(table.c.community == community)
            .group_by(table.c.period_start, table.c.period_end)
        )
        found = self._rows(spans)
        if not found:
            return []
        if now is None:
            now = max(row.published_at for row in found)
        recent = sorted(found, key=lambda r: (r.period_start, r.period_end))[-periods:]
        chosen = {(r.period_start, r.period_end) for r in recent}
        chosen |= {(r.period_start, r.period_end) for r in found if r.period_end > now}
        query = (
            select(table)
            .where(
                table.c.community == community,
                or_(
                    *(
                        and_(table.c.period_start == start, table.c.period_end == end)
                        for start, end in sorted(chosen)
                    )
                ),
            )
            .order_by(table.c.period_start, table.c.period_end, table.c.number)
        )
        return [self._version(row) for row in self._rows(query)]


#: What the store was doing when the database failed, by the key ``Store._errors`` is given.
_DOING = {
    "open": N_("{store}: cannot open the roster store ({cause}); check --db or ROSTER_DB"),
    "read": N_("{store}: cannot read the roster store ({cause}); check --db or ROSTER_DB"),
    "publish to": N_(
        "{store}: cannot publish to the roster store ({cause}); check --db or ROSTER_DB"
    ),
}


def _key(community: str, start: datetime, end: datetime) -> Any:
    return and_(
        table.c.community == community,
        table.c.period_start == start,
        table.c.period_end == end,
    )


def _latest_query(key: Any) -> Any:
    return select(table).where(key).order_by(table.c.number.desc()).limit(1)


def _version(row: Row[Any], schedule: Schedule) -> Version:
    return Version(
        number=row.number,
        parent=row.parent,
        published_at=row.published_at,
        author=row.author,
        message=row.message,
        inputs_digest=row.inputs_digest,
        schedule=schedule,
    )
