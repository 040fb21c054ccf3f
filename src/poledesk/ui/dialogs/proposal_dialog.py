"""Proposals: record that a partner was contacted for an escalation, then record its answer."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from poledesk.data import Session
from poledesk.data.db import Store
from poledesk.data.enums import ProposalAnswer, VisitKind
from poledesk.data.escalations import edits as escalation_edits
from poledesk.data.escalations.listing import ProposalLine
from poledesk.data.placements import form as placements
from poledesk.data.text import format_date
from poledesk.ui.forms import DateField, FormDialog, enum_data, fill_combo

CHANNELS = (VisitKind.PHONE, VisitKind.EMAIL, VisitKind.VISIT)


class ProposalDialog(FormDialog):
    """Records that the animateur presented the pupil to a candidate: when, how, to whom (then « Proposée »);
    `saved` carries the proposal's id."""

    def __init__(self, store: Store, escalation_id: int, partner_id: int, partner_name: str, *,
                 parent: QWidget | None = None) -> None:
        super().__init__(store, f"Proposer à {partner_name}", parent, write=self._write,
                         save_text="Enregistrer la proposition")
        self._escalation_id, self._partner_id = escalation_id, partner_id
        self.proposal_id: int | None = None
        self.date_edit = DateField(date.today())
        self.channel_combo = QComboBox()
        fill_combo(self.channel_combo, [(c, c.label) for c in CHANNELS])
        self.contact_combo = QComboBox()
        with store.session() as session:
            contacts = placements.tutors_of(session, partner_id)
        fill_combo(self.contact_combo, contacts, none_text="Sans interlocuteur précis",
                   current=contacts[0][0] if contacts else None)
        intro = QLabel(f"Vous avez présenté l'élève à <b>{_html(partner_name)}</b>. Sa réponse s'enregistrera "
                       "ensuite dans l'onglet « Propositions ».", wordWrap=True)
        form = QFormLayout()
        form.addRow("Contacté le :", self.field("contacted_on", self.date_edit))
        form.addRow("Par :", self.channel_combo)
        form.addRow("Interlocuteur :", self.field("contact", self.contact_combo))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def _write(self, session: Session) -> int:
        self.proposal_id = escalation_edits.record_proposal(
            session, self._escalation_id, self._partner_id, contacted_on=self.date_edit.value() or date.today(),
            channel=enum_data(self.channel_combo, VisitKind) or VisitKind.PHONE,
            contact_id=self.contact_combo.currentData())
        return self.proposal_id


class AnswerDialog(FormDialog):
    """A partner's answer other than yes: refused (with the reason, used by later searches) or no answer;
    `saved` carries the proposal's id."""

    def __init__(self, store: Store, proposal: ProposalLine, *, parent: QWidget | None = None) -> None:
        super().__init__(store, f"Réponse de {proposal.partner}", parent, write=self._write,
                         save_text="Enregistrer la réponse")
        self._proposal = proposal
        self.refused_radio = QRadioButton("Refusée")
        self.no_answer_radio = QRadioButton("Sans réponse")
        self.answer_group = QButtonGroup(self)
        for radio in (self.refused_radio, self.no_answer_radio):
            self.answer_group.addButton(radio)
        self.refused_radio.setChecked(True)
        self.reason_edit = QLineEdit(placeholderText="par exemple : équipe réduite en janvier")
        self.date_edit = DateField(max(date.today(), proposal.contacted_on))
        self._build_layout()
        self.answer_group.buttonToggled.connect(lambda *_: self.reason_edit.setEnabled(self.refused_radio.isChecked()))

    def _build_layout(self) -> None:
        answers = QWidget()
        row = QHBoxLayout(answers)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.refused_radio)
        row.addWidget(self.no_answer_radio)
        row.addStretch(1)
        form = QFormLayout()
        form.addRow("Réponse :", self.field("answer", answers))
        form.addRow("Raison du refus :", self.field("reason", self.reason_edit))
        form.addRow("Le :", self.field("on", self.date_edit))
        intro = QLabel(f"Proposition faite le {format_date(self._proposal.contacted_on)} à "
                       f"{self._proposal.partner}. Si la structure accepte, utilisez plutôt « Accepter et créer "
                       "le stage ».", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def _write(self, session: Session) -> int:
        answer = ProposalAnswer.REFUSED if self.refused_radio.isChecked() else ProposalAnswer.NO_ANSWER
        reason = self.reason_edit.text() if answer is ProposalAnswer.REFUSED else ""
        escalation_edits.answer_proposal(session, self._proposal.id, answer, on=self.date_edit.value() or date.today(),
                                         reason=reason)
        return self._proposal.id


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
