"""Tutor training sessions written: the form's rules, invitations, the waiting list, attendance, the invitee finder."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from sqlalchemy import func, select

from poledesk.data.enums import Audience, ConventionStatus, PartnerStatus, TrainingStatus
from poledesk.data.models import (
    Contact,
    Establishment,
    Partner,
    Placement,
    Pupil,
    Registration,
)
from poledesk.data.partners import contacts as contacts
from poledesk.data.trainings import edits as training_edits
from poledesk.data.trainings import listing as trainings
from poledesk.data.trainings.edits import SessionForm
from poledesk.data.trainings.listing import InviteeFilter
from poledesk.data.validation import ValidationError

TODAY = date(2027, 1, 11)      # a Monday of the school year 2026-2027
FORM = SessionForm(title="Accueillir un mineur", session_date=TODAY + timedelta(days=10), start_time=time(9),
                   end_time=time(12), place="Maison de l'entreprise, Nancy", theme="Cadre légal",
                   trainer="Claire Lefèvre", capacity=3)


@pytest.fixture
def people(pole_store):
    """Two partners and their contacts: five tutors, one contact who is not a tutor, one who refuses contact."""
    with pole_store.transaction() as session:
        bakery = Partner(name="Boulangerie Lefèvre", commune="Épinal", postcode="88000", naf_code="10.71C",
                         status=PartnerStatus.ACTIVE)
        garage = Partner(name="Garage de l'Église", commune="Nancy", postcode="54000", naf_code="45.20A",
                         status=PartnerStatus.ACTIVE)
        session.add_all([bakery, garage])
        session.flush()
        names = [("Marie", "Lefèvre", bakery), ("Paul", "Adam", bakery), ("Zoé", "Vidal", garage),
                 ("Léon", "Roy", garage), ("Inès", "Bauer", garage)]
        tutors = [Contact(partner_id=p.id, first_name=f, last_name=n, email=f"{f.lower()}@exemple.fr",
                          is_tutor=True) for f, n, p in names]
        other = Contact(partner_id=bakery.id, first_name="Jean", last_name="Comptable", is_tutor=False)
        shy = Contact(partner_id=garage.id, first_name="Éric", last_name="Discret", is_tutor=True,
                      consents_to_contact=False)
        session.add_all([*tutors, other, shy])
        session.flush()
        return {"tutors": [t.id for t in tutors], "other": other.id, "shy": shy.id, "bakery": bakery.id,
                "garage": garage.id}


def plan(store, form: SessionForm = FORM) -> int:
    with store.transaction() as session:
        return training_edits.save_session(session, form, today=TODAY)


def count_sessions(store) -> int:
    with store.session() as session:
        return trainings.count_sessions(session)


def detail(store, session_id: int) -> trainings.SessionDetail:
    with store.session() as session:
        return trainings.session_detail(session, session_id)


def refused(store, write) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught, store.transaction() as session:
        write(session)
    return caught.value.problems


# --- The session form ------------------------------------------------------------------------------------------

def test_a_session_is_planned_and_listed_upcoming_first(pole_store, people):
    session_id = plan(pole_store)
    past = plan(pole_store, replace(FORM, title="Le rôle du tuteur", session_date=TODAY - timedelta(days=20),
                                    status=TrainingStatus.HELD))
    with pole_store.session() as session:
        rows = trainings.list_sessions(session, "maison entreprise", today=TODAY)
        form = training_edits.session_form(session, session_id)
    assert [r.id for r in rows] == [session_id, past]
    assert rows[0].upcoming and not rows[1].upcoming and rows[0].school_year == "2026-2027"
    assert form == FORM


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"end_time": time(8, 30)}, "end_time", "L'heure de fin doit être après l'heure de début."),
    ({"end_time": time(9)}, "end_time", "L'heure de fin doit être après l'heure de début."),
    ({"title": "  "}, "title", "L'intitulé de la session est obligatoire."),
    ({"place": ""}, "place", "Le lieu est obligatoire"),
    ({"capacity": 0}, "capacity", "La capacité doit être comprise entre 1 et 200 places."),
    ({"status": TrainingStatus.HELD}, "status", "Une session à venir ne peut pas être indiquée comme tenue."),
    ({"session_date": TODAY - timedelta(days=1)}, "session_date", "Cette date est passée"),
    ({"session_date": TODAY - timedelta(days=1), "status": "planned"}, "session_date", "Cette date est passée"),
    ({"title": "x" * 201}, "title", "200 caractères au plus."),
])
def test_a_wrong_form_is_refused_field_by_field_and_nothing_is_written(pole_store, change, field, message):
    problems = refused(pole_store, lambda s: training_edits.save_session(s, replace(FORM, **change), today=TODAY))
    assert problems[field].startswith(message)
    assert count_sessions(pole_store) == 0


def test_the_same_session_twice_is_refused(pole_store):
    plan(pole_store)
    problems = refused(pole_store, lambda s: training_edits.save_session(s, replace(FORM, title=" Accueillir  un "
                                                                                               "mineur"), today=TODAY))
    assert problems["title"] == (f"Une session « Accueillir  un mineur » existe déjà le "
                                 f"{TODAY + timedelta(days=10):%d/%m/%Y} à 09h00.")
    assert count_sessions(pole_store) == 1


def test_capacity_cannot_fall_below_those_registered_and_a_larger_one_promotes_the_waiting_list(pole_store, people):
    session_id = plan(pole_store)
    with pole_store.transaction() as session:
        outcome = training_edits.register(session, session_id, people["tutors"], today=TODAY)
    assert (len(outcome.registered), outcome.waitlisted) == (3, ("Léon Roy", "Inès Bauer"))
    problems = refused(pole_store, lambda s: training_edits.save_session(s, replace(FORM, capacity=2), session_id,
                                                                         today=TODAY))
    assert problems["capacity"].startswith("3 personnes sont déjà inscrites : la capacité ne peut pas descendre "
                                           "sous 3 places")
    assert detail(pole_store, session_id).capacity == 3
    with pole_store.transaction() as session:
        training_edits.save_session(session, replace(FORM, capacity=4), session_id, today=TODAY)
    after = detail(pole_store, session_id)
    assert (after.registered, after.waitlisted) == (4, 1)
    assert next(r for r in after.registrations if r.waitlisted).contact == "Inès Bauer"


def test_cancel_keeps_the_registrations_so_that_the_invited_can_be_told(pole_store, people):
    session_id = plan(pole_store)
    with pole_store.transaction() as session:
        training_edits.register(session, session_id, people["tutors"][:2], today=TODAY)
        training_edits.cancel_session(session, session_id, reason="Formateur malade")
    after = detail(pole_store, session_id)
    assert after.status is TrainingStatus.CANCELLED and after.notes == "Annulée : Formateur malade"
    assert after.registered == 2 and trainings.invitation_mailto(after) is not None
    problems = refused(pole_store, lambda s: training_edits.invite(s, session_id, people["tutors"][2:], today=TODAY))
    assert problems["session"] == "Cette session a été annulée : on ne peut plus y inviter ni inscrire."


def test_a_session_with_attendance_cannot_be_cancelled(pole_store, people):
    session_id = plan(pole_store, replace(FORM, session_date=TODAY))
    with pole_store.transaction() as session:
        training_edits.register(session, session_id, people["tutors"][:1], today=TODAY)
        line = trainings.session_detail(session, session_id).registrations[0]
        training_edits.set_attendance(session, line.id, True, today=TODAY)
    problems = refused(pole_store, lambda s: training_edits.cancel_session(s, session_id))
    assert problems["status"].startswith("Des présences sont saisies pour cette session")
    problems = refused(pole_store, lambda s: training_edits.save_session(
        s, replace(FORM, session_date=TODAY, status=TrainingStatus.CANCELLED), session_id, today=TODAY))
    assert problems["status"].startswith("Des présences sont saisies")
    assert detail(pole_store, session_id).status is TrainingStatus.HELD


def test_duplicate_plans_the_same_session_a_week_later_without_registrations(pole_store, people):
    session_id = plan(pole_store)
    with pole_store.transaction() as session:
        training_edits.invite(session, session_id, people["tutors"], today=TODAY)
        day = training_edits.next_free_day(FORM.session_date, TODAY)
        copy_id = training_edits.duplicate_session(session, session_id, on=day, today=TODAY)
    copy = detail(pole_store, copy_id)
    assert copy_id != session_id and copy.session_date == FORM.session_date + timedelta(days=7)
    assert (copy.title, copy.place, copy.capacity, copy.status) == (FORM.title, FORM.place, 3, TrainingStatus.PLANNED)
    assert copy.registrations == ()
    assert training_edits.next_free_day(TODAY - timedelta(days=30), TODAY) == TODAY + timedelta(days=5)


# --- Invitations, registrations, the waiting list --------------------------------------------------------------

def test_invite_records_the_day_once_and_revives_a_cancelled_invitation(pole_store, people):
    session_id = plan(pole_store)
    with pole_store.transaction() as session:
        assert training_edits.invite(session, session_id, people["tutors"][:2], today=TODAY) == 2
        assert training_edits.invite(session, session_id, people["tutors"][:3], today=TODAY) == 1
        first = trainings.session_detail(session, session_id).registrations[0]
        training_edits.cancel_registration(session, first.id, today=TODAY)
        assert training_edits.invite(session, session_id, [first.contact_id], today=TODAY + timedelta(days=1)) == 1
    after = detail(pole_store, session_id)
    assert after.invited == 3 and len(after.registrations) == 3
    assert {r.invited_on for r in after.registrations} == {TODAY, TODAY + timedelta(days=1)}


def test_no_invitation_once_the_session_is_past(pole_store, people):
    session_id = plan(pole_store, replace(FORM, session_date=TODAY - timedelta(days=3), status=TrainingStatus.HELD))
    problems = refused(pole_store, lambda s: training_edits.invite(s, session_id, people["tutors"], today=TODAY))
    assert problems["session"] == "Cette session a déjà eu lieu : on ne peut plus y inviter."


def test_registering_past_capacity_fills_the_waiting_list_and_a_cancellation_promotes_the_first(pole_store, people):
    session_id = plan(pole_store)
    tutors = people["tutors"]
    with pole_store.transaction() as session:
        training_edits.invite(session, session_id, tutors, today=TODAY)
        # The fifth answers before the fourth: the waiting list keeps the order of registration, not of names.
        training_edits.register(session, session_id, tutors[:3], today=TODAY)
        assert training_edits.register(session, session_id, [tutors[4]], today=TODAY).waitlisted == ("Inès Bauer",)
        assert training_edits.register(session, session_id, [tutors[3]], today=TODAY).waitlisted == ("Léon Roy",)
        assert training_edits.register(session, session_id, [tutors[0]], today=TODAY).already == 1
    before = detail(pole_store, session_id)
    assert (before.registered, before.waitlisted, before.invited) == (3, 2, 0)
    assert [r.contact for r in before.registrations if r.waitlisted] == ["Inès Bauer", "Léon Roy"]
    seated = next(r for r in before.registrations if r.contact == "Paul Adam")
    with pole_store.transaction() as session:
        promoted = training_edits.cancel_registration(session, seated.id, today=TODAY)
    assert promoted == "Inès Bauer"
    after = detail(pole_store, session_id)
    assert (after.registered, after.waitlisted) == (3, 1)
    assert next(r for r in after.registrations if r.contact == "Paul Adam").cancelled_on == TODAY
    with pole_store.transaction() as session:
        waiting = next(r for r in after.registrations if r.waitlisted)
        assert training_edits.cancel_registration(session, waiting.id, today=TODAY) is None
    assert detail(pole_store, session_id).registered == 3


def test_a_cancelled_registration_cannot_be_cancelled_again_nor_an_attendee(pole_store, people):
    session_id = plan(pole_store, replace(FORM, session_date=TODAY))
    with pole_store.transaction() as session:
        training_edits.register(session, session_id, people["tutors"][:2], today=TODAY)
        came, left = trainings.session_detail(session, session_id).registrations
        training_edits.set_attendance(session, came.id, True, today=TODAY)
        training_edits.cancel_registration(session, left.id, today=TODAY)
    assert refused(pole_store, lambda s: training_edits.cancel_registration(s, came.id))["registration"] == (
        f"La présence de {came.contact} est cochée : décochez-la d'abord.")
    assert refused(pole_store, lambda s: training_edits.cancel_registration(s, left.id))["registration"] == (
        "Cette inscription a été annulée ou n'existe plus.")


def test_a_contact_marked_as_tutor_then_registered(pole_store, people):
    session_id = plan(pole_store)
    with pole_store.transaction() as session:
        contacts.mark_as_tutor(session, people["other"])
        training_edits.register(session, session_id, [people["other"]], today=TODAY)
    line = detail(pole_store, session_id).registrations[0]
    assert (line.contact, line.is_tutor, line.registered_on) == ("Jean Comptable", True, TODAY)


# --- Attendance ------------------------------------------------------------------------------------------------

def test_attendance_is_refused_before_the_session_and_on_a_cancelled_one(pole_store, people):
    upcoming = plan(pole_store)
    with pole_store.transaction() as session:
        training_edits.register(session, upcoming, people["tutors"][:1], today=TODAY)
    line = detail(pole_store, upcoming).registrations[0]
    message = refused(pole_store, lambda s: training_edits.set_attendance(s, line.id, True, today=TODAY))["attended"]
    assert message.startswith("La session n'a pas encore eu lieu (prévue le 21/01/2027)")
    with pole_store.transaction() as session:
        training_edits.cancel_session(session, upcoming)
    message = refused(pole_store, lambda s: training_edits.set_attendance(
        s, line.id, True, today=TODAY + timedelta(days=30)))["attended"]
    assert message == "Cette session a été annulée : les présences ne peuvent pas être saisies."
    assert not detail(pole_store, upcoming).registrations[0].attended


def test_attendance_makes_the_session_held_and_the_training_history(pole_store, people):
    session_id = plan(pole_store, replace(FORM, capacity=1))
    with pole_store.transaction() as session:
        training_edits.register(session, session_id, people["tutors"][:2], today=TODAY)   # the second waits
    lines = detail(pole_store, session_id).registrations
    the_day = FORM.session_date
    with pole_store.transaction() as session:
        for line in lines:
            training_edits.set_attendance(session, line.id, True, today=the_day)
        assert training_edits.mark_attestations_issued(session, session_id, today=the_day) == 2
        assert training_edits.mark_attestations_issued(session, session_id, today=the_day) == 0
    after = detail(pole_store, session_id)
    assert after.status is TrainingStatus.HELD and after.attended == 2 and after.waitlisted == 0
    assert all(r.attestation_issued_on == the_day for r in after.registrations)
    with pole_store.session() as session:
        history = contacts.training_history(session, people["tutors"][1])
    assert [(h.session_id, h.title, h.session_date) for h in history] == [(session_id, FORM.title, the_day)]
    with pole_store.transaction() as session:
        training_edits.set_attendance(session, lines[1].id, False, today=the_day)
    with pole_store.session() as session:
        assert contacts.training_history(session, people["tutors"][1]) == []


# --- Finding the tutors to invite ------------------------------------------------------------------------------

def test_invitees_are_filtered_and_exclude_the_unwilling_and_the_already_invited(pole_store, people):
    session_id = plan(pole_store)
    with pole_store.transaction() as session:
        training_edits.invite(session, session_id, people["tutors"][:1], today=TODAY)

    def names(**filters) -> list[str]:
        with pole_store.session() as session:
            found = trainings.find_invitees(session, session_id, InviteeFilter(**filters), today=TODAY)
        return [r.full_name for r in found]

    assert names() == ["Paul Adam", "Inès Bauer", "Léon Roy", "Zoé Vidal"]
    assert names(tutors_only=False) == ["Paul Adam", "Inès Bauer", "Jean Comptable", "Léon Roy", "Zoé Vidal"]
    assert names(commune="Épinal") == ["Paul Adam"]
    assert names(text="eglise") == ["Inès Bauer", "Léon Roy", "Zoé Vidal"]
    with pole_store.session() as session:
        choices = trainings.invitee_choices(session)
        sector = session.get(Partner, people["garage"]).sector
    assert choices.communes == ("Épinal", "Nancy") and sector in choices.sectors
    assert names(sector=sector) == ["Inès Bauer", "Léon Roy", "Zoé Vidal"]


def test_not_yet_trained_and_hosted_this_school_year(pole_store, people):
    first = plan(pole_store, replace(FORM, session_date=TODAY - timedelta(days=40), status=TrainingStatus.HELD))
    later = plan(pole_store, replace(FORM, title="Évaluer"))
    zoe, leon = people["tutors"][2], people["tutors"][3]
    with pole_store.transaction() as session:
        session.add(Registration(session_id=first, contact_id=zoe, attended=True))
        school = Establishment(uai="0540042C", name="LP Jean-Prouvé", kind="lp")
        pupil = Pupil(establishment=school, first_name="Léa", last_name="Martin")
        session.add(Placement(pupil=pupil, establishment=school, partner_id=people["garage"], tutor_id=leon,
                              audience=Audience.PFMP_BACPRO, start_date=TODAY - timedelta(days=50),
                              end_date=TODAY - timedelta(days=30), convention_status=ConventionStatus.SIGNED))
        session.add(Placement(pupil=pupil, establishment=school, partner_id=people["garage"], tutor_id=zoe,
                              audience=Audience.PFMP_BACPRO, start_date=date(2026, 5, 4), end_date=date(2026, 5, 29)))
    with pole_store.session() as session:
        untrained = trainings.find_invitees(session, later, InviteeFilter(commune="Nancy", not_trained=True),
                                            today=TODAY)
        hosted = trainings.find_invitees(session, later, InviteeFilter(hosted_this_year=True), today=TODAY)
    assert [r.full_name for r in untrained] == ["Inès Bauer", "Léon Roy"]
    assert [(r.full_name, r.hosted_this_year, r.trainings_attended) for r in hosted] == [("Léon Roy", True, 0)]


def test_the_demo_network_offers_hundreds_of_tutors(store):
    with store.session() as session:
        upcoming = next(r for r in trainings.list_sessions(session) if r.upcoming)
        found = trainings.find_invitees(session, upcoming.id)
        already = {r.contact_id for r in trainings.session_detail(session, upcoming.id).registrations
                   if r.is_live}
        tutors = session.scalar(select(func.count()).select_from(Contact).where(Contact.is_tutor.is_(True)))
        hosted = trainings.find_invitees(session, upcoming.id, InviteeFilter(hosted_this_year=True))
    assert 300 < len(found) < tutors and not already & {r.id for r in found}
    assert hosted and all(r.hosted_this_year for r in hosted) and len(hosted) < len(found)


# --- The list's filters and the mail to the invited ------------------------------------------------------------

def test_sessions_filtered_by_school_year_and_theme(store):
    with store.session() as session:
        choices = trainings.session_choices(session)
        every = trainings.list_sessions(session)
        for year in choices.school_years:
            rows = trainings.list_sessions(session, school_year=year)
            assert rows and all(r.school_year == year for r in rows)
        theme = choices.themes[0]
        themed = trainings.list_sessions(session, theme=theme)
    assert len(choices.school_years) >= 2 and choices.school_years == tuple(sorted(choices.school_years, reverse=True))
    assert themed and all(r.theme == theme for r in themed) and len(themed) < len(every)


def test_the_mailto_puts_every_invited_address_in_blind_copy(pole_store, people):
    session_id = plan(pole_store, replace(FORM, title="Accueillir un mineur & son tuteur"))
    with pole_store.transaction() as session:
        training_edits.invite(session, session_id, people["tutors"][:3] + [people["other"]], today=TODAY)
        training_edits.register(session, session_id, people["tutors"][:1], today=TODAY)
    url = trainings.invitation_mailto(detail(pole_store, session_id))
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert parts.scheme == "mailto" and parts.path == ""
    assert query["bcc"][0].split(",") == ["marie@exemple.fr", "paul@exemple.fr", "zoé@exemple.fr"]
    assert query["subject"] == ["Accueillir un mineur & son tuteur"]
    assert "%26" in url and unquote(url).count("@") == 3
