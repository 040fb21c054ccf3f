"""Private keys of an encrypted store are never a clear file: sealed with the store key, old clear ones migrated."""

from __future__ import annotations

import pytest

from poledesk.data import vault
from poledesk.sync import keys
from poledesk.sync.errors import KeysError


def private_files(folder):
    return [p for p in keys.keys_dir(folder).rglob("*") if p.is_file()]


def test_keys_of_an_encrypted_store_are_sealed(tmp_path):
    secret = vault.new_store_key()
    created = keys.create_keys(tmp_path, secret=secret)
    for path in private_files(tmp_path):
        data = path.read_bytes()
        assert data.startswith(keys.SEALED_MAGIC)
        assert b"AGE-SECRET-KEY" not in data and b"PRIVATE KEY" not in data
        assert path.stat().st_mode & 0o077 == 0
    assert keys.load_keys(tmp_path, secret=secret).fingerprint == created.fingerprint
    with pytest.raises(KeysError, match="illisibles"):
        keys.load_keys(tmp_path)
    with pytest.raises(KeysError, match="autre base"):
        keys.load_keys(tmp_path, secret=vault.new_store_key())


def test_clear_key_files_are_sealed_once_the_store_key_is_known(tmp_path):
    old = keys.create_keys(tmp_path)
    keys.rotate_keys(tmp_path)   # a retired pair too
    assert any(b"AGE-SECRET-KEY" in p.read_bytes() for p in private_files(tmp_path))
    secret = vault.new_store_key()
    loaded = keys.load_keys(tmp_path, secret=secret)
    assert old.fingerprint in loaded.fingerprints
    assert all(p.read_bytes().startswith(keys.SEALED_MAGIC) for p in private_files(tmp_path))
    assert keys.seal_existing_keys(tmp_path, secret) == 0
