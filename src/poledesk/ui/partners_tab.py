"""The Partenaires tab: find a partner and read its file (identity, hosting, contacts, offers, visits)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from poledesk.data import partners
from poledesk.data.db import Store
from poledesk.data.partners import ContactLine, OfferLine, PartnerDetail, PartnerRow, VisitLine, format_siret
from poledesk.data.text import fold, format_date
from poledesk.ui.detail_panel import Detail, Section, yes_no
from poledesk.ui.list_tab import ListTab
from poledesk.ui.models import Column

MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


COLUMNS = (
    Column("Nom", lambda r: r.name, sort_key=lambda r: fold(r.name), width=230),
    Column("Commune", lambda r: r.commune, sort_key=lambda r: fold(r.commune), width=140),
    Column("Code postal", lambda r: r.postcode, width=85),
    Column("SIRET", lambda r: format_siret(r.siret), sort_key=lambda r: r.siret or "", width=135),
    Column("Secteur", lambda r: r.naf_code, width=65, tooltip=lambda r: r.sector or None),
    Column("Statut", lambda r: r.status.label, width=110),
    Column("Contacts", lambda r: str(r.contacts), sort_key=lambda r: r.contacts, align_right=True, width=70),
    Column("Places offertes", lambda r: str(r.places), sort_key=lambda r: r.places, align_right=True,
           width=100),
    Column("Dernière visite", lambda r: format_date(r.last_visit), sort_key=lambda r: r.last_visit, width=110),
)


class PartnersTab(ListTab):
    """Partners found by name, commune, postcode, SIRET, NAF code or tag, accents and case ignored."""

    noun = ("partenaire", "partenaires")
    placeholder = "Rechercher un partenaire (nom, commune, SIRET, étiquette)…"
    detail_placeholder = "Sélectionnez un partenaire pour afficher sa fiche."

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(store, COLUMNS, parent)
        self.refresh()

    def fetch_rows(self, session: Any, text: str) -> list[PartnerRow]:
        return partners.search_partners(session, text)

    def fetch_detail(self, session: Any, row_id: int) -> Detail | None:
        found = partners.partner_detail(session, row_id)
        return partner_sheet(found) if found else None


def partner_sheet(p: PartnerDetail) -> Detail:
    """What the panel shows of a partner, in French."""
    return Detail(p.name, p.status.label, (
        _identity(p),
        Section("Coordonnées", (
            ("Adresse", "\n".join(x for x in (p.address, f"{p.postcode} {p.commune}".strip()) if x)),
            ("Téléphone", p.phone), ("Courriel", p.email), ("Site web", p.website))),
        Section("Accueil", (
            ("Accueille des élèves en situation de handicap", yes_no(p.accepts_disability)),
            ("Accueille des élèves avec un PAI", yes_no(p.accepts_pai)),
            ("Âge minimum", f"{p.min_age} ans" if p.min_age else ""),
            ("Équipements de protection", "Exigés" if p.requires_protective_equipment else "Non"),
            ("Entretien préalable", yes_no(p.interview_first)))),
        Section("Contacts", tuple(_contact(c) for c in p.contacts), "Aucun contact."),
        Section("Offres", tuple(_offer(o) for o in p.offers), "Aucune offre d'accueil."),
        Section(_visits_title(p), tuple(_visit(v) for v in p.last_visits), "Aucune visite ni échange."),
    ))


def _identity(p: PartnerDetail) -> Section:
    framework = ""
    if p.framework_start or p.framework_end:
        framework = f"du {format_date(p.framework_start) or '?'} au {format_date(p.framework_end) or '?'}"
    status = f"{p.status.label} ({p.status_reason})" if p.status_reason else p.status.label
    representative = ", ".join(x for x in (p.representative_name, p.representative_role) if x)
    naf = " – ".join(x for x in (p.naf_code, p.sector) if x)
    return Section("Identité", (
        ("Nom", p.name), ("SIRET", format_siret(p.siret)), ("Forme juridique", p.legal_kind.label),
        ("Code NAF", naf), ("Effectif", p.headcount_band.label if p.headcount_band else ""),
        ("Statut", status), ("Représentant", representative), ("Assureur", p.insurer),
        ("Convention-cadre", framework), ("Étiquettes", ", ".join(p.tags)), ("Notes", p.notes)))


def _contact(c: ContactLine) -> tuple[str, str]:
    facts = [c.role, "tuteur ou tutrice" if c.is_tutor else "", c.phone, c.email]
    if c.trainings_attended:
        facts.append(f"{c.trainings_attended} formation{'s' if c.trainings_attended > 1 else ''} suivie"
                     f"{'s' if c.trainings_attended > 1 else ''}")
    if not c.consents_to_contact:
        facts.append("ne souhaite pas être sollicité")
    return c.full_name, "\n".join(f for f in facts if f)


def _offer(o: OfferLine) -> tuple[str, str]:
    facts = [f"{o.places} place{'s' if o.places > 1 else ''}", o.formation or o.sector]
    if o.months:
        facts.append("Mois : " + ", ".join(MONTHS[m - 1] for m in o.months if 1 <= m <= 12))
    if o.weeks:
        facts.append(f"Semaines : {o.weeks}")
    if o.max_requests_per_month:
        facts.append(f"Au plus {o.max_requests_per_month} demande(s) par mois")
    facts.append("Réservée à : " + ", ".join(o.reserved_to) if o.reserved_to else "Ouverte à tous les établissements")
    if o.last_confirmed_on:
        facts.append(f"Confirmée le {format_date(o.last_confirmed_on)}")
    facts.append(o.notes)
    return o.audience.label, "\n".join(f for f in facts if f)


def _visits_title(p: PartnerDetail) -> str:
    if p.visits_total > len(p.last_visits):
        return f"Dernières visites ({len(p.last_visits)} sur {p.visits_total})"
    return "Dernières visites"


def _visit(v: VisitLine) -> tuple[str, str]:
    facts = [", ".join(x for x in (v.who, v.contact) if x), v.summary,
             f"Résultat : {v.outcome}" if v.outcome else ""]
    if v.next_action:
        due = f" (pour le {format_date(v.next_action_due)})" if v.next_action_due else ""
        done = f", faite le {format_date(v.next_action_done_on)}" if v.next_action_done_on else ""
        facts.append(f"Suite : {v.next_action}{due}{done}")
    return f"{format_date(v.visited_on)} – {v.kind.label}", "\n".join(f for f in facts if f)
