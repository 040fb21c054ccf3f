"""Correspondants: the pinned peers, where each exchange stands, verifying a code and revoking a lost pole's key."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.db import Store
from poledesk.data.identity import ROLE_COORDINATOR, ROLE_POLE, Identity
from poledesk.data.text import format_date, format_datetime, plural
from poledesk.ui import messages, ui_state
from poledesk.ui.widgets.models import Column, RowSortProxy, RowTableModel

if TYPE_CHECKING:
    from poledesk.sync.keys import LocalKeys
    from poledesk.sync.peers import PeerRow

STATE_COLOURS = {"vérifié": QColor("#1e6b34"), "révoqué": QColor("#b3261e"),
                 "à vérifier par téléphone": QColor("#8a5300")}


def local_text(moment: datetime | None, *, time: bool = False) -> str:
    """A stored moment (naive UTC) as this computer's local date, 'dd/mm/yyyy' (with the time if asked)."""
    if moment is None:
        return ""
    local = moment.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
    return format_datetime(local) if time else format_date(local)


def short_fingerprint(fingerprint: str) -> str:
    return " ".join(fingerprint[i:i + 4] for i in range(0, 16, 4)) + " …"


def received_text(sequence: int, at: datetime | None) -> str:
    return f"n° {sequence} le {local_text(at)}" if sequence and at else "aucun"


def sent_text(peer: Any) -> str:
    if not peer.last_sequence_sent:
        return "aucun"
    sent = f"n° {peer.last_sequence_sent} le {local_text(peer.last_sent_at)}" if peer.last_sent_at else \
        f"n° {peer.last_sequence_sent}"
    acknowledged = f"n° {peer.acknowledged_by_peer}" if peer.acknowledged_by_peer else "aucun"
    return f"{sent} (accusé : {acknowledged})"


COLUMNS = (
    Column("Code", lambda p: p.code, width=150),
    Column("Nom", lambda p: p.name, width=250, tooltip=lambda p: f"Académie de {p.academie}"),
    Column("État", lambda p: p.state, width=170, foreground=lambda p: STATE_COLOURS.get(p.state)),
    Column("Empreinte", lambda p: short_fingerprint(p.fingerprint), width=170, tooltip=lambda p: p.fingerprint),
    Column("Dernier paquet reçu", lambda p: received_text(p.last_sequence_received, p.last_received_at),
           sort_key=lambda p: p.last_sequence_received, width=160),
    Column("Dernier paquet envoyé", sent_text, sort_key=lambda p: p.last_sequence_sent, width=220),
)


class PeersDialog(QDialog):
    """The peers' table; verifying is the card dialog's work (`verify_requested`), importing a card the menu's."""

    verify_requested = Signal(object)   # the PeerRow to verify
    import_requested = Signal()
    peers_changed = Signal()

    def __init__(self, store: Store, keys: LocalKeys, own: Identity, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._keys, self._own = store, keys, own
        ui_state.keep_geometry(self, store.folder)
        self.confirm_box: QMessageBox | None = None
        self.setWindowTitle("Correspondants")
        self.intro_label = QLabel(wordWrap=True)
        self.model = RowTableModel(COLUMNS, self)
        self.proxy = RowSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.import_button = QPushButton("Importer une carte…")
        self.verify_button = QPushButton("Vérifier le code…")
        self.import_button.setToolTip("Lire la carte d'un pôle ou de la coordination")
        self.verify_button.setToolTip("Comparer au téléphone le code du correspondant sélectionné avant d'échanger")
        self.revoke_button = QPushButton("Révoquer la clé…")
        self.message_label = QLabel(wordWrap=True)
        self.button_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.button_box.button(QDialogButtonBox.StandardButton.Close).setToolTip("Fermer cette fenêtre")
        self._build_layout()
        self.table.selectionModel().currentRowChanged.connect(lambda *_args: self._update_buttons())
        self.table.doubleClicked.connect(lambda _index: self._verify())
        self.import_button.clicked.connect(self.import_requested)
        self.verify_button.clicked.connect(self._verify)
        self.revoke_button.clicked.connect(self.ask_revocation)
        self.button_box.rejected.connect(self.reject)
        self.refresh()

    @property
    def coordinator(self) -> bool:
        return self._own.role == ROLE_COORDINATOR

    def refresh(self) -> None:
        from poledesk.sync import peers

        current = self.current_peer()
        with self._store.session() as session:
            rows = peers.list_peers(session, self._keys)
        self.model.set_rows(rows)
        if self.coordinator:
            self.intro_label.setText(f"{plural(len(rows), 'correspondant')}. Chaque pôle de "
                                     "l'académie échange ses paquets avec vous, une fois son code vérifié.")
        else:
            self.intro_label.setText("Un pôle échange avec la seule coordination académique de son académie.")
        if current is not None:
            self.select(current.code)
        self._update_buttons()

    def current_peer(self) -> PeerRow | None:
        index = self.table.currentIndex()
        return index.data(RowTableModel.RowRole) if index.isValid() else None

    def select(self, code: str) -> bool:
        index = self.proxy.first_index_where(lambda row: row.code == code)
        if index is None:
            return False
        self.table.setCurrentIndex(index)
        return True

    def _build_layout(self) -> None:
        table = self.table
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)
        for section, column in enumerate(COLUMNS):
            table.horizontalHeader().resizeSection(section, column.width or 100)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.verify_button)
        if self.coordinator:
            buttons.addWidget(self.revoke_button)
        buttons.addStretch(1)
        buttons.addWidget(self.button_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(table)
        layout.addWidget(self.message_label)
        layout.addLayout(buttons)
        self.revoke_button.setVisible(self.coordinator)
        self.resize(1180, 420)

    def _update_buttons(self) -> None:
        peer = self.current_peer()
        live = peer is not None and peer.revoked_at is None
        self.verify_button.setEnabled(live and peer is not None and not peer.verified)
        self.revoke_button.setEnabled(live and peer is not None and peer.role == ROLE_POLE)

    def _verify(self, _index: QModelIndex | None = None) -> None:
        peer = self.current_peer()
        if peer is not None:
            self.verify_requested.emit(peer)

    def ask_revocation(self) -> None:
        peer = self.current_peer()
        if peer is None or not self.coordinator:
            return
        after = peer.last_sequence_received
        limit = f"après le n° {after}, le dernier reçu" if after else "dès le premier"
        self.confirm_box = messages.confirmation(
            self, "Révoquer la clé d'un pôle",
            f"Révoquer la clé de {peer.code} ({peer.name}) ?\n\nÀ faire si l'ordinateur du pôle est perdu ou volé : "
            f"ses paquets numérotés {limit} seront refusés, et plus aucun paquet ne lui sera écrit. Le pôle devra "
            "créer de nouvelles clés et vous envoyer sa nouvelle carte, à vérifier de nouveau par téléphone.",
            lambda: self.revoke(peer.code), yes="Révoquer la clé", icon=QMessageBox.Icon.Warning)

    def revoke(self, code: str) -> None:
        from poledesk.sync import peers
        from poledesk.sync.errors import KeysError

        try:
            with self._store.transaction() as session:
                row = peers.revoke_peer(session, code, keys=self._keys)
        except KeysError as error:
            self.message_label.setText(error.message)
            return
        self.message_label.setText(f"Clé de {row.code} révoquée : ses paquets numérotés après le n° "
                                   f"{row.revoked_after_sequence} seront refusés.")
        self.refresh()
        self.peers_changed.emit()
