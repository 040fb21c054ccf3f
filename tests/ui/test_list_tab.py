"""ListTab's contract: a subclass gives its rows and a row's file; one that forgets either is refused when it is
defined, not the first time a user searches."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from poledesk.ui.widgets.detail_panel import Detail, Section
from poledesk.ui.widgets.list_tab import ListTab
from poledesk.ui.widgets.models import Column


@dataclass(frozen=True)
class Row:
    id: int
    name: str


ROWS = [Row(1, "Boulangerie Lefèvre"), Row(2, "Garage de l'Église")]


def test_a_list_tab_without_its_file_is_refused_when_defined():
    with pytest.raises(TypeError, match="Incomplete is a ListTab without fetch_detail"):
        class Incomplete(ListTab):
            def fetch_rows(self, session, text):
                return ROWS


def test_a_list_tab_lists_its_rows_and_shows_the_file_of_the_one_selected(qtbot, pole_store):
    class Names(ListTab):
        noun = ("nom", "noms")

        def fetch_rows(self, session, text):
            return [r for r in ROWS if text.lower() in r.name.lower()]

        def fetch_detail(self, session, row_id):
            row = next(r for r in ROWS if r.id == row_id)
            return Detail(row.name, sections=(Section("Fiche", (("Nom", row.name),)),))

    tab = Names(pole_store, [Column("Nom", lambda r: r.name)])
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    assert tab.count_label.text() == "2 noms"
    assert tab.select_id(2) and tab.detail.value("Fiche", "Nom") == "Garage de l'Église"
    tab.search_edit.setText("boul")
    tab.refresh()
    assert [r.id for r in tab.model.rows] == [1] and tab.count_label.text() == "1 nom"
