"""The convention rules, on both sides of every threshold, and a property: what passes never breaks the hours."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from poledesk.data.conventions.rules import (
    ConventionFacts,
    check_convention,
    equivalent_days,
    longest_stretch_minutes,
    presence_minutes,
)
from poledesk.data.enums import Audience, LegalKind
from poledesk.data.placements.form import STANDARD_WEEK, DaySlot

START, END = date(2027, 1, 11), date(2027, 2, 5)          # four weeks, Monday to Friday


def born_aged(years: int, *, days_before: int = 0) -> date:
    """A birth date that makes the pupil exactly `years` old on START (a day younger with days_before=-1)."""
    birthday = START.replace(year=START.year - years)
    return birthday if days_before >= 0 else birthday.replace(day=birthday.day + 1)


FINE = ConventionFacts(audience=Audience.PFMP_BACPRO, start_date=START, end_date=END, timetable=STANDARD_WEEK,
                       birth_date=born_aged(16), representative_name="Anaïs Müller", tutor_name="Gaëlle Thiébaut",
                       referent_teacher_name="Jérôme Géraud", host_siret="73282932000074", today=date(2026, 11, 23))


def rules_of(facts: ConventionFacts) -> list[str]:
    return [f.rule for f in check_convention(facts)]


def week(slot: DaySlot, days: int = 5) -> tuple[DaySlot, ...]:
    return tuple(replace(slot, weekday=d) for d in range(days))


def test_a_lawful_convention_has_no_finding():
    assert check_convention(FINE) == []


def test_the_message_names_the_day_the_figure_and_the_source():
    tuesday = DaySlot(1, time(8, 0), time(17, 0), time(12, 0), time(12, 30))
    facts = replace(FINE, timetable=(STANDARD_WEEK[0], tuesday))
    assert [f.message for f in check_convention(facts)] == [
        "Mardi : 8 h 30 de présence, au-delà des 8 h autorisées pour un élève de 16 ans (Code du travail, L3162-1)"]


@pytest.mark.parametrize(("end", "expected"), [(time(17, 0), []), (time(17, 1), ["daily_hours"])])
def test_eight_hours_a_day_for_a_minor(end, expected):
    day = DaySlot(0, time(8, 0), end, time(12, 0), time(13, 0))     # 8 h, then 8 h 01
    assert rules_of(replace(FINE, timetable=(day,))) == expected


def test_an_adult_is_not_held_to_the_minors_hours():
    day = DaySlot(0, time(8, 0), time(17, 30), time(12, 30), time(13, 30))      # 8 h 30
    assert rules_of(replace(FINE, birth_date=born_aged(18), timetable=(day,))) == []
    assert rules_of(replace(FINE, birth_date=born_aged(18, days_before=-1), timetable=(day,))) == ["daily_hours"]


@pytest.mark.parametrize(("end", "expected"), [(time(16, 0), []), (time(16, 1), ["daily_hours"])])
def test_seven_hours_a_day_in_observation(end, expected):
    day = DaySlot(0, time(8, 0), end, time(12, 0), time(13, 0))
    facts = replace(FINE, audience=Audience.OBSERVATION_4E_3E, pupil_class="3e B", end_date=START, timetable=(day,),
                    birth_date=born_aged(14))
    assert rules_of(facts) == expected


@pytest.mark.parametrize(("minutes", "expected"), [(0, []), (1, ["weekly_hours"])])
def test_thirty_five_hours_a_week(minutes, expected):
    long_day = DaySlot(4, time(8, 30), time(17, 0, 0).replace(minute=minutes), time(12, 0), time(13, 30))
    assert rules_of(replace(FINE, timetable=STANDARD_WEEK[:4] + (long_day,))) == expected


@pytest.mark.parametrize(("end", "pause_end", "expected"), [
    (time(12, 30), None, []),                                # 4 h 30 without a break: allowed
    (time(12, 31), None, ["break"]),                         # 4 h 31 without a break
    (time(14, 0), time(11, 29), ["break"]),                  # a 29-minute break is not one
    (time(14, 0), time(11, 30), []),                         # 30 minutes
])
def test_a_break_of_thirty_minutes_beyond_four_and_a_half_hours(end, pause_end, expected):
    pause_start = time(11, 0) if pause_end else None
    day = DaySlot(0, time(8, 0), end, pause_start, pause_end)
    assert rules_of(replace(FINE, timetable=(day,))) == expected


def test_no_stretch_over_four_and_a_half_hours_even_with_a_break():
    day = DaySlot(0, time(7, 0), time(13, 0), time(12, 0), time(12, 30))   # 5 h then 30 min then 30 min
    assert rules_of(replace(FINE, timetable=(day,))) == ["break"]


@pytest.mark.parametrize(("age", "end", "expected"), [
    (16, time(21, 59), []), (16, time(22, 0), []), (16, time(22, 1), ["night"]),
    (15, time(20, 0), []), (15, time(20, 1), ["night"]),
])
def test_night_work(age, end, expected):
    day = DaySlot(0, time(14, 0), end, time(18, 0), time(18, 30))
    assert rules_of(replace(FINE, birth_date=born_aged(age), timetable=(day,))) == expected


def test_16h_to_22h01_says_the_hour():
    day = DaySlot(0, time(16, 0), time(22, 1), time(18, 0), time(18, 30))
    message = check_convention(replace(FINE, timetable=(day,)))[0].message
    assert message.startswith("Lundi : présence de 16 h à 22 h 01, or le travail est interdit entre 22 h et 6 h")


@pytest.mark.parametrize(("age", "start", "expected"), [
    (16, time(6, 0), []), (16, time(5, 59), ["night", "daily_rest"]),
    (15, time(8, 0), []), (15, time(7, 59), ["daily_rest"]),
])
def test_daily_rest_between_two_days(age, start, expected):
    evening = DaySlot(0, time(12, 0), time(18, 0), time(14, 0), time(14, 30))
    morning = DaySlot(1, start, time(10, 0))
    assert rules_of(replace(FINE, birth_date=born_aged(age), timetable=(evening, morning))) == expected


def test_two_consecutive_rest_days_a_week():
    short = DaySlot(0, time(9, 0), time(13, 0))
    assert rules_of(replace(FINE, timetable=week(short, 5))) == []                     # Saturday and Sunday off
    assert rules_of(replace(FINE, timetable=week(short, 6))) == ["weekly_rest"]        # Sunday alone
    split = tuple(s for s in week(short, 7) if s.weekday not in (2, 5))                # Wednesday and Saturday
    assert rules_of(replace(FINE, timetable=split)) == ["weekly_rest", "sunday_minor"]
    wrapped = tuple(s for s in week(short, 7) if s.weekday not in (6, 0))               # Sunday and Monday
    assert rules_of(replace(FINE, timetable=wrapped)) == []


@pytest.mark.parametrize(("age", "expected"), [(17, ["representative"]), (18, [])])
def test_a_minor_needs_a_legal_representative(age, expected):
    assert rules_of(replace(FINE, representative_name="", birth_date=born_aged(age))) == expected


@pytest.mark.parametrize(("age", "family", "kind", "expected"), [
    (13, False, LegalKind.COMPANY, ["under_14"]), (13, True, LegalKind.COMPANY, []),
    (13, False, LegalKind.ADMINISTRATION, []), (14, False, LegalKind.COMPANY, []),
])
def test_under_fourteen_only_in_a_family_business(age, family, kind, expected):
    facts = replace(FINE, audience=Audience.OBSERVATION_4E_3E, pupil_class="4e A", end_date=date(2027, 1, 15),
                    birth_date=born_aged(age), family_business=family, host_legal_kind=kind,
                    timetable=week(DaySlot(0, time(9, 0), time(16, 0), time(12, 0), time(13, 0))))
    assert rules_of(facts) == expected


@pytest.mark.parametrize(("klass", "end", "expected"), [
    ("3e", date(2027, 1, 15), []), ("5e", date(2027, 1, 15), ["observation"]),
    ("4e", date(2027, 1, 18), ["observation"]),                       # six days
])
def test_observation_from_4e_and_five_days_at_most(klass, end, expected):
    facts = replace(FINE, audience=Audience.OBSERVATION_4E_3E, pupil_class=klass, end_date=end,
                    birth_date=born_aged(14), timetable=week(DaySlot(0, time(9, 0), time(16, 0), time(12, 0),
                                                                     time(13, 0))))
    assert rules_of(facts) == expected


@pytest.mark.parametrize(("earlier", "audience", "expected_level"), [
    (24, Audience.STS, None), (25, Audience.STS, "blocking"), (25, Audience.PFMP_BACPRO, "blocking"),
    (25, Audience.APPRENTICESHIP, None),      # a work contract: no gratification rule
])
def test_gratification_beyond_44_days(earlier, audience, expected_level):
    facts = replace(FINE, audience=audience, earlier_days_with_host=earlier, birth_date=born_aged(19))
    assert equivalent_days(START, END, STANDARD_WEEK) == 20
    levels = [f.level for f in check_convention(facts) if f.rule == "gratification"]
    assert levels == ([expected_level] if expected_level else [])
    assert rules_of(replace(facts, gratification="4,35 € de l'heure")) == []


def test_missing_mandatory_data_names_the_field():
    facts = replace(FINE, tutor_name="", referent_teacher_name="", host_siret="", birth_date=None)
    assert {f.field for f in check_convention(facts)} == {"tutor", "referent_teacher_name", "host_siret",
                                                          "birth_date"}
    assert rules_of(replace(FINE, host_siret="", host_legal_kind=LegalKind.ASSOCIATION)) == []


def test_loads_and_period_are_warnings():
    facts = replace(FINE, referent_trainees=16, tutor_trainees=3, start_date=date(2026, 11, 2),
                    end_date=date(2026, 11, 27), holidays_excluded=True)      # 11 November is left out
    findings = check_convention(facts)
    assert [(f.rule, f.level) for f in findings] == [("referent_load", "warning"), ("tutor_load", "warning"),
                                                    ("period", "warning")]
    assert rules_of(replace(FINE, referent_trainees=15, tutor_trainees=2)) == []


times = st.integers(0, 23 * 4).map(lambda q: time(q // 4, (q % 4) * 15))


@st.composite
def slots(draw, weekday: int) -> DaySlot:
    start, end = sorted((draw(times), draw(times)))
    if start == end:
        end = time(23, 45) if start < time(23, 45) else start
    if draw(st.booleans()):
        a, b = sorted((draw(times), draw(times)))
        if start < a < b < end:
            return DaySlot(weekday, start, end, a, b)
    return DaySlot(weekday, start, end)


@st.composite
def timetables(draw) -> tuple[DaySlot, ...]:
    days = draw(st.sets(st.integers(0, 6), min_size=1, max_size=7))
    return tuple(draw(slots(day)) for day in sorted(days))


@settings(max_examples=400, deadline=None)
@given(timetables(), st.integers(14, 17))
def test_a_timetable_the_engine_accepts_never_breaks_the_hours_rules(timetable, age):
    facts = replace(FINE, timetable=timetable, birth_date=born_aged(age))
    if any(f.blocking for f in check_convention(facts)):
        return
    night_start = time(20, 0) if age < 16 else time(22, 0)
    assert sum(presence_minutes(s) for s in timetable) <= 35 * 60
    for slot in timetable:
        assert presence_minutes(slot) <= 8 * 60
        assert longest_stretch_minutes(slot) <= 270
        assert slot.start >= time(6, 0) and slot.end <= night_start
