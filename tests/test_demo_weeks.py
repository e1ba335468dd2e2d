"""The weekly cycle of `make demo` on the reference community: 2020-W06 solved and published into
a roster store, 2020-W07 solved from it, both with the demo's repeatable search (10 work units;
2 workers, which the demo's model size gets by default), so the figures are the demo's.

The example shares night shifts over the rolling window (``weights: {fair_nights: 5}`` in
examples/xingwang/roster.yaml): last week's busiest night workers get fewer nights this week.
"""

from __future__ import annotations

import json
from pathlib import Path
from statistics import mean
from typing import Any

from click.testing import CliRunner

from cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "xingwang"
SEARCH = ["--repeatable", "--work-units", "10", "--workers", "2", "--seed", "0"]


def demo(tmp: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The demo's 2020-W06 (as published) and 2020-W07 (solved from the store) schedules."""
    db = tmp / "roster.db"
    runner = CliRunner()
    for args in (
        ["solve", EXAMPLE, "--week", "2020-W06", *SEARCH, "--db", db, "--out", tmp / "w06"],
        [
            *("publish", EXAMPLE, tmp / "w06" / "schedule.json", "--db", db),
            *("--by", "马秀英", "-m", "2020-W06 第一版", "--no-feeds"),
        ],
        ["solve", EXAMPLE, "--week", "2020-W07", *SEARCH, "--db", db, "--out", tmp / "w07"],
    ):
        result = runner.invoke(main, [str(a) for a in args])
        assert result.exit_code == 0, result.output
    assert "历史：2020-W06 v1" in result.output  # the roster is Chinese, so are the messages
    return tuple(  # type: ignore[return-value]
        json.loads((tmp / w / "schedule.json").read_text(encoding="utf-8")) for w in ("w06", "w07")
    )


def nights(schedule: dict[str, Any]) -> dict[str, int]:
    return {p["id"]: p["nights"] for p in schedule["people"]}


def test_last_weeks_night_workers_get_fewer_nights(tmp_path_factory: Any) -> None:
    week6, week7 = demo(tmp_path_factory.mktemp("demo"))
    before, after = nights(week6), nights(week7)
    most = max(before.values())
    busiest = [p for p, n in before.items() if n == most]
    # Everyone who had week 6's most nights has fewer in week 7.
    assert busiest
    assert all(after[p] < most for p in busiest), {p: after[p] for p in busiest}
    # And the more nights in week 6, the fewer in week 7: the busiest get fewer on average than
    # those who had one night.
    once = [p for p, n in before.items() if n == 1]
    assert mean(after[p] for p in busiest) < mean(after[p] for p in once)
    # The window's fairness is what asks for it: week 7's summary counts both weeks' nights.
    window = {p["id"]: p["nights"] for p in week7["window"]["people"]}
    assert window == {p: before[p] + after[p] for p in before}
