"""At start, the pupils due to be anonymised are announced; the animateur confirms, or postpones once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from sqlalchemy import func, select

from poledesk.data import purge
from poledesk.data.models import Pupil
from poledesk.ui.app import Launcher

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def launcher(qapp, qtbot):
    launcher = Launcher(qapp)
    yield launcher
    if launcher.window is not None:
        launcher.window.close()
        launcher.window.runner.wait(10_000)


def purged(store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(Pupil).where(Pupil.purged_at.is_not(None)))


def test_the_due_purge_is_announced_and_done_on_confirmation(launcher, store, qtbot):
    launcher.open(store)
    qtbot.waitUntil(lambda: launcher.purge_dialog is not None and launcher.purge_dialog.isVisible(), timeout=10_000)
    dialog = launcher.purge_dialog
    # 238: the demo pupils of 2025-2026 whose periods have all ended (last year's activity and its closed cases)
    year = dialog.plan.due[0].school_year
    assert dialog.lines_label.text().startswith(f"238 élèves de {year} seront anonymisés le "
                                                f"{date.today():%d/%m/%Y}.")
    assert dialog.postpone_button.isVisible()
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        qtbot.mouseClick(dialog.purge_button, LEFT)
    assert dialog.outcome.purged == 238 and purged(store) == 238
    assert "Anonymisation faite : 238 élèves" in launcher.window.statusBar().currentMessage()


def test_postponed_once_within_30_days_then_only_confirmation(launcher, store, qtbot):
    launcher.open(store)
    qtbot.waitUntil(lambda: launcher.purge_dialog is not None and launcher.purge_dialog.isVisible(), timeout=10_000)
    dialog = launcher.purge_dialog
    latest = date.today() + timedelta(days=30)
    assert dialog.until_edit.maximumDate() == QDate(latest.year, latest.month, latest.day)
    dialog.until_edit.setDate(QDate(latest.year, latest.month, latest.day))
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.postpone_button, LEFT)
    assert dialog.postponed_to == latest and purged(store) == 0
    launcher.offer_purge()                                   # a later start, before the postponed day
    assert launcher.purge_dialog is dialog                   # no new question, only the status bar
    assert f"le {latest:%d/%m/%Y}" in launcher.window.statusBar().currentMessage()
    launcher.offer_purge(latest)                             # the postponed day: confirmation only
    again = launcher.purge_dialog
    assert again is not dialog and again.isVisible() and not again.postpone_button.isVisible()
    with store.session() as session:
        assert purge.plan_purge(session, latest).is_due_now


def test_the_privacy_dialog_shows_the_sheet_and_saves_its_pdf(store, qtbot, tmp_path):
    from poledesk.ui.dialogs.privacy_dialog import PrivacyDialog
    from poledesk.ui.main_window import MainWindow

    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    window.privacy_action.trigger()
    dialog = window.security_dialog
    assert isinstance(dialog, PrivacyDialog) and dialog.isVisible()
    assert "Élèves identifiés" in dialog.summary_label.text() and "en clair" in dialog.summary_label.text()
    dialog.save_to(tmp_path / "fiche.pdf")
    assert (tmp_path / "fiche.pdf").stat().st_size > 1000 and "Fiche enregistrée" in dialog.status_label.text()
    window.close()
