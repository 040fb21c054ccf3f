"""Writing files whole or not at all: temporary file beside the target, owner-only, fsync, then rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomically(path: Path, content: bytes | Callable[[Path], None]) -> Path:
    """Write `content` (bytes, or a function that writes a given path) to `path` in one step.

    A crash, a full disk or an exception in the writer leaves the previous file (or none), never half of one.
    The file is readable by its owner only: exports, documents and bundles all hold personal data.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".partiel")
    os.close(handle)
    try:
        if callable(content):
            content(Path(temporary))
        else:
            Path(temporary).write_bytes(content)
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        if os.name == "posix":
            os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(folder)
    return path


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX only: Windows cannot open a folder for fsync)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
