"""A convention, avenant or attestation shown in the app (QPdfView), printed through Qt's dialog, or saved as PDF."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRect, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from poledesk.data.files import write_atomically
from poledesk.data.system_errors import os_error_message
from poledesk.data.text import plural
from poledesk.ui import messages

log = logging.getLogger(__name__)

PDF_FILTER = "Document PDF (*.pdf)"
PRINT_DPI_MAX = 300   # an A4 page at 1200 dpi would be a 550 MB image; 300 dpi prints text crisply
ZOOM_STEP = 1.25


def load_pdf(document: QPdfDocument, data: bytes) -> QBuffer:
    """Load `data` into `document`; keep the returned buffer alive as long as the document reads it."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return buffer


def print_pdf(document: QPdfDocument, printer: QPrinter) -> int:
    """Print the document's pages (the range chosen in the print dialog, else all); the number printed.

    Each page is rendered to an image at the printer's resolution (at most PRINT_DPI_MAX) and drawn on the
    whole sheet: the PDF carries its own margins. 0 when the printer could not be opened.
    """
    count = document.pageCount()
    first = max(printer.fromPage(), 1) - 1 if printer.fromPage() else 0
    last = min(printer.toPage(), count) - 1 if printer.toPage() else count - 1
    painter = QPainter()
    if count == 0 or not painter.begin(printer):
        return 0
    printed = 0
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        sheet = painter.viewport()
        dpi = min(printer.resolution(), PRINT_DPI_MAX)
        for page in range(first, last + 1):
            if printed:
                printer.newPage()
            points = document.pagePointSize(page)
            image = document.render(page, QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72)))
            target = _fitted(points, sheet)
            painter.fillRect(target, Qt.GlobalColor.white)   # the rendered page is transparent where blank
            painter.drawImage(target, image)
            printed += 1
    finally:
        painter.end()
    return printed


def _fitted(page: QSizeF, sheet: QRect) -> QRect:
    """The page scaled into the sheet, proportions kept, centred (A4 on A4 fills it)."""
    scale = min(sheet.width() / page.width(), sheet.height() / page.height())
    width, height = round(page.width() * scale), round(page.height() * scale)
    return QRect(sheet.x() + (sheet.width() - width) // 2, sheet.y() + (sheet.height() - height) // 2, width, height)


PRINT_FAILED = ("L'impression n'a pas pu démarrer : vérifiez que l'imprimante est allumée et disponible, ou "
                "enregistrez la convention en PDF.")


def ask_and_print(document: QPdfDocument, title: str, parent: QWidget, *, pdf: bytes | None = None) -> int | None:
    """Qt's print dialog (in French with the app's translation), then the pages: the number printed, 0 when the
    printer would not start, None when the user closed the dialog. « Imprimer dans un fichier » writes `pdf`,
    the document's own PDF, when given (see finish_print).

    exec(), not open(): the platform's native print dialog is modal by nature, and the printer must not be used
    before it is closed.
    """
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Imprimer – {title}")
    dialog.setMinMax(1, max(document.pageCount(), 1))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        printed = finish_print(document, printer, pdf)
    finally:
        QGuiApplication.restoreOverrideCursor()
    log.info("printed %d page(s)", printed)
    return printed


def finish_print(document: QPdfDocument, printer: QPrinter, pdf: bytes | None) -> int:
    """Print on the chosen printer; « Imprimer dans un fichier » writes the document's own PDF instead (real
    text, a few dozen kB) rather than pages rendered as images (megabytes, no text). The pages written."""
    target = printer.outputFileName()
    if pdf is not None and printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and target:
        if not Path(target).parent.is_dir() or save_pdf(pdf, Path(target)):
            return 0   # as Qt's own PDF printer: no folder made for it
        return document.pageCount()
    return print_pdf(document, printer)


def choose_pdf_file(parent: QWidget, caption: str, suggested: Path) -> Path | None:
    chosen, _filter = QFileDialog.getSaveFileName(parent, caption, str(suggested), PDF_FILTER)
    if not chosen:
        return None
    return Path(chosen) if Path(chosen).suffix.lower() == ".pdf" else Path(f"{chosen}.pdf")


def save_pdf(data: bytes, target: Path) -> str:
    """Write the PDF whole or not at all; '' on success, else the French reason."""
    try:
        write_atomically(target, data)
    except OSError as error:
        return f"Impossible d'écrire « {target} » : {os_error_message(error)} Aucun fichier n'a été enregistré."
    return ""


def warnings_text(warnings: Sequence[str], question: str) -> str:
    """'La convention présente 2 points d'attention : … Imprimer quand même ?'"""
    count = len(warnings)
    points = f"{plural(count, 'point')} d'attention"
    return f"La convention présente {points} :\n" + "\n".join(f"• {w}" for w in warnings) + f"\n\n{question}"


def confirm_warnings(parent: QWidget, warnings: Sequence[str], verb: str,
                     then: Callable[[], object]) -> QMessageBox | None:
    """Run `then` at once when there is no warning, else after « Oui » to '<verb> quand même ?'; the box asked."""
    if not warnings:
        then()
        return None
    return messages.confirmation(parent, "Points d'attention", warnings_text(warnings, f"{verb} quand même ?"), then,
                                 yes=f"{verb} quand même", icon=QMessageBox.Icon.Warning)


class ConventionPreviewDialog(QDialog):
    """The PDF in a QPdfView (page 1 first, fitted to the width), with page moves, zoom, print and save.

    `warnings` are asked about before printing or saving; `printed` and `saved` tell the caller, which records
    the convention as printed.
    """

    printed = Signal(int)    # pages printed
    saved = Signal(object)   # the Path written

    def __init__(self, data: bytes, *, title: str, suggested: Path, warnings: Sequence[str] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.data, self.title, self.suggested, self.warnings = data, title, suggested, tuple(warnings)
        self.message_box: QMessageBox | None = None
        self.document = QPdfDocument(self)
        self._buffer = load_pdf(self.document, data)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.previous_button, self.next_button = QPushButton("◀ Page précédente"), QPushButton("Page suivante ▶")
        self.page_label = QLabel()
        self.previous_button.setToolTip("Afficher la page précédente")
        self.next_button.setToolTip("Afficher la page suivante")
        self.fit_width_button = QPushButton("Ajuster à la largeur")
        self.fit_width_button.setToolTip("La page aussi large que la fenêtre")
        self.whole_page_button = QPushButton("Page entière")
        self.whole_page_button.setToolTip("La page entière dans la fenêtre")
        self.zoom_out_button, self.zoom_in_button = QPushButton("−"), QPushButton("+")
        self.print_button, self.save_button = QPushButton("Imprimer…"), QPushButton("Enregistrer en PDF…")
        self.print_button.setToolTip("Imprimer ce document sur une imprimante, ou en PDF avec son vrai texte")
        self.save_button.setToolTip("Écrire ce document dans un fichier PDF")
        self.close_button = QPushButton("Fermer")
        self.close_button.setToolTip("Fermer l'aperçu (Échap)")
        self._build_layout()
        self._connect()
        self._show_page()

    def _build_layout(self) -> None:
        self.zoom_out_button.setToolTip("Réduire")
        self.zoom_in_button.setToolTip("Agrandir")
        for button in (self.zoom_out_button, self.zoom_in_button):
            button.setFixedWidth(button.fontMetrics().horizontalAdvance("+") + 28)
        tools = QHBoxLayout()
        for widget in (self.previous_button, self.page_label, self.next_button):
            tools.addWidget(widget)
        tools.addStretch(1)
        for widget in (self.fit_width_button, self.whole_page_button, self.zoom_out_button, self.zoom_in_button):
            tools.addWidget(widget)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for widget in (self.print_button, self.save_button, self.close_button):
            buttons.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.print_button.setDefault(True)
        screen = QGuiApplication.primaryScreen().availableGeometry()
        self.resize(min(900, screen.width() - 80), min(1000, screen.height() - 80))

    def _connect(self) -> None:
        navigator = self.view.pageNavigator()
        navigator.currentPageChanged.connect(lambda _page: self._show_page())
        self.previous_button.clicked.connect(lambda: self.go_to_page(navigator.currentPage() - 1))
        self.next_button.clicked.connect(lambda: self.go_to_page(navigator.currentPage() + 1))
        self.fit_width_button.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        self.whole_page_button.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        self.zoom_in_button.clicked.connect(lambda: self._zoom(ZOOM_STEP))
        self.zoom_out_button.clicked.connect(lambda: self._zoom(1 / ZOOM_STEP))
        self.print_button.clicked.connect(lambda: self._ask(self.print_document, "Imprimer"))
        self.save_button.clicked.connect(lambda: self._ask(self.save_document, "Enregistrer"))
        self.close_button.clicked.connect(self.accept)

    @property
    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> None:
        if 0 <= page < self.document.pageCount():
            self.view.pageNavigator().jump(page, QPointF(), self.view.pageNavigator().currentZoom())

    def _show_page(self) -> None:
        # The view's navigator reports a last page change while the dialog's children are being deleted.
        if not (shiboken6.isValid(self.document) and shiboken6.isValid(self.view)):
            return
        count, page = self.document.pageCount(), self.current_page
        self.page_label.setText(f"Page {page + 1} sur {count}" if count else "Document illisible")
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < count - 1)

    def _zoom(self, factor: float) -> None:
        # From whatever the fitted modes show, so that « + » after « Page entière » zooms from there.
        current = self.view.zoomFactor() if self.view.zoomMode() == QPdfView.ZoomMode.Custom else self._fitted_zoom()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.25, min(current * factor, 5.0)))

    def _fitted_zoom(self) -> float:
        points = self.document.pagePointSize(0)
        pixels = points.width() * self.logicalDpiX() / 72 if points.width() else 1
        return max(self.view.viewport().width() - 20, 1) / pixels

    def _ask(self, action: Callable[[], object], verb: str) -> None:
        self.message_box = confirm_warnings(self, self.warnings, verb, action)

    def print_document(self) -> int | None:
        printed = ask_and_print(self.document, self.title, self, pdf=self.data)
        if printed == 0:
            self._warn(PRINT_FAILED)
        elif printed:
            self.printed.emit(printed)
        return printed

    def save_document(self) -> Path | None:
        target = choose_pdf_file(self, f"Enregistrer en PDF – {self.title}", self.suggested)
        if target is None:
            return None
        problem = save_pdf(self.data, target)
        if problem:
            self._warn(problem)
            return None
        self.saved.emit(target)
        return target

    def _warn(self, text: str) -> None:
        self.message_box = messages.warning(self, self.title, text)
