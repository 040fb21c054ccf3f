"""Tables that fit a laptop screen: columns shrunk to the view's width (never below their header), cut cells
shown whole in a tooltip, and the widths a user chose remembered."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView, QToolTip

SORT_ARROW_ROOM = 18   # Fusion draws the sort arrow beside the text: a header keeps room for it
KEPT_UP_TO = 115       # columns this narrow (dates, counts, short statuses) keep their width: a cut date misleads


def header_text_width(header: QHeaderView, section: int) -> int:
    """The width a section needs so that its header text is never cut: its widest line (a header may hold two),
    the margins, and room for the sort arrow where the header shows one."""
    model = header.model()
    text = str(model.headerData(section, header.orientation(), Qt.ItemDataRole.DisplayRole) or "") if model else ""
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    widest = max(header.fontMetrics().horizontalAdvance(line) for line in text.split("\n"))
    return widest + 2 * margin + (SORT_ARROW_ROOM if header.isSortIndicatorShown() else 0)


def header_is_cut(header: QHeaderView, section: int) -> bool:
    """True when the section is too narrow for its header text (Qt would elide it)."""
    return not header.isSectionHidden(section) and header.sectionSize(section) < header_text_width(header, section)


class ColumnFitter(QObject):
    """Keeps a table's columns inside its view: each column gets its preferred width when there is room, and
    otherwise gives back part of what it has above its header's width (narrow columns give nothing), the widest
    giving the most. Once the
    user drags a column, their widths are kept (and saved with `save`)."""

    def __init__(self, table: QTableView, preferred: dict[int, int], *, active: bool = True) -> None:
        super().__init__(table)
        self._table = table
        self._preferred = dict(preferred)
        self._fitting = False
        self._active = active   # False: the table sizes its columns itself; cut cells still get their tooltip
        self.user_sized = False
        header = table.horizontalHeader()
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.sectionResized.connect(self._on_section_resized)
        table.viewport().installEventFilter(self)
        table.setHorizontalScrollMode(QTableView.ScrollMode.ScrollPerPixel)

    def fit(self) -> None:
        if self.user_sized or not self._active:
            return
        header = self._table.horizontalHeader()
        shown = [s for s in range(header.count()) if not header.isSectionHidden(s)]
        if not shown:
            return
        room = self._table.viewport().width()
        kept = {s: w for s, w in self._preferred.items() if w <= KEPT_UP_TO}
        floor = {s: max(header_text_width(header, s), kept.get(s, 0)) for s in shown}
        wanted = {s: max(self._preferred.get(s, header.defaultSectionSize()), floor[s]) for s in shown}
        excess = sum(wanted.values()) - room
        spare = {s: wanted[s] - floor[s] for s in shown}
        spare_total = sum(spare.values())
        self._fitting = True
        try:
            for s in shown:
                cut = 0 if excess <= 0 or not spare_total else min(spare[s], -(-excess * spare[s] // spare_total))
                header.resizeSection(s, wanted[s] - cut)
        finally:
            self._fitting = False

    def save(self, settings: QSettings, key: str) -> None:
        if self.user_sized:
            settings.setValue(key, self._table.horizontalHeader().saveState())

    def restore(self, settings: QSettings, key: str) -> None:
        state = settings.value(key, QByteArray(), type=QByteArray)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self._fitting = True
            try:
                self.user_sized = self._table.horizontalHeader().restoreState(state)
            finally:
                self._fitting = False

    def _on_section_resized(self, _section: int, _old: int, _new: int) -> None:
        if not self._fitting and self._table.horizontalHeader().underMouse():
            self.user_sized = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        elif event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            return self._tip_cut_text(event)
        return super().eventFilter(watched, event)

    def _tip_cut_text(self, event: QHelpEvent) -> bool:
        """A cell whose text is cut shows it whole; other cells show the model's tooltip, if any."""
        index = self._table.indexAt(event.pos())
        if not index.isValid():
            return False
        tip = index.data(Qt.ItemDataRole.ToolTipRole)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        cut = self._table.fontMetrics().horizontalAdvance(text) + 8 > self._table.visualRect(index).width()
        if cut and text and (not tip or text not in str(tip)):
            tip = f"{text}\n{tip}" if tip else text
        if not tip:
            return False
        QToolTip.showText(event.globalPos(), str(tip), self._table.viewport())
        return True
