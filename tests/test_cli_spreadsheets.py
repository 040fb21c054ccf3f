"""`poledesk import` and `poledesk export`: French counts, each rejected row, and refusals that change nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select, text

from poledesk.cli import EXIT_OK, EXIT_REFUSED, main
from poledesk.data.models import Base, Establishment, Partner
from protect_support import open_unlocked, use_passphrase

LECLERC = "73282932000074"


@pytest.fixture(autouse=True)
def passphrase(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passphrase(monkeypatch)
    monkeypatch.chdir(tmp_path)   # where the recovery sheet is written by default


def init_pole(folder: Path) -> None:
    assert main(["--data-dir", str(folder), "init", "pole", "NM-07", "--name", "Pôle de stages de Nancy",
                 "--bassin", "Nancy", "--academie", "Nancy-Metz"]) == EXIT_OK


@pytest.fixture
def folder(tmp_path: Path, capsys) -> Path:
    data = tmp_path / "donnees"
    init_pole(data)
    capsys.readouterr()
    return data


def workbook(path: Path, *rows: list) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def digest(folder: Path) -> str:
    store = open_unlocked(folder)
    try:
        hashed = hashlib.sha256()
        with store.session() as session:
            for table in sorted(Base.metadata.tables):
                hashed.update(repr(session.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()).encode())
        return hashed.hexdigest()
    finally:
        store.close()


def partner_names(folder: Path) -> list[str]:
    store = open_unlocked(folder)
    try:
        with store.session() as session:
            return sorted(session.scalars(select(Partner.name)))
    finally:
        store.close()


def run(folder: Path, *args: str) -> int:
    return main(["--data-dir", str(folder), *args])


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    return workbook(tmp_path / "partenaires.xlsx",
                    ["Raison sociale", "SIRET", "Code postal", "Ville", "Contact nom", "Tuteur"],
                    ["Garage Leclerc", LECLERC, 54000, "Nancy", "Dupont", "oui"],
                    ["Fleurs & Co", "73282932000075", 54000, "Nancy", None, None],
                    ["Boulangerie Martin", None, 88000, "Épinal", None, None])


def test_an_import_with_rejected_rows_is_refused_and_lists_them(folder, mixed, capsys):
    before = digest(folder)
    assert run(folder, "import", "partners", str(mixed)) == EXIT_REFUSED
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "Import refusé, rien n'a été modifié : 2 à créer, 0 à fusionner, 1 rejeté.",
        "ligne 3, colonne « SIRET » : SIRET invalide : la clé de contrôle ne correspond pas (vérifiez les chiffres).",
    ]
    assert err == ("1 ligne rejetée : corrigez le fichier, ou relancez avec --accepter-partiel pour importer "
                   "2 autres lignes.\n")
    assert digest(folder) == before


def test_a_partial_import_when_asked(folder, mixed, capsys):
    assert run(folder, "import", "partners", str(mixed), "--accepter-partiel") == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Import terminé : 2 créés, 0 fusionné, 1 rejeté, 1 interlocuteur ajouté."
    assert out[1].startswith("ligne 3, colonne « SIRET » : SIRET invalide")
    assert partner_names(folder) == ["Boulangerie Martin", "Garage Leclerc"]
    assert run(folder, "import", "partners", str(mixed), "--accepter-partiel") == EXIT_OK
    assert capsys.readouterr().out.startswith("Import terminé : 0 créé, 1 fusionné, 2 rejetés.")


def test_the_mapping_names_columns_by_their_header(folder, tmp_path, capsys):
    path = workbook(tmp_path / "liste.xlsx", ["Enseigne", "Nom", "CP", "Ville"],
                    ["Garage Leclerc", "Paul Leclerc", "54000", "Nancy"])
    assert run(folder, "import", "partners", str(path), "--mapping",
               '{"name": "Enseigne", "representative_name": "Nom"}') == EXIT_OK
    assert capsys.readouterr().out == "Import terminé : 1 créé, 0 fusionné, 0 rejeté.\n"
    assert partner_names(folder) == ["Garage Leclerc"]


@pytest.mark.parametrize(("mapping", "message"), [
    ('{"name": "Raison"}', "Erreur : La colonne « Raison » n'existe pas dans la feuille ; colonnes : « Enseigne », "
                           "« CP », « Ville »."),
    ('{"name": ', "Erreur : --mapping : JSON illisible"),
    ('["name"]', "Erreur : --mapping : attendu un objet JSON champ -> en-tête"),
])
def test_a_bad_mapping_is_explained(folder, tmp_path, capsys, mapping, message):
    path = workbook(tmp_path / "liste.xlsx", ["Enseigne", "CP", "Ville"], ["Garage Leclerc", "54000", "Nancy"])
    assert run(folder, "import", "partners", str(path), "--mapping", mapping) == EXIT_REFUSED
    assert capsys.readouterr().err.startswith(message)


def test_a_file_that_is_not_a_spreadsheet_is_refused(folder, tmp_path, capsys):
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    assert run(folder, "import", "partners", str(path)) == EXIT_REFUSED
    assert capsys.readouterr().err == ("Erreur : Le fichier « photo.png » n'est pas un classeur (.xlsx, .xls, .xlsb, "
                                       ".ods) ni un fichier CSV lisible.\n")


def test_an_import_into_a_store_not_set_up_is_refused(tmp_path, mixed, capsys):
    assert run(tmp_path / "vide", "import", "partners", str(mixed)) == EXIT_REFUSED
    assert "n'est pas encore configuré" in capsys.readouterr().err


def test_import_establishments(folder, tmp_path, capsys):
    path = workbook(tmp_path / "etablissements.xlsx", ["UAI", "Nom", "Type", "Commune"],
                    ["0540038Y", "Lycée Henri-Poincaré", "Lycée général et technologique", "Nancy"])
    assert run(folder, "import", "establishments", str(path)) == EXIT_OK
    assert capsys.readouterr().out == "Import terminé : 1 créé, 0 fusionné, 0 rejeté.\n"
    store = open_unlocked(folder)
    try:
        with store.session() as session:
            assert session.scalars(select(Establishment.name)).all() == ["Lycée Henri-Poincaré"]
    finally:
        store.close()


def test_export_then_import_elsewhere(folder, mixed, tmp_path, capsys):
    run(folder, "import", "partners", str(mixed), "--accepter-partiel")
    capsys.readouterr()
    target = tmp_path / "réseau.xlsx"
    assert run(folder, "export", "partners", str(target)) == EXIT_OK
    assert capsys.readouterr().out.splitlines() == [
        f"Export écrit : {target}",
        "Partenaires : 2 lignes ; Contacts : 1 ligne ; Offres : 0 ligne ; Visites : 0 ligne.",
    ]
    assert openpyxl.load_workbook(target).sheetnames == ["Partenaires", "Contacts", "Offres", "Visites"]
    other = tmp_path / "autre"
    init_pole(other)
    capsys.readouterr()
    assert run(other, "import", "partners", str(target)) == EXIT_OK
    assert capsys.readouterr().out == "Import terminé : 2 créés, 0 fusionné, 0 rejeté.\n"
    assert partner_names(other) == partner_names(folder)


def test_an_export_to_another_format_is_refused(folder, tmp_path, capsys):
    assert run(folder, "export", "partners", str(tmp_path / "réseau.pdf")) == EXIT_REFUSED
    assert capsys.readouterr().err.startswith("Erreur : L'export s'écrit dans un classeur .xlsx ou .ods")
    assert not (tmp_path / "réseau.pdf").exists()
