"""The purge on schedule, with an injected clock: due, postponed (once, 30 days), done, nothing recoverable."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from poledesk.cli import EXIT_OK, EXIT_REFUSED, main
from poledesk.data import db, encryption, purge, settings
from poledesk.data.models import Contact, Escalation, Pupil
from poledesk.data.validation import ValidationError
from protect_support import PASSPHRASE

# The demo's pupils of 2025-2026 whose periods have all ended: last year's activity, and its closed cases.
DUE = 238

TODAY = date.today()


def identities(store: db.Store) -> dict[str, tuple[str, str]]:
    with store.session() as session:
        return {p: (first, last) for p, first, last in session.execute(
            select(Pupil.pseudonym, Pupil.first_name, Pupil.last_name))}


def test_purge_dates_follow_the_school_year_and_the_setting():
    assert purge.purge_date(date(2026, 3, 15), (10, 31)) == date(2026, 11, 1)
    assert purge.purge_date(date(2026, 8, 31), (10, 31)) == date(2026, 11, 1)
    assert purge.purge_date(date(2026, 9, 1), (10, 31)) == date(2027, 11, 1)
    assert purge.purge_date(date(2026, 3, 15), (1, 15)) == date(2027, 1, 16)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
       st.tuples(st.integers(1, 12), st.integers(1, 28)))
def test_a_pupil_is_never_purged_before_the_next_school_year(last_end, month_day):
    purge_on = purge.purge_date(last_end, month_day)
    start = int(purge.school_year_of(last_end)[:4])
    assert purge_on > date(start + 1, 8, 31)          # never inside the school year of the period
    assert purge_on <= date(start + 2, 9, 1)          # always within the following school year


def test_the_demo_always_has_last_years_closed_cases_due(store):
    with store.session() as session:
        plan = purge.plan_purge(session, TODAY)
    assert len(plan.due) == DUE and plan.is_due_now and plan.can_postpone
    assert len({c.school_year for c in plan.due}) == 1
    assert plan.lines()[0] == f"{DUE} élèves de {plan.due[0].school_year} seront anonymisés le {TODAY:%d/%m/%Y}."


def test_nothing_open_or_not_ended_is_purged(store):
    later = TODAY + timedelta(days=3 * 365)
    with store.session() as session:
        plan = purge.plan_purge(session, later)
        ids = {c.pupil_id for c in plan.due}
        open_pupils = set(session.scalars(select(Escalation.pupil_id).where(
            Escalation.status.in_(purge.OPEN_STATUSES))))
    assert ids and not ids & open_pupils


def test_postponed_once_by_at_most_30_days_then_due_again(store):
    with store.transaction() as session:
        with pytest.raises(ValidationError, match="30 jours au plus"):
            purge.postpone_purge(session, TODAY, TODAY + timedelta(days=31))
        with pytest.raises(ValidationError, match="après aujourd'hui"):
            purge.postpone_purge(session, TODAY, TODAY)
        purge.postpone_purge(session, TODAY, TODAY + timedelta(days=30))
    with store.transaction() as session, pytest.raises(ValidationError, match="déjà été reportée une fois"):
        purge.postpone_purge(session, TODAY, TODAY + timedelta(days=2))
    before = identities(store)
    assert purge.run_purge(store, TODAY).purged == 0          # postponed: nothing happens today
    assert identities(store) == before
    with store.session() as session:
        plan = purge.plan_purge(session, TODAY + timedelta(days=30))
        assert plan.is_due_now and not plan.can_postpone
        assert plan.lines()[0].endswith(f"le {TODAY + timedelta(days=30):%d/%m/%Y}.")
    result = purge.run_purge(store, TODAY + timedelta(days=30))
    assert result.purged == DUE
    with store.session() as session:
        assert settings.get(session, settings.PURGE_POSTPONED) == ""


def test_the_purge_erases_identities_keeps_counts_and_leaves_nothing_recoverable(store):
    with store.session() as session:
        plan = purge.plan_purge(session, TODAY)
        due = {c.pupil_id for c in plan.due}
        # first and last name are adjacent columns, so a row's bytes hold them side by side; phones are unique
        gone = [(f"{p.first_name}{p.last_name}".encode(), p.representative_phone.encode()) for p in
                session.scalars(select(Pupil).where(Pupil.id.in_(due)))]
        others = {f"{p.first_name}{p.last_name}".encode() for p in
                  session.scalars(select(Pupil).where(Pupil.id.not_in(due)))}   # demo names can repeat
        others |= {f"{c.first_name}{c.last_name}".encode() for c in session.scalars(select(Contact))}  # and contacts
        # a purged name inside a kept one ("NoémieGérard" in the contact "NoémieGérardin") is not a leak
        gone = [(name, phone) for name, phone in gone if not any(name in other for other in others)]
        assert gone and all(raw in _raw(store) for raw, _phone in gone)   # the check can fail: they are there
        kept = session.execute(select(func.count()).select_from(Escalation)).scalar()
        statuses = dict(session.execute(select(Escalation.pupil_id, Escalation.status)
                                        .where(Escalation.pupil_id.in_(due))).all())
    store.backup("manuelle")
    store.backup("quotidienne")
    result = purge.run_purge(store, TODAY)
    assert result.purged == DUE and result.backups_deleted == 2 and db.list_backups(store.folder) == []
    with store.session() as session:
        for pupil in session.scalars(select(Pupil).where(Pupil.id.in_(due))):
            assert (pupil.first_name, pupil.last_name, pupil.birth_date, pupil.representative_name,
                    pupil.representative_email, pupil.needs, pupil.class_name) == ("", "", None, "", "", "", "")
            assert pupil.purged_at is not None and pupil.age_band in {"<14", "14-15", "16-17", "18+"}
            assert pupil.establishment_id and pupil.formation_id
        assert session.execute(select(func.count()).select_from(Escalation)).scalar() == kept
        assert dict(session.execute(select(Escalation.pupil_id, Escalation.status)
                                    .where(Escalation.pupil_id.in_(due))).all()) == statuses
    store.close()
    raw = _raw(store)
    for name, phone in gone:
        assert name not in raw
        assert not phone or phone not in raw


def _raw(store: db.Store) -> bytes:
    return b"".join(p.read_bytes() for p in store.folder.rglob("*") if p.is_file() and "journaux" not in p.parts)


def test_a_full_disk_during_the_purge_changes_nothing(store, monkeypatch):
    before = identities(store)
    real = purge.anonymise

    def then_full(session, plan):
        real(session, plan)
        raise OperationalError("UPDATE pupil", {}, sqlcipher.OperationalError("database or disk is full"))

    monkeypatch.setattr(purge, "anonymise", then_full)
    with pytest.raises(db.StoreError, match="disque plein.*rien n'a été modifié"):
        purge.run_purge(store, TODAY)
    assert identities(store) == before


def test_an_encrypted_store_is_purged_and_its_backups_too(store):
    encryption.encrypt_in_place(store, PASSPHRASE, PASSPHRASE)
    assert purge.run_purge(store, TODAY).purged == DUE
    assert db.list_backups(store.folder) == []   # the one taken before the encryption held the identities


def test_purge_command_lists_then_purges(store, capsys):
    folder = store.folder
    store.close()
    assert main(["--data-dir", str(folder), "purge", "--dry-run"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith(f"{DUE} élèves de ") and "Fait" not in out
    assert main(["--data-dir", str(folder), "purge", "--postpone", "31/02/2027"]) == EXIT_REFUSED
    assert "Date invalide" in capsys.readouterr().err
    assert main(["--data-dir", str(folder), "purge"]) == EXIT_OK
    assert f"Fait : {DUE} élèves anonymisés" in capsys.readouterr().out
    assert main(["--data-dir", str(folder), "purge", "--dry-run"]) == EXIT_OK
    assert f"{DUE} élèves" not in capsys.readouterr().out
