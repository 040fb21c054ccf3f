"""Fichier > Importer… with « Des périodes de stage planifiées »: the sheet mapped, bad rows explained row by row,
nothing written unless the valid rows are asked for, then the Planification tab counts the new period."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWizard

from poledesk.data.establishments import listing as establishments
from poledesk.data.planning import periods
from poledesk.data.validation import uai_key
from poledesk.ui.forms import select_data
from poledesk.ui.main_window import MainWindow

NEXT = QWizard.WizardButton.NextButton
FINISH = QWizard.WizardButton.FinishButton
YEAR = "2026-2027"


@pytest.fixture
def window(qtbot, store):
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.runner.wait(10_000)


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def count_periods(store) -> int:
    with store.session() as session:
        return len(periods.list_periods(session))


def test_periods_are_imported_through_the_wizard_and_bad_rows_are_explained(window, store, qtbot, monkeypatch,
                                                                            tmp_path):
    with store.session() as session:
        school = establishments.search_establishments(session)[0]
    path = tmp_path / "périodes.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Code UAI", "Classe", "Public", "Date de début", "Date de fin", "Nombre d'élèves"])
    book.active.append([school.uai, "1re MCV Z", "PFMP – Bac pro", date(2027, 4, 12), date(2027, 4, 23), 14])
    book.active.append(["0549999" + uai_key("0549999"), "1re MCV Y", "PFMP – Bac pro", date(2027, 4, 12), date(2027, 4, 23), 14])
    book.active.append([school.uai, "1re MCV X", "PFMP – Bac pro", date(2027, 4, 23), date(2027, 4, 12), 14])
    book.active.append([school.uai, "1re MCV W", "PFMP – Bac pro", date(2027, 4, 12), date(2027, 4, 23), 0])
    book.save(path)
    before = count_periods(store)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *_args: (str(path), "")))
    window.import_action.trigger()
    wizard = window.spreadsheet_actions.wizard
    qtbot.waitExposed(wizard)
    click(qtbot, wizard.file_page.browse_button)
    qtbot.waitUntil(lambda: not wizard.file_page.reading, timeout=10_000)
    wizard.file_page.periods_radio.setChecked(True)
    assert wizard.subject == "periods"
    click(qtbot, wizard.button(NEXT))
    click(qtbot, wizard.button(NEXT))
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.plan_page, timeout=20_000)
    lines = [(line.row_number, line.action, line.column, line.detail) for line in wizard.plan_page.proxy.shown_rows()]
    assert lines[0][:2] == (2, "create")
    assert [line[:3] for line in lines[1:]] == [(3, "reject", "Code UAI"), (4, "reject", "Date de fin"),
                                                (5, "reject", "Nombre d'élèves")]
    assert "UAI inconnu" in lines[1][3] and "précède le début" in lines[2][3] and "au moins 1" in lines[3][3]
    assert not wizard.button(FINISH).isEnabled()                 # rows rejected: nothing imported by default
    wizard.plan_page.include_check.setChecked(True)
    with qtbot.waitSignal(window.spreadsheet_actions.imported, timeout=20_000) as blocker:
        click(qtbot, wizard.button(FINISH))
    assert (blocker.args[0].created, blocker.args[0].rejected) == (1, 3)
    assert count_periods(store) == before + 1
    tab = window.planning_tab
    select_data(tab.year_combo, YEAR)
    with qtbot.waitSignal(tab.loaded, timeout=20_000):
        window.tabs.setCurrentWidget(tab)
    imported = [p for p in tab.base.facts.periods if p.division == "1re MCV Z"]
    assert [(p.start_date, p.pupils, p.establishment_id) for p in imported] == [(date(2027, 4, 12), 14, school.id)]
