"""The application: Qt in French, the crash hook, then a store taken to a shown window (first start or demo)."""

from __future__ import annotations

import logging
import sys
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QSize, Qt, QTimer, QTranslator, qVersion
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProxyStyle, QStyle, QStyleOption, QWidget

from poledesk import APP_AUTHOR, APP_NAME, __version__, paths
from poledesk.data import store_file, vault
from poledesk.data.errors import StoreError
from poledesk.logs import setup_logging
from poledesk.ui.crash import install_crash_hook
from poledesk.ui.idle_lock import IdleLock
from poledesk.ui.shell import WindowShell
from poledesk.ui.widgets.screen_fit import DialogScreenFit

# Only Qt and the few modules above load before the shell is painted: the store (SQLAlchemy, the models), the
# window's tabs and their services load after, inside the functions that need them.
if TYPE_CHECKING:
    from poledesk.data.db import Store
    from poledesk.ui.dialogs.purge_dialog import PurgeDialog
    from poledesk.ui.main_window import MainWindow
    from poledesk.ui.workers import TaskRunner

log = logging.getLogger(__name__)

EXIT_STORE_REFUSED = 2   # as the CLI's refusals: nothing was modified

# Fusion draws an unselected tab's text 2 px lower inside a text box as tall as the font: with DejaVu Sans (Linux)
# the accent of a capital ("Établissements") is cut off. TabRoomStyle keeps the text where the selected tab has it
# and gives every tab a little more height. A style sheet padding would fix it too, but Qt then draws the tabs
# itself, flat, without Fusion's look. Never drop an accent to make it fit.
TAB_EXTRA_HEIGHT = 4


class TabRoomStyle(QProxyStyle):
    """Fusion, with tabs that leave room above capitals' accents."""

    def pixelMetric(self, metric: QStyle.PixelMetric, option: QStyleOption | None = None,
                    widget: QWidget | None = None) -> int:
        if metric == QStyle.PixelMetric.PM_TabBarTabShiftVertical:
            return 0
        return super().pixelMetric(metric, option, widget)

    def sizeFromContents(self, kind: QStyle.ContentsType, option: QStyleOption, size: QSize,
                         widget: QWidget | None = None) -> QSize:
        # Qt asks without a widget for some contents; PySide6's stubs do not allow None there.
        result = super().sizeFromContents(kind, option, size, widget)  # type: ignore[arg-type]  # None: see above
        if kind == QStyle.ContentsType.CT_TabBarTab:
            result.setHeight(result.height() + TAB_EXTRA_HEIGHT)
        return result


def run_app(folder: Path, *, demo: bool = False, smoke: bool = False) -> int:
    """Open the window on the store in `folder`; 2 if the store is refused (the file is left untouched).

    smoke: quit as soon as the main window has been painted, with 0 and a line on stdout; this is how an
    installation (wheel, standalone build) is checked on a machine without a screen (QT_QPA_PLATFORM=offscreen).
    """
    started = time.perf_counter()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    configure_application(app)
    paths.owner_only_files()
    setup_logging(folder)
    install_crash_hook(folder)
    log.info("PoleDesk %s starting on %s", __version__, folder)
    shell = None
    if store_file.store_state(folder) != "encrypted":   # an encrypted store asks for its passphrase first
        shell = WindowShell(folder)
        shell.show_and_wait_for_paint()
        log.info("window shell painted %.2f s after start", time.perf_counter() - started)
    from poledesk.data import db

    try:
        key = ask_store_key(folder)
        if key is None and store_file.store_state(folder) == "encrypted" and vault.header_file(folder).exists():
            return EXIT_STORE_REFUSED   # unlock given up: nothing was opened
        store = db.open_store(folder, key=key)
    except StoreError as error:
        log.warning("store refused: %s", error)
        if shell is not None:
            shell.close()
        QMessageBox.critical(None, "PoleDesk – dossier de données refusé",
                             f"{error}\n\nLe fichier n'a pas été modifié. PoleDesk va s'arrêter.")
        return EXIT_STORE_REFUSED
    launcher = Launcher(app, started=started, smoke=smoke, shell=shell)
    launcher.open(store, demo=demo)
    code = app.exec()
    launcher.shutdown()
    return code


def ask_store_key(folder: Path) -> bytes | None:
    """The key of an encrypted store: POLEDESK_PASSPHRASE if it opens it, else the French unlock dialog."""
    if store_file.store_state(folder) != "encrypted" or not vault.header_file(folder).exists():
        return None   # clear or new; a store without its header is refused by open_store with its reason
    from poledesk.data import encryption

    given = vault.passphrase_from_environment()
    if given is not None:
        try:
            return encryption.unlock(folder, given)
        except vault.VaultError:
            log.warning("POLEDESK_PASSPHRASE does not open the store: asking")
    from poledesk.ui.dialogs.passphrase_dialogs import UnlockDialog

    dialog = UnlockDialog(folder)
    dialog.exec()   # before any window: nothing else to keep running
    return dialog.key


def configure_application(app: QApplication) -> None:
    """Names, the Fusion style (with room for accents), French everywhere (Qt's own buttons and dialogs too)."""
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(paths.resource("icons/poledesk.png"))))
    app.setStyle(TabRoomStyle("Fusion"))
    app.setFont(unhinted(app.font()))
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    install_qt_translation(app)
    use_french_dialogs(app, QLocale.system())
    app.installEventFilter(DialogScreenFit(app))   # no dialog taller than a laptop's screen


def unhinted(font: QFont) -> QFont:
    """The font without hinting: hinted DejaVu at 9 or 11 pt squashes the accent of « É » into a dot."""
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def translation_folders() -> list[str]:
    """Where qtbase_fr.qm may be, first found wins: Qt's own path (a wheel, the standalone build's runtime hook),
    then the PySide6 package's folder (a Qt whose built-in path points elsewhere, as some Linux packages do)."""
    import PySide6

    folders = [QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
               str(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")]
    return list(dict.fromkeys(folders))


class MissingFrench(QTranslator):
    """The few strings of Qt's own dialogs that qtbase_fr.qm leaves in English (the file dialog's « Look in: »
    and « Files of type: »). Installed after qtbase_fr, it is asked first and answers only these."""

    TEXTS = {
        ("QFileDialog", "&Look in:"): "&Regarder dans :",
        ("QFileDialog", "Look in:"): "Regarder dans :",
        ("QFileDialog", "Files of &type:"): "Fichiers de &type :",
        ("QFileDialog", "Files of type:"): "Fichiers de type :",
    }

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        return self.TEXTS.get((context, source))   # None: not ours, Qt asks the next translator

    def isEmpty(self) -> bool:
        return False


def install_qt_translation(app: QApplication, folders: list[str] | None = None) -> bool:
    """Qt's own French (Annuler, Oui, Enregistrer sous…, the file and print dialogs); English if no folder
    holds the file."""
    french = QLocale(QLocale.Language.French, QLocale.Country.France)
    for folder in translation_folders() if folders is None else folders:
        translator = QTranslator(app)   # parented: lives as long as the application
        if translator.load(french, "qtbase", "_", folder):
            app.installTranslator(translator)
            app.installTranslator(MissingFrench(app))
            return True
    log.warning("qtbase_fr.qm not found in %s: Qt's own dialogs stay in English", folders or translation_folders())
    return False


def use_french_dialogs(app: QApplication, system: QLocale) -> bool:
    """On a system not in French, the platform's own file dialogs would speak its language: Qt's own dialogs,
    translated by qtbase_fr, are used instead. True when Qt's dialogs are used."""
    foreign = system.language() != QLocale.Language.French
    app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, foreign)
    return foreign


class Launcher(QObject):
    """Takes an opened store to a shown main window: first start or the demo when the store has no identity yet.

    It owns the current window and store, swaps them when the window opens another folder, and schedules the
    daily backup once a window has been painted.
    """

    def __init__(self, app: QApplication, *, started: float | None = None, smoke: bool = False,
                 shell: WindowShell | None = None) -> None:
        from poledesk.ui.workers import TaskRunner

        super().__init__()
        self._app = app
        self._smoke = smoke
        self.shell = shell   # painted while the store opened; closed once a window or a dialog replaces it
        self._started = started if started is not None else time.perf_counter()
        self.runner = TaskRunner(self)   # work done before any window exists (the demo at first start)
        self.window: MainWindow | None = None
        self.store: Store | None = None
        self.dialog: QDialog | None = None
        self.demo_build: QObject | None = None
        self.idle_lock: IdleLock | None = None
        self.purge_dialog: PurgeDialog | None = None

    def open(self, store: Store, *, demo: bool = False) -> None:
        """Show `store` in a window, asking who this install is first if it is not set up."""
        from poledesk.data import identity

        with store.session() as session:
            ident = identity.current_identity(session)
        if ident is not None:
            self._show_window(store)
        elif demo:
            self._build_demo(store)
        else:
            self._ask_first_start(store)

    def _close_shell(self) -> None:
        if self.shell is not None:
            self.shell.close()
            self.shell.deleteLater()
            self.shell = None

    def _ask_first_start(self, store: Store) -> None:
        replacing = self.window is not None
        self._close_shell()
        self._app.setQuitOnLastWindowClosed(replacing)   # no window yet: hiding the dialog must not quit
        from poledesk.ui.dialogs.first_start_dialog import FirstStartDialog  # only an empty store needs it

        self.dialog = FirstStartDialog(store, self._active_runner(), parent=self.window,
                                       cancel_text="Annuler" if replacing else "Quitter")
        self.dialog.accepted.connect(lambda: self._show_window(store))
        self.dialog.rejected.connect(lambda: self._give_up(store))
        self.dialog.open()

    def _build_demo(self, store: Store) -> None:
        self._app.setQuitOnLastWindowClosed(False)
        self._close_shell()
        from poledesk.ui.demo_build import DemoBuild  # imports the demo generator: not at every start

        self.demo_build = DemoBuild(store, self.runner)
        self.demo_build.succeeded.connect(lambda _ident: self._show_window(store))
        self.demo_build.failed.connect(lambda message: self._demo_stopped(store, message))
        self.demo_build.cancelled.connect(
            lambda: self._demo_stopped(store, "Création de la démonstration annulée : rien n'a été modifié."))
        self.demo_build.start()

    def _demo_stopped(self, store: Store, message: str) -> None:
        """The demo did not happen: say why, then offer the ordinary first start."""
        from poledesk.ui.dialogs.first_start_dialog import FirstStartDialog

        self._ask_first_start(store)
        assert isinstance(self.dialog, FirstStartDialog)
        self.dialog.demo_radio.setChecked(True)
        self.dialog.show_error(message)

    def _give_up(self, store: Store) -> None:
        """First start refused: back to the current window, or quit if there is none."""
        store.close()
        if self.window is None:
            QTimer.singleShot(0, self._app.quit)

    def _show_window(self, store: Store) -> None:
        from poledesk.ui.main_window import MainWindow

        old_window, old_store = self.window, self.store
        self.window, self.store = MainWindow(store), store
        self.window.store_opened.connect(self.open)
        self.window.first_painted.connect(self._on_first_paint)
        self.window.show()
        self._close_shell()   # after the window shows: nothing flickers in between
        self._app.setQuitOnLastWindowClosed(True)
        if old_window is not None:
            old_window.close()
            old_window.deleteLater()
        if old_store is not None and old_store is not store:
            old_store.close()
        self._guard(store, self.window)

    def _guard(self, store: Store, window: MainWindow) -> None:
        """An encrypted store gets the idle lock; a clear store of a real pole is offered encryption at once."""
        if self.idle_lock is not None:
            self._app.removeEventFilter(self.idle_lock)
            self.idle_lock.deleteLater()
            self.idle_lock = None
        if not store.encrypted:
            if window.identity is not None and not window.identity.demo:
                window.protect_store()
            return
        from poledesk.data import settings
        from poledesk.sync.keys import seal_existing_keys

        # keys left clear by an earlier version: sealed now
        if store.key is not None and seal_existing_keys(store.folder, store.key):
            log.info("private key files sealed with the store key")
        with store.session() as session:
            minutes = float(settings.get(session, settings.LOCK_MINUTES) or 0)
        if minutes <= 0:
            return
        self.idle_lock = IdleLock(minutes, self)
        self._app.installEventFilter(self.idle_lock)
        self.idle_lock.idle.connect(window.lock)
        window.unlocked.connect(self.idle_lock.start)
        self.idle_lock.start()

    def _on_first_paint(self) -> None:
        log.info("window painted %.2f s after start", time.perf_counter() - self._started)
        if self._smoke:
            print(f"Fenêtre affichée en {time.perf_counter() - self._started:.1f} s : {self._app.applicationName()} "
                  f"{self._app.applicationVersion()}, Qt {qVersion()}, plateforme {self._app.platformName()}.")
            QTimer.singleShot(0, self._app.quit)
            return
        from poledesk.data import db
        from poledesk.ui.workers import Worker

        self._started = time.perf_counter()
        assert self.window is not None and self.store is not None
        store, window = self.store, self.window
        if store.read_only is not None:   # known without reading a page: said at once, and no backup tried
            window.show_store_warning(f"{store.read_only} Vous pouvez consulter et exporter ; rien ne sera "
                                      "enregistré.")
            return

        def start_of_day(_progress: object) -> str | Path | None:
            """The quick check first (a damaged store is only read, and never backed up over a sound copy),
            then the daily backup."""
            if store.damaged:
                return db.DAMAGED.format(name=store.file.name)
            return db.backup_if_none_today(store)

        worker = Worker(store, start_of_day, transactional=False)
        worker.signals.succeeded.connect(self._on_start_of_day)
        worker.signals.failed.connect(self._on_backup_failed)
        window.runner.start(worker)
        self.offer_purge()

    def _on_start_of_day(self, result: str | Path | None) -> None:
        if isinstance(result, str):
            log.warning("store failed its quick check at start: shown read-only")
            if self.window is not None:
                self.window.show_store_warning(result)
        else:
            log.info("daily backup: %s", "taken" if result else "already done")

    def offer_purge(self, today: date | None = None) -> None:
        """Pupils due to be anonymised: say so and let the animateur confirm or postpone (once, 30 days at most)."""
        from poledesk.data import identity, purge

        window = self.window
        if window is None or window.identity is None or window.identity.role != identity.ROLE_POLE:
            return
        if window.security_dialog is not None and window.security_dialog.isVisible():
            return   # one question at a time: the passphrase first, the purge at the next start
        with window.store.session() as session:
            plan = purge.plan_purge(session, today or date.today())
        if not plan.due:
            return
        if not plan.is_due_now:
            window.statusBar().showMessage(" ".join(plan.lines()), 30_000)
            return
        from poledesk.ui.dialogs.purge_dialog import PurgeDialog

        self.purge_dialog = PurgeDialog(window.store, window.runner, plan, parent=window)
        self.purge_dialog.accepted.connect(lambda: self._purge_answered(window))
        self.purge_dialog.open()

    def _purge_answered(self, window: MainWindow) -> None:
        dialog = self.purge_dialog
        assert dialog is not None
        if dialog.outcome is not None:
            window.statusBar().showMessage(f"Anonymisation faite : {dialog.outcome.describe()}", 30_000)
            window.hub.tell("Anonymisation faite.", details=dialog.outcome.describe())
            window.hub.announce_everything()   # pupils anonymised: every tab that names one reloads
        elif dialog.postponed_to is not None:
            window.statusBar().showMessage(f"Anonymisation reportée au {dialog.postponed_to:%d/%m/%Y}.", 30_000)
            window.hub.tell(f"Anonymisation reportée au {dialog.postponed_to:%d/%m/%Y}.",
                            details="PoleDesk la proposera de nouveau ce jour-là ; elle ne se reporte qu'une fois.")

    def _on_backup_failed(self, error: Exception) -> None:
        if self.window is not None:   # the worker has logged the traceback; the user should know too
            self.window.statusBar().showMessage(f"La sauvegarde quotidienne a échoué : {error}", 30_000)

    def _active_runner(self) -> TaskRunner:
        return self.window.runner if self.window is not None else self.runner

    def shutdown(self) -> None:
        """After the event loop: let background work end, then close the store."""
        self.runner.wait(10_000)
        if self.store is not None:
            self.store.close()

