"""A signed placement's form: what the edit changes in the signed convention becomes an avenant, with its reason."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from poledesk.data.conventions import tracking as convention_tracking
from poledesk.data.conventions.document import AmendmentInfo, Change, change_lines
from poledesk.data.db import Store
from poledesk.data.placements.form import PlacementForm
from poledesk.data.validation import ValidationError
from poledesk.ui.dialogs.placement_dialog import TEXT_FIELDS, PlacementDialog

NOTICE = ("Cette convention est signée : les changements de dates, d'emploi du temps, de tuteur ou des annexes ne "
          "la modifient pas en silence. Ils sont enregistrés dans un avenant numéroté, à imprimer et à faire signer "
          "par les mêmes signataires.")
BLOCKED = "L'avenant ne pourra pas être enregistré tant que les points en rouge ne sont pas réglés."


class AmendmentDialog(PlacementDialog):
    """The placement form of a signed convention; saving records the avenant (or only the edit, when no term of
    the convention changed) in one transaction."""

    def __init__(self, store: Store, form: PlacementForm, *, placement_id: int, parent: QWidget | None = None) -> None:
        self.changes_label: QLabel | None = None   # recheck() runs inside the base constructor, before the box
        super().__init__(store, form, placement_id=placement_id, parent=parent)
        self.amendment: AmendmentInfo | None = None
        self._amended_id = placement_id
        self._tutor_names = {id_: name.removesuffix(" (tuteur)") for id_, name in self.context.tutors}
        self.reason_edit = QLineEdit(placeholderText="par exemple : prolongation d'une semaine demandée par le tuteur")
        self.changes_label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.notice_label.setText(BLOCKED)
        self.setWindowTitle(f"Stage de {self.context.pupil} – avenant à la convention signée")
        box = QGroupBox("Avenant à la convention signée")
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(QLabel(NOTICE, wordWrap=True))
        fields = QFormLayout()
        fields.addRow("Motif de l'avenant :", self.errors.wrap("reason", self.reason_edit))
        fields.addRow("Modifications :", self.changes_label)
        box_layout.addLayout(fields)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, box)
        for edit in (*(getattr(self, f"{name}_edit") for name in TEXT_FIELDS), self.activities_edit,
                     self.skills_edit):
            edit.textChanged.connect(self.show_changes)
        self.show_changes()

    def recheck(self) -> None:
        super().recheck()
        self.show_changes()

    def changes(self) -> tuple[Change, ...]:
        """The same words the printed avenant will use (document.change_lines)."""
        return change_lines(convention_tracking.amendment_changes(self._given, self.form()), self._tutor_names)

    def show_changes(self, *_args: object) -> None:
        if self.changes_label is None:
            return
        lines = self.changes()
        self.changes_label.setText("\n".join(f"• {c.label} : {c.before} → {c.after}" for c in lines) if lines else
                                   "Aucun terme de la convention n'est modifié pour l'instant.")
        self.save_button.setText("Enregistrer l'avenant" if lines else "Enregistrer")

    def save(self) -> None:
        """Record the avenant and the placement's new terms in one transaction, or explain in place."""
        try:
            with self._store.transaction() as session:
                self.amendment = convention_tracking.record_amendment(
                    session, self._amended_id, self.form(), reason=self.reason_edit.text(), today=date.today())
        except ValidationError as error:
            self.errors.show(error.problems)
            return
        assert self.placement_id is not None
        self.saved.emit(self.placement_id)
        self.accept()
