"""The Tableau de bord driven for real: today's lists, tiles and charts, and every kind of figure opened to the
filtered list of its records in its tab."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from poledesk.data.enums import Audience
from poledesk.data.escalations.listing import list_escalations
from poledesk.data.models import Contact, HostingOffer, Partner, Visit
from poledesk.ui.dashboard_tab import TILES
from poledesk.ui.main_window import MainWindow
from poledesk.ui.widgets.list_tab import ListTab
from poledesk.ui.workers import Worker

HELD_BY_PARTNER = {"visit": Visit, "hosting_offer": HostingOffer, "contact": Contact}


def open_window(qtbot, store) -> MainWindow:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.dashboard_tab.data is not None, timeout=10_000)
    return window


def tab_for(window: MainWindow, table: str) -> ListTab:
    return {"partner": window.partners_tab, "escalation": window.escalations_tab, "placement": window.placements_tab,
            "training_session": window.trainings_tab, "establishment": window.establishments_tab,
            "visit": window.partners_tab, "hosting_offer": window.partners_tab, "contact": window.partners_tab}[table]


def expected_rows(store, table: str, ids) -> set[int]:
    """The rows the list must hold: the figure's ids, or for visits, offers and tutors their partners' ids."""
    if table not in HELD_BY_PARTNER:
        return set(ids)
    model = HELD_BY_PARTNER[table]
    with store.session() as session:
        return set(session.scalars(select(model.partner_id).where(model.id.in_(list(ids)))))


def listed(tab: ListTab) -> set[int]:
    return {row.id for row in tab.model.rows}


def assert_filtered(window: MainWindow, store, table: str, ids, label_start: str) -> ListTab:
    tab = tab_for(window, table)
    assert window.tabs.currentWidget() is tab
    assert listed(tab) == expected_rows(store, table, ids)
    assert len(tab.model.rows) == len(listed(tab))                    # each record once
    assert tab.filter_chip.isVisible()
    assert tab.filter_chip.text_label.text().startswith(f"Filtre : {label_start}")
    assert not tab.search_edit.isEnabled()
    return tab


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


@pytest.mark.parametrize("key", TILES)
def test_a_tile_opens_its_tab_filtered_to_exactly_its_records(qtbot, store, key):
    window = open_window(qtbot, store)
    dashboard = window.dashboard_tab
    indicator = dashboard.data.report.get(key)
    qtbot.mouseClick(dashboard.tiles[key], Qt.MouseButton.LeftButton)
    assert_filtered(window, store, indicator.table, indicator.current.record_ids, indicator.label)
    window.runner.wait(5000)


def test_show_all_lifts_the_filter_and_the_list_is_the_usual_one_again(qtbot, store):
    window = open_window(qtbot, store)
    dashboard = window.dashboard_tab
    received = dashboard.data.report.get("escalations_received").current
    qtbot.mouseClick(dashboard.tiles["escalations_received"], Qt.MouseButton.LeftButton)
    tab = window.escalations_tab
    assert listed(tab) == set(received.record_ids) and len(received.record_ids) > 0
    closed_counted = [row for row in tab.model.rows if row.status.value not in ("received", "searching", "proposed")]
    assert closed_counted, "the year's figure counts closed escalations, which the usual list hides"
    assert tab.count_label.text().endswith("sollicitations")
    qtbot.mouseClick(tab.filter_chip.show_all_button, Qt.MouseButton.LeftButton)
    assert not tab.filter_chip.isVisible() and tab.record_filter is None
    assert tab.search_edit.isEnabled() and tab.status_combo.isEnabled()
    with window.store.session() as session:
        assert listed(tab) == {row.id for row in list_escalations(session, open_only=True)}
    window.runner.wait(5000)


def test_every_bar_opens_its_records(qtbot, store):
    window = open_window(qtbot, store)
    dashboard = window.dashboard_tab
    data = dashboard.data
    for chart, series_index, set_index in ((dashboard.escalations_chart, 0, 0), (dashboard.escalations_chart, 1, 1),
                                           (dashboard.escalations_chart, 2, 2), (dashboard.visits_chart, 3, 0),
                                           (dashboard.tutors_chart, 4, 0)):
        series = data.monthly[series_index]
        month = max(range(12), key=lambda m: series.values[m])
        chart.series.barSets()[set_index].clicked.emit(month)
        words = "Sollicitations" if series.table == "escalation" else series.label
        assert_filtered(window, store, series.table, series.record_ids[month], words)
        if series.table == "escalation":
            assert len(window.escalations_tab.model.rows) == series.values[month]
    audiences = list(Audience)
    category = max(range(len(audiences)),
                   key=lambda i: data.report.get(f"places_ratio:{audiences[i].value}").current.numerator or 0)
    offers = data.report.get(f"places_ratio:{audiences[category].value}").current.record_ids
    assert offers
    dashboard.places_chart.series.barSets()[0].clicked.emit(category)
    tab = assert_filtered(window, store, "hosting_offer", offers, "Places offertes")
    assert tab.filter_chip.text_label.text().endswith(f", chez {len(listed(tab))} partenaires")
    dashboard.places_chart.series.barSets()[1].clicked.emit(category)
    assert_filtered(window, store, "establishment", data.schools_by_audience[audiences[category]],
                    "Élèves à placer")
    window.runner.wait(5000)


def test_a_line_of_today_opens_its_record_alone_and_selected(qtbot, store):
    window = open_window(qtbot, store)
    dashboard = window.dashboard_tab
    for key, table in (("escalations", "escalation"), ("follow_ups", "partner"), ("unsigned", "placement"),
                       ("sessions", "training_session")):
        widget = dashboard.today_lists[key]
        item = widget.item(0)
        record_id = item.data(Qt.ItemDataRole.UserRole)
        if record_id is None:      # the demo has nothing of this kind today: the list says so, nothing opens
            assert not dashboard.today_buttons[key].isEnabled()
            continue
        window.tabs.setCurrentWidget(dashboard)
        qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=widget.visualItemRect(item).center())
        tab = assert_filtered(window, store, table, {record_id}, "")
        assert tab.current_row() is not None and tab.current_row().id == record_id
        window.tabs.setCurrentWidget(dashboard)
        qtbot.mouseClick(dashboard.today_buttons[key], Qt.MouseButton.LeftButton)
        ids = {widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())}
        assert_filtered(window, store, table, ids, "")
    window.runner.wait(5000)


def test_a_figure_filtered_list_gives_way_to_a_record_opened_elsewhere(qtbot, store):
    window = open_window(qtbot, store)
    qtbot.mouseClick(window.dashboard_tab.tiles["tutors_trained"], Qt.MouseButton.LeftButton)
    tab = window.partners_tab
    shown = listed(tab)
    with store.session() as session:
        outside = next(pid for pid in session.scalars(select(Partner.id).where(Partner.deleted_at.is_(None)))
                       if pid not in shown)
    assert tab.show_partner(outside)                     # a follow-up or a link asks for a partner not listed
    assert tab.record_filter is None and not tab.filter_chip.isVisible() and tab.search_edit.isEnabled()
    assert tab.current_row().id == outside
    window.runner.wait(5000)


def test_the_first_figures_come_from_the_reader_and_do_not_wait_for_a_write_under_way(qtbot, store):
    window = MainWindow(store)
    qtbot.addWidget(window)
    tab = window.dashboard_tab
    assert tab.year_label.text() == "chargement…" and not tab.refresh_button.isEnabled()
    held = threading.Event()
    window.runner.start(Worker(store, lambda _progress: held.wait(10), transactional=False))   # a long import
    window.show()
    qtbot.waitUntil(lambda: tab.data is not None, timeout=10_000)
    assert window.runner.busy                                       # the figures did not wait for it
    assert tab.year_label.text().startswith("<b>Année scolaire ") and tab.refresh_button.isEnabled()
    held.set()
    window.runner.wait(5000)


def test_a_refresh_asked_for_before_the_first_figures_are_read_replaces_their_read(qtbot, store, monkeypatch):
    window = MainWindow(store)
    qtbot.addWidget(window)
    tab = window.dashboard_tab
    on_reader = []
    monkeypatch.setattr(window.reader, "start", on_reader.append)
    tab.refresh()                                  # before the paint: the deferred first read is not made at all
    window.show()
    qtbot.waitUntil(lambda: tab.data is not None, timeout=10_000)
    qtbot.waitUntil(tab.refresh_button.isEnabled)
    assert on_reader == []
    window.runner.wait(5000)
