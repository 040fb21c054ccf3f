"""The coordinator's calendar: every pole, or one through the pole filter, and the weeks where neighbouring poles'
periods compete for one sector's places."""

from __future__ import annotations

from datetime import date

import pytest

from poledesk.data import identity
from poledesk.data.enums import Audience, EstablishmentKind, PartnerStatus
from poledesk.data.models import Establishment, Formation, HostingOffer, Partner, PlanningPeriod, Pole
from poledesk.ui.forms import select_data
from poledesk.ui.planning_tab import PlanningTab
from poledesk.ui.workers import TaskRunner


@pytest.fixture
def academie(empty_store):
    """Two poles; retail offers 2 places all year; NM-07 sends 3 pupils and NM-08 2 pupils out 16-20/11/2026, and
    NM-08 alone 4 pupils in March (over, but no competition)."""
    with empty_store.transaction() as session:
        identity.init_coordinator(session, "Nancy-Metz")
        commerce = Formation(code="BP-MCV", label="Bac pro commerce", audience=Audience.PFMP_BACPRO)
        session.add_all([commerce, Pole(code="NM-07", name="Pôle de Nancy", owner="NM-07"),
                         Pole(code="NM-08", name="Pôle de Metz", owner="NM-08")])
        nancy = Establishment(uai="0540042C", name="LP Jean-Prouvé", kind=EstablishmentKind.LP, postcode="54000",
                              owner="NM-07")
        metz = Establishment(uai="0570001A", name="LP de Metz", kind=EstablishmentKind.LP, postcode="57000",
                             owner="NM-08")
        shop = Partner(name="Supermarché du Port", naf_code="47.11D", status=PartnerStatus.ACTIVE, owner="NM-07")
        session.add_all([nancy, metz, shop])
        session.flush()
        session.add(HostingOffer(partner_id=shop.id, audience=Audience.PFMP_BACPRO, places=2, months="",
                                 owner="NM-07"))
        for school, owner, start, pupils in ((nancy, "NM-07", date(2026, 11, 16), 3),
                                             (metz, "NM-08", date(2026, 11, 16), 2),
                                             (metz, "NM-08", date(2027, 3, 8), 4)):
            session.add(PlanningPeriod(establishment_id=school.id, formation_id=commerce.id, owner=owner,
                                       audience=Audience.PFMP_BACPRO, start_date=start,
                                       end_date=start.replace(day=start.day + 4), pupils=pupils))
    return empty_store


def test_every_pole_then_one_and_the_competing_weeks(qtbot, academie):
    runner = TaskRunner()
    tab = PlanningTab(academie, runner=runner, coordinator=True)
    qtbot.addWidget(tab)
    select_data(tab.year_combo, "2026-2027")
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.show()
    assert tab.pole_combo.isVisible() and not tab.propose_button.isVisible()
    assert [tab.pole_combo.itemText(i) for i in range(tab.pole_combo.count())] == [
        "Tous les pôles", "Pôle de Metz (NM-08)", "Pôle de Nancy (NM-07)"]
    assert sum(p.pupils for p in tab.base.facts.periods) == 9
    assert tab.summary_label.text() == "2 cases en tension sur 2 semaines"
    assert [tab.competition_list.item(i).text() for i in range(tab.competition_list.count())] == [
        "Semaine du 16/11/2026 – Commerce ; réparation d'automobiles et de motocycles : 5/2, pôles NM-07, NM-08"]
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        select_data(tab.pole_combo, "NM-08")
    assert {p.owner for p in tab.base.facts.periods} == {"NM-08"}
    assert tab.competition_list.item(0).text().startswith("Aucune semaine")
    assert tab.pole_combo.currentData() == "NM-08"                # kept when the list of poles is filled again
    runner.wait(5000)
