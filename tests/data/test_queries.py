"""The list and detail services of the tabs: partners, establishments, escalations, training sessions."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import event, func, select

from poledesk.data.enums import (
    Audience,
    EscalationStatus,
    EstablishmentKind,
    PartnerStatus,
    PriorityEducation,
    ProposalAnswer,
    TrainingStatus,
    VisitKind,
)
from poledesk.data.escalations import listing as escalations
from poledesk.data.establishments import listing as establishments
from poledesk.data.models import (
    Contact,
    Escalation,
    EscalationEvent,
    Establishment,
    EstablishmentFormation,
    Formation,
    HostingOffer,
    Partner,
    Proposal,
    Pupil,
    Registration,
    TrainingSession,
    Visit,
)
from poledesk.data.partners import listing as partners
from poledesk.data.text import school_year_of
from poledesk.data.trainings import listing as trainings

TODAY = date(2026, 3, 2)
YEAR = school_year_of(TODAY)            # 2025-2026
NOW = datetime(2026, 2, 1, 9, 30)


@dataclass
class World:
    lp: int
    college: int
    bakery: int
    garage: int
    deleted_partner: int
    escalations: dict[str, int]
    sessions: dict[str, int]


@contextmanager
def counted_statements(store):
    """The SELECT statements the engine runs inside the block."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", count)


def _schools(session) -> tuple[Establishment, Establishment, Formation, Formation]:
    commerce = Formation(code="40031213", label="Bac pro Métiers du commerce et de la vente",
                         audience=Audience.PFMP_BACPRO, pfmp_weeks=22)
    cuisine = Formation(code="50022135", label="CAP Cuisine", audience=Audience.PFMP_CAP, pfmp_weeks=14)
    lp = Establishment(uai="0540042C", name="Lycée professionnel Jean-Prouvé", kind=EstablishmentKind.LP,
                       postcode="54000", commune="Nancy", head_name="M. Durand", referent_name="Mme Petit",
                       referent_role="DDFPT", priority_education=PriorityEducation.REP)
    college = Establishment(uai="0880010X", name="Collège Louis-Armand", kind=EstablishmentKind.COLLEGE,
                            postcode="88000", commune="Épinal")
    session.add_all([commerce, cuisine, lp, college])
    session.flush()
    session.add_all([
        EstablishmentFormation(establishment_id=lp.id, formation_id=commerce.id, school_year=YEAR, pupils=24),
        EstablishmentFormation(establishment_id=lp.id, formation_id=cuisine.id, school_year=YEAR, pupils=12),
        EstablishmentFormation(establishment_id=lp.id, formation_id=commerce.id, school_year="2024-2025",
                               pupils=30),
    ])
    return lp, college, commerce, cuisine


def _partners(session, lp: Establishment, commerce: Formation) -> tuple[Partner, Partner, Partner]:
    bakery = Partner(name="Boulangerie Lefèvre", siret="73282932000074", naf_code="10.71C", postcode="88000",
                     commune="Épinal", tags="alimentaire;artisanat", status=PartnerStatus.ACTIVE,
                     accepts_pai=True, min_age=15, interview_first=True, notes="Préfère les appels le matin")
    garage = Partner(name="Garage de l'Église", postcode="54000", commune="Nancy", naf_code="45.20A")
    gone = Partner(name="Boulangerie Fermée", postcode="88000", commune="Épinal",
                   deleted_at=datetime(2026, 1, 5))
    session.add_all([bakery, garage, gone])
    session.flush()
    tutor = Contact(partner_id=bakery.id, first_name="Marie", last_name="Lefèvre", role="Gérante", is_tutor=True)
    session.add_all([
        tutor, Contact(partner_id=bakery.id, first_name="Paul", last_name="Adam", consents_to_contact=False),
        Contact(partner_id=bakery.id, last_name="Ancien", deleted_at=datetime(2025, 6, 1)),
        HostingOffer(partner_id=bakery.id, audience=Audience.PFMP_BACPRO, formation_id=commerce.id, places=3,
                     months="1,2,11", reserved_to=[lp]),
        HostingOffer(partner_id=bakery.id, audience=Audience.OBSERVATION_4E_3E, sector="Boulangerie", places=2),
        HostingOffer(partner_id=bakery.id, audience=Audience.PFMP_CAP, places=10, deleted_at=datetime(2025, 1, 1)),
        Visit(partner_id=bakery.id, visited_on=date(2025, 10, 3), kind=VisitKind.PHONE, summary="Premier appel"),
        Visit(partner_id=bakery.id, visited_on=date(2026, 2, 12), kind=VisitKind.VISIT, who="Claire Lefèvre",
              summary="Visite de l'atelier", next_action="Envoyer la convention", next_action_due=TODAY),
        Visit(partner_id=bakery.id, visited_on=date(2026, 2, 20), kind=VisitKind.EMAIL,
              deleted_at=datetime(2026, 2, 21)),
    ])
    session.flush()
    return bakery, garage, gone


def _escalations(session, lp: Establishment, commerce: Formation, bakery: Partner) -> dict[str, int]:
    plan = {  # name: (days before the period, status, pupil)
        "overdue": (-3, EscalationStatus.SEARCHING, ("Léa", "Martin")),
        "under_15": (10, EscalationStatus.RECEIVED, ("Noé", "Bernard")),
        "under_30": (20, EscalationStatus.PROPOSED, ("Inès", "Zérouki")),
        "later": (60, EscalationStatus.RECEIVED, ("Hugo", "Thomas")),
        "closed": (5, EscalationStatus.PLACED, ("Jade", "Robert")),
    }
    ids = {}
    for name, (days, status, (first, last)) in plan.items():
        pupil = Pupil(establishment_id=lp.id, first_name=first, last_name=last, birth_date=date(2009, 6, 30),
                      class_name="1re MCV", representative_name="Parent " + last)
        start = TODAY + timedelta(days=days)
        escalation = Escalation(establishment_id=lp.id, pupil=pupil, received_on=TODAY - timedelta(days=20),
                                audience=Audience.PFMP_BACPRO, formation_id=commerce.id, period_start=start,
                                period_end=start + timedelta(days=27), status=status, asked_by_name="M. Morel")
        session.add(escalation)
        session.flush()
        ids[name] = escalation.id
    session.add_all([
        Escalation(establishment_id=lp.id, pupil=Pupil(establishment_id=lp.id, first_name="Effacé", last_name="X"),
                   received_on=TODAY, audience=Audience.PFMP_CAP, period_start=TODAY, period_end=TODAY,
                   deleted_at=datetime(2026, 2, 1)),
        Proposal(escalation_id=ids["under_30"], partner_id=bakery.id, contacted_on=date(2026, 2, 20),
                 answer=ProposalAnswer.REFUSED, refusal_reason="Plus de place en mars"),
        EscalationEvent(escalation_id=ids["under_30"], at=NOW, from_status=None, to_status=EscalationStatus.RECEIVED),
        EscalationEvent(escalation_id=ids["under_30"], at=NOW + timedelta(days=3),
                        from_status=EscalationStatus.RECEIVED, to_status=EscalationStatus.PROPOSED),
    ])
    return ids


def _sessions(session, bakery: Partner) -> dict[str, int]:
    contacts = session.scalars(select(Contact).where(Contact.partner_id == bakery.id,
                                                     Contact.deleted_at.is_(None))).all()
    extra = Contact(partner_id=bakery.id, first_name="Zoé", last_name="Vidal")
    invited = Contact(partner_id=bakery.id, first_name="Léon", last_name="Roy")
    session.add_all([extra, invited])
    soon = TrainingSession(title="Accueillir un stagiaire mineur", theme="Réglementation", place="CCI d'Épinal",
                           session_date=TODAY + timedelta(days=7), start_time=time(9), end_time=time(12),
                           capacity=12)
    later = TrainingSession(title="Évaluer les compétences", theme="Évaluation", place="Nancy",
                            session_date=TODAY + timedelta(days=30), start_time=time(14), end_time=time(17))
    past = TrainingSession(title="Le rôle du tuteur", theme="Tutorat", place="Lycée Jean-Prouvé",
                           session_date=TODAY - timedelta(days=30), start_time=time(9), end_time=time(12),
                           status=TrainingStatus.HELD)
    session.add_all([soon, later, past])
    session.flush()
    session.add_all([
        Registration(session_id=soon.id, contact_id=contacts[0].id, registered_on=date(2026, 2, 1)),
        Registration(session_id=soon.id, contact_id=contacts[1].id, waitlisted=True),
        Registration(session_id=soon.id, contact_id=extra.id, cancelled_on=date(2026, 2, 10)),
        Registration(session_id=soon.id, contact_id=invited.id, invited_on=date(2026, 2, 1)),
        Registration(session_id=past.id, contact_id=contacts[0].id, attended=True,
                     attestation_issued_on=date(2026, 2, 5)),
        Registration(session_id=past.id, contact_id=extra.id, attended=True),
    ])
    return {"soon": soon.id, "later": later.id, "past": past.id}


@pytest.fixture
def world(pole_store) -> World:
    with pole_store.transaction() as session:
        lp, college, commerce, _ = _schools(session)
        bakery, garage, gone = _partners(session, lp, commerce)
        escalation_ids = _escalations(session, lp, commerce, bakery)
        session_ids = _sessions(session, bakery)
        return World(lp.id, college.id, bakery.id, garage.id, gone.id, escalation_ids, session_ids)


# Partners

def test_partner_rows_count_only_live_records(pole_store, world):
    with pole_store.session() as session:
        rows = partners.search_partners(session)
        assert partners.count_partners(session) == 2
    assert [r.name for r in rows] == ["Boulangerie Lefèvre", "Garage de l'Église"]
    bakery, garage = rows
    assert (bakery.contacts, bakery.places, bakery.last_visit) == (4, 5, date(2026, 2, 12))   # one deleted
    assert (garage.contacts, garage.places, garage.last_visit) == (0, 0, None)
    assert bakery.status is PartnerStatus.ACTIVE and bakery.siret == "73282932000074"


@pytest.mark.parametrize(("query", "expected"), [
    ("epinal", ["Boulangerie Lefèvre"]),
    ("ÉPINAL", ["Boulangerie Lefèvre"]),
    ("eglise", ["Garage de l'Église"]),
    ("boul artisanat", ["Boulangerie Lefèvre"]),      # every word, anywhere in the key
    ("boul nancy", []),                               # words are AND-ed
    ("7328293", ["Boulangerie Lefèvre"]),             # SIRET
    ("45.20", ["Garage de l'Église"]),                # NAF code
    ("54000", ["Garage de l'Église"]),
    ("adam", ["Boulangerie Lefèvre"]),                # a contact's name, through the full-text index
    ("vehicules", ["Garage de l'Église"]),            # the NAF code's label
    ("732 829 320", ["Boulangerie Lefèvre"]),         # a SIRET typed in groups
    ("%", []),                                        # LIKE wildcards are plain characters
    ("   ", ["Boulangerie Lefèvre", "Garage de l'Église"]),
])
def test_partner_search_folds_accents_and_ands_words(pole_store, world, query, expected):
    with pole_store.session() as session:
        assert [r.name for r in partners.search_partners(session, query)] == expected


def test_partner_search_limit(pole_store, world):
    with pole_store.session() as session:
        assert len(partners.search_partners(session, limit=1)) == 1


def test_partner_list_is_one_statement(pole_store, world):
    with pole_store.session() as session, counted_statements(pole_store) as seen:
        partners.search_partners(session, "boulangerie epinal")
    assert len(seen) == 1


def test_partner_detail_holds_contacts_offers_and_last_visits(pole_store, world):
    with pole_store.session() as session:
        detail = partners.partner_detail(session, world.bakery)
    assert detail.tags == ("alimentaire", "artisanat")
    assert [c.full_name for c in detail.contacts] == ["Paul Adam", "Marie Lefèvre", "Léon Roy", "Zoé Vidal"]
    marie = detail.contacts[1]
    assert marie.is_tutor and marie.trainings_attended == 1
    assert not detail.contacts[0].consents_to_contact
    assert sorted(o.places for o in detail.offers) == [2, 3]
    bacpro = next(o for o in detail.offers if o.audience is Audience.PFMP_BACPRO)
    assert bacpro.months == (1, 2, 11)
    assert bacpro.reserved_to == ("Lycée professionnel Jean-Prouvé",)
    assert bacpro.formation == "Bac pro Métiers du commerce et de la vente"
    assert [v.visited_on for v in detail.last_visits] == [date(2026, 2, 12), date(2025, 10, 3)]
    assert detail.visits_total == 2 and detail.last_visits[0].next_action == "Envoyer la convention"


def test_partner_detail_of_missing_or_deleted_partner_is_none(pole_store, world):
    with pole_store.session() as session:
        assert partners.partner_detail(session, world.deleted_partner) is None
        assert partners.partner_detail(session, 999_999) is None


# Establishments

def test_establishment_rows_count_formations_and_pupils_of_the_year(pole_store, world):
    with pole_store.session() as session:
        rows = establishments.search_establishments(session, school_year=YEAR)
    by_name = {r.name: r for r in rows}
    lp = by_name["Lycée professionnel Jean-Prouvé"]
    assert (lp.formations, lp.pupils) == (2, 36)              # last year's 30 pupils are not counted
    assert (by_name["Collège Louis-Armand"].formations, by_name["Collège Louis-Armand"].pupils) == (0, 0)
    assert lp.priority_education is PriorityEducation.REP


@pytest.mark.parametrize(("query", "expected"), [
    ("epinal", ["Collège Louis-Armand"]), ("lycee prouve", ["Lycée professionnel Jean-Prouvé"]),
    ("0880010", ["Collège Louis-Armand"]), ("nancy college", []),
])
def test_establishment_search(pole_store, world, query, expected):
    with pole_store.session() as session:
        assert [r.name for r in establishments.search_establishments(session, query)] == expected


def test_establishment_detail(pole_store, world):
    with pole_store.session() as session:
        detail = establishments.establishment_detail(session, world.lp, school_year=YEAR)
        assert establishments.count_establishments(session) == 2
    assert [(f.label, f.pupils) for f in detail.formations] == [
        ("Bac pro Métiers du commerce et de la vente", 24), ("CAP Cuisine", 12)]
    assert detail.pupils == 36
    assert detail.open_escalations == 4 and detail.escalations_in_year == 5
    assert detail.referent_role == "DDFPT"


# Escalations

def test_escalations_are_sorted_by_urgency_with_their_category(pole_store, world):
    with pole_store.session() as session:
        rows = escalations.list_escalations(session, today=TODAY)
    assert [r.urgency for r in rows] == ["overdue", "under_15", "under_30", "later", "closed"]
    assert [r.urgency_text for r in rows] == ["Dépassée de 3 j", "J-10", "J-20", "J-60", ""]
    assert rows[0].pupil == "Léa M."                    # lists show the initial only
    assert rows[0].establishment == "Lycée professionnel Jean-Prouvé"


def test_open_only_hides_closed_escalations(pole_store, world):
    with pole_store.session() as session:
        rows = escalations.list_escalations(session, open_only=True, today=TODAY)
    assert "closed" not in {r.urgency for r in rows} and len(rows) == 4


@pytest.mark.parametrize(("query", "expected"), [
    ("zerouki", ["under_30"]), ("lea", ["overdue"]), ("proposition", ["under_30"]), ("jean-prouve noe", ["under_15"]),
])
def test_escalation_search_folds_accents(pole_store, world, query, expected):
    with pole_store.session() as session:
        rows = escalations.list_escalations(session, query, today=TODAY)
    assert [r.id for r in rows] == [world.escalations[name] for name in expected]


def test_urgency_boundaries():
    assert escalations.urgency_of(EscalationStatus.SEARCHING, -1) == "overdue"
    assert escalations.urgency_of(EscalationStatus.SEARCHING, 0) == "under_15"
    assert escalations.urgency_of(EscalationStatus.SEARCHING, 15) == "under_30"
    assert escalations.urgency_of(EscalationStatus.SEARCHING, 30) == "later"
    assert escalations.urgency_of(EscalationStatus.WITHDRAWN, -10) == "closed"
    assert escalations.urgency_text("under_15", 0) == "Aujourd'hui"
    assert escalations.pupil_initials("", "") == "Élève anonymisé"


def test_escalation_detail_has_pupil_proposals_and_log(pole_store, world):
    with pole_store.session() as session:
        detail = escalations.escalation_detail(session, world.escalations["under_30"], today=TODAY)
    assert (detail.pupil.first_name, detail.pupil.last_name) == ("Inès", "Zérouki")
    assert detail.pupil.age_at_start == 16
    assert [(p.partner, p.answer) for p in detail.proposals] == [("Boulangerie Lefèvre", ProposalAnswer.REFUSED)]
    assert [e.to_status for e in detail.events] == [EscalationStatus.RECEIVED, EscalationStatus.PROPOSED]
    assert detail.days_left == 20 and detail.urgency == "under_30"


@pytest.mark.parametrize("lister", [
    lambda s: escalations.list_escalations(s, "lycee", today=TODAY),
    lambda s: trainings.list_sessions(s, "tuteur", today=TODAY),
    lambda s: establishments.search_establishments(s, "nancy"),
])
def test_other_lists_are_one_statement(pole_store, world, lister):
    with pole_store.session() as session, counted_statements(pole_store) as seen:
        assert lister(session)
    assert len(seen) == 1


# Training sessions

def test_sessions_upcoming_first_then_past_with_counts(pole_store, world):
    with pole_store.session() as session:
        rows = trainings.list_sessions(session, today=TODAY)
        assert trainings.count_sessions(session) == 3
    assert [r.id for r in rows] == [world.sessions[k] for k in ("soon", "later", "past")]
    soon, _, past = rows
    assert (soon.registered, soon.waitlisted, soon.invited, soon.attended, soon.capacity) == (1, 1, 1, 0, 12)
    assert (past.registered, past.attended, past.upcoming) == (2, 2, False)


def test_session_search_and_detail(pole_store, world):
    with pole_store.session() as session:
        found = trainings.list_sessions(session, "cci epinal", today=TODAY)
        detail = trainings.session_detail(session, world.sessions["soon"])
    assert [r.id for r in found] == [world.sessions["soon"]]
    assert [r.contact for r in detail.registrations] == ["Marie Lefèvre", "Léon Roy", "Paul Adam", "Zoé Vidal"]
    assert detail.registrations[-1].cancelled_on == date(2026, 2, 10)     # cancelled ones come last
    assert detail.registered == 1


def test_list_services_read_the_demo_store(store):
    with store.session() as session:
        assert len(partners.search_partners(session)) == partners.count_partners(session) > 0
        assert len(establishments.search_establishments(session)) == establishments.count_establishments(session)
        assert len(trainings.list_sessions(session)) == trainings.count_sessions(session)
        live = session.scalar(select(func.count()).select_from(Escalation).where(Escalation.deleted_at.is_(None)))
        assert len(escalations.list_escalations(session)) == live
        first = partners.search_partners(session, limit=1)[0]
        assert partners.partner_detail(session, first.id).name == first.name
