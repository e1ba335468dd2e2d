"""``python -m store``: the store's tools for engineers (new migrations, migrating a store)."""

from __future__ import annotations

import argparse

from .migrate import head, new_revision
from .store import open_store


def main(argv: list[str] | None = None) -> None:
    """``revision MESSAGE``: write a migration for what changed in store/schema.py;
    ``upgrade DB``: bring a store (path or URL) to the newest schema now."""
    parser = argparse.ArgumentParser(prog="python -m store", description=main.__doc__)
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("revision", help="write a new migration").add_argument("message")
    sub.add_parser("upgrade", help="migrate a store to the newest revision").add_argument("db")
    args = parser.parse_args(argv)
    if args.action == "revision":
        new_revision(args.message)
        return
    with open_store(args.db) as store:
        print(f"{store.location}: at schema revision {head()}")


if __name__ == "__main__":
    main()
