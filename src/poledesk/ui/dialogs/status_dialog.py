"""Closing or withdrawing an escalation: the reason it is asked for, and the move made only from the status shown."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.db import Store
from poledesk.data.enums import EscalationStatus
from poledesk.data.escalations import edits as escalation_edits
from poledesk.data.validation import ValidationError
from poledesk.ui.dialogs.form_fields import FieldErrors

S = EscalationStatus
QUESTIONS = {
    S.CLOSED_UNSOLVED: ("Clore sans solution", "Pourquoi aucune solution n'a-t-elle été trouvée ?",
                        "par exemple : aucune structure disponible dans le rayon de mobilité"),
    S.WITHDRAWN: ("Sollicitation retirée", "Pourquoi l'établissement retire-t-il sa demande ?",
                  "par exemple : l'élève a trouvé un stage par lui-même"),
}


class StatusReasonDialog(QDialog):
    """Asks why, then moves the escalation from the status the user saw (`expected`); refused if it moved since."""

    moved = Signal(int)   # the escalation's id

    def __init__(self, store: Store, escalation_id: int, to: EscalationStatus, *, expected: EscalationStatus,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._escalation_id, self._to, self._expected = store, escalation_id, to, expected
        title, question, hint = QUESTIONS.get(to, (to.label, "Pourquoi ?", ""))
        self.setWindowTitle(title)
        self.errors = FieldErrors()
        self.reason_edit = QLineEdit(placeholderText=hint)
        self.button_box = QDialogButtonBox()
        self.save_button: QPushButton = self.button_box.addButton(title, QDialogButtonBox.ButtonRole.AcceptRole)
        self.button_box.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        form = QFormLayout()
        form.addRow("Raison :", self.errors.wrap("reason", self.reason_edit))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(question, wordWrap=True))
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        layout.addWidget(self.button_box)
        self.setMinimumWidth(520)
        self.button_box.accepted.connect(self.save)
        self.button_box.rejected.connect(self.reject)

    def save(self) -> None:
        try:
            with self._store.transaction() as session:
                escalation_edits.change_status(session, self._escalation_id, self._to, expected=self._expected,
                                               reason=self.reason_edit.text(), on=date.today())
        except ValidationError as error:
            self.errors.show(error.problems)
            return
        self.moved.emit(self._escalation_id)
        self.accept()
