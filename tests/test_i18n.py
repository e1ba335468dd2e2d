"""Messages in the user's language: which language wins, the exact words in each, and catalogues
that are complete, current and compiled."""

from __future__ import annotations

import gettext
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import SMALL_YAML, write_folder

from cli import main
from roster import i18n
from roster.errors import RosterError
from roster.load import load_roster, peek_language
from roster.render import render_summary
from roster.schedule import read_schedule

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import messages  # noqa: E402 - tools/ is not a package

#: The test roster with one shift ending at 25:00: one loader error, from a model validator.
BROKEN = SMALL_YAML.replace('end: "00:00"', 'end: "25:00"')
ZH_25 = "25:00 不是时刻；请用 00:00 到 23:59（24:00 即 00:00）"
EN_25 = "25:00 is not a time of day; use 00:00 to 23:59 (24:00 is 00:00)"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def broken(tmp_path: Path, extra: str = "") -> Path:
    return write_folder(tmp_path / "兴旺社区", BROKEN + extra)


# --- the exact words on each side ----------------------------------------------------------------


def test_lang_zh_prints_the_loader_error_in_chinese(tmp_path: Path) -> None:
    folder = broken(tmp_path)
    result = run("--lang", "zh", "validate", folder)
    assert result.exit_code == 1
    assert result.output == (f"错误：{folder / 'roster.yaml'}: posts[1].shifts[2].end: {ZH_25}\n")


def test_lang_en_prints_the_loader_error_in_english(tmp_path: Path) -> None:
    folder = broken(tmp_path)
    result = run("--lang", "en", "validate", folder)
    assert result.exit_code == 1
    assert result.output == f"Error: {folder / 'roster.yaml'}: posts[1].shifts[2].end: {EN_25}\n"


def test_lang_zh_solve_on_a_broken_folder_is_chinese(tmp_path: Path) -> None:
    folder = broken(tmp_path)
    result = run("--lang", "zh", "solve", folder, "--week", "2020-W06", "--workers", "1")
    assert result.exit_code == 1
    assert result.output == (f"错误：{folder / 'roster.yaml'}: posts[1].shifts[2].end: {ZH_25}\n")
    assert "Traceback" not in result.output


def test_a_roster_in_english_gets_english_errors_without_lang(tmp_path: Path) -> None:
    folder = broken(tmp_path, "language: en\n")
    result = run("validate", folder)
    assert result.exit_code == 1
    assert result.output == f"Error: {folder / 'roster.yaml'}: posts[1].shifts[2].end: {EN_25}\n"


def test_a_roster_that_names_no_language_is_chinese(tmp_path: Path) -> None:
    folder = broken(tmp_path)
    assert run("validate", folder).output.startswith("错误：")


def test_broken_yaml_still_reports_in_the_rosters_language(tmp_path: Path) -> None:
    # The language is read from the raw text, so a file YAML cannot parse keeps it.
    folder = write_folder(tmp_path / "tab", "language: en\nname: x\nposts:\n\t- id: a\n")
    result = run("validate", folder)
    assert result.output == (
        f"Error: {folder / 'roster.yaml'}: line 4, column 1: bad YAML: found character '\\t' "
        "that cannot start any token; YAML indents with spaces only: replace the tab with spaces\n"
    )
    chinese = run("--lang", "zh", "validate", folder)
    assert chinese.output == (
        f"错误：{folder / 'roster.yaml'}: 第4行第1列: YAML 格式错误：found character '\\t' "
        "that cannot start any token；YAML 只能用空格缩进：请把制表符（Tab）换成空格\n"
    )


def test_a_people_file_error_keeps_its_row_column_and_fix_in_chinese(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "社区", SMALL_YAML, "id,name,skills\np01,杨金花,drive\n")
    result = run("validate", folder)
    assert result.output == (
        f"错误：{folder / 'people.csv'}: 第2行 skills 列: 未知的技能 'drive'（已有：thermometer）\n"
    )
    english = run("--lang", "en", "validate", folder)
    assert english.output == (
        f"Error: {folder / 'people.csv'}: row 2, column skills: unknown skill 'drive' "
        "(known: thermometer)\n"
    )


def test_pydantic_errors_get_our_sentence_with_the_fix(tmp_path: Path) -> None:
    yaml_text = SMALL_YAML.replace("headcount: {min: 2}", "headcount: {min: two}")
    folder = write_folder(tmp_path / "社区", yaml_text)
    place = f"{folder / 'roster.yaml'}: posts[1].headcount.min"
    assert run("validate", folder).output == f"错误：{place}: 'two' 不是整数；请写数字，例如 2\n"
    assert run("--lang", "en", "validate", folder).output == (
        f"Error: {place}: 'two' is not a whole number; write digits, e.g. 2\n"
    )


def test_a_period_error_follows_the_language(small: Path) -> None:
    assert run("solve", small, "--week", "W6").output == (
        "错误：--week 'W6' 不是 ISO 周；请写成 2020-W06 这样\n"
    )


def test_validate_speaks_the_chosen_language(small: Path) -> None:
    chinese = run("validate", small, "--week", "2020-W06")
    assert chinese.exit_code == 0, chinese.output
    assert chinese.output.startswith(f"{small}：检查通过 — 测试社区：13人，2个岗位\n35个班次，")
    english = run("--lang", "en", "validate", small, "--week", "2020-W06")
    assert english.output.startswith(f"{small}: OK — 测试社区: 13 people, 2 posts\n35 slots, ")


# --- which language wins -------------------------------------------------------------------------


def test_roster_lang_overrides_the_roster_and_lang_overrides_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = broken(tmp_path)
    monkeypatch.setenv("ROSTER_LANG", "en")
    assert run("validate", folder).output.startswith("Error: ")
    assert run("--lang", "zh", "validate", folder).output.startswith("错误：")


def test_the_machine_locale_does_not_turn_a_chinese_roster_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = broken(tmp_path)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert run("validate", folder).output.startswith("错误：")
    # Where there is no roster to go by, the locale decides.
    nowhere = tmp_path / "nowhere"
    assert run("validate", nowhere).output == (
        f"Error: {nowhere}: no such folder; `roster init DIR` writes a starter\n"
    )
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    assert run("validate", nowhere).output == (
        f"错误：{nowhere}: 文件夹不存在；`roster init 文件夹` 可生成一份起始配置\n"
    )


def test_without_roster_or_locale_messages_are_chinese(tmp_path: Path) -> None:
    nowhere = tmp_path / "nowhere"
    assert run("validate", nowhere).output.startswith("错误：")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("zh", "zh"),
        ("zh_CN.UTF-8", "zh"),
        ("zh-Hans", "zh"),
        ("en_US.UTF-8", "en"),
        ("EN", "en"),
        ("C.UTF-8", None),
        ("POSIX", None),
        ("fr_FR.UTF-8", None),
        ("", None),
    ],
)
def test_normalize(code: str, expected: str | None) -> None:
    assert i18n.normalize(code) == expected


def test_message_language_order(monkeypatch: pytest.MonkeyPatch) -> None:
    assert i18n.message_language() == "zh"  # nothing says: the default
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert i18n.message_language() == "en"  # the locale, with no roster
    assert i18n.message_language("zh") == "zh"  # the roster before the locale
    monkeypatch.setenv("ROSTER_LANG", "en")
    assert i18n.message_language("zh") == "en"  # ROSTER_LANG before the roster
    with i18n.choosing("zh"):
        assert i18n.message_language("en") == "zh"  # --lang before everything


def test_library_errors_follow_the_roster_language(tmp_path: Path) -> None:
    folder = broken(tmp_path, "language: en\n")
    with pytest.raises(RosterError, match="is not a time of day"):
        load_roster(folder)
    with pytest.raises(RosterError, match="不是时刻"):
        load_roster(broken(tmp_path / "zh"))


def test_peek_language(tmp_path: Path) -> None:
    assert peek_language(tmp_path / "nowhere") is None
    assert peek_language(write_folder(tmp_path / "a", SMALL_YAML)) == "zh"
    assert peek_language(write_folder(tmp_path / "b", 'language: "en"\nname: [\n')) == "en"


# --- the roster's words against the messages -----------------------------------------------------


def test_the_summary_labels_follow_lang_and_the_files_the_roster(
    small: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = run(
        "--lang", "en", "solve", small, "--week", "2020-W06", "--out", out, "--workers", "1",
        "--repeatable",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Status: OPTIMAL" in result.output
    assert "Shortages: none" in result.output
    # The files are for the people on duty: in the roster's language, whoever ran the command.
    assert (out / "roster.csv").read_text(encoding="utf-8-sig").startswith("日期,开始,结束,")
    schedule = read_schedule(out / "schedule.json")
    assert "求解状态: OPTIMAL" in render_summary(schedule)
    assert "Status: OPTIMAL" in render_summary(schedule, "en")


# --- the catalogues ------------------------------------------------------------------------------


def test_the_committed_catalogue_is_current() -> None:
    in_code = messages.keys(messages.extract())
    in_template = messages.keys(messages.read(messages.TEMPLATE))
    assert sorted(in_code - in_template, key=str) == [], "run `make messages`"
    assert sorted(in_template - in_code, key=str) == [], "run `make messages`"


def test_every_message_is_in_each_catalogue_and_translated_in_chinese() -> None:
    assert messages.problems() == []


def test_a_missing_translation_is_found(tmp_path: Path) -> None:
    # The check above is not vacuous: blank one Chinese entry of a copy and it is reported.
    shutil.copytree(messages.LOCALE_DIR, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "zh_CN" / "LC_MESSAGES" / "dutyroster.po"
    zh = messages.read(path, "zh_CN")
    next(m for m in zh if m.id == "give end or hours, not both").string = ""
    messages._write(zh, path)
    assert messages.problems(tmp_path) == ["zh_CN: 'give end or hours, not both' is not translated"]


@pytest.mark.parametrize("locale", sorted(messages.LOCALES))
def test_the_compiled_catalogue_matches_its_po(locale: str) -> None:
    mo = messages.LOCALE_DIR / locale / "LC_MESSAGES" / "dutyroster.mo"
    assert mo.is_file(), "run `make` (the .mo files are compiled from the .po files)"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in messages.read(messages.po_path(locale), locale):
        if not message.id or not message.string:
            continue
        if message.context:
            got = compiled.pgettext(message.context, str(message.id))
        else:
            got = compiled.gettext(str(message.id))
        assert got == message.string, "run `make` to compile the catalogues again"


def test_feed_commands_speak_chinese(tmp_path: Path) -> None:
    from tests.test_calendars_cli import setup

    folder, schedule = setup(tmp_path)
    unknown = run("rotate-token", folder, "p99")
    assert unknown.output == f"错误：{folder}：没有编号为 'p99' 的人员\n"
    bad_url = run("feeds", folder, schedule, "--base-url", "ftp://example.org")
    assert bad_url.output == (
        "错误：--base-url 'ftp://example.org' 不是文件夹的网址；"
        "请写成 https://example.org/feeds 这样\n"
    )
    written = run("feeds", folder, schedule, "--out", tmp_path / "feeds")
    assert written.exit_code == 0, written.output
    assert written.output.startswith("已写入")
    assert f"订阅链接：{tmp_path / 'feeds' / 'index.html'}（请勿公开" in written.output
