"""Factories for the calendar tests: a tiny roster folder and a hand-made schedule of it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from roster.load import Roster, load_roster
from roster.schedule import PeriodOut, Schedule, SlotOut, SolverInfo
from roster.versions import Version

ZONE = ZoneInfo("Asia/Shanghai")
#: A fixed secret, so golden files keep their token file names.
SECRET = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n"

# Instructions full of what must be escaped, long enough to be folded, with a backslash pair
# placed where icalendar 7.3's folding splits it.
ROSTER_YAML = r"""
name: 兴旺社区
timezone: Asia/Shanghai
language: {language}
coordinator:
  name: 马书记
  phone: "13800000000"
share_phones: false
posts:
  - id: duty24
    name: 24小时值班
    location: 社区居委会值班室
    instructions: 接听电话，处理突发情况；交班时填写值班记录。
    shifts:
      - start: "08:00"
        hours: 24
  - id: gate-night
    name: 体温检测岗（夜班）
    location: 小区北门, 东侧帐篷; 入口:左
    instructions: |
      两人一组：一人测温，一人登记。
      体温≥37.3℃：请到旁边帐篷复测; 记录存在 C:\值班\记录.xlsx, 不要改名: 谢谢。
      Path AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\\network\share
    shifts:
      - start: "22:00"
        end: "06:00"
    headcount:
      min: 2
  - id: disinfect
    name: 消杀
    location: 1–6号楼 楼道、电梯间、垃圾投放点
    instructions: 配药比例 1:100
    shifts:
      - start: "09:00"
        hours: 2
people:
  - {{id: p01, name: 杨金花, phone: "13900000001", share_phone: true}}
  - {{id: p02, name: 李明, phone: "13900000002"}}
  - {{id: p03, name: 王芳, phone: "13900000003"}}
  - {{id: p04, name: Zhao Lei, phone: "13900000004"}}
  - {{id: p05, name: 陈静}}
"""

#: slot id → assignees (p05 has no duty: an empty feed must still be valid).
ASSIGNMENT: dict[str, list[str]] = {
    "disinfect/2020-02-03T09:00": [],
    "duty24/2020-02-03T08:00": ["p01"],
    "gate-night/2020-02-03T22:00": ["p02", "p03"],
    "duty24/2020-02-04T08:00": ["p02"],
    "disinfect/2020-02-04T09:00": ["p01", "p04"],
    "gate-night/2020-02-04T22:00": ["p03"],
}
LENGTHS = {"duty24": timedelta(hours=24), "gate-night": timedelta(hours=8)}
MINIMUMS = {"gate-night": 2}


def write_roster(folder: Path, language: str = "zh", secret: bool = True) -> Path:
    """A roster folder with three posts (a 24-hour turn, a night shift, a day shift) and five
    people; with ``secret`` the fixed feeds secret is written too."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "roster.yaml").write_text(ROSTER_YAML.format(language=language), encoding="utf-8")
    if secret:
        (folder / ".feeds-secret").write_text(SECRET, encoding="ascii")
    return folder


def make_roster(folder: Path, language: str = "zh", secret: bool = True) -> Roster:
    """The loaded factory roster."""
    return load_roster(write_roster(folder, language, secret))


def make_schedule(
    assignment: dict[str, list[str]] | None = None,
    period: tuple[date, date] = (date(2020, 2, 3), date(2020, 2, 4)),
    generated_at: datetime = datetime(2020, 2, 1, 2, 30, tzinfo=UTC),
) -> Schedule:
    """A schedule of the factory roster for ``period``'s days (first and last), by default
    2020-02-03 and 2020-02-04."""
    slots = []
    for slot_id, people in (assignment or ASSIGNMENT).items():
        post, when = slot_id.split("/")
        start = datetime.fromisoformat(when).replace(tzinfo=ZONE)
        end = start + LENGTHS.get(post, timedelta(hours=2))
        need = MINIMUMS.get(post, 1)
        slots.append(
            SlotOut(
                id=slot_id,
                post=post,
                start=start,
                end=end,
                min=need,
                target=need,
                max=need,
                assigned=people,
                shortage=max(0, need - len(people)),
            )
        )
    return Schedule(
        roster="兴旺社区",
        timezone="Asia/Shanghai",
        period=PeriodOut(
            start=datetime.combine(period[0], time(), ZONE),
            end=datetime.combine(period[1] + timedelta(days=1), time(), ZONE),
        ),
        generated_at=generated_at,
        solver=SolverInfo(
            status="OPTIMAL", objective=0, bound=0, wall_seconds=0.1, workers=2, seed=0
        ),
        objective_terms=[],
        slots=slots,
        people=[],
    )


def make_version(
    number: int,
    published_at: datetime,
    assignment: dict[str, list[str]] | None = None,
    period: tuple[date, date] = (date(2020, 2, 3), date(2020, 2, 4)),
) -> Version:
    """Version ``number`` of ``period`` as a store would hand it over, published by 张海燕."""
    return Version(
        number=number,
        parent=number - 1 if number > 1 else None,
        published_at=published_at,
        author="张海燕",
        message=f"第{number}版",
        inputs_digest="0" * 64,
        schedule=make_schedule(assignment, period, generated_at=published_at - timedelta(hours=1)),
    )
