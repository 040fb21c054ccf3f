"""A small pole whose every indicator is counted by hand (see the comments), for the indicator tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import update
from sqlalchemy.orm import Session

from poledesk.data.clock import uuid7
from poledesk.data.enums import (
    Audience,
    ConventionStatus,
    EscalationStatus,
    EstablishmentKind,
    LegalKind,
    PartnerStatus,
    PriorityEducation,
    TrainingStatus,
)
from poledesk.data.models import (
    Contact,
    Escalation,
    Establishment,
    EstablishmentFormation,
    Formation,
    HostingOffer,
    Partner,
    Placement,
    Pole,
    Pupil,
    Registration,
    TrainingSession,
    Visit,
)

YEAR, PREVIOUS = "2025-2026", "2024-2025"
TODAY = date(2026, 6, 30)


def born(day: date) -> str:
    """A uid created on `day`: the indicators read a record's creation day from it."""
    return uuid7(ms=int(datetime(day.year, day.month, day.day, 12, tzinfo=UTC).timestamp() * 1000))


def build(session: Session) -> dict[str, int]:
    """Write the fixture; return the ids the tests name."""
    bacpro = Formation(code="BP-MCV", label="Bac pro commerce", audience=Audience.PFMP_BACPRO)
    third = Formation(code="OBS-3E", label="Troisième", audience=Audience.OBSERVATION_4E_3E)
    lycee = Establishment(uai="0540038Y", name="Lycée A", kind=EstablishmentKind.LP)
    college = Establishment(uai="0540001H", name="Collège B", kind=EstablishmentKind.COLLEGE,
                            priority_education=PriorityEducation.REP)
    empty = Establishment(uai="0540002J", name="Collège C sans effectifs", kind=EstablishmentKind.COLLEGE)
    session.add_all([bacpro, third, lycee, college, empty])
    session.flush()
    session.add_all([
        EstablishmentFormation(establishment_id=lycee.id, formation_id=bacpro.id, school_year=YEAR, pupils=40),
        EstablishmentFormation(establishment_id=lycee.id, formation_id=bacpro.id, school_year=PREVIOUS, pupils=30),
        EstablishmentFormation(establishment_id=college.id, formation_id=third.id, school_year=YEAR, pupils=100),
    ])
    p1 = Partner(uid=born(date(2024, 1, 1)), name="Boulangerie Un", status=PartnerStatus.ACTIVE)
    p2 = Partner(uid=born(date(2025, 10, 10)), name="Association Deux", status=PartnerStatus.ACTIVE,
                 legal_kind=LegalKind.ASSOCIATION, framework_start=date(2025, 1, 1), framework_end=date(2025, 12, 31))
    # Deleted in the middle of the year: its offer and its visit still count for that year, not as active.
    p3 = Partner(uid=born(date(2024, 2, 1)), name="Garage Trois", status=PartnerStatus.ACTIVE,
                 deleted_at=datetime(2026, 1, 15, 9))
    p4 = Partner(uid=born(date(2023, 1, 1)), name="Pause Quatre", status=PartnerStatus.PAUSED)
    session.add_all([p1, p2, p3, p4])
    session.flush()
    session.add_all([
        HostingOffer(uid=born(date(2025, 9, 20)), partner_id=p1.id, audience=Audience.PFMP_BACPRO, places=10,
                     last_confirmed_on=date(2025, 10, 1)),
        HostingOffer(uid=born(date(2024, 4, 1)), partner_id=p2.id, audience=Audience.OBSERVATION_4E_3E, places=20,
                     last_confirmed_on=date(2024, 5, 1)),
        HostingOffer(uid=born(date(2025, 9, 10)), partner_id=p3.id, audience=Audience.PFMP_BACPRO, places=5),
        HostingOffer(uid=born(date(2024, 10, 1)), partner_id=p1.id, audience=Audience.OBSERVATION_4E_3E, places=4,
                     deleted_at=datetime(2025, 6, 1)),
        Visit(partner_id=p3.id, visited_on=date(2025, 11, 5), kind="visite"),
        Visit(partner_id=p1.id, visited_on=date(2026, 2, 1), kind="telephone"),
        Visit(partner_id=p1.id, visited_on=date(2025, 5, 1), kind="visite"),
    ])
    ids = {"p1": p1.id, "p2": p2.id, "p3": p3.id, "p4": p4.id, "empty_school": empty.id}
    ids |= _escalations(session, lycee, college)
    ids |= _placements_and_trainings(session, lycee, p1, p2)
    session.flush()
    # The pause was written this year (stamp_writes dates every write now: set the day the fixture means).
    session.execute(update(Partner).where(Partner.id == p4.id).values(updated_at=datetime(2026, 3, 1)))
    return ids


def _escalations(session: Session, lycee: Establishment, college: Establishment) -> dict[str, int]:
    S = EscalationStatus
    plans = {  # name: (school, received, status, closed, period start, pai, accessibility)
        "e1": (lycee, date(2025, 10, 1), S.PLACED, date(2025, 10, 11), date(2025, 11, 10), False, False),
        "e2": (college, date(2026, 1, 5), S.PLACED, date(2026, 1, 25), date(2026, 2, 1), True, False),
        "e3": (college, date(2025, 11, 1), S.WITHDRAWN, date(2025, 11, 20), date(2026, 1, 12), False, False),
        "e4": (lycee, date(2026, 3, 1), S.CLOSED_UNSOLVED, date(2026, 3, 25), date(2026, 3, 20), False, True),
        "e5": (lycee, date(2026, 6, 1), S.SEARCHING, None, date(2026, 7, 10), False, False),
        "e6": (college, date(2025, 6, 15), S.PLACED, date(2025, 6, 20), date(2025, 6, 23), False, False),
    }
    ids = {}
    for name, (school, received, status, closed, start, pai, access) in plans.items():
        pupil = Pupil(establishment_id=school.id, first_name="Élève", last_name=name)
        escalation = Escalation(establishment_id=school.id, pupil=pupil, received_on=received,
                                audience=Audience.PFMP_BACPRO, period_start=start,
                                period_end=date(start.year, start.month, min(start.day + 10, 28)), status=status,
                                closed_on=closed, needs_pai=pai, needs_accessibility=access)
        session.add(escalation)
        session.flush()
        ids[name] = escalation.id
    return ids


def _placements_and_trainings(session: Session, lycee: Establishment, p1: Partner, p2: Partner) -> dict[str, int]:
    pupil = Pupil(establishment_id=lycee.id, first_name="Élève", last_name="Stage")
    session.add(pupil)
    session.flush()
    # Spans two school years: counts in the year it starts.
    spanning = Placement(pupil_id=pupil.id, establishment_id=lycee.id, partner_id=p1.id,
                         audience=Audience.PFMP_BACPRO, start_date=date(2026, 8, 24), end_date=date(2026, 9, 11),
                         convention_status=ConventionStatus.SIGNED, printed_on=date(2026, 6, 1),
                         signed_on=date(2026, 6, 10))
    cancelled = Placement(pupil_id=pupil.id, establishment_id=lycee.id, partner_id=p1.id,
                          audience=Audience.PFMP_BACPRO, start_date=date(2025, 10, 6), end_date=date(2025, 10, 24),
                          convention_status=ConventionStatus.CANCELLED, printed_on=date(2025, 9, 20),
                          cancelled_on=date(2025, 9, 30))
    contacts = [Contact(partner_id=p.id, last_name=f"Tuteur {n}", is_tutor=True)
                for n, p in enumerate((p1, p1, p2, p2), start=1)]
    held_1 = TrainingSession(title="Accueillir un stagiaire", session_date=date(2025, 11, 20),
                             start_time=time(9), end_time=time(12), status=TrainingStatus.HELD, capacity=10)
    held_2 = TrainingSession(title="Évaluer", session_date=date(2026, 3, 10), start_time=time(14),
                             end_time=time(17), status=TrainingStatus.HELD)
    planned = TrainingSession(title="Plus tard", session_date=date(2026, 7, 1), start_time=time(9),
                              end_time=time(12))
    session.add_all([spanning, cancelled, *contacts, held_1, held_2, planned])
    session.flush()
    c1, c2, c3, c4 = contacts
    day = date(2025, 11, 1)
    session.add_all([
        Registration(session_id=held_1.id, contact_id=c1.id, registered_on=day, attended=True),
        Registration(session_id=held_1.id, contact_id=c2.id, registered_on=day),
        Registration(session_id=held_1.id, contact_id=c3.id, registered_on=day, waitlisted=True),
        Registration(session_id=held_2.id, contact_id=c1.id, registered_on=day, attended=True),
        Registration(session_id=held_2.id, contact_id=c4.id, registered_on=day, attended=True),
        Registration(session_id=planned.id, contact_id=c2.id, registered_on=day),
    ])
    return {"spanning": spanning.id, "cancelled": cancelled.id, "held_1": held_1.id, "held_2": held_2.id,
            "c1": c1.id, "c4": c4.id}


def add_second_pole(session: Session, code: str = "NM-08") -> None:
    """Pole NM-08: 60 bac pro pupils, 6 places, and a partner that NM-07 knows too (same name, no SIRET)."""
    session.add(Pole(code=code, owner=code, name="Pôle de Toul", bassin="Toul"))
    formation = Formation(code="BP-X", label="Bac pro", audience=Audience.PFMP_BACPRO, owner=code)
    school = Establishment(uai="0540003K", name="Lycée de Toul", kind=EstablishmentKind.LP, owner=code)
    shared = Partner(name="Boulangerie Un", owner=code, uid=born(date(2024, 3, 1)))
    session.add_all([formation, school, shared])
    session.flush()
    session.add_all([
        EstablishmentFormation(establishment_id=school.id, formation_id=formation.id, owner=code, school_year=YEAR,
                               pupils=60),
        HostingOffer(partner_id=shared.id, audience=Audience.PFMP_BACPRO, places=6, owner=code,
                     uid=born(date(2025, 9, 2))),
    ])
