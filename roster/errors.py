"""Errors a user can cause, each naming the file and the place, for the CLI to print."""

from __future__ import annotations

from roster.i18n import _


class RosterError(ValueError):
    """Base of every error a coordinator can cause with their files or options.

    The CLI prints ``str(error)`` and exits non-zero; no traceback is shown unless ``--debug``.
    """


class LoadError(RosterError):
    """Raised when a roster folder cannot be read: a missing file, bad YAML or CSV, an unknown key,
    a value of the wrong kind, or a reference to something that does not exist.

    The message starts with the file and the path to the key (or the row and column); fix the file.
    """

    def __init__(self, file: str, where: str, problem: str) -> None:
        self.file = file
        self.where = where
        self.problem = problem
        place = f"{file}: {where}: " if where else f"{file}: "
        super().__init__(place + problem)


class LoadErrors(RosterError):
    """Raised when a roster folder has several problems: all of them are listed, one a line."""

    def __init__(self, errors: list[LoadError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class PeriodError(RosterError):
    """Raised when a planning period given on the command line is malformed or empty.

    Give ``--week YYYY-Www`` (an ISO week such as ``2020-W06``) or ``--from`` and ``--to`` dates.
    """


class ScheduleFileError(RosterError):
    """Raised when a ``schedule.json`` cannot be read or does not belong to the roster it is checked
    against. Produce it again with ``roster solve``."""


class InfeasibleError(RosterError):
    """Raised when the hard rules contradict each other, so no roster exists.

    ``conflicts`` holds the smallest set of contradicting rules found, each as a sentence. Relax one
    of them (or drop ``--strict``) and solve again.
    """

    def __init__(self, message: str, conflicts: list[str]) -> None:
        self.conflicts = conflicts
        super().__init__(message)

    def __reduce__(self) -> tuple[type[InfeasibleError], tuple[str, list[str]]]:
        # Pickled with its conflicts: a part solved on a cluster's worker raises it there.
        return type(self), (str(self), self.conflicts)


class PrintError(RosterError):
    """Raised when a roster cannot be printed as asked: a day outside the schedule's period, an
    output file whose format cannot be told from its name, or no font for the roster's language.

    The message names the file or option and what to give instead.
    """


class SolveInterrupted(RosterError):
    """Raised when a solve is interrupted (Ctrl-C, SIGTERM) before it found any roster, so there
    is nothing to write. Solve again and let it run longer.

    Without a ``message`` it holds no text: its sentence is said when it is shown, in the message
    language of that moment, so that one raised on a cluster's worker, which may speak another
    language, reads in the coordinator's."""

    def __init__(self, message: str | None = None) -> None:
        self.message = message or None
        super().__init__(*(() if self.message is None else (self.message,)))

    def __str__(self) -> str:
        if self.message is not None:
            return self.message
        return _("interrupted before any roster was found; nothing written")

    def __reduce__(self) -> tuple[type[SolveInterrupted], tuple[str | None]]:
        # Pickled without its sentence when it has the standard one (a worker's language).
        return type(self), (self.message,)


class HistoryError(RosterError):
    """Raised when a history of published duties does not fit the period it is used with: it was
    built for a period starting on another date, or with a window of no weeks.

    Build the history again for the period being planned or checked.
    """
