"""The Curtois & Qu shift scheduling benchmark: each instance read into the project's own domain
(people, posts, rules, leave, requests, headcount targets), solved by the project's own solver,
written as ``employee,day,shift`` CSV and compared with the best known results.

    python -m benchmarks.curtois INSTANCE --time-limit S --workers N --out SOLUTION.csv
    python -m benchmarks.curtois --all --time-limit 60 --results benchmarks/results.md

Every part of the format maps onto a rule the engine has (shared/benchmarks/README.md, 1.4):
a shift type is a post with one shift pattern per distinct cover row, starting 08:00 every day
so no two days' shifts overlap; a cover row is a headcount with min 0, target the requirement,
max the staff count and the row's under/over weights; ``MaxShifts`` is ``max_shifts_per_post``;
the total minutes are ``min_hours``/``max_hours``; the consecutive limits and weekends are the
rules of the same names; fixed days off are leave; on/off requests are prefer/avoid requests;
``CannotFollow`` is a hard succession; one shift a day and no rest between shifts.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field, fields
from datetime import date, timedelta
from datetime import time as time_of_day
from pathlib import Path

import click

from benchmarks.curtois_check import evaluate, roster_of
from benchmarks.params import param_option, parse_params
from roster.errors import InfeasibleError
from roster.load import Roster
from roster.models import (
    Headcount,
    Leave,
    Person,
    Post,
    Request,
    RosterConfig,
    RuleSet,
    ShiftPattern,
    Succession,
    Weights,
)
from roster.schedule import Schedule
from roster.slots import Period
from solver.solve import Progress, SolveOptions, solve

#: Day 0 of every instance is a Monday; any Monday will do.
FIRST_DAY = date(2024, 1, 1)
#: Nominal start of every shift: the longest shift is 12 h, so shifts of different days never meet.
START = time_of_day(8, 0)
#: Where the instances live, relative to the repository (CI keeps shared/ beside the clone), or
#: the folder named by the environment variable CURTOIS_INSTANCES.
INSTANCE_DIR = Path(
    os.environ.get("CURTOIS_INSTANCES")
    or Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "curtois"
)
#: Best known objective of instances 1–16 (shared/benchmarks/README.md, 1.5: the lower UB).
BEST_KNOWN = {
    1: 607, 2: 828, 3: 1001, 4: 1716, 5: 1143, 6: 1950, 7: 1056, 8: 1300,
    9: 439, 10: 4631, 11: 3443, 12: 4040, 13: 1348, 14: 1278, 15: 3828, 16: 3225,
}  # fmt: skip


@dataclass(frozen=True)
class Shift:
    """A shift type: its length and the shift types that may not follow it the next day."""

    id: str
    minutes: int
    cannot_follow: tuple[str, ...]


@dataclass(frozen=True)
class Staff:
    """An employee line of ``SECTION_STAFF``."""

    id: str
    max_shifts: dict[str, int]
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_days_off: int
    max_weekends: int


@dataclass
class Instance:
    """A Curtois & Qu instance as written in its file."""

    name: str
    horizon: int
    shifts: list[Shift]
    staff: list[Staff]
    days_off: dict[str, list[int]] = field(default_factory=dict)
    #: (employee, day, shift, weight)
    on_requests: list[tuple[str, int, str, int]] = field(default_factory=list)
    off_requests: list[tuple[str, int, str, int]] = field(default_factory=list)
    #: (day, shift) → (requirement, under weight, over weight)
    cover: dict[tuple[int, str], tuple[int, int, int]] = field(default_factory=dict)


def read_instance(path: Path) -> Instance:
    """Read an instance file (CRLF or LF; ``#`` comments; sections in the documented order)."""
    sections: dict[str, list[list[str]]] = {}
    current = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            current = line
            sections[current] = []
            continue
        sections[current].append(line.split(","))
    inst = Instance(
        name=path.stem,
        horizon=int(sections["SECTION_HORIZON"][0][0]),
        shifts=[
            Shift(row[0], int(row[1]), tuple(s for s in row[2].split("|") if s))
            for row in sections["SECTION_SHIFTS"]
        ],
        staff=[],
    )
    for row in sections["SECTION_STAFF"]:
        limits = dict(part.split("=") for part in row[1].split("|") if part)
        inst.staff.append(
            Staff(
                id=row[0],
                max_shifts={s: int(n) for s, n in limits.items()},
                max_minutes=int(row[2]),
                min_minutes=int(row[3]),
                max_consecutive=int(row[4]),
                min_consecutive=int(row[5]),
                min_days_off=int(row[6]),
                max_weekends=int(row[7]),
            )
        )
    for row in sections.get("SECTION_DAYS_OFF", []):
        inst.days_off[row[0]] = [int(d) for d in row[1:] if d]
    for key, target in (
        ("SECTION_SHIFT_ON_REQUESTS", inst.on_requests),
        ("SECTION_SHIFT_OFF_REQUESTS", inst.off_requests),
    ):
        for row in sections.get(key, []):
            target.append((row[0], int(row[1]), row[2], int(row[3])))
    for row in sections["SECTION_COVER"]:
        inst.cover[(int(row[0]), row[1])] = (int(row[2]), int(row[3]), int(row[4]))
    return inst


def day_date(day: int) -> date:
    """The date of day ``day`` of an instance."""
    return FIRST_DAY + timedelta(days=day)


def to_roster(inst: Instance) -> tuple[Roster, Period]:
    """The instance as a roster of the project's own domain, and its planning period."""
    staff_count = len(inst.staff)
    posts = []
    for shift in inst.shifts:
        # One pattern per distinct cover row, holding the dates that have it.
        by_cover: dict[tuple[int, int, int], list[date]] = {}
        for day in range(inst.horizon):
            row = inst.cover.get((day, shift.id), (0, 0, 0))
            by_cover.setdefault(row, []).append(day_date(day))
        patterns = [
            ShiftPattern(
                start=START,
                hours=shift.minutes / 60,
                dates=dates,
                name=shift.id,
                headcount=Headcount(
                    min=0,
                    target=req,
                    max=max(req, staff_count),
                    under_weight=under,
                    over_weight=over,
                ),
            )
            for (req, under, over), dates in by_cover.items()
        ]
        posts.append(Post(id=shift.id, name=shift.id, shifts=patterns, headcount=Headcount(min=0)))
    people = [
        Person(
            id=s.id,
            name=s.id,
            rules=RuleSet(
                max_shifts_per_post=dict(s.max_shifts),
                max_hours=s.max_minutes / 60,
                min_hours=s.min_minutes / 60,
                max_consecutive_days=s.max_consecutive,
                min_consecutive_days=s.min_consecutive or None,
                min_consecutive_days_off=s.min_days_off or None,
                max_weekends=s.max_weekends,
            ),
        )
        for s in inst.staff
    ]
    leave = [
        Leave.model_validate({"person": pid, "from": day_date(d), "to": day_date(d)})
        for pid, days in inst.days_off.items()
        for d in days
    ]
    requests = [
        Request(person=e, kind="prefer", post=s, date=day_date(d), weight=w)
        for e, d, s, w in inst.on_requests
    ] + [
        Request(person=e, kind="avoid", post=s, date=day_date(d), weight=w)
        for e, d, s, w in inst.off_requests
    ]
    config = RosterConfig(
        name=f"Curtois & Qu {inst.name}",
        timezone="UTC",
        language="en",
        rules=RuleSet(max_shifts_per_day=1, min_rest_hours=0),
        # The benchmark's objective is cover and requests only: no fairness terms.
        weights=Weights(fair_hours=0, fair_nights=0, fair_weekends=0),
        successions=[
            Succession(after=[s.id], then=list(s.cannot_follow))
            for s in inst.shifts
            if s.cannot_follow
        ],
        posts=posts,
        people=people,
        leave=leave,
        requests=requests,
    )
    by_person: dict[str, list[Leave]] = {}
    for item in leave:
        by_person.setdefault(item.person, []).append(item)
    roster = Roster(folder=Path("."), config=config, people=people, leave=by_person)
    period = Period(FIRST_DAY, day_date(inst.horizon - 1), "UTC")
    return roster, period


def solution_rows(schedule: Schedule) -> list[tuple[str, int, str]]:
    """The schedule as ``(employee, day, shift)`` rows, by employee (in file order) then day."""
    order = {p.id: i for i, p in enumerate(schedule.people)}
    rows = [
        (pid, (slot.start.date() - FIRST_DAY).days, slot.post)
        for slot in schedule.slots
        for pid in slot.assigned
    ]
    return sorted(rows, key=lambda r: (order[r[0]], r[1]))


def write_solution(path: Path, rows: list[tuple[str, int, str]]) -> None:
    """Write the solution CSV with header ``employee,day,shift``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["employee", "day", "shift"])
        writer.writerows(rows)


@dataclass
class Result:
    """One run on one instance."""

    instance: str
    best_known: int | None
    objective: int | None
    bound: int | None
    status: str
    seconds: float
    seconds_to_best: float
    peak_mb: float
    terms: dict[str, int]
    #: CP-SAT workers used (chosen by model size unless --workers is given).
    workers: int = 0
    #: The objective of the written roster as ``benchmarks.curtois_check`` scores it.
    checked: int | None = None
    #: Hard constraints of the format the roster breaks, by that evaluator (0 when feasible).
    violations: int = 0
    #: Which model solved it: "engine" (the project's solver) or "direct" (direct_curtois.py).
    model: str = "engine"
    seed: int = 0

    @property
    def gap(self) -> float | None:
        """(objective − best known) / best known."""
        if self.objective is None or not self.best_known:
            return None
        return (self.objective - self.best_known) / self.best_known


def instance_number(path: Path) -> int | None:
    """The N of ``InstanceN.txt``."""
    digits = path.stem.removeprefix("Instance")
    return int(digits) if digits.isdigit() else None


def result_lines(result: Result, after_objective: str = "") -> list[str]:
    """The two lines a run prints for people: the objective with its gap to the best known
    result (and ``after_objective``), then status, bound, times and memory."""
    gap = (
        f" (gap {result.gap:.1%} to best known {result.best_known})"
        if result.gap is not None
        else ""
    )
    return [
        f"{result.instance}: objective {result.objective}{gap}{after_objective}",
        f"status {result.status}, bound {result.bound}, {result.seconds:g} s "
        f"(best found at {result.seconds_to_best:g} s), peak {result.peak_mb:g} MB",
    ]


def run_instance(
    path: Path,
    time_limit: float,
    workers: int | None,
    seed: int = 0,
    out: Path | None = None,
    extra: dict[str, object] | None = None,
    lns: bool = True,
    wall_clock: bool = False,
) -> Result:
    """Read, solve and score one instance; write its solution CSV when ``out`` is given.
    ``wall_clock``: stop at ``time_limit`` wall-clock seconds even on an engine whose time limit
    counts deterministic units (see ``wall_clock_guard``)."""
    if wall_clock:
        wall_clock_guard()
    started = time.monotonic()
    inst = read_instance(path)
    roster, period = to_roster(inst)
    best: dict[str, float] = {"objective": float("inf"), "elapsed": 0.0}

    def progress(p: Progress) -> None:
        if p.objective < best["objective"]:
            best["objective"] = p.objective
            best["elapsed"] = time.monotonic() - started

    options = SolveOptions(
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        on_progress=progress,
        extra=dict(extra or {}),
        lns=lns,
    )
    number = instance_number(path)
    try:
        schedule = solve(roster, period, options)
    except InfeasibleError:
        # No roster in the time (an instance of the benchmark always has one): a result too.
        return Result(
            instance=path.stem,
            best_known=BEST_KNOWN.get(number) if number is not None else None,
            objective=None,
            bound=None,
            status="NO ROSTER",
            seconds=round(time.monotonic() - started, 2),
            seconds_to_best=0.0,
            peak_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            terms={},
            seed=seed,
        )
    rows = solution_rows(schedule)
    if out is not None:
        write_solution(out, rows)
    checked, violations = evaluate(path, roster_of(rows))
    return Result(
        instance=path.stem,
        best_known=BEST_KNOWN.get(number) if number is not None else None,
        objective=schedule.solver.objective,
        bound=schedule.solver.bound,
        status=schedule.solver.status,
        seconds=round(time.monotonic() - started, 2),
        seconds_to_best=round(best["elapsed"], 2),
        peak_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        terms={t.rule: t.penalty for t in schedule.objective_terms if t.penalty},
        workers=schedule.solver.workers,
        checked=checked,
        violations=len(violations),
        seed=seed,
    )


def engine_counts_seconds() -> bool:
    """Whether the engine's ``SolveOptions.time_limit`` is wall-clock seconds: engines that
    have a ``repeatable`` option count seconds by default and units of work only on request."""
    return "repeatable" in {f.name for f in fields(SolveOptions)}


def wall_clock_guard() -> None:
    """Make the engine stop at its time limit in wall-clock seconds, for a comparison at equal
    wall time, on an engine whose limit is CP-SAT's deterministic time (a no-op on one that
    counts seconds). Such an engine stops a run at 20 times the limit plus 30 s of wall time at the
    latest (``WALL_CAP``, ``WALL_SLACK`` of solver.solve and solver.lns); here both become 1 and
    0, so the limit of S units ends at S wall seconds of solving. On the shared 2-core machine a
    unit took 9 to 20 s, so the wall-clock stop is the one that ends a run; where a unit takes
    less than a second the engine stops sooner, which the table's wall column shows."""
    if engine_counts_seconds():
        return
    from solver import lns
    from solver import solve as solve_module

    for module in (solve_module, lns):
        for name, value in (("WALL_CAP", 1), ("WALL_SLACK", 0.0)):
            if hasattr(module, name):
                setattr(module, name, value)


def machine() -> str:
    """The machine in one line: CPU model, cores, memory, Python and OR-Tools versions."""
    from importlib.metadata import version

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB"
    except (ValueError, OSError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}, "
        f"OR-Tools {version('ortools')}"
    )


def results_table(results: list[Result], command: str, note: str = "") -> str:
    """``benchmarks/results.md``: one row per instance, then the command and the machine."""
    lines = [
        "# Curtois & Qu benchmark results",
        "",
        "Objective recomputed from the roster by the checker (cover + requests, as in",
        "shared/benchmarks/README.md 1.4); gap = (ours − best known) / best known;",
        "bound = CP-SAT's proven lower bound; time to best = seconds from start (reading",
        "included) to our last improving solution; wall = the whole run's seconds (the time limit",
        "is CP-SAT's deterministic time, see README); peak = peak resident memory of the process",
        "solving the instance; workers = CP-SAT workers (8 below 2,000 Booleans, 2 above, unless",
        "--workers is given).",
        "",
        "| instance | best known | ours | gap | bound | status | time to best (s) | wall (s) "
        "| peak (MB) | workers |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        gap = f"{r.gap:.1%}" if r.gap is not None else "–"
        lines.append(
            f"| {r.instance} | {r.best_known if r.best_known is not None else '–'} "
            f"| {r.objective if r.objective is not None else '–'} | {gap} "
            f"| {r.bound if r.bound is not None else '–'} | {r.status} | {r.seconds_to_best:g} "
            f"| {r.seconds:g} | {r.peak_mb:g} | {r.workers} |"
        )
    lines += ["", f"Command: `{command}`", "", f"Machine: {machine()}"]
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n"


#: The instances whose result at 60 s depends on the seed: those the direct model and the engine
#: leave far from the best known (8, 12-16), and 3-7, where one seed's roster differs from
#: another's by up to 25 % (instance 6) or the two models are within a few points of each other.
#: With ``--side-by-side --seeds``, each of these runs once per seed and the table shows the median.
HARD = (3, 4, 5, 6, 7, 8, 12, 13, 14, 15, 16)


@dataclass
class Pair:
    """One instance solved by both models, once per seed each."""

    instance: str
    best_known: int | None
    direct: list[Result]
    engine: list[Result]
    #: The machine's 1-minute load average after each run (other work on the machine).
    loads: list[float] = field(default_factory=list)


def _median(values: list[int | None]) -> float | None:
    """The median objective over seeds, a seed without a roster counting as worse than any
    roster (so a model that found one in one seed of three has no median: None)."""
    if not values:
        return None
    ranked = sorted(values, key=lambda v: (v is None, v or 0))
    middle = ranked[(len(ranked) - 1) // 2 : len(ranked) // 2 + 1]
    if any(v is None for v in middle):
        return None
    return statistics.median(v for v in middle if v is not None)


def _score(r: Result) -> int | None:
    """The evaluator's objective of a feasible roster (None when there is none)."""
    return r.checked if r.objective is not None and r.violations == 0 else None


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def side_by_side_table(pairs: list[Pair], time_limit: float, command: str, note: str = "") -> str:
    """``benchmarks/results.md``: per instance the direct model's and the engine's objective
    (median over seeds), the ratio engine / direct, bounds, wall times and seeds."""
    lines = [
        "# Curtois & Qu benchmark: the engine beside a direct CP-SAT model",
        "",
        f"Each instance is solved by `benchmarks/direct_curtois.py` (a plain CP-SAT model written "
        f"directly for the format) and by the engine, one after the other in the same run, each "
        f"with {time_limit:g} s of wall-clock solving and the same CP-SAT workers and seed. Both "
        "rosters are scored by the same independent evaluator (`benchmarks/curtois_check.py`); "
        "with several seeds the objective and wall time are medians (a seed without a roster "
        "counts as worse than any roster) and the bound the best. "
        "ratio = engine / direct (below 1: the engine is ahead); gap = (objective − best known) "
        "/ best known; wall = the whole run (reading and building included).",
        "",
        "| instance | best known | direct | engine | engine / direct | direct gap | engine gap "
        "| bound direct / engine | wall direct / engine (s) | seeds |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    details = []
    for pair in pairs:
        direct = _median([_score(r) for r in pair.direct])
        engine = _median([_score(r) for r in pair.engine])
        ratio = f"{engine / direct:.3f}" if direct and engine is not None else "–"

        def gap(value: float | None, known: int | None = pair.best_known) -> str:
            return f"{(value - known) / known:.1%}" if value is not None and known else "–"

        def bound(results: list[Result]) -> str:
            values = [r.bound for r in results if r.bound is not None]
            return _number(max(values)) if values else "–"

        def wall(results: list[Result]) -> str:
            return _number(statistics.median(r.seconds for r in results)) if results else "–"

        seeds = ",".join(str(r.seed) for r in pair.direct)
        lines.append(
            f"| {pair.instance} | {_number(pair.best_known)} | {_number(direct)} "
            f"| {_number(engine)} | {ratio} | {gap(direct)} | {gap(engine)} "
            f"| {bound(pair.direct)} / {bound(pair.engine)} "
            f"| {wall(pair.direct)} / {wall(pair.engine)} | {seeds} |"
        )
        for r in pair.direct + pair.engine:
            if r.objective is not None and (r.violations or r.checked != r.objective):
                details.append(
                    f"- {r.instance} {r.model} seed {r.seed}: the solver reported "
                    f"{r.objective}, the evaluator {r.checked} with {r.violations} "
                    "broken hard constraints (a model error)."
                )
            if r.objective is None:
                details.append(
                    f"- {r.instance} {r.model} seed {r.seed}: no roster ({r.status}, "
                    f"{r.seconds:g} s)."
                )
        if len(pair.direct) > 1:
            per_seed = "; ".join(
                f"seed {d.seed}: {_number(_score(d))} / {_number(_score(e))}"
                for d, e in zip(pair.direct, pair.engine, strict=True)
            )
            details.append(f"- {pair.instance}, direct / engine by seed: {per_seed}.")
    lines += ["", *details, ""] if details else [""]
    lines += [f"Command: `{command}`", "", f"Machine: {machine()}"]
    loads = [load for pair in pairs for load in pair.loads]
    if loads:
        lines[-1] += (
            f"; 1-minute load average after each run {min(loads):g} to {max(loads):g} "
            f"(median {statistics.median(loads):g})"
        )
    if not engine_counts_seconds():
        lines += [
            "",
            "The engine's time limit counts CP-SAT's deterministic time; for this table it was "
            "stopped at the same wall-clock seconds as the direct model "
            "(`benchmarks.curtois.wall_clock_guard`).",
        ]
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n"


def _solve_in_child(cmd: list[str], time_limit: float, what: str) -> Result:
    """Run one solve as its own process (its peak memory is its own) and read its JSON line.
    A child that outlives four times the limit plus two minutes is stopped and reported as
    giving no roster, so a long benchmark always ends."""
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, check=False, timeout=4 * time_limit + 120
        )
    except subprocess.TimeoutExpired:
        return Result(what, None, None, None, "TIMEOUT", 4 * time_limit + 120, 0.0, 0.0, {})
    if proc.returncode != 0:
        # One failed run must not end a half-hour benchmark: it is reported under the table.
        last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        click.echo(f"{what}: {' '.join(cmd[2:4])} failed: {last}", err=True)
        return Result(what, None, None, None, "ERROR", 0.0, 0.0, 0.0, {})
    return Result(**json.loads(proc.stdout.strip().splitlines()[-1]))


def run_side_by_side(
    paths: list[Path],
    time_limit: float,
    workers: int,
    seed: int,
    hard_seeds: list[int],
    results: Path | None,
    solutions: Path | None,
    note: str,
    passed: list[str],
    command: str,
) -> list[Pair]:
    """Each instance by the direct model, then by the engine, at ``time_limit`` wall-clock
    seconds and ``workers`` workers each; the hard instances (``HARD``) once per seed of
    ``hard_seeds``. The table is rewritten after each instance."""
    pairs: list[Pair] = []
    for path in paths:
        number = instance_number(path)
        seeds = hard_seeds if number in HARD and hard_seeds else [seed]
        pair = Pair(path.stem, BEST_KNOWN.get(number) if number is not None else None, [], [])
        for s in seeds:
            common = ["--json", "--time-limit", str(time_limit), "--seed", str(s)]
            common += ["--workers", str(workers)]
            for model, module, extra in (
                ("direct", "benchmarks.direct_curtois", []),
                ("engine", "benchmarks.curtois", ["--wall-clock", *passed]),
            ):
                cmd = [sys.executable, "-m", module, str(path), *common, *extra]
                if solutions is not None:
                    cmd += ["--out", str(solutions / f"{path.stem}-{model}-seed{s}.csv")]
                result = _solve_in_child(cmd, time_limit, path.stem)
                result.model, result.seed = model, s
                getattr(pair, model).append(result)
                pair.loads.append(round(os.getloadavg()[0], 1))
                click.echo(
                    f"{path.stem} {model} seed {s}: {result.checked} (solver {result.objective}, "
                    f"bound {result.bound}, {result.status}), {result.seconds:g} s, "
                    f"{result.peak_mb:g} MB",
                    err=True,
                )
        pairs.append(pair)
        if results is not None:
            results.parent.mkdir(parents=True, exist_ok=True)
            results.write_text(
                side_by_side_table(pairs, time_limit, command, note), encoding="utf-8"
            )
    return pairs


def _instances(folder: Path) -> list[Path]:
    paths = [p for p in folder.glob("Instance*.txt") if instance_number(p) is not None]
    return sorted(paths, key=lambda p: instance_number(p) or 0)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("instance", required=False, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--time-limit",
    type=float,
    default=60.0,
    show_default=True,
    help="Seconds of solving per instance.",
)
@click.option(
    "--workers", type=int, default=None, help="CP-SAT workers (default: chosen by model size)."
)
@click.option("--seed", type=int, default=0, show_default=True, help="CP-SAT random seed.")
@click.option("--out", type=click.Path(path_type=Path), help="Write the solution CSV here.")
@click.option("--all", "run_all", is_flag=True, help="Run every instance of --instances.")
@click.option(
    "--instances",
    type=click.Path(path_type=Path),
    default=INSTANCE_DIR,
    show_default=True,
    help="Folder of InstanceN.txt files (with --all); or set CURTOIS_INSTANCES.",
)
@click.option("--only", default="", help="With --all: comma-separated instance numbers.")
@click.option(
    "--results",
    type=click.Path(path_type=Path),
    help="With --all: write the results table (Markdown) here.",
)
@click.option(
    "--solutions",
    type=click.Path(path_type=Path),
    help="With --all: write each solution CSV into this folder.",
)
@click.option(
    "--lns/--no-lns",
    default=True,
    show_default=True,
    help="Improve with the engine's large-neighbourhood loop (SolveOptions.lns).",
)
@param_option("interleave_search=false")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--note", default="", help="With --results: a line added under the table.")
@click.option(
    "--side-by-side",
    is_flag=True,
    help="With --all: solve each instance with the direct CP-SAT model "
    "(benchmarks/direct_curtois.py), then with the engine, both at --time-limit wall-clock "
    "seconds and --workers (default 2), and write both columns with their ratio.",
)
@click.option(
    "--seeds",
    default="",
    metavar="LIST",
    help="With --side-by-side: seeds for the instances 3-8 and 12-16, e.g. 0,1,2; the table "
    "shows the median (default: --seed alone).",
)
@click.option(
    "--wall-clock",
    is_flag=True,
    help="Stop the engine at --time-limit wall-clock seconds even where its limit counts "
    "deterministic time (as --side-by-side does).",
)
def main(
    instance: Path | None,
    time_limit: float,
    workers: int | None,
    seed: int,
    out: Path | None,
    run_all: bool,
    instances: Path,
    only: str,
    results: Path | None,
    solutions: Path | None,
    lns: bool,
    params: tuple[str, ...],
    as_json: bool,
    note: str,
    side_by_side: bool,
    seeds: str,
    wall_clock: bool,
) -> None:
    """Solve Curtois & Qu instances with the engine and compare with the best known results,
    or (--side-by-side) with a direct CP-SAT model at the same wall-clock time and workers.

    Example: python -m benchmarks.curtois ../shared/benchmarks/curtois/Instance1.txt
    --time-limit 10 --workers 8 --out out/instance1.csv

    Side by side: python -m benchmarks.curtois --all --side-by-side --time-limit 60 --workers 2
    --seeds 0,1,2 --results benchmarks/results.md
    """
    extra = parse_params(params)
    if run_all and side_by_side:
        passed = ["--lns" if lns else "--no-lns"] + [f"--param={p}" for p in params]
        command = "python -m benchmarks.curtois " + " ".join(_quote(a) for a in sys.argv[1:])
        run_side_by_side(
            _chosen(instances, only),
            time_limit,
            workers if workers is not None else 2,
            seed,
            _seed_list(seeds),
            results,
            solutions,
            note,
            passed,
            command,
        )
        return
    if run_all:
        passed = ["--lns" if lns else "--no-lns"] + [f"--param={p}" for p in params]
        _run_all(instances, time_limit, workers, seed, only, results, solutions, note, passed)
        return
    if instance is None:
        raise click.UsageError("give an INSTANCE file, or --all")
    result = run_instance(
        instance, time_limit, workers, seed, out, extra=extra, lns=lns, wall_clock=wall_clock
    )
    if as_json:
        click.echo(json.dumps(asdict(result)))
        return
    for line in result_lines(result):
        click.echo(line)
    click.echo("terms: " + ", ".join(f"{k} {v}" for k, v in result.terms.items()))


def _run_all(
    folder: Path,
    time_limit: float,
    workers: int | None,
    seed: int,
    only: str,
    results: Path | None,
    solutions: Path | None,
    note: str,
    passed: list[str],
) -> None:
    """Each instance in its own process, so that peak memory is the instance's own. The table is
    rewritten after each instance, so a long run leaves the rows it has finished."""
    paths = _chosen(folder, only)
    done: list[Result] = []
    for path in paths:
        cmd = [
            sys.executable,
            "-m",
            "benchmarks.curtois",
            str(path),
            "--json",
            "--time-limit",
            str(time_limit),
            "--seed",
            str(seed),
        ]
        cmd += passed
        if workers is not None:
            cmd += ["--workers", str(workers)]
        if solutions is not None:
            cmd += ["--out", str(solutions / f"{path.stem}.csv")]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise click.ClickException(f"{path.name}: {proc.stderr.strip()}")
        result = Result(**json.loads(proc.stdout.strip().splitlines()[-1]))
        done.append(result)
        gap = f"{result.gap:.1%}" if result.gap is not None else "–"
        click.echo(
            f"{result.instance}: {result.objective} (best known {result.best_known}, "
            f"gap {gap}), bound {result.bound}, {result.status}, "
            f"best at {result.seconds_to_best:g} s, {result.peak_mb:g} MB",
            err=True,
        )
        if results is not None:
            command = "python -m benchmarks.curtois " + " ".join(_quote(a) for a in sys.argv[1:])
            results.parent.mkdir(parents=True, exist_ok=True)
            results.write_text(results_table(done, command, note), encoding="utf-8")


def _chosen(folder: Path, only: str) -> list[Path]:
    """The instance files of ``folder``, only those numbered in ``only`` when given."""
    paths = _instances(folder)
    if only:
        wanted = {int(n) for n in only.split(",") if n.strip()}
        paths = [p for p in paths if instance_number(p) in wanted]
    if not paths:
        raise click.ClickException(f"{folder}: no InstanceN.txt files")
    return paths


def _seed_list(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise click.BadParameter(
            f"{text!r}: write numbers separated by commas, e.g. 0,1,2", param_hint="--seeds"
        ) from None


def _quote(arg: str) -> str:
    return arg if arg and all(c.isalnum() or c in "-_./=," for c in arg) else repr(arg)


if __name__ == "__main__":
    main()


__all__ = [
    "Instance",
    "Pair",
    "Result",
    "read_instance",
    "run_instance",
    "run_side_by_side",
    "side_by_side_table",
    "to_roster",
    "wall_clock_guard",
]
