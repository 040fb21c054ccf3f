"""Where PoleDesk keeps its files: the data folder, the store, backups, logs, UI settings, resources."""

from __future__ import annotations

import os
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


def owner_only_files() -> None:
    """Everything this process creates (store, WAL, SHM, backups, logs, keys, bundles, PDFs) is 0600, folders 0700.

    Called by the entry points (command line and window). On Windows the user profile's ACL is the guard.
    """
    if os.name == "posix":
        os.umask(0o077)


def store_file(folder: Path) -> Path:
    return folder / STORE_FILE


def backups_dir(folder: Path) -> Path:
    return folder / "sauvegardes"


def logs_dir(folder: Path) -> Path:
    return folder / "journaux"


def ui_settings_file(folder: Path) -> Path:
    return folder / "interface.ini"


def resource(name: str) -> Path:
    """A file shipped inside the package (src/poledesk/resources/): found the same way in a checkout, an installed
    wheel and the standalone build, through importlib.resources."""
    from importlib.resources import files

    return Path(str(files("poledesk").joinpath("resources", *name.split("/"))))
