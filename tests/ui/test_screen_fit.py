"""The window on a laptop screen (1280×800, 1366×768): every tab and the dialogs it opens show whole buttons and
headers, tables fit their width, cut cells say their text, and no dialog is taller than the screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QPushButton,
    QStyle,
    QTableView,
    QToolTip,
    QWidget,
)

from poledesk import paths
from poledesk.ui.main_window import MainWindow
from poledesk.ui.widgets.list_tab import ListTab
from poledesk.ui.widgets.screen_fit import DialogScreenFit, available_height
from poledesk.ui.widgets.table_fit import header_is_cut

LAPTOPS = [(1280, 800), (1366, 768)]


def needed_width(button: QAbstractButton) -> int:
    """About what a button needs to show its text whole: a push button's text and margins (its size hint adds a
    minimum width that a narrow « + » does not need); any other button's size hint. A button as wide as its
    size hint is whole."""
    if isinstance(button, QPushButton):
        margin = button.style().pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, None, button)
        icon = button.iconSize().width() + 4 if not button.icon().isNull() else 0
        indicator = button.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, None, button)
        menu = indicator + margin if button.menu() is not None else 0
        return button.fontMetrics().horizontalAdvance(button.text().replace("&", "")) + 2 * margin + icon + menu
    return button.sizeHint().width()


def cut_buttons(widget: QWidget) -> list[str]:
    return [b.text() for b in widget.findChildren(QAbstractButton)
            if b.isVisibleTo(widget) and b.text() and b.width() < min(needed_width(b), b.sizeHint().width())]


def cut_headers(widget: QWidget) -> list[str]:
    cut = []
    for table in widget.findChildren(QTableView):
        if not table.isVisibleTo(widget):
            continue
        header = table.horizontalHeader()
        cut += [str(header.model().headerData(s, Qt.Orientation.Horizontal)) for s in range(header.count())
                if header_is_cut(header, s)]
    return cut


@pytest.fixture
def window(qtbot, store):
    fit = DialogScreenFit()
    QApplication.instance().installEventFilter(fit)
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    QApplication.instance().removeEventFilter(fit)
    win.runner.wait(5000)


def show_every_tab(qtbot, win: MainWindow, size: tuple[int, int]):
    win.resize(*size)
    for index in range(win.tabs.count()):
        win.tabs.setCurrentIndex(index)
        tab = win.tabs.widget(index)
        qtbot.waitUntil(lambda: not win.runner.busy, timeout=10000)   # a tab first opened loads in the worker
        qtbot.wait(20)
        if isinstance(tab, ListTab) and tab.proxy.rowCount():
            tab.table.selectRow(0)
        qtbot.wait(20)
        yield win.tabs.tabText(index), tab


@pytest.mark.parametrize("size", LAPTOPS)
def test_every_tab_fits_a_laptop_screen(qtbot, window, size):
    for name, tab in show_every_tab(qtbot, window, size):
        assert cut_buttons(tab) == [], name
        assert cut_headers(tab) == [], name
        for table in tab.findChildren(QTableView):   # the columns fit the width: nothing hides at the right
            if table.isVisibleTo(tab):
                assert table.horizontalScrollBar().maximum() == 0, name


def test_a_cut_cell_shows_its_whole_text_in_a_tooltip(qtbot, window):
    window.resize(1280, 800)
    window.tabs.setCurrentWidget(window.establishments_tab)
    table = window.establishments_tab.table
    qtbot.wait(20)
    cut = next((table.model().index(r, c) for r in range(table.model().rowCount())
                for c in range(table.model().columnCount())
                if table.fontMetrics().horizontalAdvance(str(table.model().index(r, c).data() or "")) + 8
                > table.visualRect(table.model().index(r, c)).width() > 0), None)
    assert cut is not None, "at 1280 px some school name is cut"
    position = table.visualRect(cut).center()
    event = QHelpEvent(QEvent.Type.ToolTip, position, table.viewport().mapToGlobal(position))
    QApplication.sendEvent(table.viewport(), event)
    assert QToolTip.isVisible() and str(cut.data()) in QToolTip.text()


def test_the_columns_a_user_sized_and_the_splitter_are_remembered(qtbot, window, store):
    tab = window.establishments_tab
    window.tabs.setCurrentWidget(tab)
    header = tab.table.horizontalHeader()
    tab.fitter.user_sized = True
    header.resizeSection(1, 321)
    tab.splitter.setSizes([900, 300])
    tab.splitter.splitterMoved.emit(900, 1)
    window.save_state()
    again = MainWindow(store)
    qtbot.addWidget(again)
    assert again.establishments_tab.table.horizontalHeader().sectionSize(1) == 321
    assert again.establishments_tab.fitter.user_sized
    settings = QSettings(str(paths.ui_settings_file(store.folder)), QSettings.Format.IniFormat)
    assert settings.contains("EstablishmentsTab/splitter")


def test_the_side_pane_folds_away(window):
    for tab in (window.partners_tab, window.escalations_tab, window.placements_tab, window.trainings_tab,
                window.establishments_tab):
        assert not tab.splitter.isCollapsible(0) and tab.splitter.isCollapsible(1), type(tab).__name__


def open_dialogs(qtbot, win: MainWindow):
    """The dialogs a user opens from the tabs, each shown in turn."""
    openers = [
        (win.partners_tab, lambda: win.partners_tab.new_button.click()),
        (win.escalations_tab, lambda: win.escalations_tab.new_button.click()),
        (win.establishments_tab, lambda: win.establishments_tab.new_button.click()),
        (win.trainings_tab, lambda: win.trainings_tab.new_button.click()),
        (win.placements_tab, lambda: win.placements_tab.new_button.click()),
        (win.placements_tab, lambda: (win.placements_tab.table.selectRow(0),
                                      win.placements_tab.open_placement(win.placements_tab.current_row().id))),
        (win.placements_tab, lambda: (win.placements_tab.table.selectRow(0),
                                      win.placements_tab.panel.preview_button.click())),
    ]
    for tab, opener in openers:
        win.tabs.setCurrentWidget(tab)
        opener()
        dialog = next(d for d in win.findChildren(QDialog) if d.isVisible())
        qtbot.waitExposed(dialog)
        yield dialog
        dialog.reject()
        qtbot.waitUntil(lambda d=dialog: not d.isVisible())


def test_no_dialog_is_taller_than_the_screen_nor_cuts_a_button(qtbot, window):
    window.resize(1280, 800)
    seen = []
    for dialog in open_dialogs(qtbot, window):
        seen.append(dialog.windowTitle())
        assert dialog.height() <= available_height(dialog), dialog.windowTitle()
        assert cut_buttons(dialog) == [], dialog.windowTitle()
    assert len(seen) == 7


def test_a_dialog_taller_than_the_screen_scrolls_its_fields_and_keeps_its_buttons_in_view(qtbot):
    from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QScrollArea, QVBoxLayout

    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    for number in range(60):
        layout.addWidget(QLineEdit(f"Champ {number}"))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    layout.addWidget(buttons)
    assert dialog.sizeHint().height() > available_height(dialog)
    fit = DialogScreenFit()
    QApplication.instance().installEventFilter(fit)
    try:
        dialog.show()
        qtbot.waitExposed(dialog)
    finally:
        QApplication.instance().removeEventFilter(fit)
    assert dialog.height() <= available_height(dialog)
    area = dialog.findChild(QScrollArea)
    assert area is not None and area.verticalScrollBar().maximum() > 0
    assert len(area.widget().findChildren(QLineEdit)) == 60
    assert buttons.parent() is dialog and buttons.isVisible()
    assert buttons.geometry().bottom() <= dialog.height()
