"""Dialogs never taller than the screen: a dialog that would not fit shows its fields in a scroll area, with its
buttons kept in view below them."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QBoxLayout, QDialog, QDialogButtonBox, QFrame, QScrollArea, QVBoxLayout, QWidget

FRAME_ROOM = 40   # the window manager's title bar and borders, outside the dialog's own height


def available_height(widget: QWidget) -> int:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry().height() - FRAME_ROOM


def fit_to_screen(dialog: QDialog) -> None:
    """Keep `dialog` inside its screen's height: its fields scroll when they need more room than the screen has."""
    room = available_height(dialog)
    if dialog.sizeHint().height() > room and not dialog.property("scrolls_to_fit"):
        _scroll_contents(dialog)
    if dialog.height() > room:
        dialog.resize(dialog.width(), room)
    dialog.setMaximumHeight(max(room, dialog.minimumSizeHint().height()))


def _scroll_contents(dialog: QDialog) -> None:
    layout = dialog.layout()
    if not isinstance(layout, QBoxLayout):
        return   # a dialog laid out otherwise keeps its layout; its height is still clamped
    inner = QWidget()
    inner_layout = QVBoxLayout(inner)
    inner_layout.setContentsMargins(0, 0, 0, 0)
    buttons: list[QWidget] = []
    for item in [layout.takeAt(0) for _ in range(layout.count())]:
        if item is None:
            continue
        widget, child = item.widget(), item.layout()
        if isinstance(widget, QDialogButtonBox):
            buttons.append(widget)
        elif widget is not None:
            inner_layout.addWidget(widget)
        elif child is not None:
            inner_layout.addLayout(child)
        else:
            inner_layout.addItem(item)
    area = QScrollArea(widgetResizable=True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    area.setMinimumWidth(inner.sizeHint().width() + area.verticalScrollBar().sizeHint().width())
    layout.addWidget(area, 1)
    for box in buttons:
        layout.addWidget(box)
    layout.activate()   # the new minimum height now, before the dialog is resized below the old one
    dialog.setProperty("scrolls_to_fit", True)


class DialogScreenFit(QObject):
    """Installed on the application: every dialog is fitted to the screen as it is shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog) and watched.isWindow():
            fit_to_screen(watched)
        return super().eventFilter(watched, event)
