"""The dashboard's data: what is due today, the year's figures month by month, with the records behind each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data.enums import Audience, ConventionStatus, EscalationStatus, TrainingStatus
from poledesk.data.escalations.listing import EscalationRow, list_escalations
from poledesk.data.indicators.facts import Facts, load_facts
from poledesk.data.indicators.measures import IndicatorReport, school_year_bounds
from poledesk.data.indicators.service import report_from_facts
from poledesk.data.models import Partner, Placement, Pupil
from poledesk.data.partners.visits import FollowUpRow, list_follow_ups
from poledesk.data.text import school_year_of
from poledesk.data.trainings.listing import SessionRow, list_sessions

UNSIGNED_WITHIN_DAYS = 7
UNPLACED_WITHIN_DAYS = 15
MONTHS = ("sept.", "oct.", "nov.", "déc.", "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août")
# Chart axes: short enough to fit, and distinct (a category axis merges equal names).
MONTH_SHORT = ("sep", "oct", "nov", "déc", "jan", "fév", "mar", "avr", "mai", "jun", "jul", "aoû")


@dataclass(frozen=True, slots=True)
class UnsignedConvention:
    placement_id: int
    pupil: str
    partner: str
    start_date: date
    status: ConventionStatus


@dataclass(frozen=True, slots=True)
class Today:
    follow_ups: tuple[FollowUpRow, ...]
    escalations: tuple[EscalationRow, ...]          # open ones, the pupils starting within 15 days first
    unsigned: tuple[UnsignedConvention, ...]
    sessions: tuple[SessionRow, ...]                # coming, with free seats or a waiting list


@dataclass(frozen=True, slots=True)
class Monthly:
    """Twelve values, September to August, each with the record ids behind it."""

    label: str
    table: str
    values: tuple[int, ...]
    record_ids: tuple[tuple[int, ...], ...]


@dataclass(frozen=True, slots=True)
class Dashboard:
    today: Today
    report: IndicatorReport
    monthly: tuple[Monthly, ...]
    # The establishments whose pupils of each public count in the year's « Élèves à placer » (a bar's records).
    schools_by_audience: dict[Audience, tuple[int, ...]]


def _urgency_key(row: EscalationRow) -> tuple[int, int]:
    if 0 <= row.days_left < UNPLACED_WITHIN_DAYS:
        return (0, row.days_left)
    return (1, row.days_left) if row.days_left < 0 else (2, row.days_left)


def today_view(session: Session, today: date) -> Today:
    escalations = sorted(list_escalations(session, open_only=True, today=today), key=_urgency_key)
    unsigned = session.execute(
        select(Placement.id, Pupil.first_name, Pupil.last_name, Partner.name, Placement.start_date,
               Placement.convention_status)
        .join(Pupil, Pupil.id == Placement.pupil_id).join(Partner, Partner.id == Placement.partner_id)
        .where(Placement.deleted_at.is_(None),
               Placement.convention_status.in_([ConventionStatus.DRAFT, ConventionStatus.PRINTED]),
               Placement.start_date >= today, Placement.start_date <= today + timedelta(days=UNSIGNED_WITHIN_DAYS))
        .order_by(Placement.start_date))
    sessions = [s for s in list_sessions(session, today=today) if s.upcoming and s.status == TrainingStatus.PLANNED
                and (s.registered < s.capacity or s.waitlisted)]
    return Today(tuple(list_follow_ups(session, until=today)), tuple(escalations),
                 tuple(UnsignedConvention(i, _pupil(first, last), partner, start, ConventionStatus(status))
                       for i, first, last, partner, start, status in unsigned),
                 tuple(sorted(sessions, key=lambda s: s.session_date)))


def _pupil(first: str, last: str) -> str:
    """First name and initial: enough to recognise the pupil on screen."""
    return f"{first} {last[:1]}.".strip() if last else first


def _month_index(day: date) -> int:
    return (day.month - 9) % 12


def _series(label: str, table: str, dated: Sequence[tuple[int, date | None]], year: str) -> Monthly:
    start, end = school_year_bounds(year)
    buckets: list[list[int]] = [[] for _ in MONTHS]
    for record_id, day in dated:
        if day is not None and start <= day <= end:
            buckets[_month_index(day)].append(record_id)
    return Monthly(label, table, tuple(len(b) for b in buckets), tuple(tuple(sorted(b)) for b in buckets))


def monthly(facts: Facts, year: str) -> tuple[Monthly, ...]:
    """Escalations received, solved and still open (by the month received), visits and tutors trained, per month."""
    s = EscalationStatus
    open_statuses = (s.RECEIVED, s.SEARCHING, s.PROPOSED)
    held = {f.id: f.session_date for f in facts.sessions if f.status == TrainingStatus.HELD}
    trained = [(r.contact_id, held[r.session_id]) for r in facts.registrations if r.attended and r.session_id in held]
    return (
        _series("Reçues", "escalation", [(e.id, e.received_on) for e in facts.escalations], year),
        _series("Résolues", "escalation", [(e.id, e.closed_on) for e in facts.escalations if e.status == s.PLACED],
                year),
        _series("Encore ouvertes", "escalation",
                [(e.id, e.received_on) for e in facts.escalations if e.status in open_statuses], year),
        _series("Visites", "visit", [(v[0], v[3]) for v in facts.visits], year),
        _series("Tuteurs formés", "contact", trained, year),
    )


def dashboard(session: Session, *, today: date | None = None, school_year: str | None = None) -> Dashboard:
    """Everything the Tableau de bord shows, read in one session (a few queries, whatever the store's size)."""
    today = today or date.today()
    year = school_year or school_year_of(today)
    facts = load_facts(session)
    return Dashboard(today_view(session, today), report_from_facts(facts, year, today=today), monthly(facts, year),
                     schools_by_audience(facts, year))


def schools_by_audience(facts: Facts, year: str) -> dict[Audience, tuple[int, ...]]:
    """Per public, the establishments with pupils of it counted for the year (as compute.places counts them)."""
    schools: dict[Audience, set[int]] = {audience: set() for audience in Audience}
    for count in facts.pupil_counts:
        if count.school_year == year and count.pupils > 0:
            schools[count.audience].add(count.establishment_id)
    return {audience: tuple(sorted(ids)) for audience, ids in schools.items()}
