"""The Tableau de bord driven for real: today's lists, tiles and charts, and a figure opened to its records."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from poledesk.data.escalations.listing import list_escalations
from poledesk.ui.main_window import MainWindow


def open_window(qtbot, store) -> MainWindow:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.dashboard_tab.data is not None, timeout=10_000)
    return window


def test_the_dashboard_is_the_first_tab_and_shows_today_tiles_and_charts(qtbot, store, tmp_path: Path):
    window = open_window(qtbot, store)
    tab = window.dashboard_tab
    assert window.tabs.currentWidget() is tab and window.tabs.tabText(0) == "Tableau de bord"
    report = tab.data.report
    assert tab.year_label.text().startswith("<b>Année scolaire ")
    tile = tab.tiles["escalations_received"]
    assert tile.text().splitlines()[:2] == ["Sollicitations reçues", report.get("escalations_received").text]
    assert tile.toolTip() == report.get("escalations_received").definition
    with store.session() as session:
        open_count = len(list_escalations(session, open_only=True))
    assert tab.today_lists["escalations"].count() == open_count
    assert tab.today_boxes["escalations"].title().endswith(f"({open_count})")
    first = tab.data.today.escalations[0]
    if 0 <= first.days_left < 15:      # the pupils starting within 15 days come first
        assert all(not 0 <= e.days_left < 15 or e.days_left >= first.days_left for e in tab.data.today.escalations)
    assert len(tab.places_chart.series.barSets()) == 2
    assert len(tab.escalations_chart.series.barSets()) == 3
    assert sum(tab.visits_chart.series.barSets()[0].at(i) for i in range(12)) == report.get("visits").current.value
    shot = tmp_path / "tableau-de-bord.png"
    assert window.grab().save(str(shot)) and shot.stat().st_size > 10_000
    window.runner.wait(5000)


def test_a_tile_opens_its_records_and_a_record_opens_in_its_tab(qtbot, store):
    window = open_window(qtbot, store)
    tab = window.dashboard_tab
    qtbot.mouseClick(tab.tiles["escalations_received"], Qt.MouseButton.LeftButton)
    received = tab.data.report.get("escalations_received").current
    assert tab.detail_list.count() == received.value > 0
    assert tab.detail_label.text().startswith("Sollicitations reçues")
    item = tab.detail_list.item(0)
    tab.detail_list.itemActivated.emit(item)
    assert window.tabs.currentWidget() is window.escalations_tab
    assert window.escalations_tab.dialog is not None and window.escalations_tab.dialog.isVisible()
    assert item.data(Qt.ItemDataRole.UserRole)[1] in received.record_ids
    window.escalations_tab.dialog.reject()
    window.runner.wait(5000)


def test_a_bar_opens_the_records_of_its_month_and_a_visit_opens_its_partner(qtbot, store):
    window = open_window(qtbot, store)
    tab = window.dashboard_tab
    visits = tab.data.monthly[3]
    month = max(range(12), key=lambda m: visits.values[m])
    tab.visits_chart.series.barSets()[0].clicked.emit(month)
    assert tab.detail_list.count() == visits.values[month] > 0
    tab.detail_list.itemActivated.emit(tab.detail_list.item(0))
    assert window.tabs.currentWidget() is window.partners_tab
    window.runner.wait(5000)
