"""The side of the Stages tab: the selected placement's convention, printed, saved, tracked, amended, attested.

The documents are rendered when asked for (ReportLab loads then, not at start-up). A convention the rules block is
never previewed, printed or saved: its buttons are disabled and the blocking findings are listed in red.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.conventions import tracking as convention_tracking
from poledesk.data.conventions import versions as paper_versions
from poledesk.data.conventions.rules import Finding
from poledesk.data.conventions.tracking import ConventionState
from poledesk.data.db import Store
from poledesk.data.enums import ConventionStatus
from poledesk.data.text import format_date, plural
from poledesk.data.validation import ValidationError
from poledesk.ui import messages, ui_state
from poledesk.ui.convention_tracking_box import TrackingBox
from poledesk.ui.dialogs.convention_preview_dialog import (
    PRINT_FAILED,
    ConventionPreviewDialog,
    ask_and_print,
    choose_pdf_file,
    confirm_warnings,
    load_pdf,
    save_pdf,
)
from poledesk.ui.dialogs.signature_dialog import SignatureDialog
from poledesk.ui.widgets.detail_panel import DetailPanel

log = logging.getLogger(__name__)
S = ConventionStatus
CONVENTION, AMENDMENT, ATTESTATION = "convention", "avenant", "attestation"
MOVE_DONE = {   # what the banner says after a move of the « Suivi de la convention » buttons
    S.DRAFT: ("Convention revenue au brouillon.", "Elle repassera à « Imprimée » à sa prochaine impression."),
    S.CANCELLED: ("Convention annulée.", "Le stage reste dans la liste, marqué « Annulée »."),
}
BLOCKING_STYLE, WARNING_STYLE = "color: #b3261e;", "color: #8a4300;"


class ConventionPanel(QWidget):
    """Acts on the convention of the placement the list shows; every write is one transaction, made from the
    status shown. `changed` asks the tab to show the placement again."""

    changed = Signal(int)          # the placement's convention (status, copy, avenants) changed
    edit_requested = Signal(int)   # « Établir un avenant… »: the tab opens the placement's form
    pdf_saved = Signal(object)     # the Path of a PDF just written (a convention, an avenant, an attestation)
    told = Signal(str, str)        # what a tracking action did, and the next step in words: for the banner

    def __init__(self, store: Store, detail: DetailPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._settings = ui_state.settings(store.folder)
        self.state: ConventionState | None = None
        self.preview_dialog: ConventionPreviewDialog | None = None
        self.dialog: QDialog | None = None
        self.message_box: QMessageBox | None = None
        self.detail = detail
        self.status_label = QLabel(textFormat=Qt.TextFormat.RichText, wordWrap=True)
        self.preview_button = QPushButton("Aperçu")
        self.preview_button.setToolTip("Afficher la convention dans PoleDesk, pour l'imprimer ou l'enregistrer")
        self.print_button = QPushButton("Imprimer…")
        self.print_button.setToolTip("Imprimer la convention ; elle passe alors à « Imprimée »")
        self.save_button = QPushButton("Enregistrer en PDF…")
        self.save_button.setToolTip("Écrire la convention dans un fichier PDF ; elle passe alors à « Imprimée »")
        self.fix_button = QPushButton("Corriger le stage…")
        self.fix_button.setToolTip("Ouvrir la fiche du stage pour régler les points bloquants")
        self.findings_label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.findings_label.setStyleSheet(BLOCKING_STYLE)
        self.warnings_label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.warnings_label.setStyleSheet(WARNING_STYLE)
        self.tracking = TrackingBox()
        self._document_tips = {b: b.toolTip() for b in (self.preview_button, self.print_button, self.save_button)}
        self.tabs = QTabWidget()
        self._build_layout()
        self._connect()
        self.show_state(None)

    def _build_layout(self) -> None:
        for label in (self.findings_label, self.warnings_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.print_button, self.save_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.fix_button)
        box = QGroupBox("Convention")
        box_layout = QVBoxLayout(box)
        for widget in (self.status_label, self.findings_label, self.warnings_label):
            box_layout.addWidget(widget)
        box_layout.addLayout(buttons)
        self.tabs.addTab(self.detail, "Fiche du stage")
        self.tabs.addTab(self.tracking, "Suivi de la convention")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)
        layout.addWidget(self.tabs, 1)

    def _connect(self) -> None:
        t = self.tracking
        self.preview_button.clicked.connect(lambda: self.preview(CONVENTION))
        self.print_button.clicked.connect(self.print_convention)
        self.save_button.clicked.connect(self.save_convention)
        self.fix_button.clicked.connect(self._ask_edit)
        for to, button in t.move_buttons.items():
            button.clicked.connect(lambda _checked=False, to=to: self.move_to(to))
        t.attach_button.clicked.connect(self.attach_copy)
        t.open_copy_button.clicked.connect(self.open_copy)
        t.amend_button.clicked.connect(self._ask_edit)
        t.amendment_preview_button.clicked.connect(self._preview_amendment)
        t.amendment_sign_button.clicked.connect(self._sign_amendment)
        t.attestation_button.clicked.connect(lambda: self.preview(ATTESTATION))
        t.version_save_button.clicked.connect(self.save_version)

    # -- what is shown -------------------------------------------------------------------------------------------

    def show_state(self, state: ConventionState | None, *, message: str = "") -> None:
        self.state = state
        self.tabs.setTabText(1, "Suivi de la convention" + (f" ({plural(len(state.amendments), 'avenant')})"
                                                            if state and state.amendments else ""))
        self.tracking.show_state(state)
        self.tracking.show_versions(self._versions(state))
        if state is None:
            self.status_label.setText(message)
            self.findings_label.hide()
            self.warnings_label.hide()
            self.fix_button.hide()
            for button in (self.preview_button, self.print_button, self.save_button):
                button.setEnabled(False)
            return
        self.status_label.setText(f"<b>Convention n° {state.reference}</b> – {state.status_text()}")
        self.findings_label.setText(refusal_text(state))
        self.findings_label.setVisible(not state.printable)
        self.warnings_label.setText(_warnings_text(state) if state.printable else "")
        self.warnings_label.setVisible(state.printable and bool(state.warnings))
        self.fix_button.setVisible(bool(state.blocking) and state.status is not S.CANCELLED)
        for button, tip in self._document_tips.items():
            button.setEnabled(state.printable)
            button.setToolTip(tip if state.printable else "Impossible : voir les points bloquants ci-dessus.")

    def _versions(self, state: ConventionState | None) -> list[paper_versions.VersionRow]:
        if state is None:
            return []
        with self._store.session() as session:
            return paper_versions.printed_versions(session, state.placement_id)

    # -- the documents ---------------------------------------------------------------------------------------------

    def render_pdf(self, kind: str, number: int | None = None) -> bytes | None:
        """The PDF of the convention, an avenant or the attestation; None (and why, in a message) if refused."""
        from poledesk.reports.convention_files import BlockingFindings, amendment_pdf, attestation_pdf, convention_pdf

        if self.state is None:
            return None
        placement_id, today = self.state.placement_id, date.today()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with self._store.session() as session:
                if kind == ATTESTATION:
                    return attestation_pdf(session, placement_id, today=today)
                if kind == AMENDMENT and number is not None:
                    return amendment_pdf(session, placement_id, number, today=today)
                return convention_pdf(session, placement_id, today=today)
        except BlockingFindings as refusal:
            self.message_box = messages.refusal(self, "Convention refusée", refusal)
        except ValidationError as error:
            self.message_box = messages.refusal(self, "Document impossible", error)
        finally:
            QGuiApplication.restoreOverrideCursor()
        return None

    def preview(self, kind: str, number: int | None = None) -> None:
        state = self.state
        data = self.render_pdf(kind, number) if state is not None else None
        if state is None or data is None:
            return
        title = _title(state, kind, number)
        warnings = [f.message for f in state.warnings] if kind == CONVENTION else []
        dialog = ConventionPreviewDialog(data, title=title, suggested=self._folder() / _file_name(state, kind, number),
                                         warnings=warnings, parent=self)
        ui_state.keep_geometry(dialog, self._store.folder)
        if kind == CONVENTION:
            dialog.printed.connect(lambda _pages: self._printed(state.placement_id))
        dialog.saved.connect(lambda path: self._saved(state.placement_id if kind == CONVENTION else None, path))
        self.preview_dialog = dialog
        dialog.open()

    def print_convention(self) -> None:
        if self.state is not None and self.state.printable:
            self._confirm("Imprimer", self._print_now)

    def _print_now(self) -> None:
        state = self.state
        data = self.render_pdf(CONVENTION) if state is not None else None
        if state is None or data is None:
            return
        document = QPdfDocument(self)
        buffer = load_pdf(document, data)
        try:
            printed = ask_and_print(document, _title(state, CONVENTION, None), self, pdf=data)
            if printed == 0:
                self.message_box = messages.warning(self, "Imprimer la convention", PRINT_FAILED)
            elif printed:
                self._printed(state.placement_id)
        finally:
            document.close()
            buffer.close()
            document.deleteLater()

    def save_convention(self) -> None:
        if self.state is not None and self.state.printable:
            self._confirm("Enregistrer", self._save_now)

    def _save_now(self) -> None:
        state = self.state
        if state is None:
            return
        target = choose_pdf_file(self, "Enregistrer la convention en PDF",
                                 self._folder() / _file_name(state, CONVENTION, None))
        data = self.render_pdf(CONVENTION) if target is not None else None
        if target is None or data is None:
            return
        problem = save_pdf(data, target)
        if problem:
            self.message_box = messages.warning(self, "Enregistrer en PDF", problem)
            return
        self._saved(state.placement_id, target)

    def _confirm(self, verb: str, then: Callable[[], object]) -> None:
        assert self.state is not None
        self.message_box = confirm_warnings(self, [f.message for f in self.state.warnings], verb, then) \
            or self.message_box

    def _printed(self, placement_id: int) -> None:
        """Printed or saved: a draft becomes « Imprimée » today; a paper made obsolete by an edit is replaced."""
        paper = self.state.paper if self.state is not None else None
        try:
            with self._store.transaction() as session:
                moved = convention_tracking.mark_printed(session, placement_id, today=date.today())
        except ValidationError as error:
            self.message_box = messages.refusal(self, "Convention", error)
            return
        if moved or (paper is not None and paper.outdated):
            self.changed.emit(placement_id)

    def _saved(self, placement_id: int | None, path: Path) -> None:
        ui_state.CONVENTION_FOLDER.write(self._settings, path.parent)
        if placement_id is not None:
            self._printed(placement_id)
        self.pdf_saved.emit(path)

    def save_version(self) -> None:
        """An old printed version, as it was printed, to a PDF file the user chooses."""
        state, version_id = self.state, self.tracking.current_version()
        row = next((r for r in self.tracking.versions if r.id == version_id), None)
        if state is None or row is None:
            return
        name = f"convention-{state.reference}-imprimee-le-{row.printed_on:%Y-%m-%d}.pdf"
        target = choose_pdf_file(self, "Enregistrer la version imprimée en PDF", self._folder() / name)
        if target is None:
            return
        try:
            with self._store.session() as session:
                data = paper_versions.printed_version_pdf(session, row.id)
        except ValidationError as error:
            self.message_box = messages.refusal(self, "Version imprimée", error)
            return
        problem = save_pdf(data, target)
        if problem:
            self.message_box = messages.warning(self, "Enregistrer en PDF", problem)
            return
        ui_state.CONVENTION_FOLDER.write(self._settings, target.parent)
        self.pdf_saved.emit(target)

    def _folder(self) -> Path:
        return Path(ui_state.CONVENTION_FOLDER.read(self._settings))

    # -- tracking ------------------------------------------------------------------------------------------------

    def move_to(self, to: ConventionStatus) -> None:
        state = self.state
        if state is None:
            return
        if to in convention_tracking.SIGNED_STATUSES:
            self._open(SignatureDialog(self._store, state.placement_id, expected=state.status, to=to,
                                       earliest=state.printed_on if to is S.SIGNED else None, parent=self))
        elif to is S.CANCELLED:
            self.message_box = messages.confirmation(
                self, "Annuler la convention",
                f"Annuler la convention de {state.pupil_name} ? Elle ne pourra plus être imprimée ni changer de "
                "statut ; le stage reste dans la liste, marqué « Annulée ».",
                lambda: self._move(state, to), yes="Annuler la convention", no="Ne pas annuler")
        else:
            self._move(state, to)

    def _move(self, state: ConventionState, to: ConventionStatus) -> None:
        try:
            with self._store.transaction() as session:
                convention_tracking.move_convention(session, state.placement_id, to, expected=state.status,
                                                    today=date.today())
        except ValidationError as error:
            self.message_box = messages.refusal(self, "Action refusée", error)
        else:
            self.told.emit(*MOVE_DONE.get(to, (f"Convention : {to.label}.", "")))
        self.changed.emit(state.placement_id)

    def attach_copy(self) -> None:
        state = self.state
        if state is None:
            return
        chosen, _filter = QFileDialog.getOpenFileName(
            self, "Joindre la copie signée de la convention", str(self._folder()),
            "Convention signée (*.pdf *.PDF *.jpg *.JPG *.jpeg *.JPEG *.png *.PNG)")
        if not chosen:
            return
        try:
            with self._store.transaction() as session:
                attached = convention_tracking.attach_signed_copy(session, state.placement_id, Path(chosen),
                                                                  data_folder=self._store.folder)
        except ValidationError as error:
            self.message_box = messages.refusal(self, "Copie signée refusée", error)
            return
        ui_state.CONVENTION_FOLDER.write(self._settings, Path(chosen).parent)
        self.told.emit(attached.message, "Elle est gardée dans le dossier de données, vérifiée à chaque ouverture.")
        self.changed.emit(state.placement_id)

    def open_copy(self) -> None:
        if self.state is None:
            return
        with self._store.session() as session:
            found = convention_tracking.signed_copy_path(session, self.state.placement_id,
                                                         data_folder=self._store.folder)
        if not found.ok or found.path is None:
            self.message_box = messages.warning(self, "Copie signée", found.message)
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(found.path)))

    def _ask_edit(self) -> None:
        if self.state is not None:
            self.edit_requested.emit(self.state.placement_id)

    def _preview_amendment(self) -> None:
        number = self.tracking.current_amendment()
        if number is not None:
            self.preview(AMENDMENT, number)

    def _sign_amendment(self) -> None:
        number, state = self.tracking.current_amendment(), self.state
        if number is None or state is None:
            return
        made = next((a.created_on for a in state.amendments if a.number == number), None)
        self._open(SignatureDialog(self._store, state.placement_id, expected=state.status, amendment_number=number,
                                   earliest=made, parent=self))

    def _open(self, dialog: SignatureDialog) -> None:
        self.dialog = dialog
        avenant = dialog.amendment_number is not None
        dialog.signed.connect(lambda _id: self.told.emit(
            "Signature de l'avenant enregistrée." if avenant else "Signature de la convention enregistrée.",
            "" if avenant else "Joignez sa copie signée depuis « Suivi de la convention »."))
        dialog.signed.connect(self.changed.emit)
        dialog.open()


def refusal_text(state: ConventionState) -> str:
    """Why the convention cannot be printed: each blocking finding names the field to fill."""
    if state.status is S.CANCELLED:
        return f"Convention annulée le {format_date(state.cancelled_on)} : elle ne s'imprime plus."
    count = len(state.blocking)
    return (f"Impression impossible : {plural(count, 'point bloquant')} "
            "à corriger dans la fiche du stage :\n" + "\n".join(finding_text(f) for f in state.blocking))


def _warnings_text(state: ConventionState) -> str:
    count = len(state.warnings)
    return (f"{plural(count, 'point')} d'attention (confirmation demandée à l'impression) :\n"
            + "\n".join(finding_text(f) for f in state.warnings))


def finding_text(finding: Finding) -> str:
    """One finding as the panel lists it: what is wrong here, with its article, then the rule in plain words."""
    line = f"• {finding.message}"
    return line + (f"\n    Règle : {finding.explanation}" if finding.explanation else "")


def _title(state: ConventionState, kind: str, number: int | None) -> str:
    what = {CONVENTION: "Convention", ATTESTATION: "Attestation de stage"}.get(kind, f"Avenant n° {number}")
    return f"{what} – {state.pupil_name} ({state.reference})"


def _file_name(state: ConventionState, kind: str, number: int | None) -> str:
    return state.file_name(kind if number is None else f"{kind}-{number}")
