"""The form of an action of the programme, and the form of its end-of-year bilan; problems shown beside fields."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from poledesk.data import choices
from poledesk.data.actions import programme
from poledesk.data.actions.programme import ActionForm, ReviewForm
from poledesk.data.db import Store
from poledesk.data.enums import ActionAxis, ActionReview, ActionStatus
from poledesk.data.indicators.measures import school_year_bounds
from poledesk.data.validation import ValidationError

ID_ROLE = Qt.ItemDataRole.UserRole


class OptionalDate(QWidget):
    """A dd/MM/yyyy date that may be left unset (« à dater »)."""

    def __init__(self, value: date | None, default: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox()
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd/MM/yyyy")
        day = value or default
        self.edit.setDate(QDate(day.year, day.month, day.day))
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.check.toggled.connect(self.edit.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)

    def value(self) -> date | None:
        if not self.check.isChecked():
            return None
        day = self.edit.date()
        return date(day.year(), day.month(), day.day())


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet("color: #B00020;")
    label.setWordWrap(True)
    label.hide()
    return label


def _checkable(items: list[tuple[int, str]], checked: tuple[int, ...]) -> QListWidget:
    widget = QListWidget()
    for record_id, text in items:
        item = QListWidgetItem(text)
        item.setData(ID_ROLE, record_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if record_id in checked else Qt.CheckState.Unchecked)
        widget.addItem(item)
    widget.setMinimumHeight(90)
    return widget


def checked_ids(widget: QListWidget) -> tuple[int, ...]:
    return tuple(widget.item(i).data(ID_ROLE) for i in range(widget.count())
                 if widget.item(i).checkState() == Qt.CheckState.Checked)


class ActionDialog(QDialog):
    """A new action of `school_year` (action_id None) or an existing one; `saved(id)` once written."""

    saved = Signal(int)

    def __init__(self, store: Store, school_year: str, action_id: int | None = None,
                 parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self._store, self._action_id = store, action_id
        today = today or date.today()
        with store.session() as session:
            form = programme.action_form(session, action_id) if action_id else ActionForm(school_year,
                                                                                          ActionAxis.PATHWAYS, "")
            partners = programme.partner_choices(session)
            schools = [(c.id, c.label) for c in choices.establishment_choices(session)]
        self._year = form.school_year
        self.setWindowTitle("Modifier l'action" if action_id else f"Nouvelle action – {self._year}")
        first, _last = school_year_bounds(self._year)
        self.title_edit = QLineEdit(form.title)
        self.axis_combo = QComboBox()
        for axis in ActionAxis:
            self.axis_combo.addItem(axis.label, axis)
        self.axis_combo.setCurrentIndex(list(ActionAxis).index(ActionAxis(form.axis)))
        self.description_edit = QPlainTextEdit(form.description)
        self.description_edit.setMaximumHeight(70)
        default = min(max(first, today), _last)    # a date of the year shown, today's when it is this year
        self.starts_edit = OptionalDate(form.starts_on, default)
        self.ends_edit = OptionalDate(form.ends_on, default)
        self.status_combo = QComboBox()
        for status in ActionStatus:
            self.status_combo.addItem(status.label, status)
        self.status_combo.setCurrentIndex(list(ActionStatus).index(ActionStatus(form.status)))
        self.indicator_combo = QComboBox()
        for key, label in programme.indicator_choices():
            self.indicator_combo.addItem(label, key)
        self.indicator_combo.setCurrentIndex(max(0, self.indicator_combo.findData(form.indicator)))
        self.target_edit = QLineEdit(form.target, placeholderText="par exemple 40, ou 60 %")
        self.partners_list = _checkable(partners, form.partner_ids)
        self.schools_list = _checkable(schools, form.establishment_ids)
        self.errors = {name: _error_label() for name in ("title", "school_year", "starts_on", "ends_on", "indicator",
                                                          "target")}
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Enregistrer")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setToolTip("Enregistrer et fermer")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setToolTip("Fermer sans rien enregistrer")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._build_layout()
        self.resize(720, 640)

    def _build_layout(self) -> None:
        form = QFormLayout()
        for label, widget, error in (("Intitulé", self.title_edit, "title"), ("Axe", self.axis_combo, None),
                                     ("Description", self.description_edit, None),
                                     ("Début", self.starts_edit, "starts_on"), ("Fin", self.ends_edit, "ends_on"),
                                     ("Statut", self.status_combo, None),
                                     ("Indicateur visé", self.indicator_combo, "indicator"),
                                     ("Cible", self.target_edit, "target")):
            form.addRow(label, widget)
            if error:
                form.addRow("", self.errors[error])
        form.addRow("", self.errors["school_year"])
        involved = QHBoxLayout()
        lists: tuple[tuple[str, QListWidget], ...] = (("Établissements associés", self.schools_list),
                                                      ("Partenaires associés", self.partners_list))
        for title, checklist in lists:
            column = QVBoxLayout()
            column.addWidget(QLabel(title))
            column.addWidget(checklist)
            involved.addLayout(column)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(involved, 1)
        layout.addWidget(self.buttons)

    def form(self) -> ActionForm:
        return ActionForm(self._year, self.axis_combo.currentData(), self.title_edit.text(),
                          self.description_edit.toPlainText(), self.starts_edit.value(), self.ends_edit.value(),
                          self.status_combo.currentData(), self.indicator_combo.currentData() or "",
                          self.target_edit.text(), checked_ids(self.partners_list), checked_ids(self.schools_list))

    def save(self) -> None:
        try:
            with self._store.transaction() as session:
                action_id = programme.save_action(session, self.form(), self._action_id)
        except ValidationError as error:
            self.show_problems(error.problems)
            return
        self.saved.emit(action_id)
        self.accept()

    def show_problems(self, problems: dict[str, str]) -> None:
        for field, label in self.errors.items():
            label.setText(problems.get(field, ""))
            label.setVisible(field in problems)


class ReviewDialog(QDialog):
    """The bilan of one action: done, partly or not done, the result in words, the measured value."""

    saved = Signal(int)

    def __init__(self, store: Store, action_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._action_id = store, action_id
        with store.session() as session:
            row = programme.get_action(session, action_id)
        self.setWindowTitle(f"Bilan – {row.title}")
        self.review_combo = QComboBox()
        for review in ActionReview:
            self.review_combo.addItem(review.label, review)
        self.review_combo.setCurrentIndex(list(ActionReview).index(row.review) if row.review else 0)
        self.result_edit = QPlainTextEdit(row.review_result)
        self.result_edit.setMaximumHeight(90)
        target = f"{row.indicator_label} – cible : {row.target or 'aucune'}" if row.indicator else "Aucun indicateur"
        self.target_label = QLabel(target)
        self.measured_edit = QLineEdit(row.measured_value)
        self.errors = {name: _error_label() for name in ("result", "measured_value")}
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Enregistrer le bilan")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setToolTip("Enregistrer et fermer")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setToolTip("Fermer sans rien enregistrer")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Bilan", self.review_combo)
        form.addRow("Résultat", self.result_edit)
        form.addRow("", self.errors["result"])
        form.addRow("Indicateur", self.target_label)
        form.addRow("Valeur mesurée", self.measured_edit)
        form.addRow("", self.errors["measured_value"])
        form.addRow(self.buttons)
        self.resize(560, 320)

    def save(self) -> None:
        form = ReviewForm(self.review_combo.currentData(), self.result_edit.toPlainText(), self.measured_edit.text())
        try:
            with self._store.transaction() as session:
                programme.review_action(session, self._action_id, form)
        except ValidationError as error:
            for field, label in self.errors.items():
                label.setText(error.problems.get(field, ""))
                label.setVisible(field in error.problems)
            return
        self.saved.emit(self._action_id)
        self.accept()
