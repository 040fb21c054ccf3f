"""Exporting the partner network: partners, contacts, offers and visits, one sheet each, to .xlsx or .ods; the
partners alone to a French csv. No cell is ever written as a formula (writing.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session, selectinload

from poledesk.data.files import write_atomically
from poledesk.data.models import Contact, Formation, HostingOffer, Partner, Visit
from poledesk.data.partners.offers import describe_months
from poledesk.data.progress import Progress, no_progress
from poledesk.data.spreadsheets.errors import SpreadsheetError
from poledesk.data.spreadsheets.mapping import PARTNER_FIELDS
from poledesk.data.spreadsheets.writing import DATE_FORMAT as DATE_FORMAT
from poledesk.data.spreadsheets.writing import HEADER_FILL as HEADER_FILL
from poledesk.data.spreadsheets.writing import TEXT_FORMAT as TEXT_FORMAT
from poledesk.data.spreadsheets.writing import OdsBook, XlsxBook, csv_bytes
from poledesk.data.system_errors import os_error_message
from poledesk.data.text import plural

MIN_WIDTH, MAX_WIDTH = 8, 50
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


def _file_bytes(sheets: Sequence[SheetData], suffix: str) -> bytes:
    """The .xlsx, .ods or .csv file's content."""
    if suffix == ".csv":
        partners = sheets[0]
        return csv_bytes([c.header for c in partners.columns], partners.rows)
    if suffix == ".ods":
        book = OdsBook()
        for data in sheets:
            book.add_sheet(data.title, [c.header for c in data.columns], data.rows, widths=_widths(data),
                           text_columns=[i for i, c in enumerate(data.columns) if c.kind in TEXT_KINDS])
        return book.to_bytes()
    workbook = XlsxBook()
    for data in sheets:
        workbook.add_sheet(data.title, [c.header for c in data.columns], data.rows, widths=_widths(data),
                       text_columns=[i for i, c in enumerate(data.columns) if c.kind in TEXT_KINDS],
                       date_columns=[i for i, c in enumerate(data.columns) if c.kind == "date"])
    return workbook.to_bytes()


def _widths(data: SheetData) -> list[float]:
    widths = []
    for index, column in enumerate(data.columns):
        longest = max((_shown_length(row[index]) for row in data.rows), default=0)
        widths.append(float(min(MAX_WIDTH, max(MIN_WIDTH, len(column.header) + 4, longest + 2))))
    return widths


# What str.splitlines breaks a text at: a cell without any is one line, its length measured at once (the widths
# read every cell of a sheet of ten thousand rows).
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _shown_length(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    text = value if isinstance(value, str) else str(value)
    if _LINE_BREAKS.search(text) is None:
        return len(text)
    return max((len(line) for line in text.splitlines()), default=0)


def _save_atomically(sheets: Sequence[SheetData], path: Path, before_replace: Callable[[], None]) -> None:
    """The old file or the new, never half; the workbook is built only once there is somewhere to write it."""
    def write(temporary: Path) -> None:
        # Built in memory first: a full disk then fails in one plain write, never half-way through the workbook.
        temporary.write_bytes(_file_bytes(sheets, path.suffix.lower()))
        before_replace()

    try:
        write_atomically(path, write)
    except OSError as error:
        raise SpreadsheetError(f"L'export n'a pas pu être écrit dans « {path} » : {os_error_message(error)}") \
            from error

