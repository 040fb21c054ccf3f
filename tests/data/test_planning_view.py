"""What the view asks of the calendar: its setting, a cell's periods and offers, a move checked then saved, the
weeks in tension an escalation is warned of, and neighbouring poles competing for one sector."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from poledesk.data.enums import Audience, EstablishmentKind, PartnerStatus
from poledesk.data.models import Establishment, Formation, HostingOffer, Partner, PlanningPeriod
from poledesk.data.planning import periods, view
from poledesk.data.planning.calendar import OVER, period_weeks
from poledesk.data.validation import ValidationError

YEAR = "2026-2027"


@pytest.fixture
def bassin(pole_store):
    """An LP in Moselle and one in Meurthe-et-Moselle; a shop with 3 November places for bac pro commerce, a bakery
    with 2 places all year; 5 pupils out 23/11 - 04/12/2026."""
    with pole_store.transaction() as session:
        commerce = Formation(code="BP-MCV", label="Bac pro commerce", audience=Audience.PFMP_BACPRO)
        lp = Establishment(uai="0540042C", name="LP Jean-Prouvé", kind=EstablishmentKind.LP, postcode="54000")
        metz = Establishment(uai="0570001A", name="LP de Metz", kind=EstablishmentKind.LP, postcode="57000")
        other = Establishment(uai="0570002B", name="LP de Thionville", kind=EstablishmentKind.LP, postcode="57100")
        shop = Partner(name="Supermarché du Port", naf_code="47.11D", status=PartnerStatus.ACTIVE)
        bakery = Partner(name="Boulangerie Lefèvre", naf_code="47.24Z", status=PartnerStatus.ACTIVE)
        session.add_all([commerce, lp, metz, other, shop, bakery])
        session.flush()
        session.add_all([
            HostingOffer(partner_id=shop.id, audience=Audience.PFMP_BACPRO, formation_id=commerce.id, places=3,
                         months="11"),
            HostingOffer(partner_id=bakery.id, audience=Audience.PFMP_BACPRO, places=2, months=""),
        ])
        period = periods.save_period(session, periods.PeriodForm(lp.id, None, date(2026, 11, 23), date(2026, 12, 4),
                                                                 5, formation_id=commerce.id, division="1MCV"))
        ids = {"lp": lp.id, "metz": metz.id, "commerce": commerce.id, "period": period}
    return pole_store, ids


def test_the_setting_is_zone_b_and_the_departement_most_schools_are_in(bassin):
    store, _ids = bassin
    with store.session() as session:
        setting = view.planning_setting(session, YEAR)
        assert (setting.zone, setting.department, setting.coordinator) == ("B", "57", False)
        assert setting.title == "Pôle de stages du bassin de Nancy"
        with pytest.raises(ValidationError) as refused:
            view.planning_setting(session, "2026/27")
    assert "2026-2027" in refused.value.problems["school_year"]
    # Moselle keeps Good Friday and 26 December: the weeks say so
    weeks = {w.monday: w for w in setting.weeks()}
    assert weeks[date(2027, 3, 22)].public_holidays == ((date(2027, 3, 26), "Vendredi saint"),)


def test_a_cell_lists_its_periods_and_its_offers(bassin):
    store, ids = bassin
    with store.session() as session:
        sheet = view.draw_calendar(session, view.planning_setting(session, YEAR))
    column = next(i for i, w in enumerate(sheet.weeks) if w.monday == date(2026, 11, 23))
    detail = view.cell_detail(sheet, 0, column)
    assert (detail.cell.demand, detail.cell.capacity) == (5, 5)
    assert [p.id for p in detail.periods] == [ids["period"]]
    assert [o.partner_name for o in detail.offers] == ["Supermarché du Port", "Boulangerie Lefèvre"]
    december = view.cell_detail(sheet, 0, column + 1)
    assert [o.partner_name for o in december.offers] == ["Boulangerie Lefèvre"]
    assert december.cell.level == OVER


def test_a_move_is_saved_checked_like_the_form(bassin):
    store, ids = bassin
    with store.transaction() as session:
        view.move_period(session, ids["period"], date(2026, 11, 9), date(2026, 11, 20))
    with store.session() as session:
        moved = session.get(PlanningPeriod, ids["period"])
        assert (moved.start_date, moved.end_date, moved.pupils) == (date(2026, 11, 9), date(2026, 11, 20), 5)
    with pytest.raises(ValidationError) as refused, store.transaction() as session:
        view.move_period(session, ids["period"], date(2026, 11, 20), date(2026, 11, 9))
    assert "précède le début" in refused.value.problems["end_date"]
    with pytest.raises(ValidationError) as refused, store.transaction() as session:
        view.move_period(session, ids["period"], date(2027, 9, 6), date(2027, 9, 17))
    assert "hors de l'année scolaire 2026-2027" in refused.value.problems["start_date"]
    with store.session() as session:
        assert session.get(PlanningPeriod, ids["period"]).start_date == date(2026, 11, 9)


def test_an_escalation_is_warned_of_the_weeks_in_tension_it_falls_in(bassin):
    store, ids = bassin
    with store.session() as session:
        # by formation: only the December week is over (5 pupils, 2 places); by audience the same
        assert view.weeks_in_tension(session, audience=Audience.PFMP_BACPRO, formation_id=ids["commerce"],
                                     start=date(2026, 11, 25), end=date(2026, 12, 18)) == [date(2026, 11, 30)]
        assert view.weeks_in_tension(session, audience=Audience.PFMP_BACPRO, formation_id=None,
                                     start=date(2026, 12, 1), end=date(2026, 12, 3)) == [date(2026, 11, 30)]
        assert view.weeks_in_tension(session, audience=Audience.PFMP_BACPRO, formation_id=None,
                                     start=date(2026, 11, 16), end=date(2026, 11, 27)) == []
        assert view.weeks_in_tension(session, audience=Audience.PFMP_CAP, formation_id=None,
                                     start=date(2026, 11, 30), end=date(2026, 12, 4)) == []
        assert view.weeks_in_tension(session, audience=Audience.PFMP_BACPRO, formation_id=None,
                                     start=None, end=date(2026, 12, 4)) == []
    warning = view.tension_warning([date(2026, 11, 30)])
    assert warning.startswith("Période en une semaine en tension dans le bassin (semaine du 30/11/2026)")
    assert view.tension_warning([]) == ""


def test_neighbouring_poles_compete_when_their_pupils_exceed_a_sectors_places(bassin):
    store, ids = bassin
    with store.transaction() as session:   # another pole's class, the same weeks, the same retail sector
        session.add(PlanningPeriod(establishment_id=ids["metz"], formation_id=ids["commerce"], owner="NM-08",
                                   audience=Audience.PFMP_BACPRO, start_date=date(2026, 11, 23),
                                   end_date=date(2026, 11, 27), pupils=1))
    with store.session() as session:
        sheet = view.draw_calendar(session, view.planning_setting(session, YEAR))
    found = view.competitions(sheet)
    assert [(c.week.monday, c.owners, c.cell.demand, c.cell.capacity) for c in found] == [
        (date(2026, 11, 23), ("NM-07", "NM-08"), 6, 5)]
    assert found[0].sector == "Commerce ; réparation d'automobiles et de motocycles"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(weeks=st.integers(min_value=-11, max_value=25))
def test_a_moved_period_counts_its_pupils_in_each_worked_week_it_then_holds(bassin, weeks):
    store, ids = bassin
    with store.session() as session:
        sheet = view.draw_calendar(session, view.planning_setting(session, YEAR))
    period = sheet.facts.periods[0]
    start, end = view.shifted(period, weeks)
    moved = view.redraw(sheet, moves={period.id: (start, end)})
    held = period_weeks((start, end), sheet.weeks)
    demand = {i: c.demand for i, c in enumerate(moved.rows[0].cells) if c.demand} if moved.rows else {}
    assert demand == dict.fromkeys(held, 5)
    assert view.redraw(moved, moves={}).rows == moved.rows
    assert start - period.start_date == timedelta(weeks=weeks)
