"""The direct CP-SAT model of the Curtois & Qu format (benchmarks/direct_curtois.py): on a tiny
instance with every part of the format, the model accepts a roster exactly when the independent
evaluator (benchmarks/curtois_check.py) finds no broken hard constraint, and then prices it as the
evaluator does; its optimum is the evaluator's score of the roster it writes; the side-by-side
table takes medians and the ratio from the evaluator's scores."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from ortools.sat.python import cp_model

from benchmarks.curtois import (
    INSTANCE_DIR,
    Pair,
    Result,
    main,
    read_instance,
    run_instance,
    side_by_side_table,
)
from benchmarks.curtois_check import Roster, evaluate, read_solution
from benchmarks.direct_curtois import DirectModel, build, proto_sizes, solve_direct

#: A deterministic stop for every solve in these tests (the wall-clock limit is far away).
DETERMINISTIC = {"max_deterministic_time": 5.0, "interleave_search": True}

STAFF = ["王芳", "李强", "张伟"]


def tiny_instance(folder: Path, name: str = "Instance99", staff: list[str] = STAFF) -> Path:
    """Two weeks, three people and two shift types, with every section of the format: a shift
    that may not follow another, per-type limits (the second person may not work L), minutes,
    consecutive limits, weekends, fixed days off, on and off requests, cover with under/over
    weights. ``staff`` names the three (the engine takes only ASCII ids)."""
    a, b, c = staff
    lines = ["SECTION_HORIZON", "14", "", "SECTION_SHIFTS", "E,480,", "L,600,E", ""]
    lines += [
        "SECTION_STAFF",
        f"{a},E=8|L=4,4800,2880,4,2,2,1",
        f"{b},E=7|L=0,3840,1440,3,1,1,2",
        f"{c},E=10|L=10,5400,2880,5,3,2,2",
        "",
        "SECTION_DAYS_OFF",
        f"{a},3",
        f"{b},0,7",
        "",
        "SECTION_SHIFT_ON_REQUESTS",
        f"{a},1,E,2",
        f"{c},5,L,3",
        f"{b},10,E,1",
        "",
        "SECTION_SHIFT_OFF_REQUESTS",
        f"{b},2,E,1",
        f"{c},9,E,2",
        f"{a},12,L,3",
        "",
        "SECTION_COVER",
    ]
    for day in range(14):
        weekend = day % 7 >= 5
        lines.append(f"{day},E,{1 if weekend else 2},100,1")
        lines.append(f"{day},L,{0 if weekend else 1},100,1")
    path = folder / f"{name}.txt"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def fixed_solve(m: DirectModel, roster: Roster) -> tuple[bool, int | None]:
    """Whether the model accepts ``roster`` (every shift Boolean fixed to it), and its objective."""
    for (e, d), s in roster.items():
        if (e, d, s) not in m.shifts:
            return False, None  # a fixed day off, or a type the employee may not work
    model = m.model.clone()
    for key, var in m.shifts.items():
        value = int(roster.get(key[:2]) == key[2])
        model.add(model.get_bool_var_from_proto_index(var.index) == value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status == cp_model.OPTIMAL:
        return True, round(solver.objective_value)
    assert status == cp_model.INFEASIBLE
    return False, None


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return tiny_instance(tmp_path)


def test_tiny_instance_solves_to_the_evaluators_score(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "solution.csv"
    result = solve_direct(tiny, 60, workers=1, seed=0, out=out, params=DETERMINISTIC)
    assert result.status == "OPTIMAL"
    assert result.bound == result.objective
    assert evaluate(tiny, read_solution(out)) == (result.objective, [])
    assert result.checked == result.objective and result.violations == 0
    assert result.model == "direct"


def test_model_accepts_exactly_the_rosters_the_evaluator_accepts(tiny: Path) -> None:
    """Rosters one or two cells away from the optimum, so that every hard constraint is met just
    inside and just outside its limit: the model and the evaluator agree on each."""
    m = build(read_instance(tiny))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 5.0
    assert solver.solve(m.model) == cp_model.OPTIMAL
    best: Roster = {(e, d): s for (e, d, s), v in m.shifts.items() if solver.boolean_value(v)}
    rng = random.Random(0)
    accepted = rejected = 0
    for _ in range(150):
        roster = dict(best)
        for _ in range(rng.choice((1, 2))):
            cell = (rng.choice(STAFF), rng.randrange(14))
            choice = rng.choice(["E", "L", None])
            if choice is None:
                roster.pop(cell, None)
            else:
                roster[cell] = choice
        score, broken = evaluate(tiny, roster)
        ok, objective = fixed_solve(m, roster)
        assert ok == (not broken), (roster, broken)
        if ok:
            assert objective == score
            accepted += 1
        else:
            rejected += 1
    # Both sides of the limits were visited.
    assert accepted >= 20 and rejected >= 20


def test_a_roster_has_one_price(tiny: Path) -> None:
    """Regression: with only ``count + under − over = requirement`` a roster could carry both an
    under and an over on one cover row, and CP-SAT reported 6,624 for an Instance7 roster the
    evaluator scores 6,018. With the shift Booleans fixed, the objective can take one value only:
    its maximum over the other variables is the evaluator's score."""
    m = build(read_instance(tiny))
    model = m.model.clone()
    for key, var in m.shifts.items():
        value = int(FEASIBLE.get(key[:2]) == key[2])
        model.add(model.get_bool_var_from_proto_index(var.index) == value)
    objective = model.proto.objective
    price = sum(
        c * model.get_int_var_from_proto_index(v)
        for v, c in zip(objective.vars, objective.coeffs, strict=True)
    )
    model.maximize(price + round(objective.offset))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    assert round(solver.objective_value) == evaluate(tiny, FEASIBLE)[0]


def _line(person: str, shifts: str) -> Roster:
    """A person's two weeks written as 14 characters, ``.`` for a day off."""
    return {(person, d): s for d, s in enumerate(shifts) if s != "."}


#: A roster of the tiny instance that meets every hard constraint (the evaluator agrees below).
FEASIBLE: Roster = {
    **_line("王芳", "EEE..EE..EEE.."),
    **_line("李强", "..EEE....EEE.."),
    **_line("张伟", "LLL..EEE..EEEE"),
}

#: The feasible roster changed by a cell or three, each breaking one hard constraint just past
#: its limit; the words are the evaluator's for that constraint.
BROKEN: dict[str, tuple[str, Roster]] = {
    "E after L": ("CannotFollow", _line("张伟", "LLL..LEE..EEEE")),
    "fixed day off 0": ("fixed day off", _line("李强", "E.EEE....EEE..")),
    "x L > 0": ("MaxShifts 0", _line("李强", "..EEL....EEE..")),
    "8 x E > 7": ("MaxShifts", _line("李强", "..EEE.E..EEE.E")),
    "2400 minutes outside 2880..4800": ("MinTotalMinutes", _line("王芳", "EEE..EE.......")),
    "5520 minutes outside 2880..5400": ("MaxTotalMinutes", _line("张伟", "LLL..EEE..ELLL")),
    "more than 3 days in a row": ("MaxConsecutiveShifts", _line("李强", "..EEEE...EEE..")),
    "2 working days from day 5 < 3": ("MinConsecutiveShifts", _line("张伟", "LLL..EE...EEEE")),
    "1 days off from day 8 < 2": ("MinConsecutiveDaysOff", _line("王芳", "EEE..EEL.EEE..")),
    "2 weekends > 1": ("MaxWeekends", _line("王芳", "EEE..EE..EEEL.")),
}


def test_each_hard_constraint_of_the_format_is_in_the_model(tiny: Path) -> None:
    m = build(read_instance(tiny))
    score, broken = evaluate(tiny, FEASIBLE)
    assert broken == []
    assert fixed_solve(m, FEASIBLE) == (True, score)
    for words, (rule, change) in BROKEN.items():
        person = next(iter(change))[0]
        roster = {k: v for k, v in FEASIBLE.items() if k[0] != person} | change
        _, broken = evaluate(tiny, roster)
        assert len(broken) == 1 and words in broken[0], (rule, broken)
        assert fixed_solve(m, roster) == (False, None), rule


def test_sizes_count_one_boolean_per_allowed_cell(tiny: Path) -> None:
    m = build(read_instance(tiny))
    # 王芳 13 days x 2 types, 李强 12 days x E only, 张伟 14 days x 2 types.
    assert len(m.shifts) == 13 * 2 + 12 + 14 * 2
    sizes = proto_sizes(m.model)
    assert sizes["booleans"] >= len(m.shifts)
    assert sizes["constraints"] == sum(v for k, v in sizes.items() if k.startswith("  "))


def _result(model: str, seed: int, checked: int | None, seconds: float = 10.0) -> Result:
    return Result(
        instance="Instance8",
        best_known=1300,
        objective=checked,
        bound=1250,
        status="FEASIBLE" if checked is not None else "UNKNOWN",
        seconds=seconds,
        seconds_to_best=1.0,
        peak_mb=100.0,
        terms={},
        checked=checked,
        model=model,
        seed=seed,
    )


def test_side_by_side_table_takes_medians_and_the_ratio() -> None:
    pair = Pair(
        "Instance8",
        1300,
        direct=[_result("direct", s, v) for s, v in ((0, 1700), (1, 1500), (2, 1600))],
        engine=[_result("engine", s, v) for s, v in ((0, 1400), (1, 1300), (2, 1350))],
    )
    table = side_by_side_table([pair], 60, "make bench")
    row = next(line for line in table.splitlines() if line.startswith("| Instance8"))
    # Medians 1,600 and 1,350; ratio 1,350 / 1,600.
    assert row == (
        "| Instance8 | 1,300 | 1,600 | 1,350 | 0.844 | 23.1% | 3.8% | 1,250 / 1,250 "
        "| 10 / 10 | 0,1,2 |"
    )
    assert "- Instance8, direct / engine by seed: seed 0: 1,700 / 1,400;" in table


def test_a_seed_without_a_roster_counts_as_the_worst() -> None:
    engine = [_result("engine", s, v) for s, v in ((0, 1400), (1, 1300), (2, 1350))]
    # One roster in three seeds: no median; two in three: the worse of the two.
    one = [_result("direct", s, v) for s, v in ((0, None), (1, None), (2, 1100))]
    two = [_result("direct", s, v) for s, v in ((0, None), (1, 1200), (2, 1100))]
    for direct, median in ((one, "–"), (two, "1,200")):
        table = side_by_side_table([Pair("Instance8", 1300, direct, engine)], 60, "make bench")
        row = next(line for line in table.splitlines() if line.startswith("| Instance8"))
        assert row.startswith(f"| Instance8 | 1,300 | {median} | 1,350 |")


def test_side_by_side_table_names_a_roster_the_evaluator_disagrees_with() -> None:
    wrong = _result("engine", 0, 1400)
    wrong.objective, wrong.violations = 1390, 2
    missing = _result("direct", 0, None)
    table = side_by_side_table([Pair("Instance8", 1300, [missing], [wrong])], 60, "make bench")
    row = next(line for line in table.splitlines() if line.startswith("| Instance8"))
    # Neither counts: no roster, and a roster breaking hard constraints.
    assert row.startswith("| Instance8 | 1,300 | – | – | – |")
    assert "engine seed 0: the solver reported 1390, the evaluator 1400 with 2 broken" in table
    assert "direct seed 0: no roster (UNKNOWN" in table


def test_side_by_side_cli_writes_both_columns(tmp_path: Path) -> None:
    folder = tmp_path / "instances"
    folder.mkdir()
    tiny_instance(folder, staff=["WangFang", "LiQiang", "ZhangWei"])
    results = tmp_path / "results.md"
    args = ["--all", "--side-by-side", "--instances", str(folder), "--time-limit", "5"]
    args += ["--workers", "1", "--results", str(results), "--solutions", str(tmp_path / "sol")]
    outcome = CliRunner().invoke(main, args)
    assert outcome.exit_code == 0, outcome.output
    row = next(line for line in results.read_text().splitlines() if line.startswith("| Inst"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[0] == "Instance99" and cells[1] == "–"
    # The tiny instance is proved optimal by both models: the same objective, ratio 1.
    assert cells[2] == cells[3] and cells[4] == "1.000"
    for model in ("direct", "engine"):
        solution = read_solution(tmp_path / "sol" / f"Instance99-{model}-seed0.csv")
        assert evaluate(folder / "Instance99.txt", solution) == (int(cells[2]), [])


def test_an_instance_without_a_roster_is_a_row_of_the_table(tmp_path: Path) -> None:
    """Neither model can meet a minimum of 99,999 minutes in two weeks: both runs are results
    with no roster, and the table says so, rather than the benchmark stopping."""
    path = tiny_instance(tmp_path, staff=["WangFang", "LiQiang", "ZhangWei"])
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("E=8|L=4,4800,2880", "E=8|L=4,4800,99999"), encoding="utf-8")
    direct = solve_direct(path, 60, workers=1, seed=0, params=DETERMINISTIC)
    engine = run_instance(path, time_limit=2, workers=1, seed=0)
    assert (direct.status, direct.objective) == ("INFEASIBLE", None)
    assert (engine.status, engine.objective) == ("NO ROSTER", None)
    table = side_by_side_table([Pair(path.stem, None, [direct], [engine])], 60, "make bench")
    assert f"| {path.stem} | – | – | – | – |" in table
    assert "- Instance99 engine seed 0: no roster (NO ROSTER" in table


SHARED = pytest.mark.skipif(
    not INSTANCE_DIR.is_dir(), reason="shared/benchmarks not beside the repo"
)


@SHARED
@pytest.mark.parametrize("number", [1, 2])
def test_published_instances_objective_equals_the_evaluator(number: int, tmp_path: Path) -> None:
    path = INSTANCE_DIR / f"Instance{number}.txt"
    out = tmp_path / "solution.csv"
    result = solve_direct(
        path, 60, workers=1, seed=0, out=out, params={"max_deterministic_time": 0.5}
    )
    assert result.objective is not None
    assert evaluate(path, read_solution(out)) == (result.objective, [])
    if number == 1:
        assert result.objective == 607 and result.status == "OPTIMAL"
