"""The coordinator's Académie tab: poles side by side with the académie's totals, the map, shared partners."""

from __future__ import annotations

from openpyxl import load_workbook
from PySide6.QtCore import Qt

import indicator_fixture as fixture
from poledesk.ui.academy_tab import COLUMNS, AcademyTab
from poledesk.ui.workers import TaskRunner


def test_poles_side_by_side_the_map_and_the_shared_partners(qtbot, pole_store, tmp_path):
    with pole_store.transaction() as session:
        fixture.build(session)
        fixture.add_second_pole(session)
    runner = TaskRunner()
    tab = AcademyTab(pole_store, runner=runner, today=fixture.TODAY)
    qtbot.addWidget(tab)
    tab.resize(1280, 700)
    tab.show()
    qtbot.waitUntil(lambda: tab.view is not None, timeout=10_000)
    assert tab.school_year == fixture.YEAR
    table = tab.poles_table
    assert [table.item(r, 0).text() for r in range(3)] == ["NM-07", "NM-08", "Académie"]
    places = COLUMNS.index("places") + 1
    assert [table.item(r, places).text() for r in range(3)] == ["35", "6", "41"]
    ratio = COLUMNS.index("places_ratio") + 1
    assert table.item(2, ratio).text() == "0,20"                    # 41 places over 200 pupils, not a mean
    assert table.horizontalHeaderItem(ratio).toolTip().startswith("Places des offres d'accueil")
    area = tab.map_table
    assert area.item(2, 0).text() == "Académie" and area.item(2, 3).text() == "200"
    assert tab.shared_table.rowCount() == 1
    assert tab.shared_table.item(0, 0).text() == "Boulangerie Un" and tab.shared_table.item(0, 2).text() == "NM-07, NM-08"
    written = tab.save_report(tmp_path / "academie.xlsx")
    assert load_workbook(written)["Carte de l'académie"].cell(5, 1).value == "Académie"
    tab.grab().save(str(tmp_path / "academie.png"))
    runner.wait(5000)


def test_a_figure_of_the_academie_opens_its_records_in_their_tab(qtbot, pole_store):
    from poledesk.ui.main_window import MainWindow

    with pole_store.transaction() as session:
        fixture.build(session)
        fixture.add_second_pole(session)
    window = MainWindow(pole_store)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    tab = AcademyTab(pole_store, runner=window.runner, today=fixture.TODAY)
    tab.records_requested.connect(window.show_records)   # as the coordinator's window wires it
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: tab.view is not None, timeout=10_000)
    report = tab.view.report

    def click(table, row: int, column: int) -> None:
        rect = table.visualItemRect(table.item(row, column))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    received = COLUMNS.index("escalations_received") + 1
    click(tab.poles_table, 1, received)                    # NM-08's escalations
    expected = set(report.poles[1].report.get("escalations_received").current.record_ids)
    assert window.tabs.currentWidget() is window.escalations_tab
    assert {row.id for row in window.escalations_tab.model.rows} == expected
    assert window.escalations_tab.filter_chip.text_label.text().startswith("Filtre : Sollicitations reçues – NM-08")
    click(tab.poles_table, 2, COLUMNS.index("partners_active") + 1)    # the académie's row
    assert window.tabs.currentWidget() is window.partners_tab
    assert {row.id for row in window.partners_tab.model.rows} == set(
        report.academy.get("partners_active").current.record_ids)
    click(tab.map_table, 0, 2)                              # NM-07's establishments on the map
    assert window.tabs.currentWidget() is window.establishments_tab
    pole = report.poles[0].report
    schools = set(pole.get("pupils").current.record_ids) | set(pole.get("schools_without_counts").current.record_ids)
    assert {row.id for row in window.establishments_tab.model.rows} == schools
    assert window.establishments_tab.model.rowCount() == int(tab.map_table.item(0, 2).text())
    click(tab.shared_table, 0, 0)
    assert window.tabs.currentWidget() is window.partners_tab
    assert {row.id for row in window.partners_tab.model.rows} == set(tab.view.shared[0].partner_ids)
    window.runner.wait(5000)
