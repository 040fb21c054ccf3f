"""The « À faire » list: the actions the exchanges left, overdue first and marked, done with « Fait »."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.db import Store
from poledesk.data.partners import visits as visits
from poledesk.data.partners.visits import FollowUpRow
from poledesk.data.text import fold, format_date, plural
from poledesk.data.validation import ValidationError
from poledesk.ui.messages import unreadable_text
from poledesk.ui.widgets.models import Column, RowSortProxy, RowTableModel

OVERDUE_BACKGROUND, OVERDUE_TEXT = QColor("#f4d4d1"), QColor("#7a1f1a")    # as the overdue escalations
TODAY_BACKGROUND, TODAY_TEXT = QColor("#f9dfc4"), QColor("#6e3a08")


def due_text(due: date, today: date) -> str:
    """'en retard de 5 j', 'aujourd'hui', 'dans 3 j'."""
    days = (due - today).days
    if days < 0:
        return f"en retard de {-days} j"
    return "aujourd'hui" if days == 0 else f"dans {days} j"


class FollowUpsPanel(QWidget):
    """Follow-ups still to do, earliest due first; `partner_requested` asks the tab to open a partner."""

    partner_requested = Signal(int)
    follow_ups_changed = Signal()       # one was done: the counts and the partner's file change

    def __init__(self, store: Store, parent: QWidget | None = None, *, load: bool = True) -> None:
        """load=False: the list stays empty until refresh or show_rows (its tab reads it when first shown)."""
        super().__init__(parent)
        self._store = store
        self.today = date.today()
        self.rows: list[FollowUpRow] = []
        self.summary_label = QLabel()
        self.done_button = QPushButton("Fait")
        self.done_button.setToolTip("L'action de la ligne choisie est faite : elle quitte la liste")
        self.open_button = QPushButton("Ouvrir la fiche du partenaire")
        self.open_button.setToolTip("Afficher la fiche du partenaire de l'action sélectionnée")
        self.model = RowTableModel(self._columns(), self)
        self.proxy = RowSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self._setup_table()
        self._build_layout()
        self.done_button.clicked.connect(self.mark_current_done)
        self.open_button.clicked.connect(self._open_current)
        self.table.doubleClicked.connect(self._open_index)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        if load:
            self.refresh()

    def _columns(self) -> tuple[Column, ...]:
        def background(row: FollowUpRow) -> QColor | None:
            days = row.days_late(self.today)
            return OVERDUE_BACKGROUND if days > 0 else TODAY_BACKGROUND if days == 0 else None

        def foreground(row: FollowUpRow) -> QColor | None:
            days = row.days_late(self.today)
            return OVERDUE_TEXT if days > 0 else TODAY_TEXT if days == 0 else None

        columns = (
            Column("Échéance", lambda r: format_date(r.due), sort_key=lambda r: r.due, width=90),
            Column("Délai", lambda r: due_text(r.due, self.today), sort_key=lambda r: r.due, width=120),
            Column("Partenaire", lambda r: r.partner_name, sort_key=lambda r: fold(r.partner_name), width=240),
            Column("Commune", lambda r: r.commune, sort_key=lambda r: fold(r.commune), width=150),
            Column("Action à mener", lambda r: r.next_action, sort_key=lambda r: fold(r.next_action), width=320,
                   tooltip=lambda r: r.next_action),
            Column("Échange", lambda r: f"{r.kind.label} du {format_date(r.visited_on)}",
                   sort_key=lambda r: r.visited_on),
        )
        return tuple(replace(c, background=background, foreground=foreground) for c in columns)

    def _setup_table(self) -> None:
        table = self.table
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        for section, column in enumerate(self.model.columns):
            if column.width:
                header.resizeSection(section, column.width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        table.setSortingEnabled(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)     # the service's order: overdue first
        self.model.sort(-1)

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.summary_label, 1)
        bar.addWidget(self.done_button)
        bar.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.days_late(self.today) > 0)

    def refresh(self) -> None:
        try:
            with self._store.session() as session:
                rows = visits.list_follow_ups(session)
        except Exception as error:
            unreadable = unreadable_text(error)
            if unreadable is None:
                raise
            self.rows = []
            self.model.set_rows(self.rows)
            self.summary_label.setText(unreadable)
            return
        self.show_rows(rows)

    def show_rows(self, rows: list[FollowUpRow]) -> None:
        """Show follow-ups read elsewhere (visits.list_follow_ups, on the reader thread at start-up)."""
        self.today = date.today()
        self.rows = rows
        current = self.current_row()
        self.model.set_rows(self.rows)
        self.summary_label.setText(self.summary())
        if current is not None:
            self._select_visit(current.visit_id)
        self._update_buttons()

    def summary(self) -> str:
        if not self.rows:
            return "Rien à faire : aucune action en attente après les échanges."
        total = f"{plural(len(self.rows), 'action')} à mener"
        late = self.overdue
        return f"{total}, dont {late} en retard (en rouge)." if late else f"{total}, aucune en retard."

    def current_row(self) -> FollowUpRow | None:
        index = self.table.currentIndex()
        return index.data(RowTableModel.RowRole) if index.isValid() else None

    def mark_current_done(self) -> None:
        row = self.current_row()
        if row is None:
            return
        next_row = self._neighbour_of(row)
        try:
            with self._store.transaction() as session:
                visits.complete_follow_up(session, row.visit_id, self.today)
        except ValidationError:
            pass            # the exchange was deleted meanwhile: the refreshed list no longer shows it
        self.refresh()
        if next_row is not None:
            self._select_visit(next_row.visit_id)      # the user goes down the list, one « Fait » after another
        self.follow_ups_changed.emit()

    def _neighbour_of(self, row: FollowUpRow) -> FollowUpRow | None:
        shown = self.proxy.shown_rows()
        position = shown.index(row)
        rest = shown[position + 1:] or shown[:position][-1:]
        return rest[0] if rest else None

    def _select_visit(self, visit_id: int) -> None:
        for proxy_row in range(self.proxy.rowCount()):
            if self.proxy.row_at(proxy_row).visit_id == visit_id:
                self.table.selectRow(proxy_row)
                return

    def _update_buttons(self) -> None:
        chosen = self.current_row() is not None
        self.done_button.setEnabled(chosen)
        self.open_button.setEnabled(chosen)

    def _open_current(self) -> None:
        row = self.current_row()
        if row is not None:
            self.partner_requested.emit(row.partner_id)

    def _open_index(self, index: QModelIndex) -> None:
        row = index.data(RowTableModel.RowRole)
        if row is not None:
            self.partner_requested.emit(row.partner_id)
