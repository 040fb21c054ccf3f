"""The look every PoleDesk PDF shares: A4 pages, fonts, header and "page n / N" footer, styles, tables, signatures.

How a document uses it (ReportLab platypus):

    story = [para("Convention de stage", styles().title), section("Article 1"), para(text), ...]
    data = build_pdf(story, DocumentInfo(title="Convention…", header_left=pole, header_right=school))
    write_pdf_atomic(path, data)

Every text goes through `para()` (or `escape()` before markup of your own): it escapes &, < and >, and sets it
as French print has it (typography.py): ’ for ', a no-break space before : ; ! ? and inside « », the nearest
letter for one the font lacks. Text read back from a PDF (pypdf) therefore holds ’ and U+00A0. The font is DejaVu
Sans (Vera's metrics, more letters: every glyph French needs and most of Latin Extended), shipped in PoleDesk's own
resources (resources/fonts/, with its licence): every way of installing finds it through paths.resource(), and no
system font nor ReportLab's data folder is needed. ReportLab loads when a report module is first imported: the UI
imports `poledesk.reports` lazily.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from poledesk import paths
from poledesk.data.errors import DocumentError
from poledesk.data.files import write_atomically
from poledesk.reports.typography import clean, clean_markup, escape

FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC = "PoleDesk", "PoleDesk-Bold", "PoleDesk-Italic", "PoleDesk-BoldItalic"
_FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf", FONT_ITALIC: "DejaVuSans-Oblique.ttf",
               FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf"}

MARGIN = 18 * mm
HEADER_HEIGHT = 12 * mm          # room kept above the frame for the header line
FOOTER_HEIGHT = 10 * mm

INK = colors.HexColor("#1B1B1B")
ACCENT = colors.HexColor("#1F3A5F")       # titles and rules: dark blue that prints as a dark grey
RULE = colors.HexColor("#8A96A3")
SHADE = colors.HexColor("#E9EEF3")        # table headers; light enough for a black-and-white printer
FAINT = colors.HexColor("#5A6470")


@cache
def register_fonts() -> None:
    """Register DejaVu Sans (regular, bold, oblique, bold oblique) as the PoleDesk family, once per process."""
    from reportlab.lib.fonts import addMapping

    for name, file in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(paths.resource(f"fonts/{file}"))))
    faces: tuple[tuple[Literal[0, 1], Literal[0, 1], str], ...] = (
        (0, 0, FONT), (1, 0, FONT_BOLD), (0, 1, FONT_ITALIC), (1, 1, FONT_BOLD_ITALIC))
    for bold, italic, name in faces:
        addMapping(FONT, bold, italic, name)


@dataclass(frozen=True, slots=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    section: ParagraphStyle
    subsection: ParagraphStyle
    body: ParagraphStyle
    justified: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    head: ParagraphStyle
    label: ParagraphStyle


@cache
def styles() -> Styles:
    """The paragraph styles, built once the fonts are registered."""
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, textColor=INK, alignment=TA_LEFT,
                          spaceAfter=3, allowWidows=0, allowOrphans=0, hyphenationLang="")
    cell = ParagraphStyle("cell", parent=body, fontSize=8.8, leading=11, spaceAfter=0)
    return Styles(
        title=ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=15, leading=19, alignment=TA_CENTER,
                             textColor=ACCENT, spaceAfter=3),
        subtitle=ParagraphStyle("subtitle", parent=body, fontSize=9.5, leading=12.5, alignment=TA_CENTER,
                                textColor=FAINT, spaceAfter=8),
        section=ParagraphStyle("section", parent=body, fontName=FONT_BOLD, fontSize=11.5, leading=14.5,
                               textColor=ACCENT, spaceBefore=10, spaceAfter=4, keepWithNext=1),
        subsection=ParagraphStyle("subsection", parent=body, fontName=FONT_BOLD, fontSize=9.8, leading=12.5,
                                  spaceBefore=6, spaceAfter=2, keepWithNext=1),
        body=body,
        justified=ParagraphStyle("justified", parent=body, alignment=TA_JUSTIFY),
        small=ParagraphStyle("small", parent=body, fontSize=7.8, leading=9.8, textColor=FAINT),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=FONT_BOLD),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=2),
        head=ParagraphStyle("head", parent=cell, fontName=FONT_BOLD, textColor=ACCENT),
        label=ParagraphStyle("label", parent=cell, fontSize=8, leading=10, textColor=FAINT),
    )


def para(text: str | None, style: ParagraphStyle | None = None, *, markup: bool = False) -> Paragraph:
    """A paragraph of plain text (escaped), or of ReportLab markup when `markup` is set (then escape it yourself)."""
    return Paragraph(clean_markup(text or "") if markup else escape(text), style or styles().body)


def section(text: str) -> Paragraph:
    return para(text, styles().section)


def spacer(height_mm: float) -> Spacer:
    return Spacer(1, height_mm * mm)


def content_width(*, wide: bool = False) -> float:
    """Width of the frame: portrait A4 by default, landscape A4 when `wide`."""
    page_width = landscape(A4)[0] if wide else A4[0]
    return page_width - 2 * MARGIN


Cell = str | Flowable | None


def data_table(header: Sequence[str], rows: Sequence[Sequence[Cell]], widths: Sequence[float], *,
               right: Sequence[int] = (), footer: Sequence[Cell] | None = None) -> Table:
    """A ruled table whose header row repeats on every page; plain strings become wrapping paragraphs.

    `right` lists the columns aligned right (hours, amounts); `footer` is a last row in bold (a total).
    """
    st = styles()

    def cell(value: Cell, column: int, style: ParagraphStyle) -> Flowable | str:
        if isinstance(value, Flowable):
            return value
        chosen = st.cell_right if column in right and style is st.cell else style
        return para(value or "", chosen)

    data = [[cell(text, i, st.head) for i, text in enumerate(header)]]
    data += [[cell(value, i, st.cell) for i, value in enumerate(row)] for row in rows]
    if footer is not None:
        bold_right = ParagraphStyle("total_right", parent=st.cell_bold, alignment=2)
        data.append([cell(v, i, bold_right if i in right else st.cell_bold) for i, v in enumerate(footer)])
    table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), SHADE), ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE), ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3), ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
    if footer is not None:
        commands += [("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT), ("BACKGROUND", (0, -1), (-1, -1), SHADE)]
    table.setStyle(TableStyle(commands))
    return table


def fields_table(pairs: Sequence[tuple[str, Cell]], widths: Sequence[float], *, blank: str = "—") -> Table:
    """Label / value lines (a party's details): labels small and grey on the left, values wrapping on the right.

    An empty value prints `blank`: a dash, or a dotted line to fill in by hand.
    """
    st = styles()
    rows = [[para(label, st.label), value if isinstance(value, Flowable) else para(value or blank, st.cell)]
            for label, value in pairs]
    table = Table(rows, colWidths=list(widths), hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4)]))
    return table


def framed(flowables: Sequence[Flowable], width: float, *, title: str = "") -> Table:
    """A light box around some flowables (a party, a notice), with an optional shaded title bar."""
    st = styles()
    rows: list[list[Any]] = [[para(title, st.head)]] if title else []
    rows.append([list(flowables)])
    table = Table(rows, colWidths=[width], hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), 0.6, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
    if title:
        commands += [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE)]
    table.setStyle(TableStyle(commands))
    return table


@dataclass(frozen=True, slots=True)
class Signatory:
    """Who signs and in which quality: "Le chef d'établissement", "Mme Anne Roux"."""

    quality: str
    name: str
    detail: str = ""                 # a second line under the name: role, organisation
    mention: str = "Lu et approuvé"  # what the signatory writes by hand; "" for none
    prompt: str = ""                 # the line above the empty box, when the default does not fit


def signature_box(signatory: Signatory, width: float, *, height_mm: float = 24) -> Table:
    """One signature block: quality, name, date line, the handwritten mention asked for, and an empty box."""
    return _signature_row([signatory], width, gap=0, height_mm=height_mm)


def signature_grid(signatories: Sequence[Signatory], width: float, *, columns: int = 2,
                   height_mm: float = 24) -> list[Flowable]:
    """Signature blocks side by side, `columns` to a row, of equal heights; a row never splits across pages."""
    gap = 5 * mm
    box_width = (width - gap * (columns - 1)) / columns
    return [KeepTogether([_signature_row(list(signatories[start:start + columns]), box_width, gap=gap,
                                         height_mm=height_mm)])
            for start in range(0, len(signatories), columns)]


def _prompt(signatory: Signatory) -> str:
    if signatory.prompt:
        return signatory.prompt
    return f"Mention manuscrite « {signatory.mention} » et signature :" if signatory.mention else "Signature :"


def _signature_row(chunk: list[Signatory], box_width: float, *, gap: float, height_mm: float) -> Table:
    # One table for the whole row, a column per block with a gap column between: the lines of the blocks
    # (quality, name, date...) share their heights, so the boxes stay aligned whatever wraps.
    st = styles()
    with_detail = any(s.detail for s in chunk)
    with_mention = any(s.mention or s.prompt for s in chunk)
    columns: list[list[Any]] = []
    for signatory in chunk:
        lines: list[Any] = [para(signatory.quality, st.head), para(signatory.name or "—", st.cell_bold)]
        if with_detail:
            lines.append(para(signatory.detail, st.label))
        lines.append(para("Date : ....../....../............", st.cell))
        if with_mention:
            lines.append(para(_prompt(signatory), st.label))
        lines.append(Spacer(1, height_mm * mm))
        columns.append(lines)
    rows = [[cell for i, column in enumerate(columns) for cell in ([column[line]] if i == 0 else ["", column[line]])]
            for line in range(len(columns[0]))]
    widths = [box_width] + [gap, box_width] * (len(chunk) - 1)
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5), ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    for i in range(len(chunk)):
        column = 2 * i
        commands += [("BOX", (column, 0), (column, -1), 0.7, ACCENT), ("BACKGROUND", (column, 0), (column, 0), SHADE),
                     ("LINEBELOW", (column, 0), (column, 0), 0.5, RULE)]
    table.setStyle(TableStyle(commands))
    table.spaceAfter = 4 * mm
    return table


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What the pages say around the content: PDF metadata, header line, footer line."""

    title: str
    header_left: str = ""            # the pole's name
    header_right: str = ""           # the establishment's name (or the session's place)
    footer_left: str = ""            # the document's reference, e.g. "Convention n° 412 – éditée le 03/02/2027"
    author: str = "PoleDesk"
    subject: str = ""
    wide: bool = False               # landscape A4 (attendance sheets)


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """`text` cut with an ellipsis so that it fits `width` points on one line."""
    text = clean(text)
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _numbered_canvas(info: DocumentInfo) -> type[Canvas]:
    """A canvas that keeps every page until save(), then draws the header and "page n / N" on each."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # ReportLab's page-count recipe; private in its stubs

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                _draw_furniture(self, info, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def _draw_furniture(canvas: Canvas, info: DocumentInfo, number: int, total: int) -> None:
    width, height = canvas._pagesize  # type: ignore[attr-defined]  # no public getter in ReportLab
    usable = width - 2 * MARGIN
    canvas.saveState()
    canvas.setFillColor(FAINT)
    canvas.setFont(FONT_BOLD, 8)
    top = height - MARGIN + 2 * mm
    canvas.drawString(MARGIN, top, fit_text(info.header_left, FONT_BOLD, 8, usable * 0.55))
    canvas.setFont(FONT, 8)
    canvas.drawRightString(width - MARGIN, top, fit_text(info.header_right, FONT, 8, usable * 0.43))
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, top - 2 * mm, width - MARGIN, top - 2 * mm)
    bottom = MARGIN - 6 * mm
    canvas.line(MARGIN, bottom + 4 * mm, width - MARGIN, bottom + 4 * mm)
    canvas.setFont(FONT, 7.5)
    canvas.drawString(MARGIN, bottom, fit_text(info.footer_left, FONT, 7.5, usable * 0.8))
    canvas.drawRightString(width - MARGIN, bottom, f"page {number} / {total}")
    canvas.restoreState()


def build_pdf(story: Sequence[Flowable], info: DocumentInfo) -> bytes:
    """Lay the story out on A4 pages (portrait, or landscape when info.wide) and return the PDF's bytes."""
    register_fonts()
    pagesize = landscape(A4) if info.wide else A4
    buffer = BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN,
                          topMargin=MARGIN + HEADER_HEIGHT - 6 * mm, bottomMargin=MARGIN + FOOTER_HEIGHT - 6 * mm,
                          title=clean(info.title), author=clean(info.author), subject=clean(info.subject),
                          creator="PoleDesk", lang="fr-FR", pageCompression=1,
                          initialFontName=FONT)   # else each page names Helvetica, which a PDF reader must find
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], pagesize=pagesize)])
    try:
        doc.build(list(story), canvasmaker=_numbered_canvas(info))
    except LayoutError as error:   # a value no page can hold (stored before the field limits): said, not a crash
        raise DocumentError(f"« {clean(info.title)} » ne peut pas être mis en page : un texte qu'il contient (un nom, "
                            "une adresse) est trop long pour tenir sur une page. Raccourcissez-le dans sa fiche, "
                            "puis recommencez ; aucun fichier n'a été écrit.") from error
    return buffer.getvalue()


def write_pdf_atomic(path: Path, data: bytes) -> None:
    """Write a PDF whole or not at all, readable by its owner only (conventions hold pupils' data)."""
    write_atomically(path, data)
