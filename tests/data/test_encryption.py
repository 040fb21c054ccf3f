"""The encrypted store: unlock, recovery key, passphrase change, encryption in place, and every refusal untouched."""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from poledesk import paths
from poledesk.data import db, encryption, vault
from poledesk.data.models import Contact, Partner, Pupil
from poledesk.data.partners import listing
from poledesk.data.vault import VaultError
from protect_support import PASSPHRASE, open_unlocked

OTHER = "une tout autre phrase secrète"


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "journaux" not in p.parts}


@pytest.fixture
def secret_folder(tmp_path: Path) -> tuple[Path, encryption.NewKey]:
    folder = tmp_path / "chiffre"
    new = encryption.protect_new_folder(folder, PASSPHRASE, PASSPHRASE)
    store = db.open_store(folder, key=new.key)
    with store.transaction() as session:
        from poledesk.data import identity

        identity.init_pole(session, "NM-07", name="Pôle de Nancy", bassin="Nancy", academie="Nancy-Metz")
    store.close()
    return folder, new


@pytest.fixture
def encrypted_demo(store: db.Store) -> db.Store:
    """The demo store, encrypted in place (as an existing clear store of a pole would be)."""
    encryption.encrypt_in_place(store, PASSPHRASE, PASSPHRASE)
    return store


def test_a_new_store_is_encrypted_and_opens_with_its_passphrase(secret_folder):
    folder, new = secret_folder
    assert db.is_encrypted(paths.store_file(folder))
    assert encryption.unlock(folder, PASSPHRASE) == new.key
    header = json.loads(vault.header_file(folder).read_text())
    assert header["kdf"] == "argon2id" and len(bytes.fromhex(header["salt"])) == vault.SALT_BYTES
    store = open_unlocked(folder)
    try:
        with store.session() as session:
            assert session.scalar(select(func.count()).select_from(Partner)) == 0
    finally:
        store.close()


def test_the_default_cost_is_not_the_test_cost():
    assert vault.DEFAULT_COST.memory_kib >= 64 * 1024 and vault.DEFAULT_COST.time_cost >= 2
    assert vault.cost_for_new_header() == vault.TEST_COST   # the suite runs with the cheap one only


@pytest.mark.parametrize("passphrase, message", [("", "ne peut pas être vide"),
                                                 ("mauvaise phrase secrète", "Phrase secrète incorrecte")])
def test_a_wrong_or_empty_passphrase_opens_nothing_and_touches_nothing(secret_folder, passphrase, message):
    folder, _ = secret_folder
    before = digests(folder)
    with pytest.raises(VaultError, match=message):
        encryption.unlock(folder, passphrase)
    with pytest.raises(db.StoreLocked):
        db.open_store(folder)
    assert digests(folder) == before


def test_a_missing_or_damaged_header_is_explained(secret_folder):
    folder, new = secret_folder
    header = vault.header_file(folder)
    saved = header.read_bytes()
    header.write_text('{"format": "poledesk-entete/1", "salt": "zz"}')
    before = digests(folder)
    with pytest.raises(VaultError, match="endommagé.*clé de secours"):
        encryption.unlock(folder, PASSPHRASE)
    header.unlink()
    with pytest.raises(VaultError, match="manque.*clé de secours"):
        encryption.unlock(folder, PASSPHRASE)
    with pytest.raises(db.StoreLocked, match="en-tête"):
        db.open_store(folder)
    assert {k: v for k, v in digests(folder).items() if k != vault.HEADER_FILE} == \
        {k: v for k, v in before.items() if k != vault.HEADER_FILE}
    # the recovery key still opens the store and rebuilds a header
    key = encryption.unlock_with_recovery(folder, new.recovery_key)
    encryption.set_passphrase(folder, key, OTHER, OTHER)
    assert encryption.unlock(folder, OTHER) == new.key
    assert saved != header.read_bytes()


def test_a_store_copied_with_another_stores_header_is_refused(secret_folder, tmp_path):
    folder, _ = secret_folder
    other = tmp_path / "autre"
    encryption.protect_new_folder(other, PASSPHRASE, PASSPHRASE)   # same passphrase, another key
    shutil.copy2(vault.header_file(other), vault.header_file(folder))
    before = digests(folder)
    with pytest.raises(VaultError, match="l'en-tête vient d'une autre base"):
        encryption.unlock(folder, PASSPHRASE)
    assert digests(folder) == before


def test_the_recovery_sheet_of_another_store_is_refused(secret_folder, tmp_path):
    folder, new = secret_folder
    other = encryption.protect_new_folder(tmp_path / "autre", OTHER, OTHER)
    before = digests(folder)
    with pytest.raises(VaultError, match="feuille de secours d'une autre base"):
        encryption.unlock_with_recovery(folder, other.recovery_key)
    with pytest.raises(VaultError, match="52 caractères"):
        encryption.unlock_with_recovery(folder, new.recovery_key[:-5])
    assert digests(folder) == before
    assert encryption.unlock_with_recovery(folder, new.recovery_key.lower().replace("-", " ")) == new.key


def test_changing_the_passphrase_keeps_the_recovery_key(secret_folder):
    folder, new = secret_folder
    encryption.change_passphrase(folder, PASSPHRASE, OTHER, OTHER)
    with pytest.raises(VaultError, match="incorrecte"):
        encryption.unlock(folder, PASSPHRASE)
    assert encryption.unlock(folder, OTHER) == new.key
    assert encryption.unlock_with_recovery(folder, new.recovery_key) == new.key


@pytest.mark.parametrize("new, confirmation, message", [
    ("court", "court", "au moins 12 caractères"), ("", "", "ne peut pas être vide"),
    ("une phrase assez longue", "une phrase assez longu", "différentes"), ("aaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaa", "répète")])
def test_a_refused_new_passphrase_changes_nothing(secret_folder, new, confirmation, message):
    folder, _ = secret_folder
    before = digests(folder)
    with pytest.raises(VaultError, match=message):
        encryption.change_passphrase(folder, PASSPHRASE, new, confirmation)
    assert digests(folder) == before


def test_a_full_disk_during_a_passphrase_change_keeps_the_old_header(secret_folder, monkeypatch):
    folder, _ = secret_folder
    before = digests(folder)

    def full_disk(path: Path, content: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(vault, "write_atomically", full_disk)
    with pytest.raises(VaultError, match="n'a pas pu être écrit.*n'a pas changé"):
        encryption.change_passphrase(folder, PASSPHRASE, OTHER, OTHER)
    assert digests(folder) == before
    assert encryption.unlock(folder, PASSPHRASE)


def test_a_clear_store_is_encrypted_in_place_with_its_backups(store: db.Store):
    with store.session() as session:
        counts = {model: session.scalar(select(func.count()).select_from(model)) for model in (Partner, Pupil)}
    store.backup("manuelle")
    new = encryption.encrypt_in_place(store, PASSPHRASE, PASSPHRASE)
    assert store.encrypted and db.is_encrypted(store.file)
    assert not list(store.folder.glob("*.chiffrement*"))
    backups = db.list_backups(store.folder)
    assert len(backups) == 2 and all(db.is_encrypted(b) and db.key_opens(b, new.key) for b in backups)
    with store.session() as session:
        assert {m: session.scalar(select(func.count()).select_from(m)) for m in counts} == counts
        assert listing.search_partners(session, "garage")   # the FTS5 index came along
    assert db.check_store(store.file, key=new.key) == []


def test_an_encrypted_store_is_refused_with_a_wrong_key_as_a_whole(encrypted_demo, tmp_path):
    before = digests(encrypted_demo.folder)
    with pytest.raises(db.StoreError, match="ne s'ouvre pas avec cette clé"):
        db.open_store(encrypted_demo.folder, key=vault.new_store_key())
    assert digests(encrypted_demo.folder) == before


def test_nothing_readable_in_the_raw_files_of_an_encrypted_store(encrypted_demo):
    store = encrypted_demo
    with store.session() as session:
        names = {n for n in session.scalars(select(Pupil.last_name)) if len(n) > 3}
        names |= {n for n in session.scalars(select(Contact.last_name).limit(200)) if len(n) > 3}
        first = session.scalars(select(Pupil).limit(1)).one()
        first.needs = "Fauteuil roulant"
    with store.transaction() as session:   # a write still in the WAL
        pupil = session.scalars(select(Pupil).limit(1)).one()
        pupil.needs = "Fauteuil roulant électrique"
    store.backup("manuelle")
    files = [p for p in store.folder.rglob("*") if p.is_file() and "journaux" not in p.parts]
    assert any(p.name.endswith("-wal") for p in files)
    for file in files:
        raw = file.read_bytes()
        for name in names | {"Fauteuil roulant"}:
            assert name.encode() not in raw, f"{name} readable in {file.name}"


def test_files_are_owner_only_and_a_wider_folder_is_tightened(tmp_path, caplog):
    folder = tmp_path / "large"
    store = db.open_store(folder)
    store.backup("manuelle")
    store.close()
    os.chmod(folder, 0o755)
    os.chmod(paths.store_file(folder), 0o644)
    with caplog.at_level(logging.WARNING):
        store = db.open_store(folder)
    store.close()
    assert "now owner-only" in caplog.text
    assert folder.stat().st_mode & 0o777 == 0o700
    for path in folder.rglob("*"):
        assert path.stat().st_mode & 0o077 == 0, path


def test_a_copy_of_an_encrypted_store_is_encrypted_and_opens_with_the_same_passphrase(encrypted_demo, tmp_path):
    (tmp_path / "ailleurs").mkdir()
    target = db.copy_store_to(encrypted_demo, tmp_path / "ailleurs" / "copie.sqlite")
    assert db.is_encrypted(target) and db.key_opens(target, encrypted_demo.key)
    header = target.with_name("copie.entete.json")
    assert header.read_bytes() == vault.header_file(encrypted_demo.folder).read_bytes()
    assert target.stat().st_mode & 0o077 == 0 and header.stat().st_mode & 0o077 == 0
