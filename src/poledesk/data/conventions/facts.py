"""The facts the convention rules look at (rules.ConventionFacts), gathered from the store for one placement form."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from poledesk.data.conventions.rule_tables import school_year_bounds
from poledesk.data.conventions.rules import DAY_MINUTES, ConventionFacts, HostPeriod, period_minutes
from poledesk.data.enums import ConventionStatus, LegalKind
from poledesk.data.holidays import department_of
from poledesk.data.models import Contact, Partner, Placement, Pupil, TimetableDay
from poledesk.data.placements.form import DaySlot, PlacementForm
from poledesk.data.pupils import PupilForm
from poledesk.data.text import fold


def convention_facts(session: Session, form: PlacementForm, *, placement_id: int | None = None,
                     pupil: PupilForm | None = None, today: date | None = None) -> ConventionFacts:
    """Everything check_convention needs about this form, read from the store.

    `placement_id` is the placement being edited: it is left out of the counts of other placements. `pupil` stands
    for a pupil not recorded yet (the form's pupil_id is then ignored).
    """
    today = today or date.today()
    partner = session.get(Partner, form.partner_id)
    tutor = session.get(Contact, form.tutor_id) if form.tutor_id is not None else None
    placement = session.get(Placement, placement_id) if placement_id is not None else None
    if pupil is None:
        pupil = _pupil_form(session.get(Pupil, form.pupil_id), form.establishment_id)
    return ConventionFacts(
        audience=form.audience, start_date=form.start_date, end_date=form.end_date, timetable=form.timetable,
        birth_date=pupil.birth_date, pupil_name=f"{pupil.first_name} {pupil.last_name}".strip(),
        pupil_class=pupil.class_name, representative_name=pupil.representative_name,
        tutor_name=f"{tutor.first_name} {tutor.last_name}".strip() if tutor is not None else "",
        referent_teacher_name=form.referent_teacher_name.strip(),
        host_name=partner.name if partner is not None else "", host_siret=(partner.siret or "") if partner else "",
        host_legal_kind=partner.legal_kind if partner is not None else LegalKind.COMPANY,
        site_postcode=partner.postcode if partner is not None else "",
        family_business=form.family_business,
        gratification=form.gratification,
        # The printed convention states that the pupil is absent on the period's public holidays.
        holidays_excluded=True,
        other_periods=periods_with_host(session, form, placement_id=placement_id) if form.pupil_id else (),
        referent_trainees=referent_trainees(session, form, placement_id=placement_id),
        tutor_trainees=tutor_trainees(session, form, placement_id=placement_id),
        today=today, first_print=placement is None or placement.printed_on is None)


def periods_with_host(session: Session, form: PlacementForm, *,
                      placement_id: int | None = None) -> tuple[HostPeriod, ...]:
    """The pupil's other live placements with this host in the same school year, with their timetables.

    Before or after this one: the gratification is due once the year's total passes two months, from the first day,
    and the six months of L124-5 count every period. A placement's dates are the ones its avenants set.
    """
    year_start, year_end = school_year_bounds(form.start_date)
    stmt = select(Placement.id, Placement.start_date, Placement.end_date).where(
        _live_others(placement_id), Placement.pupil_id == form.pupil_id, Placement.partner_id == form.partner_id,
        Placement.start_date <= year_end, Placement.end_date >= year_start)
    periods = {id_: (start, end) for id_, start, end in session.execute(stmt)}
    if not periods:
        return ()
    slots: dict[int, list[DaySlot]] = {id_: [] for id_ in periods}
    days = select(TimetableDay.placement_id, TimetableDay.weekday, TimetableDay.start, TimetableDay.end,
                  TimetableDay.break_start, TimetableDay.break_end).where(
        TimetableDay.placement_id.in_(list(periods)), TimetableDay.deleted_at.is_(None))
    for placement_id_, weekday, start, end, break_start, break_end in session.execute(days):
        slots[placement_id_].append(DaySlot(weekday, start, end, break_start, break_end))
    return tuple(HostPeriod(start, end, tuple(slots[id_])) for id_, (start, end) in sorted(periods.items()))


def days_with_host(session: Session, form: PlacementForm, *, placement_id: int | None = None) -> int:
    """Days (7 h each, D124-6, public holidays left out) of the pupil's other placements with this host this
    school year."""
    partner = session.get(Partner, form.partner_id)
    department = department_of(partner.postcode) if partner is not None else None
    year_start, year_end = school_year_bounds(form.start_date)
    minutes = sum(period_minutes(max(p.start_date, year_start), min(p.end_date, year_end), p.timetable, department)
                  for p in periods_with_host(session, form, placement_id=placement_id))
    return minutes // DAY_MINUTES


def tutor_trainees(session: Session, form: PlacementForm, *, placement_id: int | None = None) -> int:
    """The tutor's other live placements overlapping this one's period (R124-13: three at most at once)."""
    if form.tutor_id is None:
        return 0
    stmt = select(func.count()).where(_live_others(placement_id), _overlapping(form),
                                      Placement.tutor_id == form.tutor_id)
    return session.scalar(stmt) or 0


def referent_trainees(session: Session, form: PlacementForm, *, placement_id: int | None = None) -> int:
    """The referent teacher's other live placements overlapping this one (D124-3: sixteen at most at once).

    A teacher is known by name within the establishment: the same name, accents and case aside.
    """
    name = fold(" ".join(form.referent_teacher_name.split()))
    if not name:
        return 0
    stmt = select(Placement.referent_teacher_name).where(
        _live_others(placement_id), _overlapping(form), Placement.establishment_id == form.establishment_id,
        Placement.referent_teacher_name != "")
    return sum(1 for other in session.scalars(stmt) if fold(" ".join(other.split())) == name)


def _live_others(placement_id: int | None) -> ColumnElement[bool]:
    condition = (Placement.deleted_at.is_(None)) & (Placement.convention_status != ConventionStatus.CANCELLED)
    return condition & (Placement.id != placement_id) if placement_id is not None else condition


def _overlapping(form: PlacementForm) -> ColumnElement[bool]:
    return (Placement.start_date <= form.end_date) & (Placement.end_date >= form.start_date)


def _pupil_form(pupil: Pupil | None, establishment_id: int) -> PupilForm:
    if pupil is None or pupil.purged_at is not None:
        return PupilForm(establishment_id=establishment_id, last_name="", first_name="", birth_date=None)
    return PupilForm(establishment_id=pupil.establishment_id, last_name=pupil.last_name,
                     first_name=pupil.first_name, birth_date=pupil.birth_date, class_name=pupil.class_name,
                     representative_name=pupil.representative_name)
