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
        self._in_set_value = False   # inside the dialog's setValue, which runs the event loop (window-modal)
        self._close_after = False    # the worker ended meanwhile: the dialog is put away once setValue returns
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
        # A report delivered inside setValue's event loop is dropped: the next one shows the count anyway.
        if self._closed or self._worker.is_cancelled or self._in_set_value:
            return
        self.dialog.setLabelText(f"{label or self._text}…\n{count_text(done, total)}" if total else self._text)
        self.dialog.setMaximum(max(total, 0))
        # A window-modal QProgressDialog runs the event loop in setValue, where the worker may end: close() then
        # only notes it, and the dialog is put away here, once setValue has returned (deleting it under its own
        # setValue crashed the process).
        self._in_set_value = True
        try:
            self.dialog.setValue(min(done, total))
        finally:
            self._in_set_value = False
        if self._close_after:
            self._put_away()

    def _on_canceled(self) -> None:
        self._worker.cancel()

    def close(self) -> None:
        """Hide the dialog for good; a close must not read as a cancel (QProgressDialog emits canceled then)."""
        if self._closed:
            return
        self._closed = True
        if self._in_set_value:
            self._close_after = True
            return
        self._put_away()

    def _put_away(self) -> None:
        self._close_after = False
        self.dialog.canceled.disconnect(self._on_canceled)
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()
