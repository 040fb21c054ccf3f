"""Everything a convention, its avenants and its attestation print, read from the store in one session.

`convention_document(session, placement_id, today=...)` returns a frozen `ConventionDocument`: plain values that
stay valid once the session is closed and can cross threads; the renderers (reports/conventions.py) never touch
the store. The rules' findings travel with it, from `convention_data.convention_facts`, so that a refusal to print
and the printed text see the same facts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data import holidays as public_days
from poledesk.data import identity
from poledesk.data.conventions.facts import convention_facts
from poledesk.data.conventions.rule_calendar import gratification_due
from poledesk.data.conventions.rules import (
    OBSERVATION_AUDIENCES,
    Finding,
    check_convention,
    clock_text,
    presence_minutes,
)
from poledesk.data.enums import Audience, ConventionStatus
from poledesk.data.models import Contact, Placement, Pole
from poledesk.data.placements.form import WEEKDAYS, DaySlot, placement_form
from poledesk.data.pupils import age_on
from poledesk.data.text import format_date
from poledesk.data.validation import ValidationError, format_siret

PFMP, OBSERVATION = "pfmp", "observation"


@dataclass(frozen=True, slots=True)
class Host:
    name: str
    siret: str                  # formatted, '732 829 320 00074'; '' when unknown
    legal_kind: str             # French label
    naf_code: str
    activity: str               # the NAF label in words
    head_office: str            # address, postcode and commune on one line
    site: str                   # where the pupil goes; '' when it is the head office
    phone: str
    email: str
    representative_name: str
    representative_role: str
    insurer: str


@dataclass(frozen=True, slots=True)
class School:
    name: str
    kind: str
    uai: str
    address: str
    phone: str
    email: str
    head_name: str


@dataclass(frozen=True, slots=True)
class PupilInfo:
    first_name: str
    last_name: str
    birth_date: date | None
    age: int | None             # at the period's start
    class_name: str
    formation: str              # the diploma or level prepared
    representative_name: str
    representative_email: str
    representative_phone: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def minor(self) -> bool:
        """Unknown age counts as minor: the representative's block is printed rather than forgotten."""
        return self.age is None or self.age < 18


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    role: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class AmendmentInfo:
    number: int
    created_on: date
    reason: str
    signed_on: date | None
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class ConventionDocument:
    placement_id: int
    reference: str              # 'NM-07-000412'
    template: str               # PFMP or OBSERVATION
    audience: Audience
    pole_name: str
    pole_code: str
    academie: str
    animator: str
    pole_contact: str           # the pole's email and phone, for the host's questions
    host: Host
    school: School
    pupil: PupilInfo
    tutor: Person | None
    referent: Person
    start_date: date
    end_date: date
    timetable: tuple[DaySlot, ...]
    days: int                   # days of presence, public holidays left out
    total_minutes: int
    weekly_minutes: int
    holidays: tuple[date, ...]  # public holidays in the period that the timetable would have worked
    activities: str
    skills: str
    meals: str
    transport: str
    accommodation: str
    gratification: str
    gratification_due: bool     # more than 44 days (of 7 h) with this host this school year (L124-6)
    status: ConventionStatus
    printed_on: date | None
    signed_on: date | None
    amendments: tuple[AmendmentInfo, ...]
    findings: tuple[Finding, ...]
    edited_on: date

    @property
    def observation(self) -> bool:
        return self.template == OBSERVATION

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.blocking)

    def amendment(self, number: int) -> AmendmentInfo | None:
        return next((a for a in self.amendments if a.number == number), None)


def convention_document(session: Session, placement_id: int, *, today: date) -> ConventionDocument:
    """The document of a live placement; ValidationError (French) for an unknown, deleted or purged one."""
    placement = session.get(Placement, placement_id)
    if placement is None or placement.deleted_at is not None:
        raise ValidationError({"placement": f"Aucun stage n° {placement_id} dans PoleDesk (supprimé ou inconnu)."})
    if placement.pupil.purged_at is not None:
        raise ValidationError({"pupil": "Les données de l'élève de ce stage ont été purgées : la convention ne "
                                        "peut plus être éditée."})
    form = placement_form(session, placement_id)
    facts = convention_facts(session, form, placement_id=placement_id, today=today)
    pole = _pole(session, placement)
    site_postcode = placement.partner.postcode
    days, holidays = _presence(placement.start_date, placement.end_date, form.timetable, site_postcode)
    total = sum(presence_minutes(slot) for _, slot in days)
    return ConventionDocument(
        placement_id=placement.id, reference=f"{pole.code or 'PD'}-{placement.id:06d}",
        template=OBSERVATION if placement.audience in OBSERVATION_AUDIENCES else PFMP, audience=placement.audience,
        pole_name=pole.name, pole_code=pole.code, academie=pole.academie, animator=pole.animator_name,
        pole_contact=" – ".join(v for v in (pole.email, pole.phone) if v),
        host=_host(placement), school=_school(placement), pupil=_pupil(placement),
        tutor=_person(placement.tutor),
        referent=Person(placement.referent_teacher_name, "Professeur référent" if placement.audience in
                        OBSERVATION_AUDIENCES else "Enseignant référent", "", placement.referent_teacher_email),
        start_date=placement.start_date, end_date=placement.end_date,
        timetable=tuple(sorted(form.timetable, key=lambda s: s.weekday)), days=len(days), total_minutes=total,
        weekly_minutes=sum(presence_minutes(slot) for slot in form.timetable), holidays=holidays,
        activities=placement.activities, skills=placement.skills, meals=placement.meals,
        transport=placement.transport, accommodation=placement.accommodation, gratification=placement.gratification,
        gratification_due=gratification_due(facts), status=placement.convention_status,
        printed_on=placement.printed_on, signed_on=placement.signed_on,
        amendments=tuple(_amendment(session, a) for a in placement.amendments if a.deleted_at is None),
        findings=tuple(check_convention(facts)), edited_on=today)


def _pole(session: Session, placement: Placement) -> Pole:
    # The placement's owner is its pole; a coordinator's store knows every pole, a pole's store knows itself.
    pole = identity.pole_of(session, placement.owner) if placement.owner else None
    if pole is None:
        ident = identity.current_identity(session)
        pole = identity.pole_of(session, ident.code) if ident is not None else None
    return pole or Pole(code="", name="Pôle de stages", academie="", animator_name="", email="", phone="")


def _line(*parts: str) -> str:
    return " ".join(" ".join(p.split()) for p in parts if p and p.strip())


def _host(placement: Placement) -> Host:
    p = placement.partner
    head_office = _line(p.address + ("," if p.address and (p.postcode or p.commune) else ""), p.postcode, p.commune)
    site = " ".join(placement.site_address.split())
    return Host(name=p.name.strip(), siret=format_siret(p.siret),
                legal_kind=p.legal_kind.label,
                naf_code=p.naf_code, activity=p.sector, head_office=head_office,
                site="" if site == head_office else site, phone=p.phone, email=p.email,
                representative_name=p.representative_name.strip(), representative_role=p.representative_role.strip(),
                insurer=p.insurer.strip())


def _school(placement: Placement) -> School:
    s = placement.establishment
    address = _line(s.address + ("," if s.address and (s.postcode or s.commune) else ""), s.postcode, s.commune)
    return School(name=s.name.strip(), kind=s.kind.label, uai=s.uai, address=address, phone=s.phone, email=s.email,
                  head_name=s.head_name.strip())


def _pupil(placement: Placement) -> PupilInfo:
    p = placement.pupil
    formation = placement.formation or p.formation
    return PupilInfo(first_name=p.first_name.strip(), last_name=p.last_name.strip(), birth_date=p.birth_date,
                     age=age_on(p.birth_date, placement.start_date) if p.birth_date else None,
                     class_name=p.class_name.strip(), formation=formation.label if formation else "",
                     representative_name=p.representative_name.strip(),
                     representative_email=p.representative_email.strip(),
                     representative_phone=p.representative_phone.strip())


def _person(contact: Contact | None) -> Person | None:
    if contact is None or contact.deleted_at is not None:
        return None
    return Person(f"{contact.first_name} {contact.last_name}".strip(), contact.role, contact.phone, contact.email)


CHANGE_LABELS = {
    "start_date": "Date de début", "end_date": "Date de fin", "timetable": "Emploi du temps hebdomadaire",
    "tutor_id": "Tuteur", "tutor": "Tuteur", "referent_teacher_name": "Enseignant référent",
    "site_address": "Lieu de la période", "activities": "Activités confiées", "skills": "Compétences visées",
    "meals": "Restauration", "transport": "Transport", "accommodation": "Hébergement",
    "gratification": "Gratification",
}


def _amendment(session: Session, amendment: Any) -> AmendmentInfo:
    changes = stored_changes(amendment.changes)
    return AmendmentInfo(amendment.number, amendment.created_on, amendment.reason.strip(), amendment.signed_on,
                         change_lines(changes, tutor_names(session, changes)))


# -- the one wording of an avenant's changes: the amendment form on screen and the printed avenant ----------------

def stored_changes(text: str | None) -> dict[str, list[Any]]:
    """An avenant's changes as stored (JSON: field -> [before, after]); a damaged entry reads as no change."""
    try:
        changes = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(changes, dict):
        return {}
    return {field: (list(values) + [None, None])[:2] if isinstance(values, list | tuple) else [None, values]
            for field, values in changes.items()}


def change_lines(changes: Mapping[str, Sequence[Any]], names: Mapping[int, str]) -> tuple[Change, ...]:
    """The changes as the screen shows them and the avenant prints them: French label, before, after."""
    return tuple(Change(CHANGE_LABELS.get(field, field.replace("_", " ").capitalize()),
                        _value_text(field, values[0], names), _value_text(field, values[1], names))
                 for field, values in changes.items())


def tutor_names(session: Session, changes: Mapping[str, Sequence[Any]]) -> dict[int, str]:
    """The names of the tutors an avenant names, archived ones too: a past avenant still says who it was."""
    ids = [value for value in changes.get("tutor_id", ()) if isinstance(value, int)]
    contacts: Iterable[Contact] = session.scalars(select(Contact).where(Contact.id.in_(ids))) if ids else ()
    return {c.id: f"{c.first_name} {c.last_name}".strip() for c in contacts}


def _value_text(field: str, value: Any, names: Mapping[int, str]) -> str:
    """A changed value in words: dates dd/mm/yyyy, a tutor by name, a timetable day by day."""
    if field == "tutor_id" and value is None:
        return "À désigner"
    if value is None or value == "" or value == []:
        return "—"
    if field.endswith("_date") and isinstance(value, str):
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    if field == "tutor_id" and isinstance(value, int):
        return names.get(value, f"interlocuteur n° {value}")
    if field == "timetable" and isinstance(value, list):
        return " ; ".join(_day_text(day) for day in value if isinstance(day, dict)) or "—"
    return str(value)


def _day_text(day: Mapping[str, Any]) -> str:
    def clock(key: str) -> str:
        return clock_text(time.fromisoformat(day[key])) if day.get(key) else ""

    text = f"{WEEKDAYS[int(day.get('weekday', 0)) % 7]} {clock('start')} – {clock('end')}"
    return text + (f" (pause {clock('break_start')} – {clock('break_end')})" if day.get("break_start") else "")


def _presence(start: date, end: date, timetable: tuple[DaySlot, ...],
              postcode: str) -> tuple[list[tuple[date, DaySlot]], tuple[date, ...]]:
    """Days of presence in the period, and the public holidays left out (L3164-6: a minor does not work then)."""
    by_day = {slot.weekday: slot for slot in timetable}
    holidays = set().union(*(public_holidays(year, postcode) for year in range(start.year, end.year + 1)))
    days: list[tuple[date, DaySlot]] = []
    skipped: list[tuple[date, DaySlot]] = []
    day = start
    while day <= end:
        if day.weekday() in by_day:
            (skipped if day in holidays else days).append((day, by_day[day.weekday()]))
        day += timedelta(days=1)
    return days, tuple(d for d, _ in skipped)


def public_holidays(year: int, postcode: str = "") -> set[date]:
    """French public holidays of a year; with Good Friday and 26 December in Alsace-Moselle (57, 67, 68)."""
    return set(public_days.public_holidays(year, public_days.department_of(postcode)))
