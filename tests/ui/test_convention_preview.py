"""A placement's convention from the Stages tab: preview, save, print, refusals, tracking, signed copy, avenants."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from sqlalchemy import select

from poledesk.data.conventions import tracking as convention_tracking
from poledesk.data.enums import ConventionStatus
from poledesk.data.models import Placement
from poledesk.data.placements import form as placements
from poledesk.reports.convention_files import convention_pdf
from poledesk.ui.dialogs.amendment_dialog import AmendmentDialog
from poledesk.ui.dialogs.convention_preview_dialog import ConventionPreviewDialog, load_pdf, print_pdf
from poledesk.ui.dialogs.signature_dialog import SignatureDialog
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


def states(store, status: ConventionStatus) -> list[convention_tracking.ConventionState]:
    with store.session() as session:
        ids = session.scalars(select(Placement.id).where(Placement.convention_status == status)
                              .order_by(Placement.id)).all()
        return [convention_tracking.convention_state(session, i, today=TODAY) for i in ids]


def clean(store, status: ConventionStatus) -> convention_tracking.ConventionState:
    """A convention in `status` with no finding at all: printed without a question."""
    return next(s for s in states(store, status) if not s.findings)


def pupil_last_name(store, placement_id: int) -> str:
    with store.session() as session:
        return session.get(Placement, placement_id).pupil.last_name


def stored(store, placement_id: int) -> Placement:
    with store.session() as session:
        return session.get(Placement, placement_id)


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def show(window, qtbot, placement_id: int):
    tab = window.placements_tab
    assert tab.select_id(placement_id)
    qtbot.waitUntil(lambda: tab.panel.state is not None and tab.panel.state.placement_id == placement_id)
    return tab.panel


def click(button) -> None:
    assert button.isEnabled() and button.isVisible(), button.text()
    button.click()


def test_preview_shows_page_one_then_save_writes_the_pupils_convention(window, store, qtbot, tmp_path, monkeypatch):
    draft = clean(store, S.DRAFT)
    panel = show(window, qtbot, draft.placement_id)
    assert panel.status_label.text().endswith("Brouillon") and not panel.findings_label.isVisible()
    click(panel.preview_button)
    qtbot.waitUntil(lambda: isinstance(panel.preview_dialog, ConventionPreviewDialog)
                    and panel.preview_dialog.isVisible())
    dialog = panel.preview_dialog
    qtbot.waitUntil(lambda: dialog.document.status() == QPdfDocument.Status.Ready)
    pages = dialog.document.pageCount()
    assert pages > 1 and dialog.view.document() is dialog.document
    assert dialog.view.pageNavigator().currentPage() == 0 and dialog.page_label.text() == f"Page 1 sur {pages}"
    assert not dialog.previous_button.isEnabled()
    click(dialog.next_button)
    qtbot.waitUntil(lambda: dialog.current_page == 1)
    assert dialog.page_label.text() == f"Page 2 sur {pages}" and dialog.previous_button.isEnabled()
    target = tmp_path / "visite" / "convention-lea"          # no suffix: « .pdf » is added
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args: asked.append(args) or (str(target), "Document PDF (*.pdf)")))
    click(dialog.save_button)
    written = target.with_suffix(".pdf")
    qtbot.waitUntil(written.exists)
    assert asked[0][1].startswith("Enregistrer en PDF") and asked[0][2].endswith(draft.file_name("convention"))
    assert pupil_last_name(store, draft.placement_id).upper() in pdf_text(written.read_bytes())
    assert len(PdfReader(written).pages) == pages
    placement = stored(store, draft.placement_id)
    assert (placement.convention_status, placement.printed_on) == (S.PRINTED, TODAY)
    qtbot.waitUntil(lambda: "Imprimée le" in panel.status_label.text())
    assert window.placements_tab.current_row().convention_status is S.PRINTED    # the list shows it too
    banner = window.banner                                   # where the file went, and the next steps
    assert banner.isVisible() and banner.text_label.text() == f"PDF enregistré : {written.name}"
    assert banner.details_label.text() == str(written.parent)
    assert [b.text() for b in banner.step_buttons] == ["Ouvrir", "Ouvrir le dossier"]
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile())))
    click(banner.button("Ouvrir le dossier"))
    assert opened == [str(written.parent)] and not banner.isVisible()


def test_a_blocking_finding_disables_the_convention_and_names_the_field(window, store, qtbot):
    draft = clean(store, S.DRAFT)
    with store.transaction() as session:   # the tutor removed through the service
        form = placements.placement_form(session, draft.placement_id)
        placements.save_placement(session, replace(form, tutor_id=None), draft.placement_id)
    panel = show(window, qtbot, draft.placement_id)
    for button in (panel.preview_button, panel.print_button, panel.save_button):
        assert not button.isEnabled()
    assert panel.findings_label.isVisible()
    text = panel.findings_label.text()
    assert text.startswith("Impression impossible : 1 point bloquant") and "Tuteur : désignez le tuteur" in text
    panel.print_convention()                                    # even called directly: nothing happens
    assert panel.message_box is None and stored(store, draft.placement_id).convention_status is S.DRAFT
    click(panel.fix_button)                                     # the tutor is chosen again in the form
    tab = window.placements_tab
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible())
    tab.dialog.tutor_combo.setCurrentIndex(1)
    tab.dialog.save_button.click()
    qtbot.waitUntil(lambda: panel.state.printable)
    assert panel.print_button.isEnabled() and not panel.findings_label.isVisible() and not panel.fix_button.isVisible()


def test_a_rejected_print_dialog_prints_nothing_and_keeps_the_draft(window, store, qtbot, monkeypatch):
    draft = clean(store, S.DRAFT)
    panel = show(window, qtbot, draft.placement_id)
    opened = []

    def reject(dialog: QPrintDialog) -> int:
        opened.append(dialog.windowTitle())
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(QPrintDialog, "exec", reject)
    click(panel.print_button)
    qtbot.waitUntil(lambda: bool(opened))
    assert opened[0].startswith("Imprimer – Convention")
    assert stored(store, draft.placement_id).convention_status is S.DRAFT and panel.state.status is S.DRAFT


def test_printing_to_a_pdf_printer_prints_every_page_and_marks_it_printed(window, store, qtbot, tmp_path,
                                                                          monkeypatch):
    draft = clean(store, S.DRAFT)
    panel = show(window, qtbot, draft.placement_id)
    output = tmp_path / "imprimante.pdf"

    def print_to_file(dialog: QPrintDialog) -> int:   # what a user does choosing « Imprimer dans un fichier »
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(output))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", print_to_file)
    click(panel.print_button)
    qtbot.waitUntil(lambda: stored(store, draft.placement_id).convention_status is S.PRINTED)
    with store.session() as session:
        expected = len(PdfReader(io.BytesIO(convention_pdf(session, draft.placement_id, today=TODAY))).pages)
    printed = PdfReader(output)
    assert len(printed.pages) == expected
    width, height = float(printed.pages[0].mediabox.width), float(printed.pages[0].mediabox.height)
    assert abs(width - 595) < 3 and abs(height - 842) < 3                         # A4 portrait
    assert stored(store, draft.placement_id).printed_on == TODAY
    # The convention's own PDF, with its text, not pages rendered as images (megabytes, nothing to search).
    text = " ".join(page.extract_text() for page in printed.pages)
    assert "convention" in text.lower() and "annexe" in text.lower()
    assert output.stat().st_size < 500_000


def test_print_pdf_honours_the_page_range(qtbot, store, tmp_path):
    with store.session() as session:
        data = convention_pdf(session, clean(store, S.PRINTED).placement_id, today=TODAY)
    document = QPdfDocument()
    buffer = load_pdf(document, data)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "pages-2-3.pdf"))
    printer.setFullPage(True)
    printer.setFromTo(2, 3)
    assert print_pdf(document, printer) == 2
    assert len(PdfReader(tmp_path / "pages-2-3.pdf").pages) == 2
    buffer.close()


def test_warnings_ask_before_printing(window, store, qtbot, monkeypatch):
    draft = clean(store, S.DRAFT)
    with store.transaction() as session:   # a period that started yesterday: printed late, a warning
        form = placements.placement_form(session, draft.placement_id)
        shift = form.start_date - (TODAY - timedelta(days=1))
        placements.save_placement(session, replace(form, start_date=form.start_date - shift,
                                                   end_date=form.end_date - shift), draft.placement_id)
    with store.session() as session:
        warned = convention_tracking.convention_state(session, draft.placement_id, today=TODAY)
    assert warned.warnings and not warned.blocking
    panel = show(window, qtbot, warned.placement_id)
    assert panel.warnings_label.isVisible() and warned.warnings[0].message in panel.warnings_label.text()
    opened = []
    monkeypatch.setattr(QPrintDialog, "exec", lambda dialog: opened.append(1) or QDialog.DialogCode.Rejected)
    click(panel.print_button)
    box = panel.message_box
    count = len(warned.warnings)
    assert box is not None and box.isVisible()
    assert box.text().startswith(f"La convention présente {count} point{'s' if count > 1 else ''} d'attention :")
    assert box.text().endswith("Imprimer quand même ?") and warned.warnings[0].message in box.text()
    box.button(QMessageBox.StandardButton.No).click()
    assert opened == []
    click(panel.print_button)
    panel.message_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: opened == [1])


def test_sign_then_cancel_from_the_tracking_page(window, store, qtbot):
    printed = next(s for s in states(store, S.PRINTED) if not s.findings and s.printed_on < TODAY - timedelta(days=1))
    panel = show(window, qtbot, printed.placement_id)
    moves = panel.tracking.move_buttons
    click_hidden_tab(panel)
    assert [to for to, b in moves.items() if b.isVisible()] == [S.SIGNED, S.SIGNED_OUTSIDE, S.DRAFT, S.CANCELLED]
    click(moves[S.SIGNED])
    dialog = panel.dialog
    assert isinstance(dialog, SignatureDialog) and dialog.isVisible()
    dialog.date_edit.set_value(TODAY - timedelta(days=1))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: panel.state.status is S.SIGNED)
    yesterday = f"{TODAY - timedelta(days=1):%d/%m/%Y}"
    assert f"Signée le {yesterday}" in panel.status_label.text()
    assert [to for to, b in moves.items() if b.isVisible()] == [S.CANCELLED]
    assert panel.tracking.attach_button.isEnabled() and panel.tracking.amend_button.isVisible()
    click(moves[S.CANCELLED])
    assert "Annuler la convention de" in panel.message_box.text()
    panel.message_box.button(QMessageBox.StandardButton.No).click()
    assert stored(store, printed.placement_id).convention_status is S.SIGNED
    click(moves[S.CANCELLED])
    panel.message_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: panel.state.status is S.CANCELLED)
    assert stored(store, printed.placement_id).cancelled_on == TODAY
    assert not panel.print_button.isEnabled() and panel.findings_label.text().startswith("Convention annulée le")
    assert not any(b.isVisible() for b in moves.values())


def click_hidden_tab(panel) -> None:
    """Show the « Suivi de la convention » page, as the user does to reach its buttons."""
    panel.tabs.setCurrentWidget(panel.tracking)


def test_back_to_draft_only_from_printed(window, store, qtbot):
    printed = clean(store, S.PRINTED)
    panel = show(window, qtbot, printed.placement_id)
    click_hidden_tab(panel)
    click(panel.tracking.move_buttons[S.DRAFT])
    qtbot.waitUntil(lambda: panel.state.status is S.DRAFT)
    assert stored(store, printed.placement_id).printed_on is None
    assert not panel.tracking.move_buttons[S.DRAFT].isVisible()


def test_the_signed_copy_is_attached_opened_and_refused_once_altered(window, store, qtbot, tmp_path, monkeypatch):
    signed = clean(store, S.SIGNED)
    panel = show(window, qtbot, signed.placement_id)
    click_hidden_tab(panel)
    assert not panel.tracking.open_copy_button.isEnabled()
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n% signee par les quatre parties\n%%EOF\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(scan), "")))
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    click(panel.tracking.attach_button)
    qtbot.waitUntil(lambda: bool(panel.state.signed_copy_file))
    assert panel.tracking.copy_label.text().startswith("Copie jointe : convention-signee-")
    click(panel.tracking.open_copy_button)
    copy = store.folder / "conventions-signees" / panel.state.signed_copy_file
    assert [url.toLocalFile() for url in opened] == [str(copy)]
    copy.write_bytes(copy.read_bytes() + b"% retouche\n")
    click(panel.tracking.open_copy_button)
    assert len(opened) == 1 and panel.message_box.isVisible() and "a été modifiée" in panel.message_box.text()
    copy.unlink()
    click(panel.tracking.open_copy_button)
    assert len(opened) == 1 and "déplacée ou supprimée" in panel.message_box.text()


def test_editing_a_signed_placement_makes_an_avenant_listed_and_previewed(window, store, qtbot):
    signed = next(s for s in states(store, S.SIGNED) if not s.blocking and not s.amendments)
    tab = window.placements_tab
    panel = show(window, qtbot, signed.placement_id)
    click_hidden_tab(panel)
    click(panel.tracking.amend_button)
    qtbot.waitUntil(lambda: isinstance(tab.dialog, AmendmentDialog) and tab.dialog.isVisible())
    dialog = tab.dialog
    assert dialog.save_button.text() == "Enregistrer"
    new_end = signed.end_date + timedelta(days=7)
    dialog.end_edit.set_value(new_end)
    assert f"Date de fin : {signed.end_date:%d/%m/%Y} → {new_end:%d/%m/%Y}" in dialog.changes_label.text()
    assert dialog.save_button.text() == "Enregistrer l'avenant"
    dialog.save_button.click()                                   # no reason: refused in place
    assert dialog.isVisible() and "motif" in dialog.errors.text("reason")
    dialog.reason_edit.setText("Prolongation d'une semaine à la demande du tuteur")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: len(panel.state.amendments) == 1)
    item = panel.tracking.amendments_list.item(0).text()
    assert item.startswith(f"Avenant n° 1 du {TODAY:%d/%m/%Y}") and item.endswith("à faire signer")
    assert stored(store, signed.placement_id).end_date == new_end
    assert stored(store, signed.placement_id).convention_status is S.SIGNED
    click(panel.tracking.amendment_preview_button)
    qtbot.waitUntil(lambda: panel.preview_dialog is not None and panel.preview_dialog.isVisible())
    preview = panel.preview_dialog
    assert preview.windowTitle().startswith("Avenant n° 1")
    qtbot.waitUntil(lambda: preview.document.status() == QPdfDocument.Status.Ready)
    assert preview.document.pageCount() >= 1
    assert f"{new_end:%d/%m/%Y}" in pdf_text(preview.data)


def test_the_attestation_once_the_period_has_started(window, store, qtbot):
    started = next(s for s in states(store, S.SIGNED) if s.start_date <= TODAY)
    future = next(s for s in states(store, S.DRAFT) if s.start_date > TODAY)
    panel = show(window, qtbot, future.placement_id)
    assert not panel.tracking.attestation_button.isEnabled()
    assert f"le {future.start_date:%d/%m/%Y}" in panel.tracking.attestation_label.text()
    panel = show(window, qtbot, started.placement_id)
    click_hidden_tab(panel)
    click(panel.tracking.attestation_button)
    qtbot.waitUntil(lambda: panel.preview_dialog is not None and panel.preview_dialog.isVisible())
    assert panel.preview_dialog.windowTitle().startswith("Attestation de stage")
    assert pupil_last_name(store, started.placement_id).upper() in pdf_text(panel.preview_dialog.data)


def test_a_printer_that_will_not_start_is_said_and_nothing_is_recorded(window, store, qtbot, tmp_path, monkeypatch):
    draft = clean(store, S.DRAFT)
    panel = show(window, qtbot, draft.placement_id)

    def unreachable(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(tmp_path / "absent" / "dossier" / "sortie.pdf"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", unreachable)
    click(panel.print_button)
    qtbot.waitUntil(lambda: panel.message_box is not None and panel.message_box.isVisible())
    assert panel.message_box.text().startswith("L'impression n'a pas pu démarrer")
    assert stored(store, draft.placement_id).convention_status is S.DRAFT
