"""Where the store lives and how to connect: SQLite files (WAL, foreign keys) and PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from roster.i18n import _

from .errors import StoreError

#: The environment variable naming the store when ``--db`` is not given.
ENV = "ROSTER_DB"
#: The store's file name inside a roster folder, the default.
DEFAULT_FILE = "roster.db"
#: How long a SQLite writer waits for another writer before giving up, in seconds.
SQLITE_TIMEOUT = 30.0


def store_location(db: str | Path | None, folder: Path | None = None) -> str:
    """The store to use: ``db`` when given, else ``$ROSTER_DB``, else ``FOLDER/roster.db``."""
    if db is not None and str(db) != "":
        return str(db)
    env = os.environ.get(ENV, "")
    if env:
        return env
    if folder is None:
        raise StoreError(
            _("say which store to use: --db PATH_OR_URL, or set {env}").format(env=ENV)
        )
    return str(folder / DEFAULT_FILE)


def to_url(location: str | Path) -> URL:
    """A SQLAlchemy URL for a store: a URL as given (``postgresql://`` uses psycopg 3), or a
    plain path of a SQLite file."""
    text = str(location)
    if "://" not in text:
        return URL.create("sqlite+pysqlite", database=str(Path(text).expanduser().absolute()))
    try:
        url = make_url(text)
    except ArgumentError:
        raise StoreError(
            _("{text!r} is neither a path nor a database URL").format(text=text)
        ) from None
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return url.set(drivername="postgresql+psycopg")
    if url.drivername in ("sqlite", "sqlite+pysqlite"):
        return url.set(drivername="sqlite+pysqlite")
    raise StoreError(
        _("{store}: a roster store is a SQLite file or a postgresql:// URL, not {driver}").format(
            store=shown(url), driver=url.drivername
        )
    )


def shown(url: URL) -> str:
    """The URL as it may be printed: the password hidden; a SQLite store as its path."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def make_engine(url: URL) -> Engine:
    """An engine for the store. SQLite connections get foreign keys, WAL, a busy timeout, and
    transactions begun by us (``BEGIN`` or, for writers, ``BEGIN IMMEDIATE``), so two writers
    queue instead of failing half-way."""
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": SQLITE_TIMEOUT})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling begins lazily and never for SELECT: turn it off and
    # begin in _sqlite_begin, so a read-then-write happens under one lock.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())
