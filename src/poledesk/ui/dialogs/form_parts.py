"""What the partner network's forms share: a dialog that shows each problem beside its field, optional dates,
and completers that ignore accents."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCompleter,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from poledesk.data import Session
from poledesk.data.db import Store
from poledesk.data.text import fold
from poledesk.data.validation import ValidationError

ERROR_STYLE = "color: #b3261e;"          # readable red on light and grey backgrounds
WARNING_STYLE = "color: #9a4d00;"        # orange text, darker than the usual orange so that it stays legible
HINT_STYLE = "color: palette(placeholder-text);"
EMPTY_DATE = QDate(1900, 1, 1)           # an OptionalDateEdit at this date shows "jj/mm/aaaa" and means no date
DATE_FORMAT = "dd/MM/yyyy"


def error_label() -> QLabel:
    """A red message under a field, hidden until the service finds a problem there."""
    label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def hint_label(text: str = "") -> QLabel:
    label = QLabel(text, wordWrap=True, textFormat=Qt.TextFormat.PlainText)
    label.setStyleSheet(HINT_STYLE)
    return label


def stacked(*widgets: QWidget) -> QWidget:
    """Widgets one under the other with no margin, to sit in one row of a form."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    for widget in widgets:
        layout.addWidget(widget)
    return box


def side_by_side(*widgets: QWidget, stretch_last: bool = False) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    if not stretch_last:
        layout.addStretch(1)
    return box


class FormDialog(QDialog):
    """A form over one service: `write(session)` runs inside store.transaction(); a ValidationError shows each
    message in red under its field (or above the form when it names no field), and nothing is written or lost.

    Open it with open(), not exec(): it stays window-modal while the event loop (and the tests) keep running.
    """

    def __init__(self, store: Store, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.saved_id: int | None = None
        self.errors: dict[str, QLabel] = {}
        self.setWindowTitle(title)
        self.general_error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Enregistrer")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("Annuler")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.save)     # save from inside a multi-line field too

    def field(self, name: str, widget: QWidget, hint: QLabel | None = None) -> QWidget:
        """The widget with its (hidden) error label under it, ready for a form row; errors[name] is the label."""
        self.errors[name] = error_label()
        parts = [widget, *([hint] if hint is not None else []), self.errors[name]]
        return stacked(*parts)

    def write(self, session: Session) -> int:
        """Call the service and return the saved record's id; raise ValidationError to refuse."""
        raise NotImplementedError

    def save(self) -> None:
        try:
            with self._store.transaction() as session:
                saved_id = self.write(session)
        except ValidationError as error:
            self.show_problems(error.problems)       # rolled back: nothing written, the form keeps what was typed
            return
        self.saved_id = saved_id
        self.accept()

    def show_problems(self, problems: dict[str, str]) -> None:
        for name, label in self.errors.items():
            label.setText(problems.get(name, ""))
            label.setVisible(name in problems)
        elsewhere = [message for name, message in problems.items() if name not in self.errors]
        self.general_error.setText("\n".join(elsewhere))
        self.general_error.setVisible(bool(elsewhere))
        first = next((label for label in self.errors.values() if label.isVisibleTo(self)), None)
        if first is not None:
            self._focus_field_of(first)

    def _focus_field_of(self, label: QLabel) -> None:
        box = label.parentWidget()
        layout = box.layout() if box is not None else None
        if layout is not None and layout.count():
            target = layout.itemAt(0).widget()
            if target is not None:
                target.setFocus()


class OptionalDateEdit(QDateEdit):
    """A dd/MM/yyyy date with a calendar that may be left empty ("jj/mm/aaaa").

    Typing a digit or an arrow in an empty field starts from today; Suppr or Retour arrière over the whole
    text empties it again; the calendar of an empty field opens on the current month.
    """

    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat(DATE_FORMAT)
        self.setCalendarPopup(True)
        self.setMinimumDate(EMPTY_DATE)
        self.setSpecialValueText("jj/mm/aaaa")
        self.setToolTip("Date au format jj/mm/aaaa ; Suppr pour la laisser vide.")
        self.calendarWidget().installEventFilter(self)
        self.set_value(value)

    def value(self) -> date | None:
        return None if self.date() == EMPTY_DATE else self.date().toPython()

    def set_value(self, value: date | None) -> None:
        self.setDate(QDate(value) if value is not None else EMPTY_DATE)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        starting = event.text().isdigit() or event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
        if self.value() is None and starting:
            self.setDate(QDate.currentDate())
            self.setCurrentSection(QDateTimeEdit.Section.DaySection)
            self.lineEdit().setSelection(0, 2)
            if not event.text().isdigit():
                return
        elif (event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
              and self.lineEdit().selectedText() == self.text()):
            self.set_value(None)
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.value() is None:
            today = QDate.currentDate()
            self.calendarWidget().setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)


class DateField(QWidget):
    """An OptionalDateEdit and a button that empties it."""

    changed = Signal()

    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.date_edit = OptionalDateEdit(value)
        self.clear_button = QToolButton(text="✕", toolTip="Effacer la date", autoRaise=True)
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.date_edit)
        layout.addWidget(self.clear_button)
        layout.addStretch(1)
        self.setFocusProxy(self.date_edit)
        self.clear_button.clicked.connect(lambda: self.set_value(None))
        self.date_edit.dateChanged.connect(self._on_changed)
        self._on_changed()

    def value(self) -> date | None:
        return self.date_edit.value()

    def set_value(self, value: date | None) -> None:
        self.date_edit.set_value(value)

    def _on_changed(self) -> None:
        self.clear_button.setEnabled(self.value() is not None)
        self.changed.emit()


VALUE_ROLE = Qt.ItemDataRole.UserRole
FOLDED_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class _FoldedFilter(QSortFilterProxyModel):
    """Keeps the items whose folded text holds every folded word typed."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = fold(text).split()
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        folded = self.sourceModel().index(source_row, 0, source_parent).data(FOLDED_ROLE) or ""
        return all(word in folded for word in self._words)


class FoldingCompleter(QCompleter):
    """A pop-up list under a line edit: items whose text holds every word typed, accents and case ignored
    ("hypermarche" finds "47.11F – Hypermarchés"); choosing one puts its value in the line edit."""

    chosen = Signal(str)

    def __init__(self, edit: QLineEdit, *, popup_width: int = 0) -> None:
        super().__init__(edit)
        self._edit = edit
        self._items = QStandardItemModel(self)
        self._filter = _FoldedFilter(self)
        self._filter.setSourceModel(self._items)
        self.setModel(self._filter)
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setMaxVisibleItems(12)
        self.setWidget(edit)      # not edit.setCompleter(): that would put the shown text, not the value, in it
        if popup_width:
            self.popup().setMinimumWidth(popup_width)
        edit.textEdited.connect(self._on_edited)
        self.activated[QModelIndex].connect(self._on_activated)

    def set_items(self, items: list[tuple[str, str]]) -> None:
        """(shown text, value) pairs; the value is what the line edit receives."""
        self._items.clear()
        for shown, value in items:
            item = QStandardItem(shown)
            item.setData(value, VALUE_ROLE)
            item.setData(fold(f"{shown} {value} {value.replace('.', '')}"), FOLDED_ROLE)
            item.setEditable(False)
            self._items.appendRow(item)

    def item_count(self) -> int:
        return self._items.rowCount()

    def show_all(self) -> None:
        self._filter.set_text("")
        if self._filter.rowCount():
            self.complete()

    def _on_edited(self, text: str) -> None:
        self._filter.set_text(text)
        if text.strip() and self._filter.rowCount():
            self.complete()
        else:
            self.popup().hide()

    def _on_activated(self, index: QModelIndex) -> None:
        value = index.data(VALUE_ROLE) or ""
        self._edit.setText(value)
        self.chosen.emit(value)


class CommuneFromPostcode(QObject):
    """Links a postcode field to a commune field: the communes using a typed postcode are offered, and the only
    one is filled in; several are shown as soon as the empty commune field gets the focus."""

    def __init__(self, postcode_edit: QLineEdit, commune_edit: QLineEdit) -> None:
        super().__init__(commune_edit)
        self.commune_edit = commune_edit
        self.completer = FoldingCompleter(commune_edit)
        postcode_edit.textChanged.connect(self.postcode_changed)
        commune_edit.installEventFilter(self)

    def postcode_changed(self, text: str) -> None:
        from poledesk.data import communes  # the commune list loads on first use, not at start-up

        found = communes.communes_of_postcode(text) if len(text.strip()) == 5 else []
        self.completer.set_items([(name, name) for name in found])
        if len(found) == 1 and not self.commune_edit.text().strip():
            self.commune_edit.setText(found[0])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.commune_edit and event.type() == QEvent.Type.FocusIn
                and not self.commune_edit.text().strip() and self.completer.item_count() > 1):
            self.completer.show_all()    # several communes share the postcode: offer them
        return super().eventFilter(watched, event)
