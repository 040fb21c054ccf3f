"""The records behind a dashboard figure, as the tabs list them: which tab, which rows, and archived ones kept."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

import indicator_fixture as fixture
from poledesk.data.indicators.behind import listing_of
from poledesk.data.indicators.service import compute_indicators
from poledesk.data.models import HostingOffer, Partner, Visit
from poledesk.data.partners.listing import partners_with_ids


@pytest.fixture
def built(pole_store):
    with pole_store.transaction() as session:
        fixture.build(session)
    return pole_store


def test_records_a_tab_lists_keep_their_own_ids(built):
    with built.session() as session:
        report = compute_indicators(session, fixture.YEAR, today=fixture.TODAY)
        received = report.get("escalations_received").current.record_ids
        listing = listing_of(session, "escalation", received)
    assert listing.table == "escalation" and listing.ids == frozenset(received) and listing.note == ""


def test_visits_and_offers_show_as_their_partners_and_say_so(built):
    with built.session() as session:
        visits = list(session.execute(select(Visit.id, Visit.partner_id)))
        offers = list(session.execute(select(HostingOffer.id, HostingOffer.partner_id)))
        by_visits = listing_of(session, "visit", [v for v, _p in visits])
        by_offers = listing_of(session, "hosting_offer", [o for o, _p in offers[:1]])
    assert by_visits.table == "partner" and by_visits.ids == {p for _v, p in visits}
    partners = len({p for _v, p in visits})
    assert by_visits.note == f"chez {partners} partenaire{'s' if partners > 1 else ''}"
    assert by_offers.note == "chez 1 partenaire" and by_offers.ids == {offers[0][1]}


def test_an_unknown_table_is_refused(built):
    with built.session() as session, pytest.raises(ValueError):
        listing_of(session, "pupil", [1])


def test_a_partner_deleted_during_the_year_is_listed_with_the_figure(built):
    with built.session() as session:
        report = compute_indicators(session, fixture.YEAR, today=fixture.TODAY)
        lapsed = report.get("partners_lapsed").current.record_ids
        deleted = set(session.scalars(select(Partner.id).where(Partner.deleted_at.is_not(None))))
        rows = partners_with_ids(session, lapsed)
    assert deleted & set(lapsed), "the fixture's partner deleted mid-year counts among the lapsed"
    assert {row.id for row in rows} == set(lapsed)
    assert all(row.archived_on is not None for row in rows if row.id in deleted)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_partners_with_ids_lists_exactly_the_ids_asked_for(built, data):
    with built.session() as session:
        every = sorted(session.scalars(select(Partner.id)))
        wanted = data.draw(st.lists(st.sampled_from([*every, max(every) + 1, 0]), unique=True))
        rows = partners_with_ids(session, wanted)
    assert sorted(row.id for row in rows) == sorted(set(wanted) & set(every))
