"""Properties the rules hold for every input: what passes for a minor passes for an adult; fewer hours never block;
moving a period by whole weeks, with no public holiday on either side, changes nothing."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, time, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from poledesk.data.conventions.rules import ConventionFacts, check_convention
from poledesk.data.enums import Audience, LegalKind
from poledesk.data.holidays import department_of, holidays_between
from poledesk.data.placements.form import DaySlot

YEAR_START, YEAR_END = date(2026, 9, 7), date(2027, 6, 30)     # a Monday; no birthday (1 July) in between
AUDIENCES = [a for a in Audience if a is not Audience.SECONDE_GT]  # its window moves with the dates, by design


def clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


@st.composite
def day_slots(draw: st.DrawFn, weekday: int) -> DaySlot:
    """A plausible working day, on a quarter-hour grid: a morning, often a break, sometimes an afternoon."""
    start = draw(st.integers(6 * 4, 10 * 4)) * 15
    morning = draw(st.integers(8, 19)) * 15
    if not draw(st.booleans()):
        return DaySlot(weekday, clock(start), clock(start + morning))
    pause = draw(st.integers(1, 6)) * 15
    afternoon = draw(st.integers(4, 18)) * 15
    end = min(start + morning + pause + afternoon, 23 * 60 + 45)
    assume(start + morning + pause < end)
    return DaySlot(weekday, clock(start), clock(end), clock(start + morning), clock(start + morning + pause))


@st.composite
def timetables(draw: st.DrawFn) -> tuple[DaySlot, ...]:
    days = draw(st.sets(st.integers(0, 6), min_size=1, max_size=5))
    return tuple(draw(day_slots(day)) for day in sorted(days))


@st.composite
def placements(draw: st.DrawFn, *, ages: tuple[int, int] = (13, 17)) -> ConventionFacts:
    start = YEAR_START + timedelta(weeks=draw(st.integers(0, 36)))
    end = min(start + timedelta(days=draw(st.sampled_from([4, 6, 11, 13, 25, 39, 55]))), YEAR_END)
    age = draw(st.integers(*ages))
    return ConventionFacts(
        audience=draw(st.sampled_from(AUDIENCES)), start_date=start, end_date=end, timetable=draw(timetables()),
        birth_date=date(2027 - age, 7, 1), pupil_class=draw(st.sampled_from(["3e A", "4e B", "1re MCV", "BTS 1"])),
        representative_name="Anaïs Müller", tutor_name="Gaëlle Thiébaut", referent_teacher_name="Jérôme Géraud",
        host_siret="73282932000074", host_legal_kind=draw(st.sampled_from(list(LegalKind))),
        site_postcode=draw(st.sampled_from(["54000", "57000", "67000", "75011"])),
        family_business=draw(st.booleans()), gratification=draw(st.sampled_from(["", "4,50 € de l'heure"])),
        holidays_excluded=draw(st.booleans()), earlier_days_with_host=draw(st.integers(0, 100)),
        today=YEAR_START, first_print=False)


def blocking(facts: ConventionFacts) -> list[str]:
    return [f.message for f in check_convention(facts) if f.blocking]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(placements())
def test_a_timetable_accepted_for_a_minor_is_accepted_for_an_adult(facts):
    assume(not blocking(facts))
    for age in (18, 19, 25):
        assert blocking(replace(facts, birth_date=date(2027 - age, 7, 1))) == []


@st.composite
def fewer_hours(draw: st.DrawFn, timetable: tuple[DaySlot, ...]) -> tuple[DaySlot, ...]:
    """The same timetable with one day removed (one day at least is kept), or one day started later or ended
    earlier, its break staying inside it."""
    index = draw(st.integers(0, len(timetable) - 1))
    day = timetable[index]
    others = timetable[:index] + timetable[index + 1:]
    choice = draw(st.sampled_from(["remove", "later", "earlier"] if others else ["later", "earlier"]))
    if choice == "remove":
        return others
    start, end = day.start.hour * 60 + day.start.minute, day.end.hour * 60 + day.end.minute
    low = (day.break_end.hour * 60 + day.break_end.minute) if day.break_end else start
    high = (day.break_start.hour * 60 + day.break_start.minute) if day.break_start else end
    if choice == "later":
        shorter = replace(day, start=clock(draw(st.integers(start, high - 1))))
    else:
        shorter = replace(day, end=clock(draw(st.integers(low + 1, end))))
    return tuple(sorted(others + (shorter,), key=lambda s: s.weekday))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.data(), placements(ages=(13, 25)))
def test_removing_hours_from_an_accepted_timetable_never_blocks(data, facts):
    assume(not blocking(facts))
    shorter = data.draw(fewer_hours(facts.timetable))
    assert blocking(replace(facts, timetable=shorter)) == []


def no_holiday(start: date, end: date, postcode: str) -> bool:
    return not holidays_between(start, end, department_of(postcode))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(placements(ages=(13, 25)), st.integers(-12, 12))
def test_moving_a_period_by_whole_weeks_without_public_holidays_changes_no_finding(facts, weeks):
    shift = timedelta(weeks=weeks)
    moved = replace(facts, start_date=facts.start_date + shift, end_date=facts.end_date + shift)
    # The same school year and the same age on both sides: the rules count by school year and by age.
    assume(moved.start_date >= YEAR_START and moved.end_date <= YEAR_END)
    assume(no_holiday(facts.start_date, facts.end_date, facts.site_postcode))
    assume(no_holiday(moved.start_date, moved.end_date, facts.site_postcode))
    assert undated(check_convention(moved)) == undated(check_convention(facts))


def undated(findings: list) -> list[tuple[str, str, str]]:
    """The findings without the period's own dates, which some messages quote."""
    return [(f.rule, f.level, re.sub(r"\d{2}/\d{2}/\d{4}", "…", f.message)) for f in findings]
