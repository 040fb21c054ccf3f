"""The « Suivi de la convention » page of the Stages tab: the moves allowed, the signed copy, avenants, attestation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.conventions.document import AmendmentInfo
from poledesk.data.conventions.tracking import SIGNED_STATUSES, ConventionState
from poledesk.data.conventions.versions import VersionRow
from poledesk.data.enums import ConventionStatus
from poledesk.data.text import format_date

S = ConventionStatus
MOVE_TEXTS = {   # the moves a button makes; « Imprimée » comes from printing or saving, never from a button
    S.SIGNED: "Marquer signée…",
    S.SIGNED_OUTSIDE: "Signée hors PoleDesk…",
    S.DRAFT: "Revenir au brouillon",
    S.CANCELLED: "Annuler la convention…",
}
MOVE_TIPS = {
    S.SIGNED: "Noter la date à laquelle toutes les parties ont signé la convention imprimée",
    S.SIGNED_OUTSIDE: "La convention a été signée sur un autre document que celui de PoleDesk",
    S.DRAFT: "Possible tant que la convention imprimée n'est pas signée",
    S.CANCELLED: "Le stage n'aura pas lieu : la convention ne s'imprime plus et ne change plus de statut",
}
NumberRole, SignedRole = Qt.ItemDataRole.UserRole, Qt.ItemDataRole.UserRole + 1
VersionRole = Qt.ItemDataRole.UserRole + 2


class TrackingBox(QScrollArea):
    """Shows a ConventionState; the convention panel connects the buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, widgetResizable=True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.status_label = QLabel(wordWrap=True)
        self.move_buttons = {to: QPushButton(text) for to, text in MOVE_TEXTS.items()}
        self.moves_hint = QLabel(wordWrap=True)
        self.copy_label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.attach_button = QPushButton("Joindre la copie signée…")
        self.open_copy_button = QPushButton("Ouvrir la copie signée")
        self.open_copy_button.setToolTip("Ouvrir le scan ou la photo de la convention signée, vérifiée contre son "
                                         "empreinte")
        self.amendments_list = QListWidget()
        self.amendments_list.setWordWrap(True)
        self.amendments_hint = QLabel(wordWrap=True)
        self.amend_button = QPushButton("Établir un avenant…")
        self.amend_button.setToolTip("Modifier les dates, l'emploi du temps, le tuteur ou les annexes par un avenant "
                                     "à faire signer")
        self.amendment_preview_button = QPushButton("Aperçu de l'avenant")
        self.amendment_preview_button.setToolTip("Afficher l'avenant choisi dans la liste, pour l'imprimer ou "
                                                 "l'enregistrer en PDF")
        self.amendment_sign_button = QPushButton("Marquer l'avenant signé…")
        self.amendment_sign_button.setToolTip("Noter la date à laquelle les signataires ont signé l'avenant choisi")
        self.versions_hint = QLabel(wordWrap=True)
        self.versions_list = QListWidget()
        self.versions_list.setWordWrap(True)
        self.version_save_button = QPushButton("Enregistrer cette version en PDF…")
        self.version_save_button.setToolTip("Le PDF de la convention telle qu'elle avait été imprimée, avant la "
                                            "modification du stage")
        self.versions: list[VersionRow] = []
        self.attestation_label = QLabel(wordWrap=True)
        self.attestation_button = QPushButton("Attestation de stage…")
        self.attestation_button.setToolTip("L'attestation de stage à faire signer par la structure d'accueil, dès le "
                                           "début du stage")
        self._build_layout()
        self.amendments_list.currentRowChanged.connect(lambda _row: self._update_amendment_buttons())

    def _build_layout(self) -> None:
        for to, button in self.move_buttons.items():
            button.setToolTip(MOVE_TIPS[to])
        self.attach_button.setToolTip("Un PDF ou une photo (JPEG, PNG) de 20 Mo au plus")
        self.amendments_list.setAlternatingRowColors(True)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(_group("Statut", self.status_label, self.moves_hint, _grid(*self.move_buttons.values())))
        layout.addWidget(_group("Copie signée", self.copy_label, _row(self.attach_button, self.open_copy_button)))
        layout.addWidget(_group("Avenants", self.amendments_hint, self.amendments_list, _grid(
            self.amendment_preview_button, self.amendment_sign_button, self.amend_button)))
        self.versions_group = _group("Versions imprimées remplacées", self.versions_hint, self.versions_list,
                                     _row(self.version_save_button))
        layout.addWidget(self.versions_group)
        layout.addWidget(_group("Attestation de stage", self.attestation_label, _row(self.attestation_button)))
        layout.addStretch(1)
        self.setWidget(content)

    def show_state(self, state: ConventionState | None) -> None:
        self.setEnabled(state is not None)
        status = state.status if state is not None else S.DRAFT
        self.status_label.setText(state.status_text() if state else "")
        for to, button in self.move_buttons.items():
            button.setVisible(state is not None and to in state.moves)
        self.moves_hint.setText(_moves_hint(state))
        self.moves_hint.setVisible(bool(self.moves_hint.text()))
        signed = state is not None and status in SIGNED_STATUSES
        self.copy_label.setText(_copy_text(state))
        self.attach_button.setEnabled(signed)
        self.open_copy_button.setEnabled(state is not None and bool(state.signed_copy_file))
        self._show_amendments(state)
        self.amend_button.setVisible(signed)
        self.attestation_button.setEnabled(state is not None and state.attestation_available)
        self.attestation_label.setText(_attestation_text(state))

    def show_versions(self, rows: list[VersionRow]) -> None:
        """The papers printed then made obsolete by an edit of the stage, the newest first."""
        self.versions = rows
        self.versions_list.clear()
        for row in rows:
            item = QListWidgetItem(row.text())
            item.setData(VersionRole, row.id)
            self.versions_list.addItem(item)
        self.versions_group.setVisible(bool(rows))
        pending = next((r for r in rows if r.reprinted_on is None), None)
        self.versions_hint.setText("La convention a été modifiée depuis son impression : réimprimez-la et remettez "
                                   "la nouvelle version aux signataires." if pending else
                                   "Les versions imprimées avant une modification du stage, gardées telles quelles :")
        if rows:
            self.versions_list.setCurrentRow(0)
            self.versions_list.setFixedHeight(self.versions_list.fontMetrics().lineSpacing() * (min(2 * len(rows), 6)
                                              + 1) + 2 * self.versions_list.frameWidth() + 4)
        self.version_save_button.setEnabled(bool(rows))

    def current_version(self) -> int | None:
        item = self.versions_list.currentItem()
        version: int | None = item.data(VersionRole) if item is not None else None
        return version

    def current_amendment(self) -> int | None:
        item = self.amendments_list.currentItem()
        number: int | None = item.data(NumberRole) if item is not None else None
        return number

    def _show_amendments(self, state: ConventionState | None) -> None:
        self.amendments_list.clear()
        amendments = state.amendments if state is not None else ()
        for amendment in reversed(amendments):   # the latest first: the one to print and have signed
            item = QListWidgetItem(amendment_text(amendment))
            item.setData(NumberRole, amendment.number)
            item.setData(SignedRole, amendment.signed_on is not None)
            self.amendments_list.addItem(item)
        self.amendments_list.setVisible(bool(amendments))
        signed = state is not None and state.status in SIGNED_STATUSES
        self.amendments_hint.setText(
            "Aucun avenant." + (" Modifier les dates, l'emploi du temps ou le tuteur de ce stage établit un "
                                "avenant à faire signer." if signed else "") if not amendments else
            "Les avenants, du plus récent au plus ancien :")
        if amendments:
            self.amendments_list.setCurrentRow(0)
            # Room for two wrapped lines an avenant, three avenants at most (the page may be hidden: no row sizes).
            lines = min(2 * len(amendments), 6) + 1
            self.amendments_list.setFixedHeight(self.amendments_list.fontMetrics().lineSpacing() * lines
                                                + 2 * self.amendments_list.frameWidth() + 4)
        self._update_amendment_buttons()

    def _update_amendment_buttons(self) -> None:
        item = self.amendments_list.currentItem()
        self.amendment_preview_button.setEnabled(item is not None)
        self.amendment_sign_button.setEnabled(item is not None and not item.data(SignedRole))


def amendment_text(amendment: AmendmentInfo) -> str:
    """'Avenant n° 2 du 12/03/2026 – Date de fin : 10/04/2026 → 17/04/2026 – signé le 15/03/2026'."""
    changes = " ; ".join(f"{c.label} : {c.before} → {c.after}" for c in amendment.changes) or "sans changement lu"
    signed = f"signé le {format_date(amendment.signed_on)}" if amendment.signed_on else "à faire signer"
    reason = f" ({amendment.reason.rstrip('.')})" if amendment.reason else ""
    return f"Avenant n° {amendment.number} du {format_date(amendment.created_on)}{reason} – {changes} – {signed}"


def _moves_hint(state: ConventionState | None) -> str:
    if state is None:
        return ""
    if state.status is S.DRAFT:
        return "Imprimer ou enregistrer la convention la fait passer à « Imprimée »."
    if state.status is S.CANCELLED:
        return "Une convention annulée ne change plus de statut."
    return ""


def _copy_text(state: ConventionState | None) -> str:
    if state is None:
        return ""
    if state.signed_copy_file:
        return f"Copie jointe : {state.signed_copy_file}"
    if state.status in SIGNED_STATUSES:
        return "Aucune copie jointe. Joignez le scan ou la photo de la convention signée."
    return "La copie signée se joint une fois la convention marquée signée."


def _attestation_text(state: ConventionState | None) -> str:
    if state is None:
        return ""
    if state.status is S.CANCELLED:
        return "Pas d'attestation pour une convention annulée."
    if not state.attestation_available:
        return f"Disponible dès le début du stage, le {format_date(state.start_date)}."
    ended = state.end_date < state.today
    return ("Stage terminé le " if ended else "Stage en cours jusqu'au ") + format_date(state.end_date) + \
        " : l'attestation est à faire signer par la structure d'accueil."


def _group(title: str, *widgets: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    for widget in widgets:
        layout.addWidget(widget)
    return box


def _grid(*buttons: QPushButton) -> QWidget:
    """Buttons two by two: the panel is narrow, and hidden buttons leave no hole at the end of a row."""
    grid = QWidget()
    layout = QGridLayout(grid)
    layout.setContentsMargins(0, 0, 0, 0)
    for index, button in enumerate(buttons):
        layout.addWidget(button, index // 2, index % 2)
    layout.setColumnStretch(2, 1)
    return grid


def _row(*buttons: QPushButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for button in buttons:
        layout.addWidget(button)
    layout.addStretch(1)
    return row
