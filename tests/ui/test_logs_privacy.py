"""No personal data in logs or crash reports: errors provoked while a pupil is edited, then the logs are read."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from poledesk import paths
from poledesk.logs import setup_logging
from poledesk.ui.crash import CrashHook
from poledesk.ui.main_window import MainWindow

LEFT = Qt.MouseButton.LeftButton
FIRST, LAST, REPRESENTATIVE = "Zéphyrine", "Quillardet", "Anaïs Vauchelet-Quillardet"
BORN = date(2010, 3, 12)
SECRETS = (FIRST, LAST, "Vauchelet", "12/03/2010", "2010-03-12", "vauchelet@exemple.fr", "06 12 34 56 78")


@pytest.fixture
def logged(store):
    """The application's file log in the store's folder, for this test only."""
    root = logging.getLogger()
    before = list(root.handlers)
    for handler in before:   # an earlier test's log file: this test logs in its own folder
        root.removeHandler(handler)
    setup_logging(store.folder)
    yield paths.logs_dir(store.folder)
    for handler in root.handlers[:]:
        handler.close()
        root.removeHandler(handler)
    for handler in before:
        root.addHandler(handler)


def test_errors_while_a_pupil_is_edited_leave_no_personal_data_in_logs(store, logged, qtbot):
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.escalations_tab)
    tab = window.escalations_tab
    qtbot.mouseClick(tab.new_button, LEFT)
    dialog = tab.dialog
    dialog.establishment_combo.setCurrentIndex(1)
    dialog.first_name_edit.setText(FIRST)
    dialog.last_name_edit.setText(LAST)
    dialog.birth_edit.setText("31/02/2010")                            # a typing error first
    dialog.representative_name_edit.setText(REPRESENTATIVE)
    dialog.representative_email_edit.setText("vauchelet@exemple.fr")
    dialog.representative_phone_edit.setText("06 12 34 56 78")
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert dialog.errors.text("pupil_birth_date").startswith("Date de naissance illisible")
    dialog.birth_edit.setText(BORN.strftime("%d/%m/%Y"))
    # then the store refuses the write (as a full disk or a broken file would): an unexpected error
    with store.transaction() as session:
        session.execute(text("CREATE TRIGGER refuse_pupils BEFORE INSERT ON pupil "
                             "BEGIN SELECT RAISE(ABORT, 'ecriture refusee'); END"))
    hook = CrashHook(store.folder)
    with qtbot.captureExceptions() as caught:
        qtbot.mouseClick(dialog.save_button, LEFT)
    assert caught, "the write should have failed"
    for kind, error, tb in caught:
        hook(kind, error, tb)
    assert hook.last_report is not None and hook.box is not None
    shown = hook.box.informativeText() + hook.box.detailedText()
    logging.getLogger("poledesk.test").warning("pupil %s edited", 42)   # what the code may log: ids
    for handler in logging.getLogger().handlers:
        handler.flush()
    written = "".join(p.read_text(encoding="utf-8") for p in logged.iterdir())
    assert "ecriture refusee" in written and "pupil 42 edited" in written   # the check reads the real files
    for secret in SECRETS:
        assert secret not in written, secret
        assert secret not in shown, secret
    hook.box.close()
    window.close()
