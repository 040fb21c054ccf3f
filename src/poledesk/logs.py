"""Logging: a rotating file in the data folder's log directory; pupils are logged by id, never by name."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from poledesk import paths

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(folder: Path, *, console: bool = False) -> Path | None:
    """Log to journaux/poledesk.log (1 MB x 5); a folder that cannot be written only loses the log."""
    root = logging.getLogger()
    if any(getattr(h, "poledesk", False) for h in root.handlers):
        return None
    root.setLevel(logging.INFO)
    log_file = paths.logs_dir(folder) / "poledesk.log"
    target: Path | None = log_file
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=1_000_000, backupCount=5,
                                                                        encoding="utf-8")
    except OSError:
        handler, target = logging.NullHandler(), None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.poledesk = True  # type: ignore[attr-defined]  # marks our handler, so a second call adds none
    root.addHandler(handler)
    if console:
        stream = logging.StreamHandler()
        stream.setLevel(logging.WARNING)
        root.addHandler(stream)
    return target
