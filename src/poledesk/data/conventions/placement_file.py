"""A placement's file, as the Stages tab shows it: the form, the names around it, and its convention, read once.

It lives with the conventions, not in data/placements/: the convention half needs the conventions area, which
already reads the placements area, and two areas never import each other both ways.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from poledesk.data.conventions.facts import convention_facts
from poledesk.data.conventions.rules import Finding, check_convention
from poledesk.data.conventions.tracking import ConventionState, convention_state
from poledesk.data.models import Placement
from poledesk.data.placements.form import PlacementForm, placement_form
from poledesk.data.placements.listing import PlacementContext, placement_context
from poledesk.data.validation import ValidationError


@dataclass(frozen=True, slots=True)
class PlacementFile:
    """Everything the Stages tab shows of one placement."""

    placement_id: int
    form: PlacementForm
    context: PlacementContext
    convention: ConventionState | None   # None when the convention can no longer be edited (pupil purged)
    findings: tuple[Finding, ...]        # the rules' findings: the convention's, or checked from the form


def placement_file(session: Session, placement_id: int, today: date) -> PlacementFile | None:
    """The file of a live placement, or None for a deleted or unknown one. The placement's form is read once and
    handed to the convention, whose findings are the file's too (the rules run once, not twice)."""
    # Held for the whole call: the session's identity map keeps only weak references, so without this each
    # service below read the placement, its pupil, partner and school again from the store.
    held = session.get(Placement, placement_id)
    around = (held.pupil, held.partner, held.establishment, held.tutor) if held is not None else ()
    try:
        form = placement_form(session, placement_id)
    except ValidationError:
        return None
    context = placement_context(session, form, placement_id=placement_id)
    try:
        state: ConventionState | None = convention_state(session, placement_id, today=today, form=form)
    except ValidationError:
        state = None
    findings = (state.findings if state is not None else
                tuple(check_convention(convention_facts(session, form, placement_id=placement_id, today=today))))
    del held, around
    return PlacementFile(placement_id, form, context, state, findings)
