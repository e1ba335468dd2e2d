"""Shared fixtures: a small Chinese roster folder written fresh for each test."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

# The store's backends: a SQLite file, and a real PostgreSQL server started for the run.
from pgserver import postgres_server, store_url  # noqa: F401

from cli import main

#: A gate with a temperature post around the clock and a 24-hour duty turn, in the words of the
#: reference community; small enough to solve to optimality in well under a second.
SMALL_YAML = """\
name: 测试社区
timezone: Asia/Shanghai
coordinator: {name: 王书记, phone: "13800000000"}
tags: {committee: 两委委员, party_member: 党员, volunteer: 志愿者, senior: 老年志愿者}
skills: {thermometer: 测温}
rules:
  max_shifts_per_day: 2
  max_hours_per_week: 56
rules_by_tag:
  senior: {no_nights: true}
posts:
  - id: duty
    name: 24小时值班
    location: 社区居委会
    shifts: [{start: "08:00", hours: 24}]
    tags: [committee]
  - id: gate-temp
    name: 体温检测岗
    location: 东门
    shifts:
      - {start: "06:00", end: "12:00"}
      - {start: "12:00", end: "18:00"}
      - {start: "18:00", end: "00:00"}
      - {start: "00:00", end: "06:00"}
    headcount: {min: 2}
    skills: [thermometer]
    quotas: [{tag: party_member, min: 1}]
"""

SMALL_PEOPLE = """\
id,name,tags,skills,phone,unavailable
p01,杨金花,committee;party_member,thermometer,13800000001,
p02,李明,committee,,13800000002,2020-02-05..2020-02-06 病假
p03,王芳,committee;party_member,thermometer,,
p04,赵强,party_member,thermometer,,
p05,刘洋,volunteer,thermometer,,
p06,陈静,volunteer;party_member,thermometer,,
p07,周杰,volunteer,thermometer,,
p08,吴敏,party_member,thermometer,,
p09,郑浩,volunteer;senior,thermometer,,
p10,孙丽,party_member,thermometer,,
p11,马超,committee;party_member,thermometer,,
p12,胡军,volunteer,thermometer,,
p13,林红,party_member,thermometer,,
"""


def write_folder(
    path: Path,
    yaml_text: str = SMALL_YAML,
    people: str | None = SMALL_PEOPLE,
    people_name: str = "people.csv",
) -> Path:
    """Write a roster folder (roster.yaml and, unless None, a people file) and return it."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "roster.yaml").write_text(yaml_text, encoding="utf-8")
    if people is not None:
        (path / people_name).write_text(people, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _message_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages follow --lang and the roster alone, whatever the machine's settings: no
    ROSTER_LANG, and a locale that names no language (roster/i18n.py has the order)."""
    monkeypatch.delenv("ROSTER_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English, as ROSTER_LANG=en gives them (for tests of English wording on the
    Chinese test roster)."""
    monkeypatch.setenv("ROSTER_LANG", "en")


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """The small Chinese roster folder."""
    return write_folder(tmp_path / "社区")


@pytest.fixture(scope="module")
def solved_week(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The small Chinese roster (no fairness term, so the solve proves optimal at once) and its
    solved 2020-W06 (repeatable, 2 workers), made once for each module that asks for it; returns
    the folder and the schedule.json. Tests copy what they change."""
    base = tmp_path_factory.mktemp("solved")
    folder = write_folder(base / "社区", SMALL_YAML + "weights: {fair_hours: 0}\n")
    out = base / "solved"
    args = [
        "solve", folder, "--week", "2020-W06", "--out", out, "--workers", "2",
        "--repeatable", "--work-units", "20",
    ]  # fmt: skip
    result = CliRunner().invoke(main, [str(a) for a in args], env={"ROSTER_DB": None})
    assert result.exit_code == 0, result.output
    return folder, out / "schedule.json"


@pytest.fixture
def week(solved_week: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """The roster folder and a copy of its solved week of this test's own."""
    folder, schedule = solved_week
    mine = tmp_path / "out" / "schedule.json"
    mine.parent.mkdir()
    shutil.copyfile(schedule, mine)
    return folder, mine


def edited(path: Path, name: str, change: Any) -> Path:
    """A copy of the schedule at ``path`` beside it, changed by ``change(data)``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    target = path.parent / name
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


def swap_people(a: str, b: str) -> Any:
    """Every duty of ``a`` to ``b`` and the other way round: two people of the same tags and
    skills, so no hard rule can break."""

    def change(data: dict[str, Any]) -> None:
        swap = {a: b, b: a}
        for slot in data["slots"]:
            slot["assigned"] = [swap.get(p, p) for p in slot["assigned"]]

    return change


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--rule",
        action="append",
        default=[],
        metavar="ID",
        help="run only the tests of this rule (marked @pytest.mark.rule(ID)); may be repeated",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "rule(*ids): the test is about these rules (ids as in docs/rules.md)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    wanted = set(config.getoption("--rule"))
    if not wanted:
        return
    keep, drop = [], []
    for item in items:
        ids = {i for mark in item.iter_markers("rule") for i in mark.args}
        (keep if ids & wanted else drop).append(item)
    config.hook.pytest_deselected(items=drop)
    items[:] = keep
