"""The bassin's calendar against hand counts: weeks, public holidays, offers' months, periods and proposals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from poledesk.data.enums import Audience, EstablishmentKind, PartnerStatus
from poledesk.data.models import Escalation, Establishment, Formation, HostingOffer, Partner, PlanningPeriod, Pupil
from poledesk.data.planning import calendar, periods, school_calendar
from poledesk.data.planning.calendar import BUSY, FREE, IDLE, OVER
from poledesk.data.validation import ValidationError

YEAR = "2026-2027"


@pytest.fixture
def bassin(pole_store):
    """Two schools (the collège plans nothing), bac pro commerce offers: 3 places in November, 2 all year."""
    with pole_store.transaction() as session:
        commerce = Formation(code="BP-MCV", label="Bac pro Métiers du commerce et de la vente",
                             audience=Audience.PFMP_BACPRO, pfmp_weeks=22)
        lp = Establishment(uai="0540042C", name="LP Jean-Prouvé", kind=EstablishmentKind.LP, postcode="54000")
        college = Establishment(uai="0880010X", name="Collège Louis-Armand", kind=EstablishmentKind.COLLEGE,
                                postcode="88000")
        shop = Partner(name="Supermarché du Port", naf_code="47.11D", status=PartnerStatus.ACTIVE, postcode="54000")
        bakery = Partner(name="Boulangerie Lefèvre", naf_code="47.24Z", status=PartnerStatus.ACTIVE)
        paused = Partner(name="Fermé pour travaux", naf_code="47.11D", status=PartnerStatus.PAUSED)
        session.add_all([commerce, lp, college, shop, bakery, paused])
        session.flush()
        session.add_all([
            HostingOffer(partner_id=shop.id, audience=Audience.PFMP_BACPRO, formation_id=commerce.id, places=3,
                         months="11"),
            HostingOffer(partner_id=bakery.id, audience=Audience.PFMP_BACPRO, places=2, months=""),
            HostingOffer(partner_id=paused.id, audience=Audience.PFMP_BACPRO, places=50, months=""),
        ])
        ids = {"lp": lp.id, "college": college.id, "commerce": commerce.id}
    return pole_store, ids


def add_period(store, ids, start: date, end: date, pupils: int, division: str = "1MCV") -> int:
    with store.transaction() as session:
        return periods.save_period(session, periods.PeriodForm(ids["lp"], None, start, end, pupils,
                                                               formation_id=ids["commerce"], division=division))


def draw(store, grouping: str = "audience") -> calendar.Calendar:
    with store.session() as session:
        facts = calendar.load_facts(session, YEAR)
    weeks = school_calendar.school_weeks(YEAR, "B", "54")
    return calendar.build_calendar(facts, weeks, school_year=YEAR, grouping=grouping)


def test_weeks_of_the_year_run_from_september_to_summer_with_zone_b_holidays():
    weeks = school_calendar.school_weeks(YEAR, "B")
    assert weeks[0].monday == date(2026, 8, 31) and weeks[-1].monday == date(2027, 6, 28)
    by_monday = {w.monday: w for w in weeks}
    assert by_monday[date(2026, 10, 19)].is_holiday and by_monday[date(2026, 10, 19)].school_holiday.endswith(
        "Toussaint")
    assert by_monday[date(2027, 2, 22)].is_holiday          # zone B winter: 20 February to 7 March 2027
    assert not by_monday[date(2027, 2, 15)].school_holiday  # zone A's week, not B's
    assert by_monday[date(2026, 11, 9)].public_holidays == ((date(2026, 11, 11), "Armistice 1918"),)
    assert by_monday[date(2026, 11, 30)].month == 12        # its Wednesday is 2 December
    assert school_calendar.zone_of("Nancy-Metz") == "B"
    assert school_calendar.shipped_years() == ["2024-2025", "2025-2026", "2026-2027", "2027-2028"]


def test_a_period_over_a_month_boundary_meets_offers_limited_to_november(bassin):
    store, ids = bassin
    add_period(store, ids, date(2026, 11, 23), date(2026, 12, 4), 5)
    sheet = draw(store)
    row = next(r for r in sheet.rows if r.key == Audience.PFMP_BACPRO.value)
    cells = dict(zip((w.monday for w in sheet.weeks), row.cells, strict=True))
    # 23/11: 5 pupils, 3 November places + 2 all-year places (the paused partner's 50 do not count)
    assert (cells[date(2026, 11, 23)].demand, cells[date(2026, 11, 23)].capacity) == (5, 5)
    assert cells[date(2026, 11, 23)].level == BUSY             # 100 %: more than 80 %, not more than the places
    # 30/11 is a December week: only the 2 all-year places
    assert (cells[date(2026, 11, 30)].demand, cells[date(2026, 11, 30)].capacity) == (5, 2)
    assert cells[date(2026, 11, 30)].level == OVER
    assert (cells[date(2026, 12, 7)].demand, cells[date(2026, 12, 7)].capacity) == (0, 2)
    assert cells[date(2026, 12, 7)].level == IDLE
    assert [t.week.monday for t in sheet.tensions()] == [date(2026, 11, 30)]


def test_a_week_cut_by_a_public_holiday_counts_only_periods_that_work_in_it(bassin):
    store, ids = bassin
    add_period(store, ids, date(2026, 11, 11), date(2026, 11, 11), 7, "only the holiday")
    add_period(store, ids, date(2026, 11, 9), date(2026, 11, 13), 1, "whole week")
    add_period(store, ids, date(2026, 11, 12), date(2026, 11, 16), 2, "thursday to monday")
    sheet = draw(store)
    row = next(r for r in sheet.rows if r.key == Audience.PFMP_BACPRO.value)
    cells = dict(zip((w.monday for w in sheet.weeks), row.cells, strict=True))
    assert cells[date(2026, 11, 9)].demand == 3               # the 7 pupils of 11 November work no day
    assert cells[date(2026, 11, 16)].demand == 2
    assert cells[date(2026, 11, 9)].level == FREE             # 3 of 5 places: 60 %


def test_grouped_by_formation_and_sector_the_offers_follow_their_rows(bassin):
    store, ids = bassin
    add_period(store, ids, date(2026, 11, 23), date(2026, 11, 27), 4)
    by_formation = draw(store, "formation")
    row = next(r for r in by_formation.rows if r.key == str(ids["commerce"]))
    week = next(i for i, w in enumerate(by_formation.weeks) if w.monday == date(2026, 11, 23))
    assert row.cells[week].capacity == 5                      # its own offer and the generic one
    assert len(row.cells[week].offer_ids) == 2 and len(row.cells[week].period_ids) == 1
    by_sector = draw(store, "sector")
    assert [r.label for r in by_sector.rows] == ["Commerce ; réparation d'automobiles et de motocycles"]
    assert by_sector.rows[0].cells[week].text == "4/5"


def test_an_establishment_with_no_period_adds_no_demand(bassin):
    store, _ids = bassin
    sheet = draw(store)
    assert all(cell.demand == 0 for row in sheet.rows for cell in row.cells)
    assert sheet.tensions() == []
    with store.session() as session:
        assert periods.list_periods(session, establishment_id=_ids["college"]) == []


def test_what_if_moves_a_period_out_of_tension(bassin):
    store, ids = bassin
    period_id = add_period(store, ids, date(2026, 11, 30), date(2026, 12, 11), 4)
    before = draw(store)
    moved = before.facts.moved({period_id: (date(2026, 11, 16), date(2026, 11, 27))})
    after = calendar.build_calendar(moved, before.weeks, school_year=YEAR)
    assert calendar.compare(before, after) == (2, 0)
    assert before.level_of(period_id) == OVER
    assert after.level_of(period_id) == FREE                  # 4 of 5 places: exactly 80 % is not "more than"
    with store.session() as session:                          # nothing was written
        assert session.get(PlanningPeriod, period_id).start_date == date(2026, 11, 30)


def test_bad_periods_are_refused_field_by_field(bassin):
    store, ids = bassin
    with store.transaction() as session, pytest.raises(ValidationError) as error:
        periods.save_period(session, periods.PeriodForm(ids["lp"], None, date(2026, 12, 4),
                                                        date(2026, 11, 23), 0, formation_id=ids["commerce"]))
    assert error.value.problems["end_date"].startswith("La fin (23/11/2026) précède le début")
    assert error.value.problems["pupils"] == "Le nombre d'élèves doit être d'au moins 1."
    with store.transaction() as session, pytest.raises(ValidationError) as error:
        periods.save_period(session, periods.PeriodForm(ids["lp"], Audience.PFMP_BACPRO, date(2027, 8, 20),
                                                        date(2027, 9, 10), 3))
    assert "une année scolaire" in error.value.problems["end_date"]
    with store.session() as session:
        assert periods.list_periods(session) == []


def test_periods_are_proposed_from_escalations_not_yet_planned(bassin):
    store, ids = bassin
    with store.transaction() as session:
        for number in range(3):
            pupil = Pupil(establishment_id=ids["lp"], first_name=f"P{number}", last_name="X")
            session.add(Escalation(establishment_id=ids["lp"], pupil=pupil, received_on=date(2026, 9, 10),
                                   audience=Audience.PFMP_BACPRO, formation_id=ids["commerce"],
                                   period_start=date(2027, 1, 11), period_end=date(2027, 2, 5)))
    with store.session() as session:
        proposals = periods.propose_periods(session, YEAR)
    assert [(p.start_date, p.end_date, p.pupils, p.source) for p in proposals] == [
        (date(2027, 1, 11), date(2027, 2, 5), 3, "proposed")]
    with store.transaction() as session:
        periods.accept_proposals(session, proposals)
    with store.session() as session:
        assert periods.propose_periods(session, YEAR) == []
        assert [r.pupils for r in periods.list_periods(session, school_year=YEAR)] == [3]


@settings(max_examples=60, deadline=None)
@given(start=st.dates(date(2026, 9, 1), date(2027, 6, 30)), length=st.integers(0, 40))
def test_a_period_counts_in_every_week_it_works_in_and_no_other(start, length):
    weeks = school_calendar.school_weeks(YEAR, "B")
    end = start + timedelta(days=length)
    holidays = {d for w in weeks for d, _n in w.public_holidays}
    worked = {d - timedelta(days=d.weekday()) for d in (start + timedelta(days=n) for n in range(length + 1))
              if d.weekday() < 5 and d not in holidays}
    assert {weeks[i].monday for i in calendar.period_weeks((start, end), weeks)} == {
        w.monday for w in weeks if w.monday in worked}


def test_the_demo_pole_has_bac_pro_commerce_in_tension_in_november(store):
    from poledesk.data.text import school_year_of

    year = school_year_of(date.today())
    with store.session() as session:
        facts = calendar.load_facts(session, year)
    sheet = calendar.build_calendar(facts, school_calendar.school_weeks(year, "B"), school_year=year,
                                    grouping="formation")
    november = [t for t in sheet.tensions() if t.week.month == 11]
    assert november and all(t.row_label.startswith("Bac pro Métiers du commerce et de la vente") for t in november)
    assert len(sheet.tensions()) < len(sheet.weeks) * len(sheet.rows) // 10    # a few cells, not the whole year
