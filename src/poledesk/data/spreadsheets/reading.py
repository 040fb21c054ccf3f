"""Spreadsheets the animateur brings: reading one sheet of an .xlsx or .csv file, its headers and its rows."""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from poledesk.data.spreadsheets.errors import SpreadsheetError
from poledesk.data.text import fold

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # Excel 97-2003, or an .xlsx protected by a password
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
CSV_DELIMITERS = (";", ",", "\t")
EXCEL_ERRORS = frozenset({"#N/A", "#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA"})
TITLE_ROWS_SKIPPED = 5   # at most this many title lines above the headers
NO_CACHED_VALUE = "formule sans valeur calculée : ouvrez et enregistrez le fichier dans votre tableur"

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+[0-9]+:[A-Z]+[0-9]+)\"")


# --- The sheet ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CellProblem:
    column: int      # 0-based index into Sheet.headers
    message: str


@dataclass(frozen=True, slots=True)
class SheetRow:
    number: int                          # as the spreadsheet shows it: 1-based, header rows counted
    values: tuple[object, ...]           # one per header; None for an empty cell
    problems: tuple[CellProblem, ...] = ()


@dataclass(frozen=True, slots=True)
class Sheet:
    path: Path
    name: str                            # the sheet read; "" for a CSV file
    sheet_names: tuple[str, ...]         # every sheet of the workbook, for the wizard's choice
    header_row: int                      # 1-based
    headers: tuple[str, ...]
    rows: tuple[SheetRow, ...]

    def column_label(self, index: int) -> str:
        """The header as the user wrote it, or the column's letter when the header cell is empty."""
        return self.headers[index] or f"{column_letter(index)} (sans en-tête)"


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_sheet(path: str | Path, *, sheet_name: str | None = None) -> Sheet:
    """Read one sheet of an .xlsx workbook (the first with content unless named) or a CSV file.

    The header row is the first non-empty row, a title line above it aside; fully empty rows are skipped, and
    row numbers stay those the user sees. Raises SpreadsheetError (French) for what is not a readable
    spreadsheet or holds no data.
    """
    path = Path(path)
    head = _first_bytes(path)
    suffix = path.suffix.lower()
    if head.startswith(OLE_MAGIC) or suffix == ".xls":
        raise SpreadsheetError(f"Le fichier « {path.name} » est un classeur Excel 97-2003 (.xls) ou un classeur "
                               "protégé par un mot de passe : ouvrez-le dans votre tableur et enregistrez-le au "
                               "format .xlsx (sans mot de passe), puis importez ce nouveau fichier.")
    if suffix == ".ods":
        raise SpreadsheetError(f"Le fichier « {path.name} » est un classeur OpenDocument (.ods) : ouvrez-le dans "
                               "votre tableur et enregistrez-le au format .xlsx, puis importez ce nouveau fichier.")
    if head.startswith(XLSX_MAGIC):
        return _read_xlsx(path, sheet_name)
    if suffix in CSV_SUFFIXES:
        return _read_csv(path)
    raise _unreadable(path)


def _first_bytes(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(8)
    except FileNotFoundError:
        raise SpreadsheetError(f"Le fichier « {path} » n'existe pas.") from None
    except IsADirectoryError:
        raise SpreadsheetError(f"« {path} » est un dossier, pas un fichier.") from None
    except OSError as error:
        raise SpreadsheetError(f"Le fichier « {path} » ne peut pas être lu : {error.strerror or error}.") from error


def _unreadable(path: Path) -> SpreadsheetError:
    return SpreadsheetError(f"Le fichier « {path.name} » n'est pas un classeur Excel (.xlsx) ni un fichier CSV "
                            "lisible.")


def _read_xlsx(path: Path, sheet_name: str | None) -> Sheet:
    import openpyxl

    try:
        with warnings.catch_warnings():   # openpyxl warns about parts it drops (extensions, validations)
            warnings.simplefilter("ignore")
            # read_only streams the rows (twice as fast on 10,000 rows); data_only: formulas give cached values.
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:   # a corrupt file can fail anywhere in openpyxl's parsers
        raise _unreadable(path) from error
    try:
        names = tuple(ws.title for ws in workbook.worksheets)
        if sheet_name is not None:
            return _read_worksheet(path, _named_worksheet(workbook, sheet_name, path), names)
        for worksheet in workbook.worksheets[:-1]:
            try:
                return _read_worksheet(path, worksheet, names)
            except _EmptySheet:
                continue   # the data is on a later sheet
        if not workbook.worksheets:
            raise _unreadable(path)
        return _read_worksheet(path, workbook.worksheets[-1], names)
    except SpreadsheetError:
        raise
    except Exception as error:   # a part openpyxl reads lazily, only now, may be corrupt too
        raise _unreadable(path) from error
    finally:
        workbook.close()


class _EmptySheet(SpreadsheetError):
    """A sheet without a single filled cell."""


# A read-only workbook's sheets are ReadOnlyWorksheet, which openpyxl's stubs do not tell apart from Worksheet.
def _named_worksheet(workbook: Workbook, sheet_name: str, path: Path) -> Any:
    for worksheet in workbook.worksheets:
        if worksheet.title == sheet_name or fold(worksheet.title) == fold(sheet_name):
            return worksheet
    names = ", ".join(f"« {ws.title} »" for ws in workbook.worksheets)
    raise SpreadsheetError(f"Le classeur « {path.name} » n'a pas de feuille « {sheet_name} » ; feuilles : {names}.")


def _read_worksheet(path: Path, worksheet: Any, names: tuple[str, ...]) -> Sheet:
    # The size a file declares may be wrong (some tools write "A1"): let the rows say how wide they are.
    worksheet.reset_dimensions()
    xml = _sheet_xml(path, worksheet.title)
    raw = enumerate(worksheet.iter_rows(values_only=True), start=1)
    return _sheet(path, worksheet.title, names, _patched(raw, _merged_ranges(xml), _formula_problems(xml)))


def _sheet_xml(path: Path, title: str) -> bytes:
    """The worksheet's own XML, for what read-only openpyxl does not give: merged cells, formulas left uncomputed."""
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, title)
            return archive.read(part) if part else b""
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile):   # openpyxl found its parts elsewhere
        return b""


def _sheet_part(archive: zipfile.ZipFile, title: str) -> str | None:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rel_id = next((s.get(f"{_REL_NS}id") for s in workbook.iter(f"{_MAIN_NS}sheet") if s.get("name") == title), None)
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in rels.iter(f"{_PKG_REL_NS}Relationship") if r.get("Id") == rel_id), None)
    if target is None:
        return None
    return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)


def _merged_ranges(xml: bytes) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of each merged range, 1-based."""
    from openpyxl.utils.cell import range_boundaries

    ranges = []
    for ref in _MERGE.findall(xml):
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
        # A merged range always names both corners: none of its bounds is missing.
        if min_col is not None and min_row is not None and max_col is not None and max_row is not None:
            ranges.append((min_col, min_row, max_col, max_row))
    return ranges


def _formula_problems(xml: bytes) -> dict[int, dict[int, str]]:
    """row -> {column: problem} for formulas saved without their computed value (openpyxl gives None for them).

    data_only drops the formula itself, so the XML is scanned, and only when it holds a formula.
    """
    if not _FORMULA.search(xml):
        return {}
    from openpyxl.utils.cell import coordinate_to_tuple

    found: dict[int, dict[int, str]] = {}
    for _event, element in ElementTree.iterparse(io.BytesIO(xml)):
        if element.tag != f"{_MAIN_NS}c":
            continue
        value = element.find(f"{_MAIN_NS}v")
        # A formula that computed an empty text is saved as t="str" with an empty <v>: that one has its value.
        if element.find(f"{_MAIN_NS}f") is not None and (value is None or not value.text) \
                and element.get("t") != "str" and element.get("r"):
            row, col = coordinate_to_tuple(element.get("r", ""))
            found.setdefault(row, {})[col - 1] = NO_CACHED_VALUE
        element.clear()
    return found


def _patched(raw: Iterable[tuple[int, Sequence[object]]], merged: list[tuple[int, int, int, int]],
             problems: dict[int, dict[int, str]]) -> Iterator[tuple[int, list[object], dict[int, str]]]:
    """The rows with each merged range's cells filled from its top-left cell, and each row's formula problems."""
    starting: dict[int, list[tuple[int, int, int, int]]] = {}
    for bounds in merged:
        starting.setdefault(bounds[1], []).append(bounds)
    active: list[tuple[tuple[int, int, int, int], object]] = []
    for number, values in raw:
        values = list(values)
        for bounds in starting.get(number, ()):
            active.append((bounds, values[bounds[0] - 1] if bounds[0] <= len(values) else None))
        active = [(bounds, value) for bounds, value in active if bounds[3] >= number]
        for (min_col, min_row, max_col, _max_row), value in active:
            values += [None] * (max_col - len(values))
            for col in range(min_col, max_col + 1):
                if (number, col) != (min_row, min_col):
                    values[col - 1] = value
        yield number, values, problems.get(number, {})


def _read_csv(path: Path) -> Sheet:
    text = _decoded(path)
    if "\x00" in text:
        raise _unreadable(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        raw: list[tuple[int, list[object], dict[int, str]]] = [
            (number, list(values), {}) for number, values in enumerate(reader, start=1)]
    except csv.Error as error:
        raise SpreadsheetError(f"Le fichier CSV « {path.name} » est mal formé : {error}.") from error
    return _sheet(path, "", (), raw)


def _decoded(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):   # Excel's « Texte Unicode » export
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")   # what Excel for Windows writes as « CSV (séparateur : point-virgule) »
    except UnicodeDecodeError as error:
        raise _unreadable(path) from error


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most fields, the same number on most lines."""
    sample = [line for line in text.splitlines()[:50] if line.strip()][:20]
    best, best_score = CSV_DELIMITERS[0], (0, 0)
    for delimiter in CSV_DELIMITERS:
        counts = [len(fields) for fields in csv.reader(sample, delimiter=delimiter)]
        if not counts:
            continue
        usual = max(set(counts), key=counts.count)
        score = (counts.count(usual), usual) if usual > 1 else (0, 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sheet(path: Path, name: str, names: tuple[str, ...],
           raw: Iterable[tuple[int, list[object], dict[int, str]]]) -> Sheet:
    cleaned = ((number, [_cell(v) for v in row], problems) for number, row, problems in raw)
    filled = [(number, values, problems) for number, values, problems in cleaned
              if problems or any(v is not None for v in values)]
    where = f"La feuille « {name} » du fichier « {path.name} »" if name else f"Le fichier « {path.name} »"
    if not filled:
        raise _EmptySheet(f"{where} est vide : aucune ligne à importer.")
    start = _header_index(filled)
    header_row, headers = filled[start][0], _headers(filled[start][1])
    rows = [row for number, values, problems in filled[start + 1:]
            if (row := _data_row(number, values, problems, len(headers))) is not None]
    if not rows:
        raise SpreadsheetError(f"{where} n'a qu'une ligne d'en-têtes (ligne {header_row}) : aucune ligne à importer.")
    return Sheet(path, name, names, header_row, headers, tuple(rows))


def _header_index(filled: list[tuple[int, list[object], dict[int, str]]]) -> int:
    """The headers are the first row with two different values: a title above them (one cell, or one cell
    merged across the table) is skipped. A sheet of one column has its headers on its first row."""
    for index, (_number, values, _problems) in enumerate(filled[:TITLE_ROWS_SKIPPED + 1]):
        if len({v for v in values if v is not None}) >= 2:
            return index
    return 0


def _data_row(number: int, values: list[object], problems: dict[int, str], width: int) -> SheetRow | None:
    values = (values + [None] * width)[:width]
    cell_problems = [CellProblem(col, message) for col, message in sorted(problems.items()) if col < width]
    for col, value in enumerate(values):
        if isinstance(value, str) and value in EXCEL_ERRORS:
            values[col] = None
            cell_problems.append(CellProblem(col, f"erreur de formule {value} : corrigez la cellule"))
    if all(v is None for v in values) and not cell_problems:
        return None
    return SheetRow(number, tuple(values), tuple(cell_problems))


def _cell(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _headers(values: list[object]) -> tuple[str, ...]:
    texts = [" ".join(str(v).split()) if v is not None else "" for v in values]
    while texts and not texts[-1]:
        texts.pop()
    return tuple(texts)
