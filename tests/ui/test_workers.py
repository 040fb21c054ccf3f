"""The background worker: progress reaches the UI thread, a cancel or a failure writes nothing, results come back."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QWidget

from poledesk.data.models import Partner
from poledesk.data.partners import listing as partners
from poledesk.data.progress import Cancelled, no_progress
from poledesk.ui.widgets.worker_progress import WorkerProgress
from poledesk.ui.workers import TaskRunner, Worker


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner()
    yield runner
    assert runner.wait(5000)


def add_partners(count: int):
    """A job that writes `count` partners, reporting after each; returns the names and the thread it ran on."""
    def job(session, progress):
        for n in range(count):
            session.add(Partner(name=f"Boulangerie n° {n}", postcode="54000", commune="Nancy"))
            session.flush()
            progress(n + 1, count, f"Partenaire {n + 1}")
        return count, threading.get_ident()
    return job


def count(store) -> int:
    with store.session() as session:
        return partners.count_partners(session)


def test_progress_reaches_the_ui_thread_and_the_result_is_committed(pole_store, runner, qtbot):
    worker = Worker(pole_store, add_partners(5))
    seen: list[tuple[int, int, str]] = []
    worker.signals.progress.connect(lambda done, total, label: seen.append((done, total, label)))
    with qtbot.waitSignal(worker.signals.succeeded, timeout=5000) as blocker:
        runner.start(worker)
    written, job_thread = blocker.args[0]
    assert written == 5
    assert job_thread != threading.get_ident()        # it ran off the UI thread
    assert seen[-1] == (5, 5, "Partenaire 5")          # the last report always arrives
    assert all(total == 5 for _done, total, _label in seen)
    assert count(pole_store) == 5


def test_cancel_rolls_back_and_nothing_is_written(pole_store, runner, qtbot):
    user_cancelled = threading.Event()

    def job(session, progress):
        for n in range(50):
            session.add(Partner(name=f"Boulangerie n° {n}", postcode="54000"))
            session.flush()
            progress(n + 1, 50, "")
            user_cancelled.wait(5)   # the job goes on only once the UI thread has seen a report and cancelled
        return 50

    worker = Worker(pole_store, job)

    def cancel_on_first_report(*_args):
        worker.cancel()
        user_cancelled.set()

    worker.signals.progress.connect(cancel_on_first_report)
    failures: list[object] = []
    worker.signals.failed.connect(failures.append)
    with qtbot.waitSignals([worker.signals.cancelled, worker.signals.finished], timeout=10000):
        runner.start(worker)
    assert failures == []
    assert count(pole_store) == 0
    qtbot.waitUntil(lambda: not runner.busy)


def test_a_cancel_after_the_last_report_still_writes_nothing(pole_store, runner, qtbot):
    started = threading.Event()
    release = threading.Event()

    def job(session, progress):
        session.add(Partner(name="Garage du Centre", postcode="54000"))
        session.flush()
        started.set()
        release.wait(5)
        return "fini"

    worker = Worker(pole_store, job)
    with qtbot.waitSignal(worker.signals.cancelled, timeout=5000):
        runner.start(worker)
        assert started.wait(5)
        worker.cancel()
        release.set()
    assert count(pole_store) == 0


def test_failure_emits_the_error_and_nothing_is_written(pole_store, runner, qtbot):
    def job(session, progress):
        session.add(Partner(name="Garage du Centre", postcode="54000"))
        session.flush()
        raise ValueError("SIRET invalide")

    worker = Worker(pole_store, job)
    successes: list[object] = []
    worker.signals.succeeded.connect(successes.append)
    with qtbot.waitSignal(worker.signals.failed, timeout=5000) as blocker:
        runner.start(worker)
    assert isinstance(blocker.args[0], ValueError)
    assert str(blocker.args[0]) == "SIRET invalide"
    assert successes == []
    assert count(pole_store) == 0


def test_a_self_contained_job_gets_progress_and_no_session(pole_store, runner, qtbot):
    received: list[object] = []

    def job(progress):
        received.append(progress)
        progress(1, 1, "fait")
        return "fini"

    worker = Worker(pole_store, job, transactional=False)
    with qtbot.waitSignal(worker.signals.succeeded, timeout=5000) as blocker:
        runner.start(worker)
    assert blocker.args == ["fini"]
    assert len(received) == 1 and callable(received[0])


def test_a_self_contained_job_can_be_cancelled(pole_store, runner, qtbot):
    def job(progress):
        for n in range(1000):
            progress(n, 1000, "")
        return "fini"

    worker = Worker(pole_store, job, transactional=False)
    worker.cancel()
    with qtbot.waitSignal(worker.signals.cancelled, timeout=5000):
        runner.start(worker)


def test_runner_runs_jobs_one_at_a_time_in_order(pole_store, runner, qtbot):
    order: list[int] = []

    def job_number(n):
        return lambda _progress: order.append(n)

    workers = [Worker(pole_store, job_number(n), transactional=False) for n in range(6)]
    with qtbot.waitSignals([w.signals.finished for w in workers], timeout=5000):
        for worker in workers:
            runner.start(worker)
    assert runner.pool.maxThreadCount() == 1   # writes are serialised: SQLite has one writer
    assert order == [0, 1, 2, 3, 4, 5]
    qtbot.waitUntil(lambda: not runner.busy)


def test_no_progress_is_silent_and_cancelled_is_an_exception():
    assert no_progress(1, 2, "x") is None
    assert issubclass(Cancelled, Exception)


def test_a_worker_ending_inside_the_progress_dialogs_event_loop_puts_it_away_after(pole_store, qtbot):
    """A window-modal QProgressDialog runs the event loop inside setValue: a worker ending there must not have the
    dialog reset and deleted under its own setValue (that crashed the process), but right after it."""
    parent = QWidget()
    qtbot.addWidget(parent)
    worker = Worker(pole_store, lambda session, progress: None)
    shown = WorkerProgress(worker, "Export", "Export des partenaires", parent)
    dialog = shown.dialog
    seen_inside: list[bool] = []
    real_set_value = dialog.setValue

    def set_value_ending_the_worker(value: int) -> None:
        real_set_value(value)
        worker.signals.finished.emit()               # delivered while setValue's loop runs
        seen_inside.append(dialog.isHidden())        # still whole: nothing was put away under setValue
        shown._on_progress(2, 10, "")                # a report arriving there is dropped, not re-entered

    dialog.setValue = set_value_ending_the_worker
    dialog.show()                                    # as after its 600 ms
    shown._on_progress(1, 10, "Partenaires")
    assert seen_inside == [False]
    assert dialog.isHidden() and shown._closed       # put away once setValue returned
    shown._on_progress(3, 10, "")                    # and later reports touch nothing
