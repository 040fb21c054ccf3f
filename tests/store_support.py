"""What tests of stores in trouble share: the data folder's bytes, to show a refusal left it as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path


def folder_digest(folder: Path) -> dict[str, str]:
    """Every file of the data folder that holds data, byte for byte (not the log, the -shm index, an empty WAL)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "journaux" not in p.parts
            and not p.name.endswith("-shm") and not (p.name.endswith("-wal") and p.stat().st_size == 0)}
