"""The table model, its proxy and the detail panel, without a window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

from poledesk.data.text import plural
from poledesk.ui.detail_panel import Detail, DetailPanel, Section
from poledesk.ui.models import Column, RowSortProxy, RowTableModel

ROLE = Qt.ItemDataRole
RED = QColor("#7a1f1a")


@dataclass(frozen=True, slots=True)
class Row:
    id: int
    name: str
    seen: date | None
    places: int


ROWS = [Row(1, "Zénith", date(2026, 3, 1), 12), Row(2, "Abbaye", None, 3), Row(3, "Épicerie", date(2025, 1, 9), 100)]
COLUMNS = (
    Column("Nom", lambda r: r.name),
    Column("Vu le", lambda r: r.seen.strftime("%d/%m/%Y") if r.seen else "", sort_key=lambda r: r.seen,
           foreground=lambda r: RED if r.seen is None else None, tooltip=lambda r: f"fiche {r.id}"),
    Column("Places", lambda r: str(r.places), sort_key=lambda r: r.places, align_right=True,
           background=lambda r: QColor("#f4d4d1") if r.places > 50 else None),
)


@pytest.fixture
def model() -> RowTableModel:
    model = RowTableModel(COLUMNS)
    model.set_rows(ROWS)
    return model


@pytest.fixture
def proxy(model) -> RowSortProxy:
    proxy = RowSortProxy()
    proxy.setSourceModel(model)
    return proxy


def test_headers_texts_and_rows(model):
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["Nom", "Vu le", "Places"]
    assert (model.rowCount(), model.columnCount()) == (3, 3)
    assert model.index(0, 1).data() == "01/03/2026" and model.index(1, 1).data() == ""
    assert model.index(2, 0).data(RowTableModel.RowRole) is ROWS[2]


def test_decoration_roles_come_from_the_columns(model):
    assert model.index(1, 1).data(ROLE.ForegroundRole) == RED
    assert model.index(0, 1).data(ROLE.ForegroundRole) is None
    assert model.index(0, 1).data(ROLE.ToolTipRole) == "fiche 1"
    assert model.index(2, 2).data(ROLE.BackgroundRole) == QColor("#f4d4d1")
    assert model.index(0, 2).data(ROLE.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.index(0, 0).data(ROLE.TextAlignmentRole) is None


def test_dates_sort_on_the_date_with_no_date_first(proxy):
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert [r.id for r in proxy.shown_rows()] == [2, 3, 1]
    proxy.sort(1, Qt.SortOrder.DescendingOrder)
    assert [r.id for r in proxy.shown_rows()] == [1, 3, 2]


def test_numbers_sort_as_numbers_not_text(proxy):
    proxy.sort(2, Qt.SortOrder.AscendingOrder)
    assert [r.places for r in proxy.shown_rows()] == [3, 12, 100]      # as text: "100" < "12" < "3"


def test_no_sort_column_keeps_the_service_order(proxy, model):
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert [r.id for r in proxy.shown_rows()] == [2, 1, 3]      # "Épicerie" after "Zénith" without a fold key
    proxy.sort(-1)
    assert [r.id for r in proxy.shown_rows()] == [1, 2, 3]


def test_new_rows_keep_the_current_sort(proxy, model):
    proxy.sort(2, Qt.SortOrder.DescendingOrder)
    model.set_rows([*ROWS, Row(4, "Atelier", None, 50)])
    assert [r.places for r in proxy.shown_rows()] == [100, 50, 12, 3]


def test_a_row_followed_by_a_persistent_index_survives_sorting(proxy):
    persistent = QPersistentModelIndex(proxy.index(0, 0))           # Zénith
    proxy.sort(2, Qt.SortOrder.DescendingOrder)
    assert persistent.row() == 1 and persistent.data(RowTableModel.RowRole).name == "Zénith"


def test_sort_role_over_another_source_uses_less_than():
    from PySide6.QtGui import QStandardItem, QStandardItemModel

    source = QStandardItemModel()
    for value in (5, None, 2):
        item = QStandardItem(str(value))
        item.setData(value, RowTableModel.SortRole)
        source.appendRow(item)
    proxy = RowSortProxy()
    proxy.setSourceModel(source)
    proxy.sort(0)
    assert [proxy.index(r, 0).data() for r in range(3)] == ["None", "2", "5"]


@pytest.mark.parametrize(("count", "text"), [
    (0, "0 partenaire"), (1, "1 partenaire"), (600, "600 partenaires"), (8000, "8\u202f000 partenaires")])
def test_count_text_is_french(count, text):
    assert plural(count, "partenaire", "partenaires") == text


def test_detail_panel_shows_sections_dashes_for_empty_values_and_plain_text(qtbot):
    panel = DetailPanel("Sélectionnez une ligne.")
    qtbot.addWidget(panel)
    assert panel.title_label.text() == "Sélectionnez une ligne."
    panel.show_detail(Detail("Boulangerie <b>Lefèvre</b>", "Actif", (
        Section("Identité", (("SIRET", "732 829 320 00074"), ("Assureur", ""))),
        Section("Contacts", (), "Aucun contact."),
    )))
    assert panel.title_label.text() == "Boulangerie <b>Lefèvre</b>"
    assert panel.title_label.textFormat() == Qt.TextFormat.PlainText
    assert panel.value("Identité", "SIRET") == "732 829 320 00074"
    assert panel.value("Identité", "Assureur") == "—"
    assert panel.value("Identité", "Inconnu") is None
    assert "Aucun contact." in panel.text() and "Contacts" in panel.text()
    value_label = next(label for label in panel.scroll_area.widget().findChildren(QLabel)
                       if label.text() == "732 829 320 00074")
    assert value_label.wordWrap()
    assert value_label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse


def test_detail_panel_back_to_its_placeholder(qtbot):
    panel = DetailPanel("Rien de sélectionné.")
    qtbot.addWidget(panel)
    panel.show_detail(Detail("Fiche", sections=(Section("Identité", (("Nom", "Fiche"),)),)))
    panel.show_detail(None, message="Cette fiche n'existe plus.")
    assert panel.title_label.text() == "Cette fiche n'existe plus."
    assert panel.value("Identité", "Nom") is None and panel.detail is None
