"""The Planification tab driven for real: the grid's cells and colours, the drill-down, the what-if then its save or
its cancel, a refused move, and the export; on a small bassin whose figures are counted by hand, and on the demo."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from poledesk.data.enums import Audience, EstablishmentKind, PartnerStatus
from poledesk.data.models import Establishment, Formation, HostingOffer, Partner
from poledesk.data.planning import periods
from poledesk.data.planning.calendar import BUSY, OVER
from poledesk.ui.forms import select_data
from poledesk.ui.main_window import MainWindow
from poledesk.ui.planning_grid import LEVEL_COLOURS, CalendarTableModel
from poledesk.ui.planning_tab import PlanningTab
from poledesk.ui.workers import TaskRunner

YEAR = "2026-2027"
NOV_16, NOV_23, NOV_30 = date(2026, 11, 16), date(2026, 11, 23), date(2026, 11, 30)


@pytest.fixture
def bassin(pole_store):
    """One LP, bac pro commerce: 3 places in November at a shop, 2 all year at a bakery; 5 pupils out 16-27/11."""
    with pole_store.transaction() as session:
        commerce = Formation(code="BP-MCV", label="Bac pro Métiers du commerce et de la vente",
                             audience=Audience.PFMP_BACPRO, pfmp_weeks=22)
        lp = Establishment(uai="0540042C", name="LP Jean-Prouvé", kind=EstablishmentKind.LP, postcode="54000")
        shop = Partner(name="Supermarché du Port", naf_code="47.11D", status=PartnerStatus.ACTIVE, postcode="54000")
        bakery = Partner(name="Boulangerie Lefèvre", naf_code="47.24Z", status=PartnerStatus.ACTIVE)
        session.add_all([commerce, lp, shop, bakery])
        session.flush()
        session.add_all([
            HostingOffer(partner_id=shop.id, audience=Audience.PFMP_BACPRO, formation_id=commerce.id, places=3,
                         months="11"),
            HostingOffer(partner_id=bakery.id, audience=Audience.PFMP_BACPRO, places=2, months=""),
        ])
        session.flush()
        period_id = periods.save_period(session, periods.PeriodForm(
            lp.id, None, NOV_16, date(2026, 11, 27), 5, formation_id=commerce.id, division="1MCV A"))
    return pole_store, period_id


@pytest.fixture
def tab(qtbot, bassin):
    store, _period = bassin
    runner = TaskRunner()
    widget = PlanningTab(store, runner=runner)
    qtbot.addWidget(widget)
    select_data(widget.year_combo, YEAR)
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.resize(1280, 700)
        widget.show()
    yield widget
    runner.wait(5000)


def cell_index(tab: PlanningTab, row_label: str, monday: date):
    calendar = tab.calendar
    row = next(i for i, r in enumerate(calendar.rows) if r.label == row_label)
    column = next(i for i, w in enumerate(calendar.weeks) if w.monday == monday)
    return tab.model.index(row, column)


def click(qtbot, tab: PlanningTab, index) -> None:
    tab.grid.scrollTo(index)
    qtbot.mouseClick(tab.grid.viewport(), Qt.MouseButton.LeftButton, pos=tab.grid.visualRect(index).center())


def test_the_grid_shows_demand_over_capacity_coloured_by_level(tab):
    bac_pro = Audience.PFMP_BACPRO.label
    assert [tab.model.headerData(r, Qt.Orientation.Vertical) for r in range(tab.model.rowCount())] == [bac_pro]
    november = cell_index(tab, bac_pro, NOV_16)
    assert november.data() == "5/5"                          # 3 November places + 2 all-year places
    assert november.data(CalendarTableModel.LevelRole) == BUSY
    assert november.data(Qt.ItemDataRole.BackgroundRole).color().name() == LEVEL_COLOURS[BUSY].lower()
    assert "5 élèves dehors, 5 places offertes (100 % des places)" in november.data(Qt.ItemDataRole.ToolTipRole)
    assert cell_index(tab, bac_pro, NOV_30).data() == ""     # nobody out
    assert tab.summary_label.text().startswith("0 case en tension")
    assert "toute l'année" in tab.legend_label.text()
    toussaint = next(i for i, w in enumerate(tab.calendar.weeks) if w.monday == date(2026, 10, 19))
    assert "Toussaint" in tab.model.headerData(toussaint, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    tab.grouping_combo.setCurrentIndex(tab.grouping_combo.findData("formation"))
    labels = [tab.model.headerData(r, Qt.Orientation.Vertical) for r in range(tab.model.rowCount())]
    assert labels == ["Bac pro Métiers du commerce et de la vente"]


def test_a_click_on_a_cell_lists_its_periods_and_offers(qtbot, tab):
    click(qtbot, tab, cell_index(tab, Audience.PFMP_BACPRO.label, NOV_23))
    assert "semaine du 23/11/2026 : 5 élèves dehors pour 5 places" in tab.detail_label.text()
    assert [tab.periods_list.item(i).text() for i in range(tab.periods_list.count())] == [
        "LP Jean-Prouvé – 1MCV A (Bac pro Métiers du commerce et de la vente) : 5 élèves, du 16/11/2026 au "
        "27/11/2026"]
    assert [tab.offers_list.item(i).text() for i in range(tab.offers_list.count())] == [
        "Supermarché du Port – 3 places, nov.", "Boulangerie Lefèvre – 2 places, toute l'année"]


def select_first_period(qtbot, tab: PlanningTab) -> None:
    click(qtbot, tab, cell_index(tab, Audience.PFMP_BACPRO.label, NOV_23))
    tab.periods_list.setCurrentRow(0)
    assert tab.shift_spin.isEnabled() and not tab.save_move_button.isEnabled()


def stored_dates(store, period_id: int) -> tuple[date, date]:
    with store.session() as session:
        row = next(p for p in periods.list_periods(session) if p.id == period_id)
    return row.start_date, row.end_date


def test_a_what_if_move_shows_the_new_tension_and_cancel_brings_it_back(qtbot, tab, bassin):
    store, period_id = bassin
    select_first_period(qtbot, tab)
    tab.shift_spin.setValue(1)                               # 23/11 - 04/12: its second week is in December
    bac_pro = Audience.PFMP_BACPRO.label
    assert tab.start_field.value() == NOV_23 and tab.end_field.value() == date(2026, 12, 4)
    assert cell_index(tab, bac_pro, NOV_16).data() == ""
    december = cell_index(tab, bac_pro, NOV_30)
    assert december.data() == "5/2"                          # only the all-year places in December
    assert december.data(CalendarTableModel.LevelRole) == OVER
    assert tab.summary_label.text() == "Simulation : 1 case en tension sur 1 semaine (avant le déplacement : 0)"
    assert tab.save_move_button.isEnabled()
    assert stored_dates(store, period_id) == (NOV_16, date(2026, 11, 27))   # nothing written yet
    qtbot.mouseClick(tab.cancel_move_button, Qt.MouseButton.LeftButton)
    assert cell_index(tab, bac_pro, NOV_16).data() == "5/5"
    assert tab.summary_label.text().startswith("0 case ")
    assert tab.shift_spin.value() == 0 and not tab.save_move_button.isEnabled()


def test_dragging_a_cell_to_another_week_moves_its_period_in_the_simulation(qtbot, tab, bassin):
    store, period_id = bassin
    bac_pro = Audience.PFMP_BACPRO.label
    source, target = cell_index(tab, bac_pro, NOV_16), cell_index(tab, bac_pro, NOV_30)
    viewport = tab.grid.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=tab.grid.visualRect(source).center())
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=tab.grid.visualRect(target).center())
    assert tab.selected_period.id == period_id and tab.shift_spin.value() == 2
    assert tab.start_field.value() == NOV_30 and tab.end_field.value() == date(2026, 12, 11)
    assert cell_index(tab, bac_pro, NOV_16).data() == ""
    assert cell_index(tab, bac_pro, date(2026, 12, 7)).data() == "5/2"
    assert "semaine du 30/11/2026" in tab.detail_label.text()
    assert stored_dates(store, period_id) == (NOV_16, date(2026, 11, 27))   # a simulation only


def test_a_saved_move_is_written_and_the_grid_reloads(qtbot, tab, bassin):
    store, period_id = bassin
    select_first_period(qtbot, tab)
    tab.start_field.set_value(date(2026, 11, 9))             # edited dates, not a shift
    tab.end_field.set_value(date(2026, 11, 20))
    assert cell_index(tab, Audience.PFMP_BACPRO.label, date(2026, 11, 9)).data() == "5/5"
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        qtbot.mouseClick(tab.save_move_button, Qt.MouseButton.LeftButton)
    assert stored_dates(store, period_id) == (date(2026, 11, 9), date(2026, 11, 20))
    assert not tab.moves and not tab.summary_label.text().startswith("Simulation")
    assert cell_index(tab, Audience.PFMP_BACPRO.label, NOV_23).data() == ""


def test_a_move_out_of_the_school_year_is_refused_and_nothing_is_written(qtbot, tab, bassin):
    store, period_id = bassin
    select_first_period(qtbot, tab)
    tab.move_to(date(2027, 8, 23), date(2027, 9, 3))
    qtbot.mouseClick(tab.save_move_button, Qt.MouseButton.LeftButton)
    assert "année scolaire" in tab.move_error.text() and "Rien n'a été enregistré" in tab.move_error.text()
    assert tab.moves and stored_dates(store, period_id) == (NOV_16, date(2026, 11, 27))


def test_unreadable_dates_are_explained_and_the_simulation_is_kept(qtbot, tab):
    select_first_period(qtbot, tab)
    tab.shift_spin.setValue(1)
    tab.end_field.line_edit.setText("01/11/2026")           # before the start
    assert tab.move_error.text() == "Indiquez deux dates lisibles, la fin après le début."
    assert tab.moves                                         # the last good simulation stays shown


def test_the_tab_exports_what_it_shows(qtbot, tab, tmp_path):
    select_first_period(qtbot, tab)
    tab.shift_spin.setValue(1)
    workbook = tab.export_to(tmp_path / "calendrier.xlsx")
    sheet = openpyxl.load_workbook(workbook)["Calendrier"]
    assert "simulation" in sheet["A1"].value
    pdf = tab.export_to(tmp_path / "calendrier.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Semaines en tension (1)" in text and "5 élèves pour 2 places" in text


def test_the_window_has_the_tab_after_etablissements_and_the_demo_shows_november_tension(qtbot, store):
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    tab = window.planning_tab
    assert window.tabs.indexOf(tab) == window.tabs.indexOf(window.establishments_tab) + 1
    select_data(tab.year_combo, YEAR)
    with qtbot.waitSignal(tab.loaded, timeout=20_000):
        window.tabs.setCurrentWidget(tab)
    tab.grouping_combo.setCurrentIndex(tab.grouping_combo.findData("formation"))
    november = [t for t in tab.calendar.tensions((OVER,)) if t.week.monday.month == 11]
    assert november and all("commerce" in t.row_label for t in november)
    window.runner.wait(5000)
