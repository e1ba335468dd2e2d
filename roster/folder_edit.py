"""Writing new facts back into a roster folder (leave given on the command line), so the folder
stays the truth; roster.yaml is edited as text, so its comments, anchors and layout stay as the
coordinator wrote them."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

from .errors import LoadError
from .i18n import _
from .load import ROSTER_FILE, read_yaml
from .models import Leave, parse_moment
from .schedule import atomic_write

_TOP_KEY = re.compile(r"^[^\s#-][^:]*:")
_LEAVE = re.compile(r"^leave:\s*(?:#.*)?$")
_LEAVE_EMPTY = re.compile(r"^leave:\s*\[\s*\]\s*(?:#.*)?$")


def _moment(value: date | datetime) -> str:
    """A leave bound as roster.yaml writes it: YYYY-MM-DD, or a local moment YYYY-MM-DDTHH:MM
    (quoted, as YAML would otherwise read the colon's neighbours oddly in a flow mapping)."""
    if isinstance(value, datetime):
        return f'"{value:%Y-%m-%dT%H:%M}"'
    return value.isoformat()


def leave_line(entry: Leave, indent: str = "  ") -> str:
    """One leave entry as a flow mapping on its own line, as the hand-written ones are."""
    parts = [f"person: {json.dumps(entry.person, ensure_ascii=False)}"]
    parts.append(f"from: {_moment(entry.start)}")
    parts.append(f"to: {_moment(entry.end)}")
    if entry.reason:
        parts.append(f"reason: {json.dumps(entry.reason, ensure_ascii=False)}")
    return f"{indent}- {{{', '.join(parts)}}}"


def add_leave(folder: Path, entries: list[Leave]) -> Path:
    """Append ``entries`` to the top-level ``leave:`` list of the folder's roster.yaml (adding the
    key at the end when missing). The file is read back to make sure it now holds exactly the old
    leave plus the new, and rewritten through a temporary file, so a failure changes nothing.
    Returns the file written."""
    path = folder / ROSTER_FILE
    before = read_yaml(path)
    if not isinstance(before, dict):
        raise LoadError(str(path), "", _("should be a mapping of keys (name:, posts:, …)"))
    old_leave = before.get("leave") or []
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    where = next((i for i, line in enumerate(lines) if line.startswith("leave:")), None)
    if where is None:
        added = ["", "leave:", *(leave_line(e) for e in entries)]
        lines = [*lines, *added]
    elif _LEAVE_EMPTY.match(lines[where]):
        lines[where : where + 1] = ["leave:", *(leave_line(e) for e in entries)]
    elif _LEAVE.match(lines[where]):
        # The block ends before the next top-level key; trailing blank and comment lines stay
        # after the new entries, with the key they introduce.
        end = next(
            (i for i in range(where + 1, len(lines)) if _TOP_KEY.match(lines[i])), len(lines)
        )
        last = end
        while last > where + 1 and (
            not lines[last - 1].strip() or lines[last - 1].lstrip().startswith("#")
        ):
            last -= 1
        indent = "  "
        for line in lines[where + 1 : last]:
            if line.lstrip().startswith("- "):
                indent = line[: len(line) - len(line.lstrip())]
                break
        lines[last:last] = [leave_line(e, indent) for e in entries]
    else:
        raise LoadError(
            str(path),
            "leave",
            _(
                "is written on one line; write it as a list, one '- {{person: …}}' per line, so "
                "new leave can be added"
            ).format(),
        )
    new_text = "\n".join(lines) + "\n"
    # Read the edited text back: every other key as before, the old leave first, then the new.
    check_path = path.with_name(f".{path.name}.check")
    try:
        check_path.write_text(new_text, encoding="utf-8")
        after = read_yaml(check_path)
    finally:
        check_path.unlink(missing_ok=True)
    new_leave = (after.get("leave") or []) if isinstance(after, dict) else []
    same_rest = isinstance(after, dict) and {k: v for k, v in after.items() if k != "leave"} == {
        k: v for k, v in before.items() if k != "leave"
    }
    if not (
        same_rest
        and new_leave[: len(old_leave)] == old_leave
        and len(new_leave) == len(old_leave) + len(entries)
    ):
        raise LoadError(
            str(path),
            "leave",
            _("could not add the new leave without changing other keys; add it by hand"),
        )
    atomic_write(path, new_text)
    return path


_DAY = r"\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2})?"
_SPEC = re.compile(
    rf"^(?P<person>[^:]+):(?P<from>{_DAY})(?:\.\.(?P<to>{_DAY}))?(?::(?P<reason>.*))?$"
)


def parse_leave_spec(text: str, option: str = "--leave") -> Leave:
    """``PERSON:FROM[..TO][:REASON]`` as given on the command line, e.g.
    ``p07:2020-02-06..2020-02-08:发热`` or ``p07:2020-02-06T07:00..2020-02-08``; a date alone
    is that whole day. Raises LoadError naming the option and the form expected."""
    match = _SPEC.match(text.strip())
    if not match:
        raise LoadError(
            option,
            "",
            _(
                "{text!r} is not PERSON:FROM[..TO][:REASON]; e.g. p07:2020-02-06..2020-02-08:发热"
            ).format(text=text),
        )
    start = parse_moment(match["from"].replace(" ", "T"))
    end = parse_moment((match["to"] or match["from"]).replace(" ", "T"))
    try:
        return Leave(
            person=match["person"].strip(),
            start=start,
            end=end,
            reason=(match["reason"] or "").strip(),
        )
    except ValueError as exc:
        raise LoadError(option, "", _("{text!r}: {error}").format(text=text, error=exc)) from None
