"""The Candidats panel: partners that could host an escalation's pupil, best first, each with its reasons in words."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import cast

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractScrollArea,
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
from poledesk.data.text import plural, plural_words

ROW_ROLE = Qt.ItemDataRole.UserRole
WAITING_ROLE = Qt.ItemDataRole.UserRole + 1
PADDING = 6


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
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._open = False
        self.list.currentRowChanged.connect(lambda _row: self._update_button())
        self.list.itemDoubleClicked.connect(lambda _item: self.propose_current())
        self.propose_button.clicked.connect(self.propose_current)
        self.show_candidates([], is_open=False, message="")

    def show_candidates(self, ranked: Sequence[Ranked], *, is_open: bool, waiting: Collection[int] = (),
                        message: str | None = None) -> None:
        """Show the ranking; partners in `waiting` already have a proposal waiting for their answer."""
        self._open = is_open
        current = self.current_candidate()
        self.list.clear()
        for rank, candidate in enumerate(ranked, start=1):
            pending = candidate.partner_id in waiting
            title = f"{rank}. {candidate.name} – {candidate.commune} · score {candidate.score}"
            reasons = reasons_text(candidate) + (" · proposition en attente de réponse" if pending else "")
            item = QListWidgetItem(f"{title}\n{reasons}")
            item.setData(ROW_ROLE, candidate)
            item.setData(WAITING_ROLE, pending)
            item.setToolTip(reasons)
            self.list.addItem(item)
            if current is not None and candidate.partner_id == current.partner_id:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)   # the best one, ready to be proposed
        if message is None:
            can = plural_words(len(ranked), "pourrait", "pourraient")
            message = (f"{plural(len(ranked), 'partenaire')} {can} accueillir l'élève, les mieux placés d'abord."
                       if ranked else "Aucun partenaire du réseau ne répond à cette demande pour l'instant.")
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
