"""Ctrl-C during a solve: the best roster so far is written, marked interrupted, and the command
exits 130; a second Ctrl-C ends it at once without writing. Run as a real process, signalled."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from queue import Empty, Queue
from typing import Any

import pytest
from click.testing import CliRunner

from cli import INTERRUPTED, ProgressPrinter, SignalStop, main
from roster.errors import SolveInterrupted
from roster.i18n import speaking
from solver.components import PartProgress
from solver.search import Progress, Stop
from solver.solve import SolveOptions

ROOT = Path(__file__).resolve().parent.parent
#: Only a guard against a hung process: the test waits for lines, not for time to pass.
GUARD = 300.0


def start_solve(out: Path) -> tuple[subprocess.Popen[str], Queue[str]]:
    """``roster solve`` of the reference week with a long limit, its stderr read line by line."""
    args = ["solve", "examples/xingwang", "--week", "2020-W06", "--time-limit", "600"]
    args += ["--workers", "2", "--seed", "0", "--out", str(out)]
    proc = subprocess.Popen(
        [sys.executable, "-c", "from cli import main; main()", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: Queue[str] = Queue()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    return proc, lines


def wait_for(lines: Queue[str], text: str) -> list[str]:
    """The stderr lines up to the first containing ``text``."""
    seen: list[str] = []
    while True:
        try:
            line = lines.get(timeout=GUARD)
        except Empty:
            pytest.fail(f"no line with {text!r} on stderr; got {seen}")
        seen.append(line)
        if text in line:
            return seen


def test_ctrl_c_writes_the_best_roster_so_far_and_exits_130(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc, lines = start_solve(out)
    try:
        # A progress line with a penalty: the search has a roster. The reference roster is
        # Chinese, so its messages are too.
        progress = wait_for(lines, "罚分")
        assert "限时 600 秒" in progress[-1] and "下界" in progress[-1]
        proc.send_signal(signal.SIGINT)
        said = wait_for(lines, "已中断")
        assert "正在停止搜索" in said[-1] and "Ctrl-C" in said[-1]
        stdout, _ = proc.communicate(timeout=GUARD)
    finally:
        proc.kill()
    assert proc.returncode == INTERRUPTED
    schedule = json.loads((out / "schedule.json").read_text(encoding="utf-8"))
    assert schedule["solver"]["interrupted"] is True
    assert schedule["solver"]["mode"] == "wall"
    assert schedule["solver"]["status"] in ("FEASIBLE", "OPTIMAL")
    assert "已中断" in stdout
    assert (out / "roster.csv").is_file() and (out / "roster.md").is_file()
    # The roster kept is one the search found: every hard rule holds.
    checked = CliRunner().invoke(
        main, ["--lang", "en", "check", str(ROOT / "examples/xingwang"), str(out / "schedule.json")]
    )
    assert checked.exit_code == 0, checked.output
    assert "no violations" in checked.output


def test_a_second_signal_exits_at_once_without_writing(capsys: pytest.CaptureFixture[str]) -> None:
    stop = Stop()
    exits: list[int] = []
    with speaking("en"):
        handler = SignalStop(stop, exit=exits.append)
    handler(signal.SIGINT, None)
    assert stop.interrupted and exits == []
    handler(signal.SIGTERM, None)
    assert exits == [INTERRUPTED]
    # The handler speaks the language of the command that set it up, wherever it is called.
    assert capsys.readouterr().err == (
        "interrupted: stopping the search to write the best roster found so far "
        "(press Ctrl-C again to stop at once, writing nothing)\n"
        "stopped; nothing written\n"
    )
    with speaking("zh"):
        chinese = SignalStop(Stop(), exit=exits.append)
    chinese(signal.SIGINT, None)
    chinese(signal.SIGINT, None)
    assert capsys.readouterr().err == (
        "已中断：正在停止搜索，写出目前找到的最好排班（再按一次 Ctrl-C 立即停止，不写出任何文件）\n"
        "已停止；没有写出文件\n"
    )


def progress_line(language: str, options: SolveOptions, progress: Any) -> str:
    """The line a printer set up in ``language`` prints, printed from a thread of its own as the
    solver's callbacks are (they do not share the command's context)."""
    with speaking(language):
        printer = ProgressPrinter(options)
    lines: list[str] = []
    thread = threading.Thread(target=lambda: lines.append(printer.line(12.04, progress)))
    thread.start()
    thread.join()
    return lines[0]


def test_progress_lines_in_the_message_language() -> None:
    wall = SolveOptions(time_limit=60)
    found = Progress(objective=1326650.4, bound=1290000.0, elapsed=12.0, solutions=3)
    assert progress_line("en", wall, None) == "  …  12.0 s of 60 s  no roster yet"
    assert progress_line("en", wall, found) == "  …  12.0 s of 60 s  penalty 1326650  bound 1290000"
    assert progress_line("zh", wall, None) == "  …  12.0 秒 / 限时 60 秒  尚未找到排班"
    assert progress_line("zh", wall, found) == (
        "  …  12.0 秒 / 限时 60 秒  罚分 1326650  下界 1290000"
    )
    work = SolveOptions(repeatable=True, work_units=2.5)
    assert progress_line("en", work, found).startswith("  …  12.0 s (2.5 work units)  penalty")
    assert progress_line("zh", work, found).startswith("  …  12.0 秒（2.5 个工作单位）  罚分")
    parts = PartProgress(
        objective=40,
        bound=35,
        elapsed=12.0,
        solutions=2,
        part=1,
        parts=3,
        parts_done=1,
        parts_found=2,
        complete=False,
    )
    assert progress_line("en", wall, parts).endswith("penalty 40  bound 35  parts 2/3")
    assert progress_line("zh", wall, parts).endswith("罚分 40  下界 35  部分 2/3")


def test_interrupted_before_any_roster_in_the_message_language() -> None:
    with speaking("zh"):
        assert str(SolveInterrupted()) == "在找到任何排班之前就中断了；没有写出文件"
    with speaking("en"):
        assert str(SolveInterrupted()) == (
            "interrupted before any roster was found; nothing written"
        )


def test_an_interrupted_stop_stops_runs_and_starts_none() -> None:
    from ortools.sat.python import cp_model

    from solver.search import solve_registered

    model = cp_model.CpModel()
    x = model.new_int_var(0, 10, "x")
    model.maximize(x)
    stop = Stop()
    stop.interrupt()
    assert stop.left() == 0.0
    assert solve_registered(cp_model.CpSolver(), model, stop) == cp_model.UNKNOWN
