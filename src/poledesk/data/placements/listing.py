"""Placements as the Stages tab lists them, and the names and choices a placement's form shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from poledesk.data.choices import FormationOption, formation_options
from poledesk.data.enums import Audience, ConventionStatus
from poledesk.data.models import Contact, Establishment, Partner, Placement, PrintedVersion, Pupil
from poledesk.data.placements import form as placements
from poledesk.data.pupils import age_on, pupil_initials
from poledesk.data.search import search_words, text_matches
from poledesk.data.text import fold


@dataclass(frozen=True, slots=True)
class PlacementRow:
    id: int
    pupil: str                      # first name and initial only
    partner: str
    establishment: str
    start_date: date
    end_date: date
    tutor: str
    convention_status: ConventionStatus
    audience: Audience
    escalation_id: int | None
    reprint_due: bool = False       # printed, then edited: the paper in hand no longer says what the store says

    @property
    def convention_text(self) -> str:
        return f"{self.convention_status.label}, à réimprimer" if self.reprint_due else self.convention_status.label


@dataclass(frozen=True, slots=True)
class PlacementContext:
    """What a placement's form shows around its fields: who and where, and the lists to choose from."""

    pupil: str                      # full name: the form is on the animateur's laptop
    pupil_birth_date: date | None
    pupil_class: str
    partner: str
    establishment: str
    tutors: tuple[tuple[int, str], ...]
    formations: tuple[FormationOption, ...]
    convention_status: ConventionStatus = ConventionStatus.DRAFT

    def age_on(self, day: date) -> int | None:
        return age_on(self.pupil_birth_date, day) if self.pupil_birth_date else None


CURRENT, COMING, PAST = "current", "coming", "past"
PERIODS = {CURRENT: "En cours", COMING: "À venir", PAST: "Terminés"}


@dataclass(frozen=True, slots=True)
class PlacementFilter:
    """What the Stages tab narrows the list to; a field left empty lets every placement through."""

    status: ConventionStatus | None = None
    period: str = ""                   # CURRENT, COMING or PAST on the day given to list_placements
    establishment_id: int | None = None
    audience: Audience | None = None


def period_of(start: date, end: date, today: date) -> str:
    if end < today:
        return PAST
    return CURRENT if start <= today else COMING


def list_placements(session: Session, text: str = "", *, filters: PlacementFilter | None = None,
                    today: date | None = None) -> list[PlacementRow]:
    """Live placements: the current ones first, then the coming ones (soonest first), then the past ones
    (latest first); `text` matches pupil, partner, school, tutor, status; `filters` narrow them."""
    today = today or date.today()
    filters = filters or PlacementFilter()
    tutor = aliased(Contact)
    tutor_name = func.trim(func.coalesce(tutor.first_name, "") + " " + func.coalesce(tutor.last_name, ""))
    reprint_due = (select(PrintedVersion.id).where(PrintedVersion.placement_id == Placement.id,
                                                   PrintedVersion.reprinted_on.is_(None)).exists())
    stmt = (select(Placement.id, Pupil.first_name, Pupil.last_name, Partner.name, Establishment.name,
                   Placement.start_date, Placement.end_date, tutor_name, Placement.convention_status,
                   Placement.audience, Placement.escalation_id, Partner.commune,
                   and_(Placement.convention_status == ConventionStatus.PRINTED, reprint_due))
            .join(Pupil, Pupil.id == Placement.pupil_id)
            .join(Partner, Partner.id == Placement.partner_id)
            .join(Establishment, Establishment.id == Placement.establishment_id)
            .outerjoin(tutor, tutor.id == Placement.tutor_id)
            .where(Placement.deleted_at.is_(None))
            .order_by(Placement.start_date.desc(), Placement.id.desc()))
    if filters.status is not None:
        stmt = stmt.where(Placement.convention_status == filters.status)
    if filters.establishment_id is not None:
        stmt = stmt.where(Placement.establishment_id == filters.establishment_id)
    if filters.audience is not None:
        stmt = stmt.where(Placement.audience == filters.audience)
    words = search_words(text)
    rows = []
    for (id_, first, last, partner, school, start, end, tutor_text, status, audience, escalation_id,
         commune, due) in session.execute(stmt):
        if words and not text_matches(fold(" ".join((first, last, partner, school, tutor_text or "", status.label,
                                                     audience.label, commune, "a reimprimer" if due else ""))),
                                      words):
            continue
        if filters.period and period_of(start, end, today) != filters.period:
            continue
        rows.append(PlacementRow(id_, pupil_initials(first, last), partner, school, start, end, tutor_text or "",
                                 status, audience, escalation_id, bool(due)))
    rank = {CURRENT: 0, COMING: 1, PAST: 2}
    # Stable sorts: the coming ones soonest first, the past ones keep the latest-first order of the query.
    rows.sort(key=lambda r: r.start_date.toordinal() if period_of(r.start_date, r.end_date, today) != PAST else 0)
    rows.sort(key=lambda r: rank[period_of(r.start_date, r.end_date, today)])
    return rows


def count_placements(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Placement).where(Placement.deleted_at.is_(None))) or 0


def placement_context(session: Session, form: placements.PlacementForm, *, pupil_name: str = "",
                      birth_date: date | None = None, pupil_class: str = "",
                      placement_id: int | None = None) -> PlacementContext:
    """The names around a placement's form. A pupil not yet recorded (form.pupil_id 0) is named by the caller."""
    pupil = session.get(Pupil, form.pupil_id) if form.pupil_id else None
    if pupil is not None:
        pupil_name, birth_date, pupil_class = (f"{pupil.first_name} {pupil.last_name}".strip(), pupil.birth_date,
                                               pupil.class_name)
    partner = session.get(Partner, form.partner_id)
    school = session.get(Establishment, form.establishment_id)
    placement = session.get(Placement, placement_id) if placement_id is not None else None
    return PlacementContext(
        pupil=pupil_name, pupil_birth_date=birth_date, pupil_class=pupil_class,
        partner=partner.name if partner else "", establishment=school.name if school else "",
        tutors=tuple(placements.tutors_of(session, form.partner_id)), formations=tuple(formation_options(session)),
        convention_status=placement.convention_status if placement else ConventionStatus.DRAFT)
