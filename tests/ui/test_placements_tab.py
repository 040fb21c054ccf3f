"""The Stages tab through the real window: the list, the search, a placement made without an escalation, an edit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from poledesk.data.enums import Audience, ConventionStatus
from poledesk.data.models import Placement, Pupil
from poledesk.data.placements import form as placements
from poledesk.data.placements import listing as placement_list
from poledesk.data.text import plural
from poledesk.ui.dialogs.new_placement_dialog import NewPlacementDialog
from poledesk.ui.dialogs.placement_dialog import PlacementDialog
from poledesk.ui.forms import select_data
from poledesk.ui.main_window import MainWindow

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def window(qtbot, store):
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    win.tabs.setCurrentWidget(win.placements_tab)
    yield win
    win.runner.wait(5000)


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, LEFT)


def test_the_tab_lists_every_placement_current_and_coming_first_with_initials_only(window, store):
    tab = window.placements_tab
    assert window.tabs.tabText(window.tabs.indexOf(tab)) == "Stages"
    with store.session() as session:
        total = placement_list.count_placements(session)
    assert total == 300 + 200 and tab.proxy.rowCount() == total   # this school year and the one before
    assert tab.count_label.text() == plural(total, "stage", "stages")
    rows = tab.proxy.shown_rows()
    today = date.today()
    periods = [placement_list.period_of(r.start_date, r.end_date, today) for r in rows]
    ranks = [("current", "coming", "past").index(p) for p in periods]
    assert ranks == sorted(ranks)                                          # current, then coming, then past
    coming = [r.start_date for r in rows if placement_list.period_of(r.start_date, r.end_date, today) == "coming"]
    past = [r.start_date for r in rows if placement_list.period_of(r.start_date, r.end_date, today) == "past"]
    assert coming == sorted(coming) and past == sorted(past, reverse=True)   # soonest, then latest
    first = [tab.proxy.index(0, c).data() for c in range(tab.proxy.columnCount())]
    assert first[0] == rows[0].pupil and first[0].endswith(".")              # « Léa M. »
    assert first[3][2] == "/" and first[6] in {s.label for s in ConventionStatus}


def test_search_and_the_placement_file_with_its_findings(window, store, qtbot):
    tab = window.placements_tab
    target = next(r for r in tab.proxy.shown_rows()[5:] if r.partner.split()[0].isascii())   # keyClicks: ASCII
    qtbot.keyClicks(tab.search_edit, target.partner.split()[0].lower())
    qtbot.waitUntil(lambda: tab.proxy.rowCount() < 300 + 200)
    assert target.id in [r.id for r in tab.proxy.shown_rows()]
    assert tab.select_id(target.id)
    assert tab.detail.title_label.text().startswith("Stage de ")
    assert tab.detail.value("Stage", "Structure d'accueil") == target.partner
    assert "Contrôle de la convention" in tab.detail.text()


def test_a_new_placement_with_a_new_pupil_is_written_in_one_go(window, store, qtbot):
    tab = window.placements_tab
    with store.session() as session:
        pupils_before = session.scalar(select(func.count()).select_from(Pupil))
    click(qtbot, tab.new_button)
    chooser = tab.dialog
    assert isinstance(chooser, NewPlacementDialog)
    chooser.establishment_combo.setCurrentIndex(1)
    chooser.new_radio.setChecked(True)
    chooser.first_name_edit.setText("Léa")
    chooser.last_name_edit.setText("Bérard")
    chooser.birth_edit.line_edit.setText("12/03/1986")                                 # 40: refused at the field
    chooser.partner_list.setCurrentRow(0)
    select_data(chooser.audience_combo, Audience.PFMP_BACPRO)
    start = date(date.today().year + 1, 3, 1)
    chooser.start_edit.set_value(start)
    chooser.end_edit.set_value(start + timedelta(days=11))
    click(qtbot, chooser.next_button)
    assert chooser.isVisible() and "ans au début du stage" in chooser.errors.text("birth_date")
    chooser.birth_edit.line_edit.setText(f"12/03/{date.today().year - 15}")
    chooser.representative_name_edit.setText("Marc Bérard")
    partner = chooser.partner_list.item(0).text().split(" – ")[0]
    click(qtbot, chooser.next_button)
    qtbot.waitUntil(lambda: isinstance(tab.dialog, PlacementDialog) and tab.dialog.isVisible())
    form_dialog = tab.dialog
    assert "Léa Bérard" in form_dialog.header_label.text() and partner in form_dialog.header_label.text()
    form_dialog.referent_teacher_name_edit.setText("M. Étienne Roux")
    form_dialog.referent_teacher_email_edit.setText("pas un courriel")
    click(qtbot, form_dialog.save_button)                                    # refused: nothing written
    assert form_dialog.isVisible() and form_dialog.errors.text("referent_teacher_email")
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Pupil)) == pupils_before
    form_dialog.referent_teacher_email_edit.setText("etienne.roux@ac-nancy-metz.fr")
    with qtbot.waitSignal(form_dialog.saved) as saved:
        click(qtbot, form_dialog.save_button)
    assert tab.current_row().id == saved.args[0] and tab.current_row().pupil == "Léa B."
    assert tab.proxy.rowCount() == 300 + 200 + 1
    with store.session() as session:
        placement = session.get(Placement, saved.args[0])
        assert placement.pupil.first_name == "Léa" and placement.pupil.representative_name == "Marc Bérard"
        assert placement.escalation_id is None and placement.partner.name == partner
        assert placement.referent_teacher_email == "etienne.roux@ac-nancy-metz.fr"


def test_double_click_edits_a_placement_and_saves_it(window, store, qtbot):
    tab = window.placements_tab
    index = tab.proxy.index(2, 0)
    row = tab.proxy.row_at(2)
    centre = tab.table.visualRect(index).center()
    qtbot.mouseClick(tab.table.viewport(), LEFT, pos=centre)
    qtbot.mouseDClick(tab.table.viewport(), LEFT, pos=centre)
    qtbot.waitUntil(lambda: isinstance(tab.dialog, PlacementDialog) and tab.dialog.isVisible())
    dialog = tab.dialog
    assert dialog.placement_id == row.id and dialog.save_button.text() == "Enregistrer"
    with store.session() as session:
        before = placements.placement_form(session, row.id)
    assert dialog.form() == before                                           # shown as recorded
    dialog.meals_edit.setText("Repas pris sur place, offerts")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    with store.session() as session:
        assert placements.placement_form(session, row.id).meals == "Repas pris sur place, offerts"
    assert tab.current_row().id == row.id


def test_the_filters_narrow_the_list_as_the_store_says(window, store, qtbot):
    tab = window.placements_tab
    today = date.today()
    with store.session() as session:
        every = placement_list.list_placements(session, today=today)
    printed = {r.id for r in every if r.convention_status is ConventionStatus.PRINTED}
    assert 0 < len(printed) < len(every)
    select_data(tab.status_combo, ConventionStatus.PRINTED)
    qtbot.waitUntil(lambda: {r.id for r in tab.proxy.shown_rows()} == printed, timeout=3000)
    select_data(tab.period_combo, placement_list.COMING)
    coming_printed = {r.id for r in every if r.id in printed
                      and placement_list.period_of(r.start_date, r.end_date, today) == placement_list.COMING}
    qtbot.waitUntil(lambda: {r.id for r in tab.proxy.shown_rows()} == coming_printed, timeout=3000)
    tab.status_combo.setCurrentIndex(0)                                      # « Toutes les conventions »
    tab.period_combo.setCurrentIndex(0)
    school = every[0].establishment
    combo = tab.establishment_combo
    combo.setCurrentIndex(next(i for i in range(combo.count()) if combo.itemText(i).startswith(school)))
    select_data(tab.audience_combo, every[0].audience)
    expected = {r.id for r in every if r.establishment == school and r.audience is every[0].audience}
    qtbot.waitUntil(lambda: {r.id for r in tab.proxy.shown_rows()} == expected, timeout=3000)
    assert tab.count_label.text() == plural(len(expected), "stage", "stages")


def test_the_modifier_button_opens_the_selected_placement(window, qtbot):
    tab = window.placements_tab
    assert not tab.edit_button.isEnabled() and tab.edit_button.toolTip()
    tab.table.selectRow(0)
    click(qtbot, tab.edit_button)
    assert tab.dialog is not None and tab.dialog.isVisible()
    assert isinstance(tab.dialog, PlacementDialog)
    tab.dialog.reject()
    tab.table.selectAll()
    assert not tab.edit_button.isEnabled()                                   # one stage at a time
