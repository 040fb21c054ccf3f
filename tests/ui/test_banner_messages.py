"""Every action says what it did in the window's one banner: a copy of the store, a session planned, a proposal and
its answer, a status move, a signature, a cancelled convention."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import select

from poledesk.data.conventions import tracking as convention_tracking
from poledesk.data.enums import ConventionStatus, EscalationStatus
from poledesk.data.models import Placement
from poledesk.ui import messages
from poledesk.ui.dialogs.proposal_dialog import AnswerDialog, ProposalDialog
from poledesk.ui.dialogs.signature_dialog import SignatureDialog
from poledesk.ui.main_window import MainWindow

S = ConventionStatus
LEFT = Qt.MouseButton.LeftButton
TODAY = date.today()


@pytest.fixture
def window(qtbot, store):
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.runner.wait(5000)


def said(qtbot, window, text: str) -> None:
    qtbot.waitUntil(lambda: window.banner.isVisible() and window.banner.text_label.text().startswith(text))


def clean(store, status: ConventionStatus) -> int:
    with store.session() as session:
        ids = session.scalars(select(Placement.id).where(Placement.convention_status == status))
        return next(i for i in ids if not convention_tracking.convention_state(session, i, today=TODAY).findings)


def test_a_copy_of_the_store_says_where_it_went(window, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "sauvegardes" / "copie.sqlite"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "")))
    window.save_copy()
    said(qtbot, window, "Copie de la base enregistrée : copie.sqlite")
    assert target.exists() and str(target.parent) in window.banner.details_label.text()
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile())))
    qtbot.mouseClick(window.banner.button("Ouvrir le dossier"), LEFT)
    assert opened == [str(target.parent)]


def test_a_session_planned_is_said(window, qtbot):
    tab = window.trainings_tab
    window.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.new_button, LEFT)
    dialog = tab.dialog
    qtbot.waitExposed(dialog)
    dialog.title_edit.setText("Accueillir un collégien en observation")
    dialog.place_edit.setText("Lycée Jean-Prouvé, salle 12")
    dialog.date_edit.set_value(TODAY)
    dialog.start_edit.setTime(QTime(14, 0))
    dialog.end_edit.setTime(QTime(17, 0))
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    said(qtbot, window, "Session programmée : invitez les tuteurs depuis sa fiche.")


def test_a_proposal_its_answer_and_a_status_move_are_said(window, qtbot):
    tab = window.escalations_tab
    window.tabs.setCurrentWidget(tab)
    panel = tab.panel
    row = next(r for r in tab.proxy.shown_rows() if r.status is EscalationStatus.SEARCHING)
    assert tab.select_id(row.id)
    qtbot.waitUntil(lambda: panel.escalation is not None and panel.escalation.id == row.id)
    panel.tabs.setCurrentIndex(1)
    panel.candidates_panel.list.setCurrentRow(0)
    partner = panel.candidates_panel.candidates()[0].name
    qtbot.mouseClick(panel.candidates_panel.propose_button, LEFT)
    assert isinstance(panel.dialog, ProposalDialog)
    qtbot.mouseClick(panel.dialog.save_button, LEFT)
    said(qtbot, window, f"Proposition à {partner} notée : sa réponse est attendue")
    qtbot.waitUntil(lambda: panel.proposals_panel.current_proposal() is not None)
    qtbot.mouseClick(panel.proposals_panel.answer_button, LEFT)
    answer = panel.dialog
    assert isinstance(answer, AnswerDialog)
    answer.reason_edit.setText("Équipe réduite en janvier")
    qtbot.mouseClick(answer.save_button, LEFT)
    said(qtbot, window, f"Réponse de {partner} notée.")
    target = next(to for to in panel.move_actions if to is not EscalationStatus.CLOSED_UNSOLVED
                  and to is not EscalationStatus.WITHDRAWN)
    panel.move_actions[target].trigger()
    said(qtbot, window, f"Sollicitation passée à « {target.label} ».")


def test_a_signature_and_a_cancellation_are_said(window, qtbot, store):
    tab = window.placements_tab
    window.tabs.setCurrentWidget(tab)
    printed = clean(store, S.PRINTED)
    assert tab.select_id(printed)
    qtbot.waitUntil(lambda: tab.panel.state is not None and tab.panel.state.placement_id == printed)
    qtbot.mouseClick(tab.panel.tracking.move_buttons[S.SIGNED], LEFT)
    dialog = tab.panel.dialog
    assert isinstance(dialog, SignatureDialog)
    qtbot.mouseClick(dialog.save_button, LEFT)
    said(qtbot, window, "Signature de la convention enregistrée.")
    assert "copie signée" in window.banner.details_label.text()
    qtbot.waitUntil(lambda: tab.panel.state is not None and tab.panel.state.status is S.SIGNED)
    qtbot.mouseClick(tab.panel.tracking.move_buttons[S.CANCELLED], LEFT)
    qtbot.mouseClick(tab.panel.message_box.button(messages.YES), LEFT)
    said(qtbot, window, "Convention annulée.")
    with store.session() as session:
        assert session.get(Placement, printed).convention_status is S.CANCELLED


def test_a_batch_of_conventions_and_the_programme_pdf_say_where_they_went(window, qtbot, store, tmp_path):
    from PySide6.QtCore import QItemSelectionModel

    tab = window.placements_tab
    window.tabs.setCurrentWidget(tab)
    drafts = [r.id for r in tab.proxy.shown_rows() if r.convention_status is S.DRAFT][:8]
    with store.session() as session:
        printable = [i for i in drafts if not convention_tracking.blocking_messages(session, i, today=TODAY)][:2]
    assert len(printable) == 2
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    tab.table.clearSelection()
    for placement_id in printable:
        row = next(r for r in range(tab.proxy.rowCount()) if tab.proxy.row_at(r).id == placement_id)
        tab.table.selectionModel().select(tab.proxy.index(row, 0), flags)
    tab.batch_button.click()
    dialog = tab.dialog
    folder = tmp_path / "lot"
    dialog.folder_edit.setText(str(folder))
    with qtbot.waitSignal(dialog.finished_batch, timeout=20_000):
        dialog.start_button.click()
    said(qtbot, window, "2 conventions enregistrées en PDF.")
    assert window.banner.details_label.text() == str(folder)
    assert [b.text() for b in window.banner.step_buttons] == ["Ouvrir le dossier"]
    qtbot.waitUntil(dialog.close_button.isEnabled)
    dialog.close()
    target = tmp_path / "programme.pdf"
    assert window.programme_tab.save_document("programme", target) == target
    said(qtbot, window, "PDF enregistré : programme.pdf")
    assert [b.text() for b in window.banner.step_buttons] == ["Ouvrir", "Ouvrir le dossier"]
