"""Establishments: the rows the Établissements tab lists, the search over them, and a school's file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from poledesk.data.enums import Audience, EscalationStatus, EstablishmentKind, PriorityEducation
from poledesk.data.models import Escalation, Establishment, EstablishmentFormation, Formation
from poledesk.data.search import matches_words
from poledesk.data.text import school_year_of

OPEN_ESCALATION = (EscalationStatus.RECEIVED, EscalationStatus.SEARCHING, EscalationStatus.PROPOSED)


@dataclass(frozen=True, slots=True)
class EstablishmentRow:
    id: int
    uai: str
    name: str
    kind: EstablishmentKind
    commune: str
    postcode: str
    priority_education: PriorityEducation
    formations: int      # formations prepared in the school year
    pupils: int          # pupils of those formations in the school year


@dataclass(frozen=True, slots=True)
class FormationLine:
    code: str
    label: str
    audience: Audience
    pfmp_weeks: int
    pupils: int


@dataclass(frozen=True, slots=True)
class EstablishmentDetail:
    id: int
    uai: str
    name: str
    kind: EstablishmentKind
    address: str
    postcode: str
    commune: str
    phone: str
    email: str
    head_name: str
    referent_name: str
    referent_role: str
    referent_email: str
    referent_phone: str
    priority_education: PriorityEducation
    school_year: str
    formations: tuple[FormationLine, ...]
    pupils: int
    open_escalations: int
    escalations_in_year: int


def current_school_year(today: date | None = None) -> str:
    return school_year_of(today or date.today())


def _establishment_list_statement(school_year: str) -> Select[*tuple[Any, ...]]:
    # Counts come from one grouped subquery joined once, never a query per establishment.
    year = (select(EstablishmentFormation.establishment_id,
                   func.count(func.distinct(EstablishmentFormation.formation_id)).label("formations"),
                   func.sum(EstablishmentFormation.pupils).label("pupils"))
            .where(EstablishmentFormation.school_year == school_year, EstablishmentFormation.deleted_at.is_(None))
            .group_by(EstablishmentFormation.establishment_id).subquery())
    return (select(Establishment.id, Establishment.uai, Establishment.name, Establishment.kind,
                   Establishment.commune, Establishment.postcode, Establishment.priority_education,
                   func.coalesce(year.c.formations, 0), func.coalesce(year.c.pupils, 0))
            .outerjoin(year, year.c.establishment_id == Establishment.id)
            .where(Establishment.deleted_at.is_(None))
            .order_by(Establishment.search_key, Establishment.id))


def search_establishments(session: Session, text: str = "", *, school_year: str | None = None,
                          limit: int | None = None) -> list[EstablishmentRow]:
    """Live establishments whose name, commune, UAI or postcode hold every word of `text` (accents ignored)."""
    stmt = _establishment_list_statement(school_year or current_school_year())
    condition = matches_words(Establishment.search_key, text)
    if condition is not None:
        stmt = stmt.where(condition)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [EstablishmentRow(*row) for row in session.execute(stmt)]


def count_establishments(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Establishment)
                          .where(Establishment.deleted_at.is_(None))) or 0


def establishment_detail(session: Session, establishment_id: int, *,
                         school_year: str | None = None) -> EstablishmentDetail | None:
    """A school's file with its formations and pupils of `school_year` (the current one by default)."""
    school = session.get(Establishment, establishment_id)
    if school is None or school.deleted_at is not None:
        return None
    year = school_year or current_school_year()
    formations = _formations(session, establishment_id, year)
    open_count, year_count = _escalation_counts(session, establishment_id, year)
    return EstablishmentDetail(
        school.id, school.uai, school.name, school.kind, school.address, school.postcode, school.commune,
        school.phone, school.email, school.head_name, school.referent_name, school.referent_role,
        school.referent_email, school.referent_phone, school.priority_education, year, formations,
        sum(f.pupils for f in formations), open_count, year_count)


def _formations(session: Session, establishment_id: int, school_year: str) -> tuple[FormationLine, ...]:
    stmt = (select(Formation.code, Formation.label, Formation.audience, Formation.pfmp_weeks,
                   func.sum(EstablishmentFormation.pupils))
            .join(EstablishmentFormation, EstablishmentFormation.formation_id == Formation.id)
            .where(EstablishmentFormation.establishment_id == establishment_id,
                   EstablishmentFormation.school_year == school_year,
                   EstablishmentFormation.deleted_at.is_(None))
            .group_by(Formation.id).order_by(Formation.label))
    return tuple(FormationLine(*row) for row in session.execute(stmt))


def _escalation_counts(session: Session, establishment_id: int, school_year: str) -> tuple[int, int]:
    start_year = int(school_year[:4])
    is_open = Escalation.status.in_(OPEN_ESCALATION)
    stmt = (select(func.count().filter(is_open),
                   func.count().filter(Escalation.received_on >= date(start_year, 9, 1),
                                       Escalation.received_on < date(start_year + 1, 9, 1)))
            .where(Escalation.establishment_id == establishment_id, Escalation.deleted_at.is_(None)))
    open_count, year_count = session.execute(stmt).one()
    return open_count or 0, year_count or 0
