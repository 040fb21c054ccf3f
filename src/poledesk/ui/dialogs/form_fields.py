"""What the forms share: French date fields, combo boxes over choices, and the error line under each field."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDateEdit, QLabel, QVBoxLayout, QWidget

E = TypeVar("E", bound=Enum)
ERROR_STYLE = "color: #b3261e;"
DATE_FORMAT = "dd/MM/yyyy"


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(value: date | None = None, *, calendar: bool = True) -> QDateEdit:
    """A dd/MM/yyyy date field with its calendar, on `value` (today by default)."""
    edit = QDateEdit(calendarPopup=calendar, displayFormat=DATE_FORMAT)
    edit.setDate(to_qdate(value or date.today()))
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("00/00/00000") + 40)
    return edit


def parse_date(text: str) -> date | None:
    """A date typed jj/mm/aaaa (or jj/mm/aa, or with - or .); None when blank; ValueError when not a date."""
    text = text.strip().replace("-", "/").replace(".", "/")
    if not text:
        return None
    for shape in ("%d/%m/%Y", "%d/%m/%y", "%d%m%Y"):
        try:
            return datetime.strptime(text, shape).date()
        except ValueError:
            continue
    raise ValueError(text)


def fill_combo(combo: QComboBox, choices: Iterable[tuple[Any, str]], *, none_text: str | None = None,
               current: Any = None) -> None:
    """Replace a combo's entries with (data, text) pairs, keeping `current` (or the current data) selected."""
    keep = combo.currentData() if current is None else current
    combo.blockSignals(True)
    combo.clear()
    if none_text is not None:
        combo.addItem(none_text, None)
    for data, text in choices:
        combo.addItem(text, data)
    index = combo.findData(keep) if keep is not None else -1
    combo.setCurrentIndex(index if index >= 0 else 0)
    combo.blockSignals(False)


def enum_data(combo: QComboBox, kind: type[E]) -> E | None:
    """The current entry's enum member: Qt hands a StrEnum back as a plain str, which `is` comparisons miss."""
    value = combo.currentData()
    return None if value is None else kind(value)


def select_data(combo: QComboBox, data: Any) -> bool:
    index = combo.findData(data)
    if index >= 0:
        combo.setCurrentIndex(index)
    return index >= 0


class FieldErrors:
    """The red line under each field, and one general line for problems no field owns.

    `wrap(name, widget)` puts a field and its (hidden) error line together; `show(problems)` fills them from a
    ValidationError's problems (field -> French message), so nothing the user typed is touched.
    """

    def __init__(self) -> None:
        self.labels: dict[str, QLabel] = {}
        self.general = error_label()

    def wrap(self, name: str, widget: QWidget, *aliases: str) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        label = error_label()
        layout.addWidget(label)
        for key in (name, *aliases):
            self.labels[key] = label
        return box

    def show(self, problems: Mapping[str, str]) -> None:
        self.clear()
        general = []
        for name, message in problems.items():
            label = self.labels.get(name)
            if label is None:
                general.append(message)
            else:
                label.setText(message)
                label.setVisible(True)
        self.general.setText("\n".join(general))
        self.general.setVisible(bool(general))
        window = self.general.window()
        if window.isVisible() and window.height() < window.sizeHint().height():
            window.resize(window.width(), window.sizeHint().height())   # room for the messages: fields keep theirs

    def clear(self) -> None:
        for label in (*self.labels.values(), self.general):
            label.clear()
            label.setVisible(False)

    def text(self, name: str) -> str:
        """The message shown under a field ('' if none): what the tests and the user read."""
        label = self.labels.get(name, self.general)
        return "" if label.isHidden() else label.text()


def error_label() -> QLabel:
    label = QLabel(wordWrap=True, visible=False, styleSheet=ERROR_STYLE)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
