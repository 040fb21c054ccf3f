"""The figures of one school year, from the loaded facts: one small function per family, no query."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from statistics import median

from poledesk.data.enums import (
    Audience,
    ConventionStatus,
    EscalationStatus,
    LegalKind,
    PartnerStatus,
    TrainingStatus,
)
from poledesk.data.indicators.facts import EscalationFact, Facts
from poledesk.data.indicators.measures import Measure, school_year_bounds

S = EscalationStatus
OPEN = (S.RECEIVED, S.SEARCHING, S.PROPOSED)
SIGNED = (ConventionStatus.SIGNED, ConventionStatus.SIGNED_OUTSIDE)

Figures = dict[str, tuple[Measure, tuple[tuple[str, int], ...]]]


def _within(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def _ids(rows: Iterable[object]) -> list[int]:
    return [row.id for row in rows]  # type: ignore[attr-defined]  # every fact row has an id


def places(facts: Facts, year: str, today: date) -> Figures:
    start, end = school_year_bounds(year)
    live_partners = {p.id for p in facts.partners if p.deleted is None or p.deleted >= start}
    offers = [o for o in facts.offers if o.since <= end and (o.deleted is None or o.deleted >= start)
              and o.partner_id in live_partners]
    counts = [c for c in facts.pupil_counts if c.school_year == year and c.pupils > 0]
    counted_schools = {c.establishment_id for c in counts}
    figures: Figures = {}
    for audience in Audience:
        chosen = [o for o in offers if o.audience == audience]
        pupils = sum(c.pupils for c in counts if c.audience == audience)
        figures[f"places_ratio:{audience.value}"] = (
            Measure.ratio(sum(o.places for o in chosen), pupils, _ids(chosen)), ())
    total_places, total_pupils = sum(o.places for o in offers), sum(c.pupils for c in counts)
    figures["places_ratio"] = (Measure.ratio(total_places, total_pupils, _ids(offers)), ())
    figures["places"] = (Measure(float(total_places), tuple(sorted(_ids(offers))), total_places), ())
    figures["pupils"] = (Measure(float(total_pupils) if counts else None, tuple(sorted(counted_schools)),
                                 total_pupils if counts else None), ())
    figures["schools_without_counts"] = (
        Measure.count([i for i, _owner in facts.establishments if i not in counted_schools]), ())
    return figures


def _unplaced_before(escalation: EscalationFact, days: int, today: date) -> bool:
    """The pupil had no placement `days` before the period started, and that day has come."""
    moment = escalation.period_start - timedelta(days=days)
    if moment > today or escalation.status == S.WITHDRAWN:
        return False
    if escalation.status == S.PLACED:
        return escalation.closed_on is None or escalation.closed_on > moment
    return True


def escalations(facts: Facts, year: str, today: date) -> Figures:
    start, end = school_year_bounds(year)
    rows = [e for e in facts.escalations if _within(e.received_on, start, end)]
    by_status = {status: [e for e in rows if e.status == status] for status in S}
    solved, withdrawn = by_status[S.PLACED], by_status[S.WITHDRAWN]
    delays = [(e.closed_on - e.received_on).days for e in solved if e.closed_on is not None]
    return {
        "escalations_received": (Measure.count(_ids(rows)), ()),
        "escalations_solved": (Measure.count(_ids(solved)), ()),
        "escalations_open": (Measure.count(_ids(e for e in rows if e.status in OPEN)), ()),
        "escalations_unsolved": (Measure.count(_ids(by_status[S.CLOSED_UNSOLVED])), ()),
        "escalations_withdrawn": (Measure.count(_ids(withdrawn)), ()),
        "escalations_solved_share": (Measure.ratio(len(solved), len(rows) - len(withdrawn), _ids(solved)), ()),
        "escalations_median_days": (Measure(float(median(delays)) if delays else None, tuple(sorted(_ids(solved)))),
                                    ()),
        "unplaced_15_days": (Measure.count(_ids(e for e in rows if _unplaced_before(e, 15, today))), ()),
        "unplaced_0_days": (Measure.count(_ids(e for e in rows if _unplaced_before(e, 0, today))), ()),
    }


def partners(facts: Facts, year: str, today: date) -> Figures:
    start, end = school_year_bounds(year)
    active = [p for p in facts.partners if p.status == PartnerStatus.ACTIVE and p.created <= end
              and (p.deleted is None or p.deleted > end)]
    sectors = Counter(p.sector or "Secteur non renseigné" for p in active)
    figures: Figures = {"partners_active": (Measure.count(_ids(active)), tuple(sectors.most_common()))}
    for kind in LegalKind:
        figures[f"partners_active:{kind.value}"] = (Measure.count(_ids(p for p in active if p.legal_kind == kind)),
                                                    ())
    lapsed = [p for p in facts.partners if _within(p.deleted, start, end)
              or (p.deleted is None and p.status in (PartnerStatus.PAUSED, PartnerStatus.DO_NOT_CONTACT)
                  and _within(p.changed, start, end))]
    framework = [p for p in facts.partners if p.framework_start is not None and p.framework_start <= end
                 and (p.framework_end is None or p.framework_end >= start)
                 and (p.deleted is None or p.deleted >= start)]
    figures["partners_new"] = (Measure.count(_ids(p for p in facts.partners if _within(p.created, start, end))), ())
    figures["partners_lapsed"] = (Measure.count(_ids(lapsed)), ())
    figures["visits"] = (Measure.count([v[0] for v in facts.visits if _within(v[3], start, end)]), ())
    figures["framework_agreements"] = (Measure.count(_ids(framework)), ())
    return figures


def trainings(facts: Facts, year: str, today: date) -> Figures:
    start, end = school_year_bounds(year)
    held = {s.id for s in facts.sessions if s.status == TrainingStatus.HELD and _within(s.session_date, start, end)}
    registrations = [r for r in facts.registrations if r.session_id in held and not r.waitlisted
                     and (r.registered or r.attended)]
    attended = [r for r in registrations if r.attended]
    return {
        "training_sessions_held": (Measure.count(sorted(held)), ()),
        "tutors_trained": (Measure.count([r.contact_id for r in attended]), ()),
        "attendance_rate": (Measure.ratio(len(attended), len(registrations), sorted(held)), ()),
    }


def conventions(facts: Facts, year: str, today: date) -> Figures:
    start, end = school_year_bounds(year)
    rows = facts.placements
    return {
        "placements": (Measure.count(_ids(p for p in rows if _within(p.start_date, start, end)
                                          and p.status != ConventionStatus.CANCELLED)), ()),
        "conventions_printed": (Measure.count(_ids(p for p in rows if _within(p.printed_on, start, end))), ()),
        "conventions_signed": (Measure.count(_ids(p for p in rows if p.status in SIGNED
                                                  and _within(p.signed_on, start, end))), ()),
    }


FAMILY_FIGURES: tuple[Callable[[Facts, str, date], Figures], ...] = (
    places, escalations, partners, trainings, conventions,
)
