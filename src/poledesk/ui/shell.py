"""The window's shell, painted before anything heavy is loaded: its tabs, its menus and lists saying « chargement… ».

Opening the store loads SQLAlchemy and the models (about a second on a slow laptop); the shell imports nothing
but Qt, so the animateur sees PoleDesk at once, where it was left (the saved size, place and tab), and the real
window takes its place as soon as the store is open.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QEventLoop, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QPaintEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from poledesk.ui import ui_state

# The tabs of a pole's window, as MainWindow builds them (a coordinator's two more appear with the window).
TAB_TITLES = ("Tableau de bord", "Partenaires", "Sollicitations", "Stages", "Formations des tuteurs",
              "Établissements", "Programme d'actions")
MENU_TITLES = ("&Fichier", "É&changes", "&Aide")
LOADING = "chargement…"
DEFAULT_SIZE = (1280, 800)
PAINT_WAIT_MS = 2000


class WindowShell(QMainWindow):
    """What the window looks like before its store is open; nothing in it can be used yet."""

    first_painted = Signal()

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.painted = False
        self.setWindowTitle("PoleDesk")
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for title in TAB_TITLES:
            self.tabs.addTab(self._loading_page(), title)
        self.setCentralWidget(self.tabs)
        for title in MENU_TITLES:
            menu = self.menuBar().addMenu(title)
            menu.addAction(LOADING.capitalize()).setEnabled(False)
        self.statusBar().showMessage("Ouverture du dossier de données…")
        self._restore(folder)

    @staticmethod
    def _loading_page() -> QLabel:
        label = QLabel(LOADING, alignment=Qt.AlignmentFlag.AlignCenter)
        label.setEnabled(False)   # drawn grey, as a list not filled yet
        return label

    def _restore(self, folder: Path) -> None:
        """Where MainWindow will stand: its saved geometry and tab, so the swap does not move a pixel."""
        settings = ui_state.settings(folder)
        geometry = settings.value(ui_state.MAIN_GEOMETRY, QByteArray(), type=QByteArray)
        if not isinstance(geometry, QByteArray) or geometry.isEmpty() or not self.restoreGeometry(geometry):
            width, height = DEFAULT_SIZE
            screen = self.screen() or QGuiApplication.primaryScreen()
            if screen is not None:
                available = screen.availableGeometry()
                width, height = min(width, int(available.width() * 0.95)), min(height, int(available.height() * 0.9))
            self.resize(width, height)
        tab = settings.value(ui_state.MAIN_TAB, 0, type=int)
        self.tabs.setCurrentIndex(tab if isinstance(tab, int) and 0 <= tab < self.tabs.count() else 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            QTimer.singleShot(0, self.first_painted.emit)   # after this paint has reached the screen

    def show_and_wait_for_paint(self) -> None:
        """Show the shell and let Qt paint it before the caller goes on to load the store."""
        self.show()
        if self.painted:
            return
        loop = QEventLoop()
        self.first_painted.connect(loop.quit)
        QTimer.singleShot(PAINT_WAIT_MS, loop.quit)   # a platform that never paints must not keep us waiting
        loop.exec()
