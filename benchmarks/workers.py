"""Measures the solver's worker count on the bundled examples: the evidence for the default.

    python -m benchmarks.workers [--time-limit 10] [--repeatable] [--workers 1 2 8] [--repeat 3]

Prints, per example and worker count, the status, penalty and bound after the same budget (wall
seconds, or with ``--repeatable`` deterministic work units of the interleaved search), and the
median wall time of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from roster.load import load_roster
from roster.slots import expand, make_period
from solver.solve import SolveOptions, build_model, run

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def measure(
    folder: Path, week: str, workers: int, limit: float, repeat: int, repeatable: bool = False
) -> list[str]:
    """One table row: example, Booleans, workers, status, penalty, bound, median wall seconds."""
    roster = load_roster(folder)
    period = make_period(roster.config.timezone, week, None, None)
    slots = expand(roster.config, period)
    walls = []
    for _ in range(repeat):
        m, _ = build_model(roster, period, slots, strict=False)
        started = time.monotonic()
        options = SolveOptions(time_limit=limit, repeatable=repeatable, work_units=limit, seed=0)
        solver, status = run(m, options, workers)
        walls.append(time.monotonic() - started)
    return [
        folder.name,
        str(m.variable_count()),
        str(workers),
        solver.status_name(status),
        f"{solver.objective_value:g}",
        f"{solver.best_objective_bound:g}",
        f"{statistics.median(walls):.1f}",
    ]


def main() -> None:
    """Run the measurement and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--time-limit", type=float, default=10.0, help="seconds, or work units (--repeatable)"
    )
    parser.add_argument("--repeatable", action="store_true", help="the interleaved search")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 8])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| example | Booleans | workers | status | penalty | bound | median wall (s) |")
    print("| --- | ---: | ---: | --- | ---: | ---: | ---: |")
    for name in ("clinic", "xingwang"):
        for workers in args.workers:
            row = measure(
                EXAMPLES / name,
                "2020-W06",
                workers,
                args.time_limit,
                args.repeat,
                args.repeatable,
            )
            print("| " + " | ".join(row) + " |", flush=True)


if __name__ == "__main__":
    main()
