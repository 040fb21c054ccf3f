"""Exports that are safe to open: text that a spreadsheet could take for a formula is written as text, in .xlsx,
.ods and csv alike; exports go to .ods and to the csv French Excel opens (UTF-8 with BOM, semicolons)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from poledesk.data.models import Contact
from poledesk.data.partners.edits import PartnerForm, save_partner
from poledesk.data.spreadsheets.errors import SpreadsheetError
from poledesk.data.spreadsheets.export import export_partners
from poledesk.data.spreadsheets.reading import read_sheet
from poledesk.data.spreadsheets.writing import FORMULA_TRIGGERS, csv_bytes, csv_text, looks_like_formula
from poledesk.data.trainings import listing as trainings
from poledesk.reports import trainings as documents

LINK = '=HYPERLINK("http://exemple.invalid/piege","Cliquez")'
HOSTILE_NOTES = ("+33 3 83 00 00 00", "-2+3", "@SUM(A1:A9)", "=1+1")


@pytest.fixture
def hostile(pole_store):
    """A partner named as a formula, with formula-like notes, as an import or a typing slip would leave them."""
    with pole_store.transaction() as session:
        save_partner(session, PartnerForm(name=LINK, postcode="54000", commune="Nancy",
                                          notes="\n".join(HOSTILE_NOTES)))
        save_partner(session, PartnerForm(name="Garage Leclerc", siret="73282932000074", postcode="08000",
                                          commune="Charleville-Mézières", notes="@client historique"))
    return pole_store


def export(store, path: Path) -> Path:
    with store.session() as session:
        export_partners(session, path)
    return path


def test_no_xlsx_export_cell_is_a_formula(hostile, tmp_path):
    path = export(hostile, tmp_path / "partenaires.xlsx")
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any(b"<f>" in xml or b"<f " in xml for xml in sheets)
    book = openpyxl.load_workbook(path)   # not data_only: a formula would come back as one
    cells = [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    guarded = {cell.value: cell.quotePrefix for cell in cells if looks_like_formula(cell.value)}
    assert LINK in guarded and "@client historique" in guarded and all(guarded.values())


def test_the_ods_export_holds_text_not_formulas_and_reimports(hostile, tmp_path):
    path = export(hostile, tmp_path / "partenaires.ods")
    content = zipfile.ZipFile(path).read("content.xml")
    assert b"table:formula" not in content
    workbook = CalamineWorkbook.from_path(str(path))
    assert workbook.sheet_names == ["Partenaires", "Contacts", "Offres", "Visites"]
    rows = workbook.get_sheet_by_name("Partenaires").to_python()
    assert [row[0] for row in rows[1:]] == [LINK, "Garage Leclerc"]
    siret_column = rows[0].index("SIRET")
    assert [row[siret_column] for row in rows[1:]] == ["", "73282932000074"]   # text, not 7.3E13
    as_xlsx = read_sheet(export(hostile, tmp_path / "partenaires.xlsx"))
    as_ods = read_sheet(path)   # the wizard reads both alike: the .ods re-imports as the .xlsx does
    assert (as_ods.headers, [r.values for r in as_ods.rows]) == (as_xlsx.headers, [r.values for r in as_xlsx.rows])


def test_the_csv_export_is_for_french_excel_and_quotes_formulas(hostile, tmp_path):
    path = export(hostile, tmp_path / "partenaires.csv")
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Nom" and "SIRET" in rows[0]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Garage Leclerc", "'" + LINK}
    leclerc = by_name["Garage Leclerc"]
    assert "73282932000074" in leclerc and "08000" in leclerc and "'@client historique" in leclerc
    assert not any(cell.startswith(FORMULA_TRIGGERS) for row in rows for cell in row)


def test_an_export_to_an_unknown_format_is_refused(hostile, tmp_path):
    with hostile.session() as session, pytest.raises(SpreadsheetError, match="classeur .xlsx ou .ods"):
        export_partners(session, tmp_path / "partenaires.pdf")


@given(st.text(max_size=30))
def test_no_csv_cell_can_start_a_formula(text):
    cell = csv_text(text)
    assert not cell.startswith(FORMULA_TRIGGERS)
    assert cell == text or cell == "'" + text
    parsed = list(csv.reader(io.StringIO(csv_bytes(["x"], [[text]]).decode("utf-8-sig"), newline=""),
                             delimiter=";"))
    assert parsed[1] == [cell]


def test_numbers_are_not_mistaken_for_formulas():
    assert (csv_text(-3), csv_text(-2.5), csv_text(7.0)) == ("-3", "-2,5", "7")


def test_the_invitation_list_guards_formulas_in_every_format(store, tmp_path):
    with store.transaction() as session:
        upcoming = next(r for r in trainings.list_sessions(session) if r.upcoming)
        s = trainings.session_detail(session, upcoming.id)
        first = trainings.invited_lines(s)[0]
        contact = session.scalars(select(Contact).where(Contact.last_name == first.last_name,
                                                        Contact.first_name == first.first_name)).first()
        contact.last_name = LINK
    with store.session() as session:
        s = trainings.session_detail(session, upcoming.id)
    xlsx = documents.write_document(tmp_path / "invites.xlsx", documents.invitation_file(s, ".xlsx"))
    cells = [c for row in openpyxl.load_workbook(xlsx).active.iter_rows() for c in row if c.value == LINK]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    ods = documents.write_document(tmp_path / "invites.ods", documents.invitation_file(s, ".ods"))
    assert b"table:formula" not in zipfile.ZipFile(ods).read("content.xml")
    rows = CalamineWorkbook.from_path(str(ods)).get_sheet_by_index(0).to_python()
    assert rows[0][:2] == ["Nom", "Prénom"] and LINK in [row[0] for row in rows]
    text = documents.invitation_file(s, ".csv").decode("utf-8-sig")
    assert "'" + LINK.replace('"', '""') in text and f"\r\n{LINK}" not in text
