"""Writes docs/formats.md, the file formats, from the models and the writers themselves.

The keys of roster.yaml and schedule.json are the pydantic models' fields; the people file's
columns are the loader's; the samples of schedule.json, roster.csv, roster.md and index.json are
written by the code that writes the real files, from one small schedule built here.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from modeldoc import ROOT, cell, model_sections

from calendars.feeds import FeedIndex
from roster.load import COLUMN_ALIASES, PEOPLE_COLUMNS
from roster.models import DEFAULT_RULES, Person, RosterConfig, RuleSet
from roster.render import render_csv, render_markdown
from roster.schedule import (
    ObjectiveTerm,
    PeriodOut,
    PersonOut,
    PostOut,
    Schedule,
    ShortageOut,
    SlotOut,
    SolverInfo,
)

TARGET = ROOT / "docs" / "formats.md"

#: What the people file's columns hold beyond the Person model's own descriptions.
COLUMN_NOTES = {
    "tags": "Several separated by `;` (or `；`), each declared under `tags:`.",
    "skills": "Several separated by `;` (or `；`), each declared under `skills:`.",
    "share_phone": "`true`/`false`, or `是`/`否`.",
    "unavailable": "Dates or ranges away, each with its reason, separated by `;`: "
    "`2020-02-03..2020-02-05 病假; 2020-02-08 复查` (`~`, `～` or `至` also join a range).",
}


def sample_schedule() -> Schedule:
    """A small schedule of the reference community: one gate shift filled, one short."""
    zone = ZoneInfo("Asia/Shanghai")
    monday = datetime(2020, 2, 3, tzinfo=zone)

    def slot(hour: int, assigned: list[str], shortage: int) -> SlotOut:
        start = monday + timedelta(hours=hour)
        return SlotOut(
            id=f"gate-temp/{start:%Y-%m-%dT%H:%M}",
            post="gate-temp",
            start=start,
            end=start + timedelta(hours=6),
            min=2,
            target=2,
            max=2,
            assigned=assigned,
            shortage=shortage,
        )

    return Schedule(
        roster="兴旺社区",
        timezone="Asia/Shanghai",
        period=PeriodOut(start=monday, end=monday + timedelta(days=7)),
        generated_at=datetime(2020, 2, 2, 12, 0, tzinfo=UTC),
        solver=SolverInfo(
            status="OPTIMAL", objective=1006, bound=1006, wall_seconds=1.9, workers=8, seed=0
        ),
        objective_terms=[
            ObjectiveTerm(rule="shortage", penalty=1000, label="低于最少人数的缺员"),
            ObjectiveTerm(rule="fair_hours", penalty=6, label="各人工时偏离应分担份额（小时）"),
        ],
        language="zh",
        posts=[PostOut(id="gate-temp", name="体温检测岗", location="北门测温点")],
        slots=[slot(6, ["p01", "p07"], 0), slot(12, ["p07"], 1)],
        people=[
            PersonOut(id="p01", name="马秀英", hours=6.0, shifts=1, nights=0),
            PersonOut(id="p07", name="赵丽萍", hours=12.0, shifts=2, nights=0),
            PersonOut(id="p12", name="李建国", hours=0.0, shifts=0, nights=0),
        ],
        shortages=[
            ShortageOut(
                slot="gate-temp/2020-02-03T12:00",
                post="gate-temp",
                start=monday + timedelta(hours=12),
                missing=1,
                reasons={"rest": 1, "skill": 1},
                text="缺1人：1人前一班后需休息，1人无测温技能",
                people={
                    "p01": "马秀英 (p01): 0 h between gate-temp/2020-02-03T06:00 and "
                    "gate-temp/2020-02-03T12:00, needs 8 h",
                    "p12": "lacks skill 会使用体温仪（已培训）",
                },
            )
        ],
        hints=["再加1名会测温的人员即可排满"],
    )


def sample_index() -> FeedIndex:
    """The feeds index of the sample schedule, with tokens shortened."""
    return FeedIndex(
        folder=Path("feeds"),
        people={"p01": "people/3fa1….ics", "p07": "people/9c0e….ics"},
        posts={"gate-temp": "posts/gate-temp-51d2….ics"},
        all="all-7b44….ics",
        base_url="https://example.org/xingwang/feeds",
        updated=datetime(2020, 2, 2, 12, 0, tzinfo=UTC),
    )


def people_columns() -> str:
    """The people file's columns: the loader's own list, the Person model's descriptions."""
    aliases: dict[str, list[str]] = {}
    for heading, column in COLUMN_ALIASES.items():
        aliases.setdefault(column, []).append(heading)
    rows = ["| column | also headed | meaning |", "| --- | --- | --- |"]
    for column in PEOPLE_COLUMNS:
        field = Person.model_fields.get(column)
        text = field.description if field is not None and field.description else ""
        text = " ".join(t for t in (text, COLUMN_NOTES.get(column, "")) if t)
        also = ", ".join(aliases.get(column, []))
        rows.append(f"| `{column}` | {also} | {cell(text)} |")
    for column, field in RuleSet.model_fields.items():
        also = ", ".join(aliases.get(column, []))
        text = field.description or ""
        if column == "max_shifts_per_post":
            text += " In a cell: `duty-24h=2; gate-temp=5`."
        rows.append(f"| `{column}` | {also} | {cell(text)} |")
    return "\n".join(rows) + "\n"


INTRO = """\
# File formats

Generated from the code by `make docs` (`tools/formatdoc.py`); a test fails when it is out of date.
The keys and their meanings are the pydantic models' (`roster/models.py`, `roster/schedule.py`);
the samples are written by the code that writes the real files. What each rule does with its keys
is in [rules.md](rules.md).

## The roster folder

| file | holds |
| --- | --- |
| `roster.yaml` | the community: posts, rules, weights, leave, requests, pins |
| `people.csv` or `people.xlsx` | the people, one row each (optional: roster.yaml may list them) |
| `.feeds-secret` | the secret feed links are made from; created by `roster feeds`, mode 0600 |
| `.feeds-rotations.json` | how often each person's feed link was renewed (`roster rotate-token`) |

Keys are English; values (names, places, instructions, reasons) are in the community's language.
An unknown key is an error that lists the keys expected there; every error names the file and the
place (`roster.yaml: posts[1].shifts[2].end: …`, `people.csv: row 6, column tags: …`).

## roster.yaml

`RosterConfig` is the whole file; the other sections are the values of its keys. Keys of `RuleSet`
default to nothing (no limit) unless a default is shown: the defaults hold when neither the
person, their tags nor `rules:` set the key.
"""

PEOPLE = """\
## people.csv and people.xlsx

One row per person; the first row names the columns. `id` and `name` are required and the others
optional, in any order. CSV is read as UTF-8 with or without the BOM that Excel and WPS write (a
file saved in the Chinese Windows code page, GB18030, is read too); of an XLSX file the first sheet
is read. Headings may be in Chinese. Any rule key is a column too, setting that person's own
limit, which wins over their tags' and the global rules. An error names the row, as a spreadsheet
numbers it (the heading is row 1), and the column.
"""

SCHEDULE = """\
## schedule.json

What `roster solve` writes, and what `roster show`, `roster check` and `roster feeds` read.
Format `dutyroster.schedule/1`: fields may be added, none removed or renamed, so a reader ignores
fields it does not know. Times are ISO 8601 with the roster's UTC offset. A sample:
"""

CSV = """\
## roster.csv

One row per person on a slot, and for a slot short of its minimum one more row with no person and
the number missing in `shortage`. UTF-8 with a BOM, so Excel opens it as UTF-8. The sample
schedule's:
"""

MARKDOWN = """\
## roster.md

A table per day, for printing or pasting into a chat. The sample schedule's:
"""

FEEDS = """\
## The feeds folder

`roster feeds DIR SCHEDULE_JSON` writes into `--out` (default `feeds/` beside the schedule):

| file | what it is |
| --- | --- |
| `people/<token>.ics` | one feed per person: their duties, each with a reminder |
| `posts/<post id>-<token>.ics` | one feed per post: every shift, who is on it, any shortage |
| `all-<token>.ics` | the whole roster |
| `index.json` | where each feed is, by person and post id (below) |
| `index.html` | the coordinator's page of subscription links, in the roster's language |

`index.json` and `index.html` list every private link: they stay with the coordinator and are
not published. What the `.ics` files hold and how they are made is in [feeds.md](feeds.md).
Paths in `index.json` are relative to the folder; `updated` is when the feeds' content last
changed. The sample's (tokens shortened):
"""


def render() -> str:
    """The whole file formats reference."""
    schedule = sample_schedule()
    parts = [
        INTRO,
        model_sections(RosterConfig, defaults={RuleSet: DEFAULT_RULES.model_dump()}),
        PEOPLE,
        people_columns(),
        SCHEDULE,
        f"```json\n{schedule.to_json().rstrip()}\n```\n",
        model_sections(Schedule),
        CSV,
        f"```text\n{render_csv(schedule).rstrip()}\n```\n",
        MARKDOWN,
        f"```markdown\n{render_markdown(schedule).rstrip()}\n```\n",
        FEEDS,
        f"```json\n{sample_index().to_json().rstrip()}\n```\n",
    ]
    return "\n".join(parts)


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {TARGET}\n")
