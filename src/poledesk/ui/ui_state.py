"""Every key the window keeps in its QSettings file (geometry, last folders), declared once with its default.

The file sits in the store's folder (paths.ui_settings_file), so `--data-dir` moves it and tests never touch the
user's own. Domain settings (pole identity, purge delay, keys) are rows in the store, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings
from PySide6.QtWidgets import QDialog, QWidget

from poledesk import paths


@dataclass(frozen=True, slots=True)
class FolderKey:
    """The last folder a file was read from or written to, for one kind of file."""

    key: str

    def read(self, settings: QSettings) -> str:
        return str(settings.value(self.key, str(Path.home()), type=str))

    def write(self, settings: QSettings, folder: Path | str) -> None:
        settings.setValue(self.key, str(folder))


MAIN_GEOMETRY = "MainWindow/geometry"
MAIN_STATE = "MainWindow/state"
MAIN_TAB = "MainWindow/tab"
COPY_FOLDER = FolderKey("MainWindow/copy_folder")           # "Sauvegarder une copie de la base"
BUNDLE_FOLDER = FolderKey("Exchanges/bundle_folder")        # bundles sent and received
CARD_FOLDER = FolderKey("Exchanges/card_folder")            # peers' cards and this install's own
CONVENTION_FOLDER = FolderKey("ConventionPanel/folder")     # one convention's PDF
BATCH_FOLDER = FolderKey("BatchConventionsDialog/folder")   # a batch of conventions
IMPORT_FOLDER = FolderKey("ImportWizard/folder")            # the spreadsheets imported
EXPORT_FOLDER = FolderKey("SpreadsheetActions/export_folder")   # the partners exported
GEOMETRY_GROUP = "DialogGeometry"                           # one entry per dialog class: its size and position

KEYS = (MAIN_GEOMETRY, MAIN_STATE, MAIN_TAB, *(f.key for f in (COPY_FOLDER, BUNDLE_FOLDER, CARD_FOLDER,
                                                               CONVENTION_FOLDER, BATCH_FOLDER, IMPORT_FOLDER,
                                                               EXPORT_FOLDER)))


def settings(folder: Path) -> QSettings:
    """The window's settings file of the store in `folder`."""
    return QSettings(str(paths.ui_settings_file(folder)), QSettings.Format.IniFormat)


def read_bytes(settings: QSettings, key: str) -> QByteArray:
    """A saved Qt state (geometry, splitter), empty when absent or not bytes (a hand-edited file)."""
    value = settings.value(key, QByteArray(), type=QByteArray)
    return value if isinstance(value, QByteArray) else QByteArray()


def read_int(settings: QSettings, key: str, default: int = 0) -> int:
    value = settings.value(key, default, type=int)
    return value if isinstance(value, int) else default


def geometry_key(widget: QWidget) -> str:
    return f"{GEOMETRY_GROUP}/{type(widget).__name__}"


class _GeometryKeeper(QObject):
    """Gives a dialog back its size and position the first time it shows (after its own layout set a default
    size), and writes them whenever it closes."""

    def __init__(self, dialog: QWidget, folder: Path) -> None:
        super().__init__(dialog)
        self._dialog, self._folder = dialog, folder
        self._shown = False
        dialog.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._dialog and event.type() == QEvent.Type.Show and not self._shown:
            self._shown = True
            saved = settings(self._folder).value(geometry_key(self._dialog), QByteArray(), type=QByteArray)
            if isinstance(saved, QByteArray) and not saved.isEmpty():
                self._dialog.restoreGeometry(saved)
        return False

    def save(self) -> None:
        store = settings(self._folder)
        store.setValue(geometry_key(self._dialog), self._dialog.saveGeometry())
        store.sync()


def keep_geometry(dialog: QDialog, folder: Path) -> None:
    """`dialog` shows with the size and position it had when last closed (by any button, or Échap)."""
    keeper = _GeometryKeeper(dialog, folder)
    dialog.finished.connect(lambda _result: keeper.save())
