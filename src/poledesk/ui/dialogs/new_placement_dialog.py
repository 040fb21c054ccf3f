"""A placement found without an escalation: pick the school, the pupil (or enter a new one) and the host first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from poledesk.data import Session, pupils
from poledesk.data.db import Store
from poledesk.data.enums import Audience
from poledesk.data.escalations import listing as escalations
from poledesk.data.partners import listing as partners
from poledesk.data.placements import form as placements
from poledesk.data.placements.form import PlacementForm
from poledesk.data.pupils import PupilForm
from poledesk.data.validation import ValidationError
from poledesk.ui.dialogs.escalation_dialog import BAD_BIRTH_DATE, next_monday
from poledesk.ui.forms import DateField, FormDialog, enum_data, fill_combo

PARTNERS_SHOWN = 50
SEARCH_DELAY_MS = 200
PARTNER_ROLE = 256   # Qt.ItemDataRole.UserRole


@dataclass(frozen=True, slots=True)
class PlacementStart:
    """What the first step chose: the placement's form to complete, and a pupil to record with it, if new."""

    form: PlacementForm
    new_pupil: PupilForm | None


class NewPlacementDialog(FormDialog):
    """The first step of « Nouveau stage »; `chosen` hands the rest to the placement form (nothing is written yet)."""

    chosen = Signal(object)   # a PlacementStart

    def __init__(self, store: Store, *, parent: QWidget | None = None) -> None:
        super().__init__(store, "Nouveau stage", parent, write=self._checked, save_text="Continuer…")
        self.next_button = self.save_button
        self.establishment_combo = QComboBox()
        self.known_radio = QRadioButton("Un élève déjà enregistré")
        self.new_radio = QRadioButton("Un nouvel élève")
        self.pupil_group = QButtonGroup(self)
        self.pupil_combo = QComboBox()
        self.first_name_edit, self.last_name_edit = QLineEdit(), QLineEdit()
        self.birth_edit = DateField(optional=True, unreadable=BAD_BIRTH_DATE)
        self.class_edit = QLineEdit(placeholderText="par exemple 2nde 3")
        self.representative_name_edit = QLineEdit(placeholderText="si l'élève est mineur")
        self.representative_email_edit, self.representative_phone_edit = QLineEdit(), QLineEdit()
        self.partner_search_edit = QLineEdit(placeholderText="Rechercher la structure (nom, commune, SIRET)…",
                                             clearButtonEnabled=True)
        self.partner_list = QListWidget()
        self.audience_combo = QComboBox()
        fill_combo(self.audience_combo, [(a, a.label) for a in Audience], current=Audience.PFMP_BACPRO)
        start = next_monday(date.today())
        self.start_edit, self.end_edit = DateField(start), DateField(start + timedelta(days=11))
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._build_layout()
        self._connect()
        with store.session() as session:
            schools = escalations.establishment_choices(session, owner=store.owner)
        fill_combo(self.establishment_combo, [(c.id, c.label) for c in schools], none_text="Choisir…")
        self.known_radio.setChecked(True)
        self.search_partners()

    def _build_layout(self) -> None:
        e = self.field
        for radio in (self.known_radio, self.new_radio):
            self.pupil_group.addButton(radio)
        self.new_pupil_fields = QWidget()
        new_form = QFormLayout(self.new_pupil_fields)
        new_form.setContentsMargins(24, 0, 0, 0)
        for text, widget in (("Prénom", e("first_name", self.first_name_edit)),
                             ("Nom", e("last_name", self.last_name_edit)),
                             ("Date de naissance", e("birth_date", self.birth_edit)), ("Classe", self.class_edit),
                             ("Représentant légal", self.representative_name_edit),
                             ("Courriel du représentant",
                              e("representative_email", self.representative_email_edit)),
                             ("Téléphone du représentant",
                              e("representative_phone", self.representative_phone_edit))):
            new_form.addRow(f"{text} :", widget)
        pupil_box = QGroupBox("L'élève")
        pupil_layout = QVBoxLayout(pupil_box)
        school = QFormLayout()
        school.addRow("Établissement :", e("establishment", self.establishment_combo))
        pupil_layout.addLayout(school)
        pupil_layout.addWidget(self.known_radio)
        pupil_layout.addWidget(e("pupil", self.pupil_combo))
        pupil_layout.addWidget(self.new_radio)
        pupil_layout.addWidget(self.new_pupil_fields)
        pupil_layout.addStretch(1)
        host_box = QGroupBox("La structure d'accueil et la période")
        host_layout = QVBoxLayout(host_box)
        host_layout.addWidget(self.partner_search_edit)
        host_layout.addWidget(QLabel(f"Les {PARTNERS_SHOWN} premiers partenaires trouvés, par nom :"))
        host_layout.addWidget(e("partner", self.partner_list), 1)
        period = QFormLayout()
        period.addRow("Public :", self.audience_combo)
        period.addRow("Du :", e("start_date", self.start_edit))
        period.addRow("Au :", e("end_date", self.end_edit))
        self.period("start_date", "end_date")
        host_layout.addLayout(period)
        columns = QHBoxLayout()
        columns.addWidget(pupil_box, 1)
        columns.addWidget(host_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.resize(980, 560)

    def _connect(self) -> None:
        self.establishment_combo.currentIndexChanged.connect(self._fill_pupils)
        self.pupil_group.buttonToggled.connect(lambda *_: self._on_pupil_choice())
        self.partner_search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self._search_timer.timeout.connect(self.search_partners)
        self.saved.connect(self.chosen.emit)

    def _fill_pupils(self) -> None:
        school_id = self.establishment_combo.currentData()
        with self._store.session() as session:
            choices = pupils.pupil_choices(session, school_id) if school_id else []
        fill_combo(self.pupil_combo, [(c.id, c.label) for c in choices], none_text="Choisir…")

    def _on_pupil_choice(self) -> None:
        self.pupil_combo.setEnabled(self.known_radio.isChecked())
        self.new_pupil_fields.setEnabled(self.new_radio.isChecked())

    def search_partners(self) -> None:
        with self._store.session() as session:
            found = partners.search_partners(session, self.partner_search_edit.text().strip(), limit=PARTNERS_SHOWN)
        self.partner_list.clear()
        for row in found:
            item = QListWidgetItem(f"{row.name} – {row.postcode} {row.commune}".strip())
            item.setData(PARTNER_ROLE, row.id)
            self.partner_list.addItem(item)

    def new_pupil(self) -> PupilForm:
        return PupilForm(establishment_id=self.establishment_combo.currentData() or 0,
                         last_name=self.last_name_edit.text(), first_name=self.first_name_edit.text(),
                         birth_date=self.birth_edit.value(), class_name=self.class_edit.text(),
                         representative_name=self.representative_name_edit.text(),
                         representative_email=self.representative_email_edit.text(),
                         representative_phone=self.representative_phone_edit.text())

    def _checked(self, session: Session) -> PlacementStart:
        """Check the choices (and a new pupil's fields) without writing; `chosen` then hands them to the placement
        form, which writes the pupil and the placement in one transaction."""
        school_id = self.establishment_combo.currentData()
        item = self.partner_list.currentItem()
        start, end = self.start_edit.value() or date.today(), self.end_edit.value() or date.today()
        problems: dict[str, str] = {}
        new_pupil = self.new_pupil() if self.new_radio.isChecked() else None
        if new_pupil is not None:
            problems.update(pupils.check_pupil(session, new_pupil, owner=self._store.owner, on=start))
        elif not school_id:
            problems["establishment"] = "Choisissez un établissement du pôle."
        elif self.pupil_combo.currentData() is None:
            problems["pupil"] = "Choisissez l'élève, ou saisissez un nouvel élève."
        if item is None:
            problems["partner"] = "Choisissez la structure d'accueil dans la liste."
        if end < start:
            problems["end_date"] = "La fin de la période ne peut pas précéder son début."
        if problems:
            raise ValidationError(problems)
        partner_id = item.data(PARTNER_ROLE)
        tutors = placements.tutors_of(session, partner_id)
        form = PlacementForm(pupil_id=self.pupil_combo.currentData() if new_pupil is None else 0,
                             establishment_id=school_id, partner_id=partner_id,
                             audience=enum_data(self.audience_combo, Audience) or Audience.PFMP_BACPRO,
                             start_date=start, end_date=end,
                             tutor_id=tutors[0][0] if tutors else None)
        return PlacementStart(form, new_pupil)
