"""The Curtois & Qu adapter: Instance1 solves to its optimum 607, judged by an evaluator written
here from the format description alone (shared/benchmarks/README.md, 1.3-1.4), not the engine."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.curtois import main, read_instance, run_instance, to_roster

FOLDER = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "curtois"
pytestmark = pytest.mark.skipif(not FOLDER.is_dir(), reason="shared/benchmarks not beside the repo")

#: The public 607 roster of Instance1 (README 1.4): employees A…H, days 0…13, D or off.
ROSTER_607 = """\
A .DDDD..DD..DDD
B DDDDD..DD..DD.
C DDD..DD..DD...
D DD...DDDDD....
E .DDDD..DD..DDD
F DDD....DD..DDD
G ..DDD..DDD..DD
H DD..DDD..DDD..
"""


# --- the evaluator -------------------------------------------------------------------------------


def _sections(path: Path) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    name = ""
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            name = line
            out[name] = []
        else:
            out[name].append(line.split(","))
    return out


def evaluate(instance: Path, roster: dict[tuple[str, int], str]) -> tuple[int, list[str]]:
    """Objective and hard-constraint violations of ``roster`` ((employee, day) → shift)."""
    sec = _sections(instance)
    h = int(sec["SECTION_HORIZON"][0][0])
    length = {r[0]: int(r[1]) for r in sec["SECTION_SHIFTS"]}
    cannot = {r[0]: set(filter(None, r[2].split("|"))) for r in sec["SECTION_SHIFTS"]}
    bad: list[str] = []
    staff = [r[0] for r in sec["SECTION_STAFF"]]
    for e, d in roster:
        if e not in staff or not 0 <= d < h or roster[(e, d)] not in length:
            bad.append(f"unknown cell {e},{d},{roster[(e, d)]}")
    for row in sec["SECTION_STAFF"]:
        e = row[0]
        limits = {k: int(v) for k, v in (p.split("=") for p in row[1].split("|"))}
        max_min, min_min, max_cons, min_cons, min_off, max_we = (int(x) for x in row[2:8])
        days = [roster.get((e, d)) for d in range(h)]
        for d in range(h - 1):
            if days[d] and days[d + 1] in cannot[days[d]]:
                bad.append(f"{e}: {days[d + 1]} after {days[d]} on day {d + 1}")
        for shift, limit in limits.items():
            if days.count(shift) > limit:
                bad.append(f"{e}: {days.count(shift)} x {shift} > {limit}")
        minutes = sum(length[s] for s in days if s)
        if not min_min <= minutes <= max_min:
            bad.append(f"{e}: {minutes} minutes outside {min_min}..{max_min}")
        worked = [s is not None for s in days]
        for first in range(h - max_cons):
            if all(worked[first : first + max_cons + 1]):
                bad.append(f"{e}: more than {max_cons} days in a row from day {first}")
        runs: list[tuple[int, int, bool]] = []  # (start, length, worked)
        for d, w in enumerate(worked):
            if runs and runs[-1][2] == w:
                runs[-1] = (runs[-1][0], runs[-1][1] + 1, w)
            else:
                runs.append((d, 1, w))
        for start, n, w in runs:
            if start == 0 or start + n == h:
                continue  # runs touching the horizon ends are not checked
            if w and n < min_cons:
                bad.append(f"{e}: {n} working days from day {start} < {min_cons}")
            if not w and n < min_off:
                bad.append(f"{e}: {n} days off from day {start} < {min_off}")
        weekends = sum(1 for k in range(h // 7) if worked[7 * k + 5] or worked[7 * k + 6])
        if weekends > max_we:
            bad.append(f"{e}: {weekends} weekends > {max_we}")
    for row in sec.get("SECTION_DAYS_OFF", []):
        for d in row[1:]:
            if (row[0], int(d)) in roster:
                bad.append(f"{row[0]}: works on fixed day off {d}")
    objective = 0
    for e, d, s, w in sec.get("SECTION_SHIFT_ON_REQUESTS", []):
        objective += int(w) if roster.get((e, int(d))) != s else 0
    for e, d, s, w in sec.get("SECTION_SHIFT_OFF_REQUESTS", []):
        objective += int(w) if roster.get((e, int(d))) == s else 0
    for d, s, req, under, over in sec["SECTION_COVER"]:
        n = sum(1 for (_, day), shift in roster.items() if day == int(d) and shift == s)
        objective += int(under) * max(0, int(req) - n) + int(over) * max(0, n - int(req))
    return objective, bad


def read_solution(path: Path) -> dict[tuple[str, int], str]:
    """A solution CSV ``employee,day,shift`` as (employee, day) → shift; duplicates are errors."""
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["employee", "day", "shift"]
    out: dict[tuple[str, int], str] = {}
    for e, d, s in rows[1:]:
        assert (e, int(d)) not in out, f"{e} has two shifts on day {d}"
        out[(e, int(d))] = s
    return out


# --- tests ---------------------------------------------------------------------------------------


def test_evaluator_scores_the_published_roster_607() -> None:
    roster = {
        (line[0], d): "D"
        for line in ROSTER_607.splitlines()
        for d, c in enumerate(line[2:])
        if c == "D"
    }
    assert evaluate(FOLDER / "Instance1.txt", roster) == (607, [])
    roster[("B", 5)] = "D"  # B's fixed day off, and a 6-day run
    _, bad = evaluate(FOLDER / "Instance1.txt", roster)
    assert "B: works on fixed day off 5" in bad
    assert any("more than 5 days in a row" in b for b in bad)


def test_adapter_maps_every_part_of_the_format() -> None:
    inst = read_instance(FOLDER / "Instance3.txt")
    roster, period = to_roster(inst)
    assert len(period.days) == inst.horizon == 14
    assert [p.id for p in roster.config.posts] == [s.id for s in inst.shifts]
    # Employee and shift ids collide in Instance3 (an employee D and a shift D): separate spaces.
    assert "D" in {p.id for p in roster.people} and "D" in {s.id for s in inst.shifts}
    person = roster.people[0]
    rules = roster.rules_for(person)
    staff = inst.staff[0]
    assert rules.max_shifts_per_post == staff.max_shifts
    assert rules.max_hours == staff.max_minutes / 60
    assert rules.max_consecutive_days == staff.max_consecutive
    assert rules.max_weekends == staff.max_weekends
    assert rules.max_shifts_per_day == 1 and rules.min_rest_hours == 0
    assert len(roster.config.requests) == len(inst.on_requests) + len(inst.off_requests)
    assert sum(len(v) for v in roster.leave.values()) == sum(len(v) for v in inst.days_off.values())


def test_instance1_solves_to_607(tmp_path: Path) -> None:
    out = tmp_path / "Instance1.csv"
    result = run_instance(FOLDER / "Instance1.txt", time_limit=20, workers=2, seed=0, out=out)
    objective, bad = evaluate(FOLDER / "Instance1.txt", read_solution(out))
    assert bad == []
    assert objective == result.objective == 607
    assert result.status == "OPTIMAL"


def test_cli_prints_objective_and_writes_csv(tmp_path: Path) -> None:
    out = tmp_path / "solution.csv"
    args = [
        str(FOLDER / "Instance1.txt"),
        "--time-limit",
        "20",
        "--workers",
        "2",
        "--out",
        str(out),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Instance1: objective 607 (gap 0.0% to best known 607)\n")
    assert "status OPTIMAL, bound 607" in result.output
    assert evaluate(FOLDER / "Instance1.txt", read_solution(out)) == (607, [])


def test_lp_sees_the_weekend_shortage_of_instance10() -> None:
    """Instance 10 needs 206 weekend shifts and its weekend limits allow at most 160, so 46
    places stay empty (100 each): the best known roster costs 4,631. CP-SAT's LP relaxation drops
    the implications that tie days to weekend flags; the max_weekends rule adds an implied linear
    limit on weekend days so the root LP proves most of that (without it: a bound of 9)."""
    from ortools.sat.python import cp_model

    from roster.slots import expand
    from solver.solve import build_model

    roster, period = to_roster(read_instance(FOLDER / "Instance10.txt"))
    m, _ = build_model(roster, period, expand(roster.config, period), strict=False)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = 1.0
    solver.solve(m.model)
    assert 4400 <= solver.best_objective_bound <= 4631
