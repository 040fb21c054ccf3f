"""The UI's one place for errors: an expected PoleDeskError shows its French message, anything else the crash
dialog; neither the message nor a traceback of an expected error goes to the log."""

from __future__ import annotations

import logging
import sys

from PySide6.QtWidgets import QMessageBox

from poledesk import paths
from poledesk.data.errors import SpreadsheetError, ValidationError
from poledesk.ui.crash import CrashHook


def raise_into(hook: CrashHook, error: BaseException) -> None:
    try:
        raise error
    except BaseException:
        hook(*sys.exc_info())


def test_an_expected_error_shows_its_french_message_and_writes_no_crash_report(qtbot, tmp_path, caplog):
    hook = CrashHook(tmp_path)
    with caplog.at_level(logging.INFO):
        raise_into(hook, SpreadsheetError("Le classeur « Léa Martin.xlsx » n'a pas de feuille « Réseau »."))
    box = hook.box
    qtbot.addWidget(box)
    assert box.isVisible() and box.icon() == QMessageBox.Icon.Warning
    assert box.text() == "Le classeur « Léa Martin.xlsx » n'a pas de feuille « Réseau »."
    assert box.detailedText() == "" and box.informativeText() == ""
    assert hook.last_report is None and not list(paths.logs_dir(tmp_path).glob("plantage-*.txt"))
    assert "SpreadsheetError" in caplog.text and "Léa Martin" not in caplog.text
    box.close()


def test_a_validation_error_shows_the_messages_without_the_field_names(qtbot, tmp_path):
    hook = CrashHook(tmp_path)
    raise_into(hook, ValidationError({"siret": "SIRET invalide : la clé de contrôle ne correspond pas."}))
    qtbot.addWidget(hook.box)
    assert hook.box.text() == "SIRET invalide : la clé de contrôle ne correspond pas."
    hook.box.close()


def test_anything_else_goes_to_the_crash_dialog_and_the_log(qtbot, tmp_path, caplog):
    hook = CrashHook(tmp_path)
    with caplog.at_level(logging.ERROR):
        raise_into(hook, ZeroDivisionError("division by zero"))
    qtbot.addWidget(hook.box)
    assert hook.box.icon() == QMessageBox.Icon.Critical and "erreur inattendue" in hook.box.text()
    assert hook.last_report is not None and "ZeroDivisionError" in hook.last_report.read_text(encoding="utf-8")
    assert "Traceback" in caplog.text
    hook.box.close()


def test_a_system_fault_is_said_for_what_it_is_not_as_a_crash(qtbot, tmp_path):
    import errno

    import sqlcipher3.dbapi2 as sqlcipher

    from poledesk.data.system_errors import DISK_FULL

    connection = sqlcipher.connect(str(tmp_path / "petit.sqlite"))
    connection.execute("PRAGMA max_page_count = 2")
    try:
        connection.execute("CREATE TABLE t (x)")
        connection.execute("INSERT INTO t VALUES (zeroblob(100000))")
    except sqlcipher.OperationalError as full:
        disk_full: BaseException = full
    finally:
        connection.close()
    hook = CrashHook(tmp_path)
    raise_into(hook, disk_full)
    qtbot.addWidget(hook.box)
    assert hook.box.icon() == QMessageBox.Icon.Warning and hook.box.text() == DISK_FULL
    assert hook.last_report is None
    hook.box.close()
    try:   # a library's cleanup error raised over the full disk, as openpyxl's closed stream does
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError:
            raise ValueError("I/O operation on closed file.")  # noqa: B904 (what the library does)
    except ValueError as masked:
        raise_into(hook, masked)
    qtbot.addWidget(hook.box)
    assert hook.box.text() == DISK_FULL
    hook.box.close()
