"""roster validate's early warnings: demand against supply per skill and tag, impossible posts."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.district import write_district
from cli import main
from roster import demand
from roster.demand import capacity_hours, demand_report
from roster.eligibility import may_take_post, takers
from roster.load import Roster, load_roster
from roster.models import Person
from roster.slots import Period, Slot, expand, make_period
from tests.explainkit import days, person, post, write_roster

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "xingwang"
ZH_LABELS = {"thermometer": "测温", "party_member": "党员", "committee": "两委委员"}


def community(folder: Path, language: str = "zh") -> Roster:
    """Four posts, each with a problem, and three people who may work 12 h a week."""
    return write_roster(
        folder,
        [
            post(
                "gate-temp",
                "体温检测岗",
                need=2,
                skills=("thermometer",),
                quotas=(("party_member", 3),),
            ),
            post("duty", "24小时值班", "08:00", 24, tags=("committee",)),
            post("night", "夜巡", "22:00", 6),
        ],
        [
            person("p1", "甲", "party_member", skills=("thermometer",)),
            person("p2", "乙", "senior", skills=("thermometer",)),
            person("p3", "丙", "senior"),
        ],
        language=language,
        rules={"max_hours_per_week": 12},
        rules_by_tag={"senior": {"no_nights": True}},
        leave=[{"person": "p1", "from": "2020-02-03", "to": "2020-02-03", "reason": "病假"}],
        labels=ZH_LABELS if language == "zh" else {},
    )


def test_warnings_in_chinese(tmp_path: Path) -> None:
    roster = community(tmp_path / "zh")
    period, slots = days(roster, 7)
    assert [w.text for w in demand_report(roster, period, slots).warnings] == [
        "体温检测岗（gate-temp）配额每班至少3名党员，但每班最多2人",
        "24小时值班（duty）无人可排：没有人是两委委员",
        "夜巡（night）在2020-02-03 22:00无人可排（可排的人请假或不值夜班）",
        "技能测温：需要84小时，2名持有者最多能提供24小时",
        "身份党员：需要126小时，1名持有者最多能提供12小时",
        "全体人员：需要294小时，3人最多能提供24小时",
    ]


def test_warnings_in_english_with_codes(tmp_path: Path) -> None:
    roster = community(tmp_path / "en", "en")
    period, slots = days(roster, 7)
    warnings = demand_report(roster, period, slots).warnings
    assert [w.code for w in warnings] == [
        "quota_over_max",
        "post_nobody",
        "shift_nobody",
        "skill_short",
        "tag_short",
        "all_short",
    ]
    assert (
        warnings[3].text == "skill thermometer: 84 h needed, its 2 holder(s) can give at most 24 h"
    )
    assert warnings[5].text == "everyone: 294 h needed, the 3 people can give at most 24 h"


def test_without_a_period_only_the_static_warnings(tmp_path: Path) -> None:
    report = demand_report(community(tmp_path / "zh"))
    assert [w.code for w in report.warnings] == ["quota_over_max", "post_nobody"]
    assert report.needs == []


def test_needs_count_hours_at_the_minimum_headcount(tmp_path: Path) -> None:
    roster = community(tmp_path / "zh")
    period, slots = days(roster, 7)
    needs = {(n.kind, n.key): n for n in demand_report(roster, period, slots).needs}
    # Two people for six hours, seven days.
    assert needs[("skill", "thermometer")].demand_hours == 84
    assert needs[("tag", "committee")].holders == 0
    data = demand_report(roster, period, slots).to_dict()
    assert data["needs"][0] == {
        "kind": "skill",
        "key": "thermometer",
        "label": "测温",
        "demand_hours": 84.0,
        "supply_hours": 24.0,
        "holders": 2,
        "short": True,
    }


@pytest.mark.parametrize(("limit", "expected"), [(12, 12.0), (None, 6 * 6.0)])
def test_capacity_respects_weekly_limit_and_leave(
    tmp_path: Path, limit: float | None, expected: float
) -> None:
    roster = community(tmp_path / "zh")
    if limit is None:
        roster.config.rules.max_hours_per_week = None
    period, slots = days(roster, 7)
    # p1 may take the gate or the night round (6 h each), one shift a day, and is away Monday:
    # six days of 6 h, or 12 h under the weekly limit.
    assert capacity_hours(roster, roster.person("p1"), period, slots) == expected


def test_validate_command_prints_the_warnings(tmp_path: Path) -> None:
    folder = tmp_path / "zh"
    community(folder)
    result = CliRunner().invoke(main, ["validate", str(folder), "--week", "2020-W06"])
    assert result.exit_code == 0, result.output
    assert "警告：24小时值班（duty）无人可排：没有人是两委委员\n" in result.output
    assert "  技能测温：需要84小时，2人最多能提供24小时\n" in result.output
    english = CliRunner().invoke(
        main, ["--lang", "en", "validate", str(folder), "--week", "2020-W06"]
    )
    assert english.exit_code == 0, english.output
    assert "warning: post duty (24小时值班): nobody may take it: no one is committee\n" in (
        english.output
    )
    assert "  skill thermometer: 84 h needed, 2 people can give at most 24 h\n" in english.output


def _every_pair(roster: Roster) -> dict[str, list[Person]]:
    """The people who may take each post, asked of every (person, post) pair: the computation the
    demand report made before it used the index of ``takers``."""
    return {
        post.id: [p for p in roster.people if may_take_post(p, post)]
        for post in roster.config.posts
    }


def _reports(
    roster: Roster, period: Period, slots: list[Slot], monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, object], dict[str, object]]:
    """The demand report through the index, and the same report through every pair."""
    indexed = demand_report(roster, period, slots).to_dict()
    with monkeypatch.context() as patch:
        patch.setattr(demand, "takers", _every_pair)
        paired = demand_report(roster, period, slots).to_dict()
    return indexed, paired


def test_report_through_the_index_is_the_report_of_every_pair_on_xingwang(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    roster = load_roster(EXAMPLE)
    period = make_period(roster.config.timezone, "2020-W06", None, None)
    slots = expand(roster.config, period)
    assert takers(roster) == _every_pair(roster)
    indexed, paired = _reports(roster, period, slots, monkeypatch)
    assert indexed == paired
    assert indexed["needs"]


def test_report_through_the_index_is_the_report_of_every_pair_in_a_district(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Three communities, 30 people in all, each community's posts open to its own tag only.
    roster = load_roster(write_district(tmp_path / "城中区", 0, 3, 30))
    period = make_period(roster.config.timezone, "2020-W06", None, None)
    slots = expand(roster.config, period)
    qualified = takers(roster)
    assert qualified == _every_pair(roster)
    # The index must not widen a post to other communities: every taker shares one of its tags.
    for each in roster.config.posts:
        for taker in qualified[each.id]:
            assert not each.tags or set(each.tags) & set(taker.tags)
    indexed, paired = _reports(roster, period, slots, monkeypatch)
    assert indexed == paired
    assert indexed["needs"]
