"""The form kit: the one date field, the error line beside each field, and the save loop every dialog shares."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from poledesk.data.enums import EscalationStatus
from poledesk.data.escalations import listing as escalations
from poledesk.ui import ui_state
from poledesk.ui.dialogs.escalation_dialog import EscalationDialog
from poledesk.ui.dialogs.status_dialog import StatusReasonDialog
from poledesk.ui.forms import END_BEFORE_START, UNREADABLE_DATE, DateField, parse_date

TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(("typed", "expected"), [
    ("11/01/2027", date(2027, 1, 11)), ("11012027", date(2027, 1, 11)), ("11/1/27", date(2027, 1, 11)),
    ("11-1-2027", date(2027, 1, 11)), ("11.01.27", date(2027, 1, 11)), ("110127", date(2027, 1, 11)),
    (" 1/2/2027 ", date(2027, 2, 1)), ("14/03/60", date(1960, 3, 14)), ("", None),
])
def test_dates_are_read_as_french_users_type_them(typed, expected):
    assert parse_date(typed, today=TODAY) == expected


@pytest.mark.parametrize("typed", ["31/02/2027", "1/13/2027", "11/01", "demain", "1101202", "11/01/202"])
def test_what_is_no_date_is_refused(typed):
    with pytest.raises(ValueError):
        parse_date(typed, today=TODAY)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2045, 12, 31)))
def test_every_date_reads_back_from_each_typed_shape(day):
    shapes = (day.strftime("%d/%m/%Y"), day.strftime("%d%m%Y"), f"{day.day}/{day.month}/{day.year}")
    assert all(parse_date(shape, today=TODAY) == day for shape in shapes)


def test_typing_over_a_date_replaces_all_of_it(qtbot):
    field = DateField(date(2027, 1, 21))
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    field.line_edit.setFocus()
    qtbot.waitUntil(lambda: field.line_edit.selectedText() == "21/01/2027")
    qtbot.keyClicks(field.line_edit, "11/01/2027")
    assert field.value() == date(2027, 1, 11)          # a QDateEdit kept the day section: 21/01/2027


def test_the_calendar_opens_on_demand_and_sets_the_date(qtbot):
    field = DateField(date(2027, 3, 1))
    qtbot.addWidget(field)
    field.show()
    assert field.calendar is None                        # nothing built until asked for
    qtbot.keyClick(field.line_edit, Qt.Key.Key_F4)
    assert field.calendar is not None and field.calendar.selectedDate().toPython() == date(2027, 3, 1)
    field.calendar.clicked.emit(field.calendar.selectedDate().addDays(9))
    assert field.value() == date(2027, 3, 10) and field.text() == "10/03/2027"


def test_an_unreadable_or_out_of_range_date_says_why():
    field = DateField(date(2027, 1, 11))
    field.set_range(maximum=date(2027, 1, 31))
    assert field.problem() is None
    field.line_edit.setText("32/01/2027")
    assert field.value() is None and field.problem() == UNREADABLE_DATE
    field.set_value(date(2027, 2, 1))
    assert field.problem() == "La date ne peut pas dépasser le 31/01/2027."
    field.line_edit.clear()
    assert field.problem() == "Indiquez une date (jj/mm/aaaa)."
    assert DateField(optional=True).problem() is None


@pytest.fixture
def escalation_dialog(qtbot, small_store):
    dialog = EscalationDialog(small_store)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_an_end_before_the_start_is_flagged_at_the_end_field_while_typing(escalation_dialog):
    dialog = escalation_dialog
    start = dialog.start_edit.value()
    dialog.end_edit.set_value(start - timedelta(days=1))
    assert dialog.errors.text("period_end") == END_BEFORE_START
    dialog.end_edit.set_value(start + timedelta(days=5))
    assert dialog.errors.text("period_end") == ""


def test_an_unreadable_date_stops_the_save_at_its_field_and_nothing_is_written(qtbot, escalation_dialog,
                                                                                small_store):
    dialog = escalation_dialog
    with small_store.session() as session:
        before = escalations.count_by_status(session)
    dialog.received_edit.line_edit.setText("45/45/2026")
    qtbot.keyClick(dialog.last_name_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)   # Ctrl+Return
    assert dialog.isVisible() and dialog.errors.text("received_on") == UNREADABLE_DATE
    assert dialog.received_edit.line_edit.hasFocus()     # the first wrong field has the focus
    assert dialog.received_edit.text() == "45/45/2026"   # nothing typed is lost
    with small_store.session() as session:
        assert escalations.count_by_status(session) == before


def test_a_refusal_shows_beside_its_field_and_focuses_the_first_wrong_one(qtbot, escalation_dialog):
    dialog = escalation_dialog
    dialog.save_button.click()
    assert dialog.isVisible() and dialog.errors.text("establishment") == "Choisissez un établissement du pôle."
    assert dialog.establishment_combo.hasFocus()
    assert dialog.errors.text("no such field") == ""     # the general line, empty here


def test_a_dialog_keeps_its_size_and_position(qtbot, small_store):
    with small_store.session() as session:
        escalation_id = escalations.list_escalations(session)[0].id
    first = StatusReasonDialog(small_store, escalation_id, EscalationStatus.WITHDRAWN,
                               expected=EscalationStatus.SEARCHING)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.resize(700, 333)
    first.reject()
    assert first.result() == QDialog.DialogCode.Rejected
    assert ui_state.settings(small_store.folder).contains("DialogGeometry/StatusReasonDialog")
    again = StatusReasonDialog(small_store, escalation_id, EscalationStatus.WITHDRAWN,
                               expected=EscalationStatus.SEARCHING)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert (again.width(), again.height()) == (700, 333)
