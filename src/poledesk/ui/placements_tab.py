"""The Stages tab: every placement (pupil's initials, host, school, dates, tutor, convention), found, opened, added."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from poledesk.data import Session, conventions
from poledesk.data.choices import establishment_choices
from poledesk.data.conventions import rules as rules
from poledesk.data.conventions import tracking as convention_tracking
from poledesk.data.conventions.rules import Finding, clock_text, hours_text, presence_minutes
from poledesk.data.conventions.tracking import ConventionState
from poledesk.data.db import Store
from poledesk.data.enums import Audience, ConventionStatus
from poledesk.data.placements import form as placements
from poledesk.data.placements import listing as placement_list
from poledesk.data.placements.form import WEEKDAYS, DaySlot, PlacementForm
from poledesk.data.placements.listing import PlacementContext, PlacementRow
from poledesk.data.text import fold, format_date, plural
from poledesk.ui import ui_state
from poledesk.ui.banner import NextStep, file_steps, open_file
from poledesk.ui.convention_panel import AMENDMENT, ConventionPanel
from poledesk.ui.dialogs.amendment_dialog import AmendmentDialog
from poledesk.ui.dialogs.batch_conventions_dialog import BatchConventionsDialog, BatchOutcome
from poledesk.ui.dialogs.new_placement_dialog import NewPlacementDialog, PlacementStart
from poledesk.ui.dialogs.placement_dialog import PlacementDialog
from poledesk.ui.forms import enum_data, fill_combo
from poledesk.ui.hub import ChangeHub, Kind
from poledesk.ui.widgets.detail_panel import Detail, Section
from poledesk.ui.widgets.list_tab import Listing, ListTab
from poledesk.ui.widgets.models import Column, RowTableModel
from poledesk.ui.workers import TaskRunner

REPRINT_BACKGROUND = QColor("#f7ecc2")   # the amber of an escalation nearing its period

COLUMNS = (
    Column("Élève", lambda r: r.pupil, sort_key=lambda r: fold(r.pupil), width=100),
    Column("Structure d'accueil", lambda r: r.partner, sort_key=lambda r: fold(r.partner), width=200),
    Column("Établissement", lambda r: r.establishment, sort_key=lambda r: fold(r.establishment), width=170),
    Column("Du", lambda r: format_date(r.start_date), sort_key=lambda r: r.start_date, width=85),
    Column("Au", lambda r: format_date(r.end_date), sort_key=lambda r: r.end_date, width=85),
    Column("Tuteur", lambda r: r.tutor, sort_key=lambda r: fold(r.tutor), width=140),
    Column("Convention", lambda r: r.convention_text, width=150,
           background=lambda r: REPRINT_BACKGROUND if r.reprint_due else None,
           tooltip=lambda r: ("Imprimée, puis modifiée : le papier ne correspond plus au stage, réimprimez-la."
                              if r.reprint_due else None)),
)


class PlacementsTab(ListTab):
    """Placements, the latest period first; « Nouveau stage » for one found without an escalation; the selected
    placement's convention beside them, and the conventions of a multi-selection in one batch."""

    noun = ("stage", "stages")
    placeholder = "Rechercher un stage (élève, structure, établissement, tuteur, statut)…"
    detail_placeholder = "Sélectionnez un stage pour afficher sa fiche."
    default_sort = None   # the service's order: current stages, then coming ones, then past ones
    placement_saved = Signal(int)

    shows = frozenset({Kind.PLACEMENT, Kind.PARTNER, Kind.ESTABLISHMENT, Kind.ESCALATION})

    def __init__(self, store: Store, parent: QWidget | None = None, *, runner: TaskRunner | None = None,
                 hub: ChangeHub | None = None) -> None:
        super().__init__(store, COLUMNS, parent, hub=hub)
        self.runner = runner or TaskRunner(self)   # the batch of conventions runs there
        self.dialog: NewPlacementDialog | PlacementDialog | BatchConventionsDialog | None = None
        self._state: ConventionState | None = None
        self.new_button = QPushButton("Nouveau stage…")
        self.batch_button = QPushButton("Conventions de la sélection…")
        self.batch_button.setToolTip("Une convention PDF par stage sélectionné, dans un dossier")
        self.edit_button = QPushButton("Modifier…")
        self.edit_button.setEnabled(False)
        self.edit_button.setToolTip("Modifier le stage sélectionné (ou double-clic sur la ligne)")
        self.new_button.setToolTip("Un stage trouvé sans sollicitation : élève, structure, période")
        self.selection_label = QLabel(wordWrap=True)
        self.toolbar.addWidget(self.new_button)
        self._build_filters()
        selection = QHBoxLayout()   # under the list: what is selected, and what to do with it
        selection.addWidget(self.selection_label, 1)
        selection.addWidget(self.edit_button)
        selection.addWidget(self.batch_button)
        self.list_layout.addLayout(selection)
        # The panel takes the detail panel into its tabs (and so out of the splitter): it stands in its place.
        self.panel = ConventionPanel(store, self.detail)
        self.splitter.insertWidget(1, self.panel)
        self.splitter.setCollapsible(1, True)   # the panel folds away to give the list the width
        self.splitter.setStretchFactor(1, 2)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.new_button.clicked.connect(self.new_placement)
        self.batch_button.clicked.connect(self.batch_conventions)
        self.edit_button.clicked.connect(self._edit_current)
        self.table.doubleClicked.connect(lambda index: self.open_placement(index.data(RowTableModel.RowRole).id))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_batch_button())
        self.panel.changed.connect(self.show_placement)
        self.panel.edit_requested.connect(self.open_placement)
        self.panel.pdf_saved.connect(lambda path: self.hub.tell(f"PDF enregistré : {path.name}", *file_steps(path),
                                                                details=str(path.parent)))
        self.panel.told.connect(lambda text, details: self.hub.tell(text, details=details))
        self.placement_saved.connect(lambda placement_id: self.announce(Kind.PLACEMENT, placement_id))
        self.refresh()

    def _build_filters(self) -> None:
        self.status_combo, self.period_combo = QComboBox(), QComboBox()
        self.establishment_combo, self.audience_combo = QComboBox(), QComboBox()
        fill_combo(self.status_combo, [(c, c.label) for c in ConventionStatus], none_text="Toutes les conventions")
        fill_combo(self.period_combo, list(placement_list.PERIODS.items()), none_text="Toutes les périodes")
        fill_combo(self.audience_combo, [(a, a.label) for a in Audience], none_text="Tous les publics")
        self.refresh_establishments()
        filters = QHBoxLayout()
        for combo in (self.status_combo, self.period_combo, self.establishment_combo, self.audience_combo):
            combo.setMinimumWidth(60)   # in a narrow window they shrink rather than widen the whole window
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(4)
            combo.currentIndexChanged.connect(self._search_timer.start)
            filters.addWidget(combo, 1)
        self.list_layout.insertLayout(1, filters)

    def refresh_establishments(self) -> None:
        with self._store.session() as session:
            choices = [(c.id, c.label) for c in establishment_choices(session)]
        fill_combo(self.establishment_combo, choices, none_text="Tous les établissements")

    def current_filter(self) -> placement_list.PlacementFilter:
        return placement_list.PlacementFilter(
            status=enum_data(self.status_combo, ConventionStatus), period=self.period_combo.currentData() or "",
            establishment_id=self.establishment_combo.currentData(), audience=enum_data(self.audience_combo, Audience))

    def fetch_rows(self, session: Session, text: str) -> list[PlacementRow]:
        return placement_list.list_placements(session, text, filters=self.current_filter())

    def read_rows(self, text: str) -> Callable[[Session], Listing]:
        filters = self.current_filter()

        def read(session: Session) -> Listing:
            rows = placement_list.list_placements(session, text, filters=filters)
            return Listing(rows, len(rows))
        return read

    def show_extra(self, extra: object) -> None:
        self._after_rows()

    def fetch_records(self, session: Session, ids: frozenset[int]) -> list[PlacementRow]:
        return [row for row in placement_list.list_placements(session) if row.id in ids]

    def narrowing_controls(self) -> list[QWidget]:
        return [self.search_edit, self.status_combo, self.period_combo, self.establishment_combo,
                self.audience_combo]

    def _edit_current(self) -> None:
        rows = self.selected_rows()
        if len(rows) == 1:
            self.open_placement(rows[0].id)

    def fetch_detail(self, session: Session, row_id: int) -> Detail | None:
        found = conventions.placement_file(session, row_id, date.today())
        self._state = found.convention if found is not None else None   # the panel beside shows the convention
        return placement_sheet(found.form, found.context, list(found.findings)) if found is not None else None

    def refresh(self) -> None:
        super().refresh()
        self._after_rows()

    def _after_rows(self) -> None:
        if self.current_row() is None:   # nothing selected any more: the panel empties with the file
            self.panel.show_state(None)
        self._update_batch_button()

    def _show_current(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        self._state = None
        super()._show_current(current, _previous)
        self.panel.show_state(self._state, message="Sélectionnez un stage pour sa convention." if not
                              current.isValid() else "La convention de ce stage ne peut plus être éditée.")

    def selected_rows(self) -> list[PlacementRow]:
        """The placements selected in the list, in the order shown."""
        rows = sorted(self.table.selectionModel().selectedRows(), key=lambda index: index.row())
        return [index.data(RowTableModel.RowRole) for index in rows]

    def _update_batch_button(self) -> None:
        count = len(self.table.selectionModel().selectedRows())
        self.batch_button.setEnabled(count > 0)
        self.edit_button.setEnabled(count == 1)
        self.selection_label.setText(f"{plural(count, 'stage sélectionné', 'stages sélectionnés')} "
                                     "(Ctrl+clic ou Maj+clic pour en choisir plusieurs)" if count else
                                     "Aucun stage sélectionné")

    def batch_conventions(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        settings = ui_state.settings(self._store.folder)
        dialog = BatchConventionsDialog(self._store, self.runner, rows, settings, parent=self)
        dialog.finished_batch.connect(lambda _outcome: self.refresh())
        dialog.finished_batch.connect(lambda _outcome: self.announce(Kind.PLACEMENT))
        dialog.finished_batch.connect(self._tell_batch)
        self.dialog = dialog
        dialog.open()

    def _tell_batch(self, outcome: BatchOutcome) -> None:
        saved, folder = len(outcome.result.saved), outcome.result.out_dir
        if saved:
            self.hub.tell(f"{plural(saved, 'convention enregistrée', 'conventions enregistrées')} en PDF.",
                          NextStep("Ouvrir le dossier", lambda: open_file(folder)), details=str(folder))

    def new_placement(self) -> None:
        self.dialog = NewPlacementDialog(self._store, parent=self)
        self.dialog.chosen.connect(self._complete_new)
        self.dialog.open()

    def _complete_new(self, start: PlacementStart) -> None:
        self._open_form(PlacementDialog(self._store, start.form, new_pupil=start.new_pupil, parent=self))

    def open_placement(self, placement_id: int) -> None:
        """The placement's form; a signed convention's form turns the changes into an avenant."""
        with self._store.session() as session:
            form = placements.placement_form(session, placement_id)
            status = convention_tracking.convention_status(session, placement_id)
        dialog = AmendmentDialog if status in convention_tracking.SIGNED_STATUSES else PlacementDialog
        self._open_form(dialog(self._store, form, placement_id=placement_id, parent=self))

    def _open_form(self, dialog: PlacementDialog) -> None:
        self.dialog = dialog
        dialog.saved.connect(self.show_placement)
        dialog.saved.connect(lambda placement_id: self._tell_saved(dialog, placement_id))
        dialog.open()

    def _tell_saved(self, dialog: PlacementDialog, placement_id: int) -> None:
        """Say what the save did to the convention's paper: nothing, made it obsolete, or an avenant."""
        amendment = dialog.amendment if isinstance(dialog, AmendmentDialog) else None
        if amendment is not None:
            number = amendment.number
            self.hub.tell(f"Avenant n° {number} enregistré : à imprimer et à faire signer par les mêmes signataires.",
                          NextStep("Aperçu de l'avenant", lambda: self._on_placement(
                              placement_id, lambda: self.panel.preview(AMENDMENT, number))))
        elif dialog.replaced is not None:
            self.hub.tell(f"Stage enregistré : le papier imprimé le {format_date(dialog.replaced.printed_on)} ne "
                          "correspond plus.",
                          NextStep("Réimprimer la convention", lambda: self._on_placement(
                              placement_id, self.panel.print_convention)),
                          details="Son ancienne version est gardée dans l'historique du stage (Suivi de la "
                                  "convention).")
        else:
            self.hub.tell("Stage enregistré.")

    def _on_placement(self, placement_id: int, then: Callable[[], object]) -> None:
        """Select the placement again (the user may have moved on), then act on its convention."""
        self.show_placement(placement_id)
        if self.panel.state is not None and self.panel.state.placement_id == placement_id:
            then()

    def show_placement(self, placement_id: int) -> None:
        """List the placement again (a new or changed one) and select it."""
        self.refresh()
        if not self.select_id(placement_id) and (self.search_edit.text() or self.record_filter is not None):
            self.clear_record_filter()
            self.search_edit.clear()
            self.refresh()
            self.select_id(placement_id)
        self.placement_saved.emit(placement_id)


def placement_sheet(form: PlacementForm, c: PlacementContext, findings: list[Finding]) -> Detail:
    """What the panel shows of a placement, in French, with the convention's findings."""
    tutor = next((name for id_, name in c.tutors if id_ == form.tutor_id), "À désigner")
    age = c.age_on(form.start_date)
    pupil = c.pupil + (f" ({age} ans au début du stage)" if age is not None else "")
    formation = next((f.label for f in c.formations if f.id == form.formation_id), "")
    referent = ", ".join(x for x in (form.referent_teacher_name, form.referent_teacher_email) if x)
    return Detail(f"Stage de {c.pupil}", f"{c.partner} – convention : {c.convention_status.label}", (
        Section("Stage", (
            ("Élève", pupil), ("Classe", c.pupil_class), ("Structure d'accueil", c.partner),
            ("Établissement", c.establishment), ("Public", form.audience.label), ("Formation", formation),
            ("Période", f"du {format_date(form.start_date)} au {format_date(form.end_date)}"),
            ("Tuteur", tutor), ("Enseignant référent", referent), ("Lieu du stage", form.site_address))),
        Section("Emploi du temps", tuple(_day(slot) for slot in form.timetable), "Aucun jour de présence."),
        Section("Annexes", (("Activités", form.activities), ("Compétences", form.skills), ("Repas", form.meals),
                            ("Transport", form.transport), ("Hébergement", form.accommodation),
                            ("Gratification", form.gratification))),
        Section("Contrôle de la convention", tuple(
            ("Bloquant" if f.blocking else "À vérifier", f.message) for f in findings),
            "Aucun point à signaler : la convention pourra être imprimée."),
    ))


def _day(slot: DaySlot) -> tuple[str, str]:
    text = f"{clock_text(slot.start)} – {clock_text(slot.end)}"
    if slot.break_start and slot.break_end:
        text += f", pause {clock_text(slot.break_start)} – {clock_text(slot.break_end)}"
    return WEEKDAYS[slot.weekday], f"{text} ({hours_text(max(presence_minutes(slot), 0))})"
