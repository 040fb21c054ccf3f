"""kill -9 at random points of an import, a conventions batch, a purge, a passphrase change and an encryption:
each time `poledesk check` finds the store sound, and its rows are those before or after the operation."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from poledesk import paths
from poledesk.data import db, encryption, vault
from protect_support import PASSPHRASE

KILLS = 6
NEW = "une autre phrase assez longue"
ROOT = Path(__file__).resolve().parents[1]

CONVENTIONS = """
import sys
from datetime import date
from pathlib import Path
from sqlalchemy import select
from poledesk.data import db
from poledesk.data.conventions import tracking
from poledesk.data.enums import ConventionStatus
from poledesk.data.models import Placement
from poledesk.reports.convention_files import render_conventions

store = db.open_store(Path(sys.argv[1]), create=False)
with store.session() as session:
    ids = [i for i in session.scalars(select(Placement.id).where(Placement.convention_status == ConventionStatus.DRAFT)
                                      .order_by(Placement.id))
           if not tracking.blocking_messages(session, i, today=date.today())][:12]
result = render_conventions(store, ids, Path(sys.argv[2]), today=date.today())
with store.transaction() as session:
    tracking.mark_printed_many(session, [item.placement_id for item in result.saved], today=date.today())
store.close()
"""


def environment(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), vault.ENV_TEST_KDF: "1", **extra}
    env.pop(vault.ENV_PASSPHRASE, None)
    env.update(extra)
    return env


def poledesk(folder: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "poledesk", "--data-dir", str(folder), *args]


def row_counts(folder: Path, passphrase: str | None = None) -> dict[str, int]:
    """Rows per table (the purge: anonymised pupils too), read as `poledesk check` reads the file."""
    file = paths.store_file(folder)
    key = encryption.unlock(folder, passphrase) if db.is_encrypted(file) and passphrase else None
    connection = db.look_connect(file, key)
    try:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                                   "AND name NOT LIKE '%fts%' AND name NOT LIKE 'sqlite_%'")]
        counts = {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        counts["purged pupils"] = connection.execute("SELECT count(*) FROM pupil WHERE purged_at IS NOT NULL"
                                                     ).fetchone()[0]
        counts["printed"] = connection.execute("SELECT count(*) FROM placement WHERE convention_status = 'printed'"
                                               ).fetchone()[0]
        return counts
    finally:
        connection.close()


def check(folder: Path, passphrase: str | None = None) -> None:
    env = environment(**({vault.ENV_PASSPHRASE: passphrase} if passphrase else {}))
    result = subprocess.run(poledesk(folder, "check"), env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "est saine" in result.stdout


def timed_run(command: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    return time.monotonic() - started


def kill_at_random(command: list[str], env: dict[str, str], *, within: float, rng: random.Random) -> None:
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.2, within))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)


@pytest.fixture
def demo_folder(tmp_path: Path, demo_template: Path) -> Path:
    folder = tmp_path / "demo"
    folder.mkdir()
    shutil.copy2(paths.store_file(demo_template), paths.store_file(folder))
    return folder


def check_survives_kill_9(demo_folder: Path, tmp_path: Path, command: Callable[[Path], list[str]], *,
             passphrase: str | None = None, env: dict[str, str] | None = None,
             states: Callable[[Path], object] | None = None,
             checker: Callable[[Path], None] | None = None) -> None:
    """Run the operation once on a copy (its result, its length), then kill it KILLS times on fresh copies."""
    env = env or environment(**({vault.ENV_PASSPHRASE: passphrase} if passphrase else {}))
    read = states or (lambda folder: row_counts(folder, passphrase))
    verify = checker or (lambda folder: check(folder, passphrase))
    before = read(demo_folder)
    whole = tmp_path / "entier"
    shutil.copytree(demo_folder, whole)
    length = timed_run(command(whole), env)
    after = read(whole)
    assert after != before, "the operation must change something, or the test proves nothing"
    rng = random.Random(12)
    finished = 0
    for attempt in range(KILLS):
        copy = tmp_path / f"tue-{attempt}"
        shutil.copytree(demo_folder, copy)
        kill_at_random(command(copy), env, within=length * 1.1, rng=rng)
        state = read(copy)
        assert state in (before, after), f"kill {attempt}: neither the store before nor after"
        finished += state == after
        verify(copy)
    print(f"{KILLS} kills: {KILLS - finished} left the store as before, {finished} as after")


def test_kill_9_during_an_import(demo_folder, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Nom", "Code postal", "Commune"])
    for n in range(600):
        book.active.append([f"Entreprise d'essai {n}", "54000", "Nancy"])
    book.save(tmp_path / "partenaires.xlsx")
    check_survives_kill_9(demo_folder, tmp_path, lambda folder: poledesk(folder, "import", "partners",
                                                            str(tmp_path / "partenaires.xlsx")))


def test_kill_9_during_a_conventions_batch(demo_folder, tmp_path):
    check_survives_kill_9(demo_folder, tmp_path,
             lambda folder: [sys.executable, "-c", CONVENTIONS, str(folder), str(folder.parent / f"{folder.name}-pdf")])


def test_kill_9_during_a_purge(demo_folder, tmp_path):
    check_survives_kill_9(demo_folder, tmp_path, lambda folder: poledesk(folder, "purge"))


def test_kill_9_during_an_encryption_in_place(demo_folder, tmp_path):
    def state(folder: Path) -> object:
        if db.is_encrypted(paths.store_file(folder)):
            return ("chiffrée", tuple(sorted(row_counts(folder, NEW).items())))
        return ("claire", tuple(sorted(row_counts(folder).items())))

    def verify(folder: Path) -> None:
        check(folder, NEW if db.is_encrypted(paths.store_file(folder)) else None)

    env = environment(POLEDESK_NEW_PASSPHRASE=NEW)
    assert state(demo_folder)[0] == "claire"
    check_survives_kill_9(demo_folder, tmp_path, lambda folder: poledesk(folder, "encrypt", "--recovery-sheet",
                                                            str(folder / "feuille.pdf")),
             env=env, states=state, checker=verify)


def test_kill_9_during_a_passphrase_change(demo_folder, tmp_path):
    store = db.open_store(demo_folder)
    encryption.encrypt_in_place(store, PASSPHRASE, PASSPHRASE)
    store.close()

    def state(folder: Path) -> object:
        for passphrase in (PASSPHRASE, NEW):
            try:
                encryption.unlock(folder, passphrase)
            except vault.VaultError:
                continue
            return passphrase, tuple(sorted(row_counts(folder, passphrase).items()))
        raise AssertionError("neither the old nor the new passphrase opens the store")

    def verify(folder: Path) -> None:
        check(folder, state(folder)[0])   # type: ignore[index]

    env = environment(POLEDESK_PASSPHRASE=PASSPHRASE, POLEDESK_NEW_PASSPHRASE=NEW)
    check_survives_kill_9(demo_folder, tmp_path, lambda folder: poledesk(folder, "passphrase"), env=env, states=state,
             checker=verify)
