"""The « Formations et effectifs » editor: a school's formations and their pupils, one school year at a time."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.establishments.edits import FormationChoice
from poledesk.data.text import plural

MAX_PUPILS = 5000
CHOOSE = "Choisir une formation…"
Counts = dict[int, int]


def school_years_around(current: str, *, before: int = 2, after: int = 1) -> list[str]:
    """'2026-2027' -> ['2024-2025', '2025-2026', '2026-2027', '2027-2028']."""
    start = int(current[:4])
    return [f"{year}-{year + 1}" for year in range(start - before, start + after + 1)]


class PupilCountsEditor(QWidget):
    """Rows of (formation, pupils) for the chosen school year.

    `load(year)` gives the recorded counts of a year; each year shown keeps what was typed in it, so changing the
    year loses nothing and `counts_by_year()` gives every year seen, to save in the form's one transaction.
    """

    changed = Signal()

    def __init__(self, formations: Sequence[FormationChoice], load: Callable[[str], Counts], *, current_year: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._formations = list(formations)
        self._load = load
        self._years: dict[str, list[tuple[int | None, int]]] = {}   # year -> rows, as typed
        self._rows: list[tuple[QComboBox, QSpinBox, QToolButton]] = []
        self.year_combo = QComboBox()
        for year in school_years_around(current_year):
            self.year_combo.addItem(year.replace("-", " – "), year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(current_year))
        self.table = QTableWidget(0, 3)
        self.add_button = QPushButton("Ajouter une formation")
        self.add_button.setToolTip("Une ligne de plus : une formation de l'établissement et ses effectifs")
        self.total_label = QLabel()
        self.empty_label = QLabel("Aucune formation n'est enregistrée dans la base : ajoutez-en d'abord.",
                                  wordWrap=True)
        self.empty_label.setHidden(bool(self._formations))
        self._build_layout()
        self._shown_year = current_year
        self._show_year(current_year)
        self.year_combo.currentIndexChanged.connect(self._on_year_changed)
        self.add_button.clicked.connect(lambda: self.add_row())

    def _build_layout(self) -> None:
        table = self.table
        table.setHorizontalHeaderLabels(["Formation", "Élèves", ""])
        table.verticalHeader().hide()
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, self.fontMetrics().horizontalAdvance("00000") + 60)
        header.resizeSection(2, self.fontMetrics().horizontalAdvance("Retirer") + 24)
        table.setMinimumHeight(220)
        self.add_button.setEnabled(bool(self._formations))
        year_row = QHBoxLayout()
        year_row.addWidget(QLabel("Année scolaire :"))
        year_row.addWidget(self.year_combo)
        year_row.addStretch(1)
        year_row.addWidget(self.total_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.add_button)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(year_row)
        layout.addWidget(table, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(bottom)

    # -- what the form saves -----------------------------------------------------------------------------------------

    @property
    def school_year(self) -> str:
        return self._shown_year

    def rows(self) -> list[tuple[int | None, int]]:
        """The shown year's rows: (formation id or None when not chosen yet, pupils)."""
        return [(combo.currentData(), spin.value()) for combo, spin, _button in self._rows]

    def counts_by_year(self) -> dict[str, Counts]:
        """Every year seen -> formation id -> pupils (rows without a formation left out)."""
        self._years[self._shown_year] = self.rows()
        return {year: {f: pupils for f, pupils in rows if f is not None} for year, rows in self._years.items()}

    def problems(self) -> dict[str, str]:
        """What the table itself gets wrong (a row without its formation, a formation twice), as form problems."""
        self._years[self._shown_year] = self.rows()
        for year, rows in self._years.items():
            shown = year.replace("-", " – ")
            chosen = [f for f, _pupils in rows if f is not None]
            if len(chosen) != len(rows):
                return {"pupil_counts": f"Choisissez la formation de chaque ligne ({shown}), ou retirez la ligne."}
            twice = next((f for f in chosen if chosen.count(f) > 1), None)
            if twice is not None:
                return {"pupil_counts": f"« {self._label(twice)} » figure deux fois en {shown} : gardez une "
                                        "seule ligne par formation."}
        return {}

    # -- rows ---------------------------------------------------------------------------------------------------------

    def add_row(self, formation_id: int | None = None, pupils: int = 0) -> QComboBox:
        """A new row (the last), its formation to choose unless given; returns its combo box."""
        combo = QComboBox()
        combo.addItem(CHOOSE, None)
        for formation in self._formations:
            combo.addItem(formation.label, formation.id)
            combo.setItemData(combo.count() - 1, f"Code {formation.code}", Qt.ItemDataRole.ToolTipRole)
        combo.setCurrentIndex(max(combo.findData(formation_id), 0) if formation_id is not None else 0)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(20)
        combo.setToolTip(combo.currentText())
        combo.currentTextChanged.connect(combo.setToolTip)   # a long label cut in the cell reads whole here
        spin = QSpinBox(minimum=0, maximum=MAX_PUPILS, value=pupils)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        remove = QToolButton()
        remove.setText("Retirer")
        remove.setToolTip("Retirer cette formation de l'année scolaire")
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, widget in enumerate((combo, spin, remove)):
            self.table.setCellWidget(row, column, widget)
        self._rows.append((combo, spin, remove))
        combo.currentIndexChanged.connect(self._on_edited)
        spin.valueChanged.connect(self._on_edited)
        remove.clicked.connect(lambda: self.remove_row(self._row_of(remove)))
        self._on_edited()
        return combo

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            del self._rows[row]
            self.table.removeRow(row)
            self._on_edited()

    def _row_of(self, button: QToolButton) -> int:
        return next((i for i, (_c, _s, b) in enumerate(self._rows) if b is button), -1)

    def _label(self, formation_id: int | None) -> str:
        return next((f.label for f in self._formations if f.id == formation_id), str(formation_id))

    def _on_edited(self) -> None:
        total = sum(spin.value() for _combo, spin, _button in self._rows)
        self.total_label.setText(f"Total : {plural(total, 'élève')}")
        self.changed.emit()

    def _on_year_changed(self) -> None:
        self._years[self._shown_year] = self.rows()
        self._shown_year = self.year_combo.currentData()
        self._show_year(self._shown_year)

    def _show_year(self, year: str) -> None:
        if year not in self._years:
            self._years[year] = sorted(self._load(year).items(), key=lambda item: self._label(item[0]))
        self._rows.clear()
        self.table.setRowCount(0)
        for formation_id, pupils in self._years[year]:
            self.add_row(formation_id, pupils)
        self._on_edited()
