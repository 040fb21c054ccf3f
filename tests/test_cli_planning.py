"""`poledesk planning`: the calendar written as .xlsx or .pdf, the weeks in tension printed, refusals in French."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from poledesk.cli import EXIT_ERROR, EXIT_OK, main
from poledesk.data.enums import Audience, EstablishmentKind, PartnerStatus
from poledesk.data.models import Establishment, Formation, HostingOffer, Partner
from poledesk.data.planning import periods
from protect_support import open_unlocked, use_passphrase


@pytest.fixture(autouse=True)
def passphrase(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passphrase(monkeypatch)
    monkeypatch.chdir(tmp_path)   # where the recovery sheet is written by default


@pytest.fixture
def folder(tmp_path: Path, capsys) -> Path:
    """A pole whose bakery offers 2 places all year, and 5 pupils out from 23/11 to 04/12/2026."""
    data = tmp_path / "donnees"
    assert main(["--data-dir", str(data), "init", "pole", "NM-07", "--name", "Pôle de stages de Nancy",
                 "--bassin", "Nancy", "--academie", "Nancy-Metz"]) == EXIT_OK
    store = open_unlocked(data)
    try:
        with store.transaction() as session:
            lp = Establishment(uai="0540042C", name="LP Jean-Prouvé", kind=EstablishmentKind.LP, postcode="54000")
            commerce = Formation(code="BP-MCV", label="Bac pro commerce", audience=Audience.PFMP_BACPRO)
            bakery = Partner(name="Boulangerie Lefèvre", naf_code="47.24Z", status=PartnerStatus.ACTIVE)
            session.add_all([lp, commerce, bakery])
            session.flush()
            session.add(HostingOffer(partner_id=bakery.id, audience=Audience.PFMP_BACPRO, places=2, months=""))
            periods.save_period(session, periods.PeriodForm(lp.id, None, date(2026, 11, 23), date(2026, 12, 4), 5,
                                                            formation_id=commerce.id, division="1MCV"))
    finally:
        store.close()
    capsys.readouterr()
    return data


def test_the_workbook_is_written_and_the_weeks_in_tension_printed(folder, tmp_path, capsys):
    out = tmp_path / "calendrier.xlsx"
    assert main(["--data-dir", str(folder), "planning", "--year", "2026-2027", "--out", str(out)]) == EXIT_OK
    printed = capsys.readouterr().out
    assert f"Calendrier 2026-2027 écrit : {out} (1 lignes, 44 semaines)." in printed
    assert "Semaines en tension (2) :" in printed
    assert "semaine du 23/11/2026 – PFMP – Bac pro : 5 élèves pour 2 places" in printed
    assert "semaine du 30/11/2026 – PFMP – Bac pro : 5 élèves pour 2 places" in printed
    book = openpyxl.load_workbook(out)
    tensions = [[c.value for c in row] for row in book["Semaines en tension"].iter_rows(min_row=2)]
    assert [(row[0].date(), row[2], row[3]) for row in tensions] == [(date(2026, 11, 23), 5, 2),
                                                                     (date(2026, 11, 30), 5, 2)]


def test_the_pdf_by_formation(folder, tmp_path, capsys):
    out = tmp_path / "calendrier.pdf"
    assert main(["--data-dir", str(folder), "planning", "--year", "2026-2027", "--out", str(out),
                 "--group", "formation"]) == EXIT_OK
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Bac pro commerce" in text and "Semaines en tension (2)" in text
    assert PdfReader(out).pages[0].mediabox.width > PdfReader(out).pages[0].mediabox.height   # landscape


def test_another_year_has_no_tension(folder, tmp_path, capsys):
    out = tmp_path / "calendrier.xlsx"
    assert main(["--data-dir", str(folder), "planning", "--year", "2027-2028", "--out", str(out)]) == EXIT_OK
    assert "Aucune semaine en tension" in capsys.readouterr().out


@pytest.mark.parametrize(("year", "name", "said"), [
    ("2026-2028", "calendrier.xlsx", "Année scolaire « 2026-2028 » illisible"),
    ("2026-2027", "calendrier.docx", "Le fichier doit finir par .xlsx (classeur) ou .pdf"),
])
def test_a_bad_year_or_file_is_refused_and_nothing_written(folder, tmp_path, capsys, year, name, said):
    out = tmp_path / name
    assert main(["--data-dir", str(folder), "planning", "--year", year, "--out", str(out)]) == EXIT_ERROR
    assert said in capsys.readouterr().err
    assert not out.exists()
