"""An establishment's planned periods, from its page: the list, and add, edit or remove one through the period form."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.db import Store
from poledesk.data.planning import periods
from poledesk.data.planning.periods import SOURCES, PeriodRow
from poledesk.data.text import fold, format_date, plural
from poledesk.ui import messages, ui_state
from poledesk.ui.dialogs.period_dialog import PeriodDialog
from poledesk.ui.widgets.models import Column, RowSortProxy, RowTableModel

COLUMNS = (
    Column("Début", lambda p: format_date(p.start_date), sort_key=lambda p: p.start_date, width=90),
    Column("Fin", lambda p: format_date(p.end_date), sort_key=lambda p: p.end_date, width=90),
    Column("Classe", lambda p: p.division, sort_key=lambda p: fold(p.division), width=110),
    Column("Formation", lambda p: p.formation_label or p.audience.label, width=260),
    Column("Élèves", lambda p: str(p.pupils), sort_key=lambda p: p.pupils, align_right=True, width=60),
    Column("Saisie", lambda p: SOURCES.get(p.source, p.source), width=80),
)


def period_lines(rows: list[PeriodRow]) -> tuple[tuple[str, str], ...]:
    """The periods as the establishment's file shows them: dates, then class, formation and pupils."""
    return tuple((f"{format_date(p.start_date)} – {format_date(p.end_date)}",
                  f"{p.division or 'Classe non précisée'} – {p.formation_label or p.audience.label} : "
                  f"{p.pupils} élèves") for p in rows)


class EstablishmentPeriodsDialog(QDialog):
    """The periods of one establishment; `changed` after each write (the window's tabs then reload)."""

    changed = Signal()

    def __init__(self, store: Store, establishment_id: int, *, establishment_name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._establishment_id, self._name = store, establishment_id, establishment_name
        self.dialog: PeriodDialog | None = None
        self.message_box: QMessageBox | None = None
        self.setWindowTitle(f"Périodes planifiées – {establishment_name}" if establishment_name else
                            "Périodes planifiées")
        self.model = RowTableModel(COLUMNS, self)
        self.proxy = RowSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(sortingEnabled=True)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        for index, column in enumerate(COLUMNS):
            if column.width:
                self.table.setColumnWidth(index, column.width)
        self.count_label = QLabel()
        self.add_button = QPushButton("Ajouter une période…")
        self.edit_button = QPushButton("Modifier…")
        self.remove_button = QPushButton("Supprimer")
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_buttons.button(QDialogButtonBox.StandardButton.Close).setText("Fermer")
        self._build_layout()
        self.add_button.clicked.connect(lambda: self.open_period(None))
        self.edit_button.clicked.connect(self._edit_current)
        self.remove_button.clicked.connect(self.remove_current)
        self.table.doubleClicked.connect(lambda index: self.open_period(index.data(RowTableModel.RowRole).id))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.close_buttons.rejected.connect(self.reject)
        ui_state.keep_geometry(self, store.folder)
        self.reload()

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.close_buttons)
        self.resize(760, 420)

    def reload(self, select: int | None = None) -> None:
        with self._store.session() as session:
            rows = periods.list_periods(session, establishment_id=self._establishment_id)
        self.model.set_rows(rows)
        self.proxy.sort(0, Qt.SortOrder.AscendingOrder)
        count = len(rows)
        self.count_label.setText("Aucune période planifiée." if not count else
                                 plural(count, "période planifiée"))
        if select is not None:
            for row in range(self.proxy.rowCount()):
                if self.proxy.index(row, 0).data(RowTableModel.RowRole).id == select:
                    self.table.selectRow(row)
        self._update_buttons()

    def current(self) -> PeriodRow | None:
        index = self.table.currentIndex()
        return index.data(RowTableModel.RowRole) if index.isValid() else None

    def _update_buttons(self) -> None:
        chosen = self.current() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def _edit_current(self) -> None:
        row = self.current()
        if row is not None:
            self.open_period(row.id)

    def open_period(self, period_id: int | None) -> None:
        self.dialog = PeriodDialog(self._store, self._establishment_id, period_id,
                                   establishment_name=self._name, parent=self)
        self.dialog.saved.connect(self._on_saved)
        self.dialog.open()

    def _on_saved(self, period_id: int) -> None:
        self.reload(select=period_id)
        self.changed.emit()

    def remove_current(self) -> None:
        row = self.current()
        if row is None:
            return
        division = row.division or "classe non précisée"
        self.message_box = messages.confirmation(self, "Supprimer la période",
                                                 f"Supprimer la période {row.dates_text} ({division}) ?",
                                                 lambda: self._remove(row.id), yes="Supprimer")

    def _remove(self, period_id: int) -> None:
        with self._store.transaction() as session:
            periods.delete_period(session, period_id)
        self.reload()
        self.changed.emit()
