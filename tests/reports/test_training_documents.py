"""Tutor training documents read back: the attendance sheet, the attestations, the invitation list; the CLI."""

from __future__ import annotations

import csv
import io
from datetime import date, time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from poledesk.cli import main
from poledesk.data.models import Contact
from poledesk.data.text import format_date
from poledesk.data.trainings import edits as training_edits
from poledesk.data.trainings import listing as trainings
from poledesk.data.trainings.edits import SessionForm
from poledesk.reports import trainings as documents


def pages_text(data: bytes | Path) -> list[str]:
    reader = PdfReader(io.BytesIO(data) if isinstance(data, bytes) else data)
    # Whitespace as one space (lines wrap anywhere), and the apostrophe as typed (the text comes back as ’).
    return [" ".join(page.extract_text().replace("\u2019", "'").split()) for page in reader.pages]


def held_session(store) -> trainings.SessionDetail:
    with store.session() as session:
        row = max((r for r in trainings.list_sessions(session) if r.attended), key=lambda r: r.attended)
        return trainings.session_detail(session, row.id)


def big_session(store, people: int) -> int:
    """A session held today with `people` tutors of the demo registered, and all but the last one present."""
    today = date.today()
    with store.transaction() as session:
        session_id = training_edits.save_session(session, SessionForm(
            title="Grande réunion des tuteurs", session_date=today, start_time=time(14), end_time=time(17),
            place="Salle des fêtes de Laxou", theme="Tutorat", trainer="Claire Lefèvre", capacity=people))
        tutors = session.scalars(select(Contact.id).where(Contact.is_tutor.is_(True)).order_by(Contact.id)
                                 .limit(people)).all()
        assert len(training_edits.register(session, session_id, tutors).registered) == people
        for line in trainings.session_detail(session, session_id).registrations[:-1]:
            training_edits.set_attendance(session, line.id, True)
    return session_id


def document(store, session_id: int) -> documents.TrainingDocument:
    with store.session() as session:
        return documents.training_document(session, session_id)


def test_the_attendance_sheet_lists_every_registered_tutor_with_the_session(store):
    s = held_session(store)
    text = pages_text(documents.render_attendance_sheet(document(store, s.id)))
    listed = documents.attendance_lines(s)
    assert len(text) == documents.sheet_pages(len(listed)) == 1 + (len(listed) + documents.WALK_IN_ROWS > 15)
    whole = " ".join(text)
    for line in s.expected:
        assert f"{line.last_name.upper()} {line.first_name}" in whole
    for page, words in enumerate(text, start=1):
        assert "Feuille d'émargement" in words and format_date(s.session_date) in words
        assert " ".join(s.place.split()) in words and f"page {page} / {len(text)}" in words
        assert trainings.hours_text(s.start_time, s.end_time) in words
    assert document(store, s.id).pole_line in whole and "académie de" in whole
    waiting = [r for r in s.registrations if r.cancelled_on or r.waitlisted]
    assert not any(f"{r.last_name.upper()} {r.first_name}" in whole for r in waiting)


def test_the_invited_sign_too_marked_invite_and_blank_lines_wait_for_walk_ins(store):
    today = date.today()
    with store.transaction() as session:
        session_id = training_edits.save_session(session, SessionForm(
            title="Accueillir un collégien", session_date=today, start_time=time(9), end_time=time(12),
            place="CCI de Nancy", theme="Tutorat", trainer="Claire Lefèvre", capacity=20))
        tutors = session.scalars(select(Contact.id).where(Contact.is_tutor.is_(True)).order_by(Contact.id)
                                 .limit(14)).all()
        training_edits.register(session, session_id, tutors[:10])
        training_edits.invite(session, session_id, tutors[10:])
    doc = document(store, session_id)
    listed = documents.attendance_lines(doc.session)
    assert len(listed) == 14 and documents.sheet_pages(14) == 2     # 14 named rows and 5 blank ones
    text = pages_text(documents.render_attendance_sheet(doc))
    assert len(text) == 2
    whole = " ".join(text)
    invited = [r for r in listed if r.is_invited_only]
    assert len(invited) == 4
    for line in invited:
        assert f"{line.last_name.upper()} {line.first_name}" in whole
        assert f"{' '.join(line.partner.split())[:12]}" in whole
    assert whole.count("(invité)") == 4
    assert "10 inscrits, 4 invités sans réponse (capacité : 20 places)" in text[0]
    assert documents.sheet_pages(10) == 1 and documents.sheet_pages(11) == 2   # never fewer than 5 blank rows


def test_forty_registered_take_three_pages_of_fifteen_rows(store):
    session_id = big_session(store, 40)
    doc = document(store, session_id)
    text = pages_text(documents.render_attendance_sheet(doc))
    assert len(text) == 3
    names = [f"{r.last_name.upper()} {r.first_name}" for r in doc.session.expected]
    assert len(names) == 40
    for page, chunk in enumerate((names[:15], names[15:30], names[30:])):
        assert all(name in text[page] for name in chunk), page
    assert "Salle des fêtes de Laxou" in text[2] and format_date(date.today()) in text[2]
    assert "Signature" in text[0] and "matin" not in text[0]        # an afternoon: one signature column


def test_the_attestations_one_page_per_attendee_signed_by_the_animateur(store):
    session_id = big_session(store, 6)
    doc = document(store, session_id)
    text = pages_text(documents.render_attestations(doc, issued_on=date(2027, 1, 20)))
    attendees = doc.session.attendees
    assert len(text) == len(attendees) == 5
    for words, line in zip(text, attendees, strict=True):
        assert "Attestation de formation" in words and line.contact in words
        assert format_date(date.today()) in words and "Salle des fêtes de Laxou" in words
        assert "« Grande réunion des tuteurs »" in words and "Fait à Nancy, le 20/01/2027." in words
        assert f"{doc.pole.animator}, qui assure l'animation du" in words and "L'animateur ou l'animatrice du pôle" in words
    absent = next(r for r in doc.session.registrations if not r.attended)
    assert not any(absent.contact in words for words in text)


def test_no_attestation_without_attendance(store):
    with store.session() as session:
        upcoming = next(r for r in trainings.list_sessions(session) if r.upcoming)
    with pytest.raises(documents.DocumentError, match="Aucune présence n'est saisie"):
        documents.render_attestations(document(store, upcoming.id))


def test_the_invitation_list_as_a_mail_merge_csv_and_a_workbook(store, tmp_path):
    with store.session() as session:
        upcoming = max((r for r in trainings.list_sessions(session) if r.upcoming), key=lambda r: r.waitlisted)
        s = trainings.session_detail(session, upcoming.id)
    invited = trainings.invited_lines(s)
    raw = documents.invitation_csv(s)
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["nom", "prénom", "courriel", "structure", "session", "date", "horaires", "lieu"]
    assert len(rows) == len(invited) + 1
    assert rows[1] == [invited[0].last_name, invited[0].first_name, invited[0].email, invited[0].partner, s.title,
                       format_date(s.session_date), trainings.hours_text(s.start_time, s.end_time), s.place]
    path = documents.write_document(tmp_path / "invites.xlsx", documents.invitation_xlsx(s))
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]][:6] == ["Nom", "Prénom", "Courriel", "Structure", "Fonction", "État"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:L{len(invited) + 1}"
    states = {sheet.cell(row, 6).value for row in range(2, sheet.max_row + 1)}
    assert states == {"Inscrit", "Invité", "Liste d'attente"}
    assert sheet.cell(2, 10).number_format == "DD/MM/YYYY"


# --- The command line ------------------------------------------------------------------------------------------

def run(folder: Path, *argv: str) -> int:
    """The command as `poledesk --data-dir FOLDER …` runs it, the CLI's one error handler included."""
    return main(["--data-dir", str(folder), *argv])


def test_cli_lists_the_sessions_as_a_french_table(store, capsys):
    assert run(store.folder, "trainings", "list") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:4] == ["N°", "Date", "Horaires", "Intitulé"]
    assert "12 sessions, dont" in out and "Annulée" in out and "Tenue" in out
    with store.session() as session:
        year = trainings.session_choices(session).school_years[-1]
        count = len(trainings.list_sessions(session, school_year=year))
    assert run(store.folder, "trainings", "list", "--annee", year) == 0
    assert f"{count} session" in capsys.readouterr().out


def test_cli_writes_the_sheet_and_the_attestations(store, tmp_path, capsys):
    session_id = big_session(store, 40)
    sheet = tmp_path / "emargement.pdf"
    assert run(store.folder, "trainings", "sheet", str(session_id), "--out", str(sheet)) == 0
    assert capsys.readouterr().out.strip() == f"Feuille d'émargement écrite : {sheet} (3 pages, 40 inscrits)."
    assert len(PdfReader(sheet).pages) == 3
    out = tmp_path / "attestations.pdf"
    assert run(store.folder, "trainings", "attestations", str(session_id), "--out", str(out)) == 0
    assert "39 attestations de formation écrites" in capsys.readouterr().out
    assert len(PdfReader(out).pages) == 39
    with store.session() as session:
        detail = trainings.session_detail(session, session_id)
    assert all(r.attestation_issued_on == date.today() for r in detail.attendees)
    csv_file = tmp_path / "invites.csv"
    assert run(store.folder, "trainings", "export", str(session_id), "--out", str(csv_file)) == 0
    assert csv_file.read_bytes().startswith("\ufeff".encode())


def test_cli_refusals_are_french_and_change_nothing(store, tmp_path, capsys):
    with store.session() as session:
        upcoming = next(r for r in trainings.list_sessions(session) if r.upcoming)
    assert run(store.folder, "trainings", "sheet", "9999", "--out", str(tmp_path / "x.pdf")) == 1
    assert "Cette session a été supprimée ou n'existe plus." in capsys.readouterr().err
    out = tmp_path / "a.pdf"
    assert run(store.folder, "trainings", "attestations", str(upcoming.id), "--out", str(out)) == 1
    assert "Aucune présence n'est saisie" in capsys.readouterr().err and not out.exists()
    assert run(store.folder, "trainings", "export", str(upcoming.id), "--out", str(tmp_path / "x.pdf")) == 1
    assert "doit finir par .xlsx" in capsys.readouterr().err
    assert run(tmp_path / "vide", "trainings", "list") == 2   # no store: refused, as every command refuses it
    assert "Aucune base PoleDesk" in capsys.readouterr().err
