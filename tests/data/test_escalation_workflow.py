"""Escalations in the store: recording, the status workflow and its log, proposals, ranked candidates, placement."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from poledesk.data.enums import (
    Audience,
    ConventionStatus,
    EstablishmentKind,
    PartnerStatus,
    ProposalAnswer,
)
from poledesk.data.enums import (
    EscalationStatus as S,
)
from poledesk.data.escalations import candidates as candidates
from poledesk.data.escalations import edits as edits
from poledesk.data.models import Escalation, Establishment, Formation, Placement, Pupil
from poledesk.data.partners import contacts as contacts
from poledesk.data.partners import edits as partner_edits
from poledesk.data.partners import offers as offers
from poledesk.data.partners.edits import PartnerForm
from poledesk.data.placements import form as placements
from poledesk.data.validation import ValidationError

TODAY = date(2026, 11, 23)
START, END = date(2027, 1, 11), date(2027, 2, 5)


@pytest.fixture
def pole(pole_store):
    """Lycée in Nancy, a CAP Cuisine, and partners around: the right one, and every kind of wrong one."""
    ids = {}
    with pole_store.transaction() as session:
        school = Establishment(uai="0540038Y", name="Lycée Henri-Poincaré", kind=EstablishmentKind.LP,
                               postcode="54000", commune="Nancy")
        cuisine = Formation(code="50022135", label="CAP Cuisine", audience=Audience.PFMP_CAP, pfmp_weeks=14)
        session.add_all([school, cuisine])
        session.flush()
        ids["school"], ids["cuisine"] = school.id, cuisine.id

        def partner(name, postcode, commune, *, places=2, audience=Audience.PFMP_CAP, **extra):
            partner_id = partner_edits.save_partner(session, PartnerForm(
                name=name, postcode=postcode, commune=commune, status=extra.pop("status", PartnerStatus.ACTIVE),
                status_reason=extra.pop("status_reason", "")))
            offers.save_offer(session, partner_id, offers.OfferForm(
                audience=audience, formation_id=cuisine.id, places=places, months=(1, 2)), today=TODAY)
            ids[name] = partner_id
            return partner_id

        partner("Restaurant Le Stanislas", "54000", "Nancy")
        partner("Cantine de Laxou", "54520", "Laxou")
        partner("Brasserie de Toul", "54200", "Toul")
        partner("Brasserie messine", "57000", "Metz")
        partner("Bistrot interdit", "54000", "Nancy", status=PartnerStatus.DO_NOT_CONTACT,
                status_reason="Accueil inadapté")
        partner("Hôtel du BTS", "54000", "Nancy", audience=Audience.STS)
        ids["tutor"] = contacts.save_contact(session, ids["Restaurant Le Stanislas"], contacts.ContactForm(
            last_name="Thiébaut", first_name="Gaëlle", is_tutor=True))
    return pole_store, ids


def form(ids, **changes) -> edits.EscalationForm:
    values = dict(establishment_id=ids["school"], pupil_last_name="Müller", pupil_first_name="Noé",
                  pupil_birth_date=date(2010, 3, 14), audience=Audience.PFMP_CAP, formation_id=ids["cuisine"],
                  period_start=START, period_end=END, received_on=TODAY, asked_by_name="M. Géraud",
                  asked_by_email="prof@ac-nancy-metz.fr")
    values.update(changes)
    return edits.EscalationForm(**values)


def new_escalation(store, ids, **changes) -> int:
    with store.transaction() as session:
        return edits.save_escalation(session, form(ids, **changes), owner="NM-07", today=TODAY)


def ranked(store, escalation_id):
    with store.session() as session:
        return candidates.escalation_candidates(session, escalation_id, today=TODAY)


def test_a_request_is_recorded_with_its_pupil_and_logged(pole):
    store, ids = pole
    escalation_id = new_escalation(store, ids)
    with store.session() as session:
        escalation = session.get(Escalation, escalation_id)
        assert escalation.status is S.RECEIVED and escalation.pupil.first_name == "Noé"
        assert [(e.from_status, e.to_status) for e in escalation.events] == [(None, S.RECEIVED)]


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"period_end": START - timedelta(days=1)}, "period_end", "ne peut pas précéder"),
    ({"period_start": TODAY - timedelta(days=3), "period_end": TODAY + timedelta(days=20)}, "period_start",
     "déjà commencé"),
    ({"pupil_birth_date": date(2017, 6, 1)}, "pupil_birth_date", "aurait 9 ans"),
    ({"pupil_birth_date": date(1986, 6, 1)}, "pupil_birth_date", "aurait 40 ans"),
    ({"establishment_id": 9999}, "establishment", "établissement du pôle"),
])
def test_bad_requests_are_refused_at_the_field(pole, changes, field, words):
    store, ids = pole
    with pytest.raises(ValidationError) as error:
        new_escalation(store, ids, **changes)
    assert words in error.value.problems[field]
    with store.session() as session:
        assert session.scalars(select(Pupil)).all() == []


def test_an_establishment_of_another_pole_is_refused(pole):
    store, ids = pole
    with store.transaction() as session:
        other = Establishment(uai="0570030M", name="Lycée de Metz", kind=EstablishmentKind.LP, owner="NM-02")
        session.add(other)
        session.flush()
        other_id = other.id
    with pytest.raises(ValidationError) as error:
        new_escalation(store, ids, establishment_id=other_id)
    assert "établissement du pôle" in error.value.problems["establishment"]


def test_the_expected_partner_comes_first_and_the_wrong_ones_never_appear(pole):
    store, ids = pole
    escalation_id = new_escalation(store, ids)
    names = [r.name for r in ranked(store, escalation_id)]
    assert names == ["Restaurant Le Stanislas", "Cantine de Laxou", "Brasserie de Toul"]
    first = ranked(store, escalation_id)[0]
    assert "même commune (Nancy)" in first.reasons and "propose la formation demandée" in first.reasons


def test_a_full_partner_is_not_proposed(pole):
    store, ids = pole
    escalation_id = new_escalation(store, ids)
    with store.transaction() as session:
        for number in range(2):
            pupil = Pupil(establishment_id=ids["school"], last_name=f"Élève {number}")
            session.add(pupil)
            session.flush()
            placements.save_placement(session, placements.PlacementForm(
                pupil_id=pupil.id, establishment_id=ids["school"], partner_id=ids["Restaurant Le Stanislas"],
                audience=Audience.PFMP_CAP, start_date=date(2027, 1, 4), end_date=date(2027, 1, 29)))
    assert "Restaurant Le Stanislas" not in [r.name for r in ranked(store, escalation_id)]


def test_a_refusal_lowers_the_partner_and_sends_the_escalation_back_to_searching(pole):
    store, ids = pole
    escalation_id = new_escalation(store, ids)
    with store.transaction() as session:
        proposal_id = edits.record_proposal(session, escalation_id, ids["Restaurant Le Stanislas"],
                                            contacted_on=TODAY)
    with store.session() as session:
        assert session.get(Escalation, escalation_id).status is S.PROPOSED
    with store.transaction() as session:
        edits.answer_proposal(session, proposal_id, ProposalAnswer.REFUSED, on=TODAY, reason="Équipe réduite")
    names = [r.name for r in ranked(store, escalation_id)]
    assert names.index("Restaurant Le Stanislas") > names.index("Cantine de Laxou")
    with store.session() as session:
        escalation = session.get(Escalation, escalation_id)
        assert escalation.status is S.SEARCHING
        assert [e.to_status for e in escalation.events] == [S.RECEIVED, S.PROPOSED, S.SEARCHING]


def test_an_accepted_proposal_makes_the_placement_in_one_step(pole):
    store, ids = pole
    escalation_id = new_escalation(store, ids)
    with store.transaction() as session:
        proposal_id = edits.record_proposal(session, escalation_id, ids["Restaurant Le Stanislas"],
                                            contacted_on=TODAY)
        prefilled = edits.placement_form_for(session, proposal_id)
        assert prefilled.tutor_id == ids["tutor"] and prefilled.start_date == START
        placement_id = edits.accept_proposal(session, proposal_id, prefilled, on=TODAY)
    with store.session() as session:
        placement = session.get(Placement, placement_id)
        escalation = session.get(Escalation, escalation_id)
        assert placement.escalation_id == escalation_id and placement.tutor_id == ids["tutor"]
        assert placement.convention_status is ConventionStatus.DRAFT
        assert [d.start for d in placement.timetable] == [time(8, 30)] * 5
        assert escalation.status is S.PLACED and escalation.closed_on == TODAY


def test_illegal_moves_and_stale_actions_are_refused(pole):
    store, ids = pole
    escalation_id = new_escalation(store, ids)
    with pytest.raises(ValidationError, match="ne peut pas passer"), store.transaction() as session:
        edits.change_status(session, escalation_id, S.PLACED, expected=S.RECEIVED)
    with pytest.raises(ValidationError) as no_reason, store.transaction() as session:
        edits.change_status(session, escalation_id, S.WITHDRAWN, expected=S.RECEIVED)
    assert "reason" in no_reason.value.problems
    with store.transaction() as session:
        edits.change_status(session, escalation_id, S.SEARCHING, expected=S.RECEIVED)
    # A second window still showing « Reçue »:
    with pytest.raises(ValidationError, match="entre-temps"), store.transaction() as session:
        edits.change_status(session, escalation_id, S.WITHDRAWN, expected=S.RECEIVED, reason="Doublon")
    with store.session() as session:
        assert session.get(Escalation, escalation_id).status is S.SEARCHING


def test_a_placement_refuses_a_tutor_of_another_partner_and_a_broken_timetable(pole):
    store, ids = pole
    escalation_id = new_escalation(store, ids)
    with store.session() as session:
        pupil_id = session.get(Escalation, escalation_id).pupil_id
    bad = placements.PlacementForm(
        pupil_id=pupil_id, establishment_id=ids["school"], partner_id=ids["Cantine de Laxou"],
        audience=Audience.PFMP_CAP, start_date=START, end_date=END, tutor_id=ids["tutor"],
        timetable=(placements.DaySlot(0, time(14, 0), time(9, 0)),))
    with pytest.raises(ValidationError) as error, store.transaction() as session:
        placements.save_placement(session, bad)
    assert error.value.problems["tutor"].startswith("Le tuteur doit être")
    assert error.value.problems["timetable"] == "Lundi : l'heure de fin doit suivre l'heure de début."


def test_a_proposal_answered_in_another_window_cannot_be_answered_again(pole):
    store, ids = pole
    escalation_id = new_escalation(store, ids)
    with store.transaction() as session:
        proposal_id = edits.record_proposal(session, escalation_id, ids["Cantine de Laxou"], contacted_on=TODAY)
    with store.transaction() as session:
        edits.answer_proposal(session, proposal_id, ProposalAnswer.REFUSED, on=TODAY, reason="Complet")
    with pytest.raises(ValidationError, match="déjà répondu"), store.transaction() as session:
        edits.answer_proposal(session, proposal_id, ProposalAnswer.NO_ANSWER, on=TODAY)
    with store.session() as session:
        assert session.get(Escalation, escalation_id).proposals[0].refusal_reason == "Complet"
