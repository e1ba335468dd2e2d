"""The checker reports every reason an assignment is not allowed, not only the first."""

from __future__ import annotations

from pathlib import Path

from conftest import SMALL_PEOPLE, SMALL_YAML, write_folder

from roster.check import check
from roster.eligibility import ineligibilities, ineligibility, may_take_post, takers
from roster.load import Roster, load_roster
from roster.slots import expand, make_period

NIGHT = "gate-temp/2020-02-05T00:00"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _folder(tmp_path: Path) -> Path:
    # 郑浩 (p09) is a senior (no nights); here he also lacks the thermometer skill and is away.
    people = SMALL_PEOPLE.replace(
        "p09,郑浩,volunteer;senior,thermometer,,", "p09,郑浩,volunteer;senior,,,2020-02-05 病假"
    )
    return write_folder(tmp_path / "社区", SMALL_YAML, people)


def test_every_reason_is_reported_for_one_assignment(tmp_path: Path) -> None:
    # Regression: a leave or no-nights breach hid behind "lacks skill".
    roster = load_roster(_folder(tmp_path))
    period = make_period(roster.config.timezone, "2020-W06", None, None)
    slots = expand(roster.config, period)
    report = check(roster, period, slots, {NIGHT: ["p09", "p01"]})
    found = [(v.rule, v.text) for v in report.violations if v.text.startswith(NIGHT)]
    rules = [rule for rule, _ in found]
    assert rules == ["skill", "unavailable", "no_nights"], found
    assert all("郑浩" in text for _, text in found)


def test_the_first_reason_alone_is_still_the_first_of_all(tmp_path: Path) -> None:
    roster = load_roster(_folder(tmp_path))
    period = make_period(roster.config.timezone, "2020-W06", None, None)
    night = next(s for s in expand(roster.config, period) if s.id == NIGHT)
    person = roster.person("p09")
    every = ineligibilities(roster, person, night)
    assert ineligibility(roster, person, night) == every[0]
    assert ineligibilities(roster, roster.person("p01"), night) == []


def brute_takers(roster: Roster) -> dict[str, list[str]]:
    """Who may take each post, asked of ``may_take_post`` for every pair."""
    return {
        post.id: [p.id for p in roster.people if may_take_post(p, post)]
        for post in roster.config.posts
    }


def test_takers_are_who_may_take_each_post(tmp_path: Path) -> None:
    """The index by tag and skill gives what asking every pair gives, in the roster's order: on
    the reference community, and on a copy where posts ask for several skills, several tags, a
    skill nobody has, a tag nobody has, and neither."""
    reference = load_roster(EXAMPLES / "xingwang")
    assert {k: [p.id for p in v] for k, v in takers(reference).items()} == brute_takers(reference)
    posts = reference.config.posts
    variants = [
        posts[0].model_copy(update={"id": "两项技能", "skills": ["thermometer", "disinfection"]}),
        posts[0].model_copy(update={"id": "两种身份", "tags": ["volunteer", "committee"]}),
        posts[0].model_copy(update={"id": "无人有技能", "skills": ["无此技能"]}),
        posts[0].model_copy(update={"id": "无人有身份", "tags": ["无此身份"], "skills": []}),
        posts[0].model_copy(update={"id": "人人可上", "tags": [], "skills": []}),
    ]
    config = reference.config.model_copy(update={"posts": [*posts, *variants]})
    roster = Roster(reference.folder, config, reference.people, reference.leave)
    found = {k: [p.id for p in v] for k, v in takers(roster).items()}
    assert found == brute_takers(roster)
    assert found["无人有技能"] == [] and found["无人有身份"] == []
    assert found["人人可上"] == [p.id for p in roster.people]
    assert 0 < len(found["两项技能"]) < len(found["两种身份"]) < len(roster.people)
