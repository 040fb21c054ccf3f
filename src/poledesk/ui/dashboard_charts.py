"""The Tableau de bord's charts (QtCharts): bars whose click names the records behind them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QWidget

PALETTE = ("#1F3A5F", "#6C9BD2", "#C8702A", "#5A8F4E")


class BarChart(QChartView):
    """Bars by category; `bar_clicked(set_index, category_index)` says which bar was clicked."""

    bar_clicked = Signal(int, int)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart_ = QChart()
        self.chart_.setTitle(title)
        self.chart_.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart_.setMargins(QMargins(4, 4, 4, 4))
        self.chart_.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.setChart(self.chart_)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(230)
        self.setMaximumHeight(300)
        self.series: QBarSeries | None = None

    def set_data(self, categories: Sequence[str], sets: Sequence[tuple[str, Sequence[float]]]) -> None:
        chart = self.chart_
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        series = QBarSeries()
        top = 0.0
        for index, (name, values) in enumerate(sets):
            bar_set = QBarSet(name)
            bar_set.setColor(QColor(PALETTE[index % len(PALETTE)]))
            bar_set.append([float(v) for v in values])
            bar_set.clicked.connect(lambda category, set_index=index: self.bar_clicked.emit(set_index, category))
            series.append(bar_set)
            top = max([top, *values])
        chart.addSeries(series)
        x_axis = QBarCategoryAxis()
        x_axis.append(list(categories))
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, small.pointSizeF() * 0.8))
        x_axis.setLabelsFont(small)
        # Twelve months in a laptop's half width: « mar » came out as « … ». Short labels may touch, never vanish.
        x_axis.setTruncateLabels(False)
        y_axis = QValueAxis()
        y_axis.setRange(0, max(4.0, top * 1.05))
        y_axis.applyNiceNumbers()
        y_axis.setLabelFormat("%d")
        y_axis.setLabelsFont(small)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
        chart.legend().setVisible(len(sets) > 1)
        self.series = series
