"""The merge: a pure rule per record (larger (purged, hlc, content hash) wins), and applying checked records.

The rule is a maximum over a total order, so it is commutative, associative and idempotent: bundles may arrive
twice, late or in any order and every store converges. A purged pupil ranks above any version that is not
purged, so nothing brings purged data back.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from poledesk.data.clock import Hlc, HybridClock
from poledesk.data.models import utcnow
from poledesk.data.naf import naf_label
from poledesk.data.partners import fulltext
from poledesk.data.sync_tables import ReceivedPupil, ReceivedStamp, SyncConflict
from poledesk.data.text import fold, plural
from poledesk.sync.records import ORDER, Incoming, TableSpec, canonical, content_hash, is_purged
from poledesk.sync.snapshot import CHUNK, DIRECTORY_TABLES, UidIndex, read_records, rows_where_in

log = logging.getLogger(__name__)


# -- the pure rule ---------------------------------------------------------------------------------------------
def rank(record: dict[str, Any]) -> tuple[bool, Hlc, str]:
    """What decides between two versions of a record: purged first, then the clock, then the content."""
    return is_purged(record), Hlc.decode(record["hlc"]), content_hash(record)


def winner(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """The version that wins the merge (equal ranks mean equal content, up to a SHA-256 collision)."""
    return a if rank(a) >= rank(b) else b


def is_conflict(kept: dict[str, Any], lost: dict[str, Any]) -> bool:
    """A losing version worth a person's look: it differs, and another install wrote it.

    Versions written by the same install follow one another (an older one was simply edited since). A purge
    wins without discussion.
    """
    return (content_hash(kept) != content_hash(lost) and not is_purged(kept)
            and Hlc.decode(kept["hlc"]).node != Hlc.decode(lost["hlc"]).node)


# -- summary -----------------------------------------------------------------------------------------------------
@dataclass(slots=True)
class MergeSummary:
    """What applying records did, per record type (table name)."""

    added: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)
    conflicts: Counter[str] = field(default_factory=Counter)

    def total(self, what: str) -> int:
        return sum(getattr(self, what).values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {what: dict(sorted(getattr(self, what).items()))
                for what in ("added", "updated", "unchanged", "deleted", "conflicts")}

    def describe(self) -> str:
        """In French: '8 108 ajoutés, 0 modifié, 0 inchangé, 0 supprimé, 0 conflit'."""
        words = (("added", "ajouté"), ("updated", "modifié"), ("unchanged", "inchangé"), ("deleted", "supprimé"),
                 ("conflicts", "conflit"))
        return ", ".join(plural(self.total(what), word) for what, word in words)


# -- applying ----------------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Plan:
    inserts: list[Incoming] = field(default_factory=list)
    updates: list[tuple[int, Incoming]] = field(default_factory=list)


def apply_records(session: Session, records: Iterable[Incoming], *, clock: HybridClock, sender: str = "",
                  bundle_id: str = "", stamp_forwarded: bool = False,
                  present: Mapping[str, Mapping[str, int]] | None = None) -> MergeSummary:
    """Merge checked records (parents first) into the store, in the caller's transaction, unstamped.

    References must resolve (checks.check_records saw to it). The clock observes the largest clock seen.
    With `stamp_forwarded` (a coordinator), directory records written here get the local clock as their
    arrival stamp, from which incremental bundles to the poles are chosen. `present` (from the checks, in the
    same transaction) gives, per table, the local id of every uid of `records` already here: the others are not
    looked for. Each table is written in one pass; the partners' search index is rewritten once at the end for
    the partners touched, instead of by a trigger per row.
    """
    session.info["stamping"] = False   # remote records keep their owner's clock, owner and dates
    summary, index = MergeSummary(), UidIndex(session)
    by_table: dict[str, list[Incoming]] = {}
    for record in records:
        by_table.setdefault(record.spec.name, []).append(record)
    seen = max((r.hlc for items in by_table.values() for r in items), default=None)
    if seen is not None:
        clock.observe(seen)
    stamp = clock.tick().encode()
    searched = "partner" in by_table or "contact" in by_table
    with fulltext.reindexed_after(session) if searched else nullcontext(set[int]()) as touched:
        for name in ORDER:
            if name in by_table:
                _apply_table(session, by_table[name], index, summary, sender=sender, bundle_id=bundle_id,
                             stamp=stamp if stamp_forwarded and name in DIRECTORY_TABLES else None,
                             present=None if present is None else present.get(name, {}), touched=touched)
    return summary


def _apply_table(session: Session, items: list[Incoming], index: UidIndex, summary: MergeSummary, *, sender: str,
                 bundle_id: str, stamp: str | None, present: Mapping[str, int] | None, touched: set[int]) -> None:
    spec = items[0].spec
    if present is None:
        wanted = [r.uid for r in items]
    else:
        wanted = list(present)
        for uid, row_id in present.items():
            index.add(spec.name, row_id, uid)
    local = {r["uid"]: r for r in read_records(session, spec, index=index, uids=wanted)} if wanted else {}
    plan = _Plan()
    for record in items:
        _decide(session, record, local.get(record.uid), index, plan, summary, sender=sender, bundle_id=bundle_id)
    written = plan.inserts + [r for _, r in plan.updates]
    fetch_references(spec, written, index=index)
    _insert(session, spec, plan.inserts, index)
    _update(session, spec, plan.updates, index)
    write_links(session, spec, written=written, index=index)
    if spec.name == "partner":
        touched.update(index.id("partner", r.uid) for r in written)  # type: ignore[misc]  # written: in the store
    elif spec.name == "contact":
        touched.update(index.id("partner", r.refs["partner_id"]) for r in written)  # type: ignore[misc]  # a contact has a partner
        touched.update(index.id("partner", local[r.uid]["fields"]["partner_uid"]) for _, r in plan.updates)  # type: ignore[misc]  # as it was
    if spec.name == "pupil" and written:
        _upsert(session, ReceivedPupil, [{"uid": r.uid, "is_minor": r.minor} for r in written])
    if stamp is not None and written:
        _upsert(session, ReceivedStamp, [{"uid": r.uid, "table_name": spec.name, "stamp": stamp} for r in written])


def _decide(session: Session, record: Incoming, current: dict[str, Any] | None, index: UidIndex, plan: _Plan,
            summary: MergeSummary, *, sender: str, bundle_id: str) -> None:
    name = record.spec.name
    if current is None:
        plan.inserts.append(record)
        (summary.deleted if record.values["deleted_at"] else summary.added)[name] += 1
        return
    if content_hash(current) == record.digest:
        summary.unchanged[name] += 1
        return
    kept = winner(current, record.record)
    lost = record.record if kept is current else current
    if kept is not current:
        plan.updates.append((index.id(name, record.uid), record))  # type: ignore[arg-type]  # an update: in the store
        newly_deleted = record.values["deleted_at"] and not current["deleted_at"]
        (summary.deleted if newly_deleted else summary.updated)[name] += 1
    else:
        summary.unchanged[name] += 1
    if is_conflict(kept, lost):
        summary.conflicts[name] += 1
        session.add(SyncConflict(table_name=name, uid=record.uid, owner=record.owner, kept_hlc=kept["hlc"],
                                 lost_hlc=lost["hlc"], lost_version=canonical(lost).decode("utf-8"),
                                 bundle_id=bundle_id, sender=sender, detected_at=utcnow()))


def fetch_references(spec: TableSpec, written: list[Incoming], *, index: UidIndex) -> None:
    """Local ids of what the written records point to, fetched in batches (parents in the bundle are known)."""
    for field_spec in spec.fields:
        if field_spec.kind == "ref":
            index.fetch_ids(field_spec.target, [r.refs[field_spec.column] for r in written])  # type: ignore[arg-type]  # a ref names its target
    for link in spec.links:
        index.fetch_ids(link.target, [uid for r in written for uid in r.links[link.key]])


def column_values(spec: TableSpec, record: Incoming, *, index: UidIndex) -> dict[str, Any]:
    """Column values of a record: references resolved to local ids, derived columns computed here."""
    values = dict(record.values)
    for field_spec in spec.fields:
        if field_spec.kind == "ref":
            target = field_spec.target or ""
            values[field_spec.column] = index.id(target, record.refs[field_spec.column])
    search_fields = spec.model.search_fields
    if search_fields:
        values["search_key"] = " ".join(fold(str(values.get(f) or "")) for f in search_fields)
    if spec.name == "partner":
        values["sector"] = naf_label(values["naf_code"]) or ""
    return values


def _insert(session: Session, spec: TableSpec, records: list[Incoming], index: UidIndex) -> None:
    if not records:
        return
    defaults = {c.name: getattr(c.default, "arg", None) for c in spec.table.columns
                if c.name in spec.local_only and c.default is not None and c.default.is_scalar}
    rows = [{**{c: defaults.get(c) for c in spec.local_only}, **column_values(spec, r, index=index)} for r in records]
    table = spec.table
    before = session.scalar(select(func.max(table.c.id))) or 0
    insert_many(session, table, rows)
    # SQLite gives a new row the largest id plus one (no other write in this transaction): the rows above the
    # largest id before are those just inserted. Were ids ever exhausted it picks free ones: then ask by uid.
    inserted: list[Any] = list(rows_where_in(session, table, ("id", "uid"), "id", [], above=before))
    if len(inserted) != len(records):
        uids = [r.uid for r in records]
        inserted = [row for start in range(0, len(uids), CHUNK) for row in session.execute(
            select(table.c.id, table.c.uid).where(table.c.uid.in_(uids[start:start + CHUNK])))]
    for row_id, uid in inserted:
        index.add(spec.name, row_id, uid)


def insert_many(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """What session.execute(insert(table), rows) stores, every value passed through its column's own bind
    processor (dates, enums, booleans as SQLAlchemy writes them), without SQLAlchemy's parameter work per row:
    for the thousands of rows of a bundle. Rows of differing keys, or leaving out a column that has a default
    (which SQLAlchemy would fill in), go the ordinary way."""
    keys = list(rows[0])
    left_out = [c for c in table.columns if c.key not in rows[0] and not c.primary_key
                and (c.default is not None or c.server_default is not None)]
    if left_out or any(row.keys() != rows[0].keys() for row in rows):
        session.execute(insert(table), rows)
        return
    connection = session.connection()
    dialect = connection.dialect
    processors = [table.c[key].type.dialect_impl(dialect).bind_processor(dialect) for key in keys]
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(key) for key in keys)}) "
           f"VALUES ({', '.join('?' * len(keys))})")
    values_of = itemgetter(*keys) if len(keys) > 1 else lambda row: (row[keys[0]],)
    processed = [(i, processor) for i, processor in enumerate(processors) if processor is not None]
    parameters: list[Any] = []
    for row in rows:
        values = list(values_of(row))
        for i, processor in processed:
            if values[i] is not None:   # SQLAlchemy's processors all write None as NULL
                values[i] = processor(values[i])
        parameters.append(tuple(values))
    connection.exec_driver_sql(sql, parameters)


def _update(session: Session, spec: TableSpec, updates: list[tuple[int, Incoming]], index: UidIndex) -> None:
    if not updates:
        return
    # Columns that never travel (a pupil's name on its pole…) are left as they are: they are not in the row.
    rows = [{"id": row_id, **column_values(spec, record, index=index)} for row_id, record in updates]
    session.execute(update(spec.model), rows)


def write_links(session: Session, spec: TableSpec, *, written: list[Incoming], index: UidIndex) -> None:
    for link in spec.links:
        parents = [index.id(spec.name, r.uid) for r in written]
        table = link.table
        for start in range(0, len(parents), CHUNK):
            session.execute(delete(table).where(table.c[link.parent_column].in_(parents[start:start + CHUNK])))
        rows = [{link.parent_column: index.id(spec.name, r.uid), link.child_column: index.id(link.target, uid)}
                for r in written for uid in r.links[link.key]]
        if rows:
            session.execute(insert(table), rows)


def _upsert(session: Session, model: type, rows: list[dict[str, Any]]) -> None:
    statement = sqlite_insert(model.__table__)  # type: ignore[attr-defined]  # a mapped model
    keys = [k for k in rows[0] if k != "uid"]
    statement = statement.on_conflict_do_update(index_elements=["uid"],
                                                set_={k: statement.excluded[k] for k in keys})
    session.execute(statement, rows)
