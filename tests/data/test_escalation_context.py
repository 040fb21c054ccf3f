"""What the escalation form proposes from its context: the audience of the school's kind, a planned or clear period."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from poledesk.data.enums import Audience, EstablishmentKind
from poledesk.data.escalations import context
from poledesk.data.holidays import holidays_between
from poledesk.data.models import Establishment
from poledesk.data.planning import periods
from poledesk.data.planning.school_calendar import school_holidays
from poledesk.data.text import school_year_of


@pytest.fixture
def schools(pole_store):
    ids = {}
    with pole_store.transaction() as session:
        for key, kind, name in (("college", EstablishmentKind.COLLEGE, "Collège Jacques-Callot"),
                                ("lp", EstablishmentKind.LP, "Lycée professionnel Marie-Marvingt"),
                                ("lycee", EstablishmentKind.LYCEE, "Lycée Henri-Poincaré")):
            school = Establishment(uai="0540038Y", name=name, kind=kind, postcode="54000", commune="Nancy")
            session.add(school)
            session.flush()
            ids[key] = school.id
    return pole_store, ids


def test_the_audience_follows_the_kind_of_school(schools):
    store, ids = schools
    with store.session() as session:
        assert context.audience_for(session, ids["college"]) is Audience.OBSERVATION_4E_3E
        assert context.audience_for(session, ids["lp"]) is Audience.PFMP_BACPRO
        assert context.audience_for(session, ids["lycee"]) is Audience.SECONDE_GT
        assert context.audience_for(session, 999) is None


def test_a_pfmp_proposed_in_december_starts_after_the_christmas_holidays(schools):
    store, ids = schools
    with store.session() as session:
        proposed = context.default_period(session, ids["lp"], Audience.PFMP_BACPRO, today=date(2026, 11, 30))
        week = context.default_period(session, ids["college"], Audience.OBSERVATION_4E_3E, today=date(2026, 11, 30))
    assert (proposed.start, proposed.end) == (date(2027, 1, 4), date(2027, 1, 29))
    assert "hors vacances scolaires" in proposed.source
    assert (week.start, week.end) == (date(2026, 12, 14), date(2026, 12, 18))


def test_the_schools_own_planned_period_comes_first(schools):
    store, ids = schools
    with store.transaction() as session:
        periods.save_period(session, periods.PeriodForm(ids["lp"], Audience.PFMP_BACPRO, date(2027, 3, 8),
                                                        date(2027, 4, 2), 24, division="1re MCV A"))
        periods.save_period(session, periods.PeriodForm(ids["lp"], Audience.PFMP_CAP, date(2027, 1, 11),
                                                        date(2027, 2, 5), 12))
    with store.session() as session:
        proposed = context.default_period(session, ids["lp"], Audience.PFMP_BACPRO, today=date(2026, 12, 1))
        other_school = context.default_period(session, ids["college"], Audience.PFMP_BACPRO,
                                              today=date(2026, 12, 1))
    assert (proposed.start, proposed.end) == (date(2027, 3, 8), date(2027, 4, 2))
    assert proposed.source == "Période prévue par l'établissement, du 08/03/2027 au 02/04/2027."
    assert other_school.start == date(2027, 1, 4)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dates(min_value=date(2025, 9, 1), max_value=date(2027, 5, 15)), st.sampled_from(list(Audience)))
def test_a_proposed_period_never_meets_a_holiday(pole_store, today, audience):   # the store is only read
    with pole_store.session() as session:
        proposed = context.default_period(session, None, audience, today=today)
    assert proposed.start >= today + timedelta(days=14) and proposed.start.weekday() == 0
    assert proposed.end.weekday() == 4 and proposed.end > proposed.start
    assert not holidays_between(proposed.start, proposed.end)
    for holiday in school_holidays(school_year_of(proposed.start), "B"):
        assert proposed.end < holiday.first_day or proposed.start > holiday.last_day
