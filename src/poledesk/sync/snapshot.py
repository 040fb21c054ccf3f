"""The store seen as bundle records: who may send what to whom, and reading records in their bundle form."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from poledesk.data.clock import Hlc
from poledesk.data.identity import POLE_CODE, ROLE_COORDINATOR, ROLE_POLE
from poledesk.data.models import Escalation, Placement, Pupil
from poledesk.data.pupils import age_on
from poledesk.data.sync_tables import ReceivedPupil, ReceivedStamp
from poledesk.sync.records import MINOR, ORDER, SPECS, TableSpec, encode_value, make_record

# What a coordinator may send to a pole, besides the acknowledgement in every manifest:
# - its own formations and shared tutor-training sessions (records it owns);
# - the académie's shared directory: the other poles' partners, read-only, and those poles' own rows, so the
#   pole can say whose partner it is. Never a pole's contacts, pupils or follow-ups, never the recipient's
#   own records (it has them), never anything owned by someone else.
# A pole sends only records it owns, of every travelling table.
COORDINATOR_TABLES = frozenset({"formation", "training_session"})
DIRECTORY_TABLES = frozenset({"pole", "partner"})
CHUNK = 500   # uids per IN (...) query


@dataclass(frozen=True, slots=True)
class Route:
    """One direction of an exchange: who sends, who receives, and their roles."""

    sender: str
    sender_role: str
    recipient: str
    recipient_role: str

    @property
    def forwards_directory(self) -> bool:
        return self.sender_role == ROLE_COORDINATOR and self.recipient_role == ROLE_POLE


def may_carry(route: Route, table: str, *, owner: str) -> bool:
    """Whether a bundle on `route` may carry a record of `table` owned by `owner` (see the rules above)."""
    if owner == route.sender:
        return route.sender_role == ROLE_POLE or table in COORDINATOR_TABLES
    return (route.forwards_directory and table in DIRECTORY_TABLES and owner != route.recipient
            and POLE_CODE.fullmatch(owner) is not None)


def scope(route: Route, spec: TableSpec) -> ColumnElement[bool] | None:
    """The SQL condition on `spec`'s table selecting the records `route` carries; None if it carries none."""
    owner = spec.table.c.owner
    own = owner == route.sender
    if route.sender_role == ROLE_POLE:
        return own
    parts = [own] if spec.name in COORDINATOR_TABLES else []
    if route.forwards_directory and spec.name in DIRECTORY_TABLES:
        parts.append(and_(owner != route.sender, owner != route.recipient, owner != ""))
    return or_(*parts) if parts else None


def changed_since(route: Route, spec: TableSpec, *, watermark: str) -> ColumnElement[bool]:
    """Records written here (own: by their clock) or received here (forwarded: by their stamp) after `watermark`."""
    table = spec.table
    received = select(ReceivedStamp.uid).where(ReceivedStamp.stamp > watermark)
    return or_(and_(table.c.owner == route.sender, table.c.hlc > watermark),
               and_(table.c.owner != route.sender, table.c.uid.in_(received)))


def state_digest(session: Session, route: Route) -> str:
    """SHA-256 of the sorted (table, uid, hlc) of everything `route` carries: equal on both sides when in step."""
    digest = hashlib.sha256()
    for name in ORDER:
        spec = SPECS[name]
        clause = scope(route, spec)
        if clause is None:
            continue
        table = spec.table
        for uid, hlc in session.execute(select(table.c.uid, table.c.hlc).where(clause).order_by(table.c.uid)):
            digest.update(f"{name} {uid} {hlc}\n".encode())
    return digest.hexdigest()


def rows_where_in(session: Session, table: Table, columns: tuple[str, ...], column: str, keys: list[Any], *,
                  above: int | None = None) -> Iterator[Any]:
    """The `columns` of the rows of `table` whose `column` is one of `keys` (or, with `above`, greater than it),
    as the driver reads them (ids, uids, owners: plain values), CHUNK keys per query bound by SQLite itself: the
    thousands of uids of a bundle are looked for without SQLAlchemy expanding each IN (...) anew."""
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    head = f"SELECT {', '.join(map(quote, columns))} FROM {quote(table.name)} WHERE {quote(column)}"
    if above is not None:
        yield from connection.exec_driver_sql(f"{head} > ?", (above,))
        return
    for start in range(0, len(keys), CHUNK):
        chunk = tuple(keys[start:start + CHUNK])
        yield from connection.exec_driver_sql(f"{head} IN ({', '.join('?' * len(chunk))})", chunk)


class UidIndex:
    """id <-> uid of the records one job touches: whole tables for an export, just the uids asked for a merge.

    `uid()` and `id()` answer from what was loaded or fetched before; fetch in batches with `fetch_uids()`
    and `fetch_ids()` (or `load()` a whole table), and `add()` records inserted meanwhile.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._uids: dict[str, dict[int, str]] = defaultdict(dict)
        self._ids: dict[str, dict[str, int | None]] = defaultdict(dict)   # None: known to be absent
        self._whole: set[str] = set()

    def load(self, name: str) -> None:
        if name not in self._whole:
            table = SPECS[name].table
            for row_id, uid in self._session.execute(select(table.c.id, table.c.uid)):
                self.add(name, row_id, uid)
            self._whole.add(name)

    def fetch_uids(self, name: str, ids: Iterable[int | None]) -> None:
        known = self._uids[name]
        self._fetch(name, "id", [i for i in set(ids) if i is not None and i not in known])

    def fetch_ids(self, name: str, uids: Iterable[str | None]) -> None:
        known = self._ids[name]
        missing = [u for u in set(uids) if u is not None and u not in known]
        self._fetch(name, "uid", missing)
        for uid in missing:
            known.setdefault(uid, None)

    def _fetch(self, name: str, column: str, keys: list[Any]) -> None:
        if name in self._whole:
            return
        for row_id, uid in rows_where_in(self._session, SPECS[name].table, ("id", "uid"), column, keys):
            self.add(name, row_id, uid)

    def uid(self, name: str, row_id: int | None) -> str | None:
        return None if row_id is None else self._uids[name][row_id]

    def id(self, name: str, uid: str | None) -> int | None:
        if uid is None:
            return None
        if uid not in self._ids[name] and name not in self._whole:
            self.fetch_ids(name, [uid])
        return self._ids[name].get(uid)

    def add(self, name: str, row_id: int, uid: str) -> None:
        self._uids[name][row_id] = uid
        self._ids[name][uid] = row_id


def pupil_minors(session: Session, pupil_ids: list[int] | None = None) -> dict[int, bool | None]:
    """Minor or not at the period, per pupil id (all, or those given): at the first period of its escalations
    and placements, or when the record was written if it has none. A coordinator keeps what the pole said
    (received_pupil), since the birth date never travels."""
    if pupil_ids is not None and len(pupil_ids) > CHUNK:
        return {k: v for start in range(0, len(pupil_ids), CHUNK)
                for k, v in pupil_minors(session, pupil_ids[start:start + CHUNK]).items()}
    periods: dict[int, date] = {}

    def chosen(column: InstrumentedAttribute[int]) -> ColumnElement[bool]:
        return column.in_(pupil_ids) if pupil_ids is not None else column.is_not(None)

    for column, key in ((Escalation.period_start, Escalation.pupil_id), (Placement.start_date, Placement.pupil_id)):
        for pupil_id, first in session.execute(select(key, func.min(column)).where(chosen(key)).group_by(key)):
            periods[pupil_id] = min(first, periods.get(pupil_id, first))
    query = select(Pupil.id, Pupil.uid, Pupil.birth_date, Pupil.hlc, ReceivedPupil.is_minor, ReceivedPupil.uid)
    query = query.outerjoin(ReceivedPupil, ReceivedPupil.uid == Pupil.uid).where(chosen(Pupil.id))
    minors: dict[int, bool | None] = {}
    for pupil_id, _uid, birth, hlc, received, known in session.execute(query):
        if known is not None:
            minors[pupil_id] = received
        elif birth is None:
            minors[pupil_id] = None
        else:
            on = periods.get(pupil_id) or _written_on(hlc)
            minors[pupil_id] = age_on(birth, on) < 18
    return minors


def _written_on(hlc: str) -> date:
    return datetime.fromtimestamp(Hlc.decode(hlc).wall_ms / 1000, UTC).date()


def _links(session: Session, spec: TableSpec, index: UidIndex,
           parents: list[int] | None) -> dict[str, dict[int, list[str]]]:
    found: dict[str, dict[int, list[str]]] = {}
    for link in spec.links:
        table = link.table
        query = select(table.c[link.parent_column], table.c[link.child_column])
        pairs = (session.execute(query).all() if parents is None else
                 [row for start in range(0, len(parents), CHUNK) for row in session.execute(
                     query.where(table.c[link.parent_column].in_(parents[start:start + CHUNK])))])
        index.fetch_uids(link.target, [child for _, child in pairs])
        children: dict[int, list[str]] = defaultdict(list)
        for parent, child in pairs:
            children[parent].append(index.uid(link.target, child))  # type: ignore[arg-type]  # a ref names its target
        found[link.key] = children
    return found


def read_records(session: Session, spec: TableSpec, *, index: UidIndex,
                 where: ColumnElement[bool] | None = None,
                 uids: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
    """The records of `spec`'s table (all, those matching `where`, or those with the given uids), in bundle form."""
    rows = _rows(session, spec, where, uids)
    if uids is None:    # a scan: whole id maps cost less than fetching by id
        for field in spec.fields:
            if field.kind == "ref":
                index.load(field.target)  # type: ignore[arg-type]  # a ref names its target
    else:
        for field in spec.fields:
            if field.kind == "ref":
                index.fetch_uids(field.target, [row[field.column] for row in rows])  # type: ignore[arg-type]  # a ref names its target
    ids = [row["id"] for row in rows]
    for row in rows:
        index.add(spec.name, row["id"], row["uid"])
    links = _links(session, spec, index, None if uids is None else ids)
    minors = pupil_minors(session, None if uids is None else ids) if spec.name == "pupil" else {}
    for row in rows:
        yield _record(spec, row, index, links, minors)


def _rows(session: Session, spec: TableSpec, where: ColumnElement[bool] | None,
          uids: Iterable[str] | None) -> list[Any]:
    base = select(spec.table).order_by(spec.table.c.id)
    if where is not None:
        base = base.where(where)
    if uids is None:
        return list(session.execute(base).mappings())
    wanted = list(uids)
    return [row for start in range(0, len(wanted), CHUNK)
            for row in session.execute(base.where(spec.table.c.uid.in_(wanted[start:start + CHUNK]))).mappings()]


def _record(spec: TableSpec, row: Any, index: UidIndex, links: dict[str, dict[int, list[str]]],
            minors: dict[int, bool | None]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for field in spec.fields:
        value = row[field.column]
        fields[field.key] = index.uid(field.target or "", value) if field.kind == "ref" else encode_value(field, value)
    for key, children in links.items():
        fields[key] = sorted(children.get(row["id"], ()))
    if spec.name == "pupil":
        fields[MINOR] = minors.get(row["id"])
    return make_record(spec, row, fields)
