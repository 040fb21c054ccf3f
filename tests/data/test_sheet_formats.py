"""Every format an animateur brings (.xlsx, .xls, .xlsb, .ods, .csv) reads the same, told apart by its content."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from xlsb_writer import write_xlsb

from poledesk.data.models import Partner
from poledesk.data.spreadsheets.errors import SpreadsheetError
from poledesk.data.spreadsheets.partner_import import import_partners
from poledesk.data.spreadsheets.reading import file_kind, read_sheet, sheet_names

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sheets"
HEADERS = ("Raison sociale", "n° SIRET", "Code Postal", "Ville", "Début convention-cadre", "Tél.")
ROWS = {
    1: ["Partenaires du bassin – fichier de l'animatrice"],
    3: list(HEADERS),
    4: ["Garage Leclerc", 73282932000074, 8000, "Charleville-Mézières", date(2026, 9, 15), 383123456],
    5: ["Crèche Les Petits Pas", "55208131700018", "54000", "Nancy", "01/10/2026", "03 83 00 00 00"],
    6: ["Boulangerie Simon", "38012986600014", " 54100 ", "Nancy", "2026-11-03", "0383445566"],
}
EXPECTED_VALUES = [
    ("Garage Leclerc", 73282932000074, 8000, "Charleville-Mézières", date(2026, 9, 15), 383123456),
    ("Crèche Les Petits Pas", "55208131700018", "54000", "Nancy", "01/10/2026", "03 83 00 00 00"),
    ("Boulangerie Simon", "38012986600014", "54100", "Nancy", "2026-11-03", "0383445566"),
]
# What the store holds after the import, whatever the format: SIRETs and postcodes as text with their zeros.
EXPECTED_PARTNERS = [
    ("Boulangerie Simon", "38012986600014", "54100", date(2026, 11, 3)),
    ("Crèche Les Petits Pas", "55208131700018", "54000", date(2026, 10, 1)),
    ("Garage Leclerc", "73282932000074", "08000", date(2026, 9, 15)),
]


def sheet_file(kind: str, folder: Path) -> Path:
    """The same three partners in the format `kind`: the committed fixture, or written here for .xlsb/.csv."""
    if kind == "xlsb":
        return write_xlsb(folder / "partenaires.xlsb", ROWS, title="Réseau")
    if kind == "csv":
        path = folder / "partenaires.csv"
        lines = [";".join("" if v is None else v.strftime("%d/%m/%Y") if isinstance(v, date) else str(v)
                          for v in ROWS.get(number, [])) for number in range(1, 7)]
        path.write_text("\r\n".join(lines) + "\r\n", encoding="cp1252")
        return path
    return shutil.copy(FIXTURES / f"partenaires.{kind}", folder / f"partenaires.{kind}")


@pytest.mark.parametrize("kind", ["xlsx", "xls", "xlsb", "ods"])
def test_every_workbook_format_reads_the_same_sheet(kind, tmp_path):
    path = sheet_file(kind, tmp_path)
    assert file_kind(path) == kind
    sheet = read_sheet(path)
    assert (sheet.name, sheet.sheet_names, sheet.header_row, sheet.headers) == ("Réseau", ("Réseau",), 3, HEADERS)
    assert [row.number for row in sheet.rows] == [4, 5, 6]
    assert [row.values for row in sheet.rows] == EXPECTED_VALUES
    assert sheet_names(path) == ("Réseau",)


@pytest.mark.parametrize("kind", ["xlsx", "xls", "xlsb", "ods", "csv"])
def test_every_format_imports_dates_numbers_and_sirets_right(kind, pole_store, tmp_path):
    outcome = import_partners(pole_store, sheet_file(kind, tmp_path))
    assert (outcome.summary.created, outcome.plan.report_lines()) == (3, [])
    with pole_store.session() as session:
        partners = session.execute(select(Partner.name, Partner.siret, Partner.postcode, Partner.framework_start)
                                   .order_by(Partner.name)).all()
        leclerc = session.scalars(select(Partner).where(Partner.name == "Garage Leclerc")).one()
    assert [tuple(p) for p in partners] == EXPECTED_PARTNERS
    assert leclerc.phone == "03 83 12 34 56"


@pytest.mark.parametrize("kind, disguise", [("xls", "partenaires.xlsx"), ("ods", "partenaires.xlsx"),
                                            ("xlsx", "partenaires.xls"), ("xlsb", "partenaires.ods")])
def test_a_workbook_renamed_to_another_format_imports_as_what_it_is(kind, disguise, pole_store, tmp_path):
    path = sheet_file(kind, tmp_path).rename(tmp_path / disguise)
    assert file_kind(path) == kind
    assert import_partners(pole_store, path).summary.created == 3


@pytest.mark.parametrize("name", ["partenaires.xlsx", "partenaires.xls", "partenaires.ods"])
def test_a_text_file_renamed_as_a_workbook_is_explained_in_french(name, tmp_path):
    path = tmp_path / name
    path.write_bytes("Raison sociale;Code postal\r\nCrèche « Les Lutins »;54000\r\n".encode("cp1252"))
    with pytest.raises(SpreadsheetError) as error:
        read_sheet(path)
    assert str(error.value) == (f"Le fichier « {name} » porte le nom d'un classeur mais contient du texte : s'il "
                                "s'agit d'un export CSV, renommez-le en .csv, puis importez-le de nouveau.")


def test_a_workbook_protected_by_a_password_asks_for_a_copy_without_it(tmp_path):
    path = tmp_path / "protégé.xlsx"   # what Excel writes: an OLE container holding the encrypted package
    ole = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1016)
    ole += "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512
    path.write_bytes(bytes(ole))
    with pytest.raises(SpreadsheetError) as error:
        read_sheet(path)
    assert str(error.value).startswith("Le classeur « protégé.xlsx » est protégé par un mot de passe")


def test_an_opendocument_text_is_not_taken_for_a_sheet(tmp_path):
    import zipfile

    path = tmp_path / "courrier.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(SpreadsheetError, match="document OpenDocument, mais pas un classeur"):
        read_sheet(path)
