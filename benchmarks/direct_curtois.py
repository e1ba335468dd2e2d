"""A plain CP-SAT model of the Curtois & Qu format, written directly from its description
(shared/benchmarks/README.md, 1.3-1.4) without the engine: the yardstick the engine is measured
against at the same wall-clock limit and worker count (``benchmarks.curtois --side-by-side``).

    python -m benchmarks.direct_curtois INSTANCE --time-limit S --workers N --out SOLUTION.csv
    python -m benchmarks.direct_curtois INSTANCE --sizes

One Boolean per employee, day and shift type (none on a fixed day off or for a shift type the
employee may not work), and the textbook encodings, as in OR-Tools' ``shift_scheduling_sat.py``:

- a day worked is the sum of that day's shift Booleans (at most one shift a day);
- ``CannotFollow``: a clause forbidding each pair on two consecutive days;
- ``MaxShifts`` per type and the total minutes: linear sums;
- at most ``MaxConsecutiveShifts`` days in a row: every window one day longer holds a day off;
- at least ``MinConsecutiveShifts`` working days and ``MinConsecutiveDaysOff`` days off: a clause
  forbidding each too-short run that has the other kind of day on both sides inside the horizon;
- weekends: a Boolean per weekend, the maximum of its Saturday and Sunday, summed;
- requests: their weights on the shift Booleans; cover: an under and an over variable per row,
  ``count + under − over = requirement`` with ``over = max(count − requirement, 0)`` (so both
  are exact in every roster found, not only in the optimal one), weighted.

CP-SAT runs with its defaults apart from the worker count, the seed and ``max_time_in_seconds``.
The solution is the ``employee,day,shift`` CSV of ``benchmarks.curtois``, and its objective is
recomputed by ``benchmarks.curtois_check`` (it must equal CP-SAT's).
"""

from __future__ import annotations

import json
import math
import resource
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import click
from ortools.sat.python import cp_model

from benchmarks.curtois import (
    BEST_KNOWN,
    Instance,
    Result,
    instance_number,
    read_instance,
    result_lines,
    write_solution,
)
from benchmarks.curtois_check import evaluate, roster_of
from benchmarks.params import param_option, parse_params


@dataclass
class DirectModel:
    """The model and its shift Booleans, keyed by (employee, day, shift)."""

    instance: Instance
    model: cp_model.CpModel
    shifts: dict[tuple[str, int, str], cp_model.IntVar]


def build(inst: Instance) -> DirectModel:
    """The CP-SAT model of ``inst``, objective included."""
    model = cp_model.CpModel()
    h = inst.horizon
    length = {s.id: s.minutes for s in inst.shifts}
    x: dict[tuple[str, int, str], cp_model.IntVar] = {}
    objective: list[Any] = []
    for st in inst.staff:
        e = st.id
        off = set(inst.days_off.get(e, []))
        allowed = [s for s in length if st.max_shifts.get(s, 0) > 0]
        for d in range(h):
            if d not in off:
                for s in allowed:
                    x[e, d, s] = model.new_bool_var(f"x[{e},{d},{s}]")
        works = []
        for d in range(h):
            w = model.new_bool_var(f"work[{e},{d}]")
            model.add(sum(x[e, d, s] for s in allowed if (e, d, s) in x) == w)
            works.append(w)
        # Rotation: no shift of CannotFollow(s) the day after s.
        for shift in inst.shifts:
            for t in shift.cannot_follow:
                for d in range(h - 1):
                    if (e, d, shift.id) in x and (e, d + 1, t) in x:
                        model.add_bool_or([~x[e, d, shift.id], ~x[e, d + 1, t]])
        for s in allowed:
            model.add(sum(x[e, d, s] for d in range(h) if (e, d, s) in x) <= st.max_shifts[s])
        minutes = sum(length[s] * v for (pe, _, s), v in x.items() if pe == e)
        model.add_linear_constraint(minutes, st.min_minutes, st.max_minutes)
        if st.max_consecutive < h:
            span = st.max_consecutive + 1
            for first in range(h - span + 1):
                model.add(sum(works[first : first + span]) <= st.max_consecutive)
        # Too-short runs strictly inside the horizon (ends are free: README 1.4, items 6-7).
        for size in range(1, st.min_consecutive):
            for first in range(1, h - size):
                run = works[first : first + size]
                model.add_bool_or([works[first - 1], *(~w for w in run), works[first + size]])
        for size in range(1, st.min_days_off):
            for first in range(1, h - size):
                run = works[first : first + size]
                model.add_bool_or([~works[first - 1], *run, ~works[first + size]])
        weekends = []
        for k in range(h // 7):
            we = model.new_bool_var(f"weekend[{e},{k}]")
            model.add_max_equality(we, [works[7 * k + 5], works[7 * k + 6]])
            weekends.append(we)
        model.add(sum(weekends) <= st.max_weekends)
    for e, d, s, weight in inst.on_requests:
        objective.append(weight * (1 - x[e, d, s]) if (e, d, s) in x else weight)
    for e, d, s, weight in inst.off_requests:
        if (e, d, s) in x:
            objective.append(weight * x[e, d, s])
    staff = len(inst.staff)
    for (d, s), (req, under_weight, over_weight) in sorted(inst.cover.items()):
        count = sum(x[st.id, d, s] for st in inst.staff if (st.id, d, s) in x)
        under = model.new_int_var(0, req, f"under[{d},{s}]")
        over = model.new_int_var(0, staff, f"over[{d},{s}]")
        model.add(count + under - over == req)
        # Exact, not only at the optimum: a roster's reported cost is its true cost.
        model.add_max_equality(over, [count - req, 0])
        objective.append(under_weight * under + over_weight * over)
    model.minimize(sum(objective))
    return DirectModel(inst, model, x)


def solution_rows(m: DirectModel, solver: cp_model.CpSolver) -> list[tuple[str, int, str]]:
    """The solved roster as ``(employee, day, shift)`` rows, employees in file order."""
    order = {st.id: i for i, st in enumerate(m.instance.staff)}
    rows = [(e, d, s) for (e, d, s), v in m.shifts.items() if solver.boolean_value(v)]
    return sorted(rows, key=lambda r: (order[r[0]], r[1]))


class _Clock(cp_model.CpSolverSolutionCallback):
    """Remembers when the last improving solution came."""

    def __init__(self, started: float) -> None:
        super().__init__()
        self.started = started
        self.last = 0.0

    def on_solution_callback(self) -> None:
        self.last = time.monotonic() - self.started


def solve_direct(
    path: Path,
    time_limit: float,
    workers: int,
    seed: int = 0,
    out: Path | None = None,
    params: dict[str, object] | None = None,
) -> Result:
    """Read, build, solve (``time_limit`` wall-clock seconds) and score one instance; the
    roster is re-scored by the independent evaluator (``Result.checked``). ``params``: further
    CP-SAT parameters (tests give a deterministic limit)."""
    started = time.monotonic()
    m = build(read_instance(path))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = time_limit
    for key, value in (params or {}).items():
        setattr(solver.parameters, key, value)
    clock = _Clock(started)
    status = solver.solve(m.model, clock)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    rows = solution_rows(m, solver) if found else []
    if out is not None and found:
        write_solution(out, rows)
    checked, violations = evaluate(path, roster_of(rows)) if found else (None, [])
    number = instance_number(path)
    return Result(
        instance=path.stem,
        best_known=BEST_KNOWN.get(number) if number is not None else None,
        objective=round(solver.objective_value) if found else None,
        bound=math.ceil(solver.best_objective_bound - 1e-6) if found else None,
        status=solver.status_name(status),
        seconds=round(time.monotonic() - started, 2),
        seconds_to_best=round(clock.last, 2),
        peak_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        terms={},
        workers=workers,
        checked=checked,
        violations=len(violations),
        model="direct",
        seed=seed,
    )


#: The kinds of constraint a model of rosters uses (CP-SAT's ConstraintProto fields).
CONSTRAINT_KINDS = (
    "bool_or",
    "bool_and",
    "at_most_one",
    "exactly_one",
    "linear",
    "lin_max",
    "bool_xor",
    "int_prod",
    "element",
    "table",
    "automaton",
    "interval",
    "no_overlap",
    "cumulative",
)


def proto_sizes(model: cp_model.CpModel) -> dict[str, int]:
    """Variables, constraints by kind and their literals/terms: the size CP-SAT is given. (Only
    the field a constraint has is read: reading another one would add it to the model.)"""
    proto = model.proto
    kinds: Counter[str] = Counter()
    terms = literals = enforced = 0
    for c in proto.constraints:
        kind = next((k for k in CONSTRAINT_KINDS if getattr(c, f"has_{k}")()), "other")
        kinds[kind] += 1
        enforced += bool(len(c.enforcement_literal))
        if kind == "linear":
            terms += len(c.linear.vars)
        elif kind in ("bool_or", "bool_and", "at_most_one", "exactly_one"):
            literals += len(getattr(c, kind).literals)
    sizes: dict[str, int] = {
        "variables": len(proto.variables),
        "booleans": sum(1 for v in proto.variables if list(v.domain) == [0, 1]),
        "objective terms": len(proto.objective.vars),
        "constraints": len(proto.constraints),
    }
    sizes.update({f"  {kind}": count for kind, count in kinds.items()})
    sizes["enforced constraints"] = enforced
    sizes["linear terms"] = terms
    sizes["clause literals"] = literals
    return sizes


def presolved_sizes(model: cp_model.CpModel, workers: int = 1) -> list[str]:
    """CP-SAT's own summary of ``model`` after presolve (its log lines from "Presolved")."""
    lines: list[str] = []
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.stop_after_presolve = True
    solver.parameters.log_search_progress = True
    solver.parameters.log_to_stdout = False
    solver.log_callback = lines.append
    solver.solve(model)
    text = "\n".join(lines).splitlines()
    start = next((i for i, line in enumerate(text) if line.startswith("Presolved ")), None)
    if start is None:
        return []
    out: list[str] = []
    for line in text[start:]:
        if line.startswith("CpSolverResponse"):
            break
        if not line.startswith("Stopped"):
            out.append(line)
    return out


def engine_model(path: Path) -> cp_model.CpModel:
    """The engine's model of the same instance (the adapter's roster, all rules), for sizes."""
    from benchmarks.curtois import to_roster
    from roster.slots import expand
    from solver.solve import build_model

    roster, period = to_roster(read_instance(path))
    built, _ = build_model(roster, period, expand(roster.config, period), strict=False)
    return built.model


def sizes_report(path: Path) -> str:
    """The two models of one instance side by side: sizes as built, then after presolve."""
    direct = build(read_instance(path)).model
    engine = engine_model(path)
    a, b = proto_sizes(direct), proto_sizes(engine)
    kinds = sorted({k for k in [*a, *b] if k.startswith("  ")})
    keys = [k for k in a if not k.startswith("  ")]
    keys = keys[:4] + kinds + keys[4:]
    lines = [
        f"{path.stem}: model sizes as built",
        "",
        "| | direct | engine |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| {k.strip() if not k.startswith('  ') else '- ' + k.strip()} | "
              f"{a.get(k, 0):,} | {b.get(k, 0):,} |" for k in keys]  # fmt: skip
    for name, model in (("direct", direct), ("engine", engine)):
        lines += ["", f"{name}, after presolve (CP-SAT's log):", "", "```"]
        lines += [*presolved_sizes(model), "```"]
    return "\n".join(lines)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("instance", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--time-limit",
    type=float,
    default=60.0,
    show_default=True,
    help="Wall-clock seconds of solving (CP-SAT's max_time_in_seconds).",
)
@click.option("--workers", type=int, default=2, show_default=True, help="CP-SAT workers.")
@click.option("--seed", type=int, default=0, show_default=True, help="CP-SAT random seed.")
@click.option("--out", type=click.Path(path_type=Path), help="Write the solution CSV here.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option(
    "--sizes", is_flag=True, help="Print this model's and the engine's sizes instead of solving."
)
@param_option("max_deterministic_time=5")
def main(
    instance: Path,
    time_limit: float,
    workers: int,
    seed: int,
    out: Path | None,
    as_json: bool,
    sizes: bool,
    params: tuple[str, ...],
) -> None:
    """Solve one Curtois & Qu instance with a plain CP-SAT model written directly for the format.

    Example: python -m benchmarks.direct_curtois ../shared/benchmarks/curtois/Instance1.txt
    --time-limit 10 --workers 2 --out out/direct1.csv
    """
    if sizes:
        click.echo(sizes_report(instance))
        return
    result = solve_direct(instance, time_limit, workers, seed, out, parse_params(params))
    if as_json:
        click.echo(json.dumps(asdict(result)))
        return
    for line in result_lines(result, f", evaluator {result.checked}"):
        click.echo(line)


if __name__ == "__main__":
    main()


__all__ = ["DirectModel", "build", "proto_sizes", "sizes_report", "solve_direct"]
