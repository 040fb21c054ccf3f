"""Candidate partners for an escalation: the facts gathered from the store in a few queries, then ranked."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from poledesk.data import communes, geo
from poledesk.data.enums import ConventionStatus, PartnerStatus, ProposalAnswer
from poledesk.data.escalations.matching import (
    SAME_DEPARTEMENT,
    Candidate,
    Need,
    Offer,
    Ranked,
    Where,
    distance_tier,
    max_distance_for_radius,
    rank_candidates,
)
from poledesk.data.escalations.sectors import formation_activities
from poledesk.data.models import (
    Contact,
    Escalation,
    HostingOffer,
    Partner,
    Placement,
    Proposal,
    Registration,
    offer_reservation,
)
from poledesk.data.pupils import age_on


@lru_cache(maxsize=4096)
def where_of(postcode: str, commune: str) -> Where:
    """Where a postcode and commune lie; cached, as a pole's partners share a few hundred communes and
    locating one folds every commune name of its postcode."""
    place = communes.locate(postcode, commune) if postcode and commune else None
    if place is None:
        return Where(commune, departement=postcode[:2] if postcode else "")
    point = geo.commune_point(place.insee)
    return Where(place.name, place.insee, place.epci, place.departement,
                 lat=point[0] if point else None, lon=point[1] if point else None)


def need_of(escalation: Escalation) -> Need:
    school = escalation.establishment
    postcode = escalation.mobility_postcode or school.postcode
    commune = escalation.mobility_commune or school.commune
    birth = escalation.pupil.birth_date
    return Need(audience=escalation.audience, formation_id=escalation.formation_id,
                establishment_id=escalation.establishment_id, period_start=escalation.period_start,
                period_end=escalation.period_end, where=where_of(postcode, commune),
                max_distance=max_distance_for_radius(escalation.mobility_radius_km),
                pupil_age=age_on(birth, escalation.period_start) if birth else None,
                needs_accessibility=escalation.needs_accessibility, needs_pai=escalation.needs_pai,
                activities=formation_activities(escalation.formation.label) if escalation.formation else (),
                wished_sections=tuple(s for s in escalation.wished_sectors.split(",") if s))


def escalation_candidates(session: Session, escalation_id: int, *, today: date | None = None) -> list[Ranked]:
    """Partners that could host this escalation's pupil, best first, with their reasons."""
    today = today or date.today()
    escalation = session.get(Escalation, escalation_id)
    if escalation is None:
        return []
    need = need_of(escalation)
    partners = _partners_with_offers(session, need)
    # Those beyond the pupil's reach would be excluded by the ranking anyway: dropping them before the other
    # queries keeps them small (a département holds a thousand partners, an intercommunalité a hundred).
    places = {partner_id: where_of(p.postcode, p.commune) for partner_id, p in partners.items()}
    partners = {partner_id: p for partner_id, p in partners.items()
                if distance_tier(need.where, places[partner_id]) <= need.max_distance}
    if not partners:
        return []
    ids = list(partners)
    offers = _offers(session, need, ids)
    facts = _placement_facts(session, need, ids)
    trained = _trained_tutors(session, ids)
    refusals, requests = _proposal_facts(session, escalation_id, ids, today)
    candidates = []
    for partner_id, partner in partners.items():
        in_period, signed, cancelled = facts.get(partner_id, (0, 0, 0))
        refused_here, other_refusals = refusals.get(partner_id, (False, 0))
        candidates.append(Candidate(
            partner_id=partner_id, name=partner.name, where=places[partner_id],
            status=partner.status, offers=tuple(o for o, _ in offers.get(partner_id, ())),
            placements_in_period=in_period, min_age=partner.min_age, accepts_disability=partner.accepts_disability,
            accepts_pai=partner.accepts_pai, has_trained_tutor=partner_id in trained, signed_placements=signed,
            cancelled_placements=cancelled, refused_this_escalation=refused_here, other_refusals=other_refusals,
            requests_this_month=requests.get(partner_id, 0),
            max_requests_per_month=min((m for _, m in offers.get(partner_id, ()) if m), default=None),
            naf_code=partner.naf_code))
    ranked = rank_candidates(need, candidates)
    # Whom to call, for the partners kept only: the contacts of those excluded are never read.
    callees = _contacts_to_call(session, [r.partner_id for r in ranked])
    return [replace(r, contact=callees.get(r.partner_id, ("", ""))[0],
                    phone=callees.get(r.partner_id, ("", ""))[1] or partners[r.partner_id].phone) for r in ranked]


class _PartnerFacts(NamedTuple):
    name: str
    postcode: str
    commune: str
    status: PartnerStatus
    min_age: int | None
    accepts_disability: bool
    accepts_pai: bool
    naf_code: str
    phone: str


def _partners_with_offers(session: Session, need: Need) -> dict[int, _PartnerFacts]:
    """Live partners not marked « ne plus solliciter » with a live offer for the audience, near enough to test.

    Plain columns, not ORM objects: at an académie's scale a thousand partners qualify, and building their
    entities cost more than ranking them. (The later queries take their ids as a list: measured, an IN over a
    subquery of this one was slower in SQLite than binding the thousand ids.)
    """
    stmt = (select(Partner.id, Partner.name, Partner.postcode, Partner.commune, Partner.status, Partner.min_age,
                   Partner.accepts_disability, Partner.accepts_pai, Partner.naf_code, Partner.phone).where(
        Partner.deleted_at.is_(None), Partner.status != PartnerStatus.DO_NOT_CONTACT,
        Partner.id.in_(select(HostingOffer.partner_id).where(HostingOffer.audience == need.audience,
                                                             HostingOffer.deleted_at.is_(None),
                                                             HostingOffer.places > 0))))
    if need.max_distance <= SAME_DEPARTEMENT and need.where.departement[:2].isdigit():
        stmt = stmt.where(Partner.postcode.startswith(need.where.departement[:2]))
    return {row[0]: _PartnerFacts._make(row[1:]) for row in session.execute(stmt)}


def _offers(session: Session, need: Need, ids: list[int]) -> dict[int, list[tuple[Offer, int | None]]]:
    reserved: dict[int, list[int]] = defaultdict(list)
    stmt = (select(offer_reservation.c.offer_id, offer_reservation.c.establishment_id)
            .join(HostingOffer, HostingOffer.id == offer_reservation.c.offer_id)
            .where(HostingOffer.partner_id.in_(ids)))
    for offer_id, establishment_id in session.execute(stmt):
        reserved[offer_id].append(establishment_id)
    found: dict[int, list[tuple[Offer, int | None]]] = defaultdict(list)
    rows = session.execute(select(HostingOffer.id, HostingOffer.partner_id, HostingOffer.audience,
                                  HostingOffer.formation_id, HostingOffer.places, HostingOffer.months,
                                  HostingOffer.max_requests_per_month)
                           .where(HostingOffer.partner_id.in_(ids), HostingOffer.deleted_at.is_(None),
                                  HostingOffer.audience == need.audience))
    for offer_id, partner_id, audience, formation_id, places, months, max_requests in rows:
        month_numbers = tuple(int(m) for m in months.split(",") if m.strip())
        found[partner_id].append((Offer(audience, formation_id, places, month_numbers,
                                        tuple(reserved.get(offer_id, ()))), max_requests))
    return found


def _placement_facts(session: Session, need: Need, ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """partner -> (placements overlapping the period, placements signed, placements cancelled)."""
    live = Placement.convention_status != ConventionStatus.CANCELLED
    overlapping = and_(live, Placement.start_date <= need.period_end, Placement.end_date >= need.period_start)
    signed = Placement.convention_status.in_((ConventionStatus.SIGNED, ConventionStatus.SIGNED_OUTSIDE))
    cancelled = Placement.convention_status == ConventionStatus.CANCELLED
    stmt = (select(Placement.partner_id, func.sum(case((overlapping, 1), else_=0)),
                   func.sum(case((signed, 1), else_=0)), func.sum(case((cancelled, 1), else_=0)))
            .where(Placement.partner_id.in_(ids), Placement.deleted_at.is_(None)).group_by(Placement.partner_id))
    return {row[0]: (int(row[1] or 0), int(row[2] or 0), int(row[3] or 0)) for row in session.execute(stmt)}


def _contacts_to_call(session: Session, ids: list[int]) -> dict[int, tuple[str, str]]:
    """partner -> (name, phone) of the person to call: a tutor before other contacts, one with a phone first;
    contacts who refused to be contacted are left out."""
    if not ids:
        return {}
    stmt = (select(Contact.partner_id, Contact.id, Contact.is_tutor, Contact.first_name, Contact.last_name,
                   Contact.phone)
            .where(Contact.partner_id.in_(ids), Contact.deleted_at.is_(None), Contact.consents_to_contact.is_(True)))
    best: dict[int, tuple[tuple[bool, bool, int], str, str]] = {}
    for partner_id, contact_id, is_tutor, first_name, last_name, phone in session.execute(stmt):
        rank = (not is_tutor, not phone, contact_id)
        if partner_id not in best or rank < best[partner_id][0]:
            best[partner_id] = (rank, f"{first_name} {last_name}".strip(), phone)
    return {partner_id: (name, phone) for partner_id, (_rank, name, phone) in best.items()}


def _trained_tutors(session: Session, ids: list[int]) -> set[int]:
    stmt = (select(Contact.partner_id).join(Registration, Registration.contact_id == Contact.id)
            .where(Contact.partner_id.in_(ids), Contact.is_tutor.is_(True), Contact.deleted_at.is_(None),
                   Registration.attended.is_(True), Registration.deleted_at.is_(None)).distinct())
    return set(session.scalars(stmt))


def _proposal_facts(session: Session, escalation_id: int, ids: list[int],
                    today: date) -> tuple[dict[int, tuple[bool, int]], dict[int, int]]:
    """partner -> (refused this escalation, other refusals within a year); partner -> requests this month."""
    year_ago, month_start = today - timedelta(days=365), today.replace(day=1)
    refusals: dict[int, tuple[bool, int]] = {}
    requests: dict[int, int] = defaultdict(int)
    stmt = select(Proposal.partner_id, Proposal.escalation_id, Proposal.answer, Proposal.contacted_on).where(
        Proposal.partner_id.in_(ids), Proposal.deleted_at.is_(None), Proposal.contacted_on >= year_ago)
    for partner_id, proposal_escalation, answer, contacted_on in session.execute(stmt):
        here, others = refusals.get(partner_id, (False, 0))
        if answer is ProposalAnswer.REFUSED:
            if proposal_escalation == escalation_id:
                here = True
            else:
                others += 1
        refusals[partner_id] = (here, others)
        if contacted_on >= month_start:
            requests[partner_id] += 1
    return refusals, requests
