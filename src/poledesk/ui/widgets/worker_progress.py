"""A worker's progress in a window-modal, cancellable French progress dialog that closes when the worker ends."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from poledesk.data.text import format_count
from poledesk.ui.workers import Worker

SHOW_AFTER_MS = 600   # no flash for a short job (Anki's delay; Qt's default is 4 s)


def count_text(done: int, total: int) -> str:
    """'2 400 sur 10 000', with the narrow spaces French puts in numbers."""
    return f"{format_count(done)} sur {format_count(total)}"


class WorkerProgress(QObject):
    """Shows `worker`'s progress under `text` once it has run for 600 ms; « Annuler » asks the worker to stop
    (its transaction then rolls back). Create it before starting the worker."""

    def __init__(self, worker: Worker, title: str, text: str, parent: QWidget) -> None:
        super().__init__(parent)
        self._worker, self._text = worker, text
        self._closed = False
        self.dialog = QProgressDialog(text, "Annuler", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setAutoReset(False)
        self.dialog.setAutoClose(False)
        self.dialog.setMinimumWidth(440)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.canceled.connect(self._on_canceled)
        worker.signals.progress.connect(self._on_progress)
        worker.signals.finished.connect(self.close)

    @property
    def cancel_requested(self) -> bool:
        return self._worker.is_cancelled

    def _on_progress(self, done: int, total: int, label: str) -> None:
        if self._closed or self._worker.is_cancelled:
            return
        self.dialog.setLabelText(f"{label or self._text}…\n{count_text(done, total)}" if total else self._text)
        self.dialog.setMaximum(max(total, 0))
        # Last: a window-modal QProgressDialog runs the event loop in setValue, where the worker may end and
        # close() delete the dialog; nothing may touch it after.
        self.dialog.setValue(min(done, total))

    def _on_canceled(self) -> None:
        self._worker.cancel()

    def close(self) -> None:
        """Hide the dialog for good; a close must not read as a cancel (QProgressDialog emits canceled then)."""
        if self._closed:
            return
        self._closed = True
        self.dialog.canceled.disconnect(self._on_canceled)
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()
