"""Tutor training sessions written: plan, edit, cancel, duplicate; invite, register with a waiting list, attendance."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data.enums import TrainingStatus
from poledesk.data.live import live
from poledesk.data.models import Contact, Registration, TrainingSession
from poledesk.data.text import format_date
from poledesk.data.trainings.listing import format_time
from poledesk.data.validation import Problems, ValidationError

MAX_CAPACITY = 200
LENGTHS = {"title": 200, "theme": 200, "place": 300, "trainer": 200}


@dataclass(frozen=True, slots=True)
class SessionForm:
    title: str
    session_date: date
    start_time: time
    end_time: time
    place: str
    theme: str = ""
    trainer: str = ""
    capacity: int = 15
    status: TrainingStatus = TrainingStatus.PLANNED
    notes: str = ""


@dataclass(frozen=True, slots=True)
class RegisterOutcome:
    """Who got a seat and who went on the waiting list (names, in the order given)."""

    registered: tuple[str, ...] = ()
    waitlisted: tuple[str, ...] = ()
    already: int = 0


# --- Sessions --------------------------------------------------------------------------------------------------


def check_session(session: Session, form: SessionForm, *, today: date,
                  current: TrainingSession | None = None) -> dict[str, str]:
    """Every problem of the form, field -> French message (empty when it can be saved)."""
    form = replace(form, status=TrainingStatus(form.status))    # a combo box may hand the value as text
    problems = Problems()
    if not form.title.strip():
        problems.add("title", "L'intitulé de la session est obligatoire.")
    if not form.place.strip():
        problems.add("place", "Le lieu est obligatoire : il figure sur l'invitation et la feuille d'émargement.")
    for field, limit in LENGTHS.items():
        if len(getattr(form, field).strip()) > limit:
            problems.add(field, f"{limit} caractères au plus.")
    if form.end_time <= form.start_time:
        problems.add("end_time", "L'heure de fin doit être après l'heure de début.")
    _check_capacity(session, form, current, problems)
    _check_status_and_date(form, current, today, problems)
    if "title" not in problems.problems and _twin_exists(session, form, current):
        problems.add("title", f"Une session « {form.title.strip()} » existe déjà le "
                              f"{format_date(form.session_date)} à {format_time(form.start_time)}.")
    return problems.problems


def save_session(session: Session, form: SessionForm, session_id: int | None = None, *,
                 today: date | None = None) -> int:
    """Plan a session or correct it; nothing is written when it raises ValidationError. A larger capacity
    promotes the waiting list into the new seats."""
    today = today or date.today()
    training = None if session_id is None else live(session, TrainingSession, session_id)
    problems = check_session(session, form, today=today, current=training)
    if problems:
        raise ValidationError(problems)
    form = replace(form, status=TrainingStatus(form.status))
    training = training or TrainingSession()
    values = {"title": " ".join(form.title.split()), "theme": " ".join(form.theme.split()),
              "session_date": form.session_date, "start_time": form.start_time, "end_time": form.end_time,
              "place": form.place.strip(), "trainer": form.trainer.strip(), "capacity": form.capacity,
              "status": form.status, "notes": form.notes.strip()}
    for field, value in values.items():
        if getattr(training, field, None) != value:
            setattr(training, field, value)
    session.add(training)
    session.flush()
    if training.status is not TrainingStatus.CANCELLED:
        _promote_waiting(session, training)
    return training.id


def session_form(session: Session, session_id: int) -> SessionForm:
    training = live(session, TrainingSession, session_id)
    return SessionForm(**{f: getattr(training, f) for f in SessionForm.__dataclass_fields__})


def cancel_session(session: Session, session_id: int, *, reason: str = "") -> None:
    """Mark a session cancelled, keeping its registrations so that the invited can be told (Écrire aux invités)."""
    training = live(session, TrainingSession, session_id)
    if any(r.attended for r in _live_registrations(session, session_id)):
        raise ValidationError({"status": "Des présences sont saisies pour cette session : elle a eu lieu et ne peut "
                                         "pas être annulée."})
    training.status = TrainingStatus.CANCELLED
    if reason.strip():
        training.notes = "\n".join(x for x in (training.notes, f"Annulée : {reason.strip()}") if x)
    session.flush()


def duplicate_form(session: Session, session_id: int, *, on: date) -> SessionForm:
    """The form of a new session like this one, on another day: planned, without its notes."""
    return replace(session_form(session, session_id), session_date=on, status=TrainingStatus.PLANNED, notes="")


def duplicate_session(session: Session, session_id: int, *, on: date, today: date | None = None) -> int:
    """A new planned session like this one on `on` (no registrations copied)."""
    return save_session(session, duplicate_form(session, session_id, on=on), today=today)


def next_free_day(source: date, today: date) -> date:
    """Where a copy goes by default: the same weekday, the first week after both the source and today."""
    day = source + timedelta(days=7)
    while day <= today:
        day += timedelta(days=7)
    return day


# --- Invitations and registrations -----------------------------------------------------------------------------


def invite(session: Session, session_id: int, contact_ids: Iterable[int], *, today: date | None = None) -> int:
    """Record the invitation of these contacts (those already invited or registered are left as they are);
    returns how many were newly invited."""
    today = today or date.today()
    training = _open_for_registration(session, session_id, today, inviting=True)
    count = 0
    for contact in _contacts(session, contact_ids):
        registration = _registration_of(session, training.id, contact.id)
        if registration is not None and registration.cancelled_on is None:
            continue
        registration = registration or Registration(session_id=training.id, contact_id=contact.id)
        _reset(registration)
        registration.invited_on = today
        session.add(registration)
        count += 1
    session.flush()
    return count


def register(session: Session, session_id: int, contact_ids: Iterable[int], *,
             today: date | None = None) -> RegisterOutcome:
    """Register these contacts in the order given: a seat while there is one, then the waiting list.

    Whether a contact is a tutor is the caller's question to ask first (contacts.mark_as_tutor).
    """
    today = today or date.today()
    training = _open_for_registration(session, session_id, today, inviting=False)
    seated, waiting, already = [], [], 0
    taken = sum(1 for r in _live_registrations(session, training.id) if _holds_seat(r))
    for contact in _contacts(session, contact_ids):
        registration = _registration_of(session, training.id, contact.id)
        if registration is not None and registration.cancelled_on is None and registration.registered_on:
            already += 1
            continue
        if registration is None or registration.cancelled_on is not None:
            registration = registration or Registration(session_id=training.id, contact_id=contact.id)
            _reset(registration)
        registration.registered_on = today
        registration.waitlisted = taken >= training.capacity
        session.add(registration)
        session.flush()     # a distinct clock per registration: the waiting list's order
        name = _name(contact)
        if registration.waitlisted:
            waiting.append(name)
        else:
            taken += 1
            seated.append(name)
    return RegisterOutcome(tuple(seated), tuple(waiting), already)


def cancel_registration(session: Session, registration_id: int, *, today: date | None = None) -> str | None:
    """Cancel a registration (or an invitation); a freed seat goes to the first on the waiting list, whose
    name is returned (None if nobody was promoted)."""
    today = today or date.today()
    registration = live(session, Registration, registration_id)
    if registration.attended:
        raise ValidationError({"registration": f"La présence de {_name(registration.contact)} est cochée : "
                                               "décochez-la d'abord."})
    registration.cancelled_on = today
    registration.waitlisted = False
    session.flush()
    if registration.session.status is TrainingStatus.CANCELLED:
        return None
    promoted = _promote_waiting(session, registration.session)
    return promoted[0] if promoted else None


def waiting_list(session: Session, session_id: int) -> list[Registration]:
    """The waiting list in its order: first registered first (the clock orders one day's registrations)."""
    stmt = (select(Registration).where(Registration.session_id == session_id, Registration.deleted_at.is_(None),
                                       Registration.cancelled_on.is_(None), Registration.waitlisted.is_(True))
            .order_by(Registration.registered_on, Registration.hlc, Registration.id))
    return list(session.scalars(stmt))


# --- Attendance ------------------------------------------------------------------------------------------------


def attendance_refusal(status: TrainingStatus, session_date: date, today: date) -> str | None:
    """Why attendance cannot be taken for such a session (French), or None when it can."""
    if status is TrainingStatus.CANCELLED:
        return "Cette session a été annulée : les présences ne peuvent pas être saisies."
    if status is not TrainingStatus.HELD and session_date > today:
        return (f"La session n'a pas encore eu lieu (prévue le {format_date(session_date)}) : les présences se "
                "saisissent le jour de la session ou après.")
    return None


def set_attendance(session: Session, registration_id: int, attended: bool, *, today: date | None = None) -> None:
    """Tick or untick who came; a session whose attendance is taken is held. Works offline: only the store."""
    today = today or date.today()
    registration = live(session, Registration, registration_id)
    training = registration.session
    refusal = attendance_refusal(training.status, training.session_date, today)
    if refusal:
        raise ValidationError({"attended": refusal})
    registration.attended = attended
    if attended:
        registration.waitlisted = False          # they came: they had a seat after all
        registration.registered_on = registration.registered_on or training.session_date
        if training.status is TrainingStatus.PLANNED:
            training.status = TrainingStatus.HELD
    session.flush()


def mark_attestations_issued(session: Session, session_id: int, *, today: date | None = None) -> int:
    """Date the attestations of the attendees who had none yet; returns how many were dated."""
    today = today or date.today()
    count = 0
    for registration in _live_registrations(session, live(session, TrainingSession, session_id).id):
        if registration.attended and registration.attestation_issued_on is None:
            registration.attestation_issued_on = today
            count += 1
    session.flush()
    return count


# --- Inside ----------------------------------------------------------------------------------------------------


def _check_capacity(session: Session, form: SessionForm, current: TrainingSession | None,
                    problems: Problems) -> None:
    if not 1 <= form.capacity <= MAX_CAPACITY:
        problems.add("capacity", f"La capacité doit être comprise entre 1 et {MAX_CAPACITY} places.")
        return
    if current is None:
        return
    seated = sum(1 for r in _live_registrations(session, current.id) if _holds_seat(r))
    if form.capacity < seated:
        problems.add("capacity", f"{seated} personnes sont déjà inscrites : la capacité ne peut pas descendre "
                                 f"sous {seated} places (annulez d'abord des inscriptions).")


def _check_status_and_date(form: SessionForm, current: TrainingSession | None, today: date,
                           problems: Problems) -> None:
    if form.status is TrainingStatus.HELD and form.session_date > today:
        problems.add("status", "Une session à venir ne peut pas être indiquée comme tenue.")
    moved = current is None or current.session_date != form.session_date
    if moved and form.status is TrainingStatus.PLANNED and form.session_date < today:
        problems.add("session_date", "Cette date est passée : pour une session qui a déjà eu lieu, choisissez le "
                                     "statut « Tenue ».")
    cancelled_now = (form.status is TrainingStatus.CANCELLED and current is not None
                     and current.status is not form.status)
    if cancelled_now and current is not None and any(
            r.attended for r in current.registrations if r.deleted_at is None and r.cancelled_on is None):
        problems.add("status", "Des présences sont saisies pour cette session : elle a eu lieu et ne peut pas "
                               "être annulée.")


def _twin_exists(session: Session, form: SessionForm, current: TrainingSession | None) -> bool:
    stmt = select(TrainingSession.id).where(
        TrainingSession.deleted_at.is_(None), TrainingSession.session_date == form.session_date,
        TrainingSession.start_time == form.start_time, TrainingSession.title == " ".join(form.title.split()))
    if current is not None:
        stmt = stmt.where(TrainingSession.id != current.id)
    return session.scalar(stmt.limit(1)) is not None


def _promote_waiting(session: Session, training: TrainingSession) -> list[str]:
    """Move the first on the waiting list into the free seats; their names, in order."""
    seated = sum(1 for r in _live_registrations(session, training.id) if _holds_seat(r))
    promoted = []
    for registration in waiting_list(session, training.id)[:max(0, training.capacity - seated)]:
        registration.waitlisted = False
        promoted.append(_name(registration.contact))
    session.flush()
    return promoted


def _holds_seat(registration: Registration) -> bool:
    return not registration.waitlisted and (registration.registered_on is not None or registration.attended)


def _open_for_registration(session: Session, session_id: int, today: date, *, inviting: bool) -> TrainingSession:
    training = live(session, TrainingSession, session_id)
    if training.status is TrainingStatus.CANCELLED:
        raise ValidationError({"session": "Cette session a été annulée : on ne peut plus y inviter ni inscrire."})
    if inviting and training.session_date < today:
        raise ValidationError({"session": "Cette session a déjà eu lieu : on ne peut plus y inviter."})
    return training


def _reset(registration: Registration) -> None:
    registration.cancelled_on = None
    registration.registered_on = None
    registration.waitlisted = False
    registration.attended = False
    registration.attestation_issued_on = None


def _contacts(session: Session, contact_ids: Iterable[int]) -> list[Contact]:
    contacts = []
    for contact_id in dict.fromkeys(contact_ids):     # once each, in the order given
        contact = session.get(Contact, contact_id)
        if contact is None or contact.deleted_at is not None:
            raise ValidationError({"contact": "Un de ces interlocuteurs a été archivé ou n'existe plus."})
        contacts.append(contact)
    return contacts


def _registration_of(session: Session, session_id: int, contact_id: int) -> Registration | None:
    stmt = (select(Registration).where(Registration.session_id == session_id, Registration.contact_id == contact_id,
                                       Registration.deleted_at.is_(None))
            .order_by(Registration.cancelled_on.is_not(None), Registration.id.desc()))
    return session.scalars(stmt.limit(1)).first()


def _live_registrations(session: Session, session_id: int) -> list[Registration]:
    stmt = select(Registration).where(Registration.session_id == session_id, Registration.deleted_at.is_(None),
                                      Registration.cancelled_on.is_(None))
    return list(session.scalars(stmt))


def _name(contact: Contact) -> str:
    return f"{contact.first_name} {contact.last_name}".strip()
