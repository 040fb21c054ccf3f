"""System faults said in French: a file that is missing or a folder, a full disk, a read-only medium, a store in use.

The operating system and SQLite speak English ("No such file or directory", "database or disk is full"); a user
of PoleDesk reads what happened to their file, and what to do, in French. Each fault is named for what it is: a full
disk is not a damaged store, and advising to restore a backup then would lose recent work.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

# The store speaks through sqlcipher3 (its own classes, not sqlite3's); a plain sqlite3 file may still be read.
SQLITE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, sqlcipher.Error)

DISK_FULL = ("Le disque est plein : PoleDesk n'a rien pu écrire et n'a rien modifié. Libérez de la place "
             "(corbeille, téléchargements), puis recommencez ; la base est intacte.")
READ_ONLY = ("Le support est en lecture seule (clé verrouillée, partage protégé, disque monté en lecture) : PoleDesk "
             "ne peut rien y écrire. Copiez le dossier de données sur un disque inscriptible.")
DAMAGED = ("La base est endommagée (une partie du fichier est illisible) : PoleDesk n'y écrit plus. Lancez "
           "« poledesk check » pour le détail, exportez ce qui peut l'être, puis restaurez une sauvegarde.")
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


def store_error_message(error: BaseException) -> str | None:
    """The French message of a SQLite fault (full disk, read-only, in use, damaged file), else None.

    Accepts sqlite3 and sqlcipher3 errors and SQLAlchemy's wrappers of them (their `.orig`)."""
    original = getattr(error, "orig", error)
    if isinstance(original, OSError):
        return os_error_message(original)
    if not isinstance(original, SQLITE_ERRORS):
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
    return None
