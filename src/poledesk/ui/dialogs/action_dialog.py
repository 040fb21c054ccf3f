"""The form of an action of the programme, and the form of its end-of-year bilan, on the form kit (ui/forms.py):
each problem beside its field, Ctrl+Entrée saves, the window keeps its size and position."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
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

from poledesk.data import Session, choices
from poledesk.data.actions import programme
from poledesk.data.actions.programme import ActionForm, ReviewForm
from poledesk.data.db import Store
from poledesk.data.enums import ActionAxis, ActionReview, ActionStatus
from poledesk.ui.forms import DateField, FormDialog

ID_ROLE = Qt.ItemDataRole.UserRole


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


class ActionDialog(FormDialog):
    """A new action of `school_year` (action_id None) or an existing one; `saved(id)` once written."""

    def __init__(self, store: Store, school_year: str, action_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        with store.session() as session:
            form = programme.action_form(session, action_id) if action_id else ActionForm(school_year,
                                                                                          ActionAxis.PATHWAYS, "")
            partners = programme.partner_choices(session)
            schools = [(c.id, c.label) for c in choices.establishment_choices(session)]
        super().__init__(store, "Modifier l'action" if action_id else f"Nouvelle action – {form.school_year}",
                         parent, write=self.write)
        self._year, self._action_id = form.school_year, action_id
        self.title_edit = QLineEdit(form.title)
        self.axis_combo = QComboBox()
        for axis in ActionAxis:
            self.axis_combo.addItem(axis.label, axis)
        self.axis_combo.setCurrentIndex(list(ActionAxis).index(ActionAxis(form.axis)))
        self.description_edit = QPlainTextEdit(form.description, tabChangesFocus=True)
        self.description_edit.setMaximumHeight(70)
        self.starts_edit = DateField(form.starts_on, optional=True)   # empty: « à dater »
        self.ends_edit = DateField(form.ends_on, optional=True)
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
        self._build_layout()
        self.resize(720, 640)

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Intitulé *", self.field("title", self.title_edit))
        form.addRow("Axe", self.axis_combo)
        form.addRow("Description", self.description_edit)
        form.addRow("Début", self.field("starts_on", self.starts_edit))
        form.addRow("Fin", self.field("ends_on", self.ends_edit))
        self.period("starts_on", "ends_on")
        form.addRow("Statut", self.status_combo)
        form.addRow("Indicateur visé", self.field("indicator", self.indicator_combo))
        form.addRow("Cible", self.field("target", self.target_edit))
        involved = QHBoxLayout()
        lists: tuple[tuple[str, QListWidget], ...] = (("Établissements associés", self.schools_list),
                                                      ("Partenaires associés", self.partners_list))
        for title, checklist in lists:
            column = QVBoxLayout()
            column.addWidget(QLabel(title))
            column.addWidget(checklist)
            involved.addLayout(column)
        layout = QVBoxLayout(self)
        layout.addWidget(self.general_error)     # school_year, and any problem no field owns
        layout.addLayout(form)
        layout.addLayout(involved, 1)
        layout.addWidget(self.buttons)

    def form(self) -> ActionForm:
        return ActionForm(self._year, self.axis_combo.currentData(), self.title_edit.text(),
                          self.description_edit.toPlainText(), self.starts_edit.value(), self.ends_edit.value(),
                          self.status_combo.currentData(), self.indicator_combo.currentData() or "",
                          self.target_edit.text(), checked_ids(self.partners_list), checked_ids(self.schools_list))

    def write(self, session: Session) -> int:
        return programme.save_action(session, self.form(), self._action_id)


class ReviewDialog(FormDialog):
    """The bilan of one action: done, partly or not done, the result in words, the measured value."""

    def __init__(self, store: Store, action_id: int, parent: QWidget | None = None) -> None:
        with store.session() as session:
            row = programme.get_action(session, action_id)
        super().__init__(store, f"Bilan – {row.title}", parent, write=self.write, save_text="Enregistrer le bilan")
        self._action_id = action_id
        self.review_combo = QComboBox()
        for review in ActionReview:
            self.review_combo.addItem(review.label, review)
        self.review_combo.setCurrentIndex(list(ActionReview).index(row.review) if row.review else 0)
        self.result_edit = QPlainTextEdit(row.review_result, tabChangesFocus=True)
        self.result_edit.setMaximumHeight(90)
        target = f"{row.indicator_label} – cible : {row.target or 'aucune'}" if row.indicator else "Aucun indicateur"
        self.target_label = QLabel(target)
        self.target_label.setWordWrap(True)
        self.measured_edit = QLineEdit(row.measured_value)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Bilan", self.review_combo)
        form.addRow("Résultat", self.field("result", self.result_edit))
        form.addRow("Indicateur", self.target_label)
        form.addRow("Valeur mesurée", self.field("measured_value", self.measured_edit))
        layout = QVBoxLayout(self)
        layout.addWidget(self.general_error)
        layout.addLayout(form)
        layout.addStretch(1)      # the spare height below the form, not between a field and its message
        layout.addWidget(self.buttons)
        self.resize(560, 320)

    def form(self) -> ReviewForm:
        return ReviewForm(self.review_combo.currentData(), self.result_edit.toPlainText(), self.measured_edit.text())

    def write(self, session: Session) -> int:
        programme.review_action(session, self._action_id, self.form())
        return self._action_id
