"""The hosting offer form: public, formation or sector, places, months, reserved establishments; saved by
offers.save_offer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from poledesk.data import Session
from poledesk.data.db import Store
from poledesk.data.enums import Audience
from poledesk.data.establishments import listing as establishments
from poledesk.data.partners import listing as partners
from poledesk.data.partners import offers as offers
from poledesk.data.partners.listing import FormationOption
from poledesk.data.partners.offers import OfferForm
from poledesk.ui.forms import DateField, FormDialog, hint_label, side_by_side

SCHOOL_YEAR_MONTHS = (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8)   # shown in the order of a school year
NO_LIMIT = 0


class OfferDialog(FormDialog):
    """Add an offer to a partner (offer_id None) or edit one; `saved_id` holds its id once saved."""

    def __init__(self, store: Store, partner_id: int, offer_id: int | None = None, *, partner_name: str = "",
                 parent: QWidget | None = None) -> None:
        title = "Nouvelle offre d'accueil" if offer_id is None else "Modifier l'offre d'accueil"
        super().__init__(store, f"{title} – {partner_name}" if partner_name else title, parent, write=self.write)
        self._partner_id, self._offer_id = partner_id, offer_id
        with store.session() as session:
            self._formations = partners.offer_formations(session)
            schools = establishments.search_establishments(session)
            form = offers.offer_form(session, offer_id) if offer_id is not None else None
        self._build_widgets(schools)
        self._build_layout()
        self.audience_combo.currentIndexChanged.connect(self._fill_formations)
        self.formation_combo.currentIndexChanged.connect(self._on_formation_changed)
        self._fill_formations()
        if form is not None:
            self.load(form)
        self.audience_combo.setFocus()

    def _build_widgets(self, schools: list[establishments.EstablishmentRow]) -> None:
        self.audience_combo = QComboBox()
        for value, label in Audience.choices():
            self.audience_combo.addItem(label, value)
        self.formation_combo = QComboBox()
        self.formation_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.formation_combo.setMinimumContentsLength(30)
        self.sector_edit = QLineEdit(placeholderText="Si aucune formation : le métier ou le secteur, ex. boulangerie")
        self.places_spin = QSpinBox(minimum=1, maximum=999)
        self.month_checks: dict[int, QCheckBox] = {
            m: QCheckBox(offers.MONTH_NAMES[m - 1]) for m in SCHOOL_YEAR_MONTHS}
        self.all_months_button = QPushButton("Toute l'année")
        self.no_month_button = QPushButton("Aucun")
        self.all_months_button.setToolTip("Cocher les douze mois")
        self.no_month_button.setToolTip("Décocher tous les mois")
        self.weeks_edit = QLineEdit(placeholderText="Ou des semaines précises, ex. semaines 47 à 50")
        self.establishments_list = QListWidget()
        for school in schools:
            item = QListWidgetItem(school.name)
            item.setData(Qt.ItemDataRole.UserRole, school.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.establishments_list.addItem(item)
        self.establishments_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 7)
        self.max_requests_spin = QSpinBox(minimum=NO_LIMIT, maximum=99)
        self.max_requests_spin.setSpecialValueText("Sans limite")
        self.confirmed_date = DateField(optional=True)
        self.notes_edit = QPlainTextEdit(tabChangesFocus=True)
        self.notes_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.all_months_button.clicked.connect(lambda: self._check_months(True))
        self.no_month_button.clicked.connect(lambda: self._check_months(False))

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Public *", self.audience_combo)
        form.addRow("Formation", self.field("formation", self.formation_combo))
        form.addRow("Secteur", self.sector_edit)
        form.addRow("Places *", self.field("places", side_by_side(self.places_spin)))
        form.addRow("Mois d'accueil *", self.field("months", self._months_box(), self.weeks_edit))
        form.addRow("Réservée à", self.field("reserved_to", self.establishments_list,
                                             hint_label("Aucun établissement coché : offre ouverte à tous.")))
        form.addRow("Sollicitations", self.field("max_requests_per_month", side_by_side(
            self.max_requests_spin, hint_label("au plus, par mois"))))
        form.addRow("Confirmée le", self.field("last_confirmed_on", self.confirmed_date))
        form.addRow("Notes", self.notes_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.general_error)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(620, self.sizeHint().height())

    def _months_box(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        for position, month in enumerate(SCHOOL_YEAR_MONTHS):
            grid.addWidget(self.month_checks[month], position // 6, position % 6)
        buttons = QHBoxLayout()
        buttons.addWidget(self.all_months_button)
        buttons.addWidget(self.no_month_button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 2, 0, 1, 6)
        return box

    def _check_months(self, checked: bool) -> None:
        for check in self.month_checks.values():
            check.setChecked(checked)

    def _audience(self) -> Audience:
        return Audience(self.audience_combo.currentData())

    def _fill_formations(self, _index: int = 0, keep: int | None = None) -> None:
        """The formations of the chosen public (and the offer's own, whatever its public)."""
        chosen = keep if keep is not None else self.formation_combo.currentData()
        shown: list[FormationOption] = [f for f in self._formations
                                        if f.audience == self._audience() or f.id == chosen]
        self.formation_combo.blockSignals(True)
        self.formation_combo.clear()
        self.formation_combo.addItem("Aucune : préciser le secteur", None)
        for formation in shown:
            self.formation_combo.addItem(formation.label, formation.id)
        self.formation_combo.setCurrentIndex(max(self.formation_combo.findData(chosen), 0) if chosen else 0)
        self.formation_combo.blockSignals(False)
        self._on_formation_changed()

    def _on_formation_changed(self) -> None:
        self.sector_edit.setEnabled(self.formation_combo.currentData() is None)

    def form(self) -> OfferForm:
        max_requests = self.max_requests_spin.value()
        reserved = tuple(self.establishments_list.item(r).data(Qt.ItemDataRole.UserRole)
                         for r in range(self.establishments_list.count())
                         if self.establishments_list.item(r).checkState() == Qt.CheckState.Checked)
        formation_id = self.formation_combo.currentData()
        return OfferForm(
            audience=self._audience(), formation_id=formation_id,
            sector=self.sector_edit.text() if formation_id is None else "", places=self.places_spin.value(),
            months=tuple(sorted(m for m, check in self.month_checks.items() if check.isChecked())),
            weeks=self.weeks_edit.text(), reserved_to=reserved,
            max_requests_per_month=None if max_requests == NO_LIMIT else max_requests,
            last_confirmed_on=self.confirmed_date.value(), notes=self.notes_edit.toPlainText())

    def load(self, form: OfferForm) -> None:
        self.audience_combo.setCurrentIndex(max(self.audience_combo.findData(form.audience.value), 0))
        self._fill_formations(keep=form.formation_id)
        self.sector_edit.setText(form.sector)
        self.places_spin.setValue(form.places)
        for month, check in self.month_checks.items():
            check.setChecked(month in form.months)
        self.weeks_edit.setText(form.weeks)
        for row in range(self.establishments_list.count()):
            item = self.establishments_list.item(row)
            reserved = item.data(Qt.ItemDataRole.UserRole) in form.reserved_to
            item.setCheckState(Qt.CheckState.Checked if reserved else Qt.CheckState.Unchecked)
        self.max_requests_spin.setValue(form.max_requests_per_month or NO_LIMIT)
        self.confirmed_date.set_value(form.last_confirmed_on)
        self.notes_edit.setPlainText(form.notes)

    def write(self, session: Session) -> int:
        return offers.save_offer(session, self._partner_id, self.form(), self._offer_id)
