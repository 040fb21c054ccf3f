"""The establishment form: a school's identity, address, pole referent, and its formations with their pupils."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from poledesk.data import Session
from poledesk.data.db import Store
from poledesk.data.enums import EstablishmentKind, PriorityEducation
from poledesk.data.establishments import edits as establishment_edits
from poledesk.data.establishments.edits import EstablishmentForm
from poledesk.data.text import school_year_of
from poledesk.data.validation import ValidationError
from poledesk.ui.dialogs.form_parts import CommuneFromPostcode, FormDialog, hint_label
from poledesk.ui.dialogs.pupil_counts_editor import Counts, PupilCountsEditor

TEXT_FIELDS = ("uai", "name", "address", "postcode", "commune", "phone", "email", "head_name", "referent_name",
               "referent_role", "referent_email", "referent_phone")


class EstablishmentDialog(FormDialog):
    """Create an establishment (establishment_id None) or edit one; `saved_id` holds its id once saved.

    The establishment and its pupil counts (every school year shown) are written in one transaction: a problem
    anywhere writes nothing and is shown at its field.
    """

    def __init__(self, store: Store, establishment_id: int | None = None, *, today: date | None = None,
                 parent: QWidget | None = None) -> None:
        title = "Nouvel établissement" if establishment_id is None else "Modifier l'établissement"
        super().__init__(store, title, parent)
        self._establishment_id = establishment_id
        with store.session() as session:
            formations = establishment_edits.list_formations(session)
            form = (establishment_edits.establishment_form(session, establishment_id)
                    if establishment_id is not None else None)
        self._build_widgets()
        self.counts_editor = PupilCountsEditor(formations, self._recorded_counts,
                                               current_year=school_year_of(today or date.today()))
        self._build_layout()
        self._connect()
        if form is not None:
            self.load(form)
            self.setWindowTitle(f"Modifier « {form.name} »")

    def _build_widgets(self) -> None:
        self.uai_edit = QLineEdit(placeholderText="0540038Y", maxLength=10)
        self.uai_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9A-Za-z ]{0,10}")))
        self.uai_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("00000000000") + 24)
        self.name_edit = QLineEdit(placeholderText="par exemple Lycée professionnel Jean-Prouvé")
        self.kind_combo = _combo(EstablishmentKind)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(EstablishmentForm(uai="", name="").kind.value))
        self.priority_combo = _combo(PriorityEducation)
        self.head_name_edit = QLineEdit(placeholderText="prénom et nom")
        self.address_edit = QLineEdit()
        self.postcode_edit = QLineEdit(placeholderText="54000", maxLength=5)
        self.postcode_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9AB]{0,5}")))
        self.postcode_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("000000") + 24)
        self.commune_edit = QLineEdit(placeholderText="Commune")
        self.phone_edit = QLineEdit(placeholderText="03 83 00 00 00")
        self.email_edit = QLineEdit(placeholderText="ce.0540038y@ac-nancy-metz.fr")
        self.referent_name_edit = QLineEdit(placeholderText="prénom et nom")
        self.referent_role_edit = QLineEdit(placeholderText="par exemple DDFPT")
        self.referent_email_edit = QLineEdit()
        self.referent_phone_edit = QLineEdit()

    def _build_layout(self) -> None:
        width = self.fontMetrics().horizontalAdvance("Code postal, commune *") + 8   # one label column on the left
        identity = _form_box("Identité", (
            ("UAI *", self.field("uai", self.uai_edit, hint_label("7 chiffres et la lettre de contrôle"))),
            ("Nom *", self.field("name", self.name_edit)), ("Type", self.kind_combo),
            ("Éducation prioritaire", self.priority_combo), ("Chef d'établissement", self.head_name_edit)), width)
        place = QWidget()
        place_row = QHBoxLayout(place)
        place_row.setContentsMargins(0, 0, 0, 0)
        place_row.addWidget(self.field("postcode", self.postcode_edit), 0, Qt.AlignmentFlag.AlignTop)
        place_row.addWidget(self.field("commune", self.commune_edit), 1, Qt.AlignmentFlag.AlignTop)
        contact = _form_box("Coordonnées", (
            ("Adresse", self.address_edit), ("Code postal, commune *", place),
            ("Téléphone", self.field("phone", self.phone_edit)),
            ("Courriel", self.field("email", self.email_edit))), width)
        referent = _form_box("Référent du pôle (DDFPT ou autre)", (
            ("Nom", self.referent_name_edit), ("Fonction", self.referent_role_edit),
            ("Courriel", self.field("referent_email", self.referent_email_edit)),
            ("Téléphone", self.field("referent_phone", self.referent_phone_edit))), width)
        formations = QGroupBox("Formations et effectifs")
        QVBoxLayout(formations).addWidget(self.field("pupil_counts", self.counts_editor))
        left = QVBoxLayout()
        for box in (identity, contact, referent):
            left.addWidget(box)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addLayout(left, 5)
        columns.addWidget(formations, 6)
        layout = QVBoxLayout(self)
        layout.addWidget(self.general_error)
        layout.addLayout(columns, 1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(1100)

    def _connect(self) -> None:
        self.commune_link = CommuneFromPostcode(self.postcode_edit, self.commune_edit)

    # -- values ---------------------------------------------------------------------------------------------------

    def load(self, form: EstablishmentForm) -> None:
        """Show a recorded establishment's values in the fields."""
        for name in TEXT_FIELDS:
            getattr(self, f"{name}_edit").setText(getattr(form, name))
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(form.kind.value), 0))
        self.priority_combo.setCurrentIndex(max(self.priority_combo.findData(form.priority_education.value), 0))

    def form(self) -> EstablishmentForm:
        texts = {name: getattr(self, f"{name}_edit").text() for name in TEXT_FIELDS}
        return EstablishmentForm(**texts, kind=EstablishmentKind(self.kind_combo.currentData()),
                                 priority_education=PriorityEducation(self.priority_combo.currentData()))

    def write(self, session: Session) -> int:
        table_problems = self.counts_editor.problems()
        try:
            saved = establishment_edits.save_establishment(session, self.form(), self._establishment_id)
        except ValidationError as error:
            raise ValidationError({**error.problems, **table_problems}) from None
        if table_problems:
            raise ValidationError(table_problems)   # the establishment's flush rolls back with the transaction
        for year, counts in self.counts_editor.counts_by_year().items():
            try:
                establishment_edits.set_pupil_counts(session, saved, year, counts)
            except ValidationError as error:
                raise ValidationError({"pupil_counts": " ".join(error.problems.values())}) from None
        return saved

    def show_problems(self, problems: dict[str, str]) -> None:
        super().show_problems(problems)
        self._grow_to_fit()

    def _grow_to_fit(self) -> None:
        """Messages under the fields take lines: grow the dialog so that none is cut (within the screen)."""
        layout = self.layout()
        layout.activate()
        needed = (layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth()
                  else layout.totalSizeHint().height())
        screen = self.screen()
        if screen is not None:
            needed = min(needed, screen.availableGeometry().height() - 40)
        if needed > self.height():
            self.resize(self.width(), needed)

    def _recorded_counts(self, school_year: str) -> Counts:
        if self._establishment_id is None:
            return {}
        with self._store.session() as session:
            return establishment_edits.pupil_counts(session, self._establishment_id, school_year)

    # -- postcode and commune ------------------------------------------------------------------------------------------



def _combo(choices: type[EstablishmentKind] | type[PriorityEducation]) -> QComboBox:
    """The enum's labels; each item's data is the member's value (a plain str crosses Qt unchanged)."""
    combo = QComboBox()
    for member in choices:
        combo.addItem(member.label, member.value)
    return combo


def _form_box(title: str, rows: tuple[tuple[str, QWidget], ...], label_width: int) -> QGroupBox:
    """A titled form whose labels take `label_width`, so that the boxes stacked in a column line up."""
    box = QGroupBox(title)
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    for text, widget in rows:
        label = QLabel(text)
        label.setMinimumWidth(label_width)
        form.addRow(label, widget)
    return box
