"""The Formations des tuteurs tab's side panel: a session's registrations with attendance ticks, and its file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from poledesk.data import Session
from poledesk.data.enums import TrainingStatus
from poledesk.data.progress import Progress
from poledesk.data.text import fold, format_date, plural
from poledesk.data.trainings import edits as training_edits
from poledesk.data.trainings import listing as trainings
from poledesk.data.trainings.listing import RegistrationLine, SessionDetail, hours_text
from poledesk.ui.widgets.detail_panel import Detail, DetailPanel, Section
from poledesk.ui.widgets.models import CheckableRowModel, Column, RowSortProxy
from poledesk.ui.widgets.table_fit import ColumnFitter

MUTED = QColor("#767676")
HINT_STYLE = "color: palette(placeholder-text);"


def registration_state(r: RegistrationLine, rank: int | None = None) -> str:
    """Where a registration stands, in French: 'Inscrit le 03/11/2026', "Liste d'attente (2e)"…"""
    if r.cancelled_on:
        return f"Inscription annulée le {format_date(r.cancelled_on)}"
    if r.waitlisted:
        return f"Liste d'attente ({rank}{'re' if rank == 1 else 'e'})" if rank else "Sur liste d'attente"
    if r.registered_on:
        return f"Inscrit le {format_date(r.registered_on)}"
    if r.attended:
        return "Venu sans inscription"
    return f"Invité le {format_date(r.invited_on)}" if r.invited_on else "Invité, sans réponse"


class SessionPanel(DetailPanel):
    """Two pages: "Inscrits et présences" (what the animateur acts on) and the session's Fiche (DetailPanel's)."""

    registrations: QWidget | None = None   # built after DetailPanel's __init__, which already shows the placeholder

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(placeholder, parent)
        self.session: SessionDetail | None = None
        self._ranks: dict[int, int] = {}
        self._attendance_open = False
        layout = self.layout()
        assert layout is not None   # DetailPanel lays itself out
        layout.removeWidget(self.scroll_area)
        self.pages = QTabWidget()
        self.registrations = self._build_registrations()
        self.pages.addTab(self.registrations, "Inscrits et présences")
        self.pages.addTab(self.scroll_area, "Fiche de la session")
        layout.addWidget(self.pages)
        self.show_session(None, date.today())

    def _build_registrations(self) -> QWidget:
        page = QWidget()
        self.heading_label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        font = self.heading_label.font()
        font.setBold(True)
        self.heading_label.setFont(font)
        self.summary_label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.attendance_hint = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.attendance_hint.setStyleSheet(HINT_STYLE)
        self.message_label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = CheckableRowModel(self._columns(), lambda r: r.attended, check_column=3,
                                       can_check=lambda r: self._attendance_open and r.is_live, parent=self)
        self.proxy = RowSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        for section, column in enumerate(self.model.columns):
            self.table.horizontalHeader().resizeSection(section, column.width or 100)
        self.fitter = ColumnFitter(self.table, {s: c.width or 100 for s, c in enumerate(self.model.columns)})
        self.invite_button = QPushButton("Inviter des tuteurs…")
        self.invite_button.setToolTip("Choisir les tuteurs du réseau à inviter à cette session")
        self.register_button = QPushButton("Inscrire")
        self.register_button.setToolTip("Inscrire les invités sélectionnés qui ont répondu")
        self.unregister_button = QPushButton("Annuler l'inscription")
        self.unregister_button.setToolTip("Retirer les personnes sélectionnées des inscrits")
        self.mail_button = QPushButton("Écrire aux invités")
        self.mail_button.setToolTip("Préparer un courriel à tous les invités et inscrits de la session")
        self.export_button = QPushButton("Exporter la liste…")
        self.export_button.setToolTip("La liste des invités et des inscrits dans un classeur")
        self.sheet_button = QPushButton("Feuille d'émargement…")
        self.sheet_button.setToolTip("La feuille à faire signer le jour de la session, en PDF")
        self.attestations_button = QPushButton("Attestations…")
        self.attestations_button.setToolTip("Une attestation de formation par personne présente, en PDF")
        self.register_button.setToolTip("Inscrire les personnes invitées sélectionnées (liste d'attente si complet)")
        self.mail_button.setToolTip("Ouvrir votre messagerie avec les invités en copie cachée")
        buttons = QGridLayout()
        for index, button in enumerate((self.invite_button, self.register_button, self.unregister_button,
                                        self.mail_button, self.export_button, self.sheet_button,
                                        self.attestations_button)):
            buttons.addWidget(button, index // 4, index % 4)
        layout = QVBoxLayout(page)
        for widget in (self.heading_label, self.summary_label, self.attendance_hint):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message_label)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        return page

    def _columns(self) -> tuple[Column, ...]:
        def muted(r: RegistrationLine) -> QColor | None:
            return MUTED if r.cancelled_on else None

        return tuple(Column(c.header, c.text, sort_key=c.sort_key, foreground=muted, width=c.width) for c in (
            Column("Nom", lambda r: r.contact, sort_key=lambda r: (fold(r.last_name), fold(r.first_name)),
                   width=150),
            Column("Structure", lambda r: r.partner, sort_key=lambda r: fold(r.partner), width=160),
            Column("État", lambda r: registration_state(r, self._ranks.get(r.id)), width=170),
            Column("Présent", lambda r: "", sort_key=lambda r: r.attended, width=60),
            Column("Attestation", lambda r: format_date(r.attestation_issued_on),
                   sort_key=lambda r: r.attestation_issued_on, width=85),
        ))

    def show_detail(self, detail: Detail | None, *, message: str | None = None) -> None:
        super().show_detail(detail, message=message)
        if detail is None and self.registrations is not None:
            self.show_session(None, date.today())

    def show_session(self, s: SessionDetail | None, today: date) -> None:
        """Show a session's registrations (or nothing), with the attendance ticks open only when the rule allows."""
        if s is None or self.session is None or s.id != self.session.id:
            self.message_label.clear()
        self.session = s
        waiting = [r.id for r in s.registrations if r.waitlisted and r.is_live] if s else []
        self._ranks = {rid: rank for rank, rid in enumerate(waiting, start=1)}
        refusal = training_edits.attendance_refusal(s.status, s.session_date, today) if s else None
        self._attendance_open = s is not None and refusal is None
        self.model.set_rows(s.registrations if s else [])
        self.heading_label.setText(f"{s.title} – {format_date(s.session_date)}" if s else "Aucune session choisie.")
        self.summary_label.setText(_summary(s) if s else "")
        self.attendance_hint.setText(refusal or ("Cochez la colonne « Présent » pour chaque personne venue." if s
                                                 else ""))
        self._enable()

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)

    def selected_registrations(self) -> list[RegistrationLine]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.proxy.row_at(row) for row in rows]

    def selected_lines(self) -> list[tuple[int, str, bool]]:
        """The selected invited (or cancelled) people to register: (contact id, name, is tutor)."""
        return [(r.contact_id, r.contact, r.is_tutor) for r in self.selected_registrations()
                if not r.is_registered and not r.waitlisted]

    def _enable(self) -> None:
        s, selected = self.session, self.selected_registrations() if self.session else []
        open_ = s is not None and s.status is not TrainingStatus.CANCELLED
        live = trainings.invited_lines(s) if s else ()
        self.invite_button.setEnabled(open_ and s is not None and s.session_date >= date.today())
        self.register_button.setEnabled(open_ and any(not r.is_registered and not r.waitlisted for r in selected))
        self.unregister_button.setEnabled(any(r.is_live and not r.attended for r in selected))
        self.mail_button.setEnabled(any(r.email for r in live))
        self.export_button.setEnabled(bool(live))
        self.sheet_button.setEnabled(open_)
        self.attestations_button.setEnabled(s is not None and bool(s.attendees))


def _summary(s: SessionDetail) -> str:
    parts = [f"{plural(s.registered, 'inscrit')} sur {plural(s.capacity, 'place')}"]
    if s.waitlisted:
        parts.append(f"{s.waitlisted} en liste d'attente")
    if s.invited:
        parts.append(plural(s.invited, "invitation sans réponse", "invitations sans réponse"))
    if s.attended:
        parts.append(plural(s.attended, "présent"))
    status = "" if s.status is TrainingStatus.PLANNED else f" – session {s.status.label.lower()}"
    return " · ".join(parts) + status


def export_job(s: SessionDetail, path: Path) -> Callable[[Session, Progress], Path]:
    """job(session, progress) writing the invitation list: a workbook (.xlsx, .ods), or the mail-merge CSV."""

    def job(_session: Session, _progress: Progress) -> Path:
        from poledesk.reports import trainings as documents

        return documents.write_document(path, documents.invitation_file(s, path.suffix))

    return job


def file_slug(s: SessionDetail) -> str:
    """'2027-01-14-reussir-le-stage-de-seconde': the date and the title, for a file's name."""
    words = "".join(c if c.isalnum() else " " for c in fold(s.title)).split()
    return f"{s.session_date:%Y-%m-%d}-{'-'.join(words)[:40].strip('-')}"


def document_job(kind: str, session_id: int, path: Path) -> Callable[[Session, Progress], Path]:
    """job(session, progress) making the attendance sheet or the attestations (dated in the same transaction)
    and writing the file; safe on a worker thread (no widget touched)."""

    def job(session: Session, progress: Progress) -> Path:
        from poledesk.reports import trainings as documents

        doc = documents.training_document(session, session_id)
        if kind == "sheet":
            data = documents.render_attendance_sheet(doc, progress=progress)
        else:
            data = documents.render_attestations(doc, progress=progress)
            training_edits.mark_attestations_issued(session, session_id)
        return documents.write_document(path, data)

    return job


def session_sheet(s: SessionDetail) -> Detail:
    """What the panel's Fiche shows of a training session, in French."""
    subtitle = f"{format_date(s.session_date)}, {hours_text(s.start_time, s.end_time)} – {s.status.label}"
    attended = str(s.attended) if s.status == TrainingStatus.HELD else ""
    return Detail(s.title, subtitle, (
        Section("Session", (
            ("Thème", s.theme), ("Date", format_date(s.session_date)),
            ("Horaires", hours_text(s.start_time, s.end_time)), ("Lieu", s.place), ("Formateur", s.trainer),
            ("Inscrits", f"{s.registered} / {s.capacity}"), ("Présents", attended), ("Statut", s.status.label),
            ("Notes", s.notes))),
        Section("Inscriptions", tuple(_registration(r) for r in s.registrations), "Aucune inscription."),
    ))


def _registration(r: RegistrationLine) -> tuple[str, str]:
    facts = [r.partner, r.email, registration_state(r)]
    if r.attended:
        facts.append("Présent")
    if r.attestation_issued_on:
        facts.append(f"Attestation délivrée le {format_date(r.attestation_issued_on)}")
    return r.contact, "\n".join(f for f in facts if f)
