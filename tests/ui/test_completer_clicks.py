"""A completion pop-up never swallows the click aimed at the next field."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from poledesk.ui.dialogs.training_session_dialog import TrainingSessionDialog


def test_the_click_that_closes_the_lieu_popup_reaches_the_next_field(qtbot, small_store):
    dialog = TrainingSessionDialog(small_store)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.place_edit.setFocus()
    qtbot.keyClicks(dialog.place_edit, "C")                # « CCI d'Épinal » is offered
    popup = dialog.place_edit.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    # While it is open the pop-up holds the mouse: a click elsewhere reaches the pop-up first, as here.
    target = dialog.trainer_edit
    aim = popup.mapFromGlobal(target.mapToGlobal(QPoint(10, target.height() - 3)))   # below the one-line popup
    assert not popup.rect().contains(aim)
    QTest.mouseClick(popup, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, aim)
    qtbot.waitUntil(lambda: not popup.isVisible())
    qtbot.waitUntil(target.hasFocus)                       # one click: the popup closed and the field took it
    qtbot.keyClicks(target, "Claire")
    assert target.text() == "Claire" and dialog.place_edit.text() == "C"
