"""A real PostgreSQL server for the store tests, started on 127.0.0.1 and stopped afterwards.

Uses the server programs of Debian's ``postgresql`` package (initdb, pg_ctl) in a temporary data
folder on a free port. PostgreSQL refuses to run as root, so as root the server runs as the
``postgres`` system user (runuser). ``ROSTER_TEST_POSTGRES_URL`` points the tests at a server of
your own instead (an admin URL: databases are created and dropped on it). Where no server can be
had the PostgreSQL tests are skipped with the reason, unless ``ROSTER_REQUIRE_POSTGRES=1`` (CI),
where that is a failure.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SERVER_USER = "postgres"


@dataclass
class PgServer:
    """A running server: ``admin_url`` reaches its ``postgres`` database as superuser."""

    admin_url: str
    data: Path | None = None
    bindir: Path | None = None
    as_user: str | None = None

    def create_database(self) -> str:
        """A new, empty database; its URL."""
        import psycopg

        name = f"roster_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        base, _, _ = self.admin_url.rpartition("/")
        return f"{base}/{name}"

    def drop_database(self, url: str) -> None:
        """Drop a database made by ``create_database``."""
        import psycopg

        name = url.rpartition("/")[2]
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _bindir() -> Path | None:
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        return Path(pg_ctl).resolve().parent
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _run(command: list[str], as_user: str | None) -> subprocess.CompletedProcess[str]:
    if as_user:
        command = ["runuser", "-u", as_user, "--", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def start() -> PgServer | str:
    """Start a throwaway server; the reason as a string when it cannot be started."""
    bindir = _bindir()
    if bindir is None:
        return "no PostgreSQL server programs (install Debian's postgresql package)"
    as_user = None
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam(SERVER_USER)
        except KeyError:
            return f"running as root and there is no {SERVER_USER!r} user to run the server as"
        if shutil.which("runuser") is None:
            return "running as root and runuser is missing"
        as_user = SERVER_USER
    base = Path(tempfile.mkdtemp(prefix="roster-pg-"))
    data = base / "data"
    if as_user:
        os.chown(base, account.pw_uid, account.pw_gid)
    initdb = _run(
        [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
         "-E", "UTF8", "--no-locale", "--no-sync"],
        as_user,
    )  # fmt: skip
    if initdb.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        return f"initdb failed: {initdb.stderr.strip().splitlines()[-1:]}"
    port = _free_port()
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={data} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40"
    )
    started = _run(
        [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "log"),
         "-w", "-t", "60", "start"],
        as_user,
    )  # fmt: skip
    if started.returncode != 0:
        log = (base / "log").read_text(errors="replace") if (base / "log").exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        return f"pg_ctl start failed: {(started.stderr + log).strip().splitlines()[-1:]}"
    return PgServer(f"postgresql://postgres@127.0.0.1:{port}/postgres", data, bindir, as_user)


def stop(server: PgServer) -> None:
    """Stop a server made by ``start`` and remove its files."""
    if server.data is None or server.bindir is None:
        return
    _run(
        [str(server.bindir / "pg_ctl"), "-D", str(server.data), "-m", "fast", "-w", "stop"],
        server.as_user,
    )
    shutil.rmtree(server.data.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PgServer]:
    """One PostgreSQL server for the whole test run (each test gets its own database)."""
    external = os.environ.get("ROSTER_TEST_POSTGRES_URL")
    if external:
        yield PgServer(external)
        return
    server = start()
    if isinstance(server, str):
        if os.environ.get("ROSTER_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required here but could not be started: {server}")
        pytest.skip(f"PostgreSQL tests skipped: {server}")
    try:
        yield server
    finally:
        stop(server)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty roster store on each backend: a SQLite file path, or a PostgreSQL URL of a
    database of its own."""
    if request.param == "sqlite":
        yield str(tmp_path / "store" / "roster.db")
        return
    server: PgServer = request.getfixturevalue("postgres_server")
    url = server.create_database()
    try:
        yield url
    finally:
        server.drop_database(url)
