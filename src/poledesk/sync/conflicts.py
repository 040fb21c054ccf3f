"""The Conflits panel's services: versions that lost a merge to another install's, to look at and settle."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data.models import utcnow
from poledesk.data.sync_tables import SyncConflict
from poledesk.sync import merge
from poledesk.sync.errors import SyncError
from poledesk.sync.records import SPECS, parse_record
from poledesk.sync.snapshot import UidIndex, read_records

log = logging.getLogger(__name__)

LABELS = {"pole": "Pôle", "formation": "Formation", "establishment": "Établissement",
          "establishment_formation": "Formation d'un établissement", "partner": "Partenaire", "contact": "Contact",
          "hosting_offer": "Offre d'accueil", "visit": "Visite", "pupil": "Élève", "escalation": "Sollicitation",
          "escalation_event": "Étape d'une sollicitation", "proposal": "Proposition", "placement": "Stage",
          "timetable_day": "Horaire d'un stage", "amendment": "Avenant", "training_session": "Session de formation",
          "registration": "Inscription", "action": "Action"}


@dataclass(frozen=True, slots=True)
class ConflictRow:
    """A losing version beside the one kept: `differences` are the fields (bundle keys) that differ."""

    id: int
    table_name: str
    label: str
    uid: str
    owner: str
    kept: dict[str, Any] | None        # the version in the store now (bundle form), None if it is gone
    lost: dict[str, Any]
    differences: tuple[str, ...]
    sender: str
    detected_at: datetime
    resolved_at: datetime | None
    can_restore: bool                  # this install owns the record, so it may write the lost version back


def list_conflicts(session: Session, own_code: str, *, include_resolved: bool = False) -> list[ConflictRow]:
    query = select(SyncConflict).order_by(SyncConflict.detected_at.desc(), SyncConflict.id.desc())
    if not include_resolved:
        query = query.where(SyncConflict.resolved_at.is_(None))
    conflicts = list(session.scalars(query))
    index = UidIndex(session)
    kept: dict[str, dict[str, Any]] = {}
    for name in {c.table_name for c in conflicts}:
        uids = [c.uid for c in conflicts if c.table_name == name]
        kept.update((r["uid"], r) for r in read_records(session, SPECS[name], index=index, uids=uids))
    return [_row(c, kept.get(c.uid), own_code) for c in conflicts]


def _row(conflict: SyncConflict, kept: dict[str, Any] | None, own_code: str) -> ConflictRow:
    lost = json.loads(conflict.lost_version)
    differences = tuple(sorted(k for k, v in lost["fields"].items() if kept is None or kept["fields"].get(k) != v))
    if kept is not None and kept["deleted_at"] != lost["deleted_at"]:
        differences += ("deleted_at",)
    return ConflictRow(conflict.id, conflict.table_name, LABELS.get(conflict.table_name, conflict.table_name),
                       conflict.uid, conflict.owner, kept, lost, differences, conflict.sender, conflict.detected_at,
                       conflict.resolved_at, conflict.owner == own_code and kept is not None)


def _conflict(session: Session, conflict_id: int) -> SyncConflict:
    conflict = session.get(SyncConflict, conflict_id)
    if conflict is None or conflict.resolved_at is not None:
        raise SyncError("conflict_unknown", "Ce conflit n'existe pas ou a déjà été réglé.")
    return conflict


def dismiss_conflict(session: Session, conflict_id: int) -> None:
    """Keep the version that won: the conflict is marked settled. Caller's transaction."""
    _conflict(session, conflict_id).resolved_at = utcnow()
    session.flush()


def restore_lost_version(session: Session, conflict_id: int, own_code: str) -> None:
    """Write the losing version back as a new local write (a newer clock: it wins everywhere once sent).

    Only for this install's own records: another owner's record is theirs to change. Caller's transaction,
    which must stamp writes (a store transaction does).
    """
    conflict = _conflict(session, conflict_id)
    if conflict.owner != own_code:
        raise SyncError("conflict_not_owner", f"Cet enregistrement appartient à « {conflict.owner} » : lui seul peut "
                                              "le modifier. Rien n'a été modifié.")
    lost = parse_record(json.loads(conflict.lost_version))
    spec, index = lost.spec, UidIndex(session)
    record = session.get(spec.model, index.id(spec.name, lost.uid))
    if record is None:
        raise SyncError("conflict_unknown", "L'enregistrement de ce conflit n'existe plus.")
    merge.fetch_references(spec, [lost], index=index)
    values = merge.column_values(spec, lost, index=index)
    for column in ("id", "uid", "owner", "hlc", "updated_at", "search_key", "sector"):
        values.pop(column, None)
    for column, value in values.items():
        setattr(record, column, value)
    merge.write_links(session, spec, written=[lost], index=index)
    conflict.resolved_at = utcnow()
    session.flush()   # stamp_writes gives the record a new clock, owner unchanged
    log.info("conflict %s settled: lost version of %s %s restored", conflict.id, spec.name, lost.uid)
