"""The main window: the tabs, the Fichier and Aide menus, the status bar, and the window's remembered state."""

from __future__ import annotations

import html
import logging
import platform
from collections.abc import Callable, Collection
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, Qt, QTimer, Signal, qVersion
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from poledesk import __version__, paths
from poledesk.data import db, identity
from poledesk.data.db import Store, StoreError
from poledesk.data.indicators import behind
from poledesk.ui import messages, ui_state
from poledesk.ui.banner import ActionBanner, NextStep, file_steps, open_file
from poledesk.ui.dashboard_tab import DashboardTab
from poledesk.ui.escalations_tab import EscalationsTab
from poledesk.ui.establishments_tab import EstablishmentsTab
from poledesk.ui.exchanges import ExchangeActions
from poledesk.ui.guide_window import HOME, GuideWindow
from poledesk.ui.hub import ChangeHub, Kind
from poledesk.ui.partners_tab import PartnersTab
from poledesk.ui.placements_tab import PlacementsTab
from poledesk.ui.planning_tab import PlanningTab
from poledesk.ui.programme_tab import ProgrammeTab
from poledesk.ui.spreadsheet_actions import SpreadsheetActions
from poledesk.ui.trainings_tab import TrainingsTab
from poledesk.ui.widgets.list_tab import ListTab
from poledesk.ui.workers import TaskRunner, Worker

if TYPE_CHECKING:
    from poledesk.ui.academy_tab import AcademyTab
    from poledesk.ui.coordination_tab import CoordinationTab

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1280, 800)
MESSAGE_MS = 10_000
SHUTDOWN_WAIT_MS = 10_000
SETTLE_WAIT_MS = 5_000


def _action(text: str, parent: QObject, *, triggered: Callable[[], object], **properties: Any) -> QAction:
    """A menu action running `triggered`; the other keywords are Qt properties (shortcut, menuRole).

    QAction takes the signal as a keyword too, but PySide6's stubs declare no signal keywords."""
    action = QAction(text, parent, **properties)
    action.triggered.connect(triggered)
    return action


class MainWindow(QMainWindow):
    """One store's window. Another folder is opened by emitting `store_opened`: app.py then swaps the windows."""

    store_opened = Signal(object)   # a Store just opened from another folder (its identity may be unset)
    copy_saved = Signal(object)     # the Path of a copy written by "Sauvegarder une copie…"
    first_painted = Signal()        # once, after the window's first paint: the moment for deferred work
    unlocked = Signal()             # the idle lock was lifted with the passphrase

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        with store.session() as session:
            self.identity = identity.current_identity(session)
        self.runner = TaskRunner(self)
        self.reader = TaskRunner(self)   # the first fill of the tab shown at start-up, off the UI thread
        self.message_box: QMessageBox | None = None
        self.security_dialog: QDialog | None = None
        self.guide_window: GuideWindow | None = None
        self.locked = False
        self._hidden_windows: list[QWidget] = []
        self._painted = False
        self._settings = ui_state.settings(store.folder)
        self._build_tabs()
        self._build_menus()
        self._build_status_bar()
        self.setWindowTitle(f"PoleDesk – {self.title}")
        self._restore_state()
        self._defer_first_fill()

    @property
    def title(self) -> str:
        return self.identity.title if self.identity else "dossier non configuré"

    def _build_tabs(self) -> None:
        self.hub = ChangeHub(self)
        self.banner = ActionBanner()
        self.hub.told.connect(self.banner.show_done)
        # A store that cannot be written (damaged, read-only medium) says so above the tabs for the whole session.
        self.store_warning = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.store_warning.setObjectName("StoreWarning")
        self.store_warning.setStyleSheet("#StoreWarning { background: #fdf0d5; color: #6b4200; "
                                         "border: 1px solid #e0b45c; border-radius: 4px; padding: 6px 10px; }")
        self.store_warning.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.store_warning.hide()
        self.partners_tab = PartnersTab(self.store, hub=self.hub)
        self.escalations_tab = EscalationsTab(self.store, hub=self.hub)
        self.placements_tab = PlacementsTab(self.store, runner=self.runner, hub=self.hub)
        self.escalations_tab.placements_changed.connect(self.placements_tab.show_placement)
        self.escalations_tab.placements_changed.connect(self._tell_placement_created)
        self.trainings_tab = TrainingsTab(self.store, runner=self.runner, hub=self.hub)
        self.establishments_tab = EstablishmentsTab(self.store, hub=self.hub)
        self.dashboard_tab = DashboardTab(self.store, runner=self.runner, hub=self.hub)
        self.dashboard_tab.records_requested.connect(self.show_records)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.dashboard_tab, "Tableau de bord")
        self.tabs.addTab(self.partners_tab, "Partenaires")
        self.tabs.addTab(self.escalations_tab, "Sollicitations")
        self.tabs.addTab(self.placements_tab, "Stages")
        self.tabs.addTab(self.trainings_tab, "Formations des tuteurs")
        self.tabs.addTab(self.establishments_tab, "Établissements")
        coordinator = self.identity is not None and self.identity.role == identity.ROLE_COORDINATOR
        self.planning_tab = PlanningTab(self.store, runner=self.runner, hub=self.hub, coordinator=coordinator)
        self.tabs.addTab(self.planning_tab, "Planification")
        self.programme_tab = ProgrammeTab(self.store, coordinator=coordinator, hub=self.hub)
        self.tabs.addTab(self.programme_tab, "Programme d'actions")
        self.programme_tab.document_saved.connect(lambda path: self.hub.tell(
            f"PDF enregistré : {path.name}", *file_steps(path), details=str(path.parent)))
        self.coordination_tab: CoordinationTab | None = None
        self.academy_tab: AcademyTab | None = None
        if self.identity is not None and self.identity.role == identity.ROLE_COORDINATOR:
            from poledesk.ui import coordination_tab  # a pole's window never loads it

            self.coordination_tab = coordination_tab.CoordinationTab(self.store, self.identity.code, hub=self.hub)
            self.tabs.addTab(self.coordination_tab, "Coordination")
            from poledesk.ui.academy_tab import AcademyTab

            self.academy_tab = AcademyTab(self.store, runner=self.runner, hub=self.hub)
            self.academy_tab.report_saved.connect(lambda path: self.hub.tell(
                f"Rapport de l'académie enregistré : {path.name}", *file_steps(path), details=str(path.parent)))
            self.academy_tab.records_requested.connect(self.show_records)
            self.tabs.addTab(self.academy_tab, "Académie")
        self.main_page = QWidget()   # the banner over the tabs
        layout = QVBoxLayout(self.main_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.store_warning)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.lock_screen = QLabel("PoleDesk est verrouillé : les données sont masquées jusqu'à la saisie de la "
                                  "phrase secrète.", alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.main_page)
        self.stack.addWidget(self.lock_screen)
        self.setCentralWidget(self.stack)

    def show_store_warning(self, text: str) -> None:
        """Why nothing can be saved in this store, shown above the tabs until the window closes."""
        self.store_warning.setText(f"⚠ {text}")
        self.store_warning.show()

    def _tell_placement_created(self, placement_id: int) -> None:
        """After « Accepter et créer le stage »: say so, and offer the stage and its convention."""
        self.hub.tell("Stage créé.", NextStep("Ouvrir le stage", lambda: self.open_placement(placement_id)),
                      NextStep("Imprimer la convention", lambda: self.print_convention(placement_id)))

    def open_placement(self, placement_id: int) -> None:
        self.tabs.setCurrentWidget(self.placements_tab)
        self.placements_tab.show_placement(placement_id)

    def print_convention(self, placement_id: int) -> None:
        """The stage's convention, through its panel's print: it asks about warnings first, and a convention that
        cannot be printed yet shows, in the panel then in view, the points that block it."""
        self.open_placement(placement_id)
        self.placements_tab.panel.print_convention()

    def show_records(self, label: str, table: str, ids: Collection[int]) -> None:
        """A figure was clicked: its tab comes forward, its list filtered to the records the figure counts (visits,
        offers and tutors, which no tab lists, show as their partners)."""
        with self.store.session() as session:
            listing = behind.listing_of(session, table, ids)
        tabs: dict[str, ListTab] = {"partner": self.partners_tab, "escalation": self.escalations_tab,
                                    "placement": self.placements_tab, "training_session": self.trainings_tab,
                                    "establishment": self.establishments_tab}
        tab = tabs[listing.table]
        self.tabs.setCurrentWidget(tab)
        tab.show_records(f"{label}, {listing.note}" if listing.note else label, listing.ids)

    def _build_menus(self) -> None:
        self.open_folder_action = _action("&Ouvrir un autre dossier de données…", self,
                                          shortcut=QKeySequence("Ctrl+O"), triggered=self.open_other_folder)
        self.save_copy_action = _action("&Sauvegarder une copie…", self, shortcut=QKeySequence("Ctrl+Shift+S"),
                                        triggered=self.save_copy)
        self.quit_action = _action("&Quitter", self, shortcut=QKeySequence("Ctrl+Q"), triggered=self.close,
                                   menuRole=QAction.MenuRole.QuitRole)
        self.about_action = _action("À &propos de PoleDesk", self, triggered=self.show_about,
                                    menuRole=QAction.MenuRole.AboutRole)
        self.open_folder_action.setStatusTip("Travailler sur la base d'un autre dossier (une autre copie, un essai)")
        self.save_copy_action.setStatusTip("Écrire une copie de la base, à garder sur une clé USB ou un disque")
        self.quit_action.setStatusTip("Fermer PoleDesk ; tout ce qui a été enregistré est gardé")
        self.about_action.setStatusTip("La version de PoleDesk, ce poste et son dossier de données")
        self.spreadsheet_actions = SpreadsheetActions(self.store, self.runner, self, hub=self.hub)
        self.spreadsheet_actions.imported.connect(lambda _summary: self.hub.announce_everything())
        self.spreadsheet_actions.shown_partners = self.partners_tab.shown_query
        self.import_action = _action("&Importer…", self, triggered=self.spreadsheet_actions.start_import,
                                     statusTip="Importer des partenaires ou des périodes depuis un classeur")
        self.export_action = _action("&Exporter…", self, triggered=self.spreadsheet_actions.start_export,
                                     statusTip="Exporter les partenaires du réseau (tous, ou ceux affichés) dans "
                                               "un classeur")
        file_menu = self.menuBar().addMenu("&Fichier")
        file_menu.addActions([self.open_folder_action, self.save_copy_action])
        if self.store.encrypted:
            self.passphrase_action = _action("Changer la &phrase secrète…", self, triggered=self.change_passphrase)
        else:
            self.passphrase_action = _action("&Protéger la base par une phrase secrète…", self,
                                             triggered=self.protect_store)
        self.passphrase_action.setStatusTip(
            "Changer la phrase secrète qui chiffre la base" if self.store.encrypted else
            "Chiffrer la base : sans la phrase secrète, personne ne lit les données des élèves")
        file_menu.addAction(self.passphrase_action)
        file_menu.addSeparator()
        file_menu.addActions([self.import_action, self.export_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.exchanges = ExchangeActions(self.store, self.runner, self, self.identity, hub=self.hub)
        self.exchanges.bundles_imported.connect(lambda _run: self.hub.announce_everything())
        self.exchanges.exchanges_changed.connect(lambda: self.hub.announce(Kind.EXCHANGE))
        self.menuBar().addMenu(self.exchanges.build_menu(self))
        self.privacy_action = _action("Protection des &données…", self, triggered=self.show_privacy,
                                      statusTip="Ce que PoleDesk garde des élèves, combien de temps, et pourquoi")
        self.guide_action = _action("&Guide de l'animateur", self, shortcut=QKeySequence.StandardKey.HelpContents,
                                    triggered=self.show_guide,
                                    statusTip="Les tâches de tous les jours, illustrées ; F1 ouvre la section de "
                                              "l'onglet affiché")
        help_menu = self.menuBar().addMenu("&Aide")
        help_menu.addActions([self.guide_action, self.privacy_action])
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        self.identity_label = QLabel(self.title)
        self.path_label = QLabel(str(self.store.file))
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setToolTip("La base de données de ce dossier")
        for label in (self.identity_label, self.path_label):
            label.setContentsMargins(10, 0, 6, 0)
            self.statusBar().addPermanentWidget(label)

    # -- remembered state ----------------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = ui_state.read_bytes(self._settings, ui_state.MAIN_GEOMETRY)
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self._resize_to_default()
        state = ui_state.read_bytes(self._settings, ui_state.MAIN_STATE)
        if not state.isEmpty():
            self.restoreState(state)
        tab = ui_state.read_int(self._settings, ui_state.MAIN_TAB)
        self.tabs.setCurrentIndex(tab if 0 <= tab < self.tabs.count() else 0)
        for list_tab in self._list_tabs():
            list_tab.restore_layout(self._settings, type(list_tab).__name__)

    def _defer_first_fill(self) -> None:
        """The tab shown at start-up says « chargement… »; its rows are read on the reader thread once the window
        has been painted, so the window shows, and answers, first. The other tabs read theirs when first opened."""
        current = self.tabs.currentWidget()
        if isinstance(current, ListTab | DashboardTab):
            current.defer_first_fill()
            self.first_painted.connect(lambda: current.fill_in_background(self.reader))

    def _list_tabs(self) -> list[ListTab]:
        return [widget for i in range(self.tabs.count()) if isinstance(widget := self.tabs.widget(i), ListTab)]

    def _resize_to_default(self) -> None:
        width, height = DEFAULT_SIZE
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:   # a small laptop screen: stay inside it
            available = screen.availableGeometry()
            width, height = min(width, int(available.width() * 0.95)), min(height, int(available.height() * 0.9))
        self.resize(width, height)

    def save_state(self) -> None:
        self._settings.setValue(ui_state.MAIN_GEOMETRY, self.saveGeometry())
        self._settings.setValue(ui_state.MAIN_STATE, self.saveState())
        self._settings.setValue(ui_state.MAIN_TAB, self.tabs.currentIndex())
        for list_tab in self._list_tabs():
            list_tab.save_layout(self._settings, type(list_tab).__name__)
        self._settings.sync()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.first_painted.emit)   # after this paint has reached the screen

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        if self.runner.busy:
            log.info("window closing: cancelling background work")
            self.runner.cancel_all()
            self.runner.wait(SHUTDOWN_WAIT_MS)
        self.reader.wait(SHUTDOWN_WAIT_MS)   # a read under way ends before the store may be closed
        super().closeEvent(event)

    # -- Fichier -------------------------------------------------------------------------------------------------

    def open_other_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Ouvrir un autre dossier de données",
                                                  str(self.store.folder.parent))
        if not chosen:
            return
        folder = Path(chosen).resolve()
        if folder == self.store.folder.resolve():
            self.statusBar().showMessage("Ce dossier de données est déjà ouvert.", MESSAGE_MS)
            return
        if paths.store_file(folder).exists():
            self._open_store(folder)
            return
        self.message_box = messages.confirmation(
            self, "Ouvrir un autre dossier de données",
            f"Le dossier « {folder} » ne contient pas de base PoleDesk. En créer une nouvelle dans ce dossier ?",
            lambda: self._open_store(folder), yes="Créer une base ici")

    def _open_store(self, folder: Path) -> None:
        try:
            store = db.open_store(folder)
        except StoreError as error:
            self.message_box = messages.warning(self, "Ouvrir un autre dossier de données",
                                                f"{error}\n\nLe dossier actuel reste ouvert.")
            return
        log.info("another data folder chosen: %s", folder)
        self.store_opened.emit(store)

    def save_copy(self) -> None:
        folder = ui_state.COPY_FOLDER.read(self._settings)
        suggested = Path(folder) / f"poledesk-copie-{date.today():%Y-%m-%d}.sqlite"
        chosen, _filter = QFileDialog.getSaveFileName(self, "Sauvegarder une copie de la base", str(suggested),
                                                      "Base PoleDesk (*.sqlite);;Tous les fichiers (*)")
        if not chosen:
            return
        target = Path(chosen) if Path(chosen).suffix else Path(chosen).with_suffix(".sqlite")
        ui_state.COPY_FOLDER.write(self._settings, target.parent)
        worker = Worker(self.store, lambda _progress: db.copy_store_to(self.store, target), transactional=False)
        worker.signals.succeeded.connect(self._on_copy_saved)
        worker.signals.failed.connect(self._on_copy_failed)
        self.statusBar().showMessage("Copie de la base en cours…")
        self.runner.start(worker)

    def _on_copy_saved(self, target: Path) -> None:
        self.statusBar().showMessage(f"Copie de la base enregistrée : {target}", MESSAGE_MS)
        self.hub.tell(f"Copie de la base enregistrée : {target.name}",
                      NextStep("Ouvrir le dossier", lambda: open_file(target.parent)),
                      details=f"{target.parent} – gardez-la hors de cet ordinateur (clé USB, disque).")
        self.copy_saved.emit(target)

    def _on_copy_failed(self, error: Exception) -> None:
        self.statusBar().clearMessage()
        if not isinstance(error, StoreError):
            raise error   # unexpected: the crash hook reports it
        self.message_box = messages.refusal(self, "Sauvegarder une copie", error)

    # -- the passphrase and the idle lock -------------------------------------------------------------------------

    def change_passphrase(self) -> None:
        from poledesk.ui.dialogs.passphrase_dialogs import ChangePassphraseDialog

        self.security_dialog = ChangePassphraseDialog(self.store.folder, parent=self)
        self.security_dialog.accepted.connect(lambda: self.hub.tell(
            "Phrase secrète changée.", details="La feuille de secours reste valable."))
        self.security_dialog.open()

    def _background_settled(self) -> bool:
        """Whether the writes' thread and the reader have no work left (waited for up to SETTLE_WAIT_MS each): the
        store's encryption in place needs the store to itself."""
        return self.runner.wait(SETTLE_WAIT_MS) and self.reader.wait(SETTLE_WAIT_MS)

    def protect_store(self) -> None:
        """A clear store of a real pole: encrypt it in place (the window then reopens on the encrypted store)."""
        from poledesk.ui.dialogs.passphrase_dialogs import ProtectStoreDialog

        self.security_dialog = ProtectStoreDialog(self.store, owner_title=self.title, parent=self,
                                                  settle=self._background_settled)
        self.security_dialog.accepted.connect(lambda: self.store_opened.emit(self.store))
        self.security_dialog.open()

    def show_privacy(self) -> None:
        from poledesk.ui.dialogs.privacy_dialog import PrivacyDialog

        self.security_dialog = PrivacyDialog(self.store, owner_title=self.title, parent=self)
        self.security_dialog.open()

    def lock(self) -> None:
        """Hide every record (tabs and open dialogs) and ask the passphrase; Quitter closes the window."""
        if self.locked or not self.store.encrypted:
            return
        from poledesk.ui.dialogs.passphrase_dialogs import UnlockDialog

        self.locked = True
        self._hidden_windows = [w for w in QApplication.topLevelWidgets() if w is not self and w.isVisible()]
        for widget in self._hidden_windows:
            widget.hide()
        self.stack.setCurrentWidget(self.lock_screen)
        self.menuBar().setEnabled(False)
        self.security_dialog = UnlockDialog(self.store.folder, locked=True, parent=self)
        self.security_dialog.accepted.connect(self._unlock)
        self.security_dialog.rejected.connect(self.close)
        self.security_dialog.open()

    def _unlock(self) -> None:
        self.locked = False
        self.stack.setCurrentWidget(self.main_page)
        self.menuBar().setEnabled(True)
        for widget in self._hidden_windows:
            widget.show()
        self._hidden_windows = []
        self.unlocked.emit()

    # -- Aide ----------------------------------------------------------------------------------------------------

    def guide_section(self) -> str:
        """The guide's section for the tab shown (F1 opens it there)."""
        sections: dict[QWidget | None, str] = {self.dashboard_tab: "tableau-de-bord", self.partners_tab: "partenaires",
                    self.escalations_tab: "sollicitations", self.placements_tab: "stages",
                    self.trainings_tab: "formations", self.establishments_tab: "etablissements",
                    self.programme_tab: "programme", self.coordination_tab: "coordination",
                    self.academy_tab: "coordination"}
        return sections.get(self.tabs.currentWidget(), HOME)

    def show_guide(self) -> None:
        if self.guide_window is None:
            self.guide_window = GuideWindow(self, folder=self.store.folder)
        self.guide_window.show_section(self.guide_section())

    def show_about(self) -> None:
        text = (f"<h3>PoleDesk {html.escape(__version__)}</h3>"
                "<p>L'outil des pôles de stages et de leur coordination académique : réseau de partenaires, "
                "sollicitations des établissements, conventions, formations des tuteurs, échanges chiffrés entre "
                "les pôles et la coordination, sans serveur.</p>"
                f"<p><b>Ce poste :</b> {html.escape(self.title)}<br>"
                f"<b>Dossier de données :</b> {html.escape(str(self.store.folder))}</p>"
                f"<p>Python {platform.python_version()} – Qt {qVersion()} – PySide6 {pyside_version}<br>"
                "Licence EUPL-1.2</p>")
        self.message_box = messages.information(self, "À propos de PoleDesk", text, rich=True)
