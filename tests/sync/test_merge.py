"""The merge: a commutative, associative, idempotent rule where purge absorbs; any order of bundles converges."""

from __future__ import annotations

import functools
import itertools
import sqlite3
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from poledesk.data.clock import Hlc, HybridClock
from poledesk.data.db import register_sql_functions
from poledesk.data.models import Base, Partner
from poledesk.data.partners import fulltext as fulltext
from poledesk.data.sync_tables import SyncConflict
from poledesk.sync import merge
from poledesk.sync.records import ORDER, SPECS, parse_record
from poledesk.sync.snapshot import UidIndex, read_records

SCHOOL = "01900000-0000-7000-8000-000000000001"
UIDS = {"formation": ["01900000-0000-7000-8000-0000000000f1", "01900000-0000-7000-8000-0000000000f2"],
        "partner": ["01900000-0000-7000-8000-0000000000a1", "01900000-0000-7000-8000-0000000000a2"],
        "pupil": ["01900000-0000-7000-8000-0000000000b1", "01900000-0000-7000-8000-0000000000b2"]}
BASE_MS = 1_790_000_000_000
DEFAULTS = {"str": "", "int": 0, "bool": False, "date": "2026-09-01", "datetime": "2026-09-01T08:00:00",
            "time": "08:00:00"}


def template(table: str, uid: str) -> dict:
    spec = SPECS[table]
    fields = {}
    for field in spec.fields:
        if field.kind == "enum":
            fields[field.key] = next(iter(field.enum)).value
        elif field.kind == "ref":
            fields[field.key] = SCHOOL if not field.nullable else None
        else:
            fields[field.key] = None if field.nullable else DEFAULTS[field.kind]
    fields.update({link.key: [] for link in spec.links})
    if table == "pupil":
        fields.update(pseudonym=uid[::-1][:36], is_minor=True)
    return {"table": table, "uid": uid, "owner": "NM-07", "hlc": Hlc(BASE_MS, 0, "aa").encode(),
            "updated_at": "2026-09-01T08:00:00", "deleted_at": None, "fields": fields}


SCHOOL_RECORD = {**template("establishment", SCHOOL), "fields": {**template("establishment", SCHOOL)["fields"],
                                                                  "uai": "0540038Y", "name": "Lycée"}}


@st.composite
def versions(draw, table: str | None = None) -> dict:
    table = table or draw(st.sampled_from(sorted(UIDS)))
    record = template(table, draw(st.sampled_from(UIDS[table])))
    wall, counter, node = draw(st.integers(0, 3)), draw(st.integers(0, 1)), draw(st.sampled_from(["aa", "bb"]))
    record["hlc"] = Hlc(BASE_MS + wall, counter, node).encode()
    content = draw(st.sampled_from(["A", "B"]))
    key = {"formation": "label", "partner": "name", "pupil": "age_band"}[table]
    record["fields"][key] = content
    if draw(st.booleans()):
        record["deleted_at"] = "2026-10-01T09:00:00"
    if table == "pupil" and draw(st.integers(0, 3)) == 0:
        record["fields"]["purged_at"] = "2027-10-31T00:00:00"
    return record


def one_uid_versions():
    return versions(table="pupil").flatmap(lambda first: st.lists(versions(table="pupil"), min_size=1, max_size=3).map(
        lambda rest: [first] + [{**r, "uid": first["uid"]} for r in rest]))


@given(st.tuples(versions("pupil"), versions("pupil"), versions("pupil")))
def test_the_rule_is_commutative_associative_and_idempotent(triple):
    a, b, c = ({**r, "uid": UIDS["pupil"][0]} for r in triple)
    assert merge.winner(a, b) == merge.winner(b, a)
    assert merge.winner(merge.winner(a, b), c) == merge.winner(a, merge.winner(b, c))
    assert merge.winner(a, a) == a


@given(one_uid_versions())
def test_a_purge_absorbs_every_other_version(history):
    result = history[0]
    for version in history[1:]:
        result = merge.winner(result, version)
    if any(v["fields"]["purged_at"] for v in history):
        assert result["fields"]["purged_at"] is not None


@functools.cache
def empty_schema() -> sqlite3.Connection:
    """The store's tables in memory, created once (create_all costs 0.1 s); each test store is a copy."""
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    register_sql_functions(connection)
    engine = create_engine("sqlite://", creator=lambda: connection, poolclass=StaticPool)
    Base.metadata.create_all(engine)
    for statement in fulltext.CREATE:
        connection.execute(statement)
    return connection


def fresh_session() -> Session:
    """A store of its own, in memory, for one test or one hypothesis example."""
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    register_sql_functions(connection)
    empty_schema().backup(connection)
    connection.execute("PRAGMA foreign_keys=ON")
    engine = create_engine("sqlite://", creator=lambda: connection, poolclass=StaticPool)
    return Session(engine, info={"stamping": False})


def apply(session: Session, bundle: list[dict]) -> None:
    merge.apply_records(session, [parse_record(r) for r in [SCHOOL_RECORD, *bundle]], clock=HybridClock("zz"))
    session.flush()


def contents(session: Session) -> list[dict]:
    index = UidIndex(session)
    records = [r for name in ORDER for r in read_records(session, SPECS[name], index=index)]
    return sorted(records, key=lambda r: r["uid"])


def unique(records: list[dict]) -> list[dict]:
    """A bundle holds one version per record."""
    seen: dict[str, dict] = {}
    for record in records:
        seen.setdefault(record["uid"], record)
    return list(seen.values())


bundles = st.lists(st.lists(versions(), min_size=1, max_size=4).map(unique), min_size=1, max_size=3)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bundles, st.data())
def test_any_order_of_bundles_with_duplicates_gives_the_same_store(sets, data):
    order = data.draw(st.permutations(range(len(sets))))
    repeats = data.draw(st.lists(st.sampled_from(range(len(sets))), max_size=2))
    stores = []
    for sequence in (list(range(len(sets))), [*order, *repeats]):
        session = fresh_session()
        for number in sequence:
            apply(session, sets[number])
        stores.append(contents(session))
        session.close()
    assert stores[0] == stores[1]
    expected = {}
    for version in itertools.chain.from_iterable(sets):
        expected[version["uid"]] = merge.winner(expected.get(version["uid"], version), version)
    assert {r["uid"]: r for r in stores[0] if r["table"] != "establishment"} == expected


def test_a_losing_version_from_another_install_is_kept_as_a_conflict():
    session = fresh_session()
    mine = template("partner", UIDS["partner"][0])
    mine["hlc"], mine["fields"]["name"] = Hlc(BASE_MS + 5, 0, "aa").encode(), "Garage Leclerc"
    apply(session, [mine])
    older_elsewhere = {**mine, "hlc": Hlc(BASE_MS + 1, 0, "bb").encode(),
                       "fields": {**mine["fields"], "name": "Garage Le Clerc"}}
    summary = merge.apply_records(session, [parse_record(older_elsewhere)], clock=HybridClock("zz"),
                                  sender="NM-07", bundle_id="b")
    assert summary.conflicts == {"partner": 1} and summary.unchanged == {"partner": 1}
    conflict = session.scalars(select(SyncConflict)).one()
    assert conflict.lost_hlc == older_elsewhere["hlc"] and "Le Clerc" in conflict.lost_version
    assert session.scalars(select(Partner.name)).one() == "Garage Leclerc"


def test_an_older_version_from_the_same_install_is_no_conflict():
    session = fresh_session()
    newer = template("partner", UIDS["partner"][0])
    newer["hlc"], newer["fields"]["name"] = Hlc(BASE_MS + 5, 0, "aa").encode(), "Garage Leclerc"
    older = {**newer, "hlc": Hlc(BASE_MS + 1, 0, "aa").encode(), "fields": {**newer["fields"], "name": "Garage"}}
    apply(session, [older])
    summary = merge.apply_records(session, [parse_record(newer)], clock=HybridClock("zz"))
    assert summary.updated == {"partner": 1} and not summary.conflicts
    assert session.scalars(select(SyncConflict)).all() == []


def test_a_tombstone_is_a_write_and_a_purge_cannot_be_undone():
    session = fresh_session()
    pupil = template("pupil", UIDS["pupil"][0])
    purged = {**pupil, "hlc": Hlc(BASE_MS + 1, 0, "aa").encode(),
              "fields": {**pupil["fields"], "purged_at": "2027-10-31T00:00:00"}}
    apply(session, [purged])
    later = {**pupil, "hlc": Hlc(BASE_MS + 9, 0, "aa").encode(), "fields": {**pupil["fields"], "age_band": "16-17"}}
    summary = merge.apply_records(session, [parse_record(later)], clock=HybridClock("zz"))
    assert summary.unchanged == {"pupil": 1}
    assert [r["fields"]["purged_at"] for r in contents(session) if r["table"] == "pupil"] == ["2027-10-31T00:00:00"]
    partner = template("partner", UIDS["partner"][0])
    apply(session, [partner])
    gone = {**partner, "hlc": Hlc(BASE_MS + 2, 0, "aa").encode(), "deleted_at": "2026-10-01T09:00:00"}
    summary = merge.apply_records(session, [parse_record(gone)], clock=HybridClock("zz"))
    assert summary.deleted == {"partner": 1}


def test_the_clock_observes_the_largest_clock_seen():
    session = fresh_session()
    clock = HybridClock("zz", now_ms=lambda: BASE_MS - 1000)
    record = {**template("partner", UIDS["partner"][0]), "hlc": Hlc(BASE_MS + 7, 3, "aa").encode()}
    merge.apply_records(session, [parse_record(record)], clock=clock)
    assert clock.tick() > Hlc(BASE_MS + 7, 3, "zz")
    assert date.fromtimestamp(clock.last.wall_ms / 1000).year >= 2026
