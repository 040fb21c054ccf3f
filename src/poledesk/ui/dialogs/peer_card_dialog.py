"""A peer's identity card, just imported or still to verify: the 30-digit code to read by phone, then « Vérifié »."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.db import Store
from poledesk.data.identity import ROLE_COORDINATOR

if TYPE_CHECKING:
    from poledesk.sync.keys import LocalKeys
    from poledesk.sync.peers import PeerRow

CODE_POINT_SIZE = 26
GROUPS_PER_LINE = 3
STATUS_TEXTS = {
    "new": "Correspondant enregistré.",
    "unchanged": "Cette carte était déjà connue : rien n'a changé.",
    "rotated": "Nouvelles clés acceptées : elles sont signées par les anciennes, la vérification reste valable.",
    "replaced": "Clés remplacées : le code doit de nouveau être vérifié par téléphone.",
}


def grouped_fingerprint(fingerprint: str) -> str:
    """64 hexadecimal digits in groups of 4, on two lines: easier to compare by eye."""
    groups = [fingerprint[i:i + 4] for i in range(0, len(fingerprint), 4)]
    half = (len(groups) + 1) // 2
    return " ".join(groups[:half]) + "\n" + " ".join(groups[half:])


def who(peer: PeerRow) -> str:
    return "la coordination académique" if peer.role == ROLE_COORDINATOR else f"le pôle {peer.code}"


class PeerCardDialog(QDialog):
    """Shows the verification code in six big groups of five digits; « Vérifié » pins the trust (the service
    checks the code again), « Plus tard » leaves the peer to verify from Échanges › Correspondants."""

    verified = Signal(object)   # the PeerRow, now verified

    def __init__(self, store: Store, keys: LocalKeys, peer: PeerRow, *, status: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._keys, self.peer = store, keys, peer
        self.setWindowTitle(f"Carte d'identité de {peer.code}")
        self.title_label = QLabel(f"<b>{html.escape(peer.name)}</b> ({html.escape(peer.code)}) – académie de "
                                  f"{html.escape(peer.academie)}")
        self.status_label = QLabel(STATUS_TEXTS.get(status or "", ""), wordWrap=True)
        self.instructions_label = QLabel(wordWrap=True)
        self.code_labels = [QLabel(group) for group in peer.verification_code.split()]
        self.fingerprint_label = QLabel(grouped_fingerprint(peer.fingerprint))
        self.error_label = QLabel(wordWrap=True)
        self.button_box = QDialogButtonBox()
        self.verify_button: QPushButton = self.button_box.addButton("Vérifié", QDialogButtonBox.ButtonRole.AcceptRole)
        self.later_button: QPushButton = self.button_box.addButton("Plus tard", QDialogButtonBox.ButtonRole.RejectRole)
        self._build_layout()
        self._show_state()
        self.verify_button.clicked.connect(self.mark_verified)
        self.later_button.clicked.connect(self.reject)

    @property
    def code_text(self) -> str:
        """The code as shown, groups separated by spaces."""
        return " ".join(label.text() for label in self.code_labels)

    def mark_verified(self) -> None:
        from poledesk.sync import peers
        from poledesk.sync.errors import KeysError

        try:
            with self._store.transaction() as session:
                row = peers.verify_peer(session, self.peer.code, keys=self._keys, code_read=self.code_text)
        except KeysError as error:
            self.error_label.setText(error.message)
            self.error_label.show()
            return
        self.peer = row
        self.verified.emit(row)
        self.accept()

    def _build_layout(self) -> None:
        code_frame = QFrame(frameShape=QFrame.Shape.StyledPanel)
        code_frame.setObjectName("codeFrame")
        code_frame.setStyleSheet("#codeFrame { background: palette(base); border-radius: 6px; }")
        grid = QGridLayout(code_frame)
        grid.setHorizontalSpacing(36)
        grid.setVerticalSpacing(14)
        grid.setContentsMargins(28, 20, 28, 20)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(CODE_POINT_SIZE)
        font.setWeight(QFont.Weight.DemiBold)
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 3)
        for index, label in enumerate(self.code_labels):
            label.setFont(font)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(f"Groupe {index + 1} du code de vérification")
            grid.addWidget(label, index // GROUPS_PER_LINE, index % GROUPS_PER_LINE)
        small = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.fingerprint_label.setFont(small)
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.title_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.instructions_label)
        layout.addWidget(code_frame, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(QLabel("Empreinte de ses clés :"))
        layout.addWidget(self.fingerprint_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.button_box)
        self.status_label.setVisible(bool(self.status_label.text()))
        self.setMinimumWidth(620)

    def _show_state(self) -> None:
        peer = self.peer
        if peer.revoked_at is not None:
            self.instructions_label.setText(f"La clé de {peer.code} a été révoquée : importez sa nouvelle carte. "
                                            "Aucun paquet ne peut être échangé avec cette clé.")
            self._close_only()
        elif peer.verified:
            self.instructions_label.setText(f"Ce correspondant est vérifié : les paquets peuvent être échangés. "
                                            f"Le code ci-dessous est celui que {who(peer)} voit aussi.")
            self._close_only()
        else:
            self.instructions_label.setText(
                f"Appelez {who(peer)} et lisez-lui ce code, groupe par groupe : son écran doit afficher exactement "
                "le même. S'il diffère, ne cliquez pas sur « Vérifié » : la carte a pu être remplacée en chemin ; "
                "demandez-la de nouveau.")
            self.verify_button.setDefault(True)

    def _close_only(self) -> None:
        self.verify_button.hide()
        self.later_button.setText("Fermer")
