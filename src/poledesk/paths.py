"""Where PoleDesk keeps its files: the data folder, the store, backups, logs, UI settings, resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from poledesk import APP_AUTHOR, APP_NAME

ENV_DATA_DIR = "POLEDESK_DATA_DIR"
STORE_FILE = "poledesk.sqlite"


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: --data-dir first, then POLEDESK_DATA_DIR, then the user data folder."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir()


def store_file(folder: Path) -> Path:
    return folder / STORE_FILE


def backups_dir(folder: Path) -> Path:
    return folder / "sauvegardes"


def logs_dir(folder: Path) -> Path:
    return folder / "journaux"


def ui_settings_file(folder: Path) -> Path:
    return folder / "interface.ini"


def resource(name: str) -> Path:
    """A file shipped in resources/, in the source tree or in the frozen build (the only place that knows _MEIPASS)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    root = Path(frozen_root) if frozen_root else Path(__file__).resolve().parents[2]
    return root / "resources" / name
