"""The passphrase in the window: unlock (three tries), the recovery key, the idle lock, a clear store protected."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from poledesk.data import db, encryption, identity, settings
from poledesk.ui.app import Launcher
from poledesk.ui.dialogs.passphrase_dialogs import ChangePassphraseDialog, UnlockDialog
from poledesk.ui.idle_lock import IdleLock
from poledesk.ui.main_window import MainWindow
from protect_support import PASSPHRASE

LEFT = Qt.MouseButton.LeftButton
NEW = "une nouvelle phrase bien longue"


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*"))
            if p.is_file() and "journaux" not in p.parts}


@pytest.fixture
def secret(tmp_path):
    """A closed encrypted pole store and its recovery key."""
    folder = tmp_path / "chiffre"
    new = encryption.protect_new_folder(folder, PASSPHRASE, PASSPHRASE)
    store = db.open_store(folder, key=new.key)
    with store.transaction() as session:
        identity.init_pole(session, "NM-07", name="Pôle de Nancy", bassin="Nancy", academie="Nancy-Metz")
    store.close()
    return folder, new


def unlock_dialog(qtbot, folder: Path, **kwargs) -> UnlockDialog:
    dialog = UnlockDialog(folder, **kwargs)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def submit(qtbot, dialog, passphrase: str) -> None:
    dialog.passphrase_edit.clear()
    qtbot.keyClicks(dialog.passphrase_edit, passphrase)
    qtbot.mouseClick(dialog.ok_button, LEFT)


def test_the_right_passphrase_unlocks(qtbot, secret):
    folder, new = secret
    dialog = unlock_dialog(qtbot, folder)
    assert dialog.passphrase_edit.echoMode() == dialog.passphrase_edit.EchoMode.Password
    with qtbot.waitSignal(dialog.accepted):
        submit(qtbot, dialog, PASSPHRASE)
    assert dialog.key == new.key


def test_three_wrong_passphrases_then_nothing_more_and_nothing_touched(qtbot, secret):
    folder, _ = secret
    before = digests(folder)
    dialog = unlock_dialog(qtbot, folder)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert "ne peut pas être vide" in dialog.error_label.text()
    for attempt in (1, 2):
        submit(qtbot, dialog, f"mauvaise phrase {attempt}")
        assert dialog.error_label.text().startswith("Phrase secrète incorrecte")
        assert f"Essai {attempt} sur 3" in dialog.error_label.text()
    submit(qtbot, dialog, "mauvaise phrase 3")
    assert "Trois essais manqués" in dialog.error_label.text()
    assert not dialog.ok_button.isEnabled() and dialog.key is None and dialog.isVisible()
    assert digests(folder) == before


def test_the_recovery_key_opens_and_sets_a_new_passphrase(qtbot, secret, tmp_path):
    folder, new = secret
    other = encryption.protect_new_folder(tmp_path / "autre", PASSPHRASE, PASSPHRASE)
    dialog = unlock_dialog(qtbot, folder)
    qtbot.mouseClick(dialog.recovery_button, LEFT)
    assert dialog.recovery_box.isVisible() and not dialog.passphrase_row.isVisible()
    qtbot.keyClicks(dialog.recovery_edit, other.recovery_key)
    qtbot.keyClicks(dialog.new_fields.passphrase_edit, NEW)
    qtbot.keyClicks(dialog.new_fields.confirmation_edit, NEW)
    before = digests(folder)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert "feuille de secours d'une autre base" in dialog.error_label.text()
    assert digests(folder) == before
    dialog.recovery_edit.setText(new.recovery_key)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.key == new.key
    assert encryption.unlock(folder, NEW) == new.key


def test_the_passphrase_is_changed_from_the_window(qtbot, secret):
    folder, new = secret
    dialog = ChangePassphraseDialog(folder)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.keyClicks(dialog.current_edit, "pas la bonne phrase")
    qtbot.keyClicks(dialog.new_fields.passphrase_edit, NEW)
    qtbot.keyClicks(dialog.new_fields.confirmation_edit, NEW)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert "incorrecte" in dialog.error_label.text() and dialog.isVisible()
    dialog.current_edit.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button, LEFT)
    assert encryption.unlock(folder, NEW) == new.key


def test_the_idle_lock_hides_records_and_asks_again(qtbot, secret):
    folder, new = secret
    store = db.open_store(folder, key=new.key)
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    lock = IdleLock(0.001)   # 60 ms
    QApplication.instance().installEventFilter(lock)
    lock.idle.connect(window.lock)
    window.unlocked.connect(lock.start)
    try:
        lock.start()
        qtbot.waitUntil(lambda: window.locked, timeout=5000)
        assert window.stack.currentWidget() is window.lock_screen and not window.tabs.isVisible()
        assert not window.menuBar().isEnabled()
        dialog = window.security_dialog
        assert isinstance(dialog, UnlockDialog) and "verrouillé" in dialog.intro_label.text()
        submit(qtbot, dialog, "mauvaise phrase")
        assert window.locked and "incorrecte" in dialog.error_label.text()
        with qtbot.waitSignal(window.unlocked):
            submit(qtbot, dialog, PASSPHRASE)
        assert window.tabs.isVisible() and window.menuBar().isEnabled()
        assert lock.timer.isActive()
    finally:
        QApplication.instance().removeEventFilter(lock)
        lock.pause()
        window.close()
        store.close()


def test_the_lock_delay_is_a_setting(qtbot, qapp, secret):
    folder, new = secret
    store = db.open_store(folder, key=new.key)
    with store.transaction() as session:
        settings.put(session, settings.LOCK_MINUTES, "3")
    launcher = Launcher(qapp)
    launcher.open(store)
    try:
        assert launcher.idle_lock is not None and launcher.idle_lock.timer.interval() == 3 * 60_000
    finally:
        launcher.window.close()
        launcher.idle_lock.pause()
        qapp.removeEventFilter(launcher.idle_lock)
        store.close()


def test_a_clear_store_of_a_real_pole_is_offered_encryption(qtbot, qapp, pole_store, tmp_path):
    launcher = Launcher(qapp)
    launcher.open(pole_store)
    window = launcher.window
    dialog = window.security_dialog
    assert dialog is not None and dialog.isVisible() and dialog.windowTitle().startswith("Protéger la base")
    qtbot.keyClicks(dialog.new_fields.passphrase_edit, "court")
    qtbot.keyClicks(dialog.new_fields.confirmation_edit, "court")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert "au moins 12" in dialog.error_label.text() and not pole_store.encrypted
    for edit in (dialog.new_fields.passphrase_edit, dialog.new_fields.confirmation_edit):
        edit.setText(PASSPHRASE)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert pole_store.encrypted and db.is_encrypted(pole_store.file)
    sheet = dialog.sheet_dialog
    assert sheet is not None and sheet.key_label.text().count("-") == 12
    sheet.save_to(tmp_path / "feuille.pdf")
    qtbot.mouseClick(sheet.done_button, LEFT)
    qtbot.waitUntil(lambda: launcher.window is not window)
    assert launcher.window.store.encrypted and launcher.idle_lock is not None
    launcher.window.close()
    launcher.window.runner.wait(10_000)
    launcher.idle_lock.pause()
    qapp.removeEventFilter(launcher.idle_lock)
