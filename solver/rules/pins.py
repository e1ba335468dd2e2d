"""Rule ``pins``: assignments fixed by the coordinator, which the solver keeps."""

from __future__ import annotations

from roster.eligibility import ineligibility, pinned
from roster.i18n import speaking

from ..model import Penalty, RosterModel


def pins(m: RosterModel) -> list[Penalty]:
    """Each pin (``pins: [{person, slot}]``) in the planning period puts that person on that slot.
    Hard. A pin the person cannot take at all (no skill, on leave, no such slot) is a conflict
    that explain mode names."""
    for index, person, slot in pinned(m.roster, m.slots):
        pin = m.roster.config.pins[index]
        text = f"{person.id} is pinned to {pin.slot} (pins[{index}])"
        var = m.works(person.id, slot.id) if slot is not None else None
        if var is not None:
            m.model.add(var == 1).only_enforce_if(m.guard("pins", text))
            continue
        if slot is None:
            why = "no shift of the post starts then"
        else:
            # The conflict's sentence is in the roster's language (solver/explain.py), so is
            # the reason inside it.
            with speaking(m.roster.config.language):
                reason = ineligibility(m.roster, person, slot)
            why = reason.text if reason else "not eligible"
        m.model.add_bool_or([]).only_enforce_if(m.guard("pins", f"{text}, but {why}"))
    return []
