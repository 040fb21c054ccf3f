"""The placement form: tutor, referent, dates, weekly timetable, activities, annexe financière, and the rules live."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from poledesk.data import Session, pupils
from poledesk.data.conventions import facts as convention_data
from poledesk.data.conventions import rules as rules
from poledesk.data.conventions import versions as paper_versions
from poledesk.data.conventions.document import ConventionDocument
from poledesk.data.conventions.rules import ConventionFacts, Finding
from poledesk.data.conventions.versions import PaperState
from poledesk.data.db import Store
from poledesk.data.enums import Audience
from poledesk.data.escalations import edits as escalation_edits
from poledesk.data.placements import form as placements
from poledesk.data.placements import listing as placement_list
from poledesk.data.placements.form import PlacementForm
from poledesk.data.placements.listing import PlacementContext
from poledesk.data.pupils import PupilForm
from poledesk.data.text import format_date, plural
from poledesk.ui.forms import (
    DateField,
    FormDialog,
    enum_data,
    fill_combo,
    select_data,
)
from poledesk.ui.widgets.timetable_editor import TimetableEditor

BLOCKING_COLOUR, WARNING_COLOUR, FINE_COLOUR = QColor("#b3261e"), QColor("#a04f00"), QColor("#1e6b34")
DRAFT_NOTICE = ("Vous pouvez enregistrer ce stage : il reste un brouillon, mais la convention ne pourra pas être "
                "imprimée tant que les points en rouge ne sont pas réglés.")
PAPER_STYLE = "color: #8a4300; font-weight: bold;"
TEXT_FIELDS = ("referent_teacher_name", "referent_teacher_email", "site_address", "meals", "transport",
               "accommodation", "gratification")


class PlacementDialog(FormDialog):
    """Creates or edits a placement. With `proposal_id`, saving accepts the proposal: the placement is created and
    the escalation « Placé » in one transaction. With `new_pupil`, the pupil is recorded in that transaction too.
    Blocking findings do not stop a save (a draft), but the form says what they will stop. `saved` carries the
    placement's id."""

    def __init__(self, store: Store, form: PlacementForm, *, proposal_id: int | None = None,
                 placement_id: int | None = None, new_pupil: PupilForm | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(store, "", parent, write=self._write,
                         save_text="Accepter et créer le stage" if proposal_id is not None else "Enregistrer")
        self._proposal_id, self.placement_id = proposal_id, placement_id
        self._new_pupil, self._given = new_pupil, form
        self.findings: list[Finding] = []
        self._facts: ConventionFacts | None = None
        self.replaced: PaperState | None = None    # after a save that made the printed paper obsolete
        with store.session() as session:
            # A printed convention: the paper the parties hold stops matching once a printed term changes.
            self.paper = paper_versions.paper_state(session, placement_id) if placement_id is not None else None
            self.context: PlacementContext = placement_list.placement_context(
                session, form, placement_id=placement_id,
                pupil_name=f"{new_pupil.first_name} {new_pupil.last_name}" if new_pupil else "",
                birth_date=new_pupil.birth_date if new_pupil else None,
                pupil_class=new_pupil.class_name if new_pupil else "")
        self.setWindowTitle(self._title())
        self._build_fields()
        self._build_layout()
        self.set_form(form)
        self._connect()
        self.refresh_facts()

    def _title(self) -> str:
        if self._proposal_id is not None:
            return f"Accepter et créer le stage chez {self.context.partner}"
        return "Nouveau stage" if self.placement_id is None else f"Stage de {self.context.pupil}"

    def _build_fields(self) -> None:
        self.header_label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.paper_label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.paper_label.setStyleSheet(PAPER_STYLE)
        self.paper_label.setVisible(self.paper is not None)
        self.audience_combo, self.formation_combo, self.tutor_combo = QComboBox(), QComboBox(), QComboBox()
        fill_combo(self.audience_combo, [(a, a.label) for a in Audience])
        self.start_edit, self.end_edit = DateField(date.today()), DateField(date.today())
        self.referent_teacher_name_edit = QLineEdit(placeholderText="prénom et nom")
        self.referent_teacher_email_edit = QLineEdit()
        self.site_address_edit = QLineEdit(placeholderText="si le stage n'a pas lieu au siège")
        self.family_business_check = QCheckBox("Entreprise familiale (élève de moins de 14 ans)")
        self.activities_edit, self.skills_edit = _text_box(), _text_box()
        self.meals_edit = QLineEdit(placeholderText="par exemple : repas pris au restaurant d'entreprise")
        self.transport_edit, self.accommodation_edit = QLineEdit(), QLineEdit()
        self.gratification_edit = QLineEdit(placeholderText="due au-delà de deux mois chez le même organisme")
        self.timetable_editor = TimetableEditor()
        self.summary_label = QLabel(wordWrap=True)
        self.findings_list = QListWidget()
        self.findings_list.setWordWrap(True)
        self.findings_list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.notice_label = QLabel(DRAFT_NOTICE, wordWrap=True)
        self.notice_label.setStyleSheet(f"color: {BLOCKING_COLOUR.name()};")

    def _build_layout(self) -> None:
        e = self.field
        stage = _form_box("Le stage", (
            ("Public", self.audience_combo), ("Formation", self.formation_combo),
            ("Du", e("start_date", self.start_edit)), ("Au", e("end_date", self.end_edit)),
            ("Tuteur ou tutrice", e("tutor", self.tutor_combo)),
            ("Enseignant référent", self.referent_teacher_name_edit),
            ("Courriel du référent", e("referent_teacher_email", self.referent_teacher_email_edit)),
            ("Lieu du stage", self.site_address_edit), ("", self.family_business_check)))
        annex = _form_box("Annexe pédagogique", (("Activités", self.activities_edit),
                                                  ("Compétences visées", self.skills_edit)))
        money = _form_box("Annexe financière", (
            ("Repas", self.meals_edit), ("Transport", self.transport_edit),
            ("Hébergement", self.accommodation_edit), ("Gratification", self.gratification_edit)))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        for box in (stage, annex, money):
            left_layout.addWidget(box)
        left_layout.addStretch(1)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(left)
        scroll.setMinimumWidth(470)
        week = QGroupBox("Emploi du temps de la semaine")
        week_layout = QVBoxLayout(week)
        week_layout.addWidget(e("timetable", self.timetable_editor))
        checks = QGroupBox("Contrôle de la convention")
        checks_layout = QVBoxLayout(checks)
        for widget in (self.summary_label, self.findings_list, self.notice_label):
            checks_layout.addWidget(widget)
        right = QVBoxLayout()
        right.addWidget(week)
        right.addWidget(checks, 1)
        columns = QHBoxLayout()
        columns.addWidget(scroll, 5)
        columns.addLayout(right, 6)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header_label)
        layout.addWidget(self.paper_label)
        layout.addLayout(columns, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.period("start_date", "end_date")
        self.resize(1180, 760)

    def _connect(self) -> None:
        self.audience_combo.currentIndexChanged.connect(self._on_audience_changed)
        for signal in (self.formation_combo.currentIndexChanged, self.tutor_combo.currentIndexChanged,
                       self.start_edit.changed, self.end_edit.changed,
                       self.referent_teacher_name_edit.textChanged, self.gratification_edit.textChanged,
                       self.family_business_check.toggled):
            signal.connect(self.refresh_facts)
        self.timetable_editor.changed.connect(self.recheck)
        for name in TEXT_FIELDS:
            getattr(self, f"{name}_edit").textChanged.connect(self.show_paper)
        for box in (self.activities_edit, self.skills_edit):
            box.textChanged.connect(self.show_paper)

    def set_form(self, form: PlacementForm) -> None:
        select_data(self.audience_combo, form.audience)
        self._fill_formations(form.formation_id)
        fill_combo(self.tutor_combo, self.context.tutors, none_text="À désigner", current=form.tutor_id)
        self.start_edit.set_value(form.start_date)
        self.end_edit.set_value(form.end_date)
        for name in TEXT_FIELDS:
            getattr(self, f"{name}_edit").setText(getattr(form, name))
        self.activities_edit.setPlainText(form.activities)
        self.skills_edit.setPlainText(form.skills)
        self.family_business_check.setChecked(form.family_business)
        self.timetable_editor.set_timetable(form.timetable)
        self._show_header(form)

    def form(self) -> PlacementForm:
        texts = {name: getattr(self, f"{name}_edit").text() for name in TEXT_FIELDS}
        return replace(self._given, audience=enum_data(self.audience_combo, Audience) or self._given.audience,
                       formation_id=self.formation_combo.currentData(), tutor_id=self.tutor_combo.currentData(),
                       start_date=self.start_edit.value() or self._given.start_date,
                       end_date=self.end_edit.value() or self._given.end_date,
                       timetable=self.timetable_editor.timetable(), activities=self.activities_edit.toPlainText(),
                       skills=self.skills_edit.toPlainText(),
                       family_business=self.family_business_check.isChecked(), **texts)

    def refresh_facts(self, *_args: object) -> None:
        """Read again what the rules need from the store (the tutor's and referent's loads, earlier days)."""
        form = self.form()
        with self._store.session() as session:
            self._facts = convention_data.convention_facts(session, form, placement_id=self.placement_id,
                                                           pupil=self._new_pupil)
        self._show_header(form)
        self.recheck()

    def recheck(self) -> None:
        """Check the convention's rules on the form as typed: the timetable needs no new read of the store."""
        if self._facts is None:
            return
        form = self.form()
        facts = replace(self._facts, timetable=form.timetable, start_date=form.start_date, end_date=form.end_date,
                        audience=form.audience)
        self.findings = rules.check_convention(facts)
        self._show_findings()
        self.show_paper()

    def paper_changes(self) -> tuple[str, ...]:
        """What the printed paper would no longer say, were the form saved now."""
        return paper_versions.paper_changes(self._given, self.form())

    def show_paper(self, *_args: object) -> None:
        """A printed convention: say, as the user types, that the paper will no longer match, and what happens."""
        if self.paper is None or not hasattr(self, "paper_label"):
            return
        printed = format_date(self.paper.printed_on)
        changes = self.paper_changes()
        if changes:
            text = (f"Le papier imprimé le {printed} ne correspondra plus au stage ("
                    + ", ".join(c.lower() for c in changes) + ") : "
                    + ("la version imprimée est déjà gardée dans l'historique" if self.paper.outdated else
                       "enregistrer garde sa version imprimée dans l'historique du stage")
                    + ", puis réimprimez la convention.")
        elif self.paper.outdated:
            text = self.paper.text()
        else:
            text = (f"Convention imprimée le {printed} : modifier ce qu'elle imprime rend le papier caduc. "
                    "L'ancienne version sera gardée dans l'historique du stage, à réimprimer ensuite.")
        self.paper_label.setText(text)

    def _show_findings(self) -> None:
        self.findings_list.clear()
        for finding in self.findings:
            item = QListWidgetItem(("Bloquant : " if finding.blocking else "À vérifier : ") + finding.message)
            item.setForeground(BLOCKING_COLOUR if finding.blocking else WARNING_COLOUR)
            item.setToolTip(finding.explanation)     # the rule in plain French; the article ends the message
            self.findings_list.addItem(item)
        blocking = sum(f.blocking for f in self.findings)
        warnings = len(self.findings) - blocking
        if not self.findings:
            self.summary_label.setText("Aucun point à signaler : la convention pourra être imprimée.")
            self.summary_label.setStyleSheet(f"color: {FINE_COLOUR.name()};")
        else:
            parts = [plural(blocking, "point bloquant")] \
                if blocking else []
            parts += [f"{plural(warnings, 'point')} à vérifier"] if warnings else []
            self.summary_label.setText(" et ".join(parts) + " :")
            self.summary_label.setStyleSheet("")
        self.findings_list.setVisible(bool(self.findings))
        self.notice_label.setVisible(blocking > 0)

    def _show_header(self, form: PlacementForm) -> None:
        c = self.context
        age = c.age_on(form.start_date)
        born = f", date de naissance : {format_date(c.pupil_birth_date)}" if c.pupil_birth_date else ""
        age_text = f" : {age} ans au début du stage" if age is not None else ""
        self.header_label.setText(
            f"<b>Élève :</b> {_html(c.pupil)}{born}{age_text}{', ' + _html(c.pupil_class) if c.pupil_class else ''}"
            f"<br><b>Structure d'accueil :</b> {_html(c.partner)}"
            f"<br><b>Établissement :</b> {_html(c.establishment)} – convention : {c.convention_status.label}")

    def _on_audience_changed(self) -> None:
        self._fill_formations(self.formation_combo.currentData())
        self.refresh_facts()

    def _fill_formations(self, current: int | None) -> None:
        audience = enum_data(self.audience_combo, Audience)
        fill_combo(self.formation_combo, [(f.id, f.label) for f in self.context.formations if f.audience is audience],
                   none_text="Formation non précisée", current=current)

    @property
    def blocking_count(self) -> int:
        return sum(f.blocking for f in self.findings)

    def _write(self, session: Session) -> int:
        """Write in one transaction (the pupil, the placement, the accepted proposal), or explain in place."""
        form = self.form()
        if self._new_pupil is not None:
            form = replace(form, pupil_id=pupils.save_pupil(session, self._new_pupil, owner=self._store.owner,
                                                            on=form.start_date))
        if self._proposal_id is not None:
            self.placement_id = escalation_edits.accept_proposal(session, self._proposal_id, form, on=date.today())
        elif self.placement_id is not None:   # printed meanwhile in another window: its paper is kept all the same
            self.replaced = paper_versions.save_printed_placement(session, form, self.placement_id,
                                                                  today=date.today(), render=_renderer(session))
        else:
            self.placement_id = placements.save_placement(session, form, self.placement_id)
        assert self.placement_id is not None
        return self.placement_id


def _renderer(session: Session) -> Callable[[ConventionDocument], bytes]:
    """How to render the paper being replaced; ReportLab loads only if a printed paper is really replaced."""
    def render(document: ConventionDocument) -> bytes:
        from poledesk.reports.convention_files import paper_renderer

        return paper_renderer(session)(document)

    return render


def _text_box() -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * 3 + 14)
    return box


def _form_box(title: str, rows: tuple[tuple[str, QWidget], ...]) -> QGroupBox:
    box = QGroupBox(title)
    form = QFormLayout(box)
    for text, widget in rows:
        form.addRow(f"{text} :", widget)
    return box


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
