"""For the server tests: a roster store with published versions of the factory roster, and uvicorn
started for real on a free port of 127.0.0.1 (in a thread) and stopped again."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import uvicorn
from test_calendars_factory import ASSIGNMENT, make_version, write_roster

from calendars.feeds import FeedOptions, build_feeds
from roster.load import load_roster
from server import ServeConfig, create_app
from server.app import UVICORN_OPTIONS
from server.auth import write_password_hash
from store import Store, open_store

#: The coordinator's password in the tests.
PASSWORD = "值班表-口令-2020"
#: Publishing times of versions 1, 2, 3 (UTC).
PUBLISHED = [
    datetime(2020, 2, 2, 2, 0, tzinfo=UTC),
    datetime(2020, 2, 3, 1, 0, tzinfo=UTC),
    datetime(2020, 2, 3, 4, 0, tzinfo=UTC),
]
#: Version 2: 王芳 (p03) off the night of 4 February, Zhao Lei (p04) on it instead.
SECOND = {**ASSIGNMENT, "gate-night/2020-02-04T22:00": ["p04"]}
#: When the roster folder was last edited.
EDITED = datetime(2020, 2, 1, 0, 0, tzinfo=UTC)
#: The tests' "now": Monday 3 February 2020, 07:00 in Xining (before the first duty).
NOW = datetime(2020, 2, 2, 23, 0, tzinfo=UTC)


def publish(store: Store, number: int, assignment: dict[str, list[str]] | None = None) -> None:
    """Publish version ``number`` of the factory roster's period (2020-02-03 and 04)."""
    version = make_version(number, PUBLISHED[number - 1], assignment)
    store.publish(
        version.schedule,
        inputs_digest="0" * 64,
        author="张海燕",
        message=f"第{number}版",
        parent=number - 1 or None,
        published_at=version.published_at,
    )


def roster_with_store(folder: Path, language: str = "zh") -> str:
    """The factory roster folder with a password and a SQLite store holding version 1."""
    write_roster(folder, language)
    write_password_hash(folder, PASSWORD)
    # Edited before anything was published, as in real life (Last-Modified is the newer of the
    # two).
    for file in folder.iterdir():
        os.utime(file, (EDITED.timestamp(), EDITED.timestamp()))
    location = str(folder / "roster.db")
    with open_store(location) as store:
        publish(store, 1)
    return location


def static_feeds(folder: Path, location: str, base_url: str | None) -> dict[str, bytes]:
    """What `roster publish` would write for the store's versions: the static copy."""
    with open_store(location, create=False) as store:
        versions = store.feed_versions("兴旺社区")
    files, _ = build_feeds(load_roster(folder), versions, FeedOptions(base_url=base_url))
    return files


def free_socket() -> socket.socket:
    """A listening-ready socket bound to a free port of 127.0.0.1."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@dataclass
class Running:
    """A server started by ``serving``."""

    url: str
    config: ServeConfig

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)  # type: ignore[arg-type]

    def revision(self) -> int:
        with self.client() as client:
            return int(client.get("/healthz").text.split()[1])

    def wait_for_revision(self, revision: int, timeout: float = 60.0) -> None:
        """Wait until the server shows the store's ``revision`` (the watcher polls)."""
        deadline = time.monotonic() + timeout
        while self.revision() < revision:
            if time.monotonic() > deadline:
                raise AssertionError(f"the server did not reach revision {revision}")
            time.sleep(0.02)


@contextmanager
def serving(
    config: ServeConfig, clock: Callable[[], datetime] | None = lambda: NOW
) -> Iterator[Running]:
    """Run the app under uvicorn in a thread until the block ends."""
    sock = free_socket()
    port = sock.getsockname()[1]
    app = create_app(config, clock)
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", **UVICORN_OPTIONS
        )
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise AssertionError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield Running(f"http://127.0.0.1:{port}", config)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def raw_request(url: str, data: bytes, timeout: float = 10.0) -> bytes:
    """Send ``data`` as it is (no client normalises the path) and read the whole answer."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        # The server may answer and close before it has read everything.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)
