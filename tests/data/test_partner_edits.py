"""Writing the partner network: partners, contacts, offers, visits and follow-ups, with their French refusals."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from poledesk.data.enums import Audience, EstablishmentKind, PartnerStatus, VisitKind
from poledesk.data.models import Contact, Establishment, HostingOffer, Partner, Visit
from poledesk.data.partners import contacts as contacts
from poledesk.data.partners import edits as partner_edits
from poledesk.data.partners import offers as offers
from poledesk.data.partners import visits as visits
from poledesk.data.partners.edits import DuplicateWarning, PartnerForm
from poledesk.data.validation import ValidationError

TODAY = date(2026, 11, 23)
LECLERC = PartnerForm(name="Garage Leclerc", siret="732 829 320 00074", postcode="54000", commune="Nancy",
                      naf_code="4520a", phone="03.83.86.21.15", email="Contact@Garage-Leclerc.FR",
                      tags="automobile, alternance; Automobile", status=PartnerStatus.ACTIVE)


def count(store, model) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def save(store, form: PartnerForm, partner_id: int | None = None, **kwargs) -> int:
    with store.transaction() as session:
        return partner_edits.save_partner(session, form, partner_id, **kwargs)


def test_a_partner_is_saved_normalised(pole_store):
    partner_id = save(pole_store, LECLERC)
    with pole_store.session() as session:
        partner = session.get(Partner, partner_id)
        assert (partner.siret, partner.naf_code, partner.phone) == ("73282932000074", "45.20A", "03 83 86 21 15")
        assert partner.email == "Contact@garage-leclerc.fr"
        assert partner.tags == "automobile; alternance"
        assert partner_edits.partner_form(session, partner_id).siret == "73282932000074"


def test_every_problem_is_reported_at_its_field_and_nothing_is_written(pole_store):
    bad = PartnerForm(name=" ", siret="73282932000075", postcode="5400", commune="", email="pas-un-courriel",
                      status=PartnerStatus.DO_NOT_CONTACT, min_age=25)
    with pytest.raises(ValidationError) as error:
        save(pole_store, bad)
    problems = error.value.problems
    assert set(problems) == {"name", "siret", "postcode", "commune", "email", "status_reason", "min_age"}
    assert problems["siret"].startswith("SIRET invalide")
    assert "Ne plus solliciter" in problems["status_reason"]
    assert count(pole_store, Partner) == 0


def test_the_same_siret_or_the_same_name_in_the_same_commune_is_a_duplicate(pole_store):
    save(pole_store, LECLERC)
    with pytest.raises(DuplicateWarning) as same_siret:
        save(pole_store, PartnerForm(name="Autre nom", siret="73282932000074", postcode="54500",
                                     commune="Vandœuvre-lès-Nancy"))
    assert same_siret.value.duplicates[0].reason == "même SIRET"
    with pytest.raises(DuplicateWarning) as same_name:
        save(pole_store, PartnerForm(name="GARAGE LECLERC", postcode="54000", commune="nancy"))
    assert same_name.value.duplicates[0].reason == "même nom dans la même commune"
    assert count(pole_store, Partner) == 1
    save(pole_store, PartnerForm(name="Garage Leclerc", postcode="54000", commune="Nancy"), allow_duplicate=True)
    save(pole_store, PartnerForm(name="Garage Leclerc", postcode="88000", commune="Épinal"))   # another commune
    assert count(pole_store, Partner) == 3


def test_editing_a_partner_is_not_its_own_duplicate(pole_store):
    partner_id = save(pole_store, LECLERC)
    save(pole_store, PartnerForm(**{**_fields(LECLERC), "website": "garage-leclerc.fr"}), partner_id)
    with pole_store.session() as session:
        assert session.get(Partner, partner_id).website == "garage-leclerc.fr"


def _fields(form: PartnerForm) -> dict:
    return {f: getattr(form, f) for f in PartnerForm.__dataclass_fields__}


def test_archive_then_restore(pole_store):
    partner_id = save(pole_store, LECLERC)
    with pole_store.transaction() as session:
        partner_edits.archive_partner(session, partner_id)
    with pole_store.session() as session:
        assert session.get(Partner, partner_id).deleted_at is not None
    save(pole_store, LECLERC)  # an archived partner is no duplicate
    with pole_store.transaction() as session:
        partner_edits.restore_partner(session, partner_id)
    with pole_store.session() as session:
        assert session.get(Partner, partner_id).deleted_at is None
    with pytest.raises(ValidationError, match="archivé"), pole_store.transaction() as session:
        partner_edits.archive_partner(session, partner_id)
        partner_edits.save_partner(session, LECLERC, partner_id)


def test_contacts_tutors_and_their_refusals(pole_store):
    partner_id = save(pole_store, LECLERC)
    with pole_store.transaction() as session:
        contact_id = contacts.save_contact(session, partner_id, contacts.ContactForm(
            last_name="Thiébaut", first_name="Gaëlle", phone="0612345678", is_tutor=True))
    with pytest.raises(ValidationError) as error, pole_store.transaction() as session:
        contacts.save_contact(session, partner_id, contacts.ContactForm(last_name="", email="x@"))
    assert set(error.value.problems) == {"last_name", "email"}
    with pole_store.session() as session:
        contact = session.get(Contact, contact_id)
        assert (contact.phone, contact.is_tutor) == ("06 12 34 56 78", True)
        assert contacts.training_history(session, contact_id) == []
    assert count(pole_store, Contact) == 1


def test_offers_check_places_months_and_staleness(pole_store):
    partner_id = save(pole_store, LECLERC)
    with pole_store.transaction() as session:
        school = Establishment(uai="0540038Y", name="Lycée Henri-Poincaré", kind=EstablishmentKind.LYCEE)
        session.add(school)
        session.flush()
        offer_id = offers.save_offer(session, partner_id, offers.OfferForm(
            audience=Audience.PFMP_BACPRO, sector="Maintenance automobile", places=2, months=(11, 1, 2, 1),
            reserved_to=(school.id,), last_confirmed_on=date(2025, 10, 1)), today=TODAY)
    with pytest.raises(ValidationError) as error, pole_store.transaction() as session:
        offers.save_offer(session, partner_id, offers.OfferForm(audience=Audience.STS, places=0),
                          today=TODAY)
    assert set(error.value.problems) == {"places", "months", "formation"}
    with pole_store.session() as session:
        offer = session.get(HostingOffer, offer_id)
        assert offer.months == "1,2,11" and [e.uai for e in offer.reserved_to] == ["0540038Y"]
        assert offers.is_stale(offer.last_confirmed_on, TODAY)
        assert offers.describe_months(offer.month_numbers) == "janvier, février, novembre"
    with pole_store.transaction() as session:
        offers.confirm_offer(session, offer_id, TODAY)
    with pole_store.session() as session:
        assert not offers.is_stale(session.get(HostingOffer, offer_id).last_confirmed_on, TODAY)


def test_visits_and_the_follow_up_list_overdue_first(pole_store):
    partner_id = save(pole_store, LECLERC)
    other_id = save(pole_store, PartnerForm(name="Mairie de Laxou", postcode="54520", commune="Laxou"))
    with pole_store.transaction() as session:
        later = visits.log_visit(session, partner_id, visits.VisitForm(
            visited_on=TODAY, summary="Visite de l'atelier", next_action="Envoyer la convention-cadre",
            next_action_due=TODAY + timedelta(days=10)), today=TODAY)
        overdue = visits.log_visit(session, other_id, visits.VisitForm(
            visited_on=TODAY - timedelta(days=30), kind=VisitKind.PHONE, summary="Appel au service RH",
            next_action="Rappeler pour les places de janvier", next_action_due=TODAY - timedelta(days=5)),
            today=TODAY)
        visits.log_visit(session, other_id, visits.VisitForm(visited_on=TODAY, summary="Sans suite"), today=TODAY)
    with pole_store.session() as session:
        rows = visits.list_follow_ups(session)
        assert [r.visit_id for r in rows] == [overdue, later]
        assert rows[0].days_late(TODAY) == 5 and rows[0].partner_name == "Mairie de Laxou"
    with pole_store.transaction() as session:
        visits.complete_follow_up(session, overdue, TODAY)
    with pole_store.session() as session:
        assert [r.visit_id for r in visits.list_follow_ups(session)] == [later]


def test_a_visit_in_the_future_or_without_due_date_is_refused(pole_store):
    partner_id = save(pole_store, LECLERC)
    with pytest.raises(ValidationError) as error, pole_store.transaction() as session:
        visits.log_visit(session, partner_id, visits.VisitForm(
            visited_on=TODAY + timedelta(days=1), summary="", next_action="Rappeler"), today=TODAY)
    assert set(error.value.problems) == {"visited_on", "summary", "next_action_due"}
    assert count(pole_store, Visit) == 0


def test_an_archived_partner_is_refused_beside_the_field_by_every_form_that_names_it(store):
    """Contacts, offers and visits of a partner refuse it the same way once it is archived (data/live.py)."""
    from poledesk.data.live import GONE

    with store.session() as session:
        partner_id = session.scalars(select(Partner.id).where(Partner.deleted_at.is_(None))).first()
    with store.transaction() as session:
        session.get(Partner, partner_id).deleted_at = datetime.now()
    writes = (
        lambda s: contacts.save_contact(s, partner_id, contacts.ContactForm(first_name="Léa", last_name="Martin")),
        lambda s: offers.save_offer(s, partner_id, offers.OfferForm(Audience.PFMP_BACPRO, places=2, months=(3,))),
        lambda s: visits.log_visit(s, partner_id, visits.VisitForm(visited_on=date.today())),
    )
    for write in writes:
        with pytest.raises(ValidationError) as refused, store.transaction() as session:
            write(session)
        assert refused.value.problems["partner"] == GONE[Partner][1]
