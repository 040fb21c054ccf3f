"""The import wizard reads a path as it is typed; the export offers the partners shown as well as all of them."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWizard

from poledesk.data.partners import listing as partners
from poledesk.ui.dialogs.import_pages import path_from_text
from poledesk.ui.main_window import MainWindow

NEXT = QWizard.WizardButton.NextButton


@pytest.fixture
def window(qtbot, store):
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.runner.busy)
    window.tabs.setCurrentWidget(window.partners_tab)
    yield window
    window.runner.wait(10_000)


def test_pasted_and_quoted_paths_name_the_file_meant(tmp_path):
    target = tmp_path / "réseau été.xlsx"
    assert path_from_text(f'  "{target}" ') == target
    assert path_from_text(f"'{target}'") == target
    assert path_from_text(target.as_uri()) == target
    assert path_from_text("~/réseau.xlsx") == Path.home() / "réseau.xlsx"
    assert path_from_text("   ") is None


def test_a_typed_path_is_read_and_suivant_goes_on_at_the_first_click(window, qtbot, tmp_path):
    path = tmp_path / "reseau ete.xlsx"      # typed keys are ASCII for QTest; the space is what matters
    workbook = openpyxl.Workbook()
    workbook.active.append(["Raison sociale", "Code postal", "Ville"])
    workbook.active.append(["Salon Élégance", "54000", "Nancy"])
    workbook.save(path)
    window.import_action.trigger()
    wizard = window.spreadsheet_actions.wizard
    qtbot.waitExposed(wizard)
    page = wizard.file_page
    page.path_edit.setFocus()
    qtbot.keyClicks(page.path_edit, f'"{path}"')            # as « Copier en tant que chemin d'accès » pastes it
    assert wizard.button(NEXT).isEnabled()
    qtbot.mouseClick(wizard.button(NEXT), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.mapping_page, timeout=10_000)
    assert wizard.sheet is not None and wizard.sheet.path == path and len(wizard.sheet.rows) == 1
    wizard.reject()


def test_export_offers_the_partners_shown_by_the_search(window, store, qtbot, monkeypatch, tmp_path):
    tab = window.partners_tab
    tab.search_edit.setText("boulangerie")
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0)
    target = tmp_path / "affichés.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_args: (str(target), "")))
    window.export_action.trigger()
    box = window.spreadsheet_actions.scope_box
    assert box is not None and box.isVisible()
    with store.session() as session:
        shown = partners.count_matching(session, "boulangerie")
        total = partners.count_partners(session)
    assert f"affiche {shown} partenaire" in box.text() and f"sur {total}" in box.text()
    choice = next(b for b in box.buttons() if b.text() == f"Les partenaires affichés ({shown})")
    assert box.buttonRole(choice) is QMessageBox.ButtonRole.AcceptRole
    with qtbot.waitSignal(window.spreadsheet_actions.exported, timeout=20_000) as blocker:
        qtbot.mouseClick(choice, Qt.MouseButton.LeftButton)
    assert blocker.args[0].partners == shown
    sheet = openpyxl.load_workbook(target)["Partenaires"]
    assert sheet.max_row == shown + 1


def test_without_a_search_or_filter_the_whole_network_is_exported_without_asking(window, qtbot, monkeypatch,
                                                                                  tmp_path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_args: (str(tmp_path / "tout.xlsx"), "")))
    with qtbot.waitSignal(window.spreadsheet_actions.exported, timeout=20_000):
        window.export_action.trigger()
    assert window.spreadsheet_actions.scope_box is None
