"""The Planification grid: the calendar as a table model (weeks across, rows by grouping), its view and legend."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from poledesk.data.planning.calendar import BUSY, FREE, IDLE, LEVEL_LABELS, OVER, Calendar, Cell
from poledesk.data.planning.school_calendar import Week
from poledesk.data.planning.view import LEGEND_ALL_YEAR
from poledesk.data.text import format_date, plural

LEVEL_COLOURS = {OVER: "#E8827A", BUSY: "#F6C77B", FREE: "#CFE8CF"}
HOLIDAY_COLOUR = "#C6CBD3"          # a whole week of school holidays
PART_HOLIDAY_COLOUR = "#E1E4E9"     # a week cut by holidays or a public holiday
MIN_CELL_WIDTH = 22   # the whole year fits a laptop's width: 44 weeks of two-digit figures
Index = QModelIndex | QPersistentModelIndex


def week_note(week: Week) -> str:
    """The header's second line: a whole week of holidays, a week cut by them, a public holiday."""
    if week.is_holiday:
        return "vac."
    if week.holiday_weekdays:
        return "vac. ½"
    return "férié" if week.public_holidays else ""


def week_description(week: Week) -> str:
    lines = [f"Semaine du {format_date(week.monday)} au {format_date(week.friday)}"]
    if week.school_holiday:
        whole = "toute la semaine" if week.is_holiday else f"{plural(week.holiday_weekdays, 'jour')} de la semaine"
        lines.append(f"{week.school_holiday} : {whole}")
    lines += [f"Jour férié : {name} ({format_date(day)})" for day, name in week.public_holidays]
    return "\n".join(lines)


def cell_description(row_label: str, week: Week, cell: Cell) -> str:
    share = f" ({round(100 * cell.demand / cell.capacity)} % des places)" if cell.capacity and cell.demand else ""
    lines = [f"{row_label} – semaine du {format_date(week.monday)}",
             f"{plural(cell.demand, 'élève')} dehors, {plural(cell.capacity, 'place offerte')}{share}"]
    if cell.level != IDLE:
        lines.append(LEVEL_LABELS[cell.level].capitalize())
    if week.school_holiday or week.public_holidays:
        lines.append(week_description(week).split("\n", 1)[1])
    return "\n".join(lines)


class CalendarTableModel(QAbstractTableModel):
    """Read-only: one row per calendar row, one column per week; each cell "demand/capacity", coloured by level."""

    CellRole = Qt.ItemDataRole.UserRole
    LevelRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.calendar: Calendar | None = None
        self.moved: frozenset[int] = frozenset()
        self._bold = QFont()
        self._bold.setBold(True)
        self._brushes = {colour: QBrush(QColor(colour)) for colour in (*LEVEL_COLOURS.values(), HOLIDAY_COLOUR,
                                                                        PART_HOLIDAY_COLOUR)}

    def set_calendar(self, calendar: Calendar | None, moved: frozenset[int] = frozenset()) -> None:
        self.beginResetModel()
        self.calendar, self.moved = calendar, moved
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008  # Qt's signature
        return 0 if parent.isValid() or self.calendar is None else len(self.calendar.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008  # Qt's signature
        return 0 if parent.isValid() or self.calendar is None else len(self.calendar.weeks)

    def cell(self, index: Index) -> Cell | None:
        if self.calendar is None or not index.isValid():
            return None
        return self.calendar.rows[index.row()].cells[index.column()]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell(index)
        if cell is None or self.calendar is None:
            return None
        week = self.calendar.weeks[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.brush(cell, week)
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell_description(self.calendar.rows[index.row()].label, week, cell)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.FontRole and self.moved.intersection(cell.period_ids):
            return self._bold
        if role == self.CellRole:
            return cell
        if role == self.LevelRole:
            return cell.level
        return None

    def brush(self, cell: Cell, week: Week) -> QBrush | None:
        colour = LEVEL_COLOURS.get(cell.level) or self._holiday_colour(week)
        return self._brushes[colour] if colour else None

    def paint_facts(self, row: int, column: int) -> tuple[Cell, QBrush | None, bool]:
        """What the delegate draws, read in one call (a grid paints hundreds of cells at a time)."""
        assert self.calendar is not None
        cell = self.calendar.rows[row].cells[column]
        moved = bool(self.moved) and not self.moved.isdisjoint(cell.period_ids)
        return cell, self.brush(cell, self.calendar.weeks[column]), moved

    @staticmethod
    def _holiday_colour(week: Week) -> str | None:
        if week.is_holiday:
            return HOLIDAY_COLOUR
        return PART_HOLIDAY_COLOUR if week.holiday_weekdays or week.public_holidays else None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.calendar is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return self.calendar.rows[section].label
            return None
        week = self.calendar.weeks[section]
        if role == Qt.ItemDataRole.DisplayRole:   # the Monday: day over month
            return f"{week.monday.day:02d}\n{week.monday.month:02d}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return week_description(week)
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = self._holiday_colour(week)
            return QBrush(QColor(colour)) if colour else None
        return None


class FractionDelegate(QStyledItemDelegate):
    """Draws a cell as its demand over its capacity, a rule between them, on the cell's colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rule = QPen(QColor("#5A6470"), 1)
        self._ink = QColor("#1B1B1B")
        self._frame = QPen(QColor("#1F3A5F"), 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        model = index.model()
        if not isinstance(model, CalendarTableModel) or model.calendar is None:
            return
        cell, brush, moved = model.paint_facts(index.row(), index.column())
        rect = QRect(option.rect)
        if brush is not None:
            painter.fillRect(rect, brush)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.save()
            painter.setPen(self._frame)
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
            painter.restore()
        if not cell.demand:
            return
        painter.save()
        font = QFont(option.font)
        font.setBold(moved)
        widest = QFontMetrics(font).horizontalAdvance(str(max(cell.demand, cell.capacity)))
        if widest > rect.width() - 3:   # an académie's thousands: a smaller font rather than figures that overlap
            font.setPointSizeF(max(font.pointSizeF() * (rect.width() - 3) / widest, 4.0))
        painter.setFont(font)
        painter.setPen(self._ink)
        half = rect.height() // 2
        top = QRect(rect.x(), rect.y(), rect.width(), half)
        bottom = QRect(rect.x(), rect.y() + half, rect.width(), rect.height() - half)
        painter.drawText(top, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, str(cell.demand))
        painter.drawText(bottom, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, str(cell.capacity))
        painter.setPen(self._rule)
        painter.drawLine(rect.x() + 4, rect.y() + half, rect.right() - 4, rect.y() + half)
        painter.restore()


class CalendarView(QTableView):
    """The grid: the year's weeks share the width, row labels on the left, one cell selected at a time. A cell
    dragged along its row to another week emits `cell_dragged(from, to)` (the what-if moves its period)."""

    cell_dragged = Signal(QModelIndex, QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pressed = QModelIndex()
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.delegate = FractionDelegate(self)
        self.setItemDelegate(self.delegate)
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() - 1.5, 7.0))
        self.setFont(small)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(MIN_CELL_WIDTH)
        header.setFont(small)
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(2 * self.fontMetrics().height() + 6)
        vertical.setFont(small)
        vertical.setMaximumWidth(190)
        vertical.setTextElideMode(Qt.TextElideMode.ElideRight)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed = self.indexAt(event.position().toPoint())
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        source, target = self._pressed, self.indexAt(event.position().toPoint())
        self._pressed = QModelIndex()
        if source.isValid() and target.isValid() and source.row() == target.row() and (
                source.column() != target.column()):
            self.cell_dragged.emit(source, target)


def legend_label() -> QLabel:
    """What the colours and the shading say, and the rules of the count (an offer with no months: all year)."""
    swatch = '<span style="background:{};">&nbsp;&nbsp;&nbsp;&nbsp;</span>&nbsp;{}'
    parts = [swatch.format(LEVEL_COLOURS[level], LEVEL_LABELS[level]) for level in (OVER, BUSY, FREE)]
    parts += [swatch.format(HOLIDAY_COLOUR, "vacances scolaires"),
              swatch.format(PART_HOLIDAY_COLOUR, "semaine écourtée (vacances ou jour férié)")]
    rules = ("Chaque case : en haut les élèves dehors, en bas les places offertes par le réseau cette semaine-là "
             "(colonnes : le lundi, jour/mois). Une période compte dans une semaine où elle a au moins un jour ouvré. "
             + LEGEND_ALL_YEAR)
    label = QLabel(" &nbsp; ".join(parts) + f"<br><span style='color:#5A6470;'>{rules}</span>")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label
