"""The reference community end to end: the full example, and the same with a third of its people."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "xingwang"


def third_of_the_people(target: Path) -> Path:
    """A copy of the reference community keeping every third person (and the pinned secretary)."""
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".feeds-*"))
    lines = (EXAMPLE / "people.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for i, line in enumerate(lines[1:]) if i % 3 == 0]
    (target / "people.csv").write_text(lines[0] + "".join(kept), encoding="utf-8")
    yaml_text = (target / "roster.yaml").read_text(encoding="utf-8")
    people = {line.split(",")[0] for line in kept}
    # Requests of people who are gone would be errors in the folder: keep only those of people kept.
    kept_lines = [
        line
        for line in yaml_text.splitlines(keepends=True)
        if "{person: p" not in line or line.split("{person: ")[1].split(",")[0] in people
    ]
    (target / "roster.yaml").write_text("".join(kept_lines), encoding="utf-8")
    return target


def test_a_third_of_the_people_still_gives_a_roster_with_every_shortage_explained(
    tmp_path: Path,
) -> None:
    folder = third_of_the_people(tmp_path / "兴旺社区")
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "solve",
            str(folder),
            "--week",
            "2020-W06",
            "--out",
            str(out),
            "--workers",
            "2",
            "--repeatable",
            "--work-units",
            "3",
        ],
    )
    assert result.exit_code == 0, result.output
    schedule = json.loads((out / "schedule.json").read_text(encoding="utf-8"))
    short = [s for s in schedule["slots"] if s["shortage"]]
    assert short, "a third of the people cannot fill the week"
    assert {s["slot"] for s in schedule["shortages"]} == {s["id"] for s in short}
    for item in schedule["shortages"]:
        assert item["missing"] > 0 and item["reasons"] and item["text"].startswith("缺")
    # People are advised only for what is proven unfillable; what is not, more time may fill.
    assert schedule["hints"]
    if schedule["solver"]["shortage_proven"]:
        assert "即可排满" in schedule["hints"][0]
    else:
        proven = schedule["solver"]["shortage_bound"]
        assert f"已证实至少缺{proven}个名额，须增加人员" in schedule["hints"][0]
        assert "加长求解时间（--time-limit）" in schedule["hints"][0]
    assert schedule["hints"][0] in result.output
    checked = runner.invoke(
        main, ["--lang", "en", "check", str(folder), str(out / "schedule.json")]
    )
    assert checked.exit_code == 0, checked.output
    assert "no violations" in checked.output


def test_the_example_week_keeps_every_rule_and_the_solver_agrees_with_the_checker() -> None:
    from roster.check import check
    from roster.load import load_roster
    from roster.slots import expand, make_period
    from solver.solve import SolveOptions, build_model, run

    roster = load_roster(EXAMPLE)
    period = make_period(roster.config.timezone, "2020-W06", None, None)
    slots = expand(roster.config, period)
    m, _ = build_model(roster, period, slots, strict=False)
    solver, status = run(m, SolveOptions(repeatable=True, work_units=3, seed=0), 2)
    assert solver.status_name(status) in ("OPTIMAL", "FEASIBLE")
    report = check(roster, period, slots, m.extract(solver))
    assert report.violations == []
    assert report.terms["shortage"] == 0
    # An unfinished search may leave slack in the solver's objective, never below the roster's.
    assert report.penalty <= round(solver.objective_value)
    if solver.status_name(status) == "OPTIMAL":
        assert report.penalty == round(solver.objective_value)
