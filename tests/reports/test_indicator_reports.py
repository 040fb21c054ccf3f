"""The académie workbook reopened (formulas, totals), the PDFs read back, and `poledesk report` run for real."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

import indicator_fixture as fixture
from poledesk import cli
from poledesk.data.actions.programme import ActionForm, ReviewForm, review_action, save_action
from poledesk.data.enums import ActionAxis, ActionReview
from poledesk.reports import indicator_documents as documents

TODAY = fixture.TODAY


@pytest.fixture
def two_poles(pole_store):
    """The hand-counted pole NM-07, and NM-08 with 60 bac pro pupils, 6 places and a partner NM-07 knows too."""
    with pole_store.transaction() as session:
        fixture.build(session)
        fixture.add_second_pole(session)
        action_id = save_action(session, ActionForm(
            school_year=fixture.YEAR, axis=ActionAxis.PATHWAYS, title="Zéro élève sans stage en 3e",
            description="Relancer les collèges en décembre.", starts_on=date(2025, 12, 1),
            indicator="unplaced_0_days", target="0"))
        review_action(session, action_id, ReviewForm(ActionReview.PARTLY, "Deux élèves restés sans stage", "2"))
    return pole_store


def column_of(sheet, title):
    return next(cell.column for cell in sheet[2] if cell.value == title)


def test_the_workbook_has_a_row_per_pole_live_totals_and_a_chart(two_poles, tmp_path):
    path = tmp_path / "indicateurs.xlsx"
    with two_poles.session() as session:
        written = documents.write_indicators(session, fixture.YEAR, path, today=TODAY)
    assert written.poles == 2
    book = load_workbook(path)
    assert {"Sollicitations", "Carte de l'académie", "Partenaires partagés", "Définitions"} <= set(book.sheetnames)
    sheet = book["Offres et élèves du bassin"]
    assert [sheet.cell(row, 1).value for row in (3, 4, 5)] == ["NM-07", "NM-08", "Académie"]
    places = column_of(sheet, "Places offertes par élève à placer : numérateur")
    letter = sheet.cell(2, places).column_letter
    assert sheet.cell(5, places).value == f"=SUM({letter}3:{letter}4)"
    assert sheet.cell(3, places).value + sheet.cell(4, places).value == 35 + 6
    pupils = places + 1
    assert sheet.cell(3, pupils).value + sheet.cell(4, pupils).value == 140 + 60
    ratio = sheet.cell(5, places + 2).value
    assert ratio.startswith("=IF(") and f"{letter}5/" in ratio
    assert len(sheet._charts) == 1
    escalations = book["Sollicitations"]
    received = column_of(escalations, "Sollicitations reçues")
    assert [escalations.cell(r, received).value for r in (3, 4)] == [5, 0]
    shared = book["Partenaires partagés"]
    assert (shared.cell(3, 1).value, shared.cell(3, 2).value) == ("NM-07, NM-08", "Boulangerie Un")
    area = book["Carte de l'académie"]
    assert area.cell(5, 4).value == "=SUM(D3:D4)" and area.cell(3, 3).value == 3


def pdf_text(path) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(path).pages).replace("\u2019", "'")
    return " ".join(text.split())    # lines wrap inside table cells


def test_the_pdfs_read_back(two_poles, tmp_path):
    with two_poles.session() as session:
        documents.write_indicators(session, fixture.YEAR, tmp_path / "i.pdf", today=TODAY)
        documents.write_programme(session, fixture.YEAR, tmp_path / "p.pdf", today=TODAY)
        documents.write_bilan(session, fixture.YEAR, tmp_path / "b.pdf", today=TODAY)
    summary = pdf_text(tmp_path / "i.pdf")
    assert "Indicateurs 2025-2026" in summary and "Carte de l'académie" in summary
    assert "Places offertes par élève à placer" in summary and "non renseigné" in summary
    programme = pdf_text(tmp_path / "p.pdf")
    assert "Programme d'actions 2025-2026" in programme and "Zéro élève sans stage en 3e" in programme
    assert "Axe 2 – Mobilisation des partenaires" in programme and "Aucune action prévue" in programme
    bilan = pdf_text(tmp_path / "b.pdf")
    assert "Bilan 2025-2026" in bilan and "Partiellement réalisée" in bilan
    assert "Deux élèves restés sans stage" in bilan and "mesuré 2" in bilan
    assert "Indicateurs clés : 2025-2026 et 2024-2025" in bilan


def test_report_commands_write_files_and_refuse_in_french(two_poles, tmp_path, capsys):
    folder = str(two_poles.folder)
    two_poles.close()
    assert cli.main(["--data-dir", folder, "report", "bilan", "--year", fixture.YEAR,
                     "--out", str(tmp_path / "b.pdf")]) == 0
    assert "Bilan écrit" in capsys.readouterr().out
    assert cli.main(["--data-dir", folder, "report", "programme", "--year", "2025",
                     "--out", str(tmp_path / "p.pdf")]) == 1
    assert "Année scolaire invalide" in capsys.readouterr().err
    assert not (tmp_path / "p.pdf").exists()
    result = subprocess.run([sys.executable, "-m", "poledesk", "--data-dir", folder, "report", "indicators",
                             "--year", fixture.YEAR, "--out", str(tmp_path / "i.xlsx")],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "Indicateurs écrits" in result.stdout and "2 pôles" in result.stdout
    assert load_workbook(tmp_path / "i.xlsx")["Évolution"].cell(2, 3).value == fixture.YEAR
    result = subprocess.run([sys.executable, "-m", "poledesk", "--data-dir", folder, "report", "indicators",
                             "--year", fixture.YEAR, "--out", str(tmp_path / "i.doc")],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1 and ".xlsx (classeur) ou .pdf" in result.stderr
