"""The coordinator's Académie tab: poles side by side with the académie's totals, the map, shared partners."""

from __future__ import annotations

from openpyxl import load_workbook

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
