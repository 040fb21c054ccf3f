"""Conventions as a school checks them: parties, articles, timetable, signatures, refusals, batch, CLI."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from poledesk.cli import main
from poledesk.data.conventions.document import ConventionDocument, convention_document
from poledesk.data.conventions.rules import hours_text, presence_minutes
from poledesk.data.enums import Audience
from poledesk.data.models import Contact, Partner, Placement
from poledesk.data.placements.form import WEEKDAYS
from poledesk.data.progress import Cancelled
from poledesk.data.text import format_date
from poledesk.reports.convention_articles import ArticlesError, load_articles
from poledesk.reports.convention_files import BlockingFindings, convention_pdf, render_conventions
from poledesk.reports.conventions import render_convention

TODAY = date(2026, 9, 1)
LONG_NAME = ("Société coopérative d'intérêt collectif des métiers de l'œuvre, de l'ébénisterie et de la "
             "restauration du patrimoine bâti")[:120]
LONG_ADDRESS = ("Zone d'activités économiques intercommunale « Les Grands Prés », bâtiment É, escalier 3, "
                "4e étage, porte 412, 1234 avenue du Général-de-Lattre-de-Tassigny prolongée, "
                "lieu-dit Les Œillets")[:200]


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text, with the no-break spaces and typographic apostrophes of French print made plain."""
    reader = PdfReader(io.BytesIO(data))
    return [" ".join(page.extract_text().replace("\u00a0", " ").replace("\u2019", "'").split())
            for page in reader.pages]


def squeezed(text: str) -> str:
    """Text without any whitespace, to find a value that wrapped over two lines."""
    return "".join(text.replace("\u00a0", " ").replace("\u2019", "'").split())


def first_placement(store, audience: Audience, *, minor: bool) -> ConventionDocument:
    with store.session() as session:
        for placement_id in session.scalars(select(Placement.id).where(Placement.audience == audience)
                                            .order_by(Placement.id)):
            document = convention_document(session, placement_id, today=TODAY)
            if document.pupil.minor == minor and not document.blocking:
                return document
    raise AssertionError(f"no {audience} placement with minor={minor} in the demo store")


def qpdf_check(data: bytes, tmp_path: Path) -> None:
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf n'est pas installé")
    file = tmp_path / "check.pdf"
    file.write_bytes(data)
    result = subprocess.run(["qpdf", "--check", str(file)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pfmp_convention_of_a_minor_prints_every_mention_a_school_checks(store, tmp_path):
    document = first_placement(store, Audience.PFMP_BACPRO, minor=True)
    data = render_convention(document)
    pages = pdf_pages(data)
    text = " ".join(pages)
    assert "Convention relative à la période de formation en milieu professionnel" in text
    assert document.pupil.last_name.upper() in text and document.pupil.first_name in text
    assert document.host.name in text
    assert document.host.siret and document.host.siret in text      # formatted: '732 829 320 00074'
    assert f"UAI {document.school.uai}" in text or document.school.uai in text
    assert format_date(document.pupil.birth_date) in text
    assert f"du {format_date(document.start_date)} au {format_date(document.end_date)}" in text
    assert document.host.activity in text and document.host.insurer in text
    for slot in document.timetable:
        assert f"{WEEKDAYS[slot.weekday]} " in text
        assert hours_text(presence_minutes(slot)) in text
    assert f"Total hebdomadaire {hours_text(document.weekly_minutes)}" in text
    assert "Son représentant légal (élève mineur)" in text and "Le représentant légal de l'élève" in text
    signatures = " ".join(pages[-2:])
    for name in (document.school.head_name, document.host.representative_name, document.pupil.name,
                 document.pupil.representative_name, document.referent.name, document.tutor.name):
        assert name in signatures
    assert text.count("Lu et approuvé") == 6
    assert f"page 1 / {len(pages)}" in pages[0] and f"page {len(pages)} / {len(pages)}" in pages[-1]
    assert document.pole_name in pages[0] and document.school.name in pages[-1]
    assert "Annexe pédagogique" in text and "Annexe financière" in text and "Gratification" in text
    qpdf_check(data, tmp_path)


def test_an_adult_has_no_legal_representative_block(store, tmp_path):
    document = first_placement(store, Audience.PFMP_BACPRO, minor=False)
    data = render_convention(document)
    text = " ".join(pdf_pages(data))
    assert "représentant légal (élève mineur)" not in text
    assert "Le représentant légal de l'élève" not in text
    assert text.count("Lu et approuvé") == 5
    qpdf_check(data, tmp_path)


@pytest.mark.parametrize("audience", [Audience.OBSERVATION_4E_3E, Audience.SECONDE_GT])
def test_observation_template_differs_from_pfmp(store, tmp_path, audience):
    document = first_placement(store, audience, minor=True)
    data = render_convention(document)
    text = " ".join(pdf_pages(data))
    assert "Convention relative à la séquence d'observation en milieu professionnel" in text
    assert "période de formation en milieu professionnel" not in text
    assert "Activités de l'élève" in text and "Il ne peut accéder aux machines" in text
    assert "Absence de rémunération, gratification" not in text
    assert "Le professeur référent" in text
    marker = "circulaire du 12 juillet 2024" if audience is Audience.OBSERVATION_4E_3E else "29 novembre 2023"
    assert marker in text
    qpdf_check(data, tmp_path)


def test_long_names_and_addresses_wrap_inside_the_page(store, tmp_path):
    document = first_placement(store, Audience.PFMP_CAP, minor=True)
    with store.transaction() as session:
        placement = session.get(Placement, document.placement_id)
        partner = session.get(Partner, placement.partner_id)
        partner.name, partner.address = LONG_NAME, LONG_ADDRESS
        partner.representative_name = "Marie-Bénédicte d'Aubigné-Châteaubriand de La Tour-d'Auvergne-Lauraguais"
        placement.site_address = LONG_ADDRESS
        tutor = session.get(Contact, placement.tutor_id)
        tutor.last_name = "Ngô-Đình-Phạm de L'Œillet-Saint-Éloi-sur-Moselle et Kœnigsberg-Strauß"
    with store.session() as session:
        data = convention_pdf(session, document.placement_id, today=TODAY)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) <= 8
    whole = squeezed(" ".join(page.extract_text() for page in reader.pages))
    assert squeezed(LONG_NAME) in whole and squeezed(LONG_ADDRESS) in whole
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        for x, y, text in _positions(page):
            assert -1 <= x <= width - 20 and -1 <= y <= height, f"« {text} » drawn at ({x:.0f}, {y:.0f})"
    (tmp_path / "long.pdf").write_bytes(data)   # kept for a look: pdftoppm -png -r 60 long.pdf page
    qpdf_check(data, tmp_path)


def _positions(page) -> list[tuple[float, float, str]]:
    found: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, text))

    page.extract_text(visitor_text=visit)
    return found


def test_a_blocking_finding_refuses_the_convention_and_names_the_field(store):
    document = first_placement(store, Audience.PFMP_BACPRO, minor=True)
    with store.transaction() as session:
        session.get(Placement, document.placement_id).tutor_id = None
    with store.session() as session, pytest.raises(BlockingFindings) as refusal:
        convention_pdf(session, document.placement_id, today=TODAY)
    assert [f.field for f in refusal.value.findings] == ["tutor"]
    assert "Tuteur" in str(refusal.value) and str(refusal.value).startswith("Convention refusée : 1 point bloquant")


def run_cli(folder: Path, *argv: str) -> int:
    """`poledesk convention …` as the command line runs it, the CLI's one error handler included."""
    return main(["--data-dir", str(folder), "convention", *argv])


def test_cli_writes_the_convention_and_refuses_with_exit_2(store, tmp_path, capsys):
    document = first_placement(store, Audience.OBSERVATION_4E_3E, minor=True)
    out = tmp_path / "sortie" / "convention.pdf"
    assert run_cli(store.folder, str(document.placement_id), "--out", str(out)) == 0
    assert "Convention écrite" in capsys.readouterr().out
    assert document.pupil.last_name.upper() in " ".join(pdf_pages(out.read_bytes()))
    with store.transaction() as session:
        session.get(Placement, document.placement_id).referent_teacher_name = ""
    refused = tmp_path / "refusee.pdf"
    assert run_cli(store.folder, str(document.placement_id), "--out", str(refused)) == 2
    err = capsys.readouterr().err
    assert "Enseignant référent" in err and "Rien n'a été écrit" in err
    assert not refused.exists()
    assert run_cli(store.folder, "999999", "--out", str(refused)) == 1
    assert "Aucun stage n° 999999" in capsys.readouterr().err
    assert not refused.exists()


def test_batch_writes_one_pdf_per_placement_and_reports_refusals(store, tmp_path):
    ids = _five_ids(store)
    with store.transaction() as session:
        session.get(Placement, ids[1]).tutor_id = None
    calls = []
    result = render_conventions(store, ids + [999999], tmp_path / "lot", today=TODAY,
                                progress=lambda done, total, label: calls.append((done, total)))
    assert [item.status for item in result.items] == ["saved", "refused", "saved", "saved", "saved", "refused"]
    assert "Tuteur" in result.refused[0].reason and "Aucun stage" in result.refused[1].reason
    files = sorted((tmp_path / "lot").iterdir())
    assert [f.name for f in files] == sorted(item.file.name for item in result.saved)
    assert all(f.name.startswith("convention-") and f.suffix == ".pdf" for f in files)
    assert calls[0] == (0, 6) and calls[-1] == (6, 6)
    assert result.describe().startswith("4 conventions enregistrées")


def test_a_cancelled_batch_leaves_no_file(store, tmp_path):
    out = tmp_path / "lot"

    def cancel_after_two(done: int, _total: int, _label: str) -> None:
        if done == 2:
            raise Cancelled

    with pytest.raises(Cancelled):
        render_conventions(store, _five_ids(store), out, today=TODAY, progress=cancel_after_two)
    assert list(out.iterdir()) == []


def _five_ids(store) -> list[int]:
    with store.session() as session:
        return [convention_document(session, i, today=TODAY).placement_id for i in
                session.scalars(select(Placement.id).where(Placement.audience == Audience.PFMP_CAP)
                                .order_by(Placement.id)).all()[:5]]


def test_an_academie_adjusts_the_articles_with_a_file_in_the_data_folder(store, tmp_path):
    folder = store.folder
    (folder / "conventions").mkdir()
    (folder / "conventions" / "articles.toml").write_text(
        '[pfmp]\n[[pfmp.articles]]\nid = "confidentialite"\nomit = true\n'
        '[[pfmp.articles]]\nid = "tenue"\nafter = "statut"\ntitle = "Tenue de travail"\n'
        'text = "La tenue est fournie par l\'académie de Nancy-Metz."\n', encoding="utf-8")
    document = first_placement(store, Audience.PFMP_BACPRO, minor=True)
    with store.session() as session:
        text = " ".join(pdf_pages(convention_pdf(session, document.placement_id, today=TODAY)))
    assert "Article 4 – Tenue de travail" in text and "fournie par l'académie de Nancy-Metz" in text
    assert "Confidentialité" not in text
    assert "Confidentialité" in " ".join(pdf_pages(render_convention(document)))   # the shipped text otherwise
    (folder / "conventions" / "articles.toml").write_text("[pfmp\n", encoding="utf-8")
    with pytest.raises(ArticlesError, match="illisible"):
        load_articles(folder)
