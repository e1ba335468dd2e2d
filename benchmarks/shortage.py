"""What proving a shortage costs, and what it says, on the reference community.

Two cases of ``examples/xingwang``: a week with few people able to disinfect (a shortage no
roster can fill) and the 60 days from 2020-02-03 (a long period where a short time limit leaves
places open that a longer one fills). For each: the places missing, whether the shortage is
proven, the places proven unfillable, and the proof's deterministic work and wall time beside the
main solve's.

    python -m benchmarks.shortage [--time-limit S] [--long-time-limit S] [--workers N]
                                  [--seeds 0,1,2] [--trained 4] [--within-limit]

With ``--within-limit`` only the 60 days are solved, at each ``--long-time-limit`` given
(comma-separated), and each row says how long the whole solve took against its limit and whether
the proof finished, stopped at the limit ("not proven within the limit") or was not needed, and
how many shortages the limit left without their reasons ("unexplained").
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import click

from roster.errors import InfeasibleError
from roster.load import Roster, load_roster
from roster.shortfall import not_proven_within_limit
from roster.slots import Period, expand, make_period
from solver.proof import PROOF_BUDGET, prove_shortage
from solver.solve import SolveOptions, solve

REFERENCE = Path(__file__).resolve().parent.parent / "examples" / "xingwang"


def few_trained(roster: Roster, keep: int) -> Roster:
    """The roster with only its first ``keep`` people trained to disinfect (the others lose the
    skill): fewer people than the rounds need, a shortage no roster can fill."""
    people = []
    for person in roster.people:
        if "disinfection" in person.skills:
            if keep > 0:
                keep -= 1
            else:
                skills = [s for s in person.skills if s != "disinfection"]
                person = person.model_copy(update={"skills": skills})
        people.append(person)
    return Roster(roster.folder, roster.config, people, roster.leave)


@dataclass(frozen=True)
class Row:
    """One solve: places missing, what the proof says, and the times."""

    missing: int
    proven: bool | None
    unfillable: int | None
    solve_wall: float  # the whole solve, proof and staffing hint included
    proof_wall: float
    proof_work: float


def measure(roster: Roster, period: Period, options: SolveOptions) -> Row:
    """One solve and, timed apart, its proof (deterministic: the same proof ``solve`` made)."""
    started = time.monotonic()
    schedule = solve(roster, period, options)
    total = time.monotonic() - started
    budget = min(PROOF_BUDGET, max(1.0, options.time_limit / 2))
    slots = expand(roster.config, period)
    started = time.monotonic()
    proof = prove_shortage(
        roster,
        period,
        slots,
        schedule,
        budget=budget,
        workers=schedule.solver.workers,
        seed=options.seed,
    )
    wall = time.monotonic() - started
    missing = sum(s.missing for s in schedule.shortages) + sum(
        s.missing for s in schedule.quota_shortages
    )
    return Row(
        missing,
        schedule.solver.shortage_proven,
        schedule.solver.shortage_bound,
        total,
        wall if proof else 0.0,
        proof.work if proof else 0.0,
    )


def within_limit_rows(limits: list[float], workers: int, seeds: list[int]) -> None:
    """The 60 days at each limit: the whole solve's wall time against the limit, and what the
    proof said."""
    roster = load_roster(REFERENCE)
    long = make_period(roster.config.timezone, None, date(2020, 2, 3), date(2020, 4, 2))
    click.echo(
        f"load average {os.getloadavg()[0]:.2f}\n"
        "| limit s | seed | solve s (all) | past the limit s | missing | proven | proof "
        "| unexplained |\n"
        "| ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |"
    )
    stopped = not_proven_within_limit(roster.config.language)
    for limit in limits:
        for seed in seeds:
            options = replace(SolveOptions(), time_limit=limit, workers=workers, seed=seed)
            started = time.monotonic()
            try:
                schedule = solve(roster, long, options)
            except InfeasibleError as exc:
                click.echo(
                    f"| {limit:g} | {seed} | {time.monotonic() - started:.1f} | | | | {exc} |"
                )
                continue
            wall = time.monotonic() - started
            missing = sum(s.missing for s in schedule.shortages) + sum(
                s.missing for s in schedule.quota_shortages
            )
            proven = schedule.solver.shortage_proven
            proof = (
                "not needed"
                if proven is None
                else ("stopped at the limit" if stopped in schedule.hints else "finished")
            )
            click.echo(
                f"| {limit:g} | {seed} | {wall:.1f} | {max(0.0, wall - limit):.1f} | {missing} "
                f"| {proven} | {proof} | {schedule.solver.shortages_unexplained} |"
            )
    click.echo(f"load average {os.getloadavg()[0]:.2f}")


@click.command()
@click.option("--time-limit", type=float, default=10.0, show_default=True, help="For the week.")
@click.option(
    "--long-time-limit",
    default="30",
    show_default=True,
    help="For the 60 days (with --within-limit, several, comma-separated).",
)
@click.option("--within-limit", is_flag=True, help="Only the 60 days' solve against its limit.")
@click.option("--workers", type=int, default=2, show_default=True)
@click.option("--seeds", default="0,1,2", show_default=True, help="Seeds, comma-separated.")
@click.option(
    "--trained", type=int, default=4, show_default=True, help="People left able to disinfect."
)
def main(
    time_limit: float,
    long_time_limit: str,
    within_limit: bool,
    workers: int,
    seeds: str,
    trained: int,
) -> None:
    """Print one Markdown row per case and seed, then the medians."""
    if within_limit:
        limits = [float(x) for x in long_time_limit.split(",")]
        within_limit_rows(limits, workers, [int(x) for x in seeds.split(",")])
        return
    roster = load_roster(REFERENCE)
    week = make_period(roster.config.timezone, "2020-W06", None, None)
    long = make_period(roster.config.timezone, None, date(2020, 2, 3), date(2020, 4, 2))
    cases = [
        (f"week, {trained} able to disinfect", few_trained(roster, trained), week, time_limit),
        ("60 days", roster, long, float(long_time_limit.split(",")[0])),
    ]
    click.echo(
        "| case | seed | missing | proven | unfillable | solve s (all) | proof s | proof work |"
    )
    click.echo("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, case, period, limit in cases:
        rows = []
        for seed in (int(s) for s in seeds.split(",")):
            options = replace(SolveOptions(), time_limit=limit, workers=workers, seed=seed)
            row = measure(case, period, options)
            rows.append(row)
            click.echo(
                f"| {name} | {seed} | {row.missing} | {row.proven} | {row.unfillable} "
                f"| {row.solve_wall:.1f} | {row.proof_wall:.1f} | {row.proof_work:.2f} |"
            )
        ratio = statistics.median(r.proof_wall / max(0.01, r.solve_wall) for r in rows)
        click.echo(f"| {name}: median proof / solve wall | | | | | | {ratio:.2f} | |")


if __name__ == "__main__":
    main()
