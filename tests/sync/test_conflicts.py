"""The Conflits panel's services: list what lost, keep the winner, or write one's own lost version back."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sync_support import open_plain

from poledesk.data.clock import Hlc
from poledesk.data.models import Partner
from poledesk.sync import conflicts, exchange, merge
from poledesk.sync.errors import SyncError
from poledesk.sync.records import parse_record


def lose_a_version(install, partner_record: dict, name: str) -> None:
    """Another install's older version of the record arrives: it loses, and is kept as a conflict."""
    older = {**partner_record, "hlc": Hlc(Hlc.decode(partner_record["hlc"]).wall_ms - 1000, 0, "autre").encode(),
             "fields": {**partner_record["fields"], "name": name}}
    with install.store.transaction() as session:
        summary = merge.apply_records(session, [parse_record(older)], clock=install.store.clock, sender="test")
    assert summary.conflicts == {"partner": 1}


@pytest.fixture
def garage(small, tmp_path):
    pole, coordinator = small
    lines = open_plain(pole.export(coordinator, tmp_path / "b.age"), coordinator)[2]
    return next(json.loads(line) for line in lines if b"Garage Leclerc" in line)


def test_a_conflict_is_listed_with_what_differs(small, garage):
    pole, _coordinator = small
    lose_a_version(pole, garage, "Garage Le Clerc")
    with pole.store.session() as session:
        [row] = conflicts.list_conflicts(session, pole.code)
    assert row.label == "Partenaire" and row.differences == ("name",) and row.can_restore
    assert row.kept["fields"]["name"] == "Garage Leclerc" and row.lost["fields"]["name"] == "Garage Le Clerc"


def test_keeping_the_winner_settles_the_conflict(small, garage):
    pole, _coordinator = small
    lose_a_version(pole, garage, "Garage Le Clerc")
    with pole.store.session() as session:
        [row] = conflicts.list_conflicts(session, pole.code)
    with pole.store.transaction() as session:
        conflicts.dismiss_conflict(session, row.id)
    with pole.store.session() as session:
        assert conflicts.list_conflicts(session, pole.code) == []
        assert len(conflicts.list_conflicts(session, pole.code, include_resolved=True)) == 1
    with pytest.raises(SyncError, match="déjà été réglé"), pole.store.transaction() as session:
        conflicts.dismiss_conflict(session, row.id)


def test_restoring_ones_own_lost_version_is_a_new_write_that_travels(small, garage, tmp_path):
    pole, coordinator = small
    coordinator.load(tmp_path / "b.age")
    lose_a_version(pole, garage, "Garage Le Clerc")
    with pole.store.session() as session:
        [row] = conflicts.list_conflicts(session, pole.code)
    with pole.store.transaction() as session:
        conflicts.restore_lost_version(session, row.id, pole.code)
    with pole.store.session() as session:
        partner = session.scalars(select(Partner).where(Partner.uid == garage["uid"])).one()
        assert partner.name == "Garage Le Clerc" and Hlc.decode(partner.hlc) > Hlc.decode(garage["hlc"])
        assert partner.owner == "NM-07" and "le clerc" in partner.search_key
    result = coordinator.load(pole.export(coordinator, tmp_path / "b2.age"))
    assert result.status == exchange.APPLIED and result.summary.updated == {"partner": 1}


def test_another_owners_record_cannot_be_restored(small, tmp_path):
    pole, coordinator = small
    coordinator.load(pole.export(coordinator, tmp_path / "b.age"))
    lines = open_plain(tmp_path / "b.age", coordinator)[2]
    garage = next(json.loads(line) for line in lines if b"Garage Leclerc" in line)
    lose_a_version(coordinator, garage, "Garage Le Clerc")
    with coordinator.store.session() as session:
        [row] = conflicts.list_conflicts(session, coordinator.code)
    assert not row.can_restore
    with pytest.raises(SyncError, match="lui seul peut le modifier"), coordinator.store.transaction() as session:
        conflicts.restore_lost_version(session, row.id, coordinator.code)
