"""The form kit every dialog uses: one date field, one error line beside each field, combo helpers, and the
save-then-ValidationError loop with its button box (first wrong field focused, Ctrl+Return saves, grows to fit)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from enum import Enum
from typing import Any, TypeVar

from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from poledesk.data.db import Store
from poledesk.data.text import fold, format_date
from poledesk.data.validation import ValidationError
from poledesk.ui import ui_state

E = TypeVar("E", bound=Enum)
T = TypeVar("T")
ERROR_STYLE = "color: #b3261e;"          # readable red on light and grey backgrounds
WARNING_STYLE = "color: #9a4d00;"        # orange text, darker than the usual orange so that it stays legible
HINT_STYLE = "color: palette(placeholder-text);"
DATE_FORMAT = "dd/MM/yyyy"
DATE_PLACEHOLDER = "jj/mm/aaaa"
UNREADABLE_DATE = "Date illisible : tapez-la jj/mm/aaaa, par exemple 14/03/2027."
MISSING_DATE = "Indiquez une date (jj/mm/aaaa)."
END_BEFORE_START = "La fin ne peut pas précéder le début."
CENTURY_AHEAD = 20       # "11/1/27" is 2027, but "14/03/60" is 1960 (a birth date): two-digit years up to 20 years on


# -- small pieces -----------------------------------------------------------------------------------------------------

def error_label() -> QLabel:
    """A red message beside a field, hidden until there is a problem there."""
    label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
    label.setStyleSheet(ERROR_STYLE)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
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


# -- dates ------------------------------------------------------------------------------------------------------------

def parse_date(text: str, *, today: date | None = None) -> date | None:
    """A date typed the French way: "11/01/2027", "11/1/27", "11-1-2027", "11012027" or "110127".

    None when blank; ValueError when it is no date. A two-digit year is read in this century unless that would put
    it more than CENTURY_AHEAD years ahead (a birth date "14/03/60" is 1960)."""
    text = text.strip()
    if not text:
        return None
    parts = [p for p in re.split(r"[/.\-\s]+", text) if p]
    if len(parts) == 1 and parts[0].isdigit() and len(parts[0]) in (6, 8):
        digits = parts[0]
        parts = [digits[:2], digits[2:4], digits[4:]]
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[2]) not in (2, 4):
        raise ValueError(text)
    day, month, year = (int(p) for p in parts)
    if len(parts[2]) == 2:
        this_year = (today or date.today()).year
        year += 2000 if 2000 + year <= this_year + CENTURY_AHEAD else 1900
    return date(year, month, day)      # ValueError for 31/02 and the like


class DateEdit(QLineEdit):
    """The line edit of a DateField: getting the focus selects everything, so a date typed over it replaces the
    whole date (a QDateEdit kept the day section: "11/01/2027" typed over 21/… gave 21/01/2027)."""

    calendar_asked = Signal()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        # After the click that gave the focus has placed the cursor: the first click selects all, as Tab does.
        QTimer.singleShot(0, self.selectAll)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        opens = (event.key() == Qt.Key.Key_F4
                 or (event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier))
        if opens:
            self.calendar_asked.emit()
            return
        super().keyPressEvent(event)


class DateField(QWidget):
    """The one date field of the app: typed jj/mm/aaaa (or "11012027", "11/1/27"), a calendar on demand (the
    button, F4 or Alt+Bas), optionally empty. `value()` is the date, or None when empty or unreadable;
    `problem()` says in French what is wrong with what is typed; `changed` fires when the date read changes."""

    changed = Signal()

    def __init__(self, value: date | None = None, *, optional: bool = False, unreadable: str = UNREADABLE_DATE,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.optional, self.unreadable = optional, unreadable
        self.minimum: date | None = None
        self.maximum: date | None = None
        self.calendar: QCalendarWidget | None = None        # built the first time it is asked for
        self._menu: QMenu | None = None
        self._last: date | None = None
        self.line_edit = DateEdit(placeholderText=DATE_PLACEHOLDER)
        self.line_edit.setMaxLength(10)
        self.line_edit.setFixedWidth(self.line_edit.fontMetrics().horizontalAdvance("00/00/00000") + 16)
        self.line_edit.setToolTip("Date au format jj/mm/aaaa (11/01/2027, 11/1/27 ou 11012027) ; F4 ouvre le "
                                  "calendrier." + (" Laissez vide s'il n'y en a pas." if optional else ""))
        self.calendar_button = _tool_button("📅", "Choisir dans le calendrier")
        self.clear_button = _tool_button("✕", "Effacer la date")
        self.clear_button.setVisible(optional)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for widget in (self.line_edit, self.calendar_button, self.clear_button):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setFocusProxy(self.line_edit)
        self.line_edit.textChanged.connect(self._on_text_changed)
        self.line_edit.editingFinished.connect(self._tidy)
        self.line_edit.calendar_asked.connect(self.open_calendar)
        self.calendar_button.clicked.connect(self.open_calendar)
        self.clear_button.clicked.connect(lambda: self.set_value(None))
        if value is None and not optional:
            value = date.today()
        self.set_value(value)
        self._on_text_changed()

    def value(self) -> date | None:
        try:
            return parse_date(self.line_edit.text())
        except ValueError:
            return None

    def set_value(self, value: date | None) -> None:
        self.line_edit.setText(format_date(value) if value is not None else "")

    def text(self) -> str:
        return self.line_edit.text()

    def set_range(self, minimum: date | None = None, maximum: date | None = None) -> None:
        self.minimum, self.maximum = minimum, maximum

    def problem(self) -> str | None:
        """What is wrong with what is typed, in French; None when it reads as an allowed date (or empty, allowed)."""
        try:
            day = parse_date(self.line_edit.text())
        except ValueError:
            return self.unreadable
        if day is None:
            return None if self.optional else MISSING_DATE
        if self.minimum is not None and day < self.minimum:
            return f"La date ne peut pas précéder le {format_date(self.minimum)}."
        if self.maximum is not None and day > self.maximum:
            return f"La date ne peut pas dépasser le {format_date(self.maximum)}."
        return None

    def open_calendar(self) -> None:
        if self.calendar is None:
            self.calendar = QCalendarWidget(gridVisible=True)
            self.calendar.setLocale(self.locale())
            self.calendar.clicked.connect(self._on_picked)
            self.calendar.activated.connect(self._on_picked)
            self._menu = QMenu(self)
            action = QWidgetAction(self._menu)
            action.setDefaultWidget(self.calendar)
            self._menu.addAction(action)
        assert self._menu is not None
        self.calendar.setMinimumDate(_qdate(self.minimum or date(1900, 1, 1)))
        self.calendar.setMaximumDate(_qdate(self.maximum or date(2200, 12, 31)))
        shown = self.value() or date.today()
        self.calendar.setSelectedDate(_qdate(shown))
        self.calendar.setCurrentPage(shown.year, shown.month)
        self._menu.popup(self.mapToGlobal(self.line_edit.geometry().bottomLeft()))
        self.calendar.setFocus()

    def _on_picked(self, picked: QDate) -> None:
        self.set_value(date(picked.year(), picked.month(), picked.day()))
        if self._menu is not None:
            self._menu.close()
        self.line_edit.setFocus()

    def _on_text_changed(self) -> None:
        self.clear_button.setEnabled(bool(self.line_edit.text()))
        now = self.value()
        if now != self._last:
            self._last = now
            self.changed.emit()

    def _tidy(self) -> None:
        """Once the user leaves the field, show what was read ("11/1/27" becomes 11/01/2027)."""
        day = self.value()
        if day is not None:
            self.line_edit.setText(format_date(day))


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _tool_button(text: str, tooltip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tooltip)
    button.setAutoRaise(True)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)    # the line edit keeps the focus; the keyboard has F4
    return button


# -- the error lines --------------------------------------------------------------------------------------------------

class FieldErrors:
    """The red line beside each field, and one general line for problems no field owns.

    `wrap(name, widget)` puts a field and its (hidden) error line together; `show(problems)` fills them from a
    ValidationError's problems (field -> French message), focusing the first wrong field in form order; nothing
    typed is touched. `text(name)` is how the user, and the tests, read a field's message."""

    def __init__(self) -> None:
        self.labels: dict[str, QLabel] = {}
        self.fields: dict[str, QWidget] = {}
        self.general = error_label()

    def wrap(self, name: str, widget: QWidget, *aliases: str, hint: QWidget | None = None) -> QWidget:
        label = error_label()
        for key in (name, *aliases):
            self.labels[key] = label
            self.fields[key] = widget
        return stacked(widget, *([hint] if hint is not None else []), label)

    def set(self, name: str, message: str | None) -> None:
        """Show (or, with None or "", hide) one field's message, leaving the others as they are."""
        label = self.labels.get(name, self.general)
        label.setText(message or "")
        label.setVisible(bool(message))
        grow_to_fit(label.window())

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
        first = self.first_wrong()
        if first is not None:
            first.setFocus()
        grow_to_fit(self.general.window())

    def clear(self) -> None:
        for label in (*self.labels.values(), self.general):
            label.clear()
            label.setVisible(False)

    def text(self, name: str) -> str:
        """The message shown beside a field ('' if none), or the general line for a name no field owns."""
        label = self.labels.get(name, self.general)
        return "" if label.isHidden() else label.text()

    def first_wrong(self) -> QWidget | None:
        for name, label in self.labels.items():
            if not label.isHidden():
                return self.fields[name]
        return None


def grow_to_fit(window: QWidget) -> None:
    """Messages under fields take lines: grow the window so that none is cut, within the screen."""
    layout = window.layout()
    if layout is None or not window.isVisible():
        return
    layout.activate()
    needed = (layout.totalHeightForWidth(window.width()) if layout.hasHeightForWidth()
              else layout.totalSizeHint().height())
    screen = window.screen()
    if screen is not None:
        needed = min(needed, screen.availableGeometry().height() - 40)
    if needed > window.height():
        window.resize(window.width(), needed)


# -- the dialog -------------------------------------------------------------------------------------------------------

class FormDialog(QDialog):
    """A form over one service call. `save()` first checks what the widgets can (dates unreadable), then runs
    `write(session)` inside store.transaction(); a ValidationError shows each message beside its field (or above the
    form when it names no field), focuses the first wrong field, and nothing is written or lost. On success
    `saved_id` holds what `write` returned, `saved` is emitted with it, and the dialog closes.

    Ctrl+Return saves from anywhere, a multi-line field included. The window keeps its size and position
    (ui_state). Open it with open(), not exec(): it stays window-modal while the event loop, and tests, run.
    """

    saved = Signal(object)   # what write() returned, usually the record's id

    def __init__(self, store: Store, title: str, parent: QWidget | None = None, *,
                 write: Callable[[Any], Any], save_text: str = "Enregistrer") -> None:
        super().__init__(parent)
        self._store = store
        self._write = write
        self.saved_id: Any = None
        self.errors = FieldErrors()
        self.general_error = self.errors.general
        self._dates: dict[str, DateField] = {}
        self.setWindowTitle(title)
        self.buttons = QDialogButtonBox()
        self.save_button: QPushButton = self.buttons.addButton(save_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button: QPushButton = self.buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Enregistrer et fermer (Ctrl+Entrée) ; un champ à corriger est signalé en rouge")
        self.cancel_button.setToolTip("Fermer sans rien enregistrer (Échap)")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.save)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.save)    # the keypad's Entrée
        ui_state.keep_geometry(self, store.folder)

    def field(self, name: str, widget: QWidget, hint: QWidget | None = None, *aliases: str) -> QWidget:
        """The widget with its (hidden) error line under it, ready for a form row; `aliases` are other problem
        names shown on the same line. A DateField given here is also watched (see watch_date)."""
        box = self.errors.wrap(name, widget, *aliases, hint=hint)
        if isinstance(widget, DateField):
            self.watch_date(name, widget)
        return box

    def watch_date(self, name: str, field: DateField) -> None:
        """Check `field` before saving, and show its own problem (unreadable, out of range) under the line of
        `name` as soon as the user leaves it; for a DateField that sits inside a wider field() row."""
        self._dates[name] = field

        def left() -> None:
            problem = field.problem()
            if problem or self.errors.text(name) in (field.unreadable, MISSING_DATE):
                self.errors.set(name, problem)

        field.line_edit.editingFinished.connect(left)

    def period(self, start_name: str, end_name: str, *, message: str = END_BEFORE_START) -> None:
        """Flag at the end field, while typing, an end before the start (both registered with field() or
        watch_date()); `message` says it in the form's words ("L'échéance ne peut pas précéder l'échange.")."""
        start, end = self._dates[start_name], self._dates[end_name]

        def check() -> None:
            begins, ends = start.value(), end.value()
            wrong = begins is not None and ends is not None and ends < begins
            if wrong:
                self.errors.set(end_name, message)
            elif self.errors.text(end_name) == message:
                self.errors.set(end_name, None)

        start.changed.connect(check)
        end.changed.connect(check)

    def widget_problems(self) -> dict[str, str]:
        """What the widgets themselves refuse (a date that reads as no date): checked before the service runs."""
        problems = {name: field.problem() for name, field in self._dates.items()}
        return {name: message for name, message in problems.items() if message}

    def show_problems(self, problems: Mapping[str, str]) -> None:
        """Each message beside its field (an override may add to it, then call this)."""
        self.errors.show(problems)

    def save(self) -> None:
        self.submit(self._write)

    def submit(self, write: Callable[[Any], T]) -> bool:
        """Run `write` in one transaction; True when it was saved (then the dialog is accepted)."""
        problems = self.widget_problems()
        if problems:
            self.show_problems(problems)
            return False
        try:
            with self._store.transaction() as session:
                result = write(session)
        except ValidationError as error:
            self.show_problems(error.problems)     # rolled back: nothing written, the form keeps what was typed
            return False
        self.saved_id = result
        self.saved.emit(result)
        self.accept()
        return True


# -- completion that ignores accents ----------------------------------------------------------------------------------

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


class _ClickThrough(QObject):
    """Closes a completion pop-up on a click outside it and hands that click on to the widget under the pointer.

    A pop-up holds the mouse while it is open: left alone, the click that closes it (on the next field, a
    button) is lost, and the user has to click twice. Installed after QCompleter's own filter, it runs first."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QWidget) or event.type() != QEvent.Type.MouseButtonPress \
                or not isinstance(event, QMouseEvent):
            return False
        inside = watched.rect().contains(event.position().toPoint())
        if inside or not watched.isVisible():
            return False
        global_point = event.globalPosition().toPoint()
        watched.hide()
        target = QApplication.widgetAt(global_point)
        if target is not None and target is not watched:
            if target.focusPolicy() & Qt.FocusPolicy.ClickFocus:   # a sent event is not given focus as a real one
                target.setFocus(Qt.FocusReason.MouseFocusReason)
            local = QPointF(target.mapFromGlobal(global_point))
            for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
                replay = QMouseEvent(kind, local, event.globalPosition(), event.button(),
                                     event.buttons() if kind == QEvent.Type.MouseButtonPress
                                     else Qt.MouseButton.NoButton, event.modifiers())
                QApplication.sendEvent(target, replay)
        return True


def pass_clicks_through(completer: QCompleter) -> QCompleter:
    """Let the click that closes `completer`'s pop-up reach the field or button it was aimed at."""
    popup = completer.popup()
    if popup is not None:
        popup.installEventFilter(_ClickThrough(completer))
    return completer


def completer_of(words: Iterable[str], edit: QLineEdit) -> QCompleter:
    """A plain completer of earlier values for a line edit, whose pop-up never swallows a click."""
    completer = QCompleter(list(words), edit)
    edit.setCompleter(completer)
    return pass_clicks_through(completer)


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
        popup = self.popup()
        if popup_width and popup is not None:
            popup.setMinimumWidth(popup_width)
        pass_clicks_through(self)
        edit.textEdited.connect(self._on_edited)
        self.activated[QModelIndex].connect(self._on_activated)  # type: ignore[index]  # the overload by index

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
        elif (popup := self.popup()) is not None:
            popup.hide()

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
