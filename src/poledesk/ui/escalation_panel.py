"""The side of the Sollicitations tab: one escalation's status and moves, its file, its candidates, its proposals."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.db import Store
from poledesk.data.enums import EscalationStatus, ProposalAnswer
from poledesk.data.escalations import edits as escalation_edits
from poledesk.data.escalations.edits import MOVES, NEEDS_A_REASON
from poledesk.data.escalations.listing import OPEN_STATUSES, EscalationDetail, ProposalLine
from poledesk.data.escalations.matching import Ranked
from poledesk.data.text import format_date
from poledesk.data.validation import ValidationError
from poledesk.ui import messages
from poledesk.ui.candidates_panel import CandidatesPanel
from poledesk.ui.dialogs.placement_dialog import PlacementDialog
from poledesk.ui.dialogs.proposal_dialog import AnswerDialog, ProposalDialog
from poledesk.ui.dialogs.status_dialog import StatusReasonDialog
from poledesk.ui.widgets.detail_panel import DetailPanel
from poledesk.ui.widgets.models import Column, RowTableModel
from poledesk.ui.widgets.table_fit import ColumnFitter

log = logging.getLogger(__name__)
S = EscalationStatus
ANSWERABLE = (ProposalAnswer.WAITING, ProposalAnswer.NO_ANSWER)


def move_text(from_status: EscalationStatus, to: EscalationStatus) -> str:
    """The words of a move in the « Changer le statut » menu."""
    if to is S.SEARCHING:
        return {S.RECEIVED: "Commencer la recherche", S.PROPOSED: "Revenir en recherche"}.get(
            from_status, "Rouvrir la sollicitation")
    return {S.PROPOSED: "Marquer « Proposition faite »", S.CLOSED_UNSOLVED: "Clore sans solution…",
            S.WITHDRAWN: "Retirée par l'établissement…"}.get(to, to.label)


def move_tip(to: EscalationStatus) -> str:
    """What a move of the « Changer le statut » menu means, for its tooltip."""
    return {S.SEARCHING: "La recherche d'un partenaire est en cours pour cet élève",
            S.PROPOSED: "Un partenaire a été proposé à l'établissement ; sa réponse est attendue",
            S.CLOSED_UNSOLVED: "Aucun partenaire trouvé : clore la sollicitation en disant pourquoi",
            S.WITHDRAWN: "L'établissement ne demande plus de stage : clore la sollicitation en disant pourquoi",
            }.get(to, f"Passer la sollicitation à « {to.label} »")


def _answer_text(p: ProposalLine) -> str:
    text = p.answer.label + (f" le {format_date(p.answered_on)}" if p.answered_on else "")
    return text + (f" : {p.refusal_reason}" if p.refusal_reason else "")


PROPOSAL_COLUMNS = (
    Column("Partenaire", lambda p: p.partner, width=190),
    Column("Contacté le", lambda p: format_date(p.contacted_on), sort_key=lambda p: p.contacted_on, width=90),
    Column("Par", lambda p: ", ".join(x for x in (p.channel.label, p.contact) if x), width=150),
    Column("Réponse", _answer_text, tooltip=_answer_text),
)


class ProposalsPanel(QWidget):
    """The partners contacted for the escalation and their answers; the answer is recorded from here."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RowTableModel(PROPOSAL_COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        for section, column in enumerate(PROPOSAL_COLUMNS):
            if column.width:
                self.table.horizontalHeader().resizeSection(section, column.width)
        self.fitter = ColumnFitter(self.table, {s: c.width for s, c in enumerate(PROPOSAL_COLUMNS) if c.width})
        self.answer_button = QPushButton("Réponse…")
        self.answer_button.setToolTip("Enregistrer un refus ou une absence de réponse")
        self.accept_button = QPushButton("Accepter et créer le stage…")
        self.accept_button.setToolTip("Le partenaire accepte : ouvrir la fiche du stage pré-remplie ; l'enregistrer "
                                      "place l'élève")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.answer_button)
        buttons.addWidget(self.accept_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._open = False
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())

    def show_proposals(self, proposals: Sequence[ProposalLine], *, is_open: bool) -> None:
        current = self.current_proposal()
        self._open = is_open
        self.model.set_rows(list(reversed(proposals)))   # the latest first: the one waiting for an answer
        self.table.resizeRowsToContents()                # a refusal's reason may take two lines
        rows = self.model.rows
        keep = next((r for r, p in enumerate(rows) if current is not None and p.id == current.id
                     and p.answer in ANSWERABLE), None)
        if keep is None:   # else the latest one still waiting, ready to be answered
            keep = next((r for r, p in enumerate(rows) if p.answer in ANSWERABLE), None)
        if keep is not None:
            self.table.selectRow(keep)
        self._update_buttons()

    def current_proposal(self) -> ProposalLine | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def select_proposal(self, proposal_id: int) -> bool:
        row = next((r for r, p in enumerate(self.model.rows) if p.id == proposal_id), None)
        if row is not None:
            self.table.selectRow(row)
        return row is not None

    def _update_buttons(self) -> None:
        proposal = self.current_proposal()
        answerable = self._open and proposal is not None and proposal.answer in ANSWERABLE
        self.answer_button.setEnabled(answerable and proposal is not None and proposal.answer is ProposalAnswer.WAITING)
        self.accept_button.setEnabled(answerable)


class EscalationPanel(QWidget):
    """Shows the escalation selected in the list and acts on it; every write is one transaction of a dialog or a
    move, made from the status shown (so that a second window's action is refused, not doubled)."""

    changed = Signal(int)             # an escalation's status or proposals changed: the list shows it again
    placement_created = Signal(int)   # a placement's id
    edit_requested = Signal(int)      # « Modifier la demande… »
    told = Signal(str)                # what an action did, for the window's banner

    def __init__(self, store: Store, detail: DetailPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.escalation: EscalationDetail | None = None
        self.dialog: ProposalDialog | AnswerDialog | PlacementDialog | StatusReasonDialog | None = None
        self.message_box: QMessageBox | None = None
        self.detail = detail
        self.status_label = QLabel()
        self.edit_button = QPushButton("Modifier la demande…")
        self.edit_button.setToolTip("Modifier l'élève, la période ou ce que l'élève cherche")
        self.status_button = QPushButton("Changer le statut")
        self.status_button.setToolTip("Faire avancer la sollicitation, la clore sans solution ou noter son retrait")
        self.status_menu = QMenu(self.status_button)
        self.status_menu.setToolTipsVisible(True)
        self.status_button.setMenu(self.status_menu)
        self.move_actions: dict[EscalationStatus, QAction] = {}
        self.candidates_panel = CandidatesPanel()
        self.proposals_panel = ProposalsPanel()
        self.tabs = QTabWidget()
        self.tabs.addTab(detail, "Fiche")
        self.tabs.addTab(self.candidates_panel, "Candidats")
        self.tabs.addTab(self.proposals_panel, "Propositions")
        header = QHBoxLayout()
        header.addWidget(self.status_label, 1)
        header.addWidget(self.edit_button)
        header.addWidget(self.status_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        self.edit_button.clicked.connect(lambda: self.escalation and self.edit_requested.emit(self.escalation.id))
        self.candidates_panel.propose_requested.connect(self.propose)
        self.proposals_panel.answer_button.clicked.connect(self.answer_current)
        self.proposals_panel.accept_button.clicked.connect(self.accept_current)
        self.show_escalation(None, [])

    def show_escalation(self, escalation: EscalationDetail | None, candidates: Sequence[Ranked]) -> None:
        self.escalation = escalation
        is_open = escalation is not None and escalation.status in OPEN_STATUSES
        for widget in (self.edit_button, self.status_button, self.tabs):
            widget.setEnabled(escalation is not None)
        self.status_label.setText(_status_text(escalation))
        self._build_moves()
        waiting = {p.partner_id for p in escalation.proposals if p.answer is ProposalAnswer.WAITING} if escalation \
            else set()
        closed_note = None if is_open or escalation is None else \
            f"Sollicitation « {escalation.status.label} » : plus de recherche de partenaire."
        self.candidates_panel.show_candidates(candidates, is_open=is_open, waiting=waiting, message=closed_note)
        proposals = escalation.proposals if escalation else ()
        self.proposals_panel.show_proposals(proposals, is_open=is_open)
        self.tabs.setTabText(1, f"Candidats ({len(candidates)})" if is_open else "Candidats")
        self.tabs.setTabText(2, f"Propositions ({len(proposals)})")

    def _build_moves(self) -> None:
        self.status_menu.clear()
        self.move_actions = {}
        if self.escalation is None:
            return
        shown = self.escalation.status
        for to in MOVES[shown]:
            if to is S.PLACED:
                continue    # a placement is made by accepting a proposal, never by a bare move
            action = self.status_menu.addAction(move_text(shown, to))
            action.setToolTip(move_tip(to))
            action.triggered.connect(lambda _checked=False, to=to: self.move_to(to))
            self.move_actions[to] = action
        self.status_button.setEnabled(bool(self.move_actions))

    # -- actions ---------------------------------------------------------------------------------------------------

    def move_to(self, to: EscalationStatus) -> None:
        """Move from the status shown; closing or withdrawing asks why first."""
        if self.escalation is None:
            return
        escalation_id, shown = self.escalation.id, self.escalation.status
        if to in NEEDS_A_REASON:
            self._open_dialog(StatusReasonDialog(self._store, escalation_id, to, expected=shown, parent=self),
                              lambda dialog: dialog.moved,
                              then=lambda *_: self.told.emit(f"Sollicitation close : « {to.label} »."))
            return
        try:
            with self._store.transaction() as session:
                escalation_edits.change_status(session, escalation_id, to, expected=shown, on=date.today())
        except ValidationError as error:
            self._refused(error)
        else:
            self.told.emit(f"Sollicitation passée à « {to.label} ».")
        self.changed.emit(escalation_id)

    def propose(self, partner_id: int, partner_name: str) -> None:
        if self.escalation is not None:
            self._open_dialog(ProposalDialog(self._store, self.escalation.id, partner_id, partner_name, parent=self),
                              lambda dialog: dialog.saved, then=self._show_new_proposal)
            assert self.dialog is not None
            self.dialog.saved.connect(lambda _id: self.told.emit(
                f"Proposition à {partner_name} notée : sa réponse est attendue (onglet Propositions)."))

    def _show_new_proposal(self, proposal_id: int) -> None:
        self.tabs.setCurrentIndex(2)
        self.proposals_panel.select_proposal(proposal_id)

    def answer_current(self) -> None:
        proposal = self.proposals_panel.current_proposal()
        if proposal is not None:
            self._open_dialog(AnswerDialog(self._store, proposal, parent=self), lambda dialog: dialog.saved,
                              then=lambda _id: self.told.emit(f"Réponse de {proposal.partner} notée."))

    def accept_current(self) -> None:
        proposal = self.proposals_panel.current_proposal()
        if proposal is None or self.escalation is None:
            return
        try:
            with self._store.session() as session:
                form = escalation_edits.placement_form_for(session, proposal.id)
        except ValidationError as error:
            self._refused(error)
            return
        dialog = PlacementDialog(self._store, form, proposal_id=proposal.id, parent=self)
        self._open_dialog(dialog, lambda d: d.saved, then=self.placement_created.emit)

    def _open_dialog(self, dialog: ProposalDialog | AnswerDialog | PlacementDialog | StatusReasonDialog,
                     saved_signal: Callable[[Any], SignalInstance], *,
                     then: Callable[[int], object] | None = None) -> None:
        self.dialog = dialog
        escalation_id = self.escalation.id if self.escalation else 0
        saved_signal(dialog).connect(lambda *_: self.changed.emit(escalation_id))
        if then is not None:
            saved_signal(dialog).connect(then)
        dialog.open()

    def _refused(self, error: ValidationError) -> None:
        log.info("escalation action refused: %s", sorted(error.problems))
        self.message_box = messages.refusal(self, "Action refusée", error)


def _status_text(escalation: EscalationDetail | None) -> str:
    if escalation is None:
        return ""
    urgency = f" – {escalation.urgency_text}" if escalation.urgency_text else ""
    return f"<b>Statut :</b> {escalation.status.label}{urgency}"
