"""The Planification tab: the bassin's weeks against the network's places, what lies behind a cell, and the what-if
of a period moved before the move is saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from poledesk.data import Session
from poledesk.data.db import Store
from poledesk.data.planning import view
from poledesk.data.planning.calendar import GROUPINGS, OVER, Calendar, OfferFact, PeriodFact
from poledesk.data.text import format_date, plural, school_year_of
from poledesk.data.validation import ValidationError
from poledesk.ui.banner import file_steps
from poledesk.ui.dialogs.period_proposals_dialog import PeriodProposalsDialog
from poledesk.ui.forms import DateField, fill_combo, select_data
from poledesk.ui.hub import ChangeHub, Kind, follow
from poledesk.ui.planning_grid import CalendarTableModel, CalendarView, legend_label
from poledesk.ui.workers import TaskRunner, Worker

PERIOD_ROLE = Qt.ItemDataRole.UserRole
ALL_POLES = ""
MONTHS_SHORT = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


@dataclass(frozen=True, slots=True)
class Loaded:
    setting: view.Setting
    calendar: Calendar
    poles: list[view.PoleChoice]


def period_text(period: PeriodFact) -> str:
    formation = f" ({period.formation_label})" if period.formation_label else ""
    return (f"{period.establishment_name} – {period.division or 'classe non précisée'}{formation} : "
            f"{period.pupils} élèves, du {format_date(period.start_date)} au {format_date(period.end_date)}")


def offer_text(offer: OfferFact) -> str:
    months = ", ".join(MONTHS_SHORT[m - 1] for m in sorted(offer.months)) if offer.months else "toute l'année"
    return f"{offer.partner_name} – {plural(offer.places, 'place')}, {months}"


class PlanningTab(QWidget):
    """Loads on first show (on the runner); a grouping change or a what-if redraws from the facts already read."""

    loaded = Signal()          # a calendar read from the store is shown
    redrawn = Signal()         # the grid shows a new drawing (grouping, what-if)
    moves_saved = Signal(int)  # periods whose move was saved

    def __init__(self, store: Store, parent: QWidget | None = None, *, runner: TaskRunner,
                 hub: ChangeHub | None = None, coordinator: bool = False) -> None:
        super().__init__(parent)
        self._store, self._runner, self._coordinator, self._hub = store, runner, coordinator, hub
        self.proposals_dialog: PeriodProposalsDialog | None = None
        self.setting: view.Setting | None = None
        self.base: Calendar | None = None          # as saved
        self.calendar: Calendar | None = None      # as shown: base with the what-if moves
        self.moves: dict[int, tuple[date, date]] = {}
        self.selected_period: PeriodFact | None = None
        self.worker: Worker | None = None
        self._stale = True
        self._reload_pending = False
        self._filling = False
        self._cell: tuple[str, int] | None = None  # the row key and week index of the cell shown on the side
        self.year_combo = QComboBox()
        fill_combo(self.year_combo, [(y, y) for y in view.school_years()])
        select_data(self.year_combo, school_year_of(date.today()))
        self.grouping_combo = QComboBox()
        fill_combo(self.grouping_combo, GROUPINGS.items())
        self.pole_combo = QComboBox()
        self.export_button = QPushButton("Exporter…")
        self.export_button.setToolTip("Le calendrier affiché, en classeur (.xlsx) ou en PDF A4 paysage")
        self.refresh_button = QPushButton("Actualiser")
        self.refresh_button.setToolTip("Relire les périodes et les offres avec les dernières saisies")
        self.propose_button = QPushButton("Proposer des périodes…")
        self.propose_button.setToolTip("Proposer depuis les stages et sollicitations : les périodes qu'ils portent "
                                       "déjà, montrées avant tout enregistrement")
        self.propose_button.setVisible(not coordinator)   # a coordinator records no school's periods
        self.summary_label = QLabel("Chargement du calendrier…")
        self.legend_label = legend_label()
        self.model = CalendarTableModel(self)
        self.grid = CalendarView()
        self.grid.setModel(self.model)
        self.detail_label = QLabel("Cliquez sur une case pour voir les périodes et les offres qu'elle compte.")
        self.periods_list = QListWidget()
        self.offers_list = QListWidget()
        self.shift_spin = QSpinBox(minimum=-20, maximum=20, suffix=" sem.")
        self.start_field = DateField()
        self.end_field = DateField()
        self.what_if_label = QLabel()
        self.move_error = QLabel()
        self.save_move_button = QPushButton("Enregistrer le déplacement")
        self.cancel_move_button = QPushButton("Annuler")
        self.save_move_button.setToolTip("Enregistrer les nouvelles dates des périodes déplacées")
        self.cancel_move_button.setToolTip("Revenir aux dates enregistrées, sans rien écrire")
        self.what_if_box = QGroupBox("Déplacer la période choisie (simulation)")
        self.competition_list = QListWidget()
        for widget in (self.periods_list, self.offers_list, self.competition_list):
            # Long lines end in "…" (the whole line is in the tooltip) rather than scrolling sideways.
            widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            widget.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._build_layout()
        self._connect()
        if hub is not None:
            follow(self, hub, (Kind.PARTNER, Kind.ESTABLISHMENT), self._on_store_changed)
        self._show_move_state()

    def _build_layout(self) -> None:
        head = QHBoxLayout()
        for text, widget in (("Année", self.year_combo), ("Regrouper par", self.grouping_combo)):
            head.addWidget(QLabel(text))
            head.addWidget(widget)
        self.pole_label = QLabel("Pôle")
        head.addWidget(self.pole_label)
        head.addWidget(self.pole_combo)
        self.pole_label.setVisible(self._coordinator)
        self.pole_combo.setVisible(self._coordinator)
        self.summary_label.setWordWrap(True)   # a narrow window wraps it rather than growing
        head.addWidget(self.summary_label, 1)
        self.pole_combo.setMinimumContentsLength(12)   # long pole names must not widen the window
        self.pole_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        legend_row = QHBoxLayout()   # the buttons beside the legend: the first row stays narrow
        legend_row.addWidget(self.legend_label, 1)
        for button in (self.propose_button, self.export_button, self.refresh_button):
            legend_row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        lists = QWidget()
        lists_layout = QVBoxLayout(lists)
        lists_layout.setContentsMargins(0, 0, 0, 0)
        self.detail_label.setWordWrap(True)
        lists_layout.addWidget(self.detail_label)
        columns = QHBoxLayout()
        for title, listed in (("<b>Périodes</b> (choisissez-en une pour la déplacer)", self.periods_list),
                              ("<b>Offres d'accueil</b>", self.offers_list)):
            column = QVBoxLayout()
            column.addWidget(QLabel(title, wordWrap=True))
            column.addWidget(listed, 1)
            columns.addLayout(column, 1)
        lists_layout.addLayout(columns, 1)
        box = QVBoxLayout(self.what_if_box)
        shift_row = QHBoxLayout()
        shift_row.addWidget(QLabel("Décaler de"))
        shift_row.addWidget(self.shift_spin, 1)
        box.addLayout(shift_row)
        for text, field in (("Du", self.start_field), ("au", self.end_field)):
            dates_row = QHBoxLayout()
            label = QLabel(text)
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance("Décaler de"))
            dates_row.addWidget(label)
            dates_row.addWidget(field, 1)
            box.addLayout(dates_row)
        for label in (self.what_if_label, self.move_error):
            label.setWordWrap(True)
            box.addWidget(label)
        self.move_error.setStyleSheet("color: #B3261E;")
        box.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_move_button)
        buttons.addWidget(self.cancel_move_button)
        box.addLayout(buttons)
        self.what_if_box.setMaximumWidth(420)
        self.competition_box = QGroupBox("Pôles voisins en concurrence sur un même secteur")
        QVBoxLayout(self.competition_box).addWidget(self.competition_list)
        self.competition_box.setVisible(self._coordinator)
        bottom = QWidget()
        bottom_layout = QHBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(lists, 3)
        bottom_layout.addWidget(self.what_if_box, 2)
        bottom_layout.addWidget(self.competition_box, 2)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.grid)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([420, 260])
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(legend_row)
        layout.addWidget(splitter, 1)

    def _connect(self) -> None:
        self.year_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.pole_combo.currentIndexChanged.connect(lambda _i: None if self._filling else self.reload())
        self.grouping_combo.currentIndexChanged.connect(lambda _i: self._redraw())
        self.refresh_button.clicked.connect(self.reload)
        self.export_button.clicked.connect(self._ask_export)
        self.propose_button.clicked.connect(self.open_proposals)
        self.grid.clicked.connect(self.show_cell)
        self.grid.cell_dragged.connect(self.drag_period)
        self.periods_list.currentItemChanged.connect(lambda item, _old: self.select_period(
            item.data(PERIOD_ROLE) if item is not None else None))
        self.shift_spin.valueChanged.connect(self._on_shift)
        self.start_field.changed.connect(self._on_dates)
        self.end_field.changed.connect(self._on_dates)
        self.save_move_button.clicked.connect(self.save_moves)
        self.cancel_move_button.clicked.connect(self.cancel_moves)

    # -- loading -----------------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and self.worker is None and not self.moves:   # a what-if in progress is kept
            self.reload()

    def _on_store_changed(self) -> None:
        self._stale = True
        if self.isVisible() and not self.moves:
            self.reload()

    @property
    def school_year(self) -> str:
        return str(self.year_combo.currentData())

    @property
    def grouping(self) -> str:
        return str(self.grouping_combo.currentData())

    @property
    def owner(self) -> str | None:
        return self.pole_combo.currentData() or None if self._coordinator else None

    def reload(self) -> None:
        """Read the facts on the runner; the grid fills in when they arrive (what-if moves are dropped). Asked
        while a read runs, it reads again once that one has finished (the store may have changed meanwhile)."""
        if self.worker is not None:
            self._reload_pending = True
            return
        year, grouping, owner = self.school_year, self.grouping, self.owner
        self._stale = False
        self.refresh_button.setEnabled(False)
        self.summary_label.setText("Chargement du calendrier…")

        def job(session: Session, _progress: object) -> Loaded:
            setting = view.planning_setting(session, year)
            calendar = view.draw_calendar(session, setting, grouping=grouping, owner=owner)
            return Loaded(setting, calendar, view.planning_poles(session))

        self.worker = Worker(self._store, job)
        self.worker.signals.succeeded.connect(self._on_loaded)
        self.worker.signals.finished.connect(self._on_finished)
        self._runner.start(self.worker)

    def _on_finished(self) -> None:
        self.worker = None
        self.refresh_button.setEnabled(True)
        if self._reload_pending:
            self._reload_pending = False
            self.reload()

    def _on_loaded(self, loaded: Loaded) -> None:
        self.setting, self.base = loaded.setting, loaded.calendar
        self.moves.clear()
        self.selected_period = None
        if self._coordinator:
            self._fill_poles(loaded.poles)
        self._redraw()
        self.loaded.emit()

    def _fill_poles(self, poles: list[view.PoleChoice]) -> None:
        current = self.pole_combo.currentData() or ALL_POLES
        self._filling = True
        fill_combo(self.pole_combo, [(ALL_POLES, "Tous les pôles"), *((p.code, f"{p.name} ({p.code})")
                                                                     for p in poles)])
        select_data(self.pole_combo, current)
        self._filling = False

    # -- drawing -----------------------------------------------------------------------------------------------------

    def _redraw(self) -> None:
        if self.base is None:
            return
        self.calendar = view.redraw(self.base, grouping=self.grouping, moves=self.moves)
        self.model.set_calendar(self.calendar, frozenset(self.moves))
        self._show_summary()
        if self._coordinator:
            self._fill_competitions()
        self._restore_cell()
        self._show_move_state()
        self.redrawn.emit()

    def _show_summary(self) -> None:
        assert self.calendar is not None and self.base is not None
        over = len(self.calendar.tensions((OVER,)))
        weeks = len({t.week.monday for t in self.calendar.tensions((OVER,))})
        text = f"{plural(over, 'case')} en tension sur {plural(weeks, 'semaine')}"
        if self.moves:
            before = len(view.redraw(self.base, grouping=self.grouping).tensions((OVER,)))
            text = f"Simulation : {text} (avant le déplacement : {before})"
            moved = plural(len(self.moves), "période déplacée")
            self.what_if_label.setText(f"Avec {moved} : {plural(over, 'case')} en tension, "
                                       f"contre {before} avant. Rien n'est enregistré tant que vous ne cliquez pas "
                                       "sur « Enregistrer le déplacement ».")
        self.summary_label.setText(text)

    def _fill_competitions(self) -> None:
        assert self.calendar is not None
        self.competition_list.clear()
        found = view.competitions(self.calendar)
        for item in found:
            text = (f"Semaine du {format_date(item.week.monday)} – {item.sector} : {item.cell.demand}/"
                    f"{item.cell.capacity}, pôles {', '.join(item.owners)}")
            line = QListWidgetItem(text)
            line.setToolTip(text)
            self.competition_list.addItem(line)
        if not found:
            self.competition_list.addItem("Aucune semaine où des pôles se disputent les places d'un secteur.")

    def _restore_cell(self) -> None:
        """Keep the side list on the same row and week after a redraw, if that row is still there."""
        if self._cell is None or self.calendar is None:
            return
        key, column = self._cell
        row = next((i for i, r in enumerate(self.calendar.rows) if r.key == key), None)
        if row is None:
            self._cell = None
            return
        self.grid.setCurrentIndex(self.model.index(row, column))
        self._fill_detail(row, column)

    def show_cell(self, index: QModelIndex) -> None:
        if self.calendar is None or not index.isValid():
            return
        self._cell = (self.calendar.rows[index.row()].key, index.column())
        self._fill_detail(index.row(), index.column())

    def _fill_detail(self, row: int, column: int) -> None:
        assert self.calendar is not None
        detail = view.cell_detail(self.calendar, row, column)
        cell = detail.cell
        self.detail_label.setText(f"<b>{detail.row_label}</b>, semaine du {format_date(detail.week.monday)} : "
                                  f"{plural(cell.demand, 'élève')} dehors pour {plural(cell.capacity, 'place')}.")
        selected = self.selected_period.id if self.selected_period else None
        self.periods_list.blockSignals(True)
        self.periods_list.clear()
        for period in detail.periods:
            item = QListWidgetItem(period_text(period))
            item.setToolTip(period_text(period))
            item.setData(PERIOD_ROLE, period.id)
            self.periods_list.addItem(item)
            if period.id == selected:
                self.periods_list.setCurrentItem(item)
        if not detail.periods:
            self.periods_list.addItem(self._placeholder("Aucune période cette semaine."))
        self.periods_list.blockSignals(False)
        self.offers_list.clear()
        for offer in detail.offers:
            item = QListWidgetItem(offer_text(offer))
            item.setToolTip(offer_text(offer))
            self.offers_list.addItem(item)
        if not detail.offers:
            self.offers_list.addItem(self._placeholder("Aucune offre ouverte cette semaine."))

    @staticmethod
    def _placeholder(text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        return item

    # -- what-if -----------------------------------------------------------------------------------------------------

    def select_period(self, period_id: int | None) -> None:
        """The period the what-if box moves; its dates as they stand in the simulation."""
        if self.base is None or period_id is None:
            return
        self.selected_period = next((p for p in self.base.facts.periods if p.id == period_id), None)
        if self.selected_period is None:
            return
        original = self.selected_period
        start, end = self.moves.get(original.id, (original.start_date, original.end_date))
        self._filling = True
        self.shift_spin.setValue((start - original.start_date).days // 7)
        self.start_field.set_value(start)
        self.end_field.set_value(end)
        self._filling = False
        self._show_move_state()

    def drag_period(self, source: QModelIndex, target: QModelIndex) -> None:
        """A cell dragged to another week: its period (the one chosen, else the cell's first) moves by as many
        weeks, in the simulation."""
        cell = self.model.cell(source)
        if cell is None or not cell.period_ids:
            return
        chosen = self.selected_period.id if self.selected_period else None
        self.select_period(chosen if chosen in cell.period_ids else cell.period_ids[0])
        self.shift_spin.setValue(self.shift_spin.value() + target.column() - source.column())
        self.show_cell(target)

    def _on_shift(self, weeks: int) -> None:
        if self._filling or self.selected_period is None:
            return
        start, end = view.shifted(self.selected_period, weeks)
        self._filling = True
        self.start_field.set_value(start)
        self.end_field.set_value(end)
        self._filling = False
        self.move_to(start, end)

    def _on_dates(self) -> None:
        if self._filling or self.selected_period is None:
            return
        start, end = self.start_field.value(), self.end_field.value()
        if start is None or end is None or end < start:
            self.move_error.setText("Indiquez deux dates lisibles, la fin après le début.")
            return
        self.move_to(start, end)

    def move_to(self, start: date, end: date) -> None:
        """Simulate the selected period from start to end: the grid redraws, nothing is written."""
        period = self.selected_period
        if period is None:
            return
        self.move_error.clear()
        if (start, end) == (period.start_date, period.end_date):
            self.moves.pop(period.id, None)
        else:
            self.moves[period.id] = (start, end)
        self._redraw()

    def save_moves(self) -> None:
        """Write every simulated move in one transaction, each checked by the period service; all or nothing."""
        if not self.moves:
            return
        try:
            with self._store.transaction() as session:
                for period_id, (start, end) in self.moves.items():
                    view.move_period(session, period_id, start, end)
        except ValidationError as error:
            self.move_error.setText(" ".join(error.problems.values()) + " Rien n'a été enregistré.")
            return
        count = len(self.moves)
        self.moves.clear()
        self.moves_saved.emit(count)
        if self._hub is not None:
            self._hub.announce(Kind.ESTABLISHMENT, source=self)
            self._hub.tell(f"Déplacement enregistré : {plural(count, 'période')} aux nouvelles dates.")
        self.reload()

    def cancel_moves(self) -> None:
        self.moves.clear()
        self.move_error.clear()
        if self.selected_period is not None:
            self.select_period(self.selected_period.id)
        self._redraw()

    def _show_move_state(self) -> None:
        chosen = self.selected_period is not None
        for widget in (self.shift_spin, self.start_field, self.end_field):
            widget.setEnabled(chosen)
        self.save_move_button.setEnabled(bool(self.moves))
        self.cancel_move_button.setEnabled(bool(self.moves))
        if not self.moves:
            self.what_if_label.setText(
                "Choisissez une période dans la liste, puis décalez-la (ou faites glisser sa case vers une autre "
                "semaine) : le calendrier montre la tension qui en résulte avant tout enregistrement." if not chosen
                else
                f"{period_text(self.selected_period)}.")  # type: ignore[arg-type]  # chosen: not None

    # -- proposals -------------------------------------------------------------------------------------------------

    def open_proposals(self) -> None:
        self.proposals_dialog = PeriodProposalsDialog(self._store, self.school_year, parent=self)
        self.proposals_dialog.saved.connect(self._on_proposals_saved)
        self.proposals_dialog.open()

    def _on_proposals_saved(self, ids: list[int]) -> None:
        if self._hub is not None:
            self._hub.announce(Kind.ESTABLISHMENT, source=self)
            self._hub.tell(f"{plural(len(ids), 'période enregistrée')} d'après les stages et sollicitations.")
        self.reload()

    # -- export --------------------------------------------------------------------------------------------------

    def _ask_export(self) -> None:
        if self.calendar is None:
            return
        name = f"calendrier-{self.school_year}.xlsx"
        path, _filter = QFileDialog.getSaveFileName(self, "Exporter le calendrier", name,
                                                    "Classeur Excel (*.xlsx);;PDF A4 paysage (*.pdf)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> Path:
        """The calendar as shown (what-if moves included, said in the title) as .xlsx or .pdf, chosen by suffix."""
        from poledesk.reports import planning as report

        assert self.calendar is not None and self.setting is not None
        written = report.write_planning(self.calendar, self.setting, path, simulated=bool(self.moves))
        if self._hub is not None:
            self._hub.tell(f"Calendrier exporté : {written.name}", *file_steps(written), details=str(written))
        return written
