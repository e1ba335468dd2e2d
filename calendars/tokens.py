"""Unguessable, revocable feed file names: HMAC tokens from a secret kept in the roster folder."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from roster.schedule import atomic_write

from .errors import FeedError

SECRET_FILE = ".feeds-secret"
ROTATIONS_FILE = ".feeds-rotations.json"
#: Kinds of feed that have a token; a rotation counter is kept per kind and id.
KINDS = ("person", "post", "all")
# 128 bits of HMAC output: far beyond guessing, and 26 characters of base32 keep URLs short.
_TOKEN_BYTES = 16


@dataclass(frozen=True)
class FeedKey:
    """Which feed a token names: ``person`` and an id, ``post`` and an id, or ``all``."""

    kind: str
    id: str = ""

    def label(self) -> str:
        """The key as written in messages, e.g. ``person p01``."""
        return f"{self.kind} {self.id}".strip()


def _secret_path(folder: Path) -> Path:
    return folder / SECRET_FILE


def load_secret(folder: Path) -> bytes:
    """The roster's feeds secret, created (readable by the owner only) on first use.

    Whoever holds this secret can compute every feed URL: it is never printed or written to the
    feeds folder. Deleting the file changes every feed URL at the next ``roster feeds``.
    """
    path = _secret_path(folder)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError as exc:
        raise FeedError(f"{path}: cannot create the feeds secret ({exc.strerror})") from None
    else:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    try:
        text = path.read_text(encoding="ascii").strip()
    except OSError as exc:
        raise FeedError(f"{path}: cannot read the feeds secret ({exc.strerror})") from None
    except UnicodeDecodeError:
        text = ""
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        secret = b""
    if len(secret) < 16:
        raise FeedError(
            f"{path}: not a feeds secret; delete the file to make a new one "
            "(every feed link then changes)"
        )
    return secret


def load_rotations(folder: Path) -> dict[str, dict[str, int]]:
    """How often each feed's token was rotated: ``{kind: {id: count}}`` (empty when never)."""
    path = folder / ROTATIONS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(f"{path}: not a rotations file ({exc}); fix or delete it") from None
    valid = isinstance(data, dict) and all(
        kind in KINDS
        and isinstance(counts, dict)
        and all(isinstance(n, int) and n >= 0 for n in counts.values())
        for kind, counts in data.items()
    )
    if not valid:
        raise FeedError(
            f"{path}: expected {{kind: {{id: count}}}} with kinds {', '.join(KINDS)}; "
            "fix or delete it"
        )
    return {kind: dict(counts) for kind, counts in data.items()}


def rotate(folder: Path, key: FeedKey) -> int:
    """Rotate one feed's token: its old URL stops existing at the next ``roster feeds``.

    Returns how many times that feed has now been rotated.
    """
    if key.kind not in KINDS:
        raise FeedError(f"unknown kind of feed {key.kind!r}; use one of {', '.join(KINDS)}")
    load_secret(folder)  # rotating before any feed exists still leaves a usable folder
    rotations = load_rotations(folder)
    counts = rotations.setdefault(key.kind, {})
    counts[key.id] = counts.get(key.id, 0) + 1
    text = json.dumps(rotations, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    # Readable by the owner only, like the secret: the counts tell whose link was revoked.
    atomic_write(folder / ROTATIONS_FILE, text, mode=0o600)
    return counts[key.id]


class Tokens:
    """Computes feed tokens for one roster folder (reading its secret and rotations once)."""

    def __init__(self, folder: Path) -> None:
        self._secret = load_secret(folder)
        self._rotations = load_rotations(folder)

    def token(self, key: FeedKey) -> str:
        """The token of a feed: 26 lowercase base32 characters, fixed until it is rotated."""
        count = self._rotations.get(key.kind, {}).get(key.id, 0)
        message = f"dutyroster-feed\0{key.kind}\0{key.id}\0{count}".encode()
        digest = hmac.new(self._secret, message, hashlib.sha256).digest()[:_TOKEN_BYTES]
        return base64.b32encode(digest).decode("ascii").rstrip("=").lower()
