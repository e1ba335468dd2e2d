"""What an installed `roster` needs beyond the code ships in the wheel."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_bundled_example_ships_with_all_its_files() -> None:
    # `roster init` copies from examples/ beside cli.py; with `pipx install .` that is the
    # installed package, so each example's files must be package data.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    assert "examples*" in setuptools["packages"]["find"]["include"]
    data = setuptools["package-data"]
    examples = sorted(p for p in (ROOT / "examples").iterdir() if p.is_dir())
    assert examples, "examples/ holds the bundled examples"
    for folder in examples:
        globs = data[f"examples.{folder.name}"]
        for file in folder.iterdir():
            shipped = any(fnmatch.fnmatch(file.name, g) for g in globs)
            # Dot files are what `roster feeds` keeps beside a folder it was run on (the feeds'
            # secret): never shipped.
            assert shipped != file.name.startswith("."), f"{file}: shipped is {shipped}"
