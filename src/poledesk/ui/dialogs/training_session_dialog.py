"""The training session form: plan a session, correct it, or plan a copy of one on another day."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from poledesk.data import Session
from poledesk.data.db import Store
from poledesk.data.enums import TrainingStatus
from poledesk.data.trainings import edits as training_edits
from poledesk.data.trainings import listing as trainings
from poledesk.data.trainings.edits import SessionForm
from poledesk.ui.forms import DateField, FormDialog, completer_of, fill_combo, select_data

TIME_FORMAT = "HH:mm"
TITLES = {"new": "Nouvelle session de formation", "edit": "Modifier la session", "copy": "Dupliquer la session"}


def time_edit(value: time) -> QTimeEdit:
    edit = QTimeEdit()
    edit.setDisplayFormat(TIME_FORMAT)
    edit.setTime(QTime(value.hour, value.minute))
    return edit


def to_time(value: QTime) -> time:
    return time(value.hour(), value.minute())


class TrainingSessionDialog(FormDialog):
    """Writes a session in one transaction; a refusal is explained under its field and nothing typed is lost.

    With `session_id` it corrects that session; with `copy_of` it plans a new one like it, a week later.
    `saved` carries the session's id.
    """

    def __init__(self, store: Store, *, session_id: int | None = None, copy_of: int | None = None,
                 parent: QWidget | None = None) -> None:
        self.mode = "edit" if session_id is not None else "copy" if copy_of is not None else "new"
        super().__init__(store, TITLES[self.mode], parent, write=self._write)
        self.session_id = session_id
        self._today = date.today()
        self._build_fields()
        self._build_layout()
        self._load(copy_of)

    def _build_fields(self) -> None:
        self.title_edit = QLineEdit(placeholderText="par exemple Accueillir un mineur en entreprise", maxLength=200)
        self.theme_combo = QComboBox(editable=True)
        theme_edit = self.theme_combo.lineEdit()
        assert theme_edit is not None   # an editable combo has its line edit
        theme_edit.setPlaceholderText("par exemple Cadre légal")
        self.date_edit = DateField(self._today)
        self.start_edit, self.end_edit = time_edit(time(9)), time_edit(time(12))
        self.place_edit = QLineEdit(placeholderText="adresse ou salle", maxLength=300)
        self.trainer_edit = QLineEdit(placeholderText="qui anime la session", maxLength=200)
        self.capacity_spin = QSpinBox(minimum=0, maximum=training_edits.MAX_CAPACITY, value=15, suffix=" places")
        self.status_combo = QComboBox()
        fill_combo(self.status_combo, [(s, s.label) for s in TrainingStatus], current=TrainingStatus.PLANNED)
        self.notes_edit = QPlainTextEdit(placeholderText="matériel, accès, contenu…")
        self.notes_edit.setFixedHeight(self.notes_edit.fontMetrics().lineSpacing() * 4 + 12)

    def _build_layout(self) -> None:
        e = self.field
        hours = QWidget()
        row = QHBoxLayout(hours)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.start_edit)
        row.addWidget(QLabel("à"))
        row.addWidget(self.end_edit)
        row.addStretch(1)
        form = QFormLayout()
        for text, widget in (
                ("Intitulé", e("title", self.title_edit)), ("Thème", e("theme", self.theme_combo)),
                ("Date", e("session_date", self.date_edit)), ("Horaires", e("end_time", hours, None, "start_time")),
                ("Lieu", e("place", self.place_edit)), ("Formateur ou formatrice", e("trainer",
                                                                                               self.trainer_edit)),
                ("Capacité", e("capacity", self.capacity_spin)), ("Statut", e("status", self.status_combo)),
                ("Notes", e("notes", self.notes_edit))):
            form.addRow(f"{text} :", widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def _load(self, copy_of: int | None) -> None:
        with self._store.session() as session:
            choices = trainings.session_choices(session)
            form = None
            if self.session_id is not None:
                form = training_edits.session_form(session, self.session_id)
            elif copy_of is not None:
                source = training_edits.session_form(session, copy_of)
                form = training_edits.duplicate_form(session, copy_of, on=training_edits.next_free_day(
                    source.session_date, self._today))
        self.theme_combo.addItems(list(choices.themes))
        self.theme_combo.setCurrentText("")
        completer_of(choices.places, self.place_edit)
        completer_of(choices.trainers, self.trainer_edit)
        if form is not None:
            self.set_form(form)

    def set_form(self, form: SessionForm) -> None:
        self.title_edit.setText(form.title)
        self.theme_combo.setCurrentText(form.theme)
        self.date_edit.set_value(form.session_date)
        self.start_edit.setTime(QTime(form.start_time.hour, form.start_time.minute))
        self.end_edit.setTime(QTime(form.end_time.hour, form.end_time.minute))
        self.place_edit.setText(form.place)
        self.trainer_edit.setText(form.trainer)
        self.capacity_spin.setValue(form.capacity)
        select_data(self.status_combo, form.status.value)
        self.notes_edit.setPlainText(form.notes)

    def form(self) -> SessionForm:
        return SessionForm(
            title=self.title_edit.text(), theme=self.theme_combo.currentText(),
            session_date=self.date_edit.value() or self._today, start_time=to_time(self.start_edit.time()),
            end_time=to_time(self.end_edit.time()), place=self.place_edit.text(), trainer=self.trainer_edit.text(),
            capacity=self.capacity_spin.value(), status=TrainingStatus(self.status_combo.currentData()),
            notes=self.notes_edit.toPlainText())

    def _write(self, session: Session) -> int:
        self.session_id = training_edits.save_session(session, self.form(), self.session_id, today=self._today)
        return self.session_id
