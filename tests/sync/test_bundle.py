"""Bundles end to end: a pole's records reach the coordinator intact, pupils stay pseudonymous, age opens them."""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
import subprocess
from collections import defaultdict

import pytest
from sqlalchemy import select
from sync_support import open_plain, store_digest

from poledesk.data import migrate
from poledesk.data.models import TRAVELLING_MODELS, Pupil
from poledesk.data.sync_tables import AppliedBundle, Peer
from poledesk.sync import bundle, exchange
from poledesk.sync.records import LINKS, NEVER_TRAVEL, SPECS
from poledesk.sync.snapshot import Route


def raw_digests(store) -> dict[str, str]:
    """Per table, a digest of every column as stored (references as uids), leaving out the local id and the
    columns that never travel; the association tables as (parent uid, child uid) pairs."""
    digests: dict[str, str] = {}
    with store.session() as session:
        uids = {m.__tablename__: dict(session.execute(select(m.id, m.uid)).all()) for m in TRAVELLING_MODELS}
        for model in TRAVELLING_MODELS:
            table = model.__table__
            hidden = NEVER_TRAVEL.get(table.name, frozenset()) | {"id"}
            lines = []
            for row in session.execute(select(table)).mappings():
                cells = {}
                for column in table.columns:
                    if column.name in hidden:
                        continue
                    value = row[column.name]
                    if column.foreign_keys and value is not None:
                        value = uids[next(iter(column.foreign_keys)).column.table.name][value]
                    cells[column.name] = repr(value)
                lines.append(json.dumps(cells, sort_keys=True))
            digests[table.name] = hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()
        for parent, links in LINKS.items():
            for key, table, parent_column, child_column, target in links:
                pairs = sorted(f"{uids[parent][p]} {uids[target][c]}"
                               for p, c in session.execute(select(table.c[parent_column], table.c[child_column])))
                digests[f"{parent}.{key}"] = hashlib.sha256("\n".join(pairs).encode()).hexdigest()
    return digests


def test_a_pole_bundle_reproduces_every_record_at_the_coordinator(paired, tmp_path):
    pole, coordinator = paired
    pole.export(coordinator, tmp_path / "nm07.age")
    result = coordinator.load(tmp_path / "nm07.age")
    assert result.status == exchange.APPLIED and result.in_step
    assert raw_digests(coordinator.store) == raw_digests(pole.store)
    route = Route("NM-07", "pole", coordinator.code, "coordinator")
    with pole.store.session() as at_pole, coordinator.store.session() as at_coordinator:
        sent = exchange.select_records(at_pole, route)
        assert exchange.select_records(at_coordinator, route) == sent   # pupils' is_minor included
    summary = result.summary
    assert summary.added["partner"] == 600 and summary.added["contact"] == 1500 and summary.total("conflicts") == 0
    with coordinator.store.session() as session:
        pupils = session.scalars(select(Pupil)).all()
        assert pupils and all(p.first_name == p.last_name == "" and p.birth_date is None for p in pupils)
        applied = session.scalars(select(AppliedBundle)).one()
        assert applied.sender == "NM-07" and applied.records == sum(summary.added.values()) + sum(
            summary.deleted.values())
        assert session.get(Peer, "NM-07").last_sequence_received == 1


def test_the_coordinator_clock_moves_past_what_it_received(small, tmp_path):
    pole, coordinator = small
    coordinator.load(pole.export(coordinator, tmp_path / "b.age"))
    assert coordinator.store.clock.tick() > max_hlc(pole.store)


def max_hlc(store):
    from poledesk.data.clock import Hlc

    with store.session() as session:
        return max(Hlc.decode(h) for m in TRAVELLING_MODELS for h in session.scalars(select(m.hlc)))


def test_the_age_tool_opens_a_bundle_with_the_coordinators_identity(paired, tmp_path):
    if shutil.which("age") is None:
        pytest.skip("the age command-line tool is not installed")
    pole, coordinator = paired
    path = pole.export(coordinator, tmp_path / "b.age")
    identity_file = coordinator.folder / "cles" / "identite-age.txt"
    opened = subprocess.run(["age", "--decrypt", "-i", str(identity_file), str(path)], capture_output=True,
                            timeout=60, check=True)
    magic, manifest, _signature, _payload = opened.stdout.split(b"\n", 3)
    assert magic == b"POLEDESK-BUNDLE/1" and json.loads(manifest)["sender"]["code"] == "NM-07"


def test_the_file_holds_a_signed_manifest_then_json_lines(paired, tmp_path):
    pole, coordinator = paired
    path = pole.export(coordinator, tmp_path / "b.age")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(tmp_path.glob(".*partiel"))
    header = path.read_bytes()[:400]
    assert header.startswith(b"age-encryption.org/v1\n") and header.count(b"-> X25519 ") == 1
    manifest, signature, lines = open_plain(path, coordinator)
    assert manifest["format"] == "poledesk-bundle/1" and manifest["schema"] == migrate.known_revisions()[1]
    assert manifest["sender"] == {"code": "NM-07", "role": "pole", "fingerprint": pole.keys.fingerprint}
    assert manifest["recipient"]["fingerprint"] == coordinator.keys.fingerprint
    assert manifest["sequence"] == 1 and manifest["acknowledged"] == 0 and manifest["kind"] == "full"
    assert manifest["payload"]["length"] == sum(len(line) + 1 for line in lines)
    counts = defaultdict(int)
    for line in lines:
        record = json.loads(line)
        assert set(record) == {"table", "uid", "owner", "hlc", "updated_at", "deleted_at", "fields"}
        assert record["owner"] == "NM-07"
        counts[record["table"]] += 1
    assert counts == manifest["counts"]
    contact = next(json.loads(line) for line in lines if b'"table":"contact"' in line)
    assert "partner_uid" in contact["fields"] and "partner_id" not in contact["fields"]
    assert signature and b"\n" not in signature


def test_pupils_travel_as_pseudonyms_with_the_allowlisted_fields_only(paired, tmp_path):
    pole, coordinator = paired
    with pole.store.transaction() as session:
        pupil = session.scalars(select(Pupil).order_by(Pupil.id)).first()
        pupil.first_name, pupil.last_name, pupil.needs = "Zéphyrine", "Quillardet", "Trajet Quillardet"
        pupil.representative_name, pupil.representative_email = "Anaïs Quillardet", "quillardet@exemple.fr"
    _manifest, _signature, lines = open_plain(pole.export(coordinator, tmp_path / "b.age"), coordinator)
    pupils = [json.loads(line) for line in lines if b'"table":"pupil"' in line]
    assert pupils
    for pupil in pupils:
        assert set(pupil["fields"]) == {"pseudonym", "establishment_uid", "formation_uid", "is_minor",
                                        "age_band", "purged_at"}   # never a health flag: equity_count has counts
    assert {p["fields"]["is_minor"] for p in pupils} == {True, False}
    plain = b"\n".join(lines).decode()
    assert "quillardet" not in plain.lower() and "Zéphyrine" not in plain
    for table, hidden in NEVER_TRAVEL.items():
        for line in lines:
            if f'"table":"{table}"'.encode() in line:
                assert not hidden & set(json.loads(line)["fields"]), table
    assert set(SPECS["pupil"].keys) == set(pupils[0]["fields"])


def test_a_bundle_applied_twice_changes_nothing_the_second_time(small, tmp_path):
    pole, coordinator = small
    path = pole.export(coordinator, tmp_path / "b.age")
    coordinator.load(path)
    before = store_digest(coordinator.store)
    again = coordinator.load(path)
    assert again.status == exchange.ALREADY_APPLIED and "déjà été importé" in again.message
    assert "rien n'a changé" in again.message
    assert store_digest(coordinator.store) == before


def test_writing_is_atomic(tmp_path, monkeypatch):
    target = tmp_path / "b.age"
    target.write_bytes(b"ancien")

    def broken(_descriptor):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("poledesk.data.files.os.fsync", broken)
    with pytest.raises(OSError):
        bundle.write_atomically(target, b"nouveau")
    assert target.read_bytes() == b"ancien" and list(tmp_path.iterdir()) == [target]
