"""Bundles from the Échanges menu: prepared for peers and imported, one after another, off the UI thread."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMessageBox

from poledesk.data.db import Store
from poledesk.data.identity import ROLE_COORDINATOR, Identity
from poledesk.data.progress import Cancelled, Progress
from poledesk.data.system_errors import os_error_message
from poledesk.data.text import plural
from poledesk.ui import messages, ui_state
from poledesk.ui.banner import NextStep, open_file
from poledesk.ui.hub import ChangeHub
from poledesk.ui.widgets.worker_progress import WorkerProgress
from poledesk.ui.workers import TaskRunner, Worker

if TYPE_CHECKING:
    from poledesk.sync.keys import LocalKeys
    from poledesk.sync.peers import PeerRow
    from poledesk.ui.dialogs.bundle_export_dialog import BundleExportDialog

log = logging.getLogger(__name__)

WRITTEN, APPLIED, ALREADY, REFUSED, SKIPPED = "written", "applied", "already", "refused", "skipped"
BUNDLE_SUFFIX = ".poledesk"
BUNDLE_FILTER = "Paquet PoleDesk (*.poledesk *.age);;Tous les fichiers (*)"
MESSAGE_MS = 15_000


@dataclass(frozen=True, slots=True)
class TransferLine:
    """One bundle's outcome, in French: written for a peer, applied, applied before, refused, or not reached."""

    file: Path
    peer: str                                   # "" when a refused file could not say who sent it
    outcome: str
    text: str
    counts: dict[str, int] = field(default_factory=dict)   # records per table (written, or received)
    conflicts: int = 0
    heading: str = ""                           # a written bundle: 'Paquet n° 3 (complet)', for the results table


@dataclass(frozen=True, slots=True)
class TransferRun:
    lines: tuple[TransferLine, ...]
    cancelled: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)


def bundle_name(own: Identity, peer_code: str, peer_role: str, today: date) -> str:
    """'NM-07-vers-coordination-2026-11-23.poledesk', 'coordination-vers-NM-07-2026-11-23.poledesk'."""
    sender = "coordination" if own.role == ROLE_COORDINATOR else own.code
    recipient = "coordination" if peer_role == ROLE_COORDINATOR else peer_code
    return f"{sender}-vers-{recipient}-{today:%Y-%m-%d}{BUNDLE_SUFFIX}"


def free_path(path: Path) -> Path:
    """`path`, or 'name-2.poledesk', 'name-3…' when a file of that name is already there."""
    number, candidate = 2, path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        number += 1
    return candidate


def _steps(progress: Progress, index: int, count: int, name: str) -> Progress:
    """One bundle's progress as a share of the whole run; a cancel that comes once the bundle is whole is
    ignored (it could no longer be taken back), and the next bundle stops instead."""
    def report(done: int, total: int, label: str = "") -> None:
        text = f"Paquet {index + 1} sur {count} ({name}) : {label.lower()}" if count > 1 else label
        try:
            progress(index * total + done, count * total, text)
        except Cancelled:
            if done < total:
                raise
    return report


def _run_each(items: Sequence[Any], progress: Progress, do_one: Callable[[Any, Progress], TransferLine],
              file_of: Callable[[Any], Path]) -> TransferRun:
    """Each item in turn, its own transaction; a cancel stops before the next (what is done stays done)."""
    lines: list[TransferLine] = []
    for index, item in enumerate(items):
        try:
            lines.append(do_one(item, _steps(progress, index, len(items), file_of(item).name)))
        except Cancelled:
            if not lines:
                raise
            lines += [TransferLine(file_of(rest), "", SKIPPED, "Non traité : interrompu à votre demande.")
                      for rest in items[index:]]
            return TransferRun(tuple(lines), cancelled=True)
    return TransferRun(tuple(lines))


def export_job(store: Store, keys: LocalKeys, targets: Sequence[tuple[str, Path]], *,
               full: bool, recovery: bool = False) -> Callable[[Progress], TransferRun]:
    """On the worker thread: one bundle per (peer code, file); a refusal does not stop the others."""
    def one(target: tuple[str, Path], progress: Progress) -> TransferLine:
        from poledesk.sync import exchange
        from poledesk.sync.errors import BundleError

        code, path = target
        try:
            result = exchange.export_bundle(store, code, keys=keys, out=path, full=full, recovery=recovery,
                                            progress=progress)
        except BundleError as error:
            return TransferLine(path, code, REFUSED, error.message)
        except OSError as error:
            return TransferLine(path, code, REFUSED, f"Le fichier « {path} » n'a pas pu être écrit : "
                                                     f"{os_error_message(error)} Aucun paquet n'a été écrit.")
        kind = {"full": "complet", "recovery": "restauration"}.get(result.kind, "changements")
        return TransferLine(path, code, WRITTEN, result.describe(), dict(result.counts),
                            heading=f"Paquet n° {result.sequence} ({kind})")

    return lambda progress: _run_each(targets, progress, one, lambda target: target[1])


def import_job(store: Store, keys: LocalKeys, paths: Sequence[Path]) -> Callable[[Progress], TransferRun]:
    """On the worker thread: each file checked then merged in its own transaction, one backup before the
    first change (as `poledesk bundle import`); a refused file does not stop the others."""
    backed_up = False

    def one(path: Path, progress: Progress) -> TransferLine:
        nonlocal backed_up
        from poledesk.sync import exchange
        from poledesk.sync.errors import BundleError

        try:
            result = exchange.import_bundle(store, path, keys=keys, backup=not backed_up, progress=progress)
        except BundleError as error:
            return TransferLine(path, _sender_in_name(path), REFUSED, error.message)
        if result.status != exchange.APPLIED or result.summary is None:
            return TransferLine(path, result.sender, ALREADY, result.message)
        backed_up = True
        summary = result.summary
        received: Counter[str] = Counter()
        for what in ("added", "updated", "unchanged", "deleted"):
            received.update(getattr(summary, what))
        return TransferLine(path, result.sender, APPLIED, result.message, dict(received),
                            summary.total("conflicts"))

    return lambda progress: _run_each(list(paths), progress, one, lambda path: path)


_SENDER = re.compile(r"^([A-Z]{2,4}-\d{2}|coordination)-vers-", re.IGNORECASE)


def _sender_in_name(path: Path) -> str:
    """Who a refused file says it comes from, by its suggested name only (nothing in it could be trusted)."""
    match = _SENDER.match(path.name)
    return f"{match.group(1)} ?" if match else ""


class BundleTransfers(QObject):
    """What « Préparer… » and « Importer… » do for one window: the dialogs, the worker, the summaries."""

    exported = Signal(object)   # a TransferRun, once the worker is done
    imported = Signal(object)   # a TransferRun, once the worker is done (some bundles may have changed the store)

    def __init__(self, store: Store, runner: TaskRunner, window: QMainWindow, own: Identity,
                 settings: QSettings, *, hub: ChangeHub | None = None) -> None:
        super().__init__(window)
        self._store, self._runner, self._window, self._own, self._settings = store, runner, window, own, settings
        self.hub = hub if hub is not None else ChangeHub(self)   # what went well is said in the window's banner
        self.export_dialog: BundleExportDialog | None = None
        self.results_dialog: QDialog | None = None
        self.message_box: QMessageBox | None = None
        self.progress: WorkerProgress | None = None

    @property
    def coordinator(self) -> bool:
        return self._own.role == ROLE_COORDINATOR

    def _folder(self) -> Path:
        return Path(ui_state.BUNDLE_FOLDER.read(self._settings))

    # -- preparing -------------------------------------------------------------------------------------------------

    def prepare(self, keys: LocalKeys, peers: Sequence[PeerRow], *, recovery: bool = False) -> None:
        """The export dialog, then where to write; `recovery` (the coordinator): a pole's recovery bundle."""
        from poledesk.ui.dialogs.bundle_export_dialog import BundleExportDialog

        wanted = [p for p in peers if (p.role == ROLE_COORDINATOR) != self.coordinator]
        if not wanted:
            self.message_box = messages.information(
                self._window, "Préparer un paquet",
                "Ce poste n'a pas encore de correspondant : importez d'abord la carte d'identité de "
                + ("chaque pôle" if self.coordinator else "la coordination académique")
                + " (Échanges › Importer la carte d'un correspondant…).")
            return
        self.export_dialog = BundleExportDialog(wanted, coordinator=self.coordinator, recovery=recovery,
                                                folder=self._store.folder, parent=self._window)
        roles = {p.code: p.role for p in wanted}
        self.export_dialog.accepted.connect(lambda: self._choose_files(keys, roles))
        self.export_dialog.open()

    def _choose_files(self, keys: LocalKeys, roles: dict[str, str]) -> None:
        assert self.export_dialog is not None
        codes, full = self.export_dialog.chosen_codes, self.export_dialog.full
        today = date.today()
        if len(codes) == 1:
            suggested = self._folder() / bundle_name(self._own, codes[0], roles[codes[0]], today)
            chosen, _filter = QFileDialog.getSaveFileName(self._window, "Enregistrer le paquet", str(suggested),
                                                          BUNDLE_FILTER)
            if not chosen:
                return
            path = Path(chosen) if Path(chosen).suffix else Path(chosen + BUNDLE_SUFFIX)
            targets = [(codes[0], path)]
            ui_state.BUNDLE_FOLDER.write(self._settings, path.parent)
        else:
            folder = QFileDialog.getExistingDirectory(self._window, "Dossier où enregistrer les paquets",
                                                      str(self._folder()))
            if not folder:
                return
            ui_state.BUNDLE_FOLDER.write(self._settings, folder)
            targets = [(code, free_path(Path(folder) / bundle_name(self._own, code, roles[code], today)))
                       for code in codes]
        text = "Préparation du paquet" if len(targets) == 1 else "Préparation des paquets"
        job = export_job(self._store, keys, targets, full=full, recovery=self.export_dialog.recovery)
        worker = Worker(self._store, job, transactional=False)
        worker.signals.succeeded.connect(self._on_exported)
        self._start(worker, "Préparer un paquet", text, "Préparation annulée : aucun paquet n'a été écrit.")

    def _on_exported(self, run: TransferRun) -> None:
        written = run.count(WRITTEN)
        self._window.statusBar().showMessage(f"{plural(written, 'paquet écrit')}.", MESSAGE_MS)
        if len(run.lines) == 1 and not run.cancelled:
            self._show_single(run.lines[0], "Préparer un paquet")
        else:
            self._show_results(run, "Paquets préparés")
        self.exported.emit(run)

    # -- importing -------------------------------------------------------------------------------------------------

    def import_files(self, keys: LocalKeys) -> None:
        if self.coordinator:
            chosen, _filter = QFileDialog.getOpenFileNames(self._window, "Importer des paquets",
                                                           str(self._folder()), BUNDLE_FILTER)
        else:
            one, _filter = QFileDialog.getOpenFileName(self._window, "Importer un paquet", str(self._folder()),
                                                       BUNDLE_FILTER)
            chosen = [one] if one else []
        if not chosen:
            return
        paths = [Path(name) for name in chosen]
        ui_state.BUNDLE_FOLDER.write(self._settings, paths[0].parent)
        worker = Worker(self._store, import_job(self._store, keys, paths), transactional=False)
        worker.signals.succeeded.connect(self._on_imported)
        text = "Import du paquet" if len(paths) == 1 else "Import des paquets"
        self._start(worker, "Importer des paquets", text, "Import annulé : rien n'a été modifié.")

    def _on_imported(self, run: TransferRun) -> None:
        applied = run.count(APPLIED)
        self._window.statusBar().showMessage(f"{plural(applied, 'paquet importé')}.", MESSAGE_MS)
        if not self.coordinator and len(run.lines) == 1:
            self._show_single(run.lines[0], "Importer un paquet")
        else:
            self._show_results(run, "Paquets importés")
        self.imported.emit(run)

    # -- shared ----------------------------------------------------------------------------------------------------

    def _start(self, worker: Worker, title: str, text: str, cancelled_text: str) -> None:
        self.progress = WorkerProgress(worker, title, text, self._window)
        worker.signals.failed.connect(self._on_failed)
        worker.signals.cancelled.connect(lambda: self._window.statusBar().showMessage(cancelled_text, MESSAGE_MS))
        self._window.statusBar().showMessage(f"{text} en cours…")
        self._runner.start(worker)

    def _on_failed(self, error: Exception) -> None:
        self._window.statusBar().clearMessage()
        raise error   # refusals come back as lines: anything else is unexpected, for the crash hook

    def _show_single(self, line: TransferLine, title: str) -> None:
        from poledesk.sync.overview import describe_counts

        if line.outcome == REFUSED:
            unchanged = "" if "rien n'a" in line.text.lower() else "Les données de ce poste n'ont pas été modifiées."
            self.message_box = messages.warning(self._window, title, line.text, details=unchanged)
            return
        details = ""
        steps: tuple[NextStep, ...] = ()
        if line.outcome == WRITTEN:
            content = (f"Contenu : {describe_counts(line.counts)}." if line.counts else
                       "Rien n'a changé depuis le dernier paquet accusé : celui-ci porte seulement votre accusé de "
                       "réception.")
            details = (f"{content} Remettez ce fichier à votre correspondant (clé USB ou courriel) : il est chiffré "
                       "pour lui seul.")
            steps = (NextStep("Ouvrir le dossier", lambda: open_file(line.file.parent)),)
        elif line.conflicts:
            details = f"{plural(line.conflicts, 'conflit')} à régler : Échanges › Conflits…"
        self.hub.tell(line.text, *steps, details=details)

    def _show_results(self, run: TransferRun, title: str) -> None:
        from poledesk.ui.dialogs.bundle_results_dialog import BundleResultsDialog

        if self.results_dialog is not None:
            self.results_dialog.deleteLater()
        self.results_dialog = BundleResultsDialog(run, title, parent=self._window, folder=self._store.folder)
        self.results_dialog.open()

