"""The issue's own case, through the commands: a partner imported with the name =HYPERLINK(…) comes back out of
`poledesk export partners` as text, never as a live formula, in .xlsx, .ods and csv alike."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from poledesk.cli import EXIT_OK, main
from protect_support import use_passphrase

LINK = '=HYPERLINK("http://exemple.invalid/piege","Cliquez")'


@pytest.fixture(autouse=True)
def passphrase(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passphrase(monkeypatch)
    monkeypatch.chdir(tmp_path)   # where the recovery sheet is written by default


@pytest.fixture
def folder(tmp_path: Path, capsys) -> Path:
    """A pole whose network came from a csv holding a formula-like name and formula-like notes."""
    data = tmp_path / "donnees"
    assert main(["--data-dir", str(data), "init", "pole", "NM-07", "--name", "Pôle de stages de Nancy",
                 "--bassin", "Nancy", "--academie", "Nancy-Metz"]) == EXIT_OK
    source = tmp_path / "reseau.csv"
    source.write_text("Raison sociale;Code postal;Ville;Notes\r\n"
                      f'"{LINK.replace(chr(34), chr(34) * 2)}";54000;Nancy;@client\r\n'
                      "Garage Leclerc;54000;Nancy;-2+3\r\n", encoding="utf-8")
    assert main(["--data-dir", str(data), "import", "partners", str(source)]) == EXIT_OK
    capsys.readouterr()
    return data


def export(folder: Path, target: Path) -> Path:
    assert main(["--data-dir", str(folder), "export", "partners", str(target)]) == EXIT_OK
    return target


def test_the_xlsx_export_holds_the_name_as_text(folder, tmp_path):
    path = export(folder, tmp_path / "sortie.xlsx")
    with zipfile.ZipFile(path) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
    assert not re.search(rb"<f[ >]", xml)
    cells = [c for ws in openpyxl.load_workbook(path).worksheets for row in ws.iter_rows() for c in row]
    names = [c for c in cells if c.value == LINK]
    assert names and all(c.data_type == "s" and c.quotePrefix for c in names)
    notes = [c for c in cells if c.value in ("@client", "-2+3")]
    assert len(notes) == 2 and all(c.quotePrefix for c in notes)


def test_the_ods_and_csv_exports_hold_it_as_text(folder, tmp_path):
    ods = export(folder, tmp_path / "sortie.ods")
    content = zipfile.ZipFile(ods).read("content.xml")
    assert b"table:formula" not in content and b"HYPERLINK" in content
    csv_path = export(folder, tmp_path / "sortie.csv")
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert "'" + LINK in [row[0] for row in rows]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
