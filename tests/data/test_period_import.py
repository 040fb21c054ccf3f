"""Importing periods from a sheet: good rows written, bad rows reported one by one, nothing half-imported."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from poledesk.data.enums import Audience, EstablishmentKind
from poledesk.data.models import Establishment, Formation
from poledesk.data.planning import periods
from poledesk.data.planning.period_import import import_periods

HEADERS = ("UAI", "Formation", "Classe", "Date de début", "Date de fin", "Nombre d'élèves")
GOOD = (("0540042C", "BP-MCV", "1MCV A", date(2026, 11, 16), date(2026, 12, 11), 24),
        ("0540042c", "Bac pro Métiers du commerce et de la vente", "TMCV", "05/01/2027", "29/01/2027", 22))
BAD = (("0541234Y", "BP-MCV", "1MCV B", date(2026, 11, 16), date(2026, 12, 11), 20),   # unknown UAI (valid key)
       ("0540042C", "BP-MCV", "2MCV", date(2027, 2, 5), date(2027, 1, 11), 20),       # end before start
       ("0540042C", "BP-MCV", "été", date(2027, 8, 16), date(2027, 9, 10), 10),        # across 31 August
       ("0540042C", "BP-MCV", "vide", date(2027, 3, 1), date(2027, 3, 19), 0))         # no pupil


@pytest.fixture
def school(pole_store):
    with pole_store.transaction() as session:
        session.add_all([Formation(code="BP-MCV", label="Bac pro Métiers du commerce et de la vente",
                                   audience=Audience.PFMP_BACPRO),
                         Establishment(uai="0540042C", name="LP Jean-Prouvé", kind=EstablishmentKind.LP)])
    return pole_store


def workbook(path, rows) -> str:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return str(path)


def test_good_rows_are_imported_with_the_formation_found_by_code_or_label(school, tmp_path):
    outcome = import_periods(school, workbook(tmp_path / "periodes.xlsx", GOOD))
    assert outcome.written and outcome.summary.created == 2
    with school.session() as session:
        rows = periods.list_periods(session, school_year="2026-2027")
    assert [(r.division, r.start_date, r.pupils, r.audience, r.source) for r in rows] == [
        ("1MCV A", date(2026, 11, 16), 24, Audience.PFMP_BACPRO, "imported"),
        ("TMCV", date(2027, 1, 5), 22, Audience.PFMP_BACPRO, "imported")]


def test_bad_rows_are_reported_row_by_row_and_nothing_is_written(school, tmp_path):
    outcome = import_periods(school, workbook(tmp_path / "periodes.xlsx", GOOD + BAD))
    assert not outcome.written
    lines = outcome.plan.report_lines()
    assert len(lines) == 4
    assert lines[0].startswith("ligne 4, colonne « UAI » : UAI inconnu")
    assert lines[1].startswith("ligne 5, colonne « Date de fin » : La fin (11/01/2027) précède le début")
    assert lines[2].startswith("ligne 6, colonne « Date de fin » : La période doit tenir dans une année scolaire")
    assert lines[3] == "ligne 7, colonne « Nombre d'élèves » : Le nombre d'élèves doit être d'au moins 1."
    with school.session() as session:
        assert periods.list_periods(session) == []
    kept = import_periods(school, workbook(tmp_path / "p2.xlsx", GOOD + BAD), include_valid_when_rejected=True)
    assert kept.summary.created == 2 and kept.summary.rejected == 4
