"""Table models over the services' frozen rows: columns declared as data, sorted in one Python sort."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

Index = QModelIndex | QPersistentModelIndex
ROLE = Qt.ItemDataRole


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its French header, the text a row shows, and optional sort key, colours, tooltip, alignment."""

    header: str
    text: Callable[[Any], str]
    sort_key: Callable[[Any], Any] | None = None
    foreground: Callable[[Any], QColor | None] | None = None
    background: Callable[[Any], QColor | None] | None = None
    tooltip: Callable[[Any], str | None] | None = None
    align_right: bool = False
    width: int | None = None   # initial width in pixels; None lets the tab decide


class RowTableModel(QAbstractTableModel):
    """Read-only rows (frozen dataclasses) shown through a fixed list of columns.

    The model sorts itself (`sort`) with one Python sort over the columns' keys: thousands of rows sort in
    milliseconds, where a proxy's lessThan would be called a hundred thousand times. With no sort column, the
    rows keep the order the service gave.
    """

    SortRole = ROLE.UserRole
    RowRole = ROLE.UserRole + 1

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._given: list[Any] = []      # the service's order
        self._order: list[int] = []      # indices into _given, in the order shown
        self._rows: list[Any] = []       # the rows in the order shown
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    @property
    def rows(self) -> list[Any]:
        """The rows in the model's current order."""
        return list(self._rows)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._given = list(rows)
        self._order = self._sorted_order()
        self._rows = [self._given[i] for i in self._order]
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = ROLE.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == ROLE.DisplayRole:
            return self._columns[section].header
        return None

    def data(self, index: Index, role: int = ROLE.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], self._columns[index.column()]
        if role == ROLE.DisplayRole:
            return column.text(row)
        if role == self.SortRole:
            return (column.sort_key or column.text)(row)
        if role == self.RowRole:
            return row          # read it through the proxy: index.data(RowRole)
        return self._decoration(row, column, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort on a column's sort key (None first when ascending); -1 restores the service's order."""
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        old_order, self._order = self._order, self._sorted_order()
        self._rows = [self._given[i] for i in self._order]
        position = [0] * len(self._order)     # given index -> shown row
        for shown, given in enumerate(self._order):
            position[given] = shown
        self.changePersistentIndexList(
            before, [self.index(position[old_order[i.row()]], i.column()) for i in before])
        self.layoutChanged.emit()

    def _sorted_order(self) -> list[int]:
        """Indices into the service's rows, in the order to show them."""
        if not 0 <= self._sort_column < len(self._columns):
            return list(range(len(self._given)))
        spec = self._columns[self._sort_column]
        key = spec.sort_key or spec.text
        keys = [key(row) for row in self._given]
        return sorted(range(len(keys)), key=lambda i: (keys[i] is not None, keys[i]),
                      reverse=self._sort_order == Qt.SortOrder.DescendingOrder)

    def _decoration(self, row: Any, column: Column, role: int) -> Any:
        if role == ROLE.ForegroundRole and column.foreground:
            return column.foreground(row)
        if role == ROLE.BackgroundRole and column.background:
            return column.background(row)
        if role == ROLE.ToolTipRole and column.tooltip:
            return column.tooltip(row)
        if role == ROLE.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class RowSortProxy(QSortFilterProxyModel):
    """The view's proxy: hands sorting to a RowTableModel source (fast, in one Python sort); over any other
    source, sorts on SortRole with None first, so dates, None and big ints compare right."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, RowTableModel):
            source.sort(column, order)   # the proxy itself stays unsorted and follows the source's order
        else:
            super().sort(column, order)

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = left.data(RowTableModel.SortRole), right.data(RowTableModel.SortRole)
        if a is None or b is None:
            return a is None and b is not None
        return bool(a < b)

    def row_at(self, proxy_row: int) -> Any:
        """The dataclass shown at a row of the view."""
        return self.index(proxy_row, 0).data(RowTableModel.RowRole)

    def first_index_where(self, wanted: Callable[[Any], bool]) -> QModelIndex | None:
        """The first shown row (first column) whose dataclass satisfies `wanted`, or None."""
        for proxy_row in range(self.rowCount()):
            if wanted(self.row_at(proxy_row)):
                return self.index(proxy_row, 0)
        return None

    def shown_rows(self) -> list[Any]:
        """The rows in the order the view shows them."""
        return [self.row_at(r) for r in range(self.rowCount())]
