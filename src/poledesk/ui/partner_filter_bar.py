"""The Partenaires filter bar: status, legal kind, sector, commune, public, month with places, trained tutor,
archived; it gives a PartnerFilter and says when it changes."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLayout,
    QLayoutItem,
    QPushButton,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QWidget,
)

from poledesk.data import naf
from poledesk.data.enums import Audience, LegalKind, PartnerStatus
from poledesk.data.partners.listing import PartnerFilter
from poledesk.data.partners.offers import MONTH_NAMES
from poledesk.data.text import fold
from poledesk.ui.forms import FoldingCompleter

SCHOOL_YEAR_MONTHS = (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8)


class FlowLayout(QLayout):
    """Widgets left to right, going on to a new line when the width runs out (a narrow window keeps them all)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        hints = [item.sizeHint() for item in self._items]
        width = sum(h.width() for h in hints) + self.spacing() * max(len(hints) - 1, 0)
        return QSize(width, max((h.height() for h in hints), default=0))

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        lines: list[list[QLayoutItem]] = [[]]
        x = rect.x()
        for item in self._items:
            width = item.sizeHint().width()
            if lines[-1] and x + width > rect.right() + 1:
                lines.append([])
                x = rect.x()
            lines[-1].append(item)
            x += width + self.spacing()
        y = rect.y()
        for line in lines:
            height = max((item.sizeHint().height() for item in line), default=0)
            x = rect.x()
            for item in line:
                hint = item.sizeHint()
                if move:   # centred on the line: check boxes beside combos
                    item.setGeometry(QRect(QPoint(x, y + (height - hint.height()) // 2), hint))
                x += hint.width() + self.spacing()
            y += height + self.spacing()
        return y - self.spacing() - rect.y()


class ElidedComboBox(QComboBox):
    """A combo box that ends a choice too long for it with « … » instead of cutting it (its list shows it all)."""

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        field = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                            QStyle.SubControl.SC_ComboBoxEditField, self)
        option.currentText = self.fontMetrics().elidedText(option.currentText, Qt.TextElideMode.ElideRight,
                                                           field.width())
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


def _combo(first: str, items: list[tuple[str, object]], *, width: int = 14, popup: int = 0) -> QComboBox:
    combo = ElidedComboBox()
    combo.addItem(first, None)
    for label, value in items:
        combo.addItem(label, value)
        combo.setItemData(combo.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
    combo.currentIndexChanged.connect(lambda: combo.setToolTip(combo.currentText()))
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(width)
    if popup:
        combo.view().setMinimumWidth(popup)
    return combo


class PartnerFilterBar(QWidget):
    """Combos and check boxes on one line; `changed` is emitted on every change, `current_filter()` reads them."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._communes: dict[str, str] = {}      # folded -> as written
        self.status_combo = _combo("Tous les statuts", [(s.label, s.value) for s in PartnerStatus], width=11)
        self.legal_kind_combo = _combo("Toutes les formes", [(k.label, k.value) for k in LegalKind], width=12)
        self.section_combo = _combo("Tous les secteurs", [(f"{letter} – {label}", letter)
                                                          for letter, label in naf.all_sections().items()],
                                    width=13, popup=560)
        self.commune_combo = QComboBox(editable=True)
        self.commune_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.commune_combo.setCompleter(None)  # type: ignore[arg-type]  # None removes Qt's own; stubs omit it
        commune_edit = self.commune_combo.lineEdit()
        assert commune_edit is not None   # an editable combo has its line edit
        commune_edit.setPlaceholderText("Toutes les communes")
        commune_edit.setClearButtonEnabled(True)
        self.commune_combo.setMinimumContentsLength(15)
        self.commune_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.commune_completer = FoldingCompleter(commune_edit, popup_width=240)
        self.audience_combo = _combo("Tous les publics", [(a.label, a.value) for a in Audience], width=12, popup=300)
        self.month_combo = _combo("Places : tous les mois",
                                  [(f"Places en {MONTH_NAMES[m - 1]}", m) for m in SCHOOL_YEAR_MONTHS], width=14)
        self.tutor_check = QCheckBox("Tuteur formé")
        self.tutor_check.setToolTip("Un de ses contacts a suivi une formation des tuteurs")
        self.archived_check = QCheckBox("Archivés")
        self.archived_check.setToolTip("Montrer les partenaires archivés, pour les restaurer")
        self.reset_button = QPushButton("Réinitialiser")
        self.reset_button.setToolTip("Retirer tous les filtres")
        layout = FlowLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for widget in (self.status_combo, self.legal_kind_combo, self.section_combo, self.commune_combo,
                       self.audience_combo, self.month_combo, self.tutor_check, self.archived_check,
                       self.reset_button):
            layout.addWidget(widget)
        for combo in (self.status_combo, self.legal_kind_combo, self.section_combo, self.audience_combo,
                      self.month_combo):
            combo.currentIndexChanged.connect(self._on_changed)
        self.commune_combo.currentTextChanged.connect(self._on_changed)
        self.tutor_check.toggled.connect(self._on_changed)
        self.archived_check.toggled.connect(self._on_changed)
        self.reset_button.clicked.connect(self.reset)
        self._update_reset()

    def set_communes(self, names: list[str]) -> None:
        """The communes offered (the partners'), keeping the one typed."""
        typed = self.commune_combo.currentText()
        self._communes = {fold(name): name for name in names}
        self.commune_combo.blockSignals(True)
        self.commune_combo.clear()
        self.commune_combo.addItem("")
        self.commune_combo.addItems(names)
        self.commune_combo.setEditText(typed)
        self.commune_combo.blockSignals(False)
        self.commune_completer.set_items([(name, name) for name in names])

    def current_filter(self) -> PartnerFilter:
        status, kind = self.status_combo.currentData(), self.legal_kind_combo.currentData()
        audience = self.audience_combo.currentData()
        return PartnerFilter(
            status=PartnerStatus(status) if status else None, legal_kind=LegalKind(kind) if kind else None,
            section=self.section_combo.currentData() or "", commune=self._commune(),
            audience=Audience(audience) if audience else None, month=self.month_combo.currentData(),
            tutor_trained=self.tutor_check.isChecked(), archived=self.archived_check.isChecked())

    def _commune(self) -> str:
        """The commune typed, once it names one of the list (accents and case ignored); "" until then."""
        return self._communes.get(fold(" ".join(self.commune_combo.currentText().split())), "")

    def reset(self) -> None:
        """Every filter off, with one `changed` at the end."""
        widgets = (self.status_combo, self.legal_kind_combo, self.section_combo, self.audience_combo,
                   self.month_combo, self.commune_combo, self.tutor_check, self.archived_check)
        for widget in widgets:
            widget.blockSignals(True)
        for combo in (self.status_combo, self.legal_kind_combo, self.section_combo, self.audience_combo,
                      self.month_combo):
            combo.setCurrentIndex(0)
        self.commune_combo.setEditText("")
        self.tutor_check.setChecked(False)
        self.archived_check.setChecked(False)
        for widget in widgets:
            widget.blockSignals(False)
        self._on_changed()

    def _on_changed(self) -> None:
        self._update_reset()
        self.changed.emit()

    def _update_reset(self) -> None:
        current = self.current_filter()
        self.reset_button.setEnabled(current.narrows or current.archived)
