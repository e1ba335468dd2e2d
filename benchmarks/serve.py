"""Load on `roster serve`: a generated district's store served on loopback by the documented
command, feed requests with and without If-None-Match, a version published in the middle of a
run, and how long a new version takes to be served.

    python -m benchmarks.serve [--work out/bench-serve] [--time-limit 5] [--duration 10]
        [--connections 32] [--before REF] [--repeats 5] [--results FILE]

The district (``benchmarks.district generate``) is solved once with a short limit and 2 CP-SAT
workers and published with ``roster publish``; both are kept in ``--work`` for the next run.
Load comes from wrk (Debian's ``wrk``) when it is installed, else from a Python asyncio client
with a fixed number of requests; both are bounded in time.

With ``--before REF``, the code of that git commit (unpacked with ``git archive`` into
``--work``) serves a copy of the same store beside this checkout's code, and both are given the
same new versions in turn, idle and under load, ``--repeats`` times: the time from each
publish's commit to the first answer with the new version compares the two side by side.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click
import httpx

from calendars.feeds import EventMemo, FeedOptions, build_feeds
from calendars.tokens import FeedKey, Tokens
from roster.load import load_roster
from roster.schedule import Schedule, read_schedule
from server.snapshot import build_snapshot
from store import open_store

ROOT = Path(__file__).resolve().parent.parent
ROSTER = [sys.executable, "-c", "from cli import main; main()"]


@dataclass
class Load:
    """One bounded load run."""

    name: str
    requests: int = 0
    seconds: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    tool: str = ""

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class Served:
    """How long after one publish committed a server answered with the new version."""

    code: str
    loaded: bool
    version: int
    person: float
    whole: float
    #: The 1-minute load average when the publish committed.
    load_average: float
    #: Of the load run around the publish (under load only).
    p99_ms: float = 0.0
    errors: int = 0


@dataclass
class Figures:
    people: int = 0
    feeds: int = 0
    megabytes: float = 0.0
    publish_seconds: float = 0.0
    start_seconds: float = 0.0
    full_build: float = 0.0
    update_build: float = 0.0
    update_rendered: int = 0
    finish_build: float = 0.0
    servable: float = 0.0
    loads: list[Load] = field(default_factory=list)
    checked: int = 0
    torn: int = 0
    verifier_errors: int = 0
    old_seen: int = 0
    new_seen: int = 0
    #: The side-by-side comparison (``--before``): one row per publish and code.
    side: list[Served] = field(default_factory=list)
    #: The 1-minute load average before the first load run and after the last one.
    load_before: float = 0.0
    load_after: float = 0.0
    before: str = ""


def _run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, check=True, text=True, capture_output=True, **kwargs)


def prepare(work: Path, time_limit: float) -> tuple[Path, Path]:
    """The generated district folder and its solved week (made once, kept in ``work``)."""
    folder = work / "district"
    schedule = work / "solved" / "schedule.json"
    if not (folder / "roster.yaml").exists():
        _run([sys.executable, "-m", "benchmarks.district", "generate", str(folder)])
    if not schedule.exists():
        click.echo(f"solving the district (time limit {time_limit:g}, 2 workers) …", err=True)
        _run(
            [*ROSTER, "solve", str(folder), "--week", "2020-W06", "--time-limit", str(time_limit),
             "--workers", "2", "--out", str(schedule.parent)]
        )  # fmt: skip
    return folder, schedule


def second_version(schedule: Path, target: Path) -> tuple[Path, list[str]]:
    """Version 2: the duties of two people of one community swapped (a repair's size)."""
    data = json.loads(schedule.read_text(encoding="utf-8"))
    busy: dict[str, int] = {}
    for slot in data["slots"]:
        for pid in slot["assigned"]:
            busy[pid] = busy.get(pid, 0) + 1
    first = sorted(busy)[0]
    prefix = first.split("-")[0]
    second = next(p for p in sorted(busy) if p != first and p.split("-")[0] == prefix)
    swap = {first: second, second: first}
    for slot in data["slots"]:
        slot["assigned"] = [swap.get(p, p) for p in slot["assigned"]]
    target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return target, [first, second]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not match:
        raise ValueError(text)
    value, unit = float(match[1]), match[2]
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def wrk_load(
    name: str,
    url: str,
    paths: list[str],
    etags: list[str],
    conditional: bool,
    duration: float,
    connections: int,
) -> Load:
    """A wrk run over ``paths`` in turn (gzip accepted), with If-None-Match when asked."""
    lines = ["paths = {" + ",".join(json.dumps(p) for p in paths) + "}"]
    lines.append("etags = {" + ",".join(json.dumps(e) for e in etags) + "}")
    lines.append(f"conditional = {'true' if conditional else 'false'}")
    lines.append(
        "counter = 0\n"
        "request = function()\n"
        "  counter = counter + 1\n"
        "  local i = (counter % #paths) + 1\n"
        '  local headers = {["Accept-Encoding"] = "gzip"}\n'
        '  if conditional then headers["If-None-Match"] = etags[i] end\n'
        '  return wrk.format("GET", paths[i], headers)\n'
        "end\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lines))
    try:
        result = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{duration:g}s", "--latency", "--timeout",
             "5s", "-s", script.name, url],
            check=True, text=True, capture_output=True,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    out = result.stdout
    load = Load(name, tool="wrk")
    load.p50_ms = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M)[1])  # type: ignore[index]
    load.p99_ms = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M)[1])  # type: ignore[index]
    done = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out)
    assert done is not None, out
    load.requests = int(done[1])
    load.seconds = float(done[2]) / (1000 if done[3] == "ms" else 1)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    load.errors = (int(bad[1]) if bad else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return load


def python_load(
    name: str,
    url: str,
    paths: list[str],
    etags: list[str],
    conditional: bool,
    duration: float,
    connections: int,
    total: int = 20_000,
) -> Load:
    """The same run from an asyncio client: ``total`` requests at most, ``duration`` seconds."""

    async def main() -> Load:
        latencies: list[float] = []
        errors = 0
        counter = iter(range(total))
        deadline = time.perf_counter() + duration
        limits = httpx.Limits(max_connections=connections)
        async with httpx.AsyncClient(base_url=url, limits=limits, timeout=5) as client:

            async def worker() -> None:
                nonlocal errors
                for i in counter:
                    if time.perf_counter() > deadline:
                        return
                    headers = {"accept-encoding": "gzip"}
                    if conditional:
                        headers["if-none-match"] = etags[i % len(paths)]
                    started = time.perf_counter()
                    try:
                        response = await client.get(paths[i % len(paths)], headers=headers)
                        if response.status_code not in (200, 304):
                            errors += 1
                    except httpx.HTTPError:
                        errors += 1
                    latencies.append(time.perf_counter() - started)

            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(connections)))
            seconds = time.perf_counter() - started
        latencies.sort()
        return Load(
            name,
            len(latencies),
            seconds,
            latencies[len(latencies) // 2] * 1000,
            latencies[int(len(latencies) * 0.99)] * 1000,
            errors,
            "python",
        )

    return asyncio.run(main())


def _tag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def verify(
    url: str,
    expected: dict[str, tuple[bytes, bytes]],
    watched: str,
    stop: threading.Event,
    figures: Figures,
    published: list[float],
) -> None:
    """Fetch the sampled feeds over and over: each answer must be the old version's bytes or
    the new one's, whole, with its ETag; note when ``watched`` first shows the new version."""
    with httpx.Client(base_url=url, timeout=10) as client:
        while not stop.is_set():
            for path, (old, new) in expected.items():
                try:
                    response = client.get(path, headers={"accept-encoding": "identity"})
                except httpx.HTTPError:
                    figures.verifier_errors += 1
                    continue
                figures.checked += 1
                body = response.content
                if response.status_code != 200 or response.headers["etag"] != _tag(body):
                    figures.torn += 1
                elif body == old:
                    figures.old_seen += 1
                elif body == new:
                    figures.new_seen += 1
                    if path == watched and published and not figures.servable:
                        figures.servable = time.perf_counter() - published[0]
                else:
                    figures.torn += 1


def start_server(
    source: Path, folder: Path, db: Path, port: int, log: Path
) -> subprocess.Popen[bytes]:
    """`roster serve` as documented, from the code in ``source``, until ``/healthz`` answers."""
    command = [*ROSTER, "serve", str(folder.resolve()), "--db", str(db.resolve()),
               "--port", str(port)]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "ROSTER_DB"}
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(
            command, cwd=source, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    while True:
        try:
            if httpx.get(f"{url}/healthz").status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if server.poll() is not None:
            raise click.ClickException(f"roster serve stopped; see {log}")
        time.sleep(0.2)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def unpack(ref: str, target: Path) -> Path:
    """The code of git commit ``ref``, unpacked (no checkout is touched)."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def swapped(data: dict[str, Any], k: int) -> tuple[dict[str, Any], str]:
    """The next version: the duties of the first two busy people of the k-th community swapped
    (a repair's size). Returns it and one of the two."""
    busy = sorted({pid for slot in data["slots"] for pid in slot["assigned"]})
    communities = sorted({pid.split("-")[0] for pid in busy})
    prefix = communities[k % len(communities)]
    first, second = [pid for pid in busy if pid.split("-")[0] == prefix][:2]
    swap = {first: second, second: first}
    out = json.loads(json.dumps(data))
    for slot in out["slots"]:
        slot["assigned"] = [swap.get(p, p) for p in slot["assigned"]]
    return out, first


def await_version(url: str, paths: list[str], tags: list[str], started: float) -> list[float]:
    """Seconds from ``started`` until each path answers 304 to its new version's tag."""
    found: list[float | None] = [None] * len(paths)
    deadline = started + 300
    with httpx.Client(base_url=url, timeout=10) as client:
        while None in found and time.perf_counter() < deadline:
            for i, (path, tag) in enumerate(zip(paths, tags, strict=True)):
                if found[i] is None:
                    headers = {"if-none-match": tag, "accept-encoding": "identity"}
                    # HEAD: the answer says 304 or not without sending a whole feed each time.
                    if client.head(path, headers=headers).status_code == 304:
                        found[i] = time.perf_counter() - started
            time.sleep(0.01)
    if None in found:
        raise click.ClickException(f"{url}: the new version was not served within 300 s")
    return [t for t in found if t is not None]


def _load_into(holder: dict[str, Load], runner: Any, args: tuple[Any, ...]) -> None:
    holder["load"] = runner(*args)


def side_by_side(
    work: Path,
    folder: Path,
    db: Path,
    before: str,
    repeats: int,
    duration: float,
    connections: int,
    people: list[str],
) -> list[Served]:
    """The code of ``before`` and this checkout each serve a copy of ``db``; each new version
    (a two-person swap) is published to both in turn, alternating which goes first, once idle
    and once in the middle of a load run, ``repeats`` times."""
    roster = load_roster(folder)
    codes = [(f"before ({before})", unpack(before, work / "before-src")), ("after", ROOT)]
    servers: dict[str, tuple[subprocess.Popen[bytes], str, Path]] = {}
    runner = wrk_load if shutil.which("wrk") else python_load
    rows: list[Served] = []

    def copied(target: Path) -> Path:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        with sqlite3.connect(db) as original, sqlite3.connect(target) as copy:
            original.backup(copy)
        return target

    # The expected bytes of each new version come from a third copy, before the servers see it.
    reference = copied(work / "side-reference.db")
    try:
        for i, (name, source) in enumerate(codes):
            copy = copied(work / f"side-{i}.db")
            port = free_port()
            log = work / f"side-{i}.log"
            servers[name] = (
                start_server(source, folder, copy, port, log),
                f"http://127.0.0.1:{port}",
                copy,
            )
        with open_store(str(db), create=False) as store:
            latest = store.feed_versions(roster.name)[-1]
        data = json.loads(latest.schedule.to_json())
        number = latest.number
        when = datetime.now(UTC).replace(microsecond=0)
        memo = EventMemo()
        tokens = Tokens(folder)
        whole = f"/all-{tokens.token(FeedKey('all'))}.ics"
        for k in range(2 * repeats):
            loaded = k % 2 == 1
            data, moved = swapped(data, k)
            number += 1
            schedule = Schedule.model_validate(data)
            published_at = when + timedelta(minutes=number)
            person = f"/people/{tokens.token(FeedKey('person', moved))}.ics"
            with open_store(str(reference), create=False) as store:
                store.publish(schedule, inputs_digest="0" * 64, author="基准",
                              message=f"第{number}版", parent=number - 1,
                              published_at=published_at)  # fmt: skip
                versions = store.feed_versions(roster.name)
            keys = {FeedKey("all"), FeedKey("person", moved)}
            files, _ = build_feeds(roster, versions, FeedOptions(), select=keys, memo=memo)
            tags = [_tag(files[person[1:]]), _tag(files[whole[1:]])]
            order = codes if (k // 2) % 2 == 0 else codes[::-1]
            for name, _source in order:
                server, url, copy = servers[name]
                holder: dict[str, Load] = {}
                load_thread = None
                if loaded:
                    args = ("publish", url, people, [""] * len(people), False, duration,
                            connections)  # fmt: skip
                    load_thread = threading.Thread(target=_load_into, args=(holder, runner, args))
                    load_thread.start()
                    time.sleep(duration / 3)
                with open_store(str(copy), create=False) as store:
                    store.publish(schedule, inputs_digest="0" * 64, author="基准",
                                  message=f"第{number}版", parent=number - 1,
                                  published_at=published_at)  # fmt: skip
                    started = time.perf_counter()
                average = os.getloadavg()[0]
                seen_person, seen_whole = await_version(url, [person, whole], tags, started)
                row = Served(name, loaded, number, seen_person, seen_whole, average)
                if load_thread is not None:
                    load_thread.join()
                    row.p99_ms, row.errors = holder["load"].p99_ms, holder["load"].errors
                rows.append(row)
                click.echo(
                    f"  {name}, version {number}{', under load' if loaded else ''}: people's "
                    f"feed {seen_person:.2f} s, whole roster's {seen_whole:.2f} s "
                    f"(load average {average:.1f})",
                    err=True,
                )
    finally:
        for server, _url, _copy in servers.values():
            stop_server(server)
    return rows


def measure(
    work: Path,
    time_limit: float,
    duration: float,
    connections: int,
    before: str | None = None,
    repeats: int = 5,
) -> Figures:
    figures = Figures()
    folder, schedule = prepare(work, time_limit)
    db = work / "roster.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    _run([*ROSTER, "publish", str(folder), str(schedule), "--db", str(db), "--no-feeds",
          "--by", "基准", "-m", "第1版"])  # fmt: skip
    figures.publish_seconds = time.perf_counter() - started
    roster = load_roster(folder)
    figures.people = len(roster.people)

    with open_store(str(db), create=False) as store:
        started = time.perf_counter()
        first = build_snapshot(folder, store, None)
        figures.full_build = time.perf_counter() - started
    figures.feeds = len(first.feeds)
    figures.megabytes = sum(len(f.body) for f in first.feeds.values()) / 1e6

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [*ROSTER, "serve", str(folder), "--db", str(db), "--port", str(port)]
    env = {k: v for k, v in os.environ.items() if k != "ROSTER_DB"}
    started = time.perf_counter()
    log = (work / "serve.log").open("w", encoding="utf-8")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        while True:
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None:
                raise click.ClickException(f"roster serve stopped; see {work / 'serve.log'}")
            time.sleep(0.2)
        figures.start_seconds = time.perf_counter() - started
        tokens = Tokens(folder)
        people = [f"/people/{tokens.token(FeedKey('person', p.id))}.ics" for p in roster.people]
        random.Random(0).shuffle(people)
        with httpx.Client(base_url=url) as client:
            etags = [
                client.get(p, headers={"accept-encoding": "gzip"}).headers["etag"] for p in people
            ]
        runner = wrk_load if shutil.which("wrk") else python_load
        figures.load_before = os.getloadavg()[0]
        figures.loads.append(runner("feeds", url, people, etags, False, duration, connections))
        figures.loads.append(
            runner("feeds, If-None-Match", url, people, etags, True, duration, connections)
        )

        # A version published in the middle of a run.
        v2, swapped = second_version(schedule, work / "v2.json")
        sample_ids = [*swapped, *[p.id for p in roster.people[:18]]]
        keys = [FeedKey("person", pid) for pid in sample_ids]
        with open_store(str(db), create=False) as store:
            v1_versions = store.feed_versions(roster.name)
        old_files, index = build_feeds(roster, v1_versions, FeedOptions(), select=keys)
        stop = threading.Event()
        published: list[float] = []
        holder: dict[str, Load] = {}

        def loaded() -> None:
            holder["load"] = runner(
                "feeds, v2 published mid-run", url, people, etags, False, 2 * duration, connections
            )

        load_thread = threading.Thread(target=loaded)
        load_thread.start()
        time.sleep(duration / 2)
        with open_store(str(db), create=False) as store:
            version = store.publish(
                read_schedule(v2), inputs_digest="0" * 64, author="基准", message="第2版",
                parent=1,
            )  # fmt: skip
            published.append(time.perf_counter())
            new_versions = store.feed_versions(roster.name)
        new_files, _ = build_feeds(roster, new_versions, FeedOptions(), select=keys)
        expected = {
            "/" + index.people[pid]: (old_files[index.people[pid]], new_files[index.people[pid]])
            for pid in sample_ids
        }
        # The verifier starts with the expected bytes known; the publish time is kept.
        watched = "/" + index.people[swapped[0]]
        verifier = threading.Thread(
            target=verify, args=(url, expected, watched, stop, figures, published)
        )
        verifier.start()
        load_thread.join()
        # Past the load run, the verifier goes on until version 2 is served (at most 5 min).
        deadline = time.perf_counter() + 300
        while not figures.servable and time.perf_counter() < deadline:
            time.sleep(0.05)
        stop.set()
        verifier.join()
        figures.loads.append(holder["load"])
        assert version.number == 2
        # Nothing else runs while the side-by-side servers are measured.
        stop_server(server)
        if before is not None:
            figures.before = before
            figures.side = side_by_side(
                work, folder, db, before, repeats, duration, connections, people
            )
        figures.load_after = os.getloadavg()[0]

        with open_store(str(db), create=False) as store:
            started = time.perf_counter()
            update = build_snapshot(folder, store, None, previous=first, defer_all=True)
            figures.update_build = time.perf_counter() - started
            figures.update_rendered = update.rendered
            assert update.finish is not None
            started = time.perf_counter()
            update.finish(update)
            figures.finish_build = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    return figures


def report(f: Figures, command: str) -> str:
    rows = [
        "| run | tool | requests | seconds | requests/s | p50 ms | p99 ms | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for load in f.loads:
        rows.append(
            f"| {load.name} | {load.tool} | {load.requests} | {load.seconds:.1f} | "
            f"{load.rate:.0f} | {load.p50_ms:.1f} | {load.p99_ms:.1f} | {load.errors} |"
        )
    lines = [
        f"`{command}` on {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, "
        f"1-minute load average {f.load_before:.1f} before the load runs and "
        f"{f.load_after:.1f} after",
        "",
        f"- district: {f.people} people, {f.feeds} feeds, {f.megabytes:.1f} MB; "
        f"`roster publish --no-feeds` {f.publish_seconds:.1f} s",
        f"- `roster serve` ready (first full build) after {f.start_seconds:.1f} s; "
        f"a full build in process {f.full_build:.1f} s",
        f"- version 2 (two people's duties swapped), in process: the {f.update_rendered} "
        f"changed person and post feeds in {f.update_build:.1f} s, then the whole roster's in "
        f"{f.finish_build:.1f} s; under the load run, served {f.servable:.1f} s after its "
        "publish committed",
        f"- from the mid-run publish on, {f.checked} verified fetches of 20 feeds: "
        f"{f.old_seen} old version, {f.new_seen} new, {f.torn} torn or mismatched, "
        f"{f.verifier_errors} errors",
        "",
        *rows,
    ]
    if f.side:
        lines += ["", *side_by_side_table(f.side)]
    return "\n".join(lines) + "\n"


def side_by_side_table(rows: list[Served]) -> list[str]:
    """Medians (and ranges) of the seconds from a publish's commit to the new version served."""

    def span(values: list[float]) -> str:
        return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"

    out = [
        "| code | publishes | people's feed served after, s: median (range) | whole roster's "
        "| load average (median) | p99 ms of the load run | errors |",
        "| --- | --- | --- | --- | ---: | ---: | ---: |",
    ]
    codes = list(dict.fromkeys(row.code for row in rows))
    for loaded in (False, True):
        for code in codes:
            group = [r for r in rows if r.code == code and r.loaded == loaded]
            if not group:
                continue
            p99 = f"{statistics.median(r.p99_ms for r in group):.0f}" if loaded else "–"
            errors = str(sum(r.errors for r in group)) if loaded else "–"
            out.append(
                f"| {code} | {len(group)} {'under load' if loaded else 'idle'} | "
                f"{span([r.person for r in group])} | {span([r.whole for r in group])} | "
                f"{statistics.median(r.load_average for r in group):.1f} | {p99} | {errors} |"
            )
    return out


@click.command()
@click.option("--work", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out/bench-serve"), show_default=True,
              help="Folder for the district, its solved week and the store (kept).")  # fmt: skip
@click.option("--time-limit", type=float, default=5.0, show_default=True, help="Solve limit.")
@click.option("--duration", type=float, default=10.0, show_default=True, help="Seconds per run.")
@click.option("--connections", type=int, default=32, show_default=True, help="Open connections.")
@click.option("--before", metavar="REF",
              help="Also serve the code of this git commit beside this checkout and compare how "
              "soon each serves a new version.")  # fmt: skip
@click.option("--repeats", type=click.IntRange(min=1), default=5, show_default=True,
              help="With --before: publishes of each kind (idle, under load).")  # fmt: skip
@click.option("--results", type=click.Path(dir_okay=False, path_type=Path),
              help="Append the figures to this file.")  # fmt: skip
def main(
    work: Path,
    time_limit: float,
    duration: float,
    connections: int,
    before: str | None,
    repeats: int,
    results: Path | None,
) -> None:
    """Measure `roster serve` on a district-sized store."""
    work.mkdir(parents=True, exist_ok=True)
    figures = measure(work, time_limit, duration, connections, before, repeats)
    command = "python -m benchmarks.serve " + " ".join(sys.argv[1:])
    text = report(figures, command.strip())
    click.echo(text)
    if results is not None:
        with results.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)


if __name__ == "__main__":
    main()
