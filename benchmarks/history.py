"""Measures what the history changes: the reference community's week 7 solved alone and from week 6.

    python -m benchmarks.history [--time-limit 5] [--workers 2] [--seeds 0 1 2] [--fair-nights 0 5]

For each seed and ``weights.fair_nights``, solves 2020-W06, then 2020-W07 alone and with week 6 as
its history, and prints a Markdown row: the rules week 7 alone breaks across the border (checked
with the history), the night shifts in week 7 of the people who had nights in week 6 (alone /
with history), the most night shifts anyone has over the two weeks, week 7's penalty (alone /
with history, each by its own rules), and the wall seconds of the solve with history.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from roster.check import check
from roster.history import History
from roster.load import Roster, load_roster
from roster.report import assignment_of
from roster.schedule import Schedule
from roster.slots import expand, make_period
from solver.solve import SolveOptions, solve

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "xingwang"


def with_fair_nights(roster: Roster, weight: int) -> Roster:
    """The roster with ``weights.fair_nights`` set to ``weight``."""
    weights = roster.config.weights.model_copy(update={"fair_nights": weight})
    config = roster.config.model_copy(update={"weights": weights})
    return Roster(roster.folder, config, roster.people, roster.leave)


def nights_of(schedule: Schedule, people: set[str]) -> int:
    """Night shifts of ``people`` in ``schedule``."""
    return sum(p.nights for p in schedule.people if p.id in people)


def row(roster: Roster, options: SolveOptions) -> list[str]:
    """One table row for one roster and seed."""
    zone = roster.config.timezone
    week6 = solve(roster, make_period(zone, "2020-W06", None, None), options)
    period = make_period(zone, "2020-W07", None, None)
    history = History.from_schedules(roster, [week6], period)
    alone = solve(roster, period, options)
    started = time.monotonic()
    joined = solve(roster, period, replace(options, history=history))
    wall = time.monotonic() - started
    slots = expand(roster.config, period)
    broken = check(roster, period, slots, assignment_of(alone), history=history).violations
    across = Counter(v.rule for v in broken if v.border)
    had = {p.id for p in week6.people if p.nights}
    both = {p.id: p.nights for p in week6.people}
    most_alone = max(both[p.id] + p.nights for p in alone.people)
    most_joined = max(both[p.id] + p.nights for p in joined.people)
    return [
        str(options.seed),
        str(roster.config.weights.fair_nights),
        ", ".join(f"{rule} {n}" for rule, n in sorted(across.items())) or "none",
        f"{nights_of(alone, had)} / {nights_of(joined, had)}",
        f"{most_alone} / {most_joined}",
        f"{alone.solver.objective} / {joined.solver.objective}",
        f"{wall:.1f}",
    ]


def main() -> None:
    """Run the measurement and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--fair-nights", type=int, nargs="+", default=[0, 5])
    args = parser.parse_args()
    base = load_roster(EXAMPLE)
    print(
        "| seed | fair_nights | week 7 alone breaks across the border | week 7 nights of "
        "week 6's night workers (alone / history) | most nights in two weeks (alone / history) "
        "| week 7 penalty (alone / history) | wall s with history |"
    )
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: |")
    for weight in args.fair_nights:
        roster = with_fair_nights(base, weight)
        for seed in args.seeds:
            options = SolveOptions(time_limit=args.time_limit, workers=args.workers, seed=seed)
            print("| " + " | ".join(row(roster, options)) + " |", flush=True)


if __name__ == "__main__":
    main()
