"""At start, when pupils are due to be anonymised: say who and when, then confirm, or postpone once (30 days at
most)."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from poledesk.data import purge
from poledesk.data.db import Store, StoreError
from poledesk.data.purge import PurgePlan, PurgeResult
from poledesk.data.text import format_date
from poledesk.data.validation import ValidationError
from poledesk.ui.workers import TaskRunner, Worker

log = logging.getLogger(__name__)

ERROR_STYLE = "color: #b3261e;"


class PurgeDialog(QDialog):
    """Accepted once the purge is done (`outcome`) or postponed (`postponed_to`); nothing happens on Fermer."""

    def __init__(self, store: Store, runner: TaskRunner, plan: PurgePlan, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._runner, self.plan = store, runner, plan
        self.outcome: PurgeResult | None = None
        self.postponed_to: date | None = None
        self.setWindowTitle("Anonymisation des élèves")
        self.lines_label = QLabel("\n".join(plan.lines()), wordWrap=True)
        explain = QLabel("Comme le prévoit la protection des données des élèves, les élèves dont toutes les périodes "
                         "sont terminées sont anonymisés après le délai réglé : nom, date de naissance, représentant "
                         "légal, besoins et copies signées sont effacés ; les comptes (public, formation, "
                         "établissement, tranche d'âge, issue) restent pour les indicateurs. Les sauvegardes qui "
                         "contiennent encore ces identités sont supprimées.", wordWrap=True)
        latest = plan.today + timedelta(days=purge.MAX_POSTPONE_DAYS)
        self.until_edit = QDateEdit()
        self.until_edit.setCalendarPopup(True)
        self.until_edit.setDisplayFormat("dd/MM/yyyy")
        self.until_edit.setDateRange(_qdate(plan.today + timedelta(days=1)), _qdate(latest))
        self.until_edit.setDate(_qdate(min(latest, plan.today + timedelta(days=7))))
        self.postpone_row = QWidget()
        self.postpone_row.setVisible(plan.can_postpone)
        row = QHBoxLayout(self.postpone_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(f"Reporter une seule fois, jusqu'au {format_date(latest)} au plus :"))
        row.addWidget(self.until_edit)
        row.addStretch()
        self.error_label = QLabel(wordWrap=True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setVisible(False)
        self.button_box = QDialogButtonBox()
        self.purge_button = self.button_box.addButton("Anonymiser maintenant", QDialogButtonBox.ButtonRole.AcceptRole)
        self.postpone_button = self.button_box.addButton("Reporter", QDialogButtonBox.ButtonRole.ActionRole)
        self.postpone_button.setVisible(plan.can_postpone)
        self.button_box.addButton("Fermer", QDialogButtonBox.ButtonRole.RejectRole).setToolTip(
            "Fermer sans rien changer : la question reviendra au prochain démarrage")
        layout = QVBoxLayout(self)
        for widget in (self.lines_label, explain, self.postpone_row, self.error_label, self.button_box):
            layout.addWidget(widget)
        self.setMinimumWidth(620)
        self.purge_button.clicked.connect(self.run_purge)
        self.postpone_button.clicked.connect(self.postpone)
        self.button_box.rejected.connect(self.reject)

    def postpone(self) -> None:
        chosen = self.until_edit.date()
        until = date(chosen.year(), chosen.month(), chosen.day())
        try:
            with self._store.transaction() as session:
                self.postponed_to = purge.postpone_purge(session, self.plan.today, until)
        except ValidationError as error:
            self._show_error(" ".join(error.problems.values()))
            return
        self.accept()

    def run_purge(self) -> None:
        self.button_box.setEnabled(False)
        today, store = self.plan.today, self._store
        worker = Worker(store, lambda _progress: purge.run_purge(store, today), transactional=False)
        worker.signals.succeeded.connect(self._done)
        worker.signals.failed.connect(self._failed)
        self._runner.start(worker)

    def _done(self, result: PurgeResult) -> None:
        self.outcome = result
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.button_box.setEnabled(True)
        if not isinstance(error, StoreError):
            raise error   # unexpected: the crash hook reports it
        self._show_error(str(error))

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
