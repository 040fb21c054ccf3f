"""A tooltip on every action button: each QPushButton, QToolButton and QAction of every tab, of the menus, and of
every dialog the tabs open says in French what it does (a tooltip or a status tip, not the button's own text)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCalendarWidget,
    QDialog,
    QMenu,
    QMessageBox,
    QPushButton,
    QTabBar,
    QToolButton,
    QWidget,
)
from sqlalchemy import select

from poledesk.data.conventions import tracking as convention_tracking
from poledesk.data.enums import ConventionStatus, EscalationStatus
from poledesk.data.models import Partner, Placement
from poledesk.ui.main_window import MainWindow

S = ConventionStatus
ENGLISH = re.compile(r"\b(the|and|open|save|click|file|cancel|close|delete|edit|print|new)\b", re.IGNORECASE)


def _plain(text: str) -> str:
    return " ".join(text.replace("&", "").replace("…", "").replace("...", "").split()).lower()


def _inside(widget: QWidget, kinds: tuple[type, ...]) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, kinds):
            return True
        parent = parent.parentWidget()
    return False


def _tip_problem(text: str, tip: str) -> str | None:
    if not tip.strip() or _plain(tip) == _plain(text):
        return "sans infobulle"
    if ENGLISH.search(tip):
        return f"infobulle en anglais : {tip!r}"
    return None


def problems_of(root: QWidget) -> list[str]:
    """What lacks a tooltip in `root` (a window or a dialog): buttons with a text, actions of its menus."""
    found = []
    for button in root.findChildren(QAbstractButton):
        if not isinstance(button, (QPushButton, QToolButton)) or not button.text().strip():
            continue
        if _inside(button, (QTabBar, QCalendarWidget, QMessageBox)):
            continue       # Qt's own parts: the tabs' scroll arrows, the calendar's month names, message boxes
        action = button.defaultAction() if isinstance(button, QToolButton) else None
        if action is not None:
            problem = _tip_problem(action.text(), action.statusTip() or action.toolTip())
        else:
            problem = _tip_problem(button.text(), button.statusTip() or button.toolTip())
        if problem:
            found.append(f"{type(root).__name__} › {button.text()!r} {problem}")
    for menu in root.findChildren(QMenu):
        for action in menu.actions():
            if action.isSeparator() or action.menu() is not None or not action.text():
                continue
            problem = _tip_problem(action.text(), action.statusTip() or action.toolTip())
            if problem:
                found.append(f"{type(root).__name__} › menu {menu.title()!r} › {action.text()!r} {problem}")
    return found


@pytest.fixture
def window(qtbot, store):
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.runner.wait(5000)


def first_id(store, model, *where) -> int:
    with store.session() as session:
        return session.scalar(select(model.id).where(*where).order_by(model.id).limit(1))


def clean(store, status: ConventionStatus) -> int:
    with store.session() as session:
        ids = session.scalars(select(Placement.id).where(Placement.convention_status == status))
        return next(i for i in ids if not convention_tracking.convention_state(session, i, today=date.today())
                    .findings)


def openers(window: MainWindow, store) -> list[tuple[str, Callable[[], object]]]:
    """Every dialog a tab opens, through the tab's own method (the one its button calls)."""
    partners, escalations = window.partners_tab, window.escalations_tab
    placements, trainings = window.placements_tab, window.trainings_tab
    partner_id = first_id(store, Partner, Partner.deleted_at.is_(None), Partner.status == "active")

    def on_partner(then: Callable[[], object]) -> Callable[[], object]:
        return lambda: (partners.show_partner(partner_id), then())

    def on_escalation(then: Callable[[], object]) -> Callable[[], object]:
        return lambda: (escalations.table.selectRow(0), QApplication.processEvents(), then())

    def on_placement(placement_id: int, then: Callable[[], object]) -> Callable[[], object]:
        return lambda: (placements.select_id(placement_id), then())

    panel = placements.panel
    return [
        ("nouveau partenaire", lambda: partners.open_partner_dialog(None)),
        ("partenaire", on_partner(lambda: partners.open_partner_dialog(partner_id))),
        ("contact", on_partner(lambda: partners.open_contact_dialog(None))),
        ("offre", on_partner(lambda: partners.open_offer_dialog(None))),
        ("échange", on_partner(lambda: partners.open_visit_dialog(partner_id))),
        ("nouvelle sollicitation", lambda: escalations.open_dialog(None)),
        ("proposition", on_escalation(lambda: escalations.panel.candidates_panel.propose_current())),
        ("statut", on_escalation(lambda: escalations.panel.move_to(EscalationStatus.WITHDRAWN))),
        ("nouveau stage", placements.new_placement),
        ("stage imprimé", lambda: placements.open_placement(clean(store, S.PRINTED))),
        ("avenant", lambda: placements.open_placement(clean(store, S.SIGNED))),
        ("aperçu", on_placement(clean(store, S.PRINTED), lambda: panel.preview("convention"))),
        ("signature", on_placement(clean(store, S.PRINTED), lambda: panel.move_to(S.SIGNED))),
        ("conventions de la sélection", on_placement(clean(store, S.DRAFT), placements.batch_conventions)),
        ("nouvelle session", lambda: trainings.open_session_dialog()),
        ("invitation", lambda: (trainings.table.selectRow(0), trainings.open_invite_dialog())),
        ("nouvel établissement", lambda: window.establishments_tab.open_dialog(None)),
        ("nouvelle action", lambda: window.programme_tab.open_action_dialog(None)),
        ("protection des données", window.show_privacy),
        ("guide", window.show_guide),
        ("import", window.spreadsheet_actions.start_import),
        ("carte", window.exchanges.show_card),
        ("correspondants", window.exchanges.show_peers),
        ("conflits", window.exchanges.show_conflicts),
    ]


def test_every_action_button_of_every_tab_and_menu_has_a_french_tooltip(window, qtbot):
    found = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        tab = window.tabs.currentWidget()
        table = getattr(tab, "table", None)
        if table is not None and table.model() is not None and table.model().rowCount():
            table.selectRow(0)              # the side panel's buttons show with a record
        found += problems_of(window)
    assert sorted(set(found)) == []


def test_every_dialog_the_tabs_open_has_a_french_tooltip_on_each_button(window, store, qtbot):
    found, opened = [], []
    for name, opener in openers(window, store):
        before = {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}
        opener()
        qtbot.wait(10)
        new = [w for w in QApplication.topLevelWidgets() if w.isVisible() and id(w) not in before
               and not isinstance(w, (QMessageBox, QMenu))]
        if new:
            opened.append(name)
        for dialog in new:
            found += [f"{name} : {problem}" for problem in problems_of(dialog)]
            if isinstance(dialog, QDialog):
                dialog.reject()
            dialog.close()
    assert sorted(set(found)) == []
    assert len(opened) >= 20, opened          # the walk really opened the dialogs


def test_the_coordinators_window_too(qtbot, tmp_path):
    from poledesk.data import identity
    from poledesk.data.db import open_store

    store = open_store(tmp_path / "coordination")
    with store.transaction() as session:
        store.set_owner(identity.init_coordinator(session, "Nancy-Metz").code)
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    try:
        assert window.coordination_tab is not None and window.academy_tab is not None
        found = []
        for tab in (window.coordination_tab, window.academy_tab):
            window.tabs.setCurrentWidget(tab)
            found += problems_of(window)
        assert sorted(set(found)) == []
    finally:
        window.runner.wait(5000)
        window.close()
        store.close()
