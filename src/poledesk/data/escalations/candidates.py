"""Candidate partners for an escalation: the facts gathered from the store in a few queries, then ranked."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple, cast

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
from poledesk.data.models import Escalation
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
    # The facts are read with plain SQL on the session's own connection (same transaction): at an académie's
    # scale a thousand partners qualify, and the ORM's per-row work (rows, enum and date conversions, an
    # expanding IN of a thousand ids) cost more than the queries and the ranking together.
    # (sqlcipher3's connection is the DB-API sqlite3 one, for an encrypted store.) The ORM would flush pending
    # changes before its own queries: so does this, for a caller that edits then ranks in one transaction.
    session.flush()
    cursor = cast(sqlite3.Connection, session.connection().connection.driver_connection)
    partners, places = _partners_in_reach(cursor, need)
    if not partners:
        return []
    ids = json.dumps(list(partners))
    offers = _offers(cursor, need, ids)
    facts = _placement_facts(cursor, need, ids)
    trained = _trained_tutors(cursor, ids)
    proposals = _proposal_facts(cursor, escalation_id, ids, today)
    candidates = []
    for partner_id, partner in partners.items():
        in_period, signed, cancelled = facts.get(partner_id, (0, 0, 0))
        refused_here, other_refusals, requests = proposals.get(partner_id, (False, 0, 0))
        partner_offers, max_requests = offers.get(partner_id, ((), None))
        candidates.append(Candidate(
            partner_id, partner.name, places[partner_id], _STATUSES[partner.status], partner_offers,
            in_period, partner.min_age, bool(partner.accepts_disability), bool(partner.accepts_pai),
            partner_id in trained, signed, cancelled, refused_here, other_refusals, requests, max_requests,
            partner.naf_code))
    ranked = rank_candidates(need, candidates)
    # Whom to call, for the partners kept only: the contacts of those excluded are never read.
    callees = _contacts_to_call(cursor, [r.partner_id for r in ranked])
    calls = [(r, callees.get(r.partner_id, ("", ""))) for r in ranked]
    return [r.calling(contact, phone or partners[r.partner_id].phone) for r, (contact, phone) in calls]


_STATUSES = {status.value: status for status in PartnerStatus}
# Values as the store keeps them (Enum columns hold the enum's value).
_DO_NOT_CONTACT = PartnerStatus.DO_NOT_CONTACT.value
_CANCELLED, _SIGNED, _SIGNED_OUTSIDE = (ConventionStatus.CANCELLED.value, ConventionStatus.SIGNED.value,
                                        ConventionStatus.SIGNED_OUTSIDE.value)
_REFUSED = ProposalAnswer.REFUSED.value
# The candidates' ids travel as one JSON array: one parameter rather than a thousand.
_AMONG = "IN (SELECT value FROM json_each(:ids))"


class _PartnerFacts(NamedTuple):
    name: str
    status: str               # a PartnerStatus value
    min_age: int | None
    accepts_disability: int   # SQLite's 0 or 1
    accepts_pai: int
    naf_code: str
    phone: str


# Where they are first, for the partners that could host (live, not « ne plus solliciter », a live offer for the
# audience: read from ix_hosting_offer_audience); then the facts of those within reach only.
_PLACES = f"""
    SELECT id, postcode, commune FROM partner
    WHERE deleted_at IS NULL AND status != '{_DO_NOT_CONTACT}' AND substr(postcode, 1, length(:prefix)) = :prefix
      AND id IN (SELECT partner_id FROM hosting_offer
                 WHERE audience = :audience AND deleted_at IS NULL AND places > 0)"""
_PARTNERS = f"""
    SELECT id, name, status, min_age, accepts_disability, accepts_pai, naf_code, phone FROM partner
    WHERE id {_AMONG}"""


def _partners_in_reach(cursor: sqlite3.Connection, need: Need) -> tuple[dict[int, _PartnerFacts], dict[int, Where]]:
    """Live partners not marked « ne plus solliciter », with a live offer for the audience, within the pupil's
    reach; and where each lies.

    Those beyond reach would be excluded by the ranking anyway: dropping them before the other queries keeps
    those small (a département holds a thousand partners, an intercommunalité a hundred).
    """
    prefix = need.where.departement[:2]
    if not (need.max_distance <= SAME_DEPARTEMENT and prefix.isdigit()):
        prefix = ""
    places: dict[int, Where] = {}
    for partner_id, postcode, commune in cursor.execute(
            _PLACES, {"prefix": prefix, "audience": need.audience.value}).fetchall():
        where = where_of(postcode, commune)
        if distance_tier(need.where, where) <= need.max_distance:
            places[partner_id] = where
    if not places:
        return {}, places
    rows = cursor.execute(_PARTNERS, {"ids": json.dumps(list(places))}).fetchall()
    return {row[0]: _PartnerFacts._make(row[1:]) for row in rows}, places


@lru_cache(maxsize=256)
def _month_numbers(months: str) -> tuple[int, ...]:
    return tuple(int(m) for m in months.split(",") if m.strip())


@lru_cache(maxsize=256)
def _establishments(reserved_to: str | None) -> tuple[int, ...]:
    return tuple(sorted(int(i) for i in reserved_to.split(","))) if reserved_to else ()


_OFFERS = f"""
    SELECT o.partner_id, o.formation_id, o.places, o.months, o.max_requests_per_month,
           (SELECT group_concat(r.establishment_id) FROM offer_reservation r WHERE r.offer_id = o.id)
    FROM hosting_offer o
    WHERE o.partner_id {_AMONG} AND o.deleted_at IS NULL AND o.audience = :audience
    ORDER BY o.partner_id, o.id"""


def _offers(cursor: sqlite3.Connection, need: Need, ids: str) -> dict[int, tuple[tuple[Offer, ...], int | None]]:
    """partner -> (its live offers for the audience, the smallest maximum of requests a month they state)."""
    found: dict[int, list[Offer]] = defaultdict(list)
    limits: dict[int, int] = {}
    for partner_id, formation_id, places, months, max_requests, reserved_to in cursor.execute(
            _OFFERS, {"ids": ids, "audience": need.audience.value}).fetchall():
        found[partner_id].append(Offer(need.audience, formation_id, places, _month_numbers(months),
                                       _establishments(reserved_to)))
        if max_requests:
            limits[partner_id] = min(max_requests, limits.get(partner_id, max_requests))
    return {partner_id: (tuple(offers), limits.get(partner_id)) for partner_id, offers in found.items()}


_PLACEMENTS = f"""
    SELECT partner_id,
           sum(convention_status != '{_CANCELLED}' AND start_date <= :end AND end_date >= :start),
           sum(convention_status IN ('{_SIGNED}', '{_SIGNED_OUTSIDE}')),
           sum(convention_status = '{_CANCELLED}')
    FROM placement
    WHERE partner_id {_AMONG} AND deleted_at IS NULL
    GROUP BY partner_id"""


def _placement_facts(cursor: sqlite3.Connection, need: Need, ids: str) -> dict[int, tuple[int, int, int]]:
    """partner -> (placements overlapping the period, placements signed, placements cancelled)."""
    params = {"ids": ids, "start": need.period_start.isoformat(), "end": need.period_end.isoformat()}
    return {row[0]: (row[1] or 0, row[2] or 0, row[3] or 0) for row in cursor.execute(_PLACEMENTS, params).fetchall()}


_CONTACTS = f"""
    SELECT partner_id, trim(first_name || ' ' || last_name), phone FROM (
        SELECT partner_id, first_name, last_name, phone,
               row_number() OVER (PARTITION BY partner_id
                                  ORDER BY is_tutor DESC, coalesce(phone, '') = '', id) AS choice
        FROM contact
        WHERE partner_id {_AMONG} AND deleted_at IS NULL AND consents_to_contact)
    WHERE choice = 1"""


def _contacts_to_call(cursor: sqlite3.Connection, ids: list[int]) -> dict[int, tuple[str, str]]:
    """partner -> (name, phone) of the person to call: a tutor before other contacts, one with a phone first;
    contacts who refused to be contacted are left out."""
    if not ids:
        return {}
    return {partner_id: (name, phone) for partner_id, name, phone in cursor.execute(
        _CONTACTS, {"ids": json.dumps(ids)}).fetchall()}


_TRAINED = f"""
    SELECT DISTINCT c.partner_id FROM contact c JOIN registration r ON r.contact_id = c.id
    WHERE c.partner_id {_AMONG} AND c.is_tutor AND c.deleted_at IS NULL AND r.attended AND r.deleted_at IS NULL"""


def _trained_tutors(cursor: sqlite3.Connection, ids: str) -> set[int]:
    return {row[0] for row in cursor.execute(_TRAINED, {"ids": ids}).fetchall()}


_PROPOSALS = f"""
    SELECT partner_id,
           max(answer = '{_REFUSED}' AND escalation_id = :escalation),
           sum(answer = '{_REFUSED}' AND escalation_id != :escalation),
           sum(contacted_on >= :month_start)
    FROM proposal
    WHERE partner_id {_AMONG} AND deleted_at IS NULL AND contacted_on >= :year_ago
    GROUP BY partner_id"""


def _proposal_facts(cursor: sqlite3.Connection, escalation_id: int, ids: str,
                    today: date) -> dict[int, tuple[bool, int, int]]:
    """partner -> (refused this escalation, other refusals within a year, requests this month)."""
    params = {"ids": ids, "escalation": escalation_id, "year_ago": (today - timedelta(days=365)).isoformat(),
              "month_start": today.replace(day=1).isoformat()}
    return {row[0]: (bool(row[1]), row[2] or 0, row[3] or 0) for row in cursor.execute(_PROPOSALS, params).fetchall()}
