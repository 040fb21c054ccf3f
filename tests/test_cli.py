"""The headless commands: French summaries, exit codes, and refusals that change nothing."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from poledesk import paths
from poledesk.cli import EXIT_ERROR, EXIT_OK, EXIT_REFUSED, main
from poledesk.data import db, identity
from protect_support import key_of, open_unlocked, use_passphrase


def digest(file: Path) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def passphrase(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passphrase(monkeypatch)
    monkeypatch.chdir(tmp_path)   # where the recovery sheet is written by default


def init_pole(folder: Path) -> int:
    return main(["--data-dir", str(folder), "init", "pole", "NM-07", "--name", "Pôle de stages de Nancy",
                 "--bassin", "Nancy", "--academie", "Nancy-Metz", "--animateur", "Claire Lefèvre"])


def test_init_pole_sets_up_the_store(tmp_path, capsys):
    assert init_pole(tmp_path) == EXIT_OK
    assert "Pôle de stages de Nancy (NM-07)" in capsys.readouterr().out
    store = open_unlocked(tmp_path)
    try:
        with store.session() as session:
            ident = identity.current_identity(session)
            assert (ident.role, ident.code, ident.academie) == ("pole", "NM-07", "Nancy-Metz")
            assert identity.pole_of(session, "NM-07").animator_name == "Claire Lefèvre"
    finally:
        store.close()


@pytest.mark.parametrize("role", [["pole", "NM-07", "--name", "Pôle", "--bassin", "Nancy", "--academie", "Nancy-Metz"],
                                  ["coordinator", "Nancy-Metz"]])
def test_the_recovery_sheet_goes_where_it_is_asked_after_the_role(tmp_path, role):
    sheet = tmp_path / "coffre" / "secours.pdf"
    sheet.parent.mkdir()
    assert main(["--data-dir", str(tmp_path / "donnees"), "init", *role, "--recovery-sheet", str(sheet)]) == EXIT_OK
    assert sheet.read_bytes().startswith(b"%PDF-")
    assert not list(tmp_path.glob("feuille-de-secours-*.pdf"))   # nothing left in the current folder


def test_init_on_a_store_already_set_up_refuses_and_changes_nothing(tmp_path, capsys):
    assert init_pole(tmp_path) == EXIT_OK
    before = digest(paths.store_file(tmp_path))
    assert main(["--data-dir", str(tmp_path), "init", "coordinator", "Nancy-Metz"]) == EXIT_REFUSED
    assert "déjà configuré" in capsys.readouterr().err
    assert digest(paths.store_file(tmp_path)) == before


def test_init_coordinator(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path), "init", "coordinator", "Nancy-Metz"]) == EXIT_OK
    assert "Coordination académique – académie de Nancy-Metz" in capsys.readouterr().out


def test_a_bad_pole_code_is_explained_in_french(tmp_path, capsys):
    code = main(["--data-dir", str(tmp_path), "init", "pole", "nancy", "--name", "X", "--bassin", "Nancy",
                 "--academie", "Nancy-Metz"])
    assert code == EXIT_REFUSED
    assert "Code de pôle invalide « NANCY »" in capsys.readouterr().err


def test_check_on_a_sound_store(tmp_path, capsys):
    init_pole(tmp_path)
    assert main(["--data-dir", str(tmp_path), "check"]) == EXIT_OK
    assert "est saine" in capsys.readouterr().out


def test_check_reports_a_corrupted_store(tmp_path, capsys):
    init_pole(tmp_path)
    file = paths.store_file(tmp_path)
    data = bytearray(file.read_bytes())
    data[4096 * 2: 4096 * 2 + 600] = b"\xa5" * 600
    file.write_bytes(bytes(data))
    assert main(["--data-dir", str(tmp_path), "check"]) == EXIT_ERROR
    assert "a des problèmes" in capsys.readouterr().err


def test_check_on_a_missing_store(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path / "vide"), "check"]) == EXIT_ERROR
    assert "n'existe pas" in capsys.readouterr().err


def test_backup_writes_a_readable_copy(tmp_path, capsys):
    init_pole(tmp_path)
    assert main(["--data-dir", str(tmp_path), "backup"]) == EXIT_OK
    copies = db.list_backups(tmp_path)
    assert len(copies) == 1 and str(copies[0]) in capsys.readouterr().out
    connection = db.raw_connect(copies[0], key_of(tmp_path))
    try:
        assert connection.execute("SELECT code FROM pole").fetchall() == [("NM-07",)]
    finally:
        connection.close()


def test_the_environment_variable_picks_the_store(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path / "env"))
    assert paths.data_dir() == (tmp_path / "env").resolve()
    assert paths.data_dir(tmp_path / "option") == (tmp_path / "option").resolve()


def test_the_command_runs_as_a_module(tmp_path):
    result = subprocess.run([sys.executable, "-m", "poledesk", "--data-dir", str(tmp_path), "init", "coordinator",
                             "Grand Est"], capture_output=True, text=True, timeout=60)
    assert result.returncode == EXIT_OK, result.stderr
    assert "académie de Grand Est" in result.stdout


def test_unknown_arguments_are_refused_in_french(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--data-dir", str(tmp_path), "frobnicate"])
    assert exit_.value.code == EXIT_REFUSED
    assert "choix invalide" in capsys.readouterr().err


def test_the_data_folder_can_follow_the_sub_command(tmp_path, capsys):
    assert main(["init", "coordinator", "Nancy-Metz", "--data-dir", str(tmp_path)]) == EXIT_OK
    assert main(["check", "--data-dir", str(tmp_path)]) == EXIT_OK
    assert str(tmp_path) in capsys.readouterr().out


def test_escalations_list_prints_the_open_ones_most_urgent_first(store, capsys):
    assert main(["--data-dir", str(store.folder), "escalations", "list"]) == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:3] == ["Urgence", "Début", "Fin"]
    assert out[-1].endswith("sollicitations ouvertes.")
    count = int(out[-1].split()[0])
    assert len(out) == count + 3 and count > 0
    assert not any("Placé" in line for line in out[2:-1])


def test_escalations_list_by_status_in_french_or_code(store, capsys):
    assert main(["--data-dir", str(store.folder), "escalations", "list", "--status", "placé"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()[2:-1]
    assert lines and all("Placé" in line for line in lines)
    with pytest.raises(SystemExit) as refused:
        main(["--data-dir", str(store.folder), "escalations", "list", "--status", "perdue"])
    assert refused.value.code == EXIT_REFUSED
    assert "statut inconnu « perdue »" in capsys.readouterr().err


def test_backup_of_a_missing_store_is_refused(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path / "rien"), "backup"]) == EXIT_REFUSED
    assert "Aucune base PoleDesk" in capsys.readouterr().err


def test_help_is_in_french(capsys):
    with pytest.raises(SystemExit):
        main(["escalations", "list", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("utilisation :") and "afficher cette aide et quitter" in out
    assert "usage:" not in out and "show this help" not in out


def test_a_demo_made_with_a_passphrase_leaves_no_name_readable_in_any_file(tmp_path, capsys):
    """Store, WAL, backups and logs: none holds a pupil's or a contact's name in clear."""
    from sqlalchemy import select

    from poledesk.data.models import Contact, Pupil

    folder = tmp_path / "demo-chiffree"
    for command in ("demo", "backup"):   # each in its own process, logging in this folder as a user's would
        result = subprocess.run([sys.executable, "-m", "poledesk", "--data-dir", str(folder), command],
                                capture_output=True, text=True, timeout=120, check=False,   # POLEDESK_PASSPHRASE set
                                env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")})
        assert result.returncode == EXIT_OK, result.stderr
    assert db.is_encrypted(paths.store_file(folder))
    store = open_unlocked(folder)
    try:
        with store.session() as session:
            names = {f"{p.first_name} {p.last_name}" for p in session.scalars(select(Pupil))}
            names |= {p.representative_name for p in session.scalars(select(Pupil)) if p.representative_name}
            names |= {f"{c.first_name} {c.last_name}" for c in session.scalars(select(Contact))}
            names |= {n for n in session.scalars(select(Pupil.last_name)) if len(n) >= 6}
        with store.transaction() as session:   # a write left in the WAL
            session.scalars(select(Pupil).limit(1)).one().needs = "Trajet accompagné"
        files = [p for p in folder.rglob("*") if p.is_file()]
        assert {"poledesk.sqlite-wal", "poledesk.log"} <= {p.name for p in files}
        assert any(p.parent.name == "sauvegardes" for p in files)
        raw = b"".join(p.read_bytes() for p in files)
        for name in names | {"Trajet accompagné"}:
            assert name.encode() not in raw, name
    finally:
        store.close()
