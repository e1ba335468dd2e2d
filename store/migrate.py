"""Bringing a store's schema to the newest revision with Alembic, programmatically (no
alembic.ini). ``python -m store revision "what changed"`` writes a new migration."""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from roster.i18n import _

from .db import make_engine, shown, to_url
from .errors import StoreError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: pg_advisory_xact_lock key that serialises migrations of one PostgreSQL database
#: (two coordinators opening a new store at once must not both create the tables).
LOCK_KEY = 0x726F73746572  # "roster"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration of the store's migrations, on ``connection`` when given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def scripts() -> ScriptDirectory:
    """The migration scripts shipped with the package."""
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    """The newest schema revision this version of dutyroster knows."""
    revision = scripts().get_current_head()
    assert revision is not None
    return revision


def current(connection: Connection) -> str | None:
    """The schema revision a database is at (None for an empty database)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Apply every migration the store lacks, in one transaction that holds the write lock, so
    two processes opening a new store at once do not both build it. Raises StoreError when the
    store was made by a newer dutyroster."""
    newest = head()
    known = {s.revision for s in scripts().walk_revisions()}
    with engine.connect() as connection:
        connection.execution_options(sqlite_begin="IMMEDIATE")
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            revision = current(connection)
            if revision == newest:
                return
            if revision is not None and revision not in known:
                raise StoreError(
                    _(
                        "{store}: the store is at schema revision {revision}, newer than this "
                        "dutyroster knows; install the newer dutyroster that wrote it"
                    ).format(store=shown(engine.url), revision=revision)
                )
            command.upgrade(alembic_config(connection), "head")


def new_revision(message: str) -> None:
    """Write a migration for what changed in ``store.schema`` since the newest revision, found by
    comparing the models with a scratch SQLite store built by the existing migrations. Review it
    (SQLite-only details, triggers, data) before committing."""
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(to_url(Path(scratch) / "scratch.db"))
        upgrade(engine)
        number = len(list(scripts().walk_revisions())) + 1
        with engine.connect() as connection:
            command.revision(
                alembic_config(connection),
                message=message,
                autogenerate=True,
                rev_id=f"{number:04d}",
            )
        engine.dispose()
