"""The import wizard's first pages: the file and what it holds, then the columns and the fields they fill."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from poledesk.data.spreadsheets.cells import cell_text
from poledesk.data.spreadsheets.errors import SpreadsheetError
from poledesk.data.spreadsheets.mapping import ImportField, missing_fields
from poledesk.data.spreadsheets.reading import Sheet
from poledesk.data.text import plural
from poledesk.ui import ui_state
from poledesk.ui.forms import ERROR_STYLE

if TYPE_CHECKING:
    from poledesk.ui.dialogs.import_wizard import ImportWizard

PREVIEW_ROWS = 8
IGNORE = "— ignorer —"
FILE_FILTER = ("Classeurs et fichiers CSV (*.xlsx *.xlsm *.xls *.xlsb *.ods *.csv *.txt);;"
               "Tous les fichiers (*)")


def busy_bar() -> QProgressBar:
    """An indeterminate bar for work with no progress to report (reading a file, planning)."""
    bar = QProgressBar(minimum=0, maximum=0, textVisible=False)
    bar.hide()
    bar.setMaximumHeight(10)
    return bar


class WizardPage(QWizardPage):
    def wizard(self) -> ImportWizard:   # narrowed: these pages live in ImportWizard
        return cast("ImportWizard", super().wizard())


class FilePage(WizardPage):
    """Page 1: the file (read off the UI thread as soon as it is chosen), what it holds, and its sheet."""

    def __init__(self, settings: QSettings) -> None:
        super().__init__()
        self._settings = settings
        self.setTitle("Le fichier à importer")
        self.setSubTitle("Un classeur Excel (.xlsx) ou un fichier CSV, avec une ligne d'en-têtes au-dessus des "
                         "données.")
        self.path_edit = QLineEdit(placeholderText="Choisissez un fichier .xlsx ou .csv…")
        self.browse_button = QPushButton("Parcourir…")
        self.browse_button.setToolTip("Choisir le classeur à importer (xlsx, xls, ods ou csv)")
        self.partners_radio = QRadioButton("Des partenaires (structures d'accueil) et leurs interlocuteurs")
        self.partners_radio.setChecked(True)
        self.establishments_radio = QRadioButton("Des établissements scolaires")
        self.subject_group = QButtonGroup(self)
        self.sheet_label = QLabel("Feuille à importer :")
        self.sheet_label.hide()
        self.sheet_combo = QComboBox()
        self.sheet_combo.hide()
        self.status_label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.busy = busy_bar()
        self.error: str | None = None
        self.reading = False
        self._then_next = False    # « Suivant » was clicked while the file was being read: go on once it is
        self._reading_typed = False    # the file being read is the one typed (not browsed, not another sheet)
        self._read_key: tuple[str, str, int, int] | None = None
        self._build_layout()
        self.browse_button.clicked.connect(self.browse)
        self._typed = False
        self.path_edit.textEdited.connect(self._on_path_edited)
        self.path_edit.editingFinished.connect(self._on_path_typed)
        self.sheet_combo.activated.connect(lambda _index: self.read(sheet_name=self.sheet_combo.currentText()))

    def _build_layout(self) -> None:
        for button in (self.partners_radio, self.establishments_radio):
            self.subject_group.addButton(button)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(self.sheet_label)
        sheet_row.addWidget(self.sheet_combo, 1)
        sheet_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Fichier :"))
        layout.addLayout(file_row)
        layout.addLayout(sheet_row)
        layout.addWidget(self.busy)
        layout.addWidget(self.status_label)
        layout.addSpacing(16)
        layout.addWidget(QLabel("Ce fichier contient :"))
        layout.addWidget(self.partners_radio)
        layout.addWidget(self.establishments_radio)
        layout.addStretch(1)

    def _on_path_edited(self, _text: str) -> None:
        self._typed = True
        self.completeChanged.emit()

    def _on_path_typed(self) -> None:
        # editingFinished also comes with every loss of focus (a click on « Suivant »): only a typed path is read.
        if self._typed:
            self._typed = False
            self.read(sheet_name=None)
            self._reading_typed = self.reading

    @property
    def subject(self) -> str:
        return "establishments" if self.establishments_radio.isChecked() else "partners"

    def browse(self) -> None:
        folder = ui_state.IMPORT_FOLDER.read(self._settings)
        chosen, _filter = QFileDialog.getOpenFileName(self, "Choisir le fichier à importer", folder, FILE_FILTER)
        if chosen:
            ui_state.IMPORT_FOLDER.write(self._settings, Path(chosen).parent)
            self.path_edit.setText(chosen)
            self._typed = False
            self.read(sheet_name=None)

    def read(self, *, sheet_name: str | None, then_next: bool = False) -> None:
        """Read the file off the UI thread; `then_next` moves on to the columns once it is read."""
        path = path_from_text(self.path_edit.text())
        if path is None:
            return
        key = _file_key(path, sheet_name or "")
        if key == self._read_key and not then_next:
            return
        self._read_key = key
        self._then_next = then_next
        self.reading, self.error = True, None
        self._show_status("Lecture du fichier…", error=False)
        self.busy.show()
        self.completeChanged.emit()
        self.wizard().run_off_ui(lambda: _read(path, sheet_name), self._on_read, self._on_read_failed)

    def _on_read(self, result: Sheet | UnreadSheet) -> None:
        self.reading, self._reading_typed = False, False
        then_next, self._then_next = self._then_next, False
        self.busy.hide()
        names = result.sheet_names
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(names))
        self.sheet_combo.setCurrentText(result.name)
        self.sheet_label.setVisible(len(names) > 1)
        self.sheet_combo.setVisible(len(names) > 1)
        if isinstance(result, UnreadSheet):   # another sheet may hold the data: the choice stays offered
            self.wizard().sheet, self.error = None, result.message
            self._show_status(result.message, error=True)
            self.completeChanged.emit()
            return
        self.wizard().sheet = sheet = result
        where = f"Feuille « {sheet.name} » : " if sheet.name else ""
        self._show_status(f"{where}{plural(len(sheet.rows), 'ligne', 'lignes')} de données, "
                          f"{plural(len(sheet.headers), 'colonne', 'colonnes')}, en-têtes en ligne "
                          f"{sheet.header_row}.", error=False)
        self.completeChanged.emit()
        if then_next:
            self.wizard().next()

    def _on_read_failed(self, error: Exception) -> None:
        self.reading, self._then_next, self._reading_typed = False, False, False
        self.busy.hide()
        raise error   # unexpected (a SpreadsheetError comes back as an UnreadSheet): the crash hook reports it

    def _show_status(self, text: str, *, error: bool) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(ERROR_STYLE if error else "")

    def isComplete(self) -> bool:
        """« Suivant » stays clickable while a typed path waits to be read, or is being read: a click there
        (which also ends the typing) reads it and goes on, instead of being lost while the button greys."""
        if path_from_text(self.path_edit.text()) is None:
            return False
        if self._typed or (self.reading and self._reading_typed):
            return True
        return self.error is None and self.wizard().sheet is not None

    def validatePage(self) -> bool:
        """The file may have been corrected in the spreadsheet since it was read: then read it again first."""
        if self._typed:
            self._typed = False
            self.read(sheet_name=None, then_next=True)
            self._reading_typed = self.reading
            return False
        if self.reading:
            self._then_next = True
            return False
        sheet = self.wizard().sheet
        if sheet is None or self._read_key is None:
            return False
        if _file_key(sheet.path, self._read_key[1]) == self._read_key:
            return True
        self.read(sheet_name=self._read_key[1] or None, then_next=True)   # the sheet read last time, again
        return False


@dataclass(frozen=True, slots=True)
class UnreadSheet:
    """A sheet that could not be read, and the workbook's sheets, so that the user can pick another one."""

    name: str
    message: str
    sheet_names: tuple[str, ...]


def path_from_text(text: str) -> Path | None:
    """The file a typed or pasted path names: quotes that « Copier en tant que chemin d'accès » puts around it,
    a file:// address, and ~ for the home folder are read as the user meant them; None for nothing typed."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    if text.lower().startswith("file:"):
        text = QUrl(text).toLocalFile() or text
    return Path(text).expanduser() if text else None


def _read(path: Path, sheet_name: str | None) -> Sheet | UnreadSheet:
    """On the worker thread: the sheet, or why it cannot be imported."""
    from poledesk.data.spreadsheets.reading import read_sheet

    try:
        return read_sheet(path, sheet_name=sheet_name)
    except SpreadsheetError as error:
        names = _sheet_names(path)
        return UnreadSheet(sheet_name or (names[0] if names else ""), str(error), names)


def _sheet_names(path: Path) -> tuple[str, ...]:
    """The workbook's sheets, when read_sheet refused the one it tried (() when the file is no workbook at all)."""
    from poledesk.data.spreadsheets.reading import sheet_names

    return sheet_names(path)


def _file_key(path: Path, sheet_name: str) -> tuple[str, str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), sheet_name, 0, -1)
    return (str(path), sheet_name, stat.st_mtime_ns, stat.st_size)


class MappingPage(WizardPage):
    """Page 2: the first rows as the file has them, and one combo per field with the column that fills it."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Les colonnes")
        self.setSubTitle("Vérifiez quelle colonne du fichier remplit chaque champ ; les champs marqués * sont "
                         "obligatoires. Une colonne sans champ est ignorée.")
        self.preview_table = QTableWidget()
        self.combos: dict[str, QComboBox] = {}
        self.fields: tuple[ImportField, ...] = ()
        self.fields_box = QWidget()
        self.missing_label = QLabel(wordWrap=True)
        self.missing_label.setStyleSheet(ERROR_STYLE)
        self.busy = busy_bar()
        self.planning = False
        self._built_for: tuple[int, str] | None = None
        self._headers: tuple[str, ...] = ()
        self._build_layout()

    def _build_layout(self) -> None:
        table = self.preview_table
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setWordWrap(False)
        table.setMinimumHeight(200)
        table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(self.fields_box)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Les premières lignes du fichier, numérotées comme dans le tableur :"))
        layout.addWidget(table, 2)
        layout.addWidget(QLabel("Correspondance des colonnes :"))
        layout.addWidget(scroll, 3)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.busy)

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert wizard.sheet is not None
        key = (wizard.sheet_version, wizard.subject)
        if key != self._built_for:     # back and forth keeps the user's corrections
            same_columns = (self._built_for is not None and self._built_for[1] == wizard.subject
                            and self._headers == wizard.sheet.headers)   # the same file, corrected and read again
            mapping = self.mapping() if same_columns else wizard.guessed_mapping()
            self._built_for, self._headers = key, wizard.sheet.headers
            self.fields = wizard.fields
            self._build_combos(wizard.sheet, mapping)
            self._fill_preview(wizard.sheet)
        self._on_mapping_changed(None)

    def _build_combos(self, sheet: Sheet, guessed: dict[str, int]) -> None:
        old = self.fields_box.layout()
        if old is not None:
            QWidget().setLayout(old)   # the old grid and its widgets go with a throwaway parent
        grid = QGridLayout(self.fields_box)
        grid.setHorizontalSpacing(12)
        self.combos = {}
        half = (len(self.fields) + 1) // 2
        for index, field in enumerate(self.fields):
            label = QLabel(f"{field.label} *" if field.required else field.label)
            if field.required:
                bold = QFont(label.font())
                bold.setBold(True)
                label.setFont(bold)
            combo = QComboBox()
            combo.addItem(IGNORE, None)
            for column in range(len(sheet.headers)):
                combo.addItem(sheet.column_label(column), column)
            combo.setCurrentIndex(max(combo.findData(guessed[field.key]), 0) if field.key in guessed else 0)
            combo.currentIndexChanged.connect(lambda _i, key=field.key: self._on_mapping_changed(key))
            label.setBuddy(combo)
            row, pair = index % half, index // half
            grid.addWidget(label, row, pair * 2)
            grid.addWidget(combo, row, pair * 2 + 1)
            self.combos[field.key] = combo
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setRowStretch(half, 1)

    def _fill_preview(self, sheet: Sheet) -> None:
        table = self.preview_table
        rows = sheet.rows[:PREVIEW_ROWS]
        table.clear()
        table.setRowCount(len(rows))
        table.setColumnCount(len(sheet.headers))
        table.setVerticalHeaderLabels([str(row.number) for row in rows])   # as the spreadsheet numbers them
        for r, row in enumerate(rows):
            for c, value in enumerate(row.values):
                table.setItem(r, c, QTableWidgetItem(cell_text(value)))

    def mapping(self) -> dict[str, int]:
        return {key: combo.currentData() for key, combo in self.combos.items() if combo.currentData() is not None}

    def _on_mapping_changed(self, changed: str | None) -> None:
        if changed is not None:   # a column fills one field: the field that had it lets it go
            column = self.combos[changed].currentData()
            for key, combo in self.combos.items():
                if key != changed and column is not None and combo.currentData() == column:
                    combo.blockSignals(True)
                    combo.setCurrentIndex(0)
                    combo.blockSignals(False)
        self._label_preview_columns()
        missing = missing_fields(self.mapping(), self.fields)
        self.missing_label.setText("Choisissez la colonne de : " + ", ".join(f"« {f.label} »" for f in missing)
                                   + " (obligatoire)." if missing else "")
        self.missing_label.setVisible(bool(missing))
        self.completeChanged.emit()

    def _label_preview_columns(self) -> None:
        sheet = self.wizard().sheet
        if sheet is None:
            return
        field_of = {column: key for key, column in self.mapping().items()}
        labels = {f.key: f.label for f in self.fields}
        for column in range(len(sheet.headers)):
            target = f"→ {labels[field_of[column]]}" if column in field_of else "(ignorée)"
            item = QTableWidgetItem(f"{sheet.column_label(column)}\n{target}")
            item.setToolTip(f"Colonne {column + 1} : {target}")
            self.preview_table.setHorizontalHeaderItem(column, item)
            if column not in field_of:
                item.setForeground(self.palette().placeholderText())
        self.preview_table.resizeColumnsToContents()
        header = self.preview_table.horizontalHeader()
        for column in range(header.count()):
            header.resizeSection(column, min(max(header.sectionSize(column), 90), 260))

    def isComplete(self) -> bool:
        return bool(self.combos) and not self.planning and not missing_fields(self.mapping(), self.fields)

    def validatePage(self) -> bool:
        """Plan the import off the UI thread, then move on; the plan is kept while nothing changes."""
        wizard = self.wizard()
        if wizard.plan_is_current(self.mapping()):
            return True
        self.set_planning(True)
        wizard.start_planning(self.mapping())
        return False

    def set_planning(self, planning: bool) -> None:
        self.planning = planning
        self.busy.setVisible(planning)
        self.fields_box.setEnabled(not planning)
        self.completeChanged.emit()
