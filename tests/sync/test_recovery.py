"""Recovery bundles: the coordinator gives a pole reinstalled on a new laptop its own records back."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import select
from sync_support import Install, open_plain, pin, reseal, store_digest
from test_cli_sync import run

from poledesk.data.clock import Hlc
from poledesk.data.models import Pole
from poledesk.sync import exchange, peers
from poledesk.sync.errors import BundleError
from poledesk.sync.records import ORDER, SPECS, canonical
from poledesk.sync.snapshot import UidIndex, read_records


def owned_digest(install: Install, owner: str) -> str:
    """SHA-256 of the travelling form of every record `owner` owns (a pupil's identity never travels).

    The pole row is left out: a new install writes its own when it is set up, and a recovery does not carry it.
    """
    digest = hashlib.sha256()
    with install.store.session() as session:
        index = UidIndex(session)
        for name in (n for n in ORDER if n != "pole"):
            spec = SPECS[name]
            records = read_records(session, spec, index=index, where=spec.table.c.owner == owner)
            for record in sorted(records, key=lambda r: r["uid"]):
                digest.update(canonical(record) + b"\n")
    return digest.hexdigest()


def replace_card(coordinator: Install, install: Install) -> None:
    """The coordinator takes the pole's card, replacing the keys it knew, and verifies it."""
    with coordinator.store.transaction() as session:
        imported = peers.import_card(session, install.card(), keys=coordinator.keys, replace=True)
        peers.verify_peer(session, install.code, keys=coordinator.keys, code_read=imported.peer.verification_code)


def recover(coordinator: Install, new: Install, path) -> None:
    """The coordinator replaces the pole's card; the new install pins the coordinator; the recovery bundle."""
    replace_card(coordinator, new)
    pin(new, coordinator)
    exchange.export_bundle(coordinator.store, new.code, keys=coordinator.keys, out=path, recovery=True)


def test_a_new_install_of_a_pole_gets_all_its_records_back(small, installs, tmp_path):
    pole, coordinator = small
    coordinator.load(pole.export(coordinator, tmp_path / "p1.age"))
    expected = owned_digest(pole, pole.code)
    new = installs("pole", pole.code)
    recover(coordinator, new, tmp_path / "restore.age")
    manifest = open_plain(tmp_path / "restore.age", new)[0]
    assert manifest["kind"] == "recovery" and manifest["counts"]["partner"] == 2
    result = new.load(tmp_path / "restore.age")
    assert result.status == exchange.APPLIED and result.summary.added["partner"] == 2
    assert owned_digest(new, pole.code) == expected
    newest = max(Hlc.decode(json.loads(line)["hlc"]) for line in open_plain(tmp_path / "restore.age", new)[2])
    assert new.store.clock.last >= newest   # the pole's clock observed the records it got back
    with new.store.session() as session:
        assert len(session.scalars(select(Pole).where(Pole.code == pole.code)).all()) == 1
    on_old = tmp_path / "again.age"          # harmless on a pole that already has them
    replace_card(coordinator, pole)
    exchange.export_bundle(coordinator.store, pole.code, keys=coordinator.keys, out=on_old, recovery=True)
    before = owned_digest(pole, pole.code)
    again = pole.load(on_old)
    assert again.summary.total("added") == 0 and again.summary.total("updated") == 0
    assert owned_digest(pole, pole.code) == before


def test_a_recovery_bundle_is_refused_by_another_pole(small, installs, tmp_path):
    pole, coordinator = small
    coordinator.load(pole.export(coordinator, tmp_path / "p1.age"))
    other = installs("pole", "NM-08")
    pin(other, coordinator)
    path = tmp_path / "restore.age"
    exchange.export_bundle(coordinator.store, pole.code, keys=coordinator.keys, out=path, recovery=True)
    manifest, _signature, lines = open_plain(path, pole)
    forged = tmp_path / "forged.age"        # even re-encrypted to the other pole, it names NM-07
    forged.write_bytes(reseal(manifest, lines, sign_with=coordinator.keys, to=other))
    before = store_digest(other.store)
    with pytest.raises(BundleError, match="pas pour ce poste"):
        other.load(forged)
    assert store_digest(other.store) == before


def test_own_records_in_an_ordinary_coordinator_bundle_are_still_refused(small, tmp_path):
    pole, coordinator = small
    coordinator.load(pole.export(coordinator, tmp_path / "p1.age"))
    path = tmp_path / "restore.age"
    exchange.export_bundle(coordinator.store, pole.code, keys=coordinator.keys, out=path, recovery=True)
    manifest, _signature, lines = open_plain(path, pole)
    for kind in ("full", "incremental"):
        forged = tmp_path / f"{kind}.age"
        forged.write_bytes(reseal({**manifest, "kind": kind}, lines, sign_with=coordinator.keys, to=pole))
        before = store_digest(pole.store)
        with pytest.raises(BundleError, match="n'envoie que ce qui lui appartient"):
            pole.load(forged)
        assert store_digest(pole.store) == before


def test_a_pole_cannot_write_a_recovery_bundle(small, tmp_path, capsys):
    pole, coordinator = small
    folder = pole.folder
    pole.store.close()
    assert run(folder, "bundle", "export", "--to", coordinator.code, "--out", str(tmp_path / "r.age"),
               "--recovery") == 2
    assert "Seule la coordination écrit un paquet de restauration" in capsys.readouterr().err
    assert not (tmp_path / "r.age").exists()


def test_the_coordinator_writes_a_recovery_bundle_from_the_command_line(small, tmp_path, capsys):
    pole, coordinator = small
    coordinator.load(pole.export(coordinator, tmp_path / "p1.age"))
    folder = coordinator.folder
    coordinator.store.close()
    assert run(folder, "bundle", "export", "--to", pole.code, "--out", str(tmp_path / "r.age"), "--recovery") == 0
    assert "(de restauration)" in capsys.readouterr().out
    assert json.loads(json.dumps(open_plain(tmp_path / "r.age", pole)[0]))["kind"] == "recovery"
