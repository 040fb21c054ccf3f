"""The Formations des tuteurs tab: plan sessions, invite and register tutors, take attendance, print the documents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QToolBar,
    QWidget,
)

from poledesk.data import Session
from poledesk.data.db import Store
from poledesk.data.enums import TrainingStatus
from poledesk.data.partners import contacts as contacts
from poledesk.data.progress import no_progress
from poledesk.data.system_errors import os_error_message
from poledesk.data.text import fold, format_count, format_date, plural, plural_words
from poledesk.data.trainings import edits as training_edits
from poledesk.data.trainings import listing as trainings
from poledesk.data.trainings.listing import RegistrationLine, SessionDetail, SessionRow, hours_text
from poledesk.data.validation import ValidationError
from poledesk.ui import messages
from poledesk.ui.banner import file_steps
from poledesk.ui.dialogs.invite_dialog import InviteDialog
from poledesk.ui.dialogs.training_session_dialog import TrainingSessionDialog
from poledesk.ui.forms import fill_combo
from poledesk.ui.hub import ChangeHub, Kind
from poledesk.ui.registrations_panel import SessionPanel, document_job, export_job, file_slug, session_sheet
from poledesk.ui.widgets.detail_panel import Detail
from poledesk.ui.widgets.list_tab import Listing, ListTab
from poledesk.ui.widgets.models import Column
from poledesk.ui.workers import TaskRunner, Worker

PAST_TEXT = QColor("#767676")
FEW_PAGES = 3          # more pages than this: the document is made off the UI thread, with a progress dialog
MESSAGE_MS = 10_000
YES, NO, CANCEL = messages.YES, messages.NO, messages.CANCEL


def _registered_text(row: SessionRow) -> str:
    text = f"{row.registered} / {row.capacity}"
    return f"{text} (+{row.waitlisted} en attente)" if row.waitlisted else text


def _registered_tip(row: SessionRow) -> str | None:
    return plural(row.invited, "invitation sans réponse", "invitations sans réponse") if row.invited else None


def _attended_text(row: SessionRow) -> str:
    # Attendance is known once the session is held; before that a 0 would read as nobody came.
    return str(row.attended) if row.status == TrainingStatus.HELD else ""


def _muted_if_past(row: SessionRow) -> QColor | None:
    return None if row.upcoming and row.status is not TrainingStatus.CANCELLED else PAST_TEXT


COLUMNS = tuple(replace(c, foreground=_muted_if_past) for c in (
    Column("Date", lambda r: format_date(r.session_date), sort_key=lambda r: r.session_date, width=88),
    Column("Horaires", lambda r: hours_text(r.start_time, r.end_time), width=112),
    Column("Intitulé", lambda r: r.title, sort_key=lambda r: fold(r.title), width=210),
    Column("Thème", lambda r: r.theme, sort_key=lambda r: fold(r.theme), width=120),
    Column("Lieu", lambda r: r.place, sort_key=lambda r: fold(r.place), width=125),
    Column("Inscrits", _registered_text, sort_key=lambda r: r.registered, tooltip=_registered_tip, width=95),
    Column("Présents", _attended_text, sort_key=lambda r: r.attended, align_right=True, width=68),
    Column("Statut", lambda r: r.status.label, width=75),
))


class TrainingsTab(ListTab):
    """Sessions in the service's order (upcoming soonest first, then past latest first) until a header is clicked;
    the panel beside them manages the selected session's invitations, registrations, attendance and documents."""

    noun = ("session", "sessions")
    placeholder = "Rechercher une session (intitulé, thème, lieu, formateur)…"
    detail_placeholder = "Sélectionnez une session pour afficher ses inscrits."
    default_sort = None
    table_share = 0.52

    sessions_changed = Signal()
    document_saved = Signal(object)   # the Path written
    session_detail: SessionDetail | None = None   # the selected session, as last read

    shows = frozenset({Kind.TRAINING, Kind.PARTNER})   # registrations show the contacts and their partners

    def __init__(self, store: Store, parent: QWidget | None = None, *, runner: TaskRunner | None = None,
                 hub: ChangeHub | None = None) -> None:
        super().__init__(store, COLUMNS, parent, hub=hub)
        # Registering can mark a contact as a tutor: the partners' files show it.
        self.sessions_changed.connect(lambda: self.hub.announce_many({Kind.TRAINING: (), Kind.PARTNER: ()},
                                                                     source=self))
        self.runner = runner or TaskRunner(self)
        self.dialog: TrainingSessionDialog | None = None
        self.invite_dialog: InviteDialog | None = None
        self.message_box: QMessageBox | None = None
        self.progress_dialog: QProgressDialog | None = None
        self._build_filters_and_actions()
        self._connect_actions()
        self.refresh()

    def create_detail_panel(self) -> SessionPanel:
        return SessionPanel(self.detail_placeholder)

    @property
    def panel(self) -> SessionPanel:
        return self.detail  # type: ignore[return-value]  # create_detail_panel made it a SessionPanel

    def _build_filters_and_actions(self) -> None:
        self.year_combo, self.theme_combo = QComboBox(), QComboBox()
        for index, combo in enumerate((self.year_combo, self.theme_combo), start=1):
            combo.setMinimumWidth(90)   # in a narrow window they shrink rather than widen the whole window
            self.toolbar.insertWidget(index, combo)
        # A tool bar: in a narrow window, the buttons that do not fit go into its » menu instead of being cut.
        self.actions_bar = QToolBar()
        self.actions_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        buttons = []
        for text, tip in (("Nouvelle session…", "Programmer une session de formation des tuteurs"),
                          ("Modifier…", "Modifier la session sélectionnée : date, horaires, lieu, places"),
                          ("Dupliquer…", "Une nouvelle session reprenant celle-ci, à une autre date"),
                          ("Annuler la session…", "Annuler la session sélectionnée, après confirmation ; les "
                                                  "invités restent dans la liste pour être prévenus")):
            button = QPushButton(text)
            button.setToolTip(tip)
            buttons.append(button)
            self.actions_bar.addWidget(button)
        self.new_button, self.edit_button, self.copy_button, self.cancel_session_button = buttons
        self.list_layout.insertWidget(1, self.actions_bar)
        self._fill_filters()

    def _connect_actions(self) -> None:
        for combo in (self.year_combo, self.theme_combo):
            combo.currentIndexChanged.connect(self.refresh)
        self.new_button.clicked.connect(lambda: self.open_session_dialog())
        self.edit_button.clicked.connect(lambda: self.open_session_dialog(edit=True))
        self.copy_button.clicked.connect(lambda: self.open_session_dialog(copy=True))
        self.cancel_session_button.clicked.connect(self.ask_cancel_session)
        self.table.doubleClicked.connect(lambda _index: self.open_session_dialog(edit=True))
        p = self.panel
        p.invite_button.clicked.connect(self.open_invite_dialog)
        p.register_button.clicked.connect(lambda: self.register(p.selected_lines()))
        p.unregister_button.clicked.connect(self.cancel_selected_registrations)
        # After the click has returned: the list is reloaded, which the view must not see in the middle of it.
        p.model.toggled.connect(lambda line, checked: QTimer.singleShot(0, lambda: self.set_attendance(line, checked)))
        p.mail_button.clicked.connect(self.write_to_invited)
        p.export_button.clicked.connect(self.export_invitations)
        p.sheet_button.clicked.connect(lambda: self.save_document("sheet"))
        p.attestations_button.clicked.connect(lambda: self.save_document("attestations"))

    # -- the list ------------------------------------------------------------------------------------------------

    def _fill_filters(self) -> None:
        with self._store.session() as session:
            choices = trainings.session_choices(session)
        fill_combo(self.year_combo, [(y, f"Année {y}") for y in choices.school_years], none_text="Toutes les années")
        fill_combo(self.theme_combo, [(t, t) for t in choices.themes], none_text="Tous les thèmes")

    def fetch_rows(self, session: Session, text: str) -> list[SessionRow]:
        return list(self.read_rows(text)(session).rows)

    def read_rows(self, text: str) -> Callable[[Session], Listing]:
        year = self.year_combo.currentData() if hasattr(self, "year_combo") else None
        theme = self.theme_combo.currentData() if hasattr(self, "theme_combo") else None

        def read(session: Session) -> Listing:
            rows = trainings.list_sessions(session, text, school_year=year or "", theme=theme or "")
            return Listing(rows, len(rows))
        return read

    def show_extra(self, extra: object) -> None:
        self._after_rows()

    def fetch_records(self, session: Session, ids: frozenset[int]) -> list[SessionRow]:
        return [row for row in trainings.list_sessions(session) if row.id in ids]

    def narrowing_controls(self) -> list[QWidget]:
        return [self.search_edit, self.year_combo, self.theme_combo]

    def fetch_detail(self, session: Session, row_id: int) -> Detail | None:
        found = trainings.session_detail(session, row_id)
        self.session_detail = found
        self.panel.show_session(found, date.today())   # the panel's registrations follow the selected row
        self._enable_session_actions()
        return session_sheet(found) if found else None

    def refresh(self) -> None:
        super().refresh()
        self._after_rows()

    def _after_rows(self) -> None:
        if self.current_row() is None:
            self.session_detail = None
        self._enable_session_actions()

    def reload(self, select: int | None = None) -> None:
        """After a write: filters (a new theme, year), the list, and the selected session's panel."""
        if hasattr(self, "year_combo"):
            self._fill_filters()
        self.refresh()
        if select is not None and not self.select_id(select):
            self.clear_record_filter()
            self.year_combo.setCurrentIndex(0)       # the filters hid it: show every session
            self.theme_combo.setCurrentIndex(0)
            self.select_id(select)
        self.sessions_changed.emit()

    def _enable_session_actions(self) -> None:
        if not hasattr(self, "edit_button"):
            return
        d = self.session_detail
        for button in (self.edit_button, self.copy_button):
            button.setEnabled(d is not None)
        self.cancel_session_button.setEnabled(d is not None and d.status is not TrainingStatus.CANCELLED
                                              and not d.attended)

    # -- sessions ------------------------------------------------------------------------------------------------

    def open_session_dialog(self, *, edit: bool = False, copy: bool = False) -> None:
        current = self.session_detail.id if self.session_detail else None
        if (edit or copy) and current is None:
            return
        self.dialog = TrainingSessionDialog(self._store, session_id=current if edit else None,
                                            copy_of=current if copy else None, parent=self)
        self.dialog.saved.connect(lambda saved_id: self.reload(select=saved_id))
        self.dialog.saved.connect(lambda _id: self.hub.tell(
            "Session modifiée." if edit else "Session programmée : invitez les tuteurs depuis sa fiche."))
        self.dialog.open()

    def ask_cancel_session(self) -> None:
        d = self.session_detail
        if d is None:
            return
        people = len(trainings.invited_lines(d))
        text = f"Annuler la session « {d.title} » du {format_date(d.session_date)} ?"
        if people:
            stay = ("La personne invitée ou inscrite reste dans la liste : prévenez-la" if people == 1 else
                    f"Les {format_count(people)} personnes invitées ou inscrites restent dans la liste : prévenez-les")
            text += f"\n\n{stay} avec « Écrire aux invités »."
        self._ask("Annuler la session", text, YES | NO,
                  lambda answer: self._cancel_session(d.id) if answer == YES else None)

    def _cancel_session(self, session_id: int) -> None:
        if self._write(lambda s: training_edits.cancel_session(s, session_id)):
            self.panel.show_message("Session annulée.")
            self.reload(select=session_id)

    # -- invitations and registrations ---------------------------------------------------------------------------

    def open_invite_dialog(self) -> None:
        d = self.session_detail
        if d is None:
            return
        self.invite_dialog = InviteDialog(self._store, d.id, d.title, d.session_date, parent=self)
        self.invite_dialog.chosen.connect(self._on_invitees_chosen)
        self.invite_dialog.open()

    def _on_invitees_chosen(self, action: str, rows: tuple[Any, ...]) -> None:
        if action == "register":
            self.register([(r.id, r.full_name, r.is_tutor) for r in rows])
            return
        session_id = self.session_detail.id if self.session_detail else 0
        count = self._write(lambda s: training_edits.invite(s, session_id, [r.id for r in rows]))
        if count is not None:
            self.panel.show_message(f"{plural(count, 'personne invitée')}. Prévenez-les avec « Écrire aux invités » "
                                    "ou exportez la liste pour un publipostage.")
            self.reload(select=session_id)

    def register(self, people: list[tuple[int, str, bool]]) -> None:
        """Register (contact id, name, is tutor) in order; ask first whether those who are not tutors become so."""
        if not people or self.session_detail is None:
            return
        strangers = [name for _id, name, is_tutor in people if not is_tutor]
        if not strangers:
            self._register(people, mark=False)
            return
        if len(strangers) == 1:
            text = f"{strangers[0]} ne figure pas parmi les tuteurs et tutrices : l'y ajouter ?"
        else:
            text = f"{', '.join(strangers)} ne figurent pas parmi les tuteurs et tutrices : les y ajouter ?"
        self._ask("Inscrire", text, YES | NO | CANCEL,
                  lambda answer: self._register(people, mark=answer == YES) if answer != CANCEL else None)

    def _register(self, people: list[tuple[int, str, bool]], *, mark: bool) -> None:
        session_id = self.session_detail.id if self.session_detail else 0

        def write(session: Session) -> training_edits.RegisterOutcome:
            if mark:
                for contact_id, _name, is_tutor in people:
                    if not is_tutor:
                        contacts.mark_as_tutor(session, contact_id)
            return training_edits.register(session, session_id, [p[0] for p in people])

        outcome = self._write(write)
        if outcome is not None:
            parts = [f"{plural_words(len(outcome.registered), 'Inscription', 'Inscriptions')} : "
                     f"{', '.join(outcome.registered)}." if outcome.registered else "",
                     f"Sur liste d'attente (session complète) : {', '.join(outcome.waitlisted)}."
                     if outcome.waitlisted else "",
                     f"{plural(outcome.already, 'personne déjà inscrite')}." if outcome.already else ""]
            self.panel.show_message(" ".join(p for p in parts if p))
            self.reload(select=session_id)

    def cancel_selected_registrations(self) -> None:
        lines = [line for line in self.panel.selected_registrations() if line.is_live]
        if not lines or self.session_detail is None:
            return
        session_id = self.session_detail.id

        def write(session: Session) -> list[str]:
            promoted = [training_edits.cancel_registration(session, line.id) for line in lines]
            return [name for name in promoted if name]

        promoted = self._write(write)
        if promoted is not None:
            count = len(promoted)
            moved = (f" {', '.join(promoted)} {plural_words(count, 'quitte', 'quittent')} la liste d'attente : "
                     f"{plural_words(count, 'place confirmée', 'places confirmées')}.") if promoted else ""
            self.panel.show_message(f"{plural(len(lines), 'inscription annulée')}.{moved}")
            self.reload(select=session_id)

    def set_attendance(self, line: RegistrationLine, attended: bool) -> None:
        session_id = self.session_detail.id if self.session_detail else 0
        if self._write(lambda s: training_edits.set_attendance(s, line.id, attended)) is not None:
            self.reload(select=session_id)

    # -- writing to the invited, exports, documents --------------------------------------------------------------

    def write_to_invited(self) -> None:
        url = trainings.invitation_mailto(self.session_detail) if self.session_detail else None
        if url is None:
            self.panel.show_message("Aucune personne invitée n'a d'adresse électronique.")
            return
        self.open_url(url)

    def open_url(self, url: str) -> bool:
        """Hand a mailto: URL to the user's mail client (the tests replace this)."""
        return QDesktopServices.openUrl(QUrl.fromEncoded(url.encode("ascii")))

    def ask_save_path(self, title: str, suggested: str, filters: str) -> Path | None:
        """The file the user picks (the tests replace this): None when they give up."""
        chosen, _filter = QFileDialog.getSaveFileName(self, title, str(Path.home() / suggested), filters)
        return Path(chosen) if chosen else None

    def export_invitations(self) -> None:
        d = self.session_detail
        if d is None:
            return
        path = self.ask_save_path("Exporter la liste des invités", f"invites-{file_slug(d)}.xlsx",
                                  "Classeur Excel (*.xlsx);;Classeur OpenDocument (*.ods);;"
                                  "Publipostage CSV (*.csv)")
        if path is None:
            return
        if path.suffix.lower() not in (".xlsx", ".ods", ".csv"):
            path = path.with_suffix(".xlsx")
        self._run_document(export_job(d, path), pages=1, label="Export de la liste")

    def save_document(self, kind: str) -> None:
        d = self.session_detail
        if d is None:
            return
        if kind == "attestations" and not d.attendees:
            self.panel.show_message("Aucune présence n'est saisie : cochez d'abord les présents.")
            return
        sheet = kind == "sheet"
        title = "Enregistrer la feuille d'émargement" if sheet else "Enregistrer les attestations de formation"
        name = f"{'emargement' if sheet else 'attestations'}-{file_slug(d)}.pdf"
        path = self.ask_save_path(title, name, "Document PDF (*.pdf)")
        if path is None:
            return
        from poledesk.reports.trainings import attendance_lines, sheet_pages

        pages = sheet_pages(len(attendance_lines(d))) if sheet else len(d.attendees)
        self._run_document(document_job(kind, d.id, path.with_suffix(".pdf")), pages=pages,
                           label="Feuille d'émargement" if sheet else "Attestations de formation")

    def _run_document(self, job: Any, *, pages: int, label: str) -> None:
        """A few pages are made at once; more are made off the UI thread, with a progress dialog and Annuler."""
        if pages <= FEW_PAGES:
            try:
                with self._store.transaction() as session:
                    path = job(session, no_progress)
            except Exception as error:
                self._on_document_failed(error)
                return
            self._on_document_saved(path)
            return
        worker = Worker(self._store, job)
        self.progress_dialog = QProgressDialog(f"{label} en préparation…", "Annuler", 0, pages, self)
        self.progress_dialog.setWindowTitle(label)
        self.progress_dialog.setMinimumDuration(600)
        self.progress_dialog.canceled.connect(worker.cancel)
        worker.signals.progress.connect(lambda done, total, _text: self.progress_dialog.setValue(done))
        worker.signals.succeeded.connect(self._on_document_saved)
        worker.signals.failed.connect(self._on_document_failed)
        worker.signals.cancelled.connect(lambda: self.panel.show_message("Document annulé : rien n'a été écrit."))
        worker.signals.finished.connect(self.progress_dialog.reset)
        self.runner.start(worker)

    def _on_document_saved(self, path: Path) -> None:
        self.panel.show_message(f"Enregistré : {path}")
        self.hub.tell(f"Document enregistré : {path.name}", *file_steps(path), details=str(path.parent))
        if self.session_detail is not None:
            self.reload(select=self.session_detail.id)      # attestations dated
        self.document_saved.emit(path)

    def _on_document_failed(self, error: Exception) -> None:
        from poledesk.reports.trainings import DocumentError

        if isinstance(error, OSError):
            self.message_box = messages.warning(self, "Document", f"Le fichier n'a pas pu être écrit : "
                                                f"{os_error_message(error)} Rien n'a été modifié.")
        elif isinstance(error, (DocumentError, ValidationError)):
            self.message_box = messages.refusal(self, "Document", error)
        else:
            raise error

    # -- plumbing ------------------------------------------------------------------------------------------------

    def _write(self, write: Any) -> Any:
        """write(session) in one transaction; a refusal is shown in French and nothing is written (None back)."""
        try:
            with self._store.transaction() as session:
                result = write(session)
        except ValidationError as error:
            self.message_box = messages.refusal(self, "Formations des tuteurs", error)
            return None
        return True if result is None else result

    def _ask(self, title: str, text: str, buttons: messages.Button, then: Any) -> None:
        self.message_box = messages.question(self, title, text, buttons, then)
