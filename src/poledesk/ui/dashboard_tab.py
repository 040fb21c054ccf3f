"""The Tableau de bord: what to do today, the year's indicator tiles and charts; a click on any figure opens the
list of its records, filtered, in its tab."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.db import Store
from poledesk.data.enums import Audience
from poledesk.data.indicators.measures import Indicator, school_year_bounds
from poledesk.data.indicators.today import MONTH_SHORT, MONTHS, Dashboard, dashboard
from poledesk.data.text import format_date
from poledesk.ui.dashboard_charts import BarChart
from poledesk.ui.hub import EVERY_KIND, ChangeHub, follow
from poledesk.ui.shell import LOADING
from poledesk.ui.workers import TaskRunner, Worker

TILES = ("places_ratio", "escalations_received", "escalations_solved_share", "unplaced_15_days", "partners_active",
         "visits", "tutors_trained", "conventions_signed")
SHORT_AUDIENCE = {Audience.OBSERVATION_4E_3E: "4e-3e", Audience.SECONDE_GT: "2de", Audience.PFMP_CAP: "CAP",
                  Audience.PFMP_BACPRO: "Bac pro", Audience.STS: "STS", Audience.APPRENTICESHIP: "Appr."}
RECORD_ROLE = Qt.ItemDataRole.UserRole
# What each « Aujourd'hui » list holds, as the filter over its tab's list names it.
TODAY_TITLES = {"follow_ups": "Relances à faire", "escalations": "Sollicitations en cours",
                "unsigned": "Conventions non signées, stage dans 7 jours ou moins",
                "sessions": "Sessions à venir avec des places ou une liste d'attente"}
TODAY_TABLES = {"follow_ups": "partner", "escalations": "escalation", "unsigned": "placement",
                "sessions": "training_session"}


class DashboardTab(QWidget):
    """The first tab. `records_requested(label, table, ids)` asks the window to show the records behind a figure
    (an Indicator's table and ids) in the list of their tab, filtered to them under « Filtre : label »."""

    records_requested = Signal(str, str, object)
    refreshed = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None, *, runner: TaskRunner,
                 today: date | None = None, hub: ChangeHub | None = None) -> None:
        super().__init__(parent)
        self._store, self._runner, self._today = store, runner, today
        # Any write may move a figure: shown, it reads them again at once; hidden, showEvent does when it shows.
        follow(self, hub if hub is not None else ChangeHub(self), EVERY_KIND, self._reload_if_shown)
        self.data: Dashboard | None = None
        self.worker: Worker | None = None
        self._generation = 0     # each read's; figures read before the last one asked for are dropped
        self._deferred = False   # the first figures wait for fill_in_background (the window's start-up)
        self.year_label = QLabel()
        self.refresh_button = QPushButton("Actualiser")
        self.refresh_button.setToolTip("Recalculer les chiffres avec les dernières saisies")
        self.today_lists = {key: QListWidget() for key in ("follow_ups", "escalations", "unsigned", "sessions")}
        self.today_boxes = {key: QGroupBox() for key in self.today_lists}
        self.today_buttons = {key: QPushButton("Voir la liste", flat=True) for key in self.today_lists}
        self.tiles: dict[str, QPushButton] = {key: QPushButton() for key in TILES}
        self.places_chart = BarChart("Places offertes et élèves à placer, par public")
        self.escalations_chart = BarChart("Sollicitations par mois")
        self.visits_chart = BarChart("Visites par mois")
        self.tutors_chart = BarChart("Tuteurs formés par mois")
        self.hint_label = QLabel("Cliquez sur un chiffre, une barre ou une ligne : son onglet s'ouvre sur la liste "
                                 "des fiches qu'il compte.", wordWrap=True)   # wraps rather than widen the window
        self._build_layout()
        self._connect()

    def _reload_if_shown(self) -> None:
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        """Read the figures each time the tab comes forward: other tabs may have changed them meanwhile."""
        super().showEvent(event)
        if self._deferred:
            return   # the window reads them once it has been painted
        if self.worker is None or self.refresh_button.isEnabled():
            self.refresh()

    def _build_layout(self) -> None:
        head = QHBoxLayout()
        head.addWidget(self.year_label)
        head.addWidget(self.hint_label, 1)
        head.addWidget(self.refresh_button)
        today_box = QWidget()
        today_layout = QVBoxLayout(today_box)
        today_layout.setContentsMargins(0, 0, 0, 0)
        today_layout.addWidget(QLabel("<b>Aujourd'hui</b>"))
        for key, box in self.today_boxes.items():
            layout = QVBoxLayout(box)
            layout.setContentsMargins(4, 4, 4, 2)
            layout.setSpacing(0)
            layout.addWidget(self.today_lists[key])
            button = self.today_buttons[key]
            button.setToolTip(f"Ouvrir la liste de ces fiches dans leur onglet : {TODAY_TITLES[key].lower()}")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setStyleSheet("QPushButton { padding: 1px 6px; }")
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignRight)
            # Low enough that the window, with the buttons, still fits a small laptop screen.
            self.today_lists[key].setMinimumHeight(24)
            # Long lines end in "…" (the whole line is in the tooltip) rather than scrolling sideways.
            self.today_lists[key].setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.today_lists[key].setTextElideMode(Qt.TextElideMode.ElideRight)
            today_layout.addWidget(box, 1)
        tiles = QGridLayout()
        for index, tile in enumerate(self.tiles.values()):
            tile.setMinimumHeight(64)
            tile.setStyleSheet("QPushButton { text-align: left; padding: 6px; }")
            tile.setCursor(Qt.CursorShape.PointingHandCursor)
            tiles.addWidget(tile, index // 4, index % 4)
        charts = QGridLayout()
        for index, chart in enumerate((self.places_chart, self.escalations_chart, self.visits_chart,
                                       self.tutors_chart)):
            charts.addWidget(chart, index // 2, index % 2)
        figures = QWidget()
        figures_layout = QVBoxLayout(figures)
        figures_layout.setContentsMargins(0, 0, 0, 0)
        figures_layout.addLayout(tiles)
        figures_layout.addLayout(charts, 1)
        scroll = self.figures_scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(figures)
        splitter = QSplitter()
        splitter.addWidget(today_box)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([330, 950])
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(splitter, 1)

    def _connect(self) -> None:
        self.refresh_button.clicked.connect(self.refresh)
        for key, tile in self.tiles.items():
            tile.clicked.connect(lambda _checked=False, key=key: self.show_indicator(key))
        for key, widget in self.today_lists.items():
            widget.itemClicked.connect(lambda item, key=key: self._open_item(key, item))
            widget.itemActivated.connect(lambda item, key=key: self._open_item(key, item))
            self.today_buttons[key].clicked.connect(lambda _checked=False, key=key: self._open_today_list(key))
        self.places_chart.bar_clicked.connect(self._places_clicked)
        self.escalations_chart.bar_clicked.connect(self._month_clicked)
        self.visits_chart.bar_clicked.connect(lambda _set, month: self._month_clicked(3, month))
        self.tutors_chart.bar_clicked.connect(lambda _set, month: self._month_clicked(4, month))

    # -- loading ---------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the figures on the worker thread; the tab fills in when they arrive."""
        self._deferred = False
        self._read(self._runner, read_only=False)

    def defer_first_fill(self) -> None:
        """Until fill_in_background runs, showing the tab reads nothing: it says « chargement… »."""
        if self.worker is None and self.data is None:
            self._deferred = True
            self.refresh_button.setEnabled(False)
            self.year_label.setText(LOADING)

    def fill_in_background(self, reader: TaskRunner) -> None:
        """The first figures, read on `reader` in a read session: they wait neither for the writes' thread nor
        for the store's quick check. Nothing happens if a refresh has been asked for since the deferral."""
        if self._deferred:
            self._deferred = False
            self._read(reader, read_only=True)

    def _read(self, runner: TaskRunner, *, read_only: bool) -> None:
        today = self._today or date.today()
        self._generation += 1
        generation = self._generation
        self.refresh_button.setEnabled(False)
        self.worker = Worker(self._store, lambda session, _progress: (generation, dashboard(session, today=today)),
                             read_only=read_only)
        self.worker.signals.succeeded.connect(self._on_read)
        self.worker.signals.finished.connect(self._on_read_done)
        runner.start(self.worker)

    def _on_read(self, result: tuple[int, Dashboard]) -> None:
        generation, data = result
        if generation == self._generation:   # else a newer read is under way: its figures will come
            self.show_dashboard(data)

    def _on_read_done(self) -> None:
        if not self._deferred:
            self.refresh_button.setEnabled(True)

    def show_dashboard(self, data: Dashboard) -> None:
        self.data = data
        report = data.report
        self.year_label.setText(f"<b>Année scolaire {report.school_year}</b> – comparée à {report.previous_year}")
        self._fill_today(data)
        for key, tile in self.tiles.items():
            indicator = report.get(key)
            tile.setText(f"{indicator.label}\n{indicator.text}\n{report.previous_year} : {indicator.previous_text}")
            tile.setToolTip(indicator.definition)
        self._fill_charts(data)
        self.refreshed.emit()

    def _fill_today(self, data: Dashboard) -> None:
        today = data.today
        self._fill_list("follow_ups", f"Relances à faire ({len(today.follow_ups)})",
                        [(f"{format_date(f.due)} – {f.partner_name} : {f.next_action}", "partner", f.partner_id)
                         for f in today.follow_ups], "Aucune relance due.")
        self._fill_list("escalations", f"Sollicitations en cours, les plus urgentes d'abord ({len(today.escalations)})",
                        [(f"{e.urgency_text} – {e.pupil}, {e.establishment} ({e.status.label})", "escalation", e.id)
                         for e in today.escalations], "Aucune sollicitation en cours.")
        self._fill_list("unsigned", f"Conventions non signées, stage dans 7 jours ou moins ({len(today.unsigned)})",
                        [(f"{format_date(u.start_date)} – {u.pupil} chez {u.partner} ({u.status.label})",
                          "placement", u.placement_id) for u in today.unsigned], "Aucune convention en retard.")
        self._fill_list("sessions", f"Sessions à venir avec des places ou une liste d'attente ({len(today.sessions)})",
                        [(f"{format_date(s.session_date)} – {s.title} : {s.registered}/{s.capacity} inscrits"
                          + (f", {s.waitlisted} en attente" if s.waitlisted else ""), "training_session", s.id)
                         for s in today.sessions], "Aucune session à venir.")

    def _fill_list(self, key: str, title: str, lines: list[tuple[str, str, int]], empty: str) -> None:
        self.today_boxes[key].setTitle(title)
        widget = self.today_lists[key]
        widget.clear()
        for text, _table, record_id in lines:
            item = QListWidgetItem(text)
            item.setData(RECORD_ROLE, record_id)
            item.setToolTip(f"{text}\nCliquez pour l'ouvrir dans son onglet.")
            widget.addItem(item)
        self.today_buttons[key].setEnabled(bool(lines))
        if not lines:
            item = QListWidgetItem(empty)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            widget.addItem(item)

    def _fill_charts(self, data: Dashboard) -> None:
        report = data.report
        audiences = list(Audience)
        ratios = [report.get(f"places_ratio:{a.value}").current for a in audiences]
        self.places_chart.set_data([SHORT_AUDIENCE[a] for a in audiences],
                                   [("Places offertes", [m.numerator or 0 for m in ratios]),
                                    ("Élèves à placer", [m.denominator or 0 for m in ratios])])
        series = data.monthly
        self.escalations_chart.set_data(MONTH_SHORT, [(s.label, s.values) for s in series[:3]])
        self.visits_chart.set_data(MONTH_SHORT, [(series[3].label, series[3].values)])
        self.tutors_chart.set_data(MONTH_SHORT, [(series[4].label, series[4].values)])

    # -- a figure opens its records -------------------------------------------------------------------------------

    def show_indicator(self, key: str) -> None:
        """A tile: the records its figure counts, for the year shown."""
        if self.data is None:
            return
        indicator: Indicator = self.data.report.get(key)
        self.records_requested.emit(f"{indicator.label} {self.data.report.school_year} : {indicator.text}",
                                    indicator.table, indicator.current.record_ids)

    def _places_clicked(self, set_index: int, category: int) -> None:
        """A bar of « Places offertes » (the public's offers) or of « Élèves à placer » (the schools counted)."""
        if self.data is None:
            return
        audience = list(Audience)[category]
        measure = self.data.report.get(f"places_ratio:{audience.value}").current
        if set_index == 0:
            self.records_requested.emit(f"Places offertes – {audience.label} : {measure.numerator or 0}",
                                        "hosting_offer", measure.record_ids)
        else:
            self.records_requested.emit(f"Élèves à placer – {audience.label} : {measure.denominator or 0}, dans les "
                                        "établissements qui les comptent", "establishment",
                                        self.data.schools_by_audience[audience])

    def _month_clicked(self, series_index: int, month: int) -> None:
        """A month's bar: escalations received, solved or still open (series 0-2), visits (3), tutors trained (4)."""
        if self.data is None:
            return
        series = self.data.monthly[series_index]
        what = f"Sollicitations {series.label.lower()}" if series.table == "escalation" else series.label
        first_day = school_year_bounds(self.data.report.school_year)[0]
        year = first_day.year + (1 if month >= 4 else 0)   # September to December, then January to August
        self.records_requested.emit(f"{what} – {MONTHS[month]} {year} : {series.values[month]}", series.table,
                                    series.record_ids[month])

    def _open_item(self, key: str, item: QListWidgetItem) -> None:
        """A line of « Aujourd'hui »: its record alone, selected in its tab's list."""
        record_id = item.data(RECORD_ROLE)
        if record_id is not None:
            self.records_requested.emit(f"{TODAY_TITLES[key]} – {item.text()}", TODAY_TABLES[key], (record_id,))

    def _open_today_list(self, key: str) -> None:
        widget = self.today_lists[key]
        ids = [record for i in range(widget.count()) if (record := widget.item(i).data(RECORD_ROLE)) is not None]
        if ids:
            self.records_requested.emit(f"{TODAY_TITLES[key]} ({len(ids)})", TODAY_TABLES[key], tuple(ids))
