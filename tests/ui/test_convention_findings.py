"""The convention panel lists each finding with its article and the rule in plain French."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest
from sqlalchemy import select

from poledesk.data.conventions import tracking as convention_tracking
from poledesk.data.enums import ConventionStatus
from poledesk.data.models import Placement
from poledesk.data.placements import form as placements
from poledesk.data.placements.form import DaySlot
from poledesk.ui.main_window import MainWindow

TODAY = date.today()


@pytest.fixture
def window(qtbot, store):
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.tabs.setCurrentWidget(win.placements_tab)
    yield win
    win.placements_tab.runner.wait(10_000)
    win.runner.wait(5000)


def long_clean_draft(store) -> int:
    """A draft with no finding whose period holds a Sunday."""
    with store.session() as session:
        ids = session.scalars(select(Placement.id).where(Placement.convention_status == ConventionStatus.DRAFT)
                              .order_by(Placement.id)).all()
        for placement_id in ids:
            state = convention_tracking.convention_state(session, placement_id, today=TODAY)
            placement = session.get(Placement, placement_id)
            if not state.findings and (placement.end_date - placement.start_date).days >= 7:
                return placement_id
    raise AssertionError("the demo store has no long clean draft")


def test_each_blocking_finding_shows_its_article_and_its_explanation(window, store, qtbot):
    placement_id = long_clean_draft(store)
    with store.transaction() as session:        # the host asks for Sunday mornings too
        form = placements.placement_form(session, placement_id)
        sunday = DaySlot(6, time(9, 0), time(12, 0))
        placements.save_placement(session, replace(form, timetable=form.timetable + (sunday,)), placement_id)
    with store.session() as session:
        state = convention_tracking.convention_state(session, placement_id, today=TODAY)
    found = next(f for f in state.blocking if f.rule in ("sunday", "sunday_minor"))
    assert found.source in ("Code du travail, L3164-5", "Code du travail, L3132-3")
    tab = window.placements_tab
    assert tab.select_id(placement_id)
    qtbot.waitUntil(lambda: tab.panel.state is not None and tab.panel.state.placement_id == placement_id)
    panel = tab.panel
    text = panel.findings_label.text()
    assert panel.findings_label.isVisible() and not panel.print_button.isEnabled()
    assert f"• {found.message}" in text and found.message.endswith(f"({found.source})")
    assert f"Règle : {found.explanation}" in text
    assert "dimanche" in found.explanation
