"""The digest of the inputs a schedule is made from: the roster folder's files, byte for byte."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .load import PEOPLE_FILES, ROSTER_FILE, Roster


def input_files(roster: Roster) -> list[Path]:
    """The files of a roster folder a schedule depends on: roster.yaml and the people file."""
    folder = roster.folder
    files = [folder / ROSTER_FILE]
    if roster.config.people_file:
        files.append(folder / roster.config.people_file)
    else:
        files.extend(folder / name for name in PEOPLE_FILES if (folder / name).is_file())
    return files


def inputs_digest(roster: Roster) -> str:
    """SHA-256 (hex) over the roster folder's input files, sorted by name: each file's name, its
    length and its bytes, so renaming or moving bytes between files changes the digest too."""
    digest = hashlib.sha256()
    for path in sorted(input_files(roster), key=lambda p: p.name):
        data = path.read_bytes()
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(str(len(data)).encode("ascii") + b"\0")
        digest.update(data)
    return digest.hexdigest()
