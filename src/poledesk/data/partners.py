"""Partners: the rows the Partenaires tab lists, the search over them, and a partner's whole file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from poledesk.data.enums import Audience, HeadcountBand, LegalKind, PartnerStatus, VisitKind
from poledesk.data.models import (
    Contact, Establishment, Formation, HostingOffer, Partner, Registration, Visit, offer_reservation,
)
from poledesk.data.fulltext import partner_ids_matching
from poledesk.data.search import matches_words

LAST_VISITS_SHOWN = 5


@dataclass(frozen=True, slots=True)
class PartnerRow:
    id: int
    name: str
    commune: str
    postcode: str
    siret: str | None
    naf_code: str
    sector: str          # the NAF code's label
    status: PartnerStatus
    contacts: int
    places: int
    last_visit: date | None


@dataclass(frozen=True, slots=True)
class ContactLine:
    id: int
    first_name: str
    last_name: str
    role: str
    phone: str
    email: str
    is_tutor: bool
    consents_to_contact: bool
    trainings_attended: int

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True, slots=True)
class OfferLine:
    id: int
    audience: Audience
    formation: str          # the formation's label, or "" when the offer names a sector
    sector: str
    places: int
    months: tuple[int, ...]
    weeks: str
    max_requests_per_month: int | None
    last_confirmed_on: date | None
    reserved_to: tuple[str, ...]   # establishments' names; empty means open to all
    notes: str


@dataclass(frozen=True, slots=True)
class VisitLine:
    id: int
    visited_on: date
    kind: VisitKind
    who: str
    contact: str
    summary: str
    outcome: str
    next_action: str
    next_action_due: date | None
    next_action_done_on: date | None


@dataclass(frozen=True, slots=True)
class PartnerDetail:
    id: int
    name: str
    siret: str | None
    legal_kind: LegalKind
    naf_code: str
    sector: str
    headcount_band: HeadcountBand | None
    address: str
    postcode: str
    commune: str
    phone: str
    email: str
    website: str
    status: PartnerStatus
    status_reason: str
    representative_name: str
    representative_role: str
    insurer: str
    accepts_disability: bool
    accepts_pai: bool
    min_age: int | None
    requires_protective_equipment: bool
    interview_first: bool
    tags: tuple[str, ...]
    notes: str
    framework_start: date | None
    framework_end: date | None
    contacts: tuple[ContactLine, ...]
    offers: tuple[OfferLine, ...]
    last_visits: tuple[VisitLine, ...]
    visits_total: int


def format_siret(siret: str | None) -> str:
    """'73282932000074' -> '732 829 320 00074' (SIREN by threes, then the NIC); other text is left as is."""
    if not siret:
        return ""
    if len(siret) != 14 or not siret.isdigit():
        return siret
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"


def _partner_list_statement(condition: ColumnElement[bool] | None, limit: int | None) -> Select:
    # One statement; each count is a grouped subquery joined once, never a query per partner. When searching,
    # the subqueries only aggregate the partners found (they walk their partner_id index), not the whole store.
    found = None
    if condition is not None:
        found = select(Partner.id).where(Partner.deleted_at.is_(None), condition)

    def live(model: type[Contact | HostingOffer | Visit]) -> list[ColumnElement[bool]]:
        clauses = [model.deleted_at.is_(None)]
        return clauses if found is None else [*clauses, model.partner_id.in_(found)]

    contacts = (select(Contact.partner_id, func.count().label("n"))
                .where(*live(Contact)).group_by(Contact.partner_id).subquery())
    offers = (select(HostingOffer.partner_id, func.sum(HostingOffer.places).label("places"))
              .where(*live(HostingOffer)).group_by(HostingOffer.partner_id).subquery())
    visits = (select(Visit.partner_id, func.max(Visit.visited_on).label("last"))
              .where(*live(Visit)).group_by(Visit.partner_id).subquery())
    stmt = (select(Partner.id, Partner.name, Partner.commune, Partner.postcode, Partner.siret, Partner.naf_code,
                   Partner.sector, Partner.status, func.coalesce(contacts.c.n, 0),
                   func.coalesce(offers.c.places, 0), visits.c.last)
            .outerjoin(contacts, contacts.c.partner_id == Partner.id)
            .outerjoin(offers, offers.c.partner_id == Partner.id)
            .outerjoin(visits, visits.c.partner_id == Partner.id)
            .where(Partner.deleted_at.is_(None))
            .order_by(Partner.search_key, Partner.id))
    if condition is not None:
        stmt = stmt.where(condition)
    return stmt.limit(limit) if limit is not None else stmt


def partner_matches(text: str) -> ColumnElement[bool] | None:
    """Every word of `text` is found, accents and case ignored: by the full-text index (word prefixes in the
    name, commune, postcode, SIRET, sector, contacts' names, tags) or inside the search key (any part of a
    word: 'prouve' finds 'Jean-Prouvé', '8293' a SIRET). None for an empty query."""
    conditions = [c for c in (partner_ids_matching(text), matches_words(Partner.search_key, text)) if c is not None]
    return or_(*conditions) if conditions else None


def search_partners(session: Session, text: str = "", *, limit: int | None = None) -> list[PartnerRow]:
    """Live partners matching `text` (see partner_matches), in name order; all of them for an empty text."""
    stmt = _partner_list_statement(partner_matches(text), limit)
    return [PartnerRow(*row) for row in session.execute(stmt)]


def count_partners(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Partner).where(Partner.deleted_at.is_(None))) or 0


def partner_detail(session: Session, partner_id: int) -> PartnerDetail | None:
    """A partner's whole file (contacts, offers, last visits), or None if it does not exist or was deleted."""
    partner = session.get(Partner, partner_id)
    if partner is None or partner.deleted_at is not None:
        return None
    visits = _last_visits(session, partner_id)
    visits_total = session.scalar(select(func.count()).select_from(Visit)
                                  .where(Visit.partner_id == partner_id, Visit.deleted_at.is_(None))) or 0
    return PartnerDetail(
        partner.id, partner.name, partner.siret, partner.legal_kind, partner.naf_code, partner.sector,
        partner.headcount_band,
        partner.address, partner.postcode, partner.commune, partner.phone, partner.email, partner.website,
        partner.status, partner.status_reason, partner.representative_name, partner.representative_role,
        partner.insurer, partner.accepts_disability, partner.accepts_pai, partner.min_age,
        partner.requires_protective_equipment, partner.interview_first,
        tuple(t.strip() for t in partner.tags.split(";") if t.strip()), partner.notes,
        partner.framework_start, partner.framework_end,
        _contacts(session, partner_id), _offers(session, partner_id), visits, visits_total)


def _contacts(session: Session, partner_id: int) -> tuple[ContactLine, ...]:
    attended = (select(Registration.contact_id, func.count().label("n"))
                .where(Registration.attended.is_(True), Registration.deleted_at.is_(None))
                .group_by(Registration.contact_id).subquery())
    stmt = (select(Contact.id, Contact.first_name, Contact.last_name, Contact.role, Contact.phone, Contact.email,
                   Contact.is_tutor, Contact.consents_to_contact, func.coalesce(attended.c.n, 0))
            .outerjoin(attended, attended.c.contact_id == Contact.id)
            .where(Contact.partner_id == partner_id, Contact.deleted_at.is_(None))
            .order_by(Contact.last_name, Contact.first_name))
    return tuple(ContactLine(*row) for row in session.execute(stmt))


def _offers(session: Session, partner_id: int) -> tuple[OfferLine, ...]:
    stmt = (select(HostingOffer, Formation.label).outerjoin(Formation, Formation.id == HostingOffer.formation_id)
            .where(HostingOffer.partner_id == partner_id, HostingOffer.deleted_at.is_(None))
            .order_by(HostingOffer.audience, HostingOffer.id))
    offers = session.execute(stmt).all()
    reserved = _reservations(session, [offer.id for offer, _ in offers])
    return tuple(
        OfferLine(offer.id, offer.audience, label or "", offer.sector, offer.places, tuple(offer.month_numbers),
                  offer.weeks, offer.max_requests_per_month, offer.last_confirmed_on,
                  tuple(reserved.get(offer.id, ())), offer.notes)
        for offer, label in offers)


def _reservations(session: Session, offer_ids: list[int]) -> dict[int, list[str]]:
    if not offer_ids:
        return {}
    stmt = (select(offer_reservation.c.offer_id, Establishment.name)
            .join(Establishment, Establishment.id == offer_reservation.c.establishment_id)
            .where(offer_reservation.c.offer_id.in_(offer_ids)).order_by(Establishment.name))
    reserved: dict[int, list[str]] = {}
    for offer_id, name in session.execute(stmt):
        reserved.setdefault(offer_id, []).append(name)
    return reserved


def _last_visits(session: Session, partner_id: int) -> tuple[VisitLine, ...]:
    contact_name = func.trim(Contact.first_name + " " + Contact.last_name)
    stmt = (select(Visit.id, Visit.visited_on, Visit.kind, Visit.who, func.coalesce(contact_name, ""),
                   Visit.summary, Visit.outcome, Visit.next_action, Visit.next_action_due, Visit.next_action_done_on)
            .outerjoin(Contact, Contact.id == Visit.contact_id)
            .where(Visit.partner_id == partner_id, Visit.deleted_at.is_(None))
            .order_by(Visit.visited_on.desc(), Visit.id.desc()).limit(LAST_VISITS_SHOWN))
    return tuple(VisitLine(*row) for row in session.execute(stmt))
