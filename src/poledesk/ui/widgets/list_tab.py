"""The shape the list tabs share: a debounced search, a sortable table, a count, and a detail panel beside it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QItemSelectionModel, QModelIndex, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from poledesk.data import Session
from poledesk.data.db import Store
from poledesk.data.text import format_count, plural
from poledesk.ui.hub import ChangeHub, Kind, follow
from poledesk.ui.messages import unreadable_text
from poledesk.ui.shell import LOADING
from poledesk.ui.widgets.detail_panel import Detail, DetailPanel
from poledesk.ui.widgets.models import Column, RowSortProxy, RowTableModel
from poledesk.ui.widgets.record_filter import FilterChip, RecordFilter
from poledesk.ui.widgets.table_fit import ColumnFitter
from poledesk.ui.workers import TaskRunner, Worker

SEARCH_DELAY_MS = 200

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Listing:
    """What a background fill read: the rows, how many match in all, and what the tab shows beside them."""

    rows: Sequence[Any]
    total: int
    extra: Any = None   # given to show_extra on the UI thread (a tab's counts, its filters' choices)


@dataclass(frozen=True, slots=True)
class Filled:
    """A background fill's outcome, as it reaches the UI thread: the read's generation, its listing or its error."""

    generation: int
    listing: Listing | None
    error: Exception | None = None


class ListTab(QWidget):
    """A list of records found by a service, and the selected record's file beside it.

    Subclasses give the columns and the words, and define `fetch_rows` and `fetch_detail` (a subclass without
    them is refused when it is defined); both run in a short read session opened here, one per user action (the
    session is passed on to a service, never queried here). Rows must have an `id`.

    A tab that also defines `read_rows` can have its first fill read on another thread (fill_in_background): the
    window does it for the tab shown at start-up, so the window shows, and answers, before the rows are read.
    """

    filled = Signal()   # rows were shown: a refresh, or a background fill that arrived

    # What every subclass defines: the rows matching a search, and one row's file (None once it is gone).
    fetch_rows: Callable[[Session, str], Sequence[Any]]
    fetch_detail: Callable[[Session, int], Detail | None]
    REQUIRED = ("fetch_rows", "fetch_detail")

    noun = ("fiche", "fiches")
    placeholder = "Rechercher…"
    detail_placeholder = "Sélectionnez une ligne pour afficher sa fiche."
    default_sort: tuple[int, Qt.SortOrder] | None = (0, Qt.SortOrder.AscendingOrder)
    table_share = 3 / 5   # the table's part of the splitter, kept on resizes until the user moves the handle
    shows: frozenset[Kind] = frozenset()   # the kinds of record its rows and file show: reloaded when they change
    fits_columns = True   # the columns shrink to the table's width (ColumnFitter); a tab may fit them its own way

    def __init__(self, store: Store, columns: Sequence[Column], parent: QWidget | None = None, *,
                 hub: ChangeHub | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.hub = hub if hub is not None else ChangeHub(self)   # alone (in a test), it hears only itself
        follow(self, self.hub, self.shows, self.reload_changed)
        self._loaded = False   # a tab hidden behind another loads its rows when first shown (see refresh)
        # Every read takes the next generation; a background fill whose generation is no longer the last is
        # dropped when it arrives: a search typed, a record asked for or a change has shown newer rows meanwhile.
        self._generation = 0
        self._pending: int | None = None   # the generation of the background fill under way, if any
        self.search_edit = QLineEdit(placeholderText=self.placeholder, clearButtonEnabled=True)
        self.count_label = QLabel()
        self.record_filter: RecordFilter | None = None   # the records behind a dashboard figure, when asked
        self.filter_chip = FilterChip()
        self.model = RowTableModel(columns, self)
        self.proxy = RowSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.detail = self.create_detail_panel()
        self.toolbar = QHBoxLayout()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._user_sized = False
        self._setup_table(columns)
        self._build_layout()
        self._connect()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        missing = [name for name in cls.REQUIRED if not callable(getattr(cls, name, None))]
        if missing:
            raise TypeError(f"{cls.__name__} is a ListTab without {' and '.join(missing)}")

    def read_rows(self, text: str) -> Callable[[Session], Listing] | None:
        """A function reading what the list shows for `text` that touches no widget (it runs on the reader thread:
        the filters' state is taken now, on the UI thread); None, the default, has the first fill read on the UI
        thread, as refresh does."""
        return None

    def show_extra(self, extra: Any) -> None:
        """Once a background fill's rows are shown (on the UI thread): show what the function of read_rows read
        beside them, and do what the tab's refresh does after its rows."""

    def fetch_records(self, session: Session, ids: frozenset[int]) -> list[Any]:
        """The rows of exactly these records, whatever the search and filters hide (by default, those of an empty
        search among them: a tab whose list hides some records, closed or archived, gives its own)."""
        return [row for row in self.fetch_rows(session, "") if row.id in ids]

    def narrowing_controls(self) -> list[QWidget]:
        """The search and filter widgets, disabled while the list shows a figure's records."""
        return [self.search_edit]

    def fetch_total(self, session: Session, text: str, shown: int) -> int:
        """How many records match in all, when fetch_rows returns only the first ones (default: all shown)."""
        return shown

    def total_text(self, total: int) -> str:
        """The total as the count says it ('8 000'; a tab whose count stops at a cap says so)."""
        return format_count(total)

    def create_detail_panel(self) -> DetailPanel:
        """The panel beside the table; a tab may give its own (with DetailPanel's show_detail, value, text)."""
        return DetailPanel(self.detail_placeholder)

    def refresh(self) -> None:
        """Reload the rows with the current search; the selected record stays selected if still listed.

        Until the tab is first shown this does nothing: start-up pays only for the visible tab's rows, the
        others' load when the user opens them (showEvent) or when a record of theirs is asked for (select_id).
        """
        if not self._loaded and not self.isVisible():
            return
        self._loaded = True
        self._generation += 1   # a background fill still on its way is older: dropped when it arrives
        self._pending = None
        selected = self.current_row()
        text = self.search_edit.text().strip()
        rows: Sequence[Any]
        try:
            with self._store.session() as session:
                if self.record_filter is not None:
                    rows = self.fetch_records(session, self.record_filter.ids)
                    total = len(rows)
                else:
                    rows = self.fetch_rows(session, text)
                    total = self.fetch_total(session, text, len(rows))
        except Exception as error:
            self._show_unreadable(error)
            return
        self._show_rows(rows, total, selected)

    def _show_unreadable(self, error: Exception) -> None:
        """The store failed under the list: say so in place of the rows; any other error is raised again."""
        unreadable = unreadable_text(error)
        if unreadable is None:
            raise error
        log.warning("list unreadable: %s", type(error).__name__)
        self.model.set_rows([])
        self.count_label.setText(unreadable)

    def _show_rows(self, rows: Sequence[Any], total: int, selected: Any) -> None:
        self.model.set_rows(rows)
        shown = plural(len(rows), *self.noun)
        self.count_label.setText(shown if total == len(rows)
                                 else f"{shown} sur {self.total_text(total)} : précisez la recherche")
        if self.record_filter is not None:
            self.filter_chip.show_filter(self.record_filter)
        self._select_id(selected.id if selected is not None else None)
        self.filled.emit()

    @property
    def filling(self) -> bool:
        """Whether the list waits for a background fill (it says « chargement… » until the rows arrive)."""
        return self._pending is not None and self._pending == self._generation

    def defer_first_fill(self) -> None:
        """The first fill will come from fill_in_background: until then the list says « chargement… » and
        showing the tab reads nothing. A tab loaded already is left as it is."""
        if self._loaded:
            return
        self._loaded = True
        self._generation += 1
        self._pending = self._generation
        self.count_label.setText(LOADING)

    def fill_in_background(self, reader: TaskRunner) -> None:
        """Read the rows on `reader`'s thread; they are shown when they arrive, unless a refresh came first.

        Until then the list says « chargement… » and the window answers. A tab without read_rows, or showing a
        figure's records, reads them now instead. Nothing happens if a refresh has already shown the rows."""
        if not self._loaded:
            self.defer_first_fill()
        if not self.filling:
            return
        read = self.read_rows(self.search_edit.text().strip()) if self.record_filter is None else None
        if read is None:
            self.refresh()
            return
        generation = self._generation

        def job(session: Session, _progress: object) -> Filled:
            try:
                return Filled(generation, read(session))
            except Exception as error:   # shown on the UI thread as refresh shows it (or raised again there)
                return Filled(generation, None, error)

        worker = Worker(self._store, job, read_only=True)
        worker.signals.succeeded.connect(self._on_filled)
        reader.start(worker)

    def _on_filled(self, filled: Filled) -> None:
        if filled.generation != self._generation:
            log.debug("background fill dropped: newer rows are shown")
            return
        self._pending = None
        if filled.error is not None:
            self._show_unreadable(filled.error)
            return
        assert filled.listing is not None
        self._show_rows(filled.listing.rows, filled.listing.total, self.current_row())
        self.show_extra(filled.listing.extra)

    def show_records(self, label: str, ids: Collection[int]) -> None:
        """List exactly these records (a figure's), under a « Filtre : label » banner, until « Tout afficher ».
        The search and filters wait, disabled; a single record is selected, its file shown beside."""
        self.record_filter = RecordFilter(label, frozenset(ids))
        self._search_timer.stop()
        for widget in self.narrowing_controls():
            widget.setEnabled(False)
        self._loaded = True
        self.refresh()
        if len(self.record_filter.ids) == 1:
            self._select_id(next(iter(self.record_filter.ids)))

    def clear_record_filter(self) -> None:
        """« Tout afficher »: back to the list the search and filters give."""
        if self.record_filter is None:
            return
        self.record_filter = None
        self.filter_chip.hide()
        for widget in self.narrowing_controls():
            widget.setEnabled(True)
        self.refresh()

    def reload_changed(self) -> None:
        """Another tab or dialog changed records this tab shows: the rows and the open file again."""
        self.refresh()

    def announce(self, kind: Kind, *ids: int) -> None:
        """Tell the other tabs what this one wrote (it has reloaded itself already)."""
        self.hub.announce(kind, *ids, source=self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The splitter keeps the table's share of each new width until the user moves the handle. A share set
        # once at the first show went wrong when the window was resized after it (restored geometry): the
        # handle ended half-way and the table was cut.
        if watched is self.splitter and event.type() == QEvent.Type.Resize and not self._user_sized:
            assert isinstance(event, QResizeEvent)
            width = event.size().width() - self.splitter.handleWidth()
            self.splitter.setSizes([round(width * self.table_share), width - round(width * self.table_share)])
        return super().eventFilter(watched, event)

    def current_row(self) -> Any:
        """The dataclass of the current row, or None."""
        index = self.table.currentIndex()
        return index.data(RowTableModel.RowRole) if index.isValid() else None

    def ensure_loaded(self) -> None:
        """The rows are in when this returns: read now if not yet, or if a background fill is still on its way."""
        if not self._loaded or self.filling:
            self._loaded = True
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded:   # first shown; a fill deferred to the reader thread is on its way
            self._loaded = True
            self.refresh()

    def select_id(self, row_id: int) -> bool:
        """Make the record with this id current (its detail shows); False if the list does not hold it."""
        self.ensure_loaded()
        return self._select_id(row_id)

    def _setup_table(self, columns: Sequence[Column]) -> None:
        table = self.table
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        for section, column in enumerate(columns):
            if column.width:
                header.resizeSection(section, column.width)
        self.fitter = ColumnFitter(table, {s: c.width for s, c in enumerate(columns) if c.width},
                                   active=self.fits_columns)
        table.setSortingEnabled(True)
        if self.default_sort is None:
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)   # keep the service's order
            self.model.sort(-1)
        else:
            table.sortByColumn(*self.default_sort)

    def _build_layout(self) -> None:
        self.toolbar.addWidget(self.search_edit, 1)
        self.toolbar.addWidget(self.count_label)
        left = QWidget()
        self.list_layout = left_layout = QVBoxLayout(left)   # toolbar and table: tabs add their rows to it
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(self.toolbar)
        left_layout.addWidget(self.filter_chip)
        left_layout.addWidget(self.table)
        self.detail.setMinimumWidth(280)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self._collapsible_detail()
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        QVBoxLayout(self).addWidget(self.splitter)

    def _collapsible_detail(self) -> None:
        """The file beside the list folds away (drag the handle to the edge) to give the table the width."""
        self.splitter.setChildrenCollapsible(True)
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, True)
        self.splitter.setHandleWidth(max(self.splitter.handleWidth(), 6))

    def save_layout(self, settings: QSettings, prefix: str) -> None:
        """Remember what the user arranged: the columns they sized, where they put the splitter handle."""
        self.fitter.save(settings, f"{prefix}/columns")
        if self._user_sized:
            settings.setValue(f"{prefix}/splitter", self.splitter.saveState())

    def restore_layout(self, settings: QSettings, prefix: str) -> None:
        self.fitter.restore(settings, f"{prefix}/columns")
        state = settings.value(f"{prefix}/splitter", QByteArray(), type=QByteArray)
        if isinstance(state, QByteArray) and not state.isEmpty() and self.splitter.restoreState(state):
            self._user_sized = True

    def _connect(self) -> None:
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())    # debounce typing
        self.search_edit.returnPressed.connect(self._search_now)
        self.filter_chip.cleared.connect(self.clear_record_filter)
        self._search_timer.timeout.connect(self.refresh)
        self.table.selectionModel().currentRowChanged.connect(self._show_current)
        self.splitter.splitterMoved.connect(self._on_splitter_moved)
        self.splitter.installEventFilter(self)

    def _on_splitter_moved(self, _position: int, _index: int) -> None:
        self._user_sized = True

    def _search_now(self) -> None:
        self._search_timer.stop()
        self.refresh()

    def _select_id(self, row_id: int | None) -> bool:
        source_row = next((r for r, row in enumerate(self.model.rows) if row.id == row_id), None)
        if source_row is None:
            self.table.clearSelection()
            self.detail.show_detail(None)
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        already_current = self.table.currentIndex() == index
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        if already_current:
            self._show_current(index)   # no signal then, but the record may have changed
        return True

    def _show_current(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        row = current.data(RowTableModel.RowRole) if current.isValid() else None
        if row is None:
            self.detail.show_detail(None)
            return
        with self._store.session() as session:
            detail = self.fetch_detail(session, row.id)
        self.detail.show_detail(detail, message="Cette fiche n'existe plus : actualisez la liste.")
