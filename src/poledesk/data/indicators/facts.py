"""The few columns the indicators read, loaded once per scope in one query per table, as plain tuples."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data.enums import (
    Audience,
    ConventionStatus,
    EscalationStatus,
    LegalKind,
    PartnerStatus,
    PriorityEducation,
    TrainingStatus,
)
from poledesk.data.models import (
    Escalation,
    Establishment,
    EstablishmentFormation,
    Formation,
    HostingOffer,
    Partner,
    Placement,
    Pole,
    Registration,
    TrainingSession,
    Visit,
)


def created_on(uid: str, fallback: datetime) -> date:
    """The day a record was created: a UUIDv7 carries its creation time; any other uid falls back."""
    try:
        value = uuid.UUID(uid)
    except ValueError:
        return fallback.date()
    if value.version != 7:
        return fallback.date()
    return datetime.fromtimestamp((value.int >> 80) / 1000, UTC).date()


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@dataclass(frozen=True, slots=True)
class EscalationFact:
    id: int
    owner: str
    received_on: date
    status: EscalationStatus
    closed_on: date | None
    period_start: date
    priority: PriorityEducation
    needs_accessibility: bool
    needs_pai: bool


@dataclass(frozen=True, slots=True)
class PartnerFact:
    id: int
    owner: str
    name: str
    siret: str | None
    status: PartnerStatus
    legal_kind: LegalKind
    sector: str
    created: date
    changed: date
    deleted: date | None
    framework_start: date | None
    framework_end: date | None


@dataclass(frozen=True, slots=True)
class OfferFact:
    id: int
    owner: str
    partner_id: int
    audience: Audience
    places: int
    since: date                      # the earliest day it is known to exist: confirmed or created
    deleted: date | None


@dataclass(frozen=True, slots=True)
class PupilCountFact:
    establishment_id: int
    owner: str
    audience: Audience
    school_year: str
    pupils: int


@dataclass(frozen=True, slots=True)
class PlacementFact:
    id: int
    owner: str
    start_date: date
    printed_on: date | None
    signed_on: date | None
    status: ConventionStatus


@dataclass(frozen=True, slots=True)
class SessionFact:
    id: int
    owner: str
    session_date: date
    status: TrainingStatus
    capacity: int


@dataclass(frozen=True, slots=True)
class RegistrationFact:
    session_id: int
    contact_id: int
    registered: bool
    waitlisted: bool
    attended: bool


@dataclass(frozen=True, slots=True)
class PoleFact:
    code: str
    name: str
    bassin: str


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything the indicators of one scope need, read in one go (so the year and the one before cost one load)."""

    poles: tuple[PoleFact, ...]
    escalations: tuple[EscalationFact, ...]
    partners: tuple[PartnerFact, ...]
    offers: tuple[OfferFact, ...]
    visits: tuple[tuple[int, str, int, date], ...]          # id, owner, partner_id, visited_on
    establishments: tuple[tuple[int, str], ...]             # live establishments: id, owner
    pupil_counts: tuple[PupilCountFact, ...]
    placements: tuple[PlacementFact, ...]
    sessions: tuple[SessionFact, ...]
    registrations: tuple[RegistrationFact, ...]

    def of_owner(self, owners: Collection[str]) -> Facts:
        """The same facts kept to some poles (one pass per table, no new query)."""
        keep = set(owners)
        sessions = tuple(s for s in self.sessions if s.owner in keep)
        kept_sessions = {s.id for s in sessions}
        return Facts(tuple(p for p in self.poles if p.code in keep),
                     tuple(e for e in self.escalations if e.owner in keep),
                     tuple(p for p in self.partners if p.owner in keep),
                     tuple(o for o in self.offers if o.owner in keep),
                     tuple(v for v in self.visits if v[1] in keep),
                     tuple(e for e in self.establishments if e[1] in keep),
                     tuple(c for c in self.pupil_counts if c.owner in keep),
                     tuple(p for p in self.placements if p.owner in keep), sessions,
                     tuple(r for r in self.registrations if r.session_id in kept_sessions))


_Statement = TypeVar("_Statement")   # a select() of any columns, returned with the same columns


def _owned(statement: _Statement, owner_column: object, owners: Collection[str] | None) -> _Statement:
    return statement if owners is None else statement.where(owner_column.in_(list(owners)))  # type: ignore[attr-defined]  # a select()


def load_facts(session: Session, owners: Collection[str] | None = None) -> Facts:
    """Load the facts of the records owned by `owners` (pole codes), or of the whole store when None."""
    poles = _owned(select(Pole.code, Pole.name, Pole.bassin).where(Pole.deleted_at.is_(None)), Pole.code, owners)
    escalations = _owned(
        select(Escalation.id, Escalation.owner, Escalation.received_on, Escalation.status, Escalation.closed_on,
               Escalation.period_start, Establishment.priority_education, Escalation.needs_accessibility,
               Escalation.needs_pai)
        .join(Establishment, Establishment.id == Escalation.establishment_id)
        .where(Escalation.deleted_at.is_(None)), Escalation.owner, owners)
    partners = _owned(
        select(Partner.id, Partner.owner, Partner.name, Partner.siret, Partner.status, Partner.legal_kind,
               Partner.sector, Partner.uid, Partner.updated_at, Partner.deleted_at, Partner.framework_start,
               Partner.framework_end), Partner.owner, owners)
    offers = _owned(
        select(HostingOffer.id, HostingOffer.owner, HostingOffer.partner_id, HostingOffer.audience,
               HostingOffer.places, HostingOffer.uid, HostingOffer.updated_at, HostingOffer.last_confirmed_on,
               HostingOffer.deleted_at), HostingOffer.owner, owners)
    visits = _owned(select(Visit.id, Visit.owner, Visit.partner_id, Visit.visited_on)
                    .where(Visit.deleted_at.is_(None)), Visit.owner, owners)
    establishments = _owned(select(Establishment.id, Establishment.owner).where(Establishment.deleted_at.is_(None)),
                            Establishment.owner, owners)
    counts = _owned(
        select(EstablishmentFormation.establishment_id, EstablishmentFormation.owner, Formation.audience,
               EstablishmentFormation.school_year, EstablishmentFormation.pupils)
        .join(Formation, Formation.id == EstablishmentFormation.formation_id)
        .join(Establishment, Establishment.id == EstablishmentFormation.establishment_id)
        .where(EstablishmentFormation.deleted_at.is_(None), Establishment.deleted_at.is_(None)),
        EstablishmentFormation.owner, owners)
    placements = _owned(
        select(Placement.id, Placement.owner, Placement.start_date, Placement.printed_on, Placement.signed_on,
               Placement.convention_status).where(Placement.deleted_at.is_(None)), Placement.owner, owners)
    sessions = _owned(
        select(TrainingSession.id, TrainingSession.owner, TrainingSession.session_date, TrainingSession.status,
               TrainingSession.capacity).where(TrainingSession.deleted_at.is_(None)), TrainingSession.owner, owners)
    registrations = _owned(
        select(Registration.session_id, Registration.contact_id, Registration.registered_on.is_not(None),
               Registration.waitlisted, Registration.attended)
        .join(TrainingSession, TrainingSession.id == Registration.session_id)
        .where(Registration.deleted_at.is_(None), Registration.cancelled_on.is_(None)),
        TrainingSession.owner, owners)
    return Facts(
        poles=tuple(PoleFact(*row) for row in session.execute(poles)),
        escalations=tuple(EscalationFact(*row) for row in session.execute(escalations)),
        partners=tuple(PartnerFact(i, o, n, s, st, k, sec, created_on(uid, upd), upd.date(), _day(dl), fs, fe)
                       for i, o, n, s, st, k, sec, uid, upd, dl, fs, fe in session.execute(partners)),
        offers=tuple(OfferFact(i, o, p, a, pl, min(filter(None, (conf, created_on(uid, upd)))), _day(dl))
                     for i, o, p, a, pl, uid, upd, conf, dl in session.execute(offers)),
        visits=tuple((i, o, p, d) for i, o, p, d in session.execute(visits)),
        establishments=tuple((i, o) for i, o in session.execute(establishments)),
        pupil_counts=tuple(PupilCountFact(*row) for row in session.execute(counts)),
        placements=tuple(PlacementFact(*row) for row in session.execute(placements)),
        sessions=tuple(SessionFact(*row) for row in session.execute(sessions)),
        registrations=tuple(RegistrationFact(s, c, bool(r), bool(w), bool(a))
                            for s, c, r, w, a in session.execute(registrations)),
    )
