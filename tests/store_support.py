"""What tests of stores in trouble share: the data folder's bytes, to show a refusal left it as it was, and a
page damaged as a failing disk would."""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

from poledesk.data import db


def folder_digest(folder: Path) -> dict[str, str]:
    """Every file of the data folder that holds data, byte for byte (not the log, the -shm index, an empty WAL)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "journaux" not in p.parts
            and not p.name.endswith("-shm") and not (p.name.endswith("-wal") and p.stat().st_size == 0)}


def damage(file: Path, table: str) -> None:
    """Overwrite the first leaf page under `table`'s root with 0xFF, as a failing disk sector would."""
    connection = db.raw_connect(file, None)
    root, = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    size, = connection.execute("PRAGMA page_size").fetchone()
    connection.close()
    data = bytearray(file.read_bytes())
    start = (root - 1) * size
    assert data[start] == 5   # an interior page: its first child is a leaf
    pointer, = struct.unpack(">H", data[start + 12:start + 14])
    child, = struct.unpack(">I", data[start + pointer:start + pointer + 4])
    data[(child - 1) * size + 8:child * size] = b"\xff" * (size - 8)
    file.write_bytes(bytes(data))
