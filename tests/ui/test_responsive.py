"""The window stays responsive during long work: while an import or a merge runs on the worker thread, a click
in the window is handled at once (here « Annuler » in its progress dialog), and the work then stops cleanly.

The worker is held at its first progress report past the start, so that the click surely lands while it runs:
it is the real import and the real merge, with the worker parked in the middle of its transaction.
"""

from __future__ import annotations

import threading

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton, QWizard

from poledesk.data import identity
from poledesk.data.db import Store, open_store
from poledesk.sync import exchange, keys, peers
from poledesk.ui.main_window import MainWindow

LEFT = Qt.MouseButton.LeftButton
WORKER_MS = 60_000


class Gate:
    """Parks the worker thread at its first report past `after` until the test lets it go."""

    def __init__(self, after: int = 0) -> None:
        self.after = after
        self.reached = threading.Event()
        self.released = threading.Event()
        self.label = ""                     # the step the worker was parked at

    def report(self, done: int, _total: int, label: str = "") -> None:
        if done > self.after and not self.reached.is_set():
            self.label = label
            self.reached.set()
            assert self.released.wait(WORKER_MS / 1000), "the test never released the worker"

    def release(self) -> None:
        self.released.set()


def pin(holder: Store, other: Store) -> None:
    """`holder` imports `other`'s card and verifies it by its code, as read on the phone."""
    own = keys.ensure_keys(holder.folder)
    with other.session() as session:
        card = keys.make_card(identity.current_identity(session), keys.ensure_keys(other.folder))
    with holder.transaction() as session:
        imported = peers.import_card(session, card, keys=own)
        peers.verify_peer(session, imported.peer.code, keys=own, code_read=imported.peer.verification_code)


def click_cancel_while_parked(qtbot, window: MainWindow, dialog_of, gate: Gate) -> None:
    """The worker is parked mid-work: the progress dialog shows, a click on « Annuler » is handled by the UI
    thread (the cancel is asked for) while the worker still runs; then the worker goes on and stops."""
    qtbot.waitUntil(gate.reached.is_set, timeout=WORKER_MS)
    qtbot.waitUntil(lambda: dialog_of() is not None and dialog_of().isVisible(), timeout=WORKER_MS)
    assert window.runner.busy
    button = dialog_of().findChild(QPushButton)
    assert button.text() == "Annuler"
    qtbot.mouseClick(button, LEFT)
    assert window.runner.busy and not gate.released.is_set()         # handled while the worker is parked
    gate.release()


def test_a_click_is_handled_during_an_import(store, open_window, qtbot, monkeypatch, tmp_path):
    window = open_window(store)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Nom", "Code postal", "Commune"])
    for number in range(1200):
        sheet.append([f"Entreprise d'essai n° {number:04d}", "54000", "Nancy"])
    path = tmp_path / "gros.xlsx"
    workbook.save(path)
    with store.session() as session:
        from poledesk.data.partners import listing

        before = listing.count_partners(session)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *_args: (str(path), "")))
    window.import_action.trigger()
    wizard = window.spreadsheet_actions.wizard
    qtbot.waitExposed(wizard)
    qtbot.mouseClick(wizard.file_page.browse_button, LEFT)
    qtbot.waitUntil(lambda: not wizard.file_page.reading, timeout=WORKER_MS)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), LEFT)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), LEFT)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.plan_page, timeout=WORKER_MS)
    gate = Gate()
    wizard.apply_started.connect(
        lambda worker: worker.signals.progress.connect(gate.report, Qt.ConnectionType.DirectConnection))
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), LEFT)
    click_cancel_while_parked(qtbot, window, lambda: wizard.progress.dialog if wizard.progress else None, gate)
    qtbot.waitUntil(lambda: not wizard.applying, timeout=WORKER_MS)
    assert wizard.plan_page.outcome_label.text() == "Import annulé : rien n'a été modifié."
    with store.session() as session:
        assert listing.count_partners(session) == before


def test_a_click_is_handled_during_a_merge(small_store, tmp_path, open_window, qtbot, monkeypatch):
    coordinator = open_store(tmp_path / "coordination")
    with coordinator.transaction() as session:
        coordinator.set_owner(identity.init_coordinator(session, "Nancy-Metz").code)
    pin(small_store, coordinator)
    pin(coordinator, small_store)
    path = tmp_path / "paquet.poledesk"
    exchange.export_bundle(small_store, coordinator.owner, keys=keys.ensure_keys(small_store.folder), out=path)
    window = open_window(coordinator)
    gate = Gate(after=2)    # parked at « Fusion »: checked, backed up, inside the merge's transaction
    real_import = exchange.import_bundle

    def held_import(store, bundle_path, **kwargs):
        # The real merge, with its progress reports passed on after the gate (the worker's own reports).
        progress = kwargs.pop("progress")

        def report(done: int, total: int, label: str = "") -> None:
            gate.report(done, total, label)
            progress(done, total, label)

        return real_import(store, bundle_path, progress=report, **kwargs)

    monkeypatch.setattr(exchange, "import_bundle", held_import)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *_args: ([str(path)], "")))
    transfers = window.exchanges.transfers
    window.exchanges.import_bundles_action.trigger()
    click_cancel_while_parked(qtbot, window, lambda: getattr(transfers, "progress", None) and
                              transfers.progress.dialog, gate)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=WORKER_MS)
    with coordinator.session() as session:
        from poledesk.data.partners import listing

        assert listing.count_partners(session) == 0                   # cancelled: nothing merged
    assert gate.label == "Fusion"                                     # the click came during the merge
    coordinator.close()
