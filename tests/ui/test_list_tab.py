"""ListTab's contract: a subclass gives its rows and a row's file; one that forgets either is refused when it is
defined, not the first time a user searches."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from poledesk.ui.widgets.detail_panel import Detail, Section
from poledesk.ui.widgets.list_tab import Listing, ListTab
from poledesk.ui.widgets.models import Column
from poledesk.ui.workers import TaskRunner


@dataclass(frozen=True)
class Row:
    id: int
    name: str


ROWS = [Row(1, "Boulangerie Lefèvre"), Row(2, "Garage de l'Église")]


def test_a_list_tab_without_its_file_is_refused_when_defined():
    with pytest.raises(TypeError, match="Incomplete is a ListTab without fetch_detail"):
        class Incomplete(ListTab):
            def fetch_rows(self, session, text):
                return ROWS


def test_a_list_tab_lists_its_rows_and_shows_the_file_of_the_one_selected(qtbot, pole_store):
    class Names(ListTab):
        noun = ("nom", "noms")

        def fetch_rows(self, session, text):
            return [r for r in ROWS if text.lower() in r.name.lower()]

        def fetch_detail(self, session, row_id):
            row = next(r for r in ROWS if r.id == row_id)
            return Detail(row.name, sections=(Section("Fiche", (("Nom", row.name),)),))

    tab = Names(pole_store, [Column("Nom", lambda r: r.name)])
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    assert tab.count_label.text() == "2 noms"
    assert tab.select_id(2) and tab.detail.value("Fiche", "Nom") == "Garage de l'Église"
    tab.search_edit.setText("boul")
    tab.refresh()
    assert [r.id for r in tab.model.rows] == [1] and tab.count_label.text() == "1 nom"


class GatedNames(ListTab):
    """Names whose background read waits for the test to open its gate, and notes the thread it ran on."""

    noun = ("nom", "noms")

    def __init__(self, store, columns, *, fail_with=None):
        super().__init__(store, columns)
        self.gate, self.read_done = threading.Event(), threading.Event()
        self.read_threads: list[threading.Thread] = []
        self.fail_with = fail_with

    def fetch_rows(self, session, text):
        return [r for r in ROWS if text.lower() in r.name.lower()]

    def read_rows(self, text):
        def read(session):
            self.read_threads.append(threading.current_thread())
            try:
                assert self.gate.wait(10)
                if self.fail_with is not None:
                    raise self.fail_with
                return Listing(self.fetch_rows(session, text), len(self.fetch_rows(session, text)))
            finally:
                self.read_done.set()
        return read

    def fetch_detail(self, session, row_id):
        return None


def shown_gated(qtbot, store, **kwargs) -> GatedNames:
    tab = GatedNames(store, [Column("Nom", lambda r: r.name)], **kwargs)
    qtbot.addWidget(tab)
    tab.defer_first_fill()
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def arrived(runner: TaskRunner) -> None:
    """Let the background read end, then deliver its result to the UI thread (a queued signal)."""
    assert runner.wait(10_000)
    QApplication.processEvents()


def test_the_first_fill_reads_off_the_ui_thread_and_says_chargement_until_the_rows_arrive(qtbot, pole_store):
    reader = TaskRunner()
    tab = shown_gated(qtbot, pole_store)
    assert tab.count_label.text() == "chargement…" and tab.model.rowCount() == 0   # showing it read nothing
    tab.fill_in_background(reader)
    qtbot.waitUntil(lambda: bool(tab.read_threads))
    assert tab.read_threads[0] is not threading.main_thread()
    qtbot.keyClicks(tab.search_edit, "x")              # the read is under way: the tab still answers
    tab.search_edit.clear()
    tab._search_timer.stop()
    assert tab.count_label.text() == "chargement…" and tab.filling
    tab.gate.set()
    qtbot.waitUntil(lambda: tab.count_label.text() == "2 noms")
    assert [r.id for r in tab.model.rows] == [1, 2] and not tab.filling


def test_a_search_typed_before_the_first_rows_arrive_wins_over_them(qtbot, pole_store):
    reader = TaskRunner()
    tab = shown_gated(qtbot, pole_store)
    tab.fill_in_background(reader)
    qtbot.waitUntil(lambda: bool(tab.read_threads))
    qtbot.keyClicks(tab.search_edit, "boul")
    qtbot.keyClick(tab.search_edit, Qt.Key.Key_Return)   # searched now, on the UI thread
    assert [r.id for r in tab.model.rows] == [1] and tab.count_label.text() == "1 nom"
    tab.gate.set()
    arrived(reader)
    assert tab.read_done.is_set()
    assert [r.id for r in tab.model.rows] == [1] and tab.count_label.text() == "1 nom"   # the late rows dropped


def test_a_record_asked_for_before_the_first_rows_arrive_is_found_and_stays_selected(qtbot, pole_store):
    reader = TaskRunner()
    tab = shown_gated(qtbot, pole_store)
    tab.fill_in_background(reader)
    assert tab.select_id(2)                              # read now: the background rows are not waited for
    tab.gate.set()
    arrived(reader)
    assert tab.current_row().id == 2 and tab.count_label.text() == "2 noms"


def test_a_store_failing_under_the_first_fill_says_so_in_place_of_the_rows(qtbot, pole_store):
    reader = TaskRunner()
    tab = shown_gated(qtbot, pole_store, fail_with=sqlite3.DatabaseError("database disk image is malformed"))
    tab.fill_in_background(reader)
    tab.gate.set()
    qtbot.waitUntil(lambda: tab.count_label.text() != "chargement…")
    assert tab.count_label.text().startswith("Liste illisible : ") and tab.model.rowCount() == 0
