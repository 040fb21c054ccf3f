"""What became of each bundle of a run, one line per pole: written, imported with its counts, or refused and why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.text import plural
from poledesk.ui.bundle_transfers import ALREADY, APPLIED, REFUSED, SKIPPED, WRITTEN, TransferLine, TransferRun

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

OUTCOMES = {WRITTEN: "Écrit", APPLIED: "Importé", ALREADY: "Déjà importé", REFUSED: "Refusé", SKIPPED: "Non traité"}
REFUSED_BACKGROUND = QColor("#fde2e1")
QUIET_FOREGROUND = QColor("#6b6b6b")


def run_summary(run: TransferRun) -> str:
    """'3 paquets : 2 importés, 1 refusé.' — the words the heading gives."""
    parts = []
    for outcome, one, many in ((WRITTEN, "écrit", "écrits"), (APPLIED, "importé", "importés"),
                               (ALREADY, "déjà importé", "déjà importés"), (REFUSED, "refusé", "refusés"),
                               (SKIPPED, "non traité", "non traités")):
        number = run.count(outcome)
        if number:
            parts.append(plural(number, one, many))
    total = len(run.lines)
    text = f"{plural(total, 'paquet')} : {', '.join(parts)}."
    if run.cancelled:
        text += " Interrompu à votre demande : les paquets déjà traités le restent."
    if run.count(REFUSED) and run.count(WRITTEN) == 0:
        text += " Un paquet refusé n'a rien modifié."
    folders = {line.file.parent for line in run.lines if line.outcome == WRITTEN}
    if len(folders) == 1:
        text += f" Dossier : « {folders.pop()} »."
    return text


def line_detail(line: TransferLine) -> str:
    """The line's French text, with what it carried when that adds something."""
    from poledesk.sync.overview import describe_counts

    if line.outcome == WRITTEN:
        return f"{line.heading} : {describe_counts(line.counts)}." if line.heading else line.text
    text = line.text
    if line.outcome == APPLIED and line.counts:
        text += f"\nReçu : {describe_counts(line.counts)}."
    if line.conflicts:
        text += f"\n{plural(line.conflicts, 'conflit')} à régler (panneau Conflits)."
    return text


class BundleResultsDialog(QDialog):
    """One row per bundle: the pole, the outcome, the French detail (a refusal's reason), the file."""

    def __init__(self, run: TransferRun, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run = run
        self.setWindowTitle(title)
        self.summary_label = QLabel(run_summary(run), wordWrap=True)
        self.table = QTableWidget(len(run.lines), 4)
        self.table.setHorizontalHeaderLabels(["Pôle", "Résultat", "Détail", "Fichier"])
        self.button_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.button_box.button(QDialogButtonBox.StandardButton.Close).setToolTip("Fermer cette fenêtre")
        self._fill()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table)
        layout.addWidget(self.button_box)
        self.button_box.rejected.connect(self.reject)
        self.resize(980, min(220 + 64 * len(run.lines), 640))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()   # the wrapped details' height, now that the columns have their width

    def row_texts(self, row: int) -> list[str]:
        """What a row shows, column by column (for tests and for copying)."""
        items = (self.table.item(row, column) for column in range(self.table.columnCount()))
        return [item.text() if item is not None else "" for item in items]

    def _fill(self) -> None:
        table = self.table
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setWordWrap(True)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, 230)
        for row, line in enumerate(self.run.lines):
            items = [QTableWidgetItem(line.peer or "—"), QTableWidgetItem(OUTCOMES[line.outcome]),
                     QTableWidgetItem(line_detail(line)), QTableWidgetItem(line.file.name)]
            items[1].setIcon(self._icon(line.outcome))
            items[3].setToolTip(str(line.file))
            items[2].setToolTip(line_detail(line))
            for column, item in enumerate(items):
                if line.outcome == REFUSED:
                    item.setBackground(REFUSED_BACKGROUND)
                elif line.outcome in (ALREADY, SKIPPED):
                    item.setForeground(QUIET_FOREGROUND)
                table.setItem(row, column, item)
        table.resizeRowsToContents()

    def _icon(self, outcome: str) -> QIcon:
        pixmap = {REFUSED: QStyle.StandardPixmap.SP_MessageBoxWarning, SKIPPED: QStyle.StandardPixmap.SP_MediaPause,
                  ALREADY: QStyle.StandardPixmap.SP_DialogApplyButton}.get(outcome,
                                                                          QStyle.StandardPixmap.SP_DialogApplyButton)
        return self.style().standardIcon(pixmap)
