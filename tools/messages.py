"""The message catalogues: extracts roster/locale/dutyroster.pot from the code, merges it into each
language's .po, compiles the .mo files and checks that every message is translated.

    python tools/messages.py extract   # after changing a marked message: .pot and .po files
    python tools/messages.py compile   # .po -> .mo (make and the package build run this)
    python tools/messages.py check     # what the tests check: current .pot, complete zh_CN

English is the source language: en.po repeats each msgid as its msgstr, so a missing English
entry is caught as surely as a missing Chinese one.
"""

from __future__ import annotations

import string
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "roster" / "locale"
DOMAIN = "dutyroster"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
#: Catalogues and whether each must translate every message (en may leave a msgstr empty, which
#: gettext reads as the msgid; `extract` fills it in anyway).
LOCALES = {"zh_CN": True, "en": False}
#: Where marked messages live: every package that speaks to people. Of solver/, the repair's, the
#: cluster's and the search's own errors (the model's explanations are built from the checker's
#: sentences).
METHOD_MAP = [
    ("roster/**.py", "python"),
    ("calendars/**.py", "python"),
    ("store/**.py", "python"),
    ("server/**.py", "python"),
    ("solver/repair.py", "python"),
    ("solver/cluster.py", "python"),
    ("solver/solve.py", "python"),
    ("solver/components.py", "python"),
    ("cli.py", "python"),
]
#: gettext's keywords plus those of roster.i18n: N_(msg), NP_(context, msg), pgettext_in(language,
#: context, msg), and t(msg) for the function ``t = translator(language)`` of the roster's words.
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "N_": None,
    "NP_": ((1, "c"), 2),
    "pgettext_in": ((2, "c"), 3),
    "t": None,
}
#: A fixed creation date, so that extracting twice writes the same file.
CREATED = datetime(2026, 11, 30, tzinfo=UTC)


def po_path(locale: str) -> Path:
    """Where the .po of ``locale`` lives."""
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> Catalog:
    """Every message marked in the code, each with the files that use it (no line numbers, so
    the catalogue changes only when messages do)."""
    catalog = Catalog(
        project="dutyroster",
        version="0.1.0",
        domain=DOMAIN,
        copyright_holder="the dutyroster authors",
        msgid_bugs_address="",
        creation_date=CREATED,
        fuzzy=False,
    )
    catalog.revision_date = CREATED
    for filename, _lineno, message, comments, context in extract_from_dir(
        ROOT, METHOD_MAP, keywords=KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True
    ):
        if isinstance(message, tuple):  # a plural, or a call whose context came first
            message = message[0]
        if not message:
            continue
        catalog.add(
            message,
            None,
            [(filename, None)],  # type: ignore[list-item]
            auto_comments=comments,
            context=context,
        )
    return catalog


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(
            handle,
            catalog,
            width=100,
            sort_output=True,
            include_lineno=False,
            ignore_obsolete=True,
        )


def read(path: Path, locale: str | None = None) -> Catalog:
    """A .po or .pot file."""
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def keys(catalog: Iterable[Message]) -> set[tuple[str | None, str]]:
    """(context, msgid) of every message but the header."""
    return {(m.context, str(m.id)) for m in catalog if m.id}


def update() -> None:
    """Write the .pot from the code and merge it into each .po, keeping the translations."""
    template = extract()
    _write(template, TEMPLATE)
    for locale in LOCALES:
        path = po_path(locale)
        catalog = read(path, locale) if path.exists() else Catalog(locale=locale, domain=DOMAIN)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.creation_date = CREATED
        catalog.revision_date = CREATED
        for message in catalog:
            if message.id and locale == "en" and not message.string:
                message.string = message.id
        _write(catalog, path)


def compile_all(target: Path = LOCALE_DIR) -> list[Path]:
    """Compile each .po into its .mo beside it (or under ``target``, e.g. a build folder)."""
    written = []
    for locale in LOCALES:
        catalog = read(po_path(locale), locale)
        out = target / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("wb") as handle:
            write_mo(handle, catalog)
        written.append(out)
    return written


def fields(text: str) -> set[str]:
    """The names of a message's ``str.format`` fields (``{file}``, ``{key!r}`` -> file, key)."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return set()


def problems(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """What is wrong with the catalogues under ``locale_dir``: a stale .pot, a message missing
    from a .po or untranslated in zh_CN, a translation with a {field} its msgid does not have."""
    out = []
    code = keys(extract())
    template = keys(read(locale_dir / TEMPLATE.name))
    for context, msgid in sorted(code - template, key=str):
        out.append(f"{TEMPLATE.name}: missing {msgid!r} (context {context}); run make messages")
    for context, msgid in sorted(template - code, key=str):
        out.append(f"{TEMPLATE.name}: {msgid!r} (context {context}) is no longer in the code")
    for locale, complete in LOCALES.items():
        catalog = read(locale_dir / po_path(locale).relative_to(LOCALE_DIR), locale)
        present = {(m.context, str(m.id)): m for m in catalog if m.id}
        for key in sorted(template - set(present), key=str):
            out.append(f"{locale}: missing {key[1]!r} (context {key[0]}); run make messages")
        for key, message in sorted(present.items(), key=lambda kv: str(kv[0])):
            if key not in template:
                continue
            text = str(message.string or "")
            if not text:
                if complete:
                    out.append(f"{locale}: {key[1]!r} is not translated")
                continue
            if message.fuzzy:
                out.append(f"{locale}: {key[1]!r} is marked fuzzy; check and unmark it")
            # A translation may leave a field out (Chinese counts differently) but not invent
            # one, which format() could not fill.
            extra = fields(text) - fields(key[1])
            if extra:
                out.append(f"{locale}: the translation of {key[1]!r} adds {sorted(extra)}")
    return out


def main(argv: list[str]) -> int:
    """The command line: extract, compile or check."""
    command = argv[1] if len(argv) > 1 else ""
    if command == "extract":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        found = problems()
        for line in found:
            print(line, file=sys.stderr)
        return 1 if found else 0
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
