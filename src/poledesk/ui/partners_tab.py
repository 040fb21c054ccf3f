"""The Partenaires tab: find and filter partners, read and change a partner's file (contacts, offers,
exchanges), and the « À faire » list of follow-ups."""

from __future__ import annotations

import html
from collections.abc import Callable, Collection
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from poledesk.data import Session
from poledesk.data.db import Store
from poledesk.data.partners import contacts as contacts
from poledesk.data.partners import edits as partner_edits
from poledesk.data.partners import listing as partners
from poledesk.data.partners import offers as offers
from poledesk.data.partners import visits as visits
from poledesk.data.partners.listing import PartnerRow
from poledesk.data.text import fold, format_count, format_date, plural
from poledesk.data.validation import ValidationError, format_siret
from poledesk.ui import messages
from poledesk.ui.dialogs.contact_dialog import ContactDialog
from poledesk.ui.dialogs.offer_dialog import OfferDialog
from poledesk.ui.dialogs.partner_dialog import PartnerDialog
from poledesk.ui.dialogs.visit_dialog import VisitDialog
from poledesk.ui.follow_ups_panel import FollowUpsPanel
from poledesk.ui.hub import ChangeHub, Kind
from poledesk.ui.partner_filter_bar import PartnerFilterBar
from poledesk.ui.partner_panel import PartnerFile, PartnerPanel
from poledesk.ui.widgets.detail_panel import DetailPanel
from poledesk.ui.widgets.list_tab import Listing, ListTab
from poledesk.ui.widgets.models import Column, RowTableModel
from poledesk.ui.widgets.table_fit import header_text_width

VISITS_SHOWN = 50           # the Échanges page of the panel; older ones are counted, not listed


def _status_text(row: PartnerRow) -> str:
    return "Archivé" if row.archived_on else row.status.label


def _status_tip(row: PartnerRow) -> str:
    if row.archived_on:
        return f"Archivé le {format_date(row.archived_on)} ; statut avant l'archivage : {row.status.label}"
    return row.status.label


COLUMNS = (
    Column("Nom", lambda r: r.name_shown, sort_key=lambda r: fold(r.name), width=220,
           tooltip=lambda r: f"{r.name}\nTrouvé par son {r.matched_by}" if r.matched_by else r.name),
    Column("Commune", lambda r: r.commune, sort_key=lambda r: fold(r.commune), width=115,
           tooltip=lambda r: f"{r.postcode} {r.commune}".strip() or None),
    Column("Code postal", lambda r: r.postcode, width=80),
    Column("SIRET", lambda r: format_siret(r.siret), sort_key=lambda r: r.siret or "", width=124),
    Column("Secteur", lambda r: r.sector or r.naf_code, sort_key=lambda r: fold(r.sector), width=150,
           tooltip=lambda r: " – ".join(x for x in (r.naf_code, r.sector) if x) or None),
    Column("Statut", _status_text, width=84, tooltip=_status_tip),
    Column("Contacts", lambda r: str(r.contacts), sort_key=lambda r: r.contacts, align_right=True, width=64,
           tooltip=lambda r: "Contacts et tuteurs enregistrés"),
    Column("Places", lambda r: str(r.places), sort_key=lambda r: r.places, align_right=True, width=52,
           tooltip=lambda r: "Places offertes, toutes offres confondues"),
    Column("Dernière visite", lambda r: format_date(r.last_visit), sort_key=lambda r: r.last_visit, width=96),
)
FLEXIBLE = {0: 2, 4: 1}                       # Nom and Secteur share the width the other columns leave, 2 to 1
MIN_FLEXIBLE = {0: 140, 4: 80}
FITTED = {3: "888 888 888 88888", 8: "Dernière visite"}
HIDDEN_AT_FIRST = (2,)                        # the postcode shows in the commune's tooltip; the header menu adds it


# A pole has about 600 partners; at académie scale (8,000 to 50,000) a broad search would list thousands of rows
# nobody reads: a typed search shows the first ones in name order, with the total and an invitation to narrow it.
# The list with no search shows every partner, as the animateur expects of "all my partners".
SHOWN_AT_MOST = 500


def _empty_text(text: str, suggestion: partners.SearchSuggestion | None, noun: tuple[str, str]) -> str:
    said = f"Aucun {noun[0]} ne correspond à « {html.escape(text)} »."
    if suggestion is None:
        return (f"{said} Essayez le début d'un mot (« vand » pour Vandœuvre), moins de mots, ou le nom d'un "
                "contact ou d'une étiquette.")
    found = plural(suggestion.count, *noun)
    if suggestion.without_filters:
        return f"{said} <a href='try'>Retirer les filtres</a> : {found} sans eux."
    return f"{said} <a href='try'>Essayer « {html.escape(suggestion.text)} »</a> : {found}."


def _search(session: Session, text: str, filters: partners.PartnerFilter) -> list[PartnerRow]:
    return partners.search_partners(session, text, filters=filters, limit=SHOWN_AT_MOST if text else None)


def _total(session: Session, text: str, filters: partners.PartnerFilter, shown: int) -> int:
    if not text or shown < SHOWN_AT_MOST:
        return shown
    return partners.count_matching(session, text, filters=filters, cap=partners.COUNT_CAP)


class PartnersTab(ListTab):
    """Partners found by name, commune, postcode, SIRET, NAF code or tag (accents and case ignored) and by the
    filter bar; the panel changes the selected partner; « À faire » lists the follow-ups."""

    partners_changed = Signal()
    placeholder = "Rechercher un partenaire (nom, commune, SIRET, contact, étiquette)…"
    detail_placeholder = "Sélectionnez un partenaire pour afficher sa fiche."
    table_share = 2 / 3
    shows = frozenset({Kind.PARTNER, Kind.TRAINING})   # a contact's trainings show in the partner's file
    fits_columns = False   # _fit_columns: Nom and Secteur share what the others leave

    def __init__(self, store: Store, parent: QWidget | None = None, *, hub: ChangeHub | None = None) -> None:
        super().__init__(store, COLUMNS, parent, hub=hub)
        self.dialog: QDialog | None = None
        self.partners_changed.connect(lambda: self.announce(Kind.PARTNER))
        self.message_box: QMessageBox | None = None
        self.confirm_button: QAbstractButton | None = None
        self._connect_partner_work()
        # The communes offered and « À faire » are read with the tab's first rows, when it is first shown.
        self._side_lists_loaded = False
        self.refresh()

    @property
    def noun(self) -> tuple[str, str]:  # type: ignore[override]  # a property where ListTab has an attribute
        if self.filter_bar.archived_check.isChecked():
            return ("partenaire archivé", "partenaires archivés")
        return ("partenaire", "partenaires")

    @property
    def panel(self) -> PartnerPanel:
        assert isinstance(self.detail, PartnerPanel)
        return self.detail

    def create_detail_panel(self) -> DetailPanel:
        return PartnerPanel(self.detail_placeholder)  # type: ignore[return-value]  # a DetailPanel by shape

    def fetch_rows(self, session: Session, text: str) -> list[PartnerRow]:
        return _search(session, text, self.filter_bar.current_filter())

    def read_rows(self, text: str) -> Callable[[Session], Listing]:
        filters, side_lists = self.filter_bar.current_filter(), not self._side_lists_loaded

        def read(session: Session) -> Listing:
            rows = _search(session, text, filters)
            extra = (partners.partner_communes(session), visits.list_follow_ups(session)) if side_lists else None
            return Listing(rows, _total(session, text, filters, len(rows)), extra)
        return read

    def show_extra(self, extra: tuple[list[str], list[visits.FollowUpRow]] | None) -> None:
        if extra is not None and not self._side_lists_loaded:
            self._side_lists_loaded = True
            communes, follow_ups = extra
            self.filter_bar.set_communes(communes)
            self.follow_ups.show_rows(follow_ups)
            self._update_follow_ups_toggle()

    def fetch_records(self, session: Session, ids: frozenset[int]) -> list[PartnerRow]:
        return partners.partners_with_ids(session, ids)

    def narrowing_controls(self) -> list[QWidget]:
        return [self.search_edit, self.filter_bar]

    def show_records(self, label: str, ids: Collection[int]) -> None:
        """The list page, narrowed to a figure's partners (archived ones included: a figure counts them)."""
        self.partners_toggle.setChecked(True)
        self.pages.setCurrentIndex(0)
        super().show_records(label, ids)

    def fetch_total(self, session: Session, text: str, shown: int) -> int:
        return _total(session, text, self.filter_bar.current_filter(), shown)

    def total_text(self, total: int) -> str:
        return f"plus de {format_count(partners.COUNT_CAP)}" if total > partners.COUNT_CAP else format_count(total)

    def fetch_detail(self, session: Session, row_id: int) -> PartnerFile | None:  # type: ignore[override]  # for PartnerPanel
        found = partners.partner_detail(session, row_id, include_archived=True, visits_shown=VISITS_SHOWN)
        if found is None:
            return None
        trainings = {c.id: tuple(contacts.training_history(session, c.id))
                     for c in found.contacts if c.trainings_attended}
        return PartnerFile(found, trainings, date.today())

    # -- layout ----------------------------------------------------------------------------------------------------

    def _build_layout(self) -> None:
        """Overrides ListTab's (which calls it from its constructor): the toggle « Partenaires | À faire », the
        search and filters over the whole width, then the table and the partner's file."""
        self._build_partner_widgets()
        self.toolbar.addWidget(self.search_edit, 1)
        self.toolbar.addWidget(self.count_label)
        self.detail.setMinimumWidth(360)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self._collapsible_detail()
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        list_page = QWidget()
        page = QVBoxLayout(list_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.addLayout(self.toolbar)
        page.addWidget(self.filter_bar)
        page.addWidget(self.filter_chip)
        page.addWidget(self.empty_label)
        page.addWidget(self.splitter, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(list_page)
        self.pages.addWidget(self.follow_ups)
        top = QHBoxLayout()
        top.setSpacing(0)
        top.addWidget(self.partners_toggle)
        top.addWidget(self.follow_ups_toggle)
        top.addStretch(1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        self._setup_columns()

    def _build_partner_widgets(self) -> None:
        self.filter_bar = PartnerFilterBar()
        self.new_button = QPushButton("Nouveau partenaire")
        self.new_button.setShortcut(QKeySequence("Ctrl+N"))
        self.new_button.setToolTip("Nouveau partenaire (Ctrl+N)")
        self.partners_toggle = QPushButton("Partenaires")
        self.partners_toggle.setToolTip("La liste des partenaires du réseau")
        self.follow_ups_toggle = QPushButton("À faire")
        self.follow_ups_toggle.setToolTip("Les relances et visites à faire")
        for toggle in (self.partners_toggle, self.follow_ups_toggle):
            toggle.setCheckable(True)
        self.partners_toggle.setChecked(True)
        self._toggles = QButtonGroup(self)
        for position, toggle in enumerate((self.partners_toggle, self.follow_ups_toggle)):
            self._toggles.addButton(toggle, position)
        self.follow_ups = FollowUpsPanel(self._store, load=False)
        self.empty_label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.empty_label.hide()
        self.empty_label.setContentsMargins(4, 4, 4, 4)
        self.empty_label.linkActivated.connect(self._try_suggestion)
        self.suggestion: partners.SearchSuggestion | None = None

    def _setup_columns(self) -> None:
        header = self.table.horizontalHeader()
        for section in HIDDEN_AT_FIRST:
            header.hideSection(section)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        self.table.viewport().installEventFilter(self)
        metrics = self.table.fontMetrics()
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 10)   # denser rows
        self._widths = {section: column.width or 0 for section, column in enumerate(COLUMNS)}
        for section, sample in FITTED.items():      # wide enough for the text, whatever the font
            self._widths[section] = metrics.horizontalAdvance(sample) + 16
        for section in self._widths:                 # and never narrower than its header
            self._widths[section] = max(self._widths[section], header_text_width(header, section))
            header.resizeSection(section, self._widths[section])

    def _column_menu(self, position: QPoint) -> None:
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        for section, column in enumerate(COLUMNS[1:], start=1):
            action = QAction(column.header, menu, checkable=True, checked=not header.isSectionHidden(section))
            action.toggled.connect(lambda shown, s=section: self._show_column(s, shown))
            menu.addAction(action)
        menu.popup(header.mapToGlobal(position))

    def _show_column(self, section: int, shown: bool) -> None:
        self.table.horizontalHeader().setSectionHidden(section, not shown)
        self._fit_columns()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """Nom and Secteur take what the other columns leave, so the table fits its width without scrolling."""
        if self.fitter.user_sized:
            return
        header = self.table.horizontalHeader()
        last = header.count() - 1
        # The last section stretches: count the width it wants, not the width it was stretched to.
        fixed = sum(self._widths[i] if i == last else header.sectionSize(i)
                    for i in range(header.count()) if i not in FLEXIBLE and not header.isSectionHidden(i))
        room = max(self.table.viewport().width() - fixed, 0)
        weights = sum(FLEXIBLE.values())
        for section, weight in FLEXIBLE.items():
            header.resizeSection(section, max(MIN_FLEXIBLE[section], room * weight // weights))

    def _connect_partner_work(self) -> None:
        self.filter_bar.changed.connect(self._search_timer.start)
        self.new_button.clicked.connect(lambda: self.open_partner_dialog(None))
        self.table.doubleClicked.connect(self._on_double_click)
        self._toggles.idClicked.connect(self.pages.setCurrentIndex)
        self.follow_ups.partner_requested.connect(self.show_partner)
        self.follow_ups.follow_ups_changed.connect(self._after_follow_ups_changed)
        panel = self.panel
        panel.edit_requested.connect(self.open_partner_dialog)
        panel.visit_requested.connect(self.open_visit_dialog)
        panel.archive_requested.connect(self.ask_archive_partner)
        panel.restore_requested.connect(self.restore_partner)
        panel.contact_requested.connect(self.open_contact_dialog)
        panel.contact_archive_requested.connect(self.ask_archive_contact)
        panel.offer_requested.connect(self.open_offer_dialog)
        panel.offer_archive_requested.connect(self.ask_archive_offer)
        panel.offer_confirm_requested.connect(self.confirm_offer_today)
        panel.follow_up_done_requested.connect(self.complete_follow_up)

    # -- lists -----------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """The list, and when a search finds nothing, what it looked for and what to try instead."""
        if not self._side_lists_loaded and (self._loaded or self.isVisible()):   # the first load reads them too
            self._side_lists_loaded = True
            self.refresh_communes()
            self.follow_ups.refresh()
            self._update_follow_ups_toggle()
        super().refresh()
        text = self.search_edit.text().strip()
        if self.model.rowCount() or not text or not self._loaded:
            self.suggestion = None
            self.empty_label.hide()
            return
        filters = self.filter_bar.current_filter()
        with self._store.session() as session:
            self.suggestion = partners.suggest_search(session, text, filters=filters)
        self.count_label.setText(f"Aucun {self.noun[0]}")
        self.empty_label.setText(_empty_text(text, self.suggestion, self.noun))
        self.empty_label.show()

    def _try_suggestion(self, _link: str) -> None:
        suggestion = self.suggestion
        if suggestion is None:
            return
        if suggestion.without_filters:
            self.filter_bar.reset()
        self.search_edit.setText(suggestion.text)
        self._search_now()

    def shown_query(self) -> tuple[str, partners.PartnerFilter] | None:
        """The search text and filters when they narrow the live partners shown, for « les partenaires affichés »."""
        text, filters = self.search_edit.text().strip(), self.filter_bar.current_filter()
        if filters.archived or not (text or filters.narrows):
            return None
        return text, filters

    def refresh_communes(self) -> None:
        with self._store.session() as session:
            self.filter_bar.set_communes(partners.partner_communes(session))

    def show_partner(self, partner_id: int) -> bool:
        """Bring the partner's file forward, clearing the search and filters if they hide it."""
        self.partners_toggle.setChecked(True)
        self.pages.setCurrentIndex(0)
        self._search_timer.stop()
        self.refresh()
        if self.select_id(partner_id):
            return True
        self.clear_record_filter()
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.filter_bar.reset()
        self._search_timer.stop()
        self.refresh()
        return self.select_id(partner_id)

    def _after_write(self, partner_id: int | None = None) -> None:
        """Reload what a write may have changed: the list, the file shown, the follow-ups, the communes."""
        self.refresh_communes()
        self.follow_ups.refresh()
        self._update_follow_ups_toggle()
        if partner_id is not None:
            self.show_partner(partner_id)
        else:
            self.refresh()
        self.partners_changed.emit()

    def reload_changed(self) -> None:
        self.refresh_communes()
        self.follow_ups.refresh()
        self._update_follow_ups_toggle()
        self.refresh()

    def _after_follow_ups_changed(self) -> None:
        self._update_follow_ups_toggle()
        self.refresh()

    def _update_follow_ups_toggle(self) -> None:
        total, late = len(self.follow_ups.rows), self.follow_ups.overdue
        self.follow_ups_toggle.setText(f"À faire ({total})")
        self.follow_ups_toggle.setToolTip(f"{late} en retard" if late else "Aucune action en retard")
        self.follow_ups_toggle.setStyleSheet("QPushButton { color: #b3261e; font-weight: bold; }" if late else "")

    def _on_double_click(self, index: QModelIndex) -> None:
        row = index.data(RowTableModel.RowRole)
        if row is not None and row.archived_on is None:
            self.open_partner_dialog(row.id)

    # -- forms -----------------------------------------------------------------------------------------------------

    def _open(self, dialog: QDialog, partner_id: int | None, done: str) -> None:
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._after_write(partner_id if partner_id is not None
                                                          else getattr(dialog, "saved_id", None)))
        dialog.accepted.connect(lambda: self.hub.tell(done))
        dialog.open()

    def _partner_name(self) -> str:
        return self.panel.detail.partner.name if self.panel.detail is not None else ""

    def open_partner_dialog(self, partner_id: int | None) -> None:
        self._open(PartnerDialog(self._store, partner_id, parent=self), partner_id,
                   "Partenaire enregistré." if partner_id is not None else "Partenaire ajouté au réseau.")

    def open_contact_dialog(self, contact_id: int | None) -> None:
        partner_id = self.panel.partner_id
        if partner_id is not None:
            self._open(ContactDialog(self._store, partner_id, contact_id, partner_name=self._partner_name(),
                                     parent=self), partner_id, f"Interlocuteur enregistré chez {self._partner_name()}.")

    def open_offer_dialog(self, offer_id: int | None) -> None:
        partner_id = self.panel.partner_id
        if partner_id is not None:
            name = self._partner_name()
            self._open(OfferDialog(self._store, partner_id, offer_id, partner_name=name, parent=self), partner_id,
                       f"Offre d'accueil enregistrée chez {name}.")

    def open_visit_dialog(self, partner_id: int) -> None:
        name = self._partner_name()
        self._open(VisitDialog(self._store, partner_id, partner_name=name, parent=self), partner_id,
                   f"Échange avec {name} noté : il figure dans l'historique de sa fiche." if name else
                   "Échange noté : il figure dans l'historique de la fiche.")

    # -- direct actions --------------------------------------------------------------------------------------------

    def _write(self, work: Callable[[Any], None], partner_id: int | None) -> None:
        """One write in its own transaction; a refusal (archived meanwhile…) is said, and nothing changes."""
        try:
            with self._store.transaction() as session:
                work(session)
        except ValidationError as error:
            self.message_box = messages.refusal(self, "Modification impossible", error,
                                                details="Rien n'a été modifié.")
            self._after_write(None)
            return
        self._after_write(partner_id)

    def _confirm(self, title: str, text: str, yes: str, on_yes: Callable[[], None]) -> None:
        self.message_box = messages.confirmation(self, title, text, on_yes, yes=yes)
        self.confirm_button = self.message_box.button(messages.YES)

    def ask_archive_partner(self, partner_id: int) -> None:
        self._confirm("Archiver le partenaire",
                      f"Archiver « {self._partner_name()} » ? Il quittera les listes et les recherches ; vous "
                      "pourrez le restaurer depuis le filtre « Archivés ».", "Archiver",
                      lambda: self._write(lambda s: partner_edits.archive_partner(s, partner_id), None))

    def restore_partner(self, partner_id: int) -> None:
        self.filter_bar.archived_check.setChecked(False)
        self._write(lambda s: partner_edits.restore_partner(s, partner_id), partner_id)

    def ask_archive_contact(self, contact_id: int) -> None:
        partner_id = self.panel.partner_id
        self._confirm("Archiver le contact", "Archiver ce contact ? Il n'apparaîtra plus dans la fiche du "
                      "partenaire.", "Archiver",
                      lambda: self._write(lambda s: contacts.archive_contact(s, contact_id), partner_id))

    def ask_archive_offer(self, offer_id: int) -> None:
        partner_id = self.panel.partner_id
        self._confirm("Archiver l'offre", "Archiver cette offre d'accueil ? Ses places ne seront plus comptées.",
                      "Archiver", lambda: self._write(lambda s: offers.archive_offer(s, offer_id), partner_id))

    def confirm_offer_today(self, offer_id: int) -> None:
        self._write(lambda s: offers.confirm_offer(s, offer_id, date.today()), self.panel.partner_id)

    def complete_follow_up(self, visit_id: int) -> None:
        self._write(lambda s: visits.complete_follow_up(s, visit_id, date.today()), self.panel.partner_id)
