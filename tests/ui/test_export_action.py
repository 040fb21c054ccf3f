"""Fichier > Exporter… through the main window: the suggested name, a workbook that reopens with its four sheets,
and the path in the status bar."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog

from poledesk.data.partners import listing as partners
from poledesk.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, store):
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.runner.busy)       # the Tableau de bord's first read is done
    yield window
    window.runner.wait(10_000)


def test_export_writes_the_partners_workbook_and_says_where(window, store, qtbot, monkeypatch, tmp_path):
    asked: list[tuple[str, str]] = []
    target = tmp_path / "exports" / "réseau du pôle"          # no suffix typed: .xlsx is added
    target.parent.mkdir()

    def choose_file(_parent, caption, suggested, _filter):
        asked.append((caption, Path(suggested).name))
        return str(target), "Classeur Excel (*.xlsx)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose_file))
    with qtbot.waitSignal(window.spreadsheet_actions.exported, timeout=20_000) as blocker:
        window.export_action.trigger()
    assert asked == [("Exporter les partenaires", f"partenaires-{date.today():%Y-%m-%d}.xlsx")]
    written = target.with_name("réseau du pôle.xlsx")
    assert blocker.args[0].path == written and written.exists()
    message = window.statusBar().currentMessage()
    assert message.startswith(f"Partenaires exportés dans {written} (Partenaires : ")
    workbook = openpyxl.load_workbook(written)
    assert workbook.sheetnames == ["Partenaires", "Contacts", "Offres", "Visites"]
    with store.session() as session:
        expected = partners.count_partners(session)
    sheet = workbook["Partenaires"]
    assert sheet.max_row == expected + 1 and sheet["A1"].value == "Nom"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    assert not list(target.parent.glob(".*partiel"))             # no temporary file left behind


def test_an_export_cancelled_from_the_file_dialog_writes_nothing(window, qtbot, monkeypatch, tmp_path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_args: ("", "")))
    window.export_action.trigger()
    assert not window.runner.busy
    assert window.statusBar().currentMessage() == ""
    assert list(tmp_path.iterdir()) == [tmp_path / "demo"]
