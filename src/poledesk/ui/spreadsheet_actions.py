"""Fichier > Importer… and Exporter… : the import wizard, the partners workbook export, what the window shows after."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from poledesk.data.db import Store, StoreError
from poledesk.data.partners import listing as partners
from poledesk.data.partners.listing import PartnerFilter
from poledesk.data.progress import Progress
from poledesk.data.text import plural
from poledesk.ui import messages, ui_state
from poledesk.ui.banner import file_steps
from poledesk.ui.hub import ChangeHub
from poledesk.ui.widgets.worker_progress import WorkerProgress
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


def export_file_name(today: date) -> str:
    return f"partenaires-{today:%Y-%m-%d}.xlsx"


class SpreadsheetActions(QObject):
    """What the Importer… and Exporter… menu items do, for one window and its store."""

    imported = Signal(object)   # the ImportSummary, once written: the tabs refresh
    exported = Signal(object)   # the ExportSummary, once the file is written

    def __init__(self, store: Store, runner: TaskRunner, window: QMainWindow, *,
                 hub: ChangeHub | None = None) -> None:
        super().__init__(window)
        self._store, self._runner, self._window = store, runner, window
        self.hub = hub if hub is not None else ChangeHub(self)
        self._settings = ui_state.settings(store.folder)
        self.wizard: ImportWizard | None = None   # the last one opened (tests reach its pages through it)
        self.message_box: QMessageBox | None = None
        self.export_progress: WorkerProgress | None = None
        self.scope_box: QMessageBox | None = None
        # The search and filters of the partners list when they narrow it, else None (set by the main window).
        self.shown_partners: Callable[[], tuple[str, PartnerFilter] | None] = lambda: None

    # -- import ----------------------------------------------------------------------------------------------------

    def start_import(self) -> None:
        from poledesk.ui.dialogs.import_wizard import ImportWizard  # loaded when first asked for: start-up stays light

        if not self._store.owner:
            self.message_box = messages.warning(self._window, "Importer un fichier", "Le dossier de données n'est "
                                                "pas encore configuré (pôle ou coordination) : rien ne peut être "
                                                "importé.")
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
        self.hub.tell(text)
        self.imported.emit(summary)

    # -- export ------------------------------------------------------------------------------------------------------

    def start_export(self) -> None:
        """Export the whole network, or, when the partners list is narrowed, the partners it shows if asked."""
        query = self.shown_partners()
        if query is None:
            self._export(None)
            return
        text, filters = query
        with self._store.session() as session:
            shown, total = (partners.count_matching(session, text, filters=filters),
                            partners.count_partners(session))
        box = QMessageBox(QMessageBox.Icon.Question, "Exporter les partenaires",
                          f"La liste des partenaires affiche {plural(shown, 'partenaire')} sur {total} "
                          "(recherche et filtres en cours). Que faut-il exporter ?", parent=self._window)
        shown_button = box.addButton(f"Les partenaires affichés ({shown})", QMessageBox.ButtonRole.AcceptRole)
        all_button = box.addButton(f"Tous les partenaires ({total})", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Annuler", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(shown_button)
        box.buttonClicked.connect(lambda button: self._export(query) if button is shown_button
                                  else self._export(None) if button is all_button else None)
        self.scope_box = box
        box.open()

    def _export(self, query: tuple[str, PartnerFilter] | None) -> None:
        folder = ui_state.EXPORT_FOLDER.read(self._settings)
        suggested = Path(folder) / export_file_name(date.today())
        chosen, _filter = QFileDialog.getSaveFileName(self._window, "Exporter les partenaires", str(suggested),
                                                      EXPORT_FILTER)
        if not chosen:
            return
        target = Path(chosen) if Path(chosen).suffix.lower() in EXPORT_SUFFIXES else Path(f"{chosen}.xlsx")
        ui_state.EXPORT_FOLDER.write(self._settings, target.parent)
        store = self._store

        def job(progress: Progress) -> ExportSummary:   # on the worker thread: a read session, no widget
            from poledesk.data.spreadsheets.export import export_partners

            with store.session() as session:
                ids = None if query is None else [row.id for row in partners.search_partners(
                    session, query[0], filters=query[1])]
                return export_partners(session, target, progress, partner_ids=ids)

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
        self.hub.tell(f"Partenaires exportés : {summary.describe()}", *file_steps(summary.path),
                      details=str(summary.path))
        self.exported.emit(summary)

    def _on_export_failed(self, error: Exception) -> None:
        from poledesk.data.spreadsheets.errors import SpreadsheetError

        self._window.statusBar().clearMessage()
        if not isinstance(error, (SpreadsheetError, StoreError)):
            raise error   # unexpected: the crash hook reports it
        self.message_box = messages.warning(self._window, "Exporter les partenaires",
                                            f"{error}\n\nAucun fichier n'a été écrit.")
