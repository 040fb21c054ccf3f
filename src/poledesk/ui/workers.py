"""Long work off the UI thread: a QRunnable worker with progress and cancel, and one-thread runners (writes, reads)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from poledesk.data import Session
from poledesk.data.db import Store
from poledesk.data.errors import PoleDeskError
from poledesk.data.progress import Cancelled, Progress

log = logging.getLogger(__name__)

Job = Callable[[Session, Progress], Any]
"""job(session, progress) -> result: runs inside one transaction of the store (the session is a SQLAlchemy Session)."""
SelfContainedJob = Callable[[Progress], Any]
"""job(progress) -> result: manages its own transactions (create_demo_store, a backup)."""

EMIT_INTERVAL = 0.05   # seconds: at most 20 progress updates a second reach the UI


class WorkerSignals(QObject):
    """A worker's signals (a QRunnable is no QObject); emitted on the pool thread, delivered on the UI thread."""

    progress = Signal(int, int, str)   # done, total, label
    succeeded = Signal(object)         # the job's result
    failed = Signal(object)            # the exception; nothing was written
    cancelled = Signal()               # the user cancelled; nothing was written
    finished = Signal()                # always last, after one of the three above


class Worker(QRunnable):
    """Runs job(session, progress) on a pool thread inside one transaction of `store`.

    With transactional=False it runs job(progress) as is, for a job that opens its own transactions; with
    read_only=True it runs job(session, progress) in a read session (store.session()), which writes nothing and,
    the store being in WAL mode, neither waits for the write runner's transaction nor holds it up.
    The job must not touch widgets: it talks to the UI only through `progress` and its result.
    """

    def __init__(self, store: Store, job: Job | SelfContainedJob, *, transactional: bool = True,
                 read_only: bool = False) -> None:
        super().__init__()
        self.setAutoDelete(False)          # TaskRunner keeps us alive until `finished`
        self.signals = WorkerSignals()
        self._store, self._job, self._transactional, self._read_only = store, job, transactional, read_only
        self._cancel = threading.Event()
        self._last_emit = 0.0

    def cancel(self) -> None:
        """Ask the job to stop at its next progress report; harmless once it has finished."""
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _report(self, done: int, total: int, label: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled
        now = time.monotonic()
        if now - self._last_emit >= EMIT_INTERVAL or done == total:
            self._last_emit = now
            self.signals.progress.emit(done, total, label)

    def run(self) -> None:
        try:
            result = self._run_job()
        except Cancelled:
            log.info("background job cancelled")
            self.signals.cancelled.emit()
        except PoleDeskError as error:   # expected: its handler shows the French message; no traceback to log
            log.info("background job refused: %s", type(error).__name__)
            self.signals.failed.emit(error)
        except Exception as error:
            log.exception("background job failed")
            self.signals.failed.emit(error)
        else:
            self.signals.succeeded.emit(result)
        finally:
            self.signals.finished.emit()

    def _run_job(self) -> Any:
        # `transactional` says which of the two shapes the job has (see Job and SelfContainedJob).
        if not self._transactional:
            return cast(SelfContainedJob, self._job)(self._report)
        if self._read_only:
            with self._store.session() as session:
                return cast(Job, self._job)(session, self._report)
        with self._store.transaction() as session:
            result = cast(Job, self._job)(session, self._report)
            if self._cancel.is_set():   # cancelled after the last report: still nothing is written
                raise Cancelled
            return result


class TaskRunner(QObject):
    """Runs workers one at a time (writes are serialised, as SQLite wants) and keeps them alive while they run.

    A window has two: `runner` for its writes and long jobs, `reader` for the read-only first fills of its lists
    (Worker(read_only=True)), so a list never waits behind an import or the daily backup."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._running: set[Worker] = set()

    def start(self, worker: Worker) -> Worker:
        self._running.add(worker)
        worker.signals.finished.connect(lambda: self._running.discard(worker))
        self.pool.start(worker)
        return worker

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def cancel_all(self) -> None:
        for worker in list(self._running):
            worker.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until every started worker has run (shutdown, tests); False if `msecs` passed first."""
        return self.pool.waitForDone(msecs)
