"""Shifts below a team quota are listed with the shift they come from and why, apart from the
headcount shortages (regression: a quota larger than the headcount gave "缺员: 无" and then
"增加人员也无法排满", with the quota penalty tied to no shift)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import SMALL_PEOPLE, SMALL_YAML, write_folder

from cli import main

ONE_DAY = ("--from", "2020-02-03", "--to", "2020-02-03")


def _solve(folder: Path, out: Path) -> tuple[str, dict[str, object]]:
    result = CliRunner().invoke(
        main,
        [
            "solve",
            str(folder),
            *ONE_DAY,
            "--out",
            str(out),
            "--workers",
            "2",
            "--seed",
            "0",
            "--repeatable",
        ],
    )
    assert result.exit_code == 0, result.output
    return result.output, json.loads((out / "schedule.json").read_text(encoding="utf-8"))


def test_a_quota_above_the_headcount_is_named_per_shift_as_unfillable(tmp_path: Path) -> None:
    yaml_text = SMALL_YAML.replace(
        "quotas: [{tag: party_member, min: 1}]", "quotas: [{tag: party_member, min: 3}]"
    )
    folder = write_folder(tmp_path / "社区", yaml_text + "weights: {fair_hours: 0}\n")
    output, data = _solve(folder, tmp_path / "out")
    quota = data["quota_shortages"]
    assert isinstance(quota, list) and len(quota) == 4  # the gate's four shifts of the day
    first = quota[0]
    assert first["slot"] == "gate-temp/2020-02-03T00:00"
    assert first["tag"] == "party_member" and first["missing"] == 1
    assert first["reasons"] == {"quota_above_max": 1}
    sentence = (
        "缺1名党员：配额要求每班至少3名党员，但本班最多2人；"
        "增加人员也无法满足，请降低配额或提高人数上限"
    )
    assert first["text"] == sentence
    lines = output.splitlines()
    assert "缺员: 无" in lines
    assert "配额缺员: 4 个班次缺员，共缺 4 人" in lines
    assert f"  gate-temp/2020-02-03T00:00: -1  {sentence}" in lines
    assert "4个配额名额超过班次人数上限，增加人员也无法满足：请降低配额或提高人数上限" in lines, (
        output
    )


def test_a_quota_short_for_want_of_people_says_why_each_was_kept_away(tmp_path: Path) -> None:
    # Only two party members can measure temperature, and one is on sick leave that day.
    people = "\n".join(
        line.replace("party_member", "volunteer")
        if line.split(",")[0] not in ("id", "p01", "p03", "p11")
        else line
        for line in SMALL_PEOPLE.splitlines()
    )
    people = people.replace(
        "p03,王芳,committee;party_member,thermometer,,",
        "p03,王芳,committee;party_member,thermometer,,2020-02-03 病假",
    )
    people = people.replace(
        "p11,马超,committee;party_member,thermometer,", "p11,马超,committee,thermometer,"
    )
    folder = write_folder(tmp_path / "社区", SMALL_YAML + "weights: {fair_hours: 0}\n", people)
    output, data = _solve(folder, tmp_path / "out")
    quota = data["quota_shortages"]
    assert isinstance(quota, list) and quota, output
    for item in quota:
        assert item["tag"] == "party_member"
        # Everyone with the tag who is not on the shift is counted under a reason.
        assert "p03" in item["people"] and item["people"]["p03"] == "病假"
        assert item["text"].startswith(f"缺{item['missing']}名党员：")
        assert "病假" in item["text"]
