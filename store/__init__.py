"""The roster store: published versions of each period's roster, on SQLite or PostgreSQL.

``open_store(path_or_url)`` gives a ``Store``; see docs/store.md for the schema and migrations.
"""

from roster.versions import Version

from .db import DEFAULT_FILE, ENV, store_location
from .errors import StoreConflict, StoreError, VersionNotFound
from .store import Store, open_store

__all__ = [
    "DEFAULT_FILE",
    "ENV",
    "Store",
    "StoreConflict",
    "StoreError",
    "Version",
    "VersionNotFound",
    "open_store",
    "store_location",
]
