"""The last resort for unexpected errors: log it, write a crash report in the log folder, tell the user in French."""

from __future__ import annotations

import logging
import platform
import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from poledesk import __version__, paths
from poledesk.data.errors import PoleDeskError, StoreError
from poledesk.data.system_errors import system_fault_message

log = logging.getLogger(__name__)


class CrashHook:
    """sys.excepthook, the UI's one place for errors that reach it.

    An expected error (PoleDeskError) is shown as its French message, and only its kind is logged (the message
    may name a partner or a pupil). Anything else is a bug: logged with its traceback, written to a crash
    report, and shown in the crash dialog. Guards against an error raised while an error is being reported.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.box: QMessageBox | None = None
        self.copy_button: QPushButton | None = None
        self.last_report: Path | None = None
        self._handling = False

    def __call__(self, kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        if self._handling:   # the report itself failed: fall back to the terminal, never loop
            sys.__excepthook__(kind, error, tb)
            return
        if isinstance(error, PoleDeskError):
            log.info("refused: %s", kind.__name__)
            if QApplication.instance() is not None:
                self.box = refusal_box(error, QApplication.activeWindow())
                self.box.open()
            return
        fault = system_fault_message(error)
        if fault is not None:   # a full disk, a read-only medium, a damaged file: said for what it is, not a bug
            log.warning("system fault: %s", kind.__name__)
            if QApplication.instance() is not None:
                self.box = refusal_box(StoreError(fault), QApplication.activeWindow())
                self.box.open()
            return
        self._handling = True
        try:
            log.error("unexpected error", exc_info=(kind, error, tb))
            report = crash_report(kind, error, tb)
            self.last_report = write_crash_file(self.folder, report)
            if QApplication.instance() is not None:
                self._show(error, report)
        finally:
            self._handling = False

    def _show(self, error: BaseException, report: str) -> None:
        where = f"\n\nUn rapport a été enregistré dans « {self.last_report} »." if self.last_report else ""
        box = QMessageBox(QMessageBox.Icon.Critical, "PoleDesk – erreur inattendue",
                          "PoleDesk a rencontré une erreur inattendue. L'action en cours n'a peut-être pas abouti ; "
                          "les données déjà enregistrées ne sont pas touchées." + where,
                          QMessageBox.StandardButton.Close, QApplication.activeWindow())
        box.setInformativeText(f"{type(error).__name__} : {error}")
        box.setDetailedText(report)
        self.copy_button = box.addButton("Copier le rapport", QMessageBox.ButtonRole.ActionRole)
        # A message box closes on any button: cut that link so that copying leaves the report readable.
        self.copy_button.clicked.disconnect()
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(report))
        self.box = box
        box.open()


def refusal_box(error: PoleDeskError, parent: QWidget | None) -> QMessageBox:
    """The message box of an expected error: its French message, nothing technical."""
    return QMessageBox(QMessageBox.Icon.Warning, "PoleDesk", error.message, QMessageBox.StandardButton.Ok, parent)


def crash_report(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> str:
    """What a developer needs: versions, then the traceback (no pupil data: only what the code held)."""
    lines = [
        f"PoleDesk {__version__} – {datetime.now():%d/%m/%Y %H:%M:%S}",
        f"Python {platform.python_version()} – Qt {qVersion()} – PySide6 {pyside_version} – {platform.platform()}",
        "",
        *traceback.format_exception(kind, error, tb),
    ]
    return "\n".join(line.rstrip("\n") for line in lines)


def write_crash_file(folder: Path, report: str) -> Path | None:
    """journaux/plantage-AAAAMMJJ-HHMMSS.txt; a folder that cannot be written only loses the file."""
    target = paths.logs_dir(folder) / f"plantage-{datetime.now():%Y%m%d-%H%M%S-%f}.txt"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(report + "\n", encoding="utf-8")
    except OSError:
        log.warning("crash report not written to %s", target)
        return None
    return target


def install_crash_hook(folder: Path) -> CrashHook:
    hook = CrashHook(folder)
    sys.excepthook = hook
    return hook
