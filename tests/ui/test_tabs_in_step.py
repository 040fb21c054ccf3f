"""Tabs in step: a record written in one tab shows as written in every other tab, side panel and open file that
shows it, without a restart (the change hub, ui/hub.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import test_sync_ui
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget
from test_sync_ui import export, load, new_pole, pin

from poledesk.data.actions import programme
from poledesk.data.actions.programme import ActionForm
from poledesk.data.enums import ActionAxis, Audience, EscalationStatus
from poledesk.data.escalations import candidates
from poledesk.data.escalations import listing as escalations
from poledesk.data.models import Contact, Partner, Pupil
from poledesk.data.placements import form as placements
from poledesk.data.placements.form import PlacementForm
from poledesk.data.text import school_year_of
from poledesk.data.trainings import listing as trainings
from poledesk.ui.hub import ChangeHub, Kind, follow
from poledesk.ui.main_window import MainWindow

# The sync tests' fixtures, shared by name (pytest finds them among a module's globals); open_window is in conftest.
coordinator, pole = test_sync_ui.coordinator, test_sync_ui.pole
LEFT = Qt.MouseButton.LeftButton
BAKERY, RENAMED = "Boulangerie Lefèvre", "Boulangerie Lefèvre et fils"
SCHOOL, SCHOOL_RENAMED = "Lycée professionnel Jean-Prouvé", "Lycée des métiers Jean-Prouvé"


@pytest.fixture
def stage_store(small_store):
    """The small store, with a placement at the bakery (the Stages tab lists it)."""
    with small_store.transaction() as session:
        bakery = session.query(Partner).filter_by(name=BAKERY).one()
        tutor = session.query(Contact).filter_by(partner_id=bakery.id).one()
        pupil = session.query(Pupil).first()
        start = date.today() + timedelta(days=30)
        placements.save_placement(session, PlacementForm(
            pupil_id=pupil.id, establishment_id=pupil.establishment_id, partner_id=bakery.id,
            audience=Audience.PFMP_BACPRO, start_date=start, end_date=start + timedelta(days=11), tutor_id=tutor.id))
    return small_store


@pytest.fixture
def window(qtbot, stage_store):
    win = MainWindow(stage_store)
    qtbot.addWidget(win)
    win.resize(1500, 950)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.runner.wait(5000)


def show_tab(window, tab):
    window.tabs.setCurrentWidget(tab)
    return tab


def rename_partner(qtbot, window, old: str, new: str) -> None:
    """What the user does: Partenaires, the partner's form, a new name, Enregistrer."""
    tab = show_tab(window, window.partners_tab)
    row = next(r for r in tab.model.rows if r.name == old)
    tab.open_partner_dialog(row.id)
    dialog = tab.dialog
    qtbot.waitExposed(dialog)
    dialog.name_edit.setText(new)
    qtbot.mouseClick(dialog.save_button, LEFT)
    box = getattr(dialog, "duplicate_box", None)
    if box is not None and box.isVisible():    # the same SIRET at another pole: keep both
        qtbot.mouseClick(dialog.save_anyway_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def candidate_names(tab) -> list[str]:
    candidates = tab.panel.candidates_panel.list
    return [candidates.item(i).data(Qt.ItemDataRole.UserRole).name for i in range(candidates.count())]


@pytest.fixture
def demo_window(qtbot, store):
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.resize(1500, 950)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.runner.wait(5000)


def test_a_partner_renamed_shows_renamed_in_an_open_escalations_candidates(qtbot, demo_window, store):
    with store.session() as session:
        escalation_id, top = next((r.id, ranked[0].name) for r in escalations.list_escalations(session, open_only=True)
                                  if (ranked := candidates.escalation_candidates(session, r.id)))
    tab = show_tab(demo_window, demo_window.escalations_tab)
    assert tab.select_id(escalation_id) and candidate_names(tab)[0] == top
    rename_partner(qtbot, demo_window, top, f"{top} (nouveau nom)")
    names = candidate_names(tab)            # the escalation stayed open behind: its candidates reloaded
    assert f"{top} (nouveau nom)" in names and top not in names
    assert demo_window.tabs.currentWidget() is demo_window.partners_tab


def test_a_partner_renamed_shows_renamed_in_the_stages_list_and_the_open_stage(qtbot, window):
    tab = show_tab(window, window.placements_tab)
    placement = next(r for r in tab.model.rows if r.partner == BAKERY)
    tab.select_id(placement.id)
    rename_partner(qtbot, window, BAKERY, RENAMED)
    assert [r.partner for r in tab.model.rows if r.id == placement.id] == [RENAMED]
    assert tab.current_row().partner == RENAMED
    assert RENAMED in tab.detail.text()


def test_a_partner_renamed_shows_renamed_in_a_sessions_registrations(qtbot, window, stage_store):
    tab = show_tab(window, window.trainings_tab)
    with stage_store.session() as session:
        soon = next(s for s in trainings.list_sessions(session, "") if s.title == "Accueillir un stagiaire mineur")
    tab.select_id(soon.id)
    registrations = tab.panel.model
    assert [r.partner for r in registrations.rows] == [BAKERY]
    rename_partner(qtbot, window, BAKERY, RENAMED)
    assert [r.partner for r in registrations.rows] == [RENAMED]


def test_a_school_renamed_shows_renamed_in_the_escalations_and_the_stages(qtbot, window):
    escalations_tab = show_tab(window, window.escalations_tab)
    placements_tab = show_tab(window, window.placements_tab)
    tab = show_tab(window, window.establishments_tab)
    school = next(r for r in tab.model.rows if r.name == SCHOOL)
    tab.select_id(school.id)
    tab.open_dialog(school.id)
    dialog = tab.dialog
    qtbot.waitExposed(dialog)
    dialog.name_edit.setText(SCHOOL_RENAMED)
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert {r.establishment for r in placements_tab.model.rows} == {SCHOOL_RENAMED}
    assert {r.establishment for r in escalations_tab.model.rows} == {SCHOOL_RENAMED}


def test_an_escalation_closed_in_sollicitations_counts_at_once_in_its_schools_file(qtbot, window, stage_store):
    schools = show_tab(window, window.establishments_tab)
    school = next(r for r in schools.model.rows if r.name == SCHOOL)
    schools.select_id(school.id)
    before = schools.detail.value("Chiffres", "Sollicitations en cours")
    tab = show_tab(window, window.escalations_tab)
    with stage_store.session() as session:
        searching = next(r for r in escalations.list_escalations(session, open_only=True)
                         if r.status is EscalationStatus.SEARCHING)
    tab.select_id(searching.id)
    tab.panel.move_to(EscalationStatus.WITHDRAWN)
    dialog = tab.panel.dialog
    qtbot.waitExposed(dialog)
    dialog.reason_edit.setText("L'élève a trouvé un stage par lui-même")
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert schools.detail.value("Chiffres", "Sollicitations en cours") == str(int(before) - 1)


def test_a_listener_hears_others_and_not_itself_and_goes_with_its_widget(qtbot):
    hub = ChangeHub()
    heard: list[str] = []
    listener = QWidget()
    follow(listener, hub, {Kind.PARTNER}, lambda: heard.append("reload"))
    hub.announce(Kind.TRAINING, 3)
    hub.announce(Kind.PARTNER, 1, source=listener)        # its own write: it reloaded already
    assert heard == []
    changes = hub.announce(Kind.PARTNER, 1, 2)
    assert heard == ["reload"] and changes.ids(Kind.PARTNER) == (1, 2) and changes.kinds == {Kind.PARTNER}
    with qtbot.waitSignal(listener.destroyed):
        listener.deleteLater()
    hub.announce_everything()                            # nobody left to reload
    assert heard == ["reload"]


def test_a_partner_renamed_at_the_coordination_shows_renamed_in_its_shared_partners(
        pole, coordinator, open_window, qtbot, tmp_path):
    other = new_pole(tmp_path / "nm08", "NM-08")
    try:
        with other.transaction() as session:   # the same firm as NM-07's bakery, under another name
            session.add(Partner(name="Boulangerie Lefèvre et fils", siret="73282932000074", postcode="88000",
                                commune="Épinal"))
        pin(other, coordinator)
        pin(coordinator, other)
        for sender, code in ((pole, "NM-07"), (other, "NM-08")):
            load(coordinator, export(sender, "COORD-NANCY-METZ", tmp_path / f"{code}.poledesk"))
        window = open_window(coordinator)
        tab = show_tab(window, window.coordination_tab)

        def shared_names() -> list[str]:
            group = tab.shared_tree.topLevelItem(0)
            return sorted(group.child(i).text(2) for i in range(group.childCount()))

        assert shared_names() == [BAKERY, "Boulangerie Lefèvre et fils"]
        rename_partner(qtbot, window, BAKERY, "Boulangerie Lefèvre (Épinal)")
        assert shared_names() == ["Boulangerie Lefèvre (Épinal)", "Boulangerie Lefèvre et fils"]
    finally:
        other.close()


def dashboard_lines(window, key: str) -> list[str]:
    today = window.dashboard_tab.today_lists[key]
    return [today.item(i).text() for i in range(today.count())]


def test_a_school_renamed_shows_renamed_in_the_dashboards_escalations_when_it_comes_back(qtbot, window):
    dashboard = show_tab(window, window.dashboard_tab)     # the first tab: its figures load as the window opens
    qtbot.waitUntil(lambda: dashboard.data is not None and dashboard.refresh_button.isEnabled(), timeout=10_000)
    assert any(SCHOOL in line for line in dashboard_lines(window, "escalations"))
    tab = show_tab(window, window.establishments_tab)
    school = next(r for r in tab.model.rows if r.name == SCHOOL)
    tab.open_dialog(school.id)
    dialog = tab.dialog
    qtbot.waitExposed(dialog)
    dialog.name_edit.setText(SCHOOL_RENAMED)
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    with qtbot.waitSignal(dashboard.refreshed, timeout=10_000):
        show_tab(window, dashboard)
    lines = dashboard_lines(window, "escalations")
    assert any(SCHOOL_RENAMED in line for line in lines) and not any(f"{SCHOOL}," in line for line in lines)


def test_the_dashboard_in_view_reads_its_figures_again_when_another_writer_announces(qtbot, window):
    dashboard = show_tab(window, window.dashboard_tab)
    qtbot.waitUntil(lambda: dashboard.data is not None and dashboard.refresh_button.isEnabled(), timeout=10_000)
    with qtbot.waitSignal(dashboard.refreshed, timeout=10_000):
        window.hub.announce_everything()          # what a bundle or a spreadsheet imported from the menu says
    with qtbot.assertNotEmitted(dashboard.refreshed, wait=200):
        window.hub.announce(Kind.PARTNER, source=dashboard)     # its own writes: nothing to read again


def test_a_poles_actions_imported_from_the_menu_show_in_the_coordinators_programme_in_view(
        pole, coordinator, open_window, qtbot, tmp_path, monkeypatch):
    year = school_year_of(date.today())
    with pole.transaction() as session:
        programme.save_action(session, ActionForm(year, ActionAxis.PARTNERS, "Petit-déjeuner des entreprises"))
    bundle = export(pole, "COORD-NANCY-METZ", tmp_path / "NM-07.poledesk")
    window = open_window(coordinator)
    tab = show_tab(window, window.programme_tab)
    assert tab.school_year == year and tab.count_label.text().startswith("0 action")
    imports = window.exchanges.transfers
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *_args: ([str(bundle)], "")))
    with qtbot.waitSignal(imports.imported, timeout=30_000):
        window.exchanges.import_bundles_action.trigger()
    partners_axis = tab.tree.topLevelItem(1)
    assert partners_axis.childCount() == 1
    assert (partners_axis.child(0).text(0), partners_axis.child(0).text(1)) == ("Petit-déjeuner des entreprises",
                                                                               "NM-07")


def test_a_partner_renamed_at_the_coordination_shows_renamed_in_the_academys_shared_partners(
        pole, coordinator, open_window, qtbot, tmp_path):
    other = new_pole(tmp_path / "nm08", "NM-08")
    try:
        with other.transaction() as session:   # the same firm as NM-07's bakery (same SIRET)
            session.add(Partner(name="Boulangerie Lefèvre et fils", siret="73282932000074", postcode="88000",
                                commune="Épinal"))
        pin(other, coordinator)
        pin(coordinator, other)
        for sender, code in ((pole, "NM-07"), (other, "NM-08")):
            load(coordinator, export(sender, "COORD-NANCY-METZ", tmp_path / f"{code}.poledesk"))
        window = open_window(coordinator)
        academy = show_tab(window, window.academy_tab)

        def shared_name() -> str:
            item = academy.shared_table.item(0, 0)
            return item.text() if item is not None else ""

        qtbot.waitUntil(lambda: shared_name() in (BAKERY, "Boulangerie Lefèvre et fils"), timeout=10_000)
        rename_partner(qtbot, window, shared_name(), "Boulangerie Lefèvre (Épinal)")
        assert shared_name() != "Boulangerie Lefèvre (Épinal)"      # hidden: it waits to be shown
        show_tab(window, academy)
        qtbot.waitUntil(lambda: shared_name() == "Boulangerie Lefèvre (Épinal)", timeout=10_000)
    finally:
        other.close()
