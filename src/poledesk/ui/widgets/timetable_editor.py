"""The weekly timetable of a placement: a row per weekday (present, arrival, departure, break), with the hours."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QTimeEdit, QVBoxLayout, QWidget

from poledesk.data.conventions.rules import hours_text, presence_minutes
from poledesk.data.placements.form import STANDARD_WEEK, WEEKDAYS, DaySlot
from poledesk.data.text import plural

TIME_FORMAT = "HH:mm"
NO_BREAK = QTime(0, 0)          # shown as « — »: a break at midnight means none
DEFAULT_SLOT = STANDARD_WEEK[0]
HEADERS = ("Jour", "Arrivée", "Départ", "Début de pause", "Fin de pause", "Présence")


def to_qtime(value: time | None) -> QTime:
    return QTime(value.hour, value.minute) if value is not None else NO_BREAK


def to_time(value: QTime) -> time:
    return time(value.hour(), value.minute())


class DayRow:
    """One weekday's widgets."""

    def __init__(self, weekday: int) -> None:
        self.weekday = weekday
        self.present = QCheckBox(WEEKDAYS[weekday])
        self.start, self.end = _time_edit(), _time_edit()
        self.break_start, self.break_end = _time_edit(optional=True), _time_edit(optional=True)
        self.hours_label = QLabel()
        self.edits = (self.start, self.end, self.break_start, self.break_end)

    def set_slot(self, slot: DaySlot | None) -> None:
        self.present.setChecked(slot is not None)
        shown = slot or DEFAULT_SLOT   # an absent day keeps usual hours, ready if it is ticked
        for edit, value in zip(self.edits, (shown.start, shown.end, shown.break_start, shown.break_end), strict=True):
            edit.setTime(to_qtime(value))

    def slot(self) -> DaySlot | None:
        if not self.present.isChecked():
            return None
        pause = (self.break_start.time(), self.break_end.time())
        no_break = pause[0] == NO_BREAK and pause[1] == NO_BREAK
        return DaySlot(self.weekday, to_time(self.start.time()), to_time(self.end.time()),
                       None if no_break or pause[0] == NO_BREAK else to_time(pause[0]),
                       None if no_break or pause[1] == NO_BREAK else to_time(pause[1]))

    def refresh(self) -> int:
        """Enable the row's times if present and show its hours; the minutes of presence (0 if absent)."""
        present = self.present.isChecked()
        for edit in self.edits:
            edit.setEnabled(present)
        slot = self.slot()
        minutes = presence_minutes(slot) if slot is not None and slot.end > slot.start else 0
        self.hours_label.setText(hours_text(minutes) if slot is not None and minutes > 0 else "—")
        return minutes


class TimetableEditor(QWidget):
    """Edits a week of DaySlots; `changed` fires on every keystroke, so the rules can be checked as it is typed."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = [DayRow(day) for day in range(7)]
        self.total_label = QLabel()
        self.copy_button = QPushButton("Recopier les horaires du lundi sur les autres jours cochés")
        self.copy_button.setToolTip("Les mêmes heures d'arrivée, de départ et de pause que le lundi, chaque jour coché")
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        for column, text in enumerate(HEADERS):
            header = QLabel(text)
            header.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            grid.addWidget(header, 0, column)
        for number, row in enumerate(self.rows, start=1):
            for column, widget in enumerate((row.present, *row.edits, row.hours_label)):
                grid.addWidget(widget, number, column)
        footer = QHBoxLayout()
        footer.addWidget(self.total_label, 1)
        footer.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        layout.addLayout(footer)
        for row in self.rows:
            row.present.toggled.connect(self._on_edited)
            for edit in row.edits:
                edit.timeChanged.connect(self._on_edited)
        self.copy_button.clicked.connect(self.copy_monday)
        self.set_timetable(STANDARD_WEEK)

    def set_timetable(self, timetable: tuple[DaySlot, ...]) -> None:
        by_day = {slot.weekday: slot for slot in timetable}
        for row in self.rows:
            for widget in (row.present, *row.edits):
                widget.blockSignals(True)
            row.set_slot(by_day.get(row.weekday))
            for widget in (row.present, *row.edits):
                widget.blockSignals(False)
        self._on_edited()

    def timetable(self) -> tuple[DaySlot, ...]:
        return tuple(slot for slot in (row.slot() for row in self.rows) if slot is not None)

    def copy_monday(self) -> None:
        monday = self.rows[0].slot()
        if monday is None:
            return
        self.set_timetable(tuple(DaySlot(row.weekday, monday.start, monday.end, monday.break_start, monday.break_end)
                                 for row in self.rows if row.present.isChecked()))

    def _on_edited(self, *_args: object) -> None:
        week = sum(row.refresh() for row in self.rows)
        days = sum(row.present.isChecked() for row in self.rows)
        self.total_label.setText(f"Semaine : {hours_text(week) if week else '0 h'} de présence sur "
                                 f"{plural(days, 'jour')}")
        self.changed.emit()


def _time_edit(*, optional: bool = False) -> QTimeEdit:
    edit = QTimeEdit()
    edit.setDisplayFormat(TIME_FORMAT)
    if optional:
        edit.setSpecialValueText("—")    # shown at the minimum, 00:00: no break
    return edit
