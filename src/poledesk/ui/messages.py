"""The message boxes of the window: an information, a warning, a refusal shown from a ValidationError, and a
confirmation that runs its action on « Oui ». Each opens window-modal with open() (the event loop and the tests
keep running) and is returned, so the caller can keep it (`self.message_box`) and a test can read it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from poledesk.data.validation import ValidationError

Button = QMessageBox.StandardButton
YES, NO, CANCEL, OK = Button.Yes, Button.No, Button.Cancel, Button.Ok


def refusal_text(error: Exception) -> str:
    """A refusal's French text: every problem of a ValidationError on its own line, else the error's message."""
    if isinstance(error, ValidationError):
        return "\n".join(error.problems.values())
    return str(getattr(error, "message", "") or error)


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, buttons: Button,
         details: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, buttons, parent)
    if details:
        box.setInformativeText(details)
    box.open()
    return box


def information(parent: QWidget | None, title: str, text: str, *, details: str = "",
                rich: bool = False) -> QMessageBox:
    """Something the user should read now and acknowledge; `rich` for a text with links or bold."""
    box = _box(parent, QMessageBox.Icon.Information, title, text, OK, details)
    if rich:
        box.setTextFormat(Qt.TextFormat.RichText)
    return box


def warning(parent: QWidget | None, title: str, text: str, *, details: str = "") -> QMessageBox:
    """Something went wrong, or was not done: what and, in `details`, what it left unchanged."""
    return _box(parent, QMessageBox.Icon.Warning, title, text, OK, details)


def refusal(parent: QWidget | None, title: str, error: Exception, *, details: str = "") -> QMessageBox:
    """A service refused an action (a ValidationError, or another expected error): nothing was changed."""
    return warning(parent, title, refusal_text(error), details=details)


def confirmation(parent: QWidget | None, title: str, text: str, then: Callable[[], object], *, yes: str = "Oui",
                 no: str = "Annuler", icon: QMessageBox.Icon = QMessageBox.Icon.Question) -> QMessageBox:
    """Ask before acting: `then` runs only on `yes`; the safe answer (`no`, also Échap) is the default."""
    box = QMessageBox(icon, title, text, YES | NO, parent)
    yes_button, no_button = box.button(YES), box.button(NO)
    yes_button.setText(yes)
    no_button.setText(no)
    box.setDefaultButton(NO)
    box.setEscapeButton(NO)
    box.buttonClicked.connect(lambda button: then() if button is yes_button else None)
    box.open()
    return box


def question(parent: QWidget | None, title: str, text: str, buttons: Button,
             then: Callable[[Button], object]) -> QMessageBox:
    """A question with more than two answers: `then` gets the standard button chosen (Échap gives Cancel or No)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, buttons, parent)
    box.finished.connect(lambda _result: then(box.standardButton(box.clickedButton())))
    box.open()
    return box


def unreadable_text(error: Exception) -> str | None:
    """What a list says in place of its rows when the store fails under it (a damaged page, a vanished medium),
    None for any other error (a bug, which the crash hook reports). The window then opens all the same: the
    warning above the tabs says why, and the lists that still read can be consulted and exported."""
    from poledesk.data.system_errors import system_fault_message  # the cipher loads with the first store error

    fault = system_fault_message(error)
    return None if fault is None else f"Liste illisible : {fault}"
