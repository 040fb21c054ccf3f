"""The Échanges menu: this install's card and keys, its peers, the bundles to prepare and import, the conflicts.

Nothing of poledesk.sync is imported here at module level: the crypto loads when an action first needs it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox, QWidget

from poledesk.data.db import Store
from poledesk.data.identity import ROLE_COORDINATOR, Identity
from poledesk.data.system_errors import os_error_message
from poledesk.ui import messages, ui_state
from poledesk.ui.bundle_transfers import APPLIED, BundleTransfers, TransferRun
from poledesk.ui.hub import ChangeHub
from poledesk.ui.workers import TaskRunner

if TYPE_CHECKING:
    from poledesk.sync.keys import LocalKeys
    from poledesk.sync.peers import PeerRow
    from poledesk.ui.conflicts_panel import ConflictsDialog
    from poledesk.ui.dialogs.keys_dialog import KeysDialog
    from poledesk.ui.dialogs.peer_card_dialog import PeerCardDialog
    from poledesk.ui.dialogs.peers_dialog import PeersDialog

log = logging.getLogger(__name__)

CARD_FILTER = "Carte d'identité PoleDesk (*.json);;Tous les fichiers (*)"
CARD_MAX_READ = 65536   # a card is a few hundred bytes; read_card refuses what is larger than 16 Kio


class ExchangeActions(QObject):
    """The menu's actions for one window; the dialogs they open stay reachable (tests, a second click)."""

    bundles_imported = Signal(object)   # a TransferRun with bundles applied: the tabs reload
    exchanges_changed = Signal()        # peers, keys, bundles or conflicts changed: the Coordination tab reloads

    def __init__(self, store: Store, runner: TaskRunner, window: QMainWindow, own: Identity | None, *,
                 hub: ChangeHub | None = None) -> None:
        super().__init__(window)
        self._store, self._runner, self._window, self._own = store, runner, window, own
        self.settings = ui_state.settings(store.folder)
        self.transfers = (BundleTransfers(store, runner, window, own, self.settings, hub=hub) if own is not None
                          else None)
        self.keys_dialog: KeysDialog | None = None
        self.card_dialog: PeerCardDialog | None = None
        self.peers_dialog: PeersDialog | None = None
        self.conflicts_dialog: ConflictsDialog | None = None
        self.message_box: QMessageBox | None = None
        self._build_actions()
        if self.transfers is not None:
            self.transfers.imported.connect(self._on_imported)
            self.transfers.exported.connect(lambda _run: self.exchanges_changed.emit())

    @property
    def coordinator(self) -> bool:
        return self._own is not None and self._own.role == ROLE_COORDINATOR

    def _action(self, text: str, slot: Callable[[], object], tip: str) -> QAction:
        action = QAction(text, self._window, statusTip=tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        if self.coordinator:
            self.import_bundles_action = self._action("&Importer des paquets…", self.import_bundles,
                                                      "Appliquer les paquets reçus des pôles")
            self.prepare_bundles_action = self._action("&Préparer les paquets pour les pôles…", self.prepare_bundles,
                                                       "Un paquet chiffré par pôle, avec ce qui a changé ici")
            self.recovery_action = self._action("Paquet de &restauration pour un pôle…", self.prepare_recovery,
                                                "Tout ce que la coordination sait d'un pôle, pour refaire sa base")
        else:
            self.prepare_bundles_action = self._action("&Préparer le paquet pour le coordonnateur…",
                                                       self.prepare_bundles,
                                                       "Un paquet chiffré pour la coordination, sans nom d'élève")
            self.import_bundles_action = self._action("&Importer un paquet…", self.import_bundles,
                                                      "Appliquer le paquet reçu de la coordination")
        self.import_bundles_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.prepare_bundles_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.conflicts_action = self._action("&Conflits à régler…", self.show_conflicts,
                                             "Les fiches changées des deux côtés : choisir la version à garder")
        self.card_action = self._action("Ma &carte d'identité…", self.show_card,
                                        "La carte à remettre à vos correspondants pour échanger des paquets")
        self.import_card_action = self._action("Importer la carte d'un c&orrespondant…", self.import_card,
                                               "Lire la carte d'un pôle ou de la coordination, puis vérifier son "
                                               "empreinte")
        self.peers_action = self._action("Co&rrespondants…", self.show_peers,
                                         "Les postes avec qui ce poste échange des paquets, et où en est l'échange")
        self.rotate_action = self._action("Re&nouveler mes clés…", self.rotate_keys,
                                          "De nouvelles clés et une nouvelle carte, si les anciennes ont pu fuiter")
        for action in self.actions():
            action.setEnabled(self._own is not None)   # a store not set up yet has no one to exchange with

    def actions(self) -> list[QAction]:
        return [*self._bundle_actions(), self.conflicts_action, self.card_action, self.import_card_action,
                self.peers_action, self.rotate_action]

    def _bundle_actions(self) -> list[QAction]:
        if self.coordinator:
            return [self.import_bundles_action, self.prepare_bundles_action, self.recovery_action]
        return [self.prepare_bundles_action, self.import_bundles_action]

    def build_menu(self, parent: QWidget) -> QMenu:
        """The « Échanges » menu, for the window to insert in its menu bar."""
        self.menu = QMenu("É&changes", parent)
        bundles = self._bundle_actions()
        conflicts, *keys = self.actions()[len(bundles):]
        self.menu.addActions(bundles)
        self.menu.addSeparator()
        self.menu.addAction(conflicts)
        self.menu.addSeparator()
        self.menu.addActions(keys)
        self.menu.aboutToShow.connect(self.update_conflicts_action)
        return self.menu

    def update_conflicts_action(self) -> None:
        """Say on the menu how many conflicts wait (a count: no crypto loaded for it)."""
        if self._own is None:
            return
        from poledesk.sync.overview import count_conflicts

        with self._store.session() as session:
            waiting = count_conflicts(session)
        self.conflicts_action.setText(f"&Conflits à régler ({waiting})…" if waiting else "&Conflits à régler…")

    # -- keys and cards --------------------------------------------------------------------------------------------

    def _keys(self) -> LocalKeys | None:
        """This install's keys, created on first use; None (and the reason shown) if they cannot be read."""
        from poledesk.sync import keys
        from poledesk.sync.errors import KeysError

        try:
            return keys.ensure_keys(self._store.folder, secret=self._store.key)
        except KeysError as error:
            self.message_box = messages.warning(self._window, "Clés de ce poste", error.message)
            return None

    def show_card(self) -> None:
        from poledesk.ui.dialogs.keys_dialog import KeysDialog

        if self._own is None or self._keys() is None:
            return
        if self.keys_dialog is None:   # kept: a renewed card not yet saved survives a close
            self.keys_dialog = KeysDialog(self._store.folder, self._own, self.settings, secret=self._store.key,
                                          parent=self._window)
            self.keys_dialog.keys_rotated.connect(lambda _path: self.exchanges_changed.emit())
        self.keys_dialog.refresh()
        self.keys_dialog.open()

    def rotate_keys(self) -> None:
        self.show_card()
        if self.keys_dialog is not None:
            self.keys_dialog.ask_rotation()

    def import_card(self) -> None:
        keys = self._keys()
        if keys is None:
            return
        folder = ui_state.CARD_FOLDER.read(self.settings)
        chosen, _filter = QFileDialog.getOpenFileName(self._window, "Importer la carte d'un correspondant", folder,
                                                      CARD_FILTER)
        if not chosen:
            return
        ui_state.CARD_FOLDER.write(self.settings, Path(chosen).parent)
        try:
            with open(chosen, "rb") as handle:
                data = handle.read(CARD_MAX_READ)
        except OSError as error:
            self.message_box = messages.warning(self._window, "Importer une carte", f"Le fichier « {chosen} » ne "
                                                f"peut pas être lu : {os_error_message(error)}")
            return
        self.pin_card(keys, data)

    def pin_card(self, keys: LocalKeys, data: bytes, *, replace: bool = False) -> None:
        """Pin the card's peer (a refusal is explained, nothing written), then show its code to read by phone."""
        from poledesk.sync import peers
        from poledesk.sync.errors import KeysError

        try:
            with self._store.transaction() as session:
                imported = peers.import_card(session, data, keys=keys, replace=replace)
        except KeysError as error:
            if error.reason == "card_new_keys" and not replace:
                self._ask_replacement(keys, data, error.message)
            else:
                self.message_box = messages.warning(self._window, "Importer une carte", error.message)
            return
        log.info("identity card of %s pinned: %s", imported.peer.code, imported.status)
        self.exchanges_changed.emit()
        if self.peers_dialog is not None:
            self.peers_dialog.refresh()
        self.open_card(keys, imported.peer, status=imported.status)

    def _ask_replacement(self, keys: LocalKeys, data: bytes, message: str) -> None:
        self.message_box = messages.confirmation(self._window, "Nouvelles clés d'un correspondant", message,
                                                 lambda: self.pin_card(keys, data, replace=True),
                                                 yes="Remplacer ses clés")

    def open_card(self, keys: LocalKeys, peer: PeerRow, *, status: str | None = None) -> None:
        from poledesk.ui.dialogs.peer_card_dialog import PeerCardDialog

        if self.card_dialog is not None:
            self.card_dialog.deleteLater()
        parent = self.peers_dialog if self.peers_dialog is not None and self.peers_dialog.isVisible() else self._window
        self.card_dialog = PeerCardDialog(self._store, keys, peer, status=status, parent=parent)
        self.card_dialog.verified.connect(self._on_verified)
        self.card_dialog.open()

    def _on_verified(self, peer: PeerRow) -> None:
        self._window.statusBar().showMessage(f"{peer.code} est vérifié : les paquets peuvent être échangés.", 15_000)
        if self.peers_dialog is not None:
            self.peers_dialog.refresh()
        self.exchanges_changed.emit()

    def show_peers(self) -> None:
        from poledesk.ui.dialogs.peers_dialog import PeersDialog

        keys = self._keys()
        if keys is None or self._own is None:
            return
        if self.peers_dialog is not None:
            self.peers_dialog.deleteLater()
        self.peers_dialog = PeersDialog(self._store, keys, self._own, parent=self._window)
        self.peers_dialog.verify_requested.connect(lambda peer: self.open_card(keys, peer))
        self.peers_dialog.import_requested.connect(self.import_card)
        self.peers_dialog.peers_changed.connect(self.exchanges_changed)
        self.peers_dialog.open()

    # -- bundles and conflicts -------------------------------------------------------------------------------------

    def prepare_bundles(self) -> None:
        self._prepare(recovery=False)

    def prepare_recovery(self) -> None:
        """The coordinator: every record of one pole, for that pole reinstalled on a new laptop."""
        self._prepare(recovery=True)

    def _prepare(self, *, recovery: bool) -> None:
        from poledesk.sync import peers

        keys = self._keys()
        if keys is None or self.transfers is None:
            return
        with self._store.session() as session:
            rows = peers.list_peers(session, keys)
        self.transfers.prepare(keys, rows, recovery=recovery)

    def import_bundles(self) -> None:
        keys = self._keys()
        if keys is not None and self.transfers is not None:
            self.transfers.import_files(keys)

    def _on_imported(self, run: TransferRun) -> None:
        if run.count(APPLIED):
            self.bundles_imported.emit(run)   # every tab reloads, the Coordination tab with them
        else:
            self.exchanges_changed.emit()
        if self.conflicts_dialog is not None and self.conflicts_dialog.isVisible():
            self.conflicts_dialog.panel.refresh()

    def show_conflicts(self) -> None:
        from poledesk.ui.conflicts_panel import ConflictsDialog

        if self._own is None:
            return
        if self.conflicts_dialog is not None:
            self.conflicts_dialog.deleteLater()
        self.conflicts_dialog = ConflictsDialog(self._store, self._own.code, parent=self._window)
        self.conflicts_dialog.panel.conflicts_changed.connect(self.exchanges_changed)
        self.conflicts_dialog.open()

