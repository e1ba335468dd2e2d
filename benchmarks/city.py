"""A generated city: hundreds of communities like the reference one (300 and about 11,000 people by
default), made by the district's generator (``benchmarks.district``), as one roster folder that
``roster solve`` reads; and a runner that solves one week of it in this process and measures it.

    python -m benchmarks.city generate OUT_DIR [--seed 0] [--communities 300] [--people 11000]
    python -m benchmarks.city run [--time-limit S] [--workers N] [--communities 300] [--results F]

Every community shares nobody with another, so the engine solves the city as that many
independent parts (``solver.components``) and merges their rosters.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import click

from benchmarks.district import WEEK, _cores, peak_memory_mb, write_district
from roster.load import load_roster
from roster.slots import expand, make_period

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


def measure_city(
    folder: Path,
    seed: int = 0,
    communities: int = COMMUNITIES,
    people: int = PEOPLE,
    time_limit: float | None = None,
    workers: int | None = None,
    repeatable: bool = False,
) -> CityFigures:
    """Generate the city into ``folder``, load it as ``roster solve`` does and count its model;
    with a ``time_limit``, also solve week WEEK in this process and re-check the roster (with
    ``repeatable``, the limit is in work units of the repeatable search)."""
    from roster.check import check
    from roster.report import assignment_of
    from solver.components import count_pairs, find_parts

    f = CityFigures(communities=communities)
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
        from solver.solve import SolveOptions, solve

        f.time_limit = time_limit
        repeat = repeatable or not engine_counts_seconds()
        f.limit_unit = "units of deterministic time" if repeat else "s"
        clock.lap()
        options = (
            SolveOptions(repeatable=True, work_units=time_limit, workers=workers)
            if repeatable
            else SolveOptions(time_limit=time_limit, workers=workers)
        )
        schedule = solve(roster, period, options)
        f.solve_seconds = clock.lap()
        info = schedule.solver
        f.status, f.objective, f.bound = info.status, info.objective, info.bound
        f.workers = f"{info.workers}" if workers is not None else f"auto (up to {info.workers})"
        f.violations = len(check(roster, period, slots, assignment_of(schedule)).violations)
    f.peak_mb = round(peak_memory_mb(), 1)
    return f


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
            ("time limit / workers", f"{f.time_limit:g} {f.limit_unit} / {f.workers}"),
            ("the solve", sec(f.solve_seconds or (0.0, 0.0))),
            ("status / objective / bound", f"{f.status} / {f.objective} / {f.bound}{gap}"),
            ("checker violations", str(f.violations)),
        ]
    rows.append(("peak memory of this process (maxrss)", f"{f.peak_mb:,.0f} MiB"))
    lines = [f"`{command}`", "", "| measure | value |", "| --- | --- |"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    lines += ["", f"Machine: {_cores()} cores, Python {sys.version.split()[0]}.", ""]
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
    seed: int,
    communities: int,
    people: int,
    results: Path | None,
) -> None:
    """Generate the city in a temporary folder, solve week 2020-W06 in this process and print
    the wall times, the model's size and the peak memory.

    Example: python -m benchmarks.city run --time-limit 60 --workers 2
    """
    command = "python -m benchmarks.city run " + " ".join(sys.argv[2:])
    with tempfile.TemporaryDirectory(prefix="city-") as folder:
        f = measure_city(Path(folder), seed, communities, people, time_limit, workers, repeatable)
    block = figures_markdown(f, command.strip())
    click.echo(block)
    if results is not None:
        with results.open("a", encoding="utf-8") as handle:
            handle.write(block + "\n")


if __name__ == "__main__":
    main()


__all__ = ["CityFigures", "figures_markdown", "measure_city", "write_city"]
