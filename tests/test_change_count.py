"""One unit for a change: repair, publish, history and diff count the same repair as the same
number of shifts changed and people affected, in the same words, in Chinese and in English."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cli import main

NOW = "2020-02-06T07:00"


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args], env={"ROSTER_DB": None})
    assert result.exit_code == 0, result.output
    return result


def places_changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[int, int]:
    """Counted here from the two files: per slot, as many places changed as the larger of who
    left and who took it; the people are everyone who left or took one."""
    shifts, people = 0, set()
    for old, new in zip(before["slots"], after["slots"], strict=True):
        left = set(old["assigned"]) - set(new["assigned"])
        took = set(new["assigned"]) - set(old["assigned"])
        shifts += max(len(left), len(took))
        people |= left | took
    return shifts, len(people)


@pytest.fixture
def walked(week: tuple[Path, Path], tmp_path: Path) -> dict[str, Any]:
    """The coordinator's week on the small roster: version 1 published, a gate worker falls ill
    on Thursday morning, the repair (repeatable, 2 workers, seed 0) published as version 2."""
    folder, schedule = week
    mine = tmp_path / "社区"
    shutil.copytree(folder, mine)
    db = tmp_path / "roster.db"
    run("publish", mine, schedule, "-m", "第一版", "--by", "王书记", "--db", db, "--no-feeds")
    base = json.loads(schedule.read_text(encoding="utf-8"))
    ill = next(
        p
        for s in base["slots"]
        if s["post"] == "gate-temp" and s["start"][:16] >= "2020-02-06T08:00"
        for p in s["assigned"]
    )
    out = tmp_path / "repaired"
    repair = [
        "repair", mine, "--week", "2020-W06", "--now", NOW,
        "--leave", f"{ill}:2020-02-06..2020-02-08:发热", "--out", out,
        "--workers", "2", "--seed", "0", "--repeatable", "--db", db,
    ]  # fmt: skip
    repaired = run(*repair)
    after = json.loads((out / "schedule.json").read_text(encoding="utf-8"))
    return {
        "folder": mine,
        "db": db,
        "repair_args": repair,
        "repair": repaired.output,
        "counts": places_changed(base, after),
        "schedule": out / "schedule.json",
    }


def test_every_command_counts_a_repair_in_shifts_changed_and_people_affected(
    walked: dict[str, Any],
) -> None:
    folder, db = walked["folder"], walked["db"]
    shifts, people = walked["counts"]
    assert shifts > 0
    words = f"改动 {shifts} 个班次，涉及 {people} 人"
    repair = walked["repair"].splitlines()
    assert repair[0].startswith("保留 2020-02-06 07:00 之前的 ")
    assert f"；{words}；改动代价 " in repair[0]
    assert repair[1] == f"测试社区 2020-W06 第1版 → 修复后：{words}"
    # Not published by the repair: it says so, and how (the notices above wait for it).
    assert repair[-1] == (
        f"尚未发布：核对无误后，`roster publish {folder} {walked['schedule']} --db {db}` "
        "会把它记为第 2 版"
        "（或在 repair 时加 --publish）"
    )
    published = run(
        "publish", folder, walked["schedule"], "-m", "修复", "--by", "王书记", "--db", db,
        "--no-feeds",
    ).output.splitlines()  # fmt: skip
    # The store is not the folder's own: the suggested commands name it.
    assert published[1] == f"{words}（明细见 roster diff {folder} 1 2 --week 2020-W06 --db {db}）"
    history = run("history", folder, "--week", "2020-W06", "--db", db).output.splitlines()
    assert history[3].split()[:3] == ["2020-W06", "2", "1"]
    assert history[3].endswith(f"  {words}  修复")
    diff = run("diff", folder, "1", "2", "--week", "2020-W06", "--db", db).output.splitlines()
    assert diff[0] == f"测试社区 2020-W06 第1版 → 第2版：{words}"
    # The same in English (the diff is the roster's words, Chinese whatever the messages are).
    english = "shift changed" if shifts == 1 else "shifts changed"
    english_people = "person affected" if people == 1 else "people affected"
    words_en = f"{shifts} {english}, {people} {english_people}"
    history_en = run("--lang", "en", "history", folder, "--week", "2020-W06", "--db", db)
    assert history_en.output.splitlines()[3].endswith(f"  {words_en}  修复")
    diff_en = run("--lang", "en", "diff", folder, "1", "2", "--week", "2020-W06", "--db", db)
    assert diff_en.output.splitlines()[0] == diff[0]
    # A repair of version 2 with nothing new to it changes nothing, and says so in the same words.
    again = run(
        "repair", folder, "--week", "2020-W06", "--now", NOW, "--out", walked["schedule"].parent,
        "--workers", "2", "--repeatable", "--db", db,
    ).output.splitlines()  # fmt: skip
    assert "；没有改动班次；改动代价 0（已证明最少）" in again[0]
    assert again[1] == "测试社区 2020-W06 第2版 → 修复后：没有改动班次"
    assert again[-1] == "没有改动，无需发布"


def test_every_commands_json_carries_the_same_two_counts(walked: dict[str, Any]) -> None:
    folder, db = walked["folder"], walked["db"]
    counts = walked["counts"]
    # The same repair again (the leave is in roster.yaml already; version 1 is still the latest).
    again = json.loads(run(*walked["repair_args"], "--format", "json").output)
    assert (again["shifts_changed"], again["people_affected"]) == counts
    assert (again["diff"]["shifts_changed"], again["diff"]["people_affected"]) == counts
    # The repair's own count of duties people gain is kept as it was.
    assert again["changes"] == sum(1 for c in again["diff"]["shifts"] if c["took"])
    published = json.loads(
        run(
            "publish", folder, walked["schedule"], "--db", db, "--no-feeds", "--format", "json"
        ).output
    )
    changes = published["changes"]
    assert (changes["shifts_changed"], changes["people_affected"]) == counts
    [_, row] = json.loads(run("history", folder, "--db", db, "--format", "json").output)
    assert (row["shifts_changed"], row["people_affected"]) == counts
    assert row["changed_assignments"] == changes["assignments_changed"]
    diff = json.loads(
        run("diff", folder, "1", "2", "--week", "2020-W06", "--db", db, "--format", "json").output
    )
    assert (diff["shifts_changed"], diff["people_affected"]) == counts
    assert diff["shifts"] == changes["shifts"] == again["diff"]["shifts"]
    # Each place names who left it and who took it.
    left = {c["left"] for c in diff["shifts"]} - {None}
    took = {c["took"] for c in diff["shifts"]} - {None}
    assert len(left | took) == counts[1]


def test_a_suggested_command_names_the_store_only_when_it_must(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cli import _db_args

    folder = tmp_path / "社区"
    monkeypatch.delenv("ROSTER_DB", raising=False)
    # The folder's own store needs no --db, however it was named; another file does, as given
    # and quoted for the shell.
    assert _db_args(None, folder) == ""
    assert _db_args(str(folder / "roster.db"), folder) == ""
    assert _db_args(str(folder / "." / "roster.db"), folder) == ""
    other = tmp_path / "共享 库.db"
    assert _db_args(str(other), folder) == f" --db '{other}'"
    # The store $ROSTER_DB names is the shell's already; with it set, the folder's own store
    # is no longer what a command without --db opens.
    monkeypatch.setenv("ROSTER_DB", str(other))
    assert _db_args(str(other), folder) == ""
    assert _db_args(str(folder / "roster.db"), folder) == f" --db '{folder / 'roster.db'}'"
    # A PostgreSQL URL keeps its scheme and loses its password, for the user to fill in.
    url = "postgresql://coordinator:secret@db.example/roster"
    assert _db_args(url, folder) == " --db 'postgresql://coordinator:***@db.example/roster'"
    assert _db_args("postgresql://db.example/roster", folder) == (
        " --db postgresql://db.example/roster"
    )
    monkeypatch.setenv("ROSTER_DB", url)
    assert _db_args(url, folder) == ""
