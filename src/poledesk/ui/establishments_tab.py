"""The Établissements tab: the pole's schools with this year's formations and pupils; create, edit, archive, restore."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import UTC
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from poledesk.data import Session
from poledesk.data.db import Store
from poledesk.data.enums import PriorityEducation
from poledesk.data.establishments import archive as establishment_archive
from poledesk.data.establishments import edits as establishment_edits
from poledesk.data.establishments import listing as establishments
from poledesk.data.establishments.archive import ArchivedEstablishmentRow
from poledesk.data.establishments.listing import EstablishmentDetail, EstablishmentRow, FormationLine
from poledesk.data.planning import periods
from poledesk.data.text import fold, format_date, plural
from poledesk.data.validation import ValidationError
from poledesk.ui import messages
from poledesk.ui.dialogs.establishment_dialog import EstablishmentDialog
from poledesk.ui.establishment_periods import EstablishmentPeriodsDialog, period_lines
from poledesk.ui.hub import ChangeHub, Kind
from poledesk.ui.widgets.detail_panel import Detail, Section
from poledesk.ui.widgets.list_tab import Listing, ListTab
from poledesk.ui.widgets.models import Column, RowTableModel

LIVE, ARCHIVED = "live", "archived"
HINT_STYLE = "color: palette(placeholder-text);"


def _priority_text(value: PriorityEducation) -> str:
    return "" if value == PriorityEducation.NONE else value.label


COLUMNS = (
    Column("UAI", lambda r: r.uai, width=75),
    Column("Nom", lambda r: r.name, sort_key=lambda r: fold(r.name), width=230),
    Column("Type", lambda r: r.kind.label, width=150),
    Column("Commune", lambda r: r.commune, sort_key=lambda r: fold(r.commune), width=130),
    Column("Éducation prioritaire", lambda r: _priority_text(r.priority_education), width=130),
    Column("Formations", lambda r: str(r.formations), sort_key=lambda r: r.formations, align_right=True,
           width=80),
    Column("Élèves", lambda r: str(r.pupils), sort_key=lambda r: r.pupils, align_right=True, width=70,
           tooltip=lambda r: "Élèves des formations de l'année scolaire en cours"),
)


def _search(session: Session, text: str, *, archived: bool) -> list[EstablishmentRow] | list[ArchivedEstablishmentRow]:
    if archived:
        return establishment_archive.search_archived_establishments(session, text)
    return establishments.search_establishments(session, text)


class EstablishmentsTab(ListTab):
    """Schools found by name, commune, UAI or postcode, accents and case ignored; the « Archivés » view lists the
    archived ones, to restore them."""

    noun = ("établissement", "établissements")
    placeholder = "Rechercher un établissement (nom, commune, UAI, code postal)…"
    detail_placeholder = "Sélectionnez un établissement pour afficher sa fiche."
    default_sort = (1, Qt.SortOrder.AscendingOrder)   # by name
    table_share = 2 / 3                                # the school's file is short; the columns need the room
    establishments_changed = Signal()

    shows = frozenset({Kind.ESTABLISHMENT, Kind.ESCALATION})   # the file counts the school's escalations

    def __init__(self, store: Store, parent: QWidget | None = None, *, hub: ChangeHub | None = None) -> None:
        super().__init__(store, COLUMNS, parent, hub=hub)
        self.establishments_changed.connect(lambda: self.announce(Kind.ESTABLISHMENT))
        self.dialog: EstablishmentDialog | None = None
        self.periods_dialog: EstablishmentPeriodsDialog | None = None
        self.message_box: QMessageBox | None = None
        self.view_combo = QComboBox()
        self.view_combo.addItem("En activité", LIVE)
        self.view_combo.addItem("Archivés", ARCHIVED)
        self.view_combo.setToolTip("Les établissements en activité, ou ceux qui ont été archivés")
        self.new_button = QPushButton("Nouvel établissement…")
        self.new_button.setToolTip("Ajouter un collège ou un lycée du bassin")
        self.edit_button = QPushButton("Modifier…")
        self.edit_button.setToolTip("Modifier l'établissement sélectionné (ou double-clic sur la ligne)")
        self.archive_button = QPushButton("Archiver")
        self.archive_button.setToolTip("Retirer l'établissement des listes ; il reste restaurable")
        self.restore_button = QPushButton("Restaurer")
        self.periods_button = QPushButton("Périodes…")
        self.periods_button.setToolTip("Les périodes de stage que l'établissement planifie : les ajouter, les "
                                       "modifier, les supprimer")
        self.restore_button.setToolTip("Remettre l'établissement archivé dans les listes")
        self.info_label = QLabel(wordWrap=True)
        self.info_label.setStyleSheet(HINT_STYLE)
        self.info_label.hide()
        self._build_actions()
        self._connect_actions()
        self.refresh()

    def _build_actions(self) -> None:
        self.toolbar.insertWidget(1, self.view_combo)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.archive_button, self.restore_button):
            buttons.addWidget(button)
        self.toolbar.addWidget(self.periods_button)   # the buttons' row is full on a laptop screen
        buttons.addWidget(self.info_label, 100)
        buttons.addStretch(1)                     # buttons keep their size when there is nothing to tell
        self.archive_button.setToolTip("L'établissement quitte la liste ; il reste consultable dans « Archivés ».")
        self.restore_button.setToolTip("L'établissement revient dans la liste des établissements en activité.")
        self.list_layout.addLayout(buttons)

    def _connect_actions(self) -> None:
        self.view_combo.currentIndexChanged.connect(self._on_view_changed)
        self.new_button.clicked.connect(lambda: self.open_dialog(None))
        self.edit_button.clicked.connect(self._edit_current)
        self.periods_button.clicked.connect(self.open_periods)
        self.archive_button.clicked.connect(self.archive_current)
        self.restore_button.clicked.connect(self.restore_current)
        self.table.doubleClicked.connect(lambda index: self.open_dialog(index.data(RowTableModel.RowRole).id))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())

    @property
    def archived_view(self) -> bool:
        return bool(self.view_combo.currentData() == ARCHIVED)

    def refresh(self) -> None:
        super().refresh()
        self._update_buttons()

    def fetch_rows(self, session: Session, text: str) -> list[EstablishmentRow] | list[ArchivedEstablishmentRow]:
        return _search(session, text, archived=self.archived_view)

    def read_rows(self, text: str) -> Callable[[Session], Listing]:
        archived = self.archived_view

        def read(session: Session) -> Listing:
            rows = _search(session, text, archived=archived)
            return Listing(rows, len(rows))
        return read

    def show_extra(self, extra: object) -> None:
        self._update_buttons()

    def fetch_records(self, session: Session, ids: frozenset[int]) -> list[EstablishmentRow]:
        return [row for row in establishments.search_establishments(session) if row.id in ids]

    def narrowing_controls(self) -> list[QWidget]:
        return [self.search_edit, self.view_combo]

    def show_records(self, label: str, ids: Collection[int]) -> None:
        """Figures count schools in activity: the list leaves the « Archivés » view to show them."""
        self.view_combo.blockSignals(True)
        self.view_combo.setCurrentIndex(self.view_combo.findData(LIVE))
        self.view_combo.blockSignals(False)
        super().show_records(label, ids)

    def fetch_detail(self, session: Session, row_id: int) -> Detail | None:
        if self.archived_view:
            row = next((r for r in self.model.rows if r.id == row_id), None)
            return archived_sheet(row) if row is not None else None
        found = establishments.establishment_detail(session, row_id)
        if found is None:
            return None
        planned = periods.list_periods(session, establishment_id=row_id, school_year=found.school_year)
        return establishment_sheet(found, planned=period_lines(planned))

    # -- actions --------------------------------------------------------------------------------------------------

    def open_dialog(self, establishment_id: int | None) -> None:
        """The form for a new establishment (None) or a live one; archived ones are restored first."""
        if establishment_id is not None and self.archived_view:
            return
        self.dialog = EstablishmentDialog(self._store, establishment_id, parent=self)
        self.dialog.accepted.connect(self._on_saved)
        self.dialog.open()

    def open_periods(self) -> None:
        """The selected school's planned periods, to add, edit or remove one."""
        row = self.current_row()
        if row is None or self.archived_view:
            return
        self.periods_dialog = EstablishmentPeriodsDialog(self._store, row.id, establishment_name=row.name, parent=self)
        self.periods_dialog.changed.connect(self._on_periods_changed)
        self.periods_dialog.open()

    def _on_periods_changed(self) -> None:
        self.refresh()
        self.establishments_changed.emit()   # the Planification tab draws its calendar again

    def archive_current(self) -> None:
        row = self.current_row()
        if row is None or self.archived_view:
            return
        if self._write(lambda session: establishment_edits.archive_establishment(session, row.id), "Archiver"):
            self._tell(f"« {row.name} » est archivé : il reste consultable dans « Archivés ».")

    def restore_current(self) -> None:
        row = self.current_row()
        if row is None or not self.archived_view:
            return
        if self._write(lambda session: establishment_edits.restore_establishment(session, row.id), "Restaurer"):
            self.view_combo.setCurrentIndex(self.view_combo.findData(LIVE))
            self.select_id(row.id)
            self._tell(f"« {row.name} » est de nouveau en activité.")

    def _edit_current(self) -> None:
        row = self.current_row()
        if row is not None:
            self.open_dialog(row.id)

    def _write(self, change: Callable[[Any], None], title: str) -> bool:
        """Run one change in a transaction; a refusal is shown in French and nothing is written."""
        try:
            with self._store.transaction() as session:
                change(session)
        except ValidationError as error:
            self.message_box = messages.refusal(self, title, error)
            return False
        self.refresh()
        self.establishments_changed.emit()
        return True

    def _on_saved(self) -> None:
        assert self.dialog is not None
        saved_id = self.dialog.saved_id
        if self.archived_view:
            self.view_combo.setCurrentIndex(self.view_combo.findData(LIVE))
        else:
            self.refresh()
        if saved_id is not None and not self.select_id(saved_id):
            self.search_edit.clear()      # a new school the search hides: show it anyway
            self.refresh()
            self.select_id(saved_id)
        self._tell("")
        self.establishments_changed.emit()
        self.hub.tell("Établissement enregistré.")

    def _on_view_changed(self) -> None:
        self._tell("")
        self.refresh()

    def _tell(self, text: str) -> None:
        self.info_label.setText(text)
        self.info_label.setVisible(bool(text))

    def _update_buttons(self) -> None:
        selected = self.current_row() is not None
        self.edit_button.setVisible(not self.archived_view)
        self.periods_button.setVisible(not self.archived_view)
        self.archive_button.setVisible(not self.archived_view)
        self.new_button.setVisible(not self.archived_view)
        self.restore_button.setVisible(self.archived_view)
        for button in (self.edit_button, self.periods_button, self.archive_button, self.restore_button):
            button.setEnabled(selected)


def archived_sheet(row: ArchivedEstablishmentRow) -> Detail:
    """What the panel shows of an archived school: who it is and when it was archived (the user's day)."""
    archived_on = format_date(row.archived_on.replace(tzinfo=UTC).astimezone())   # the store keeps naive UTC
    return Detail(row.name, f"{row.kind.label} – {row.uai} – archivé le {archived_on}", (
        Section("Identité", (("UAI", row.uai), ("Type", row.kind.label),
                             ("Éducation prioritaire", row.priority_education.label),
                             ("Commune", f"{row.postcode} {row.commune}".strip()))),
        Section("Archive", (("Archivé le", archived_on),
                            ("Pour le modifier", "Restaurez-le d'abord (bouton « Restaurer »)."))),
    ))


def establishment_sheet(e: EstablishmentDetail, *, planned: tuple[tuple[str, str], ...] = ()) -> Detail:
    """What the panel shows of a school, in French; `planned`: its periods of the year (dates, class)."""
    referent = "\n".join(x for x in (", ".join(y for y in (e.referent_name, e.referent_role) if y),
                                     e.referent_email, e.referent_phone) if x)
    return Detail(e.name, f"{e.kind.label} – {e.uai}", (
        Section("Identité", (
            ("UAI", e.uai), ("Type", e.kind.label), ("Éducation prioritaire", e.priority_education.label),
            ("Chef d'établissement", e.head_name), ("Référent du pôle", referent))),
        Section("Coordonnées", (
            ("Adresse", "\n".join(x for x in (e.address, f"{e.postcode} {e.commune}".strip()) if x)),
            ("Téléphone", e.phone), ("Courriel", e.email))),
        Section(f"Formations {e.school_year}", tuple(_formation(f) for f in e.formations),
                f"Aucune formation enregistrée pour {e.school_year}."),
        Section(f"Périodes planifiées {e.school_year}", planned,
                "Aucune période planifiée : bouton « Périodes… » pour en ajouter."),
        Section("Chiffres", (
            ("Élèves", str(e.pupils)), ("Sollicitations en cours", str(e.open_escalations)),
            (f"Sollicitations reçues en {e.school_year}", str(e.escalations_in_year)))),
    ))


def _formation(f: FormationLine) -> tuple[str, str]:
    facts = [plural(f.pupils, "élève"), f.audience.label, f"Code {f.code}"]
    if f.pfmp_weeks:
        facts.append(f"{f.pfmp_weeks} semaines de PFMP par an")
    return f.label, "\n".join(facts)
