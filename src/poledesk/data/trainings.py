"""Tutor training sessions: the list with its registration counts, the search over it, and a session's file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from poledesk.data.enums import TrainingStatus
from poledesk.data.models import Contact, Partner, Registration, TrainingSession
from poledesk.data.search import matches_words


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: int
    session_date: date
    start_time: time
    end_time: time
    title: str
    theme: str
    place: str
    capacity: int
    registered: int     # registered (or came), neither cancelled nor on the waiting list
    waitlisted: int
    invited: int        # invited, no answer yet
    attended: int
    status: TrainingStatus
    upcoming: bool      # on or after the day the list was made


@dataclass(frozen=True, slots=True)
class RegistrationLine:
    id: int
    contact: str
    partner: str
    email: str
    invited_on: date | None
    registered_on: date | None
    waitlisted: bool
    attended: bool
    attestation_issued_on: date | None
    cancelled_on: date | None

    @property
    def is_registered(self) -> bool:
        """Registered (or came), not cancelled, not waiting: counts against the capacity."""
        return not self.cancelled_on and not self.waitlisted and (self.registered_on is not None or self.attended)


@dataclass(frozen=True, slots=True)
class SessionDetail:
    id: int
    title: str
    theme: str
    session_date: date
    start_time: time
    end_time: time
    place: str
    trainer: str
    capacity: int
    status: TrainingStatus
    notes: str
    registrations: tuple[RegistrationLine, ...]

    @property
    def registered(self) -> int:
        return sum(1 for r in self.registrations if r.is_registered)

    @property
    def attended(self) -> int:
        return sum(1 for r in self.registrations if r.attended)


def list_sessions(session: Session, text: str = "", *, today: date | None = None) -> list[SessionRow]:
    """Live sessions whose title, theme, place or trainer hold every word of `text`: upcoming first (soonest
    first), then past ones (latest first)."""
    today = today or date.today()
    live = Registration.deleted_at.is_(None) & Registration.cancelled_on.is_(None)
    answered = Registration.registered_on.is_not(None) | Registration.attended.is_(True)
    counts = (select(Registration.session_id,
                     func.count().filter(answered, Registration.waitlisted.is_(False)).label("registered"),
                     func.count().filter(Registration.waitlisted.is_(True)).label("waitlisted"),
                     func.count().filter(~answered, Registration.waitlisted.is_(False)).label("invited"),
                     func.count().filter(Registration.attended.is_(True)).label("attended"))
              .where(live).group_by(Registration.session_id).subquery())
    stmt = (select(TrainingSession.id, TrainingSession.session_date, TrainingSession.start_time,
                   TrainingSession.end_time, TrainingSession.title, TrainingSession.theme, TrainingSession.place,
                   TrainingSession.capacity, func.coalesce(counts.c.registered, 0),
                   func.coalesce(counts.c.waitlisted, 0), func.coalesce(counts.c.invited, 0),
                   func.coalesce(counts.c.attended, 0),
                   TrainingSession.status)
            .outerjoin(counts, counts.c.session_id == TrainingSession.id)
            .where(TrainingSession.deleted_at.is_(None)))
    condition = matches_words(TrainingSession.search_key, text)
    if condition is not None:
        stmt = stmt.where(condition)
    rows = [SessionRow(*row, upcoming=row[1] >= today) for row in session.execute(stmt)]
    upcoming = sorted((r for r in rows if r.upcoming), key=lambda r: (r.session_date, r.start_time))
    past = sorted((r for r in rows if not r.upcoming), key=lambda r: (r.session_date, r.start_time), reverse=True)
    return upcoming + past


def count_sessions(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(TrainingSession)
                          .where(TrainingSession.deleted_at.is_(None))) or 0


def session_detail(session: Session, session_id: int) -> SessionDetail | None:
    """A training session with its registrations (cancelled ones included, marked), or None if gone."""
    training = session.get(TrainingSession, session_id)
    if training is None or training.deleted_at is not None:
        return None
    return SessionDetail(training.id, training.title, training.theme, training.session_date, training.start_time,
                         training.end_time, training.place, training.trainer, training.capacity, training.status,
                         training.notes, _registrations(session, session_id))


def _registrations(session: Session, session_id: int) -> tuple[RegistrationLine, ...]:
    contact_name = func.trim(Contact.first_name + " " + Contact.last_name)
    stmt = (select(Registration.id, contact_name, Partner.name, Contact.email, Registration.invited_on,
                   Registration.registered_on, Registration.waitlisted, Registration.attended,
                   Registration.attestation_issued_on, Registration.cancelled_on)
            .join(Contact, Contact.id == Registration.contact_id)
            .join(Partner, Partner.id == Contact.partner_id)
            .where(Registration.session_id == session_id, Registration.deleted_at.is_(None))
            .order_by(Registration.cancelled_on.is_not(None), Registration.waitlisted, Contact.last_name,
                      Contact.first_name))
    return tuple(RegistrationLine(*row) for row in session.execute(stmt))
