"""This install's keys: their fingerprint, the identity card to send, and renewing them (a card signed twice)."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.files import write_atomically
from poledesk.data.identity import Identity
from poledesk.data.system_errors import os_error_message
from poledesk.data.text import format_date, plural
from poledesk.ui import messages, ui_state
from poledesk.ui.dialogs.peer_card_dialog import grouped_fingerprint

if TYPE_CHECKING:
    from poledesk.sync.keys import LocalKeys

CARD_FILTER = "Carte d'identité PoleDesk (*.json);;Tous les fichiers (*)"


def card_name(own: Identity, today: date, *, renewed: bool = False) -> str:
    """'NM-07-carte-identite.json'; after a renewal, dated: 'NM-07-carte-identite-2026-11-23.json'."""
    return f"{own.code}-carte-identite{today:-%Y-%m-%d}.json" if renewed else f"{own.code}-carte-identite.json"


class KeysDialog(QDialog):
    """Reads the keys from the data folder (created on first use by the caller); a renewal keeps the new card
    in memory until it is saved, since only then can the old key still sign it."""

    card_saved = Signal(object)     # the Path of the card written
    keys_rotated = Signal(object)   # the Path of the new card, signed by the old key

    def __init__(self, folder: Path, own: Identity, settings: QSettings, *, secret: bytes | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._folder, self._own, self._settings = folder, own, settings
        self._secret = secret   # the store key: private key files of an encrypted store are sealed with it
        ui_state.keep_geometry(self, folder)
        self.rotation_card: bytes | None = None   # renewed, not yet saved
        self.confirm_box: QMessageBox | None = None
        self.message_box: QMessageBox | None = None
        self.setWindowTitle("Ma carte d'identité")
        self.who_label = QLabel(f"<b>Ce poste :</b> {html.escape(own.title)}")
        self.fingerprint_label = QLabel()
        self.created_label = QLabel()
        self.status_label = QLabel(wordWrap=True)
        self.button_box = QDialogButtonBox()
        self.export_button: QPushButton = self.button_box.addButton("Enregistrer ma carte…",
                                                                    QDialogButtonBox.ButtonRole.ActionRole)
        self.rotate_button: QPushButton = self.button_box.addButton("Renouveler mes clés…",
                                                                    QDialogButtonBox.ButtonRole.ActionRole)
        self.button_box.addButton(QDialogButtonBox.StandardButton.Close).setToolTip("Fermer cette fenêtre")
        self.export_button.setToolTip("Le fichier de votre carte, à remettre à vos correspondants")
        self.rotate_button.setToolTip("De nouvelles clés et une nouvelle carte, si les anciennes ont pu fuiter")
        self._build_layout()
        self.export_button.clicked.connect(self.export_card)
        self.rotate_button.clicked.connect(self.ask_rotation)
        self.button_box.rejected.connect(self.reject)
        self.refresh()

    def keys(self) -> LocalKeys:
        from poledesk.sync import keys

        return keys.ensure_keys(self._folder, secret=self._secret)

    def refresh(self) -> None:
        current = self.keys()
        self.fingerprint_label.setText(grouped_fingerprint(current.fingerprint))
        retired = len(current.retired)
        old = (f" ; {plural(retired, 'ancienne clé gardée')} pour ouvrir les paquets encore en route"
               if retired else "")
        self.created_label.setText(f"Clés créées le {format_date(current.created_at)}{old}.")

    def _build_layout(self) -> None:
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(font.pointSize() + 2)
        self.fingerprint_label.setFont(font)
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        explanation = QLabel("Votre carte d'identité porte vos clés publiques : rien de secret. Envoyez-la à votre "
                             "correspondant (courriel ou clé USB) et importez la sienne ; puis comparez ensemble, "
                             "par téléphone, le code de vérification que chacun voit alors.", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.who_label)
        layout.addWidget(QLabel("Empreinte de vos clés :"))
        layout.addWidget(self.fingerprint_label)
        layout.addWidget(self.created_label)
        layout.addWidget(explanation)
        layout.addWidget(self.status_label)
        layout.addWidget(self.button_box)
        self.setMinimumWidth(600)

    # -- the card ----------------------------------------------------------------------------------------------------

    def export_card(self) -> None:
        """Write this install's card (the renewed one, signed by the old key, while it is not saved)."""
        from poledesk.sync import keys

        if self.rotation_card is not None:
            self._save_rotation_card()
            return
        card = keys.make_card(self._own, self.keys())
        path = self._ask_path("Enregistrer ma carte d'identité", card_name(self._own, date.today()))
        if path is not None and self._write(path, card):
            self.status_label.setText(f"Carte enregistrée dans « {path} ». Envoyez-la à votre correspondant.")
            self.card_saved.emit(path)

    def _ask_path(self, caption: str, name: str) -> Path | None:
        folder = Path(ui_state.CARD_FOLDER.read(self._settings))
        chosen, _filter = QFileDialog.getSaveFileName(self, caption, str(folder / name), CARD_FILTER)
        if not chosen:
            return None
        path = Path(chosen) if Path(chosen).suffix else Path(f"{chosen}.json")
        ui_state.CARD_FOLDER.write(self._settings, path.parent)
        return path

    def _write(self, path: Path, card: bytes) -> bool:
        try:
            write_atomically(path, card)
        except OSError as error:
            self.message_box = messages.warning(self, "Enregistrer la carte", f"La carte n'a pas pu être écrite "
                                                f"dans « {path} » : {os_error_message(error)}")
            return False
        return True

    # -- renewing ----------------------------------------------------------------------------------------------------

    def ask_rotation(self) -> None:
        self.confirm_box = messages.confirmation(
            self, "Renouveler mes clés",
            "Créer de nouvelles clés pour ce poste ?\n\nLes anciennes restent gardées pour ouvrir les paquets encore "
            "en route. La nouvelle carte, signée par l'ancienne clé, est acceptée par vos correspondants sans "
            "nouvel appel : il faudra la leur envoyer.", self.rotate, yes="Renouveler")

    def rotate(self) -> None:
        """New keys now; the card that carries them is saved next (and kept until it is)."""
        from poledesk.sync import keys

        new, old = keys.rotate_keys(self._folder, secret=self._secret)
        self.rotation_card = keys.make_card(self._own, new, previous=old)
        self.refresh()
        self._save_rotation_card()

    def _save_rotation_card(self) -> None:
        assert self.rotation_card is not None
        path = self._ask_path("Enregistrer la nouvelle carte d'identité",
                              card_name(self._own, date.today(), renewed=True))
        if path is None or not self._write(path, self.rotation_card):
            self.status_label.setText("Nouvelles clés créées, mais leur carte n'est pas encore enregistrée : "
                                      "cliquez sur « Enregistrer ma carte… » avant de fermer cette fenêtre, pour "
                                      "que vos correspondants l'acceptent sans nouvel appel.")
            return
        self.rotation_card = None
        self.status_label.setText(f"Nouvelles clés créées ; nouvelle carte enregistrée dans « {path} ». Envoyez-la "
                                  "à vos correspondants : signée par l'ancienne clé, elle est acceptée sans nouvel "
                                  "appel.")
        self.keys_rotated.emit(path)

