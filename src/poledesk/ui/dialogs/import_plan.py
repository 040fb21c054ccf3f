"""An import plan as the wizard shows it: its lines, its counts, the last page, and the summary once written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from poledesk.data.spreadsheets.plan import CREATE, MERGE, REJECT, ImportPlan, ImportSummary, PlannedRow
from poledesk.data.text import format_count, plural, plural_words
from poledesk.ui.dialogs.import_pages import WizardPage
from poledesk.ui.forms import ERROR_STYLE, WARNING_STYLE
from poledesk.ui.widgets.models import Column, RowSortProxy, RowTableModel

REJECTED_COLOUR = QColor("#b3261e")
WRAPPED_LINES = 2000   # plans up to this many lines show long reasons on several lines (tooltips otherwise)
NOUNS = {"partners": ("partenaire", "partenaires"), "establishments": ("établissement", "établissements")}


@dataclass(frozen=True, slots=True)
class PlanLine:
    row_number: int        # as the spreadsheet numbers it
    action: str            # create, merge or reject
    action_text: str       # « Créé », « Fusionné avec « X » », « Rejeté »
    name: str
    column: str = ""       # a rejected row: the column of the problem, as the file heads it
    detail: str = ""       # the problem, or what a merge changes


def plan_lines(plan: ImportPlan, names: Mapping[int, str]) -> list[PlanLine]:
    """Every row of the plan; `names` gives the existing records' names (id -> name) for the merges."""
    lines: list[PlanLine] = []
    for row in plan.rows:
        if row.action == REJECT:
            lines += [PlanLine(row.row_number, REJECT, "Rejeté", row.name, p.column, p.message) for p in row.problems]
            if not row.problems:
                lines.append(PlanLine(row.row_number, REJECT, "Rejeté", row.name))
        elif row.action == MERGE:
            target = names.get(row.target_id or 0, row.name)
            lines.append(PlanLine(row.row_number, MERGE, f"Fusionné avec « {target} »", row.name,
                                  detail=_merge_detail(row)))
        else:
            lines.append(PlanLine(row.row_number, CREATE, "Créé", row.name, detail=_create_detail(row)))
    return lines


def _merge_detail(row: PlannedRow) -> str:
    return "Modifie : " + ", ".join(row.changes) if row.changes else "Aucun changement"


def _create_detail(row: PlannedRow) -> str:
    if not row.contact:
        return ""
    who = " ".join(str(part) for part in (row.contact.get("first_name"), row.contact.get("last_name")) if part)
    return f"Avec l'interlocuteur « {who} »"


def plan_counts_text(plan: ImportPlan) -> str:
    """'<b>12</b> à créer · <b>3</b> à fusionner · <b>2</b> rejetées, sur 17 lignes' (rich text)."""
    rejected = plan.count(REJECT)
    parts = [f"<b>{plan.count(CREATE)}</b> à créer", f"<b>{plan.count(MERGE)}</b> à fusionner",
             f"<b>{format_count(rejected)}</b> {plural_words(rejected, 'rejetée')}"]
    return " · ".join(parts) + f", sur {plural(len(plan.rows), 'ligne', 'lignes')} de données"


def summary_text(subject: str, summary: ImportSummary) -> str:
    """« Import terminé : 2 partenaires créés, 1 partenaire mis à jour, 2 lignes rejetées non importées. »"""
    one, many = NOUNS[subject]
    parts = [plural(summary.created, f"{one} créé", f"{many} créés"),
             plural(summary.merged, f"{one} mis à jour", f"{many} mis à jour")]
    if summary.contacts_added:
        parts.append(plural(summary.contacts_added, "interlocuteur ajouté", "interlocuteurs ajoutés"))
    if summary.rejected:
        parts.append(plural(summary.rejected, "ligne rejetée non importée", "lignes rejetées non importées"))
    return "Import terminé : " + ", ".join(parts) + "."


PLAN_COLUMNS = (
    Column("Ligne", lambda line: str(line.row_number), sort_key=lambda line: line.row_number, align_right=True,
           width=60),
    Column("Action prévue", lambda line: line.action_text, sort_key=lambda line: (line.action, line.row_number),
           width=300,
           foreground=lambda line: REJECTED_COLOUR if line.action == REJECT else None),
    Column("Nom", lambda line: line.name, width=220),
    Column("Colonne", lambda line: line.column, width=130),
    Column("Motif ou changements", lambda line: line.detail, tooltip=lambda line: line.detail or None),
)


class PlanPage(WizardPage):
    """Page 3: what the import will do with every row; nothing is written while rows are rejected, unless the
    user ticks « Importer les N lignes valides »."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Ce que l'import va faire")
        self.setSubTitle("Chaque ligne du fichier, avec son numéro dans le tableur. Rien n'est écrit avant "
                         "« Importer ».")
        self.counts_label = QLabel(textFormat=Qt.TextFormat.RichText)
        self.rejected_only_check = QCheckBox("N'afficher que les lignes rejetées")
        self.model = RowTableModel(PLAN_COLUMNS, self)
        self.proxy = RowSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.advice_label = QLabel(wordWrap=True)
        self.advice_label.setStyleSheet(WARNING_STYLE)
        self.include_check = QCheckBox()
        self.copy_button = QPushButton("Copier le rapport des lignes rejetées")
        self.copy_button.setToolTip("Les lignes refusées et pourquoi, à coller dans un courriel ou un tableur")
        self.outcome_label = QLabel(wordWrap=True)
        self.outcome_label.setStyleSheet(ERROR_STYLE)
        self.outcome_label.hide()
        self.lines: list[PlanLine] = []
        self._build_layout()
        self.include_check.toggled.connect(lambda _on: self.completeChanged.emit())
        self.rejected_only_check.toggled.connect(lambda _on: self._show_lines())
        self._fit_timer = QTimer(self, singleShot=True, interval=0)
        self._fit_timer.timeout.connect(self._fit_rows)
        self.model.layoutChanged.connect(self._fit_timer.start)     # sorted: the tall rows are elsewhere now
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self._fit_timer.start())   # wider: fewer lines
        self.copy_button.clicked.connect(self.copy_report)

    def _build_layout(self) -> None:
        table = self.table
        table.setModel(self.proxy)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(True)
        table.verticalHeader().hide()
        table.verticalHeader().setMinimumSectionSize(table.fontMetrics().height() + 12)   # room when rows fit
        table.setSortingEnabled(True)
        header = table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for section, column in enumerate(PLAN_COLUMNS):
            if column.width:
                header.resizeSection(section, column.width)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        top = QHBoxLayout()
        top.addWidget(self.counts_label, 1)
        top.addWidget(self.rejected_only_check)
        bottom = QHBoxLayout()
        bottom.addWidget(self.include_check, 1)
        bottom.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(table, 1)
        layout.addWidget(self.advice_label)
        layout.addLayout(bottom)
        layout.addWidget(self.outcome_label)

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert wizard.plan is not None
        plan, self.lines = wizard.plan, wizard.plan_lines
        rejected = plan.count(REJECT)
        valid = len(plan.rows) - rejected
        self.counts_label.setText(plan_counts_text(plan))
        self.rejected_only_check.setChecked(False)
        self.rejected_only_check.setVisible(bool(rejected))
        self.copy_button.setVisible(bool(rejected))
        self.include_check.setChecked(False)
        self.include_check.setVisible(bool(rejected and valid))
        self.include_check.setText(include_text(valid, rejected))
        self.advice_label.setText(_advice(rejected, valid))
        self.advice_label.setVisible(bool(rejected))
        self.show_outcome("")
        self._show_lines()

    def _show_lines(self) -> None:
        only = self.rejected_only_check.isChecked()
        self.model.set_rows([line for line in self.lines if line.action == REJECT] if only else self.lines)
        self._fit_rows()

    def _fit_rows(self) -> None:
        wrapped = self.model.rowCount() <= WRAPPED_LINES   # whole reasons; past that, sizing rows would be slow
        self.table.setWordWrap(wrapped)
        if wrapped:
            self.table.resizeRowsToContents()
            header = self.table.verticalHeader()
            for row in range(self.model.rowCount()):   # a wrapped reason: a little air above and below
                if header.sectionSize(row) > header.minimumSectionSize():
                    header.resizeSection(row, header.sectionSize(row) + 6)

    def copy_report(self) -> None:
        plan = self.wizard().plan
        if plan is not None:
            QGuiApplication.clipboard().setText("\n".join(plan.report_lines()))

    def show_outcome(self, text: str) -> None:
        self.outcome_label.setText(text)
        self.outcome_label.setVisible(bool(text))

    def isComplete(self) -> bool:
        plan = self.wizard().plan
        if plan is None or self.wizard().applying:
            return False
        rejected = plan.count(REJECT)
        return len(plan.rows) > rejected and (not rejected or self.include_check.isChecked())

    def validatePage(self) -> bool:
        """« Importer »: write off the UI thread; the wizard closes once the import is written."""
        wizard = self.wizard()
        if wizard.summary is not None:
            return True
        wizard.start_apply()
        return False


def include_text(valid: int, rejected: int) -> str:
    """« Importer les 4 lignes valides (les 2 lignes rejetées ne seront pas importées) », in the singular too."""
    rows = "la ligne valide" if valid == 1 else f"les {plural(valid, 'ligne valide', 'lignes valides')}"
    left = ("la ligne rejetée ne sera pas importée" if rejected == 1 else
            f"les {plural(rejected, 'ligne rejetée', 'lignes rejetées')} ne seront pas importées")
    return f"Importer {rows} ({left})"


def _advice(rejected: int, valid: int) -> str:
    if not rejected:
        return ""
    if not valid:
        return ("Aucune ligne n'est importable. Corrigez le fichier dans votre tableur, enregistrez-le, puis "
                "revenez à la première page (« Précédent ») : il sera relu.")
    return ("Des lignes sont rejetées : par défaut, rien n'est importé. Corrigez le fichier dans votre tableur et "
            "revenez à la première page pour le relire, ou cochez la case ci-dessous pour importer les autres "
            "lignes dès maintenant.")
