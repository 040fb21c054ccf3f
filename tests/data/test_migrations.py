"""Migrations: an old store with data reaches the head revision intact, backed up first."""

from __future__ import annotations

import sqlite3

from sqlalchemy import select

from poledesk import paths
from poledesk.data import db, migrate
from poledesk.data.models import Partner
from poledesk.data.partners.fulltext import partner_ids_matching


def make_store_at_0001(folder) -> None:
    """A store as the first release left it: schema 0001, a pole and two partners written by plain SQL."""
    folder.mkdir(parents=True, exist_ok=True)
    file = paths.store_file(folder)
    migrate.upgrade(file, "0001")
    connection = sqlite3.connect(file)
    rows = [
        ("Boulangerie L'Épi d'Or", "10.71C", "Épinal", "88000"),
        ("Garage Leclerc", "45.20A", "Nancy", "54000"),
    ]
    for number, (name, naf, commune, postcode) in enumerate(rows, start=1):
        connection.execute(
            "INSERT INTO partner (uid, owner, hlc, updated_at, name, legal_kind, naf_code, address, postcode, commune,"
            " phone, email, website, status, status_reason, representative_name, representative_role, insurer,"
            " accepts_disability, accepts_pai, requires_protective_equipment, interview_first, tags, notes,"
            " search_key) VALUES (?, 'NM-07', ?, '2026-01-01 00:00:00', ?, 'entreprise', ?, '', ?, ?, '', '', '',"
            " 'active', '', '', '', '', 0, 0, 0, 0, '', '', '')",
            (f"00000000-0000-7000-8000-00000000000{number}", f"1700000000000-00000-ab{number}", name, naf, postcode,
             commune))
    connection.executemany("INSERT INTO setting (key, value) VALUES (?, ?)",
                           [("identity.role", "pole"), ("identity.code", "NM-07"), ("store.node", "abcd1234")])
    connection.commit()
    connection.close()


def test_an_old_store_is_backed_up_then_upgraded_with_its_data(tmp_path):
    folder = tmp_path / "ancienne"
    make_store_at_0001(folder)
    assert migrate.inspect_store(paths.store_file(folder)).revision == "0001"
    store = db.open_store(folder)
    try:
        backups = db.list_backups(folder)
        assert len(backups) == 1 and "avant-migration" in backups[0].name
        old = sqlite3.connect(backups[0])
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        old.close()
        with store.session() as session:
            sectors = dict(session.execute(select(Partner.name, Partner.sector)).all())
            assert sectors == {"Boulangerie L'Épi d'Or": "Boulangerie et boulangerie-pâtisserie",
                               "Garage Leclerc": "Entretien et réparation de véhicules automobiles légers"}
            found = session.scalars(select(Partner.name).where(partner_ids_matching("epinal boul"))).all()
            assert found == ["Boulangerie L'Épi d'Or"]
        assert migrate.inspect_store(store.file).revision == migrate.known_revisions()[1]
        assert db.check_store(store.file) == []
    finally:
        store.close()


def test_a_new_store_needs_no_backup(tmp_path):
    store = db.open_store(tmp_path / "neuve")
    store.close()
    assert db.list_backups(tmp_path / "neuve") == []


def test_revision_file_names_agree_with_alembics_history():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    history = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert migrate.known_revisions() == (history, script.get_current_head())


def test_opening_a_store_at_head_does_not_import_alembic(tmp_path):
    import subprocess
    import sys

    db.open_store(tmp_path).close()
    code = ("import sys; from pathlib import Path; from poledesk.data.db import open_store; "
            f"open_store(Path({str(tmp_path)!r})).close(); print('alembic' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr
