"""`roster solve` and `roster check` with published schedules before the period (--history)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from conftest import SMALL_YAML, write_folder

from cli import main

#: The chair is on Sunday's 24-hour turn in week 6, and pinned to Monday noon's gate in week 7:
#: 4 hours after the turn, which earns 24 hours' rest.
PINNED = (
    SMALL_YAML
    + """weights: {fair_hours: 0}
pins:
  - {person: p01, slot: "duty/2020-02-09T08:00"}
  - {person: p01, slot: "gate-temp/2020-02-10T12:00"}
"""
)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def solve(folder: Path, week: str, out: Path, *extra: str | Path) -> Result:
    return run(
        "solve",
        folder,
        "--week",
        week,
        "--out",
        out,
        "--workers",
        "2",
        "--time-limit",
        "10",
        *extra,
    )


def test_check_names_the_border_and_solve_refuses_the_pin(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "社区", PINNED)
    week6, week7 = tmp_path / "w06", tmp_path / "w07"
    assert solve(folder, "2020-W06", week6).exit_code == 0
    alone = solve(folder, "2020-W07", week7)
    assert alone.exit_code == 0, alone.output
    checked = run("check", folder, week7 / "schedule.json", "--history", week6 / "schedule.json")
    assert checked.exit_code == 1
    assert checked.stdout.splitlines()[0] == (
        "rest：杨金花 (p01)：duty/2020-02-09T08:00（已发布）与 gate-temp/2020-02-10T12:00 之间只隔 "
        "4 小时，需要 24 小时（跨越与已发布的 2020-W06 的衔接）"
    )
    english = run(
        "--lang", "en", "check", folder, week7 / "schedule.json", "--history",
        week6 / "schedule.json",
    )  # fmt: skip
    assert english.stdout.splitlines()[0] == (
        "rest: 杨金花 (p01): 4 h between duty/2020-02-09T08:00 (published) and "
        "gate-temp/2020-02-10T12:00, needs 24 h (across the border with 2020-W06)"
    )
    as_json = run(
        "check",
        folder,
        week7 / "schedule.json",
        "--history",
        week6 / "schedule.json",
        "--format",
        "json",
    )
    violations = json.loads(as_json.stdout)["violations"]
    # The week alone also put someone from Sunday's evening gate on Monday's 06:00 gate.
    assert {v.get("border") for v in violations} == {"2020-W06"}
    assert violations[0]["text"].startswith("杨金花 (p01)：duty/2020-02-09T08:00（已发布）")
    # Without the history the week alone keeps every rule.
    assert run("check", folder, week7 / "schedule.json").exit_code == 0
    refused = solve(folder, "2020-W07", tmp_path / "again", "--history", week6 / "schedule.json")
    assert refused.exit_code == 1
    assert (
        "  - 杨金花 (p01)上完已发布的2020-W06的24小时值班 2020-02-09 08:00后，"
        "须休息到2020-02-11 08:00" in refused.stderr.splitlines()
    )


def test_solve_with_history_keeps_the_rest(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "社区", SMALL_YAML + "weights: {fair_hours: 0}\n")
    week6, week7 = tmp_path / "w06", tmp_path / "w07"
    assert solve(folder, "2020-W06", week6).exit_code == 0
    result = solve(folder, "2020-W07", week7, "--history", week6 / "schedule.json")
    assert result.exit_code == 0, result.output
    assert "滚动窗口 2020-01-20 – 2020-02-16" in result.stdout
    checked = run("check", folder, week7 / "schedule.json", "--history", week6 / "schedule.json")
    assert checked.exit_code == 0, checked.output
    schedule = json.loads((week7 / "schedule.json").read_text(encoding="utf-8"))
    assert schedule["window"]["published"] == ["2020-W06"]


def test_a_person_gone_since_is_left_out_with_a_warning(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "社区", SMALL_YAML + "weights: {fair_hours: 0}\n")
    week6 = tmp_path / "w06"
    assert solve(folder, "2020-W06", week6).exit_code == 0
    schedule = json.loads((week6 / "schedule.json").read_text(encoding="utf-8"))
    worked = {p for s in schedule["slots"] for p in s["assigned"]}
    # 周杰 (p07), a volunteer, leaves after week 6.
    assert "p07" in worked
    people = (folder / "people.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = "".join(line for line in people if not line.startswith("p07,"))
    (folder / "people.csv").write_text(kept, encoding="utf-8")
    result = solve(folder, "2020-W07", tmp_path / "w07", "--history", week6 / "schedule.json")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == "2020-W06：p07 已不在名单中，其已发布的班次不计入历史"
