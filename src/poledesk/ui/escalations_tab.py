"""The Sollicitations tab: the schools' requests, most urgent first, coloured by days left, and their files."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QWidget

from poledesk.data import escalations
from poledesk.data.db import Store
from poledesk.data.escalations import (
    CLOSED, OVERDUE, UNDER_15, UNDER_30, EscalationDetail, EscalationRow, EventLine, ProposalLine, PupilInfo,
)
from poledesk.data.text import fold, format_date, format_datetime
from poledesk.ui.detail_panel import Detail, Section, yes_no
from poledesk.ui.list_tab import ListTab
from poledesk.ui.models import Column

# Muted tints, readable in light and dark themes because the text colour is set with them.
URGENCY_COLOURS: dict[str, tuple[QColor, QColor]] = {   # background, text
    OVERDUE: (QColor("#f4d4d1"), QColor("#7a1f1a")),
    UNDER_15: (QColor("#f9dfc4"), QColor("#6e3a08")),
    UNDER_30: (QColor("#f7ecc2"), QColor("#5e4a00")),
}
CLOSED_TEXT = QColor("#767676")
URGENCY_TIPS = {
    OVERDUE: "La période a commencé et l'élève n'a pas de lieu de stage.",
    UNDER_15: "Moins de 15 jours avant le début de la période.",
    UNDER_30: "Moins de 30 jours avant le début de la période.",
    CLOSED: "Sollicitation close.",
}


def _background(row: EscalationRow) -> QColor | None:
    colours = URGENCY_COLOURS.get(row.urgency)
    return colours[0] if colours else None


def _foreground(row: EscalationRow) -> QColor | None:
    colours = URGENCY_COLOURS.get(row.urgency)
    if colours:
        return colours[1]
    return CLOSED_TEXT if row.urgency == CLOSED else None


def _coloured(column: Column) -> Column:
    return replace(column, background=_background, foreground=_foreground,
                   tooltip=lambda r: URGENCY_TIPS.get(r.urgency))


COLUMNS = tuple(_coloured(c) for c in (
    Column("Urgence", lambda r: r.urgency_text, sort_key=lambda r: r.urgency_rank, width=110),
    Column("Début de période", lambda r: format_date(r.period_start), sort_key=lambda r: r.period_start,
           width=105),
    Column("Élève", lambda r: r.pupil, sort_key=lambda r: fold(r.pupil), width=95),
    Column("Établissement", lambda r: r.establishment, sort_key=lambda r: fold(r.establishment), width=180),
    Column("Public", lambda r: r.audience.label, width=130),
    Column("Formation", lambda r: r.formation, sort_key=lambda r: fold(r.formation), width=170),
    Column("Statut", lambda r: r.status.label, width=110),
    Column("Reçue le", lambda r: format_date(r.received_on), sort_key=lambda r: r.received_on, width=90),
))


class EscalationsTab(ListTab):
    """Open escalations by default, sorted by urgency; the check box adds the closed ones."""

    noun = ("sollicitation", "sollicitations")
    placeholder = "Rechercher une sollicitation (élève, établissement, commune, formation, statut)…"
    detail_placeholder = "Sélectionnez une sollicitation pour afficher sa fiche."

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(store, COLUMNS, parent)
        self.closed_check = QCheckBox("Afficher aussi les sollicitations closes")
        self.toolbar.insertWidget(1, self.closed_check)
        self.closed_check.toggled.connect(self.refresh)
        self.refresh()

    def fetch_rows(self, session: Any, text: str) -> list[EscalationRow]:
        return escalations.list_escalations(session, text, open_only=not self.closed_check.isChecked())

    def fetch_detail(self, session: Any, row_id: int) -> Detail | None:
        found = escalations.escalation_detail(session, row_id)
        return escalation_sheet(found) if found else None


def escalation_sheet(e: EscalationDetail) -> Detail:
    """What the panel shows of an escalation, in French; the pupil's identity stays on this laptop."""
    subtitle = " – ".join(x for x in (e.status.label, e.urgency_text) if x)
    return Detail(f"Sollicitation de {e.establishment}", subtitle, (
        _request(e), _pupil(e.pupil), _needs(e),
        Section("Propositions", tuple(_proposal(p) for p in e.proposals), "Aucune proposition pour l'instant."),
        Section("Historique", tuple(_event(ev) for ev in e.events), "Aucun changement de statut enregistré."),
    ))


def _request(e: EscalationDetail) -> Section:
    asked_by = ", ".join(x for x in (e.asked_by_name, e.asked_by_role, e.asked_by_email) if x)
    fields = [("Reçue le", format_date(e.received_on)), ("Demandée par", asked_by),
              ("Établissement", f"{e.establishment} ({e.establishment_uai})"), ("Public", e.audience.label),
              ("Formation", e.formation),
              ("Période", f"du {format_date(e.period_start)} au {format_date(e.period_end)}"),
              ("Statut", f"{e.status.label} ({e.status_reason})" if e.status_reason else e.status.label)]
    if e.urgency != CLOSED:
        fields.append(("Urgence", e.urgency_text))
    fields += [("Issue", e.outcome), ("Close le", format_date(e.closed_on))]
    return Section("Demande", tuple(fields))


def _pupil(p: PupilInfo) -> Section:
    if p.purged_at:
        return Section("Élève", (), f"Données de l'élève purgées le {format_date(p.purged_at)}.")
    born = format_date(p.birth_date)
    if p.age_at_start is not None:
        born += f" ({p.age_at_start} ans au début de la période)"
    fields = [("Prénom", p.first_name), ("Nom", p.last_name), ("Né(e) le", born), ("Classe", p.class_name)]
    if p.age_at_start is None or p.age_at_start < 18:
        contact = "\n".join(x for x in (p.representative_email, p.representative_phone) if x)
        fields += [("Représentant légal", p.representative_name), ("Contact du représentant", contact)]
    return Section("Élève", tuple(fields))


def _needs(e: EscalationDetail) -> Section:
    place = " ".join(x for x in (e.mobility_postcode, e.mobility_commune) if x)
    radius = f"{e.mobility_radius_km} km" if e.mobility_radius_km else ""
    return Section("Besoins", (
        ("Depuis", place), ("Rayon", radius), ("Moyens de transport", e.mobility_means),
        ("Accessibilité (handicap)", yes_no(e.needs_accessibility or e.pupil.has_disability)),
        ("PAI", yes_no(e.needs_pai or e.pupil.has_pai)), ("Précisions", e.pupil.needs)))


def _proposal(p: ProposalLine) -> tuple[str, str]:
    answer = p.answer.label
    if p.answered_on:
        answer += f" le {format_date(p.answered_on)}"
    if p.refusal_reason:
        answer += f" : {p.refusal_reason}"
    contacted = f"Contacté le {format_date(p.contacted_on)} ({p.channel.label.lower()})"
    if p.contact:
        contacted += f", {p.contact}"
    return p.partner, f"{contacted}\n{answer}"


def _event(ev: EventLine) -> tuple[str, str]:
    change = f"{ev.from_status.label} → {ev.to_status.label}" if ev.from_status else ev.to_status.label
    return format_datetime(ev.at), f"{change}\n{ev.reason}".strip()

