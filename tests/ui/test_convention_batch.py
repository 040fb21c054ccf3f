"""« Conventions de la sélection… »: several placements chosen in the list, one PDF each, cancellable, explained."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton
from sqlalchemy import select

from poledesk.data.conventions import tracking as convention_tracking
from poledesk.data.enums import ConventionStatus
from poledesk.data.models import Placement
from poledesk.data.placements import form as placements
from poledesk.ui.dialogs.batch_conventions_dialog import BatchConventionsDialog
from poledesk.ui.main_window import MainWindow

S = ConventionStatus
TODAY = date.today()


@pytest.fixture
def window(qtbot, store):
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.resize(1500, 950)
    win.show()
    qtbot.waitExposed(win)
    win.tabs.setCurrentWidget(win.placements_tab)
    yield win
    win.placements_tab.runner.wait(10_000)
    win.runner.wait(5000)


def printable_drafts(store, count: int) -> list[int]:
    with store.session() as session:
        ids = session.scalars(select(Placement.id).where(Placement.convention_status == S.DRAFT)
                              .order_by(Placement.id)).all()
        return [i for i in ids if not convention_tracking.blocking_messages(session, i, today=TODAY)][:count]


def statuses(store, ids: list[int]) -> list[ConventionStatus]:
    with store.session() as session:
        return [session.get(Placement, i).convention_status for i in ids]


def ctrl_click(qtbot, tab, placement_id: int) -> None:
    """Add a placement to the list's selection as a user does: Ctrl+click on its row."""
    row = next(r for r in range(tab.proxy.rowCount()) if tab.proxy.row_at(r).id == placement_id)
    index = tab.proxy.index(row, 0)
    tab.table.scrollTo(index)
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     tab.table.visualRect(index).center())


def open_batch(window, qtbot, ids: list[int], folder) -> BatchConventionsDialog:
    tab = window.placements_tab
    tab.table.clearSelection()
    assert not tab.batch_button.isEnabled()
    for placement_id in ids:
        ctrl_click(qtbot, tab, placement_id)
    assert sorted(r.id for r in tab.selected_rows()) == sorted(ids)
    assert tab.batch_button.isEnabled() and tab.batch_button.text() == "Conventions de la sélection…"
    assert tab.selection_label.text().startswith(f"{len(ids)} stage{'s' if len(ids) > 1 else ''} sélectionné")
    tab.batch_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, BatchConventionsDialog) and dialog.isVisible()
    assert dialog.rows_list.count() == len(ids) and dialog.intro_label.text().startswith(f"{len(ids)} stage")
    dialog.folder_edit.setText(str(folder))
    return dialog


def test_a_batch_of_three_writes_three_files_and_marks_the_drafts_printed(window, store, qtbot, tmp_path):
    ids = printable_drafts(store, 3)
    folder = tmp_path / "visite"
    dialog = open_batch(window, qtbot, ids, folder)
    with qtbot.waitSignal(dialog.finished_batch, timeout=20_000) as done:
        dialog.start_button.click()
        assert not dialog.start_button.isEnabled() and not dialog.close_button.isEnabled()   # busy, not frozen
    files = sorted(folder.iterdir())
    assert len(files) == 3 and all(f.name.startswith("convention-NM-07-") for f in files)
    assert all(len(PdfReader(f).pages) > 1 for f in files)
    assert done.args[0].marked == 3
    assert dialog.summary_label.text() == f"3 conventions enregistrées dans « {folder} »."
    assert "3 conventions passées de « Brouillon » à « Imprimée »" in dialog.summary_view.toPlainText()
    assert statuses(store, ids) == [S.PRINTED] * 3
    qtbot.waitUntil(dialog.close_button.isEnabled)                  # the worker has ended
    assert dialog.open_folder_button.isVisible() and not dialog.start_button.isVisible()


def test_refusals_are_explained_with_their_first_blocking_finding(window, store, qtbot, tmp_path):
    ids = printable_drafts(store, 3)
    with store.transaction() as session:   # one loses its tutor, one is cancelled
        form = placements.placement_form(session, ids[1])
        placements.save_placement(session, replace(form, tutor_id=None), ids[1])
        convention_tracking.move_convention(session, ids[2], S.CANCELLED, expected=S.DRAFT, today=TODAY)
    window.placements_tab.refresh()
    folder = tmp_path / "lot"
    dialog = open_batch(window, qtbot, ids, folder)
    with qtbot.waitSignal(dialog.finished_batch, timeout=20_000):
        dialog.start_button.click()
    assert len(list(folder.iterdir())) == 1
    assert dialog.summary_label.text() == f"1 convention enregistrée dans « {folder} », 2 refusées."
    details = dialog.summary_view.toPlainText().splitlines()
    assert details[0] == "Refusées :"
    assert details[1].startswith(f"• Stage n° {ids[1]} (") and details[1].endswith(
        "Tuteur : désignez le tuteur dans la structure d'accueil (Code de l'éducation, D124-4)")
    assert details[2].startswith(f"• Stage n° {ids[2]} (") and "Convention annulée" in details[2]
    assert statuses(store, ids) == [S.PRINTED, S.DRAFT, S.CANCELLED]


def test_a_cancelled_batch_of_five_puts_nothing_in_the_folder(window, store, qtbot, tmp_path):
    ids = printable_drafts(store, 5)
    folder = tmp_path / "annule"
    dialog = open_batch(window, qtbot, ids, folder)
    dialog.start_button.click()
    assert dialog.worker is not None and dialog.progress is not None
    with qtbot.waitSignal(dialog.worker.signals.cancelled, timeout=20_000):
        cancel = dialog.progress.dialog.findChild(QPushButton)
        assert cancel.text() == "Annuler"
        cancel.click()                        # « Annuler » in the progress dialog, shown or not yet
    qtbot.waitUntil(lambda: dialog.close_button.isEnabled())
    assert list(folder.iterdir()) == []       # not even the hidden staging folder
    assert dialog.summary_label.text().startswith("Enregistrement annulé : aucun fichier n'a été ajouté")
    assert statuses(store, ids) == [S.DRAFT] * 5 and dialog.outcome is None


def test_the_folder_is_chosen_through_the_french_dialog(window, store, qtbot, tmp_path, monkeypatch):
    ids = printable_drafts(store, 1)
    dialog = open_batch(window, qtbot, ids, tmp_path)
    asked = []
    chosen = tmp_path / "choisi"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *args: asked.append(args[1]) or str(chosen)))
    dialog.choose_button.click()
    assert asked == ["Dossier où enregistrer les conventions"] and dialog.folder_edit.text() == str(chosen)
