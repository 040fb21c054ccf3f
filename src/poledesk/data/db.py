"""The store: engine and sessions, SQLite pragmas, safe opening, migrations, backups and integrity checks."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from poledesk import paths
from poledesk.data import fields, settings
from poledesk.data.clock import Hlc, HybridClock
from poledesk.data.errors import StoreError as StoreError
from poledesk.data.models import Travelling, utcnow
from poledesk.data.system_errors import os_error_message
from poledesk.data.text import SEARCH_FOLD_SQL, fold, search_text

log = logging.getLogger(__name__)

BACKUPS_KEPT = 10
SQLITE_MAGIC = b"SQLite format 3\x00"


def register_sql_functions(dbapi_connection: sqlite3.Connection) -> None:
    """The Python functions the schema's SQL calls: the partner search index's triggers fold each field through
    search_fold (see partners/fulltext.py). Every connection that writes to a store needs them."""
    dbapi_connection.create_function(SEARCH_FOLD_SQL, 1, search_text, deterministic=True)


def create_store_engine(file: Path, *, foreign_keys: bool = True) -> Engine:
    """The one place that creates an engine (encryption at rest would change only this function)."""
    engine = create_engine(f"sqlite:///{file}", future=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy, not pysqlite, say when a transaction begins, so DDL and BEGIN IMMEDIATE are real.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
        register_sql_functions(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


class Store:
    """An open store: hands out short sessions (one per user action) and write transactions."""

    def __init__(self, folder: Path, engine: Engine, clock: HybridClock, owner: str) -> None:
        self.folder = folder
        self.file = paths.store_file(folder)
        self.engine = engine
        self.clock = clock
        self.owner = owner
        info = {"clock": clock, "owner": owner, "stamping": True}
        self._reader = sessionmaker(bind=engine, expire_on_commit=False, info=info)
        self._writer = sessionmaker(bind=engine.execution_options(sqlite_begin="IMMEDIATE"),
                                    expire_on_commit=False, info=info)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        with self._reader() as session:
            yield session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One all-or-nothing write (BEGIN IMMEDIATE): commits on success, rolls back on any exception."""
        with self._writer.begin() as session:
            yield session

    def set_owner(self, owner: str) -> None:
        """Called once the identity is chosen: later writes are owned by this pole or coordinator."""
        self.owner = owner
        for maker in (self._reader, self._writer):
            maker.kw["info"]["owner"] = owner

    def backup(self, reason: str) -> Path:
        return backup_store(self.file, reason)

    def close(self) -> None:
        self.engine.dispose()


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
            obj.search_key = " ".join(  # type: ignore[attr-defined]
                fold(str(getattr(obj, f) or "")) for f in obj.search_fields)
        stamped = True
    if stamped:
        with session.no_autoflush:
            settings.put(session, settings.CLOCK_LAST, clock.last.encode())


event.listen(Session, "before_flush", stamp_writes)
event.listen(Session, "before_flush", fields.check_writes, insert=True)   # limits first, then the stamp


def open_store(folder: Path, *, create: bool = True) -> Store:
    """Open (and create or migrate) the store in `folder`; refuse, untouched, what is not ours to open."""
    from poledesk.data import migrate

    file = paths.store_file(folder)
    if not create and not file.exists():
        raise StoreError(f"Aucune base PoleDesk dans le dossier « {folder} ».")
    ensure_writable_folder(folder)
    state = migrate.inspect_store(file)
    if state.is_new and not create:
        raise StoreError(f"Aucune base PoleDesk dans le dossier « {folder} ».")
    if state.needs_upgrade:
        if not state.is_new:
            backup_store(file, "avant-migration")
        migrate.upgrade(file)
    engine = create_store_engine(file)
    with sessionmaker(bind=engine).begin() as session:
        node = settings.get(session, settings.NODE_ID)
        if not node:
            node = settings.new_node_id()
            settings.put(session, settings.NODE_ID, node)
        last = settings.get(session, settings.CLOCK_LAST)
        owner = settings.get(session, settings.IDENTITY_CODE)
    clock = HybridClock(node, Hlc.decode(last) if last else None)
    log.info("store opened: %s", file)
    return Store(folder, engine, clock, owner)


def ensure_writable_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".poledesk-ecriture"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise StoreError(f"Le dossier de données « {folder} » n'est pas accessible en écriture : "
                         f"{os_error_message(error)}") from error


def backup_store(file: Path, reason: str) -> Path:
    """Copy the store with SQLite's backup API (WAL pages included) and keep the last BACKUPS_KEPT copies."""
    folder = paths.backups_dir(file.parent)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"poledesk-{stamp}-{reason}.sqlite"
    sqlite_backup(file, target)
    for old in list_backups(file.parent)[BACKUPS_KEPT:]:
        old.unlink(missing_ok=True)
    log.info("backup written: %s", target.name)
    return target


def sqlite_backup(source_file: Path, target: Path) -> None:
    """Copy a store with SQLite's backup API: consistent, WAL pages included (a file copy could miss them)."""
    source = sqlite3.connect(source_file)
    try:
        destination = sqlite3.connect(target)
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


def check_store(file: Path) -> list[str]:
    """PRAGMA integrity_check and foreign_key_check; an empty list means the store is sound."""
    if not file.exists():
        return [f"Le fichier « {file} » n'existe pas."]
    try:
        connection = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            problems = [] if integrity == ["ok"] else [f"Intégrité : {line}" for line in integrity]
            for table, rowid, parent, _ in connection.execute("PRAGMA foreign_key_check"):
                problems.append(f"Référence cassée : table {table}, ligne {rowid}, vers {parent}.")
            return problems
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return [f"Le fichier est endommagé ou n'est pas une base SQLite : {error}."]


def copy_store_to(store: Store, target: Path) -> Path:
    """A copy of the open store at `target`, made with SQLite's backup API (WAL pages included), whole or not at all."""
    target = target.resolve()
    if target == store.file.resolve():
        raise StoreError("La copie ne peut pas remplacer la base ouverte : choisissez un autre nom.")
    partial = target.with_name(f".{target.name}.partielle")
    try:
        sqlite_backup(store.file, partial)
        partial.replace(target)   # an existing file the user chose to replace is swapped in one step
    except (OSError, sqlite3.Error) as error:
        partial.unlink(missing_ok=True)
        reason = os_error_message(error) if isinstance(error, OSError) else error
        raise StoreError(f"La copie n'a pas pu être écrite dans « {target} » : {reason}.") from error
    log.info("store copied to %s", target)
    return target
