"""The Partenaires filter bar in the real window on the demo pole: each filter narrows the rows to what the
service counts, filters add up with each other and with the search, and « Réinitialiser » brings all back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from poledesk.data import naf
from poledesk.data.enums import Audience, LegalKind, PartnerStatus
from poledesk.data.partners import listing as partners
from poledesk.data.partners.listing import PartnerFilter
from poledesk.data.text import plural
from poledesk.ui.main_window import MainWindow


@pytest.fixture
def tab(qtbot, store):
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentWidget(window.partners_tab)     # the Tableau de bord comes first
    yield window.partners_tab
    window.runner.wait(5000)


def expected_ids(store, text: str = "", **fields) -> list[int]:
    with store.session() as session:
        return sorted(r.id for r in partners.search_partners(session, text, filters=PartnerFilter(**fields)))


def shown_ids(tab) -> list[int]:
    return sorted(row.id for row in tab.proxy.shown_rows())


def choose(combo, value) -> None:
    index = combo.findData(value)
    assert index > 0, value
    combo.setCurrentIndex(index)


def wait_for(qtbot, tab, ids: list[int]) -> None:
    qtbot.waitUntil(lambda: shown_ids(tab) == ids, timeout=3000)
    assert tab.count_label.text() == plural(len(ids), "partenaire", "partenaires")


def test_each_filter_narrows_the_rows_to_the_services_count(tab, store, qtbot):
    total = tab.proxy.rowCount()
    bar = tab.filter_bar
    cases = [
        (bar.status_combo, PartnerStatus.PAUSED.value, {"status": PartnerStatus.PAUSED}),
        (bar.legal_kind_combo, LegalKind.ASSOCIATION.value, {"legal_kind": LegalKind.ASSOCIATION}),
        (bar.section_combo, "G", {"section": "G"}),
        (bar.audience_combo, Audience.OBSERVATION_4E_3E.value, {"audience": Audience.OBSERVATION_4E_3E}),
        (bar.month_combo, 3, {"month": 3}),
    ]
    for combo, value, fields in cases:
        choose(combo, value)
        ids = expected_ids(store, **fields)
        assert 0 < len(ids) < total, fields
        wait_for(qtbot, tab, ids)
        assert bar.reset_button.isEnabled()
        bar.reset()
        wait_for(qtbot, tab, expected_ids(store))
        assert not bar.reset_button.isEnabled()


def test_paused_partners_show_their_status(tab, store, qtbot):
    choose(tab.filter_bar.status_combo, PartnerStatus.PAUSED.value)
    wait_for(qtbot, tab, expected_ids(store, status=PartnerStatus.PAUSED))
    assert {tab.proxy.index(r, 5).data() for r in range(tab.proxy.rowCount())} == {"En pause"}


def test_trained_tutor_and_commune_typed_without_accents(tab, store, qtbot):
    bar = tab.filter_bar
    qtbot.mouseClick(bar.tutor_check, Qt.MouseButton.LeftButton)
    trained = expected_ids(store, tutor_trained=True)
    wait_for(qtbot, tab, trained)
    with store.session() as session:
        commune = next(c for c in partners.partner_communes(session) if c == "Vandœuvre-lès-Nancy")
    qtbot.keyClicks(bar.commune_combo.lineEdit(), "vandoeuvre-les-nancy")
    assert bar.current_filter().commune == commune
    both = expected_ids(store, tutor_trained=True, commune=commune)
    assert both and len(both) < len(trained)
    wait_for(qtbot, tab, both)
    assert {tab.proxy.index(r, 1).data() for r in range(tab.proxy.rowCount())} == {commune}


def test_filters_add_up_with_each_other_and_with_the_search(tab, store, qtbot):
    bar = tab.filter_bar
    choose(bar.status_combo, PartnerStatus.ACTIVE.value)
    choose(bar.section_combo, "G")
    choose(bar.month_combo, 11)
    combined = expected_ids(store, status=PartnerStatus.ACTIVE, section="G", month=11)
    assert 0 < len(combined) < len(expected_ids(store, section="G"))
    wait_for(qtbot, tab, combined)
    qtbot.keyClicks(tab.search_edit, "nancy")
    searched = expected_ids(store, "nancy", status=PartnerStatus.ACTIVE, section="G", month=11)
    assert 0 < len(searched) < len(combined)
    wait_for(qtbot, tab, searched)
    qtbot.mouseClick(bar.reset_button, Qt.MouseButton.LeftButton)
    wait_for(qtbot, tab, expected_ids(store, "nancy"))


def test_no_archived_partner_yet_says_so(tab, store, qtbot):
    qtbot.mouseClick(tab.filter_bar.archived_check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.proxy.rowCount() == 0)
    assert tab.count_label.text() == "0 partenaire archivé"
    assert tab.filter_bar.reset_button.isEnabled()


def test_the_sector_filter_offers_every_naf_section_in_words(tab):
    combo = tab.filter_bar.section_combo
    sections = naf.all_sections()
    assert combo.count() == len(sections) + 1 and combo.itemText(0) == "Tous les secteurs"
    assert combo.itemText(combo.findData("I")) == f"I – {sections['I']}"
    month = tab.filter_bar.month_combo
    assert [month.itemText(i) for i in (0, 1, 5)] == ["Places : tous les mois", "Places en septembre",
                                                       "Places en janvier"]
