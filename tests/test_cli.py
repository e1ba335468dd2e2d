"""The command line, driven through Click's runner: exit codes and the exact words people see."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import SMALL_YAML, write_folder

from cli import main


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """The small Chinese roster without the fairness term, so every solve here proves optimal
    in a fraction of a second (fairness has tests of its own)."""
    return write_folder(tmp_path / "社区", SMALL_YAML + "weights: {fair_hours: 0}\n")


def solved(folder: Path, out: Path, *extra: str) -> Result:
    result = run(
        "solve",
        folder,
        "--week",
        "2020-W06",
        "--out",
        out,
        "--workers",
        "2",
        "--repeatable",
        "--work-units",
        "20",
        *extra,
    )
    assert result.exit_code == 0, result.output
    return result


def test_help_and_version() -> None:
    for flag in ("-h", "--help"):
        result = run(flag)
        assert result.exit_code == 0
        assert "roster solve mycommunity --week 2020-W06" in result.output
    for command in ("init", "validate", "solve", "show", "check"):
        result = run(command, "-h")
        assert result.exit_code == 0
        assert "Example:" in result.output, command
    version = run("--version")
    assert version.exit_code == 0
    assert version.output.startswith("roster, version ")


def test_solve_writes_the_three_files_and_a_summary(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = solved(small, out)
    # The last day of the week, not the exclusive end (regression: it showed 2020-02-10).
    assert "测试社区  2020-02-03 – 2020-02-09" in result.output
    assert "求解状态: OPTIMAL" in result.output
    assert "缺员: 无" in result.output
    data = json.loads((out / "schedule.json").read_text(encoding="utf-8"))
    assert data["format"] == "dutyroster.schedule/1"
    assert data["roster"] == "测试社区"
    assert data["solver"]["workers"] == 2 and data["solver"]["seed"] == 0
    assert data["solver"]["mode"] == "repeatable" and data["solver"]["interrupted"] is False
    assert data["slots"][0]["id"] == "gate-temp/2020-02-03T00:00"
    csv_text = (out / "roster.csv").read_text(encoding="utf-8")
    # Headings in the roster's language, times as spreadsheets read them, ids kept.
    assert csv_text.startswith("\ufeff日期,开始,结束,岗位编号,岗位,人员编号,姓名,班次编号,缺员\n")
    assert "\n2020-02-03,2020-02-03 00:00,2020-02-03 06:00,gate-temp,体温检测岗," in csv_text
    assert (out / "roster.md").read_text(encoding="utf-8").startswith("# 测试社区\n")


def test_solve_by_wall_clock_says_so(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("solve", small, "--week", "2020-W06", "--out", out, "--time-limit", "20")
    assert result.exit_code == 0, result.output
    data = json.loads((out / "schedule.json").read_text(encoding="utf-8"))
    # Small enough to be proven optimal long before the limit, whatever the machine's load.
    assert data["solver"]["status"] == "OPTIMAL"
    assert data["solver"]["mode"] == "wall" and data["solver"]["interrupted"] is False


def test_time_limit_and_work_units_belong_to_their_modes(small: Path) -> None:
    # Click's usage error (exit 2, its "Usage:" and "Error:" in English), our sentence in the
    # message language: the roster's Chinese, or English with --lang en.
    result = run("solve", small, "--week", "W6", "--repeatable", "--time-limit", "5")
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: --time-limit 是默认搜索的秒数；用 --repeatable 时请改给 --work-units\n"
    )
    result = run(
        "--lang", "en", "solve", small, "--week", "W6", "--repeatable", "--time-limit", "5"
    )
    assert result.exit_code == 2
    assert "--time-limit is seconds of the default search; with --repeatable give --work-units" in (
        result.output
    )
    result = run("solve", small, "--week", "W6", "--work-units", "5")
    assert result.exit_code == 2
    assert "--work-units 限制的是 --repeatable 的搜索；请加上 --repeatable" in result.output
    result = run("--lang", "en", "solve", small, "--week", "W6", "--work-units", "5")
    assert result.exit_code == 2
    assert "--work-units limits the --repeatable search; add --repeatable" in result.output


def test_param_usage_errors_in_the_message_language(small: Path) -> None:
    result = run("solve", small, "--week", "W6", "--param", "linearization_level")
    assert result.exit_code == 2
    assert result.output.endswith("'linearization_level'：请写成 KEY=VALUE\n")
    result = run("solve", small, "--week", "W6", "--param", "x={a: 1}")
    assert result.exit_code == 2
    assert "'x={a: 1}'：只能是单个值或 [列表]，例如 ignore_subsolvers=[core, no_lp]" in (
        result.output
    )


def test_param_names_a_cp_sat_parameter(small: Path, tmp_path: Path, english: None) -> None:
    result = run("solve", small, "--week", "W6", "--param", "no_such_thing=1")
    assert result.exit_code == 1
    assert result.output == (
        "Error: --param no_such_thing=1: CP-SAT has no parameter 'no_such_thing'; see "
        "sat_parameters.proto in OR-Tools for their names\n"
    )
    result = run("solve", small, "--week", "W6", "--param", "num_workers=many")
    assert result.output == "Error: --param num_workers=many: num_workers takes a whole number\n"
    result = run("solve", small, "--week", "W6", "--param", "linearization_level")
    assert result.exit_code == 2 and "write KEY=VALUE" in result.output
    solved(
        small,
        tmp_path / "out",
        "--param",
        "linearization_level=2",
        "--param",
        "log_search_progress=false",
    )


def test_solve_json_for_scripts(small: Path, tmp_path: Path) -> None:
    result = solved(small, tmp_path / "out", "--format", "json")
    assert json.loads(result.stdout)["solver"]["status"] == "OPTIMAL"


def test_same_seed_and_workers_give_the_same_schedule(small: Path, tmp_path: Path) -> None:
    solved(small, tmp_path / "a")
    solved(small, tmp_path / "b")

    def slots(folder: Path) -> object:
        return json.loads((folder / "schedule.json").read_text(encoding="utf-8"))["slots"]

    assert slots(tmp_path / "a") == slots(tmp_path / "b")


def test_check_accepts_a_solved_schedule_and_agrees_on_the_penalty(
    small: Path, tmp_path: Path
) -> None:
    solved(small, tmp_path / "out")
    result = run("--lang", "en", "check", small, tmp_path / "out" / "schedule.json")
    assert result.exit_code == 0, result.output
    schedule = json.loads((tmp_path / "out" / "schedule.json").read_text(encoding="utf-8"))
    penalty = schedule["solver"]["objective"]
    assert result.output.endswith(f"no violations; penalty {penalty} (schedule says {penalty})\n")


def test_check_finds_a_hand_edit_that_breaks_a_rule(
    small: Path, tmp_path: Path, english: None
) -> None:
    solved(small, tmp_path / "out")
    path = tmp_path / "out" / "schedule.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    duty = next(s for s in data["slots"] if s["id"] == "duty/2020-02-05T08:00")
    duty["assigned"] = ["p02"]  # 李明 is on sick leave on the 5th
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run("check", small, path)
    assert result.exit_code == 1
    assert "unavailable: duty/2020-02-05T08:00: 李明 (p02) on leave (病假)" in result.output


def test_show_filters_by_person_and_day(small: Path, tmp_path: Path) -> None:
    solved(small, tmp_path / "out")
    path = tmp_path / "out" / "schedule.json"
    day = run("show", path, "--day", "2020-02-03")
    assert day.exit_code == 0
    lines = day.output.splitlines()
    assert lines[0].split() == ["日期", "时间", "岗位", "人员"]
    assert len(lines) == 2 + 5
    assert all("2020-02-03" in line for line in lines[2:])
    person = run("show", path, "--person", "p01", "--format", "csv")
    rows = person.output.splitlines()[1:]
    assert rows and all(",p01,杨金花," in row for row in rows)


def test_table_columns_line_up_with_chinese_names(small: Path, tmp_path: Path) -> None:
    from roster.render import width

    solved(small, tmp_path / "out")
    output = run("show", tmp_path / "out" / "schedule.json", "--day", "2020-02-04").output
    lines = output.splitlines()
    header, rule = lines[0], lines[1]
    starts = [i for i, ch in enumerate(rule) if ch == "-" and (i == 0 or rule[i - 1] == " ")]
    for line in lines[2:]:
        # The display column where the post name starts is the same on every row.
        cells = line.split("  ")
        cells = [c for c in cells if c]
        assert width(cells[0]) <= starts[1]
    assert width(header.split("  ")[0]) <= starts[1]


def test_show_unknown_person(small: Path, tmp_path: Path) -> None:
    solved(small, tmp_path / "out")
    path = tmp_path / "out" / "schedule.json"
    result = run("--lang", "en", "show", path, "--person", "p99")
    assert result.exit_code == 1
    assert result.output == f"Error: {path}: no person with id 'p99'\n"


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "bad", SMALL_YAML.replace('end: "00:00"', 'end: "25:00"'))
    result = run("--lang", "en", "solve", folder, "--week", "2020-W06")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {folder / 'roster.yaml'}: posts[1].shifts[2].end: 25:00 is not a time of day; "
        "use 00:00 to 23:59 (24:00 is 00:00)\n"
    )
    assert "Traceback" not in result.output


def test_bad_week(small: Path) -> None:
    result = run("--lang", "en", "solve", small, "--week", "W6")
    assert result.exit_code == 1
    assert result.output == "Error: --week 'W6' is not an ISO week; write it like 2020-W06\n"


def test_missing_schedule_file(small: Path, tmp_path: Path) -> None:
    path = tmp_path / "none.json"
    result = run("--lang", "en", "check", small, path)
    assert result.exit_code == 1
    assert result.output == f"Error: {path}: no such file; run `roster solve` first\n"


def test_validate(small: Path) -> None:
    result = run("validate", small, "--week", "2020-W06", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["people"], data["posts"], data["slots"]) == (13, 2, 35)


def test_init_refuses_a_folder_in_use(small: Path) -> None:
    result = run("--lang", "en", "init", small)
    assert result.exit_code == 1
    assert result.output == f"Error: {small}: the folder is not empty; choose a new folder\n"


def test_init_writes_a_folder_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "新社区"
    result = run("init", target, "--example", "clinic")
    assert result.exit_code == 0, result.output
    assert (target / "roster.yaml").is_file()
    assert run("validate", target).exit_code == 0
