"""Two PoleDesk processes on one data folder: the second is refused in French, a dead one's lock is taken over,
and nothing is lost. Real processes, really killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from poledesk import paths
from poledesk.cli import EXIT_OK, EXIT_REFUSED, main
from poledesk.data import db, folder_lock
from poledesk.data.models import Partner

SRC = str(Path(__file__).resolve().parents[1] / "src")
HOLDER = """
import sys
from pathlib import Path
from poledesk.data import db
store = db.open_store(Path(sys.argv[1]))
print("ouvert", flush=True)
sys.stdin.readline()
store.close()
"""


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": SRC}


@pytest.fixture
def folder(store: db.Store) -> Path:
    store.close()
    return store.folder


@pytest.fixture
def holder(folder: Path):
    """Another process that has the folder open, as a window would, until its stdin is closed."""
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True, env=environment())
    assert process.stdout is not None and process.stdout.readline() == "ouvert\n"
    yield process
    if process.poll() is None:
        process.kill()
    process.wait(timeout=60)


def sheet(path: Path, *names: str) -> Path:
    book = openpyxl.Workbook()
    book.active.append(["Raison sociale", "Code postal", "Ville"])
    for name in names:
        book.active.append([name, "54000", "Nancy"])
    book.save(path)
    return path


def partner_names(folder: Path) -> set[str]:
    store = db.open_store(folder, create=False)
    try:
        with store.session() as session:
            return set(session.scalars(select(Partner.name)))
    finally:
        store.close()


def test_a_second_poledesk_on_an_open_folder_is_refused_in_french_and_writes_nothing(folder, holder, tmp_path,
                                                                                      capsys):
    before = paths.store_file(folder).read_bytes()
    path = sheet(tmp_path / "partenaires.xlsx", "Garage des Faïenceries")
    assert main(["--data-dir", str(folder), "import", "partners", str(path)]) == EXIT_REFUSED
    err = capsys.readouterr().err
    assert err.startswith(f"Erreur : Ce dossier de données est déjà ouvert par un autre PoleDesk (le processus "
                          f"{holder.pid}, depuis le ")
    assert "Rien n'a été modifié." in err and "Traceback" not in err
    with pytest.raises(folder_lock.FolderInUse):
        db.open_store(folder)
    assert paths.store_file(folder).read_bytes() == before
    holder.stdin.close()   # the window is closed: the folder is free
    holder.wait(timeout=60)
    assert main(["--data-dir", str(folder), "import", "partners", str(path)]) == EXIT_OK
    assert "Garage des Faïenceries" in partner_names(folder)


def test_a_killed_holder_leaves_a_stale_lock_that_is_taken_over(folder, holder, tmp_path):
    lock_file = folder / folder_lock.LOCK_FILE
    assert json.loads(lock_file.read_text())["pid"] == holder.pid
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=60)
    assert json.loads(lock_file.read_text())["pid"] == holder.pid   # left behind, naming a dead process
    assert main(["--data-dir", str(folder), "import", "partners",
                 str(sheet(tmp_path / "p.xlsx", "Boulangerie du Tram"))]) == EXIT_OK
    assert "Boulangerie du Tram" in partner_names(folder)
    assert db.check_store(paths.store_file(folder)) == []


def test_one_process_shares_its_lock_between_its_own_stores(folder):
    first = db.open_store(folder)
    second = db.open_store(folder)   # the window and a background job of the same process
    second.close()
    try:
        process = subprocess.run([sys.executable, "-c", HOLDER, str(folder)], input="", capture_output=True,
                                 text=True, env=environment(), timeout=120)
        assert process.returncode != 0 and "FolderInUse" in process.stderr   # still held by `first`
    finally:
        first.close()
    process = subprocess.run([sys.executable, "-c", HOLDER, str(folder)], input="", capture_output=True, text=True,
                             env=environment(), timeout=120)
    assert process.returncode == 0, process.stderr


def test_two_imports_at_once_lose_nothing(folder, tmp_path):
    commands = [[sys.executable, "-m", "poledesk", "--data-dir", str(folder), "import", "partners",
                 str(sheet(tmp_path / f"lot-{n}.xlsx", *(f"Entreprise {n}-{i} de Laxou" for i in range(300))))]
                for n in range(2)]
    running = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=environment()) for command in commands]
    results = [(process.wait(timeout=300), process.stderr.read()) for process in running]
    names = partner_names(folder)
    for n, (code, err) in enumerate(results):
        imported = {f"Entreprise {n}-{i} de Laxou" for i in range(300)}
        if code == EXIT_OK:
            assert imported <= names
        else:   # refused whole, in French: none of its rows went in
            assert code == EXIT_REFUSED and "déjà ouvert par un autre PoleDesk" in err and "Traceback" not in err
            assert not imported & names
    assert any(code == EXIT_OK for code, _err in results)
