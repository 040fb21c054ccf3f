"""Periods entered on the establishment's page (add, a wrong one explained, edit, remove) and proposed from the
escalations and placements, shown before anything is saved."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from poledesk.data.enums import Audience, EscalationStatus, EstablishmentKind
from poledesk.data.models import Escalation, Establishment, Formation, Pupil
from poledesk.data.planning import periods
from poledesk.data.text import school_year_start
from poledesk.ui.establishments_tab import EstablishmentsTab
from poledesk.ui.forms import enum_data, select_data
from poledesk.ui.hub import ChangeHub
from poledesk.ui.planning_tab import PlanningTab
from poledesk.ui.workers import TaskRunner

SPRING = school_year_start(date.today()).year + 1   # the file shows this school year's periods


@pytest.fixture
def school(pole_store):
    """An LP with bac pro commerce, and two escalations of January (one pupil each), no period planned."""
    with pole_store.transaction() as session:
        commerce = Formation(code="BP-MCV", label="Bac pro commerce", audience=Audience.PFMP_BACPRO)
        lp = Establishment(uai="0540042C", name="LP Jean-Prouvé", kind=EstablishmentKind.LP, postcode="54000",
                           commune="Nancy")
        session.add_all([commerce, lp])
        session.flush()
        for first_name in ("Inès", "Hugo"):
            session.add(Escalation(establishment_id=lp.id, received_on=date(2026, 11, 2),
                                   pupil=Pupil(establishment_id=lp.id, first_name=first_name, last_name="Zérouki",
                                               birth_date=date(2010, 3, 1)),
                                   audience=Audience.PFMP_BACPRO, formation_id=commerce.id,
                                   period_start=date(2027, 1, 11), period_end=date(2027, 1, 22),
                                   status=EscalationStatus.SEARCHING))
        return pole_store, lp.id, commerce.id


def stored(store, establishment_id: int) -> list[tuple]:
    with store.session() as session:
        return [(p.division, p.start_date, p.end_date, p.pupils, p.source)
                for p in periods.list_periods(session, establishment_id=establishment_id)]


def test_a_period_is_added_edited_and_removed_from_the_establishments_page(qtbot, school):
    store, lp, commerce = school
    tab = EstablishmentsTab(store, hub=ChangeHub())
    qtbot.addWidget(tab)
    tab.show()
    tab.table.selectRow(0)
    assert "Aucune période planifiée" in tab.detail.text()
    qtbot.mouseClick(tab.periods_button, Qt.MouseButton.LeftButton)
    periods_dialog = tab.periods_dialog
    assert periods_dialog.count_label.text() == "Aucune période planifiée."
    qtbot.mouseClick(periods_dialog.add_button, Qt.MouseButton.LeftButton)
    form = periods_dialog.dialog
    select_data(form.formation_combo, commerce)
    assert enum_data(form.audience_combo, Audience) is Audience.PFMP_BACPRO   # the formation's audience follows
    form.division_edit.setText("1re MCV A")
    form.start_edit.set_value(date(SPRING, 3, 8))
    form.end_edit.set_value(date(SPRING, 4, 2))
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)        # 0 pupils
    assert form.isVisible() and form.errors.text("pupils") == "Le nombre d'élèves doit être d'au moins 1."
    assert stored(store, lp) == []
    form.pupils_spin.setValue(24)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    assert stored(store, lp) == [("1re MCV A", date(SPRING, 3, 8), date(SPRING, 4, 2), 24, "entered")]
    assert periods_dialog.count_label.text() == "1 période planifiée"
    assert f"08/03/{SPRING} – 02/04/{SPRING}" in tab.detail.text() and "1re MCV A – Bac pro commerce : 24 élèves" in (
        tab.detail.text())
    periods_dialog.table.selectRow(0)
    qtbot.mouseClick(periods_dialog.edit_button, Qt.MouseButton.LeftButton)
    edit = periods_dialog.dialog
    assert edit.division_edit.text() == "1re MCV A" and edit.pupils_spin.value() == 24
    edit.end_edit.set_value(date(SPRING, 3, 1))                              # before the start
    qtbot.mouseClick(edit.save_button, Qt.MouseButton.LeftButton)
    assert "précède le début" in edit.errors.text("end_date")
    edit.end_edit.set_value(date(SPRING, 3, 26))
    qtbot.mouseClick(edit.save_button, Qt.MouseButton.LeftButton)
    assert stored(store, lp) == [("1re MCV A", date(SPRING, 3, 8), date(SPRING, 3, 26), 24, "entered")]
    periods_dialog.table.selectRow(0)
    qtbot.mouseClick(periods_dialog.remove_button, Qt.MouseButton.LeftButton)
    box = periods_dialog.message_box
    assert f"Supprimer la période du 08/03/{SPRING} au 26/03/{SPRING} (1re MCV A) ?" == box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert stored(store, lp) == []
    assert periods_dialog.count_label.text() == "Aucune période planifiée."


def test_proposals_from_the_escalations_are_shown_then_saved_when_ticked(qtbot, school):
    store, lp, _commerce = school
    runner = TaskRunner()
    tab = PlanningTab(store, runner=runner, hub=ChangeHub())
    qtbot.addWidget(tab)
    select_data(tab.year_combo, "2026-2027")
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.show()
    qtbot.mouseClick(tab.propose_button, Qt.MouseButton.LeftButton)
    dialog = tab.proposals_dialog
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == [
        "du 11/01/2027 au 22/01/2027 – LP Jean-Prouvé (Nancy) – Bac pro commerce : 2 élèves"]
    assert stored(store, lp) == []                                         # shown, not saved yet
    qtbot.mouseClick(dialog.none_button, Qt.MouseButton.LeftButton)
    assert not dialog.save_button.isEnabled()
    dialog.list.item(0).setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert stored(store, lp) == [("", date(2027, 1, 11), date(2027, 1, 22), 2, "proposed")]
    assert sum(p.pupils for p in tab.base.facts.periods) == 2
    runner.wait(5000)


def test_a_period_added_on_the_establishments_page_reaches_the_planification_tab(qtbot, store):
    from poledesk.ui.main_window import MainWindow

    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    planning = window.planning_tab
    select_data(planning.year_combo, "2026-2027")
    with qtbot.waitSignal(planning.loaded, timeout=20_000):
        window.tabs.setCurrentWidget(planning)
    before = sum(p.pupils for p in planning.base.facts.periods)
    schools = window.establishments_tab
    window.tabs.setCurrentWidget(schools)
    schools.table.selectRow(0)
    schools.open_periods()
    schools.periods_dialog.open_period(None)
    form = schools.periods_dialog.dialog
    select_data(form.audience_combo, Audience.PFMP_BACPRO)
    form.start_edit.set_value(date(2027, 3, 8))
    form.end_edit.set_value(date(2027, 3, 19))
    form.pupils_spin.setValue(12)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    with qtbot.waitSignal(planning.loaded, timeout=20_000):
        window.tabs.setCurrentWidget(planning)     # the tab heard the change: it reads the calendar again
    assert sum(p.pupils for p in planning.base.facts.periods) == before + 12
    window.runner.wait(5000)
