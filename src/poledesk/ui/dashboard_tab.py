"""The Tableau de bord: what to do today, the year's indicator tiles and charts; any figure opens its records."""

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
from poledesk.data.indicators.measures import Indicator
from poledesk.data.indicators.today import (
    MONTH_SHORT,
    MONTHS,
    Dashboard,
    RecordLine,
    dashboard,
    describe_line,
    records_behind,
)
from poledesk.data.text import format_date
from poledesk.ui.dashboard_charts import BarChart
from poledesk.ui.workers import TaskRunner, Worker

TILES = ("places_ratio", "escalations_received", "escalations_solved_share", "unplaced_15_days", "partners_active",
         "visits", "tutors_trained", "conventions_signed")
SHORT_AUDIENCE = {Audience.OBSERVATION_4E_3E: "4e-3e", Audience.SECONDE_GT: "2de", Audience.PFMP_CAP: "CAP",
                  Audience.PFMP_BACPRO: "Bac pro", Audience.STS: "STS", Audience.APPRENTICESHIP: "Appr."}
RECORD_ROLE = Qt.ItemDataRole.UserRole


class DashboardTab(QWidget):
    """The first tab. `open_requested(table, id)` asks the window to show a record in its own tab."""

    open_requested = Signal(str, int)
    refreshed = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None, *, runner: TaskRunner,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self._store, self._runner, self._today = store, runner, today
        self.data: Dashboard | None = None
        self.worker: Worker | None = None
        self.year_label = QLabel()
        self.refresh_button = QPushButton("Actualiser")
        self.refresh_button.setToolTip("Recalculer les chiffres avec les dernières saisies")
        self.today_lists = {key: QListWidget() for key in ("follow_ups", "escalations", "unsigned", "sessions")}
        self.today_boxes = {key: QGroupBox() for key in self.today_lists}
        self.tiles: dict[str, QPushButton] = {key: QPushButton() for key in TILES}
        self.places_chart = BarChart("Places offertes et élèves à placer, par public")
        self.escalations_chart = BarChart("Sollicitations par mois")
        self.visits_chart = BarChart("Visites par mois")
        self.tutors_chart = BarChart("Tuteurs formés par mois")
        self.detail_box = QGroupBox("Détail")
        self.detail_label = QLabel("Cliquez sur un chiffre pour voir les fiches qu'il compte.")
        self.detail_list = QListWidget()
        self._build_layout()
        self._connect()

    def showEvent(self, event: QShowEvent) -> None:
        """Read the figures each time the tab comes forward: other tabs may have changed them meanwhile."""
        super().showEvent(event)
        if self.worker is None or self.refresh_button.isEnabled():
            self.refresh()

    def _build_layout(self) -> None:
        head = QHBoxLayout()
        head.addWidget(self.year_label, 1)
        head.addWidget(self.refresh_button)
        today_box = QWidget()
        today_layout = QVBoxLayout(today_box)
        today_layout.setContentsMargins(0, 0, 0, 0)
        today_layout.addWidget(QLabel("<b>Aujourd'hui</b>"))
        for key, box in self.today_boxes.items():
            layout = QVBoxLayout(box)
            layout.setContentsMargins(4, 4, 4, 4)
            layout.addWidget(self.today_lists[key])
            self.today_lists[key].setMinimumHeight(40)
            # Long lines end in "…" (the whole line is in the tooltip) rather than scrolling sideways.
            self.today_lists[key].setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.today_lists[key].setTextElideMode(Qt.TextElideMode.ElideRight)
            today_layout.addWidget(box, 1)
        tiles = QGridLayout()
        for index, tile in enumerate(self.tiles.values()):
            tile.setMinimumHeight(64)
            tile.setStyleSheet("QPushButton { text-align: left; padding: 6px; }")
            tiles.addWidget(tile, index // 4, index % 4)
        charts = QGridLayout()
        for index, chart in enumerate((self.places_chart, self.escalations_chart, self.visits_chart,
                                       self.tutors_chart)):
            charts.addWidget(chart, index // 2, index % 2)
        detail_layout = QVBoxLayout(self.detail_box)
        self.detail_label.setWordWrap(True)
        detail_layout.addWidget(self.detail_label)
        detail_layout.addWidget(self.detail_list)
        figures = QWidget()
        figures_layout = QVBoxLayout(figures)
        figures_layout.setContentsMargins(0, 0, 0, 0)
        figures_layout.addLayout(tiles)
        figures_layout.addLayout(charts, 1)
        figures_layout.addWidget(self.detail_box)
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
        for widget in (*self.today_lists.values(), self.detail_list):
            widget.itemActivated.connect(self._open_item)
        self.places_chart.bar_clicked.connect(self._places_clicked)
        self.escalations_chart.bar_clicked.connect(lambda set_index, month: self._month_clicked(set_index, month))
        self.visits_chart.bar_clicked.connect(lambda _set, month: self._month_clicked(3, month))
        self.tutors_chart.bar_clicked.connect(lambda _set, month: self._month_clicked(4, month))

    # -- loading ---------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the figures on the worker thread; the tab fills in when they arrive."""
        today = self._today or date.today()
        self.refresh_button.setEnabled(False)
        self.worker = Worker(self._store, lambda session, _progress: dashboard(session, today=today))
        self.worker.signals.succeeded.connect(self.show_dashboard)
        self.worker.signals.finished.connect(lambda: self.refresh_button.setEnabled(True))
        self._runner.start(self.worker)

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
        for text, table, record_id in lines:
            item = QListWidgetItem(text)
            item.setData(RECORD_ROLE, (table, record_id))
            item.setToolTip(text)
            widget.addItem(item)
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

    # -- drill-down ------------------------------------------------------------------------------------------------

    def show_indicator(self, key: str) -> None:
        if self.data is None:
            return
        indicator: Indicator = self.data.report.get(key)
        self.show_records(f"{indicator.label} : {indicator.text} – {indicator.definition}", indicator.table,
                          indicator.current.record_ids)

    def show_records(self, title: str, table: str, ids: tuple[int, ...]) -> None:
        with self._store.session() as session:
            lines = records_behind(session, table, ids)
        self.detail_box.setTitle(f"Détail ({len(lines)}) – double-cliquez une ligne pour l'ouvrir dans son onglet")
        self.detail_label.setText(title)
        self.detail_list.clear()
        for line in lines:
            self.detail_list.addItem(self._record_item(line))
        self.figures_scroll.ensureWidgetVisible(self.detail_box)

    @staticmethod
    def _record_item(line: RecordLine) -> QListWidgetItem:
        item = QListWidgetItem(describe_line(line))
        item.setToolTip(describe_line(line))
        item.setData(RECORD_ROLE, (line.open_table, line.open_id))
        return item

    def _places_clicked(self, set_index: int, category: int) -> None:
        if self.data is None:
            return
        audience = list(Audience)[category]
        indicator = self.data.report.get(f"places_ratio:{audience.value}")
        if set_index == 0:
            self.show_records(f"Offres d'accueil – {audience.label}", "hosting_offer", indicator.current.record_ids)
        else:
            pupils = self.data.report.get("pupils")
            self.show_records("Établissements dont les effectifs comptent au dénominateur", "establishment",
                              pupils.current.record_ids)

    def _month_clicked(self, series_index: int, month: int) -> None:
        if self.data is None:
            return
        series = self.data.monthly[series_index]
        self.show_records(f"{series.label} – {MONTHS[month]}", series.table, series.record_ids[month])

    def _open_item(self, item: QListWidgetItem) -> None:
        target = item.data(RECORD_ROLE)
        if target:
            self.open_requested.emit(*target)
