"""The Programme d'actions tab driven for real: plan an action, see a wrong one explained, write its bilan, print."""

from __future__ import annotations

from datetime import date

from pypdf import PdfReader
from PySide6.QtCore import Qt

from poledesk.data.actions.programme import list_actions
from poledesk.data.enums import ActionAxis, ActionReview
from poledesk.ui.programme_tab import ProgrammeTab

TODAY = date(2026, 10, 5)


def make_tab(qtbot, store) -> ProgrammeTab:
    tab = ProgrammeTab(store, today=TODAY)
    qtbot.addWidget(tab)
    tab.resize(1280, 700)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def test_an_action_is_planned_explained_when_wrong_then_reviewed_and_printed(qtbot, pole_store, tmp_path):
    tab = make_tab(qtbot, pole_store)
    assert tab.school_year == "2026-2027" and tab.tree.topLevelItemCount() == 3
    assert tab.tree.topLevelItem(1).text(0) == "Axe 2 – Mobilisation des partenaires (0)"
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert dialog.isVisible()
    dialog.save()                                               # no title yet
    assert dialog.isVisible() and dialog.errors.text("title").startswith("L'intitulé")
    assert dialog.focusWidget() is dialog.title_edit                # the first wrong field has the cursor
    qtbot.keyClicks(dialog.title_edit, "Petit-")       # QTest types ASCII only
    dialog.title_edit.setText(dialog.title_edit.text() + "déjeuner des entreprises")
    dialog.axis_combo.setCurrentIndex(1)
    dialog.indicator_combo.setCurrentIndex(dialog.indicator_combo.findData("partners_new"))
    qtbot.keyClicks(dialog.target_edit, "15")
    dialog.starts_edit.set_value(date(2027, 9, 2))                  # after the school year: refused beside it
    dialog.save()
    assert dialog.isVisible() and "2026-2027" in dialog.errors.text("starts_on")
    dialog.starts_edit.set_value(TODAY)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    with pole_store.session() as session:
        (row,) = list_actions(session, "2026-2027")
    assert (row.axis, row.target, row.starts_on) == (ActionAxis.PARTNERS, "15", TODAY)
    assert tab.tree.topLevelItem(1).child(0).text(0) == "Petit-déjeuner des entreprises"
    assert tab.tree.topLevelItem(1).child(0).text(2) == "05/10/2026"
    assert tab.current_id() == row.id and tab.review_button.isEnabled()
    qtbot.mouseClick(tab.review_button, Qt.MouseButton.LeftButton)
    review = tab.dialog
    review.review_combo.setCurrentIndex(1)
    review.save()
    assert review.isVisible() and "résultat" in review.errors.text("result")
    review.result_edit.setPlainText("12 entreprises venues")
    review.measured_edit.setText("12")
    review.save()
    assert not review.isVisible()
    assert tab.tree.topLevelItem(1).child(0).text(5) == "Partiellement réalisée"
    with pole_store.session() as session:
        assert list_actions(session, "2026-2027")[0].review == ActionReview.PARTLY
    written = tab.save_document("bilan", tmp_path / "bilan.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(written).pages)
    assert "Bilan 2026-2027" in text and "12 entreprises venues" in text
    tab.grab().save(str(tmp_path / "programme.png"))


def test_the_demo_programme_shows_every_action_of_the_year(qtbot, store):
    tab = ProgrammeTab(store)
    qtbot.addWidget(tab)
    with store.session() as session:
        rows = list_actions(session, tab.school_year)
    shown = sum(tab.tree.topLevelItem(i).childCount() for i in range(3))
    assert shown == len(rows) > 0
    assert tab.count_label.text().startswith(f"{len(rows)} actions en {tab.school_year}")
