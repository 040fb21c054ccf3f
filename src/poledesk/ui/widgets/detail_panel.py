"""The read-only detail panel every list tab shows beside its table: titled sections of label / value pairs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

EMPTY = "—"
LABEL_WIDTH = 170   # long labels wrap rather than squeeze the values
SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard


@dataclass(frozen=True, slots=True)
class Section:
    """A titled group of (label, value) pairs; `empty_text` replaces the pairs when there are none."""

    title: str
    fields: Sequence[tuple[str, str]] = ()
    empty_text: str = ""


@dataclass(frozen=True, slots=True)
class Detail:
    """What the panel shows of one record: a title, an optional subtitle, and sections."""

    title: str
    subtitle: str = ""
    sections: Sequence[Section] = field(default_factory=tuple)


def yes_no(value: bool) -> str:
    return "Oui" if value else "Non"


class DetailPanel(QWidget):
    """Shows a Detail as selectable, word-wrapped plain text; empty values show as "—"."""

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._placeholder = placeholder
        self._values: dict[tuple[str, str], QLabel] = {}
        self.detail: Detail | None = None
        self.title_label = QLabel()
        self.scroll_area = QScrollArea(widgetResizable=True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)
        self.show_detail(None)

    def show_detail(self, detail: Detail | None, *, message: str | None = None) -> None:
        """Show a record, or the placeholder (or `message`) when there is none."""
        self.detail = detail
        self._values = {}
        content = QWidget()
        # One grid for every section, so that the labels of all sections line up in one column.
        grid = QGridLayout(content)
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(12)
        self.title_label = self._title(detail.title if detail else (message or self._placeholder), bool(detail))
        grid.addWidget(self.title_label, 0, 0, 1, 2)
        if detail is not None:
            if detail.subtitle:
                grid.addWidget(_value_label(detail.subtitle), grid.rowCount(), 0, 1, 2)
            for section in detail.sections:
                self._add_section(grid, section)
        grid.setRowStretch(grid.rowCount(), 1)
        self.scroll_area.setWidget(content)   # the previous content is deleted with its labels

    def value(self, section: str, label: str) -> str | None:
        """The text shown for `label` in `section`, or None if the panel shows no such pair."""
        shown = self._values.get((section, label))
        return shown.text() if shown is not None else None

    def text(self) -> str:
        """Everything the panel shows, one line per label (for tests and for copying)."""
        content = self.scroll_area.widget()
        labels = content.findChildren(QLabel) if content is not None else []
        return "\n".join(label.text() for label in labels)

    def _title(self, text: str, is_record: bool) -> QLabel:
        label = _value_label(text)
        if is_record:
            font = label.font()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.25)
            label.setFont(font)
        else:
            _mute(label)    # a hint, not a record
        return label

    def _add_section(self, grid: QGridLayout, section: Section) -> None:
        header = QLabel(section.title)
        font = header.font()
        font.setBold(True)
        header.setFont(font)
        header.setContentsMargins(0, 10, 0, 2)
        grid.addWidget(header, grid.rowCount(), 0, 1, 2)
        if not section.fields:
            empty = _value_label(section.empty_text or EMPTY)
            _mute(empty)
            grid.addWidget(empty, grid.rowCount(), 0, 1, 2)
            return
        for name, value in section.fields:
            row = grid.rowCount()
            label = _value_label(name)
            _mute(label)
            label.setMaximumWidth(LABEL_WIDTH)
            shown = _value_label(value or EMPTY)
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(shown, row, 1, Qt.AlignmentFlag.AlignTop)
            self._values.setdefault((section.title, name), shown)


def _value_label(text: str) -> QLabel:
    # Plain text always: notes and names come from users and imports, never as HTML.
    label = QLabel(text, textFormat=Qt.TextFormat.PlainText, wordWrap=True)
    label.setTextInteractionFlags(SELECTABLE)
    return label


def _mute(label: QLabel) -> None:
    # The palette's muted text rather than a disabled label, which could not be selected and copied.
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
