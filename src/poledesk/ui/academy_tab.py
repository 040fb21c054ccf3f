"""The coordinator's Académie tab: every pole's indicators beside the académie's, the map, shared partners."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from poledesk.data import Session
from poledesk.data.db import Store
from poledesk.data.indicators.academy import AcademyReport, SharedPartner, academy_map, academy_report, shared_partners
from poledesk.data.indicators.measures import NOT_FILLED, format_measure, format_number
from poledesk.data.text import school_year_of
from poledesk.ui.workers import TaskRunner, Worker

COLUMNS = ("places_ratio", "places", "pupils", "escalations_received", "escalations_solved_share",
           "unplaced_0_days", "partners_active", "visits", "tutors_trained", "conventions_signed",
           "equity_priority_share")
MAP_HEADERS = ("Pôle", "Bassin", "Établissements", "Élèves à placer", "Partenaires actifs", "Places offertes",
               "Places par élève")


@dataclass(frozen=True, slots=True)
class AcademyView:
    report: AcademyReport
    shared: list[SharedPartner]


def _item(text: str, *, number: bool = False, bold: bool = False, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if bold:
        font = item.font()
        font.setBold(True)
        item.setFont(font)
    if tip:
        item.setToolTip(tip)
    return item


class AcademyTab(QWidget):
    report_saved = Signal(object)    # the Path written

    def __init__(self, store: Store, parent: QWidget | None = None, *, runner: TaskRunner,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self._store, self._runner, self._today = store, runner, today or date.today()
        self.view: AcademyView | None = None
        self.worker: Worker | None = None
        self.message_box: QMessageBox | None = None
        self.year_combo = QComboBox()
        start = int(school_year_of(self._today)[:4])
        for year in (f"{y}-{y + 1}" for y in range(start, start - 3, -1)):
            self.year_combo.addItem(year, year)
        self.save_button = QPushButton("Enregistrer le rapport de l'académie…")
        self.save_button.setToolTip("Les indicateurs de tous les pôles de l'année, en classeur ou en synthèse PDF")
        self.status_label = QLabel()
        self.poles_table = QTableWidget()
        self.poles_table.verticalHeader().hide()
        self.map_table = QTableWidget()
        self.shared_table = QTableWidget()
        self.pages = QTabWidget()
        self.pages.addTab(self.poles_table, "Indicateurs par pôle")
        self.pages.addTab(self.map_table, "Carte de l'académie")
        self.pages.addTab(self.shared_table, "Partenaires partagés")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Année scolaire"))
        bar.addWidget(self.year_combo)
        bar.addWidget(self.status_label, 1)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.pages, 1)
        self.year_combo.currentIndexChanged.connect(self.refresh)
        self.save_button.clicked.connect(lambda: self.save_report())
        self.refresh()

    @property
    def school_year(self) -> str:
        return str(self.year_combo.currentData())

    def refresh(self) -> None:
        year, today = self.school_year, self._today
        self.status_label.setText("Calcul des indicateurs…")

        def job(session: Session, _progress: Any) -> AcademyView:
            return AcademyView(academy_report(session, year, today=today), shared_partners(session))

        self.worker = Worker(self._store, job)
        self.worker.signals.succeeded.connect(self.show_view)
        self._runner.start(self.worker)

    def show_view(self, view: AcademyView) -> None:
        self.view = view
        report = view.report
        self.status_label.setText(f"{len(report.poles)} pôles – {report.school_year}, comparé à "
                                  f"{report.academy.previous_year}")
        self._fill_poles(report)
        self._fill_map(report)
        self._fill_shared(view.shared)

    def _fill_poles(self, report: AcademyReport) -> None:
        table, academy = self.poles_table, report.academy
        table.clear()
        table.setColumnCount(len(COLUMNS) + 1)
        table.setRowCount(len(report.poles) + 1)
        table.setHorizontalHeaderLabels(["Pôle", *(academy.get(k).label for k in COLUMNS)])
        for column, key in enumerate(COLUMNS, start=1):
            header = table.horizontalHeaderItem(column)
            if header is not None:
                header.setToolTip(academy.get(key).definition)
        rows = [(p.code, p.report, False) for p in report.poles] + [("Académie", academy, True)]
        for row, (name, pole_report, bold) in enumerate(rows):
            table.setItem(row, 0, _item(name, bold=bold))
            for column, key in enumerate(COLUMNS, start=1):
                indicator = pole_report.get(key)
                table.setItem(row, column, _item(indicator.text, number=True, bold=bold,
                                                 tip=f"{pole_report.previous_year} : {indicator.previous_text}"))
        table.resizeColumnsToContents()

    def _fill_map(self, report: AcademyReport) -> None:
        rows, total = academy_map(report)
        table = self.map_table
        table.clear()
        table.setColumnCount(len(MAP_HEADERS))
        table.setRowCount(len(rows) + 1)
        table.setHorizontalHeaderLabels(list(MAP_HEADERS))
        for row, line in enumerate([*rows, total]):
            bold = line is total
            pupils = NOT_FILLED if line.pupils.value is None else format_number(line.pupils.value)
            values = (line.code or line.name, line.bassin, format_number(line.establishments), pupils,
                      format_number(line.partners), format_number(line.places), format_measure("ratio", line.ratio))
            for column, value in enumerate(values):
                table.setItem(row, column, _item(value, number=column >= 2, bold=bold))
        table.resizeColumnsToContents()

    def _fill_shared(self, shared: list[SharedPartner]) -> None:
        table = self.shared_table
        table.clear()
        table.setColumnCount(3)
        table.setRowCount(len(shared))
        table.setHorizontalHeaderLabels(["Partenaire", "SIRET", "Pôles"])
        for row, partner in enumerate(shared):
            for column, value in enumerate((partner.name, partner.siret or "", ", ".join(partner.poles))):
                table.setItem(row, column, _item(value))
        table.resizeColumnsToContents()

    def save_report(self, path: Path | None = None) -> Path | None:
        from poledesk.reports import indicator_documents as documents

        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Enregistrer le rapport de l'académie", str(Path.home() / f"academie-{self.school_year}.xlsx"),
                "Classeur (*.xlsx);;Synthèse PDF (*.pdf)")
            if not chosen:
                return None
            path = Path(chosen)
        try:
            with self._store.session() as session:
                documents.write_indicators(session, self.school_year, path, today=self._today)
        except (documents.ReportError, OSError) as error:
            self.message_box = QMessageBox(QMessageBox.Icon.Warning, "Rapport non écrit",
                                           f"Le rapport n'a pas été écrit : {error}", parent=self)
            self.message_box.open()
            return None
        self.report_saved.emit(path)
        return path
