"""Proposals: record that a partner was contacted for an escalation, then record its answer."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.db import Store
from poledesk.data.enums import ProposalAnswer, VisitKind
from poledesk.data.escalations import edits as escalation_edits
from poledesk.data.escalations.listing import ProposalLine
from poledesk.data.placements import form as placements
from poledesk.data.text import format_date
from poledesk.data.validation import ValidationError
from poledesk.ui.dialogs.form_fields import FieldErrors, date_edit, enum_data, fill_combo, to_date

CHANNELS = (VisitKind.PHONE, VisitKind.EMAIL, VisitKind.VISIT)


class ProposalDialog(QDialog):
    """Records that the animateur presented the pupil to a candidate: when, how, to whom (then « Proposée »)."""

    saved = Signal(int)   # the proposal's id

    def __init__(self, store: Store, escalation_id: int, partner_id: int, partner_name: str, *,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._escalation_id, self._partner_id = store, escalation_id, partner_id
        self.proposal_id: int | None = None
        self.setWindowTitle(f"Proposer à {partner_name}")
        self.errors = FieldErrors()
        self.date_edit = date_edit()
        self.channel_combo = QComboBox()
        fill_combo(self.channel_combo, [(c, c.label) for c in CHANNELS])
        self.contact_combo = QComboBox()
        with store.session() as session:
            contacts = placements.tutors_of(session, partner_id)
        fill_combo(self.contact_combo, contacts, none_text="Sans interlocuteur précis",
                   current=contacts[0][0] if contacts else None)
        self.button_box = QDialogButtonBox()
        self.save_button: QPushButton = self.button_box.addButton("Enregistrer la proposition",
                                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.button_box.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        intro = QLabel(f"Vous avez présenté l'élève à <b>{_html(partner_name)}</b>. Sa réponse s'enregistrera "
                       "ensuite dans l'onglet « Propositions ».", wordWrap=True)
        form = QFormLayout()
        form.addRow("Contacté le :", self.errors.wrap("contacted_on", self.date_edit))
        form.addRow("Par :", self.channel_combo)
        form.addRow("Interlocuteur :", self.errors.wrap("contact", self.contact_combo))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        layout.addWidget(self.button_box)
        self.setMinimumWidth(460)
        self.button_box.accepted.connect(self.save)
        self.button_box.rejected.connect(self.reject)

    def save(self) -> None:
        try:
            with self._store.transaction() as session:
                proposal_id = escalation_edits.record_proposal(
                    session, self._escalation_id, self._partner_id, contacted_on=to_date(self.date_edit.date()),
                    channel=enum_data(self.channel_combo, VisitKind) or VisitKind.PHONE,
                    contact_id=self.contact_combo.currentData())
        except ValidationError as error:
            self.errors.show(error.problems)
            return
        self.proposal_id = proposal_id
        self.saved.emit(proposal_id)
        self.accept()


class AnswerDialog(QDialog):
    """A partner's answer other than yes: refused (with the reason, used by later searches) or no answer."""

    saved = Signal(int)   # the proposal's id

    def __init__(self, store: Store, proposal: ProposalLine, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._proposal = store, proposal
        self.setWindowTitle(f"Réponse de {proposal.partner}")
        self.errors = FieldErrors()
        self.refused_radio = QRadioButton("Refusée")
        self.no_answer_radio = QRadioButton("Sans réponse")
        self.answer_group = QButtonGroup(self)
        for radio in (self.refused_radio, self.no_answer_radio):
            self.answer_group.addButton(radio)
        self.refused_radio.setChecked(True)
        self.reason_edit = QLineEdit(placeholderText="par exemple : équipe réduite en janvier")
        self.date_edit = date_edit(max(date.today(), proposal.contacted_on))
        self.button_box = QDialogButtonBox()
        self.save_button: QPushButton = self.button_box.addButton("Enregistrer la réponse",
                                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.button_box.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        self._build_layout()
        self.answer_group.buttonToggled.connect(lambda *_: self.reason_edit.setEnabled(self.refused_radio.isChecked()))
        self.button_box.accepted.connect(self.save)
        self.button_box.rejected.connect(self.reject)

    def _build_layout(self) -> None:
        answers = QWidget()
        row = QHBoxLayout(answers)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.refused_radio)
        row.addWidget(self.no_answer_radio)
        row.addStretch(1)
        form = QFormLayout()
        form.addRow("Réponse :", self.errors.wrap("answer", answers))
        form.addRow("Raison du refus :", self.errors.wrap("reason", self.reason_edit))
        form.addRow("Le :", self.date_edit)
        intro = QLabel(f"Proposition faite le {format_date(self._proposal.contacted_on)} à "
                       f"{self._proposal.partner}. Si la structure accepte, utilisez plutôt « Accepter et créer "
                       "le stage ».", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        layout.addWidget(self.button_box)
        self.setMinimumWidth(480)

    def save(self) -> None:
        answer = ProposalAnswer.REFUSED if self.refused_radio.isChecked() else ProposalAnswer.NO_ANSWER
        reason = self.reason_edit.text() if answer is ProposalAnswer.REFUSED else ""
        try:
            with self._store.transaction() as session:
                escalation_edits.answer_proposal(session, self._proposal.id, answer,
                                                 on=to_date(self.date_edit.date()), reason=reason)
        except ValidationError as error:
            self.errors.show(error.problems)
            return
        self.saved.emit(self._proposal.id)
        self.accept()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
