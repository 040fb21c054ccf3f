"""The application start: Qt in French, a refused store, and the launcher taking a store to a shown window."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QPushButton, QTabBar

from poledesk import paths
from poledesk.data import db, identity
from poledesk.ui import app as app_module
from poledesk.ui.app import (
    Launcher,
    TabRoomStyle,
    install_qt_translation,
    run_app,
    translation_folders,
    use_french_dialogs,
)
from store_support import damage


@pytest.fixture
def launcher(qapp, qtbot):
    launcher = Launcher(qapp)
    yield launcher
    if launcher.window is not None:
        launcher.window.close()
        launcher.window.runner.wait(10_000)
    launcher.runner.wait(60_000)


def test_qt_own_buttons_speak_french(qapp):
    assert install_qt_translation(qapp)
    box = QMessageBox(QMessageBox.Icon.Question, "PoleDesk", "Question",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    texts = {box.button(b).text().replace("&", "") for b in (QMessageBox.StandardButton.Yes,
                                                              QMessageBox.StandardButton.Cancel)}
    assert texts == {"Oui", "Annuler"}


def test_qt_french_is_found_beside_pyside6_when_qt_own_path_has_none(qapp, tmp_path):
    empty = str(tmp_path)
    assert not install_qt_translation(qapp, [empty])
    assert install_qt_translation(qapp, [empty, *translation_folders()[-1:]])
    assert translation_folders()[-1].endswith("translations")


def test_the_file_dialog_speaks_french_on_a_system_in_another_language(qapp, qtbot):
    assert install_qt_translation(qapp)
    try:
        assert use_french_dialogs(qapp, QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        assert qapp.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
        dialog = QFileDialog(None, "Enregistrer")
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        labels = {label.text() for label in dialog.findChildren(QLabel)}
        buttons = {button.text().replace("&", "") for button in dialog.findChildren(QPushButton)}
        assert {"&Regarder dans :", "Fichiers de &type :"} <= labels and "&Look in:" not in labels
        assert "Annuler" in buttons
        dialog.reject()
        assert not use_french_dialogs(qapp, QLocale(QLocale.Language.French, QLocale.Country.Canada))
    finally:
        qapp.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, False)


def test_an_unselected_tab_shows_the_accent_of_a_capital(qtbot):
    """Plain Fusion draws "Établissements" and "Etablissements" alike on an unselected tab: the accent is cut."""
    style = TabRoomStyle("Fusion")

    def drawn(text: str):
        bar = QTabBar()
        qtbot.addWidget(bar)
        bar.setStyle(style)
        bar.addTab("Partenaires")
        bar.addTab(text)
        bar.setCurrentIndex(0)
        bar.show()
        qtbot.waitExposed(bar)
        return bar.grab().toImage()

    assert drawn("Établissements") != drawn("Etablissements")


def test_a_refused_store_exits_with_2_and_the_file_is_untouched(qapp, tmp_path, monkeypatch):
    folder = tmp_path / "donnees"
    folder.mkdir()
    paths.store_file(folder).write_bytes(b"ceci n'est pas une base")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda _parent, _title, text: shown.append(text)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)        # restored after the test
    monkeypatch.setattr(app_module, "setup_logging", lambda _folder: None)
    assert run_app(folder) == 2
    assert len(shown) == 1
    assert "n'est pas une base PoleDesk" in shown[0] and "Le fichier n'a pas été modifié" in shown[0]
    assert paths.store_file(folder).read_bytes() == b"ceci n'est pas une base"


def test_a_set_up_store_opens_its_window_and_is_backed_up_once_painted(launcher, pole_store, qtbot):
    assert db.list_backups(pole_store.folder) == []
    launcher.open(pole_store)
    window = launcher.window
    assert window is not None and window.isVisible()
    assert "Pôle de stages du bassin de Nancy (NM-07)" in window.windowTitle()
    qtbot.waitUntil(lambda: len(db.list_backups(pole_store.folder)) == 1, timeout=10_000)
    assert db.list_backups(pole_store.folder)[0].name.endswith("-quotidienne.sqlite")


def test_demo_flag_builds_the_demo_then_opens_the_window(launcher, empty_store, qtbot):
    launcher.open(empty_store, demo=True)
    assert launcher.demo_build is not None
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=60_000)
    assert launcher.window.isVisible()
    assert launcher.window.windowTitle().endswith("– démonstration")
    with empty_store.session() as session:
        assert identity.current_identity(session).demo


def test_another_folder_replaces_the_window(launcher, store, pole_store, qtbot):
    launcher.open(store)
    first = launcher.window
    first.store_opened.emit(pole_store)
    assert launcher.window is not first
    assert launcher.store is pole_store
    assert launcher.window.isVisible() and not first.isVisible()
    assert "NM-07" in launcher.window.windowTitle()


def test_an_empty_folder_asks_first_and_a_refusal_keeps_the_current_window(launcher, store, empty_store, qtbot):
    launcher.open(store)
    first = launcher.window
    first.store_opened.emit(empty_store)
    dialog = launcher.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.cancel_button.text() == "Annuler"
    dialog.cancel_button.click()
    assert launcher.window is first and first.isVisible()
    assert launcher.store is store



SHELL_SCRIPT = """
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from poledesk.ui import app as application
from poledesk.ui import shell

HEAVY = %r
seen = {}
shown = shell.WindowShell.show_and_wait_for_paint

def note_shell(self):
    shown(self)
    seen["loaded"] = sorted(m for m in sys.modules if m.startswith(HEAVY))
    seen["tabs"] = [self.tabs.tabText(i) for i in range(self.tabs.count())]
    seen["page"] = self.tabs.currentWidget().text()
    seen["menus"] = [a.text() for a in self.menuBar().actions()]

def at_window_paint(self):
    seen["window"] = self.window.windowTitle()
    seen["shell_left"] = self.shell is not None and self.shell.isVisible()
    QApplication.instance().quit()

shell.WindowShell.show_and_wait_for_paint = note_shell
application.Launcher._on_first_paint = at_window_paint
code = application.run_app(Path(sys.argv[1]))
print(json.dumps(seen))
sys.exit(code)
"""
SHELL_HEAVY = ("sqlalchemy", "sqlcipher3", "reportlab", "openpyxl", "cryptography", "pyrage", "poledesk.data.models",
               "poledesk.data.conventions", "poledesk.ui.main_window")


def test_the_window_shell_is_painted_before_the_store_and_its_libraries_load(store):
    """In a subprocess, as PoleDesk starts: the shell (tabs, menus, « chargement… ») is painted before SQLAlchemy,
    the models, the rule tables, ReportLab, openpyxl or a cipher is imported; then the real window replaces it."""
    folder = store.folder
    store.close()
    result = subprocess.run([sys.executable, "-c", SHELL_SCRIPT % (SHELL_HEAVY,), str(folder)], capture_output=True,
                            text=True, timeout=180, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["loaded"] == []
    assert seen["tabs"][:2] == ["Tableau de bord", "Partenaires"] and seen["page"] == "chargement…"
    assert seen["menus"] == ["&Fichier", "É&changes", "&Aide"]
    assert "démonstration" in seen["window"] and seen["shell_left"] is False


def test_an_encrypted_store_asks_its_passphrase_before_any_window(qapp, tmp_path, monkeypatch):
    """No shell for an encrypted store: the unlock dialog comes first; giving up opens nothing."""
    from poledesk.ui.dialogs import passphrase_dialogs

    folder = tmp_path / "chiffree"
    folder.mkdir()
    paths.store_file(folder).write_bytes(b"\x8a" * 4096)          # not a clear SQLite file
    vault_header = folder / app_module.vault.HEADER_FILE
    vault_header.write_text("{}")
    asked: list[bool] = []

    class GivenUp:
        key = None

        def __init__(self, _folder):
            asked.append(any(isinstance(w, app_module.WindowShell) and w.isVisible() for w in qapp.topLevelWidgets()))

        def exec(self):
            return 0

    monkeypatch.setattr(passphrase_dialogs, "UnlockDialog", GivenUp)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)        # restored after the test
    monkeypatch.setattr(app_module, "setup_logging", lambda _folder: None)
    monkeypatch.delenv("POLEDESK_PASSPHRASE", raising=False)
    assert run_app(folder) == app_module.EXIT_STORE_REFUSED
    assert asked == [False]


def test_a_damaged_store_says_so_above_the_tabs_and_is_not_backed_up(launcher, store, qtbot):
    store.close()
    damage(store.file, "visit")
    damaged = db.open_store(store.folder, create=False)
    try:
        launcher.open(damaged)
        window = launcher.window
        qtbot.waitUntil(lambda: window.store_warning.isVisible(), timeout=20_000)
        assert "est endommagée" in window.store_warning.text() and "lecture seule" in window.store_warning.text()
        window.runner.wait(10_000)
        assert db.list_backups(store.folder) == []   # a damaged copy never pushes a sound one out of the rotation
    finally:
        if launcher.window is not None:
            launcher.window.close()
            launcher.window.runner.wait(10_000)
        damaged.close()


def test_a_sound_store_shows_no_warning(launcher, pole_store, qtbot):
    launcher.open(pole_store)
    qtbot.waitUntil(lambda: len(db.list_backups(pole_store.folder)) == 1, timeout=10_000)
    assert launcher.window.store_warning.isHidden()


def test_a_store_on_a_read_only_medium_says_so_without_a_check(launcher, pole_store, qtbot):
    # The medium's detection is tested on a real read-only mount (test_store_faults); here, what the window does.
    pole_store.read_only = db.READ_ONLY_MEDIUM
    launcher.open(pole_store)
    qtbot.waitUntil(lambda: launcher.window.store_warning.isVisible(), timeout=10_000)   # once painted
    assert launcher.window.store_warning.text() == f"⚠ {db.READ_ONLY_MEDIUM} Vous pouvez consulter et exporter ; " \
                                                   "rien ne sera enregistré."
    launcher.window.runner.wait(10_000)
    assert db.list_backups(pole_store.folder) == []
