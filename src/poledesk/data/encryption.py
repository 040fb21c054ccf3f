"""Encryption at rest: unlock a store, encrypt a clear one in place, change or reset its passphrase."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from poledesk import paths
from poledesk.data import db, vault
from poledesk.data.db import Store, StoreError
from poledesk.data.store_file import store_state as store_state
from poledesk.data.vault import VaultError

log = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".chiffrement"


@dataclass(frozen=True, slots=True)
class NewKey:
    """What a freshly protected store gives back: the key to keep open, and its recovery key to print once."""

    key: bytes
    recovery_key: str
    store_id: str




def unlock(folder: Path, passphrase: str) -> bytes:
    """The store key from the passphrase; VaultError (French, nothing touched) if it cannot open this store."""
    header = vault.read_header(folder)
    key = vault.unwrap(header, passphrase)
    if not db.key_opens(paths.store_file(folder), key):
        raise VaultError("La phrase secrète correspond au fichier d'en-tête, mais pas à cette base : l'en-tête vient "
                         "d'une autre base. Ouvrez-la avec sa clé de secours. Rien n'a été modifié.")
    return key


def unlock_with_recovery(folder: Path, recovery_text: str) -> bytes:
    """The store key read from the recovery sheet; refused if it is another store's sheet."""
    key = vault.parse_recovery_key(recovery_text)
    if not db.key_opens(paths.store_file(folder), key):
        raise VaultError("Cette clé de secours n'ouvre pas cette base : c'est peut-être la feuille de secours d'une "
                         "autre base. Rien n'a été modifié.")
    return key


def protect_new_folder(folder: Path, passphrase: str, confirmation: str) -> NewKey:
    """Before a new store is created: choose its key and write the header, so open_store(key=…) creates it encrypted."""
    problem = vault.passphrase_problem(passphrase, confirmation)
    if problem:
        raise VaultError(problem)
    if store_state(folder) != "new":
        raise VaultError("Ce dossier contient déjà une base : elle n'a pas été modifiée.")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = vault.new_store_key()
    header = vault.make_header(passphrase, key)
    vault.write_header(folder, header)
    log.info("new store protected by a passphrase (store id %s)", header.store_id)
    return NewKey(key, vault.format_recovery_key(key), header.store_id)


def discard_new_store(folder: Path) -> None:
    """Undo protect_new_folder when the first start was refused: an empty store and its header, nothing else."""
    file = paths.store_file(folder)
    for path in (file, file.with_name(file.name + "-wal"), file.with_name(file.name + "-shm"),
                 vault.header_file(folder)):
        path.unlink(missing_ok=True)


def encrypt_in_place(store: Store, passphrase: str, confirmation: str) -> NewKey:
    """Encrypt an open clear store after a backup; the store object is then bound to the encrypted file.

    Steps, each leaving either the whole clear store or the whole encrypted one behind a kill -9: the header is
    written first (harmless beside a clear file), the encrypted copy is built beside the store, synced, and swapped
    in with one rename. Clear backups are then encrypted one by one the same way.
    """
    problem = vault.passphrase_problem(passphrase, confirmation)
    if problem:
        raise VaultError(problem)
    if store.encrypted:
        raise VaultError("La base est déjà chiffrée : changez plutôt sa phrase secrète.")
    store.backup("avant-chiffrement")
    key = vault.new_store_key()
    header = vault.make_header(passphrase, key)
    store.engine.dispose()
    try:
        vault.write_header(store.folder, header)
        encrypt_file(store.file, key)
    except BaseException:
        store.rebind(None)
        raise
    store.rebind(key)
    for backup in db.list_backups(store.folder):
        if not db.is_encrypted(backup):
            encrypt_file(backup, key)
    log.info("store encrypted in place (store id %s)", header.store_id)
    return NewKey(key, vault.format_recovery_key(key), header.store_id)


def encrypt_file(file: Path, key: bytes) -> None:
    """Replace a clear SQLite file by an encrypted copy in one rename; its WAL is folded in and removed first."""
    partial = file.with_name(file.name + PARTIAL_SUFFIX)
    remove_partial(file)
    connection = db.raw_connect(file, None)
    try:
        connection.execute("PRAGMA busy_timeout=5000")   # a reader finishing its page is waited for
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        # Out of WAL mode before the swap: a clear -wal left beside the encrypted file would be read with it.
        connection.execute("PRAGMA journal_mode=DELETE")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        literal = str(partial).replace("'", "''")
        connection.execute(f"ATTACH DATABASE '{literal}' AS secret KEY \"x'{key.hex()}'\"")
        connection.execute("SELECT sqlcipher_export('secret')")
        connection.execute(f"PRAGMA secret.user_version = {int(version)}")
        connection.execute("DETACH DATABASE secret")
    except Exception as error:
        connection.close()
        remove_partial(file)
        raise StoreError(f"Le chiffrement de « {file.name} » a échoué ({error}) : la base claire est intacte.") \
            from error
    connection.close()
    try:
        with open(partial, "rb+") as written:
            os.fsync(written.fileno())
        if os.name == "posix":
            os.chmod(partial, 0o600)
        os.replace(partial, file)
        _sync_folder(file.parent)
    except OSError as error:
        remove_partial(file)
        raise StoreError(f"Le chiffrement de « {file.name} » n'a pas pu être enregistré "
                         f"({error.strerror or error}) : la base claire est intacte.") from error


def remove_partial(file: Path) -> None:
    """An encrypted copy left half-built by a crash: never used, removed at the next try."""
    partial = file.with_name(file.name + PARTIAL_SUFFIX)
    for leftover in (partial, partial.with_name(partial.name + "-journal")):
        leftover.unlink(missing_ok=True)


def change_passphrase(folder: Path, old_passphrase: str, new_passphrase: str, confirmation: str) -> None:
    """Rewrap the store key under a new passphrase: one atomic header write (a crash leaves the old or the new)."""
    key = unlock(folder, old_passphrase)
    set_passphrase(folder, key, new_passphrase, confirmation)


def set_passphrase(folder: Path, key: bytes, new_passphrase: str, confirmation: str) -> None:
    """A new header for an unlocked store (after a recovery, or a change): the recovery key stays valid."""
    problem = vault.passphrase_problem(new_passphrase, confirmation)
    if problem:
        raise VaultError(problem)
    if not db.key_opens(paths.store_file(folder), key):
        raise VaultError("Cette clé n'ouvre pas cette base : la phrase secrète n'a pas changé.")
    try:
        store_id = vault.read_header(folder).store_id
    except VaultError:
        store_id = None   # the header was lost or damaged: the recovery key has just rebuilt it
    vault.write_header(folder, vault.make_header(new_passphrase, key, store_id=store_id))
    log.info("store passphrase changed")


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
