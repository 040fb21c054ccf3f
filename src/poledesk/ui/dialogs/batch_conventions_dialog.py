"""« Conventions de la sélection… »: one PDF per selected placement in a folder, in the background, all or none."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from poledesk.data import Session
from poledesk.data.conventions import tracking as convention_tracking
from poledesk.data.db import Store
from poledesk.data.enums import ConventionStatus
from poledesk.data.placements.listing import PlacementRow
from poledesk.data.progress import Progress
from poledesk.data.system_errors import os_error_message
from poledesk.data.text import format_date, plural, plural_words
from poledesk.data.validation import ValidationError
from poledesk.ui import ui_state
from poledesk.ui.widgets.worker_progress import WorkerProgress
from poledesk.ui.workers import TaskRunner, Worker

if TYPE_CHECKING:
    from poledesk.reports.convention_files import BatchResult

log = logging.getLogger(__name__)
CANCELLED_REASON = "Convention annulée : elle ne s'imprime plus."


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    result: BatchResult
    reasons: dict[int, str]     # placement id -> why it was refused: its first blocking finding
    marked: int                 # drafts now « Imprimée »


def batch_job(store: Store, placement_ids: Sequence[int], out_dir: Path,
              today: date) -> Callable[[Progress], BatchOutcome]:
    """The worker's job (on its thread, no widget): render, then record the saved drafts as printed.

    The files are in the folder once render_conventions returns: no progress is reported after it, so a late
    cancel cannot claim that nothing was written.
    """

    def job(progress: Progress) -> BatchOutcome:
        from poledesk.reports.convention_files import render_conventions

        result = render_conventions(store, placement_ids, out_dir, today=today, progress=progress)
        with store.session() as session:
            reasons = {item.placement_id: _first_reason(session, item.placement_id, item.reason, today)
                       for item in result.refused}
        try:
            with store.transaction() as session:
                marked = convention_tracking.mark_printed_many(session, [i.placement_id for i in result.saved],
                                                               today=today)
        except ValidationError:   # changed since it was rendered: the files stay, the statuses too
            log.warning("conventions batch: statuses not recorded", exc_info=True)
            marked = 0
        return BatchOutcome(result, reasons, marked)

    return job


def _first_reason(session: Session, placement_id: int, reason: str, today: date) -> str:
    """The first blocking finding, as the panel lists them; the batch's own reason for an unknown placement."""
    try:
        messages = convention_tracking.blocking_messages(session, placement_id, today=today)
    except ValidationError:
        messages = ()
    return messages[0] if messages else reason


def summary_text(outcome: BatchOutcome, rows: dict[int, PlacementRow], cancelled: Sequence[int]) -> tuple[str, str]:
    """('3 conventions enregistrées dans « … », 2 refusées.', '• Stage n° 12 (Léa M. chez …) : Tuteur : …')."""
    result, saved = outcome.result, len(outcome.result.saved)
    refused = [(item.placement_id, outcome.reasons.get(item.placement_id, item.reason)) for item in result.refused]
    refused += [(placement_id, CANCELLED_REASON) for placement_id in cancelled]
    headline = (f"{plural(saved, 'convention enregistrée')} dans "
                f"« {result.out_dir} »" if saved else "Aucune convention enregistrée")
    headline += f", {plural(len(refused), 'refusée')}." if refused else "."
    lines = [f"{plural_words(len(refused), 'Refusée')} :"] if refused else []
    lines += [f"• {_who(rows.get(placement_id), placement_id)} : {reason}" for placement_id, reason in refused]
    if outcome.marked:
        lines += [""] if lines else []
        lines.append(f"{plural(outcome.marked, 'convention passée')} de « Brouillon » à « Imprimée ».")
    return headline, "\n".join(lines)


def _who(row: PlacementRow | None, placement_id: int) -> str:
    if row is None:
        return f"Stage n° {placement_id}"
    return f"Stage n° {placement_id} ({row.pupil} chez {row.partner}, du {format_date(row.start_date)})"


class BatchConventionsDialog(QDialog):
    """Chooses the folder, runs the batch in a Worker (progress after 600 ms, cancellable), then says what happened."""

    finished_batch = Signal(object)   # the BatchOutcome, once written

    def __init__(self, store: Store, runner: TaskRunner, rows: Sequence[PlacementRow], settings: QSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._runner, self._settings = store, runner, settings
        ui_state.keep_geometry(self, store.folder)
        self.rows = {row.id: row for row in rows}
        self.cancelled_ids = [row.id for row in rows if row.convention_status is ConventionStatus.CANCELLED]
        self.worker: Worker | None = None
        self.progress: WorkerProgress | None = None
        self.outcome: BatchOutcome | None = None
        self.setWindowTitle("Conventions de la sélection")
        count = len(rows)
        self.intro_label = QLabel(
            f"{plural(count, 'stage sélectionné')} : une convention PDF par "
            "stage, dans le dossier choisi. Une convention que les règles bloquent n'est pas écrite : le bilan dit "
            "pourquoi. Les brouillons enregistrés passent à « Imprimée ».", wordWrap=True)
        self.rows_list = QListWidget()
        self.rows_list.addItems([f"{r.pupil} – {r.partner} – du {format_date(r.start_date)} au "
                                 f"{format_date(r.end_date)} – {r.convention_status.label}" for r in rows])
        self.folder_edit = QLineEdit(ui_state.BATCH_FOLDER.read(settings))
        self.choose_button = QPushButton("Choisir…")
        self.choose_button.setToolTip("Le dossier où écrire une convention PDF par stage")
        self.summary_label = QLabel(wordWrap=True)
        self.summary_view = QPlainTextEdit(readOnly=True)
        self.start_button = QPushButton("Enregistrer les conventions")
        self.open_folder_button = QPushButton("Ouvrir le dossier")
        self.close_button = QPushButton("Fermer")
        self.start_button.setToolTip("Écrire les conventions des stages sélectionnés ; les conventions bloquées "
                                     "sont listées, non écrites")
        self.open_folder_button.setToolTip("Ouvrir le dossier des conventions écrites")
        self.close_button.setToolTip("Fermer cette fenêtre ; un enregistrement en cours est annulé")
        self._build_layout()
        self.choose_button.clicked.connect(self.choose_folder)
        self.start_button.clicked.connect(self.start)
        self.open_folder_button.clicked.connect(self._open_folder)
        self.close_button.clicked.connect(self.accept)

    def _build_layout(self) -> None:
        folder = QHBoxLayout()
        folder.addWidget(QLabel("Dossier :"))
        folder.addWidget(self.folder_edit, 1)
        folder.addWidget(self.choose_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        for widget in (self.intro_label, self.rows_list):
            layout.addWidget(widget)
        layout.addLayout(folder)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.summary_view, 1)
        layout.addLayout(buttons)
        font = self.summary_label.font()
        font.setBold(True)
        self.summary_label.setFont(font)
        self.rows_list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.summary_label.hide()
        self.summary_view.hide()
        self.open_folder_button.hide()
        self.start_button.setDefault(True)
        self.resize(720, 520)

    @property
    def folder(self) -> Path:
        return Path(self.folder_edit.text().strip()).expanduser()

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Dossier où enregistrer les conventions", str(self.folder))
        if chosen:
            self.folder_edit.setText(chosen)

    def start(self) -> None:
        if not self.folder_edit.text().strip():
            self._show_summary("Choisissez d'abord le dossier où enregistrer les conventions.")
            return
        ids = [placement_id for placement_id in self.rows if placement_id not in self.cancelled_ids]
        ui_state.BATCH_FOLDER.write(self._settings, self.folder)
        self.worker = Worker(self._store, batch_job(self._store, ids, self.folder, date.today()), transactional=False)
        self.progress = WorkerProgress(self.worker, "Conventions de la sélection", "Conventions en cours", self)
        self.worker.signals.succeeded.connect(self._on_done)
        self.worker.signals.cancelled.connect(lambda: self._show_summary(
            f"Enregistrement annulé : aucun fichier n'a été ajouté au dossier « {self.folder} »."))
        self.worker.signals.failed.connect(self._on_failed)
        self.worker.signals.finished.connect(lambda: self._set_busy(False))
        self._set_busy(True)
        self._runner.start(self.worker)

    def reject(self) -> None:
        if self.worker is not None and not self.close_button.isEnabled():
            return   # Échap while the batch runs: « Annuler » in the progress dialog stops it, not this
        super().reject()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.start_button, self.close_button, self.choose_button, self.folder_edit):
            widget.setEnabled(not busy)

    def _on_done(self, outcome: BatchOutcome) -> None:
        self.outcome = outcome
        headline, details = summary_text(outcome, self.rows, self.cancelled_ids)
        log.info("conventions batch done: %d saved, %d refused", len(outcome.result.saved),
                 len(outcome.result.refused) + len(self.cancelled_ids))
        self._show_summary(headline, details)
        self.open_folder_button.setVisible(bool(outcome.result.saved))
        self.start_button.hide()
        self.finished_batch.emit(outcome)

    def _on_failed(self, error: Exception) -> None:
        from poledesk.reports.convention_articles import ArticlesError

        if not isinstance(error, (OSError, ArticlesError)):
            raise error   # unexpected: the crash hook reports it
        reason = os_error_message(error) if isinstance(error, OSError) else str(error)
        self._show_summary(f"Les conventions n'ont pas pu être enregistrées ({reason}) : aucun fichier n'a été "
                           f"ajouté au dossier « {self.folder} ».")

    def _show_summary(self, headline: str, details: str = "") -> None:
        self.summary_label.setText(headline)
        self.summary_label.show()
        self.summary_view.setPlainText(details)
        self.summary_view.setVisible(bool(details))

    def _open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))
