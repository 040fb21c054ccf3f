"""Pupils: their age and initials as lists show them, and the minimal form of a pupil met outside an escalation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data import validation
from poledesk.data.choices import Choice
from poledesk.data.models import Establishment, Formation, Pupil
from poledesk.data.validation import Problems, ValidationError

AGE_RANGE = (10, 30)        # ages a pupil's birth date may give at the period's start; outside is a typing error


def age_on(birth: date, day: date) -> int:
    """Age in whole years on `day` (the domain computes it at the period's start)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def pupil_initials(first_name: str, last_name: str) -> str:
    """'Léa Martin' -> 'Léa M.': what a list shows of a pupil; 'Élève anonymisé' once the identity is purged."""
    first, last = first_name.strip(), last_name.strip()
    if not first and not last:
        return "Élève anonymisé"
    return f"{first} {last[0].upper()}." if last else first


@dataclass(frozen=True, slots=True)
class PupilForm:
    """What DOMAIN.md lets us keep of a pupil: identity, class, formation, the representative of a minor, needs."""

    establishment_id: int
    last_name: str
    first_name: str
    birth_date: date | None
    class_name: str = ""
    formation_id: int | None = None
    representative_name: str = ""
    representative_email: str = ""
    representative_phone: str = ""
    needs: str = ""
    has_pai: bool = False
    has_disability: bool = False


def check_pupil(session: Session, form: PupilForm, *, owner: str, on: date) -> dict[str, str]:
    """Every problem of the form, field -> French message; `on` is the day the age is checked at (the start)."""
    problems = Problems()
    school = session.get(Establishment, form.establishment_id)
    if school is None or school.deleted_at is not None or (owner and school.owner != owner):
        problems.add("establishment", "Choisissez un établissement du pôle.")
    if not form.last_name.strip() or not form.first_name.strip():
        problems.add("last_name", "Le nom et le prénom de l'élève sont obligatoires.")
    if form.birth_date is None:
        problems.add("birth_date", "La date de naissance de l'élève est obligatoire.")
    else:
        age = age_on(form.birth_date, on)
        if not AGE_RANGE[0] <= age <= AGE_RANGE[1]:
            problems.add("birth_date", f"Avec cette date de naissance, l'élève aurait {age} ans au début du stage : "
                                       "vérifiez-la.")
    if form.formation_id is not None and session.get(Formation, form.formation_id) is None:
        problems.add("formation", "Cette formation n'existe pas.")
    problems.check("representative_email", validation.check_email, form.representative_email)
    problems.check("representative_phone", validation.check_phone, form.representative_phone)
    return problems.problems


def save_pupil(session: Session, form: PupilForm, *, owner: str, on: date) -> int:
    """Record a new pupil; nothing is written when it raises ValidationError."""
    problems = check_pupil(session, form, owner=owner, on=on)
    if problems:
        raise ValidationError(problems)
    email, phone = form.representative_email.strip(), form.representative_phone.strip()
    pupil = Pupil(establishment_id=form.establishment_id, formation_id=form.formation_id,
                  last_name=form.last_name.strip(), first_name=form.first_name.strip(), birth_date=form.birth_date,
                  class_name=form.class_name.strip(), representative_name=form.representative_name.strip(),
                  representative_email=validation.check_email(email) if email else "",
                  representative_phone=validation.check_phone(phone) if phone else "",
                  needs=form.needs.strip(), has_pai=form.has_pai, has_disability=form.has_disability)
    session.add(pupil)
    session.flush()
    return pupil.id


def pupil_choices(session: Session, establishment_id: int) -> list[Choice]:
    """An establishment's pupils still on this laptop, by name ('Martin Léa, 1re MCV')."""
    stmt = (select(Pupil.id, Pupil.last_name, Pupil.first_name, Pupil.class_name)
            .where(Pupil.establishment_id == establishment_id, Pupil.deleted_at.is_(None),
                   Pupil.purged_at.is_(None))
            .order_by(Pupil.last_name, Pupil.first_name, Pupil.id))
    return [Choice(id_, f"{last} {first}" + (f", {class_name}" if class_name else ""))
            for id_, last, first, class_name in session.execute(stmt)]
