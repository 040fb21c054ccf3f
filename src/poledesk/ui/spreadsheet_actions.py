"""Fichier > Importer… and Exporter… : the import wizard, the partners workbook export, what the window shows after."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QTabWidget

from poledesk import paths
from poledesk.data.db import Store, StoreError
from poledesk.data.progress import Progress
from poledesk.ui.worker_progress import WorkerProgress
from poledesk.ui.workers import TaskRunner, Worker

if TYPE_CHECKING:
    from poledesk.data.spreadsheets.export import ExportSummary
    from poledesk.data.spreadsheets.plan import ImportSummary
    from poledesk.ui.dialogs.import_wizard import ImportWizard

log = logging.getLogger(__name__)

MESSAGE_MS = 15_000
EXPORT_FILTER = ("Classeur Excel (*.xlsx);;Classeur OpenDocument (*.ods);;"
                 "Partenaires seuls, CSV pour Excel (*.csv)")
EXPORT_SUFFIXES = (".xlsx", ".ods", ".csv")


def refresh_tabs(tabs: QTabWidget) -> None:
    """Reload every tab's list (after an import changed the store behind them)."""
    for index in range(tabs.count()):
        refresh = getattr(tabs.widget(index), "refresh", None)
        if callable(refresh):
            refresh()


def export_file_name(today: date) -> str:
    return f"partenaires-{today:%Y-%m-%d}.xlsx"


class SpreadsheetActions(QObject):
    """What the Importer… and Exporter… menu items do, for one window and its store."""

    imported = Signal(object)   # the ImportSummary, once written: the tabs refresh
    exported = Signal(object)   # the ExportSummary, once the file is written

    def __init__(self, store: Store, runner: TaskRunner, window: QMainWindow) -> None:
        super().__init__(window)
        self._store, self._runner, self._window = store, runner, window
        self._settings = QSettings(str(paths.ui_settings_file(store.folder)), QSettings.Format.IniFormat)
        self.wizard: ImportWizard | None = None   # the last one opened (tests reach its pages through it)
        self.message_box: QMessageBox | None = None
        self.export_progress: WorkerProgress | None = None

    # -- import ----------------------------------------------------------------------------------------------------

    def start_import(self) -> None:
        from poledesk.ui.dialogs.import_wizard import ImportWizard  # loaded when first asked for: start-up stays light

        if not self._store.owner:
            self._show(QMessageBox.Icon.Warning, "Importer un fichier", "Le dossier de données n'est pas encore "
                       "configuré (pôle ou coordination) : rien ne peut être importé.")
            return
        if self.wizard is not None and self.wizard.isVisible():
            self.wizard.raise_()
            self.wizard.activateWindow()
            return
        if self.wizard is not None:
            self.wizard.deleteLater()
        self.wizard = ImportWizard(self._store, self._runner, self._settings, parent=self._window)
        self.wizard.imported.connect(self._on_imported)
        self.wizard.open()

    def _on_imported(self, summary: ImportSummary) -> None:
        from poledesk.ui.dialogs.import_plan import summary_text

        assert self.wizard is not None
        text = summary_text(self.wizard.subject, summary)
        log.info("import written: %s", summary)
        self._window.statusBar().showMessage(text, MESSAGE_MS)
        self._show(QMessageBox.Icon.Information, "Import terminé", text)
        self.imported.emit(summary)

    # -- export ------------------------------------------------------------------------------------------------------

    def start_export(self) -> None:
        folder = str(self._settings.value("SpreadsheetActions/export_folder", str(Path.home()), type=str))
        suggested = Path(folder) / export_file_name(date.today())
        chosen, _filter = QFileDialog.getSaveFileName(self._window, "Exporter les partenaires", str(suggested),
                                                      EXPORT_FILTER)
        if not chosen:
            return
        target = Path(chosen) if Path(chosen).suffix.lower() in EXPORT_SUFFIXES else Path(f"{chosen}.xlsx")
        self._settings.setValue("SpreadsheetActions/export_folder", str(target.parent))
        store = self._store

        def job(progress: Progress) -> ExportSummary:   # on the worker thread: a read session, no widget
            from poledesk.data.spreadsheets.export import export_partners

            with store.session() as session:
                return export_partners(session, target, progress)

        worker = Worker(store, job, transactional=False)
        self.export_progress = WorkerProgress(worker, "Exporter les partenaires", "Export des partenaires",
                                              self._window)
        worker.signals.succeeded.connect(self._on_exported)
        worker.signals.failed.connect(self._on_export_failed)
        worker.signals.cancelled.connect(lambda: self._window.statusBar().showMessage(
            "Export annulé : aucun fichier n'a été écrit.", MESSAGE_MS))
        self._window.statusBar().showMessage("Export des partenaires en cours…")
        self._runner.start(worker)

    def _on_exported(self, summary: ExportSummary) -> None:
        self._window.statusBar().showMessage(f"Partenaires exportés dans {summary.path} ({summary.describe()})",
                                             MESSAGE_MS)
        self.exported.emit(summary)

    def _on_export_failed(self, error: Exception) -> None:
        from poledesk.data.spreadsheets.errors import SpreadsheetError

        self._window.statusBar().clearMessage()
        if not isinstance(error, (SpreadsheetError, StoreError)):
            raise error   # unexpected: the crash hook reports it
        self._show(QMessageBox.Icon.Warning, "Exporter les partenaires", f"{error}\n\nAucun fichier n'a été écrit.")

    def _show(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        self.message_box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self._window)
        self.message_box.open()
