"""The publishing and printing commands speak the roster's language by default (Chinese on the
Chinese test roster), --lang turns their messages English, and the texts for the chat group stay
in the roster's language either way (docs/i18n.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from conftest import SMALL_YAML, edited, swap_people, write_folder

from cli import main
from roster.i18n import speaking
from server.words import choose, format_day, page_words
from store import open_store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import messages  # noqa: E402 - tools/ is not a package


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], env={"ROSTER_DB": None})


def test_publish_reports_and_refuses_in_chinese(week: tuple[Path, Path], tmp_path: Path) -> None:
    folder, schedule = week
    db = tmp_path / "roster.db"

    def sick_duty(data: dict[str, Any]) -> None:
        for item in data["slots"]:
            if item["id"] == "duty/2020-02-05T08:00":
                item["assigned"] = ["p02"]  # 李明 is on sick leave on the 5th

    broken = edited(schedule, "broken.json", sick_duty)
    refused = run("publish", folder, broken, "--db", db)
    assert refused.exit_code == 1
    assert refused.output == (
        f"错误：{broken} 违反了 {folder} 的硬性规则：unavailable："
        "duty/2020-02-05T08:00：李明 (p02) 病假（另有 1 处；`roster check` 会全部列出）；"
        "没有发布任何内容\n"
    )
    assert run("history", folder, "--db", db).output == "测试社区：还没有发布过排班\n"
    published = run("publish", folder, schedule, "--db", db, "--by", "王书记")
    assert published.exit_code == 0, published.output
    assert published.output.splitlines() == [
        f"已发布 测试社区 2020-W06 第 1 版，发布人 王书记 → {db}",
        f"13 人的日历 → {schedule.parent / 'feeds'}/",
    ]
    again = run("publish", folder, schedule, "--db", db, "--by", "李明", "--no-feeds")
    assert again.output == (
        f"测试社区 2020-W06：与第 1 版（王书记）相比没有班次变动；{db} 中没有记录新版本\n"
    )


def test_a_store_conflict_history_and_diff_in_chinese_and_in_english(
    week: tuple[Path, Path], store_url: str
) -> None:
    folder, schedule = week
    run("publish", folder, schedule, "--db", store_url, "--by", "王书记", "--no-feeds")
    swapped = edited(schedule, "swapped.json", swap_people("p04", "p08"))
    second = run("publish", folder, swapped, "--db", store_url, "--by", "王芳", "--no-feeds")
    assert second.output.splitlines()[1] == (
        f"改动 {_moved(schedule, swapped)} 个班次，涉及 2 人（明细见 "
        f"roster diff {folder} 1 2 --week 2020-W06 --db {store_url}）"
    )
    stale = edited(schedule, "stale.json", swap_people("p10", "p13"))
    conflict = run("publish", folder, stale, "--parent", "1", "--db", store_url, "--no-feeds")
    assert conflict.exit_code == 1
    assert conflict.output.startswith("错误：测试社区 2020-W06 已经有第 2 版（王芳，")
    assert conflict.output.endswith("），这份排班不是在它的基础上做的：请以第 2 版为基础\n")
    english = run(
        "--lang", "en", "publish", folder, stale, "--parent", "1", "--db", store_url, "--no-feeds"
    )
    assert english.output.startswith("Error: 测试社区 2020-W06 is already at version 2 (by 王芳, ")
    # The history table is a message; the versions' own messages are shown as recorded.
    table = run("history", folder, "--week", "2020-W06", "--db", store_url)
    assert table.output.splitlines()[0].split() == [
        "周期", "版本", "上一版", "发布时间", "发布人", "罚分", "缺员", "变动", "说明",
    ]  # fmt: skip
    # A diff is for the chat group: the roster's words, whatever language messages are in.
    diff = run("diff", folder, "1", "2", "--week", "2020-W06", "--db", store_url)
    assert diff.exit_code == 0, diff.output
    assert diff.output.splitlines()[0] == (
        f"测试社区 2020-W06 第1版 → 第2版：改动 {_moved(schedule, swapped)} 个班次，涉及 2 人"
    )
    same = run("--lang", "en", "diff", folder, "1", "2", "--week", "2020-W06", "--db", store_url)
    assert same.output == diff.output
    # Its errors are messages.
    missing = run("diff", folder, "1", "3", "--week", "2020-W06", "--db", store_url)
    assert missing.output == "错误：测试社区 2020-W06 没有第 3 版：已有第 1 至第 2 版\n"
    no_period = run("--lang", "en", "diff", folder, "1", "2", "--db", store_url)
    assert no_period.output == (
        "Error: say which period versions 1 and 2 are of: --week 2020-W06 (or --from and --to)\n"
    )


def _moved(before: Path, after: Path) -> int:
    """How many places on shifts changed hands between two schedule files (a swap of two people
    leaves every place filled: one place per slot whose people differ)."""
    old = json.loads(before.read_text(encoding="utf-8"))["slots"]
    new = json.loads(after.read_text(encoding="utf-8"))["slots"]
    return sum(len(set(a["assigned"]) - set(b["assigned"])) for a, b in zip(old, new, strict=True))


def test_a_store_error_and_an_empty_history_in_chinese(small: Path, tmp_path: Path) -> None:
    nowhere = tmp_path / "nowhere.db"
    result = run("history", small, "--db", nowhere)
    assert result.exit_code == 1
    assert result.output == (
        f"错误：{nowhere}：这里还没有排班库；`roster publish` 会创建它"
        "（或用 --db 或 ROSTER_DB 指定排班库）\n"
    )
    assert not nowhere.exists()


def test_check_lists_violations_in_chinese(week: tuple[Path, Path]) -> None:
    folder, schedule = week

    def crowded(data: dict[str, Any]) -> None:
        for item in data["slots"]:
            if item["id"] == "duty/2020-02-05T08:00":
                item["assigned"] = ["p02", "p01"]

    path = edited(schedule, "crowded.json", crowded)
    result = run("check", folder, path)
    assert result.exit_code == 1
    assert "unavailable：duty/2020-02-05T08:00：李明 (p02) 病假\n" in result.output
    english = run("--lang", "en", "check", folder, path)
    assert "unavailable: duty/2020-02-05T08:00: 李明 (p02) on leave (病假)\n" in english.output


def test_print_and_serve_password_errors_in_chinese(
    week: tuple[Path, Path], tmp_path: Path
) -> None:
    _folder, schedule = week
    outside = run("print", schedule, "--day", "2020-03-01", "--format", "html")
    assert outside.exit_code == 1
    assert outside.output == (
        f"错误：{schedule}：--day 2020-03-01 不在排班的日期范围内（2020-02-03 至 2020-02-09）；"
        "请给出其中的一天\n"
    )
    # Without --roster, an English schedule's print speaks English.
    english = edited(schedule, "english.json", lambda data: data.update(language="en"))
    assert run("print", english, "--day", "2020-03-01", "--format", "html").output == (
        f"Error: {english}: --day 2020-03-01 is outside the roster's period (2020-02-03 to "
        "2020-02-09); give a day in it\n"
    )
    other = write_folder(tmp_path / "幸福社区", SMALL_YAML.replace("测试社区", "幸福社区"))
    wrong = run("print", schedule, "--day", "2020-02-03", "--roster", other, "--format", "html")
    assert wrong.output == (
        f"错误：{other}：这是 幸福社区 的排班目录，但 {schedule} 是 测试社区 的排班；"
        "请给出求解它时用的目录\n"
    )
    extension = run("print", schedule, "--day", "2020-02-03", "--out", tmp_path / "roster.gif")
    assert extension.output == (
        f"错误：{tmp_path / 'roster.gif'}：无法从扩展名 .gif 判断格式；"
        "请把文件命名为 .png、.pdf 或 .html，或给出 --format\n"
    )
    missing = tmp_path / "没有的目录"
    password = run("serve-password", missing)
    assert password.output == f"错误：{missing}：没有这个目录；请给出排班目录\n"


def test_the_leave_a_repair_is_given_is_checked_in_chinese(
    week: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, schedule = week
    db = tmp_path / "roster.db"
    run("publish", folder, schedule, "--db", db, "--no-feeds")
    bad = run("repair", folder, "--week", "2020-W06", "--now", "2020-02-06T07:00",
              "--leave", "p07:下周二", "--db", db)  # fmt: skip
    assert bad.exit_code == 1
    assert bad.output == (
        "错误：--leave: 'p07:下周二' 不是 人员:开始[..结束][:原因] 的写法；"
        "例如 p07:2020-02-06..2020-02-08:发热\n"
    )
    with open_store(db) as store:
        assert len(store.versions("测试社区")) == 1


# --- the server's words come from the catalogue ---------------------------------------------------


def test_the_pages_words_are_the_catalogues_in_either_language() -> None:
    zh, en = page_words("zh"), page_words("en")
    assert (zh.not_found, en.not_found) == ("没有这个页面。", "No such page.")
    assert format_day(zh, 2, 2, 5) == "2月5日 周三"
    assert format_day(en, 2, 2, 5) == "Wed 5 February"
    # The browser's language first, else the roster's.
    assert choose("zh", "en-US,en;q=0.9") is en
    assert choose("zh", None) is zh
    assert choose("en", "fr, zh-CN;q=0.5") is zh
    # The message language of the moment does not leak into a page.
    with speaking("en"):
        assert page_words("zh").too_many == "请求错误的链接太多，请稍后再试。"


def test_extraction_reads_every_module_that_speaks() -> None:
    # A message added to the store, the server or the repair is caught by the catalogue check:
    # extraction must read those packages (tools/messages.py METHOD_MAP).
    files = {
        path for message in messages.extract() for path, _line in message.locations if message.id
    }
    for expected in (
        "store/store.py",
        "store/report.py",
        "server/words.py",
        "solver/repair.py",
        "roster/check.py",
        "roster/diff.py",
        "roster/notify.py",
        "roster/cover.py",
        "roster/verify.py",
        "cli.py",
    ):
        assert expected in files, expected


def test_a_pins_conflict_names_the_reason_in_the_rosters_words(tmp_path: Path) -> None:
    # The solver's conflict sentences are in the roster's language; the eligibility reason
    # inside one follows it, not the message language (it read "但lacks skill 测温").
    pinned = SMALL_YAML + "pins: [{person: p02, slot: gate-temp/2020-02-03T06:00}]\n"
    folder = write_folder(tmp_path / "社区", pinned)
    result = run(
        "--lang", "en", "solve", folder, "--week", "2020-W06", "--out", tmp_path / "out",
        "--workers", "2", "--time-limit", "5",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "  - 李明 (p02)被固定排在体温检测岗 2020-02-03 06:00（pins[0]），但缺少技能 测温\n" in (
        result.output
    )
