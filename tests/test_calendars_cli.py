"""The `roster feeds` and `roster rotate-token` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from tests.test_calendars_factory import SECRET, make_schedule, write_roster

#: The commands' messages are asserted in English here; the feeds stay in the roster's Chinese.
pytestmark = pytest.mark.usefixtures("english")


def setup(tmp_path: Path) -> tuple[Path, Path]:
    folder = write_roster(tmp_path / "roster")
    schedule = tmp_path / "out" / "schedule.json"
    schedule.parent.mkdir()
    schedule.write_text(make_schedule().to_json(), encoding="utf-8")
    return folder, schedule


def test_feeds_writes_the_folder_and_says_where(tmp_path: Path) -> None:
    folder, schedule = setup(tmp_path)
    result = CliRunner().invoke(
        main, ["feeds", str(folder), str(schedule), "--base-url", "https://example.org/f"]
    )
    assert result.exit_code == 0, result.output
    target = tmp_path / "out" / "feeds"
    assert result.output == (
        f"Wrote 5 person feeds (7 duties), 3 post feeds and the whole roster to {target}/\n"
        f"Subscribe links: {target / 'index.html'} (keep it private: it lists every link)\n"
    )
    index = json.loads((target / "index.json").read_text(encoding="utf-8"))
    assert index["base_url"] == "https://example.org/f"
    assert SECRET.strip() not in result.output


def test_feeds_options_reach_the_feeds(tmp_path: Path) -> None:
    folder, schedule = setup(tmp_path)
    out = tmp_path / "elsewhere"
    args = ["feeds", str(folder), str(schedule), "--out", str(out), "--alarm", "15"]
    assert CliRunner().invoke(main, args).exit_code == 0
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert b"TRIGGER:-PT15M" in (out / index["people"]["p01"]).read_bytes()
    assert CliRunner().invoke(main, [*args, "--no-alarm"]).exit_code == 0
    assert b"VALARM" not in (out / index["people"]["p01"]).read_bytes()


def test_feeds_errors_are_sentences_without_traceback(tmp_path: Path) -> None:
    folder, schedule = setup(tmp_path)
    result = CliRunner().invoke(
        main, ["feeds", str(folder), str(schedule), "--base-url", "example.org"]
    )
    assert result.exit_code == 1
    assert result.output == (
        "Error: --base-url 'example.org' is not a web address of a folder; "
        "write it like https://example.org/feeds\n"
    )
    result = CliRunner().invoke(main, ["feeds", str(folder), str(tmp_path / "missing.json")])
    assert result.exit_code == 1
    assert "missing.json: no such file" in result.output
    assert "Traceback" not in result.output


def test_rotate_token_changes_one_link(tmp_path: Path) -> None:
    folder, schedule = setup(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["feeds", str(folder), str(schedule)]).exit_code == 0
    index_path = tmp_path / "out" / "feeds" / "index.json"
    before = json.loads(index_path.read_text(encoding="utf-8"))["people"]
    result = runner.invoke(main, ["rotate-token", str(folder), "p02"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "New feed link for 李明 (p02); run `roster feeds` to publish it and retire the old one.\n"
    )
    assert runner.invoke(main, ["feeds", str(folder), str(schedule)]).exit_code == 0
    after = json.loads(index_path.read_text(encoding="utf-8"))["people"]
    assert [pid for pid in before if before[pid] != after[pid]] == ["p02"]


def test_rotate_token_of_an_unknown_person_is_an_error(tmp_path: Path) -> None:
    folder, _ = setup(tmp_path)
    result = CliRunner().invoke(main, ["rotate-token", str(folder), "p99"])
    assert result.exit_code == 1
    assert result.output == f"Error: {folder}: no person with id 'p99'\n"


def test_help_has_an_example() -> None:
    for command in ("feeds", "rotate-token"):
        for flag in ("-h", "--help"):
            result = CliRunner().invoke(main, [command, flag])
            assert result.exit_code == 0
            assert "Example:" in result.output
    assert "--base-url" in CliRunner().invoke(main, ["feeds", "-h"]).output
