"""The bassin's calendar for the heads-of-schools meeting: a workbook (.xlsx) and an A4 landscape PDF."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from poledesk.data.errors import DocumentError
from poledesk.data.files import write_atomically
from poledesk.data.planning.calendar import BUSY, FREE, GROUPINGS, LEVEL_LABELS, OVER, Calendar, Row
from poledesk.data.planning.school_calendar import Week
from poledesk.data.planning.view import LEGEND_ALL_YEAR, Setting, tension_label
from poledesk.data.spreadsheets.writing import guard_worksheet
from poledesk.data.text import format_date
from poledesk.reports.style import (
    ACCENT,
    FONT,
    FONT_BOLD,
    RULE,
    SHADE,
    DocumentInfo,
    build_pdf,
    content_width,
    para,
    section,
    spacer,
    styles,
    write_pdf_atomic,
)
from poledesk.reports.typography import clean

FILLS = {OVER: "E8827A", BUSY: "F6C77B", FREE: "CFE8CF"}
HOLIDAY_FILL = "C6CBD3"
PART_HOLIDAY_FILL = "E1E4E9"
SUFFIXES = (".xlsx", ".pdf")
RULES = ("Chaque case : élèves dehors / places offertes par le réseau cette semaine-là. Une période compte dans une "
         "semaine où elle a au moins un jour ouvré (ni week-end ni jour férié). " + LEGEND_ALL_YEAR)


class PlanningReportError(DocumentError):
    """The calendar cannot be written as asked (a file that is neither .xlsx nor .pdf)."""


def write_planning(calendar: Calendar, setting: Setting, path: Path, *, simulated: bool = False,
                   today: date | None = None) -> Path:
    """The calendar as .xlsx or .pdf, chosen by the file's suffix; written whole or not at all."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise PlanningReportError(f"Le fichier doit finir par .xlsx (classeur) ou .pdf (A4 paysage), "
                                  f"pas « {Path(path).suffix or '(rien)'} ».")
    if suffix == ".xlsx":
        return write_planning_workbook(calendar, setting, Path(path), simulated=simulated, today=today)
    write_pdf_atomic(Path(path), planning_pdf(calendar, setting, simulated=simulated, today=today))
    return Path(path)


def title_of(calendar: Calendar, setting: Setting, *, simulated: bool) -> str:
    title = f"Calendrier des périodes {calendar.school_year} – {setting.title or 'bassin'}"
    return f"{title} (simulation : déplacements non enregistrés)" if simulated else title


def subtitle_of(calendar: Calendar, setting: Setting, today: date | None) -> str:
    return (f"Lignes : {GROUPINGS[calendar.grouping].lower()} – vacances de la zone {setting.zone} – "
            f"édité le {format_date(today or date.today())}")


def week_note(week: Week) -> str:
    if week.is_holiday:
        return "vac."
    if week.holiday_weekdays:
        return "vac. ½"
    return "férié" if week.public_holidays else ""


def _holiday_fill(week: Week) -> str | None:
    if week.is_holiday:
        return HOLIDAY_FILL
    return PART_HOLIDAY_FILL if week.holiday_weekdays or week.public_holidays else None


# -- the workbook ------------------------------------------------------------------------------------------------

def write_planning_workbook(calendar: Calendar, setting: Setting, path: Path, *, simulated: bool = False,
                            today: date | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    grid = book.worksheets[0]
    grid.title = "Calendrier"
    _grid_sheet(grid, calendar, setting, simulated=simulated, today=today)
    _cells_sheet(book.create_sheet("Détail par semaine"), calendar)
    _tensions_sheet(book.create_sheet("Semaines en tension"), calendar)
    legend = book.create_sheet("Légende")
    for row, (fill, text) in enumerate([(FILLS[OVER], LEVEL_LABELS[OVER]), (FILLS[BUSY], LEVEL_LABELS[BUSY]),
                                        (FILLS[FREE], LEVEL_LABELS[FREE]), (HOLIDAY_FILL, "vacances scolaires"),
                                        (PART_HOLIDAY_FILL, "semaine écourtée (vacances ou jour férié)")], start=1):
        _fill(legend.cell(row, 1, ""), fill)
        legend.cell(row, 2, text)
    legend.cell(7, 1, RULES)
    legend.column_dimensions["B"].width = 50
    for sheet in book.worksheets:
        guard_worksheet(sheet)   # row labels are names typed or imported: never a live formula
    return write_atomically(path, book.save)


def _fill(cell: Any, colour: str) -> Any:
    from openpyxl.styles import PatternFill

    cell.fill = PatternFill("solid", fgColor=colour)
    return cell


def _grid_sheet(sheet: Any, calendar: Calendar, setting: Setting, *, simulated: bool, today: date | None) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.cell(1, 1, title_of(calendar, setting, simulated=simulated)).font = Font(bold=True, size=13,
                                                                                    color="1F3A5F")
    sheet.cell(2, 1, subtitle_of(calendar, setting, today))
    head = Font(bold=True, color="1F3A5F")
    sheet.cell(4, 1, GROUPINGS[calendar.grouping]).font = head
    sheet.column_dimensions["A"].width = 42
    for column, week in enumerate(calendar.weeks, start=2):
        cell = sheet.cell(4, column, week.monday)
        cell.number_format = "DD/MM"
        cell.font = head
        note = sheet.cell(5, column, week_note(week))
        if fill := _holiday_fill(week):
            _fill(cell, fill)
            _fill(note, fill)
        sheet.column_dimensions[get_column_letter(column)].width = 7
    for line, row in enumerate(calendar.rows, start=6):
        sheet.cell(line, 1, row.label)
        for column, (week, value) in enumerate(zip(calendar.weeks, row.cells, strict=True), start=2):
            cell = sheet.cell(line, column, value.text or None)
            cell.alignment = Alignment(horizontal="center")
            fill = FILLS.get(value.level) or _holiday_fill(week)
            if fill:
                _fill(cell, fill)
    sheet.freeze_panes = sheet.cell(6, 2)


def _cells_sheet(sheet: Any, calendar: Calendar) -> None:
    from openpyxl.styles import Font

    header = [GROUPINGS[calendar.grouping], "Semaine du", "Élèves dehors", "Places offertes", "Part des places",
              "Niveau", "Vacances ou férié"]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in calendar.rows:
        for week, value in zip(calendar.weeks, row.cells, strict=True):
            if not value.demand and not value.capacity:
                continue
            share = value.demand / value.capacity if value.capacity else None
            sheet.append([row.label, week.monday, value.demand, value.capacity, share,
                          LEVEL_LABELS[value.level], week.school_holiday or ", ".join(n for _d, n in
                                                                                     week.public_holidays)])
            sheet.cell(sheet.max_row, 2).number_format = "DD/MM/YYYY"
            sheet.cell(sheet.max_row, 5).number_format = "0%"
    for letter, width in zip("ABCDEFG", (42, 12, 14, 14, 14, 32, 28), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"


def _tensions_sheet(sheet: Any, calendar: Calendar) -> None:
    from openpyxl.styles import Font

    sheet.append(["Semaine du", GROUPINGS[calendar.grouping], "Élèves dehors", "Places offertes", "Niveau"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for tension in calendar.tensions((OVER, BUSY)):
        sheet.append([tension.week.monday, tension.row_label, tension.cell.demand, tension.cell.capacity,
                      LEVEL_LABELS[tension.cell.level]])
        sheet.cell(sheet.max_row, 1).number_format = "DD/MM/YYYY"
    for letter, width in zip("ABCDE", (12, 42, 14, 14, 34), strict=True):
        sheet.column_dimensions[letter].width = width


# -- the PDF -----------------------------------------------------------------------------------------------------

def planning_pdf(calendar: Calendar, setting: Setting, *, simulated: bool = False, today: date | None = None) -> bytes:
    """A4 landscape: the year in two halves (September to January, February to the summer), then the legend and the
    weeks in tension."""
    st = styles()
    title = title_of(calendar, setting, simulated=simulated)
    story: list[Flowable] = [para(title, st.title), para(subtitle_of(calendar, setting, today), st.subtitle)]
    halves = _halves(calendar.weeks)
    for first, last in halves:
        story += [_grid_table(calendar, first, last), spacer(4)]
    story.append(_legend())
    story.append(para(RULES, st.small))
    tensions = calendar.tensions((OVER,))
    story.append(section(f"Semaines en tension ({len(tensions)})"))
    if tensions:
        story += [para("• " + tension_label(t), st.body) for t in tensions]
    else:
        story.append(para("Aucune semaine où la demande dépasse les places offertes.", st.body))
    info = DocumentInfo(title=title, header_left=setting.title or "PoleDesk",
                        header_right=f"Année scolaire {calendar.school_year}",
                        footer_left=f"Calendrier des périodes – édité le {format_date(today or date.today())}",
                        subject="Planification coordonnée des périodes", wide=True)
    return build_pdf(story, info)


def _halves(weeks: Sequence[Week]) -> list[tuple[int, int]]:
    """Index ranges: the weeks up to January, and those from February."""
    split = next((i for i, w in enumerate(weeks) if 2 <= w.month <= 8), len(weeks))
    return [(a, b) for a, b in ((0, split), (split, len(weeks))) if b > a]


def _grid_table(calendar: Calendar, first: int, last: int) -> Table:
    weeks = calendar.weeks[first:last]
    label_width = 46 * mm
    week_width = (content_width(wide=True) - label_width) / max(len(weeks), 1)
    head = ParagraphStyle("week", fontName=FONT_BOLD, fontSize=6, leading=7, alignment=1, textColor=ACCENT)
    cell_style = ParagraphStyle("cellnum", fontName=FONT, fontSize=6.2, leading=7.5, alignment=1)
    label_style = ParagraphStyle("rowlabel", fontName=FONT, fontSize=7, leading=8.5)
    data: list[list[Any]] = [[para(GROUPINGS[calendar.grouping], ParagraphStyle("h", parent=head, alignment=0))]
                             + [para(f"{w.monday.strftime('%d/%m')}\n{week_note(w)}".strip().replace("\n", " "),
                                     head) for w in weeks]]
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.25, RULE), ("BACKGROUND", (0, 0), (0, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 1.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1.5), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
    for column, week in enumerate(weeks, start=1):
        fill = _holiday_fill(week)
        commands.append(("BACKGROUND", (column, 0), (column, 0), colors.HexColor(f"#{fill}") if fill else SHADE))
    for line, row in enumerate(calendar.rows, start=1):
        data.append(_grid_row(row, first, last, label_style, cell_style))
        for column, (week, value) in enumerate(zip(weeks, row.cells[first:last], strict=True), start=1):
            fill = FILLS.get(value.level) or _holiday_fill(week)
            if fill:
                commands.append(("BACKGROUND", (column, line), (column, line), colors.HexColor(f"#{fill}")))
    table = Table(data, colWidths=[label_width] + [week_width] * len(weeks), repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def _grid_row(row: Row, first: int, last: int, label_style: ParagraphStyle, cell_style: ParagraphStyle) -> list[Any]:
    return [para(row.label, label_style)] + [para(value.text, cell_style) for value in row.cells[first:last]]


def _legend() -> Flowable:
    entries = [(FILLS[OVER], LEVEL_LABELS[OVER]), (FILLS[BUSY], LEVEL_LABELS[BUSY]), (FILLS[FREE], LEVEL_LABELS[FREE]),
               (HOLIDAY_FILL, "vacances scolaires"), (PART_HOLIDAY_FILL, "semaine écourtée (vacances, férié)")]
    style = ParagraphStyle("legend", fontName=FONT, fontSize=7, leading=8.5)
    data = [[item for colour, text in entries for item in ("", para(clean(text), style))]]
    widths = [item for _entry in entries for item in (5 * mm, content_width(wide=True) / len(entries) - 5 * mm)]
    table = Table(data, colWidths=widths, hAlign="LEFT")
    swatches: list[tuple[Any, ...]] = []
    for i, (colour, _text) in enumerate(entries):
        swatches += [("BACKGROUND", (2 * i, 0), (2 * i, 0), colors.HexColor(f"#{colour}")),
                     ("BOX", (2 * i, 0), (2 * i, 0), 0.25, RULE)]
    table.setStyle(TableStyle([*swatches, ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return KeepTogether([table, spacer(2)])
