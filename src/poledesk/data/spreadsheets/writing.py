"""Tables written for a spreadsheet to open: .xlsx, .ods and French csv, never with a live formula in them.

A cell whose text begins with = + - @, a tab or a carriage return is what a spreadsheet may take for a formula
(a partner named =HYPERLINK("http://…","Cliquez") would become a live link). Every writer here keeps such text
as text: an .xlsx string cell with the quote prefix Excel itself sets, an .ods string cell, and in csv a leading
apostrophe, the mark Excel and LibreOffice read as "this is text".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from poledesk.data.text import format_date

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"            # what French Excel splits on
CSV_BOM = "\ufeff"             # without it, Excel reads UTF-8 as cp1252 and garbles the accents


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_text(value: object) -> str:
    """A value as a French csv cell holds it: dates dd/mm/yyyy, decimals with a comma, formula-like text quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, (date, datetime)):
        return format_date(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)   # a number, even negative, is no formula
    text = str(value)
    return f"'{text}" if looks_like_formula(text) else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a BOM, ';' between cells, CRLF line ends: what French Excel opens as it is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([csv_text(h) for h in header])
    writer.writerows([csv_text(value) for value in row] for row in rows)
    return (CSV_BOM + buffer.getvalue()).encode("utf-8")


def guard_xlsx_cell(cell: Any) -> Any:
    """Keep an openpyxl cell's formula-like text as text: a string cell (openpyxl would store '=…' as a formula)
    with the quote prefix, so that Excel keeps it text even once the cell is edited."""
    if looks_like_formula(cell.value):
        cell.data_type = "s"   # openpyxl guessed 'f' (formula) for text starting with '='
        cell.quotePrefix = True
    return cell


def guard_worksheet(worksheet: Any) -> None:
    """guard_xlsx_cell on every cell of a worksheet written in memory (not write-only)."""
    for row in worksheet.iter_rows():
        for cell in row:
            guard_xlsx_cell(cell)


def xlsx_value(worksheet: Any, value: object, number_format: str | None = None) -> object:
    """What to append to a write-only worksheet: the value itself, or a cell when it needs a format or a guard."""
    if value is None or (number_format is None and not looks_like_formula(value)):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = guard_xlsx_cell(WriteOnlyCell(worksheet, value=value))  # type: ignore[arg-type]  # cells hold any value
    if number_format is not None:
        cell.number_format = number_format
    return cell


# --- OpenDocument (.ods) -------------------------------------------------------------------------


class OdsBook:
    """An .ods workbook built sheet by sheet (odfpy), with a bold header row and dates shown dd/mm/yyyy."""

    def __init__(self) -> None:
        from odf.number import DateStyle, Day, Month, Year
        from odf.number import Text as NumberText
        from odf.opendocument import OpenDocumentSpreadsheet
        from odf.style import Style, TextProperties

        self._document = OpenDocumentSpreadsheet()
        date_style = DateStyle(name="jj-mm-aaaa")
        for part in (Day(style="long"), NumberText(text="/"), Month(style="long"), NumberText(text="/"),
                     Year(style="long")):
            date_style.addElement(part)
        self._document.automaticstyles.addElement(date_style)
        self._date_cell = Style(name="date", family="table-cell", datastylename="jj-mm-aaaa")
        self._header_cell = Style(name="entete", family="table-cell")
        self._header_cell.addElement(TextProperties(fontweight="bold"))
        for style in (self._date_cell, self._header_cell):
            self._document.automaticstyles.addElement(style)
        self._column_styles: dict[int, Any] = {}

    def add_sheet(self, title: str, header: Sequence[str], rows: Iterable[Sequence[object]], *,
                  widths: Sequence[float] = (), text_columns: Sequence[int] = ()) -> None:
        """One sheet; text_columns hold numbers kept as text (SIRET, postcode, phone); widths in characters."""
        from odf.table import Table, TableColumn, TableRow

        table = Table(name=title[:31])
        for width in widths:
            table.addElement(TableColumn(stylename=self._column_style(width)))
        header_row = TableRow()
        for text in header:
            header_row.addElement(self._cell(text, as_text=True, stylename=self._header_cell))
        table.addElement(header_row)
        kept_as_text = set(text_columns)
        for values in rows:
            row = TableRow()
            for index, value in enumerate(values):
                row.addElement(self._cell(value, as_text=index in kept_as_text))
            table.addElement(row)
        self._document.spreadsheet.addElement(table)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._document.write(buffer)
        return buffer.getvalue()

    def _column_style(self, width: float) -> Any:
        from odf.style import Style, TableColumnProperties

        key = round(width)
        if key not in self._column_styles:
            style = Style(name=f"col{key}", family="table-column")
            style.addElement(TableColumnProperties(columnwidth=f"{key * 0.21:.2f}cm"))
            self._document.automaticstyles.addElement(style)
            self._column_styles[key] = style
        return self._column_styles[key]

    def _cell(self, value: object, *, as_text: bool = False, stylename: Any = None) -> Any:
        from odf.table import TableCell
        from odf.text import P

        extra = {"stylename": stylename} if stylename is not None else {}
        if value is None:
            return TableCell(**extra)
        if isinstance(value, bool):
            value = "Oui" if value else "Non"
        if isinstance(value, (int, float)) and not as_text:
            cell = TableCell(valuetype="float", value=value, **extra)
            cell.addElement(P(text=csv_text(value)))
            return cell
        if isinstance(value, (date, datetime)):
            day = value.date() if isinstance(value, datetime) else value
            cell = TableCell(valuetype="date", datevalue=day.isoformat(), stylename=self._date_cell)
            cell.addElement(P(text=format_date(day)))
            return cell
        # A string cell: the text is shown as it is, never read as a formula, whatever it begins with.
        cell = TableCell(valuetype="string", **extra)
        for line in str(value).split("\n"):
            cell.addElement(P(text=line))
        return cell
