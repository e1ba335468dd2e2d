"""How long `roster print` takes: each format of a day and of the whole period, CPU and wall.

    python -m benchmarks.printing out/xingwang/schedule.json --roster examples/xingwang --runs 5

Prints the median of the runs after one warm-up render (which loads WeasyPrint and the fonts and
is reported on its own).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

from roster.load import load_roster
from roster.printing import Contacts, contacts_of, period_days, render
from roster.schedule import read_schedule


def timed(run: int, action: Callable[[], object]) -> tuple[float, float]:
    """Median wall and CPU seconds of ``run`` calls of ``action``."""
    walls, cpus = [], []
    for _ in range(run):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    """Time every format of the first day and of the whole period."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("schedule", type=Path, help="A schedule.json.")
    parser.add_argument("--roster", type=Path, help="Its roster folder, for contacts.")
    parser.add_argument("--runs", type=int, default=5, help="Runs of each (median reported).")
    args = parser.parse_args()
    schedule = read_schedule(args.schedule)
    contacts = contacts_of(load_roster(args.roster)) if args.roster else Contacts()
    first: date = period_days(schedule)[0]
    start = time.perf_counter()
    render(schedule, "pdf", first, contacts)
    print(f"first render (loads WeasyPrint and fonts): {time.perf_counter() - start:.2f} s wall")
    for day in (first, None):
        for fmt in ("png", "pdf", "html"):
            size = len(render(schedule, fmt, day, contacts))
            wall, cpu = timed(args.runs, partial(render, schedule, fmt, day, contacts))
            what = f"day {first}" if day else "period"
            print(f"{what:<15} {fmt:<4} {cpu:6.2f} s CPU {wall:6.2f} s wall {size / 1000:7.0f} KB")


if __name__ == "__main__":
    main()
