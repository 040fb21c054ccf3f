"""The académie report as a workbook: a sheet per indicator family, a row per pole, live totals, a chart.

Its own formulas (totals, ratios) are live; the text that comes from the poles' records (pole codes, bassins,
partners' names) is written through `_text`, which keeps formula-like text as text (see data/spreadsheets/writing):
a partner named =HYPERLINK(…) known to two poles must not become a live link in the report sent to the ministry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from poledesk.data.files import write_atomically
from poledesk.data.indicators.academy import AcademyReport, SharedPartner, academy_map
from poledesk.data.indicators.catalog import FAMILIES
from poledesk.data.indicators.measures import NOT_FILLED, Indicator, IndicatorReport
from poledesk.data.spreadsheets.writing import guard_xlsx_cell

HEAD_FILL = "E9EEF3"
ACCENT = "1F3A5F"
FIRST_ROW = 3                         # row 1: the sheet's title, row 2: the header


def write_indicator_workbook(report: AcademyReport, shared: list[SharedPartner], path: Path) -> Path:
    """Write the workbook whole or not at all; return its path."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.worksheets[0])   # the default empty sheet
    for family, title in FAMILIES.items():
        _family_sheet(book.create_sheet(_sheet_name(title)), report, family, title)
    _map_sheet(book.create_sheet("Carte de l'académie"), report)
    _evolution_sheet(book.create_sheet("Évolution"), report.academy)
    _shared_sheet(book.create_sheet("Partenaires partagés"), shared)
    _definitions_sheet(book.create_sheet("Définitions"), report.academy)
    return write_atomically(Path(path), book.save)


def _sheet_name(title: str) -> str:
    return title[:31]


def _title(sheet: Any, text: str, columns: int) -> None:
    from openpyxl.styles import Font

    sheet.cell(1, 1, text).font = Font(bold=True, size=13, color=ACCENT)
    sheet.row_dimensions[1].height = 20
    sheet.freeze_panes = sheet.cell(FIRST_ROW, 3)
    for index in range(1, columns + 1):
        sheet.column_dimensions[_letter(index)].width = 28 if index == 2 else 16


def _header(sheet: Any, names: list[str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for column, name in enumerate(names, start=1):
        cell = sheet.cell(FIRST_ROW - 1, column, name)
        cell.font = Font(bold=True, color=ACCENT)
        cell.fill = PatternFill("solid", fgColor=HEAD_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[FIRST_ROW - 1].height = 45


def _text(sheet: Any, row: int, column: int, value: object) -> Any:
    """A cell of recorded text (or a number): never a formula, whatever the text begins with."""
    return guard_xlsx_cell(sheet.cell(row, column, value))


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _columns(indicators: list[Indicator]) -> list[tuple[Indicator, str]]:
    """Each count takes one column; each ratio three (numerator, denominator, a formula between them)."""
    columns: list[tuple[Indicator, str]] = []
    for indicator in indicators:
        if indicator.kind in ("ratio", "share"):
            columns += [(indicator, "numerator"), (indicator, "denominator"), (indicator, "ratio")]
        else:
            columns.append((indicator, "value"))
    return columns


def _column_name(indicator: Indicator, part: str) -> str:
    if part == "numerator":
        return f"{indicator.label} : numérateur"
    if part == "denominator":
        return f"{indicator.label} : dénominateur"
    return indicator.label


def _ratio_formula(row: int, column: int, *, share: bool) -> str:
    numerator, denominator = f"{_letter(column - 2)}{row}", f"{_letter(column - 1)}{row}"
    return f'=IF(N({denominator})=0,"{NOT_FILLED}",{numerator}/{denominator})'


def _family_sheet(sheet: Any, report: AcademyReport, family: str, title: str) -> None:
    from openpyxl.styles import Font

    keys = [i.key for i in report.academy.family(family)]
    columns = _columns(report.academy.family(family))
    _title(sheet, f"{title} – {report.school_year}", len(columns) + 2)
    _header(sheet, ["Pôle", "Bassin", *(_column_name(i, part) for i, part in columns)])
    poles = report.poles or ()
    last = FIRST_ROW + len(poles) - 1
    for offset, pole in enumerate(poles):
        row = FIRST_ROW + offset
        _text(sheet, row, 1, pole.code)
        _text(sheet, row, 2, pole.bassin)
        by_key = {key: pole.report.get(key) for key in keys}
        _values(sheet, row, [(by_key[i.key], part) for i, part in columns])
    total_row = last + 1
    sheet.cell(total_row, 1, "Académie").font = Font(bold=True)
    for offset, (indicator, part) in enumerate(columns, start=3):
        cell = sheet.cell(total_row, offset)
        cell.font = Font(bold=True)
        if part == "ratio":
            cell.value = _ratio_formula(total_row, offset, share=indicator.kind == "share")
            cell.number_format = "0 %" if indicator.kind == "share" else "0.00"
        elif indicator.kind == "days":
            # A median does not add up: the académie's own median, computed on every escalation.
            cell.value = report.academy.get(indicator.key).current.value
        elif poles:
            cell.value = f"=SUM({_letter(offset)}{FIRST_ROW}:{_letter(offset)}{last})"
        else:
            cell.value = _part_value(report.academy.get(indicator.key), part)
    if family == "places" and poles:
        _places_chart(sheet, columns, len(poles))


def _part_value(indicator: Indicator, part: str) -> float | int | None:
    measure = indicator.current
    if part == "numerator":
        return measure.numerator or 0
    if part == "denominator":
        return measure.denominator or 0
    return measure.value


def _values(sheet: Any, row: int, cells: list[tuple[Indicator, str]]) -> None:
    for column, (indicator, part) in enumerate(cells, start=3):
        cell = sheet.cell(row, column)
        if part == "ratio":
            cell.value = _ratio_formula(row, column, share=indicator.kind == "share")
            cell.number_format = "0 %" if indicator.kind == "share" else "0.00"
        else:
            value = _part_value(indicator, part)
            cell.value = NOT_FILLED if value is None else value


def _places_chart(sheet: Any, columns: list[tuple[Indicator, str]], poles: int) -> None:
    from openpyxl.chart import BarChart, Reference

    places = next(i for i, (indicator, part) in enumerate(columns, start=3)
                  if indicator.key == "places_ratio" and part == "numerator")
    chart = BarChart()
    chart.type, chart.grouping = "col", "clustered"
    chart.title = "Places offertes et élèves à placer, par pôle"
    chart.y_axis.title, chart.x_axis.title = "Nombre", "Pôle"
    data = Reference(sheet, min_col=places, max_col=places + 1, min_row=FIRST_ROW - 1, max_row=FIRST_ROW + poles - 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=FIRST_ROW, max_row=FIRST_ROW + poles - 1))
    chart.height, chart.width = 9, 22
    sheet.add_chart(chart, f"A{FIRST_ROW + poles + 3}")


def _map_sheet(sheet: Any, report: AcademyReport) -> None:
    from openpyxl.styles import Font

    rows, total = academy_map(report)
    names = ["Pôle", "Bassin", "Établissements", "Élèves à placer", "Partenaires actifs", "Places offertes",
             "Places par élève"]
    _title(sheet, f"Carte de l'académie – {report.school_year}", len(names))
    _header(sheet, names)
    for offset, line in enumerate(rows):
        row = FIRST_ROW + offset
        values = [line.code, line.bassin, line.establishments, line.pupils.numerator or 0, line.partners,
                  line.places]
        for column, value in enumerate(values, start=1):
            _text(sheet, row, column, value)
        sheet.cell(row, 7, f'=IF(N(D{row})=0,"{NOT_FILLED}",F{row}/D{row})').number_format = "0.00"
    total_row = FIRST_ROW + len(rows)
    sheet.cell(total_row, 1, total.name).font = Font(bold=True)
    for column in range(3, 7):
        letter = _letter(column)
        value = (f"=SUM({letter}{FIRST_ROW}:{letter}{total_row - 1})" if rows
                 else [total.establishments, total.pupils.numerator or 0, total.partners, total.places][column - 3])
        sheet.cell(total_row, column, value).font = Font(bold=True)
    cell = sheet.cell(total_row, 7, f'=IF(N(D{total_row})=0,"{NOT_FILLED}",F{total_row}/D{total_row})')
    cell.number_format, cell.font = "0.00", Font(bold=True)


def _evolution_sheet(sheet: Any, academy: IndicatorReport) -> None:
    _title(sheet, f"Académie : {academy.school_year} et {academy.previous_year}", 4)
    _header(sheet, ["Famille", "Indicateur", academy.school_year, academy.previous_year])
    for offset, indicator in enumerate(academy.indicators):
        row = FIRST_ROW + offset
        for column, value in enumerate((FAMILIES[indicator.family], indicator.label, indicator.text,
                                        indicator.previous_text), start=1):
            _text(sheet, row, column, value)


def _shared_sheet(sheet: Any, shared: list[SharedPartner]) -> None:
    _title(sheet, "Partenaires connus de plusieurs pôles", 4)
    _header(sheet, ["Pôles", "Partenaire", "SIRET", "Nombre de pôles"])
    for offset, partner in enumerate(shared):
        row = FIRST_ROW + offset
        for column, value in enumerate((", ".join(partner.poles), partner.name, partner.siret or "",
                                        len(partner.poles)), start=1):
            _text(sheet, row, column, value)


def _definitions_sheet(sheet: Any, academy: IndicatorReport) -> None:
    from openpyxl.styles import Alignment

    _title(sheet, "Définitions des indicateurs", 3)
    _header(sheet, ["Famille", "Indicateur", "Définition"])
    sheet.column_dimensions["C"].width = 100
    for offset, indicator in enumerate(academy.indicators):
        row = FIRST_ROW + offset
        for column, value in enumerate((FAMILIES[indicator.family], indicator.label, indicator.definition), start=1):
            _text(sheet, row, column, value).alignment = Alignment(wrap_text=True, vertical="top")
