"""The banner over a list narrowed to the records behind a figure: what it shows, and « Tout afficher »."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


@dataclass(frozen=True, slots=True)
class RecordFilter:
    """A list narrowed to these ids (a dashboard figure's records) until the user lifts it."""

    label: str          # the figure, in words: « Sollicitations reçues : 42 »
    ids: frozenset[int]


class FilterChip(QFrame):
    """Hidden until a list is filtered to a figure's records; `cleared` when « Tout afficher » is clicked."""

    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterChip")
        self.setStyleSheet("#filterChip { background: #FFF4CE; border: 1px solid #E0C060; border-radius: 4px; }")
        self.text_label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.show_all_button = QPushButton("Tout afficher")
        self.show_all_button.setToolTip("Retirer ce filtre : la liste reprend la recherche et les filtres habituels")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 4, 3)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.show_all_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.show_all_button.clicked.connect(self.cleared.emit)
        self.hide()

    def show_filter(self, record_filter: RecordFilter) -> None:
        """Say which figure the list shows (the count beside the search says how many rows)."""
        text = f"Filtre : {record_filter.label}"
        self.text_label.setText(text)
        self.setToolTip(text)
        self.show()
