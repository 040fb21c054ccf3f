"""Filling an empty store with the demo pole off the UI thread, behind a cancellable French progress dialog."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from poledesk.data import identity
from poledesk.data.db import Store, StoreError
from poledesk.data.progress import Progress
from poledesk.ui.workers import TaskRunner, Worker

log = logging.getLogger(__name__)

DEMO_SEED = 2026
SHOW_AFTER_MS = 600   # no flash for a short job (Anki's delay; Qt's default is 4 s)


class DemoBuild(QObject):
    """One run of create_demo_store: start() it, then listen to succeeded, failed or cancelled (each French-ready)."""

    succeeded = Signal(object)   # the store's Identity; the store's owner is set
    failed = Signal(str)         # a French message: nothing was written
    cancelled = Signal()         # nothing was written

    def __init__(self, store: Store, runner: TaskRunner, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._runner = store, runner
        self.worker = Worker(store, self._build, transactional=False)
        self.progress_dialog = QProgressDialog("Création du pôle de démonstration…", "Annuler", 0, 0, parent)
        self.progress_dialog.setWindowTitle("PoleDesk")
        self.progress_dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress_dialog.setAutoReset(False)
        self.progress_dialog.setAutoClose(False)
        self.progress_dialog.setMinimumWidth(420)
        self.progress_dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.progress_dialog.canceled.connect(self.worker.cancel)
        self.worker.signals.progress.connect(self._on_progress)
        self.worker.signals.succeeded.connect(self._on_succeeded)
        self.worker.signals.failed.connect(self._on_failed)
        self.worker.signals.cancelled.connect(self._on_cancelled)

    def start(self) -> None:
        log.info("building the demo pole in %s", self._store.folder)
        self._runner.start(self.worker)

    def _build(self, progress: Progress) -> None:
        from poledesk.data.demo import build as demo  # loaded only when asked for: start-up stays light

        demo.create_demo_store(self._store, scale="pole", seed=DEMO_SEED, progress=progress)

    def _on_progress(self, done: int, total: int, label: str) -> None:
        self.progress_dialog.setMaximum(max(total, 0))
        self.progress_dialog.setValue(min(done, total))
        if label:
            self.progress_dialog.setLabelText(f"Création du pôle de démonstration…\n{label}")

    def _on_succeeded(self, _result: object) -> None:
        self._close_progress()
        with self._store.session() as session:
            ident = identity.current_identity(session)
        if ident is None:
            log.error("create_demo_store returned without an identity")
            self.failed.emit("La démonstration s'est terminée sans configurer le dossier de données.")
            return
        self._store.set_owner(ident.code)
        self.succeeded.emit(ident)

    def _on_failed(self, error: Exception) -> None:
        self._close_progress()   # the worker has logged the traceback
        if isinstance(error, (identity.IdentityError, StoreError)):
            self.failed.emit(str(error))
        else:
            self.failed.emit(f"La création du pôle de démonstration a échoué ({type(error).__name__} : {error}). "
                             "Rien n'a été modifié.")

    def _on_cancelled(self) -> None:
        with self._store.session() as session:
            written = identity.current_identity(session) is not None
        if written:   # "Annuler" came after the commit, with the last report: the demo is there, use it
            self._on_succeeded(None)
            return
        self._close_progress()
        self.cancelled.emit()

    def _close_progress(self) -> None:
        self.progress_dialog.canceled.disconnect(self.worker.cancel)
        self.progress_dialog.reset()
        self.progress_dialog.hide()
