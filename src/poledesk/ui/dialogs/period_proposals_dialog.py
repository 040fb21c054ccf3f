"""« Proposer depuis les stages et sollicitations » : the periods that the year's placements and escalations
already carry, shown before anything is saved; the ones ticked are saved, in one transaction."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.choices import establishment_choices, formation_options
from poledesk.data.db import Store
from poledesk.data.planning import periods
from poledesk.data.planning.periods import PeriodForm
from poledesk.data.text import format_date, plural
from poledesk.data.validation import ValidationError
from poledesk.ui import ui_state


class PeriodProposalsDialog(QDialog):
    """Every proposal ticked at first; « Enregistrer les périodes cochées » saves them (`saved` with their ids)."""

    saved = Signal(object)   # the ids of the periods written

    def __init__(self, store: Store, school_year: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.setWindowTitle(f"Proposer des périodes {school_year}")
        with store.session() as session:
            self.proposals: list[PeriodForm] = periods.propose_periods(session, school_year)
            schools = {c.id: c.label for c in establishment_choices(session)}
            formations = {f.id: f.label for f in formation_options(session)}
        self.intro_label = QLabel(wordWrap=True)
        self.list = QListWidget()
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)   # the tooltip has it all
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.all_button = QPushButton("Tout cocher")
        self.none_button = QPushButton("Tout décocher")
        self.error_label = QLabel(wordWrap=True)
        self.error_label.setStyleSheet("color: #B3261E;")
        self.error_label.setVisible(False)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("Enregistrer les périodes cochées",
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        for form in self.proposals:
            what = formations.get(form.formation_id or 0) or (form.audience.label if form.audience else "")
            text = (f"du {format_date(form.start_date)} au {format_date(form.end_date)} – "
                    f"{schools.get(form.establishment_id or 0, '?')} – {what} : {plural(form.pupils or 0, 'élève')}")
            item = QListWidgetItem(text)
            item.setToolTip(text)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        count = len(self.proposals)
        self.intro_label.setText(
            "Aucune période à proposer : les stages et sollicitations de l'année tombent tous dans des périodes déjà "
            "planifiées." if not count else
            f"{plural(count, 'période')} que portent déjà les stages et sollicitations de l'année, sans période "
            "planifiée qui les couvre (les élèves comptés une fois). Décochez celles à ne pas enregistrer.")
        self.save_button.setEnabled(bool(count))
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.list, 1)
        ticks = QHBoxLayout()
        ticks.addWidget(self.all_button)
        ticks.addWidget(self.none_button)
        ticks.addStretch(1)
        layout.addLayout(ticks)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.all_button.clicked.connect(lambda: self.tick_all(True))
        self.none_button.clicked.connect(lambda: self.tick_all(False))
        self.list.itemChanged.connect(lambda _item: self.save_button.setEnabled(bool(self.chosen())))
        ui_state.keep_geometry(self, store.folder)
        self.resize(820, 460)

    def tick_all(self, ticked: bool) -> None:
        state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        for row in range(self.list.count()):
            self.list.item(row).setCheckState(state)

    def chosen(self) -> list[PeriodForm]:
        return [form for row, form in enumerate(self.proposals)
                if self.list.item(row).checkState() == Qt.CheckState.Checked]

    def save(self) -> None:
        try:
            with self._store.transaction() as session:
                ids = periods.accept_proposals(session, self.chosen())
        except ValidationError as error:
            self.error_label.setText(" ".join(error.problems.values()) + " Rien n'a été enregistré.")
            self.error_label.setVisible(True)
            return
        self.saved.emit(ids)
        self.accept()
