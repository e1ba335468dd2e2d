"""Alembic migrations of the roster store, applied by ``store.migrate.upgrade`` on open."""
