"""Noter un échange: a visit, call or meeting with a partner and what follows it, in one quick form
(visits.log_visit). The cursor starts in the summary; Ctrl+Entrée saves."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from poledesk.data import Session
from poledesk.data.db import Store
from poledesk.data.enums import VisitKind
from poledesk.data.partners import listing as partners
from poledesk.data.partners import visits as visits
from poledesk.data.partners.visits import VisitForm
from poledesk.ui.forms import DateField, FormDialog, side_by_side

DUE_BEFORE_VISIT = "L'échéance ne peut pas précéder l'échange."   # the service's words (partners.visits)


class VisitDialog(FormDialog):
    """Note an exchange with a partner, dated today unless changed; `saved_id` holds the visit's id."""

    def __init__(self, store: Store, partner_id: int, *, partner_name: str = "", today: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(store, f"Noter un échange – {partner_name}" if partner_name else "Noter un échange", parent,
                         write=self.write)
        self._partner_id = partner_id
        self._today = today or date.today()
        with store.session() as session:
            author = partners.visit_author(session)
            people = partners.list_contacts(session, partner_id)
        self.partner_label = QLabel(partner_name)
        font = self.partner_label.font()
        font.setBold(True)
        self.partner_label.setFont(font)
        self.date_edit = DateField(self._today)
        self.date_edit.set_range(maximum=self._today)
        self.kind_combo = QComboBox()
        for value, label in VisitKind.choices():
            self.kind_combo.addItem(label, value)
        self.who_edit = QLineEdit(author, placeholderText="Qui a mené l'échange")
        self.contact_combo = QComboBox()
        self.contact_combo.addItem("Aucun en particulier", None)
        for person in people:
            self.contact_combo.addItem(", ".join(x for x in (person.full_name, person.role) if x), person.id)
        self.summary_edit = QPlainTextEdit(tabChangesFocus=True)
        self.summary_edit.setPlaceholderText("Ce qui s'est dit, en quelques mots")
        self.summary_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.outcome_edit = QLineEdit(placeholderText="Ex. accord pour deux élèves en mars")
        self.next_action_edit = QLineEdit(placeholderText="Ex. envoyer la convention-cadre")
        self.due_date = DateField(optional=True)
        self.week_button = QPushButton("Dans 1 semaine")
        self.month_button = QPushButton("Dans 1 mois")
        self.week_button.setToolTip("L'échéance de l'action sept jours après l'échange")
        self.month_button.setToolTip("L'échéance de l'action trente jours après l'échange")
        self.week_button.clicked.connect(lambda: self._due_in(days=7))
        self.month_button.clicked.connect(lambda: self._due_in(days=30))
        self._build_layout()

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Partenaire", self.partner_label)
        form.addRow("Date", self.field("visited_on", side_by_side(self.date_edit, self.kind_combo)))
        self.watch_date("visited_on", self.date_edit)
        self.watch_date("next_action_due", self.due_date)
        self.period("visited_on", "next_action_due", message=DUE_BEFORE_VISIT)
        form.addRow("Mené par", self.who_edit)
        form.addRow("Interlocuteur", self.field("contact", self.contact_combo))
        form.addRow("Résumé *", self.field("summary", self.summary_edit))
        form.addRow("Résultat", self.outcome_edit)
        form.addRow("Action à mener", self.field("next_action", self.next_action_edit))
        form.addRow("Échéance", self.field("next_action_due", side_by_side(
            self.due_date, self.week_button, self.month_button)))
        layout = QVBoxLayout(self)
        layout.addWidget(self.general_error)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.summary_edit.setFocus()       # the date, the partner and who are already right most of the time

    def _due_in(self, *, days: int) -> None:
        self.due_date.set_value((self.date_edit.value() or self._today) + timedelta(days=days))

    def form(self) -> VisitForm:
        return VisitForm(visited_on=self.date_edit.value() or self._today,
                         kind=VisitKind(self.kind_combo.currentData()),
                         who=self.who_edit.text(), contact_id=self.contact_combo.currentData(),
                         summary=self.summary_edit.toPlainText(), outcome=self.outcome_edit.text(),
                         next_action=self.next_action_edit.text(), next_action_due=self.due_date.value())

    def write(self, session: Session) -> int:
        return visits.log_visit(session, self._partner_id, self.form(), today=self._today)
