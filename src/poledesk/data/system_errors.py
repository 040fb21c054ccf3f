"""System faults said in French: a file that is missing or a folder, a full disk, a read-only medium, a store in use.

The operating system and SQLite speak English ("No such file or directory", "database or disk is full"); a user
of PoleDesk reads what happened to their file, and what to do, in French. Each fault is named for what it is: a full
disk is not a damaged store, and advising to restore a backup then would lose recent work.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path


# The store speaks through sqlcipher3 (its own classes, not sqlite3's); a plain sqlite3 file may still be read.
def sqlite_errors() -> tuple[type[Exception], ...]:
    """sqlite3's and sqlcipher3's error classes; the cipher is imported here, never when the window's shell paints."""
    import sqlcipher3.dbapi2 as sqlcipher

    return (sqlite3.Error, sqlcipher.Error)

DISK_FULL = ("Le disque est plein : PoleDesk n'a rien pu écrire et n'a rien modifié. Libérez de la place "
             "(corbeille, téléchargements), puis recommencez ; la base est intacte.")
READ_ONLY = ("Le support est en lecture seule (clé verrouillée, partage protégé, disque monté en lecture) : PoleDesk "
             "ne peut rien y écrire. Copiez le dossier de données sur un disque inscriptible.")
DAMAGED = ("La base est endommagée (une partie du fichier est illisible) : PoleDesk n'y écrit plus. Lancez "
           "« poledesk check » pour le détail, exportez ce qui peut l'être, puis restaurez une sauvegarde.")
DISK_ERROR = ("Le disque a refusé une lecture ou une écriture de la base (support débranché, abîmé ou plein) : "
              "rien n'a été modifié. Vérifiez le disque et la place libre, puis recommencez.")
LOW_SPACE = 256 * 1024   # under this, SQLite's "disk I/O error" is a full disk
IN_USE = ("Un autre PoleDesk écrit dans cette base en ce moment (une autre fenêtre ou une commande) : attendez qu'il "
          "ait fini, puis recommencez. Rien n'a été modifié.")


def os_error_message(error: OSError, path: str | Path | None = None) -> str:
    """What an OSError means for the user, in French, naming the file when it is known."""
    name = path if path is not None else error.filename
    where = f"« {name} »" if name else "le fichier"
    code = error.errno
    if isinstance(error, FileNotFoundError) or code == errno.ENOENT:
        return f"Le fichier {where} n'existe pas (ou plus) : vérifiez son nom et son dossier."
    if isinstance(error, IsADirectoryError) or code == errno.EISDIR:
        return f"{where[0].upper()}{where[1:]} est un dossier, pas un fichier : choisissez un fichier."
    if isinstance(error, NotADirectoryError) or code == errno.ENOTDIR:
        return f"Le chemin {where} passe par un fichier comme s'il était un dossier : vérifiez-le."
    if isinstance(error, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return f"PoleDesk n'a pas le droit d'accéder à {where} : vérifiez ses droits, ou choisissez un autre dossier."
    if code in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return DISK_FULL
    if code == errno.EROFS:
        return READ_ONLY
    if code == errno.ENAMETOOLONG:
        return f"Le nom {where} est trop long pour le système : raccourcissez-le."
    if code == errno.EIO:
        return f"Erreur de lecture ou d'écriture du disque sur {where} : le support est peut-être abîmé ou débranché."
    return f"Le système a refusé l'accès à {where} (erreur {code}) : rien n'a été modifié."


def free_bytes(folder: Path) -> int | None:
    """Space left for this user on the disk holding `folder`, or None where it cannot be told."""
    try:
        stats = os.statvfs(folder)
    except (AttributeError, OSError):   # no statvfs on Windows
        return None
    return stats.f_bavail * stats.f_frsize


def store_error_message(error: BaseException, folder: Path | None = None) -> str | None:
    """The French message of a SQLite fault (full disk, read-only, in use, damaged file, disk error), else None.

    Accepts sqlite3 and sqlcipher3 errors and SQLAlchemy's wrappers of them (their `.orig`). SQLite says only
    "disk I/O error" when it cannot even grow its -shm on a full disk: with the store's `folder`, a disk with
    no room left is then named as full."""
    original = getattr(error, "orig", error)
    if isinstance(original, OSError):
        return os_error_message(original)
    if not isinstance(original, sqlite_errors()):
        return None
    code = getattr(original, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None   # extended codes (SQLITE_READONLY_DBMOVED…) keep it low
    text = str(original).lower()
    if primary == sqlite3.SQLITE_FULL or "disk is full" in text:
        return DISK_FULL
    if primary == sqlite3.SQLITE_READONLY or "readonly database" in text or "read-only" in text:
        return READ_ONLY
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "database is locked" in text:
        return IN_USE
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "malformed" in text:
        return DAMAGED
    if primary == sqlite3.SQLITE_IOERR or "disk i/o error" in text:
        left = free_bytes(folder) if folder is not None else None
        if left is not None and left < LOW_SPACE:
            return DISK_FULL
        return DISK_ERROR
    return None


def system_fault_message(error: BaseException) -> str | None:
    """The French message of the system fault behind `error`, looking through what it was raised during.

    A library cleaning up after a full disk may raise its own error over the OSError (openpyxl's
    "I/O operation on closed file" over "No space left on device"): the fault the user must hear is the first one.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        message = os_error_message(current) if isinstance(current, OSError) else store_error_message(current)
        if message is not None:
            return message
        current = current.__cause__ or current.__context__
    return None
