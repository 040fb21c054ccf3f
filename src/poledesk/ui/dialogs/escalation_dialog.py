"""The escalation form: a school's request for a pupil, with the pupil's minimal data and needs."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from poledesk.data import Session
from poledesk.data.db import Store
from poledesk.data.enums import Audience
from poledesk.data.escalations import context as escalation_context
from poledesk.data.escalations import edits as escalation_edits
from poledesk.data.escalations import listing as escalations
from poledesk.data.escalations.edits import EscalationForm
from poledesk.data.escalations.listing import FormationOption
from poledesk.data.naf import all_sections
from poledesk.data.pupils import age_on
from poledesk.ui.forms import (
    DateField,
    FormDialog,
    enum_data,
    fill_combo,
    select_data,
)

DISCOVERY = (Audience.OBSERVATION_4E_3E, Audience.SECONDE_GT)   # audiences with no trade: the pupil's wish leads
BAD_BIRTH_DATE = "Date de naissance illisible : écrivez-la jj/mm/aaaa, par exemple 14/03/2010."
ADULT = 18


def next_monday(day: date, *, at_least: int = 14) -> date:
    later = day + timedelta(days=at_least)
    return later + timedelta(days=(7 - later.weekday()) % 7)


class EscalationDialog(FormDialog):
    """Records a new escalation or corrects one; a refusal is explained under each field, nothing typed is lost.
    `saved` carries the escalation's id."""

    def __init__(self, store: Store, *, escalation_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(store, "Nouvelle sollicitation" if escalation_id is None else "Modifier la sollicitation",
                         parent, write=self._write)
        self.escalation_id = escalation_id
        self._today = date.today()
        self._build_fields()
        self._build_layout()
        self._load()
        self._connect()
        self._on_audience_changed()
        self._on_pupil_dates_changed()
        self._propose_period()

    def _build_fields(self) -> None:
        self.establishment_combo = QComboBox()
        self.asked_name_edit = QLineEdit(placeholderText="prénom et nom")
        self.asked_role_edit = QLineEdit(placeholderText="par exemple professeur principal, DDFPT")
        self.asked_email_edit = QLineEdit(placeholderText="prenom.nom@ac-nancy-metz.fr")
        self.received_edit = DateField(self._today)
        self.first_name_edit, self.last_name_edit = QLineEdit(), QLineEdit()
        self.birth_edit = DateField(optional=True, unreadable=BAD_BIRTH_DATE)
        self.age_label = QLabel()
        self.class_edit = QLineEdit(placeholderText="par exemple 1re MCV")
        self.representative_name_edit = QLineEdit(placeholderText="prénom et nom")
        self.representative_email_edit = QLineEdit()
        self.representative_phone_edit = QLineEdit()
        self.audience_combo = QComboBox()
        fill_combo(self.audience_combo, [(a, a.label) for a in Audience], current=Audience.PFMP_BACPRO)
        self.formation_combo = QComboBox()
        start = next_monday(self._today)
        self.start_edit, self.end_edit = DateField(start), DateField(start + timedelta(days=25))
        self.commune_edit = QLineEdit(placeholderText="commune de départ")
        self.postcode_edit = QLineEdit(placeholderText="code postal", maxLength=5)
        self.radius_spin = QSpinBox(minimum=0, maximum=200, suffix=" km")
        self.radius_spin.setSpecialValueText("non précisé")
        self.means_edit = QLineEdit(placeholderText="par exemple bus, vélo, accompagné par un parent")
        self.accessibility_check = QCheckBox("Handicap : accueil adapté nécessaire")
        self.pai_check = QCheckBox("PAI (projet d'accueil individualisé)")
        self.needs_edit = QLineEdit(placeholderText="en quelques mots, sans détail de santé", maxLength=300)
        self.wished_combo = QComboBox()
        self.wished_combo.setToolTip("Le secteur que l'élève aimerait découvrir : les candidats de ce secteur "
                                     "passent devant")
        fill_combo(self.wished_combo, list(all_sections().items()), none_text="Indifférent")
        self.period_note = QLabel(wordWrap=True)
        self.period_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._formations: list[FormationOption] = []
        self._dates_chosen = False     # once the user types a date, the establishment no longer moves it

    def _build_layout(self) -> None:
        e = self.field
        self._wished_row = e("wished_sectors", self.wished_combo)
        request = _form_box("La demande", (
            ("Établissement", e("establishment", self.establishment_combo)),
            ("Demandée par", self.asked_name_edit), ("Fonction", self.asked_role_edit),
            ("Courriel", e("asked_by_email", self.asked_email_edit)),
            ("Reçue le", e("received_on", self.received_edit))))
        birth = QWidget()
        birth_row = QHBoxLayout(birth)
        birth_row.setContentsMargins(0, 0, 0, 0)
        birth_row.addWidget(self.birth_edit)
        birth_row.addWidget(self.age_label, 1)
        self.age_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        pupil = _form_box("L'élève", (
            ("Prénom", e("pupil_first_name", self.first_name_edit)),
            ("Nom", e("pupil_last_name", self.last_name_edit)),
            ("Date de naissance", e("pupil_birth_date", birth)), ("Classe", self.class_edit)))
        self.representative_box = _form_box("Représentant légal (élève mineur)", (
            ("Nom", self.representative_name_edit),
            ("Courriel", e("representative_email", self.representative_email_edit)),
            ("Téléphone", e("representative_phone", self.representative_phone_edit))))
        wanted = _form_box("Le stage recherché", (
            ("Public", self.audience_combo), ("Formation", e("formation", self.formation_combo)),
            ("Début de la période", e("period_start", self.start_edit)),
            ("Fin de la période", e("period_end", self.end_edit)), ("", self.period_note),
            ("Secteur souhaité", self._wished_row)))
        self._wanted_form = wanted.layout()
        place = QWidget()
        place_row = QHBoxLayout(place)
        place_row.setContentsMargins(0, 0, 0, 0)
        place_row.addWidget(self.postcode_edit)
        place_row.addWidget(self.commune_edit, 1)
        self.postcode_edit.setMaximumWidth(self.postcode_edit.fontMetrics().horizontalAdvance("000000") + 60)
        needs = _form_box("Les besoins", (
            ("Depuis", e("mobility_postcode", place)),
            ("Rayon de mobilité", e("mobility_radius_km", self.radius_spin)),
            ("Moyens de transport", self.means_edit), ("", self.accessibility_check), ("", self.pai_check),
            ("Précisions", self.needs_edit)))
        columns = QGridLayout()
        columns.setHorizontalSpacing(16)
        for column, boxes in enumerate(((request, pupil, self.representative_box), (wanted, needs))):
            stack = QVBoxLayout()
            for box in boxes:
                stack.addWidget(box)
            stack.addStretch(1)
            columns.addLayout(stack, 0, column)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(960)
        self.watch_date("pupil_birth_date", self.birth_edit)
        self.period("period_start", "period_end")

    def _connect(self) -> None:
        self.establishment_combo.activated.connect(lambda _index: self._on_establishment_chosen())
        self.audience_combo.activated.connect(lambda _index: self._propose_period())
        self.start_edit.line_edit.textEdited.connect(self._on_dates_typed)
        self.end_edit.line_edit.textEdited.connect(self._on_dates_typed)
        self.audience_combo.currentIndexChanged.connect(self._on_audience_changed)
        self.formation_combo.currentIndexChanged.connect(self._on_formation_changed)
        self.birth_edit.changed.connect(self._on_pupil_dates_changed)
        self.start_edit.changed.connect(self._on_pupil_dates_changed)

    def _load(self) -> None:
        with self._store.session() as session:
            schools = escalations.establishment_choices(session, owner=self._store.owner)
            self._formations = escalations.formation_options(session)
            form = escalations.escalation_form(session, self.escalation_id) if self.escalation_id else None
        fill_combo(self.establishment_combo, [(c.id, c.label) for c in schools], none_text="Choisir…")
        if form is not None:
            self.set_form(form)

    def set_form(self, form: EscalationForm) -> None:
        """Show a recorded escalation's values in the fields."""
        select_data(self.establishment_combo, form.establishment_id)
        for edit, value in ((self.asked_name_edit, form.asked_by_name), (self.asked_role_edit, form.asked_by_role),
                            (self.asked_email_edit, form.asked_by_email), (self.first_name_edit, form.pupil_first_name),
                            (self.last_name_edit, form.pupil_last_name), (self.class_edit, form.pupil_class),
                            (self.representative_name_edit, form.representative_name),
                            (self.representative_email_edit, form.representative_email),
                            (self.representative_phone_edit, form.representative_phone),
                            (self.commune_edit, form.mobility_commune), (self.postcode_edit, form.mobility_postcode),
                            (self.means_edit, form.mobility_means), (self.needs_edit, form.needs)):
            edit.setText(value)
        self.birth_edit.set_value(form.pupil_birth_date)
        self.received_edit.set_value(form.received_on)
        self.start_edit.set_value(form.period_start)
        self.end_edit.set_value(form.period_end)
        select_data(self.audience_combo, form.audience)
        self._on_audience_changed()
        select_data(self.formation_combo, form.formation_id)
        self.radius_spin.setValue(form.mobility_radius_km or 0)
        self.accessibility_check.setChecked(form.needs_accessibility)
        self.pai_check.setChecked(form.needs_pai)
        select_data(self.wished_combo, form.wished_sectors[0] if form.wished_sectors else None)
        self._dates_chosen = True      # a recorded period is never moved by a change of establishment

    def _on_audience_changed(self) -> None:
        audience = enum_data(self.audience_combo, Audience)
        fill_combo(self.formation_combo, [(f.id, f.label) for f in self._formations if f.audience is audience],
                   none_text="Formation non précisée")
        discovery = audience in DISCOVERY
        if isinstance(self._wanted_form, QFormLayout):
            self._wanted_form.setRowVisible(self._wished_row, discovery)
        if not discovery:
            select_data(self.wished_combo, None)

    def _on_establishment_chosen(self) -> None:
        """The audience follows the school's kind (a collège asks for the 3e observation), then the period."""
        establishment_id = self.establishment_combo.currentData()
        if establishment_id is None:
            return
        with self._store.session() as session:
            audience = escalation_context.audience_for(session, establishment_id)
        if audience is not None and audience is not enum_data(self.audience_combo, Audience):
            select_data(self.audience_combo, audience)
        self._propose_period()

    def _on_dates_typed(self) -> None:
        self._dates_chosen = True
        self.period_note.clear()

    def _propose_period(self) -> None:
        """Dates from the school's planned periods, or school weeks clear of holidays, until the user types some."""
        audience = enum_data(self.audience_combo, Audience)
        if self._dates_chosen or audience is None:
            return
        with self._store.session() as session:
            proposed = escalation_context.default_period(session, self.establishment_combo.currentData(), audience,
                                                         today=self._today)
        self.start_edit.set_value(proposed.start)
        self.end_edit.set_value(proposed.end)
        self.period_note.setText(proposed.source)
        if proposed.formation_id is not None and self.formation_combo.currentData() is None:
            select_data(self.formation_combo, proposed.formation_id)

    def _on_formation_changed(self) -> None:
        chosen = next((f for f in self._formations if f.id == self.formation_combo.currentData()), None)
        if chosen is not None and chosen.audience is not enum_data(self.audience_combo, Audience):
            select_data(self.audience_combo, chosen.audience)

    def _on_pupil_dates_changed(self) -> None:
        """The age at the period's start, and the representative's fields for a minor (or an unknown age)."""
        born, start = self.birth_edit.value(), self.start_edit.value()
        age = age_on(born, start) if born and start else None
        self.age_label.setText(f"{age} ans au début de la période" if age is not None else "")
        self.representative_box.setVisible(age is None or age < ADULT)

    def form(self) -> EscalationForm:
        """The fields as a form (the dates were checked readable before; the service checks the rest)."""
        minor = self.representative_box.isVisibleTo(self)
        return EscalationForm(
            establishment_id=self.establishment_combo.currentData() or 0,
            pupil_last_name=self.last_name_edit.text(), pupil_first_name=self.first_name_edit.text(),
            pupil_birth_date=self.birth_edit.value(),
            audience=enum_data(self.audience_combo, Audience) or Audience.PFMP_BACPRO,
            period_start=self.start_edit.value() or self._today, period_end=self.end_edit.value() or self._today,
            received_on=self.received_edit.value() or self._today, formation_id=self.formation_combo.currentData(),
            pupil_class=self.class_edit.text(),
            representative_name=self.representative_name_edit.text() if minor else "",
            representative_email=self.representative_email_edit.text() if minor else "",
            representative_phone=self.representative_phone_edit.text() if minor else "",
            asked_by_name=self.asked_name_edit.text(), asked_by_role=self.asked_role_edit.text(),
            asked_by_email=self.asked_email_edit.text(), mobility_commune=self.commune_edit.text(),
            mobility_postcode=self.postcode_edit.text().strip(), mobility_radius_km=self.radius_spin.value() or None,
            mobility_means=self.means_edit.text(), needs_accessibility=self.accessibility_check.isChecked(),
            needs_pai=self.pai_check.isChecked(), needs=self.needs_edit.text(),
            wished_sectors=(self.wished_combo.currentData(),) if self.wished_combo.currentData() else ())

    def _write(self, session: Session) -> int:
        self.escalation_id = escalation_edits.save_escalation(session, self.form(), self.escalation_id,
                                                              owner=self._store.owner, today=date.today())
        return self.escalation_id


def _form_box(title: str, rows: tuple[tuple[str, QWidget], ...]) -> QGroupBox:
    box = QGroupBox(title)
    form = QFormLayout(box)
    for text, widget in rows:
        form.addRow(f"{text} :" if text else "", widget)
    return box
