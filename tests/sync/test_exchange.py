"""Exchanges over time: incremental bundles after acknowledgements, the coordinator's shared directory."""

from __future__ import annotations

import json
from datetime import date, time

import pytest
from sqlalchemy import select
from sync_support import open_plain, pair, populate, reseal, store_digest

from poledesk.data.enums import Audience
from poledesk.data.models import Formation, Partner, TrainingSession
from poledesk.data.sync_tables import Peer
from poledesk.sync.errors import BundleError


def counts_of(path, reader) -> dict[str, int]:
    return open_plain(path, reader)[0]["counts"]


def test_the_next_bundle_carries_what_changed_since_the_acknowledgement(small, tmp_path):
    pole, coordinator = small
    first = pole.export(coordinator, tmp_path / "p1.age")
    assert coordinator.load(first).in_step
    unacknowledged = pole.export(coordinator, tmp_path / "p2.age")
    assert open_plain(unacknowledged, coordinator)[0]["kind"] == "full"
    pole.load(coordinator.export(pole, tmp_path / "c1.age"))      # c1 acknowledges p1 only
    with pole.store.session() as session:
        assert session.get(Peer, coordinator.code).acknowledged_by_peer == 1
    with pole.store.transaction() as session:
        session.scalars(select(Partner).where(Partner.name == "Garage Leclerc")).one().phone = "03 83 00 00 00"
    third = pole.export(coordinator, tmp_path / "p3.age")
    manifest = open_plain(third, coordinator)[0]
    assert manifest["kind"] == "incremental" and manifest["counts"] == {"partner": 1}
    assert manifest["sequence"] == 3 and manifest["acknowledged"] == 1
    result = coordinator.load(third)
    assert result.summary.updated == {"partner": 1} and result.in_step
    full = pole.export(coordinator, tmp_path / "p4.age", full=True)
    assert counts_of(full, coordinator)["partner"] == 2


def test_an_export_that_fails_uses_no_sequence(small, tmp_path):
    pole, coordinator = small
    blocker = tmp_path / "un-fichier"
    blocker.write_text("pas un dossier")
    with pytest.raises(OSError):
        pole.export(coordinator, blocker / "p1.age")
    with pole.store.session() as session:
        assert session.get(Peer, coordinator.code).last_sequence_sent == 0


@pytest.fixture
def academie(installs, tmp_path):
    """The coordinator with a formation and a training session of its own, and two small poles that sent it all."""
    coordinator = installs("coordinator")
    poles = {}
    for code in ("NM-07", "NM-08"):
        pole = installs("pole", code)
        populate(pole, pupil_name=f"Élève {code}")
        pair(pole, coordinator)
        coordinator.load(pole.export(coordinator, tmp_path / f"{code}-1.age"))
        poles[code] = pole
    with coordinator.store.transaction() as session:
        session.add(Formation(code="ACAD-1", label="Formation académique", audience=Audience.STS))
        session.add(TrainingSession(title="Accueillir un stagiaire mineur", session_date=date(2027, 3, 11),
                                    start_time=time(9), end_time=time(12)))
    return coordinator, poles


def test_the_coordinator_sends_its_own_records_and_the_other_poles_partners_only(academie, tmp_path):
    coordinator, poles = academie
    path = coordinator.export(poles["NM-07"], tmp_path / "c1.age")
    records = [json.loads(line) for line in open_plain(path, poles["NM-07"])[2]]
    carried = sorted({(r["table"], r["owner"]) for r in records})
    assert carried == [("formation", coordinator.code), ("partner", "NM-08"), ("pole", "NM-08"),
                       ("training_session", coordinator.code)]
    result = poles["NM-07"].load(path)
    assert result.in_step and result.summary.added == {"formation": 1, "partner": 2, "pole": 1,
                                                        "training_session": 1}
    with poles["NM-07"].store.session() as session:
        owners = sorted(session.scalars(select(Partner.owner)))
    assert owners == ["NM-07", "NM-07", "NM-08", "NM-08"]


def test_the_directory_follows_the_other_poles_changes(academie, tmp_path):
    coordinator, poles = academie
    nm07, nm08 = poles["NM-07"], poles["NM-08"]
    nm07.load(coordinator.export(nm07, tmp_path / "c1.age"))
    coordinator.load(nm07.export(coordinator, tmp_path / "NM-07-2.age"))   # acknowledges c1
    with nm08.store.transaction() as session:
        session.scalars(select(Partner).where(Partner.name == "Garage Leclerc")).one().commune = "Laxou"
    coordinator.load(nm08.export(coordinator, tmp_path / "NM-08-2.age"))
    path = coordinator.export(nm07, tmp_path / "c2.age")
    manifest = open_plain(path, nm07)[0]
    assert manifest["kind"] == "incremental" and manifest["counts"] == {"partner": 1}
    result = nm07.load(path)
    assert result.summary.updated == {"partner": 1} and result.in_step
    with nm07.store.session() as session:
        assert session.scalars(select(Partner.commune).where(Partner.owner == "NM-08",
                                                             Partner.name == "Garage Leclerc")).one() == "Laxou"


@pytest.mark.parametrize("table, owner", [("contact", "NM-08"), ("partner", "NM-07")])
def test_a_coordinator_bundle_carries_no_contacts_and_nothing_of_the_recipients_own(academie, tmp_path, table, owner):
    coordinator, poles = academie
    nm07 = poles["NM-07"]
    path = coordinator.export(nm07, tmp_path / "c1.age")
    manifest, _signature, lines = open_plain(path, nm07)
    source = poles[owner]
    extra = json.loads(next(line for line in open_plain(source.export(coordinator, tmp_path / "x.age"),
                                                        coordinator)[2] if f'"table":"{table}"'.encode() in line))
    records = [json.loads(line) for line in lines] + [extra]
    counts = {**manifest["counts"], table: manifest["counts"].get(table, 0) + 1}
    forged = tmp_path / "forged.age"
    forged.write_bytes(reseal({**manifest, "counts": counts}, records, sign_with=coordinator.keys, to=nm07))
    before = store_digest(nm07.store)
    with pytest.raises(BundleError, match="n'envoie que ce qui lui appartient"):
        nm07.load(forged)
    assert store_digest(nm07.store) == before


def test_the_history_lists_bundles_sent_and_received(small, tmp_path):
    from poledesk.sync import exchange

    pole, coordinator = small
    coordinator.load(pole.export(coordinator, tmp_path / "p1.age"))
    with coordinator.store.session() as session:
        [received] = exchange.bundle_log(session)
    assert received.received and received.peer == "NM-07" and received.in_step
    assert received.summary["added"]["partner"] == 2
    with pole.store.session() as session:
        [sent] = exchange.bundle_log(session, "COORD-NANCY-METZ")
    assert not sent.received and sent.sequence == 1 and sent.kind == "full" and sent.records == 9


def test_a_cancelled_import_writes_nothing(small, tmp_path):
    from poledesk.data.progress import Cancelled

    pole, coordinator = small
    path = pole.export(coordinator, tmp_path / "p1.age")
    before = store_digest(coordinator.store)

    def cancel_when_merging(done: int, total: int, label: str = "") -> None:
        if label == "Fusion":
            raise Cancelled

    with pytest.raises(Cancelled):
        coordinator.load(path, progress=cancel_when_merging)
    assert store_digest(coordinator.store) == before
    assert coordinator.load(path).in_step
