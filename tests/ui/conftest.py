"""UI fixtures: a small pole store with known records, and the stores the tab tests run on."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from poledesk.data.enums import (
    Audience,
    EscalationStatus,
    EstablishmentKind,
    PartnerStatus,
    PriorityEducation,
    TrainingStatus,
    VisitKind,
)
from poledesk.data.models import (
    Contact,
    Escalation,
    Establishment,
    EstablishmentFormation,
    Formation,
    HostingOffer,
    Partner,
    Pupil,
    Registration,
    TrainingSession,
    Visit,
)
from poledesk.data.text import school_year_of

PARTNERS = (  # name, commune, postcode, siret, tags
    ("Boulangerie Lefèvre", "Épinal", "88000", "73282932000074", "alimentaire"),
    ("Pharmacie de la Gare", "Épinal", "88000", None, "santé"),
    ("Garage de l'Église", "Nancy", "54000", "55208131766522", "automobile"),
    ("Mairie de Nancy", "Nancy", "54000", None, "administration"),
    ("Hôtel des Vosges", "Gérardmer", "88400", None, "hôtellerie;restauration"),
)
# escalations: days before the period starts, status
ESCALATIONS = ((-3, EscalationStatus.SEARCHING), (10, EscalationStatus.RECEIVED), (20, EscalationStatus.PROPOSED),
               (60, EscalationStatus.RECEIVED), (5, EscalationStatus.PLACED))


def _fill(session) -> None:
    today = date.today()
    commerce = Formation(code="40031213", label="Bac pro Métiers du commerce et de la vente",
                         audience=Audience.PFMP_BACPRO, pfmp_weeks=22)
    lp = Establishment(uai="0540042C", name="Lycée professionnel Jean-Prouvé", kind=EstablishmentKind.LP,
                       postcode="54000", commune="Nancy", priority_education=PriorityEducation.REP)
    college = Establishment(uai="0880010X", name="Collège Louis-Armand", kind=EstablishmentKind.COLLEGE,
                            postcode="88000", commune="Épinal")
    session.add_all([commerce, lp, college])
    session.flush()
    session.add(EstablishmentFormation(establishment_id=lp.id, formation_id=commerce.id,
                                       school_year=school_year_of(today), pupils=24))
    partners = [Partner(name=n, commune=c, postcode=p, siret=s, tags=t, status=PartnerStatus.ACTIVE)
                for n, c, p, s, t in PARTNERS]
    session.add_all(partners)
    session.flush()
    tutor = Contact(partner_id=partners[0].id, first_name="Marie", last_name="Lefèvre", role="Gérante",
                    is_tutor=True)
    session.add_all([
        tutor,
        HostingOffer(partner_id=partners[0].id, audience=Audience.PFMP_BACPRO, formation_id=commerce.id, places=3),
        Visit(partner_id=partners[0].id, visited_on=today - timedelta(days=40), kind=VisitKind.VISIT,
              summary="Visite de l'atelier"),
    ])
    for number, (days, status) in enumerate(ESCALATIONS):
        start = today + timedelta(days=days)
        pupil = Pupil(establishment_id=lp.id, first_name=f"Élève{number}", last_name="Zérouki",
                      birth_date=date(today.year - 16, 1, 15))
        session.add(Escalation(establishment_id=lp.id, pupil=pupil, received_on=today - timedelta(days=20),
                               audience=Audience.PFMP_BACPRO, formation_id=commerce.id, period_start=start,
                               period_end=start + timedelta(days=27), status=status))
    soon = TrainingSession(title="Accueillir un stagiaire mineur", theme="Réglementation", place="CCI d'Épinal",
                           session_date=today + timedelta(days=7), start_time=time(9), end_time=time(12))
    past = TrainingSession(title="Le rôle du tuteur", theme="Tutorat", place="Nancy",
                           session_date=today - timedelta(days=30), start_time=time(14), end_time=time(17),
                           status=TrainingStatus.HELD)
    session.add_all([soon, past])
    session.flush()
    session.add(Registration(session_id=past.id, contact_id=tutor.id, attended=True,
                             attestation_issued_on=today - timedelta(days=29)))
    session.add(Registration(session_id=soon.id, contact_id=tutor.id, registered_on=today,
                             invited_on=today - timedelta(days=3)))


@pytest.fixture
def small_store(pole_store):
    """The NM-07 pole with five partners (two in Épinal), two schools, five escalations, two sessions."""
    with pole_store.transaction() as session:
        _fill(session)
    return pole_store


@pytest.fixture(params=["small", "demo"])
def tab_store(request):
    """The tab tests run on the small store, whose records are known, and on a copy of the demo store."""
    return request.getfixturevalue("small_store" if request.param == "small" else "store")


@pytest.fixture
def open_window(qtbot):
    """open_window(store): the main window on `store`, shown; its background work waited for at the end."""
    from poledesk.ui.main_window import MainWindow

    windows: list[MainWindow] = []

    def open_(store) -> MainWindow:
        window = MainWindow(store)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield open_
    for window in windows:
        window.runner.wait(10_000)
        window.reader.wait(10_000)
