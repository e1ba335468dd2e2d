"""The ASGI app of `roster serve`: feeds at their token paths with HTTP caching, each worker's page,
the coordinator's pages behind a password, and a watcher that swaps in each new version."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from calendars.feeds import check_base_url
from roster import i18n
from roster.errors import RosterError
from roster.i18n import _
from store import Store, open_store

from . import pages
from .auth import Coordinator, MissLimiter, load_password_hash
from .snapshot import GZIP_MIN, Feed, Snapshot, build_snapshot, current_key
from .words import PageWords, choose

# uvicorn configures this logger, so the messages show beside its own.
log = logging.getLogger("uvicorn.error")

#: Environment variables that carry the settings to each worker process (see ``ServeConfig``).
ENV_DIR = "ROSTER_SERVE_DIR"
ENV_DB = "ROSTER_SERVE_DB"
ENV_BASE_URL = "ROSTER_SERVE_BASE_URL"
ENV_POLL = "ROSTER_SERVE_POLL"
#: A file `run` names for its worker processes: one whose first build fails writes why into
#: it, and `run` says so once and fails (uvicorn's supervisor only learns that a worker failed).
ENV_REPORT = "ROSTER_SERVE_STARTUP_REPORT"
#: Parsed schedules the server keeps: the versions of the four periods the feeds show, with
#: room for a few repairs of each.
STORE_CACHE = 32
#: Requests whose headers add up to more than this get 431 (nginx's default buffers hold 8 KB).
MAX_HEADER_BYTES = 16 * 1024
#: Requests for paths longer than this are answered 404 without looking anything up.
MAX_PATH = 256

CSP = (
    f"default-src 'none'; style-src {pages.STYLE_HASH}; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
#: Feeds are private and change with every version: clients keep them but ask again each time
#: (a 304 costs a few hundred bytes), and no shared cache keeps them.
FEED_CACHE = "private, no-cache"
#: Pages show phone numbers: nothing keeps them.
PAGE_CACHE = "private, no-store"


@dataclass(frozen=True)
class ServeConfig:
    """The settings of one server: the roster folder, the store, the public address of the
    feeds folder (None: taken from each request's Host) and how often to look for a version."""

    folder: Path
    db: str
    base_url: str | None = None
    #: A look is one small query and one folder listing: four a second cost nothing, and a new
    #: version waits an eighth of a second for it on average.
    poll: float = 0.25
    miss_limit: int = 60
    miss_window: float = 600.0

    def to_env(self) -> dict[str, str]:
        """The environment variables that give a worker process these settings."""
        env = {ENV_DIR: str(self.folder), ENV_DB: self.db, ENV_POLL: repr(self.poll)}
        if self.base_url:
            env[ENV_BASE_URL] = self.base_url
        return env

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> ServeConfig:
        """The settings ``to_env`` gave, read in a worker process."""
        env = dict(os.environ if environ is None else environ)
        return cls(
            folder=Path(env[ENV_DIR]),
            db=env[ENV_DB],
            base_url=check_base_url(env.get(ENV_BASE_URL)),
            poll=float(env.get(ENV_POLL, "0.25")),
        )


class StartupError(RosterError):
    """Raised by ``run`` when what is served could not be built at start (the roster folder, the
    store or a published version is not usable); the message names it and the fix."""


def startup_problem(folder: Path, exc: Exception) -> str:
    """One sentence for a first build that failed: the library's own message for what a user can
    get wrong, or the folder and the reason when it cannot be read."""
    if isinstance(exc, RosterError):
        return str(exc)
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return _(
        "{folder}: cannot read the roster folder ({reason}); give `roster serve` the folder "
        "the roster was published from"
    ).format(folder=folder, reason=reason)


@dataclass
class State:
    """What the app holds between requests. ``snapshot`` is replaced whole, never changed."""

    config: ServeConfig
    store: Store
    snapshot: Snapshot
    coordinator: Coordinator
    misses: MissLimiter
    clock: Callable[[], datetime]
    rebuilds: int = 0
    last_error: str | None = field(default=None)


class Feeds:
    """Builds the first snapshot and keeps the served one current."""

    def __init__(self, config: ServeConfig, clock: Callable[[], datetime] | None = None) -> None:
        self.config = config
        self.clock = clock or (lambda: datetime.now(UTC))
        self.state: State | None = None
        #: Why the first build failed, and whether that was handed to `run` (ENV_REPORT).
        self.failure: str | None = None
        self.reported = False

    def start(self) -> State:
        """Open the store and build the first snapshot; RosterError when either fails."""
        # Versions never change: a parsed schedule is kept, so a new version parses only itself
        # (a district's week takes about 0.2 s), not every version the feeds show.
        store = open_store(self.config.db, create=False, cache=STORE_CACHE)
        try:
            snapshot = build_snapshot(self.config.folder, store, self.config.base_url)
            password = load_password_hash(self.config.folder)
        except BaseException:
            store.close()
            raise
        self.state = State(
            self.config,
            store,
            snapshot,
            Coordinator(password),
            MissLimiter(self.config.miss_limit, self.config.miss_window),
            self.clock,
        )
        log.info(
            "serving %s: %d feeds, store revision %d, built in %.2f s",
            snapshot.roster.name,
            len(snapshot.feeds),
            snapshot.revision,
            snapshot.build_seconds,
        )
        return self.state

    def refresh(self) -> bool:
        """Build a new snapshot when the store or the roster folder changed; True if swapped.
        Runs in a worker thread; the swap is one assignment, so a request sees the old
        snapshot or the new one, whole."""
        state = self.state
        assert state is not None
        key = current_key(self.config.folder, state.store, state.snapshot.roster.name)
        if key == state.snapshot.key:
            return False
        snapshot = build_snapshot(
            self.config.folder, state.store, self.config.base_url, state.snapshot, defer_all=True
        )
        password = load_password_hash(self.config.folder)
        if password != state.coordinator.password_hash:
            state.coordinator = Coordinator(password)
        while True:
            state.snapshot = snapshot
            log.info(
                "store revision %d: %d of %d feeds rendered in %.2f s",
                snapshot.revision,
                snapshot.rendered,
                len(snapshot.feeds),
                snapshot.build_seconds,
            )
            if snapshot.finish is None:
                break
            # People's feeds are served already; the whole roster's follows.
            snapshot = snapshot.finish(snapshot)
        state.rebuilds += 1
        return True

    async def watch(self) -> None:
        """Look at the store every ``poll`` seconds; a failed rebuild (a roster folder being
        edited, the database away) keeps the last good snapshot and is logged once."""
        state = self.state
        assert state is not None
        while True:
            await asyncio.sleep(self.config.poll)
            try:
                await asyncio.to_thread(self.refresh)
            except (RosterError, OSError) as exc:
                problem = startup_problem(self.config.folder, exc)
                if problem != state.last_error:
                    log.warning("still serving revision %d: %s", state.snapshot.revision, problem)
                state.last_error = problem
            except Exception as exc:
                # A bug: said once with its traceback; the last good snapshot stays served and
                # the watcher keeps looking (a dead watcher would serve it forever, silently).
                problem = repr(exc)
                if problem != state.last_error:
                    log.exception("still serving revision %d", state.snapshot.revision)
                state.last_error = problem
            else:
                state.last_error = None


class Guard:
    """Adds the security headers to every response, errors included, and refuses requests
    whose headers are oversized (httptools, unlike h11, sets no limit of its own)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        size = sum(len(name) + len(value) for name, value in scope["headers"])
        if size > MAX_HEADER_BYTES:
            await send(
                {
                    "type": "http.response.start",
                    "status": 431,
                    "headers": [
                        (b"content-length", b"0"),
                        (b"connection", b"close"),
                        *SECURITY_HEADERS,
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _state(request: Request) -> State:
    state: State = request.app.state.roster
    return state


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _words(request: Request, snap: Snapshot) -> PageWords:
    return choose(snap.roster.config.language, request.headers.get("accept-language"))


def _not_found(request: Request, snap: Snapshot) -> Response:
    """The one answer for every path that is not served: a token never issued, a revoked one,
    a file of the folder, a traversal attempt."""
    words = _words(request, snap)
    return _html(pages.message_page(words, words.not_found), status=404)


def _html(text: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    all_headers = {"cache-control": PAGE_CACHE, "vary": "Accept-Language"}
    all_headers.update(headers or {})
    return Response(
        text.encode("utf-8"),
        status_code=status,
        media_type="text/html; charset=utf-8",
        headers=all_headers,
    )


def _too_many(request: Request, snap: Snapshot, wait: float) -> Response:
    words = _words(request, snap)
    return _html(
        pages.message_page(words, words.too_many),
        status=429,
        headers={"retry-after": str(int(wait) + 1)},
    )


def _base_url(request: Request, state: State) -> str:
    """The public address of the feeds folder: --base-url, else this request's origin."""
    if state.config.base_url:
        return state.config.base_url
    return str(request.base_url).rstrip("/")


def _accepts_gzip(header: str) -> bool:
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip", "*"):
            name, _, value = params.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    return float(value) > 0
                except ValueError:
                    return False
            return True
    return False


def _not_modified(request: Request, feed: Feed) -> bool:
    """RFC 9110 section 13.2.2: If-None-Match (weak comparison, any coding) decides when it is
    there; otherwise If-Modified-Since against Last-Modified."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        if if_none_match.strip() == "*":
            return True
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return feed.etag in tags or feed.etag_gzip in tags
    since = request.headers.get("if-modified-since")
    if since:
        try:
            when = parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError):
            return False
        if when.tzinfo is None:
            return False
        return feed.last_modified <= when
    return False


def _feed_response(request: Request, snap: Snapshot, feed: Feed) -> Response:
    gzipped = len(feed.body) >= GZIP_MIN and _accepts_gzip(
        request.headers.get("accept-encoding", "")
    )
    headers = {
        "etag": feed.etag_gzip if gzipped else feed.etag,
        "last-modified": format_datetime(feed.last_modified, usegmt=True),
        "cache-control": FEED_CACHE,
        "vary": "Accept-Encoding",
    }
    if _not_modified(request, feed):
        return Response(status_code=304, headers=headers)
    body = snap.gzipped(feed) if gzipped else feed.body
    if gzipped:
        headers["content-encoding"] = "gzip"
    headers["content-length"] = str(len(body))
    if request.method == "HEAD":
        body = b""
    return Response(body, headers=headers, media_type="text/calendar; charset=utf-8")


async def token_resource(request: Request) -> Response:
    """A feed (``people/TOKEN.ics``, ``posts/POST-TOKEN.ics``, ``all-TOKEN.ics``) or a worker's
    page (``people/TOKEN``); anything else is the same 404."""
    state = _state(request)
    snap = state.snapshot
    client = _client(request)
    wait = state.misses.blocked(client)
    if wait:
        return _too_many(request, snap, wait)
    path: str = request.path_params["path"]
    if len(path) <= MAX_PATH:
        feed = snap.feeds.get(path)
        if feed is not None:
            return _feed_response(request, snap, feed)
        person = snap.pages.get(path)
        if person is not None:
            return _person_page(request, state, snap, person)
    state.misses.miss(client)
    return _not_found(request, snap)


def _person_page(request: Request, state: State, snap: Snapshot, person_id: str) -> Response:
    words = _words(request, snap)
    feed = snap.feed_of("person", person_id)
    assert feed is not None
    url = f"{_base_url(request, state)}/{feed.path}"
    clock = pages.Clock(state.clock().astimezone(snap.roster.zone))
    printable = request.query_params.get("print") == "1"
    text = pages.person_page(snap, words, person_id, url, clock, printable=printable)
    return _html(text)


async def _coordinator_gate(request: Request) -> Response | None:
    """None when the request carries the coordinator's password, else the answer to send."""
    state = _state(request)
    snap = state.snapshot
    client = _client(request)
    wait = state.misses.blocked(client)
    if wait:
        return _too_many(request, snap, wait)
    words = _words(request, snap)
    if state.coordinator.password_hash is None:
        return _html(pages.message_page(words, words.no_password), status=403)
    header = request.headers.get("authorization")
    # argon2 takes tens of milliseconds on purpose: off the event loop.
    if header:
        signed_in: bool = await asyncio.to_thread(state.coordinator.check, header)
        if signed_in:
            return None
        state.misses.miss(client)
    return _html(
        pages.message_page(words, words.coordinator_title.format(roster=snap.roster.name)),
        status=401,
        headers={"www-authenticate": 'Basic realm="roster coordinator", charset="UTF-8"'},
    )


async def coordinator(request: Request) -> Response:
    """The coordinator's overview (``?day=YYYY-MM-DD`` for another day than today)."""
    refused = await _coordinator_gate(request)
    if refused is not None:
        return refused
    state = _state(request)
    snap = state.snapshot
    words = _words(request, snap)
    clock = pages.Clock(state.clock().astimezone(snap.roster.zone))
    day = clock.now.date()
    asked = request.query_params.get("day")
    if asked:
        try:
            day = date.fromisoformat(asked)
        except ValueError:
            return _html(pages.message_page(words, words.not_found), status=404)
    return _html(pages.coordinator_page(snap, words, day, clock))


async def coordinator_links(request: Request) -> Response:
    """Every subscribe link with its QR code, to print."""
    refused = await _coordinator_gate(request)
    if refused is not None:
        return refused
    state = _state(request)
    snap = state.snapshot
    words = _words(request, snap)
    base = _base_url(request, state)
    # A district's sheet is a thousand QR codes: made off the event loop.
    text = await asyncio.to_thread(pages.links_page, snap, words, base)
    return _html(text)


async def health(request: Request) -> Response:
    """For a reverse proxy's or a supervisor's health check: which revision is served."""
    snap = _state(request).snapshot
    return PlainTextResponse(f"ok {snap.revision}\n", headers={"cache-control": "no-store"})


def _routes(base_url: str | None) -> list[BaseRoute]:
    inner: list[BaseRoute] = [
        Route("/healthz", health, methods=["GET", "HEAD"]),
        Route("/coordinator", coordinator, methods=["GET", "HEAD"]),
        Route("/coordinator/links", coordinator_links, methods=["GET", "HEAD"]),
        Route("/{path:path}", token_resource, methods=["GET", "HEAD"]),
    ]
    prefix = urlsplit(base_url).path.rstrip("/") if base_url else ""
    # A proxy may pass the base URL's path on or strip it; either way the feeds are found.
    return [Mount(prefix, routes=inner), *inner] if prefix else inner


def create_app(config: ServeConfig, clock: Callable[[], datetime] | None = None) -> ASGIApp:
    """The app serving ``config``: the first snapshot is built before it accepts requests, and
    a new one is swapped in within ``config.poll`` seconds (plus the build) of a publish."""
    feeds = Feeds(config, clock)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            state = await asyncio.to_thread(feeds.start)
        except (RosterError, OSError) as exc:
            feeds.failure = startup_problem(config.folder, exc)
            feeds.reported = _report(feeds.failure)
            raise _StartupFailed(feeds.failure) from None
        app.state.roster = state
        watcher = asyncio.create_task(feeds.watch())
        try:
            yield
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            state.store.close()

    app = Starlette(routes=_routes(config.base_url), lifespan=lifespan)
    return Guard(Startup(app, feeds))


class _StartupFailed(Exception):
    """The first build failed for a reason a user can put right (the message says which)."""


def _report(problem: str) -> bool:
    """Hand a failed first build's sentence to `run` in the parent process; False when this
    process was not started by it (then uvicorn's log says it)."""
    target = os.environ.get(ENV_REPORT)
    if not target:
        return False
    try:
        Path(target).write_text(problem + "\n", encoding="utf-8")
    except OSError:
        return False
    return True


class Startup:
    """Says why the first build failed in one sentence instead of Starlette's traceback: through
    `run`, which prints it once and exits non-zero, or else as uvicorn's error line. uvicorn
    then stops the worker (exit status 3), and its supervisor stops the others."""

    def __init__(self, app: ASGIApp, feeds: Feeds) -> None:
        self.app = app
        self.feeds = feeds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def send_problem(message: Message) -> None:
            problem = self.feeds.failure
            if message["type"] == "lifespan.startup.failed" and problem is not None:
                message = {
                    "type": "lifespan.startup.failed",
                    "message": "" if self.feeds.reported else problem,
                }
            await send(message)

        with contextlib.suppress(_StartupFailed):
            await self.app(scope, receive, send_problem)


def app_from_env() -> ASGIApp:
    """The app factory uvicorn's worker processes call (``server.app:app_from_env``)."""
    return create_app(ServeConfig.from_env())


#: How uvicorn runs the app, in `roster serve` and in the tests.
UVICORN_OPTIONS: dict[str, Any] = {
    # The Server header names the software and version: nothing a visitor needs.
    "server_header": False,
    # Behind a reverse proxy on this machine the client address comes from X-Forwarded-For
    # (uvicorn trusts 127.0.0.1, or the addresses in $FORWARDED_ALLOW_IPS).
    "proxy_headers": True,
    "timeout_keep_alive": 15,
    # An access log would write every private link into the logs; the proxy keeps its own.
    "access_log": False,
}


def run(config: ServeConfig, host: str, port: int, workers: int = 1, **uvicorn: Any) -> None:
    """Serve ``config`` with uvicorn until interrupted. Each of ``workers`` processes holds its
    own snapshot and watches the store itself."""
    import uvicorn as server

    os.environ.update(config.to_env())
    # Worker processes write their messages in the language this command speaks.
    os.environ[i18n.ENV_VAR] = i18n.current()
    scratch = Path(tempfile.mkdtemp(prefix="roster-serve-"))
    report = scratch / "startup-failure"
    os.environ[ENV_REPORT] = str(report)
    try:
        try:
            server.run(
                "server.app:app_from_env",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                **(UVICORN_OPTIONS | {"log_level": "info"} | uvicorn),
            )
        except SystemExit:
            # uvicorn exits with status 3 when its one worker failed to start.
            if not report.exists():
                raise
        # With several workers uvicorn's supervisor stops and returns when one failed to start.
        if report.exists():
            raise StartupError(report.read_text(encoding="utf-8").strip())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
