"""Aide › « Guide de l'animateur »: the illustrated HTML guide shipped in the package, in a window of its own,
opened at a section (F1 opens the section of the tab shown)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from poledesk import paths

GUIDE = "guide/guide.html"
HOME = "accueil"


def guide_file() -> Path:
    """The guide's HTML; its pictures sit beside it (the wheel and the standalone build carry the folder)."""
    return paths.resource(GUIDE)


class GuideWindow(QDialog):
    """A non-modal window: the user reads the guide while working in the main window. `browser` shows it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Guide de l'animateur – PoleDesk")
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.browser = QTextBrowser(openExternalLinks=True)
        self.browser.setSearchPaths([str(guide_file().parent)])
        self.browser.setSource(QUrl.fromLocalFile(str(guide_file())))
        self.home_button = QPushButton("Sommaire")
        self.home_button.setToolTip("Revenir au début du guide et à sa liste des sections")
        self.back_button = QPushButton("Précédent")
        self.back_button.setToolTip("Revenir à l'endroit lu avant le dernier lien suivi")
        self.browser_button = QPushButton("Ouvrir dans le navigateur")
        self.browser_button.setToolTip("Lire ou imprimer le guide dans le navigateur web de l'ordinateur")
        self.close_button = QPushButton("Fermer")
        self.close_button.setToolTip("Fermer le guide (Échap)")
        self._build_layout()
        self.home_button.clicked.connect(lambda: self.show_section(HOME))
        self.back_button.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.back_button.setEnabled(False)
        self.browser_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(guide_file()))))
        self.close_button.clicked.connect(self.close)
        QShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents), self, lambda: self.show_section(HOME))
        self.resize(900, 720)

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.home_button, self.back_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.browser_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addLayout(buttons)

    def show_section(self, anchor: str) -> None:
        """Scroll to a section (an <a name> of the guide), the window shown and raised."""
        self.browser.scrollToAnchor(anchor)
        self.show()
        self.raise_()
        self.activateWindow()

    def section_shown(self) -> str:
        """The heading of the first line visible: what the user reads now."""
        cursor = self.browser.cursorForPosition(self.browser.viewport().rect().topLeft())
        block = cursor.block()
        while block.isValid() and not block.text().strip():
            block = block.next()
        return " ".join(block.text().split())    # the guide's non-breaking spaces read as spaces
