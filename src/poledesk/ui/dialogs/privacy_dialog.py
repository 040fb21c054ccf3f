"""Aide › Protection des données…: the privacy sheet on screen, and its PDF for the data-protection officer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLabel, QVBoxLayout, QWidget

from poledesk.data import privacy
from poledesk.data.db import Store


class PrivacyDialog(QDialog):
    def __init__(self, store: Store, *, owner_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._title = store, owner_title
        self.saved_to: Path | None = None
        with store.session() as session:
            self.report = privacy.privacy_report(session, store.folder, encrypted=store.encrypted, today=date.today())
            self.categories = privacy.categories(session)
        self.setWindowTitle("Protection des données")
        self.summary_label = QLabel("<br>".join(_html(line) for line in self.report.lines()), wordWrap=True)
        self.status_label = QLabel(wordWrap=True)
        self.button_box = QDialogButtonBox()
        self.save_button = self.button_box.addButton("Enregistrer la fiche pour le DPO (PDF)…",
                                                     QDialogButtonBox.ButtonRole.ActionRole)
        self.button_box.addButton("Fermer", QDialogButtonBox.ButtonRole.RejectRole).setToolTip("Fermer cette fenêtre")
        self.save_button.setToolTip("La fiche du traitement, à remettre au délégué à la protection des données")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Ce que la base de ce poste contient de données personnelles, et jusqu'à quand.",
                                wordWrap=True))
        for widget in (self.summary_label, self.status_label, self.button_box):
            layout.addWidget(widget)
        self.setMinimumWidth(640)
        self.save_button.clicked.connect(self.choose_file)
        self.button_box.rejected.connect(self.reject)

    def choose_file(self) -> None:
        suggested = Path.home() / f"fiche-protection-donnees-{date.today():%Y-%m-%d}.pdf"
        chosen, _filter = QFileDialog.getSaveFileName(self, "Enregistrer la fiche", str(suggested),
                                                      "Document PDF (*.pdf)")
        if chosen:
            self.save_to(Path(chosen))

    def save_to(self, path: Path) -> None:
        from poledesk.reports.privacy_sheet import write_privacy_sheet

        try:
            write_privacy_sheet(path, self.report, owner_title=self._title, categories=self.categories)
        except OSError as error:
            self.status_label.setText(f"La fiche n'a pas pu être écrite : {error.strerror or error}.")
            return
        self.saved_to = path
        self.status_label.setText(f"Fiche enregistrée : {path}")


def _html(line: str) -> str:
    import html

    indented = line.startswith("  ")
    return ("&nbsp;&nbsp;&nbsp;&nbsp;" if indented else "") + html.escape(line.strip())
