"""Loading roster folders: what loads, and every error a coordinator can cause, word for word."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import SMALL_PEOPLE, SMALL_YAML, write_folder

from roster.errors import LoadError, RosterError
from roster.load import load_roster

#: The loader's wording is asserted in English here (tests/test_i18n.py has the Chinese).
pytestmark = pytest.mark.usefixtures("english")


def error_of(folder: Path) -> str:
    with pytest.raises(RosterError) as caught:
        load_roster(folder)
    return str(caught.value)


def test_loads_the_small_folder(small: Path) -> None:
    roster = load_roster(small)
    assert roster.name == "测试社区"
    assert [p.name for p in roster.people][:2] == ["杨金花", "李明"]
    assert roster.person("p01").tags == ["committee", "party_member"]
    assert roster.person("p02").skills == []
    ((start, end, reason),) = roster.away("p02")
    assert (start.isoformat(), end.isoformat(), reason) == (
        "2020-02-05T00:00:00+08:00",
        "2020-02-07T00:00:00+08:00",
        "病假",
    )


def test_unquoted_times_are_times_not_base_60_numbers(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, SMALL_YAML.replace('"06:00"', "6:00"))
    assert load_roster(folder).config.posts[1].shifts[0].start.hour == 6


def test_missing_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert error_of(missing) == f"{missing}: no such folder; `roster init DIR` writes a starter"


def test_missing_roster_yaml(tmp_path: Path) -> None:
    assert error_of(tmp_path) == (
        f"{tmp_path / 'roster.yaml'}: no such file; `roster init DIR` writes a starter"
    )


def test_bad_yaml_names_line_and_column(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, "name: x\nposts: [\n  {id: a\n")
    assert error_of(folder).startswith(f"{folder / 'roster.yaml'}: line 4, column 1: bad YAML:")


def test_unknown_key_lists_the_expected_ones(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path, SMALL_YAML.replace("    location: 东门\n", "    location: 东门\n    lcation: x\n")
    )
    assert error_of(folder) == (
        f"{folder / 'roster.yaml'}: posts[1]: unknown key 'lcation'; expected one of: id, name, "
        "location, instructions, shifts, headcount, skills, tags, quotas, priority, rounds"
    )


def test_time_of_day_out_of_range(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, SMALL_YAML.replace('end: "00:00"', 'end: "25:00"'))
    assert error_of(folder) == (
        f"{folder / 'roster.yaml'}: posts[1].shifts[2].end: 25:00 is not a time of day; "
        "use 00:00 to 23:59 (24:00 is 00:00)"
    )


def test_unquoted_bad_time_is_caught_too(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, SMALL_YAML.replace('end: "00:00"', "end: 25:00"))
    assert "posts[1].shifts[2].end: 25:00 is not a time of day" in error_of(folder)


def test_shift_needs_end_or_hours(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path, SMALL_YAML.replace('{start: "08:00", hours: 24}', '{start: "08:00"}')
    )
    assert error_of(folder) == (
        f"{folder / 'roster.yaml'}: posts[0].shifts[0]: give either end (HH:MM) or hours (a length)"
    )


def test_missing_required_key(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, SMALL_YAML.replace("name: 测试社区\n", ""))
    assert error_of(folder) == (
        f"{folder / 'roster.yaml'}: missing key 'name' (Name of the community, e.g. 兴旺社区.)"
    )


def test_unknown_tag_on_a_post(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, SMALL_YAML.replace("tags: [committee]", "tags: [comittee]"))
    assert error_of(folder) == (
        f"{folder / 'roster.yaml'}: posts[0].tags[0]: unknown tag 'comittee' (known: committee, "
        "party_member, senior, volunteer)"
    )


def test_unknown_tag_in_the_people_file_names_row_and_column(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path, people=SMALL_PEOPLE.replace("p05,刘洋,volunteer", "p05,刘洋,volunter")
    )
    assert error_of(folder) == (
        f"{folder / 'people.csv'}: row 6, column tags: unknown tag 'volunter' (known: committee, "
        "party_member, senior, volunteer)"
    )


def test_unknown_person_in_leave(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path,
        SMALL_YAML + "leave:\n  - {person: p99, from: 2020-02-03, to: 2020-02-04, reason: 病假}\n",
    )
    message = error_of(folder)
    assert message.startswith(f"{folder / 'roster.yaml'}: leave[0].person: unknown person 'p99'")


def test_leave_ending_before_it_starts(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path, SMALL_YAML + "leave:\n  - {person: p01, from: 2020-02-05, to: 2020-02-04}\n"
    )
    assert error_of(folder) == (
        f"{folder / 'roster.yaml'}: leave[0]: to (2020-02-04) is before from (2020-02-05)"
    )


def test_unknown_post_in_a_pin(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path, SMALL_YAML + "pins:\n  - {person: p01, slot: gate/2020-02-03T06:00}\n"
    )
    assert error_of(folder) == (
        f"{folder / 'roster.yaml'}: pins[0].slot: unknown post 'gate' (known: duty, gate-temp); "
        "a slot id reads <post>/<YYYY-MM-DDTHH:MM>"
    )


def test_duplicate_ids_in_the_people_file(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, people=SMALL_PEOPLE + "p03,王小芳,volunteer,,,\n")
    assert error_of(folder) == (
        f"{folder / 'people.csv'}: row 15, column id: id 'p03' is already used by "
        f"{folder / 'people.csv'}: row 4"
    )


def test_duplicate_post_ids(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, SMALL_YAML.replace("id: gate-temp", "id: duty"))
    assert error_of(folder) == (
        f"{folder / 'roster.yaml'}: posts[1].id: post id 'duty' is already used by posts[0]"
    )


def test_every_problem_is_listed(tmp_path: Path) -> None:
    text = SMALL_YAML.replace("tags: [committee]", "tags: [x]").replace(
        "skills: [thermometer]\n", "skills: [y]\n"
    )
    lines = error_of(write_folder(tmp_path, text)).splitlines()
    assert [line.split(": ")[1] for line in lines] == ["posts[0].tags[0]", "posts[1].skills[0]"]


def test_unknown_column(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, people="id,name,mobile\np01,杨金花,1\n")
    message = error_of(folder)
    assert message.startswith(
        f"{folder / 'people.csv'}: row 1, column 3: unknown column 'mobile'; expected id, name "
        "and any of: tags, skills, phone,"
    )


def test_bad_unavailable_cell(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, people="id,name,unavailable\np01,杨金花,下周二\n")
    assert error_of(folder) == (
        f"{folder / 'people.csv'}: row 2, column unavailable: '下周二' is not a date or a range "
        "of dates; write 2020-02-05 or 2020-02-05..2020-02-08, then the reason"
    )


def test_bad_number_in_a_rule_column(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, people="id,name,max_hours_per_week\np01,杨金花,四十\n")
    message = error_of(folder)
    assert message.startswith(f"{folder / 'people.csv'}: row 2, column max_hours_per_week: '四十'")


def test_csv_with_bom_and_chinese_headings(tmp_path: Path) -> None:
    people = (
        "\ufeff编号,姓名,标签,技能,不值夜班\np01,杨金花,committee；party_member,thermometer,是\n"
    )
    roster = load_roster(write_folder(tmp_path, people=people))
    person = roster.person("p01")
    assert (person.name, person.tags, roster.rules_for(person).no_nights) == (
        "杨金花",
        ["committee", "party_member"],
        True,
    )


def test_csv_saved_in_the_chinese_windows_code_page(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, people=None)
    (folder / "people.csv").write_bytes("id,name\np01,杨金花\n".encode("gb18030"))
    assert load_roster(folder).person("p01").name == "杨金花"


def test_xlsx_people_file(tmp_path: Path) -> None:
    from openpyxl import Workbook

    folder = write_folder(tmp_path, people=None)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "name", "tags", "phone", "max_hours_per_week", "unavailable"])
    sheet.append(["p01", "杨金花", "committee", 13800000001, 40.0, "2020-02-05 发烧"])
    book.save(folder / "people.xlsx")
    roster = load_roster(folder)
    person = roster.person("p01")
    assert (person.phone, roster.rules_for(person).max_hours_per_week) == ("13800000001", 40)
    assert roster.away("p01")[0][2] == "发烧"


def test_both_people_files_is_ambiguous(tmp_path: Path) -> None:
    folder = write_folder(tmp_path)
    (folder / "people.xlsx").write_bytes(b"")
    assert error_of(folder) == (
        f"{folder}: both people.csv and people.xlsx exist; keep one, or name it in roster.yaml "
        "as people_file"
    )


def test_bad_time_zone(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, SMALL_YAML.replace("Asia/Shanghai", "Asia/Xining"))
    assert error_of(folder) == (
        f"{folder / 'roster.yaml'}: timezone: 'Asia/Xining' is not an IANA time zone such as "
        "Asia/Shanghai"
    )


def test_load_errors_are_value_errors() -> None:
    assert issubclass(LoadError, ValueError)


def test_rules_override_order(tmp_path: Path) -> None:
    text = SMALL_YAML.replace(
        "rules_by_tag:\n", "rules_by_tag:\n  volunteer: {max_hours_per_week: 24}\n"
    )
    people = SMALL_PEOPLE.replace(
        "id,name,tags,skills,phone,unavailable",
        "id,name,tags,skills,phone,unavailable,max_hours_per_week",
    )
    people = people.replace(
        "p07,周杰,volunteer,thermometer,,", "p07,周杰,volunteer,thermometer,,,12"
    )
    roster = load_roster(write_folder(tmp_path, text, people))
    hours = {
        p: roster.rules_for(roster.person(p)).max_hours_per_week for p in ("p01", "p05", "p07")
    }
    assert hours == {"p01": 56, "p05": 24, "p07": 12}


def test_a_folder_without_people_says_where_people_were_looked_for(tmp_path: Path) -> None:
    # Regression: "unknown person 'n03' (known: none declared; add it under persons:)" named a
    # key that does not exist, and `validate` said "OK — 0 people" for a folder with people.txt.
    header_only = write_folder(tmp_path / "空名单", people="id,name\n")
    with pytest.raises(RosterError) as caught:
        load_roster(header_only)
    assert str(caught.value) == (
        f"{header_only}: people.csv has no rows of people; add one row per person under its heading"
    )
    wrong_name = write_folder(tmp_path / "txt", people=SMALL_PEOPLE, people_name="people.txt")
    with pytest.raises(RosterError) as caught:
        load_roster(wrong_name)
    assert str(caught.value) == (
        f"{wrong_name}: no people file is read; save people.txt as people.csv (or people.xlsx)"
    )
    pinned = write_folder(
        tmp_path / "无人",
        SMALL_YAML + 'pins: [{person: p01, slot: "duty/2020-02-03T08:00"}]\n',
        people=None,
    )
    with pytest.raises(RosterError) as caught:
        load_roster(pinned)
    assert str(caught.value).endswith(
        "roster.yaml: pins[0].person: unknown person 'p01': no people are declared; add "
        "people.csv (or people.xlsx) to the folder, or list them under people: in roster.yaml"
    )


def _error(folder: Path) -> str:
    with pytest.raises(RosterError) as caught:
        load_roster(folder)
    return str(caught.value)


def test_dates_as_coordinators_write_them(tmp_path: Path) -> None:
    leave = (
        "leave:\n"
        "  - {person: p01, from: 2020/2/5, to: 2020/2/6, reason: 病假}\n"
        "  - {person: p03, from: 2020年2月7日, to: '2020/2/8 18:00', reason: 复查}\n"
    )
    roster = load_roster(write_folder(tmp_path / "社区", SMALL_YAML + leave))
    assert [(a.date(), b.date(), why) for a, b, why in roster.away("p01")] == [
        (date(2020, 2, 5), date(2020, 2, 7), "病假")
    ]
    assert [(a.isoformat(), b.isoformat()) for a, b, _ in roster.away("p03")] == [
        ("2020-02-07T00:00:00+08:00", "2020-02-08T18:00:00+08:00")
    ]
    people = SMALL_PEOPLE.replace(
        "p04,赵强,party_member,thermometer,,",
        "p04,赵强,party_member,thermometer,,2020/2/3..2020/2/4 病假",
    )
    roster = load_roster(write_folder(tmp_path / "表格", SMALL_YAML, people))
    assert [(a.date(), b.date()) for a, b, _ in roster.away("p04")] == [
        (date(2020, 2, 3), date(2020, 2, 5))
    ]


def test_a_date_without_a_year_says_how_to_write_it(tmp_path: Path) -> None:
    leave = "leave: [{person: p01, from: 2月5日, to: 2020-02-06, reason: 病假}]\n"
    assert _error(write_folder(tmp_path / "社区", SMALL_YAML + leave)).endswith(
        "roster.yaml: leave[0].from: '2月5日' has no year; write the date as YYYY-MM-DD, "
        "e.g. 2020-02-05 or 2020-02-05T18:00"
    )
    request = "requests: [{person: p01, kind: avoid, date: 2020-02-30}]\n"
    assert "roster.yaml: requests[0].date: " in _error(
        write_folder(tmp_path / "二月", SMALL_YAML + request)
    )


def test_a_numeric_person_id_in_yaml_is_the_same_id_as_in_the_people_file(tmp_path: Path) -> None:
    people = SMALL_PEOPLE.replace("p01,杨金花", "101,杨金花")
    leave = "leave: [{person: 101, from: 2020-02-05, to: 2020-02-06, reason: 病假}]\n"
    roster = load_roster(write_folder(tmp_path / "社区", SMALL_YAML + leave, people))
    assert roster.person("101").name == "杨金花"
    assert len(roster.away("101")) == 1


def test_empty_posts_and_tabs_get_a_fix(tmp_path: Path) -> None:
    empty = write_folder(tmp_path / "无岗", "name: 测试社区\nposts: []\n")
    assert _error(empty).endswith(
        "roster.yaml: posts: is empty; list at least 1 (the posts to staff)"
    )
    tabbed = write_folder(tmp_path / "制表符", "name: 测试社区\nposts:\n\t- id: gate\n")
    assert _error(tabbed).endswith(
        "roster.yaml: line 3, column 1: bad YAML: found character '\\t' that cannot start any "
        "token; YAML indents with spaces only: replace the tab with spaces"
    )


def test_an_xlsx_with_a_merged_title_row_above_the_headings(tmp_path: Path) -> None:
    from openpyxl import Workbook

    folder = write_folder(tmp_path / "社区", people=None)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["兴旺社区疫情防控人员名单"])
    sheet.merge_cells("A1:F1")
    for line in SMALL_PEOPLE.splitlines():
        sheet.append(line.split(","))
    sheet.append(["p14", "钱多", "volunteer", "thermometr", "", ""])
    book.save(folder / "people.xlsx")
    # The title row is skipped, and rows keep the numbers the spreadsheet shows.
    assert _error(folder).startswith(f"{folder / 'people.xlsx'}: row 16, column skills: ")
