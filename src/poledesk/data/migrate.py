"""Alembic run from the application: look at a store before touching it, then upgrade it safely."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def known_revisions() -> tuple[list[str], str]:
    """Revision ids, oldest first, and the head, read from the versions' file names (NNNN_what.py).

    Importing Alembic costs about 0.1 s, a tenth of the start-up budget, and a store already at head needs
    none of it; a test checks that these names agree with Alembic's own history.
    """
    revisions = sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    return revisions, revisions[-1] if revisions else ""


@dataclass(frozen=True, slots=True)
class StoreState:
    is_new: bool
    revision: str
    head: str

    @property
    def needs_upgrade(self) -> bool:
        return self.revision != self.head


def inspect_store(file: Path, *, key: bytes | None = None) -> StoreState:
    """Read-only look: refuse (StoreError) a file that is not a PoleDesk store, is corrupt, or is newer."""
    import sqlcipher3.dbapi2 as sqlcipher

    from poledesk.data.db import StoreError, is_encrypted, look_connect
    from poledesk.data.system_errors import DAMAGED, store_error_message

    revisions, head = known_revisions()
    if not file.exists() or file.stat().st_size == 0:
        return StoreState(True, "", head)
    if is_encrypted(file) and key is None:
        raise StoreError(f"Le fichier « {file.name} » n'est pas une base PoleDesk claire : s'il s'agit d'une base "
                         "chiffrée, il faut sa phrase secrète. Il n'a pas été ouvert et n'a pas été modifié.")
    if not is_encrypted(file):
        key = None
    try:
        connection = look_connect(file, key)
        try:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not tables:
                return StoreState(True, "", head)
            if not {"alembic_version", "setting"} <= tables:
                raise StoreError(f"Le fichier « {file.name} » est une base SQLite, mais pas une base PoleDesk : "
                                 "il n'a pas été ouvert et n'a pas été modifié.")
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlcipher.DatabaseError as error:
        fault = store_error_message(error, file.parent)
        if fault is not None and fault != DAMAGED:   # a full disk, a read-only medium: not a damaged store
            raise StoreError(fault) from error
        if key is not None:
            raise StoreError(f"La base « {file.name} » ne s'ouvre pas avec cette clé (base d'un autre poste, ou "
                             "fichier endommagé) : elle n'a pas été modifiée.") from error
        raise StoreError(f"La base « {file.name} » est endommagée ({error}) : elle n'a pas été modifiée. "
                         "Restaurez une sauvegarde ou lancez « poledesk check ».") from error
    revision = row[0] if row else ""
    if not revision:   # upgrading from nothing would re-create tables that are there: refuse before any backup
        raise StoreError(f"La base « {file.name} » a perdu son numéro de version de schéma (la table "
                         "alembic_version est vide) : PoleDesk ne sait pas quelle migration lui appliquer. Elle n'a "
                         "pas été ouverte ni modifiée : restaurez une sauvegarde du dossier « sauvegardes ».")
    if revision and revision not in revisions:
        raise StoreError(f"La base « {file.name} » a été créée par une version plus récente de PoleDesk "
                         f"(schéma {revision}) : mettez à jour PoleDesk. La base n'a pas été modifiée.")
    return StoreState(False, revision, head)


def upgrade(file: Path, revision: str = "head", *, key: bytes | None = None) -> None:
    """Migrate in one transaction with foreign keys off (set before BEGIN, where the pragma works)."""
    from alembic import command

    from poledesk.data.db import StoreError, create_store_engine

    engine = create_store_engine(file, key=key, foreign_keys=False)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise StoreError(f"La migration casserait {len(broken)} références : elle a été annulée.")
    finally:
        engine.dispose()
