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

import pytest
from click.testing import CliRunner

from cli import INTERRUPTED, SignalStop, main
from solver.search import Stop

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
        # A progress line with a penalty: the search has a roster.
        progress = wait_for(lines, "penalty")
        assert " of 600 s" in progress[-1]
        proc.send_signal(signal.SIGINT)
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


def test_a_second_signal_exits_at_once_without_writing() -> None:
    stop = Stop()
    exits: list[int] = []
    handler = SignalStop(stop, exit=exits.append)
    handler(signal.SIGINT, None)
    assert stop.interrupted and exits == []
    handler(signal.SIGTERM, None)
    assert exits == [INTERRUPTED]


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
