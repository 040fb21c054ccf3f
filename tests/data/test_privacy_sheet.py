"""The privacy sheet for the DPO: counts that match the store, purge dates, backups, encryption; CLI and PDF."""

from __future__ import annotations

from datetime import date

from pypdf import PdfReader
from sqlalchemy import func, select

from poledesk.cli import EXIT_OK, main
from poledesk.data import privacy, purge
from poledesk.data.models import Contact, Pupil


def test_the_report_counts_what_the_store_holds(store):
    store.backup("manuelle")
    with store.session() as session:
        report = privacy.privacy_report(session, store.folder, encrypted=False, today=date.today())
        pupils = session.scalar(select(func.count()).select_from(Pupil))
        contacts = session.scalar(select(func.count()).select_from(Contact).where(Contact.deleted_at.is_(None)))
        plan = purge.plan_purge(session, date.today())
    assert report.identified_pupils == pupils and report.contacts == contacts and report.anonymised_pupils == 0
    assert 0 < report.minors < pupils
    assert sum(g.pupils for g in report.groups) + report.pupils_with_open_periods == pupils
    assert any(g.pupils == len(plan.due) and g.purge_on == date.today() for g in report.groups)
    assert report.backups == 1 and report.backups_encrypted == 0 and not report.encrypted
    assert report.oldest_pupil_record is not None and report.oldest_pupil_record < date.today()
    assert "Chiffrement : NON : la base est en clair" in report.lines()


def test_the_command_prints_it_and_writes_the_pdf(store, tmp_path, capsys):
    folder = store.folder
    store.close()
    assert main(["--data-dir", str(folder), "privacy", "--pdf", str(tmp_path / "fiche.pdf")]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Élèves identifiés : " in out and "Sauvegardes : " in out
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "fiche.pdf").pages)
    assert "Fiche de protection des données" in text and "Calendrier d’anonymisation" in text
    assert "représentant légal" in text
