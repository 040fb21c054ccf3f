"""The convention's document: every value it prints, read from the store in one session."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from poledesk.data.conventions.document import (
    OBSERVATION,
    PFMP,
    convention_document,
    public_holidays,
)
from poledesk.data.enums import Audience
from poledesk.data.models import Amendment, Placement, Pupil, TimetableDay
from poledesk.data.validation import ValidationError

TODAY = date(2026, 9, 1)


def ids_by_audience(store, audience: Audience) -> list[int]:
    with store.session() as session:
        return session.scalars(select(Placement.id).where(Placement.audience == audience)
                               .order_by(Placement.id)).all()


def test_document_carries_parties_timetable_and_template(store):
    placement_id = ids_by_audience(store, Audience.PFMP_BACPRO)[0]
    with store.session() as session:
        document = convention_document(session, placement_id, today=TODAY)
        placement = session.get(Placement, placement_id)
        siret, head = placement.partner.siret, placement.establishment.head_name
    assert document.template == PFMP and not document.observation
    assert document.host.siret == f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    assert document.school.head_name == head and document.school.uai
    assert document.reference == f"NM-07-{placement_id:06d}"
    assert document.pole_name == "Pôle de stages du bassin de Nancy"
    assert document.weekly_minutes == sum((s.end.hour * 60 + s.end.minute) - (s.start.hour * 60 + s.start.minute)
                                          - ((s.break_end.hour * 60 + s.break_end.minute)
                                             - (s.break_start.hour * 60 + s.break_start.minute)
                                             if s.break_start else 0) for s in document.timetable)
    assert document.days > 0 and document.total_minutes > 0
    assert document.edited_on == TODAY


def test_observation_audiences_take_the_observation_template(store):
    for audience in (Audience.OBSERVATION_4E_3E, Audience.SECONDE_GT):
        with store.session() as session:
            document = convention_document(session, ids_by_audience(store, audience)[0], today=TODAY)
        assert document.template == OBSERVATION


def test_minor_or_adult_at_the_start_of_the_period(store):
    placement_id = ids_by_audience(store, Audience.PFMP_CAP)[0]
    with store.transaction() as session:
        placement = session.get(Placement, placement_id)
        start = placement.start_date
        placement.pupil.birth_date = date(start.year - 18, start.month, start.day)   # 18 on the first day
    with store.session() as session:
        assert not convention_document(session, placement_id, today=TODAY).pupil.minor
    with store.transaction() as session:
        session.get(Placement, placement_id).pupil.birth_date = date(start.year - 17, 1, 1)
    with store.session() as session:
        document = convention_document(session, placement_id, today=TODAY)
    assert document.pupil.minor and document.pupil.age == 17


def test_public_holidays_are_left_out_of_the_presence(store):
    placement_id = ids_by_audience(store, Audience.PFMP_BACPRO)[0]
    with store.transaction() as session:
        placement = session.get(Placement, placement_id)
        placement.start_date, placement.end_date = date(2026, 11, 9), date(2026, 11, 13)   # 11 November: Wednesday
    with store.session() as session:
        document = convention_document(session, placement_id, today=TODAY)
    worked = {slot.weekday for slot in document.timetable}
    assert 2 in worked
    assert document.holidays == (date(2026, 11, 11),)
    assert document.days == len(worked & {0, 1, 2, 3, 4}) - 1


def test_public_holidays_of_alsace_moselle():
    assert date(2027, 5, 6) in public_holidays(2027)          # Ascension: Easter 28 March + 39 days
    assert date(2027, 5, 17) in public_holidays(2027)         # Whit Monday
    assert date(2027, 3, 26) not in public_holidays(2027, "54000")
    assert {date(2027, 3, 26), date(2027, 12, 26)} <= public_holidays(2027, "57000")   # Good Friday, St Stephen


def test_amendment_changes_are_read_as_before_and_after(store):
    with store.session() as session:
        amendment = session.scalars(select(Amendment)).first()
        document = convention_document(session, amendment.placement_id, today=TODAY)
    (info,) = document.amendments
    assert info.number == amendment.number and info.reason == amendment.reason
    (change,) = info.changes
    assert change.label == "Date de fin" and change.after == document.end_date.strftime("%d/%m/%Y")
    assert document.amendment(1) is info and document.amendment(9) is None


def test_findings_travel_with_the_document(store):
    placement_id = ids_by_audience(store, Audience.PFMP_CAP)[0]
    with store.transaction() as session:
        day = session.scalars(select(TimetableDay).where(TimetableDay.placement_id == placement_id)).first()
        day.start, day.end, day.break_start, day.break_end = time(6, 0), time(19, 0), None, None
        session.get(Placement, placement_id).pupil.birth_date = date(2011, 1, 1)
    with store.session() as session:
        document = convention_document(session, placement_id, today=TODAY)
    rules = {finding.rule for finding in document.blocking}
    assert {"daily_hours", "break"} <= rules


def test_unknown_deleted_or_purged_placements_are_refused_in_french(store):
    with store.session() as session, pytest.raises(ValidationError, match="Aucun stage n° 424242"):
        convention_document(session, 424242, today=TODAY)
    placement_id = ids_by_audience(store, Audience.PFMP_CAP)[0]
    with store.transaction() as session:
        pupil_id = session.get(Placement, placement_id).pupil_id
        session.get(Pupil, pupil_id).purged_at = session.get(Placement, placement_id).updated_at
    with store.session() as session, pytest.raises(ValidationError, match="purgées"):
        convention_document(session, placement_id, today=TODAY)
