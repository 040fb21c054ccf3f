"""Escalations (sollicitations): the urgency-ordered list, the search over it, and one escalation's file."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

# Re-exported: the escalation screens read the school and formation choices with the escalations.
from poledesk.data.choices import Choice as Choice
from poledesk.data.choices import FormationOption as FormationOption
from poledesk.data.choices import establishment_choices as establishment_choices
from poledesk.data.choices import formation_options as formation_options
from poledesk.data.enums import Audience, EscalationStatus, ProposalAnswer, VisitKind
from poledesk.data.escalations.edits import EscalationForm
from poledesk.data.models import (
    Contact,
    Escalation,
    EscalationEvent,
    Establishment,
    Formation,
    Partner,
    Proposal,
    Pupil,
)
from poledesk.data.pupils import age_on, pupil_initials
from poledesk.data.search import search_words, text_matches
from poledesk.data.text import fold

OPEN_STATUSES = frozenset({EscalationStatus.RECEIVED, EscalationStatus.SEARCHING, EscalationStatus.PROPOSED})

# Urgency categories, most urgent first: an open escalation by days left before its period; a closed one.
OVERDUE, UNDER_15, UNDER_30, LATER, CLOSED = "overdue", "under_15", "under_30", "later", "closed"
URGENCY_ORDER = {OVERDUE: 0, UNDER_15: 1, UNDER_30: 2, LATER: 3, CLOSED: 4}


def urgency_of(status: EscalationStatus, days_left: int) -> str:
    if status not in OPEN_STATUSES:
        return CLOSED
    if days_left < 0:
        return OVERDUE
    if days_left < 15:
        return UNDER_15
    if days_left < 30:
        return UNDER_30
    return LATER


def urgency_text(urgency: str, days_left: int) -> str:
    """'J-12', 'Aujourd'hui', 'Dépassée de 3 j'; '' once the escalation is closed."""
    if urgency == CLOSED:
        return ""
    if days_left < 0:
        return f"Dépassée de {-days_left} j"
    return "Aujourd'hui" if days_left == 0 else f"J-{days_left}"


@dataclass(frozen=True, slots=True)
class EscalationRow:
    id: int
    days_left: int                 # before the period starts; negative once it has started
    urgency: str                   # OVERDUE, UNDER_15, UNDER_30, LATER or CLOSED
    period_start: date
    period_end: date
    pupil: str                     # first name and initial only
    establishment: str
    audience: Audience
    formation: str
    status: EscalationStatus
    received_on: date

    @property
    def urgency_text(self) -> str:
        return urgency_text(self.urgency, self.days_left)

    @property
    def urgency_rank(self) -> tuple[int, int]:
        """Sorts the most urgent first; closed ones last, the latest period first among them."""
        if self.urgency == CLOSED:
            return (URGENCY_ORDER[CLOSED], -self.period_start.toordinal())
        return (URGENCY_ORDER[self.urgency], self.days_left)


@dataclass(frozen=True, slots=True)
class ProposalLine:
    id: int
    partner: str
    contact: str
    contacted_on: date
    channel: VisitKind
    answer: ProposalAnswer
    refusal_reason: str
    answered_on: date | None
    partner_id: int = 0


@dataclass(frozen=True, slots=True)
class EventLine:
    at: datetime
    from_status: EscalationStatus | None
    to_status: EscalationStatus
    reason: str


@dataclass(frozen=True, slots=True)
class PupilInfo:
    first_name: str
    last_name: str
    birth_date: date | None
    age_at_start: int | None
    class_name: str
    representative_name: str
    representative_email: str
    representative_phone: str
    needs: str
    has_pai: bool
    has_disability: bool
    purged_at: datetime | None


@dataclass(frozen=True, slots=True)
class EscalationDetail:
    id: int
    days_left: int
    urgency: str
    status: EscalationStatus
    status_reason: str
    received_on: date
    asked_by_name: str
    asked_by_role: str
    asked_by_email: str
    establishment: str
    establishment_uai: str
    audience: Audience
    formation: str
    period_start: date
    period_end: date
    mobility_commune: str
    mobility_postcode: str
    mobility_radius_km: int | None
    mobility_means: str
    needs_accessibility: bool
    needs_pai: bool
    outcome: str
    closed_on: date | None
    pupil: PupilInfo
    proposals: tuple[ProposalLine, ...]
    events: tuple[EventLine, ...]
    wished_sectors: tuple[str, ...] = ()     # NAF section letters the pupil wishes to discover

    @property
    def urgency_text(self) -> str:
        return urgency_text(self.urgency, self.days_left)


def list_escalations(session: Session, text: str = "", *, open_only: bool = False, today: date | None = None,
                     status: EscalationStatus | None = None, establishment_id: int | None = None,
                     audience: Audience | None = None, formation_id: int | None = None) -> list[EscalationRow]:
    """Live escalations, most urgent first; `text` matches pupil, school, commune, formation, public, status.

    `status` keeps one status (closed ones too, whatever `open_only` says); the other filters narrow further.
    """
    rows = _matching_rows(session, text, today or date.today(), establishment_id=establishment_id,
                          audience=audience, formation_id=formation_id)
    if status is not None:
        rows = [row for row in rows if row.status is status]
    elif open_only:
        rows = [row for row in rows if row.status in OPEN_STATUSES]
    rows.sort(key=lambda row: row.urgency_rank)
    return rows


def count_by_status(session: Session, text: str = "", *, establishment_id: int | None = None,
                    audience: Audience | None = None, formation_id: int | None = None) -> dict[EscalationStatus, int]:
    """How many live escalations of each status match the search and the filters (every status, 0 included)."""
    rows = _matching_rows(session, text, date.today(), establishment_id=establishment_id, audience=audience,
                          formation_id=formation_id)
    counted = Counter(row.status for row in rows)
    return {status: counted.get(status, 0) for status in EscalationStatus}


def _matching_rows(session: Session, text: str, today: date, *, establishment_id: int | None,
                   audience: Audience | None, formation_id: int | None) -> list[EscalationRow]:
    stmt = (select(Escalation.id, Escalation.period_start, Escalation.period_end, Pupil.first_name,
                   Pupil.last_name, Establishment.name, Establishment.commune, Escalation.audience,
                   func.coalesce(Formation.label, ""), Escalation.status, Escalation.received_on,
                   Escalation.asked_by_name)
            .join(Pupil, Pupil.id == Escalation.pupil_id)
            .join(Establishment, Establishment.id == Escalation.establishment_id)
            .outerjoin(Formation, Formation.id == Escalation.formation_id)
            .where(Escalation.deleted_at.is_(None)))
    if establishment_id is not None:
        stmt = stmt.where(Escalation.establishment_id == establishment_id)
    if audience is not None:
        stmt = stmt.where(Escalation.audience == audience)
    if formation_id is not None:
        stmt = stmt.where(Escalation.formation_id == formation_id)
    words = search_words(text)
    rows = []
    for (id_, start, end, first, last, school, commune, audience_, formation, status, received,
         asked_by) in session.execute(stmt):
        # Pupils have no search key (their names never travel), and a pole holds a few hundred escalations:
        # folding in Python is both simpler and fast enough.
        if words and not text_matches(fold(" ".join((first, last, school, commune, formation, audience_.label,
                                                     status.label, asked_by))), words):
            continue
        days_left = (start - today).days
        rows.append(EscalationRow(id_, days_left, urgency_of(status, days_left), start, end,
                                  pupil_initials(first, last), school, audience_, formation, status, received))
    return rows


def escalation_detail(session: Session, escalation_id: int, *, today: date | None = None) -> EscalationDetail | None:
    """One escalation's file: the request, the pupil, the needs, the proposals and the status log."""
    escalation = session.get(Escalation, escalation_id)
    if escalation is None or escalation.deleted_at is not None:
        return None
    days_left = (escalation.period_start - (today or date.today())).days
    school = escalation.establishment
    return EscalationDetail(
        escalation.id, days_left, urgency_of(escalation.status, days_left), escalation.status,
        escalation.status_reason, escalation.received_on, escalation.asked_by_name, escalation.asked_by_role,
        escalation.asked_by_email, school.name, school.uai, escalation.audience,
        escalation.formation.label if escalation.formation else "", escalation.period_start,
        escalation.period_end, escalation.mobility_commune, escalation.mobility_postcode,
        escalation.mobility_radius_km, escalation.mobility_means, escalation.needs_accessibility,
        escalation.needs_pai, escalation.outcome, escalation.closed_on,
        _pupil_info(escalation.pupil, escalation.period_start), _proposals(session, escalation_id),
        _events(session, escalation_id), tuple(s for s in escalation.wished_sectors.split(",") if s))


def _pupil_info(pupil: Pupil, period_start: date) -> PupilInfo:
    age = age_on(pupil.birth_date, period_start) if pupil.birth_date else None
    return PupilInfo(pupil.first_name, pupil.last_name, pupil.birth_date, age,
                     pupil.class_name, pupil.representative_name, pupil.representative_email,
                     pupil.representative_phone, pupil.needs, pupil.has_pai, pupil.has_disability, pupil.purged_at)


def _proposals(session: Session, escalation_id: int) -> tuple[ProposalLine, ...]:
    contact_name = func.trim(Contact.first_name + " " + Contact.last_name)
    stmt = (select(Proposal.id, Partner.name, func.coalesce(contact_name, ""), Proposal.contacted_on,
                   Proposal.channel, Proposal.answer, Proposal.refusal_reason, Proposal.answered_on,
                   Proposal.partner_id)
            .join(Partner, Partner.id == Proposal.partner_id)
            .outerjoin(Contact, Contact.id == Proposal.contact_id)
            .where(Proposal.escalation_id == escalation_id, Proposal.deleted_at.is_(None))
            .order_by(Proposal.contacted_on, Proposal.id))
    return tuple(ProposalLine(*row) for row in session.execute(stmt))


def _events(session: Session, escalation_id: int) -> tuple[EventLine, ...]:
    stmt = (select(EscalationEvent.at, EscalationEvent.from_status, EscalationEvent.to_status,
                   EscalationEvent.reason)
            .where(EscalationEvent.escalation_id == escalation_id, EscalationEvent.deleted_at.is_(None))
            .order_by(EscalationEvent.at, EscalationEvent.id))
    return tuple(EventLine(*row) for row in session.execute(stmt))


def escalation_form(session: Session, escalation_id: int) -> EscalationForm | None:
    """The form of a recorded escalation, to correct it; None if it was deleted."""
    escalation = session.get(Escalation, escalation_id)
    if escalation is None or escalation.deleted_at is not None:
        return None
    pupil = escalation.pupil
    return EscalationForm(
        establishment_id=escalation.establishment_id, pupil_last_name=pupil.last_name,
        pupil_first_name=pupil.first_name, pupil_birth_date=pupil.birth_date, audience=escalation.audience,
        period_start=escalation.period_start, period_end=escalation.period_end, received_on=escalation.received_on,
        formation_id=escalation.formation_id, pupil_class=pupil.class_name,
        representative_name=pupil.representative_name, representative_email=pupil.representative_email,
        representative_phone=pupil.representative_phone, asked_by_name=escalation.asked_by_name,
        asked_by_role=escalation.asked_by_role, asked_by_email=escalation.asked_by_email,
        mobility_commune=escalation.mobility_commune, mobility_postcode=escalation.mobility_postcode,
        mobility_radius_km=escalation.mobility_radius_km, mobility_means=escalation.mobility_means,
        needs_accessibility=escalation.needs_accessibility, needs_pai=escalation.needs_pai, needs=pupil.needs,
        wished_sectors=tuple(s for s in escalation.wished_sectors.split(",") if s))
