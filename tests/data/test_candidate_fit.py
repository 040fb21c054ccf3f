"""Candidates scored by sector, minimum age and distance in km: a collégien is not sent to a roof."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from poledesk.data.enums import Audience, EstablishmentKind, PartnerStatus
from poledesk.data.escalations import candidates as candidates
from poledesk.data.escalations import edits as edits
from poledesk.data.escalations.matching import Candidate, Need, Offer, Where, rank_candidates
from poledesk.data.escalations.sectors import formation_activities, is_hazardous_for_minors, sector_fit
from poledesk.data.geo import commune_point, distance_km, format_km
from poledesk.data.models import Establishment, Formation
from poledesk.data.partners import contacts as contacts
from poledesk.data.partners import edits as partner_edits
from poledesk.data.partners import offers as offers
from poledesk.data.partners.edits import PartnerForm

TODAY = date(2026, 11, 23)
START, END = date(2027, 1, 11), date(2027, 1, 15)
OBSERVATION = 3


def test_communes_are_placed_and_their_distance_is_a_great_circle_in_km():
    nancy, metz, vandoeuvre = commune_point("54395"), commune_point("57463"), commune_point("54547")
    assert nancy is not None and metz is not None and vandoeuvre is not None
    assert 45 < distance_km(nancy, metz) < 50           # 47 km as the crow flies
    assert 2 < distance_km(nancy, vandoeuvre) < 6
    assert commune_point("99999") is None and commune_point("") is None
    assert format_km(0.43) == "à 400 m" and format_km(3.44) == "à 3,4 km" and format_km(27.4) == "à 27 km"


points = st.tuples(st.floats(-90, 90, allow_nan=False), st.floats(-180, 180, allow_nan=False))


@settings(max_examples=300, deadline=None)
@given(points, points, points)
def test_distance_is_a_distance(a, b, c):
    ab, ba = distance_km(a, b), distance_km(b, a)
    assert ab >= 0 and ab == pytest.approx(ba, abs=1e-9)
    assert distance_km(a, a) == pytest.approx(0, abs=1e-6)
    assert ab <= 20_016                                  # half the earth's circumference
    assert ab <= distance_km(a, c) + distance_km(c, b) + 1e-6


def test_a_formation_label_names_its_trade_and_a_sous_classe_falls_in_it():
    assert formation_activities("CAP Cuisine") == ("55", "56")
    assert "47" in formation_activities("Bac pro Métiers du commerce et de la vente")
    assert formation_activities("Stage d'observation en milieu professionnel de 3e") == ()
    assert is_hazardous_for_minors("43.91B") and is_hazardous_for_minors("4399C")
    assert not is_hazardous_for_minors("47.11F") and not is_hazardous_for_minors("")
    fit = sector_fit("56.10A", audience=Audience.PFMP_CAP, activities=("55", "56"))
    assert fit is not None and fit.points > 0 and fit.reason == "secteur de la formation (Hébergement et restauration)"
    other = sector_fit("47.11F", audience=Audience.PFMP_CAP, activities=("55", "56"))
    assert other is not None and other.points == 0 and other.reason.startswith("autre secteur")
    wished = sector_fit("75.00Z", audience=Audience.OBSERVATION_4E_3E, wished_sections=("M",), pupil_age=14)
    assert wished is not None and wished.reason.startswith("secteur souhaité par l'élève")
    assert sector_fit("", audience=Audience.PFMP_CAP) is None


NANCY = Where("Nancy", "54395", "245400676", "54", 48.690, 6.176)
LAXOU = Where("Laxou", "54304", "245400676", "54", 48.685, 6.149)
VANDOEUVRE = Where("Vandœuvre-lès-Nancy", "54547", "245400676", "54", 48.658, 6.165)
COLLEGIEN = Need(audience=Audience.OBSERVATION_4E_3E, formation_id=OBSERVATION, establishment_id=1,
                 period_start=START, period_end=END, where=NANCY, pupil_age=14)
OBS_OFFER = Offer(Audience.OBSERVATION_4E_3E, OBSERVATION, places=2, months=(1,))


def partner(partner_id: int, name: str, naf_code: str, **changes) -> Candidate:
    return replace(Candidate(partner_id=partner_id, name=name, where=NANCY, status=PartnerStatus.ACTIVE,
                             offers=(OBS_OFFER,), naf_code=naf_code), **changes)


def test_a_roofer_next_door_ranks_below_a_bakery_for_a_collegien_and_says_why():
    ranked = rank_candidates(COLLEGIEN, [
        partner(1, "Couverture Thiébaut", "43.91B", has_trained_tutor=True, signed_placements=3),
        partner(2, "Boulangerie Marchal", "10.71C", where=LAXOU),
        partner(3, "Pharmacie du Point central", "47.73Z", where=VANDOEUVRE, min_age=14),
    ])
    assert [r.name for r in ranked][-1] == "Couverture Thiébaut"
    roofer = ranked[-1]
    assert any(reason.startswith("secteur à risques pour un collégien") for reason in roofer.reasons)
    pharmacy = next(r for r in ranked if r.partner_id == 3)
    assert "accueille dès 14 ans (élève de 14 ans au début du stage)" in pharmacy.reasons
    assert pharmacy.km is not None and 3 < pharmacy.km < 5 and pharmacy.sector == "G"
    assert "même intercommunalité, à 3,6 km (Vandœuvre-lès-Nancy)" in pharmacy.reasons


def test_closer_in_km_scores_higher_all_else_equal():
    far = replace(LAXOU, lat=48.60, lon=6.40)            # the same intercommunalité, drawn 20 km away
    ranked = rank_candidates(COLLEGIEN, [partner(1, "Loin", "47.11F", where=far),
                                         partner(2, "Près", "47.11F", where=LAXOU)])
    assert [r.name for r in ranked] == ["Près", "Loin"] and ranked[0].score > ranked[1].score


def test_a_sixteen_year_old_is_not_kept_off_a_building_site():
    need = replace(COLLEGIEN, pupil_age=16)
    fit = sector_fit("43.91B", audience=need.audience, pupil_age=16)
    assert fit is not None and fit.points == 0


@pytest.fixture
def network(pole_store):
    """A collège in Nancy, the 3e observation, and partners of every trade around it."""
    ids: dict[str, int] = {}
    with pole_store.transaction() as session:
        school = Establishment(uai="0541234A", name="Collège Jacques-Callot", kind=EstablishmentKind.COLLEGE,
                               postcode="54000", commune="Nancy")
        obs = Formation(code="OBS-3E", label="Stage d'observation en milieu professionnel de 3e",
                        audience=Audience.OBSERVATION_4E_3E, pfmp_weeks=1)
        session.add_all([school, obs])
        session.flush()
        ids["school"], ids["obs"] = school.id, obs.id
        for name, naf, postcode, commune in (
                ("Toitures Stanislas", "43.91B", "54000", "Nancy"),
                ("Maçonnerie Gérardin", "43.99C", "54000", "Nancy"),
                ("Librairie du Point central", "47.61Z", "54500", "Vandœuvre-lès-Nancy"),
                ("Crèche Les Lutins", "88.91A", "54520", "Laxou"),
                ("Mairie de Toul", "84.11Z", "54200", "Toul")):
            partner_id = partner_edits.save_partner(session, PartnerForm(
                name=name, naf_code=naf, postcode=postcode, commune=commune, status=PartnerStatus.ACTIVE,
                phone="03 83 00 00 00"))
            offers.save_offer(session, partner_id, offers.OfferForm(
                audience=Audience.OBSERVATION_4E_3E, formation_id=obs.id, places=2, months=(1,)), today=TODAY)
            ids[name] = partner_id
        contacts.save_contact(session, ids["Crèche Les Lutins"], contacts.ContactForm(
            last_name="Colin", first_name="Inès", phone="06 12 34 56 78", is_tutor=True))
        ids["escalation"] = edits.save_escalation(session, edits.EscalationForm(
            establishment_id=school.id, pupil_last_name="Petitjean", pupil_first_name="Lou",
            pupil_birth_date=date(2012, 6, 2), audience=Audience.OBSERVATION_4E_3E, formation_id=obs.id,
            period_start=START, period_end=END, received_on=TODAY, asked_by_name="Mme Royer",
            asked_by_email="prof@ac-nancy-metz.fr"), owner="NM-07", today=TODAY)
    return pole_store, ids


def test_a_fourteen_year_old_collegien_gets_candidates_that_suit_the_audience(network):
    store, ids = network
    with store.session() as session:
        ranked = candidates.escalation_candidates(session, ids["escalation"], today=TODAY)
    names = [r.name for r in ranked]
    assert set(names[:3]) == {"Librairie du Point central", "Crèche Les Lutins", "Mairie de Toul"}
    assert set(names[3:]) == {"Toitures Stanislas", "Maçonnerie Gérardin"}
    creche = next(r for r in ranked if r.name == "Crèche Les Lutins")
    assert (creche.contact, creche.phone) == ("Inès Colin", "06 12 34 56 78")
    assert creche.km is not None and 0 < creche.km < 5
    library = next(r for r in ranked if r.name == "Librairie du Point central")
    assert (library.contact, library.phone) == ("", "03 83 00 00 00")   # no contact: the partner's own phone
    toul = next(r for r in ranked if r.name == "Mairie de Toul")
    assert toul.km is not None and 15 < toul.km < 30 and any("à " in reason and "km (Toul)" in reason
                                                             for reason in toul.reasons)


def test_the_person_to_call_is_a_consenting_tutor_with_a_phone_before_anyone_else(network):
    store, ids = network
    with store.transaction() as session:
        def add(partner: str, last_name: str, **fields: object) -> None:
            contacts.save_contact(session, ids[partner], contacts.ContactForm(last_name=last_name, **fields))
        add("Mairie de Toul", "Adam", first_name="Léa", phone="03 83 11 11 11")                     # not a tutor
        add("Mairie de Toul", "Blanc", first_name="Hugo", is_tutor=True)                           # no phone
        add("Mairie de Toul", "Caron", first_name="Zoé", phone="06 99 99 99 99", is_tutor=True,
            consents_to_contact=False)                                                             # refused
        add("Mairie de Toul", "Dupuis", first_name="Marc", phone="06 22 22 22 22", is_tutor=True)   # the one
        add("Librairie du Point central", "Ernst", first_name="Anne", is_tutor=True)               # no phone
    with store.session() as session:
        ranked = {r.name: r for r in candidates.escalation_candidates(session, ids["escalation"], today=TODAY)}
    assert (ranked["Mairie de Toul"].contact, ranked["Mairie de Toul"].phone) == ("Marc Dupuis", "06 22 22 22 22")
    # A tutor without a phone is still the one to ask for, on the partner's own line.
    library = ranked["Librairie du Point central"]
    assert (library.contact, library.phone) == ("Anne Ernst", "03 83 00 00 00")
