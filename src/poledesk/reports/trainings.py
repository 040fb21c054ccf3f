"""Tutor training documents: the attendance sheet (émargement), the attestations, the invitation list (.xlsx, .csv)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from poledesk.data import identity
from poledesk.data.errors import DocumentError as DocumentError
from poledesk.data.progress import Progress, no_progress
from poledesk.data.spreadsheets.writing import OdsBook, csv_bytes, guard_worksheet
from poledesk.data.text import fold, format_date, plural
from poledesk.data.trainings import listing as trainings
from poledesk.data.trainings.listing import RegistrationLine, SessionDetail, format_time, hours_text
from poledesk.reports.style import (
    FONT,
    DocumentInfo,
    Signatory,
    build_pdf,
    content_width,
    data_table,
    fields_table,
    fit_text,
    para,
    signature_box,
    spacer,
    styles,
    write_pdf_atomic,
)

ROWS_PER_PAGE = 15
WALK_IN_ROWS = 5          # blank rows at the end, at least, for those who come without having registered
INVITED_MARK = "invité"
ROW_HEIGHT_MM = 9.5
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
INVITATION_WIDTHS = (18, 16, 30, 32, 22, 15, 12, 12, 34, 12, 16, 30)
CSV_HEADER = ("nom", "prénom", "courriel", "structure", "session", "date", "horaires", "lieu")
XLSX_HEADER = ("Nom", "Prénom", "Courriel", "Structure", "Fonction", "État", "Invité le", "Inscrit le", "Session",
               "Date", "Horaires", "Lieu")


@dataclass(frozen=True, slots=True)
class PoleInfo:
    name: str
    code: str
    academie: str
    bassin: str
    animator: str


@dataclass(frozen=True, slots=True)
class TrainingDocument:
    """What a training document shows: the session with its registrations, and the pole that runs it."""

    session: SessionDetail
    pole: PoleInfo

    @property
    def pole_line(self) -> str:
        text = f"{self.pole.name} ({self.pole.code})" if self.pole.code else self.pole.name
        return f"{text} – académie de {self.pole.academie}" if self.pole.academie else text


def training_document(session: Session, session_id: int) -> TrainingDocument:
    """Read what the documents need; DocumentError if the session is gone."""
    detail = trainings.session_detail(session, session_id)
    if detail is None:
        raise DocumentError("Cette session a été supprimée ou n'existe plus.")
    return TrainingDocument(detail, pole_info(session))


def pole_info(session: Session) -> PoleInfo:
    ident = identity.current_identity(session)
    if ident is None:
        return PoleInfo("Pôle de stages", "", "", "", "")
    pole = identity.pole_of(session, ident.code)
    if pole is None:
        return PoleInfo(ident.name, ident.code, ident.academie, "", "")
    return PoleInfo(pole.name, pole.code, pole.academie, pole.bassin, pole.animator_name)


def attendance_lines(s: SessionDetail) -> tuple[RegistrationLine, ...]:
    """Who the attendance sheet lists, in name order: the registered, whoever came, and the invited who have not
    answered (they may come all the same: they sign on their own line, marked « invité »)."""
    lines = [r for r in s.registrations if r.is_live and (r.is_registered or r.attended or r.is_invited_only)]
    return tuple(sorted(lines, key=lambda r: (fold(r.last_name), fold(r.first_name), r.id)))


def sheet_pages(lines: int) -> int:
    """Pages of an attendance sheet of so many named lines: 15 rows a page, with room for the walk-ins."""
    return max(1, -(-(lines + WALK_IN_ROWS) // ROWS_PER_PAGE))


# --- Attendance sheet ------------------------------------------------------------------------------------------


def render_attendance_sheet(doc: TrainingDocument, *, progress: Progress = no_progress) -> bytes:
    """The feuille d'émargement: the session's details at the top of each page, then 15 rows a page (the last
    page's free rows stay blank for those who come unregistered), a signature box per half-day."""
    s = doc.session
    people = attendance_lines(s)
    pages = sheet_pages(len(people))
    story: list[Flowable] = []
    for page in range(pages):
        progress(page, pages, "Feuille d'émargement")
        chunk = people[page * ROWS_PER_PAGE:(page + 1) * ROWS_PER_PAGE]
        if page:
            story.append(PageBreak())
        story += _sheet_heading(doc)
        story.append(_sheet_table(s, chunk, first_number=page * ROWS_PER_PAGE + 1))
        story += _sheet_footer(s)
    data = build_pdf(story, DocumentInfo(
        title=f"Feuille d'émargement – {s.title}", header_left=doc.pole.name,
        header_right=f"Formation des tuteurs – {format_date(s.session_date)}",
        footer_left=f"Feuille d'émargement de la session du {format_date(s.session_date)} – éditée le "
                    f"{format_date(date.today())}",
        subject="Formation des tuteurs et tutrices"))
    progress(pages, pages, "Feuille d'émargement")
    return data


def _sheet_heading(doc: TrainingDocument) -> list[Flowable]:
    s, st, width = doc.session, styles(), content_width()
    day = f"{WEEKDAYS[s.session_date.weekday()]} {format_date(s.session_date)}"
    left = [("Intitulé", s.title), ("Thème", s.theme), ("Date", day),
            ("Horaires", hours_text(s.start_time, s.end_time))]
    right = [("Lieu", s.place), ("Formateur ou formatrice", s.trainer), ("Pôle", doc.pole_line),
             ("Inscriptions", _counts_text(s))]
    half = (width - 6 * mm) / 2
    label = 24 * mm
    facts = Table([[fields_table(left, [label, half - label]), "", fields_table(right, [label + 6 * mm,
                                                                                        half - label - 6 * mm])]],
                  colWidths=[half, 6 * mm, half], hAlign="LEFT")
    facts.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return [para("Feuille d'émargement", st.title),
            para("Formation des tuteurs et tutrices de stage", st.subtitle), facts, spacer(4)]


def _counts_text(s: SessionDetail) -> str:
    """'12 inscrits, 3 invités sans réponse (capacité : 20 places)'"""
    registered = sum(1 for r in s.expected)
    invited = sum(1 for r in s.registrations if r.is_live and r.is_invited_only and not r.attended)
    text = plural(registered, "inscrit")
    if invited:
        text += f", {plural(invited, 'invité sans réponse', 'invités sans réponse')}"
    return f"{text} (capacité\u00a0: {plural(s.capacity, 'place')})"


def _half_days(start: time, end: time) -> tuple[str, ...]:
    """One signature for a morning or an afternoon, two for a day that spans the lunch break."""
    return ("Signature matin", "Signature après-midi") if start < time(12) and end > time(14) else ("Signature",)


def _sheet_table(s: SessionDetail, chunk: tuple[RegistrationLine, ...], *, first_number: int) -> Flowable:
    width = content_width()
    columns = _half_days(s.start_time, s.end_time)
    sign_width = 42 * mm if len(columns) == 1 else 34 * mm
    name_width = (width - 9 * mm - sign_width * len(columns)) * 0.5
    widths = [9 * mm, name_width, width - 9 * mm - name_width - sign_width * len(columns)]
    widths += [sign_width] * len(columns)
    rows = []
    for offset in range(ROWS_PER_PAGE):
        line = chunk[offset] if offset < len(chunk) else None
        name = _two_lines(f"{line.last_name.upper()} {line.first_name}".strip() if line else "", widths[1])
        partner = "" if line is None else f"{line.partner} ({INVITED_MARK})" \
            if line.is_invited_only and not line.attended else line.partner
        structure = _two_lines(partner, widths[2])
        cells: list[str | Flowable] = [str(first_number + offset) if line else "", name, structure]
        cells += [Spacer(1, ROW_HEIGHT_MM * mm) for _ in columns]
        rows.append(cells)
    return data_table(("N°", "Nom et prénom", "Structure", *columns), rows, widths)


def _two_lines(text: str, width: float) -> str:
    """Cut a long name so that it wraps on two lines at most: every row keeps its height, 15 rows a page."""
    return fit_text(text, FONT, styles().cell.fontSize, (width - 8) * 1.9)


def _sheet_footer(s: SessionDetail) -> list[Flowable]:
    st = styles()
    who = f" ({s.trainer})" if s.trainer else ""
    text = f"Nombre de présents\u00a0: ........      Signature du formateur ou de la formatrice{who}\u00a0:"
    return [spacer(3), para(text, st.small)]


# --- Attestations ----------------------------------------------------------------------------------------------


def render_attestations(doc: TrainingDocument, *, issued_on: date | None = None,
                        progress: Progress = no_progress) -> bytes:
    """One page per attendee, signed by the animateur; DocumentError when nobody is marked present."""
    attendees = doc.session.attendees
    if not attendees:
        raise DocumentError("Aucune présence n'est saisie pour cette session : cochez d'abord les présents.")
    issued_on = issued_on or date.today()
    story: list[Flowable] = []
    for number, line in enumerate(attendees):
        progress(number, len(attendees), "Attestations de formation")
        if number:
            story.append(PageBreak())
        story += _attestation(doc, line, issued_on)
    data = build_pdf(story, DocumentInfo(
        title=f"Attestations de formation – {doc.session.title}", header_left=doc.pole.name,
        header_right=f"Formation des tuteurs – {format_date(doc.session.session_date)}",
        footer_left=f"Attestation de formation – session du {format_date(doc.session.session_date)} – éditée le "
                    f"{format_date(issued_on)}",
        subject="Attestation de formation des tuteurs et tutrices"))
    progress(len(attendees), len(attendees), "Attestations de formation")
    return data


def _attestation(doc: TrainingDocument, line: RegistrationLine, issued_on: date) -> list[Flowable]:
    s, st, pole = doc.session, styles(), doc.pole
    animator = pole.animator or "l'animateur ou l'animatrice du pôle"
    theme = f" (thème\u00a0: {s.theme})" if s.theme else ""
    trainer = f" Elle a été animée par {s.trainer}." if s.trainer else ""
    who = ", ".join(x for x in (line.role, line.partner) if x)
    place = pole.bassin or s.place
    return [
        spacer(14), para("Attestation de formation", st.title),
        para("Formation des tuteurs et tutrices de stage", st.subtitle), spacer(10),
        para(f"{animator}, qui assure l'animation {_of_pole(pole)}, atteste que\u00a0:",
             st.justified),
        spacer(4), para(line.contact, st.section), para(who, st.body), spacer(4),
        para(f"a suivi la formation des tuteurs et tutrices « {s.title} »{theme}, le {format_date(s.session_date)} "
             f"de {format_time(s.start_time)} à {format_time(s.end_time)}, à {s.place}.{trainer}", st.justified),
        spacer(2), para("Cette formation accompagne les tuteurs et tutrices qui accueillent des élèves en stage, en "
             "période de formation en milieu professionnel (PFMP) ou en séquence d'observation.", st.justified),
        spacer(4), para("Attestation délivrée pour servir et valoir ce que de droit.", st.justified),
        spacer(8), para(f"Fait à {place}, le {format_date(issued_on)}.", st.body), spacer(6),
        CondPageBreak(45 * mm), _signed_by(pole),
    ]


def _signed_by(pole: PoleInfo) -> Flowable:
    box = signature_box(Signatory("L'animateur ou l'animatrice du pôle", pole.animator, detail=pole.name,
                                  mention=""), 85 * mm, height_mm=26)
    box.hAlign = "RIGHT"     # signed at the foot, on the right, as French letters are
    return box


def _of_pole(pole: PoleInfo) -> str:
    """'du pôle de stages du bassin de Nancy (NM-07)', from the pole's name as it was typed."""
    name = pole.name.strip()
    code = f" ({pole.code})" if pole.code else ""
    if name.casefold().startswith("pôle"):
        return f"du {name[0].lower()}{name[1:]}{code}"
    return f"du pôle de stages « {name} »{code}"


# --- Invitation list -------------------------------------------------------------------------------------------


def _state(line: RegistrationLine) -> str:
    if line.waitlisted:
        return "Liste d'attente"
    if line.attended:
        return "Présent"
    return "Inscrit" if line.is_registered else "Invité"


def invitation_csv(s: SessionDetail) -> bytes:
    """The mail-merge file: UTF-8 with BOM (Excel reads the accents), ';' separated, one line per invited person;
    text that a spreadsheet could take for a formula is quoted (writing.csv_text)."""
    return csv_bytes(CSV_HEADER, ((line.last_name, line.first_name, line.email, line.partner, s.title,
                                   format_date(s.session_date), hours_text(s.start_time, s.end_time), s.place)
                                  for line in trainings.invited_lines(s)))


def _xlsx_rows(s: SessionDetail) -> list[tuple[object, ...]]:
    return [(line.last_name, line.first_name, line.email, line.partner, line.role, _state(line), line.invited_on,
             line.registered_on, s.title, s.session_date, hours_text(s.start_time, s.end_time), s.place)
            for line in trainings.invited_lines(s)]


def invitation_ods(s: SessionDetail) -> bytes:
    """The invitation list as an OpenDocument workbook, the same columns as the .xlsx."""
    book = OdsBook()
    book.add_sheet("Invitations", XLSX_HEADER, _xlsx_rows(s), widths=INVITATION_WIDTHS)
    return book.to_bytes()


def invitation_file(s: SessionDetail, suffix: str) -> bytes:
    """The invitation list in the format a file name ends with: .xlsx, .ods, or .csv for a mail merge."""
    writers = {".xlsx": invitation_xlsx, ".ods": invitation_ods, ".csv": invitation_csv}
    return writers[suffix.lower()](s)


def invitation_xlsx(s: SessionDetail) -> bytes:
    """The invitation list as a workbook: French headers, frozen header row, filter on every column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.worksheets[0]   # a new workbook has one sheet
    sheet.title = "Invitations"
    sheet.append(XLSX_HEADER)
    for row in _xlsx_rows(s):
        sheet.append(list(row))
    guard_worksheet(sheet)   # a name typed as =HYPERLINK(…) stays text
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E9EEF3")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, (date, datetime)):
                cell.number_format = "DD/MM/YYYY"
    for column, width in zip("ABCDEFGHIJKL", INVITATION_WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_document(path: Path, data: bytes) -> Path:
    """Write a document all at once (temporary file, fsync, rename): never half a file."""
    write_pdf_atomic(path, data)
    return Path(path)
