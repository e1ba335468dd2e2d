"""The inputs digest of a roster folder and the names of periods."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import SMALL_PEOPLE, SMALL_YAML, write_folder

from roster.inputs import inputs_digest
from roster.load import load_roster
from roster.slots import period_label


def test_the_digest_follows_the_folder_s_files_byte_for_byte(tmp_path: Path) -> None:
    first = inputs_digest(load_roster(write_folder(tmp_path / "甲")))
    same = inputs_digest(load_roster(write_folder(tmp_path / "乙")))
    assert first == same and len(first) == 64
    changed = write_folder(tmp_path / "丙", people=SMALL_PEOPLE.replace("周杰", "周洁"))
    assert inputs_digest(load_roster(changed)) != first
    rules = write_folder(tmp_path / "丁", SMALL_YAML + "weights: {fair_hours: 0}\n")
    assert inputs_digest(load_roster(rules)) != first
    # Other files in the folder (the store, the feeds' secret) are not inputs.
    (tmp_path / "甲" / "roster.db").write_bytes(b"SQLite")
    assert inputs_digest(load_roster(tmp_path / "甲")) == first


def test_a_period_is_named_by_its_iso_week_or_its_days() -> None:
    zone = ZoneInfo("Asia/Shanghai")
    monday = datetime(2020, 2, 3, tzinfo=zone)
    assert period_label(monday, datetime(2020, 2, 10, tzinfo=zone)) == "2020-W06"
    assert period_label(monday, datetime(2020, 2, 9, tzinfo=zone)) == "2020-02-03..2020-02-08"
    tuesday = datetime(2020, 2, 4, tzinfo=zone)
    assert period_label(tuesday, datetime(2020, 2, 11, tzinfo=zone)) == "2020-02-04..2020-02-10"
    assert period_label(datetime(2019, 12, 30, tzinfo=zone), datetime(2020, 1, 6, tzinfo=zone)) == (
        "2020-W01"
    )
