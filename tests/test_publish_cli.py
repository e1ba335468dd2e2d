"""`roster publish`, `roster history` and `roster diff` through Click's runner, on both backends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import edited, swap_people

from cli import main
from store import open_store

# Messages in English (ROSTER_LANG=en), to test their wording; tests/test_command_messages.py has
# them in Chinese. A diff's text stays in the roster's language (zh) either way.
pytestmark = pytest.mark.usefixtures("english")

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], env={"ROSTER_DB": None})


def duties(path: Path, person: str) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [s["id"] for s in data["slots"] if person in s["assigned"]]


def location(store_url: str) -> str:
    with open_store(store_url) as store:
        return store.location


# --- publish ------------------------------------------------------------------------------------


def test_publish_records_the_first_version_and_writes_the_feeds(
    week: tuple[Path, Path], store_url: str
) -> None:
    folder, schedule = week
    before = sorted(p.name for p in folder.iterdir())
    result = run("publish", folder, schedule, "-m", "第一版", "--by", "王书记", "--db", store_url)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"Published 测试社区 2020-W06 version 1 by 王书记 → {location(store_url)}",
        f"Feeds of 13 people → {schedule.parent / 'feeds'}/",
    ]
    assert (schedule.parent / "feeds" / "index.json").is_file()
    # The folder keeps only what it had (the feeds' secret is the feeds' own business).
    assert [n for n in sorted(p.name for p in folder.iterdir()) if n != ".feeds-secret"] == [
        n for n in before if n != ".feeds-secret"
    ]
    with open_store(store_url) as store:
        [version] = store.versions("测试社区")
    assert (version.number, version.parent, version.author, version.message) == (
        1,
        None,
        "王书记",
        "第一版",
    )
    assert version.schedule.to_json() == schedule.read_text(encoding="utf-8")
    assert len(version.inputs_digest) == 64


def test_publishing_the_same_duties_again_records_nothing(
    week: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, schedule = week
    db = tmp_path / "roster.db"
    assert run("publish", folder, schedule, "--db", db, "--no-feeds").exit_code == 0
    again = run("publish", folder, schedule, "--db", db, "--by", "李明", "--format", "json")
    assert again.exit_code == 0, again.output
    data = json.loads(again.output)
    assert (data["published"], data["version"], data["feeds"]) == (
        False,
        1,
        str(schedule.parent / "feeds"),
    )
    with open_store(db) as store:
        assert len(store.versions("测试社区")) == 1


def test_publish_history_and_diff_of_a_second_version(
    week: tuple[Path, Path], store_url: str
) -> None:
    folder, schedule = week
    run("publish", folder, schedule, "-m", "第一版", "--by", "王书记", "--db", store_url)
    swapped = edited(schedule, "swapped.json", swap_people("p04", "p08"))
    result = run(
        "publish", folder, swapped, "-m", "赵强与吴敏对调", "--by", "王芳", "--db", store_url,
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["published"], data["version"], data["parent"], data["author"]) == (
        True,
        2,
        1,
        "王芳",
    )
    assert data["period"]["label"] == "2020-W06"
    changed = {p["id"] for p in data["changes"]["people"]}
    assert changed == {"p04", "p08"}
    moved = len(duties(schedule, "p04")) + len(duties(schedule, "p08"))
    assert data["changes"]["assignments_changed"] == 2 * moved
    # Each of their duties is a place that changed hands: one shift changed each.
    assert (data["changes"]["shifts_changed"], data["changes"]["people_affected"]) == (moved, 2)

    listed = run("history", folder, "--db", store_url, "--format", "json")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert [(r["version"], r["parent"], r["author"], r["message"]) for r in rows] == [
        (1, None, "王书记", "第一版"),
        (2, 1, "王芳", "赵强与吴敏对调"),
    ]
    assert (rows[1]["changed_people"], rows[1]["changed_assignments"]) == (2, 2 * moved)
    assert (rows[1]["shifts_changed"], rows[1]["people_affected"]) == (moved, 2)
    assert (rows[1]["penalty"], rows[1]["shortages"]) == (0, 0)
    # The table is a message: English here (ROSTER_LANG=en), Chinese with --lang zh; each
    # version's own message is shown as it was recorded.
    english = run("history", folder, "--week", "2020-W06", "--db", store_url)
    assert english.exit_code == 0, english.output
    assert english.output.splitlines()[0].split() == [
        "Period", "Version", "Parent", "Published", "By", "Penalty", "Short", "Changes", "Message",
    ]  # fmt: skip
    assert english.output.splitlines()[3].endswith(
        f"{moved} shifts changed, 2 people affected  赵强与吴敏对调"
    )
    table = run("--lang", "zh", "history", folder, "--week", "2020-W06", "--db", store_url)
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[0].split() == [
        "周期", "版本", "上一版", "发布时间", "发布人", "罚分", "缺员", "变动", "说明",
    ]  # fmt: skip
    assert lines[3].split()[:3] == ["2020-W06", "2", "1"]
    assert lines[3].endswith(f"王芳    0     0     改动 {moved} 个班次，涉及 2 人  赵强与吴敏对调")

    text = run("diff", folder, "1", "2", "--week", "2020-W06", "--db", store_url)
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    assert lines[0] == f"测试社区 2020-W06 第1版 → 第2版：改动 {moved} 个班次，涉及 2 人"
    assert lines[1].startswith("赵强：") and lines[2].startswith("吴敏：")
    first = duties(schedule, "p04")[0]
    assert f"2月{int(first[-8:-6])}日" in lines[1]
    as_json = json.loads(
        run(
            "diff", folder, "1", "2", "--week", "2020-W06", "--db", store_url, "--format", "json"
        ).output
    )
    assert [p["text"] for p in as_json["people"]] == lines[1:]
    assert (as_json["old"], as_json["new"]) == ("第1版", "第2版")


def test_diff_of_a_draft_against_the_published_version(
    week: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, schedule = week
    db = tmp_path / "roster.db"
    run("publish", folder, schedule, "--db", db, "--no-feeds")
    slot = duties(schedule, "p13")[0]

    def drop(data: dict[str, Any]) -> None:
        for item in data["slots"]:
            if item["id"] == slot:
                item["assigned"].remove("p13")

    draft = edited(schedule, "draft.json", drop)
    result = run("diff", folder, "1", draft, "--db", db)
    assert result.exit_code == 0, result.output
    day = int(slot[-8:-6])
    hours = {"00:00": "00:00–06:00", "06:00": "06:00–12:00", "12:00": "12:00–18:00"}.get(
        slot[-5:], "18:00–00:00 (+1)"
    )
    assert result.output == (
        f"测试社区 2020-W06 第1版 → {draft}：改动 1 个班次，涉及 1 人\n"
        f"林红：2月{day}日 {hours} 体温检测岗 → 取消\n"
    )
    # Two files need no store at all.
    files = run("diff", folder, draft, schedule)
    assert files.exit_code == 0, files.output
    assert files.output.splitlines()[1] == f"林红：新增 2月{day}日 {hours} 体温检测岗"


def test_publish_refuses_a_schedule_that_breaks_a_hard_rule(
    week: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, schedule = week

    def sick_duty(data: dict[str, Any]) -> None:
        for item in data["slots"]:
            if item["id"] == "duty/2020-02-05T08:00":
                item["assigned"] = ["p02"]  # 李明 is on sick leave on the 5th

    broken = edited(schedule, "broken.json", sick_duty)
    db = tmp_path / "roster.db"
    result = run("publish", folder, broken, "--db", db)
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: {broken} breaks a hard rule of {folder}: unavailable: "
        "duty/2020-02-05T08:00: 李明 (p02) on leave (病假)"
    )
    assert result.output.endswith("; nothing was published\n")
    assert len(result.output.splitlines()) == 1
    assert run("history", folder, "--db", db).output == "测试社区: nothing published yet\n"


def test_publish_refuses_another_community_s_schedule(
    week: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, schedule = week
    other = edited(schedule, "other.json", lambda d: d.update(roster="幸福社区"))
    result = run("publish", folder, other, "--db", tmp_path / "roster.db")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {other}: the schedule is for 幸福社区, but {folder} is 测试社区; "
        "give the roster folder it was solved from\n"
    )


def test_publish_refuses_a_person_the_folder_does_not_have(
    week: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, schedule = week

    def stranger(data: dict[str, Any]) -> None:
        data["slots"][0]["assigned"][0] = "p99"

    path = edited(schedule, "stranger.json", stranger)
    result = run("publish", folder, path, "--db", tmp_path / "roster.db")
    assert result.output == (
        f"Error: {path}: slots[0].assigned[0]: 'p99' is not a person of {folder}; "
        "solve the roster again\n"
    )


def test_publish_on_a_stale_parent_names_the_version_to_rebase_on(
    week: tuple[Path, Path], store_url: str
) -> None:
    folder, schedule = week
    run("publish", folder, schedule, "--db", store_url, "--by", "王书记", "--no-feeds")
    swapped = edited(schedule, "swapped.json", swap_people("p04", "p08"))
    run("publish", folder, swapped, "--db", store_url, "--by", "王芳", "--no-feeds")
    again = edited(schedule, "again.json", swap_people("p10", "p13"))
    result = run("publish", folder, again, "--parent", "1", "--db", store_url, "--no-feeds")
    assert result.exit_code == 1
    assert result.output.startswith("Error: 测试社区 2020-W06 is already at version 2 (by 王芳, ")
    assert result.output.endswith("), which this schedule does not build on: rebase on version 2\n")
    rebased = run("publish", folder, again, "--parent", "2", "--db", store_url, "--no-feeds")
    assert rebased.exit_code == 0, rebased.output
    assert rebased.output.startswith("Published 测试社区 2020-W06 version 3 after version 2 by ")


def test_two_coordinators_run_publish_at_once(week: tuple[Path, Path], store_url: str) -> None:
    folder, schedule = week
    assert run("publish", folder, schedule, "--db", store_url, "--no-feeds").exit_code == 0
    drafts = [
        edited(schedule, "a.json", swap_people("p04", "p08")),
        edited(schedule, "b.json", swap_people("p10", "p13")),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("ROSTER_DB", None)
    roster = [sys.executable, "-c", "from cli import main; main()"]
    processes = [
        subprocess.Popen(
            [*roster, "publish", str(folder), str(draft), "--parent", "1", "--by", who,
             "--db", store_url, "--no-feeds"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env,
        )
        for draft, who in zip(drafts, ("王芳", "李明"), strict=True)
    ]  # fmt: skip
    outcomes = [(p.wait(timeout=120), *p.communicate()) for p in processes]
    codes = sorted(code for code, _, _ in outcomes)
    assert codes == [0, 1], outcomes
    winner = next(i for i, (code, _, _) in enumerate(outcomes) if code == 0)
    who = ("王芳", "李明")[winner]
    loser_err = next(err for code, _, err in outcomes if code == 1)
    assert loser_err.startswith(f"Error: 测试社区 2020-W06 is already at version 2 (by {who}, ")
    assert loser_err.endswith("rebase on version 2\n")
    with open_store(store_url) as store:
        versions = store.versions("测试社区")
    assert [(v.number, v.parent) for v in versions] == [(1, None), (2, 1)]
    assert versions[1].author == who
    assert versions[1].schedule.to_json() == drafts[winner].read_text(encoding="utf-8")


# --- reading errors -----------------------------------------------------------------------------


def test_history_without_a_store_says_so_and_creates_nothing(small: Path) -> None:
    result = run("history", small)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {small / 'roster.db'}: no roster store here yet; `roster publish` creates it "
        "(or give the store with --db or ROSTER_DB)\n"
    )
    assert not (small / "roster.db").exists()


def test_diff_of_version_numbers_needs_the_period(week: tuple[Path, Path], tmp_path: Path) -> None:
    folder, schedule = week
    db = tmp_path / "roster.db"
    run("publish", folder, schedule, "--db", db, "--no-feeds")
    result = run("diff", folder, "1", "2", "--db", db)
    assert result.output == (
        "Error: say which period versions 1 and 2 are of: --week 2020-W06 (or --from and --to)\n"
    )
    missing = run("diff", folder, "1", "2", "--week", "2020-W06", "--db", db)
    assert missing.output == "Error: 测试社区 2020-W06 has no version 2: its versions are 1 to 1\n"
    never = run("diff", folder, "1", "2", "--week", "2020-W07", "--db", db)
    assert never.output == "Error: 测试社区 2020-W07 has never been published\n"


def test_the_store_comes_from_roster_db_when_no_db_is_given(
    week: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, schedule = week
    db = tmp_path / "env" / "roster.db"
    result = CliRunner().invoke(
        main, ["publish", str(folder), str(schedule), "--no-feeds"], env={"ROSTER_DB": str(db)}
    )
    assert result.exit_code == 0, result.output
    assert db.is_file() and not (folder / "roster.db").exists()


def test_each_command_s_help_has_an_example() -> None:
    for command in ("publish", "history", "diff"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.output and f"roster {command} " in result.output
        assert "ROSTER_DB" in result.output


def test_history_of_the_periods_that_overlap_some_days(
    week: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, schedule = week
    db = tmp_path / "roster.db"
    run("publish", folder, schedule, "--db", db, "--no-feeds", "-m", "第一版")
    overlapping = run("history", folder, "--from", "2020-02-01", "--to", "2020-02-03", "--db", db)
    assert overlapping.exit_code == 0, overlapping.output
    assert overlapping.output.splitlines()[2].split()[:3] == ["2020-W06", "1", "—"]
    later = run("history", folder, "--from", "2020-02-10", "--to", "2020-02-16", "--db", db)
    assert later.output == "测试社区: nothing published for 2020-W07 yet\n"


def test_feeds_that_cannot_be_written_say_the_version_is_published(
    week: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, schedule = week
    documents = tmp_path / "文件"
    documents.mkdir()
    (documents / "报告.docx").write_bytes(b"keep me")
    db = tmp_path / "roster.db"
    result = run("publish", folder, schedule, "--db", db, "--feeds", documents)
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: 测试社区 2020-W06 version 1 is published, but its feeds are not written: "
        f"{documents}: "
    )
    assert (documents / "报告.docx").read_bytes() == b"keep me"
    bad_url = run("publish", folder, schedule, "--db", db, "--base-url", "example.org")
    assert bad_url.output.startswith("Error: --base-url 'example.org' is not a web address")


def test_publish_refuses_a_period_without_utc_offsets(
    week: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, schedule = week

    def naive(data: dict[str, Any]) -> None:
        data["period"]["start"] = data["period"]["start"][:19]

    path = edited(schedule, "naive.json", naive)
    result = run("publish", folder, path, "--db", tmp_path / "roster.db")
    assert result.output == (
        f"Error: {path}: period: the times have no UTC offset (such as +08:00); "
        "solve the roster again\n"
    )


def test_the_feeds_of_a_second_version_cancel_the_duties_it_removed(
    week: tuple[Path, Path], tmp_path: Path
) -> None:
    from icalendar import Calendar

    folder, schedule = week
    db, feeds = tmp_path / "roster.db", tmp_path / "feeds"
    # Published on the Tuesday and the Wednesday of the week, so the week is not over yet.
    swapped = edited(schedule, "swapped.json", swap_people("p04", "p08"))
    for path, epoch in ((schedule, "1580781600"), (swapped, "1580868000")):
        result = CliRunner().invoke(
            main,
            ["publish", str(folder), str(path), "--db", str(db), "--feeds", str(feeds)],
            env={"ROSTER_DB": None, "SOURCE_DATE_EPOCH": epoch},
        )
        assert result.exit_code == 0, result.output
    with open_store(db) as store:
        times = [v.published_at.isoformat() for v in store.versions("测试社区")]
    assert times == ["2020-02-04T02:00:00+00:00", "2020-02-05T02:00:00+00:00"]
    index = json.loads((feeds / "index.json").read_text(encoding="utf-8"))
    calendar = Calendar.from_ical((feeds / index["people"]["p04"]).read_bytes())
    events = calendar.walk("VEVENT")
    cancelled = sorted(str(e["UID"]) for e in events if e.get("STATUS") == "CANCELLED")
    kept = [e for e in events if e.get("STATUS") != "CANCELLED"]
    assert len(cancelled) == len(duties(schedule, "p04"))
    assert len(kept) == len(duties(schedule, "p08"))
    assert all(int(e["SEQUENCE"]) >= 1 for e in events if e.get("STATUS") == "CANCELLED")


def test_publish_notes_a_penalty_the_rules_do_not_give(
    week: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, schedule = week
    slot = duties(schedule, "p13")[0]

    def drop(data: dict[str, Any]) -> None:
        for item in data["slots"]:
            if item["id"] == slot:
                item["assigned"].remove("p13")

    short = edited(schedule, "short.json", drop)
    result = run("publish", folder, short, "--db", tmp_path / "roster.db", "--no-feeds")
    assert result.exit_code == 0, result.output
    note = result.output.splitlines()[-1]
    assert note.startswith(f"Note: {short} says its penalty is 0, the rules of {folder} give ")
    assert note.endswith("(edited by hand, or the folder changed since?)")
    listed = run("history", folder, "--db", tmp_path / "roster.db", "--format", "json")
    assert json.loads(listed.output)[0]["shortages"] == 1
