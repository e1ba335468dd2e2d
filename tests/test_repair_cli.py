"""`roster repair`, `roster cover` and `roster swap` through Click's runner, on both backends."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import write_folder

from cli import main
from roster.load import load_roster
from roster.report import build_schedule
from roster.schedule import SolverInfo
from roster.slots import expand, make_period
from store import open_store

# Messages in English (ROSTER_LANG=en), to test their wording; the diffs, the notices and the
# versions' messages stay in the roster's language (zh). The tests marked ``chinese`` run with no
# ROSTER_LANG: messages then follow the Chinese roster too.
pytestmark = pytest.mark.usefixtures("english")

NOW = "2020-02-06T07:00"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], env={"ROSTER_DB": None})


@pytest.fixture
def published(solved_week: tuple[Path, Path], tmp_path: Path, store_url: str) -> Path:
    """A copy of the folder of this test's own, with its week published as version 1."""
    folder, schedule = solved_week
    mine = tmp_path / "社区"
    shutil.copytree(folder, mine)
    result = run("publish", mine, schedule, "--db", store_url, "--no-feeds", "--by", "王书记")
    assert result.exit_code == 0, result.output
    return mine


def _gate_worker_after(schedule: dict[str, object], now: str) -> str:
    slots = schedule["slots"]
    assert isinstance(slots, list)
    for slot in slots:
        if slot["post"] == "gate-temp" and slot["start"][:16] >= now and slot["assigned"]:
            return str(slot["assigned"][0])
    raise AssertionError("no gate worker after now")


def test_repair_keeps_the_past_moves_the_ill_persons_duties_and_publishes(
    published: Path, store_url: str, tmp_path: Path
) -> None:
    with open_store(store_url) as store:
        [v1] = store.versions("测试社区")
    base = json.loads(v1.schedule.to_json())
    ill = _gate_worker_after(base, "2020-02-06T08:00")
    out = tmp_path / "repaired"
    result = run(
        "repair", published, "--week", "2020-W06", "--now", NOW,
        "--leave", f"{ill}:2020-02-06..2020-02-07:发热", "--out", out, "--workers", "2",
        "--repeatable", "--db", store_url, "--publish", "--by", "王书记", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["base_version"] == 1 and data["published"] == 2
    assert data["absent"] == [ill]
    assert data["proven_minimal"] is True
    own = [
        s["id"]
        for s in base["slots"]
        if ill in s["assigned"] and NOW <= s["start"][:16] < "2020-02-08T00:00"
    ]
    assert data["changes"] == len(own)
    repaired = json.loads((out / "schedule.json").read_text(encoding="utf-8"))
    for before, after in zip(base["slots"], repaired["slots"], strict=True):
        if before["start"][:16] < NOW:
            assert before["assigned"] == after["assigned"], before["id"]
        elif before["id"] in own:
            assert ill not in after["assigned"]
    # Everyone who gained or lost a duty has a message, and the ill person is among them.
    told = {n["person"]: n["message"] for n in data["notify"]}
    assert ill in told and "您好，您的值班有调整" in told[ill]
    # The coordinator's phone follows a comma (a name may carry its own brackets).
    assert told[ill].endswith("如有困难请联系王书记，电话 13800000000。")
    assert set(told) == set(data["people_touched"])
    # The leave is now in the folder too, starting at --now (the past is not rewritten).
    roster = load_roster(published)
    [(start, _, why)] = roster.away(ill)[-1:]
    assert (start.isoformat()[:16], why) == (NOW, "发热")
    with open_store(store_url) as store:
        v2 = store.latest("测试社区", v1.period_start, v1.period_end)
    assert v2 is not None and (v2.number, v2.parent, v2.message) == (
        2,
        1,
        f"修复：{roster.person(ill).name}（发热）",
    )


def test_repair_of_a_period_never_published_says_what_to_do(
    published: Path, store_url: str
) -> None:
    result = run(
        "repair", published, "--week", "2020-W07", "--now", "2020-02-12T07:00", "--db", store_url
    )
    assert result.exit_code == 1
    assert "测试社区 2020-W07 has no published version in" in result.output
    assert "solve it and `roster publish` it first" in result.output


def test_repair_refuses_a_moment_outside_the_period_and_an_unknown_person(
    published: Path, store_url: str
) -> None:
    outside = run(
        "repair", published, "--week", "2020-W06", "--now", "2020-02-11T07:00", "--db", store_url
    )
    assert outside.exit_code == 1
    assert "--now 2020-02-11 07:00 is outside the period 2020-02-03 – 2020-02-09" in outside.output
    nobody = run(
        "repair", published, "--week", "2020-W06", "--now", NOW, "--leave", "p99:2020-02-06:病假",
        "--db", store_url,
    )  # fmt: skip
    assert nobody.exit_code == 1
    assert "--leave p99:2020-02-06:病假: unknown person 'p99'" in nobody.output


def test_cover_lists_candidates_and_who_is_ruled_out(published: Path, store_url: str) -> None:
    with open_store(store_url) as store:
        [v1] = store.versions("测试社区")
    slot = next(s for s in v1.schedule.slots if s.id == "gate-temp/2020-02-06T12:00")
    ill = slot.assigned[0]
    with (published / "roster.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            f"leave: [{{person: {ill}, from: 2020-02-06, to: 2020-02-06, reason: 发热}}]\n"
        )
    result = run(
        "cover", published, "gate-temp/2020-02-06T12:00", "--now", NOW, "--db", store_url,
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["version"] == 1 and data["dropped"] == [ill] and len(data["on_slot"]) == 1
    assert data["candidates"], "13 people: someone is free"
    changes = [(len(c["knock_on"]), c["penalty_change"]) for c in data["candidates"]]
    assert changes == sorted(changes)
    ruled = {r["person"]: r["rule"] for r in data["ruled_out"]}
    assert ruled["p02"] == "skill" and ruled[ill] == "unavailable"
    text = run("cover", published, "gate-temp/2020-02-06T12:00", "--now", NOW, "--db", store_url)
    assert text.exit_code == 0
    assert text.output.startswith("gate-temp/2020-02-06T12:00 (version 1) on it: ")
    assert "\nRuled out:\n" in text.output
    assert "  李明 (p02): without skill thermometer\n" in text.output


def test_a_refused_swap_names_the_rule_and_records_nothing(published: Path, store_url: str) -> None:
    with open_store(store_url) as store:
        [v1] = store.versions("测试社区")
    gate = next(s for s in v1.schedule.slots if s.post == "gate-temp" and s.start.day == 7)
    result = run(
        "swap", published, gate.assigned[0], "p02", gate.id, "--now", NOW, "--db", store_url
    )
    assert result.exit_code == 1
    assert "Error: swap refused, version 1 unchanged: skill: gate-temp/2020-02-07T" in result.output
    assert "李明 (p02) lacks skill 测温" in result.output
    with open_store(store_url) as store:
        assert len(store.versions("测试社区")) == 1


def test_cover_of_a_full_shift_says_nothing_is_missing(published: Path, store_url: str) -> None:
    # Regression: a full shift read "没有人能顶班" above everyone ruled out "超出本班人数上限".
    result = run("cover", published, "gate-temp/2020-02-06T12:00", "--now", NOW, "--db", store_url)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == (
        "The shift is full (2/2): nothing to cover; to change who is on it, use roster swap"
    )
    assert "Nobody can take it" not in result.output


# --- the same commands in Chinese, the roster's language -----------------------------------------


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ROSTER_LANG (the module sets it to en): messages follow the Chinese roster."""
    monkeypatch.delenv("ROSTER_LANG", raising=False)


def test_repair_reports_in_chinese_and_its_diff_and_notices_stay_chinese_in_english(
    published: Path, store_url: str, tmp_path: Path, chinese: None
) -> None:
    with open_store(store_url) as store:
        [v1] = store.versions("测试社区")
    ill = _gate_worker_after(json.loads(v1.schedule.to_json()), "2020-02-06T08:00")
    args = [
        "repair", published, "--week", "2020-W06", "--now", NOW,
        "--leave", f"{ill}:2020-02-06..2020-02-07:发热", "--out", tmp_path / "repaired",
        "--workers", "2", "--repeatable", "--db", store_url,
    ]  # fmt: skip
    zh = run(*args)
    assert zh.exit_code == 0, zh.output
    lines = zh.output.splitlines()
    assert lines[0].startswith("保留 2020-02-06 07:00 之前的 ")
    assert lines[0].endswith("（已证明最少）")
    assert lines[1].startswith("测试社区 2020-W06 第1版 → 修复后：")
    assert "需要通知：" in lines
    assert any(line.startswith("求解状态: OPTIMAL") for line in lines)
    # --lang en: the coordinator's lines in English; the diff and the notices, which go to the
    # chat group, stay in the roster's language.
    en = run("--lang", "en", *args)
    assert en.exit_code == 0, en.output
    english = en.output.splitlines()
    assert english[0].startswith("Kept the ") and english[0].endswith(" (proven minimal)")
    assert english[1 : english.index("To tell:")] == lines[1 : lines.index("需要通知：")]
    told_en = english[english.index("To tell:") + 1 :]
    told_zh = lines[lines.index("需要通知：") + 1 :]
    assert told_en and "您好，您的值班有调整" in told_en[0]
    assert [t.partition(": ")[2] for t in told_en if t.startswith("  ") and ": " in t][:1] == [
        t.partition("：")[2] for t in told_zh if t.startswith("  ")
    ][:1]
    assert any(line.startswith("Status: OPTIMAL") for line in english)


def test_cover_speaks_chinese_and_lang_en_turns_its_reasons_english(
    published: Path, store_url: str, chinese: None
) -> None:
    zh = run("cover", published, "gate-temp/2020-02-06T12:00", "--now", NOW, "--db", store_url)
    assert zh.exit_code == 0, zh.output
    assert zh.output.startswith("gate-temp/2020-02-06T12:00（第1版）在岗：")
    assert zh.output.splitlines()[1] == "本班已满（2/2人），无需顶班；换人请用 roster swap"
    assert "\n不能顶班：\n" in zh.output
    assert "  李明 (p02)：无测温技能\n" in zh.output
    en = run(
        "--lang", "en", "cover", published, "gate-temp/2020-02-06T12:00", "--now", NOW,
        "--db", store_url,
    )  # fmt: skip
    assert "\nRuled out:\n" in en.output
    assert "  李明 (p02): without skill thermometer\n" in en.output


def test_a_refused_swap_and_a_bad_slot_are_said_in_chinese(
    published: Path, store_url: str, chinese: None
) -> None:
    with open_store(store_url) as store:
        [v1] = store.versions("测试社区")
    gate = next(s for s in v1.schedule.slots if s.post == "gate-temp" and s.start.day == 7)
    refused = run(
        "swap", published, gate.assigned[0], "p02", gate.id, "--now", NOW, "--db", store_url
    )
    assert refused.exit_code == 1
    assert refused.output.startswith(
        f"错误：换班不可行，第1版未改动：skill：{gate.id}：李明 (p02) 缺少技能 测温"
    )
    bad = run("cover", published, "gate-temp/2020-02-06T13:00", "--db", store_url)
    assert bad.exit_code == 1
    assert bad.output.startswith(
        "错误：这段时间里没有班次 'gate-temp/2020-02-06T13:00'；班次编号的写法是 "
        "<岗位编号>/<YYYY-MM-DDTHH:MM>（例如 "
    )


# --- across the border with the week published before ------------------------------------------

BORDER_YAML = """\
name: 边界社区
timezone: Asia/Shanghai
coordinator: {name: 王书记, phone: "13800000000"}
rules: {min_rest_hours: 12, rest_after_long_shift_hours: 0, max_consecutive_days: 3}
posts:
  - id: gate
    name: 门岗
    location: 东门
    shifts: [{start: "08:00", end: "20:00"}, {start: "20:00", end: "08:00"}]
    headcount: {min: 0, target: 0, max: 2, over_weight: 0}
"""
BORDER_PEOPLE = "id,name\np1,张伟\np2,李娜\np3,王磊\n"
MONDAY = "gate/2020-02-03T08:00"


@pytest.fixture
def two_weeks(tmp_path: Path, store_url: str) -> Path:
    """2020-W05 and 2020-W06 published: 张伟 (p1) worked Sunday's night (to Monday 08:00), 王磊
    (p3) the days Friday to Sunday; in W06 李娜 (p2) has the days of Monday and Wednesday."""
    folder = write_folder(tmp_path / "边界社区", BORDER_YAML, BORDER_PEOPLE)
    roster = load_roster(folder)
    info = SolverInfo(status="OPTIMAL", objective=0, bound=0, wall_seconds=0, workers=1, seed=0)
    weeks = {
        "2020-W05": {
            "gate/2020-01-31T08:00": ["p3"],
            "gate/2020-02-01T08:00": ["p3"],
            "gate/2020-02-02T08:00": ["p3"],
            "gate/2020-02-02T20:00": ["p1"],
        },
        "2020-W06": {MONDAY: ["p2"], "gate/2020-02-05T08:00": ["p2"]},
    }
    with open_store(store_url) as store:
        for week, assigned in weeks.items():
            per = make_period(roster.config.timezone, week, None, None)
            slots = expand(roster.config, per)
            assignment = {s.id: assigned.get(s.id, []) for s in slots}
            schedule = build_schedule(roster, per, slots, assignment, info)
            store.publish(schedule, inputs_digest="", author="王书记", parent=None)
    return folder


def test_a_swap_that_breaks_rest_across_the_border_is_refused(
    two_weeks: Path, store_url: str
) -> None:
    result = run(
        "swap", two_weeks, "p2", "p1", MONDAY, "--now", "2020-02-02T12:00", "--db", store_url
    )
    assert result.exit_code == 1
    assert (
        "swap refused, version 1 unchanged: rest: 张伟 (p1): 0 h between gate/2020-02-02T20:00"
        in result.output
    )
    assert "(across the border with 2020-W05)" in result.output
    longer = run(
        "swap", two_weeks, "p2", "p3", MONDAY, "--now", "2020-02-02T12:00", "--db", store_url
    )
    assert longer.exit_code == 1
    assert "max_consecutive_days: 王磊 (p3): works 4 days in a row" in longer.output
    with open_store(store_url) as store:
        assert [v.number for v in store.versions("边界社区")] == [1, 1]


def test_a_swap_clear_of_the_border_is_recorded_as_the_next_version(
    two_weeks: Path, store_url: str, tmp_path: Path
) -> None:
    wednesday = "gate/2020-02-05T08:00"
    result = run(
        "swap", two_weeks, "p2", "p1", wednesday, "--now", "2020-02-02T12:00", "--db", store_url,
        "--feeds", tmp_path / "feeds", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["accepted"] is True and data["version"] == 2
    with open_store(store_url) as store:
        w06 = [v for v in store.versions("边界社区") if v.period_start.day == 3]
    assert [(v.number, v.parent) for v in w06] == [(1, None), (2, 1)]
    assigned = {s.id: s.assigned for s in w06[-1].schedule.slots}
    assert assigned[wednesday] == ["p1"] and assigned[MONDAY] == ["p2"]


def test_cover_rules_out_who_worked_up_to_the_border(two_weeks: Path, store_url: str) -> None:
    result = run(
        "cover", two_weeks, MONDAY, "--now", "2020-02-02T12:00", "--db", store_url,
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["candidates"] == []
    assert {r["person"]: r["rule"] for r in data["ruled_out"]} == {
        "p1": "rest",
        "p3": "max_consecutive_days",
    }


def test_drop_takes_a_person_off_for_the_rest_of_the_period(
    published: Path, store_url: str, tmp_path: Path
) -> None:
    with open_store(store_url) as store:
        [v1] = store.versions("测试社区")
    base = json.loads(v1.schedule.to_json())
    gone = _gate_worker_after(base, NOW)
    out = tmp_path / "repaired"
    result = run(
        "repair", published, "--week", "2020-W06", "--now", NOW, "--drop", gone, "--out", out,
        "--workers", "2", "--repeatable", "--db", store_url, "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["absent"] == [gone]
    repaired = json.loads((out / "schedule.json").read_text(encoding="utf-8"))
    for before, after in zip(base["slots"], repaired["slots"], strict=True):
        if before["start"][:16] >= NOW:
            assert gone not in after["assigned"], after["id"]
        elif before["end"][:16] <= NOW:
            assert before["assigned"] == after["assigned"], before["id"]
    # The folder says so too, to the end of the period.
    [(start, end, why)] = load_roster(published).away(gone)[-1:]
    assert (start.isoformat()[:16], end.isoformat()[:10], why) == (NOW, "2020-02-10", "停止排班")
    nobody = run(
        "repair", published, "--week", "2020-W06", "--now", NOW, "--drop", "p99", "--db", store_url
    )
    assert nobody.exit_code == 1
    assert "--drop p99: unknown person 'p99'" in nobody.output


def test_cover_and_swap_name_a_bad_slot_person_moment_or_period(
    published: Path, store_url: str
) -> None:
    def fails(*args: str) -> str:
        result = run(*args, "--db", store_url)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        return result.output

    folder = str(published)
    assert "no slot 'gate-temp/2020-02-06T07:00' in the period" in fails(
        "cover", folder, "gate-temp/2020-02-06T07:00"
    )
    assert "'gate-temp' is not a slot id" in fails("cover", folder, "gate-temp")
    assert "gate-temp/2020-02-05T06:00 started before --now" in fails(
        "cover", folder, "gate-temp/2020-02-05T06:00", "--now", NOW
    )
    assert "测试社区 2020-W07 has no published version in" in fails(
        "cover", folder, "gate-temp/2020-02-12T06:00"
    )
    with open_store(store_url) as store:
        [v1] = store.versions("测试社区")
    monday = next(s for s in v1.schedule.slots if s.post == "gate-temp" and s.assigned)
    worker = monday.assigned[0]
    assert "unknown person 'p99'; give an id from the people file" in fails(
        "swap", folder, worker, "p99", monday.id, "--now", "2020-02-03T00:00"
    )
    assert f"{monday.id} started before --now; the past is not changed" in fails(
        "swap", folder, worker, "p13", monday.id, "--now", NOW
    )
    assert "测试社区 2020-W07 has no published version in" in fails(
        "swap", folder, worker, "p13", "gate-temp/2020-02-12T06:00", "--now", NOW
    )
    with open_store(store_url) as store:
        assert len(store.versions("测试社区")) == 1
