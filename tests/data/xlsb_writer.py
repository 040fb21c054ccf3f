"""A minimal .xlsb (Excel binary workbook) writer for the tests, after MS-XLSB: one sheet of strings, numbers,
booleans and dates, the records Excel itself writes for them. No Python library writes .xlsb, and LibreOffice
only reads it, so the tests make their own."""

from __future__ import annotations

import struct
import zipfile
from datetime import date
from pathlib import Path

DATE_STYLE = 1   # index of the cell format (BrtXF) with the built-in date format 14 (dd/mm/yyyy)
_EPOCH = date(1899, 12, 30)

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>
<Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.worksheet"/>
<Override PartName="/xl/styles.bin" ContentType="application/vnd.ms-excel.styles"/>
</Types>"""
PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/>
</Relationships>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.bin"/>
</Relationships>"""


def record(kind: int, data: bytes = b"") -> bytes:
    """A record: its type and size as 7-bit groups (the high bit says one more byte follows), then its data."""
    head = bytes([kind]) if kind < 0x80 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
    size, length = len(data), b""
    while True:
        byte, size = size & 0x7F, size >> 7
        length += bytes([byte | (0x80 if size else 0)])
        if not size:
            break
    return head + length + data


def wide(text: str) -> bytes:
    encoded = text.encode("utf-16-le")
    return struct.pack("<I", len(encoded) // 2) + encoded


def _cell(column: int, value: object) -> bytes:
    if isinstance(value, bool):
        return record(0x0004, struct.pack("<II", column, 0) + bytes([value]))                # BrtCellBool
    if isinstance(value, date):
        serial = float((value - _EPOCH).days)
        return record(0x0005, struct.pack("<IId", column, DATE_STYLE, serial))                # BrtCellReal, dated
    if isinstance(value, (int, float)):
        return record(0x0005, struct.pack("<IId", column, 0, float(value)))                   # BrtCellReal
    return record(0x0006, struct.pack("<II", column, 0) + wide(str(value)))                   # BrtCellSt


def _worksheet(rows: dict[int, list[object]]) -> bytes:
    last_row = max(rows, default=1) - 1
    last_col = max((len(values) for values in rows.values()), default=1) - 1
    parts = [record(0x0081),                                                                 # BrtBeginSheet
             record(0x0094, struct.pack("<IIII", 0, last_row, 0, last_col)),                 # BrtWsDim
             record(0x0091)]                                                                 # BrtBeginSheetData
    for number in sorted(rows):
        parts.append(record(0x0000, struct.pack("<IIHHBBB", number - 1, 0, 300, 0, 0, 0, 0)))  # BrtRowHdr
        parts += [_cell(col, value) for col, value in enumerate(rows[number]) if value is not None]
    parts += [record(0x0092), record(0x0082)]                                                # end data, end sheet
    return b"".join(parts)


def _workbook(title: str) -> bytes:
    return b"".join((
        record(0x0083),                                                                      # BrtBeginBook
        record(0x0099, struct.pack("<II", 0, 0) + wide("")),                                 # BrtWbProp (1900 dates)
        record(0x008F),                                                                      # BrtBeginBundleShs
        record(0x009C, struct.pack("<II", 0, 1) + wide("rId1") + wide(title)),               # BrtBundleSh
        record(0x0090),                                                                      # BrtEndBundleShs
        record(0x009D, struct.pack("<IIdIBB", 100, 0, 0.001, 0, 0x3C, 0)),                   # BrtCalcProp
        record(0x0084),                                                                      # BrtEndBook
    ))


def _styles() -> bytes:
    def xf(number_format: int) -> bytes:   # BrtXF: parent, number format, font, fill, border, flags
        return record(0x002F, struct.pack("<HHHHHHI", 0xFFFF, number_format, 0, 0, 0, 0, 0))

    return b"".join((record(0x0296), record(0x0267, struct.pack("<I", 0)), record(0x0268),   # no custom formats
                     record(0x0269, struct.pack("<I", 2)), xf(0), xf(14), record(0x026A),    # general, date
                     record(0x0297)))


def write_xlsb(path: Path, rows: dict[int, list[object]], *, title: str = "Partenaires") -> Path:
    """Write `rows` (row number, 1-based -> values from column A; None leaves a cell empty) as one sheet."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/_rels/workbook.bin.rels", WORKBOOK_RELS)
        archive.writestr("xl/workbook.bin", _workbook(title))
        archive.writestr("xl/styles.bin", _styles())
        archive.writestr("xl/worksheets/sheet1.bin", _worksheet(rows))
    return path
