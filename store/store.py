"""The roster store: every published version of every period, on SQLite or PostgreSQL."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, Row, and_, func, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from roster.schedule import Schedule
from roster.slots import period_label
from roster.versions import Version

from .db import make_engine, shown, to_url
from .errors import StoreConflict, StoreError, VersionNotFound
from .migrate import upgrade
from .schema import versions as table


def open_store(url_or_path: str | Path, *, create: bool = True) -> Store:
    """Open the roster store at a SQLite path or a ``postgresql://`` URL, bringing its schema up
    to date. With ``create=False`` a SQLite file that does not exist is an error rather than a
    new, empty store (reading commands must not leave files in a roster folder).

    Raises StoreError when the store cannot be reached or was written by a newer dutyroster.
    """
    url = to_url(url_or_path)
    if url.get_backend_name() == "sqlite" and url.database:
        path = Path(url.database)
        if not path.exists():
            if not create:
                raise StoreError(
                    f"{url_or_path}: no roster store here yet; `roster publish` creates it "
                    "(or give the store with --db or ROSTER_DB)"
                )
            path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    plain_path = url.get_backend_name() == "sqlite" and "://" not in str(url_or_path)
    store = Store(engine, str(url_or_path) if plain_path else None)
    with store._errors("open"):
        upgrade(engine)
    return store


class Store:
    """Published versions, by community and period. Versions are only ever added: each period's
    versions are numbered 1, 2, … and each names its parent, the one it replaces.

    Use ``open_store``; close it (or use it as a context manager) when done.
    """

    def __init__(self, engine: Engine, location: str | None = None) -> None:
        self._engine = engine
        self._location = location or shown(engine.url)

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
        """Database failures (a server gone, a locked or broken file) as one StoreError."""
        try:
            yield
        except IntegrityError:
            raise
        except DBAPIError as exc:
            cause = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise StoreError(
                f"{self.location}: cannot {doing} the roster store ({cause}); "
                "check --db or ROSTER_DB"
            ) from None

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
                        raise self._conflict(schedule, _version(latest) if latest else None, parent)
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
                f"{period} has no version {parent}: nothing is published for it yet; "
                "publish it as the first version",
                None,
            )
        if parent is not None and parent > latest.number:
            return StoreConflict(
                f"{period} has no version {parent}: its latest is version {latest.number}; "
                f"rebase on version {latest.number}",
                latest,
            )
        local = latest.published_at.astimezone(latest.schedule.period.start.tzinfo)
        return StoreConflict(
            f"{period} is already at version {latest.number} (by {latest.author}, "
            f"{local:%Y-%m-%d %H:%M}), which this schedule does not build on: "
            f"rebase on version {latest.number}",
            latest,
        )

    # --- reading ----------------------------------------------------------------------------

    def _rows(self, query: Any) -> list[Row[Any]]:
        with self._errors("read"), self._engine.connect() as conn:
            return list(conn.execute(query))

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
        return [_version(row) for row in self._rows(query)]

    def latest(self, community: str, start: datetime, end: datetime) -> Version | None:
        """The newest version of the period [start, end), or None when it was never published."""
        rows = self._rows(_latest_query(_key(community, start, end)))
        return _version(rows[0]) if rows else None

    def get(self, community: str, start: datetime, end: datetime, number: int) -> Version:
        """Version ``number`` of the period [start, end). Raises VersionNotFound."""
        query = select(table).where(_key(community, start, end), table.c.number == number)
        rows = self._rows(query)
        if not rows:
            latest = self.latest(community, start, end)
            period = f"{community} {period_label(start, end)}"
            if latest is None:
                raise VersionNotFound(f"{period} has never been published")
            raise VersionNotFound(
                f"{period} has no version {number}: its versions are 1 to {latest.number}"
            )
        return _version(rows[0])

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
        return [_version(row) for row in self._rows(query)]

    def feed_versions(self, community: str, periods: int = 4) -> list[Version]:
        """Every version of the ``periods`` most recent published periods (by their end), ordered
        by period, then number: what the calendar feeds are made from."""
        recent = (
            select(table.c.period_start, table.c.period_end)
            .where(table.c.community == community)
            .group_by(table.c.period_start, table.c.period_end)
            .order_by(table.c.period_end.desc(), table.c.period_start.desc())
            .limit(periods)
            .subquery()
        )
        query = (
            select(table)
            .join(
                recent,
                and_(
                    table.c.period_start == recent.c.period_start,
                    table.c.period_end == recent.c.period_end,
                ),
            )
            .where(table.c.community == community)
            .order_by(table.c.period_start, table.c.period_end, table.c.number)
        )
        return [_version(row) for row in self._rows(query)]


def _key(community: str, start: datetime, end: datetime) -> Any:
    return and_(
        table.c.community == community,
        table.c.period_start == start,
        table.c.period_end == end,
    )


def _latest_query(key: Any) -> Any:
    return select(table).where(key).order_by(table.c.number.desc()).limit(1)


def _version(row: Row[Any]) -> Version:
    return Version(
        number=row.number,
        parent=row.parent,
        published_at=row.published_at,
        author=row.author,
        message=row.message,
        inputs_digest=row.inputs_digest,
        schedule=Schedule.model_validate_json(row.schedule),
    )
