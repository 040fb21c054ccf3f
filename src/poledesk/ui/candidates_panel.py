"""The Candidats panel: partners that could host an escalation's pupil, best first, each with its reasons in words."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import cast

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.escalations.matching import Ranked
from poledesk.data.geo import format_km
from poledesk.data.naf import all_sections
from poledesk.data.text import plural, plural_words

ROW_ROLE = Qt.ItemDataRole.UserRole
WAITING_ROLE = Qt.ItemDataRole.UserRole + 1
PADDING = 6
DISTANCES_KM = (5, 10, 20, 30, 50)


def title_text(rank: int, candidate: Ranked) -> str:
    """'1. Crèche Les Lutins – Laxou, à 2,8 km · score 92'"""
    where = candidate.commune + (f", {format_km(candidate.km)}" if candidate.km is not None and candidate.km >= 1
                                 else "")
    return f"{rank}. {candidate.name} – {where} · score {candidate.score}"


def call_text(candidate: Ranked) -> str:
    """'Appeler Inès Colin au 06 12 34 56 78', or the partner's number, or a word saying there is none."""
    if candidate.phone:
        number = candidate.phone.replace(" ", "\u00a0")   # a number is never cut at the end of a line
        return f"Appeler {candidate.contact} au {number}" if candidate.contact else f"Téléphone : {number}"
    return f"{candidate.contact} : pas de téléphone connu" if candidate.contact else "Pas de téléphone connu"


def reasons_text(candidate: Ranked) -> str:
    """'propose la formation demandée · même commune (Nancy) · 2 places libres sur la période · …'"""
    return " · ".join(candidate.reasons)


class CandidateDelegate(QStyledItemDelegate):
    """Draws a candidate on two parts: its rank, name and score in bold, then its reasons, wrapped."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        self.initStyleOption(option, index)
        text = str(index.data(Qt.ItemDataRole.DisplayRole))   # option.text has its line feeds made U+2028
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        title, _, reasons = text.partition("\n")
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        waiting = bool(index.data(WAITING_ROLE))
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        area = option.rect.adjusted(PADDING, PADDING // 2, -PADDING, -PADDING // 2)
        painter.save()
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(option.palette.color(role))
        title_rect = painter.boundingRect(area, Qt.TextFlag.TextWordWrap, title)
        painter.drawText(area, Qt.TextFlag.TextWordWrap, title)
        regular = QFont(option.font)
        regular.setBold(False)
        painter.setFont(regular)
        if not selected:
            painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText if waiting else role))
        painter.drawText(QRect(area.left(), title_rect.bottom() + 2, area.width(), area.height()),
                         Qt.TextFlag.TextWordWrap, reasons)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        self.initStyleOption(option, index)
        view = option.widget
        width = max((view.viewport().width() if isinstance(view, QAbstractScrollArea)
 else 400) - 2 * PADDING, 100)
        title, _, reasons = str(index.data(Qt.ItemDataRole.DisplayRole)).partition("\n")
        bold = QFont(option.font)
        bold.setBold(True)
        title_height = QFontMetrics(bold).boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap,
                                                       title).height()
        reasons_height = QFontMetrics(option.font).boundingRect(QRect(0, 0, width, 10_000),
                                                                Qt.TextFlag.TextWordWrap, reasons).height()
        return QSize(width, title_height + reasons_height + 2 * PADDING)


class CandidatesPanel(QWidget):
    """The ranked candidates of the escalation shown; « Proposer… » (or a double-click) asks to propose one."""

    propose_requested = Signal(int, str)   # partner id, partner name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hint_label = QLabel(wordWrap=True)
        self.hint_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.sector_combo = QComboBox()
        self.sector_combo.setToolTip("Ne montrer que les partenaires d'un secteur d'activité (section NAF)")
        self.distance_combo = QComboBox()
        self.distance_combo.setToolTip("Ne montrer que les partenaires à moins de cette distance, à vol d'oiseau")
        self.distance_combo.addItem("Toutes distances", None)
        for km in DISTANCES_KM:
            self.distance_combo.addItem(f"À moins de {km} km", km)
        for combo in (self.sector_combo, self.distance_combo):   # long NAF labels must not widen the window
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        self.sector_combo.view().setMinimumWidth(360)   # the open list shows the labels whole
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.setItemDelegate(CandidateDelegate(self.list))
        self.propose_button = QPushButton("Proposer…")
        self.propose_button.setToolTip("Enregistrer que vous avez présenté l'élève à ce partenaire")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.propose_button)
        filters = QHBoxLayout()   # no labels: « Tous les secteurs », « Toutes distances » say what each one is
        filters.addWidget(self.sector_combo, 2)
        filters.addWidget(self.distance_combo, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint_label)
        layout.addLayout(filters)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._open = False
        self._ranked: list[Ranked] = []
        self._waiting: Collection[int] = ()
        self._message: str | None = None
        self.sector_combo.currentIndexChanged.connect(lambda _index: self._fill())
        self.distance_combo.currentIndexChanged.connect(lambda _index: self._fill())
        self.list.currentRowChanged.connect(lambda _row: self._update_button())
        self.list.itemDoubleClicked.connect(lambda _item: self.propose_current())
        self.propose_button.clicked.connect(self.propose_current)
        self.show_candidates([], is_open=False, message="")

    def show_candidates(self, ranked: Sequence[Ranked], *, is_open: bool, waiting: Collection[int] = (),
                        message: str | None = None) -> None:
        """Show the ranking; partners in `waiting` already have a proposal waiting for their answer."""
        self._open, self._ranked, self._waiting, self._message = is_open, list(ranked), waiting, message
        self._fill_sectors()
        self._fill()

    def _fill_sectors(self) -> None:
        """The sectors of the candidates, each with its count; the chosen one is kept while it is still there."""
        chosen = self.sector_combo.currentData()
        labels = all_sections()
        counts: dict[str, int] = {}
        for candidate in self._ranked:
            if candidate.sector:
                counts[candidate.sector] = counts.get(candidate.sector, 0) + 1
        self.sector_combo.blockSignals(True)
        self.sector_combo.clear()
        self.sector_combo.addItem("Tous les secteurs", None)
        for letter in sorted(counts):
            self.sector_combo.addItem(f"{labels.get(letter, letter)} ({counts[letter]})", letter)
        index = self.sector_combo.findData(chosen) if chosen is not None else 0
        self.sector_combo.setCurrentIndex(max(index, 0))
        self.sector_combo.blockSignals(False)

    def _shown(self) -> list[Ranked]:
        sector, km = self.sector_combo.currentData(), self.distance_combo.currentData()
        return [c for c in self._ranked if (sector is None or c.sector == sector)
                and (km is None or (c.km is not None and c.km <= km))]

    def _fill(self) -> None:
        current = self.current_candidate()
        self.list.clear()
        ranked = self._shown()
        for rank, candidate in enumerate(ranked, start=1):
            pending = candidate.partner_id in self._waiting
            reasons = reasons_text(candidate) + (" · proposition en attente de réponse" if pending else "")
            item = QListWidgetItem(f"{title_text(rank, candidate)} · {call_text(candidate)}\n{reasons}")
            item.setData(ROW_ROLE, candidate)
            item.setData(WAITING_ROLE, pending)
            item.setToolTip(reasons)
            self.list.addItem(item)
            if current is not None and candidate.partner_id == current.partner_id:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)   # the best one, ready to be proposed
        message = self._message
        if message is None:
            can = plural_words(len(ranked), "pourrait", "pourraient")
            hidden = len(self._ranked) - len(ranked)
            message = (f"{plural(len(ranked), 'partenaire')} {can} accueillir l'élève, les mieux placés d'abord."
                       if ranked else "Aucun partenaire du réseau ne répond à cette demande pour l'instant.")
            if hidden and not ranked:
                message = (f"Aucun candidat dans ce secteur ou à cette distance : élargissez les filtres "
                           f"({plural(hidden, 'partenaire masqué')}).")
            elif hidden:
                message += (f" {plural(hidden, 'autre partenaire')} hors des filtres "
                            f"{plural_words(hidden, 'est masqué', 'sont masqués')}.")
        self.hint_label.setText(message)
        self._update_button()

    def candidates(self) -> list[Ranked]:
        """The candidates in the order shown."""
        return [self.list.item(row).data(ROW_ROLE) for row in range(self.list.count())]

    def current_candidate(self) -> Ranked | None:
        item = self.list.currentItem()
        return cast(Ranked, item.data(ROW_ROLE)) if item is not None else None

    def select_partner(self, partner_id: int) -> bool:
        for row in range(self.list.count()):
            if self.list.item(row).data(ROW_ROLE).partner_id == partner_id:
                self.list.setCurrentRow(row)
                return True
        return False

    def propose_current(self) -> None:
        candidate = self.current_candidate()
        if candidate is not None and self.propose_button.isEnabled():
            self.propose_requested.emit(candidate.partner_id, candidate.name)

    def _update_button(self) -> None:
        item = self.list.currentItem()
        self.propose_button.setEnabled(self._open and item is not None and not item.data(WAITING_ROLE))
