"""The tutor picker: find contacts of the network with filters, tick them, then invite or register them."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.db import Store
from poledesk.data.text import fold, format_date, plural, school_year_of
from poledesk.data.trainings import listing as trainings
from poledesk.data.trainings.listing import InviteeFilter, InviteeRow
from poledesk.ui import ui_state
from poledesk.ui.forms import fill_combo
from poledesk.ui.widgets.models import CheckableRowModel, Column, RowSortProxy

FILTER_DELAY_MS = 200


COLUMNS = (
    Column("Nom", lambda r: r.full_name, sort_key=lambda r: (fold(r.last_name), fold(r.first_name)), width=170),
    Column("Structure", lambda r: r.partner, sort_key=lambda r: fold(r.partner), width=190),
    Column("Commune", lambda r: r.commune, sort_key=lambda r: fold(r.commune), width=110),
    Column("Secteur", lambda r: r.sector, sort_key=lambda r: fold(r.sector), width=170, tooltip=lambda r: r.sector),
    Column("Courriel", lambda r: r.email, width=190),
    Column("Formations", lambda r: str(r.trainings_attended) if r.trainings_attended else "",
           sort_key=lambda r: r.trainings_attended, align_right=True, width=80,
           tooltip=lambda r: "Formations des tuteurs suivies"),
    Column("Élève cette année", lambda r: "Oui" if r.hosted_this_year else "",
           sort_key=lambda r: r.hosted_this_year, width=115,
           tooltip=lambda r: "Tuteur ou tutrice d'un élève cette année scolaire"),
    Column("Tuteur", lambda r: "Oui" if r.is_tutor else "Non", width=55),
)


class InviteDialog(QDialog):
    """Ticks survive filter changes, so a list can be built from several searches; `chosen` hands the ticked
    contacts (name order) to the tab, which writes them: "invite" or "register"."""

    chosen = Signal(str, object)   # "invite" or "register", a tuple of InviteeRow

    def __init__(self, store: Store, session_id: int, session_title: str, session_date: date, *,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self.session_id = store, session_id
        ui_state.keep_geometry(self, store.folder)
        self.ticked: dict[int, InviteeRow] = {}
        self.setWindowTitle("Inviter des tuteurs et tutrices")
        self._intro = QLabel(f"Session « {session_title} » du {format_date(session_date)} : cochez les personnes à "
                             "inviter ou à inscrire.", wordWrap=True)
        self._build_filters()
        self._build_table()
        self._build_buttons()
        self._build_layout()
        self._connect()
        self._load_choices()
        self.refresh()

    def _build_filters(self) -> None:
        self.search_edit = QLineEdit(placeholderText="Rechercher (nom, structure, commune)…", clearButtonEnabled=True)
        self.sector_combo, self.commune_combo = QComboBox(), QComboBox()
        self.sector_combo.setMinimumContentsLength(24)
        self.sector_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.tutors_check = QCheckBox("Tuteurs et tutrices seulement")
        self.tutors_check.setChecked(True)
        self.untrained_check = QCheckBox("Pas encore formés")
        self.hosted_check = QCheckBox(f"Tuteurs d'un élève cette année scolaire ({school_year_of(date.today())})")
        self._timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)

    def _build_table(self) -> None:
        self.model = CheckableRowModel(COLUMNS, lambda row: row.id in self.ticked, parent=self)
        self.proxy = RowSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        for section, column in enumerate(COLUMNS):
            self.table.horizontalHeader().resizeSection(section, column.width or 100)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)

    def _build_buttons(self) -> None:
        self.check_all_button = QPushButton("Tout cocher")
        self.uncheck_all_button = QPushButton("Tout décocher")
        self.count_label = QLabel()
        self.button_box = QDialogButtonBox()
        self.invite_button = self.button_box.addButton("Inviter", QDialogButtonBox.ButtonRole.AcceptRole)
        self.register_button = self.button_box.addButton("Inscrire directement",
                                                         QDialogButtonBox.ButtonRole.ActionRole)
        self.register_button.setToolTip("Inscrire sans invitation préalable (par exemple après un appel)")
        self.button_box.addButton("Fermer", QDialogButtonBox.ButtonRole.RejectRole).setToolTip(
            "Fermer sans inviter personne de plus")

    def _build_layout(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 2)
        for text, combo in (("Secteur :", self.sector_combo), ("Commune :", self.commune_combo)):
            filters.addWidget(QLabel(text))
            filters.addWidget(combo, 1)
        checks = QHBoxLayout()
        for check in (self.tutors_check, self.untrained_check, self.hosted_check):
            checks.addWidget(check)
        checks.addStretch(1)
        ticks = QHBoxLayout()
        for widget in (self.check_all_button, self.uncheck_all_button, self.count_label):
            ticks.addWidget(widget)
        ticks.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        layout.addLayout(filters)
        layout.addLayout(checks)
        layout.addWidget(self.table)
        layout.addLayout(ticks)
        layout.addWidget(self.button_box)
        for button in self.button_box.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)    # Entrée in the search field must not invite anyone
        self.resize(1180, 640)

    def _connect(self) -> None:
        self.search_edit.textChanged.connect(lambda _text: self._timer.start())
        self._timer.timeout.connect(self.refresh)
        for combo in (self.sector_combo, self.commune_combo):
            combo.currentIndexChanged.connect(self.refresh)
        for check in (self.tutors_check, self.untrained_check, self.hosted_check):
            check.toggled.connect(self.refresh)
        self.model.toggled.connect(self._on_toggled)
        self.check_all_button.clicked.connect(lambda: self.set_all_shown(True))
        self.uncheck_all_button.clicked.connect(lambda: self.set_all_shown(False))
        self.invite_button.clicked.connect(lambda: self._choose("invite"))
        self.register_button.clicked.connect(lambda: self._choose("register"))
        self.button_box.rejected.connect(self.reject)

    def _load_choices(self) -> None:
        with self._store.session() as session:
            choices = trainings.invitee_choices(session)
        fill_combo(self.sector_combo, [(s, s) for s in choices.sectors], none_text="Tous les secteurs")
        fill_combo(self.commune_combo, [(c, c) for c in choices.communes], none_text="Toutes les communes")

    def filters(self) -> InviteeFilter:
        return InviteeFilter(text=self.search_edit.text().strip(), sector=self.sector_combo.currentData() or "",
                             commune=self.commune_combo.currentData() or "",
                             tutors_only=self.tutors_check.isChecked(), not_trained=self.untrained_check.isChecked(),
                             hosted_this_year=self.hosted_check.isChecked())

    def refresh(self) -> None:
        self._timer.stop()
        with self._store.session() as session:
            rows = trainings.find_invitees(session, self.session_id, self.filters())
        self.model.set_rows(rows)
        self._show_count()

    def shown_rows(self) -> list[InviteeRow]:
        return self.proxy.shown_rows()

    def set_all_shown(self, checked: bool) -> None:
        for row in self.model.rows:
            if checked:
                self.ticked[row.id] = row
            else:
                self.ticked.pop(row.id, None)
        self.model.refresh_checks()
        self._show_count()

    def _on_toggled(self, row: InviteeRow, checked: bool) -> None:
        if checked:
            self.ticked[row.id] = row
        else:
            self.ticked.pop(row.id, None)
        self.model.refresh_checks()
        self._show_count()

    def _show_count(self) -> None:
        shown = plural(self.model.rowCount(), "personne affichée", "personnes affichées")
        ticked = len(self.ticked)
        self.count_label.setText(f"{shown} – {plural(ticked, 'cochée')}")
        for button in (self.invite_button, self.register_button):
            button.setEnabled(bool(ticked))
        self.invite_button.setText(f"Inviter ({ticked})" if ticked else "Inviter")
        self.register_button.setText(f"Inscrire directement ({ticked})" if ticked else "Inscrire directement")

    def _choose(self, action: str) -> None:
        rows = tuple(sorted(self.ticked.values(), key=lambda r: (fold(r.last_name), fold(r.first_name))))
        if rows:
            self.chosen.emit(action, rows)
            self.accept()
