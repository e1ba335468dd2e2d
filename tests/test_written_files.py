"""Files the tool writes: atomic, and with the mode the user's umask asks for."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from roster.schedule import atomic_write


@pytest.fixture
def umask_027() -> Iterator[None]:
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def test_written_file_gets_the_umask_mode_not_0600(tmp_path: Path) -> None:
    # Regression: schedule.json, roster.csv and roster.md came out 0600 whatever the umask,
    # because the temporary file (mkstemp, 0600) was renamed with its mode.
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "排班.json", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "排班.json").stat().st_mode) == 0o644


def test_written_file_follows_a_stricter_umask(tmp_path: Path, umask_027: None) -> None:
    atomic_write(tmp_path / "roster.csv", "a,b\n")
    assert stat.S_IMODE((tmp_path / "roster.csv").stat().st_mode) == 0o640


def test_an_explicit_mode_wins_over_the_umask(tmp_path: Path) -> None:
    atomic_write(tmp_path / "secret", b"x", mode=0o600)
    assert stat.S_IMODE((tmp_path / "secret").stat().st_mode) == 0o600


def test_rewriting_replaces_the_content_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "roster.md"
    atomic_write(target, "旧")
    atomic_write(target, "新")
    assert target.read_text(encoding="utf-8") == "新"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roster.md"]
