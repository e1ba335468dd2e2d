"""Alembic's environment for the roster store: runs on the connection ``store.migrate`` hands in
(``config.attributes["connection"]``), or on ``sqlalchemy.url`` when run by the alembic tool."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from store.db import make_engine, to_url
from store.schema import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Migrate the handed-in connection, or the database at ``sqlalchemy.url``."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("set sqlalchemy.url (alembic -x or alembic.ini) to the store's URL")
    engine = make_engine(to_url(url))
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
    engine.dispose()


main()
