"""Tables written for a spreadsheet to open: .xlsx, .ods and French csv, never with a live formula in them.

A cell whose text begins with = + - @, a tab or a carriage return is what a spreadsheet may take for a formula
(a partner named =HYPERLINK("http://…","Cliquez") would become a live link). Every writer here keeps such text
as text: an .xlsx string cell with the quote prefix Excel itself sets, an .ods string cell, and in csv a leading
apostrophe, the mark Excel and LibreOffice read as "this is text".
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
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


# --- Office Open XML (.xlsx), written straight --------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DATE_FORMAT = "DD/MM/YYYY"
TEXT_FORMAT = "@"          # numFmtId 49: a SIRET or a postcode stays text when the user edits the cell
HEADER_FILL = "DDE7F0"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_EXCEL_EPOCH = date(1899, 12, 30)     # day 0 of Excel's 1900 date system, as every spreadsheet counts it
# Characters XML 1.0 cannot hold at all (a spreadsheet refuses the file): dropped from the text written.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The cell styles of styles.xml, by index: default, header, date, text (@), and the two with the quote prefix.
PLAIN, HEADER, DATE, TEXT, QUOTED, QUOTED_TEXT = range(6)
_STYLES = (
    _XML_HEAD + f'<styleSheet xmlns="{_MAIN}">'
    f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    f'</fill><fill><patternFill patternType="solid"><fgColor rgb="FF{HEADER_FILL}"/><bgColor indexed="64"/>'
    '</patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" '
    'applyAlignment="1"><alignment vertical="center"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" quotePrefix="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>')


class XlsxBook:
    """An .xlsx workbook written as SpreadsheetML text, sheet by sheet: a bold shaded header row frozen above an
    autofilter, widths in characters, dates shown dd/mm/yyyy, columns of numbers kept as text (SIRET, postcode,
    phone) formatted as text, and formula-like text kept text with the quote prefix Excel itself sets.

    openpyxl's write-only mode makes an object and an XML element of every cell: 10,000 partners with their
    contacts took it seven seconds. Here a row is one string, and the workbook opens the same in Excel,
    LibreOffice, openpyxl and calamine.
    """

    def __init__(self) -> None:
        self._sheets: list[tuple[str, str]] = []

    def add_sheet(self, title: str, header: Sequence[str], rows: Iterable[Sequence[object]], *,
                  widths: Sequence[float] = (), text_columns: Sequence[int] = (),
                  date_columns: Sequence[int] = ()) -> None:
        letters = [_column_letter(index) for index in range(len(header))]
        text_at, dates_at = set(text_columns), set(date_columns)
        plain = [TEXT if i in text_at else DATE if i in dates_at else PLAIN for i in range(len(header))]
        body = [_row_xml(1, letters, header, [HEADER] * len(header))]
        number = 1
        for number, values in enumerate(rows, start=2):
            body.append(_row_xml(number, letters, values, plain))
        last = f"{letters[-1]}{number}" if letters else "A1"
        cols = "".join(f'<col min="{i}" max="{i}" width="{width:.1f}" customWidth="1"/>'
                       for i, width in enumerate(widths, start=1))
        xml = (_XML_HEAD + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}"><dimension ref="A1:{last}"/>'
               '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
               'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
               '<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{cols}</cols>" if cols else "")
               + "<sheetData>" + "".join(body) + f'</sheetData><autoFilter ref="A1:{last}"/></worksheet>')
        self._sheets.append((title[:31], xml))

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.writestr("[Content_Types].xml", self._content_types())
            archive.writestr("_rels/.rels", _XML_HEAD + f'<Relationships xmlns="{_PACKAGE_RELS}"><Relationship '
                             'Id="rId1" Type="' + _RELS + '/officeDocument" Target="xl/workbook.xml"/>'
                             "</Relationships>")
            archive.writestr("xl/workbook.xml", self._workbook())
            archive.writestr("xl/_rels/workbook.xml.rels", self._workbook_rels())
            archive.writestr("xl/styles.xml", _STYLES)
            for index, (_title, xml) in enumerate(self._sheets, start=1):
                archive.writestr(f"xl/worksheets/sheet{index}.xml", xml)
        return buffer.getvalue()

    def _content_types(self) -> str:
        sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                         for i in range(1, len(self._sheets) + 1))
        return (_XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                '<Override PartName="/xl/styles.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' + sheets + "</Types>")

    def _workbook(self) -> str:
        sheets = "".join(f'<sheet name="{_escape(title)}" sheetId="{i}" r:id="rId{i}"/>'
                         for i, (title, _xml) in enumerate(self._sheets, start=1))
        # Excel names each sheet's filtered range; without the name it repairs the file on opening.
        names = "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                        f"'{_escape(title.replace(chr(39), chr(39) * 2))}'!{_filter_range(xml)}</definedName>"
                        for i, (title, xml) in enumerate(self._sheets))
        return (_XML_HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><bookViews><workbookView/></bookViews>'
                f"<sheets>{sheets}</sheets>" + (f"<definedNames>{names}</definedNames>" if names else "")
                + "</workbook>")

    def _workbook_rels(self) -> str:
        count = len(self._sheets)
        sheets = "".join(f'<Relationship Id="rId{i}" Type="{_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                         for i in range(1, count + 1))
        return (_XML_HEAD + f'<Relationships xmlns="{_PACKAGE_RELS}">{sheets}'
                f'<Relationship Id="rId{count + 1}" Type="{_RELS}/styles" Target="styles.xml"/></Relationships>')


def _column_letter(index: int) -> str:
    letters, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _filter_range(sheet_xml: str) -> str:
    start = sheet_xml.index('<autoFilter ref="') + len('<autoFilter ref="')
    first, last = sheet_xml[start:sheet_xml.index('"', start)].split(":")
    return f"{_absolute(first)}:{_absolute(last)}"


def _absolute(reference: str) -> str:
    """'A1' -> '$A$1' (a reference this module wrote, so always letters then digits)."""
    letters = reference.rstrip("0123456789")
    return f"${letters}${reference[len(letters):]}"


def _escape(text: str) -> str:
    return _NOT_XML.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&quot;")


def _row_xml(number: int, letters: Sequence[str], values: Sequence[object], styles: Sequence[int]) -> str:
    cells = []
    for letter, value, style in zip(letters, values, styles, strict=True):
        ref = f"{letter}{number}"
        if value is None:
            continue
        if isinstance(value, bool):
            value = "Oui" if value else "Non"
        if isinstance(value, (int, float)) and style != TEXT:
            cells.append(f'<c r="{ref}"{_style(style)}><v>{value!r}</v></c>')
        elif isinstance(value, (date, datetime)):
            day = value.date() if isinstance(value, datetime) else value
            cells.append(f'<c r="{ref}" s="{DATE}"><v>{(day - _EXCEL_EPOCH).days}</v></c>')
        else:
            text = str(value)
            if looks_like_formula(text):
                style = QUOTED_TEXT if style == TEXT else QUOTED
            space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
            cells.append(f'<c r="{ref}"{_style(style)} t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def _style(style: int) -> str:
    return f' s="{style}"' if style else ""


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
