"""The import wizard: a sheet read, mapped, planned and written off the UI thread, in one cancellable transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QWidget, QWizard

from poledesk.data.db import Store, StoreError
from poledesk.data.progress import Progress
from poledesk.data.spreadsheets.errors import SpreadsheetError
from poledesk.data.spreadsheets.mapping import ESTABLISHMENT_FIELDS, PARTNER_FIELDS, ImportField
from poledesk.data.spreadsheets.plan import ImportPlan, ImportSummary
from poledesk.data.spreadsheets.reading import Sheet
from poledesk.ui import ui_state
from poledesk.ui.dialogs.import_pages import FilePage, MappingPage
from poledesk.ui.dialogs.import_plan import NOUNS, PlanLine, PlanPage, plan_lines
from poledesk.ui.widgets.worker_progress import WorkerProgress
from poledesk.ui.workers import TaskRunner, Worker

log = logging.getLogger(__name__)

FAILED = "L'import a échoué ; rien n'a été modifié."
CANCELLED = "Import annulé : rien n'a été modifié."
W = QWizard.WizardButton


class ImportWizard(QWizard):
    """Fichier > Importer… : open() it; `imported` carries the ImportSummary once the rows are written.

    Reading the file, planning and writing each run in a Worker on the window's runner, so the window never
    freezes; a result that arrives after the user moved on (or closed the wizard) is dropped.
    """

    imported = Signal(object)        # the ImportSummary, after the commit
    apply_started = Signal(object)   # the writing Worker, just before it starts

    def __init__(self, store: Store, runner: TaskRunner, settings: QSettings, *,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._runner = store, runner
        ui_state.keep_geometry(self, store.folder)
        self._serial = 0
        self._sheet: Sheet | None = None
        self.sheet_version = 0           # changes with every sheet read: the later pages rebuild from it
        self.plan: ImportPlan | None = None
        self.plan_lines: list[PlanLine] = []
        self._planned_for: tuple[int, str, tuple[tuple[str, int], ...]] | None = None
        self.summary: ImportSummary | None = None
        self.applying = False
        self.progress: WorkerProgress | None = None
        self.setWindowTitle("Importer un fichier")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        for button, text in ((W.BackButton, "< Précédent"), (W.NextButton, "Suivant >"), (W.FinishButton, "Importer"),
                             (W.CancelButton, "Annuler"), (W.CommitButton, "Valider"), (W.HelpButton, "Aide")):
            self.setButtonText(button, text)
        for button, tip in ((W.BackButton, "Revenir à l'étape précédente"),
                            (W.NextButton, "Passer à l'étape suivante"),
                            (W.FinishButton, "Écrire les lignes acceptées dans la base"),
                            (W.CancelButton, "Fermer sans rien importer"),
                            (W.CommitButton, "Valider cette étape"), (W.HelpButton, "L'aide de cette étape")):
            self.button(button).setToolTip(tip)
        self.file_page, self.mapping_page, self.plan_page = FilePage(settings), MappingPage(), PlanPage()
        for page in (self.file_page, self.mapping_page, self.plan_page):
            self.addPage(page)
        self.resize(1100, 760)

    # -- what the pages share ------------------------------------------------------------------------------------------

    @property
    def sheet(self) -> Sheet | None:
        return self._sheet

    @sheet.setter
    def sheet(self, sheet: Sheet | None) -> None:
        self._sheet = sheet
        self.sheet_version += 1

    @property
    def subject(self) -> str:
        return self.file_page.subject

    @property
    def fields(self) -> tuple[ImportField, ...]:
        return PARTNER_FIELDS if self.subject == "partners" else ESTABLISHMENT_FIELDS

    def guessed_mapping(self) -> dict[str, int]:
        from poledesk.data.spreadsheets.mapping import guess_mapping

        assert self.sheet is not None
        return guess_mapping(self.sheet.headers, self.fields)

    def run_off_ui(self, job: Callable[[], Any], on_done: Callable[[Any], None],
                   on_error: Callable[[Exception], None]) -> None:
        """Run a read-only `job` on the runner; only the latest job's result reaches `on_done` or `on_error`."""
        self._serial += 1
        serial = self._serial
        worker = Worker(self._store, lambda _progress: job(), transactional=False)
        worker.signals.succeeded.connect(lambda result: self._deliver(serial, on_done, result))
        worker.signals.failed.connect(lambda error: self._deliver(serial, on_error, error))
        self._runner.start(worker)

    def _deliver(self, serial: int, slot: Callable[[Any], None], value: Any) -> None:
        if serial == self._serial:   # a Python attribute: safe to read even once the dialog is gone
            slot(value)

    # -- planning ------------------------------------------------------------------------------------------------------

    def _plan_key(self, mapping: Mapping[str, int]) -> tuple[int, str, tuple[tuple[str, int], ...]]:
        return (self.sheet_version, self.subject, tuple(sorted(mapping.items())))

    def plan_is_current(self, mapping: Mapping[str, int]) -> bool:
        return self.plan is not None and self._planned_for == self._plan_key(mapping)

    def start_planning(self, mapping: Mapping[str, int]) -> None:
        """Plan in a read session off the UI thread, then show page 3."""
        sheet, subject, store, key = self.sheet, self.subject, self._store, self._plan_key(mapping)
        assert sheet is not None
        self.plan = None
        self.run_off_ui(lambda: _planned(store, sheet, subject, dict(mapping)),
                        lambda result: self._on_planned(key, result), self._on_planning_failed)

    def _on_planned(self, key: tuple[int, str, tuple[tuple[str, int], ...]],
                    result: tuple[ImportPlan, list[PlanLine]]) -> None:
        self.plan, self.plan_lines = result
        self._planned_for = key
        self.mapping_page.set_planning(False)
        self.next()

    def _on_planning_failed(self, error: Exception) -> None:
        self.mapping_page.set_planning(False)
        if not isinstance(error, SpreadsheetError):
            raise error
        self.mapping_page.missing_label.setText(str(error))
        self.mapping_page.missing_label.setVisible(True)

    # -- writing -------------------------------------------------------------------------------------------------------

    def start_apply(self) -> None:
        """Write the plan's valid rows in one transaction, behind a cancellable progress dialog."""
        if self.applying or self.plan is None:
            return
        plan = self.plan
        apply = _apply_function(plan.subject)
        worker = Worker(self._store, lambda session, progress: apply(session, plan, progress))
        self.progress = WorkerProgress(worker, "Importer un fichier", f"Import des {NOUNS[plan.subject][1]}", self)
        worker.signals.succeeded.connect(self._on_applied)
        worker.signals.cancelled.connect(self._on_apply_cancelled)
        worker.signals.failed.connect(self._on_apply_failed)
        self._set_applying(True)
        self.plan_page.show_outcome("")
        log.info("importing %d rows of %s", len(plan.rows) - len(plan.rejected_rows), plan.subject)
        self.apply_started.emit(worker)
        self._runner.start(worker)

    def _set_applying(self, applying: bool) -> None:
        self.applying = applying
        self.plan_page.completeChanged.emit()
        for button in (W.BackButton, W.CancelButton):
            self.button(button).setEnabled(not applying)

    def _on_applied(self, summary: ImportSummary) -> None:
        self._set_applying(False)
        self.summary = summary
        self.accept()          # validatePage now lets it close
        self.imported.emit(summary)

    def _on_apply_cancelled(self) -> None:
        self._set_applying(False)
        self.plan_page.show_outcome(CANCELLED)

    def _on_apply_failed(self, error: Exception) -> None:
        self._set_applying(False)
        self._planned_for = None   # the store changed since the plan, say: going back then on plans again
        if not isinstance(error, (SpreadsheetError, StoreError)):
            self.plan_page.show_outcome(FAILED)
            raise error   # unexpected: the crash hook reports it
        self.plan_page.show_outcome(f"{FAILED}\n{error}")

    def reject(self) -> None:
        if self.applying:      # the progress dialog's « Annuler » stops a running import
            return
        self._serial += 1      # a read or a plan still running will not come back to this dialog
        super().reject()


def _planned(store: Store, sheet: Sheet, subject: str, mapping: dict[str, int]) -> tuple[ImportPlan, list[PlanLine]]:
    """On the worker thread: the plan, from a read session, and its lines with the merged records' names."""
    from poledesk.data.establishments import listing as establishments
    from poledesk.data.partners import listing as partners
    from poledesk.data.spreadsheets import establishment_import as establishment_import
    from poledesk.data.spreadsheets import partner_import as spreadsheet_import

    with store.session() as session:
        if subject == "partners":
            plan = spreadsheet_import.plan_partner_import(session, sheet, mapping)
            rows: list[Any] = partners.search_partners(session) if plan.count("merge") else []
        else:
            plan = establishment_import.plan_establishment_import(session, sheet, mapping)
            rows = establishments.search_establishments(session) if plan.count("merge") else []
    return plan, plan_lines(plan, {row.id: row.name for row in rows})


def _apply_function(subject: str) -> Callable[[Any, ImportPlan, Progress], ImportSummary]:
    from poledesk.data.spreadsheets import establishment_import as establishment_import
    from poledesk.data.spreadsheets import partner_import as spreadsheet_import

    if subject == "partners":
        return spreadsheet_import.apply_partner_import
    return establishment_import.apply_establishment_import
