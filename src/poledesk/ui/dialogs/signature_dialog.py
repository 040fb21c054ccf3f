"""The date a convention (here or outside PoleDesk) or an avenant was signed, recorded from the status shown."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from poledesk.data.conventions import tracking as convention_tracking
from poledesk.data.db import Store
from poledesk.data.enums import ConventionStatus
from poledesk.data.validation import ValidationError
from poledesk.ui.dialogs.form_fields import FieldErrors, date_edit, to_date, to_qdate

S = ConventionStatus
QUESTIONS = {
    S.SIGNED: ("Convention signée", "La convention imprimée par PoleDesk a été signée par toutes les parties. "
                                    "À quelle date la dernière signature a-t-elle été apposée ?"),
    S.SIGNED_OUTSIDE: ("Convention signée hors PoleDesk", "La convention a été signée sur un autre document (celui "
                                                          "de l'établissement, par exemple). À quelle date ?"),
}


class SignatureDialog(QDialog):
    """Asks the signature date, then records it: the convention's move (`to`) or the avenant `amendment_number`."""

    signed = Signal(int)   # the placement's id

    def __init__(self, store: Store, placement_id: int, *, expected: ConventionStatus,
                 to: ConventionStatus = S.SIGNED, amendment_number: int | None = None,
                 earliest: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._placement_id, self._expected = store, placement_id, expected
        self._to, self._amendment_number = to, amendment_number
        if amendment_number is not None:
            title, question = (f"Avenant n° {amendment_number} signé",
                               "À quelle date la dernière partie a-t-elle signé l'avenant ?")
        else:
            title, question = QUESTIONS[to]
        self.setWindowTitle(title)
        self.errors = FieldErrors()
        self.date_edit = date_edit(date.today())
        self.date_edit.setMaximumDate(to_qdate(date.today()))
        if earliest is not None:
            self.date_edit.setMinimumDate(to_qdate(earliest))
        self.button_box = QDialogButtonBox()
        self.save_button: QPushButton = self.button_box.addButton("Enregistrer",
                                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.button_box.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        form = QFormLayout()
        form.addRow("Signée le :", self.errors.wrap("signed_on", self.date_edit))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(question, wordWrap=True))
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        layout.addWidget(self.button_box)
        self.setMinimumWidth(480)
        self.button_box.accepted.connect(self.save)
        self.button_box.rejected.connect(self.reject)

    def save(self) -> None:
        signed_on, today = to_date(self.date_edit.date()), date.today()
        try:
            with self._store.transaction() as session:
                if self._amendment_number is not None:
                    convention_tracking.mark_amendment_signed(session, self._placement_id, self._amendment_number,
                                                              signed_on=signed_on, today=today)
                else:
                    convention_tracking.move_convention(session, self._placement_id, self._to,
                                                        expected=self._expected, today=today, on=signed_on)
        except ValidationError as error:
            self.errors.show(error.problems)
            return
        self.signed.emit(self._placement_id)
        self.accept()
