"""A store in trouble: damaged, without its migration record, or on a busy SQLite; said in French, left as it was."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import openpyxl
import pytest
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import func, select

from poledesk import paths
from poledesk.cli import EXIT_ERROR, EXIT_OK, EXIT_REFUSED, main
from poledesk.data import db, system_errors
from poledesk.data.models import Partner
from store_support import damage, folder_digest


def partners_sheet(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.append(["Raison sociale", "Code postal", "Ville"])
    book.active.append(["Garage des Faïenceries", "54000", "Nancy"])
    book.save(path)
    return path


@pytest.fixture
def damaged(store: db.Store) -> Path:
    """The demo store, closed, with one page of its visits overwritten: `poledesk check` finds it malformed."""
    store.close()
    damage(store.file, "visit")
    assert db.check_store(store.file)
    return store.folder


def run(folder: Path, *args: str) -> int:
    return main(["--data-dir", str(folder), *args])


def test_a_damaged_store_is_checked_as_such(damaged, capsys):
    assert run(damaged, "check") == EXIT_ERROR
    assert "a des problèmes" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["import", "partners", "{sheet}"], ["backup"], ["purge"]])
def test_no_command_writes_to_a_damaged_store(damaged, tmp_path, capsys, command):
    sheet = partners_sheet(tmp_path / "partenaires.xlsx")
    before = folder_digest(damaged)
    assert run(damaged, *[part.format(sheet=sheet) for part in command]) == EXIT_REFUSED
    err = capsys.readouterr().err
    assert err.startswith("Erreur : La base « poledesk.sqlite » est endommagée")
    assert "lecture seule" in err and "Traceback" not in err
    assert folder_digest(damaged) == before
    assert db.list_backups(damaged) == []


def test_a_damaged_store_can_still_be_read(damaged):
    store = db.open_store(damaged, create=False)
    try:
        assert store.damaged
        with pytest.raises(db.StoreDamaged, match="lecture seule"), store.transaction():
            pass
        with store.session() as session:
            assert session.scalar(select(func.count()).select_from(Partner)) > 10
    finally:
        store.close()


def test_reading_a_damaged_page_is_said_in_french(damaged, tmp_path, capsys):
    assert run(damaged, "export", "partners", str(tmp_path / "partenaires.xlsx")) == EXIT_REFUSED
    err = capsys.readouterr().err
    assert err == f"Erreur : {system_errors.DAMAGED}\n"
    assert not (tmp_path / "partenaires.xlsx").exists()


def test_a_sound_store_is_written_to(store):
    assert not store.damaged
    with store.transaction():
        pass


def test_an_emptied_migration_record_is_said_in_french_and_writes_no_backup(store, capsys):
    store.backup("quotidienne")
    store.close()
    connection = sqlite3.connect(store.file)
    connection.execute("DELETE FROM alembic_version")
    connection.commit()
    connection.close()
    before = folder_digest(store.folder)
    for _attempt in range(3):
        assert run(store.folder, "import", "partners", "nothing.xlsx") == EXIT_REFUSED
        err = capsys.readouterr().err
        assert "a perdu son numéro de version de schéma" in err and "Traceback" not in err
    assert folder_digest(store.folder) == before   # one backup, the good one: none added, none rotated out


def test_backups_rotate_only_over_successful_ones(store, monkeypatch):
    good = [store.backup("manuelle") for _ in range(db.BACKUPS_KEPT)]
    real = db.sqlite_backup

    def full_disk(source: Path, target: Path, *, key: bytes | None = None) -> None:
        real(source, target, key=key)   # the copy is half written when the disk fills up
        raise sqlcipher.OperationalError("database or disk is full")

    monkeypatch.setattr(db, "sqlite_backup", full_disk)
    for _ in range(3):
        with pytest.raises(db.StoreError, match="La sauvegarde n'a pas pu être écrite : Le disque est plein"):
            store.backup("quotidienne")
    assert db.list_backups(store.folder) == sorted(good, reverse=True)
    assert sorted(p.name for p in paths.backups_dir(store.folder).iterdir()) == sorted(p.name for p in good)


def test_a_failed_migration_leaves_no_backup(store, monkeypatch):
    from poledesk.data import migrate

    store.close()
    connection = sqlite3.connect(store.file)
    connection.execute("UPDATE alembic_version SET version_num = '0001'")
    connection.commit()
    connection.close()

    def fails(file: Path, revision: str = "head", *, key: bytes | None = None) -> None:
        raise db.StoreError("La migration casserait 1 références : elle a été annulée.")

    monkeypatch.setattr(migrate, "upgrade", fails)
    with pytest.raises(db.StoreError, match="annulée"):
        db.open_store(store.folder)
    assert db.list_backups(store.folder) == []


def real_sqlcipher_error(sql: str, *, setup: str = "", read_only: bool = False, tmp: Path) -> sqlcipher.Error:
    file = tmp / "essai.sqlite"
    if not file.exists():
        connection = sqlcipher.connect(str(file))
        connection.execute("CREATE TABLE t (x)")
        connection.commit()
        connection.close()
    connection = sqlcipher.connect(f"file:{file}?mode=ro" if read_only else str(file), uri=True)
    try:
        for statement in filter(None, setup.split(";")):
            connection.execute(statement)
        connection.execute(sql)
    except sqlcipher.Error as error:
        return error
    finally:
        connection.close()
    raise AssertionError(f"{sql} did not fail")


def test_sqlcipher_faults_are_named_in_french(tmp_path):
    full = real_sqlcipher_error("INSERT INTO t SELECT zeroblob(100000) FROM t", tmp=tmp_path,
                                setup="PRAGMA max_page_count = 3; INSERT INTO t VALUES (1)")
    assert not isinstance(full, sqlite3.Error)   # sqlcipher3's own classes: not sqlite3's
    assert system_errors.store_error_message(full) == system_errors.DISK_FULL
    read_only = real_sqlcipher_error("INSERT INTO t VALUES (1)", read_only=True, tmp=tmp_path)
    assert system_errors.store_error_message(read_only) == system_errors.READ_ONLY
    holder = sqlcipher.connect(str(tmp_path / "essai.sqlite"), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        busy = real_sqlcipher_error("INSERT INTO t VALUES (1)", setup="PRAGMA busy_timeout = 0", tmp=tmp_path)
    finally:
        holder.close()
    assert system_errors.store_error_message(busy) == system_errors.IN_USE
    other = real_sqlcipher_error("SELECT * FROM missing", tmp=tmp_path)
    assert system_errors.store_error_message(other) is None


@pytest.fixture
def read_only_medium(store: db.Store, tmp_path: Path):
    """The demo store's folder seen through a read-only bind mount (root), or closed by its rights (other users)."""
    store.close()
    if os.geteuid() != 0:   # rights are a real guard for anyone but root
        os.chmod(store.file, 0o400)
        os.chmod(store.folder, 0o500)
        yield store.folder
        os.chmod(store.folder, 0o700)
        return
    view = tmp_path / "lecture-seule"
    view.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(store.folder), str(view)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"no read-only medium can be made here: root ignores rights and mount refused "
                    f"({mounted.stderr.decode().strip()})")
    try:
        remounted = subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], capture_output=True)
        assert remounted.returncode == 0, remounted.stderr
        yield view
    finally:
        subprocess.run(["umount", str(view)], check=True)


def test_a_sound_store_on_a_read_only_medium_is_read_and_never_called_damaged(read_only_medium, tmp_path, capsys):
    before = folder_digest(read_only_medium)
    assert run(read_only_medium, "check") == EXIT_OK
    assert "est saine" in capsys.readouterr().out
    assert run(read_only_medium, "export", "partners", str(tmp_path / "partenaires.xlsx")) == EXIT_OK
    assert openpyxl.load_workbook(tmp_path / "partenaires.xlsx").worksheets[0].max_row > 10
    sheet = partners_sheet(tmp_path / "nouveaux.xlsx")
    for command in (["backup"], ["import", "partners", str(sheet)], ["purge"]):
        capsys.readouterr()
        assert run(read_only_medium, *command) == EXIT_REFUSED
        err = capsys.readouterr().err
        assert "lecture seule" in err and "endommagée" not in err and "Traceback" not in err, command
    assert folder_digest(read_only_medium) == before


@pytest.fixture
def full_disk(store: db.Store, tmp_path: Path):
    """The demo store on a small disk (a tmpfs) filled up but for a few kilobytes, with one backup already made."""
    store.backup("quotidienne")
    store.close()
    disk = tmp_path / "disque"
    disk.mkdir()
    size = sum(p.stat().st_size for p in store.folder.rglob("*") if p.is_file())
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size + 2_000_000}", "tmpfs", str(disk)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"no small disk can be mounted here (mount refused: {mounted.stderr.decode().strip()})")
    try:
        folder = disk / "donnees"
        shutil.copytree(store.folder, folder)
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        (disk / "remplissage").write_bytes(b"\0" * (free - 48_000))
        yield folder
    finally:
        for handler in logging.getLogger().handlers[:]:   # the log file on that disk, opened by the commands run
            if str(getattr(handler, "baseFilename", "")).startswith(str(disk)):
                handler.close()
                logging.getLogger().removeHandler(handler)
        subprocess.run(["umount", str(disk)], check=True)


def big_sheet(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.append(["Raison sociale", "Code postal", "Ville"])
    for number in range(3000):
        book.active.append([f"Entreprise {number} des Faïenceries de Lunéville", "54300", "Lunéville"])
    book.save(path)
    return path


def test_a_full_disk_is_said_frees_nothing_and_leaves_the_store_intact(full_disk, tmp_path, capsys):
    before = folder_digest(full_disk)
    filler = full_disk.parent / "remplissage"
    sheet = big_sheet(tmp_path / "partenaires.xlsx")
    commands = (["import", "partners", str(sheet)], ["backup"],
                ["export", "partners", str(full_disk.parent / "partenaires.xlsx")],
                ["export", "partners", str(full_disk.parent / "partenaires.csv")])
    for command in commands:
        capsys.readouterr()
        assert run(full_disk, *command) == EXIT_REFUSED, command
        err = capsys.readouterr().err
        assert system_errors.DISK_FULL in err, command
        assert "Traceback" not in err and "closed file" not in err and "endommagée" not in err, command
        assert folder_digest(full_disk) == before, command
        assert filler.exists() and len(db.list_backups(full_disk)) == 1, command
    assert sorted(p.name for p in full_disk.parent.iterdir()) == ["donnees", "remplissage"]   # no half export
    assert db.check_store(paths.store_file(full_disk)) == []


def test_a_disk_without_a_byte_left_is_full_not_damaged(full_disk, tmp_path, capsys):
    free = os.statvfs(full_disk).f_bavail * os.statvfs(full_disk).f_frsize
    (full_disk.parent / "dernier-remplissage").write_bytes(b"\0" * free)
    before = folder_digest(full_disk)
    assert run(full_disk, "check") == EXIT_ERROR
    assert capsys.readouterr().err.splitlines()[1] == f"  - {system_errors.DISK_FULL}"
    assert run(full_disk, "import", "partners", str(partners_sheet(tmp_path / "partenaires.xlsx"))) == EXIT_REFUSED
    assert capsys.readouterr().err == f"Erreur : {system_errors.DISK_FULL}\n"
    assert folder_digest(full_disk) == before
