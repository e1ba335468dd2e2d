"""The history of published versions for people (a table in the message language) and scripts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from roster.diff import diff_schedules
from roster.i18n import NP_, pgettext_in
from roster.render import table
from roster.slots import period_label
from roster.versions import Version

#: The table's headings, as msgids in the context "history".
_HEADERS = [
    NP_("history", "Period"),
    NP_("history", "Version"),
    NP_("history", "Parent"),
    NP_("history", "Published"),
    NP_("history", "By"),
    NP_("history", "Penalty"),
    NP_("history", "Short"),
    NP_("history", "Changes"),
    NP_("history", "Message"),
]
_CHANGES = NP_("history", "{people} people / {assignments}")


@dataclass(frozen=True)
class HistoryRow:
    """One version as the history shows it; ``changed_people`` and ``changed_assignments``
    compare it with its parent (None for a period's first version)."""

    version: Version
    penalty: int | None
    shortages: int
    changed_people: int | None
    changed_assignments: int | None

    @property
    def period(self) -> str:
        """The period's name, e.g. 2020-W06."""
        return period_label(self.version.period_start, self.version.period_end)

    def to_dict(self) -> dict[str, Any]:
        """The row for JSON."""
        v = self.version
        return {
            "period": {
                "start": v.period_start.isoformat(),
                "end": v.period_end.isoformat(),
                "label": self.period,
            },
            "version": v.number,
            "parent": v.parent,
            "published_at": v.published_at.isoformat(),
            "author": v.author,
            "message": v.message,
            "inputs_digest": v.inputs_digest,
            "penalty": self.penalty,
            "shortages": self.shortages,
            "changed_people": self.changed_people,
            "changed_assignments": self.changed_assignments,
        }


def history_rows(versions: list[Version]) -> list[HistoryRow]:
    """The history of ``versions`` (as ``Store.versions`` orders them), each compared with its
    parent when the parent is among them."""
    by_key = {(v.period_start, v.period_end, v.number): v for v in versions}
    rows = []
    for v in versions:
        parent = by_key.get((v.period_start, v.period_end, v.parent)) if v.parent else None
        people = assignments = None
        if parent is not None:
            diff = diff_schedules(parent.schedule, v.schedule)
            people, assignments = len(diff.people), diff.assignments_changed
        schedule = v.schedule
        penalty = schedule.solver.objective
        if penalty is None and schedule.objective_terms:
            penalty = sum(t.penalty for t in schedule.objective_terms)
        # Counted from the slots, which a hand-edited schedule cannot leave stale.
        shortages = sum(max(0, s.min - len(s.assigned)) for s in schedule.slots)
        rows.append(HistoryRow(v, penalty, shortages, people, assignments))
    return rows


def render_history(rows: list[HistoryRow], language: str, timezone: str) -> str:
    """The history as an aligned table in ``language`` (the headings; each version's message is
    shown as it was recorded), times in the community's zone."""
    zone = ZoneInfo(timezone)
    words = pgettext_in(language, *_CHANGES)
    body = []
    for row in rows:
        v = row.version
        changes = (
            words.format(people=row.changed_people, assignments=row.changed_assignments)
            if row.changed_people is not None
            else "—"
        )
        body.append(
            [
                row.period,
                str(v.number),
                str(v.parent) if v.parent else "—",
                f"{v.published_at.astimezone(zone):%Y-%m-%d %H:%M}",
                v.author,
                "—" if row.penalty is None else str(row.penalty),
                str(row.shortages),
                changes,
                v.message,
            ]
        )
    return table([pgettext_in(language, *heading) for heading in _HEADERS], body)
