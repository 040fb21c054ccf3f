"""The Formations des tuteurs tab: training sessions, upcoming first, with their registrations and attendance."""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from poledesk.data import trainings
from poledesk.data.db import Store
from poledesk.data.enums import TrainingStatus
from poledesk.data.text import fold, format_date
from poledesk.data.trainings import RegistrationLine, SessionDetail, SessionRow
from poledesk.ui.detail_panel import Detail, Section
from poledesk.ui.list_tab import ListTab
from poledesk.ui.models import Column

PAST_TEXT = QColor("#767676")


def format_time(value: time) -> str:
    return f"{value.hour:02d}h{value.minute:02d}"


def hours_text(start: time, end: time) -> str:
    return f"{format_time(start)} – {format_time(end)}"


def _registered_text(row: SessionRow) -> str:
    text = f"{row.registered} / {row.capacity}"
    return f"{text} (+{row.waitlisted} en attente)" if row.waitlisted else text


def _registered_tip(row: SessionRow) -> str | None:
    return f"{row.invited} invitation(s) sans réponse" if row.invited else None


def _attended_text(row: SessionRow) -> str:
    # Attendance is known once the session is held; before that a 0 would read as nobody came.
    return str(row.attended) if row.status == TrainingStatus.HELD else ""


def _muted_if_past(row: SessionRow) -> QColor | None:
    return None if row.upcoming else PAST_TEXT


COLUMNS = tuple(replace(c, foreground=_muted_if_past) for c in (
    Column("Date", lambda r: format_date(r.session_date), sort_key=lambda r: r.session_date, width=85),
    Column("Horaires", lambda r: hours_text(r.start_time, r.end_time), width=100),
    Column("Intitulé", lambda r: r.title, sort_key=lambda r: fold(r.title), width=220),
    Column("Thème", lambda r: r.theme, sort_key=lambda r: fold(r.theme), width=120),
    Column("Lieu", lambda r: r.place, sort_key=lambda r: fold(r.place), width=160),
    Column("Inscrits", _registered_text, sort_key=lambda r: r.registered, tooltip=_registered_tip, width=90),
    Column("Présents", _attended_text, sort_key=lambda r: r.attended, align_right=True, width=65),
    Column("Statut", lambda r: r.status.label, width=80),
))


class TrainingsTab(ListTab):
    """Sessions in the service's order (upcoming soonest first, then past latest first) until a header is clicked."""

    noun = ("session", "sessions")
    placeholder = "Rechercher une session (intitulé, thème, lieu, formateur)…"
    detail_placeholder = "Sélectionnez une session pour afficher ses inscrits."
    default_sort = None

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(store, COLUMNS, parent)
        self.refresh()

    def fetch_rows(self, session: Any, text: str) -> list[SessionRow]:
        return trainings.list_sessions(session, text)

    def fetch_detail(self, session: Any, row_id: int) -> Detail | None:
        found = trainings.session_detail(session, row_id)
        return session_sheet(found) if found else None


def session_sheet(s: SessionDetail) -> Detail:
    """What the panel shows of a training session, in French."""
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
    if r.cancelled_on:
        state = f"Inscription annulée le {format_date(r.cancelled_on)}"
    elif r.waitlisted:
        state = "Sur liste d'attente"
    elif r.registered_on:
        state = f"Inscrit le {format_date(r.registered_on)}"
    elif r.attended:
        state = ""
    else:
        state = f"Invité le {format_date(r.invited_on)}, sans réponse" if r.invited_on else "Invité, sans réponse"
    facts = [r.partner, r.email, state]
    if r.attended:
        facts.append("Présent")
    if r.attestation_issued_on:
        facts.append(f"Attestation délivrée le {format_date(r.attestation_issued_on)}")
    return r.contact, "\n".join(f for f in facts if f)
