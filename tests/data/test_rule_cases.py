"""One table of cases, each naming the article it checks: the findings must be exactly the expected rules, and the
findings must cite that article."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time, timedelta

import pytest

from poledesk.data.conventions.rules import ConventionFacts, HostPeriod, check_convention
from poledesk.data.enums import Audience, LegalKind
from poledesk.data.holidays import public_holidays
from poledesk.data.placements.form import STANDARD_WEEK, DaySlot

START, END = date(2027, 1, 11), date(2027, 2, 5)          # four weeks, Monday to Friday, no public holiday
OBS_END = date(2027, 1, 15)

BASE = ConventionFacts(audience=Audience.PFMP_BACPRO, start_date=START, end_date=END, timetable=STANDARD_WEEK,
                       birth_date=date(2010, 6, 1), representative_name="Anaïs Müller", tutor_name="Gaëlle Thiébaut",
                       referent_teacher_name="Jérôme Géraud", host_siret="73282932000074", host_name="Garage Leclerc",
                       today=date(2020, 1, 1), first_print=False)


@dataclass(frozen=True)
class Case:
    article: str
    name: str
    facts: ConventionFacts
    expected: tuple[str, ...]
    says: str = ""
    cites: bool = True          # the findings cite the article (not when the case shows it does not apply)


def case(article: str, name: str, expected: tuple[str, ...] | list[str] = (), *, says: str = "", cites: bool = True,
         **changes: object) -> Case:
    return Case(article, name, replace(BASE, **changes), tuple(expected), says, cites)


def born(years: int, shift: int, start: date = START) -> date:
    """The birth date whose `years`-th birthday falls `shift` days from the start (-1: the day before)."""
    birthday = start + timedelta(days=shift)
    return birthday.replace(year=birthday.year - years)


def slot(weekday: int, start: str, end: str, pause: tuple[str, str] | None = None) -> DaySlot:
    clock = time.fromisoformat
    return DaySlot(weekday, clock(start), clock(end), *(map(clock, pause) if pause else (None, None)))


def week(days: int, start: str, end: str, pause: tuple[str, str] | None = None, first: int = 0) -> tuple[DaySlot, ...]:
    return tuple(slot(d, start, end, pause) for d in range(first, first + days))


SIX_HOURS = week(5, "09:00", "16:00", ("12:00", "13:00"))
SIX_AND_A_HALF = week(5, "09:00", "16:30", ("12:00", "13:00"))
LATE_MONDAY = (slot(0, "13:00", "21:00", ("16:30", "17:00")),)
EVENING_MORNING = (slot(0, "11:30", "19:30", ("15:00", "15:30")), slot(1, "08:00", "12:00"))
NINE_HOURS = (slot(0, "08:00", "17:30", ("12:30", "13:00")),)
OBSERVATION = {"audience": Audience.OBSERVATION_4E_3E, "pupil_class": "3e B", "end_date": OBS_END}
ADULT = {"birth_date": date(2005, 3, 1), "audience": Audience.STS}
TWELVE_WEEKS_END = date(2027, 4, 2)

AGES = [
    *(case("L4153-5", f"14th birthday, day {shift:+d}", ["under_14"] if shift > 0 else [],
           birth_date=born(14, shift), timetable=SIX_HOURS, **OBSERVATION) for shift in (-1, 0, 1)),
    *(case("Circulaire du 12 juillet 2024", f"15th birthday, day {shift:+d}",
           ["observation_week"] if shift > 0 else [], birth_date=born(15, shift), timetable=SIX_AND_A_HALF,
           **OBSERVATION) for shift in (-1, 0, 1)),
    *(case("L3163-1", f"16th birthday, day {shift:+d}: until 21 h", ["night"] if shift > 0 else [],
           birth_date=born(16, shift), timetable=LATE_MONDAY) for shift in (-1, 0, 1)),
    *(case("L3164-1", f"16th birthday, day {shift:+d}: 12 h 30 of rest", ["daily_rest"] if shift > 0 else [],
           birth_date=born(16, shift), timetable=EVENING_MORNING) for shift in (-1, 0, 1)),
    *(case("L3162-1", f"18th birthday, day {shift:+d}: 9 h a day", ["daily_hours"] if shift > 0 else [],
           birth_date=born(18, shift), timetable=NINE_HOURS) for shift in (-1, 0, 1)),
    *(case("D124-4", f"18th birthday, day {shift:+d}: no representative", ["representative"] if shift > 0 else [],
           birth_date=born(18, shift), representative_name="") for shift in (-1, 0, 1)),
]

MINOR_HOURS = [
    case("L3162-3", "4 h 30 without a break", timetable=(slot(0, "08:00", "12:30"),)),
    case("L3162-3", "4 h 31 without a break", ["break"], timetable=(slot(0, "08:00", "12:31"),)),
    case("L3162-3", "6 h with a 29-minute break", ["break"], timetable=(slot(0, "08:00", "14:29", ("11:00", "11:29")),)),
    case("L3162-3", "6 h with a 30-minute break", timetable=(slot(0, "08:00", "14:30", ("11:00", "11:30")),)),
    case("L3162-3", "4 h 31 in a row before the break", ["break"],
         timetable=(slot(0, "07:29", "13:00", ("12:00", "12:30")),)),
    case("L3163-1", "15 years old until 20 h", birth_date=born(15, -10),
         timetable=(slot(0, "14:00", "20:00", ("17:00", "17:30")),)),
    case("L3163-1", "15 years old until 20 h 01", ["night"], birth_date=born(15, -10),
         timetable=(slot(0, "14:00", "20:01", ("17:00", "17:30")),)),
    case("L3163-1", "15 years old from 5 h 59", ["night"], birth_date=born(15, -10),
         timetable=(slot(0, "05:59", "12:00", ("09:00", "09:30")),)),
    case("L3163-2", "16 years old until 22 h", timetable=(slot(0, "16:00", "22:00", ("18:00", "18:30")),)),
    case("L3163-2", "16 years old until 22 h 01", ["night"], says="entre 22 h et 6 h",
         timetable=(slot(0, "16:00", "22:01", ("18:00", "18:30")),)),
    case("L3163-2", "17 years old from 6 h", birth_date=born(17, -10),
         timetable=(slot(0, "06:00", "12:00", ("09:00", "09:30")),)),
    case("L3162-1", "8 h a day", timetable=(slot(0, "08:00", "17:00", ("12:00", "13:00")),)),
    case("L3162-1", "8 h 01 a day", ["daily_hours"], timetable=(slot(0, "08:00", "17:01", ("12:00", "13:00")),)),
    case("L3162-1", "35 h a week"),
    case("L3162-1", "35 h 01 a week", ["weekly_hours"],
         timetable=STANDARD_WEEK[:4] + (slot(4, "08:30", "17:01", ("12:00", "13:30")),)),
    case("L3162-1", "observation, 7 h a day", birth_date=born(15, -10), timetable=(slot(0, "09:00", "17:00",
                                                                                       ("12:00", "13:00")),),
         **OBSERVATION),
    case("L3162-1", "observation, 7 h 01 a day", ["daily_hours"], birth_date=born(15, -10),
         timetable=(slot(0, "09:00", "17:01", ("12:00", "13:00")),), **OBSERVATION),
    case("L3164-2", "Monday to Friday", timetable=week(5, "09:00", "13:00")),
    case("L3164-2", "Monday to Saturday", ["weekly_rest"], timetable=week(6, "09:00", "13:00")),
    case("L3164-5", "a minor on Sundays", ["sunday_minor"],
         timetable=week(3, "09:00", "13:00", first=2) + (slot(6, "09:00", "13:00"),)),
    case("L3132-3", "an adult on Sundays", ["sunday"],
         timetable=week(3, "09:00", "13:00", first=2) + (slot(6, "09:00", "13:00"),), **ADULT),
]

ADULTS = [
    case("L3121-18", "10 h a day", timetable=(slot(0, "08:00", "18:30", ("12:00", "12:30")),), **ADULT),
    case("L3121-18", "10 h 01 a day", ["adult_daily_hours"],
         timetable=(slot(0, "08:00", "18:31", ("12:00", "12:30")),), **ADULT),
    case("L3121-20", "48 h in six days", timetable=week(6, "08:00", "16:30", ("12:00", "12:30")), **ADULT),
    case("L3121-20", "48 h 01 in six days", ["adult_weekly_hours"],
         timetable=week(5, "08:00", "16:30", ("12:00", "12:30")) + (slot(5, "08:00", "16:31", ("12:00", "12:30")),),
         **ADULT),
    case("L3121-22", "44 h for 12 weeks", end_date=TWELVE_WEEKS_END, gratification="4,50 €",
         timetable=week(5, "08:00", "17:18", ("12:00", "12:30")), **ADULT),
    case("L3121-22", "45 h for 12 weeks", ["adult_average_hours"], end_date=TWELVE_WEEKS_END, gratification="4,50 €",
         timetable=week(5, "08:00", "17:30", ("12:00", "12:30")), **ADULT),
    case("L3121-22", "45 h for 4 weeks", timetable=week(5, "08:00", "17:30", ("12:00", "12:30")), **ADULT),
    case("L3131-1", "11 h between two days",
         timetable=(slot(0, "12:00", "21:00", ("16:00", "16:30")), slot(1, "08:00", "12:00")), **ADULT),
    case("L3131-1", "10 h 59 between two days", ["adult_daily_rest"],
         timetable=(slot(0, "12:00", "21:00", ("16:00", "16:30")), slot(1, "07:59", "12:00")), **ADULT),
    case("L3132-2", "33 h of weekly rest", ["adult_weekly_rest"],
         timetable=week(5, "07:00", "11:00") + (slot(5, "14:00", "22:00", ("18:00", "18:30")),), **ADULT),
    case("L3132-1", "seven days", ["adult_weekly_rest", "sunday"], timetable=week(7, "09:00", "13:00"), **ADULT),
]

# Ascension (6 May) and Whit Monday (17 May) 2027 fall inside: 43 days of 7 h instead of 45.
MAY_START, MAY_END = date(2027, 4, 26), date(2027, 6, 25)
GRATIFICATION = {"start_date": MAY_START, "end_date": MAY_END, "holidays_excluded": True, **ADULT}
ONE_DAY = HostPeriod(date(2027, 1, 11), date(2027, 1, 11), (slot(0, "09:00", "17:00", ("12:00", "13:00")),))
LONGER_DAY = HostPeriod(date(2027, 1, 11), date(2027, 1, 11), (slot(0, "09:00", "17:15", ("12:00", "13:00")),))

GRATIFICATIONS = [
    case("D124-6", "45 days less 2 public holidays: 301 h", **GRATIFICATION),
    case("D124-6", "and one earlier day of 7 h: 308 h", other_periods=(ONE_DAY,), **GRATIFICATION),
    case("L124-6", "and one earlier day of 7 h 15: 308 h 15", ["gratification"], says="au moins 4,50 €",
         other_periods=(LONGER_DAY,), **GRATIFICATION),
    case("L124-6", "308 h 15 with an amount", other_periods=(LONGER_DAY,), gratification="4,50 € de l'heure",
         **GRATIFICATION),
    case("L124-6", "a minor in bac pro, blocking too", ["gratification"], other_periods=(LONGER_DAY,),
         **{**GRATIFICATION, "audience": Audience.PFMP_BACPRO, "birth_date": born(17, -30, MAY_START)}),
    case("L124-6", "an apprentice: a salary, no gratification", other_periods=(LONGER_DAY,),
         **{**GRATIFICATION, "audience": Audience.APPRENTICESHIP}),
    case("D124-6", "2016: the minimum of that year", ["gratification"], says="au moins 3,60 €",
         start_date=date(2016, 1, 4), end_date=date(2016, 3, 25), birth_date=date(1995, 1, 1),
         audience=Audience.STS, holidays_excluded=True),
    case("L612-11", "2013: the law before L124-6", ["gratification"], says="12,5 %",
         start_date=date(2013, 1, 7), end_date=date(2013, 3, 22), birth_date=date(1992, 1, 1),
         audience=Audience.STS, holidays_excluded=True),
]

HOST_TIME = [
    case("L124-5", "924 h with the host", earlier_days_with_host=112, gratification="4,50 €", **ADULT),
    case("L124-5", "931 h with the host", ["host_time"], earlier_days_with_host=113, gratification="4,50 €", **ADULT),
    case("L124-5", "a long period the year before does not count", gratification="4,50 €", other_periods=(
        HostPeriod(date(2025, 9, 1), date(2026, 6, 30), STANDARD_WEEK),), **ADULT),
]

SECONDE = {"audience": Audience.SECONDE_GT, "birth_date": date(2009, 11, 20), "pupil_class": "2nde 4",
           "holidays_excluded": True}
OBSERVATIONS = [
    case("note de service", "inside the 2025 window", start_date=date(2025, 6, 16), end_date=date(2025, 6, 27),
         **SECONDE),
    case("note de service", "a week before the window", ["seconde_observation"], says="du 16/06/2025 au 27/06/2025",
         start_date=date(2025, 6, 9), end_date=date(2025, 6, 20), **SECONDE),
    case("note de service", "three weeks", ["seconde_observation", "seconde_observation"],
         start_date=date(2025, 6, 16), end_date=date(2025, 7, 4), **SECONDE),
    case("note de service", "a year with no window in the table: June", start_date=date(2027, 6, 14),
         end_date=date(2027, 6, 25), **SECONDE),
    case("note de service", "a year with no window in the table: May", ["seconde_observation"],
         says="hors du mois de juin 2027", start_date=date(2027, 5, 24), end_date=date(2027, 6, 4), **SECONDE),
    case("29 novembre 2023", "before the seconde observation existed", ["seconde_observation"],
         says="existe depuis juin 2024", start_date=date(2023, 6, 12), end_date=date(2023, 6, 23),
         **{**SECONDE, "birth_date": date(2008, 1, 1)}),
    case("D331-6", "3e, five days", birth_date=born(15, -10), **OBSERVATION),
    case("D331-6", "5e", ["observation"], birth_date=born(15, -10), **{**OBSERVATION, "pupil_class": "5e A"}),
    case("D331-9", "six days", ["observation"], birth_date=born(15, -10),
         **{**OBSERVATION, "end_date": date(2027, 1, 18)}),
]

CONSISTENCY = [
    case("consistency", "end before start", ["consistency"], end_date=date(2027, 1, 4)),
    case("consistency", "empty timetable", ["consistency"], timetable=()),
    case("consistency", "Saturday outside a Monday-to-Friday period", ["consistency"], end_date=OBS_END,
         timetable=week(3, "09:00", "13:00") + (slot(5, "09:00", "12:00"),)),
    case("consistency", "born after the start", ["consistency"], birth_date=date(2027, 3, 1)),
    case("L3162-1", "2005: the minors' limits still apply", ["daily_hours"], start_date=date(2005, 1, 10),
         end_date=date(2005, 1, 14), birth_date=date(1989, 6, 1), timetable=NINE_HOURS),
    case("L3162-1", "2061: the latest rules apply", ["daily_hours"], start_date=date(2061, 1, 10),
         end_date=date(2061, 1, 14), birth_date=date(2045, 6, 1), timetable=NINE_HOURS),
]


def holiday_cases() -> list[Case]:
    cases = []
    for year in (2026, 2027):
        local = public_holidays(year, "57")
        for day, name in public_holidays(year).items():
            sunday = ["sunday_minor"] if day.weekday() == 6 else []
            cases.append(case("L3164-6", f"{name} {day}", [*sunday, "public_holiday"], says=name, start_date=day,
                              end_date=day, timetable=(slot(day.weekday(), "09:00", "12:00"),)))
        for day, name in local.items():
            if day in public_holidays(year):
                continue
            sunday = ["sunday_minor"] if day.weekday() == 6 else []
            for postcode in ("57000", "67000", "68100"):
                cases.append(case("L3134-13", f"{name} {day} in {postcode}", [*sunday, "local_holiday"],
                                  says="Alsace-Moselle", start_date=day, end_date=day, site_postcode=postcode,
                                  timetable=(slot(day.weekday(), "09:00", "12:00"),)))
            cases.append(case("L3134-13", f"{name} {day} in Nancy", sunday, cites=False, start_date=day, end_date=day,
                              site_postcode="54000", timetable=(slot(day.weekday(), "09:00", "12:00"),)))
    ascension = date(2027, 5, 6)
    one_day = {"start_date": ascension, "end_date": ascension, "timetable": (slot(3, "09:00", "12:00"),)}
    cases.append(case("L3164-6", "Ascension, the convention excludes it", holidays_excluded=True, **one_day))
    cases.append(case("L3164-6", "Ascension, an adult", **{**one_day, **ADULT}))
    may_day = {"start_date": date(2026, 4, 27), "end_date": date(2026, 5, 1), "timetable": week(5, "09:00", "12:00")}
    cases.append(case("L3133-4", "1 May 2026, an adult", ["may_day"], says="01/05/2026", **{**may_day, **ADULT}))
    cases.append(case("L3133-4", "1 May 2026, an adult, holidays excluded", holidays_excluded=True,
                      **{**may_day, **ADULT}))
    cases.append(case("L3164-6", "Ascension for a 17-year-old in a week", ["public_holiday"], says="06/05/2027",
                      start_date=date(2027, 5, 3), end_date=date(2027, 5, 7), birth_date=born(17, -20)))
    return cases


CASES = [*AGES, *MINOR_HOURS, *ADULTS, *GRATIFICATIONS, *HOST_TIME, *OBSERVATIONS, *CONSISTENCY, *holiday_cases()]


def test_the_table_is_large_and_every_case_names_its_article():
    assert len(CASES) >= 80
    assert all(c.article.strip() for c in CASES)
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("item", CASES, ids=[f"{c.article}: {c.name}" for c in CASES])
def test_case(item: Case):
    findings = check_convention(item.facts)
    assert [f.rule for f in findings] == list(item.expected), [f.message for f in findings]
    if item.expected and item.cites and item.article != "consistency":
        assert any(item.article in f.source or item.article in f.message for f in findings), \
            [f.source for f in findings]
    for found in findings:
        assert found.explanation and found.message
    if item.says:
        assert any(item.says in f.message for f in findings), [f.message for f in findings]


def test_an_association_may_host_a_13_year_old():
    facts = replace(BASE, birth_date=born(14, 1), timetable=SIX_HOURS, host_legal_kind=LegalKind.ASSOCIATION,
                    **OBSERVATION)
    assert check_convention(facts) == []
