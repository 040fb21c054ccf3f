"""Tutor training sessions: the list and its filters, a session's file, the tutors to invite, the mailing list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from urllib.parse import quote

from sqlalchemy import ColumnElement, SQLColumnExpression, case, exists, func, select
from sqlalchemy.orm import Session

from poledesk.data.enums import ConventionStatus, PartnerStatus, TrainingStatus
from poledesk.data.models import Contact, Partner, Placement, Registration, TrainingSession
from poledesk.data.search import matches_words
from poledesk.data.text import fold, school_year_of


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

    @property
    def school_year(self) -> str:
        return school_year_of(self.session_date)


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
    contact_id: int = 0
    first_name: str = ""
    last_name: str = ""
    is_tutor: bool = True
    role: str = ""

    @property
    def is_registered(self) -> bool:
        """Registered (or came), not cancelled, not waiting: counts against the capacity."""
        return not self.cancelled_on and not self.waitlisted and (self.registered_on is not None or self.attended)

    @property
    def is_invited_only(self) -> bool:
        return not self.cancelled_on and not self.waitlisted and not self.is_registered

    @property
    def is_live(self) -> bool:
        return self.cancelled_on is None


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
    def waitlisted(self) -> int:
        return sum(1 for r in self.registrations if r.waitlisted and r.is_live)

    @property
    def invited(self) -> int:
        return sum(1 for r in self.registrations if r.is_invited_only)

    @property
    def attended(self) -> int:
        return sum(1 for r in self.registrations if r.attended)

    @property
    def attendees(self) -> tuple[RegistrationLine, ...]:
        """Who came, in name order: one attestation each."""
        lines = [r for r in self.registrations if r.attended and r.is_live]
        return tuple(sorted(lines, key=lambda r: (fold(r.last_name), fold(r.first_name))))

    @property
    def expected(self) -> tuple[RegistrationLine, ...]:
        """Who the attendance sheet lists: the registered and whoever came, in name order."""
        lines = [r for r in self.registrations if r.is_live and (r.is_registered or r.attended)]
        return tuple(sorted(lines, key=lambda r: (fold(r.last_name), fold(r.first_name))))


@dataclass(frozen=True, slots=True)
class SessionChoices:
    """What the tab's filters offer: the school years that have sessions (latest first) and the themes."""

    school_years: tuple[str, ...]
    themes: tuple[str, ...]
    places: tuple[str, ...] = ()      # what the form's completers offer
    trainers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class InviteeFilter:
    text: str = ""
    sector: str = ""
    commune: str = ""
    tutors_only: bool = True
    not_trained: bool = False
    hosted_this_year: bool = False


@dataclass(frozen=True, slots=True)
class InviteeRow:
    id: int             # the contact's id
    first_name: str
    last_name: str
    partner: str
    commune: str
    sector: str
    email: str
    is_tutor: bool
    trainings_attended: int
    hosted_this_year: bool

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True, slots=True)
class InviteeChoices:
    sectors: tuple[str, ...]
    communes: tuple[str, ...]


def format_time(value: time) -> str:
    """09h00, as the pole's invitations write hours."""
    return f"{value.hour:02d}h{value.minute:02d}"


def hours_text(start: time, end: time) -> str:
    return f"{format_time(start)} – {format_time(end)}"


def school_year_bounds(school_year: str) -> tuple[date, date]:
    """'2026-2027' -> (1 September 2026, 31 August 2027)."""
    start = int(school_year.split("-")[0])
    return date(start, 9, 1), date(start + 1, 8, 31)


def list_sessions(session: Session, text: str = "", *, school_year: str = "", theme: str = "",
                  today: date | None = None) -> list[SessionRow]:
    """Live sessions whose title, theme, place or trainer hold every word of `text`, in `school_year` and of
    `theme` when given: upcoming first (soonest first), then past ones (latest first)."""
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
                   TrainingSession.capacity, func.coalesce(counts.c.registered, 0).label("registered"),
                   func.coalesce(counts.c.waitlisted, 0).label("waitlisted"),
                   func.coalesce(counts.c.invited, 0).label("invited"),
                   func.coalesce(counts.c.attended, 0).label("attended"),
                   TrainingSession.status)
            .outerjoin(counts, counts.c.session_id == TrainingSession.id)
            .where(TrainingSession.deleted_at.is_(None)))
    condition = matches_words(TrainingSession.search_key, text)
    if condition is not None:
        stmt = stmt.where(condition)
    if school_year:
        first, last = school_year_bounds(school_year)
        stmt = stmt.where(TrainingSession.session_date.between(first, last))
    if theme:
        stmt = stmt.where(TrainingSession.theme == theme)
    # Each column is named after its SessionRow field.
    rows = [SessionRow(**row._mapping, upcoming=row.session_date >= today) for row in session.execute(stmt)]
    upcoming = sorted((r for r in rows if r.upcoming), key=lambda r: (r.session_date, r.start_time))
    past = sorted((r for r in rows if not r.upcoming), key=lambda r: (r.session_date, r.start_time), reverse=True)
    return upcoming + past


def count_sessions(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(TrainingSession)
                          .where(TrainingSession.deleted_at.is_(None))) or 0


def session_choices(session: Session) -> SessionChoices:
    live = TrainingSession.deleted_at.is_(None)
    days = session.scalars(select(TrainingSession.session_date).where(live).distinct())
    years = sorted({school_year_of(day) for day in days}, reverse=True)

    def distinct(column: SQLColumnExpression[str]) -> tuple[str, ...]:
        values = session.scalars(select(column).where(live, column != "").distinct())
        return tuple(sorted(values, key=fold))

    return SessionChoices(tuple(years), distinct(TrainingSession.theme), distinct(TrainingSession.place),
                          distinct(TrainingSession.trainer))


def session_detail(session: Session, session_id: int) -> SessionDetail | None:
    """A training session with its registrations (cancelled ones included, marked), or None if gone."""
    training = session.get(TrainingSession, session_id)
    if training is None or training.deleted_at is not None:
        return None
    return SessionDetail(training.id, training.title, training.theme, training.session_date, training.start_time,
                         training.end_time, training.place, training.trainer, training.capacity, training.status,
                         training.notes, _registrations(session, session_id))


def _registrations(session: Session, session_id: int) -> tuple[RegistrationLine, ...]:
    """Registered first, then invited, then the waiting list in its order, then the cancelled ones."""
    contact_name = func.trim(Contact.first_name + " " + Contact.last_name)
    registered = Registration.registered_on.is_not(None) | Registration.attended.is_(True)
    group = case((Registration.cancelled_on.is_not(None), 3), (Registration.waitlisted.is_(True), 2),
                 (registered, 0), else_=1)
    in_line = Registration.waitlisted.is_(True) & Registration.cancelled_on.is_(None)
    stmt = (select(Registration.id, contact_name, Partner.name, Contact.email, Registration.invited_on,
                   Registration.registered_on, Registration.waitlisted, Registration.attended,
                   Registration.attestation_issued_on, Registration.cancelled_on, Contact.id, Contact.first_name,
                   Contact.last_name, Contact.is_tutor, Contact.role)
            .join(Contact, Contact.id == Registration.contact_id)
            .join(Partner, Partner.id == Contact.partner_id)
            .where(Registration.session_id == session_id, Registration.deleted_at.is_(None))
            .order_by(group, case((in_line, Registration.registered_on)), case((in_line, Registration.hlc)),
                      Contact.last_name, Contact.first_name))
    return tuple(RegistrationLine(*row) for row in session.execute(stmt))


# --- Tutors to invite ------------------------------------------------------------------------------------------


def invitee_choices(session: Session) -> InviteeChoices:
    """The sectors and communes of the partners that have contacts one may invite."""
    stmt = (select(Partner.sector, Partner.commune).join(Contact, Contact.partner_id == Partner.id)
            .where(*_invitable()).distinct())
    rows = session.execute(stmt).all()
    sectors = sorted({s for s, _ in rows if s}, key=fold)
    communes = sorted({c for _, c in rows if c}, key=fold)
    return InviteeChoices(tuple(sectors), tuple(communes))


def find_invitees(session: Session, session_id: int, filters: InviteeFilter = InviteeFilter(), *,
                  today: date | None = None) -> list[InviteeRow]:
    """Contacts of the network who may be invited to this session (live, willing to be contacted, not already
    invited or registered to it), filtered, in name order (accents ignored)."""
    today = today or date.today()
    first, last = school_year_bounds(school_year_of(today))
    trained = (select(func.count()).select_from(Registration)
               .where(Registration.contact_id == Contact.id, Registration.attended.is_(True),
                      Registration.deleted_at.is_(None)).scalar_subquery())
    hosted = exists().where(Placement.tutor_id == Contact.id, Placement.deleted_at.is_(None),
                            Placement.convention_status != ConventionStatus.CANCELLED,
                            Placement.start_date.between(first, last))
    already = exists().where(Registration.contact_id == Contact.id, Registration.session_id == session_id,
                             Registration.deleted_at.is_(None), Registration.cancelled_on.is_(None))
    stmt = (select(Contact.id, Contact.first_name, Contact.last_name, Partner.name, Partner.commune, Partner.sector,
                   Contact.email, Contact.is_tutor, trained, hosted)
            .join(Partner, Partner.id == Contact.partner_id)
            .where(*_invitable(), ~already))
    conditions: list[ColumnElement[bool] | None] = [
        matches_words(Contact.search_key + " " + Partner.search_key, filters.text),
        Partner.sector == filters.sector if filters.sector else None,
        Partner.commune == filters.commune if filters.commune else None,
        Contact.is_tutor.is_(True) if filters.tutors_only else None,
        trained == 0 if filters.not_trained else None,
        hosted if filters.hosted_this_year else None,
    ]
    stmt = stmt.where(*(c for c in conditions if c is not None))
    rows = [InviteeRow(*row) for row in session.execute(stmt)]
    return sorted(rows, key=lambda r: (fold(r.last_name), fold(r.first_name), fold(r.partner)))


def _invitable() -> tuple[ColumnElement[bool], ...]:
    return (Contact.deleted_at.is_(None), Partner.deleted_at.is_(None), Contact.consents_to_contact.is_(True),
            Partner.status != PartnerStatus.DO_NOT_CONTACT)


# --- Writing to the invitees -----------------------------------------------------------------------------------


def invited_lines(detail: SessionDetail) -> tuple[RegistrationLine, ...]:
    """Everyone the session's invitation concerns: invited, registered or waiting, not cancelled."""
    return tuple(r for r in detail.registrations if r.is_live)


def invitation_mailto(detail: SessionDetail) -> str | None:
    """A mailto: URL with every invited address in blind copy and the session's title as subject; None when no
    invited person has an address. The animateur's own mail client sends it (PoleDesk sends no mail)."""
    addresses = sorted({r.email for r in invited_lines(detail) if r.email}, key=str.casefold)
    if not addresses:
        return None
    bcc = ",".join(quote(a, safe="@.+-_") for a in addresses)
    return f"mailto:?bcc={bcc}&subject={quote(detail.title, safe='')}"
