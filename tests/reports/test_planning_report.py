"""The printed calendar: the workbook reopened (cells, colours, numbers, no live formula) and the PDF read back."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader

from poledesk.data.enums import Audience, EstablishmentKind, PartnerStatus
from poledesk.data.models import Establishment, Formation, HostingOffer, Partner
from poledesk.data.planning import periods, view
from poledesk.reports import planning as report

YEAR = "2026-2027"
HOSTILE = '=HYPERLINK("http://exemple.invalid/piege","Cliquez")'


@pytest.fixture
def calendar(pole_store):
    """A formation named as a formula; 5 pupils out 23/11 - 04/12/2026 for 3 November places and 2 all year."""
    with pole_store.transaction() as session:
        odd = Formation(code="X1", label=HOSTILE, audience=Audience.PFMP_BACPRO)
        lp = Establishment(uai="0540042C", name="LP Jean-Prouvé", kind=EstablishmentKind.LP, postcode="54000")
        shop = Partner(name="Supermarché du Port", naf_code="47.11D", status=PartnerStatus.ACTIVE)
        session.add_all([odd, lp, shop])
        session.flush()
        session.add_all([HostingOffer(partner_id=shop.id, audience=Audience.PFMP_BACPRO, places=3, months="11"),
                         HostingOffer(partner_id=shop.id, audience=Audience.PFMP_BACPRO, places=2, months="")])
        periods.save_period(session, periods.PeriodForm(lp.id, None, date(2026, 11, 23), date(2026, 12, 4), 5,
                                                        formation_id=odd.id))
    with pole_store.session() as session:
        setting = view.planning_setting(session, YEAR)
        return view.draw_calendar(session, setting, grouping="formation"), setting


def test_the_workbook_holds_the_grid_the_figures_and_the_weeks_in_tension(calendar, tmp_path):
    sheet, setting = calendar
    path = report.write_planning(sheet, setting, tmp_path / "calendrier.xlsx", today=date(2026, 12, 3))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Calendrier", "Détail par semaine", "Semaines en tension", "Légende"]
    grid = book["Calendrier"]
    assert grid["A1"].value == "Calendrier des périodes 2026-2027 – Pôle de stages du bassin de Nancy"
    assert "édité le 03/12/2026" in grid["A2"].value
    columns = {grid.cell(4, c).value.date(): c for c in range(2, grid.max_column + 1)}
    assert len(columns) == 44 and min(columns) == date(2026, 8, 31)
    assert grid.cell(6, 1).value == HOSTILE and grid.cell(6, 1).data_type == "s"   # text, never a live formula
    november, december = grid.cell(6, columns[date(2026, 11, 23)]), grid.cell(6, columns[date(2026, 11, 30)])
    assert (november.value, december.value) == ("5/5", "5/2")
    assert november.fill.fgColor.rgb.endswith(report.FILLS["busy"])
    assert december.fill.fgColor.rgb.endswith(report.FILLS["over"])
    assert grid.cell(5, columns[date(2026, 10, 19)]).value == "vac."
    detail = [[c.value for c in row] for row in book["Détail par semaine"].iter_rows(min_row=2)]
    by_week = {row[1].date(): row for row in detail if row[0] == HOSTILE}
    assert by_week[date(2026, 11, 23)][2:5] == [5, 5, 1]
    assert by_week[date(2026, 11, 30)][2:5] == [5, 2, 2.5]
    tensions = [[c.value for c in row] for row in book["Semaines en tension"].iter_rows(min_row=2)]
    assert [(row[0].date(), row[4]) for row in tensions] == [
        (date(2026, 11, 23), "plus de 80 % des places demandées"), (date(2026, 11, 30), "demande supérieure aux places")]
    assert "toute l'année" in book["Légende"]["A7"].value


def test_the_pdf_is_a4_landscape_in_two_halves_with_the_weeks_in_tension(calendar, tmp_path):
    sheet, setting = calendar
    path = report.write_planning(sheet, setting, tmp_path / "calendrier.pdf", simulated=True)
    reader = PdfReader(path)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = " ".join(" ".join(page.extract_text().replace("\u00a0", " ").split()) for page in reader.pages)
    assert "(simulation : déplacements non enregistrés)" in text
    assert "31/08" in text and "25/01" in text and "01/02" in text and "28/06" in text
    assert "Semaines en tension (1)" in text
    assert "semaine du 30/11/2026" in text and "5 élèves pour 2 places" in text
    assert "toute l’année" in text                         # French apostrophe, as every PDF prints it


def test_a_file_neither_xlsx_nor_pdf_is_refused(calendar, tmp_path):
    sheet, setting = calendar
    with pytest.raises(report.PlanningReportError, match="finir par .xlsx"):
        report.write_planning(sheet, setting, tmp_path / "calendrier.ods")
    assert not (tmp_path / "calendrier.ods").exists()
