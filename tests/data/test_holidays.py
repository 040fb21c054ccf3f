"""Public holidays: Easter against published dates, every holiday of 2026 and 2027, and Alsace-Moselle's two more."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from poledesk.data.holidays import department_of, easter_sunday, holidays_between, is_public_holiday, public_holidays

EASTERS = {2015: date(2015, 4, 5), 2019: date(2019, 4, 21), 2024: date(2024, 3, 31), 2025: date(2025, 4, 20),
           2026: date(2026, 4, 5), 2027: date(2027, 3, 28), 2038: date(2038, 4, 25), 2285: date(2285, 3, 22)}


@pytest.mark.parametrize("year", sorted(EASTERS))
def test_easter_matches_published_dates(year):
    assert easter_sunday(year) == EASTERS[year]


def test_every_public_holiday_of_2026_and_2027():
    assert list(public_holidays(2026)) == [
        date(2026, 1, 1), date(2026, 4, 6), date(2026, 5, 1), date(2026, 5, 8), date(2026, 5, 14),
        date(2026, 5, 25), date(2026, 7, 14), date(2026, 8, 15), date(2026, 11, 1), date(2026, 11, 11),
        date(2026, 12, 25)]
    assert list(public_holidays(2027)) == [
        date(2027, 1, 1), date(2027, 3, 29), date(2027, 5, 1), date(2027, 5, 6), date(2027, 5, 8),
        date(2027, 5, 17), date(2027, 7, 14), date(2027, 8, 15), date(2027, 11, 1), date(2027, 11, 11),
        date(2027, 12, 25)]


@pytest.mark.parametrize("department", ["57", "67", "68"])
def test_alsace_moselle_adds_good_friday_and_saint_etienne(department):
    days = public_holidays(2026, department)
    assert days[date(2026, 4, 3)] == "Vendredi saint"
    assert days[date(2026, 12, 26)] == "Saint-Étienne"
    assert len(days) == 13
    assert date(2027, 3, 26) in public_holidays(2027, department)


def test_elsewhere_good_friday_is_worked():
    assert not is_public_holiday(date(2026, 4, 3), "54")
    assert is_public_holiday(date(2026, 4, 3), "57")


def test_department_of_postcodes():
    assert department_of("57000") == "57"
    assert department_of("97411") == "974"
    assert department_of("5400") is None
    assert department_of(None) is None


def test_holidays_between_crosses_years():
    found = holidays_between(date(2026, 12, 20), date(2027, 1, 5), "57")
    assert list(found) == [date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1)]
    assert holidays_between(date(2027, 1, 5), date(2026, 12, 20)) == {}


@given(st.integers(min_value=1900, max_value=2200))
def test_easter_is_a_sunday_between_march_22_and_april_25(year):
    easter = easter_sunday(year)
    assert easter.weekday() == 6
    assert date(year, 3, 22) <= easter <= date(year, 4, 25)
