"""The partner's file beside the Partenaires list: its sections, then its contacts, offers and exchanges, each
with the buttons that change them. The panel only asks (signals); the tab opens the forms and calls services."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStyle,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.partners import offers as offers
from poledesk.data.partners.contacts import TrainingAttended
from poledesk.data.partners.listing import ContactLine, OfferLine, PartnerDetail, VisitLine
from poledesk.data.text import format_date, plural
from poledesk.data.validation import format_siret
from poledesk.ui.follow_ups_panel import due_text
from poledesk.ui.forms import ERROR_STYLE, WARNING_STYLE
from poledesk.ui.widgets.detail_panel import EMPTY, yes_no

LABEL_WIDTH = 170
PAGES = ("Fiche", "Contacts", "Offres", "Échanges")
SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard


ITEM_TIPS = {   # the small buttons beside a contact, an offer or a visit of the partner's file
    ("contact", "edit"): "Modifier ce contact", ("contact", "archive"): "Retirer ce contact de la fiche",
    ("offer", "confirm"): "Le partenaire vient de confirmer cette offre : elle date d'aujourd'hui",
    ("offer", "edit"): "Modifier cette offre d'accueil",
    ("offer", "archive"): "Retirer cette offre : ses places ne sont plus comptées",
    ("visit", "done"): "L'action prévue après cet échange est faite",
}


@dataclass(frozen=True, slots=True)
class PartnerFile:
    """What the panel shows: the partner, the trainings its contacts attended (by contact id), and today."""

    partner: PartnerDetail
    trainings: Mapping[int, tuple[TrainingAttended, ...]]
    today: date


def _label(text: str, *, muted: bool = False, style: str = "") -> QLabel:
    # Plain text always: names and notes come from users and imports, never as HTML.
    label = QLabel(text, textFormat=Qt.TextFormat.PlainText, wordWrap=True)
    label.setTextInteractionFlags(SELECTABLE)
    if muted:
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    if style:
        label.setStyleSheet(style)
    return label


def _bold(label: QLabel, scale: float = 1.0) -> QLabel:
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


class PartnerPanel(QWidget):
    """Shows a PartnerFile in four pages (Fiche, Contacts, Offres, Échanges) under its name and main buttons;
    the list tab reads `detail`, `title_label`, `value()` and `text()` as it reads DetailPanel's."""

    edit_requested = Signal(int)                 # partner id
    visit_requested = Signal(int)
    archive_requested = Signal(int)
    restore_requested = Signal(int)
    contact_requested = Signal(object)           # a contact id, or None for a new contact
    contact_archive_requested = Signal(int)
    offer_requested = Signal(object)             # an offer id, or None for a new offer
    offer_archive_requested = Signal(int)
    offer_confirm_requested = Signal(int)
    follow_up_done_requested = Signal(int)       # a visit id

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._placeholder = placeholder
        self.detail: PartnerFile | None = None
        self.item_buttons: dict[tuple[str, int, str], QToolButton] = {}   # ("offer", id, "confirm") -> button
        self._values: dict[tuple[str, str], QLabel] = {}
        self.title_label = _label("")
        self._title_font = _bold(QLabel(), 1.25).font()
        self.subtitle_label = _label("")
        self.visit_button = QPushButton("Noter un échange")
        self.visit_button.setToolTip("Noter une visite, un appel ou un courriel avec ce partenaire, et l'action à "
                                     "mener")
        self.edit_button = QPushButton("Modifier")
        self.edit_button.setToolTip("Modifier la fiche du partenaire")
        self.archive_button = QPushButton("Archiver")
        self.archive_button.setToolTip("Retirer le partenaire des listes et des recherches ; il reste restaurable")
        self.restore_button = QPushButton("Restaurer")
        self.restore_button.setToolTip("Remettre le partenaire archivé dans les listes")
        self.add_contact_button: QPushButton | None = None   # rebuilt with the file's content
        self.add_offer_button: QPushButton | None = None
        self.pages = QTabWidget()
        self.page_areas = {name: QScrollArea(widgetResizable=True) for name in PAGES}
        for name, area in self.page_areas.items():
            area.setFrameShape(QFrame.Shape.NoFrame)
            self.pages.addTab(area, name)
        self._build_layout()
        self._connect()
        self.show_detail(None)

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.visit_button, self.edit_button, self.archive_button, self.restore_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.visit_button.setDefault(True)
        header = QVBoxLayout()
        header.setContentsMargins(4, 0, 4, 4)
        header.addWidget(self.title_label)
        header.addWidget(self.subtitle_label)
        header.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.pages, 1)
        layout.addStretch(0)        # keeps the placeholder at the top while the pages are hidden

    def _connect(self) -> None:
        self.visit_button.clicked.connect(lambda: self._ask(self.visit_requested))
        self.edit_button.clicked.connect(lambda: self._ask(self.edit_requested))
        self.archive_button.clicked.connect(lambda: self._ask(self.archive_requested))
        self.restore_button.clicked.connect(lambda: self._ask(self.restore_requested))

    def _ask(self, signal: SignalInstance) -> None:
        if self.detail is not None:
            signal.emit(self.detail.partner.id)

    @property
    def partner_id(self) -> int | None:
        return self.detail.partner.id if self.detail is not None else None

    # -- showing -------------------------------------------------------------------------------------------------

    def show_detail(self, detail: PartnerFile | None, *, message: str | None = None) -> None:
        """Show a partner's file, or the placeholder (or `message`) when there is none."""
        self.detail = detail
        self._values, self.item_buttons = {}, {}
        self.add_contact_button = self.add_offer_button = None
        archived = detail is not None and detail.partner.archived_on is not None
        for button in (self.visit_button, self.edit_button, self.archive_button):
            button.setVisible(detail is not None and not archived)
        self.restore_button.setVisible(archived)
        self.subtitle_label.setVisible(detail is not None)
        self.pages.setVisible(detail is not None)
        if detail is None:
            self.title_label.setText(message or self._placeholder)
            self.title_label.setFont(self.font())
            self.title_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            for area in self.page_areas.values():
                area.setWidget(QWidget())
            return
        p = detail.partner
        self.title_label.setFont(self._title_font)
        self.title_label.setText(p.name)
        self.title_label.setForegroundRole(QPalette.ColorRole.WindowText)
        status = f"{p.status.label} ({p.status_reason})" if p.status_reason else p.status.label
        if archived:
            status = f"Archivé le {format_date(p.archived_on)} – statut avant l'archivage : {status}"
        self.subtitle_label.setText(status)
        self.subtitle_label.setStyleSheet(WARNING_STYLE if archived else "")
        self._fill_pages(detail, editable=not archived)

    def value(self, section: str, label: str) -> str | None:
        """The text shown for `label` in `section`, or None if the panel shows no such pair."""
        shown = self._values.get((section, label))
        return shown.text() if shown is not None else None

    def text(self) -> str:
        """Everything the panel shows, one label a line (for tests and for copying)."""
        labels = [self.title_label, self.subtitle_label]
        for area in self.page_areas.values():
            content = area.widget()
            labels += content.findChildren(QLabel) if content is not None else []
        return "\n".join(label.text() for label in labels if label.text())

    def _fill_pages(self, file: PartnerFile, *, editable: bool) -> None:
        p, today = file.partner, file.today
        if editable:
            self.add_contact_button = QPushButton("Ajouter un contact")
            self.add_contact_button.setToolTip("Un tuteur, une tutrice ou un interlocuteur chez ce partenaire")
            self.add_contact_button.clicked.connect(lambda: self.contact_requested.emit(None))
            self.add_offer_button = QPushButton("Ajouter une offre")
            self.add_offer_button.setToolTip("Les places que ce partenaire offre, pour quel public et quels mois")
            self.add_offer_button.clicked.connect(lambda: self.offer_requested.emit(None))
        sheet, grid = self._page(None)
        for title, pairs in _sheet(p):
            self._header(grid, title)
            for name, value in pairs:
                self._pair(grid, title, name, _label(value or EMPTY))
        contacts, grid = self._page(_contacts_summary(p), self.add_contact_button)
        for contact in p.contacts:
            self._contact(grid, contact, file.trainings.get(contact.id, ()), editable)
        offered, grid = self._page(_offers_summary(p), self.add_offer_button)
        for offer in p.offers:
            self._offer(grid, offer, today, editable)
        shown = len(p.last_visits)
        exchanges, grid = self._page(plural(p.visits_total, "échange") + (
            f", les {shown} derniers ci-dessous" if p.visits_total > shown else "") if p.visits_total
            else "Aucune visite ni échange pour l'instant.")
        for visit in p.last_visits:
            self._visit(grid, visit, today, editable)
        for name, page in zip(PAGES, (sheet, contacts, offered, exchanges), strict=True):
            self.page_areas[name].setWidget(page)
        stale = any(offers.is_stale(o.last_confirmed_on, today) for o in p.offers)
        late = any(v.next_action_due and not v.next_action_done_on and v.next_action_due < today
                   for v in p.last_visits)
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for position, (text, flagged, tip) in enumerate((
                ("Fiche", False, ""), (f"Contacts ({len(p.contacts)})", False, ""),
                (f"Offres ({len(p.offers)})", stale, "Une offre est à reconfirmer"),
                (f"Échanges ({p.visits_total})", late, "Une action à mener est en retard"))):
            self.pages.setTabText(position, text)
            self.pages.setTabIcon(position, warning if flagged else QIcon())
            self.pages.setTabToolTip(position, tip if flagged else "")

    def _page(self, summary: str | None, button: QPushButton | None = None) -> tuple[QWidget, QGridLayout]:
        """A page: an optional line (summary, button) over a grid of label / value pairs."""
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(6, 6, 6, 6)
        if summary is not None:
            bar = QHBoxLayout()
            bar.addWidget(_label(summary, muted=True), 1)
            if button is not None:
                bar.addWidget(button)
            column.addLayout(bar)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(12)
        column.addLayout(grid)
        column.addStretch(1)
        return page, grid

    def _header(self, grid: QGridLayout, title: str) -> None:
        header = _bold(QLabel(title))
        header.setContentsMargins(0, 10 if grid.count() else 0, 0, 2)
        grid.addWidget(header, grid.rowCount(), 0, 1, 2)

    def _pair(self, grid: QGridLayout, section: str, name: str, shown: QLabel) -> None:
        row = grid.rowCount()
        label = _label(name, muted=True)
        label.setWordWrap(False)            # a wrapped label would squeeze the column; the labels are short
        label.setMaximumWidth(LABEL_WIDTH)
        grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(shown, row, 1, Qt.AlignmentFlag.AlignTop)
        self._values.setdefault((section, name), shown)

    def _item(self, grid: QGridLayout, section: str, name: str, facts: str,
              extra: list[QWidget], actions: list[QToolButton]) -> None:
        """A card over the page's whole width: the name in bold, the facts, warnings, then the actions."""
        card = QFrame(frameShape=QFrame.Shape.StyledPanel)
        column = QVBoxLayout(card)
        column.setContentsMargins(8, 6, 8, 4)
        column.setSpacing(2)
        column.addWidget(_bold(_label(name)))
        facts_label = _label(facts)
        column.addWidget(facts_label)
        for widget in extra:
            column.addWidget(widget)
        if actions:
            row = QHBoxLayout()
            row.setSpacing(2)
            for button in actions:
                row.addWidget(button)
            row.addStretch(1)
            column.addLayout(row)
        grid.addWidget(card, grid.rowCount(), 0, 1, 2)
        self._values.setdefault((section, name), facts_label)

    def _action(self, kind: str, item_id: int, action: str, text: str, signal: SignalInstance) -> QToolButton:
        button = QToolButton(autoRaise=True)
        button.setToolTip(ITEM_TIPS[(kind, action)])
        button.setText(text)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.clicked.connect(lambda: signal.emit(item_id))
        self.item_buttons[(kind, item_id, action)] = button
        return button

    def _contact(self, grid: QGridLayout, c: ContactLine, attended: tuple[TrainingAttended, ...],
                 editable: bool) -> None:
        actions = [self._action("contact", c.id, "edit", "Modifier", self.contact_requested),
                   self._action("contact", c.id, "archive", "Archiver", self.contact_archive_requested)]
        self._item(grid, "Contacts", c.full_name, _contact_facts(c, attended), [], actions if editable else [])

    def _offer(self, grid: QGridLayout, o: OfferLine, today: date, editable: bool) -> None:
        stale = offers.is_stale(o.last_confirmed_on, today)
        extra: list[QWidget] = []
        if stale:
            when = f"confirmée le {format_date(o.last_confirmed_on)}" if o.last_confirmed_on else "jamais confirmée"
            extra.append(self._warning(f"À reconfirmer : {when}"))
        actions = [self._action("offer", o.id, "confirm", "Confirmée aujourd'hui", self.offer_confirm_requested),
                   self._action("offer", o.id, "edit", "Modifier", self.offer_requested),
                   self._action("offer", o.id, "archive", "Archiver", self.offer_archive_requested)]
        self._item(grid, "Offres", o.audience.label, _offer_facts(o, show_confirmed=not stale), extra,
                   actions if editable else [])

    def _visit(self, grid: QGridLayout, v: VisitLine, today: date, editable: bool) -> None:
        extra: list[QWidget] = []
        actions: list[QToolButton] = []
        if v.next_action and v.next_action_done_on:
            extra.append(_label(f"Fait le {format_date(v.next_action_done_on)} : {v.next_action}", muted=True))
        elif v.next_action and v.next_action_due:
            late = v.next_action_due < today
            text = f"À faire : {v.next_action} (échéance {format_date(v.next_action_due)}, " \
                   f"{due_text(v.next_action_due, today)})"
            extra.append(_label(text, style=ERROR_STYLE if late else ""))
            if editable:
                actions.append(self._action("visit", v.id, "done", "Fait", self.follow_up_done_requested))
        title = f"{format_date(v.visited_on)} – {v.kind.label}"
        self._item(grid, "Échanges", title, _visit_facts(v), extra, actions)

    def _warning(self, text: str) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        icon = QLabel()
        size = self.fontMetrics().height()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        row.addWidget(icon)
        row.addWidget(_bold(_label(text, style=WARNING_STYLE)), 1)
        return box


def _contacts_summary(p: PartnerDetail) -> str:
    if not p.contacts:
        return "Aucun contact pour l'instant."
    tutors = sum(1 for c in p.contacts if c.is_tutor)
    trained = sum(1 for c in p.contacts if c.trainings_attended)
    text = plural(len(p.contacts), "contact")
    if tutors:
        text += f", dont {plural(tutors, 'tuteur')}"
        text += f" ({plural(trained, 'formé')})" if trained else " (aucun formé)"
    return text


def _offers_summary(p: PartnerDetail) -> str:
    if not p.offers:
        return "Aucune offre d'accueil pour l'instant."
    return f"{plural(sum(o.places for o in p.offers), 'place')} en tout"


def _sheet(p: PartnerDetail) -> list[tuple[str, list[tuple[str, str]]]]:
    """The read-only sections, in French."""
    framework = ""
    if p.framework_start or p.framework_end:
        framework = f"du {format_date(p.framework_start) or '?'} au {format_date(p.framework_end) or '?'}"
    representative = ", ".join(x for x in (p.representative_name, p.representative_role) if x)
    naf = " – ".join(x for x in (p.naf_code, p.sector) if x)
    return [
        ("Identité", [("SIRET", format_siret(p.siret)), ("Forme juridique", p.legal_kind.label), ("Code NAF", naf),
                      ("Effectif", p.headcount_band.label if p.headcount_band else ""),
                      ("Représentant", representative), ("Assureur", p.insurer),
                      ("Convention-cadre", framework), ("Étiquettes", ", ".join(p.tags)), ("Notes", p.notes)]),
        ("Coordonnées", [("Adresse", "\n".join(x for x in (p.address, f"{p.postcode} {p.commune}".strip()) if x)),
                         ("Téléphone", p.phone), ("Courriel", p.email), ("Site web", p.website)]),
        ("Accueil", [("Situation de handicap", yes_no(p.accepts_disability)),
                     ("Élèves avec un PAI", yes_no(p.accepts_pai)),
                     ("Âge minimum", f"{p.min_age} ans" if p.min_age else ""),
                     ("EPI obligatoires", yes_no(p.requires_protective_equipment)),
                     ("Entretien préalable", yes_no(p.interview_first))]),
    ]


def _contact_facts(c: ContactLine, attended: tuple[TrainingAttended, ...]) -> str:
    facts = [c.role, "tuteur ou tutrice" if c.is_tutor else "", c.phone, c.email]
    if c.trainings_attended:
        titles = "; ".join(f"{t.title} ({format_date(t.session_date)})" for t in attended)
        facts.append(plural(c.trainings_attended, "formation suivie") + (f" : {titles}" if titles else ""))
    if not c.consents_to_contact:
        facts.append("ne souhaite pas être sollicité")
    return "\n".join(f for f in facts if f)


def _offer_facts(o: OfferLine, *, show_confirmed: bool) -> str:
    facts = [plural(o.places, "place"), o.formation or o.sector]
    if o.months:
        facts.append("Mois : " + offers.describe_months(o.months))
    if o.weeks:
        facts.append(f"Semaines : {o.weeks}")
    if o.max_requests_per_month:
        facts.append(f"Au plus {plural(o.max_requests_per_month, 'sollicitation')} par mois")
    facts.append("Réservée à : " + ", ".join(o.reserved_to) if o.reserved_to else "Ouverte à tous les établissements")
    if show_confirmed and o.last_confirmed_on:
        facts.append(f"Confirmée le {format_date(o.last_confirmed_on)}")
    facts.append(o.notes)
    return "\n".join(f for f in facts if f)


def _visit_facts(v: VisitLine) -> str:
    facts = [", ".join(x for x in (v.who, v.contact) if x), v.summary, f"Résultat : {v.outcome}" if v.outcome else ""]
    return "\n".join(f for f in facts if f)
