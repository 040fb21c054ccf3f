"""The Sollicitations tab: the schools' requests, most urgent first, coloured by days left, and their files."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields, replace

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from poledesk.data import Session
from poledesk.data.db import Store
from poledesk.data.enums import Audience, EscalationStatus
from poledesk.data.escalations import candidates as candidates
from poledesk.data.escalations import listing as escalations
from poledesk.data.escalations.listing import (
    CLOSED,
    OPEN_STATUSES,
    OVERDUE,
    UNDER_15,
    UNDER_30,
    EscalationDetail,
    EscalationRow,
    EventLine,
    ProposalLine,
    PupilInfo,
)
from poledesk.data.escalations.matching import Ranked
from poledesk.data.naf import all_sections
from poledesk.data.planning import view as planning
from poledesk.data.text import fold, format_date, format_datetime
from poledesk.ui.dialogs.escalation_dialog import EscalationDialog
from poledesk.ui.escalation_panel import EscalationPanel
from poledesk.ui.forms import enum_data, fill_combo, select_data
from poledesk.ui.hub import ChangeHub, Kind
from poledesk.ui.widgets.detail_panel import Detail, Section, yes_no
from poledesk.ui.widgets.list_tab import Listing, ListTab
from poledesk.ui.widgets.models import Column, RowTableModel

log = logging.getLogger(__name__)
S = EscalationStatus

# Muted tints, readable in light and dark themes because the text colour is set with them.
URGENCY_COLOURS: dict[str, tuple[QColor, QColor]] = {   # background, text
    OVERDUE: (QColor("#f4d4d1"), QColor("#7a1f1a")),
    UNDER_15: (QColor("#f9dfc4"), QColor("#6e3a08")),
    UNDER_30: (QColor("#f7ecc2"), QColor("#5e4a00")),
}
CLOSED_TEXT = QColor("#767676")
URGENCY_TIPS = {
    OVERDUE: "La période a commencé et l'élève n'a pas de lieu de stage.",
    UNDER_15: "Moins de 15 jours avant le début de la période.",
    UNDER_30: "Moins de 30 jours avant le début de la période.",
    CLOSED: "Sollicitation close.",
}


def _background(row: EscalationRow) -> QColor | None:
    colours = URGENCY_COLOURS.get(row.urgency)
    return colours[0] if colours else None


def _foreground(row: EscalationRow) -> QColor | None:
    colours = URGENCY_COLOURS.get(row.urgency)
    if colours:
        return colours[1]
    return CLOSED_TEXT if row.urgency == CLOSED else None


def _coloured(column: Column) -> Column:
    return replace(column, background=_background, foreground=_foreground,
                   tooltip=lambda r: URGENCY_TIPS.get(r.urgency))


@dataclass(frozen=True, slots=True)
class WarnedRow(EscalationRow):
    """A listed escalation with the warning of the weeks in tension its period falls in ("" when none)."""

    tension: str = ""


def _warned(row: EscalationRow, tension: str) -> EscalationRow:
    return WarnedRow(**{f.name: getattr(row, f.name) for f in fields(row)}, tension=tension) if tension else row


def _tension(row: EscalationRow) -> str:
    return row.tension if isinstance(row, WarnedRow) else ""


def _start_column() -> Column:
    """The period's start, marked ⚠ when the period falls in a week in tension (the warning in its tooltip)."""
    column = _coloured(Column("Début", lambda r: format_date(r.period_start) + (" ⚠" if _tension(r) else ""),
                              sort_key=lambda r: r.period_start, width=90))
    return replace(column, tooltip=lambda r: _tension(r) or URGENCY_TIPS.get(r.urgency))


COLUMNS = tuple(c if c.header == "Début" else _coloured(c) for c in (
    Column("Urgence", lambda r: r.urgency_text, sort_key=lambda r: r.urgency_rank, width=80),
    _start_column(),
    Column("Élève", lambda r: r.pupil, sort_key=lambda r: fold(r.pupil), width=85),
    Column("Établissement", lambda r: r.establishment, sort_key=lambda r: fold(r.establishment), width=180),
    Column("Public", lambda r: r.audience.label, width=130),
    Column("Formation", lambda r: r.formation, sort_key=lambda r: fold(r.formation), width=170),
    Column("Statut", lambda r: r.status.label, width=100),
    Column("Reçue le", lambda r: format_date(r.received_on), sort_key=lambda r: r.received_on, width=84),
))


COUNT_WORDS = {   # a status in the plural, for the counts above the list
    S.RECEIVED: "Reçues", S.SEARCHING: "En recherche", S.PROPOSED: "Proposées", S.PLACED: "Placées",
    S.CLOSED_UNSOLVED: "Sans solution", S.WITHDRAWN: "Retirées",
}


def _with_tension(tensions: planning.TensionCache, session: Session, row: EscalationRow) -> EscalationRow:
    if row.urgency == CLOSED:
        return row
    weeks = tensions.weeks(session, row.audience, row.formation or None, row.period_start, row.period_end)
    return _warned(row, planning.tension_warning(weeks))


class EscalationsTab(ListTab):
    """Open escalations by default, sorted by urgency, narrowed by status, school, public or formation, with the
    counts per status; the selected one's file, candidates and proposals beside the list."""

    noun = ("sollicitation", "sollicitations")
    placeholder = "Rechercher une sollicitation (élève, établissement, commune, formation, statut)…"
    detail_placeholder = "Sélectionnez une sollicitation pour afficher sa fiche."
    placements_changed = Signal(int)   # a placement was created from an escalation (its id)
    table_share = 0.56                 # the panel needs room for the candidates' reasons

    shows = frozenset({Kind.ESCALATION, Kind.PARTNER, Kind.ESTABLISHMENT, Kind.PLACEMENT})

    def __init__(self, store: Store, parent: QWidget | None = None, *, hub: ChangeHub | None = None) -> None:
        super().__init__(store, COLUMNS, parent, hub=hub)
        self.dialog: EscalationDialog | None = None
        self.counts: dict[EscalationStatus, int] = {}
        self._shown: tuple[EscalationDetail, list[Ranked]] | None = None
        self.tensions = planning.TensionCache()   # the weeks in tension, drawn again only after a change
        self.new_button = QPushButton("Nouvelle sollicitation…")
        self.new_button.setToolTip("Enregistrer la demande d'un établissement pour un élève sans stage")
        self.closed_check = QCheckBox("Afficher aussi les sollicitations closes")
        self.status_combo, self.establishment_combo = QComboBox(), QComboBox()
        self.audience_combo, self.formation_combo = QComboBox(), QComboBox()
        self.counts_label = QLabel(textFormat=Qt.TextFormat.RichText)
        self.panel = EscalationPanel(store, self.detail)
        self._build_filters()
        self._connect_filters()
        self.refresh()

    def _build_filters(self) -> None:
        self.toolbar.addWidget(self.new_button)
        fill_combo(self.status_combo, [(s, s.label) for s in EscalationStatus], none_text="Tous les statuts")
        fill_combo(self.audience_combo, [(a, a.label) for a in Audience], none_text="Tous les publics")
        with self._store.session() as session:
            fill_combo(self.establishment_combo, [(c.id, c.label) for c in escalations.establishment_choices(session)],
                       none_text="Tous les établissements")
            self._formations = escalations.formation_options(session)
        self._fill_formations()
        filters = QHBoxLayout()
        for combo in (self.status_combo, self.establishment_combo, self.audience_combo, self.formation_combo):
            combo.setMinimumContentsLength(3)    # long school and formation names must not widen the window
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            filters.addWidget(combo, 1)
        counts = QHBoxLayout()
        counts.addWidget(self.counts_label, 1)
        counts.addWidget(self.closed_check)
        self.counts_label.setWordWrap(True)
        self.counts_label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.list_layout.insertLayout(1, filters)
        self.list_layout.insertLayout(2, counts)
        # The panel took the detail panel into its tabs (and so out of the splitter): it stands in its place.
        self.splitter.insertWidget(1, self.panel)
        self.splitter.setCollapsible(1, True)   # the panel folds away to give the list the width
        self.splitter.setStretchFactor(1, 2)

    def _connect_filters(self) -> None:
        self.closed_check.toggled.connect(self.refresh)
        for combo in (self.status_combo, self.establishment_combo, self.formation_combo):
            combo.currentIndexChanged.connect(self.refresh)
        self.audience_combo.currentIndexChanged.connect(self._on_audience_changed)
        self.counts_label.linkActivated.connect(lambda status: select_data(self.status_combo, EscalationStatus(status)))
        self.new_button.clicked.connect(lambda: self.open_dialog(None))
        self.table.doubleClicked.connect(lambda index: self.open_dialog(index.data(RowTableModel.RowRole).id))
        self.panel.edit_requested.connect(self.open_dialog)
        self.panel.changed.connect(lambda _id: self.refresh())
        self.panel.told.connect(lambda text: self.hub.tell(text))
        self.panel.changed.connect(lambda escalation_id: self.announce(Kind.ESCALATION, escalation_id))
        self.panel.placement_created.connect(self.placements_changed.emit)
        self.panel.placement_created.connect(lambda placement_id: self.hub.announce_many(
            {Kind.PLACEMENT: (placement_id,), Kind.ESCALATION: ()}, source=self))

    def _on_audience_changed(self) -> None:
        self._fill_formations()
        self.refresh()

    def _fill_formations(self) -> None:
        audience = enum_data(self.audience_combo, Audience)
        fill_combo(self.formation_combo, [(f.id, f.label) for f in self._formations
                                          if audience is None or f.audience is audience],
                   none_text="Toutes les formations")

    def fetch_rows(self, session: Session, text: str) -> list[EscalationRow]:
        listing = self._reader(text, self.tensions)(session)
        self._show_counts_read(listing.extra)
        return list(listing.rows)

    def read_rows(self, text: str) -> Callable[[Session], Listing]:
        # A cache of its own: the UI thread's may be asked meanwhile (a record opened); it is adopted on arrival.
        return self._reader(text, planning.TensionCache())

    def show_extra(self, extra: tuple[dict[EscalationStatus, int], planning.TensionCache]) -> None:
        self._show_counts_read(extra)
        self._after_rows()

    def _reader(self, text: str, tensions: planning.TensionCache) -> Callable[[Session], Listing]:
        """The rows, with their weeks in tension, and the counts per status; the filters are read now."""
        filters = {"establishment_id": self.establishment_combo.currentData(),
                   "audience": enum_data(self.audience_combo, Audience),
                   "formation_id": self.formation_combo.currentData()}
        status, open_only = enum_data(self.status_combo, EscalationStatus), not self.closed_check.isChecked()

        def read(session: Session) -> Listing:
            counts = escalations.count_by_status(session, text, **filters)
            rows = escalations.list_escalations(session, text, open_only=open_only, status=status, **filters)
            return Listing([_with_tension(tensions, session, row) for row in rows], len(rows), (counts, tensions))
        return read

    def _show_counts_read(self, extra: tuple[dict[EscalationStatus, int], planning.TensionCache]) -> None:
        self.counts, self.tensions = extra
        self._show_counts()
        self.closed_check.setEnabled(enum_data(self.status_combo, EscalationStatus) is None)

    def fetch_records(self, session: Session, ids: frozenset[int]) -> list[EscalationRow]:
        """Closed ones too: a figure counts escalations of every status."""
        rows = [row for row in escalations.list_escalations(session) if row.id in ids]
        self.counts = dict(Counter(row.status for row in rows))
        self._show_counts()
        return rows

    def narrowing_controls(self) -> list[QWidget]:
        return [self.search_edit, self.closed_check, self.status_combo, self.establishment_combo,
                self.audience_combo, self.formation_combo, self.counts_label]

    def _show_counts(self) -> None:
        # Non-breaking spaces: a narrow window wraps between counts, never inside « Sans solution 14 ».
        parts = [f'<a href="{status.value}" style="text-decoration: none">'
                 f'{COUNT_WORDS[status].replace(" ", "&nbsp;")}</a>&nbsp;<b>{self.counts.get(status, 0)}</b>'
                 for status in EscalationStatus]
        self.counts_label.setText(" · ".join(parts))

    def fetch_detail(self, session: Session, row_id: int) -> Detail | None:
        found = escalations.escalation_detail(session, row_id)
        if found is None:
            return None
        started = time.perf_counter()
        ranked = candidates.escalation_candidates(session, row_id) if found.status in OPEN_STATUSES else []
        log.debug("candidates of escalation %s: %d in %.0f ms", row_id, len(ranked),
                  (time.perf_counter() - started) * 1000)
        self._shown = (found, ranked)
        weeks = [] if found.urgency == CLOSED else self.tensions.weeks(
            session, found.audience, found.formation or None, found.period_start, found.period_end)
        return escalation_sheet(found, tension=planning.tension_warning(weeks))

    def refresh(self) -> None:
        super().refresh()
        self._after_rows()

    def _after_rows(self) -> None:
        if self.current_row() is None:   # nothing selected any more: the panel empties with the file
            self.panel.show_escalation(None, [])

    def _show_current(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        self._shown = None
        super()._show_current(current, _previous)
        shown: tuple[EscalationDetail | None, list[Ranked]] = self._shown or (None, [])
        escalation, ranked = shown
        self.panel.show_escalation(escalation, ranked)

    def open_dialog(self, escalation_id: int | None) -> None:
        """The form of a new escalation (None) or of a recorded one; the list shows it once saved."""
        self.dialog = EscalationDialog(self._store, escalation_id=escalation_id, parent=self, tensions=self.tensions)
        self.dialog.saved.connect(self._on_saved)
        self.dialog.open()

    def _on_saved(self, escalation_id: int) -> None:
        self._show_saved(escalation_id)
        self.announce(Kind.ESCALATION, escalation_id)
        self.hub.tell("Sollicitation enregistrée.")

    def _show_saved(self, escalation_id: int) -> None:
        self.refresh()
        if self.select_id(escalation_id):
            return
        # Hidden by a filter or the search: lift them, so that what was just saved is seen.
        self.clear_record_filter()
        for combo in (self.status_combo, self.establishment_combo, self.audience_combo, self.formation_combo):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._fill_formations()
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.closed_check.blockSignals(True)
        self.closed_check.setChecked(True)
        self.closed_check.blockSignals(False)
        self.refresh()
        self.select_id(escalation_id)


def escalation_sheet(e: EscalationDetail, *, tension: str = "") -> Detail:
    """What the panel shows of an escalation, in French; the pupil's identity stays on this laptop."""
    subtitle = " – ".join(x for x in (e.status.label, e.urgency_text) if x)
    return Detail(f"Sollicitation de {e.establishment}", subtitle, (
        _request(e, tension), _pupil(e.pupil), _needs(e),
        Section("Propositions", tuple(_proposal(p) for p in e.proposals), "Aucune proposition pour l'instant."),
        Section("Historique", tuple(_event(ev) for ev in e.events), "Aucun changement de statut enregistré."),
    ))


def _request(e: EscalationDetail, tension: str = "") -> Section:
    asked_by = ", ".join(x for x in (e.asked_by_name, e.asked_by_role, e.asked_by_email) if x)
    fields = [("Reçue le", format_date(e.received_on)), ("Demandée par", asked_by),
              ("Établissement", f"{e.establishment} ({e.establishment_uai})"), ("Public", e.audience.label),
              ("Formation", e.formation),
              ("Période", f"du {format_date(e.period_start)} au {format_date(e.period_end)}"),
              ("Tension", tension),
              ("Statut", f"{e.status.label} ({e.status_reason})" if e.status_reason else e.status.label)]
    if e.urgency != CLOSED:
        fields.append(("Urgence", e.urgency_text))
    fields += [("Issue", e.outcome), ("Close le", format_date(e.closed_on))]
    return Section("Demande", tuple(fields))


def _pupil(p: PupilInfo) -> Section:
    if p.purged_at:
        return Section("Élève", (), f"Données de l'élève purgées le {format_date(p.purged_at)}.")
    born = format_date(p.birth_date)
    if p.age_at_start is not None:
        born += f" ({p.age_at_start} ans au début de la période)"
    fields = [("Prénom", p.first_name), ("Nom", p.last_name), ("Date de naissance", born), ("Classe", p.class_name)]
    if p.age_at_start is None or p.age_at_start < 18:
        contact = "\n".join(x for x in (p.representative_email, p.representative_phone) if x)
        fields += [("Représentant légal", p.representative_name), ("Contact du représentant", contact)]
    return Section("Élève", tuple(fields))


def _needs(e: EscalationDetail) -> Section:
    place = " ".join(x for x in (e.mobility_postcode, e.mobility_commune) if x)
    radius = f"{e.mobility_radius_km} km" if e.mobility_radius_km else ""
    return Section("Besoins", (
        ("Depuis", place), ("Rayon", radius), ("Moyens de transport", e.mobility_means),
        ("Accessibilité (handicap)", yes_no(e.needs_accessibility or e.pupil.has_disability)),
        ("PAI", yes_no(e.needs_pai or e.pupil.has_pai)), ("Précisions", e.pupil.needs),
        ("Secteur souhaité", ", ".join(all_sections().get(s, s) for s in e.wished_sectors))))


def _proposal(p: ProposalLine) -> tuple[str, str]:
    answer = p.answer.label
    if p.answered_on:
        answer += f" le {format_date(p.answered_on)}"
    if p.refusal_reason:
        answer += f" : {p.refusal_reason}"
    contacted = f"Contacté le {format_date(p.contacted_on)} ({p.channel.label.lower()})"
    if p.contact:
        contacted += f", {p.contact}"
    return p.partner, f"{contacted}\n{answer}"


def _event(ev: EventLine) -> tuple[str, str]:
    change = f"{ev.from_status.label} → {ev.to_status.label}" if ev.from_status else ev.to_status.label
    return format_datetime(ev.at), f"{change}\n{ev.reason}".strip()

