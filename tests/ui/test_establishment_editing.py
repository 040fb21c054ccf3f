"""The Établissements tab through the main window: create and edit a school with its pupils per formation, a
refused UAI explained at its field, archive and restore."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from poledesk.data.enums import EstablishmentKind, PriorityEducation
from poledesk.data.establishments import archive as establishment_archive
from poledesk.data.establishments import edits as establishment_edits
from poledesk.data.establishments import listing as establishments
from poledesk.data.establishments.edits import EstablishmentForm
from poledesk.data.text import school_year_of
from poledesk.ui.main_window import MainWindow

NEW_UAI, WRONG_LETTER = "0541234Y", "0541234A"
THIS_YEAR = school_year_of(date.today())
LAST_YEAR = f"{int(THIS_YEAR[:4]) - 1}-{THIS_YEAR[:4]}"


@pytest.fixture
def window(qtbot, store):
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentWidget(window.establishments_tab)
    yield window
    window.runner.wait(5000)


@pytest.fixture
def formations(store):
    with store.session() as session:
        return establishment_edits.list_formations(session)


def live_count(store) -> int:
    with store.session() as session:
        return establishments.count_establishments(session)


def by_uai(store, uai: str):
    with store.session() as session:
        return next((r for r in establishments.search_establishments(session, uai) if r.uai == uai), None)


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def double_click_row(qtbot, tab, row_id: int) -> None:
    assert tab.select_id(row_id)
    index = tab.table.currentIndex()
    position = tab.table.visualRect(index).center()
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=position)
    qtbot.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=position)


def choose(combo, data) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def open_new_dialog(qtbot, tab):
    click(qtbot, tab.new_button)
    dialog = tab.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "Nouvel établissement"
    return dialog


def test_a_wrong_uai_letter_is_explained_at_the_field_then_the_school_is_saved_with_its_pupils(
        window, store, qtbot, formations):
    tab, before = window.establishments_tab, live_count(store)
    dialog = open_new_dialog(qtbot, tab)
    editor = dialog.counts_editor
    assert editor.school_year == THIS_YEAR and editor.year_combo.currentText() == THIS_YEAR.replace("-", " – ")
    dialog.uai_edit.setText(WRONG_LETTER)
    dialog.name_edit.setText("Lycée professionnel Émile-Gallé")
    choose(dialog.kind_combo, EstablishmentKind.LP.value)
    choose(dialog.priority_combo, PriorityEducation.REP_PLUS.value)
    dialog.postcode_edit.setText("54000")
    dialog.commune_edit.setText("Nancy")
    dialog.referent_name_edit.setText("Hélène Marchal")
    dialog.referent_role_edit.setText("DDFPT")
    dialog.referent_email_edit.setText("ddfpt.galle@ac-nancy-metz.fr")
    first, second = formations[0], formations[1]
    click(qtbot, editor.add_button)
    click(qtbot, editor.add_button)
    choose(editor.table.cellWidget(0, 0), first.id)
    editor.table.cellWidget(0, 1).setValue(24)
    choose(editor.table.cellWidget(1, 0), second.id)
    editor.table.cellWidget(1, 1).setValue(12)
    assert editor.total_label.text() == "Total : 36 élèves"
    editor.year_combo.setCurrentIndex(editor.year_combo.findData(LAST_YEAR))   # last year's figures too
    assert editor.table.rowCount() == 0
    click(qtbot, editor.add_button)
    choose(editor.table.cellWidget(0, 0), first.id)
    editor.table.cellWidget(0, 1).setValue(20)
    editor.year_combo.setCurrentIndex(editor.year_combo.findData(THIS_YEAR))
    assert editor.rows() == [(first.id, 24), (second.id, 12)]             # nothing typed is lost

    click(qtbot, dialog.save_button)
    assert dialog.isVisible()
    assert dialog.errors["uai"].isVisible()
    assert dialog.errors["uai"].text() == ("UAI invalide : la lettre de contrôle ne correspond pas aux chiffres "
                                           "(vérifiez la saisie).")
    assert not dialog.errors["name"].isVisible()
    assert dialog.name_edit.text() == "Lycée professionnel Émile-Gallé" and editor.table.rowCount() == 2
    assert live_count(store) == before and by_uai(store, NEW_UAI) is None

    dialog.uai_edit.setText(NEW_UAI.lower())
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible()
    assert live_count(store) == before + 1
    saved = by_uai(store, NEW_UAI)
    assert (saved.name, saved.kind, saved.priority_education) == ("Lycée professionnel Émile-Gallé",
                                                                  EstablishmentKind.LP, PriorityEducation.REP_PLUS)
    with store.session() as session:
        assert establishment_edits.pupil_counts(session, saved.id, THIS_YEAR) == {first.id: 24, second.id: 12}
        assert establishment_edits.pupil_counts(session, saved.id, LAST_YEAR) == {first.id: 20}
        form = establishment_edits.establishment_form(session, saved.id)
    assert (form.referent_name, form.referent_role, form.referent_email) == (
        "Hélène Marchal", "DDFPT", "ddfpt.galle@ac-nancy-metz.fr")
    assert tab.current_row().id == saved.id                               # the new school is selected and shown
    assert tab.detail.detail.title == "Lycée professionnel Émile-Gallé"
    assert tab.count_label.text() == f"{before + 1} établissements"
    assert [row.pupils for row in tab.model.rows if row.id == saved.id] == [36]


def test_a_formation_twice_or_not_chosen_is_refused_at_the_table_and_nothing_is_written(
        window, store, qtbot, formations):
    tab, before = window.establishments_tab, live_count(store)
    dialog = open_new_dialog(qtbot, tab)
    dialog.uai_edit.setText(NEW_UAI)
    dialog.name_edit.setText("Collège Jules-Ferry")
    dialog.postcode_edit.setText("54000")
    dialog.commune_edit.setText("Nancy")
    editor = dialog.counts_editor
    click(qtbot, editor.add_button)
    click(qtbot, dialog.save_button)
    assert dialog.errors["pupil_counts"].text().startswith("Choisissez la formation de chaque ligne")
    choose(editor.table.cellWidget(0, 0), formations[0].id)
    click(qtbot, editor.add_button)
    choose(editor.table.cellWidget(1, 0), formations[0].id)
    click(qtbot, dialog.save_button)
    assert dialog.isVisible()
    assert dialog.errors["pupil_counts"].text() == (f"« {formations[0].label} » figure deux fois en "
                                                    f"{THIS_YEAR.replace('-', ' – ')} : gardez une seule ligne "
                                                    "par formation.")
    assert not dialog.errors["uai"].isVisible()
    assert live_count(store) == before and by_uai(store, NEW_UAI) is None
    editor.table.cellWidget(1, 2).click()                                 # « Retirer »
    assert editor.table.rowCount() == 1
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible() and by_uai(store, NEW_UAI) is not None


def test_a_double_click_edits_the_school_and_its_recorded_pupils(window, store, qtbot):
    tab = window.establishments_tab
    row = tab.model.rows[0]
    with store.session() as session:
        recorded = establishment_edits.pupil_counts(session, row.id, THIS_YEAR)
    assert recorded, "the demo school has pupils this year"
    double_click_row(qtbot, tab, row.id)
    dialog = tab.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.uai_edit.text() == row.uai and dialog.name_edit.text() == row.name
    editor = dialog.counts_editor
    assert dict(editor.rows()) == recorded
    editor.table.cellWidget(0, 1).setValue(99)
    dialog.phone_edit.setText("03 83 12 34 56")
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible()
    with store.session() as session:
        counts = establishment_edits.pupil_counts(session, row.id, THIS_YEAR)
        assert establishment_edits.establishment_form(session, row.id).phone == "03 83 12 34 56"
    assert counts[editor.rows()[0][0]] == 99 and set(counts) == set(recorded)


def test_archive_then_restore_from_the_archived_view(window, store, qtbot):
    tab, before = window.establishments_tab, live_count(store)
    row = tab.model.rows[2]
    assert tab.select_id(row.id) and tab.archive_button.isEnabled()
    click(qtbot, tab.archive_button)
    assert live_count(store) == before - 1
    assert row.id not in [r.id for r in tab.model.rows]
    assert tab.count_label.text() == f"{before - 1} établissements"
    assert tab.info_label.text() == f"« {row.name} » est archivé : il reste consultable dans « Archivés »."

    choose(tab.view_combo, "archived")
    assert [r.id for r in tab.model.rows] == [row.id]
    assert tab.restore_button.isVisible() and not tab.new_button.isVisible() and not tab.archive_button.isVisible()
    assert not tab.restore_button.isEnabled()                              # nothing selected yet
    assert tab.select_id(row.id)
    assert tab.detail.detail.subtitle.startswith(f"{row.kind.label} – {row.uai} – archivé le ")
    click(qtbot, tab.restore_button)
    assert live_count(store) == before
    assert tab.view_combo.currentData() == "live" and tab.current_row().id == row.id
    assert tab.info_label.text() == f"« {row.name} » est de nouveau en activité."
    with store.session() as session:
        assert establishment_archive.search_archived_establishments(session) == []


def test_a_restore_refused_because_the_uai_is_taken_again_writes_nothing(window, store, qtbot):
    tab = window.establishments_tab
    row = tab.model.rows[0]
    tab.select_id(row.id)
    click(qtbot, tab.archive_button)
    with store.transaction() as session:    # meanwhile a new record takes the same UAI
        establishment_edits.save_establishment(session, EstablishmentForm(uai=row.uai, name="Nouveau nom",
                                                                          postcode="54000", commune="Nancy"))
    choose(tab.view_combo, "archived")
    tab.select_id(row.id)
    click(qtbot, tab.restore_button)
    assert tab.message_box is not None and tab.message_box.isVisible()
    assert tab.message_box.text() == "Cet UAI est déjà celui de « Nouveau nom »."
    assert [r.id for r in tab.model.rows] == [row.id]                    # still archived
