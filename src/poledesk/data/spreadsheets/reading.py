"""Spreadsheets the animateur brings: reading one sheet of a workbook (.xlsx, .xls, .xlsb, .ods, through the Rust
calamine reader) or of a .csv file, its headers and its rows."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from python_calamine import CalamineSheet, CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from poledesk.data.spreadsheets.errors import SpreadsheetError
from poledesk.data.system_errors import os_error_message
from poledesk.data.text import fold, format_count

XLSX_MAGIC = b"PK\x03\x04"   # a zip archive: .xlsx, .xlsm, .xlsb and .ods are all one
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # Excel 97-2003, or an .xlsx protected by a password
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
CSV_DELIMITERS = (";", ",", "\t")
EXCEL_ERRORS = frozenset({"#N/A", "#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA"})
TITLE_ROWS_SKIPPED = 5   # at most this many title lines above the headers
# Limits checked before any parsing: a pole's sheets are a few MB; a zip bomb or a CSV of one huge cell is not a list.
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_UNZIPPED_BYTES = 500 * 1024 * 1024
MAX_CSV_CELL = 100_000   # characters in one CSV cell (csv's own limit is 131 072, said in English)
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
    """Read one sheet of a workbook (.xlsx, .xlsm, .xls, .xlsb, .ods: the first with content unless named) or of
    a CSV file.

    The kind of file is told by its content, not its name: an .xls renamed .xlsx reads as what it is. The header
    row is the first non-empty row, a title line above it aside; fully empty rows are skipped, and row numbers stay
    those the user sees. Raises SpreadsheetError (French) for what is not a readable spreadsheet or holds no data.
    """
    path = Path(path)
    _check_file_size(path)
    kind = file_kind(path)
    if kind == "csv":
        return _read_csv(path)
    return _read_workbook(path, kind, sheet_name)


def file_kind(path: Path) -> str:
    """'xlsx', 'xlsb', 'ods', 'xls' or 'csv', from the file's first bytes (and its parts, for a zip archive)."""
    head = _first_bytes(path)
    if head.startswith(XLSX_MAGIC):
        return _zip_kind(path)
    if head.startswith(OLE_MAGIC):
        return "xls"   # or an .xlsx protected by a password, which calamine tells apart
    if path.suffix.lower() in CSV_SUFFIXES:
        return "csv"
    if path.suffix.lower() in WORKBOOK_SUFFIXES and _looks_like_text(path):
        raise SpreadsheetError(f"Le fichier « {path.name} » porte le nom d'un classeur mais contient du texte : "
                               "s'il s'agit d'un export CSV, renommez-le en .csv, puis importez-le de nouveau.")
    raise _unreadable(path)


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            _check_zip_size(path, entries)
            names = {entry.filename for entry in entries}
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
        raise _unreadable(path) from None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if mimetype.startswith(ODS_MIMETYPE) or (not mimetype and "content.xml" in names):
        return "ods"
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise SpreadsheetError(f"Le fichier « {path.name} » est un document OpenDocument, mais pas un classeur "
                               "(texte, présentation…) : importez le classeur .ods qui contient le tableau.")
    raise _unreadable(path)


def _check_zip_size(path: Path, entries: list[zipfile.ZipInfo]) -> None:
    """Refuse, before anything is extracted, an archive whose entries are too many or would unzip too big."""
    unzipped = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ZIP_ENTRIES or unzipped > MAX_UNZIPPED_BYTES:
        raise SpreadsheetError(f"Le classeur « {path.name} » décompressé ferait {unzipped // (1024 * 1024)} Mo en "
                               f"{len(entries)} parties : bien plus qu'un tableau de partenaires ou "
                               "d'établissements. Il n'a pas été ouvert ; vérifiez le fichier.")


def _check_file_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError:
        return   # _first_bytes says why it cannot be read
    if size > MAX_FILE_BYTES:
        raise SpreadsheetError(f"Le fichier « {path.name} » fait {size // (1024 * 1024)} Mo : au plus "
                               f"{MAX_FILE_BYTES // (1024 * 1024)} Mo pour un import. Il n'a pas été lu.")


def _looks_like_text(path: Path) -> bool:
    """Text in any of the encodings a CSV comes in: no control character but tabs and line ends."""
    with path.open("rb") as file:
        sample = file.read(4096)
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):   # UTF-16, as Excel's « Texte Unicode »
        return True
    text = sample.decode("utf-8", errors="ignore")   # cp1252's accents drop out: only controls matter here
    return bool(text.strip()) and not any(ord(c) < 32 and c not in "\t\r\n\f" for c in text)


def sheet_names(path: str | Path) -> tuple[str, ...]:
    """The worksheets of a workbook, in order; () for a CSV file or what is not a readable workbook."""
    path = Path(path)
    try:
        kind = file_kind(path)
    except SpreadsheetError:
        return ()
    if kind == "csv":
        return ()
    try:
        workbook = _open_workbook(path)
    except SpreadsheetError:
        return ()
    try:
        return _worksheet_names(workbook)
    finally:
        workbook.close()


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
    return SpreadsheetError(f"Le fichier « {path.name} » n'est pas un classeur (.xlsx, .xls, .xlsb, .ods) ni un "
                            "fichier CSV lisible.")


def _protected(path: Path) -> SpreadsheetError:
    return SpreadsheetError(f"Le classeur « {path.name} » est protégé par un mot de passe : ouvrez-le dans votre "
                            "tableur, enregistrez-en une copie sans mot de passe, puis importez cette copie.")


def _open_workbook(path: Path) -> CalamineWorkbook:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SpreadsheetError(f"Le fichier « {path} » ne peut pas être lu : {error.strerror or error}.") from error
    try:
        # From the bytes, not the path: calamine then tells the format by content, so an .xls renamed .xlsx reads.
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise _protected(path) from None
    except Exception as error:   # calamine raises its own errors, and some of its parsers plain ones
        if _is_encrypted_package(path):
            raise _protected(path) from error
        raise _unreadable(path) from error


def _is_encrypted_package(path: Path) -> bool:
    """An .xlsx saved with a password is an OLE container holding an 'EncryptedPackage' stream."""
    with path.open("rb") as file:
        return file.read(8) == OLE_MAGIC and "EncryptedPackage".encode("utf-16-le") in file.read(1 << 16)


def _worksheet_names(workbook: CalamineWorkbook, *, hidden: bool = False) -> tuple[str, ...]:
    """The visible worksheets, in order (with `hidden`, every worksheet).

    A hidden sheet (lists for drop-downs, an old version kept aside) is never chosen or offered unless named:
    importing it in place of the visible table would bring in what the user does not see."""
    return tuple(meta.name for meta in workbook.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet
                 and (hidden or meta.visible == SheetVisibleEnum.Visible))


def _read_workbook(path: Path, kind: str, sheet_name: str | None) -> Sheet:
    workbook = _open_workbook(path)
    try:
        names, every = _worksheet_names(workbook), _worksheet_names(workbook, hidden=True)
        if not every:
            raise _unreadable(path)
        if sheet_name is not None:   # a hidden sheet asked for by its name is read: the user chose it
            return _read_worksheet(path, kind, workbook, _named_sheet(every, sheet_name, path), names)
        if not names:
            listed = ", ".join(f"« {name} »" for name in every)
            raise SpreadsheetError(f"Toutes les feuilles du classeur « {path.name} » sont masquées ({listed}) : "
                                   "affichez celle à importer dans votre tableur, ou nommez-la.")
        for name in names[:-1]:
            try:
                return _read_worksheet(path, kind, workbook, name, names)
            except _EmptySheet:
                continue   # the data is on a later sheet
        return _read_worksheet(path, kind, workbook, names[-1], names)
    except SpreadsheetError:
        raise
    except Exception as error:   # a part calamine reads lazily, only now, may be corrupt too
        if isinstance(error, PasswordError):
            raise _protected(path) from error
        raise _unreadable(path) from error
    finally:
        workbook.close()


class _EmptySheet(SpreadsheetError):
    """A sheet without a single filled cell."""


def _named_sheet(names: tuple[str, ...], sheet_name: str, path: Path) -> str:
    for name in names:
        if name == sheet_name or fold(name) == fold(sheet_name):
            return name
    listed = ", ".join(f"« {name} »" for name in names)
    raise SpreadsheetError(f"Le classeur « {path.name} » n'a pas de feuille « {sheet_name} » ; feuilles : {listed}.")


def _read_worksheet(path: Path, kind: str, workbook: CalamineWorkbook, name: str, names: tuple[str, ...]) -> Sheet:
    sheet = workbook.get_sheet_by_name(name)
    # skip_empty_area=False: the rows start at A1, so row numbers are those the user sees.
    raw = enumerate(sheet.to_python(skip_empty_area=False), start=1)
    xml = _sheet_xml(path, name) if kind == "xlsx" else b""
    return _sheet(path, name, names, _patched(raw, _merged(sheet, xml), _formula_problems(xml)))


def _merged(sheet: CalamineSheet, xml: bytes) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of each merged range, 1-based: from calamine where the format tells
    it (.xls, .xlsx, .ods), else from the worksheet's XML."""
    try:
        ranges = sheet.merged_cell_ranges
    except Exception:
        ranges = None
    if ranges:
        return [(first[1] + 1, first[0] + 1, last[1] + 1, last[0] + 1) for first, last in ranges]
    return _merged_ranges(xml) if xml else []


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
    longest = max((len(line) for line in text.splitlines()), default=0)
    if longest > MAX_CSV_CELL:   # before csv, whose own limit is said in English
        number = next(n for n, line in enumerate(text.splitlines(), start=1) if len(line) == longest)
        raise SpreadsheetError(f"Le fichier CSV « {path.name} » a une ligne de {format_count(longest)} caractères "
                               f"(ligne {number}) : au plus {format_count(MAX_CSV_CELL)} par ligne. Ce n'est pas une "
                               "liste de partenaires ou d'établissements ; vérifiez le fichier.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        raw: list[tuple[int, list[object], dict[int, str]]] = [
            (number, list(values), {}) for number, values in enumerate(reader, start=1)]
    except csv.Error as error:
        raise SpreadsheetError(f"Le fichier CSV « {path.name} » est mal formé vers la ligne {reader.line_num} "
                               "(guillemet non refermé, cellule trop longue) : vérifiez-le dans votre tableur."
                               ) from error
    return _sheet(path, "", (), raw)


def _decoded(path: Path) -> str:
    """The CSV's text: UTF-16 or UTF-8 (BOM or not), else cp1252, line by line when the two are mixed.

    A UTF-8 BOM before cp1252 bytes (a tool added the mark, Excel wrote the rest) is not taken for text: the mark
    is dropped and each line read in the encoding it decodes in, so headers and accents come out right."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SpreadsheetError(f"Le fichier « {path} » ne peut pas être lu : {os_error_message(error)}") from error
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):   # Excel's « Texte Unicode » export
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise _unreadable(path) from error
    body = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # cp1252 is what Excel for Windows writes as « CSV (séparateur : point-virgule) ».
    return "\n".join(_line_text(line) for line in body.split(b"\n"))


def _line_text(line: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return line.decode(encoding)
        except UnicodeDecodeError:
            continue
    return line.decode("latin-1")   # never fails: the odd byte becomes a control character, refused later


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
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        return int(value)   # calamine gives every number as a float: 54000 is a whole number, as typed
    return value


def _headers(values: list[object]) -> tuple[str, ...]:
    texts = [" ".join(str(v).split()) if v is not None else "" for v in values]
    while texts and not texts[-1]:
        texts.pop()
    return tuple(texts)
