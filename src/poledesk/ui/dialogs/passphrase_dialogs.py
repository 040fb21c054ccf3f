"""The passphrase in the window: unlock at start or after the idle lock, a new one typed twice, the recovery sheet."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from poledesk.data import encryption, vault
from poledesk.data.db import Store, StoreError
from poledesk.data.vault import VaultError

log = logging.getLogger(__name__)

ERROR_STYLE = "color: #b3261e;"
TRIES = 3
T = TypeVar("T")   # what the work returns


def secret_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def error_label() -> QLabel:
    label = QLabel(wordWrap=True)
    label.setStyleSheet(ERROR_STYLE)
    label.setVisible(False)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def busy(work: Callable[[], T]) -> T:
    """Argon2 takes about 0.4 s by design: show the wait cursor meanwhile."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return work()
    finally:
        QGuiApplication.restoreOverrideCursor()


class NewPassphraseFields(QWidget):
    """A new passphrase typed twice, with its minimum length and a strength hint updated while typing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.passphrase_edit = secret_edit(f"au moins {vault.MIN_PASSPHRASE} caractères, par exemple quatre mots")
        self.confirmation_edit = secret_edit("la même, une seconde fois")
        self.strength_label = QLabel(wordWrap=True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Phrase secrète :", self.passphrase_edit)
        form.addRow("Confirmation :", self.confirmation_edit)
        form.addRow("", self.strength_label)
        self.passphrase_edit.textChanged.connect(self._show_strength)
        self._show_strength("")

    def _show_strength(self, text: str) -> None:
        self.strength_label.setText(vault.strength_hint(text) if text else
                                    "Elle protège les données des élèves si l'ordinateur est perdu ou volé. "
                                    "Elle ne peut pas être retrouvée : une feuille de secours sera imprimée.")

    def values(self) -> tuple[str, str]:
        return self.passphrase_edit.text(), self.confirmation_edit.text()

    def problem(self) -> str | None:
        return vault.passphrase_problem(*self.values())


class UnlockDialog(QDialog):
    """Asks the passphrase of the store in `folder` (three tries), or its recovery key and a new passphrase.

    Accepted: `key` holds the store key. Nothing in the folder changes unless a recovery sets a new passphrase.
    """

    def __init__(self, folder: Path, *, message: str = "", locked: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.key: bytes | None = None
        self.failures = 0
        self.setWindowTitle("PoleDesk – base verrouillée" if locked else "PoleDesk – ouvrir la base chiffrée")
        self.intro_label = QLabel(message or ("PoleDesk s'est verrouillé après un moment sans activité. "
                                              if locked else "") + "Saisissez la phrase secrète de la base.",
                                  wordWrap=True)
        self.passphrase_edit = secret_edit()
        self.error_label = error_label()
        self.recovery_button = QPushButton("J'ai perdu ma phrase secrète…")
        self.recovery_button.setFlat(True)
        self.recovery_edit = QLineEdit()
        self.recovery_edit.setPlaceholderText("XXXX-XXXX-… (la clé de la feuille de secours)")
        self.new_fields = NewPassphraseFields()
        self.recovery_box = QWidget()
        self.recovery_box.setVisible(False)
        recovery_form = QVBoxLayout(self.recovery_box)
        recovery_form.setContentsMargins(0, 0, 0, 0)
        recovery_form.addWidget(QLabel("Clé de secours :"))
        recovery_form.addWidget(self.recovery_edit)
        recovery_form.addWidget(QLabel("Puis choisissez une nouvelle phrase secrète :"))
        recovery_form.addWidget(self.new_fields)
        self.button_box = QDialogButtonBox()
        self.ok_button = self.button_box.addButton("Déverrouiller", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.button_box.addButton("Quitter", QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        self.passphrase_row = QWidget()
        row = QFormLayout(self.passphrase_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addRow("Phrase secrète :", self.passphrase_edit)
        for widget in (self.intro_label, self.passphrase_row, self.recovery_button, self.recovery_box,
                       self.error_label, self.button_box):
            layout.addWidget(widget)
        self.setMinimumWidth(560)
        self.button_box.accepted.connect(self.try_unlock)
        self.button_box.rejected.connect(self.reject)
        self.recovery_button.clicked.connect(self.show_recovery)
        self.passphrase_edit.setFocus()

    def show_recovery(self) -> None:
        self.passphrase_row.hide()
        self.recovery_button.hide()
        self.recovery_box.show()
        self.intro_label.setText("Saisissez la clé de secours imprimée à la création de la base, puis une nouvelle "
                                 "phrase secrète.")
        self.ok_button.setText("Ouvrir et changer la phrase")
        self.show_error("")
        self.recovery_edit.setFocus()

    def try_unlock(self) -> None:
        try:
            if self.recovery_box.isVisible():
                self.key = self._recover()
            else:
                self.key = busy(lambda: encryption.unlock(self.folder, self.passphrase_edit.text()))
        except VaultError as error:
            self._refused(str(error))
            return
        log.info("store unlocked")
        self.accept()

    def _recover(self) -> bytes:
        key = encryption.unlock_with_recovery(self.folder, self.recovery_edit.text())
        problem = self.new_fields.problem()
        if problem:
            raise VaultError(problem)
        busy(lambda: encryption.set_passphrase(self.folder, key, *self.new_fields.values()))
        return key

    def _refused(self, message: str) -> None:
        if "incorrecte" in message:
            self.failures += 1
            if self.failures >= TRIES:
                log.warning("store unlock refused after %d tries", self.failures)
                self.show_error(f"{message} Trois essais manqués : PoleDesk va s'arrêter.")
                self.ok_button.setEnabled(False)
                self.passphrase_edit.setEnabled(False)
                return
            message = f"{message} Essai {self.failures} sur {TRIES}."
        self.passphrase_edit.selectAll()
        self.show_error(message)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))


class RecoverySheetDialog(QDialog):
    """Shown once, right after the store is encrypted: the recovery key and the PDF sheet to print."""

    def __init__(self, new: encryption.NewKey, *, owner_title: str, folder: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._new, self._title, self._folder = new, owner_title, folder
        self.saved_to: Path | None = None
        self.setWindowTitle("Feuille de secours de la base")
        intro = QLabel("La base est chiffrée. Voici sa <b>clé de secours</b> : elle ouvre la base si la phrase "
                       "secrète est oubliée. Elle ne sera plus jamais affichée. Enregistrez la feuille de secours, "
                       "imprimez-la, rangez-la au coffre du pôle, puis supprimez le fichier.", wordWrap=True)
        self.key_label = QLabel(new.recovery_key, wordWrap=True)
        self.key_label.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton("Enregistrer la feuille de secours (PDF)…")
        self.status_label = QLabel(wordWrap=True)
        self.error_label = error_label()
        self.button_box = QDialogButtonBox()
        self.done_button = self.button_box.addButton("J'ai mis la feuille de secours en lieu sûr",
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        for widget in (intro, self.key_label, self.save_button, self.status_label, self.error_label,
                       self.button_box):
            layout.addWidget(widget)
        self.setMinimumWidth(600)
        self.save_button.clicked.connect(self.choose_file)
        self.button_box.accepted.connect(self.accept)

    def choose_file(self) -> None:
        suggested = Path.home() / f"feuille-de-secours-poledesk-{self._new.store_id}.pdf"
        chosen, _filter = QFileDialog.getSaveFileName(self, "Enregistrer la feuille de secours", str(suggested),
                                                      "Document PDF (*.pdf)")
        if chosen:
            self.save_to(Path(chosen))

    def save_to(self, path: Path) -> None:
        from poledesk.reports.recovery_sheet import write_recovery_sheet

        try:
            write_recovery_sheet(path, recovery_key=self._new.recovery_key, store_id=self._new.store_id,
                                 owner_title=self._title, folder=self._folder, printed_on=date.today())
        except OSError as error:
            self.error_label.setText(f"La feuille n'a pas pu être écrite : {error.strerror or error}.")
            self.error_label.show()
            return
        self.saved_to = path
        self.error_label.hide()
        self.status_label.setText(f"Feuille enregistrée : {path}. Imprimez-la maintenant.")


class ChangePassphraseDialog(QDialog):
    """Fichier › Changer la phrase secrète…: the current one, then the new one twice; the recovery key stays."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.setWindowTitle("Changer la phrase secrète")
        self.current_edit = secret_edit()
        self.new_fields = NewPassphraseFields()
        self.error_label = error_label()
        self.button_box = QDialogButtonBox()
        self.ok_button = self.button_box.addButton("Changer la phrase secrète", QDialogButtonBox.ButtonRole.AcceptRole)
        self.button_box.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        current = QFormLayout()
        current.addRow("Phrase actuelle :", self.current_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(current)
        layout.addWidget(QLabel("Nouvelle phrase secrète (la feuille de secours reste valable) :"))
        for widget in (self.new_fields, self.error_label, self.button_box):
            layout.addWidget(widget)
        self.setMinimumWidth(560)
        self.button_box.accepted.connect(self.change)
        self.button_box.rejected.connect(self.reject)

    def change(self) -> None:
        try:
            busy(lambda: encryption.change_passphrase(self.folder, self.current_edit.text(), *self.new_fields.values()))
        except VaultError as error:
            self.error_label.setText(str(error))
            self.error_label.show()
            return
        self.accept()


class ProtectStoreDialog(QDialog):
    """A clear store of a real pole or coordination: choose a passphrase, then the store is encrypted in place.

    Accepted once the recovery sheet dialog is closed; `Plus tard` leaves the store as it is.
    """

    def __init__(self, store: Store, *, owner_title: str, settle: Callable[[], bool] = lambda: True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._title, self._settle = store, owner_title, settle
        self.sheet_dialog: RecoverySheetDialog | None = None
        self.setWindowTitle("Protéger la base par une phrase secrète")
        intro = QLabel("Cette base contient des données d'élèves, souvent mineurs, et elle n'est pas chiffrée : "
                       "quiconque a l'ordinateur peut la lire. Choisissez une phrase secrète ; la base sera "
                       "chiffrée sur place après une sauvegarde, et ses sauvegardes aussi.", wordWrap=True)
        self.new_fields = NewPassphraseFields()
        self.error_label = error_label()
        self.button_box = QDialogButtonBox()
        self.ok_button = self.button_box.addButton("Chiffrer la base", QDialogButtonBox.ButtonRole.AcceptRole)
        self.later_button = self.button_box.addButton("Plus tard", QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        for widget in (intro, self.new_fields, self.error_label, self.button_box):
            layout.addWidget(widget)
        self.setMinimumWidth(600)
        self.button_box.accepted.connect(self.protect)
        self.button_box.rejected.connect(self.reject)

    def protect(self) -> None:
        if not self._settle():   # a list still loading holds a connection: the swap needs the store to itself
            self.error_label.setText("Une tâche est encore en cours sur la base : réessayez dans un instant.")
            self.error_label.show()
            return
        try:
            new = busy(lambda: encryption.encrypt_in_place(self._store, *self.new_fields.values()))
        except (VaultError, StoreError) as error:
            self.error_label.setText(str(error))
            self.error_label.show()
            return
        assert isinstance(new, encryption.NewKey)
        self.sheet_dialog = RecoverySheetDialog(new, owner_title=self._title, folder=self._store.folder, parent=self)
        self.sheet_dialog.accepted.connect(self.accept)
        self.sheet_dialog.open()
