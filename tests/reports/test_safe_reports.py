"""The académie workbook keeps its own formulas live, and the text of the poles' records as text: a partner or a
bassin named like a formula never becomes one in the report sent on."""

from __future__ import annotations

import re
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

import indicator_fixture as fixture
from poledesk.data.models import Partner, Pole
from poledesk.data.spreadsheets.writing import looks_like_formula
from poledesk.reports import indicator_documents as documents

LINK = '=HYPERLINK("http://exemple.invalid/piege","Cliquez")'
BASSIN = "=1+2"
CODE = "@NM"


@pytest.fixture
def hostile(pole_store):
    """Two poles sharing a partner named as a formula; the second pole's bassin and code look like formulas too."""
    with pole_store.transaction() as session:
        fixture.build(session)
        fixture.add_second_pole(session, code=CODE)
        session.execute(update(Partner).where(Partner.name == "Boulangerie Un").values(name=LINK))
        session.execute(update(Pole).where(Pole.code == CODE).values(bassin=BASSIN))
    return pole_store


def test_recorded_text_stays_text_and_the_reports_formulas_stay_live(hostile, tmp_path):
    path = tmp_path / "academie.xlsx"
    with hostile.session() as session:
        documents.write_indicators(session, fixture.YEAR, path, today=fixture.TODAY)
    book = load_workbook(path)   # not data_only: a formula comes back as one
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    hostile_cells = [cell for cell in cells if cell.value in (LINK, BASSIN, CODE)]
    assert {cell.value for cell in hostile_cells} == {LINK, BASSIN, CODE}
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in hostile_cells)
    assert all(cell.quotePrefix for cell in cells if looks_like_formula(cell.value) and cell.data_type == "s")
    shared = book["Partenaires partagés"]
    assert shared.cell(3, 2).value == LINK and shared.cell(3, 2).data_type == "s"
    live = [cell.value for cell in cells if cell.data_type == "f"]
    assert any(value.startswith("=SUM(") for value in live) and any(value.startswith("=IF(N(") for value in live)
    assert not any(value in (LINK, BASSIN) for value in live)
    with zipfile.ZipFile(path) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
    formulas = re.findall(rb"<f>(.*?)</f>", xml)
    assert formulas and not any(b"HYPERLINK" in f or f == b"1+2" for f in formulas)
