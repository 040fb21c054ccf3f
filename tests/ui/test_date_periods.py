"""Every form with two dates flags, at the second field and while typing, a second date before the first; the
dates are typed the short way ("11012027") over what the field held."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from poledesk.data.enums import ConventionStatus
from poledesk.data.models import Partner, Placement
from poledesk.data.placements.form import placement_form
from poledesk.ui.dialogs.amendment_dialog import AmendmentDialog
from poledesk.ui.dialogs.escalation_dialog import EscalationDialog
from poledesk.ui.dialogs.new_placement_dialog import NewPlacementDialog
from poledesk.ui.dialogs.partner_dialog import PartnerDialog
from poledesk.ui.dialogs.placement_dialog import PlacementDialog
from poledesk.ui.dialogs.visit_dialog import DUE_BEFORE_VISIT, VisitDialog
from poledesk.ui.forms import END_BEFORE_START, DateField, FormDialog

TODAY = date.today()


def placement_of(store, status: ConventionStatus) -> int:
    with store.session() as session:
        return session.scalar(select(Placement.id).where(Placement.convention_status == status,
                                                         Placement.deleted_at.is_(None)).limit(1))


def partner_id(store) -> int:
    with store.session() as session:
        return session.scalar(select(Partner.id).where(Partner.deleted_at.is_(None)).limit(1))


def placement_dialog(store, status: ConventionStatus, kind: type[PlacementDialog]) -> PlacementDialog:
    placement_id = placement_of(store, status)
    with store.session() as session:
        form = placement_form(session, placement_id)
    return kind(store, form, placement_id=placement_id)


# name -> (build the dialog, its two fields' attributes, their problem names, the message)
FORMS = {
    "sollicitation": (lambda store: EscalationDialog(store), ("start_edit", "end_edit"),
                      ("period_start", "period_end"), END_BEFORE_START),
    "nouveau stage": (lambda store: NewPlacementDialog(store), ("start_edit", "end_edit"),
                      ("start_date", "end_date"), END_BEFORE_START),
    "stage": (lambda store: placement_dialog(store, ConventionStatus.DRAFT, PlacementDialog),
              ("start_edit", "end_edit"), ("start_date", "end_date"), END_BEFORE_START),
    "avenant": (lambda store: placement_dialog(store, ConventionStatus.SIGNED, AmendmentDialog),
                ("start_edit", "end_edit"), ("start_date", "end_date"), END_BEFORE_START),
    "convention-cadre": (lambda store: PartnerDialog(store, partner_id(store)),
                         ("framework_start_date", "framework_end_date"), ("framework_start", "framework_end"),
                         END_BEFORE_START),
    "échange": (lambda store: VisitDialog(store, partner_id(store), partner_name="Garage"),
                ("date_edit", "due_date"), ("visited_on", "next_action_due"), DUE_BEFORE_VISIT),
}


def type_over(qtbot, field: DateField, day: date) -> None:
    """Click into the field (its text is selected) and type the date as "11012027"."""
    qtbot.mouseClick(field.line_edit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: field.line_edit.selectedText() == field.line_edit.text())
    qtbot.keyClicks(field.line_edit, f"{day:%d%m%Y}")
    assert field.value() == day, field.line_edit.text()


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_second_date_before_the_first_is_flagged_at_its_field(qtbot, store, name):
    build, (first_name, second_name), (_first_problem, second_problem), message = FORMS[name]
    dialog: FormDialog = build(store)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    first, second = getattr(dialog, first_name), getattr(dialog, second_name)
    start = TODAY - timedelta(days=3) if name == "échange" else TODAY + timedelta(days=40)
    type_over(qtbot, first, start)
    type_over(qtbot, second, start - timedelta(days=1))
    assert dialog.errors.text(second_problem) == message            # said at the second field, while typing
    assert not dialog.errors.labels[second_problem].isHidden()
    type_over(qtbot, first, start)                                   # away, then back: typed over again
    type_over(qtbot, second, start + timedelta(days=5))
    assert dialog.errors.text(second_problem) == ""                   # fixed: the message goes
