"""The "action done" banner: a thin line at the top of the window that says what a save, a PDF, an import or a
bundle did, with the next steps as buttons ("Ouvrir", "Ouvrir le dossier", "Ouvrir le stage"…). It does not
take the focus and closes itself after a while, or with its ✕; a new message replaces the one shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

SHOWN_MS = 20_000     # long enough to read and click; a new action replaces it anyway
STYLE = ("#ActionBanner { background: #e7f2ea; border: 1px solid #9cc7a8; border-radius: 4px; }"
         "#ActionBanner QLabel { color: #1e4d2b; }")


@dataclass(frozen=True, slots=True)
class NextStep:
    """A button of the banner: its French text and what it does."""

    text: str
    run: Callable[[], object]


@dataclass(frozen=True, slots=True)
class Done:
    """What an action did, in French, and the next steps it offers."""

    text: str
    steps: tuple[NextStep, ...] = ()
    details: str = field(default="")


def open_file(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def file_steps(path: Path) -> tuple[NextStep, ...]:
    """"Ouvrir" and "Ouvrir le dossier" for a file just written."""
    return (NextStep("Ouvrir", lambda: open_file(path)), NextStep("Ouvrir le dossier", lambda: open_file(path.parent)))


class ActionBanner(QFrame):
    """Hidden until `show_done`; `text_label`, `details_label` and `step_buttons` are what the user (and the
    tests) read and click."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ActionBanner")
        self.setStyleSheet(STYLE)
        self.text_label = QLabel(textFormat=Qt.TextFormat.PlainText)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label = QLabel(textFormat=Qt.TextFormat.PlainText, wordWrap=True)
        self.step_buttons: list[QPushButton] = []
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setToolTip("Fermer ce message")
        self.close_button.setAutoRaise(True)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(10, 4, 4, 4)
        self._layout.addWidget(self.text_label)
        self._layout.addWidget(self.details_label, 1)
        self._layout.addWidget(self.close_button)
        self._timer = QTimer(self, singleShot=True, interval=SHOWN_MS)
        self._timer.timeout.connect(self.hide)
        self.close_button.clicked.connect(self.hide)
        self.done: Done | None = None
        self.hide()

    def show_done(self, done: Done) -> None:
        self.done = done
        self.text_label.setText(done.text)
        self.details_label.setText(done.details)
        self.details_label.setVisible(bool(done.details))
        for button in self.step_buttons:
            self._layout.removeWidget(button)
            button.deleteLater()
        self.step_buttons = []
        for step in done.steps:
            button = QPushButton(step.text)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)     # unobtrusive: the keyboard stays where it was
            button.clicked.connect(lambda _checked=False, run=step.run: self._run(run))
            self._layout.insertWidget(self._layout.count() - 1, button)
            self.step_buttons.append(button)
        self.show()
        self._timer.start()

    def button(self, text: str) -> QPushButton | None:
        return next((b for b in self.step_buttons if b.text() == text), None)

    def _run(self, run: Callable[[], object]) -> None:
        self.hide()
        run()
