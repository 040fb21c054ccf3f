"""Closing or withdrawing an escalation: the reason it is asked for, and the move made only from the status shown."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from poledesk.data import Session
from poledesk.data.db import Store
from poledesk.data.enums import EscalationStatus
from poledesk.data.escalations import edits as escalation_edits
from poledesk.ui.forms import FormDialog

S = EscalationStatus
QUESTIONS = {
    S.CLOSED_UNSOLVED: ("Clore sans solution", "Pourquoi aucune solution n'a-t-elle été trouvée ?",
                        "par exemple : aucune structure disponible dans le rayon de mobilité"),
    S.WITHDRAWN: ("Sollicitation retirée", "Pourquoi l'établissement retire-t-il sa demande ?",
                  "par exemple : l'élève a trouvé un stage par lui-même"),
}


class StatusReasonDialog(FormDialog):
    """Asks why, then moves the escalation from the status the user saw (`expected`); refused if it moved since."""

    moved = Signal(int)   # the escalation's id

    def __init__(self, store: Store, escalation_id: int, to: EscalationStatus, *, expected: EscalationStatus,
                 parent: QWidget | None = None) -> None:
        title, question, hint = QUESTIONS.get(to, (to.label, "Pourquoi ?", ""))
        super().__init__(store, title, parent, write=self._write, save_text=title)
        self._escalation_id, self._to, self._expected = escalation_id, to, expected
        self.reason_edit = QLineEdit(placeholderText=hint)
        form = QFormLayout()
        form.addRow("Raison :", self.field("reason", self.reason_edit))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(question, wordWrap=True))
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.saved.connect(lambda _result: self.moved.emit(self._escalation_id))

    def _write(self, session: Session) -> None:
        escalation_edits.change_status(session, self._escalation_id, self._to, expected=self._expected,
                                       reason=self.reason_edit.text(), on=date.today())
