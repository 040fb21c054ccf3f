"""The store: engine and sessions, SQLite pragmas, safe opening, migrations, backups and integrity checks."""

from __future__ import annotations

import logging
import os
import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from poledesk import paths
from poledesk.data import fields, folder_lock, settings, vault
from poledesk.data.clock import Hlc, HybridClock
from poledesk.data.errors import StoreError as StoreError
from poledesk.data.files import write_atomically
from poledesk.data.models import Travelling, utcnow
from poledesk.data.store_file import SQLITE_MAGIC as SQLITE_MAGIC
from poledesk.data.store_file import is_encrypted as is_encrypted
from poledesk.data.system_errors import DAMAGED as DAMAGED_FILE
from poledesk.data.system_errors import READ_ONLY as READ_ONLY_MEDIUM
from poledesk.data.system_errors import os_error_message, store_error_message
from poledesk.data.text import SEARCH_FOLD_SQL, fold, search_text

log = logging.getLogger(__name__)

BACKUPS_KEPT = 10


class StoreLocked(StoreError):
    """The store is encrypted and no key was given: ask for the passphrase, then open it again."""


class StoreDamaged(StoreError):
    """The store failed its quick check: it may be read (to export what can be saved), never written to."""


class StoreReadOnly(StoreError):
    """The store sits on a read-only medium or in a folder its rights close: it is read, never written to."""


FOLDER_READ_ONLY = ("Le dossier de données est en lecture seule (ses droits interdisent d'y écrire) : PoleDesk ne "
                    "peut rien y écrire. Rendez-le inscriptible, ou copiez-le sur un disque inscriptible.")

DAMAGED = ("La base « {name} » est endommagée (« poledesk check » le détaille) : elle est ouverte en lecture seule "
           "et rien n'y a été écrit. Exportez ce qui peut l'être, puis restaurez une sauvegarde du dossier "
           "« sauvegardes ».")


def raw_connect(file: Path | str, key: bytes | None, *, read_only: bool = False, shared: bool = False,
                untouched: bool = False) -> sqlcipher.Connection:
    """A DB-API connection to a store, clear (key None) or SQLCipher-encrypted with the raw key (no SQLCipher KDF).

    Every store connection passes here: the application, migrations, backups, checks and the encryption itself.
    `untouched` opens it immutable: for checking a key, it creates no -wal or -shm file.
    """
    location = quote(str(file))
    target = f"file:{location}?mode=ro" if read_only else f"file:{location}"
    if untouched:   # no -wal/-shm created beside the file: a look that leaves the folder as it was
        target = f"file:{location}?mode=ro&immutable=1"
    connection = sqlcipher.connect(target, uri=True, check_same_thread=not shared)
    connection.execute("PRAGMA cipher_log_level = NONE")   # a wrong key is our French message, not stderr noise
    if key is not None:
        connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    register_sql_functions(connection)
    return connection


def register_sql_functions(dbapi_connection: sqlite3.Connection | sqlcipher.Connection) -> None:
    """The Python functions the schema's SQL calls: the partner search index's triggers fold each field through
    search_fold (see partners/fulltext.py). Every connection that writes to a store needs them."""
    dbapi_connection.create_function(SEARCH_FOLD_SQL, 1, search_text, deterministic=True)


def key_opens(file: Path, key: bytes | None) -> bool:
    """Whether `key` reads the store (SQLCipher only finds out at the first read of a page)."""
    try:
        connection = raw_connect(file, key, untouched=True)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return True
        finally:
            connection.close()
    except sqlcipher.DatabaseError:
        return False


def read_only_reason(folder: Path) -> str | None:
    """Why nothing can be written in `folder` (a read-only medium, or rights that forbid it), else None."""
    if not folder.is_dir():
        return None
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return READ_ONLY_MEDIUM
    except (AttributeError, OSError):
        pass   # no statvfs on Windows: the rights below tell
    file = paths.store_file(folder)
    if not os.access(folder, os.W_OK) or (file.exists() and not os.access(file, os.W_OK)):
        return FOLDER_READ_ONLY
    return None


def look_connect(file: Path, key: bytes | None) -> sqlcipher.Connection:
    """A read-only connection for looking at a store, also where SQLite could not create its -shm beside it.

    A store left by a kill -9 in the middle of a write has a hot journal that a read-only connection may not roll
    back (SQLite answers "attempt to write a readonly database"): where the folder is writable, one writable
    open rolls it back first, as the application's next start would, and the look goes on."""
    untouched = read_only_reason(file.parent) is not None
    connection = raw_connect(file, key, read_only=True, untouched=untouched)
    if untouched:
        return connection
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as error:   # a wrong key, a damaged file: said by the caller as before
        connection.close()
        if not isinstance(error, sqlcipher.OperationalError) or "readonly" not in str(error):
            raise
        writer = raw_connect(file, key)   # its first read rolls the interrupted write back
        try:
            writer.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            writer.close()
        connection = raw_connect(file, key, read_only=True)
    return connection


def create_store_engine(file: Path, *, key: bytes | None = None, foreign_keys: bool = True,
                        read_only: bool = False) -> Engine:
    """The one place that creates an engine: SQLCipher's SQLite, keyed when the store is encrypted.

    `read_only` opens every connection immutable (a read-only medium, where no -wal or -shm can be created)."""
    # hide_parameters: an SQL error's message (logged, shown in a crash report) never carries the values written,
    # which are pupils' names, birth dates and representatives.
    # The URL names the file (what code asking the engine where the store lives reads); `creator` connects.
    engine = create_engine(f"sqlite:///{file}", module=sqlcipher,
                           creator=lambda: raw_connect(file, key, shared=True, untouched=read_only),
                           future=True, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlcipher.Connection, _record: object) -> None:
        # Let SQLAlchemy, not pysqlite, say when a transaction begins, so DDL and BEGIN IMMEDIATE are real.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # Erased rows are overwritten, not left in free pages (the purge must leave nothing to recover).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA busy_timeout=5000")
        # 32 MB of page cache: a pole's store (a few MB) stays decrypted in memory once read, so searches on the
        # encrypted store cost what they cost on a clear one.
        cursor.execute("PRAGMA cache_size=-32000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


class Store:
    """An open store: hands out short sessions (one per user action) and write transactions."""

    def __init__(self, folder: Path, engine: Engine, clock: HybridClock, owner: str, *,
                 key: bytes | None = None, read_only: str | None = None) -> None:
        self.folder = folder
        self.file = paths.store_file(folder)
        self.clock = clock
        self.owner = owner
        self.key = key
        self._problems: list[str] | None = None   # quick_check's findings, looked for before the first write
        self.read_only = read_only                # why nothing may be written (read-only medium), else None
        self.lock: folder_lock.FolderLock | None = None   # set by open_store, let go by close
        self._bind(engine)

    def _bind(self, engine: Engine) -> None:
        self.engine = engine
        info = {"clock": self.clock, "owner": self.owner, "stamping": True}
        self._reader = sessionmaker(bind=engine, expire_on_commit=False, info=info)
        self._writer = sessionmaker(bind=engine.execution_options(sqlite_begin="IMMEDIATE"),
                                    expire_on_commit=False, info=info)

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    def rebind(self, key: bytes | None) -> None:
        """Open the same file again with another key (after it was encrypted in place); the old engine is closed."""
        self.engine.dispose()
        self.key = key
        self._bind(create_store_engine(self.file, key=key))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        with self._reader() as session:
            yield session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One all-or-nothing write (BEGIN IMMEDIATE): commits on success, rolls back on any exception.

        A damaged store is never written to: StoreDamaged, in French, before anything begins."""
        self.ensure_sound()
        with self._writer.begin() as session:
            yield session

    def ensure_sound(self) -> None:
        """Refuse (StoreDamaged) to write to a store whose pages fail SQLite's quick check.

        The check reads every page once (about 0.1 s for a pole's store), so it runs before the first write of
        this Store, not when it opens: a window that only reads starts as fast as before.
        A store on a read-only medium refuses every write the same way (StoreReadOnly)."""
        if self.read_only is not None:
            raise StoreReadOnly(f"{self.read_only} Rien n'a été modifié.")
        if self._problems is None:
            self._problems = quick_check(self.file, key=self.key)
            if self._problems:
                log.warning("store failed its quick check: %d problems; opened read-only", len(self._problems))
        if self._problems:
            raise StoreDamaged(DAMAGED.format(name=self.file.name))

    @property
    def damaged(self) -> bool:
        """Whether the store failed its quick check (it is then read-only); runs the check if not yet done."""
        try:
            self.ensure_sound()
        except StoreDamaged:
            return True
        return False

    def set_owner(self, owner: str) -> None:
        """Called once the identity is chosen: later writes are owned by this pole or coordinator."""
        self.owner = owner
        for maker in (self._reader, self._writer):
            maker.kw["info"]["owner"] = owner

    def backup(self, reason: str) -> Path:
        self.ensure_sound()   # a copy of a damaged store would rotate a good backup out
        return backup_store(self.file, reason, key=self.key)

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def stamp_writes(session: Session, _context: object, _instances: object) -> None:
    """Every write of a travelling record passes here: version (HLC), time, owner, search key."""
    if not session.info.get("stamping", True) or "clock" not in session.info:
        return
    clock: HybridClock = session.info["clock"]
    now = utcnow()
    stamped = False
    new = list(session.new)          # session.new builds a fresh set at each call: read it once, not per object
    fresh = set(map(id, new))
    for obj in new + list(session.dirty):
        if not isinstance(obj, Travelling):
            continue
        if id(obj) not in fresh and not session.is_modified(obj):
            continue
        if not obj.owner:
            if not session.info.get("owner"):
                raise StoreError("Le dossier de données n'est pas encore configuré (pôle ou coordination).")
            obj.owner = session.info["owner"]
        obj.hlc = clock.tick().encode()
        obj.updated_at = now
        if obj.search_fields:
            # Only the models that declare search_fields have the column.
            obj.search_key = " ".join(  # type: ignore[attr-defined]  # see above
                fold(str(getattr(obj, f) or "")) for f in obj.search_fields)
        stamped = True
    if stamped:
        with session.no_autoflush:
            settings.put(session, settings.CLOCK_LAST, clock.last.encode())


def stamp_new_rows(session: Session, model: type[Travelling], rows: list[dict[str, object]]) -> None:
    """What stamp_writes gives a new object, given to rows inserted in bulk (a Core INSERT of many rows, with no
    ORM object to stamp): owner, version (HLC), time, search key; texts put in NFC as the flush check does."""
    clock: HybridClock = session.info["clock"]
    owner = session.info.get("owner")
    if not owner:
        raise StoreError("Le dossier de données n'est pas encore configuré (pôle ou coordination).")
    now = utcnow()
    for row in rows:
        for key, value in row.items():
            if isinstance(value, str) and not value.isascii():
                row[key] = unicodedata.normalize("NFC", value)
        row.setdefault("owner", owner)
        row["hlc"] = clock.tick().encode()
        row["updated_at"] = now
        if model.search_fields:
            row["search_key"] = " ".join(fold(str(row.get(f) or "")) for f in model.search_fields)
    if rows:
        settings.put(session, settings.CLOCK_LAST, clock.last.encode())


event.listen(Session, "before_flush", stamp_writes)
event.listen(Session, "before_flush", fields.check_writes, insert=True)   # limits first, then the stamp


def open_store(folder: Path, *, create: bool = True, key: bytes | None = None) -> Store:
    """Open (and create or migrate) the store in `folder`; refuse, untouched, what is not ours to open.

    An encrypted store needs its key (StoreLocked otherwise); a new store is created encrypted when a key is given.
    A folder another PoleDesk has open is refused (folder_lock.FolderInUse); `Store.close` lets it go.
    """
    file = paths.store_file(folder)
    if not create and not file.exists():
        raise StoreError(f"Aucune base PoleDesk dans le dossier « {folder} ».")
    read_only = read_only_reason(folder)
    if read_only is None:
        ensure_writable_folder(folder)
        tighten_modes(folder)
    elif not file.exists() or not file.stat().st_size:
        raise StoreReadOnly(f"Aucune base ne peut être créée dans « {folder} » : {read_only}")
    lock = folder_lock.acquire(folder)   # one PoleDesk per folder: FolderInUse, untouched, otherwise
    try:
        store = _open_locked(folder, file, create=create, key=key, read_only=read_only)
    except BaseException:
        lock.release()
        raise
    store.lock = lock
    return store


def _open_locked(folder: Path, file: Path, *, create: bool, key: bytes | None, read_only: str | None) -> Store:
    from poledesk.data import migrate

    if is_encrypted(file) and key is None:
        if not vault.header_file(folder).exists():
            raise StoreLocked(f"Le fichier « {file.name} » n'est pas une base PoleDesk claire et son fichier "
                              f"d'en-tête « {vault.HEADER_FILE} » manque : si c'est une base chiffrée copiée d'un "
                              "autre poste, copiez aussi son en-tête, ou ouvrez-la avec sa clé de secours. "
                              "Rien n'a été modifié.")
        raise StoreLocked("La base est chiffrée : saisissez sa phrase secrète pour l'ouvrir.")
    if file.exists() and not is_encrypted(file) and file.stat().st_size:
        key = None   # a clear store (its encryption may have been interrupted: it stays whole and clear)
    state = migrate.inspect_store(file, key=key)
    if state.is_new and not create:
        raise StoreError(f"Aucune base PoleDesk dans le dossier « {folder} ».")
    if state.needs_upgrade and read_only is not None:
        raise StoreReadOnly(f"La base doit être mise à jour pour cette version de PoleDesk, mais : {read_only}")
    if state.needs_upgrade and not state.is_new and quick_check(file, key=key):
        raise StoreDamaged(DAMAGED.format(name=file.name).replace("elle est ouverte en lecture seule et rien",
                                                                   "elle n'a pas été migrée et rien"))
    if state.needs_upgrade:
        before = None if state.is_new else backup_store(file, "avant-migration", key=key)
        try:
            migrate.upgrade(file, key=key)
        except BaseException:
            if before is not None:   # the store is as it was: a failed attempt leaves no backup to rotate good ones out
                before.unlink(missing_ok=True)
            raise
    engine = create_store_engine(file, key=key, read_only=read_only is not None)
    with sessionmaker(bind=engine).begin() as session:
        node = settings.get(session, settings.NODE_ID)
        if not node:
            node = settings.new_node_id()
            if read_only is None:
                settings.put(session, settings.NODE_ID, node)
        last = settings.get(session, settings.CLOCK_LAST)
        owner = settings.get(session, settings.IDENTITY_CODE)
    clock = HybridClock(node, Hlc.decode(last) if last else None)
    log.info("store opened (%s%s): %s", "encrypted" if key is not None else "clear",
             ", read-only medium" if read_only else "", file)
    return Store(folder, engine, clock, owner, key=key, read_only=read_only)


def ensure_writable_folder(folder: Path) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        probe = folder / ".poledesk-ecriture"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise StoreError(f"Le dossier de données « {folder} » n'est pas accessible en écriture : "
                         f"{os_error_message(error)}") from error


def tighten_modes(folder: Path) -> None:
    """Owner only: the data folder and its sub-folders 0700, every file 0600; a wider one is tightened and logged.

    On Windows the user profile's ACL is the guard (POSIX modes mean nothing there).
    """
    if os.name != "posix" or not folder.exists():
        return
    widened = 0
    for path in [folder, *folder.rglob("*")]:
        try:
            if path.is_symlink():
                continue
            mode = path.stat().st_mode & 0o777
            wanted = 0o700 if path.is_dir() else 0o600
            if mode & 0o077:
                os.chmod(path, wanted)
                widened += 1
        except OSError:
            continue   # a file vanishing under us (a WAL being removed) is not ours to fix
    if widened:
        log.warning("data folder %s: %d files or folders were readable by others, now owner-only", folder, widened)


def backup_store(file: Path, reason: str, *, key: bytes | None = None) -> Path:
    """Copy the store with SQLite's backup API (WAL pages included) and keep the last BACKUPS_KEPT copies.

    The copy of an encrypted store is encrypted with the same key.
    A backup that fails (full disk, read-only medium) leaves no file and rotates nothing out: only whole backups
    count, so the last good ones stay. The fault is said in French (StoreError), the store untouched.
    """
    folder = paths.backups_dir(file.parent)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"poledesk-{stamp}-{reason}.sqlite"
    partial = folder / f".{target.name}.partielle"   # not matched by list_backups until it is whole
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        sqlite_backup(file, partial, key=key)
        partial.replace(target)
    except (OSError, sqlite3.Error, sqlcipher.Error) as error:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        reason_text = store_error_message(error) or str(error)
        raise StoreError(f"La sauvegarde n'a pas pu être écrite : {reason_text} Les sauvegardes précédentes sont "
                         "gardées.") from error
    for old in list_backups(file.parent)[BACKUPS_KEPT:]:
        old.unlink(missing_ok=True)
    log.info("backup written: %s", target.name)
    return target


def sqlite_backup(source_file: Path, target: Path, *, key: bytes | None = None) -> None:
    """Copy a store with SQLite's backup API: consistent, WAL pages included (a file copy could miss them)."""
    source = raw_connect(source_file, key)
    try:
        target.unlink(missing_ok=True)
        target.touch(mode=0o600)
        destination = raw_connect(target, key)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()


def list_backups(folder: Path) -> list[Path]:
    """Backups of the store in `folder`, newest first."""
    return sorted(paths.backups_dir(folder).glob("poledesk-*.sqlite"), reverse=True)


def backup_if_none_today(store: Store) -> Path | None:
    """The daily backup: taken at most once a calendar day."""
    today = datetime.now().strftime("%Y%m%d")
    if any(p.name.startswith(f"poledesk-{today}") for p in list_backups(store.folder)):
        return None
    return store.backup("quotidienne")


def check_store(file: Path, *, key: bytes | None = None) -> list[str]:
    """PRAGMA integrity_check and foreign_key_check; an empty list means the store is sound."""
    if not file.exists():
        return [f"Le fichier « {file} » n'existe pas."]
    if not is_encrypted(file):
        key = None
    elif key is None:
        return ["La base est chiffrée : sa phrase secrète est nécessaire pour la vérifier."]
    try:
        connection = look_connect(file, key)
        try:
            integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            problems = [] if integrity == ["ok"] else [f"Intégrité : {line}" for line in integrity]
            for table, rowid, parent, _ in connection.execute("PRAGMA foreign_key_check"):
                problems.append(f"Référence cassée : table {table}, ligne {rowid}, vers {parent}.")
            return problems
        finally:
            connection.close()
    except sqlcipher.DatabaseError as error:
        fault = store_error_message(error, file.parent)
        if fault is not None and fault != DAMAGED_FILE:   # the disk, not the store: said for what it is
            return [fault]
        return [f"Le fichier est endommagé, n'est pas une base SQLite ou ne s'ouvre pas avec cette clé : {error}."]


def quick_check(file: Path, *, key: bytes | None = None) -> list[str]:
    """SQLite's quick check of every page (not the index contents): an empty list means no page is damaged."""
    try:
        connection = look_connect(file, key if is_encrypted(file) else None)
        try:
            lines = [row[0] for row in connection.execute("PRAGMA quick_check")]
        finally:
            connection.close()
    except sqlcipher.DatabaseError as error:
        if store_error_message(error, file.parent) not in (None, DAMAGED_FILE):   # in use, full disk: no damage
            return []
        return [f"Le fichier est endommagé : {error}."]
    return [] if lines == ["ok"] else [f"Intégrité : {line}" for line in lines]


def copy_store_to(store: Store, target: Path) -> Path:
    """A copy of the open store at `target`, made with SQLite's backup API (WAL pages included), whole or not at all."""
    target = target.resolve()
    if target == store.file.resolve():
        raise StoreError("La copie ne peut pas remplacer la base ouverte : choisissez un autre nom.")
    partial = target.with_name(f".{target.name}.partielle")
    try:
        sqlite_backup(store.file, partial, key=store.key)
        partial.replace(target)   # an existing file the user chose to replace is swapped in one step
        if store.key is not None:   # the copy opens with the same passphrase: its header goes beside it
            write_atomically(target.with_name(f"{target.stem}.entete.json"),
                             vault.header_file(store.folder).read_bytes())
    except (OSError, sqlcipher.Error) as error:
        partial.unlink(missing_ok=True)
        reason = os_error_message(error) if isinstance(error, OSError) else error
        raise StoreError(f"La copie n'a pas pu être écrite dans « {target} » : {reason}.") from error
    log.info("store copied to %s", target)
    return target
