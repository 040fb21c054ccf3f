"""The Coordination tab (coordinator only): the académie's poles, their shared partners, the bundles, the conflicts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.db import Store
from poledesk.data.text import format_count, plural
from poledesk.data.validation import format_siret
from poledesk.ui.conflicts_panel import ConflictsPanel
from poledesk.ui.detail_panel import Detail, DetailPanel, Section
from poledesk.ui.dialogs.peers_dialog import local_text, short_fingerprint
from poledesk.ui.models import Column, RowSortProxy, RowTableModel

if TYPE_CHECKING:
    from poledesk.sync.exchange import BundleLogRow
    from poledesk.sync.overview import PoleOverview

STATE_COLOURS = {"vérifié": QColor("#1e6b34"), "révoqué": QColor("#b3261e"),
                 "à vérifier par téléphone": QColor("#8a5300"), "pas de carte": QColor("#6b6b6b")}
COUNTED = (("partner", "Partenaires"), ("contact", "Contacts"), ("escalation", "Sollicitations"),
           ("placement", "Stages"))   # the pole's file beside the table lists every type
SUMMARY_WORDS = (("added", "ajouté"), ("updated", "modifié"), ("deleted", "supprimé"), ("conflicts", "conflit"))


def number(value: int) -> str:
    return format_count(value)


def _count_column(table: str, header: str) -> Column:
    return Column(header, lambda p: number(p.counts.get(table, 0)), sort_key=lambda p: p.counts.get(table, 0),
                  align_right=True, width=60)   # widened to the header by _table


POLE_COLUMNS = (
    Column("Code", lambda p: p.code, width=70),
    Column("Nom", lambda p: p.name, width=220, tooltip=lambda p: p.name),
    Column("Clé", lambda p: p.state, width=160, foreground=lambda p: STATE_COLOURS.get(p.state)),
    Column("Empreinte", lambda p: f"{p.fingerprint[:4]} {p.fingerprint[4:8]} …" if p.fingerprint else "—",
           width=100, tooltip=lambda p: p.fingerprint),
    Column("Dernier paquet", lambda p: local_text(p.last_received_at) or "—", sort_key=lambda p: p.last_received_at,
           width=105),
    Column("N°", lambda p: str(p.last_sequence_received) if p.last_sequence_received else "—",
           sort_key=lambda p: p.last_sequence_received, align_right=True, width=45),
    *(_count_column(table, header) for table, header in COUNTED),
    Column("Total", lambda p: number(p.records), sort_key=lambda p: p.records, align_right=True, width=80),
)


def summary_text(row: BundleLogRow) -> str:
    if not row.received:
        return ""
    parts = []
    for what, word in SUMMARY_WORDS:
        total = sum(row.summary.get(what, {}).values())
        parts.append(plural(total, word))
    return ", ".join(parts)


LOG_COLUMNS = (
    Column("Sens", lambda r: "Reçu" if r.received else "Envoyé", width=70),
    Column("Pôle", lambda r: r.peer, width=80),
    Column("N°", lambda r: str(r.sequence), sort_key=lambda r: r.sequence, align_right=True, width=45),
    Column("Contenu", lambda r: {"full": "complet", "recovery": "restauration"}.get(r.kind, "changements"), width=100),
    Column("Enregistrements", lambda r: number(r.records), sort_key=lambda r: r.records, align_right=True,
           width=115),
    Column("Date", lambda r: local_text(r.at, time=True), sort_key=lambda r: r.at, width=130),
    Column("À jour", lambda r: "—" if r.in_step is None else ("Oui" if r.in_step else "Non"), width=60,
           tooltip=lambda r: "Après ce paquet, ce poste avait tout ce que le pôle avait envoyé." if r.in_step
           else None),
    Column("Résumé", summary_text),
)


def _table(model: RowTableModel, proxy: RowSortProxy, columns: tuple[Column, ...]) -> QTableView:
    proxy.setSourceModel(model)
    table = QTableView()
    table.setModel(proxy)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    metrics = table.horizontalHeader().fontMetrics()
    for section, column in enumerate(columns):
        if column.width:   # never narrower than the header: « Sollicitations » must not be cut
            width = max(column.width, metrics.horizontalAdvance(column.header) + 24)
            table.horizontalHeader().resizeSection(section, width)
    table.setSortingEnabled(True)
    return table


class CoordinationTab(QWidget):
    """Four pages: Pôles (with the selected pole's file), Partenaires communs, Paquets, Conflits."""

    def __init__(self, store: Store, own_code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.summary_label = QLabel()
        self.pages = QTabWidget()
        self.poles_model = RowTableModel(POLE_COLUMNS, self)
        self.poles_proxy = RowSortProxy(self)
        self.poles_table = _table(self.poles_model, self.poles_proxy, POLE_COLUMNS)
        self.pole_detail = DetailPanel("Sélectionnez un pôle pour voir ses clés, ses paquets et ses enregistrements.")
        self.shared_label = QLabel(wordWrap=True)
        self.shared_tree = QTreeWidget()
        self.log_model = RowTableModel(LOG_COLUMNS, self)
        self.log_proxy = RowSortProxy(self)
        self.log_table = _table(self.log_model, self.log_proxy, LOG_COLUMNS)
        self.conflicts_panel = ConflictsPanel(store, own_code)
        self._build_layout()
        self.poles_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.log_table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
        self.poles_table.selectionModel().currentRowChanged.connect(lambda *_args: self._show_pole())
        self.conflicts_panel.conflicts_changed.connect(self._update_summary)
        self.loaded = False

    def showEvent(self, event: QShowEvent) -> None:
        # Loaded when first shown: reading the bundle history loads the crypto, which start-up need not wait for.
        if not self.loaded:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        """Reload every page (after bundles were imported or written, or a card pinned)."""
        from poledesk.sync import exchange, overview

        self.loaded = True

        selected = self.current_pole()
        with self._store.session() as session:
            poles = overview.pole_overview(session)
            shared = overview.shared_partners(session)
            log = exchange.bundle_log(session)
        self.poles_model.set_rows(poles)
        self._fill_shared(shared)
        self.log_model.set_rows(log)
        self.conflicts_panel.refresh()
        self._update_summary()
        if selected is None or not self.select_pole(selected.code):
            self._show_pole()

    def current_pole(self) -> PoleOverview | None:
        index = self.poles_table.currentIndex()
        return index.data(RowTableModel.RowRole) if index.isValid() else None

    def select_pole(self, code: str) -> bool:
        for row in range(self.poles_proxy.rowCount()):
            index = self.poles_proxy.index(row, 0)
            if index.data(RowTableModel.RowRole).code == code:
                self.poles_table.setCurrentIndex(index)
                self._show_pole()
                return True
        return False

    def _build_layout(self) -> None:
        poles_page = QSplitter(Qt.Orientation.Horizontal)
        poles_page.addWidget(self.poles_table)
        poles_page.addWidget(self.pole_detail)
        poles_page.setStretchFactor(0, 3)
        poles_page.setStretchFactor(1, 1)
        poles_page.setChildrenCollapsible(False)
        self.pole_detail.setMinimumWidth(280)
        shared_page = QWidget()
        shared_layout = QVBoxLayout(shared_page)
        shared_layout.addWidget(self.shared_label)
        shared_layout.addWidget(self.shared_tree)
        self.shared_tree.setHeaderLabels(["SIRET", "Pôle", "Nom dans le pôle"])
        self.shared_tree.setColumnWidth(0, 190)
        self.shared_tree.setColumnWidth(1, 260)
        self.shared_tree.setAlternatingRowColors(True)
        self.pages.addTab(poles_page, "Pôles")
        self.pages.addTab(shared_page, "Partenaires communs")
        self.pages.addTab(self.log_table, "Paquets")
        self.pages.addTab(self.conflicts_panel, "Conflits")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.pages)

    def _update_summary(self) -> None:
        poles = self.poles_model.rows
        verified = sum(1 for p in poles if p.state == "vérifié")
        conflicts = self.conflicts_panel.model.rowCount()
        self.pages.setTabText(3, f"Conflits ({conflicts})" if conflicts else "Conflits")
        self.summary_label.setText(f"{plural(len(poles), 'pôle', 'pôles')}, dont "
                                   f"{plural(verified, 'vérifié')} ; "
                                   f"{plural(conflicts, 'conflit à régler', 'conflits à régler')}.")

    def _fill_shared(self, shared: list[Any]) -> None:
        self.shared_tree.clear()
        for group in shared:
            names = sorted({name for _pole, name in group.names})
            poles = f"{len(group.poles)} pôles : {', '.join(group.poles)}"
            parent = QTreeWidgetItem([format_siret(group.siret), poles, " / ".join(names)])
            font = parent.font(0)
            font.setBold(True)
            for column in range(3):
                parent.setFont(column, font)
            for pole, name in group.names:
                parent.addChild(QTreeWidgetItem(["", pole, name]))
            self.shared_tree.addTopLevelItem(parent)
        self.shared_tree.expandAll()
        self.shared_label.setText(
            f"{plural(len(shared), 'SIRET présent', 'SIRET présents')} dans plusieurs pôles. Chaque pôle garde sa "
            "propre fiche de l'entreprise : elles sont seulement rapprochées ici." if shared else
            "Aucun SIRET n'est présent dans plusieurs pôles.")

    def _show_pole(self) -> None:
        pole = self.current_pole()
        if pole is None:
            self.pole_detail.show_detail(None)
            return
        from poledesk.sync import exchange
        from poledesk.sync.overview import TABLE_WORDS

        with self._store.session() as session:
            history = exchange.bundle_log(session, pole.code)[:5]
        keys = Section("Clé", [("État", pole.state),
                               ("Vérifiée le", local_text(pole.verified_at)),
                               ("Empreinte", short_fingerprint(pole.fingerprint) if pole.fingerprint else "")])
        exchanges = Section("Échanges", [
            ("Dernier paquet reçu", f"n° {pole.last_sequence_received} le {local_text(pole.last_received_at)}"
             if pole.last_received_at else "aucun"),
            ("Dernier paquet envoyé", f"n° {pole.last_sequence_sent} le {local_text(pole.last_sent_at)}"
             if pole.last_sent_at else "aucun"),
            ("Accusé par le pôle", f"n° {pole.acknowledged_by_peer}" if pole.acknowledged_by_peer else "aucun")])
        records = Section("Enregistrements", [(TABLE_WORDS[t][1].capitalize(), number(n))
                                              for t, n in sorted(pole.counts.items(), key=_table_order)
                                              if n and t != "pole"],
                          empty_text="Aucun enregistrement reçu de ce pôle.")
        bundles = Section("Derniers paquets", [
            (f"{'Reçu' if r.received else 'Envoyé'} n° {r.sequence}",
             f"{local_text(r.at, time=True)} – {plural(r.records, 'enregistrement', 'enregistrements')}")
            for r in history], empty_text="Aucun paquet échangé.")
        self.pole_detail.show_detail(Detail(f"{pole.code} – {pole.name}" if pole.name else pole.code,
                                            sections=(keys, exchanges, records, bundles)))


def _table_order(item: tuple[str, int]) -> int:
    from poledesk.sync.records import ORDER

    return ORDER.index(item[0]) if item[0] in ORDER else len(ORDER)
