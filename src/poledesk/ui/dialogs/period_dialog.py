"""The planned period form: an establishment's class out at partners (formation, class, dates, pupils), saved by
periods.save_period."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QPlainTextEdit, QSpinBox, QVBoxLayout, QWidget

from poledesk.data import Session
from poledesk.data.choices import formation_options
from poledesk.data.db import Store
from poledesk.data.enums import Audience
from poledesk.data.planning import periods
from poledesk.data.planning.periods import MAX_PUPILS, PeriodForm
from poledesk.ui.forms import DateField, FormDialog, enum_data, fill_combo, select_data


class PeriodDialog(FormDialog):
    """A new period of an establishment (period_id None) or a recorded one; `saved_id` holds its id once saved.
    `form` fills the fields (a proposal, or a period to copy)."""

    def __init__(self, store: Store, establishment_id: int, period_id: int | None = None, *,
                 establishment_name: str = "", form: PeriodForm | None = None,
                 parent: QWidget | None = None) -> None:
        title = "Nouvelle période" if period_id is None else "Modifier la période"
        super().__init__(store, f"{title} – {establishment_name}" if establishment_name else title, parent,
                         write=self.write)
        self._establishment_id, self._period_id = establishment_id, period_id
        with store.session() as session:
            self._formations = formation_options(session)
            if period_id is not None and form is None:
                row = next((p for p in periods.list_periods(session, establishment_id=establishment_id)
                            if p.id == period_id), None)
                form = periods.period_form_of(row) if row is not None else None
        self._source = form.source if form is not None else "entered"
        self.audience_combo = QComboBox()
        fill_combo(self.audience_combo, Audience.choices(), none_text="Choisir…")
        self.formation_combo = QComboBox()
        self.division_edit = QLineEdit(placeholderText="par exemple 1re MCV A")
        self.division_edit.setMaxLength(40)
        start = _next_monday(date.today())
        self.start_edit = DateField(start)
        self.end_edit = DateField(start + timedelta(days=11))
        self.pupils_spin = QSpinBox(minimum=0, maximum=MAX_PUPILS, suffix=" élèves")
        self.notes_edit = QPlainTextEdit(tabChangesFocus=True)
        self.notes_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self._build_layout()
        self.audience_combo.currentIndexChanged.connect(self._fill_formations)
        self.formation_combo.currentIndexChanged.connect(self._on_formation_changed)
        self._fill_formations()
        if form is not None:
            self.load(form)

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Public *", self.field("audience", self.audience_combo))
        form.addRow("Formation", self.field("formation_id", self.formation_combo))
        form.addRow("Classe", self.field("division", self.division_edit))
        form.addRow("Début *", self.field("start_date", self.start_edit))
        form.addRow("Fin *", self.field("end_date", self.end_edit))
        form.addRow("Élèves *", self.field("pupils", self.pupils_spin))
        form.addRow("Notes", self.notes_edit)
        self.period("start_date", "end_date")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def _fill_formations(self) -> None:
        audience = enum_data(self.audience_combo, Audience)
        current = self.formation_combo.currentData()
        fill_combo(self.formation_combo, [(f.id, f.label) for f in self._formations
                                          if audience is None or f.audience is audience],
                   none_text="Formation non précisée")
        select_data(self.formation_combo, current)

    def _on_formation_changed(self) -> None:
        chosen = next((f for f in self._formations if f.id == self.formation_combo.currentData()), None)
        if chosen is not None and chosen.audience is not enum_data(self.audience_combo, Audience):
            select_data(self.audience_combo, chosen.audience)

    def load(self, form: PeriodForm) -> None:
        select_data(self.audience_combo, form.audience)
        self._fill_formations()
        select_data(self.formation_combo, form.formation_id)
        self.division_edit.setText(form.division)
        self.start_edit.set_value(form.start_date)
        self.end_edit.set_value(form.end_date)
        self.pupils_spin.setValue(form.pupils or 0)
        self.notes_edit.setPlainText(form.notes)

    def form(self) -> PeriodForm:
        return PeriodForm(self._establishment_id, enum_data(self.audience_combo, Audience), self.start_edit.value(),
                          self.end_edit.value(), self.pupils_spin.value(),
                          formation_id=self.formation_combo.currentData(), division=self.division_edit.text(),
                          notes=self.notes_edit.toPlainText().strip(), source=self._source)

    def write(self, session: Session) -> int:
        return periods.save_period(session, self.form(), self._period_id)


def _next_monday(day: date) -> date:
    return day + timedelta(days=7 - day.weekday())
