"""The demo store: realistic counts, valid identifiers, legal timetables, deterministic content, one refusal."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date, time, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import func, select
from stdnum.fr import siret as stdnum_siret

from poledesk import cli
from poledesk.data import identity
from poledesk.data.db import Store, open_store
from poledesk.data.demo import build as demo
from poledesk.data.demo import names as demo_names
from poledesk.data.enums import (
    Audience,
    ConventionStatus,
    EscalationStatus,
    LegalKind,
    PartnerStatus,
    ProposalAnswer,
    TrainingStatus,
)
from poledesk.data.models import (
    TRAVELLING_MODELS,
    Action,
    Contact,
    Escalation,
    EscalationEvent,
    Establishment,
    EstablishmentFormation,
    Formation,
    HostingOffer,
    Partner,
    Placement,
    Pole,
    Proposal,
    Pupil,
    Registration,
    TimetableDay,
    TrainingSession,
    Visit,
)
from poledesk.data.naf import naf_label
from poledesk.data.text import school_year_of

AGES = {Audience.OBSERVATION_4E_3E: (13, 15), Audience.SECONDE_GT: (15, 16), Audience.PFMP_CAP: (15, 19),
        Audience.PFMP_BACPRO: (15, 19), Audience.STS: (18, 22)}
DIGESTED = {
    Partner: ("name", "siret", "naf_code", "postcode", "commune", "status", "tags", "min_age", "framework_start"),
    Contact: ("partner_id", "first_name", "last_name", "role", "email", "is_tutor"),
    HostingOffer: ("partner_id", "audience", "formation_id", "places", "months", "last_confirmed_on"),
    Visit: ("partner_id", "visited_on", "kind", "summary", "next_action_due", "next_action_done_on"),
    Establishment: ("uai", "name", "kind", "priority_education"),
    EstablishmentFormation: ("establishment_id", "formation_id", "school_year", "pupils"),
    Pupil: ("first_name", "last_name", "birth_date", "class_name", "representative_name"),
    Escalation: ("pupil_id", "status", "received_on", "period_start", "period_end", "closed_on"),
    EscalationEvent: ("escalation_id", "at", "to_status"),
    Proposal: ("escalation_id", "partner_id", "answer", "contacted_on", "answered_on"),
    Placement: ("pupil_id", "partner_id", "tutor_id", "start_date", "end_date", "convention_status", "signed_on"),
    TimetableDay: ("placement_id", "weekday", "start", "end", "break_start", "break_end"),
    TrainingSession: ("title", "session_date", "start_time", "capacity", "status"),
    Registration: ("session_id", "contact_id", "registered_on", "waitlisted", "attended"),
    Action: ("school_year", "axis", "title", "status"),
}


def count(store: Store, model: type, *where) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def content_digest(store: Store) -> str:
    """A hash of what a user reads (names, SIRETs, dates...), not of uids, clocks or pseudonyms."""
    digest = hashlib.sha256()
    with store.session() as session:
        for model, columns in DIGESTED.items():
            rows = session.execute(select(*(getattr(model, c) for c in columns)).order_by(model.id)).all()
            digest.update(repr(rows).encode())
    return digest.hexdigest()


def build(folder: Path, **options) -> tuple[Store, demo.DemoSummary]:
    store = open_store(folder)
    return store, demo.create_demo_store(store, **options)


def minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def school_year_bounds(today: date) -> tuple[date, date]:
    start = int(school_year_of(today)[:4])
    return date(start, 9, 1), date(start + 1, 8, 31)


def test_pole_demo_has_the_stated_counts(store):
    assert count(store, Pole) == 1
    assert count(store, Partner) == 600
    assert count(store, Contact) == 1500
    assert 0.25 <= count(store, Contact, Contact.is_tutor) / 1500 <= 0.40
    assert count(store, HostingOffer) == 800
    assert count(store, Visit) == 2000
    assert count(store, Establishment) == 25
    assert 18 <= count(store, Formation) <= 26
    assert count(store, EstablishmentFormation) >= 2 * 25
    assert count(store, Escalation) == 120 + 70 + 12   # this school year, the one before, and closed cases to purge
    assert count(store, Placement) == 300 + 200
    assert count(store, TimetableDay) >= 300 * 2
    assert count(store, TrainingSession) == 12
    assert count(store, Registration) >= 12 * 5
    assert 9 <= count(store, Action) <= 15
    assert count(store, Pupil) >= 300


def test_pole_demo_identity_and_owner(store):
    with store.session() as session:
        ident = identity.current_identity(session)
        pole = identity.pole_of(session, "NM-07")
        owners = {model.__tablename__: set(session.scalars(select(model.owner).distinct()))
                  for model in TRAVELLING_MODELS}
    assert ident is not None and ident.role == identity.ROLE_POLE and ident.demo
    assert ident.code == store.owner == "NM-07"
    assert ident.academie == "Nancy-Metz" and "Nancy" in ident.name
    assert pole is not None and pole.animator_name and pole.email.endswith("@ac-nancy-metz.fr")
    assert all(found <= {"NM-07"} for found in owners.values()), owners


def test_every_siret_is_valid_and_some_associations_have_none(store):
    with store.session() as session:
        rows = session.execute(select(Partner.siret, Partner.legal_kind)).all()
    sirets = [s for s, _ in rows if s]
    assert sirets and all(stdnum_siret.is_valid(s) for s in sirets)
    assert len(set(sirets)) == len(sirets)
    assert any(s is None and kind is LegalKind.ASSOCIATION for s, kind in rows)
    assert all(s is not None for s, kind in rows if kind is LegalKind.COMPANY)


def test_every_uai_has_the_right_check_letter(store):
    with store.session() as session:
        uais = list(session.scalars(select(Establishment.uai)))
    assert len(uais) == len(set(uais)) == 25
    for uai in uais:
        assert len(uai) == 8 and uai[:7].isdigit() and uai[:3] in {"054", "055", "057", "088"}
        assert uai[7] == "ABCDEFGHJKLMNPRSTUVWXYZ"[int(uai[:7]) % 23], uai


def test_partners_look_real(store):
    with store.session() as session:
        partners = session.scalars(select(Partner)).all()
    statuses = Counter(p.status for p in partners)
    assert set(statuses) == set(PartnerStatus) and statuses[PartnerStatus.ACTIVE] > 400
    assert all(p.status_reason for p in partners if p.status in (PartnerStatus.PAUSED, PartnerStatus.DO_NOT_CONTACT))
    assert len({p.naf_code for p in partners}) >= 40
    assert all(len(p.postcode) == 5 and p.postcode[:2] == "54" for p in partners)
    assert any(p.min_age for p in partners) and any(p.framework_start for p in partners)
    assert any(p.accepts_disability for p in partners) and any(";" in p.tags for p in partners)
    assert all(p.framework_end > p.framework_start for p in partners if p.framework_start)


def test_sectors_are_real_naf_codes_with_their_insee_labels(store):
    assert len(demo_names.SECTORS) >= 40
    assert all(naf_label(sector.naf) == sector.label for sector in demo_names.SECTORS)
    with store.session() as session:
        rows = session.execute(select(Partner.naf_code, Partner.sector)).all()
        offers = set(session.scalars(select(HostingOffer.sector).distinct()))
    assert all(sector == naf_label(code) for code, sector in rows)
    assert offers <= {sector for _, sector in rows}


def test_every_escalation_status_appears_with_its_log(store):
    with store.session() as session:
        escalations = session.scalars(select(Escalation)).all()
        statuses = Counter(e.status for e in escalations)
        for escalation in escalations:
            events = escalation.events
            assert events[0].from_status is None and events[0].to_status is EscalationStatus.RECEIVED
            assert events[-1].to_status is escalation.status
            assert all(a.to_status is b.from_status for a, b in pairwise(events))
            assert [e.at for e in events] == sorted(e.at for e in events)
            assert events[0].at.date() == escalation.received_on <= escalation.period_start
            closed = escalation.status in (EscalationStatus.PLACED, EscalationStatus.CLOSED_UNSOLVED,
                                           EscalationStatus.WITHDRAWN)
            assert (escalation.closed_on is not None) == closed
            answers = [p.answer for p in escalation.proposals]
            if escalation.status is EscalationStatus.PLACED:
                assert answers.count(ProposalAnswer.ACCEPTED) == 1
            if escalation.status is EscalationStatus.PROPOSED:
                assert ProposalAnswer.WAITING in answers
    assert set(statuses) == set(EscalationStatus)


def test_pupils_are_of_an_age_for_their_audience_and_minors_have_a_representative(store):
    with store.session() as session:
        periods = [(e.pupil, e.audience, e.period_start) for e in session.scalars(select(Escalation))]
        periods += [(p.pupil, p.audience, p.start_date) for p in session.scalars(select(Placement))]
        for pupil, audience, start in periods:
            age = age_on(pupil.birth_date, start)
            low, high = AGES[audience]
            assert low <= age <= high, (audience, age)
            assert bool(pupil.representative_name) == (age < 18)
            assert pupil.first_name and pupil.last_name and pupil.class_name


def test_placements_have_a_tutor_of_their_partner_and_a_legal_timetable(store):
    _, year_end = school_year_bounds(date.today())
    year_start, _ = school_year_bounds(date.today() - timedelta(days=365))   # last school year's placements too
    with store.session() as session:
        placements = session.scalars(select(Placement)).all()
        for placement in placements:
            assert placement.tutor.partner_id == placement.partner_id and placement.tutor.is_tutor
            assert year_start <= placement.start_date <= placement.end_date <= year_end
            assert placement.start_date.weekday() == 0 and placement.end_date.weekday() <= 4
            observation = placement.audience is Audience.OBSERVATION_4E_3E
            if observation:
                assert (placement.end_date - placement.start_date).days <= 4  # D331-6: five days at most
            else:
                assert placement.end_date.weekday() == 4
            assert len(placement.timetable) == min(5, (placement.end_date - placement.start_date).days + 1)
            assert check_timetable(placement.timetable, daily_max=7 * 60 if observation else 8 * 60)
        load = Counter((p.tutor_id, school_year_of(p.start_date)) for p in placements)   # a year's tutees
    assert sum(n > 3 for n in load.values()) <= 5  # R124-13: three conventions a tutor, bar rare escalations
    statuses = Counter(p.convention_status for p in placements)
    assert {ConventionStatus.DRAFT, ConventionStatus.PRINTED, ConventionStatus.SIGNED} <= set(statuses)


def check_timetable(days: list[TimetableDay], *, daily_max: int) -> bool:
    assert days and {d.weekday for d in days} <= {0, 1, 2, 3, 4}
    week = 0
    for day in days:
        worked = minutes(day.end) - minutes(day.start)
        if day.break_start is not None:
            assert day.start < day.break_start < day.break_end < day.end
            pause = minutes(day.break_end) - minutes(day.break_start)
            assert pause >= 30
            assert minutes(day.break_start) - minutes(day.start) <= 270
            assert minutes(day.end) - minutes(day.break_end) <= 270
            worked -= pause
        assert worked <= 270 or day.break_start is not None   # L3162-3: a break once a day passes 4 h 30
        assert worked <= daily_max and time(6) <= day.start and day.end <= time(20)
        week += worked
    assert week <= 35 * 60
    return True


def test_visits_span_two_school_years_with_due_and_overdue_actions(store):
    today = date.today()
    first = date(int(school_year_of(today)[:4]) - 1, 9, 1)
    with store.session() as session:
        visits = session.scalars(select(Visit)).all()
    assert all(first <= v.visited_on <= today and v.visited_on.weekday() < 5 for v in visits)
    open_actions = [v for v in visits if v.next_action_due and not v.next_action_done_on]
    assert any(v.next_action_due < today for v in open_actions)      # overdue
    assert any(v.next_action_due >= today for v in open_actions)     # due
    assert any(v.next_action_done_on for v in visits)


def test_trainings_past_and_upcoming_with_attendance_and_a_waiting_list(store):
    today = date.today()
    with store.session() as session:
        sessions = session.scalars(select(TrainingSession).order_by(TrainingSession.session_date)).all()
        held = [s for s in sessions if s.status is TrainingStatus.HELD]
        planned = [s for s in sessions if s.status is TrainingStatus.PLANNED]
        assert held and planned and all(s.session_date < today for s in held)
        assert all(s.session_date > today for s in planned)
        assert any(r.attended for s in held for r in s.registrations)
        assert not any(r.attended for s in planned for r in s.registrations)
        assert all(r.contact.is_tutor for s in sessions for r in s.registrations)
        full = [s for s in planned if any(r.waitlisted for r in s.registrations)]
        assert full and all(sum(r.registered_on is not None and not r.waitlisted for r in s.registrations)
                            == s.capacity for s in full)


def test_same_seed_same_content_even_in_another_process(store, tmp_path):
    """Built again by another interpreter with another string-hash seed: no set or dict order leaks in."""
    expected = content_digest(store)
    folder = tmp_path / "again"
    script = ("import sys; from pathlib import Path; from poledesk.data import demo; "
              "from poledesk.data.db import open_store; store = open_store(Path(sys.argv[1])); "
              "print(demo.create_demo_store(store, seed=1).describe()); store.close()")
    done = subprocess.run([sys.executable, "-c", script, str(folder)], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONHASHSEED": "4242"}, timeout=120)
    assert done.stdout.startswith("600 partenaires, 1\u202f500 contacts dont ")
    again = open_store(folder)
    try:
        assert content_digest(again) == expected
    finally:
        again.close()
    with store.transaction() as session:  # the digest does see the content: one changed date changes it
        session.scalars(select(Visit).limit(1)).one().visited_on = date(2000, 1, 3)
    assert content_digest(store) != expected


def test_demo_on_a_store_already_set_up_raises_and_changes_nothing(store, pole_store):
    before = content_digest(store)
    with pytest.raises(identity.IdentityError, match="déjà configuré"):
        demo.create_demo_store(store, seed=3)
    assert content_digest(store) == before
    with pytest.raises(identity.IdentityError):
        demo.create_demo_store(pole_store)
    assert count(pole_store, Partner) == 0 and count(pole_store, Pole) == 1


def test_cli_demo_refuses_a_folder_already_set_up(store, capsys):
    store.close()
    assert cli.main(["--data-dir", str(store.folder), "demo"]) == cli.EXIT_REFUSED
    assert "déjà configuré" in capsys.readouterr().err


def test_describe_groups_thousands_the_french_way():
    text = demo.DemoSummary(poles=13, partners=7800, contacts=19500, tutors=1).describe()
    assert text.startswith("13 pôles, 7\u202f800 partenaires, 19\u202f500 contacts dont 1 tuteur")


def test_academy_scale_builds_13_poles_each_owning_its_records(tmp_path):
    # How long it takes is benchmarks/startup.py's to print, not a test's to assert.
    reports: list[tuple[int, int, str]] = []
    store, summary = build(tmp_path / "academie", scale="academy", seed=4,
                           progress=lambda done, total, label: reports.append((done, total, label)))
    try:
        assert reports[0] == (0, 13 * 10, "NM-01 Bar-le-Duc – Établissements")
        assert reports[-1] == (13 * 10, 13 * 10, "Terminé")
        assert [done for done, _, _ in reports] == sorted(done for done, _, _ in reports)
        assert summary.describe().startswith("13 pôles, 7\u202f800 partenaires, 19\u202f500 contacts dont ")
        with store.session() as session:
            ident = identity.current_identity(session)
            codes = list(session.scalars(select(Pole.code).order_by(Pole.code)))
            pole_owners = dict(session.execute(select(Pole.code, Pole.owner)).all())
            partners = Counter(session.scalars(select(Partner.owner)))
            owners = {model.__tablename__: set(session.scalars(select(model.owner).distinct()))
                      for model in TRAVELLING_MODELS}
            by_owner: dict[str, set[str]] = defaultdict(set)
            for owner, postcode in session.execute(select(Partner.owner, Partner.postcode)):
                by_owner[owner].add(postcode[:2])
        assert ident is not None and ident.role == identity.ROLE_COORDINATOR and ident.demo
        assert store.owner == ident.code == identity.coordinator_code("Nancy-Metz")
        assert codes == [f"NM-{n:02d}" for n in range(1, 14)]
        assert all(code == owner for code, owner in pole_owners.items())
        assert set(partners) == set(codes) and all(n == 600 for n in partners.values())
        assert all(found <= set(codes) for found in owners.values()), owners  # never the coordinator, never ""
        # equity counts are computed when a bundle is written, not by the demo
        assert all(found == set(codes) for table, found in owners.items()
                   if table not in ("amendment", "equity_count")), owners
        assert by_owner["NM-06"] == {"57"} and by_owner["NM-13"] == {"55"} and by_owner["NM-02"] == {"88"}
        assert summary.poles == 13 and summary.partners == 7800 and summary.escalations == 13 * (120 + 70 + 12)
        assert count(store, Partner, Partner.siret.is_not(None)) == len(
            {s for s in store_sirets(store)}), "SIRETs are unique across the académie"
    finally:
        store.close()


def store_sirets(store: Store) -> list[str]:
    with store.session() as session:
        return [s for s in session.scalars(select(Partner.siret)) if s]
