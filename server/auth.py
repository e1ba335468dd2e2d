"""The coordinator's password (an argon2 hash, never the password) and the limit on wrong tokens
and passwords per client address."""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import time
from collections import OrderedDict
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from roster.errors import RosterError
from roster.i18n import _
from roster.schedule import atomic_write

#: The file in the roster folder holding the coordinator's password hash (owner-only).
PASSWORD_FILE = ".serve-password"
#: An environment variable holding the hash instead (wins over the file).
PASSWORD_ENV = "ROSTER_SERVE_PASSWORD_HASH"
#: Shortest password accepted: the pages show every phone number and every private link.
MIN_PASSWORD = 10

_hasher = PasswordHasher()


class PasswordError(RosterError):
    """Raised when a password cannot be set (too short, the two entries differ) or the stored
    hash is not an argon2 hash. The message names the file or variable and the fix."""


def hash_password(password: str) -> str:
    """The argon2id hash of a coordinator's password, as stored (parameters and salt inside)."""
    if len(password) < MIN_PASSWORD:
        raise PasswordError(
            _(
                "a password of {length} characters is too easy to guess; give at least {least}"
            ).format(length=len(password), least=MIN_PASSWORD)
        )
    return _hasher.hash(password)


def write_password_hash(folder: Path, password: str) -> Path:
    """Store the hash of ``password`` in the roster folder, readable by its owner only."""
    path = folder / PASSWORD_FILE
    atomic_write(path, hash_password(password) + "\n", mode=0o600)
    return path


def load_password_hash(folder: Path) -> str | None:
    """The coordinator's password hash: ``$ROSTER_SERVE_PASSWORD_HASH``, else the file in the
    roster folder, else None (the coordinator's pages are then closed)."""
    text = os.environ.get(PASSWORD_ENV, "").strip()
    where = PASSWORD_ENV
    if not text:
        path = folder / PASSWORD_FILE
        try:
            text = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise PasswordError(
                _("{file}: cannot read the password hash ({reason})").format(file=path, reason=exc)
            ) from None
        where = str(path)
    if not text.startswith("$argon2"):
        raise PasswordError(
            _(
                "{where}: not an argon2 password hash; set it again with "
                "`roster serve-password DIR`"
            ).format(where=where)
        )
    return text


class Coordinator:
    """Checks HTTP Basic credentials against the stored hash. A verified header is remembered
    (as a digest) so argon2's deliberate slowness is paid once per password, not per page."""

    def __init__(self, password_hash: str | None) -> None:
        self.password_hash = password_hash
        self._verified: set[bytes] = set()

    def check(self, authorization: str | None) -> bool:
        """Whether an ``Authorization: Basic …`` header carries the password (any user name)."""
        if self.password_hash is None or not authorization:
            return False
        scheme, _space, credentials = authorization.partition(" ")
        if scheme.lower() != "basic" or len(credentials) > 1024:
            return False
        digest = hashlib.sha256(credentials.strip().encode("ascii", "replace")).digest()
        if digest in self._verified:
            return True
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        _user, colon, password = decoded.partition(":")
        if not colon:
            return False
        try:
            _hasher.verify(self.password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
        self._verified.add(digest)
        return True


class MissLimiter:
    """Counts wrong tokens and wrong passwords per client address in a fixed window; an address
    over the limit gets 429 for every token and password until its window ends.

    Blocking right and wrong tokens alike matters: answering a right token while refusing wrong
    ones would tell a guesser when they hit. The limit is generous because a whole community
    may share one address (a carrier's NAT), and a revoked link stays in calendars, polled hourly.
    """

    def __init__(self, limit: int = 60, window: float = 600.0, capacity: int = 100_000) -> None:
        self.limit = limit
        self.window = window
        self.capacity = capacity
        self._counts: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def _entry(self, client: str, now: float) -> tuple[float, int]:
        entry = self._counts.get(client)
        if entry is None or now - entry[0] >= self.window:
            return (now, 0)
        return entry

    def blocked(self, client: str, now: float | None = None) -> float:
        """Seconds until ``client`` may try again; 0 when it is not blocked."""
        now = time.monotonic() if now is None else now
        start, count = self._entry(client, now)
        if count < self.limit:
            return 0.0
        return max(1.0, start + self.window - now)

    def miss(self, client: str, now: float | None = None) -> None:
        """Record a wrong token or password from ``client``."""
        now = time.monotonic() if now is None else now
        start, count = self._entry(client, now)
        self._counts[client] = (start, count + 1)
        self._counts.move_to_end(client)
        # Bounded memory under a flood of addresses: forget the least recently missed.
        while len(self._counts) > self.capacity:
            self._counts.popitem(last=False)
