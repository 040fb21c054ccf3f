"""The attestation de stage (D124-9) and the avenant, read back from the PDF."""

from __future__ import annotations

import argparse
import io
import json
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from poledesk.commands.conventions import register
from poledesk.data.conventions.document import convention_document
from poledesk.data.conventions.rules import hours_text
from poledesk.data.enums import Audience
from poledesk.data.models import Amendment, Placement
from poledesk.data.text import format_date
from poledesk.data.validation import ValidationError
from poledesk.reports.convention_files import amendment_pdf
from poledesk.reports.conventions import render_amendment, render_attestation

TODAY = date(2026, 9, 1)


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.replace("\u00a0", " ").replace("\u2019", "'").split())


def document_of(store, audience: Audience):
    with store.session() as session:
        placement_id = session.scalars(select(Placement.id).where(Placement.audience == audience)
                                       .order_by(Placement.id)).first()
        return convention_document(session, placement_id, today=TODAY)


def test_attestation_names_pupil_host_dates_duration_and_the_host_signs(store):
    document = document_of(store, Audience.PFMP_BACPRO)
    pages, text = pdf_text(render_attestation(document))
    assert pages == 1
    assert "Attestation de stage" in text and "article D. 124-9" in text
    assert document.pupil.last_name.upper() in text and format_date(document.pupil.birth_date) in text
    assert document.host.name in text and document.host.siret in text
    assert f"du {format_date(document.start_date)} au {format_date(document.end_date)}" in text
    assert f"{document.days} jours de présence, soit {hours_text(document.total_minutes)}" in text
    assert document.activities in text
    assert "Gratification" in text and "Signature et cachet de l'organisme d'accueil" in text
    assert document.host.representative_name in text and "page 1 / 1" in text
    assert "Lu et approuvé" not in text


def test_observation_attestation_is_an_attestation_de_presence_without_gratification(store):
    document = document_of(store, Audience.OBSERVATION_4E_3E)
    _, text = pdf_text(render_attestation(document))
    assert "Attestation de présence" in text and "séquence d'observation" in text
    assert "Sans objet (séquence d'observation)" in text and "D. 124-9" not in text


def test_amendment_lists_before_and_after_for_the_same_signatories(store):
    with store.session() as session:
        placement_id = session.scalars(select(Amendment.placement_id)).first()
        document = convention_document(session, placement_id, today=TODAY)
    amendment = document.amendments[0]
    pages, text = pdf_text(render_amendment(document, amendment))
    assert pages == 1
    assert f"Avenant n° {amendment.number} à la convention n° {document.reference}" in text
    change = amendment.changes[0]
    assert change.label == "Date de fin"
    assert f"Date de fin {change.before} {change.after}" in text
    assert amendment.reason in text
    for name in (document.school.head_name, document.host.representative_name, document.pupil.name,
                 document.referent.name, document.tutor.name):
        assert name in text
    signatories = 6 if document.pupil.minor else 5
    assert text.count("Lu et approuvé") == signatories


def test_amendment_of_timetable_and_tutor_reads_in_words(store):
    document = document_of(store, Audience.PFMP_CAP)
    changes = {"timetable": [[{"weekday": 0, "start": "08:00:00", "end": "16:00:00", "break_start": "12:00:00",
                               "break_end": "13:00:00"}], [{"weekday": 0, "start": "09:00:00", "end": "17:00:00"}]],
               "tutor_id": [document_tutor_id(store, document.placement_id), None],
               "start_date": ["2027-01-04", "2027-01-11"]}
    with store.transaction() as session:
        session.add(Amendment(placement_id=document.placement_id, number=2, created_on=TODAY,
                              reason="Changement d'horaires.", changes=json.dumps(changes)))
    with store.session() as session:
        _, text = pdf_text(amendment_pdf(session, document.placement_id, 2, today=TODAY))
        with pytest.raises(ValidationError, match="pas d'avenant n° 7"):
            amendment_pdf(session, document.placement_id, 7, today=TODAY)
    assert "Lundi 8 h – 16 h (pause 12 h – 13 h)" in text and "Lundi 9 h – 17 h" in text
    assert f"Tuteur {document.tutor.name} À désigner" in text   # as the amendment form says it
    assert "Date de début 04/01/2027 11/01/2027" in text


def document_tutor_id(store, placement_id: int) -> int:
    with store.session() as session:
        return session.get(Placement, placement_id).tutor_id


def test_cli_writes_attestation_and_avenant(store, tmp_path, capsys):
    with store.session() as session:
        placement_id = session.scalars(select(Amendment.placement_id)).first()
    for extra, title in ((["--attestation"], "Attestation de stage"), (["--avenant", "1"], "Avenant n° 1")):
        parser = argparse.ArgumentParser()
        register(parser.add_subparsers(dest="command"))
        out = tmp_path / f"{extra[0]}.pdf"
        args = parser.parse_args(["convention", str(placement_id), "--out", str(out), *extra])
        assert args.handler(args, store.folder) == 0
        assert title in capsys.readouterr().out
        assert title in pdf_text(out.read_bytes())[1]
