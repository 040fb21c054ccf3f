"""The escalation form follows its context: the school's kind sets the audience, its planned period the dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from poledesk.data.enums import Audience, EstablishmentKind
from poledesk.data.escalations import listing as escalations
from poledesk.data.models import Escalation, Establishment, Formation
from poledesk.data.planning import periods
from poledesk.ui.dialogs.escalation_dialog import EscalationDialog
from poledesk.ui.escalations_tab import _needs
from poledesk.ui.forms import enum_data, select_data


def monday_after(days: int) -> date:
    day = date.today() + timedelta(days=days)
    return day + timedelta(days=(7 - day.weekday()) % 7)


PLANNED_START = monday_after(60)
PLANNED_END = PLANNED_START + timedelta(days=25)


@pytest.fixture
def schools(pole_store):
    ids = {}
    with pole_store.transaction() as session:
        for key, kind, name in (("college", EstablishmentKind.COLLEGE, "Collège Jacques-Callot"),
                                ("lp", EstablishmentKind.LP, "Lycée professionnel Marie-Marvingt")):
            school = Establishment(uai="0540038Y", name=name, kind=kind, postcode="54000", commune="Nancy",
                                   owner="NM-07")
            session.add(school)
            session.flush()
            ids[key] = school.id
        mcv = Formation(code="BP-MCVA", label="Bac pro Métiers du commerce et de la vente",
                        audience=Audience.PFMP_BACPRO, pfmp_weeks=22)
        session.add(mcv)
        session.flush()
        ids["mcv"] = mcv.id
        periods.save_period(session, periods.PeriodForm(ids["lp"], Audience.PFMP_BACPRO, PLANNED_START,
                                                        PLANNED_END, 24, formation_id=mcv.id, division="1re MCV A"))
    return pole_store, ids


@pytest.fixture
def dialog(qtbot, schools):
    store, _ids = schools
    shown = EscalationDialog(store)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def choose_school(dialog: EscalationDialog, establishment_id: int) -> None:
    """As a user picks it in the list: the combo's `activated`, which a programmatic change does not send."""
    select_data(dialog.establishment_combo, establishment_id)
    dialog.establishment_combo.activated.emit(dialog.establishment_combo.currentIndex())


def test_a_college_asks_for_the_observation_and_a_lycee_pro_for_its_planned_pfmp(dialog, schools):
    _store, ids = schools
    formation_of_period = ids["mcv"]
    assert dialog.period_note.text().startswith("Aucune période prévue")
    choose_school(dialog, ids["college"])
    assert enum_data(dialog.audience_combo, Audience) is Audience.OBSERVATION_4E_3E
    assert dialog.wished_combo.isVisibleTo(dialog)                 # an observation: the pupil's wish counts
    start, end = dialog.start_edit.value(), dialog.end_edit.value()
    assert start is not None and end is not None and (end - start).days == 4
    choose_school(dialog, ids["lp"])
    assert enum_data(dialog.audience_combo, Audience) is Audience.PFMP_BACPRO
    assert not dialog.wished_combo.isVisibleTo(dialog)
    assert (dialog.start_edit.value(), dialog.end_edit.value()) == (PLANNED_START, PLANNED_END)
    assert dialog.period_note.text().startswith("Période prévue par l'établissement")
    assert dialog.formation_combo.currentData() == formation_of_period


def test_dates_typed_by_the_user_are_never_moved_again(dialog, schools, qtbot):
    _store, ids = schools
    dialog.start_edit.line_edit.selectAll()
    qtbot.keyClicks(dialog.start_edit.line_edit, "01/06/2027")
    choose_school(dialog, ids["lp"])
    assert dialog.start_edit.value() == date(2027, 6, 1) and dialog.period_note.text() == ""


def test_the_wished_sector_is_saved_with_the_escalation(dialog, schools, qtbot):
    store, ids = schools
    choose_school(dialog, ids["college"])
    dialog.first_name_edit.setText("Lou")
    dialog.last_name_edit.setText("Petitjean")
    dialog.birth_edit.set_value(date.today() - timedelta(days=14 * 365 + 30))
    dialog.representative_name_edit.setText("Anne Petitjean")
    select_data(dialog.wished_combo, "Q")
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    with store.session() as session:
        escalation = session.scalars(select(Escalation)).one()
        assert escalation.wished_sectors == "Q" and escalation.audience is Audience.OBSERVATION_4E_3E
        detail = escalations.escalation_detail(session, escalation.id)
    assert detail is not None and detail.wished_sectors == ("Q",)
    needs = dict(_needs(detail).fields)
    assert needs["Secteur souhaité"] == "Santé humaine et action sociale"
