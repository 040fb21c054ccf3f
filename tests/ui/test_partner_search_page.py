"""A broad search at académie scale shows its first page of partners and says how many match in all."""

from __future__ import annotations

from poledesk.data.partners import listing as partners
from poledesk.ui import partners_tab
from poledesk.ui.partners_tab import PartnersTab


def test_a_search_past_the_page_shows_the_first_ones_and_the_total(qtbot, store, monkeypatch):
    monkeypatch.setattr(partners_tab, "SHOWN_AT_MOST", 5)
    tab = PartnersTab(store)
    qtbot.addWidget(tab)
    tab.show()
    assert tab.proxy.rowCount() > 5                         # no search: every partner
    with store.session() as session:
        total = partners.count_matching(session, "nancy")
        first = [row.id for row in partners.search_partners(session, "nancy", limit=5)]
    assert total > 5
    tab.search_edit.setText("nancy")
    qtbot.waitUntil(lambda: tab.proxy.rowCount() == 5, timeout=3000)
    assert sorted(tab.proxy.row_at(r).id for r in range(5)) == sorted(first)
    assert tab.count_label.text() == f"5 partenaires sur {total:,} : précisez la recherche".replace(",", "\u202f")


def test_punctuation_alone_finds_nothing(store):
    with store.session() as session:
        assert partners.search_partners(session, "%") == []
        assert partners.count_matching(session, "*") == 0
