"""The main window on the demo store: tabs, title, status bar, remembered state, a copy of the store, the crash hook."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

from poledesk import __version__, paths
from poledesk.data import db, identity
from poledesk.data.partners import listing as partners
from poledesk.ui.crash import CrashHook
from poledesk.ui.main_window import MainWindow

HEAVY_MODULES = ("reportlab", "openpyxl", "cryptography", "pyrage")


def open_window(qtbot, store) -> MainWindow:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot, store):
    window = open_window(qtbot, store)
    yield window
    window.runner.wait(5000)


def test_the_window_shows_its_tabs_the_pole_and_the_store(window, store):
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Tableau de bord", "Partenaires", "Sollicitations", "Stages", "Formations des tuteurs",
                      "Établissements", "Planification", "Programme d'actions"]
    assert [window.tabs.widget(i) for i in range(8)] == [window.dashboard_tab, window.partners_tab,
                                                         window.escalations_tab,
                                                         window.placements_tab, window.trainings_tab,
                                                         window.establishments_tab, window.planning_tab,
                                                         window.programme_tab]
    with store.session() as session:
        ident = identity.current_identity(session)
    assert ident.name in window.windowTitle()
    assert window.windowTitle().startswith("PoleDesk – ")
    assert window.path_label.isVisible()
    assert window.path_label.text() == str(store.file)
    assert window.identity_label.text() == ident.title


def test_the_menus_say_it_in_french(window):
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&Fichier", "É&changes", "&Aide"]
    assert window.open_folder_action.text() == "&Ouvrir un autre dossier de données…"
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"


def test_last_tab_and_geometry_are_remembered_on_the_same_folder(qtbot, store):
    assert not paths.ui_settings_file(store.folder).exists()
    first = open_window(qtbot, store)
    first.tabs.setCurrentIndex(first.tabs.indexOf(first.establishments_tab))
    first.resize(700, 480)
    qtbot.waitUntil(lambda: first.size().width() == 700)
    first.close()
    settings = QSettings(str(paths.ui_settings_file(store.folder)), QSettings.Format.IniFormat)
    assert settings.value("MainWindow/tab", type=int) == 5
    second = open_window(qtbot, store)
    assert second.tabs.currentIndex() == 5
    assert second.tabs.tabText(second.tabs.currentIndex()) == "Établissements"
    assert (second.width(), second.height()) == (700, 480)


def test_a_first_window_gets_a_sensible_default_size(qtbot, store):
    window = open_window(qtbot, store)
    available = window.screen().availableGeometry()
    assert window.width() == min(1280, int(available.width() * 0.95))
    assert window.height() == min(800, int(available.height() * 0.9))
    assert window.tabs.currentIndex() == 0


def test_save_a_copy_writes_a_valid_store(window, store, tmp_path, monkeypatch, qtbot):
    asked: list[str] = []
    target = tmp_path / "copies" / "ma-copie"
    target.parent.mkdir()

    def choose_file(_parent, _caption, suggested, _filter):
        asked.append(Path(suggested).name)
        return str(target), "Base PoleDesk (*.sqlite)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose_file))
    with qtbot.waitSignal(window.copy_saved, timeout=10_000) as blocker:
        window.save_copy_action.trigger()
    assert asked == [f"poledesk-copie-{date.today():%Y-%m-%d}.sqlite"]
    written = blocker.args[0]
    assert written == target.with_suffix(".sqlite").resolve()
    assert db.check_store(written) == []
    assert not list(target.parent.glob(".*partielle"))
    with store.session() as session:
        expected = partners.count_partners(session)
    copy = sqlite3.connect(written)
    try:
        assert copy.execute("SELECT count(*) FROM partner WHERE deleted_at IS NULL").fetchone()[0] == expected
    finally:
        copy.close()
    assert "Copie de la base enregistrée" in window.statusBar().currentMessage()


def test_a_copy_cannot_replace_the_open_store(window, store, monkeypatch, qtbot):
    before = store.file.stat().st_mtime_ns
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_args: (str(store.file), "Base PoleDesk (*.sqlite)")))
    window.save_copy_action.trigger()
    qtbot.waitUntil(lambda: window.message_box is not None and window.message_box.isVisible(), timeout=10_000)
    assert "ne peut pas remplacer la base ouverte" in window.message_box.text()
    assert store.file.stat().st_mtime_ns == before


def test_a_folder_that_is_not_a_store_is_refused_and_the_window_keeps_its_store(window, tmp_path, monkeypatch,
                                                                                qtbot):
    other = tmp_path / "autre"
    other.mkdir()
    paths.store_file(other).write_bytes(b"pas une base")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *_args: str(other)))
    opened: list[object] = []
    window.store_opened.connect(opened.append)
    window.open_folder_action.trigger()
    assert window.message_box.isVisible()
    assert "n'est pas une base PoleDesk" in window.message_box.text()
    assert "Le dossier actuel reste ouvert" in window.message_box.text()
    assert opened == []
    assert paths.store_file(other).read_bytes() == b"pas une base"


def test_another_store_folder_is_handed_over(window, pole_store, monkeypatch, qtbot):
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *_args: str(pole_store.folder)))
    with qtbot.waitSignal(window.store_opened, timeout=5000) as blocker:
        window.open_folder_action.trigger()
    opened = blocker.args[0]
    try:
        assert opened.folder == pole_store.folder.resolve()
        assert opened.owner == "NM-07"
    finally:
        opened.close()


def test_quit_closes_the_window_and_saves_its_state(window, store):
    window.tabs.setCurrentIndex(2)
    window.quit_action.trigger()
    assert not window.isVisible()
    settings = QSettings(str(paths.ui_settings_file(store.folder)), QSettings.Format.IniFormat)
    assert settings.value("MainWindow/tab", type=int) == 2


def test_about_names_the_version_and_the_data_folder(window, store):
    window.about_action.trigger()
    box = window.message_box
    assert box.isVisible()
    assert box.windowTitle() == "À propos de PoleDesk"
    assert f"PoleDesk {__version__}" in box.text() and "Dossier de données" in box.text()
    assert str(store.folder) in box.text()
    box.close()


def test_the_crash_hook_writes_a_report_and_shows_it(qtbot, tmp_path):
    hook = CrashHook(tmp_path)
    try:
        {}["partenaire"]
    except KeyError:
        hook(*sys.exc_info())
    reports = list(paths.logs_dir(tmp_path).glob("plantage-*.txt"))
    assert reports == [hook.last_report]
    text = reports[0].read_text(encoding="utf-8")
    assert "KeyError: 'partenaire'" in text and "test_the_crash_hook_writes_a_report_and_shows_it" in text
    box = hook.box
    qtbot.addWidget(box)
    assert box.isVisible() and box.icon() == QMessageBox.Icon.Critical
    assert "erreur inattendue" in box.text()
    assert box.detailedText() == text.rstrip("\n")
    assert hook.copy_button.text() == "Copier le rapport"
    hook.copy_button.click()
    assert QGuiApplication.clipboard().text() == box.detailedText()
    assert box.isVisible()   # copying leaves the report on screen
    box.close()


def test_an_error_while_reporting_does_not_loop(qtbot, tmp_path, monkeypatch, capsys):
    hook = CrashHook(tmp_path)
    calls: list[str] = []

    def failing_show(error, report):
        calls.append(report)
        try:
            raise RuntimeError("le rapport lui-même échoue")
        except RuntimeError:
            hook(*sys.exc_info())   # what sys.excepthook would receive

    monkeypatch.setattr(hook, "_show", failing_show)
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError:
        hook(*sys.exc_info())
    assert len(calls) == 1
    assert "le rapport lui-même échoue" in capsys.readouterr().err


STARTUP_SCRIPT = """
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from poledesk.data.db import open_store
from poledesk.ui.app import Launcher, configure_application

app = QApplication([])
configure_application(app)
launcher = Launcher(app)
launcher.open(open_store(Path(sys.argv[1])))
heavy = {}
def after_paint():
    heavy["loaded"] = sorted(m for m in sys.modules if m.split(".")[0] in %r)
    launcher.window.close()
launcher.window.first_painted.connect(after_paint)
app.exec()
launcher.shutdown()
print(json.dumps(heavy))
"""


def test_start_up_loads_no_pdf_workbook_or_crypto_library_and_backs_up_after_paint(store):
    """In a subprocess: other tests' imports must not hide a start-up import."""
    folder = store.folder
    store.close()
    script = STARTUP_SCRIPT % (HEAVY_MODULES,)
    result = subprocess.run([sys.executable, "-c", script, str(folder)], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"loaded": []}
    backups = db.list_backups(folder)
    assert len(backups) == 1 and backups[0].name.endswith("-quotidienne.sqlite")


def test_only_the_visible_tab_loads_at_start_and_the_others_when_opened(window, store):
    assert window.tabs.currentWidget() is window.dashboard_tab
    assert window.partners_tab.model.rowCount() == 0                # not read yet: start-up pays for one tab
    window.tabs.setCurrentWidget(window.partners_tab)
    assert window.partners_tab.model.rowCount() > 0
    assert window.establishments_tab.model.rowCount() == 0          # not read yet: start-up pays for one tab
    window.tabs.setCurrentWidget(window.establishments_tab)
    assert window.establishments_tab.model.rowCount() > 0
    with store.session() as session:
        from poledesk.data.escalations import listing as escalations
        some_id = escalations.list_escalations(session)[0].id
    assert window.escalations_tab.select_id(some_id)               # asking for a record loads its tab


def test_the_tab_restored_at_start_gets_its_rows_from_the_reader_thread_after_the_paint(qtbot, store, monkeypatch):
    from poledesk.data.partners import visits
    from poledesk.ui import partners_tab, ui_state

    settings = ui_state.settings(store.folder)
    settings.setValue(ui_state.MAIN_TAB, 1)          # « Partenaires » was the tab left open
    settings.sync()
    threads = []
    search = partners_tab._search

    def noting_thread(*args):
        threads.append(threading.current_thread())
        return search(*args)

    monkeypatch.setattr(partners_tab, "_search", noting_thread)
    window = MainWindow(store)
    qtbot.addWidget(window)
    tab = window.partners_tab
    assert window.tabs.currentWidget() is tab
    assert tab.count_label.text() == "chargement…" and tab.model.rowCount() == 0   # built, not read
    window.show()
    assert tab.count_label.text() == "chargement…" and not threads                  # shown, not read yet
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0)
    with store.session() as session:
        total, follow_ups = partners.count_partners(session), visits.list_follow_ups(session)
    assert threads == [threads[0]] and threads[0] is not threading.main_thread()
    assert tab.count_label.text() == f"{total} partenaires"
    assert tab.follow_ups_toggle.text() == f"À faire ({len(follow_ups)})"          # read with the rows
    assert tab.filter_bar.commune_combo.count() > 1
    window.reader.wait(5000)
