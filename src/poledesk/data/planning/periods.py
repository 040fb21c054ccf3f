"""Periods: what an establishment plans for one class (formation, division, dates, pupils), checked and saved."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data.enums import Audience
from poledesk.data.models import Escalation, Establishment, Formation, Placement, PlanningPeriod, utcnow
from poledesk.data.text import format_date, school_year_of
from poledesk.data.validation import ValidationError

SOURCES = {"entered": "saisie", "imported": "importée", "proposed": "proposée"}
MAX_PUPILS = 2000


@dataclass(frozen=True, slots=True)
class PeriodForm:
    """What the period form (or a sheet row, or a proposal) gives."""

    establishment_id: int | None
    audience: Audience | None
    start_date: date | None
    end_date: date | None
    pupils: int | None
    formation_id: int | None = None
    division: str = ""
    notes: str = ""
    source: str = "entered"


@dataclass(frozen=True, slots=True)
class PeriodRow:
    id: int
    uid: str
    owner: str
    establishment_id: int
    establishment_name: str
    uai: str
    postcode: str
    formation_id: int | None
    formation_label: str
    division: str
    audience: Audience
    start_date: date
    end_date: date
    pupils: int
    source: str
    notes: str

    @property
    def dates_text(self) -> str:
        return f"du {format_date(self.start_date)} au {format_date(self.end_date)}"

    @property
    def school_year(self) -> str:
        return school_year_of(self.start_date)


def check_period(session: Session, form: PeriodForm, *, school_year: str | None = None) -> PeriodForm:
    """The form with its audience taken from the formation when not given; ValidationError (French) if wrong."""
    problems: dict[str, str] = {}
    school = session.get(Establishment, form.establishment_id) if form.establishment_id else None
    if school is None or school.deleted_at is not None:
        problems["establishment_id"] = "Choisissez un établissement du pôle."
    formation = session.get(Formation, form.formation_id) if form.formation_id else None
    if form.formation_id and (formation is None or formation.deleted_at is not None):
        problems["formation_id"] = "Cette formation n'existe pas."
    audience = form.audience or (formation.audience if formation else None)
    if audience is None:
        problems["audience"] = "Choisissez le public de la période."
    elif formation is not None and formation.audience is not audience:
        problems["audience"] = f"La formation choisie relève du public « {formation.audience.label} »."
    problems.update(_date_problems(form.start_date, form.end_date, school_year))
    if form.pupils is None or form.pupils <= 0:
        problems["pupils"] = "Le nombre d'élèves doit être d'au moins 1."
    elif form.pupils > MAX_PUPILS:
        problems["pupils"] = f"Plus de {MAX_PUPILS} élèves pour une période : vérifiez le nombre."
    if len(form.division) > 40:
        problems["division"] = "La classe tient en 40 caractères au plus."
    if problems:
        raise ValidationError(problems)
    return replace(form, audience=audience, division=" ".join(form.division.split()))


def _date_problems(start: date | None, end: date | None, school_year: str | None) -> dict[str, str]:
    if start is None:
        return {"start_date": "Indiquez la date de début."}
    if end is None:
        return {"end_date": "Indiquez la date de fin."}
    if end < start:
        return {"end_date": f"La fin ({format_date(end)}) précède le début ({format_date(start)})."}
    if school_year_of(start) != school_year_of(end):
        return {"end_date": "La période doit tenir dans une année scolaire (du 1er septembre au 31 août)."}
    if school_year and school_year_of(start) != school_year:
        return {"start_date": f"La période est hors de l'année scolaire {school_year}."}
    return {}


def save_period(session: Session, form: PeriodForm, period_id: int | None = None, *,
                school_year: str | None = None) -> int:
    """Check, then insert or update; raise ValidationError and write nothing when the form is wrong."""
    checked = check_period(session, form, school_year=school_year)
    period = session.get(PlanningPeriod, period_id) if period_id else PlanningPeriod()
    if period is None or period.deleted_at is not None:
        raise ValidationError({"establishment_id": "Cette période a été supprimée entre-temps."})
    period.establishment_id = checked.establishment_id  # type: ignore[assignment]  # checked: set
    period.formation_id = checked.formation_id
    period.division = checked.division
    period.audience = checked.audience  # type: ignore[assignment]  # checked: set
    period.start_date = checked.start_date  # type: ignore[assignment]  # checked: set
    period.end_date = checked.end_date  # type: ignore[assignment]  # checked: set
    period.pupils = checked.pupils  # type: ignore[assignment]  # checked: set
    period.notes = checked.notes
    if period_id is None:
        period.source = checked.source
        session.add(period)
    session.flush()
    return period.id


def delete_period(session: Session, period_id: int) -> None:
    """A tombstone, as for every travelling record."""
    period = session.get(PlanningPeriod, period_id)
    if period is not None and period.deleted_at is None:
        period.deleted_at = utcnow()
        session.flush()


def period_form_of(row: PeriodRow) -> PeriodForm:
    return PeriodForm(row.establishment_id, row.audience, row.start_date, row.end_date, row.pupils,
                      formation_id=row.formation_id, division=row.division, notes=row.notes, source=row.source)


def list_periods(session: Session, *, school_year: str | None = None, establishment_id: int | None = None,
                 owner: str | None = None) -> list[PeriodRow]:
    """Live periods, by start date then establishment; of one school year, establishment or owner if given."""
    stmt = (select(PlanningPeriod.id, PlanningPeriod.uid, PlanningPeriod.owner, PlanningPeriod.establishment_id,
                   Establishment.name, Establishment.uai, Establishment.postcode, PlanningPeriod.formation_id,
                   Formation.label, PlanningPeriod.division, PlanningPeriod.audience, PlanningPeriod.start_date,
                   PlanningPeriod.end_date, PlanningPeriod.pupils, PlanningPeriod.source, PlanningPeriod.notes)
            .join(Establishment, Establishment.id == PlanningPeriod.establishment_id)
            .outerjoin(Formation, Formation.id == PlanningPeriod.formation_id)
            .where(PlanningPeriod.deleted_at.is_(None), Establishment.deleted_at.is_(None))
            .order_by(PlanningPeriod.start_date, Establishment.name, PlanningPeriod.division))
    if school_year:
        first = date(int(school_year[:4]), 9, 1)
        stmt = stmt.where(PlanningPeriod.start_date >= first, PlanningPeriod.start_date < first.replace(
            year=first.year + 1))
    if establishment_id is not None:
        stmt = stmt.where(PlanningPeriod.establishment_id == establishment_id)
    if owner is not None:
        stmt = stmt.where(PlanningPeriod.owner == owner)
    return [PeriodRow(pid, uid, own, school, name, uai, postcode, fid, label or "", division, audience, start, end,
                      pupils, source, notes)
            for pid, uid, own, school, name, uai, postcode, fid, label, division, audience, start, end, pupils,
            source, notes in session.execute(stmt)]


def propose_periods(session: Session, school_year: str) -> list[PeriodForm]:
    """Periods the escalations and placements of the year already carry, grouped per establishment, formation
    and dates, that no planned period of that establishment and audience overlaps yet (pupils counted once)."""
    first = date(int(school_year[:4]), 9, 1)
    last = date(first.year + 1, 8, 31)
    pupils: dict[tuple[int, int | None, Audience, date, date], set[int]] = defaultdict(set)
    for model, start, end in ((Escalation, Escalation.period_start, Escalation.period_end),
                              (Placement, Placement.start_date, Placement.end_date)):
        stmt = (select(model.establishment_id, model.formation_id, model.audience, start, end, model.pupil_id)
                .where(model.deleted_at.is_(None), start >= first, start <= last))
        for school, formation, audience, begin, finish, pupil in session.execute(stmt):
            if finish >= begin and school_year_of(finish) == school_year:
                pupils[(school, formation, audience, begin, finish)].add(pupil)
    planned = list_periods(session, school_year=school_year)
    proposals = []
    for (school, formation, audience, begin, finish), group in sorted(pupils.items(), key=lambda kv: kv[0][3]):
        if any(p.establishment_id == school and p.audience is audience and p.start_date <= finish
               and begin <= p.end_date for p in planned):
            continue
        proposals.append(PeriodForm(school, audience, begin, finish, len(group), formation_id=formation,
                                    notes="D'après les sollicitations et stages déjà saisis.", source="proposed"))
    return proposals


def accept_proposals(session: Session, forms: list[PeriodForm]) -> list[int]:
    return [save_period(session, form) for form in forms]
