"""The date a convention (here or outside PoleDesk) or an avenant was signed, recorded from the status shown."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from poledesk.data import Session
from poledesk.data.conventions import tracking as convention_tracking
from poledesk.data.db import Store
from poledesk.data.enums import ConventionStatus
from poledesk.ui.forms import DateField, FormDialog

S = ConventionStatus
QUESTIONS = {
    S.SIGNED: ("Convention signée", "La convention imprimée par PoleDesk a été signée par toutes les parties. "
                                    "À quelle date la dernière signature a-t-elle été apposée ?"),
    S.SIGNED_OUTSIDE: ("Convention signée hors PoleDesk", "La convention a été signée sur un autre document (celui "
                                                          "de l'établissement, par exemple). À quelle date ?"),
}


class SignatureDialog(FormDialog):
    """Asks the signature date, then records it: the convention's move (`to`) or the avenant `amendment_number`."""

    signed = Signal(int)   # the placement's id

    def __init__(self, store: Store, placement_id: int, *, expected: ConventionStatus,
                 to: ConventionStatus = S.SIGNED, amendment_number: int | None = None,
                 earliest: date | None = None, parent: QWidget | None = None) -> None:
        if amendment_number is not None:
            title, question = (f"Avenant n° {amendment_number} signé",
                               "À quelle date la dernière partie a-t-elle signé l'avenant ?")
        else:
            title, question = QUESTIONS[to]
        super().__init__(store, title, parent, write=self._write)
        self._placement_id, self._expected = placement_id, expected
        self._to, self.amendment_number = to, amendment_number
        self.date_edit = DateField(date.today())
        self.date_edit.set_range(minimum=earliest, maximum=date.today())
        form = QFormLayout()
        form.addRow("Signée le :", self.field("signed_on", self.date_edit))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(question, wordWrap=True))
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.saved.connect(lambda _result: self.signed.emit(self._placement_id))

    def _write(self, session: Session) -> None:
        signed_on, today = self.date_edit.value() or date.today(), date.today()
        if self.amendment_number is not None:
            convention_tracking.mark_amendment_signed(session, self._placement_id, self.amendment_number,
                                                      signed_on=signed_on, today=today)
        else:
            convention_tracking.move_convention(session, self._placement_id, self._to,
                                                expected=self._expected, today=today, on=signed_on)
