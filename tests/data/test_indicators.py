"""Indicators against the hand-counted fixture of indicator_fixture.py, and rules that hold for any store."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import indicator_fixture as fixture
from indicator_fixture import PREVIOUS, TODAY, YEAR
from poledesk.data.indicators.facts import Facts, PupilCountFact
from poledesk.data.indicators.measures import NOT_FILLED, Measure, check_school_year, format_measure
from poledesk.data.indicators.service import ALL_ENTRIES, compute_indicators, report_from_facts


@pytest.fixture
def counted(pole_store):
    with pole_store.transaction() as session:
        ids = fixture.build(session)
    with pole_store.session() as session:
        report = compute_indicators(session, YEAR, today=TODAY)
    return report, ids


def values(report, key):
    indicator = report.get(key)
    return indicator.current.value, indicator.previous.value


def test_headline_ratio_by_audience_counts_offers_of_the_year_and_pupils_of_the_bassin(counted):
    report, ids = counted
    assert report.previous_year == PREVIOUS
    # 2025-2026: bac pro 10 + 5 (the deleted partner's offer, deleted mid-year) over 40 pupils; 3e: 20 over 100.
    assert values(report, "places_ratio:pfmp_bacpro") == (15 / 40, 0.0)
    # 2024-2025: the 3e offers (20, and 4 deleted in June 2025) have no pupil count: not filled, never 0.
    assert values(report, "places_ratio:observation_4e_3e") == (0.2, None)
    assert report.get("places_ratio:observation_4e_3e").previous_text == NOT_FILLED
    assert values(report, "places_ratio:pfmp_cap") == (None, None)
    assert report.get("places_ratio:pfmp_cap").text == NOT_FILLED
    assert values(report, "places_ratio") == (35 / 140, 24 / 30)
    assert values(report, "places") == (35, 24)
    assert values(report, "pupils") == (140, 30)
    assert report.get("schools_without_counts").current.record_ids == (ids["empty_school"],)
    assert report.get("places_ratio").text == "0,25"


def test_escalation_figures_leave_the_withdrawn_one_out_of_the_solved_share(counted):
    report, ids = counted
    assert values(report, "escalations_received") == (5, 1)
    assert report.get("escalations_solved").current.record_ids == tuple(sorted((ids["e1"], ids["e2"])))
    assert values(report, "escalations_open") == (1, 0)
    assert values(report, "escalations_unsolved") == (1, 0)
    assert report.get("escalations_withdrawn").current.record_ids == (ids["e3"],)
    assert values(report, "escalations_solved_share") == (0.5, 1.0)
    assert report.get("escalations_solved_share").text == "50 %"
    assert values(report, "escalations_median_days") == (15, 5)
    assert set(report.get("unplaced_15_days").current.record_ids) == {ids["e2"], ids["e4"], ids["e5"]}
    assert report.get("unplaced_0_days").current.record_ids == (ids["e4"],)


def test_partner_figures_drop_the_partner_deleted_mid_year_from_the_active_ones_only(counted):
    report, ids = counted
    assert set(report.get("partners_active").current.record_ids) == {ids["p1"], ids["p2"]}
    assert set(report.get("partners_active").previous.record_ids) == {ids["p1"], ids["p3"]}
    assert values(report, "partners_active:entreprise") == (1, 2)
    assert values(report, "partners_active:association") == (1, 0)
    assert report.get("partners_new").current.record_ids == (ids["p2"],)
    assert set(report.get("partners_lapsed").current.record_ids) == {ids["p3"], ids["p4"]}
    assert values(report, "visits") == (2, 1)           # the deleted partner's November visit counts
    assert values(report, "framework_agreements") == (1, 1)


def test_training_and_convention_figures(counted):
    report, ids = counted
    assert report.get("training_sessions_held").current.record_ids == tuple(sorted((ids["held_1"], ids["held_2"])))
    assert report.get("tutors_trained").current.record_ids == tuple(sorted((ids["c1"], ids["c4"])))
    assert values(report, "attendance_rate") == (0.75, None)
    assert report.get("attendance_rate").previous_text == NOT_FILLED
    # The placement from 24 August to 11 September 2026 belongs to 2025-2026, the cancelled one to none.
    assert report.get("placements").current.record_ids == (ids["spanning"],)
    assert values(report, "conventions_printed") == (2, 0)
    assert values(report, "conventions_signed") == (1, 0)


def test_spanning_placement_is_not_counted_again_the_next_year(pole_store):
    with pole_store.transaction() as session:
        fixture.build(session)
        next_year = compute_indicators(session, "2026-2027", today=TODAY)
    assert next_year.get("placements").current.value == 0
    assert next_year.get("placements").previous.value == 1


def test_equity_figures(counted):
    report, ids = counted
    assert values(report, "equity_priority_share") == (2 / 5, 1.0)
    assert set(report.get("equity_needs").current.record_ids) == {ids["e2"], ids["e4"]}
    assert report.get("equity_needs_solved").current.record_ids == (ids["e2"],)


def test_every_indicator_has_a_french_definition_and_a_list(counted):
    report, _ids = counted
    assert len(report.indicators) == len(ALL_ENTRIES)
    for indicator in report.indicators:
        assert indicator.definition.endswith(".") and len(indicator.definition) > 30
        assert indicator.table in {"escalation", "partner", "visit", "placement", "training_session", "contact",
                                   "hosting_offer", "establishment"}


def test_scope_to_another_pole_sees_nothing(pole_store):
    with pole_store.transaction() as session:
        fixture.build(session)
        other = compute_indicators(session, YEAR, poles=["NM-99"], today=TODAY)
    assert other.get("escalations_received").current.value == 0
    assert other.get("places_ratio").text == NOT_FILLED


@pytest.mark.parametrize("text", ["2026", "2026-2028", "26-27", "２０２６-２０２７", ""])
def test_a_wrong_school_year_is_refused_in_french(text):
    with pytest.raises(ValueError, match="Année scolaire invalide"):
        check_school_year(text)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["2025-2026", "2024-2025"]), st.integers(0, 400)), max_size=8))
def test_a_ratio_is_never_zero_for_lack_of_pupils(counts):
    facts = Facts((), (), (), (), (), (), tuple(PupilCountFact(1, "X", fixture.Audience.STS, year, n)
                                               for year, n in counts), (), (), ())
    report = report_from_facts(facts, YEAR, today=date(2026, 1, 1))
    pupils = sum(n for year, n in counts if year == YEAR)
    indicator = report.get("places_ratio:sts")
    assert (indicator.current.value is None) == (pupils == 0)
    assert (indicator.text == NOT_FILLED) == (pupils == 0)


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_format_never_divides_by_zero(numerator, denominator):
    text = format_measure("share", Measure.ratio(numerator, denominator))
    assert (text == NOT_FILLED) == (denominator == 0)


statuses = st.sampled_from(list(fixture.EscalationStatus))
days = st.dates(min_value=date(2024, 9, 1), max_value=date(2026, 8, 31))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["NM-01", "NM-02", "NM-03"]), days, statuses, days), max_size=30))
def test_every_count_of_the_academie_is_the_sum_of_its_poles(rows):
    from poledesk.data.enums import PriorityEducation
    from poledesk.data.indicators.facts import EscalationFact, PoleFact

    escalations = tuple(EscalationFact(n, owner, received, status, closed if status != "received" else None, start,
                                       PriorityEducation.NONE, False, n % 3 == 0)
                        for n, (owner, received, status, start) in enumerate(rows, start=1)
                        for closed in [max(received, start)])
    poles = tuple(PoleFact(code, code, code) for code in ("NM-01", "NM-02", "NM-03"))
    facts = Facts(poles, escalations, (), (), (), (), (), (), (), ())
    academy = report_from_facts(facts, YEAR, today=TODAY)
    per_pole = [report_from_facts(facts.of_owner([p.code]), YEAR, today=TODAY) for p in poles]
    for indicator in academy.indicators:
        if indicator.kind == "count":
            values = [r.get(indicator.key).current.value for r in per_pole]
            if indicator.current.value is None:        # a missing denominator is missing everywhere
                assert values == [None] * len(per_pole)
                continue
            assert indicator.current.value == sum(v or 0 for v in values)
            ids = {i for r in per_pole for i in r.get(indicator.key).current.record_ids}
            assert set(indicator.current.record_ids) == ids
        if indicator.kind in ("share", "ratio") and indicator.current.denominator:
            parts = [r.get(indicator.key).current for r in per_pole]
            assert indicator.current.numerator == sum(m.numerator or 0 for m in parts)
