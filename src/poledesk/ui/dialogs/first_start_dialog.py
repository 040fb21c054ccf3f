"""The first start on an empty data folder: a pole, the coordination of an académie, or the demo pole."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from poledesk.data import encryption, identity
from poledesk.data.db import Store, StoreError
from poledesk.data.identity import Identity, IdentityError
from poledesk.data.vault import VaultError
from poledesk.ui import ui_state
from poledesk.ui.demo_build import DemoBuild
from poledesk.ui.dialogs.passphrase_dialogs import NewPassphraseFields, RecoverySheetDialog, busy
from poledesk.ui.workers import TaskRunner

ERROR_STYLE = "color: #b3261e;"
INDENT = 28   # px: a choice's fields sit under its radio button's text


class FirstStartDialog(QDialog):
    """Sets the store's identity (or builds the demo), then accepts.

    On refusal it explains in place, keeping the typing."""

    def __init__(self, store: Store, runner: TaskRunner, *, parent: QWidget | None = None,
                 cancel_text: str = "Quitter") -> None:
        super().__init__(parent)
        self._store, self._runner = store, runner
        ui_state.keep_geometry(self, store.folder)
        self.identity: Identity | None = None
        self.demo_build: DemoBuild | None = None
        self.setWindowTitle("Bienvenue dans PoleDesk")
        self.pole_radio = QRadioButton("Je suis animateur ou animatrice d'un pôle de stages")
        self.coordinator_radio = QRadioButton("Je coordonne les pôles d'une académie")
        self.demo_radio = QRadioButton("Découvrir PoleDesk avec un pôle de démonstration")
        self.choice_group = QButtonGroup(self)
        for radio in (self.pole_radio, self.coordinator_radio, self.demo_radio):
            self.choice_group.addButton(radio)
        self.code_edit = QLineEdit(placeholderText="par exemple NM-07")
        self.name_edit = QLineEdit(placeholderText="par exemple Pôle de stages du bassin de Nancy")
        self.bassin_edit = QLineEdit(placeholderText="par exemple Nancy")
        self.academie_edit = QLineEdit(placeholderText="par exemple Nancy-Metz")
        self.animator_edit = QLineEdit(placeholderText="votre prénom et votre nom")
        self.coordinator_academie_edit = QLineEdit(placeholderText="par exemple Nancy-Metz")
        self.passphrase_fields = NewPassphraseFields()
        self.sheet_dialog: RecoverySheetDialog | None = None
        self._saved_identity: Identity | None = None
        self.error_label = QLabel(wordWrap=True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button_box = QDialogButtonBox()
        self.ok_button: QPushButton = self.button_box.addButton("Commencer", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button: QPushButton = self.button_box.addButton(cancel_text,
                                                                    QDialogButtonBox.ButtonRole.RejectRole)
        self._build_layout()
        self.choice_group.buttonToggled.connect(self._on_choice_changed)
        self.button_box.accepted.connect(self._save)
        self.button_box.rejected.connect(self.reject)
        self.pole_radio.setChecked(True)
        self.code_edit.setFocus()

    def _build_layout(self) -> None:
        title = QLabel("<b>Bienvenue dans PoleDesk</b>")
        title.setStyleSheet("font-size: 15pt;")
        intro = QLabel("Ce dossier de données est vide. Pour commencer, dites qui utilise ce poste.", wordWrap=True)
        pole_rows = (("Code du pôle :", self.code_edit), ("Nom du pôle :", self.name_edit),
                     ("Bassin :", self.bassin_edit), ("Académie :", self.academie_edit),
                     ("Animateur ou animatrice :", self.animator_edit))
        coordinator_rows = (("Académie :", self.coordinator_academie_edit),)
        label_width = max(QLabel(text).sizeHint().width() for text, _edit in pole_rows)
        self.pole_fields = indented_form(pole_rows, label_width)   # both forms' fields start at one column
        self.coordinator_fields = indented_form(coordinator_rows, label_width)
        self.demo_label = QLabel("Un pôle fictif, avec ses partenaires, ses établissements, ses sollicitations et ses "
                                 "formations de tuteurs, pour essayer sans risque. Vos vraies données iront dans un "
                                 "autre dossier (Fichier › Ouvrir un autre dossier de données…).", wordWrap=True)
        self.demo_label.setContentsMargins(INDENT, 0, 0, 6)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        self.passphrase_box = QWidget()
        box = QVBoxLayout(self.passphrase_box)
        box.setContentsMargins(0, 6, 0, 0)
        box.addWidget(QLabel("<b>Phrase secrète de la base</b> (elle chiffre les données des élèves) :"))
        box.addWidget(self.passphrase_fields)
        for widget in (title, intro, self.pole_radio, self.pole_fields, self.coordinator_radio,
                       self.coordinator_fields, self.demo_radio, self.demo_label, self.passphrase_box,
                       self.error_label):
            layout.addWidget(widget)
        layout.addSpacing(6)
        layout.addWidget(self.button_box)
        self.setMinimumWidth(620)

    def _on_choice_changed(self) -> None:
        self.pole_fields.setEnabled(self.pole_radio.isChecked())
        self.coordinator_fields.setEnabled(self.coordinator_radio.isChecked())
        self.demo_label.setEnabled(self.demo_radio.isChecked())
        self.passphrase_box.setVisible(not self.demo_radio.isChecked())   # the demo's data is fictitious
        self.ok_button.setText("Créer la démonstration" if self.demo_radio.isChecked() else "Commencer")
        self.show_error("")

    def _save(self) -> None:
        if self.demo_radio.isChecked():
            self._start_demo()
            return
        problem = self.passphrase_fields.problem()
        if problem:
            self.show_error(problem)   # checked first: nothing is written until the passphrase is accepted
            return
        if self._saved_identity is not None:   # the identity was written, the encryption failed: try it again
            self._protect(self._saved_identity)
            return
        try:
            with self._store.transaction() as session:
                if self.pole_radio.isChecked():
                    ident = identity.init_pole(session, self.code_edit.text(), name=self.name_edit.text(),
                                               bassin=self.bassin_edit.text(), academie=self.academie_edit.text(),
                                               animator=self.animator_edit.text())
                else:
                    ident = identity.init_coordinator(session, self.coordinator_academie_edit.text())
        except IdentityError as error:
            self.show_error(str(error))   # nothing was written; the user fixes it here
            return
        self._saved_identity = ident
        self._protect(ident)

    def _protect(self, ident: Identity) -> None:
        """Encrypt the new store, then show its recovery key once; the window opens when the sheet is put away."""
        try:
            new = busy(lambda: encryption.encrypt_in_place(self._store, *self.passphrase_fields.values()))
        except (VaultError, StoreError) as error:
            self.show_error(f"{error} La base reste claire : PoleDesk proposera de la chiffrer au prochain démarrage.")
            return
        assert isinstance(new, encryption.NewKey)
        self.sheet_dialog = RecoverySheetDialog(new, owner_title=ident.title, folder=self._store.folder, parent=self)
        self.sheet_dialog.accepted.connect(lambda: self._finish(ident))
        self.sheet_dialog.open()

    def _start_demo(self) -> None:
        self.show_error("")
        self._set_busy(True)
        self.demo_build = DemoBuild(self._store, self._runner, parent=self)
        self.demo_build.succeeded.connect(self._finish)
        self.demo_build.failed.connect(self._on_demo_stopped)
        self.demo_build.cancelled.connect(
            lambda: self._on_demo_stopped("Création de la démonstration annulée : rien n'a été modifié."))
        self.demo_build.start()

    def _on_demo_stopped(self, message: str) -> None:
        self._set_busy(False)
        self.show_error(message)

    def _finish(self, ident: Identity) -> None:
        self._store.set_owner(ident.code)
        self.identity = ident
        self.accept()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.pole_radio, self.coordinator_radio, self.demo_radio, self.button_box):
            widget.setEnabled(not busy)

    def show_error(self, message: str) -> None:
        """Say in place why nothing was written; an empty message hides the line."""
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
        if message and self.height() < self.sizeHint().height():
            self.resize(self.width(), self.sizeHint().height())   # room for the message: fields keep their height

    def reject(self) -> None:
        if self.demo_build is not None and self._runner.busy:
            return   # the demo is being written: its progress dialog's Annuler stops it cleanly
        super().reject()


def indented_form(rows: tuple[tuple[str, QWidget], ...], label_width: int) -> QWidget:
    """The fields of one choice, set under its radio button."""
    fields = QWidget()
    form = QFormLayout(fields)
    form.setContentsMargins(INDENT, 0, 0, 6)
    for text, widget in rows:
        label = QLabel(text)
        label.setMinimumWidth(label_width)
        label.setBuddy(widget)
        form.addRow(label, widget)
    return fields
