"""The history of published versions for people (a table in the message language) and scripts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from roster.diff import change_count, diff_schedules
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


@dataclass(frozen=True)
class HistoryRow:
    """One version as the history shows it; ``changed_shifts``, ``changed_people`` and
    ``changed_assignments`` compare it with its parent (None for a period's first version):
    places on shifts whose person changed (the unit every command counts changes in, see
    ``roster.diff.change_count``), people who left or took one, and (person, slot) assignments
    lost or gained (a place that changed hands is two)."""

    version: Version
    penalty: int | None
    shortages: int
    changed_people: int | None
    changed_assignments: int | None
    changed_shifts: int | None = None

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
            # The names the diff, publish and repair give the same two counts.
            "shifts_changed": self.changed_shifts,
            "people_affected": self.changed_people,
        }


def history_rows(versions: list[Version]) -> list[HistoryRow]:
    """The history of ``versions`` (as ``Store.versions`` orders them), each compared with its
    parent when the parent is among them."""
    by_key = {(v.period_start, v.period_end, v.number): v for v in versions}
    rows = []
    for v in versions:
        parent = by_key.get((v.period_start, v.period_end, v.parent)) if v.parent else None
        people = assignments = shifts = None
        if parent is not None:
            diff = diff_schedules(parent.schedule, v.schedule)
            people, assignments = diff.people_affected, diff.assignments_changed
            shifts = diff.shifts_changed
        schedule = v.schedule
        penalty = schedule.solver.objective
        if penalty is None and schedule.objective_terms:
            penalty = sum(t.penalty for t in schedule.objective_terms)
        # Counted from the slots, which a hand-edited schedule cannot leave stale.
        shortages = sum(max(0, s.min - len(s.assigned)) for s in schedule.slots)
        rows.append(HistoryRow(v, penalty, shortages, people, assignments, shifts))
    return rows


def render_history(rows: list[HistoryRow], language: str, timezone: str) -> str:
    """The history as an aligned table in ``language`` (the headings; each version's message is
    shown as it was recorded), times in the community's zone."""
    zone = ZoneInfo(timezone)
    body = []
    for row in rows:
        v = row.version
        changes = (
            change_count(language, row.changed_shifts, row.changed_people or 0)
            if row.changed_shifts is not None
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
