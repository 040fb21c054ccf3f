"""The Programme d'actions tab: the year's actions by axis, their bilan, and the two PDFs for the coordinator."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.actions import programme
from poledesk.data.actions.programme import ActionRow
from poledesk.data.db import Store
from poledesk.data.enums import ActionAxis
from poledesk.data.text import format_date, plural, school_year_of
from poledesk.ui.dialogs.action_dialog import ActionDialog, ReviewDialog

COLUMNS = ("Action", "Pôle", "Dates", "Statut", "Indicateur et cible", "Bilan")
ID_ROLE = Qt.ItemDataRole.UserRole


def dates_text(row: ActionRow) -> str:
    if row.starts_on and row.ends_on and row.ends_on != row.starts_on:
        return f"{format_date(row.starts_on)} – {format_date(row.ends_on)}"
    return format_date(row.starts_on or row.ends_on) or "à dater"


class ProgrammeTab(QWidget):
    actions_changed = Signal()
    document_saved = Signal(object)     # the Path written

    def __init__(self, store: Store, parent: QWidget | None = None, *, today: date | None = None,
                 coordinator: bool = False) -> None:
        super().__init__(parent)
        self._store, self._coordinator, self._today = store, coordinator, today
        self.dialog: ActionDialog | ReviewDialog | None = None
        self.message_box: QMessageBox | None = None
        self.year_combo = QComboBox()
        self.new_button = QPushButton("Nouvelle action")
        self.new_button.setToolTip("Ajouter une action au programme de l'année")
        self.edit_button = QPushButton("Modifier")
        self.edit_button.setToolTip("Modifier l'action sélectionnée (ou double-clic)")
        self.review_button = QPushButton("Bilan…")
        self.review_button.setToolTip("Noter ce qui a été fait de l'action sélectionnée, pour le bilan de fin d'année")
        self.delete_button = QPushButton("Supprimer")
        self.delete_button.setToolTip("Supprimer l'action sélectionnée du programme, après confirmation")
        self.programme_button = QPushButton("Imprimer le programme…")
        self.programme_button.setToolTip("Le programme d'actions de l'année, en PDF")
        self.bilan_button = QPushButton("Imprimer le bilan…")
        self.bilan_button.setToolTip("Le bilan des actions de l'année, en PDF")
        self.count_label = QLabel()
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setColumnHidden(1, not coordinator)
        self.tree.setAlternatingRowColors(True)
        for column, width in enumerate((420, 70, 180, 90, 330)):
            self.tree.setColumnWidth(column, width)
        with store.session() as session:
            years = programme.school_years(session, around=school_year_of(today or date.today()))
        for year in years:
            self.year_combo.addItem(year, year)
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(school_year_of(today or date.today()))))
        self._build_layout()
        self._connect()
        self.refresh()

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Année scolaire"))
        bar.addWidget(self.year_combo)
        for button in (self.new_button, self.edit_button, self.review_button, self.delete_button):
            bar.addWidget(button)
            button.setVisible(not self._coordinator)   # the coordinator reads the poles' programmes
        bar.addStretch(1)
        foot = QHBoxLayout()              # the documents below the list: the window stays narrow enough
        foot.addWidget(self.count_label, 1)
        foot.addWidget(self.programme_button)
        foot.addWidget(self.bilan_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tree, 1)
        layout.addLayout(foot)

    def _connect(self) -> None:
        self.year_combo.currentIndexChanged.connect(self.refresh)
        self.new_button.clicked.connect(lambda: self.open_action_dialog(None))
        self.edit_button.clicked.connect(lambda: self.open_action_dialog(self.current_id()))
        self.review_button.clicked.connect(self.open_review_dialog)
        self.delete_button.clicked.connect(self.ask_delete)
        self.programme_button.clicked.connect(lambda: self.save_document("programme"))
        self.bilan_button.clicked.connect(lambda: self.save_document("bilan"))
        self.tree.itemSelectionChanged.connect(self._enable)
        self.tree.itemDoubleClicked.connect(lambda item, _column: self._double_clicked(item))

    @property
    def school_year(self) -> str:
        return str(self.year_combo.currentData())

    def refresh(self) -> None:
        with self._store.session() as session:
            rows = programme.list_actions(session, self.school_year)
        self.tree.clear()
        for axis in ActionAxis:
            chosen = [r for r in rows if r.axis == axis]
            parent = QTreeWidgetItem([f"{axis.label} ({len(chosen)})"])
            font = parent.font(0)
            font.setBold(True)
            parent.setFont(0, font)
            self.tree.addTopLevelItem(parent)
            for row in chosen:
                target = f"{row.indicator_label} : {row.target}" if row.target else row.indicator_label
                child = QTreeWidgetItem([row.title, row.owner, dates_text(row), row.status.label, target,
                                         row.review.label if row.review else ""])
                child.setData(0, ID_ROLE, row.id)
                child.setToolTip(0, row.description or row.title)
                parent.addChild(child)
            parent.setExpanded(True)
        reviewed = sum(1 for r in rows if r.review)
        self.count_label.setText(f"{plural(len(rows), 'action')} en {self.school_year}, "
                                 f"dont {reviewed} avec un bilan.")
        self._enable()

    def current_id(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, ID_ROLE) if item is not None else None

    def select_id(self, action_id: int) -> bool:
        for index in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(index)
            if parent is None:
                continue
            for child in (parent.child(i) for i in range(parent.childCount())):
                if child is not None and child.data(0, ID_ROLE) == action_id:
                    self.tree.setCurrentItem(child)
                    return True
        return False

    def _enable(self) -> None:
        chosen = self.current_id() is not None
        for button in (self.edit_button, self.review_button, self.delete_button):
            button.setEnabled(chosen)

    def _double_clicked(self, item: QTreeWidgetItem) -> None:
        if item.data(0, ID_ROLE) is not None and not self._coordinator:
            self.open_action_dialog(item.data(0, ID_ROLE))

    def open_action_dialog(self, action_id: int | None) -> None:
        self.dialog = ActionDialog(self._store, self.school_year, action_id, parent=self, today=self._today)
        self.dialog.saved.connect(self._after_save)
        self.dialog.open()

    def open_review_dialog(self) -> None:
        action_id = self.current_id()
        if action_id is None:
            return
        self.dialog = ReviewDialog(self._store, action_id, parent=self)
        self.dialog.saved.connect(self._after_save)
        self.dialog.open()

    def _after_save(self, action_id: int) -> None:
        self.refresh()
        self.select_id(action_id)
        self.actions_changed.emit()

    def ask_delete(self) -> None:
        action_id = self.current_id()
        if action_id is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Supprimer l'action",
                          "Supprimer cette action du programme ? La coordination en sera informée au prochain "
                          "échange.", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText("Supprimer")
        box.button(QMessageBox.StandardButton.No).setText("Annuler")
        box.accepted.connect(lambda: self.delete(action_id))
        self.message_box = box
        box.open()

    def delete(self, action_id: int) -> None:
        with self._store.transaction() as session:
            programme.delete_action(session, action_id)
        self.refresh()
        self.actions_changed.emit()

    def save_document(self, kind: str, path: Path | None = None) -> Path | None:
        """Ask where (unless `path` is given), then write the programme or the bilan of the year shown."""
        from poledesk.reports import indicator_documents as documents

        name = f"{'programme-actions' if kind == 'programme' else 'bilan'}-{self.school_year}.pdf"
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(self, "Enregistrer le PDF", str(Path.home() / name),
                                                    "PDF (*.pdf)")
            if not chosen:
                return None
            path = Path(chosen)
        writer = documents.write_programme if kind == "programme" else documents.write_bilan
        try:
            with self._store.session() as session:
                writer(session, self.school_year, path)
        except (documents.ReportError, OSError) as error:
            self.message_box = QMessageBox(QMessageBox.Icon.Warning, "Document non écrit",
                                           f"Le document n'a pas été écrit : {error}", parent=self)
            self.message_box.open()
            return None
        self.document_saved.emit(path)
        return path
