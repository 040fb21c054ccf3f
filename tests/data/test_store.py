"""The store: models round-trip, migrations match the models, foreign or newer files are refused untouched."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import subprocess
import sys
from datetime import date, time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, select

from poledesk import paths
from poledesk.data import db, identity, settings
from poledesk.data.clock import Hlc
from poledesk.data.enums import Audience, ConventionStatus, EscalationStatus, EstablishmentKind, VisitKind
from poledesk.data.models import (
    TRAVELLING_MODELS,
    Base,
    Contact,
    Escalation,
    EscalationEvent,
    Establishment,
    Formation,
    HostingOffer,
    Partner,
    Placement,
    Pupil,
    TimetableDay,
    Visit,
)
from poledesk.data.partners import fulltext as fulltext


def sha256(file: Path) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()


def build_graph(session) -> None:
    formation = Formation(code="40025214", label="Bac pro Métiers du commerce et de la vente",
                          audience=Audience.PFMP_BACPRO, pfmp_weeks=22)
    school = Establishment(uai="0540038Y", name="Lycée Henri-Poincaré", kind=EstablishmentKind.LYCEE,
                           postcode="54000", commune="Nancy")
    partner = Partner(name="Boulangerie L'Épi d'Or", siret="73282932000074", postcode="88000", commune="Épinal",
                      naf_code="10.71C", tags="alimentaire; apprentissage")
    tutor = Contact(partner=partner, first_name="Gaëlle", last_name="Thiébaut", is_tutor=True)
    offer = HostingOffer(partner=partner, audience=Audience.PFMP_BACPRO, formation=formation, places=2,
                         months="1,2,11", reserved_to=[school])
    pupil = Pupil(establishment=school, formation=formation, first_name="Noé", last_name="Müller",
                  birth_date=date(2010, 3, 14), representative_name="Anaïs Müller")
    escalation = Escalation(establishment=school, pupil=pupil, received_on=date(2026, 10, 2),
                            audience=Audience.PFMP_BACPRO, period_start=date(2027, 1, 11),
                            period_end=date(2027, 2, 5), status=EscalationStatus.PLACED)
    event = EscalationEvent(escalation=escalation, at=db.utcnow(), from_status=EscalationStatus.PROPOSED,
                            to_status=EscalationStatus.PLACED, reason="Accord de l'entreprise")
    placement = Placement(pupil=pupil, establishment=school, partner=partner, tutor=tutor,
                          audience=Audience.PFMP_BACPRO, start_date=date(2027, 1, 11), end_date=date(2027, 2, 5),
                          convention_status=ConventionStatus.PRINTED)
    day = TimetableDay(placement=placement, weekday=0, start=time(8, 30), end=time(17, 0),
                       break_start=time(12, 0), break_end=time(13, 30))
    visit = Visit(partner=partner, visited_on=date(2026, 11, 20), kind=VisitKind.VISIT, summary="Très bon accueil")
    session.add_all([formation, school, partner, tutor, offer, pupil, escalation, event, placement, day, visit])


def test_models_round_trip_through_a_real_file(pole_store):
    with pole_store.transaction() as session:
        build_graph(session)
    folder = pole_store.folder
    pole_store.close()
    reopened = db.open_store(folder)
    try:
        with reopened.session() as session:
            partner = session.scalars(select(Partner)).one()
            assert partner.name == "Boulangerie L'Épi d'Or"
            assert partner.search_key == (
                "boulangerie l'epi d'or epinal 88000 73282932000074 10.71c alimentaire; apprentissage")
            assert [c.last_name for c in partner.contacts] == ["Thiébaut"]
            offer = partner.offers[0]
            assert offer.month_numbers == [1, 2, 11]
            assert [e.uai for e in offer.reserved_to] == ["0540038Y"]
            placement = session.scalars(select(Placement)).one()
            assert placement.timetable[0].start == time(8, 30)
            assert placement.timetable[0].break_end == time(13, 30)
            assert placement.convention_status is ConventionStatus.PRINTED
            assert placement.pupil.birth_date == date(2010, 3, 14)
            escalation = session.scalars(select(Escalation)).one()
            assert escalation.events[0].to_status is EscalationStatus.PLACED
            for model in TRAVELLING_MODELS:
                for record in session.scalars(select(model)):
                    assert record.owner == "NM-07" and len(record.uid) == 36 and record.hlc
    finally:
        reopened.close()


def test_every_write_is_stamped_with_a_newer_clock(pole_store):
    with pole_store.transaction() as session:
        session.add(Partner(name="Garage Leclerc", commune="Nancy"))
    with pole_store.session() as session:
        first = session.scalars(select(Partner)).one().hlc
    with pole_store.transaction() as session:
        session.scalars(select(Partner)).one().deleted_at = db.utcnow()   # a tombstone is a write too
    with pole_store.session() as session:
        partner = session.scalars(select(Partner)).one()
        assert Hlc.decode(partner.hlc) > Hlc.decode(first)
        assert settings.get(session, settings.CLOCK_LAST) == partner.hlc


def test_the_clock_survives_reopening(pole_store):
    with pole_store.transaction() as session:
        session.add(Partner(name="Mairie de Laxou", commune="Laxou"))
    last = pole_store.clock.last
    folder = pole_store.folder
    pole_store.close()
    reopened = db.open_store(folder)
    try:
        assert reopened.clock.last == last
        assert reopened.clock.tick() > last
    finally:
        reopened.close()


def test_a_failed_transaction_writes_nothing(pole_store):
    with pytest.raises(RuntimeError), pole_store.transaction() as session:
        session.add(Partner(name="Fantôme"))
        session.flush()
        raise RuntimeError("boom")
    with pole_store.session() as session:
        assert session.scalars(select(Partner)).all() == []


def test_a_write_before_set_up_is_refused(empty_store):
    with pytest.raises(db.StoreError, match="pas encore configuré"), empty_store.transaction() as session:
        session.add(Partner(name="Sans pôle"))


def test_the_migration_creates_the_schema_of_the_models(empty_store, tmp_path):
    def ours(_object, name, type_, _reflected, _compare_to) -> bool:
        return not (type_ == "table" and name in fulltext.FTS_TABLES)

    with empty_store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": ours})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
    reference = create_engine(f"sqlite:///{tmp_path / 'reference.sqlite'}")
    Base.metadata.create_all(reference)

    def schema(engine) -> dict[str, list[tuple]]:
        with engine.connect() as connection:
            tables = [row[0] for row in connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='table' AND name != 'alembic_version' "
                "AND name NOT LIKE 'partner_fts%' ORDER BY name")]
            # name -> (type, not null, default, primary key): a column added by a later revision comes last.
            return {t: sorted((c[1], c[2], c[3], c[4], c[5])
                              for c in connection.exec_driver_sql(f"PRAGMA table_info('{t}')")) for t in tables}

    assert schema(empty_store.engine) == schema(reference)


def test_the_store_opens_in_wal_with_foreign_keys(empty_store):
    with empty_store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2   # FULL


def test_a_newer_store_is_refused_and_left_byte_identical(pole_store):
    folder, file = pole_store.folder, pole_store.file
    pole_store.close()
    connection = sqlite3.connect(file)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    before = sha256(file)
    with pytest.raises(db.StoreError, match="version plus récente de PoleDesk"):
        db.open_store(folder)
    assert sha256(file) == before


def test_a_file_that_is_not_a_store_is_refused_untouched(tmp_path):
    folder = tmp_path / "autre"
    folder.mkdir()
    file = paths.store_file(folder)
    file.write_text("Nom;SIRET\nGarage;123\n", encoding="utf-8")
    before = sha256(file)
    with pytest.raises(db.StoreError, match="n'est pas une base PoleDesk"):
        db.open_store(folder)
    assert sha256(file) == before


def test_another_applications_database_is_refused_untouched(tmp_path):
    folder = tmp_path / "autre"
    folder.mkdir()
    file = paths.store_file(folder)
    connection = sqlite3.connect(file)
    connection.execute("CREATE TABLE contacts (name TEXT)")
    connection.commit()
    connection.close()
    before = sha256(file)
    with pytest.raises(db.StoreError, match="pas une base PoleDesk"):
        db.open_store(folder)
    assert sha256(file) == before


def corrupt(file: Path) -> None:
    data = bytearray(file.read_bytes())
    for offset in range(4096 + 20, min(len(data), 4096 * 6), 7):  # scribble over b-tree pages, keep the header
        data[offset] = 0xA5
    file.write_bytes(bytes(data))


def test_check_reports_a_corrupted_file(pole_store):
    with pole_store.transaction() as session:
        build_graph(session)
    assert db.check_store(pole_store.file) == []
    pole_store.close()
    corrupt(pole_store.file)
    problems = db.check_store(pole_store.file)
    assert problems and all(isinstance(p, str) for p in problems)


def test_an_unwritable_data_folder_is_reported(tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    with pytest.raises(db.StoreError, match="pas accessible en écriture"):
        db.open_store(blocker / "donnees")


def test_backups_use_the_backup_api_and_keep_the_last_ten(pole_store):
    with pole_store.transaction() as session:
        session.add(Partner(name="Écrit juste avant la copie", commune="Toul"))   # still in the WAL
    copies = [pole_store.backup("test") for _ in range(12)]
    kept = db.list_backups(pole_store.folder)
    assert len(kept) == db.BACKUPS_KEPT
    assert copies[-1] in kept and copies[0] not in kept
    connection = sqlite3.connect(copies[-1])
    try:
        assert connection.execute("SELECT name FROM partner").fetchall() == [("Écrit juste avant la copie",)]
    finally:
        connection.close()


def test_the_daily_backup_is_taken_once_a_day(pole_store):
    assert db.backup_if_none_today(pole_store) is not None
    assert db.backup_if_none_today(pole_store) is None
    assert len(db.list_backups(pole_store.folder)) == 1


def test_init_refuses_a_store_already_set_up(pole_store):
    with pytest.raises(identity.IdentityError, match="déjà configuré"), pole_store.transaction() as session:
        identity.init_coordinator(session, "Nancy-Metz")
    with pole_store.session() as session:
        assert identity.current_identity(session).code == "NM-07"


KILLED_WRITER = """
import os, signal, sys
from poledesk.data import db
connection = db.raw_connect(sys.argv[1], None)
connection.execute("PRAGMA journal_mode=DELETE")
connection.execute("PRAGMA cache_size=5")   # the change spills into the file: its journal is hot
connection.execute("UPDATE bulk SET x = x || 'y'")
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="kill -9 is a POSIX signal")
def test_a_store_killed_in_the_middle_of_a_write_is_checked_as_it_was_before(tmp_path):
    """A read-only connection cannot roll back a hot journal; the check rolls it back and reads the store whole."""
    file = tmp_path / "base.db"
    connection = sqlite3.connect(file)
    connection.execute("CREATE TABLE bulk (x TEXT)")
    connection.executemany("INSERT INTO bulk VALUES (?)", [("x" * 500,)] * 3000)
    connection.commit()
    connection.close()
    subprocess.run([sys.executable, "-c", KILLED_WRITER, str(file)], check=False)
    assert file.with_name("base.db-journal").stat().st_size > 0   # the kill left the write half-done
    assert db.check_store(file) == []
    look = db.look_connect(file, None)
    try:
        assert look.execute("SELECT count(*), max(x) FROM bulk").fetchone() == (3000, "x" * 500)
    finally:
        look.close()
