"""Placements: the form (pupil at a partner for a period, with its weekly timetable) and its basic rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data import validation
from poledesk.data.enums import Audience, ConventionStatus
from poledesk.data.live import live
from poledesk.data.models import Contact, Establishment, Partner, Placement, Pupil, TimetableDay, utcnow
from poledesk.data.validation import Problems, ValidationError

WEEKDAYS = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")


@dataclass(frozen=True, slots=True)
class DaySlot:
    """One day of the weekly timetable: presence from start to end, less an optional break."""

    weekday: int
    start: time
    end: time
    break_start: time | None = None
    break_end: time | None = None


STANDARD_WEEK = tuple(DaySlot(day, time(8, 30), time(17, 0), time(12, 0), time(13, 30)) for day in range(5))


@dataclass(frozen=True, slots=True)
class PlacementForm:
    pupil_id: int
    establishment_id: int
    partner_id: int
    audience: Audience
    start_date: date
    end_date: date
    tutor_id: int | None = None
    formation_id: int | None = None
    escalation_id: int | None = None
    referent_teacher_name: str = ""
    referent_teacher_email: str = ""
    timetable: tuple[DaySlot, ...] = STANDARD_WEEK
    activities: str = ""
    skills: str = ""
    site_address: str = ""
    family_business: bool = False       # under 14, only a family business may host in a company (L4153-5)
    meals: str = ""
    transport: str = ""
    accommodation: str = ""
    gratification: str = ""


def timetable_problems(timetable: tuple[DaySlot, ...]) -> list[str]:
    """Shape errors a timetable cannot have whatever the law says: the legal limits are the rules engine's."""
    problems, seen = [], set()
    for slot in timetable:
        day = WEEKDAYS[slot.weekday] if 0 <= slot.weekday < 7 else f"Jour {slot.weekday}"
        if not 0 <= slot.weekday < 7 or slot.weekday in seen:
            problems.append(f"{day} : jour inconnu ou saisi deux fois.")
        seen.add(slot.weekday)
        if slot.end <= slot.start:
            problems.append(f"{day} : l'heure de fin doit suivre l'heure de début.")
        if (slot.break_start is None) != (slot.break_end is None):
            problems.append(f"{day} : indiquez le début et la fin de la pause.")
        elif slot.break_start is not None and slot.break_end is not None and not (
                slot.start < slot.break_start < slot.break_end < slot.end):
            problems.append(f"{day} : la pause doit se situer entre l'arrivée et le départ.")
    return problems


def save_placement(session: Session, form: PlacementForm, placement_id: int | None = None, *,
                   amending: bool = False) -> int:
    """Check, then insert or update a placement and its timetable; nothing is written when it raises.

    A signed convention is never changed silently: only convention_tracking.record_amendment (amending=True)
    writes to a signed placement, after recording what changed in an avenant. A printed one is edited through
    conventions.versions.save_printed_placement, which keeps the paper it makes obsolete.
    """
    if placement_id is not None and not amending and live(session, Placement, placement_id).convention_status in (
            ConventionStatus.SIGNED, ConventionStatus.SIGNED_OUTSIDE):
        raise ValidationError({"placement": "La convention de ce stage est signée : modifiez-la par un avenant."})
    problems = Problems()
    _check_references(session, form, problems)
    if form.end_date < form.start_date:
        problems.add("end_date", "La fin de la période ne peut pas précéder son début.")
    if not form.timetable:
        problems.add("timetable", "Indiquez au moins un jour de présence.")
    for message in timetable_problems(form.timetable)[:1]:
        problems.add("timetable", message)
    email = problems.check("referent_teacher_email", validation.check_email, form.referent_teacher_email) or ""
    problems.raise_if_any()
    placement = Placement() if placement_id is None else live(session, Placement, placement_id)
    values = {name: getattr(form, name) for name in PlacementForm.__dataclass_fields__ if name != "timetable"}
    values["referent_teacher_email"] = email
    for name, value in values.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(placement, name, None) != value:
            setattr(placement, name, value)
    session.add(placement)
    session.flush()
    _replace_timetable(session, placement, form.timetable)
    return placement.id


def placement_form(session: Session, placement_id: int) -> PlacementForm:
    placement = live(session, Placement, placement_id)
    values = {name: getattr(placement, name) for name in PlacementForm.__dataclass_fields__ if name != "timetable"}
    timetable = tuple(DaySlot(d.weekday, d.start, d.end, d.break_start, d.break_end)
                      for d in placement.timetable if d.deleted_at is None)
    return PlacementForm(**values, timetable=timetable)


def cancel_placement(session: Session, placement_id: int, on: date) -> None:
    placement = live(session, Placement, placement_id)
    placement.convention_status = ConventionStatus.CANCELLED
    placement.cancelled_on = on
    session.flush()


def _replace_timetable(session: Session, placement: Placement, timetable: tuple[DaySlot, ...]) -> None:
    current = {d.weekday: d for d in placement.timetable if d.deleted_at is None}
    wanted = {slot.weekday: slot for slot in timetable}
    for weekday, dropped in current.items():
        if weekday not in wanted:
            dropped.deleted_at = utcnow()
    for weekday, slot in wanted.items():
        day = current.get(weekday)
        if day is None:
            session.add(TimetableDay(placement_id=placement.id, weekday=weekday, start=slot.start, end=slot.end,
                                     break_start=slot.break_start, break_end=slot.break_end))
        elif (day.start, day.end, day.break_start, day.break_end) != (slot.start, slot.end, slot.break_start,
                                                                      slot.break_end):
            day.start, day.end, day.break_start, day.break_end = (slot.start, slot.end, slot.break_start,
                                                                  slot.break_end)
    session.flush()
    session.expire(placement, ["timetable"])


def _check_references(session: Session, form: PlacementForm, problems: Problems) -> None:
    partner = session.get(Partner, form.partner_id)
    if partner is None or partner.deleted_at is not None:
        problems.add("partner", "Choisissez une structure d'accueil du réseau.")
    school = session.get(Establishment, form.establishment_id)
    if school is None or school.deleted_at is not None:
        problems.add("establishment", "Choisissez un établissement du pôle.")
    pupil = session.get(Pupil, form.pupil_id)
    if pupil is None or pupil.purged_at is not None:
        problems.add("pupil", "Cet élève n'existe plus dans PoleDesk.")
    if form.tutor_id is not None:
        tutor = session.get(Contact, form.tutor_id)
        if tutor is None or tutor.partner_id != form.partner_id or tutor.deleted_at is not None:
            problems.add("tutor", "Le tuteur doit être un interlocuteur de la structure d'accueil.")


def tutors_of(session: Session, partner_id: int) -> list[tuple[int, str]]:
    """(id, name) of a partner's live contacts, tutors first: the choices of the placement form's tutor."""
    stmt = (select(Contact.id, Contact.first_name, Contact.last_name, Contact.is_tutor)
            .where(Contact.partner_id == partner_id, Contact.deleted_at.is_(None))
            .order_by(Contact.is_tutor.desc(), Contact.last_name))
    return [(row.id, f"{row.first_name} {row.last_name}".strip() + (" (tuteur)" if row.is_tutor else ""))
            for row in session.execute(stmt)]
