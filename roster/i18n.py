"""Messages in the user's language: one gettext domain, the language chosen once per command.

Two kinds of text, two choices of language:

* **messages** to the person at the terminal (errors, ``validate``, the summary, ``check``) are in
  the *message language*: ``--lang``, else ``ROSTER_LANG``, else the roster's ``language``, else
  the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``) when there is no roster to go by, else zh.
  ``_()`` translates into it.
* **the roster's words** for the people on duty (feeds, index.html, roster.csv, roster.md, the
  sentences stored in schedule.json) are always in the roster's ``language``, whoever runs the
  command: ``translator(language)`` gives the gettext function of one language.

Source strings (msgids) are English with ``str.format`` fields (``{file}``); the catalogues live
in ``roster/locale/`` (``dutyroster.pot``, ``<locale>/LC_MESSAGES/dutyroster.po``) and are compiled
to ``.mo`` when the package is built or installed (``make``; the setuptools build in setup.py).
"""

from __future__ import annotations

import gettext
import io
import os
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DOMAIN = "dutyroster"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: The languages messages can be in (as ``--lang`` takes them) and the catalogue of each.
LOCALES = {"zh": "zh_CN", "en": "en"}
DEFAULT = "zh"
#: The environment variable that chooses the message language for this program alone.
ENV_VAR = "ROSTER_LANG"
#: The locale variables, in the order POSIX gives them precedence.
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")

_chosen: ContextVar[str | None] = ContextVar("roster_lang_chosen", default=None)
_current: ContextVar[str | None] = ContextVar("roster_lang_current", default=None)


def N_(message: str) -> str:
    """Mark a string for the catalogue without translating it here (it is translated later, in
    the language of the moment, with ``_``)."""
    return message


def normalize(code: str | None) -> str | None:
    """``zh``, ``zh_CN.UTF-8``, ``zh-Hans`` → ``zh``; ``en_US.UTF-8`` → ``en``; anything else
    (``C``, ``POSIX``, ``C.UTF-8``, ``fr_FR``, empty) → None."""
    if not code:
        return None
    base = re.split(r"[_.@-]", code.strip().lower(), maxsplit=1)[0]
    return base if base in LOCALES else None


def locale_language() -> str | None:
    """The language the locale variables name (the first one set decides), or None when it is
    not zh or en (``C.UTF-8`` names none)."""
    for name in LOCALE_VARS:
        value = os.environ.get(name)
        if value:
            return normalize(value)
    return None


def message_language(roster_language: str | None = None) -> str:
    """The language of messages: ``--lang`` (``choose``), then ``ROSTER_LANG``, then the roster's
    ``language`` (None when there is no roster), then the locale, then zh.

    The locale comes after the roster because it is set once for a whole machine (often
    ``en_US.UTF-8`` or ``C.UTF-8`` on servers), while the roster's language is a choice made for
    its community; ``ROSTER_LANG`` is the setting for this program alone.
    """
    for candidate in (_chosen.get(), os.environ.get(ENV_VAR), roster_language):
        found = normalize(candidate)
        if found:
            return found
    return locale_language() or DEFAULT


def current() -> str:
    """The language messages are being written in right now."""
    return _current.get() or message_language()


@contextmanager
def choosing(language: str | None) -> Iterator[None]:
    """Within the block, ``language`` (as ``--lang`` gives it) wins over everything else."""
    token = _chosen.set(normalize(language))
    try:
        yield
    finally:
        _chosen.reset(token)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Within the block, messages are written in ``language``."""
    token = _current.set(normalize(language) or DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def speaking_for(roster_language: str | None) -> AbstractContextManager[None]:
    """Messages in the message language of a roster whose ``language`` is ``roster_language``."""
    return speaking(message_language(roster_language))


@cache
def catalogue(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language`` (zh or en). When the ``.mo`` has not been compiled
    (a source checkout before ``make``), the ``.po`` is compiled in memory with Babel."""
    name = LOCALES.get(normalize(language) or DEFAULT, LOCALES[DEFAULT])
    try:
        return gettext.translation(DOMAIN, LOCALE_DIR, [name])
    except FileNotFoundError:
        pass
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po.open("rb") as handle:
        read = read_po(handle, locale=name, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, read)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translator(language: str) -> Callable[[str], str]:
    """The gettext function of one language, for the roster's words (zh for zh-CN, zh-Hans…;
    English for anything that is not Chinese)."""
    lang = "zh" if (language or "").lower().startswith("zh") else "en"
    return catalogue(lang).gettext


def _(message: str) -> str:
    """``message`` in the message language of the moment."""
    return catalogue(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message, in the message language of the moment."""
    return catalogue(current()).ngettext(singular, plural, n)


def NP_(context: str, message: str) -> tuple[str, str]:
    """Mark a string with a context for the catalogue (the same English word that reads
    differently in Chinese, e.g. a table's "People" and a feed page's "People")."""
    return context, message


def pgettext_in(language: str, context: str, message: str) -> str:
    """``message`` of ``context`` in one language (for the roster's words)."""
    lang = "zh" if (language or "").lower().startswith("zh") else "en"
    return catalogue(lang).pgettext(context, message)


def pgettext(context: str, message: str) -> str:
    """``message`` of ``context`` in the message language of the moment."""
    return catalogue(current()).pgettext(context, message)


#: The days of the week, Monday first, and the months, short and in full: msgids in the contexts
#: "weekday" and "month" (a diff, a print and the server's pages name days with them; in Chinese a
#: month is named with its number, 2月).
WEEKDAYS = [
    NP_("weekday", "Mon"),
    NP_("weekday", "Tue"),
    NP_("weekday", "Wed"),
    NP_("weekday", "Thu"),
    NP_("weekday", "Fri"),
    NP_("weekday", "Sat"),
    NP_("weekday", "Sun"),
]
MONTHS = [
    NP_("month", "Jan"),
    NP_("month", "Feb"),
    NP_("month", "Mar"),
    NP_("month", "Apr"),
    NP_("month", "May"),
    NP_("month", "Jun"),
    NP_("month", "Jul"),
    NP_("month", "Aug"),
    NP_("month", "Sep"),
    NP_("month", "Oct"),
    NP_("month", "Nov"),
    NP_("month", "Dec"),
]
MONTH_NAMES = [
    NP_("month", "January"),
    NP_("month", "February"),
    NP_("month", "March"),
    NP_("month", "April"),
    NP_("month", "May"),
    NP_("month", "June"),
    NP_("month", "July"),
    NP_("month", "August"),
    NP_("month", "September"),
    NP_("month", "October"),
    NP_("month", "November"),
    NP_("month", "December"),
]
