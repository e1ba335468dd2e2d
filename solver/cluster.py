"""A roster's independent parts solved on a Dask cluster's workers (``roster solve --cluster``).

A city's communities share nobody, so ``solver.components`` solves them as separate models and
merges their rosters. Here the same code path runs with every part's search sent to a worker of a
Dask distributed cluster instead of a thread of this process: ``solve_in_parts`` still plans the
passes, shares the time, keeps the best roster of each part and merges them; ``Cluster.solve``
is the seam (``solver.components.PartRunner``) through which each of its calls of ``solve_one``
goes. What crosses the wire per call: the part's roster (its people, posts, leave, requests and
pins, the roster's rules), the period, the SolveOptions without their clock and callbacks and
with the history of the part's people alone (``History.of_people``), the seconds left, and back
the part's Schedule. The function itself travels by name (``solver.solve.solve_one``), so every
worker needs dutyroster installed at the client's version.

While a part is searched, its worker sends each new best roster's penalty and bound back as a
Dask event (``Worker.log_event`` on the cluster's topic, at most every ``PROGRESS_EVERY``
seconds), which the client hands to the solve's progress callback, as a thread of this process
would.

The scheduler is the cluster's own (``dask scheduler`` and ``dask worker``, docs/cluster.md), or a
``distributed.LocalCluster`` of worker processes on 127.0.0.1 for the time of one command.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import resource
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import metadata
from types import TracebackType
from typing import Any

from roster.errors import InfeasibleError, RosterError
from roster.history import History
from roster.i18n import _
from roster.load import Roster
from roster.schedule import Schedule
from roster.slots import Period

from .components import PartRunner, SolveOne
from .search import Progress, SolveOptions, Stop
from .solve import solve as solve_here

#: Seconds to reach a scheduler, and then to see its first worker, before giving up.
CONNECT_TIMEOUT = 10.0
#: CP-SAT workers of each part's search on a cluster unless ``--workers`` asks for others: one,
#: as in-process parts side by side have, so that a Dask worker thread is one CP-SAT worker and
#: the roster is the same as in this process (repeatable mode).
PART_WORKERS = 1
#: Seconds the client waits for a part past the solve's deadline (the result's way back) before it
#: gives the part up; the worker's own search stops at the deadline.
GRACE = 2.0
#: Times a part is sent again when the worker solving it died (a local cluster's scheduler marks
#: a task failed at the first death; a remote one by its ``allowed-failures``, 3 by default).
RETRIES = 1
#: How often a waiting client looks at the interrupt, and a worker at the interrupt's event.
POLL = 0.25
#: Seconds at least between two progress events of a part's search (its latest best roster is
#: sent, the ones between are dropped): the progress line prints at most twice a second.
PROGRESS_EVERY = 0.5
#: Address schemes of a Dask scheduler that a client reaches over the network.
SCHEMES = ("tcp", "tls")
DEFAULT_PORT = 8786


class ClusterError(RosterError):
    """Raised when the cluster given with ``--cluster`` cannot be used: the address is malformed,
    no scheduler answers there, it has no workers, the workers run another version of dutyroster,
    or a part's worker died twice. The message names the address and what to do."""


@dataclass(frozen=True)
class ClusterSpec:
    """Where parts are solved: a scheduler's ``address``, or a local cluster (``address`` None)
    of ``processes`` worker processes (None: one per CPU)."""

    address: str | None = None
    processes: int | None = None

    def __str__(self) -> str:
        if self.address is not None:
            return self.address
        return "local" if self.processes is None else f"local:{self.processes}"


def parse_cluster(text: str) -> ClusterSpec:
    """``--cluster``'s value: ``tcp://HOST:PORT`` or ``tls://HOST:PORT`` (a scheduler; port 8786
    when none is given), ``local`` or ``local:N``. Raises ClusterError saying what to write."""
    value = text.strip()
    if value == "local":
        return ClusterSpec()
    if value.startswith("local:"):
        count = value.removeprefix("local:")
        if re.fullmatch("[0-9]+", count) is None or int(count) < 1:
            raise ClusterError(
                _(
                    "{value}: the number of local worker processes must be a whole number of "
                    "at least 1, e.g. local:2"
                ).format(value=text)
            )
        return ClusterSpec(processes=int(count))
    match = re.fullmatch(r"([a-z]+)://(\[[0-9a-fA-F:]+\]|[^:/\s]+)(?::(\d+))?/?", value)
    if match is None or match.group(1) not in SCHEMES:
        raise ClusterError(
            _(
                "{value}: give a Dask scheduler's address as tcp://HOST:PORT (or tls://HOST:PORT), "
                "or local[:N] for N worker processes on this machine"
            ).format(value=text)
        )
    scheme, host, port = match.group(1), match.group(2), match.group(3)
    return ClusterSpec(address=f"{scheme}://{host}:{port or DEFAULT_PORT}")


#: Seconds between two tries to reach a scheduler (``reach``).
REACH_RETRY = 0.2


def reach(address: str, timeout: float) -> None:
    """Open and close a TCP connection to a scheduler's ``address`` (``scheme://host:port``, as
    ``parse_cluster`` gives), trying again until ``timeout`` seconds have passed (a scheduler may
    be starting). Raises the last OSError, or TimeoutError, when none was opened."""
    location = address.partition("://")[2]
    host, _colon, port = location.rpartition(":")
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"{address}: no connection within {timeout:g} s")
        try:
            socket.create_connection((host.strip("[]"), int(port)), timeout=left).close()
            return
        except OSError:
            if time.monotonic() + REACH_RETRY >= deadline:
                raise
        time.sleep(REACH_RETRY)


# --- on a worker ---------------------------------------------------------------------------------


def solve_part(
    solve_one: SolveOne,
    roster: Roster,
    period: Period,
    options: SolveOptions,
    seconds: float | None,
    interrupt: str | None = None,
    progress: tuple[str, str] | None = None,
) -> Schedule:
    """The task a worker runs: ``solve_one(roster, period, options)`` (``solver.solve.solve_one``:
    build the part's model, search, report) under a Stop of its own, whose deadline is ``seconds``
    from now (None in the repeatable mode) and which is interrupted when the Dask event named
    ``interrupt`` is set (the client's Ctrl-C), so the part still returns its best roster. With
    ``progress`` (a topic and the part's key), each new best roster is sent to the client as an
    event on that topic (``ProgressRelay``)."""
    stop = Stop(None if seconds is None else time.monotonic() + seconds)
    done = threading.Event()
    event = _event(interrupt) if interrupt is not None else None
    if event is not None:
        threading.Thread(
            target=_watch, args=(event, stop, done), name="interrupt", daemon=True
        ).start()
    relay = ProgressRelay.on_worker(progress, done) if progress is not None else None
    try:
        return solve_one(
            roster,
            period,
            replace(options, stop=stop, on_progress=relay.report if relay else None),
        )
    finally:
        done.set()


class ProgressRelay:
    """A part's progress on its way to the client: ``report`` (called by the search for each
    new best roster, in CP-SAT's thread) keeps the latest; a thread of its own sends it every
    ``PROGRESS_EVERY`` seconds, when there is one, as ``send([key, objective, bound, elapsed,
    solutions])``, until ``done`` (the part's roster goes back with its result)."""

    def __init__(
        self, key: str, send: Callable[[list[object]], None], done: threading.Event
    ) -> None:
        self.key = key
        self.send = send
        self.done = done
        self.latest: Progress | None = None
        self.lock = threading.Lock()
        threading.Thread(target=self._run, name="progress", daemon=True).start()

    @classmethod
    def on_worker(cls, progress: tuple[str, str], done: threading.Event) -> ProgressRelay | None:
        """The relay of a task on this worker (None off a worker: the task called in a
        process), sending Dask events on the topic of ``progress``."""
        from distributed import get_worker

        topic, key = progress
        try:
            worker = get_worker()
        except ValueError:
            return None
        return cls(key, lambda message: worker.log_event(topic, message), done)

    def report(self, progress: Progress) -> None:
        """A new best roster of the part's search: kept until the next send."""
        with self.lock:
            self.latest = progress

    def flush(self) -> None:
        """Send the latest progress not sent yet, if any."""
        with self.lock:
            latest, self.latest = self.latest, None
        if latest is not None:
            self.send([self.key, latest.objective, latest.bound, latest.elapsed, latest.solutions])

    def _run(self) -> None:
        while not self.done.wait(PROGRESS_EVERY):
            try:
                self.flush()
            except Exception:  # the worker is closing: its task ends with it
                return


def _event(name: str) -> Any:
    """The Dask event ``name`` through this worker's client (made in the task's own thread,
    where the worker's client is found), or None off a worker (the task called in a process)."""
    from distributed import Event, get_client

    try:
        return Event(name, client=get_client())
    except ValueError:
        return None


def _watch(event: Any, stop: Stop, done: threading.Event) -> None:
    """Interrupt ``stop`` when ``event`` is set, until ``done``."""
    while not done.is_set():
        try:
            told = event.wait(timeout=4 * POLL)
        except Exception:  # the worker is closing: its task ends with it
            return
        if told:
            stop.interrupt()
            return


def installed_version() -> str:
    """The version of dutyroster where this runs (asked of every worker on connecting)."""
    return metadata.version("dutyroster")


def peak_memory_mib() -> float:
    """Peak resident memory of this process in MiB (``ru_maxrss``; asked of the workers)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- on the client -------------------------------------------------------------------------------


class Cluster:
    """A connection to a Dask cluster that solves parts (``solver.components.PartRunner``): opened
    by ``with Cluster(spec) as cluster``, which starts a local cluster when the spec says so and
    closes it on leaving. ``lanes`` is the number of parts it solves at once (its workers'
    threads). With ``progress`` (the default) a part's progress comes back while it is searched,
    as Dask events on a topic of this connection; without, only with its roster."""

    def __init__(
        self, spec: ClusterSpec, timeout: float | None = None, progress: bool = True
    ) -> None:
        self.spec = spec
        self.timeout = CONNECT_TIMEOUT if timeout is None else timeout
        self.progress = progress
        #: The Dask topic the workers send the parts' progress on, and who waits for each part's.
        self.topic = f"dutyroster-progress-{uuid.uuid4().hex}"
        self._listeners: dict[str, Callable[[Progress], None]] = {}
        #: Progress events received (a figure for the benchmark and the tests).
        self.progress_events = 0
        self.client: Any = None
        self._local: Any = None
        self.threads: dict[str, int] = {}
        #: Parts sent again after their worker died (a figure for the benchmark and the tests).
        self.retried = 0
        #: Seconds that starting or reaching the cluster took (its workers checked).
        self.ready_seconds = 0.0
        self._lock = threading.Lock()

    # -- opening and closing

    def __enter__(self) -> Cluster:
        self.open()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def open(self) -> None:
        """Start the local cluster or reach the scheduler, wait for a worker and check that the
        workers run this version of dutyroster. Raises ClusterError."""
        started = time.monotonic()
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError:
            raise ClusterError(
                _(
                    "--cluster {address}: Dask is not installed; install dutyroster with its "
                    "cluster extra: pip install 'dutyroster[cluster]'"
                ).format(address=self.spec)
            ) from None

        if self.spec.address is None:
            processes = self.spec.processes or os.cpu_count() or 1
            # One death is enough to hand the part back to the client, which sends it once more.
            with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
                self._local = LocalCluster(
                    n_workers=processes,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.CRITICAL,
                )
            self.client = Client(self._local, timeout=self.timeout)
        else:
            try:
                # A Client whose start fails is left half-made, to be collected later: its
                # clean-up then finds its event loop closed and prints a traceback. So the
                # scheduler is reached first.
                reach(self.spec.address, self.timeout)
                self.client = Client(self.spec.address, timeout=self.timeout)
            except (OSError, TimeoutError) as exc:
                raise ClusterError(
                    _(
                        "--cluster {address}: no Dask scheduler answered within {seconds:g} s "
                        "({reason}); start one there with `dask scheduler` and workers with "
                        "`dask worker {address}`, or give --cluster local"
                    ).format(address=self.spec.address, seconds=self.timeout, reason=exc)
                ) from None
        try:
            self._check_workers()
        except BaseException:
            self.close()
            raise
        self.client.subscribe_topic(self.topic, self._progress)
        self.ready_seconds = time.monotonic() - started

    def _check_workers(self) -> None:
        try:
            self.client.wait_for_workers(1, timeout=self.timeout)
        except (OSError, TimeoutError):
            raise ClusterError(
                _(
                    "--cluster {address}: the scheduler has no workers after {seconds:g} s; "
                    "start some with `dask worker {address}`"
                ).format(address=self, seconds=self.timeout)
            ) from None
        mine = installed_version()
        try:
            theirs: dict[str, str] = self.client.run(installed_version)
        except Exception as exc:  # a worker without dutyroster cannot unpickle the function
            raise ClusterError(
                _(
                    "--cluster {address}: the workers cannot run dutyroster ({reason}); install "
                    "dutyroster {version} on every worker"
                ).format(address=self, reason=exc, version=mine)
            ) from None
        other = sorted(
            f"{worker} ({version})" for worker, version in theirs.items() if version != mine
        )
        if other:
            raise ClusterError(
                _(
                    "--cluster {address}: workers {workers} run another version of dutyroster "
                    "than this one ({version}); install the same version on every worker"
                ).format(address=self, workers=", ".join(other), version=mine)
            )
        self.threads = dict(self.client.nthreads())

    def close(self) -> None:
        """Close the connection, and the local cluster when this started one."""
        if self.client is not None:
            with contextlib.suppress(Exception):  # never subscribed, or the scheduler is gone
                self.client.unsubscribe_topic(self.topic)
            self.client.close()
            self.client = None
        if self._local is not None:
            self._local.close()
            self._local = None

    def __str__(self) -> str:
        if self._local is not None:
            return f"{self.spec} ({self._local.scheduler_address})"
        return str(self.spec)

    # -- what it offers

    @property
    def lanes(self) -> int:
        """Parts solved at once: the threads of the workers seen on connecting."""
        return max(1, sum(self.threads.values()))

    def describe(self, workers: int | None) -> str:
        """One line for stderr: where parts go, how many at once, CP-SAT workers per part."""
        return _(
            "cluster {address}: {count} Dask workers, {lanes} parts at a time, "
            "{workers} CP-SAT worker(s) per part; ready after {seconds:.1f} s"
        ).format(
            address=self,
            count=len(self.threads),
            lanes=self.lanes,
            workers=workers if workers is not None else PART_WORKERS,
            seconds=self.ready_seconds,
        )

    def worker_memory(self) -> dict[str, float]:
        """Peak resident memory (MiB) of each worker process so far, by worker address."""
        peaks: dict[str, float] = self.client.run(peak_memory_mib)
        return peaks

    def solve(
        self, solve_one: SolveOne, roster: Roster, period: Period, options: SolveOptions
    ) -> Schedule:
        """``solve_one(roster, period, options)`` on a worker (``solve_part``), waited for here: the
        client's Stop reaches the worker as seconds left and, when interrupted, as a Dask event.
        A part whose worker died is sent again ``RETRIES`` times, then ClusterError; a part with
        no answer ``GRACE`` seconds past the deadline is given up (InfeasibleError, no roster).
        The options' progress callback hears the part's new best rosters while it is searched
        (in a thread of the Dask client)."""
        stop = options.stop
        sent = replace(options, stop=None, on_progress=None, history=part_history(options, roster))
        key = uuid.uuid4().hex
        progress = None
        if self.progress and options.on_progress is not None:
            progress = (self.topic, key)
            with self._lock:
                self._listeners[key] = options.on_progress
        try:
            return self._solve(solve_one, roster, period, sent, stop, progress)
        finally:
            with self._lock:
                self._listeners.pop(key, None)

    def _solve(
        self,
        solve_one: SolveOne,
        roster: Roster,
        period: Period,
        sent: SolveOptions,
        stop: Stop | None,
        progress: tuple[str, str] | None,
    ) -> Schedule:
        from distributed.scheduler import KilledWorker

        died: list[str] = []
        for _attempt in range(1 + RETRIES):
            seconds = None if sent.repeatable or stop is None else stop.left()
            name = f"dutyroster-interrupt-{uuid.uuid4().hex}"
            try:
                future = self.client.submit(
                    solve_part,
                    solve_one,
                    roster,
                    period,
                    sent,
                    seconds,
                    name,
                    progress,
                    pure=False,
                )
                return self._wait(future, stop, name, seconds)
            except KilledWorker as exc:
                died.append(str(exc).split("The last worker that attempt")[0].strip())
                with self._lock:
                    self.retried += 1
            except (OSError, TimeoutError) as exc:
                raise ClusterError(
                    _(
                        "--cluster {address}: lost the connection to the scheduler ({reason}); "
                        "check that it is still running and solve again"
                    ).format(address=self, reason=exc)
                ) from None
        posts = ", ".join(post.id for post in roster.config.posts[:3])
        raise ClusterError(
            _(
                "--cluster {address}: the worker solving the part of posts {posts} died {count} "
                "times ({reason}); look at the workers' logs and memory, or solve without "
                "--cluster"
            ).format(address=self, posts=posts, count=len(died), reason=died[-1])
        )

    def _progress(self, event: tuple[float, list[Any]]) -> None:
        """A part's progress event (``ProgressRelay``) to the callback of whoever waits for the
        part; dropped when the part has come back meanwhile."""
        key, objective, bound, elapsed, solutions = event[1]
        with self._lock:
            self.progress_events += 1
            listener = self._listeners.get(key)
        if listener is not None:
            listener(Progress(objective, bound, elapsed, solutions))

    def _wait(self, future: Any, stop: Stop | None, name: str, seconds: float | None) -> Schedule:
        """The part's Schedule once its worker returns it; the interrupt passed on meanwhile."""
        from distributed import Event, wait

        started = time.monotonic()
        told = False
        while True:
            with contextlib.suppress(TimeoutError):
                wait(future, timeout=POLL)
            if future.done():
                break
            if stop is not None and stop.interrupted and not told:
                Event(name, client=self.client).set()
                told = True
            if seconds is not None and time.monotonic() - started > seconds + GRACE:
                future.cancel()
                raise InfeasibleError(
                    _("no roster came back from the cluster within {seconds:g} s").format(
                        seconds=seconds
                    ),
                    [],
                )
        if told:
            Event(name, client=self.client).clear()
        result: Schedule = future.result()
        return result


def part_history(options: SolveOptions, roster: Roster) -> History | None:
    """The history a part's worker gets: the published duties of the part's people alone
    (``History.of_people``), so that a city's parts do not each carry the whole city's."""
    if options.history is None:
        return None
    return options.history.of_people(person.id for person in roster.people)


def solve(roster: Roster, period: Period, options: SolveOptions, cluster: PartRunner) -> Schedule:
    """``solver.solve.solve`` with the parts solved on ``cluster``'s workers, each with
    ``options.workers`` CP-SAT workers (``PART_WORKERS`` when None). The same passes, shares and
    merge as in this process, so the repeatable mode gives the same roster."""
    options = replace(options, workers=PART_WORKERS if options.workers is None else options.workers)
    stop = options.stop
    if not options.repeatable and stop is not None and stop.deadline is not None:
        # The clock started before the cluster was reached (or started): what is left is the limit.
        options = replace(options, time_limit=max(0.1, stop.left()))
    return solve_here(roster, period, options, runner=cluster)


__all__ = [
    "CONNECT_TIMEOUT",
    "PART_WORKERS",
    "PROGRESS_EVERY",
    "Cluster",
    "ClusterError",
    "ClusterSpec",
    "ProgressRelay",
    "parse_cluster",
    "part_history",
    "solve",
    "solve_part",
]
