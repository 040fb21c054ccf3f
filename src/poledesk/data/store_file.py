"""What the store's file is, told from its first bytes alone: read before SQLite, SQLAlchemy or any cipher is loaded,
so the window can show before them and an encrypted store asks for its passphrase first."""

from __future__ import annotations

from pathlib import Path

from poledesk import paths

SQLITE_MAGIC = b"SQLite format 3\x00"


def is_encrypted(file: Path) -> bool:
    """A store file that exists, is not empty, and does not start as a clear SQLite file does."""
    if not file.exists() or file.stat().st_size == 0:
        return False
    with file.open("rb") as handle:
        return handle.read(16) != SQLITE_MAGIC


def store_state(folder: Path) -> str:
    """'new' (no store yet), 'clear' or 'encrypted'."""
    file = paths.store_file(folder)
    if not file.exists() or file.stat().st_size == 0:
        return "new"
    return "encrypted" if is_encrypted(file) else "clear"
