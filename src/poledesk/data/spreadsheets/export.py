"""Exporting the partner network: partners, contacts, offers and visits, one sheet each, to .xlsx or .ods; the
partners alone to a French csv. No cell is ever written as a formula (writing.py)."""

from __future__ import annotations

import io
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl import Workbook

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session, selectinload

from poledesk.data.files import write_atomically
from poledesk.data.models import Contact, Formation, HostingOffer, Partner, Visit
from poledesk.data.partners.offers import describe_months
from poledesk.data.progress import Progress, no_progress
from poledesk.data.spreadsheets.errors import SpreadsheetError
from poledesk.data.spreadsheets.mapping import PARTNER_FIELDS
from poledesk.data.spreadsheets.reading import column_letter
from poledesk.data.spreadsheets.writing import OdsBook, csv_bytes, xlsx_value
from poledesk.data.system_errors import os_error_message
from poledesk.data.text import plural

DATE_FORMAT = "DD/MM/YYYY"
TEXT_FORMAT = "@"                  # so that a SIRET or a postcode stays text when the user edits the cell
MIN_WIDTH, MAX_WIDTH = 8, 50
HEADER_FILL = "DDE7F0"
TEXT_KINDS = ("siret", "postcode", "phone")
EXPORT_SUFFIXES = (".xlsx", ".ods", ".csv")


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: str = "text"               # text, date, number, or an import field kind kept as text (siret...)


@dataclass(frozen=True, slots=True)
class SheetData:
    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[object, ...]]


@dataclass(frozen=True, slots=True)
class ExportSummary:
    path: Path
    partners: int
    contacts: int
    offers: int
    visits: int

    def describe(self) -> str:
        counts: tuple[tuple[str, int], ...] = (("Partenaires", self.partners), ("Contacts", self.contacts),
                                               ("Offres", self.offers),
                  ("Visites", self.visits))
        if self.path.suffix.lower() == ".csv":   # one table only: the partners
            counts = counts[:1]
        return " ; ".join(f"{title} : {plural(count, 'ligne')}" for title, count in counts)


def export_partners(session: Session, path: str | Path, progress: Progress = no_progress, *,
                    partner_ids: Collection[int] | None = None) -> ExportSummary:
    """Write the live partners, contacts, offers and visits to `path`, whole or not at all: a workbook (.xlsx,
    .ods) of four sheets, or the partners alone in a csv (UTF-8 with BOM, ';', for French Excel). With
    `partner_ids` (the partners a search and its filters show), those partners only, with their records.

    The Partenaires sheet has the import's columns, so the file re-imports as it is.
    """
    path = Path(path)
    if path.suffix.lower() not in EXPORT_SUFFIXES:
        raise SpreadsheetError(f"L'export s'écrit dans un classeur .xlsx ou .ods, ou dans un fichier .csv : "
                               f"« {path.name} » n'en est pas un.")
    builders: Sequence[Callable[[Session, Collection[int] | None], SheetData]] = (
        _partners_sheet, _contacts_sheet, _offers_sheet, _visits_sheet)
    total = len(builders) + 2
    sheets = []
    for done, build in enumerate(builders):
        progress(done, total, "Export du réseau de partenaires")
        sheets.append(build(session, partner_ids))
    progress(len(builders), total, "Écriture du classeur")
    # The last report comes before the file replaces the old one: a cancel there still leaves the old file.
    _save_atomically(sheets, path, lambda: progress(total, total, "Export terminé"))
    return ExportSummary(path, *(len(sheet.rows) for sheet in sheets))


# --- The sheets' content ------------------------------------------------------------


def cell_value(value: object) -> object:
    """A record's value as the exported cell holds it: labels for enums, Oui/Non, dates as dates, None for ''."""
    if isinstance(value, Enum):    # before str: the domain's enums are StrEnums
        return getattr(value, "label", value.value)
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    return value


def _among(only: Collection[int] | None) -> ColumnElement[bool]:
    """The partners exported: every live one, or the live ones among `only`."""
    live = Partner.deleted_at.is_(None)
    return live if only is None else and_(live, Partner.id.in_(sorted(only)))


def _partners_sheet(session: Session, only: Collection[int] | None = None) -> SheetData:
    fields = [f for f in PARTNER_FIELDS if not f.key.startswith("contact_") and f.key != "sector"]  # last column
    columns = tuple(Column(f.label, f.kind) for f in fields) + (Column("Secteur d'activité"),)
    partners = session.scalars(select(Partner).where(_among(only)).order_by(Partner.name, Partner.id))
    rows = [tuple(cell_value(getattr(p, f.key)) for f in fields) + (p.sector or None,) for p in partners]
    return SheetData("Partenaires", columns, rows)


def _contacts_sheet(session: Session, only: Collection[int] | None = None) -> SheetData:
    columns = (Column("Partenaire"), Column("SIRET du partenaire", "siret"), Column("Nom"), Column("Prénom"),
               Column("Fonction"), Column("Téléphone", "phone"), Column("Courriel"), Column("Tuteur"),
               Column("Accepte d'être contacté"))
    stmt = (select(Partner.name, Partner.siret, Contact.last_name, Contact.first_name, Contact.role, Contact.phone,
                   Contact.email, Contact.is_tutor, Contact.consents_to_contact)
            .join(Partner, Partner.id == Contact.partner_id)
            .where(Contact.deleted_at.is_(None), _among(only))
            .order_by(Partner.name, Partner.id, Contact.last_name, Contact.first_name, Contact.id))
    return SheetData("Contacts", columns, _rows(session.execute(stmt)))


def _offers_sheet(session: Session, only: Collection[int] | None = None) -> SheetData:
    columns = (Column("Partenaire"), Column("Public"), Column("Formation"), Column("Secteur"),
               Column("Places", "number"), Column("Mois"), Column("Semaines"), Column("Réservée à"),
               Column("Sollicitations max. par mois", "number"), Column("Confirmée le", "date"), Column("Notes"))
    stmt = (select(HostingOffer, Partner.name, Formation.label)
            .join(Partner, Partner.id == HostingOffer.partner_id)
            .outerjoin(Formation, Formation.id == HostingOffer.formation_id)
            .where(HostingOffer.deleted_at.is_(None), _among(only))
            .options(selectinload(HostingOffer.reserved_to))
            .order_by(Partner.name, Partner.id, HostingOffer.id))
    values = ((name, offer.audience, formation, offer.sector, offer.places, describe_months(offer.month_numbers),
               offer.weeks, ", ".join(e.name for e in offer.reserved_to if e.deleted_at is None) or "Tous",
               offer.max_requests_per_month, offer.last_confirmed_on, offer.notes)
              for offer, name, formation in session.execute(stmt))
    return SheetData("Offres", columns, _rows(values))


def _visits_sheet(session: Session, only: Collection[int] | None = None) -> SheetData:
    columns = (Column("Partenaire"), Column("Date", "date"), Column("Type"), Column("Interlocuteur"),
               Column("Qui"), Column("Résumé"), Column("Résultat"), Column("Action à mener"),
               Column("Échéance", "date"), Column("Faite le", "date"))
    contact_name = (Contact.first_name + " " + Contact.last_name)
    stmt = (select(Partner.name, Visit.visited_on, Visit.kind, contact_name, Visit.who, Visit.summary,
                   Visit.outcome, Visit.next_action, Visit.next_action_due, Visit.next_action_done_on)
            .join(Partner, Partner.id == Visit.partner_id)
            .outerjoin(Contact, Contact.id == Visit.contact_id)
            .where(Visit.deleted_at.is_(None), _among(only))
            .order_by(Partner.name, Partner.id, Visit.visited_on, Visit.id))
    return SheetData("Visites", columns, _rows(session.execute(stmt)))


def _rows(records: Iterable[Sequence[object]]) -> list[tuple[object, ...]]:
    return [tuple(cell_value(value) for value in record)
            for record in records]


# --- The workbook -----------------------------------------------------------------------


def _file_bytes(sheets: Sequence[SheetData], suffix: str) -> bytes | None:
    """The .ods or .csv file's content; None for .xlsx, which openpyxl saves itself."""
    if suffix == ".csv":
        partners = sheets[0]
        return csv_bytes([c.header for c in partners.columns], partners.rows)
    if suffix == ".ods":
        book = OdsBook()
        for data in sheets:
            book.add_sheet(data.title, [c.header for c in data.columns], data.rows, widths=_widths(data),
                           text_columns=[i for i, c in enumerate(data.columns) if c.kind in TEXT_KINDS])
        return book.to_bytes()
    return None


def _workbook(sheets: Sequence[SheetData]) -> Workbook:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)   # streams rows: 10,000 partners in a fraction of the time
    for data in sheets:
        _write_sheet(workbook.create_sheet(data.title), data)
    return workbook


# A write-only workbook's sheets are WriteOnlyWorksheet, which openpyxl's stubs do not tell apart from Worksheet.
def _write_sheet(worksheet: Any, data: SheetData) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    # In write-only mode, widths, panes and filters must be set before the first row is written.
    for index, width in enumerate(_widths(data)):
        worksheet.column_dimensions[column_letter(index)].width = width
    worksheet.freeze_panes = "A2"
    last = column_letter(len(data.columns) - 1)
    worksheet.auto_filter.ref = f"A1:{last}{len(data.rows) + 1}"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    header = []
    for column in data.columns:
        cell = WriteOnlyCell(worksheet, value=column.header)
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(vertical="center")
        header.append(cell)
    worksheet.append(header)
    formats = [DATE_FORMAT if c.kind == "date" else TEXT_FORMAT if c.kind in TEXT_KINDS else None
               for c in data.columns]
    for row in data.rows:
        worksheet.append([_cell(worksheet, value, number_format)
                          for value, number_format in zip(row, formats, strict=True)])


def _cell(worksheet: Any, value: object, number_format: str | None) -> object:
    return xlsx_value(worksheet, value, number_format)   # formula-like text stays text


def _widths(data: SheetData) -> list[float]:
    widths = []
    for index, column in enumerate(data.columns):
        longest = max((_shown_length(row[index]) for row in data.rows), default=0)
        widths.append(float(min(MAX_WIDTH, max(MIN_WIDTH, len(column.header) + 4, longest + 2))))
    return widths


def _shown_length(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def _save_atomically(sheets: Sequence[SheetData], path: Path, before_replace: Callable[[], None]) -> None:
    """The old file or the new, never half; the workbook is built only once there is somewhere to write it."""
    def write(temporary: Path) -> None:
        data = _file_bytes(sheets, path.suffix.lower())
        if data is None:
            # Saved in memory first: a full disk then fails in one plain write, not inside openpyxl, whose
            # streams, closed by the error, then raise "I/O operation on closed file" over it.
            buffer = io.BytesIO()
            _workbook(sheets).save(buffer)
            data = buffer.getvalue()
        temporary.write_bytes(data)
        before_replace()

    try:
        write_atomically(path, write)
    except OSError as error:
        raise SpreadsheetError(f"L'export n'a pas pu être écrit dans « {path} » : {os_error_message(error)}") \
            from error

