"""Sheets an attacker (or an unlucky export) brings: hidden sheets, one huge CSV cell, mixed encodings, zip bombs;
each read right or refused in French before parsing, the store unchanged."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from poledesk.cli import EXIT_REFUSED, main
from poledesk.data.spreadsheets import reading
from poledesk.data.spreadsheets.errors import SpreadsheetError
from poledesk.data.spreadsheets.reading import read_sheet, sheet_names
from store_support import folder_digest


def workbook_with_hidden_first_sheet(path: Path, *, hide_all: bool = False) -> Path:
    book = openpyxl.Workbook()
    hidden = book.active
    hidden.title = "Ancienne liste"
    hidden.append(["Raison sociale", "Code postal", "Ville"])
    hidden.append(["Entreprise fermée en 2019", "54000", "Nancy"])
    hidden.sheet_state = "hidden"
    shown = book.create_sheet("Partenaires")
    shown.append(["Raison sociale", "Code postal", "Ville"])
    shown.append(["Garage des Faïenceries", "54300", "Lunéville"])
    book.save(path)
    if hide_all:   # openpyxl refuses to save it so: Excel does, through its sheet's state in workbook.xml
        with zipfile.ZipFile(path) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
            b'name="Partenaires" sheetId="2" state="visible"', b'name="Partenaires" sheetId="2" state="veryHidden"')
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
    return path


def test_a_hidden_first_sheet_is_never_chosen_nor_offered(tmp_path):
    path = workbook_with_hidden_first_sheet(tmp_path / "classeur.xlsx")
    sheet = read_sheet(path)
    assert sheet.name == "Partenaires" and sheet.rows[0].values[0] == "Garage des Faïenceries"
    assert sheet.sheet_names == ("Partenaires",) and sheet_names(path) == ("Partenaires",)
    asked = read_sheet(path, sheet_name="Ancienne liste")   # named by the user: read, since they chose it
    assert asked.rows[0].values[0] == "Entreprise fermée en 2019"


def test_a_workbook_whose_sheets_are_all_hidden_is_explained(tmp_path):
    path = workbook_with_hidden_first_sheet(tmp_path / "classeur.xlsx", hide_all=True)
    with pytest.raises(SpreadsheetError, match="Toutes les feuilles du classeur « classeur.xlsx » sont masquées "
                                               r"\(« Ancienne liste », « Partenaires »\)"):
        read_sheet(path)


def test_a_csv_with_a_2_mb_field_is_refused_in_french_before_csv_reads_it(store, tmp_path, capsys):
    path = tmp_path / "enorme.csv"
    path.write_text("Raison sociale;Code postal;Ville\n" + "A" * 2_000_000 + ";54000;Nancy\n", encoding="utf-8")
    with pytest.raises(SpreadsheetError) as refused:
        read_sheet(path)
    assert refused.value.message == ("Le fichier CSV « enorme.csv » a une ligne de 2\u202f000\u202f012 caractères "
                                     "(ligne 2) : au plus 100\u202f000 par ligne. Ce n'est pas une liste de "
                                     "partenaires ou d'établissements ; vérifiez le fichier.")
    store.close()
    before = folder_digest(store.folder)
    assert main(["--data-dir", str(store.folder), "import", "partners", str(path)]) == EXIT_REFUSED
    err = capsys.readouterr().err
    assert err.startswith("Erreur : Le fichier CSV « enorme.csv » a une ligne de") and "Traceback" not in err
    assert folder_digest(store.folder) == before


def test_a_field_over_csvs_own_limit_in_a_quoted_multiline_cell_is_french_too(tmp_path):
    path = tmp_path / "citation.csv"
    path.write_text('Raison sociale;Notes\nGarage;"' + ("ligne\n" * 30_000) + '"\n', encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="est mal formé vers la ligne .*vérifiez-le dans votre tableur"):
        read_sheet(path)


def test_a_utf8_bom_before_cp1252_bytes_reads_the_accents_right(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "Raison sociale;Code postal;Ville\nGarage des Faïenceries;54300;Lunéville\n"
                     .encode("cp1252"))
    sheet = read_sheet(path)
    assert sheet.headers == ("Raison sociale", "Code postal", "Ville")   # no "ï»¿" glued to the first header
    assert sheet.rows[0].values == ("Garage des Faïenceries", "54300", "Lunéville")


def test_a_csv_mixing_utf8_and_cp1252_lines_reads_each_line_right(tmp_path):
    path = tmp_path / "colle.csv"
    path.write_bytes("Raison sociale;Ville\nBoulangerie Thiéry;Épinal\n".encode()
                     + "Pâtisserie Hénon;Lunéville\n".encode("cp1252"))
    assert [row.values for row in read_sheet(path).rows] == [("Boulangerie Thiéry", "Épinal"),
                                                            ("Pâtisserie Hénon", "Lunéville")]


def test_a_zip_bomb_is_refused_before_anything_is_extracted(tmp_path, monkeypatch):
    path = workbook_with_hidden_first_sheet(tmp_path / "bombe.xlsx")
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/vide.bin", b"\0" * 3_000_000)   # 3 MB of zeros: a few KB compressed
    monkeypatch.setattr(reading, "MAX_UNZIPPED_BYTES", 2_000_000)
    with pytest.raises(SpreadsheetError, match="décompressé ferait 2 Mo .*Il n'a pas été ouvert"):
        read_sheet(path)


def test_a_file_over_the_size_limit_is_not_read(tmp_path, monkeypatch):
    path = tmp_path / "gros.csv"
    path.write_text("Raison sociale;Ville\n" + "Garage;Nancy\n" * 2000, encoding="utf-8")
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 10_000)
    with pytest.raises(SpreadsheetError, match="fait 0 Mo : au plus 0 Mo pour un import"):
        read_sheet(path)
