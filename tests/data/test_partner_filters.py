"""The Partenaires filters: status, legal kind, NAF section, commune, public, month with places, trained tutor,
archived partners; each in SQL, combined with the text search, checked against the records themselves."""

from __future__ import annotations

from datetime import date, datetime
from datetime import time as clock

import pytest
from sqlalchemy import event, select

from poledesk.data import naf
from poledesk.data.enums import Audience, LegalKind, PartnerStatus
from poledesk.data.models import Contact, Formation, HostingOffer, Partner, Registration, TrainingSession
from poledesk.data.partners import listing as partners
from poledesk.data.partners.listing import PartnerFilter
from poledesk.data.text import fold


def names(store, text: str = "", **fields) -> list[str]:
    with store.session() as session:
        return [r.name for r in partners.search_partners(session, text, filters=PartnerFilter(**fields))]


@pytest.fixture
def network(pole_store):
    """Four partners whose offers, tutors and trainings make each filter tell them apart."""
    with pole_store.transaction() as session:
        cap = Formation(code="50022135", label="CAP Cuisine", audience=Audience.PFMP_CAP)
        bakery = Partner(name="Boulangerie Lefèvre", naf_code="10.71C", postcode="88000", commune="Épinal",
                         status=PartnerStatus.ACTIVE)
        hotel = Partner(name="Hôtel des Vosges", naf_code="55.10Z", postcode="88400", commune="Gérardmer",
                        status=PartnerStatus.ACTIVE, legal_kind=LegalKind.COMPANY)
        town = Partner(name="Mairie de Gérardmer", naf_code="84.11Z", postcode="88400", commune="Gérardmer",
                       status=PartnerStatus.PAUSED, status_reason="Élections", legal_kind=LegalKind.LOCAL_AUTHORITY)
        closed = Partner(name="Boulangerie Fermée", naf_code="10.71C", postcode="88000", commune="Épinal",
                         deleted_at=datetime(2026, 1, 5))
        session.add_all([cap, bakery, hotel, town, closed])
        session.flush()
        past = TrainingSession(title="Le rôle du tuteur", session_date=date(2026, 1, 10), start_time=clock(9),
                               end_time=clock(12))
        gone = TrainingSession(title="Annulée", session_date=date(2026, 1, 11), start_time=clock(9),
                               end_time=clock(12), deleted_at=datetime(2026, 1, 2))
        marie = Contact(partner_id=bakery.id, last_name="Lefèvre", is_tutor=True)
        left = Contact(partner_id=hotel.id, last_name="Parti", is_tutor=True, deleted_at=datetime(2026, 2, 1))
        absent = Contact(partner_id=town.id, last_name="Absent", is_tutor=True)
        session.add_all([past, gone, marie, left, absent])
        session.flush()
        session.add_all([
            Registration(session_id=past.id, contact_id=marie.id, attended=True),
            Registration(session_id=past.id, contact_id=left.id, attended=True),        # contact archived
            Registration(session_id=past.id, contact_id=absent.id, attended=False),     # registered, absent
            Registration(session_id=gone.id, contact_id=absent.id, attended=True),      # session deleted
            HostingOffer(partner_id=bakery.id, audience=Audience.PFMP_CAP, formation_id=cap.id, places=2,
                         months="1,2,11"),
            HostingOffer(partner_id=hotel.id, audience=Audience.OBSERVATION_4E_3E, sector="Hôtellerie",
                         places=1, months="12"),
            HostingOffer(partner_id=hotel.id, audience=Audience.PFMP_CAP, sector="Cuisine", places=3,
                         months="1", deleted_at=datetime(2026, 1, 3)),                  # archived offer
            HostingOffer(partner_id=closed.id, audience=Audience.PFMP_CAP, sector="Pain", places=1, months="1"),
        ])
    return pole_store


def test_no_filter_lists_every_live_partner(network):
    assert names(network) == ["Boulangerie Lefèvre", "Hôtel des Vosges", "Mairie de Gérardmer"]
    assert not PartnerFilter().narrows and not PartnerFilter(archived=True).narrows
    assert PartnerFilter(month=3).narrows


def test_status_legal_kind_section_and_commune(network):
    assert names(network, status=PartnerStatus.PAUSED) == ["Mairie de Gérardmer"]
    assert names(network, legal_kind=LegalKind.LOCAL_AUTHORITY) == ["Mairie de Gérardmer"]
    assert names(network, section="I") == ["Hôtel des Vosges"]            # 55.10Z: hébergement et restauration
    assert names(network, section="C") == ["Boulangerie Lefèvre"]         # 10.71C: industrie manufacturière
    assert names(network, section="O") == ["Mairie de Gérardmer"]
    assert names(network, section="A") == []
    assert names(network, commune="Gérardmer") == ["Hôtel des Vosges", "Mairie de Gérardmer"]


def test_audience_and_month_look_at_live_offers_and_at_one_offer_together(network):
    assert names(network, audience=Audience.PFMP_CAP) == ["Boulangerie Lefèvre"]   # the hotel's CAP offer is gone
    assert names(network, month=1) == ["Boulangerie Lefèvre"]
    assert names(network, month=11) == ["Boulangerie Lefèvre"]                     # "1,2,11"
    assert names(network, month=12) == ["Hôtel des Vosges"]                        # not "1" inside "11" or "12"
    assert names(network, month=2) == ["Boulangerie Lefèvre"]
    assert names(network, month=3) == []
    assert names(network, audience=Audience.OBSERVATION_4E_3E, month=12) == ["Hôtel des Vosges"]
    assert names(network, audience=Audience.OBSERVATION_4E_3E, month=1) == []       # same offer, not two


def test_a_trained_tutor_is_a_live_contact_who_attended_a_live_session(network):
    assert names(network, tutor_trained=True) == ["Boulangerie Lefèvre"]


def test_filters_combine_with_each_other_and_with_the_text_search(network):
    assert names(network, "gerardmer", status=PartnerStatus.ACTIVE) == ["Hôtel des Vosges"]
    assert names(network, "hotel", section="O") == []
    assert names(network, "boul", month=1, tutor_trained=True, section="C") == ["Boulangerie Lefèvre"]


def test_archived_partners_are_listed_apart_and_their_file_is_readable(network):
    assert names(network, archived=True) == ["Boulangerie Fermée"]
    assert names(network, "boulangerie", archived=True) == ["Boulangerie Fermée"]
    assert names(network, archived=True, month=1) == ["Boulangerie Fermée"]
    with network.session() as session:
        row = partners.search_partners(session, filters=PartnerFilter(archived=True))[0]
        assert row.archived_on == datetime(2026, 1, 5) and row.places == 1
        assert partners.partner_detail(session, row.id) is None
        detail = partners.partner_detail(session, row.id, include_archived=True)
        assert detail.name == "Boulangerie Fermée" and detail.archived_on == datetime(2026, 1, 5)
        assert partners.count_partners(session, archived=True) == 1 and partners.count_partners(session) == 3
        live = partners.search_partners(session)[0]
        assert live.archived_on is None


def test_the_filtered_list_is_still_one_statement(network):
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(network.engine, "before_cursor_execute", count)
    try:
        names(network, "boul", status=PartnerStatus.ACTIVE, section="C", commune="Épinal",
              audience=Audience.PFMP_CAP, month=1, tutor_trained=True)
    finally:
        event.remove(network.engine, "before_cursor_execute", count)
    assert len(seen) == 1


def test_communes_formations_contacts_and_the_visit_author(network):
    with network.session() as session:
        assert partners.partner_communes(session) == ["Épinal", "Gérardmer"]
        assert [(f.label, f.audience) for f in partners.offer_formations(session)] == [
            ("CAP Cuisine", Audience.PFMP_CAP)]
        bakery = next(r for r in partners.search_partners(session) if r.name == "Boulangerie Lefèvre")
        assert [c.last_name for c in partners.list_contacts(session, bakery.id)] == ["Lefèvre"]
        assert partners.visit_author(session) == "Claire Lefèvre"                  # the pole's animatrice


def test_visit_author_is_blank_without_an_identity(empty_store):
    with empty_store.session() as session:
        assert partners.visit_author(session) == ""


# The demo pole: each filter gives the partners the records say, counted another way.

def _live_partners(session) -> list[Partner]:
    return list(session.scalars(select(Partner).where(Partner.deleted_at.is_(None))))


def _offers_of(session) -> dict[int, list[HostingOffer]]:
    offers: dict[int, list[HostingOffer]] = {}
    for offer in session.scalars(select(HostingOffer).where(HostingOffer.deleted_at.is_(None))):
        offers.setdefault(offer.partner_id, []).append(offer)
    return offers


def test_each_filter_on_the_demo_pole_matches_the_records(store):
    with store.session() as session:
        live = _live_partners(session)
        offers = _offers_of(session)
        found = {name: {r.id for r in partners.search_partners(session, filters=f)} for name, f in {
            "active": PartnerFilter(status=PartnerStatus.ACTIVE),
            "association": PartnerFilter(legal_kind=LegalKind.ASSOCIATION),
            "section_g": PartnerFilter(section="G"),
            "bacpro_march": PartnerFilter(audience=Audience.PFMP_BACPRO, month=3),
            "nancy": PartnerFilter(commune="Nancy"),
        }.items()}
        sections = {p.id: (naf.naf_section(p.naf_code) or ("", ""))[0] for p in live}
    assert found["active"] == {p.id for p in live if p.status is PartnerStatus.ACTIVE}
    assert found["association"] == {p.id for p in live if p.legal_kind is LegalKind.ASSOCIATION}
    assert found["section_g"] == {p.id for p in live if sections[p.id] == "G"}
    assert found["nancy"] == {p.id for p in live if p.commune == "Nancy"}
    assert found["bacpro_march"] == {
        p.id for p in live if any(o.audience is Audience.PFMP_BACPRO and 3 in o.month_numbers and o.places > 0
                                  for o in offers.get(p.id, ()))}
    for name, ids in found.items():
        assert 0 < len(ids) < len(live), name                      # every filter narrows the demo, none empties it


def test_the_trained_tutor_filter_on_the_demo_pole_matches_the_registrations(store):
    with store.session() as session:
        found = {r.id for r in partners.search_partners(session, filters=PartnerFilter(tutor_trained=True))}
        stmt = (select(Contact.partner_id).join(Registration, Registration.contact_id == Contact.id)
                .join(TrainingSession, TrainingSession.id == Registration.session_id)
                .where(Registration.attended.is_(True), Registration.deleted_at.is_(None),
                       Contact.deleted_at.is_(None), TrainingSession.deleted_at.is_(None)))
        expected = set(session.scalars(stmt))
    assert found == expected and found


def test_every_section_offered_by_the_filter_bar_is_known(store):
    sections = naf.all_sections()
    assert len(sections) == 21
    with store.session() as session:
        total = sum(len(partners.search_partners(session, filters=PartnerFilter(section=letter)))
                    for letter in sections)
        assert total == partners.count_partners(session)          # every demo partner has one section


def test_communes_sort_without_regard_to_accents(store):
    with store.session() as session:
        communes = partners.partner_communes(session)
    assert communes == sorted(communes, key=fold) and len(communes) == len(set(communes)) > 10
