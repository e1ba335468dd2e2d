"""The summary a coordinator reads first: heading, loads and who has no duties and why."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import SMALL_PEOPLE, SMALL_YAML, write_folder

from cli import main


def _solve(folder: Path, out: Path) -> str:
    result = CliRunner().invoke(
        main,
        [
            *("solve", str(folder), "--week", "2020-W06", "--out", str(out)),
            *("--workers", "2", "--time-limit", "20"),
        ],
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_a_person_away_all_week_is_named_with_the_reason(tmp_path: Path) -> None:
    # Regression: "工时 最少 0" counted a person away all week without saying who or why.
    people = SMALL_PEOPLE.replace(
        "p13,林红,party_member,thermometer,,",
        "p13,林红,party_member,thermometer,,2020-02-01..2020-02-12 隔离观察",
    )
    folder = write_folder(tmp_path / "社区", SMALL_YAML + "weights: {fair_hours: 0}\n", people)
    output = _solve(folder, tmp_path / "out")
    assert "  无班次：林红（2020-02-01–2020-02-12 隔离观察）" in output.splitlines()
    data = json.loads((tmp_path / "out" / "schedule.json").read_text(encoding="utf-8"))
    lin = next(p for p in data["people"] if p["id"] == "p13")
    assert lin["hours"] == 0 and lin["away"] == ["2020-02-01–2020-02-12 隔离观察"]


def test_leave_in_hours_shows_its_times_and_nobody_idle_means_no_line(tmp_path: Path) -> None:
    yaml_text = SMALL_YAML + (
        "weights: {fair_hours: 0}\n"
        'leave: [{person: p04, from: "2020-02-04T18:00", to: "2020-02-05T08:00",'
        " reason: 家中有事}]\n"
    )
    folder = write_folder(tmp_path / "社区", yaml_text)
    output = _solve(folder, tmp_path / "out")
    data = json.loads((tmp_path / "out" / "schedule.json").read_text(encoding="utf-8"))
    zhao = next(p for p in data["people"] if p["id"] == "p04")
    assert zhao["away"] == ["2020-02-04 18:00–2020-02-05 08:00 家中有事"]
    idle = [p["name"] for p in data["people"] if p["hours"] == 0]
    assert ("无班次" in output) == bool(idle)
