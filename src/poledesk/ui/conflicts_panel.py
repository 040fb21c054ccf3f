"""The Conflits panel: a version that lost a merge beside the one in force, differing fields highlighted, to settle."""

from __future__ import annotations

import html
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.clock import Hlc
from poledesk.data.db import Store
from poledesk.data.text import format_date, format_datetime, plural
from poledesk.data.validation import format_siret
from poledesk.ui import ui_state
from poledesk.ui.conflict_fields import DELETED, field_label, ordered_keys
from poledesk.ui.dialogs.peers_dialog import local_text
from poledesk.ui.widgets.models import Column, RowSortProxy, RowTableModel

if TYPE_CHECKING:
    from poledesk.sync.conflicts import ConflictRow

EMPTY = "—"
DIFFERS_BACKGROUND = QColor("#fff0b3")
NAME_KEYS = ("name", "label", "title", "pseudonym", "code", "uai", "summary")


def record_name(row: ConflictRow) -> str:
    """What names the record: its name, label or title in the version in force (else the lost one)."""
    for version in (row.kept, row.lost):
        if version is None:
            continue
        fields = version["fields"]
        if fields.get("last_name"):
            return f"{fields.get('first_name') or ''} {fields['last_name']}".strip()
        for key in NAME_KEYS:
            if fields.get(key):
                return str(fields[key])
    return EMPTY


def differing_labels(row: ConflictRow) -> list[str]:
    return [field_label(row.table_name, key) for key in ordered_keys(row.table_name, dict.fromkeys(row.differences))]


COLUMNS = (
    Column("Type", lambda r: r.label, width=150),
    Column("Fiche", record_name, width=220),
    Column("Propriétaire", lambda r: r.owner, width=150),
    Column("Reçu de", lambda r: r.sender or EMPTY, width=150),
    Column("Détecté le", lambda r: local_text(r.detected_at, time=True), sort_key=lambda r: r.detected_at,
           width=130),
    Column("Champs qui diffèrent", lambda r: ", ".join(differing_labels(r))),
)


def written_at(version: dict[str, Any] | None) -> str:
    """When a version was written, from its clock: 'modifiée le 23/11/2026 14:02'."""
    if version is None:
        return "n'existe plus"
    moment = datetime.fromtimestamp(Hlc.decode(version["hlc"]).wall_ms / 1000, UTC).astimezone()
    return f"modifiée le {format_datetime(moment.replace(tzinfo=None))}"


def value_text(spec_field: Any, value: Any, titles: dict[str, str]) -> str:
    """A bundle value as the user reads it: dates dd/mm/yyyy, Oui/Non, enum labels, linked records by name."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, list):
        return ", ".join(titles.get(uid, "fiche liée") for uid in value)
    kind = getattr(spec_field, "kind", "")
    try:
        if kind == "date":
            return format_date(date.fromisoformat(value))
        if kind == "datetime":
            return format_datetime(datetime.fromisoformat(value))
        if kind == "time":
            return str(value)[:5].replace(":", " h ")
        if kind == "enum":
            return getattr(spec_field.enum(value), "label", str(value))
    except (TypeError, ValueError):
        return str(value)
    if kind == "ref":
        return titles.get(value, "fiche liée")
    if getattr(spec_field, "key", "") == "siret":
        return format_siret(str(value))
    return str(value)


RESTORE_TIP = "La version écartée remplace celle en vigueur, ici puis chez les correspondants"


class ConflictsPanel(QWidget):
    """The conflicts waiting for a decision, and the selected one compared field by field."""

    conflicts_changed = Signal()

    def __init__(self, store: Store, own_code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store, self._own_code = store, own_code
        self._titles: dict[str, str] = {}
        self.count_label = QLabel()
        self.model = RowTableModel(COLUMNS, self)
        self.proxy = RowSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.heading_label = QLabel(wordWrap=True)
        self.differences_check = QCheckBox("Seulement les champs qui diffèrent")
        self.comparison = QTableWidget(0, 3)
        self.keep_button = QPushButton("Garder la version en vigueur")
        self.keep_button.setToolTip("La version appliquée reste ; le conflit est réglé")
        self.restore_button = QPushButton("Rétablir la version écartée")
        self.restore_button.setToolTip(RESTORE_TIP)
        self.owner_label = QLabel(wordWrap=True)
        self.message_label = QLabel(wordWrap=True)
        self._build_layout()
        self.table.selectionModel().currentRowChanged.connect(lambda *_args: self._show_current())
        self.differences_check.toggled.connect(lambda _on: self._show_current())
        self.keep_button.clicked.connect(self.keep)
        self.restore_button.clicked.connect(self.restore)
        self.refresh()

    def refresh(self) -> None:
        from poledesk.sync import conflicts
        from poledesk.sync.overview import record_titles

        current = self.current_conflict()
        with self._store.session() as session:
            rows = conflicts.list_conflicts(session, self._own_code)
            self._titles = record_titles(session, _linked_uids(rows))
        self.model.set_rows(rows)
        number = len(rows)
        self.count_label.setText(f"{plural(number, 'conflit')} à régler" if number else
                                 "Aucun conflit à régler : chaque enregistrement a une seule version.")
        if not self._select(current.id if current is not None else None) and number:
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        self.comparison_box.setVisible(bool(number))
        self._show_current()

    def current_conflict(self) -> ConflictRow | None:
        index = self.table.currentIndex()
        return index.data(RowTableModel.RowRole) if index.isValid() else None

    def comparison_rows(self) -> list[tuple[str, str, str, bool]]:
        """(field, in force, lost, differs) as the comparison shows them (for tests and for copying)."""
        def item(row: int, column: int) -> QTableWidgetItem:
            found = self.comparison.item(row, column)
            assert found is not None   # show_conflict fills every cell of every row
            return found

        return [(item(r, 0).text(), item(r, 1).text(), item(r, 2).text(), item(r, 0).data(Qt.ItemDataRole.UserRole))
                for r in range(self.comparison.rowCount())]

    def keep(self) -> None:
        from poledesk.sync import conflicts

        self._settle(lambda session, row: conflicts.dismiss_conflict(session, row.id),
                     "Conflit réglé : la version en vigueur est gardée.")

    def restore(self) -> None:
        from poledesk.sync import conflicts

        self._settle(lambda session, row: conflicts.restore_lost_version(session, row.id, self._own_code),
                     "Version écartée rétablie : elle partira avec le prochain paquet.")

    def _settle(self, action: Any, done_text: str) -> None:
        from poledesk.sync.errors import SyncError

        row = self.current_conflict()
        if row is None:
            return
        try:
            with self._store.transaction() as session:
                action(session, row)
        except SyncError as error:
            self._say(error.message, error=True)
            self.refresh()
            return
        self.refresh()
        self._say(done_text)
        self.conflicts_changed.emit()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setStyleSheet("color: #b3261e;" if error else "")
        self.message_label.setText(text)

    def _select(self, conflict_id: int | None) -> bool:
        index = self.proxy.first_index_where(lambda row: row.id == conflict_id)
        if index is None:
            return False
        self.table.setCurrentIndex(index)
        return True

    def _build_layout(self) -> None:
        table = self.table
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)
        for section, column in enumerate(COLUMNS):
            if column.width:
                table.horizontalHeader().resizeSection(section, column.width)
        comparison = self.comparison
        comparison.setHorizontalHeaderLabels(["Champ", "Version en vigueur", "Version écartée"])
        comparison.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        comparison.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        comparison.setWordWrap(True)
        comparison.verticalHeader().hide()
        header = comparison.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.count_label)
        top_layout.addWidget(table)
        bottom = self.comparison_box = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.heading_label)
        bottom_layout.addWidget(self.differences_check)
        bottom_layout.addWidget(comparison, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.owner_label, 1)
        bottom_layout.addLayout(buttons)
        bottom_layout.addWidget(self.message_label)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        QVBoxLayout(self).addWidget(splitter)

    def _show_current(self) -> None:
        row = self.current_conflict()
        self.keep_button.setEnabled(row is not None)
        self.restore_button.setEnabled(row is not None and row.can_restore)
        self.comparison.setRowCount(0)
        if row is None:
            self.heading_label.setText("")
            self.owner_label.setText("")
            self.restore_button.setToolTip(RESTORE_TIP)
            return
        self.restore_button.setToolTip(RESTORE_TIP if row.can_restore else
                                       f"Cet enregistrement appartient à « {row.owner} » : lui seul peut le modifier. "
                                       "Vous pouvez garder la version en vigueur.")
        self.heading_label.setText(f"<b>{html.escape(row.label)} « {html.escape(record_name(row))} »</b> – "
                                   f"{html.escape(self._story(row))} Surlignés : les champs qui diffèrent.")
        self.owner_label.setText("" if row.can_restore else
                                 f"Seul « {row.owner} » peut modifier cet enregistrement : ici, on ne peut que "
                                 "garder la version en vigueur.")
        self.comparison.setHorizontalHeaderLabels(["Champ", f"Version en vigueur\n({written_at(row.kept)})",
                                                   f"Version écartée\n({written_at(row.lost)})"])
        self._fill_comparison(row)

    def _fill_comparison(self, row: ConflictRow) -> None:
        from poledesk.sync.records import SPECS

        spec = SPECS.get(row.table_name)
        specs = {f.key: f for f in spec.fields} if spec is not None else {}
        kept_fields = row.kept["fields"] if row.kept is not None else {}
        lines = []
        for key in ordered_keys(row.table_name, kept_fields, row.lost["fields"]):
            differs = key in row.differences
            if self.differences_check.isChecked() and not differs:
                continue
            kept = self._text(specs.get(key), kept_fields.get(key)) if row.kept is not None else EMPTY
            lines.append((field_label(row.table_name, key), kept,
                          self._text(specs.get(key), row.lost["fields"].get(key)), differs))
        if DELETED in row.differences:
            lines.append((field_label(row.table_name, DELETED), _deleted(row.kept), _deleted(row.lost), True))
        self.comparison.setRowCount(len(lines))
        bold = QFont(self.comparison.font())
        bold.setBold(True)
        for number, (label, kept, lost, differs) in enumerate(lines):
            items = [QTableWidgetItem(label), QTableWidgetItem(kept), QTableWidgetItem(lost)]
            items[0].setData(Qt.ItemDataRole.UserRole, differs)
            for column, item in enumerate(items):
                if differs:
                    item.setBackground(DIFFERS_BACKGROUND)
                    item.setFont(bold)
                    item.setToolTip("Ce champ diffère entre les deux versions.")
                self.comparison.setItem(number, column, item)
        self.comparison.resizeRowsToContents()

    def _story(self, row: ConflictRow) -> str:
        """Which version was written here and which arrived, in French (the clock's node says who wrote it)."""
        sender = row.sender or "un autre poste"
        if Hlc.decode(row.lost["hlc"]).node == self._store.clock.node:
            return (f"une modification faite sur ce poste a été écartée : la version arrivée de {sender}, plus "
                    "récente, l'a emporté.")
        return (f"une version arrivée de {sender} a été écartée : celle de ce poste, plus récente, l'a emporté.")

    def _text(self, spec_field: Any, value: Any) -> str:
        return value_text(spec_field, value, self._titles)


def _deleted(version: dict[str, Any] | None) -> str:
    if version is None or not version.get("deleted_at"):
        return "Non"
    return f"Oui, le {format_date(datetime.fromisoformat(version['deleted_at']))}"


def _linked_uids(rows: list[ConflictRow]) -> dict[str, set[str]]:
    """The records the conflicts' versions point to, by table, to show them by name."""
    from poledesk.sync.records import SPECS

    wanted: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        spec = SPECS.get(row.table_name)
        if spec is None:
            continue
        for version in (row.kept, row.lost):
            fields = version["fields"] if version is not None else {}
            for field_spec in spec.fields:
                if field_spec.kind == "ref" and fields.get(field_spec.key):
                    wanted[field_spec.target or ""].add(fields[field_spec.key])
            for link in spec.links:
                wanted[link.target].update(fields.get(link.key) or ())
    return wanted


class ConflictsDialog(QDialog):
    """The panel in its own window, for the Échanges menu (a pole has no Coordination tab)."""

    def __init__(self, store: Store, own_code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ui_state.keep_geometry(self, store.folder)
        self.setWindowTitle("Conflits à régler")
        self.panel = ConflictsPanel(store, own_code, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setToolTip("Fermer ; les conflits non réglés restent")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(buttons)
        self.resize(1100, 680)
