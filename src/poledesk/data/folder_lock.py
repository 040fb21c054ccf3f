"""One PoleDesk per data folder: a lock file naming the process that holds it; a dead holder's lock is taken over.

Two processes writing one store would each see the other's changes late, and a window kept open would show
records a command just changed under it. A second window or command on the same folder is refused in French,
naming who holds it; nothing is lost, since nothing was opened.

The guard is an OS lock on the file (flock on POSIX, msvcrt on Windows): the system drops it when its process
dies, even by kill -9, so a lock file left behind is stale by construction and is taken over. The pid, host and
time written inside only tell the user who holds it. `poledesk check` takes no lock: it only reads.
Within one process the lock is shared (counted): the window and its background jobs open the folder together.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from poledesk.data.errors import StoreError

log = logging.getLogger(__name__)

LOCK_FILE = "poledesk.verrou"


class FolderInUse(StoreError):
    """Another PoleDesk (window or command) has this data folder open."""


@dataclass(slots=True)
class FolderLock:
    """The lock of one folder held by this process; `release` once per `acquire`."""

    folder: Path
    handle: IO[bytes] | None
    holders: int = 1

    def release(self) -> None:
        with _registry_lock:
            self.holders -= 1
            if self.holders > 0:
                return
            _held.pop(self.folder, None)
            if self.handle is not None:
                try:
                    self.handle.seek(0)
                    self.handle.truncate()   # no holder named any more; the file stays, unlocked
                except OSError:
                    pass
                _unlock(self.handle)
                self.handle.close()


_held: dict[Path, FolderLock] = {}
_registry_lock = threading.Lock()


def acquire(folder: Path) -> FolderLock:
    """Hold the folder's lock (shared within this process); FolderInUse, in French, if another process holds it.

    A folder where no lock file can be written (a read-only medium) is not locked: nothing can be written there.
    """
    key = folder.resolve()
    with _registry_lock:
        held = _held.get(key)
        if held is not None:
            held.holders += 1
            return held
        try:
            handle = open(key / LOCK_FILE, "a+b")  # noqa: SIM115 (kept open while the lock is held)
        except OSError:
            return FolderLock(key, None)
        if not _try_lock(handle):
            holder = _read_holder(handle)
            handle.close()
            raise FolderInUse(in_use_message(holder))
        previous = _read_holder(handle)
        if previous.get("pid"):
            log.info("stale lock of process %s taken over", previous.get("pid"))
        _write_holder(handle)
        lock = FolderLock(key, handle)
        _held[key] = lock
        return lock


def in_use_message(holder: dict[str, object]) -> str:
    pid, host, since = holder.get("pid"), holder.get("host"), holder.get("since")
    who = f"le processus {pid}" if pid else "un autre processus"
    if host and host != socket.gethostname():
        who += f" sur l'ordinateur « {host} »"
    when = ""
    if isinstance(since, str):
        try:
            when = f", depuis le {datetime.fromisoformat(since):%d/%m/%Y à %H:%M}"
        except ValueError:
            when = ""
    return (f"Ce dossier de données est déjà ouvert par un autre PoleDesk ({who}{when}) : une autre fenêtre ou "
            "une commande en cours. Fermez-le ou attendez qu'il ait fini, puis recommencez. Rien n'a été modifié.")


def _write_holder(handle: IO[bytes]) -> None:
    if os.name == "posix":
        os.chmod(handle.name, 0o600)
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                             "since": datetime.now().isoformat(timespec="seconds")}).encode())
    handle.flush()


def _read_holder(handle: IO[bytes]) -> dict[str, object]:
    try:
        handle.seek(0)
        data = json.loads(handle.read(4096) or b"{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


if sys.platform != "win32":   # sys.platform, not os.name: mypy checks the branch of the platform it runs on
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
else:
    import msvcrt

    def _try_lock(handle: IO[bytes]) -> bool:
        try:   # a lock on a byte far past the text: the holder's pid stays readable by others
            handle.seek(1 << 20)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(1 << 20)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
