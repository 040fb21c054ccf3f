"""Contacts and tutors of a partner: the form, its rules, archive, and a tutor's training history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data import fields, validation
from poledesk.data.live import live, live_or_noted
from poledesk.data.models import Contact, Partner, Registration, TrainingSession, utcnow
from poledesk.data.validation import Problems, ValidationError


@dataclass(frozen=True, slots=True)
class ContactForm:
    last_name: str
    first_name: str = ""
    role: str = ""
    phone: str = ""
    email: str = ""
    is_tutor: bool = False
    consents_to_contact: bool = True


@dataclass(frozen=True, slots=True)
class TrainingAttended:
    session_id: int
    title: str
    session_date: date
    start_time: time
    place: str


def checked_contact(form: ContactForm) -> dict[str, object]:
    """The form's values, normalised; raises ValidationError with every problem, field by field."""
    problems = Problems()
    last_name = " ".join(form.last_name.split())
    if not last_name:
        problems.add("last_name", "Le nom de l'interlocuteur est obligatoire.")
    phone = problems.check("phone", validation.check_phone, form.phone) or ""
    email = problems.check("email", validation.check_email, form.email) or ""
    problems.raise_if_any()
    values = {"last_name": last_name, "first_name": " ".join(form.first_name.split()), "role": form.role.strip(),
              "phone": phone, "email": email, "is_tutor": form.is_tutor,
              "consents_to_contact": form.consents_to_contact}
    limits = fields.values_problems(Contact, values)
    if limits:
        raise ValidationError(limits)
    return values


def save_contact(session: Session, partner_id: int, form: ContactForm, contact_id: int | None = None) -> int:
    """Check, then insert or update a contact of a live partner; nothing is written when it raises."""
    problems = Problems()
    try:
        values = checked_contact(form)
    except ValidationError as error:   # reported with the partner's problem, if any, all at once
        values = {}
        for field, message in error.problems.items():
            problems.add(field, message)
    live_or_noted(session, problems, Partner, partner_id)
    problems.raise_if_any()
    contact = Contact(partner_id=partner_id) if contact_id is None else live(session, Contact, contact_id)
    for field, value in values.items():
        if getattr(contact, field, None) != value:
            setattr(contact, field, value)
    session.add(contact)
    session.flush()
    return contact.id


def contact_form(session: Session, contact_id: int) -> ContactForm:
    contact = live(session, Contact, contact_id)
    return ContactForm(**{f: getattr(contact, f) for f in ContactForm.__dataclass_fields__})


def archive_contact(session: Session, contact_id: int) -> None:
    live(session, Contact, contact_id).deleted_at = utcnow()
    session.flush()


def mark_as_tutor(session: Session, contact_id: int) -> None:
    """Flag a contact as a tutor (asked for when registering a non-tutor to a tutor training)."""
    contact = live(session, Contact, contact_id)
    if not contact.is_tutor:
        contact.is_tutor = True
        session.flush()


def training_history(session: Session, contact_id: int) -> list[TrainingAttended]:
    """The tutor trainings this contact attended, newest first (read from the registrations)."""
    stmt = (select(TrainingSession.id, TrainingSession.title, TrainingSession.session_date,
                   TrainingSession.start_time, TrainingSession.place)
            .join(Registration, Registration.session_id == TrainingSession.id)
            .where(Registration.contact_id == contact_id, Registration.attended.is_(True),
                   Registration.deleted_at.is_(None), TrainingSession.deleted_at.is_(None))
            .order_by(TrainingSession.session_date.desc()))
    return [TrainingAttended(*row) for row in session.execute(stmt)]

