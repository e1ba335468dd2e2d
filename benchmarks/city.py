"""A generated city: hundreds of communities like the reference one (300 and about 11,000 people by
default), made by the district's generator (``benchmarks.district``), as one roster folder that
``roster solve`` reads; and a runner that solves one week of it in this process and measures it.

    python -m benchmarks.city generate OUT_DIR [--seed 0] [--communities 300] [--people 11000]
    python -m benchmarks.city run [--time-limit S] [--workers N] [--communities 300] [--results F]
        [--repeatable] [--cluster local:2 | tcp://HOST:PORT]
    python -m benchmarks.city history [--work-units U] [--communities 10] [--people 367]
    python -m benchmarks.city progress [--work-units U] [--rounds 3] [--cluster local:2]

Every community shares nobody with another, so the engine solves the city as that many
independent parts (``solver.components``) and merges their rosters, in threads of this process or,
with ``--cluster``, on a Dask cluster's workers (``solver.cluster``). The run times every part's
searches, and from them projects the time on more machines (``project``).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import click

from benchmarks.district import WEEK, _cores, peak_memory_mb, write_district
from roster.load import Roster, load_roster
from roster.schedule import Schedule
from roster.slots import Period, expand, make_period
from solver.components import PartRunner, SolveOne
from solver.search import SolveOptions

#: The city of the reference case: Xining had about 300 communities under lockdown in 2020.
COMMUNITIES = 300
PEOPLE = 11000


def write_city(
    out_dir: Path, seed: int = 0, communities: int = COMMUNITIES, people: int = PEOPLE
) -> Path:
    """Generate the city into ``out_dir`` (roster.yaml, people.csv); returns the folder. The
    district's generator, with the roster named as a city and its header naming this command."""
    write_district(out_dir, seed, communities, people)
    path = out_dir / "roster.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in (
        ("# 生成的城区：", "# 生成的城市："),
        ("# python -m benchmarks.district generate ", "# python -m benchmarks.city generate "),
        (f"name: 城中区（{communities}个社区）", f"name: 西宁市（{communities}个社区）"),
    ):
        text = text.replace(old, new, 1)
    temporary = path.with_suffix(".yaml.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
    return out_dir


class _Clock:
    """Wall and CPU seconds since the last lap (CPU: this process, all its threads)."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.monotonic(), time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.monotonic(), time.process_time()
        out = (round(wall - self.wall, 2), round(cpu - self.cpu, 2))
        self.wall, self.cpu = wall, cpu
        return out


@dataclass(frozen=True)
class PartCall:
    """One search of a part (a call of ``solve_one``): its first post (naming the part), the
    seconds the caller waited for it, and the seconds ``solve_one`` itself took (its schedule's
    wall time; 0 when it found no roster)."""

    part: str
    seconds: float
    solve_seconds: float
    started: float
    ended: float


class TimedRunner:
    """A ``PartRunner`` that times every part's search: on ``inner`` (a cluster) when given, else
    in the calling thread, which is what ``solve_in_parts`` does in this process."""

    def __init__(self, inner: PartRunner | None, lanes: int) -> None:
        self.inner = inner
        self._lanes = lanes
        self.calls: list[PartCall] = []
        self._lock = threading.Lock()

    @property
    def lanes(self) -> int:
        return self._lanes

    def solve(
        self, solve_one: SolveOne, roster: Roster, period: Period, options: SolveOptions
    ) -> Schedule:
        started = time.monotonic()
        solved = 0.0
        try:
            if self.inner is None:
                schedule = solve_one(roster, period, options)
            else:
                schedule = self.inner.solve(solve_one, roster, period, options)
            solved = schedule.solver.wall_seconds
            return schedule
        finally:
            ended = time.monotonic()
            part = roster.config.posts[0].id
            call = PartCall(part, ended - started, solved, started, ended)
            with self._lock:
                self.calls.append(call)


def part_seconds(calls: list[PartCall]) -> dict[str, float]:
    """Each part's searches added up (seconds waited for), by part, in the order the parts were
    first handed out."""
    out: dict[str, float] = {}
    for call in sorted(calls, key=lambda c: c.started):
        out[call.part] = out.get(call.part, 0.0) + call.seconds
    return out


def project(times: list[float], lanes: int, overhead: float = 0.0) -> float:
    """Seconds to run parts of ``times`` (seconds each) on ``lanes`` lanes, each part started on
    the lane free first, in the given order (as ``solve_in_parts`` hands them out), each paying
    ``overhead`` seconds more (sending and gathering, when ``times`` do not hold it). Never below
    the largest part (the critical path) nor below the sum over the lanes."""
    free = [0.0] * max(1, lanes)
    for seconds in times:
        lane = min(range(len(free)), key=free.__getitem__)
        free[lane] += seconds + overhead
    return max(free)


@dataclass
class CityFigures:
    """What generating, loading and (when asked) solving a city measured."""

    communities: int = 0
    people: int = 0
    posts: int = 0
    slots: int = 0
    parts: int = 0
    booleans: int = 0
    yaml_kb: float = 0.0
    #: (wall, CPU) seconds of each step: on a shared machine the CPU time is the steadier figure.
    generate_seconds: tuple[float, float] = (0.0, 0.0)
    load_seconds: tuple[float, float] = (0.0, 0.0)
    parts_seconds: tuple[float, float] = (0.0, 0.0)
    count_seconds: tuple[float, float] = (0.0, 0.0)
    time_limit: float | None = None
    limit_unit: str = ""
    workers: str = ""
    solve_seconds: tuple[float, float] | None = None
    status: str = ""
    objective: int | None = None
    bound: int | None = None
    violations: int | None = None
    peak_mb: float = 0.0
    #: Where the parts were solved ("in this process" or the cluster), and how many at once.
    where: str = "in this process"
    lanes: int = 0
    cluster_seconds: tuple[float, float] = (0.0, 0.0)
    close_seconds: tuple[float, float] = (0.0, 0.0)
    worker_peaks_mb: dict[str, float] = field(default_factory=dict)
    calls: list[PartCall] = field(default_factory=list)
    #: From the last part's return to the merged schedule (checked over the whole city).
    merge_seconds: float = 0.0
    load_average: tuple[float, float] = (0.0, 0.0)


def measure_city(
    folder: Path,
    seed: int = 0,
    communities: int = COMMUNITIES,
    people: int = PEOPLE,
    time_limit: float | None = None,
    workers: int | None = None,
    repeatable: bool = False,
    cluster: str | None = None,
) -> CityFigures:
    """Generate the city into ``folder``, load it as ``roster solve`` does and count its model;
    with a ``time_limit``, also solve week WEEK and re-check the roster (with ``repeatable``, the
    limit is in work units of the repeatable search): in this process, or with ``cluster`` (an
    address as ``--cluster`` takes it) on a Dask cluster's workers, every part's search timed."""
    from roster.check import check
    from roster.report import assignment_of
    from solver.components import PARALLEL, count_pairs, find_parts

    f = CityFigures(communities=communities)
    f.load_average = (os.getloadavg()[0], 0.0)
    clock = _Clock()
    write_city(folder, seed, communities, people)
    f.generate_seconds = clock.lap()
    f.yaml_kb = round((folder / "roster.yaml").stat().st_size / 1024, 1)
    roster = load_roster(folder)
    f.load_seconds = clock.lap()
    period = make_period(roster.config.timezone, WEEK, None, None)
    slots = expand(roster.config, period)
    f.people, f.posts, f.slots = len(roster.people), len(roster.config.posts), len(slots)
    f.parts = len(find_parts(roster))
    f.parts_seconds = clock.lap()
    f.booleans = count_pairs(roster, period)
    f.count_seconds = clock.lap()
    if time_limit is not None:
        from benchmarks.curtois import engine_counts_seconds
        from solver import cluster as on_cluster
        from solver.solve import SolveOptions, solve

        f.time_limit = time_limit
        repeat = repeatable or not engine_counts_seconds()
        f.limit_unit = "units of deterministic time" if repeat else "s"
        options = (
            SolveOptions(repeatable=True, work_units=time_limit, workers=workers)
            if repeatable
            else SolveOptions(time_limit=time_limit, workers=workers)
        )
        clock.lap()
        if cluster is None:
            runner = TimedRunner(None, PARALLEL)
            schedule = solve(roster, period, options, runner=runner)
            solved = time.monotonic()
            f.solve_seconds = clock.lap()
        else:
            with on_cluster.Cluster(on_cluster.parse_cluster(cluster)) as remote:
                f.cluster_seconds = clock.lap()
                f.where = str(remote)
                runner = TimedRunner(remote, remote.lanes)
                schedule = on_cluster.solve(roster, period, options, runner)
                solved = time.monotonic()
                f.solve_seconds = clock.lap()
                f.worker_peaks_mb = remote.worker_memory()
                clock.lap()
            f.close_seconds = clock.lap()
        f.lanes = runner.lanes
        f.calls = sorted(runner.calls, key=lambda c: c.ended)
        if f.calls:
            f.merge_seconds = round(solved - f.calls[-1].ended, 2)
        info = schedule.solver
        f.status, f.objective, f.bound = info.status, info.objective, info.bound
        f.workers = f"{info.workers}" if workers is not None else f"auto (up to {info.workers})"
        f.violations = len(check(roster, period, slots, assignment_of(schedule)).violations)
    f.peak_mb = round(peak_memory_mb(), 1)
    f.load_average = (f.load_average[0], os.getloadavg()[0])
    return f


def parts_markdown(f: CityFigures) -> list[str]:
    """The parts' measured times and what they say of more machines, as Markdown lines."""
    per_part = part_seconds(f.calls)
    times = list(per_part.values())
    beyond = [c.seconds - c.solve_seconds for c in f.calls if c.solve_seconds > 0]
    lines = [
        "",
        f"Parts: {len(per_part)} parts, {len(f.calls)} searches (a part is searched among the "
        "fully staffed rosters first, then, when none is found, with places soft).",
        "",
        "| per part (seconds the solve waited for its searches) | value |",
        "| --- | --- |",
        f"| sum over parts | {sum(times):,.1f} s |",
        f"| largest part (the critical path) | {max(times):,.1f} s |",
        f"| median / smallest part | {statistics.median(times):,.2f} s / {min(times):,.2f} s |",
        "| waited beyond the part's build and search (median: its report; on a cluster also "
        f"sending, scheduling, gathering) | {statistics.median(beyond) if beyond else 0:,.3f} s |",
        f"| merging the parts into one schedule | {f.merge_seconds:,.1f} s |",
        "",
    ]
    serial = f.load_seconds[0] + f.parts_seconds[0] + f.merge_seconds
    lanes_each = max(1, f.lanes)
    lines += [
        f"Projection (`project`: these parts' times, handed out in order to the first free lane, "
        f"{lanes_each} lane(s) a machine as here; plus loading, splitting and merging in the "
        f"client, {serial:,.1f} s here):",
        "",
        "| machines | lanes | parts' time | whole solve |",
        "| --- | --- | --- | --- |",
    ]
    for machines in (1, 10, 100):
        lanes = machines * lanes_each
        spent = project(times, lanes)
        lines.append(f"| {machines} | {lanes} | {spent:,.1f} s | {spent + serial:,.1f} s |")
    return lines


def figures_markdown(f: CityFigures, command: str) -> str:
    """A Markdown block of one run's figures."""

    def sec(pair: tuple[float, float]) -> str:
        return f"{pair[0]:,.1f} s (CPU {pair[1]:,.1f} s)"

    rows = [
        ("city", f"{f.communities} communities, {f.people:,} people, week {WEEK}"),
        ("posts / slots", f"{f.posts:,} / {f.slots:,}"),
        ("independent parts", f"{f.parts:,}"),
        ("(person, slot) Booleans", f"{f.booleans:,}"),
        ("roster.yaml", f"{f.yaml_kb:,.0f} KiB"),
        ("generating the folder", sec(f.generate_seconds)),
        ("loading it (as roster solve does)", sec(f.load_seconds)),
        ("expanding the slots and finding the parts", sec(f.parts_seconds)),
        ("counting the eligible (person, slot) pairs", sec(f.count_seconds)),
    ]
    if f.time_limit is not None:
        gap = ""
        if f.objective and f.bound is not None:
            gap = f" (gap {100 * (f.objective - f.bound) / f.objective:.2f} %)"
        rows += [
            ("parts solved", f"{f.where}, {f.lanes} at a time"),
            (
                "time limit / CP-SAT workers a part",
                f"{f.time_limit:g} {f.limit_unit} / {f.workers}",
            ),
        ]
        if f.where != "in this process":
            rows.append(("starting or reaching the cluster", sec(f.cluster_seconds)))
        rows += [
            ("the solve", sec(f.solve_seconds or (0.0, 0.0))),
            ("status / objective / bound", f"{f.status} / {f.objective} / {f.bound}{gap}"),
            ("checker violations", str(f.violations)),
        ]
    if f.where != "in this process" and f.time_limit is not None:
        rows.append(("closing the cluster", sec(f.close_seconds)))
    rows.append(("peak memory of this process (maxrss)", f"{f.peak_mb:,.0f} MiB"))
    for worker, mib in sorted(f.worker_peaks_mb.items()):
        rows.append((f"peak memory of worker {worker} (maxrss)", f"{mib:,.0f} MiB"))
    lines = [f"`{command}`", "", "| measure | value |", "| --- | --- |"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    if f.calls:
        lines += parts_markdown(f)
    before, after = f.load_average
    lines += [
        "",
        f"Machine: {_cores()} cores, Python {sys.version.split()[0]}; 1-minute load average "
        f"{before:.1f} at the start, {after:.1f} at the end.",
        "",
    ]
    return "\n".join(lines)


# --- what a cluster's parts carry, and what their progress costs ---------------------------------

#: The week before WEEK, solved as the published roster a history comes from.
WEEK_BEFORE = "2020-W05"


@dataclass(frozen=True)
class HistoryBytes:
    """What a part's task would carry with the whole city's history and with its own people's:
    pickled bytes of (part roster, options) each way, by part, and the seconds trimming took."""

    parts: int
    duties: int
    whole: list[int]
    own: list[int]
    trim_seconds: float


def history_bytes(roster: Roster, period: Period, options: SolveOptions) -> HistoryBytes:
    """Pickle each part's task arguments (its ``sub_roster`` and ``options``) once with
    ``options.history`` whole and once with the part's (``solver.cluster.part_history``), as Dask
    pickles a task's arguments to send them."""
    import pickle

    from solver.cluster import part_history
    from solver.components import find_parts, sub_roster

    assert options.history is not None
    whole: list[int] = []
    own: list[int] = []
    trimming = 0.0
    parts = find_parts(roster)
    for part in parts:
        sub = sub_roster(roster, part)
        whole.append(len(pickle.dumps((sub, period, options), protocol=5)))
        started = time.perf_counter()
        trimmed = replace(options, history=part_history(options, sub))
        trimming += time.perf_counter() - started
        own.append(len(pickle.dumps((sub, period, trimmed), protocol=5)))
    return HistoryBytes(len(parts), len(options.history.duties), whole, own, trimming)


def measure_history(
    folder: Path, seed: int, communities: int, people: int, units: float, workers: int
) -> tuple[HistoryBytes, float]:
    """Generate the city, solve WEEK_BEFORE (repeatable, ``units``) as its published roster,
    and measure ``history_bytes`` for WEEK; also returns the seconds the week before took."""
    from roster.history import History
    from solver.solve import solve

    write_city(folder, seed, communities, people)
    roster = load_roster(folder)
    before = make_period(roster.config.timezone, WEEK_BEFORE, None, None)
    started = time.monotonic()
    options = SolveOptions(repeatable=True, work_units=units, workers=workers)
    published = solve(roster, before, options)
    solved = time.monotonic() - started
    period = make_period(roster.config.timezone, WEEK, None, None)
    history = History.from_schedules(roster, [published], period)
    return history_bytes(roster, period, replace(options, history=history)), solved


def history_markdown(b: HistoryBytes, command: str, communities: int, people: int) -> str:
    """A Markdown block of ``history_bytes``' figures."""

    def kib(values: list[int]) -> str:
        return (
            f"{statistics.median(values) / 1024:,.1f} KiB (sum {sum(values) / 1024 / 1024:,.2f} "
            "MiB)"
        )

    return "\n".join(
        [
            f"`{command}`",
            "",
            f"{communities} communities, {people:,} people, {b.parts} parts; the history of "
            f"{WEEK} from the solved {WEEK_BEFORE}: {b.duties:,} published duties.",
            "",
            "| a part's task arguments (part roster, period, options), pickled | median a part |",
            "| --- | --- |",
            f"| with the whole city's history | {kib(b.whole)} |",
            f"| with its own people's history (`part_history`) | {kib(b.own)} |",
            f"| trimming, all parts | {b.trim_seconds * 1000:,.1f} ms |",
            "",
        ]
    )


def measure_progress(
    folder: Path,
    seed: int,
    communities: int,
    people: int,
    units: float,
    workers: int,
    cluster: str,
    rounds: int,
) -> list[tuple[bool, float, int, int | None]]:
    """Generate the city and solve WEEK on one cluster ``rounds`` times each with the parts'
    progress relayed while they run and without, taking turns (repeatable, ``units``: the same
    roster each time). Each solve: (relayed, wall seconds, progress events heard, objective)."""
    from solver import cluster as on_cluster

    write_city(folder, seed, communities, people)
    roster = load_roster(folder)
    period = make_period(roster.config.timezone, WEEK, None, None)
    out: list[tuple[bool, float, int, int | None]] = []
    with on_cluster.Cluster(on_cluster.parse_cluster(cluster)) as remote:
        for _round in range(rounds):
            for relayed in (True, False):
                remote.progress = relayed
                heard = remote.progress_events
                options = SolveOptions(
                    repeatable=True,
                    work_units=units,
                    workers=workers,
                    on_progress=lambda progress: None,
                )
                started = time.monotonic()
                schedule = on_cluster.solve(roster, period, options, remote)
                wall = time.monotonic() - started
                out.append(
                    (relayed, wall, remote.progress_events - heard, schedule.solver.objective)
                )
    return out


def progress_markdown(
    runs: list[tuple[bool, float, int, int | None]], command: str, load: tuple[float, float]
) -> str:
    """A Markdown block of ``measure_progress``' figures."""
    lines = [
        f"`{command}`",
        "",
        "| progress of a running part | solves | wall seconds (median; each) | events heard "
        "(median) | objective |",
        "| --- | --- | --- | --- | --- |",
    ]
    for relayed, label in ((True, "relayed (`Worker.log_event`)"), (False, "only at its end")):
        mine = [r for r in runs if r[0] == relayed]
        walls = ", ".join(f"{r[1]:.1f}" for r in mine)
        objectives = ", ".join(sorted({str(r[3]) for r in mine}))
        lines.append(
            f"| {label} | {len(mine)} | {statistics.median(r[1] for r in mine):.2f} ({walls}) | "
            f"{statistics.median(r[2] for r in mine):g} | {objectives} |"
        )
    lines += [
        "",
        f"Machine: {_cores()} cores; 1-minute load average {load[0]:.1f} at the start, "
        f"{load[1]:.1f} at the end.",
        "",
    ]
    return "\n".join(lines)


# --- CLI ----------------------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Generate a city of communities like the reference one, and measure solving it."""


_seed = click.option("--seed", default=0, show_default=True, help="Seed of the generated city.")
_communities = click.option(
    "--communities", default=COMMUNITIES, show_default=True, help="Number of communities."
)
_people = click.option("--people", default=PEOPLE, show_default=True, help="People in the city.")


@main.command()
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@_seed
@_communities
@_people
def generate(out_dir: Path, seed: int, communities: int, people: int) -> None:
    """Write a city roster folder (roster.yaml, people.csv) to OUT_DIR and print its size.

    Example: python -m benchmarks.city generate out/city --seed 0
    """
    command = "python -m benchmarks.city generate " + " ".join(sys.argv[2:])
    f = measure_city(out_dir, seed, communities, people)
    click.echo(figures_markdown(f, command.strip()))
    click.echo(f"wrote {out_dir / 'roster.yaml'} and {out_dir / 'people.csv'}")


@main.command()
@click.option(
    "--time-limit",
    default=60.0,
    show_default=True,
    help="The engine's time limit for the whole city (SolveOptions.time_limit).",
)
@click.option("--workers", type=int, default=None, help="CP-SAT workers; default: the engine's.")
@click.option(
    "--repeatable",
    is_flag=True,
    help="The repeatable search, --time-limit then being its work units (as in the tests).",
)
@click.option(
    "--cluster",
    default=None,
    metavar="ADDRESS",
    help="Solve the parts on a Dask cluster (as roster solve --cluster: local:N or tcp://...).",
)
@_seed
@_communities
@_people
@click.option(
    "--results",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Append the Markdown block to this file.",
)
def run(
    time_limit: float,
    workers: int | None,
    repeatable: bool,
    cluster: str | None,
    seed: int,
    communities: int,
    people: int,
    results: Path | None,
) -> None:
    """Generate the city in a temporary folder, solve week 2020-W06 (in this process, or on a
    cluster's workers) and print the wall times, the model's size, the peak memory, every part's
    time and the time projected on more machines.

    Example: python -m benchmarks.city run --repeatable --time-limit 300 --cluster local:2
    """
    command = "python -m benchmarks.city run " + " ".join(sys.argv[2:])
    with tempfile.TemporaryDirectory(prefix="city-") as folder:
        f = measure_city(
            Path(folder), seed, communities, people, time_limit, workers, repeatable, cluster
        )
    block = figures_markdown(f, command.strip())
    click.echo(block)
    if results is not None:
        with results.open("a", encoding="utf-8") as handle:
            handle.write(block + "\n")


_units = click.option(
    "--work-units", default=10.0, show_default=True, help="Work units of each repeatable solve."
)


@main.command()
@_units
@click.option("--workers", default=1, show_default=True, help="CP-SAT workers a part.")
@_seed
@click.option("--communities", default=10, show_default=True, help="Number of communities.")
@click.option("--people", default=367, show_default=True, help="People in the city.")
def history(work_units: float, workers: int, seed: int, communities: int, people: int) -> None:
    """Solve the week before as the published roster, then print what each part's task carries
    to a cluster with the whole city's history and with its own people's.

    Example: python -m benchmarks.city history --communities 30 --people 1100 --work-units 10
    """
    command = "python -m benchmarks.city history " + " ".join(sys.argv[2:])
    with tempfile.TemporaryDirectory(prefix="city-") as folder:
        b, _solved = measure_history(Path(folder), seed, communities, people, work_units, workers)
    click.echo(history_markdown(b, command.strip(), communities, people))


@main.command()
@_units
@click.option("--workers", default=1, show_default=True, help="CP-SAT workers a part.")
@click.option("--rounds", default=3, show_default=True, help="Solves of each kind, in turns.")
@click.option("--cluster", default="local:2", show_default=True, metavar="ADDRESS")
@_seed
@click.option("--communities", default=10, show_default=True, help="Number of communities.")
@click.option("--people", default=367, show_default=True, help="People in the city.")
def progress(
    work_units: float,
    workers: int,
    rounds: int,
    cluster: str,
    seed: int,
    communities: int,
    people: int,
) -> None:
    """Solve the city on one cluster with the parts' progress relayed while they run and without,
    taking turns, and print the wall times (the repeatable search: the same roster each time).

    Example: python -m benchmarks.city progress --work-units 10 --rounds 3 --cluster local:2
    """
    command = "python -m benchmarks.city progress " + " ".join(sys.argv[2:])
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="city-") as folder:
        runs = measure_progress(
            Path(folder), seed, communities, people, work_units, workers, cluster, rounds
        )
    click.echo(progress_markdown(runs, command.strip(), (load, os.getloadavg()[0])))


if __name__ == "__main__":
    main()


__all__ = [
    "CityFigures",
    "HistoryBytes",
    "PartCall",
    "TimedRunner",
    "figures_markdown",
    "history_bytes",
    "measure_city",
    "project",
    "write_city",
]
