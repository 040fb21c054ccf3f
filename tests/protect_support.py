"""What tests of encrypted stores share: one passphrase, and opening a folder whether it is clear or encrypted."""

from __future__ import annotations

from pathlib import Path

import pytest

from poledesk.data import db, encryption, vault
from poledesk.data.db import Store

PASSPHRASE = "cheval correct agrafe pile"


def key_of(folder: Path, passphrase: str = PASSPHRASE) -> bytes | None:
    return encryption.unlock(folder, passphrase) if encryption.store_state(folder) == "encrypted" else None


def open_unlocked(folder: Path, *, passphrase: str = PASSPHRASE, create: bool = True) -> Store:
    return db.open_store(folder, key=key_of(folder, passphrase), create=create)


def use_passphrase(monkeypatch: pytest.MonkeyPatch, passphrase: str = PASSPHRASE) -> None:
    """Headless commands read it, as POLEDESK_PASSPHRASE in a script would give it."""
    monkeypatch.setenv(vault.ENV_PASSPHRASE, passphrase)
