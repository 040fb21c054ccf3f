"""The partner form: every field of a partner in sections, saved by partner_edits.save_partner, with the
duplicate warning answered in place."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QGuiApplication, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from poledesk.data import Session, naf, validation
from poledesk.data.db import Store
from poledesk.data.enums import HeadcountBand, LegalKind, PartnerStatus
from poledesk.data.partners import edits as partner_edits
from poledesk.data.partners.edits import DuplicateWarning, PartnerForm
from poledesk.data.text import plural
from poledesk.ui import messages
from poledesk.ui.forms import (
    HINT_STYLE,
    WARNING_STYLE,
    CommuneFromPostcode,
    DateField,
    FoldingCompleter,
    FormDialog,
    hint_label,
    side_by_side,
)

NO_MIN_AGE = 12    # the spin box's lowest value, shown as "Aucun": the rule allows 13 to 18


def _combo(choices: list[tuple[str, str]], first: str | None = None) -> QComboBox:
    combo = QComboBox()
    if first is not None:
        combo.addItem(first, "")
    for value, label in choices:
        combo.addItem(label, value)
    return combo


def _select(combo: QComboBox, value: str) -> None:
    combo.setCurrentIndex(max(combo.findData(value), 0))


def _align_labels(groups: tuple[QGroupBox, ...]) -> None:
    """One label width for the forms of a column, so that their fields line up from one group to the next."""
    labels = []
    for group in groups:
        form = group.layout()
        assert isinstance(form, QFormLayout)
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if label is not None:
                labels.append(label)
    width = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setMinimumWidth(width)


class PartnerDialog(FormDialog):
    """Create a partner (partner_id None) or edit one; `saved_id` holds its id once saved."""

    def __init__(self, store: Store, partner_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(store, "Nouveau partenaire" if partner_id is None else "Modifier le partenaire", parent,
                         write=self.write)
        self._partner_id = partner_id
        self.duplicate_box: QMessageBox | None = None
        self.save_anyway_button: QAbstractButton | None = None
        self._build_widgets()
        self._build_layout()
        self._connect()
        if partner_id is not None:
            with store.session() as session:
                self.load(partner_edits.partner_form(session, partner_id))
            self.setWindowTitle(f"Modifier « {self.name_edit.text()} »")
        self._on_status_changed()
        self._on_siret_edited()
        self._on_naf_edited()

    # -- widgets ---------------------------------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.name_edit = QLineEdit(placeholderText="Raison sociale ou enseigne")
        self.siret_edit = QLineEdit(placeholderText="14 chiffres, par exemple 732 829 320 00074")
        self.siret_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9 .]{0,20}")))
        self.siret_hint = hint_label()
        self.legal_kind_combo = _combo(LegalKind.choices())
        self.naf_edit = QLineEdit(placeholderText="47.11F, ou l'activité : coiffure…")
        self.naf_completer = FoldingCompleter(self.naf_edit, popup_width=520)
        self.naf_completer.set_items([(f"{e.code} – {e.label}", e.code) for e in naf.all_naf()])
        self.sector_label = hint_label()
        self.headcount_combo = _combo(HeadcountBand.choices(), "Non renseigné")
        self.address_edit = QLineEdit(placeholderText="Numéro et voie")
        self.postcode_edit = QLineEdit(placeholderText="54000", maxLength=5)
        self.postcode_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9AB]{0,5}")))
        self.postcode_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("000000") + 24)
        self.commune_edit = QLineEdit(placeholderText="Commune")
        self.phone_edit = QLineEdit(placeholderText="03 83 00 00 00")
        self.email_edit = QLineEdit(placeholderText="contact@exemple.fr")
        self.website_edit = QLineEdit(placeholderText="www.exemple.fr")
        self.status_combo = _combo(PartnerStatus.choices())
        self.status_reason_edit = QLineEdit()
        self.disability_check = QCheckBox("Accueille des élèves en situation de handicap")
        self.pai_check = QCheckBox("Accueille des élèves avec un PAI")
        self.min_age_spin = QSpinBox(minimum=NO_MIN_AGE, maximum=18, suffix=" ans")
        self.min_age_spin.setSpecialValueText("Aucun")
        self.protective_equipment_check = QCheckBox("Équipements de protection individuelle obligatoires")
        self.interview_check = QCheckBox("Entretien préalable avec l'élève")
        self.representative_name_edit = QLineEdit(placeholderText="Prénom et nom")
        self.representative_role_edit = QLineEdit(placeholderText="Gérant, directrice…")
        self.insurer_edit = QLineEdit(placeholderText="Compagnie et numéro de contrat")
        self.tags_edit = QLineEdit(placeholderText="ex. alternance; BTP")
        self.tags_edit.setToolTip("Séparez les étiquettes par des points-virgules")
        self.framework_start_date = DateField(optional=True)
        self.framework_end_date = DateField(optional=True)
        self.notes_edit = QPlainTextEdit(tabChangesFocus=True)
        self.notes_edit.setPlaceholderText("Ce qu'il faut savoir avant de solliciter ce partenaire")
        self.notes_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)

    def _build_layout(self) -> None:
        left, right = QVBoxLayout(), QVBoxLayout()
        for column, groups in ((left, (self._identity_group(), self._contact_group(), self._notes_group())),
                               (right, (self._status_group(), self._hosting_group(),
                                        self._representative_group()))):
            _align_labels(groups)
            for group in groups:
                column.addWidget(group)
            column.addStretch(1)
        columns = QWidget()
        row = QHBoxLayout(columns)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(left, 1)
        row.addLayout(right, 1)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(columns)
        layout = QVBoxLayout(self)
        layout.addWidget(self.general_error)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self._size_to_screen(columns)

    def _size_to_screen(self, columns: QWidget) -> None:
        wanted = columns.sizeHint()
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else None
        width, height = wanted.width() + 40, wanted.height() + 110     # room for a few error messages
        if available is not None:
            width, height = min(width, int(available.width() * 0.95)), min(height, int(available.height() * 0.9))
        self.resize(max(width, 900), height)

    def _form(self, title: str) -> tuple[QGroupBox, QFormLayout]:
        group = QGroupBox(title)
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        return group, form

    def _identity_group(self) -> QGroupBox:
        group, form = self._form("Identité")
        form.addRow("Nom *", self.field("name", self.name_edit))
        form.addRow("SIRET", self.field("siret", self.siret_edit, self.siret_hint))
        form.addRow("Forme juridique", self.legal_kind_combo)
        form.addRow("Code NAF", self.field("naf_code", self.naf_edit, self.sector_label))
        form.addRow("Effectif", self.headcount_combo)
        return group

    def _contact_group(self) -> QGroupBox:
        group, form = self._form("Coordonnées")
        form.addRow("Adresse", self.address_edit)
        form.addRow("Code postal *", self.field("postcode", side_by_side(self.postcode_edit)))
        form.addRow("Commune *", self.field("commune", self.commune_edit))
        form.addRow("Téléphone", self.field("phone", self.phone_edit))
        form.addRow("Courriel", self.field("email", self.email_edit))
        form.addRow("Site web", self.website_edit)
        return group

    def _status_group(self) -> QGroupBox:
        group, form = self._form("Statut")
        form.addRow("Statut", self.status_combo)
        form.addRow("Motif", self.field("status_reason", self.status_reason_edit))
        return group

    def _hosting_group(self) -> QGroupBox:
        group, form = self._form("Accueil des élèves")
        for check in (self.disability_check, self.pai_check, self.protective_equipment_check,
                      self.interview_check):
            form.addRow(check)
        form.addRow("Âge minimum", self.field("min_age", side_by_side(self.min_age_spin)))
        return group

    def _representative_group(self) -> QGroupBox:
        group, form = self._form("Représentant, assurance, convention-cadre")
        form.addRow("Représentant", self.representative_name_edit)
        form.addRow("Fonction", self.representative_role_edit)
        form.addRow("Assureur", self.insurer_edit)
        dates = side_by_side(self.framework_start_date, hint_label("au"), self.framework_end_date)
        form.addRow("Convention-cadre du", self.field("framework_end", dates, None, "framework_start"))
        self.watch_date("framework_start", self.framework_start_date)
        self.watch_date("framework_end", self.framework_end_date)
        self.period("framework_start", "framework_end")
        return group

    def _notes_group(self) -> QGroupBox:
        group, form = self._form("Étiquettes et notes")
        form.addRow("Étiquettes", self.tags_edit)
        form.addRow("Notes", self.notes_edit)
        return group

    def _connect(self) -> None:
        self.status_combo.currentIndexChanged.connect(self._on_status_changed)
        self.siret_edit.textChanged.connect(self._on_siret_edited)
        self.siret_edit.editingFinished.connect(self._tidy_siret)
        self.naf_edit.textChanged.connect(self._on_naf_edited)
        self.naf_edit.editingFinished.connect(self._tidy_naf)
        self.commune_link = CommuneFromPostcode(self.postcode_edit, self.commune_edit)

    # -- live help -------------------------------------------------------------------------------------------------

    def _on_status_changed(self) -> None:
        needs_reason = self._status() in partner_edits.STATUSES_NEEDING_A_REASON
        self.status_reason_edit.setEnabled(needs_reason)
        self.status_reason_edit.setPlaceholderText(
            "Obligatoire : pourquoi ce statut ?" if needs_reason else "Pour « En pause » ou « Ne plus solliciter »")

    def show_problems(self, problems: Mapping[str, str]) -> None:
        self.siret_hint.setVisible("siret" not in problems)     # the error says it already
        super().show_problems(problems)

    def _on_siret_edited(self) -> None:
        self.siret_hint.show()
        digits = "".join(c for c in self.siret_edit.text() if c.isdigit())
        if not digits:
            text, style = "Facultatif ; la clé de contrôle est vérifiée.", HINT_STYLE
        elif len(digits) < 14:
            text, style = f"{plural(len(digits), 'chiffre')} sur 14", HINT_STYLE
        else:
            try:
                validation.check_siret(digits)
                text, style = "✓ Clé de contrôle correcte", HINT_STYLE
            except validation.InvalidValue as problem:
                text, style = problem.message, WARNING_STYLE
        self.siret_hint.setText(text)
        self.siret_hint.setStyleSheet(style)

    def _tidy_siret(self) -> None:
        self.siret_edit.setText(validation.format_siret(self.siret_edit.text().strip()))

    def _on_naf_edited(self) -> None:
        code = self.naf_edit.text().strip()
        label = naf.naf_label(code)
        section = naf.naf_section(code)
        if label:
            self.sector_label.setText(label)
            self.sector_label.setToolTip(f"Section {section[0]} – {section[1]}" if section else "")
        else:
            self.sector_label.setText("Code inconnu : choisissez dans la liste." if naf.normalise_naf(code) else "")
            self.sector_label.setToolTip("")
        self.sector_label.setVisible(bool(self.sector_label.text()))

    def _tidy_naf(self) -> None:
        normalised = naf.normalise_naf(self.naf_edit.text())
        if normalised and naf.is_known_naf(normalised):
            self.naf_edit.setText(normalised)


    # -- form <-> widgets ------------------------------------------------------------------------------------------

    def _status(self) -> PartnerStatus:
        return PartnerStatus(self.status_combo.currentData())

    def form(self) -> PartnerForm:
        """What the widgets hold, as typed (the service checks and normalises it)."""
        headcount = self.headcount_combo.currentData()
        min_age = self.min_age_spin.value()
        return PartnerForm(
            name=self.name_edit.text(), siret=self.siret_edit.text(),
            legal_kind=LegalKind(self.legal_kind_combo.currentData()), naf_code=self.naf_edit.text().strip(),
            headcount_band=HeadcountBand(headcount) if headcount else None,
            address=self.address_edit.text(), postcode=self.postcode_edit.text(),
            commune=self.commune_edit.text(), phone=self.phone_edit.text(), email=self.email_edit.text(),
            website=self.website_edit.text(), status=self._status(),
            status_reason=self.status_reason_edit.text() if self.status_reason_edit.isEnabled() else "",
            representative_name=self.representative_name_edit.text().strip(),
            representative_role=self.representative_role_edit.text().strip(),
            insurer=self.insurer_edit.text().strip(), accepts_disability=self.disability_check.isChecked(),
            accepts_pai=self.pai_check.isChecked(), min_age=None if min_age == NO_MIN_AGE else min_age,
            requires_protective_equipment=self.protective_equipment_check.isChecked(),
            interview_first=self.interview_check.isChecked(), tags=self.tags_edit.text(),
            notes=self.notes_edit.toPlainText(), framework_start=self.framework_start_date.value(),
            framework_end=self.framework_end_date.value())

    def load(self, form: PartnerForm) -> None:
        for edit, value in ((self.name_edit, form.name), (self.siret_edit, validation.format_siret(form.siret)),
                            (self.naf_edit, form.naf_code), (self.address_edit, form.address),
                            (self.postcode_edit, form.postcode), (self.commune_edit, form.commune),
                            (self.phone_edit, form.phone), (self.email_edit, form.email),
                            (self.website_edit, form.website), (self.status_reason_edit, form.status_reason),
                            (self.representative_name_edit, form.representative_name),
                            (self.representative_role_edit, form.representative_role),
                            (self.insurer_edit, form.insurer), (self.tags_edit, form.tags)):
            edit.setText(value or "")
        _select(self.legal_kind_combo, form.legal_kind.value)
        _select(self.headcount_combo, form.headcount_band.value if form.headcount_band else "")
        _select(self.status_combo, form.status.value)
        self.disability_check.setChecked(form.accepts_disability)
        self.pai_check.setChecked(form.accepts_pai)
        self.min_age_spin.setValue(form.min_age or NO_MIN_AGE)
        self.protective_equipment_check.setChecked(form.requires_protective_equipment)
        self.interview_check.setChecked(form.interview_first)
        self.notes_edit.setPlainText(form.notes)
        self.framework_start_date.set_value(form.framework_start)
        self.framework_end_date.set_value(form.framework_end)

    # -- saving ----------------------------------------------------------------------------------------------------

    def write(self, session: Session, *, allow_duplicate: bool = False) -> int:
        return partner_edits.save_partner(session, self.form(), self._partner_id, allow_duplicate=allow_duplicate)

    def save(self, *, allow_duplicate: bool = False) -> None:
        try:
            self.submit(lambda session: self.write(session, allow_duplicate=allow_duplicate))
        except DuplicateWarning as warning:
            self.show_problems({})
            self._ask_about_duplicates(warning)

    def _ask_about_duplicates(self, warning: DuplicateWarning) -> None:
        lines = "\n".join(f"• {d.name} ({d.commune}) : {d.reason}" for d in warning.duplicates)
        self.duplicate_box = messages.confirmation(
            self, "Partenaire déjà enregistré ?", f"Ce partenaire ressemble à :\n{lines}\n\nL'enregistrer quand même ?",
            lambda: self.save(allow_duplicate=True), yes="Enregistrer quand même", icon=QMessageBox.Icon.Warning)
        self.save_anyway_button = self.duplicate_box.button(messages.YES)
