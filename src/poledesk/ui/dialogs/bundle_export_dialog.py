"""Préparer un paquet: which peers get one, and whether it carries everything or only what changed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from poledesk.sync.peers import PeerRow

CODE_ROLE = Qt.ItemDataRole.UserRole


def can_receive(peer: PeerRow) -> bool:
    """A bundle is sealed only for a verified peer whose key is not revoked (the service refuses the others)."""
    return peer.verified and peer.revoked_at is None


def content_text(peer: PeerRow) -> str:
    """What the next bundle for `peer` will carry, unless « Tout envoyer » is ticked."""
    if not peer.acknowledged_by_peer:
        return "tout (aucun paquet accusé jusqu'ici)"
    return f"les changements depuis le paquet n° {peer.acknowledged_by_peer}, accusé"


class BundleExportDialog(QDialog):
    """Lists the peers (ticked ones get a bundle; a pole has just its coordination); `chosen_codes` and
    `full_check` are read once accepted, when the window asks where to write."""

    def __init__(self, peers: Sequence[PeerRow], *, coordinator: bool, recovery: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._coordinator, self.recovery = coordinator, recovery
        self.setWindowTitle("Paquet de restauration pour un pôle" if recovery
                            else "Préparer les paquets pour les pôles" if coordinator
                            else "Préparer le paquet pour le coordonnateur")
        self.intro_label = QLabel(wordWrap=True)
        self.peers_list = QListWidget()
        self.all_button = QPushButton("Tous les pôles")
        self.none_button = QPushButton("Aucun")
        self.none_button.setToolTip("Décocher tous les correspondants")
        self.full_check = QCheckBox("Tout envoyer")
        self.full_hint = QLabel("Sinon, chaque paquet ne contient que ce qui a changé depuis le dernier paquet dont "
                                "le destinataire a accusé réception. Tout envoyer sert après une restauration ou "
                                "si un paquet s'est perdu.", wordWrap=True)
        self.hint_label = QLabel(wordWrap=True)
        self.button_box = QDialogButtonBox()
        self.save_button: QPushButton = self.button_box.addButton(
            "Enregistrer les paquets…" if coordinator else "Enregistrer le paquet…",
            QDialogButtonBox.ButtonRole.AcceptRole)
        self.button_box.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        self._fill(peers)
        self._build_layout()
        self.all_button.clicked.connect(lambda: self._tick_all(Qt.CheckState.Checked))
        self.none_button.clicked.connect(lambda: self._tick_all(Qt.CheckState.Unchecked))
        self.peers_list.itemChanged.connect(self._update_button)
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)
        self._update_button()

    @property
    def chosen_codes(self) -> list[str]:
        return [item.data(CODE_ROLE) for item in self._items() if item.checkState() == Qt.CheckState.Checked]

    @property
    def full(self) -> bool:
        return self.full_check.isChecked()

    def _fill(self, peers: Sequence[PeerRow]) -> None:
        ready = [p for p in peers if can_receive(p)]
        if self.recovery:
            self.intro_label.setText("Pour un pôle réinstallé sur un nouvel ordinateur (sa nouvelle carte importée et "
                                     "vérifiée) : tous ses enregistrements tels que la coordination les a reçus, "
                                     "élèves sous pseudonyme, avec le contenu d'un paquet complet.")
        elif self._coordinator:
            self.intro_label.setText("Un paquet par pôle coché, chiffré pour lui seul : vos formations, vos sessions "
                                     "de formation des tuteurs et l'annuaire des partenaires des autres pôles.")
        else:
            self.intro_label.setText("Un paquet chiffré pour la coordination académique : vos enregistrements, sans "
                                     "les noms des élèves ni ce qui est écrit sur eux.")
        for peer in peers:
            what = "tous ses enregistrements" if self.recovery else content_text(peer)
            state = (f"contiendra {what}" if can_receive(peer)
                     else f"{peer.state} : pas de paquet possible")
            item = QListWidgetItem(f"{peer.code} – {peer.name}\n    {state}")
            item.setData(CODE_ROLE, peer.code)
            flags = Qt.ItemFlag.ItemIsEnabled   # a pole's one coordination is not to untick
            if self._coordinator:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags if can_receive(peer) else Qt.ItemFlag.NoItemFlags)
            ticked = can_receive(peer) and not self.recovery   # a recovery is for the pole chosen, not for all
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.peers_list.addItem(item)
        if not ready:
            self.hint_label.setText("Aucun correspondant n'est vérifié : comparez d'abord le code de vérification "
                                    "par téléphone (Échanges › Correspondants…).")

    def _build_layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.peers_list)
        if self._coordinator and not self.recovery:
            buttons = QHBoxLayout()
            buttons.addWidget(self.all_button)
            buttons.addWidget(self.none_button)
            buttons.addStretch(1)
            layout.addLayout(buttons)
        else:
            self.peers_list.setMaximumHeight(self.peers_list.sizeHintForRow(0) * 2 + 8)
        if not self.recovery:   # a recovery bundle is always complete
            layout.addWidget(self.full_check)
            self.full_hint.setContentsMargins(22, 0, 0, 0)
            self.full_hint.setEnabled(False)   # greyed: an explanation, not a control
            layout.addWidget(self.full_hint)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.button_box)
        self.hint_label.setVisible(bool(self.hint_label.text()))
        self.setMinimumWidth(560)

    def _items(self) -> list[QListWidgetItem]:
        return [self.peers_list.item(row) for row in range(self.peers_list.count())]

    def _tick_all(self, state: Qt.CheckState) -> None:
        for item in self._items():
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                item.setCheckState(state)

    def _update_button(self) -> None:
        self.save_button.setEnabled(bool(self.chosen_codes))
