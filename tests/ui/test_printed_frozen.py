"""Printed means frozen, through the window: editing a printed convention's stage says the paper no longer matches,
keeps the old paper's PDF in the stage's history and offers the reprint; a signed one changes only by avenant."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog
from sqlalchemy import func, select

from poledesk.data.conventions import tracking as convention_tracking
from poledesk.data.enums import ConventionStatus
from poledesk.data.models import Amendment, Placement, PrintedVersion
from poledesk.data.text import format_date
from poledesk.ui.dialogs.amendment_dialog import NOTICE, AmendmentDialog
from poledesk.ui.dialogs.placement_dialog import PlacementDialog
from poledesk.ui.main_window import MainWindow

S = ConventionStatus
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
    win.runner.wait(5000)


def clean(store, status: ConventionStatus) -> convention_tracking.ConventionState:
    """A convention in `status` with no finding: printed without a question."""
    with store.session() as session:
        ids = session.scalars(select(Placement.id).where(Placement.convention_status == status,
                                                         Placement.deleted_at.is_(None)).order_by(Placement.id))
        return next(s for i in ids if not (s := convention_tracking.convention_state(session, i, today=TODAY))
                    .findings)


def text_of(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def type_date(qtbot, field, day: date) -> None:
    field.line_edit.setFocus()
    field.line_edit.selectAll()
    qtbot.keyClicks(field.line_edit, format_date(day))


def open_form(window, qtbot, placement_id: int) -> PlacementDialog:
    tab = window.placements_tab
    assert tab.select_id(placement_id)
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, PlacementDialog)
    qtbot.waitExposed(dialog)
    return dialog


def listed_convention(window, placement_id: int) -> str:
    """The Convention column of the Stages list, as shown, for this placement."""
    model = window.placements_tab.model
    column = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())].index("Convention")
    row = next(r for r in range(model.rowCount()) if model.row_at(r).id == placement_id)
    return model.data(model.index(row, column))


def test_editing_a_printed_convention_keeps_its_paper_and_offers_the_reprint(window, store, qtbot, tmp_path,
                                                                             monkeypatch):
    printed = clean(store, S.PRINTED)
    old_end, printed_on = printed.end_date, printed.printed_on
    dialog = open_form(window, qtbot, printed.placement_id)
    assert not isinstance(dialog, AmendmentDialog)
    assert dialog.paper_label.isVisible()                           # said before anything is typed
    assert dialog.paper_label.text().startswith(f"Convention imprimée le {format_date(printed_on)} : modifier")
    new_end = old_end + timedelta(days=1)
    type_date(qtbot, dialog.end_edit, new_end)
    assert dialog.paper_label.text().startswith(f"Le papier imprimé le {format_date(printed_on)} ne correspondra "
                                                "plus au stage (date de fin)")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    banner = window.banner
    assert banner.text_label.text() == (f"Stage enregistré : le papier imprimé le {format_date(printed_on)} ne "
                                        "correspond plus.")
    assert "historique du stage" in banner.details_label.text()
    assert [b.text() for b in banner.step_buttons] == ["Réimprimer la convention"]
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(PrintedVersion)) == 1
        assert session.get(Placement, printed.placement_id).end_date == new_end
    panel = window.placements_tab.panel
    assert panel.status_label.text().endswith("modifiée depuis : à réimprimer")
    assert listed_convention(window, printed.placement_id) == "Imprimée, à réimprimer"   # the list says it too
    tracking = panel.tracking
    assert tracking.versions_list.count() == 1 and not tracking.versions_group.isHidden()
    assert tracking.versions_list.item(0).text().startswith(f"Version imprimée le {format_date(printed_on)}, "
                                                            f"remplacée le {format_date(TODAY)} (date de fin)")
    kept = tmp_path / "ancienne.pdf"                                # the old paper, as it was printed
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(kept), "PDF (*.pdf)")))
    qtbot.mouseClick(tracking.version_save_button, Qt.MouseButton.LeftButton)
    assert f"au {format_date(old_end)}" in text_of(kept.read_bytes())
    assert f"au {format_date(new_end)}" not in text_of(kept.read_bytes())
    assert banner.text_label.text() == f"PDF enregistré : {kept.name}"

    output = tmp_path / "reimpression.pdf"

    def print_to_file(print_dialog: QPrintDialog) -> int:
        print_dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        print_dialog.printer().setOutputFileName(str(output))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", print_to_file)
    window.placements_tab._tell_saved(dialog, printed.placement_id)     # the banner of that save, shown again
    qtbot.mouseClick(banner.button("Réimprimer la convention"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "à réimprimer" not in panel.status_label.text())
    qtbot.waitUntil(lambda: listed_convention(window, printed.placement_id) == "Imprimée")
    assert f"au {format_date(new_end)}" in text_of(output.read_bytes())
    assert tracking.versions_list.item(0).text().endswith(f"réimprimée le {format_date(TODAY)}.")
    with store.session() as session:
        assert session.get(Placement, printed.placement_id).printed_on == printed_on   # the first print stays


def test_a_signed_convention_is_changed_by_avenant_only(window, store, qtbot):
    signed = clean(store, S.SIGNED)
    dialog = open_form(window, qtbot, signed.placement_id)
    assert isinstance(dialog, AmendmentDialog) and not dialog.paper_label.isVisible()
    assert any(label.text() == NOTICE for label in dialog.findChildren(type(dialog.paper_label)))
    type_date(qtbot, dialog.end_edit, signed.end_date + timedelta(days=1))
    assert dialog.save_button.text() == "Enregistrer l'avenant"
    dialog.reason_edit.setText("Prolongation demandée par le tuteur")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert window.banner.text_label.text().startswith("Avenant n° 1 enregistré : à imprimer et à faire signer")
    assert [b.text() for b in window.banner.step_buttons] == ["Aperçu de l'avenant"]
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Amendment)
                              .where(Amendment.placement_id == signed.placement_id)) >= 1
        assert session.scalar(select(func.count()).select_from(PrintedVersion)) == 0
