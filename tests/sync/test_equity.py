"""Health flags stay home: bundles carry equity counts per school year, audience and outcome, never a pupil's flag."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sync_support import open_plain, reseal, store_digest

from poledesk.data.db import list_backups
from poledesk.data.escalations.equity import equity_rows
from poledesk.data.models import EquityCount, Escalation, Pupil
from poledesk.sync.errors import BundleError


def flag_the_pupil(store) -> None:
    with store.transaction() as session:
        pupil = session.scalars(select(Pupil)).one()
        pupil.has_pai, pupil.has_disability = True, True
        session.scalars(select(Escalation)).one().needs_pai = True


def test_the_coordinator_receives_counts_and_no_flag(small, tmp_path):
    pole, coordinator = small
    flag_the_pupil(pole.store)
    path = pole.export(coordinator, tmp_path / "b.age")
    _manifest, _signature, lines = open_plain(path, coordinator)
    plain = b"\n".join(lines).decode()
    assert "has_pai" not in plain and "has_disability" not in plain and "needs_pai" not in plain
    assert "needs_accessibility" not in plain
    coordinator.load(path)
    with coordinator.store.session() as session:
        rows = equity_rows(session)
        pupil = session.scalars(select(Pupil)).one()
        assert not pupil.has_pai and not pupil.has_disability          # the flags never arrived
        escalation = session.scalars(select(Escalation)).one()
        assert not escalation.needs_pai
    assert len(rows) == 1 and rows[0].owner == "NM-07"
    assert (rows[0].escalations, rows[0].with_disability, rows[0].with_pai) == (1, 1, 1)
    assert rows[0].outcome == escalation.status and rows[0].audience == escalation.audience


def test_the_counts_follow_the_escalations_and_only_change_when_they_do(small, tmp_path):
    pole, coordinator = small

    def count_row():
        with pole.store.session() as session:
            row = session.scalars(select(EquityCount)).one()
            return row.hlc, row.with_pai

    pole.export(coordinator, tmp_path / "first.age")
    first = count_row()
    assert first[1] == 0
    pole.export(coordinator, tmp_path / "second.age")
    assert count_row() == first                        # nothing changed: the count record is not rewritten
    flag_the_pupil(pole.store)
    pole.export(coordinator, tmp_path / "third.age")
    third = count_row()
    assert third[1] == 1 and third[0] > first[0]
    _manifest, _sig, lines = open_plain(tmp_path / "third.age", coordinator)
    counts = [json.loads(line) for line in lines if b'"table":"equity_count"' in line]
    assert [c["fields"]["with_pai"] for c in counts] == [1]


@pytest.mark.parametrize("table, flag", [("pupil", "has_pai"), ("pupil", "has_disability"),
                                         ("escalation", "needs_pai"), ("escalation", "needs_accessibility")])
def test_an_incoming_bundle_still_carrying_a_flag_is_refused(small, tmp_path, table, flag):
    pole, coordinator = small
    path = pole.export(coordinator, tmp_path / "b.age")
    manifest, _signature, lines = open_plain(path, coordinator)
    records = [json.loads(line) for line in lines]
    next(r for r in records if r["table"] == table)["fields"][flag] = True
    forged = tmp_path / "forge.age"
    forged.write_bytes(reseal(manifest, records, sign_with=pole.keys, to=coordinator))
    before, backups = store_digest(coordinator.store), list_backups(coordinator.folder)
    with pytest.raises(BundleError, match="ne doit jamais quitter le poste"):
        coordinator.load(forged)
    assert store_digest(coordinator.store) == before and list_backups(coordinator.folder) == backups
