"""The contact form: a person at a partner, tutor or not, saved by contacts.save_contact."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from poledesk.data import Session
from poledesk.data.db import Store
from poledesk.data.partners import contacts as contacts
from poledesk.data.partners.contacts import ContactForm
from poledesk.data.text import format_date
from poledesk.ui.forms import FormDialog, hint_label


class ContactDialog(FormDialog):
    """Add a contact to a partner (contact_id None) or edit one; `saved_id` holds its id once saved."""

    def __init__(self, store: Store, partner_id: int, contact_id: int | None = None, *, partner_name: str = "",
                 parent: QWidget | None = None) -> None:
        title = "Nouvel interlocuteur" if contact_id is None else "Modifier l'interlocuteur"
        super().__init__(store, f"{title} – {partner_name}" if partner_name else title, parent, write=self.write)
        self._partner_id, self._contact_id = partner_id, contact_id
        self.last_name_edit = QLineEdit()
        self.first_name_edit = QLineEdit()
        self.role_edit = QLineEdit(placeholderText="Gérante, chef d'atelier, DRH…")
        self.phone_edit = QLineEdit(placeholderText="06 12 34 56 78")
        self.email_edit = QLineEdit(placeholderText="prenom.nom@exemple.fr")
        self.tutor_check = QCheckBox("Tuteur ou tutrice des élèves accueillis")
        self.consent_check = QCheckBox("Accepte d'être sollicité par le pôle")
        self.consent_check.setChecked(True)
        self.trainings_label = hint_label()
        self._build_layout()
        if contact_id is not None:
            with store.session() as session:
                self.load(contacts.contact_form(session, contact_id))
                self._show_trainings(contacts.training_history(session, contact_id))
        self.last_name_edit.setFocus()

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Nom *", self.field("last_name", self.last_name_edit))
        form.addRow("Prénom", self.first_name_edit)
        form.addRow("Fonction", self.role_edit)
        form.addRow("Téléphone", self.field("phone", self.phone_edit))
        form.addRow("Courriel", self.field("email", self.email_edit))
        form.addRow(self.tutor_check)
        form.addRow(self.consent_check)
        form.addRow(self.trainings_label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.general_error)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(480, self.sizeHint().height())

    def _show_trainings(self, attended: list[contacts.TrainingAttended]) -> None:
        if not attended:
            self.trainings_label.setText("N'a suivi aucune formation des tuteurs.")
            return
        lines = [f"• {t.title}, le {format_date(t.session_date)}" for t in attended]
        self.trainings_label.setText("Formations des tuteurs suivies :\n" + "\n".join(lines))

    def form(self) -> ContactForm:
        return ContactForm(last_name=self.last_name_edit.text(), first_name=self.first_name_edit.text(),
                           role=self.role_edit.text(), phone=self.phone_edit.text(), email=self.email_edit.text(),
                           is_tutor=self.tutor_check.isChecked(), consents_to_contact=self.consent_check.isChecked())

    def load(self, form: ContactForm) -> None:
        for edit, value in ((self.last_name_edit, form.last_name), (self.first_name_edit, form.first_name),
                            (self.role_edit, form.role), (self.phone_edit, form.phone),
                            (self.email_edit, form.email)):
            edit.setText(value)
        self.tutor_check.setChecked(form.is_tutor)
        self.consent_check.setChecked(form.consents_to_contact)

    def write(self, session: Session) -> int:
        return contacts.save_contact(session, self._partner_id, self.form(), self._contact_id)

