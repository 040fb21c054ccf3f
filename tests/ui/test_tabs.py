"""The four list tabs as a user sees them: rows, counts, debounced accent-free search, sorting, the detail panel."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView

from poledesk.data.escalations import listing as escalations
from poledesk.data.establishments import listing as establishments
from poledesk.data.partners import listing as partners
from poledesk.data.text import fold, plural
from poledesk.data.trainings import listing as trainings
from poledesk.ui.escalations_tab import URGENCY_COLOURS, EscalationsTab
from poledesk.ui.establishments_tab import EstablishmentsTab
from poledesk.ui.partners_tab import PartnersTab
from poledesk.ui.trainings_tab import TrainingsTab
from poledesk.ui.widgets.models import RowTableModel

UI = Path(__file__).parents[2] / "src" / "poledesk" / "ui"


def open_tab(qtbot, cls, store):
    tab = cls(store)
    qtbot.addWidget(tab)
    tab.resize(1400, 700)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def shown_ids(tab) -> list[int]:
    return [row.id for row in tab.proxy.shown_rows()]


def click_row(qtbot, tab, proxy_row: int) -> None:
    index = tab.proxy.index(proxy_row, 0)
    tab.table.scrollTo(index)
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=tab.table.visualRect(index).center())


def search(qtbot, tab, text: str, expected_ids: list[int]) -> None:
    """Type like a user; the list changes only once the 200 ms debounce has passed."""
    before = shown_ids(tab)
    qtbot.keyClicks(tab.search_edit, text)
    if sorted(before) != sorted(expected_ids):
        assert shown_ids(tab) == before                      # not yet: the search waits for typing to pause
    qtbot.waitUntil(lambda: sorted(shown_ids(tab)) == sorted(expected_ids), timeout=3000)


def live_escalations(session, *, open_only: bool) -> list[int]:
    return [r.id for r in escalations.list_escalations(session, open_only=open_only)]


# Every tab on every store: the rows shown are the store's, the table is set up for reading.

TABS = {
    PartnersTab: (lambda s: partners.count_partners(s), "partenaire"),
    EstablishmentsTab: (lambda s: establishments.count_establishments(s), "établissement"),
    TrainingsTab: (lambda s: trainings.count_sessions(s), "session"),
    EscalationsTab: (lambda s: len(live_escalations(s, open_only=True)), "sollicitation"),
}


@pytest.mark.parametrize("cls", list(TABS), ids=lambda c: c.__name__)
def test_tab_shows_every_record_of_the_store(qtbot, tab_store, cls):
    tab = open_tab(qtbot, cls, tab_store)
    counter, noun = TABS[cls]
    with tab_store.session() as session:
        expected = counter(session)
    assert expected > 0
    assert tab.proxy.rowCount() == expected
    assert tab.count_label.text() == plural(expected, noun, noun + "s")
    table = tab.table
    assert table.isSortingEnabled() and table.alternatingRowColors()
    assert table.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows
    assert table.selectionMode() == QAbstractItemView.SelectionMode.SingleSelection
    assert not table.verticalHeader().isVisible() and table.horizontalHeader().stretchLastSection()
    assert tab.search_edit.placeholderText().startswith("Rechercher")


TITLES = {
    PartnersTab: lambda row: row.name,
    EstablishmentsTab: lambda row: row.name,
    TrainingsTab: lambda row: row.title,
    EscalationsTab: lambda row: f"Sollicitation de {row.establishment}",
}


@pytest.mark.parametrize("cls", list(TABS), ids=lambda c: c.__name__)
def test_selecting_a_row_shows_its_record_and_refresh_keeps_it(qtbot, tab_store, cls):
    tab = open_tab(qtbot, cls, tab_store)
    assert tab.detail.detail is None and tab.detail.title_label.text().startswith("Sélectionnez")
    click_row(qtbot, tab, 1)
    row = tab.proxy.row_at(1)
    qtbot.waitUntil(lambda: tab.detail.detail is not None)
    assert tab.current_row() == row
    assert tab.detail.title_label.text() == TITLES[cls](row)
    click_row(qtbot, tab, 0)
    qtbot.waitUntil(lambda: tab.detail.title_label.text() == TITLES[cls](tab.proxy.row_at(0)))
    tab.refresh()
    assert tab.current_row().id == tab.proxy.row_at(0).id and tab.detail.detail is not None


def test_search_is_accent_insensitive_on_the_demo_or_small_store(qtbot, tab_store):
    tab = open_tab(qtbot, PartnersTab, tab_store)
    accented = next((r for r in tab.model.rows if fold(r.commune) != r.commune.lower()), tab.model.rows[0])
    query = fold(accented.commune).upper() if accented.commune else fold(accented.name.split()[0])
    with tab_store.session() as session:
        expected = [r.id for r in partners.search_partners(session, query)]
    assert accented.id in expected and len(expected) < tab.proxy.rowCount()
    search(qtbot, tab, query, expected)
    assert tab.count_label.text() == plural(len(expected), "partenaire", "partenaires")


# The small store, whose records are known.

def test_partner_search_folds_accents_and_ands_words(qtbot, small_store):
    tab = open_tab(qtbot, PartnersTab, small_store)
    by_name = {r.name: r.id for r in tab.model.rows}
    search(qtbot, tab, "epinal", [by_name["Boulangerie Lefèvre"], by_name["Pharmacie de la Gare"]])
    tab.search_edit.clear()
    search(qtbot, tab, "NANCY", [by_name["Garage de l'Église"], by_name["Mairie de Nancy"]])
    tab.search_edit.clear()
    search(qtbot, tab, "eglise nancy", [by_name["Garage de l'Église"]])
    tab.search_edit.clear()
    search(qtbot, tab, "hotellerie", [by_name["Hôtel des Vosges"]])     # a tag
    tab.search_edit.clear()
    search(qtbot, tab, "nancy epinal", [])
    assert tab.count_label.text() == "Aucun partenaire"
    assert tab.detail.detail is None


def test_partner_row_and_detail_as_the_user_reads_them(qtbot, small_store):
    tab = open_tab(qtbot, PartnersTab, small_store)
    assert tab.proxy.row_at(0).name == "Boulangerie Lefèvre"           # sorted by name
    texts = [tab.proxy.index(0, c).data() for c in range(tab.proxy.columnCount())]
    assert texts[:4] == ["Boulangerie Lefèvre", "Épinal", "88000", "732 829 320 00074"]
    assert texts[5:8] == ["Actif", "1", "3"]
    assert len(texts[8]) == 10 and texts[8][2] == "/" and texts[8][5] == "/"      # dd/mm/yyyy
    click_row(qtbot, tab, 0)
    qtbot.waitUntil(lambda: tab.detail.detail is not None)
    assert tab.detail.title_label.text() == "Boulangerie Lefèvre"
    assert tab.detail.value("Identité", "SIRET") == "732 829 320 00074"
    assert tab.detail.value("Identité", "Assureur") == "—"
    assert tab.detail.value("Contacts", "Marie Lefèvre").startswith("Gérante\ntuteur ou tutrice")
    assert "1 formation suivie" in tab.detail.value("Contacts", "Marie Lefèvre")
    assert tab.detail.value("Offres", "PFMP – Bac pro").startswith("3 places\nBac pro Métiers du commerce")
    assert "Visite de l'atelier" in tab.detail.text()


def test_partners_sort_on_dates_not_on_their_text(qtbot, small_store):
    tab = open_tab(qtbot, PartnersTab, small_store)
    tab.table.sortByColumn(8, Qt.SortOrder.DescendingOrder)
    assert tab.proxy.index(0, 8).data() != "" and tab.proxy.row_at(0).name == "Boulangerie Lefèvre"
    tab.table.sortByColumn(8, Qt.SortOrder.AscendingOrder)
    assert tab.proxy.index(0, 8).data() == ""                  # no visit sorts first


def test_escalations_open_only_by_default_sorted_and_coloured_by_urgency(qtbot, small_store):
    tab = open_tab(qtbot, EscalationsTab, small_store)
    assert not tab.closed_check.isChecked()
    assert tab.closed_check.text() == "Afficher aussi les sollicitations closes"
    assert [r.urgency for r in tab.proxy.shown_rows()] == ["overdue", "under_15", "under_30", "later"]
    assert [tab.proxy.index(r, 0).data() for r in range(4)] == ["Dépassée de 3 j", "J-10", "J-20", "J-60"]
    assert tab.proxy.index(0, 2).data() == "Élève0 Z."                 # initials only in the list
    for row, urgency in enumerate(("overdue", "under_15", "under_30")):
        for column in (0, 3, 7):                                       # the whole row is tinted
            assert tab.proxy.index(row, column).data(Qt.ItemDataRole.BackgroundRole) == URGENCY_COLOURS[urgency][0]
    assert tab.proxy.index(3, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    qtbot.mouseClick(tab.closed_check, Qt.MouseButton.LeftButton)
    assert tab.proxy.rowCount() == 5 and tab.proxy.row_at(4).urgency == "closed"
    assert tab.count_label.text() == "5 sollicitations"


def test_escalation_detail_names_the_pupil_and_the_request(qtbot, small_store):
    tab = open_tab(qtbot, EscalationsTab, small_store)
    click_row(qtbot, tab, 0)
    qtbot.waitUntil(lambda: tab.detail.detail is not None)
    assert tab.detail.value("Élève", "Prénom") == "Élève0"
    assert tab.detail.value("Élève", "Nom") == "Zérouki"
    assert tab.detail.value("Demande", "Urgence") == "Dépassée de 3 j"
    assert tab.detail.value("Demande", "Public") == "PFMP – Bac pro"
    assert "Aucune proposition pour l'instant." in tab.detail.text()


def test_escalation_search_finds_the_pupil_without_accents(qtbot, small_store):
    tab = open_tab(qtbot, EscalationsTab, small_store)
    target = tab.proxy.row_at(2)
    search(qtbot, tab, "eleve2 zerouki", [target.id])
    assert shown_ids(tab) == [target.id]


def test_trainings_upcoming_first_with_registrations(qtbot, small_store):
    tab = open_tab(qtbot, TrainingsTab, small_store)
    rows = tab.proxy.shown_rows()
    assert [r.title for r in rows] == ["Accueillir un stagiaire mineur", "Le rôle du tuteur"]
    assert tab.proxy.index(0, 1).data() == "09h00 – 12h00"
    assert tab.proxy.index(0, 5).data() == "1 / 15" and tab.proxy.index(1, 6).data() == "1"
    assert tab.proxy.index(0, 6).data() == ""                     # not held yet: no attendance
    click_row(qtbot, tab, 1)
    qtbot.waitUntil(lambda: tab.detail.detail is not None)
    assert "Attestation délivrée le" in tab.detail.value("Inscriptions", "Marie Lefèvre")
    search(qtbot, tab, "cci epinal", [rows[0].id])


def test_establishments_count_formations_and_pupils(qtbot, small_store):
    tab = open_tab(qtbot, EstablishmentsTab, small_store)
    lp = next(r for r in tab.proxy.shown_rows() if r.uai == "0540042C")
    row = tab.proxy.shown_rows().index(lp)
    assert [tab.proxy.index(row, c).data() for c in (4, 5, 6)] == ["REP", "1", "24"]
    search(qtbot, tab, "epinal", [next(r.id for r in tab.model.rows if r.uai == "0880010X")])
    click_row(qtbot, tab, 0)
    qtbot.waitUntil(lambda: tab.detail.detail is not None)
    assert tab.detail.title_label.text() == "Collège Louis-Armand"


LIST_MODULES = ("widgets/models", "widgets/list_tab", "widgets/detail_panel", "partners_tab", "escalations_tab",
                "trainings_tab", "establishments_tab")


def test_list_tabs_build_no_queries():
    for path in (UI / f"{name}.py" for name in LIST_MODULES):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.startswith("sqlalchemy") for n in names), f"{path.name} imports {names}"


def test_row_role_reads_the_dataclass_through_the_proxy(qtbot, small_store):
    tab = open_tab(qtbot, PartnersTab, small_store)
    assert tab.proxy.index(0, 3).data(RowTableModel.RowRole).siret == "73282932000074"


def test_a_broad_search_shows_its_first_page_and_a_capped_total(qtbot, store, monkeypatch):
    """At académie scale a one-letter search matches tens of thousands: the first page, and a total counted only
    up to the cap (here made small on the demo store, whose broad searches find a few hundred)."""
    from poledesk.ui import partners_tab

    monkeypatch.setattr(partners_tab, "SHOWN_AT_MOST", 20)
    monkeypatch.setattr(partners, "COUNT_CAP", 50)
    tab = open_tab(qtbot, PartnersTab, store)
    with store.session() as session:
        first = [r.id for r in partners.search_partners(session, "a", limit=20)]
        total = partners.count_matching(session, "a")
    assert total > 50
    search(qtbot, tab, "a", first)
    assert tab.count_label.text() == "20 partenaires sur plus de 50 : précisez la recherche"
    tab.search_edit.clear()
    qtbot.keyClicks(tab.search_edit, "zzzz")
    qtbot.waitUntil(lambda: tab.count_label.text() == "Aucun partenaire", timeout=3000)
