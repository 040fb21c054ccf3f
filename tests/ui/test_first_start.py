"""The first-start dialog on an empty folder: a pole, a coordination, or the demo pole, through the real dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QPushButton

from poledesk.data import db, encryption, identity
from poledesk.data.partners import listing as partners
from poledesk.ui.dialogs.first_start_dialog import FirstStartDialog
from poledesk.ui.workers import TaskRunner
from protect_support import PASSPHRASE, key_of

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner()
    yield runner
    assert runner.wait(60_000)


@pytest.fixture
def dialog(qtbot, empty_store, runner):
    dialog = FirstStartDialog(empty_store, runner)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def identity_of(store):
    with store.session() as session:
        return identity.current_identity(session)


def type_into(qtbot, edit, text: str) -> None:
    """Type like a user; QTest.keyClicks aborts on non-ASCII characters (PySide6 6.12), so those are inserted."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(edit, char)
        else:
            edit.insert(char)


def choose(qtbot, radio) -> None:
    """Click the radio button on its circle (a click past the end of its text does not count)."""
    qtbot.mouseClick(radio, LEFT, pos=QPoint(8, radio.height() // 2))
    assert radio.isChecked()


def fill_pole(qtbot, dialog, code: str) -> None:
    type_into(qtbot, dialog.code_edit, code)
    type_into(qtbot, dialog.name_edit, "Pôle de stages du bassin de Nancy")
    type_into(qtbot, dialog.bassin_edit, "Nancy")
    type_into(qtbot, dialog.academie_edit, "Nancy-Metz")
    type_into(qtbot, dialog.animator_edit, "Claire Lefèvre")
    give_passphrase(qtbot, dialog)


def give_passphrase(qtbot, dialog, passphrase: str = PASSPHRASE, confirmation: str = PASSPHRASE) -> None:
    dialog.passphrase_fields.passphrase_edit.clear()
    dialog.passphrase_fields.confirmation_edit.clear()
    qtbot.keyClicks(dialog.passphrase_fields.passphrase_edit, passphrase)
    qtbot.keyClicks(dialog.passphrase_fields.confirmation_edit, confirmation)


def put_the_sheet_away(qtbot, dialog, tmp_path) -> None:
    """The recovery sheet dialog follows a real first start: save the PDF, then close it."""
    qtbot.waitUntil(lambda: dialog.sheet_dialog is not None and dialog.sheet_dialog.isVisible())
    dialog.sheet_dialog.save_to(tmp_path / "feuille.pdf")
    assert (tmp_path / "feuille.pdf").exists()
    qtbot.mouseClick(dialog.sheet_dialog.done_button, LEFT)


def test_it_offers_the_three_choices_in_french(dialog):
    assert dialog.pole_radio.text() == "Je suis animateur ou animatrice d'un pôle de stages"
    assert dialog.coordinator_radio.text() == "Je coordonne les pôles d'une académie"
    assert dialog.demo_radio.text() == "Découvrir PoleDesk avec un pôle de démonstration"
    assert dialog.pole_radio.isChecked()
    assert dialog.pole_fields.isEnabled() and not dialog.coordinator_fields.isEnabled()
    assert dialog.cancel_button.text() == "Quitter"


def test_a_bad_pole_code_is_explained_in_place_and_nothing_is_written(dialog, empty_store, qtbot):
    fill_pole(qtbot, dialog, "NM7")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text().startswith("Code de pôle invalide « NM7 »")
    assert dialog.code_edit.text() == "NM7"                       # nothing typed is lost
    assert dialog.name_edit.text() == "Pôle de stages du bassin de Nancy"
    assert dialog.animator_edit.text() == "Claire Lefèvre"
    assert identity_of(empty_store) is None
    assert empty_store.owner == ""


def test_the_error_clears_once_the_code_is_fixed_and_the_pole_is_written(dialog, empty_store, qtbot, tmp_path):
    fill_pole(qtbot, dialog, "NM7")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.error_label.isVisible()
    dialog.code_edit.clear()
    qtbot.keyClicks(dialog.code_edit, "nm-07")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, LEFT)
        put_the_sheet_away(qtbot, dialog, tmp_path)
    assert empty_store.encrypted and db.is_encrypted(empty_store.file)
    assert key_of(empty_store.folder) == empty_store.key
    ident = identity_of(empty_store)
    assert (ident.role, ident.code, ident.name, ident.academie) == (
        "pole", "NM-07", "Pôle de stages du bassin de Nancy", "Nancy-Metz")
    assert not ident.demo
    assert empty_store.owner == "NM-07"
    assert dialog.identity == ident
    with empty_store.session() as session:
        assert identity.pole_of(session, "NM-07").animator_name == "Claire Lefèvre"


def test_coordinator_needs_an_academie_then_is_written(dialog, empty_store, qtbot, tmp_path):
    choose(qtbot, dialog.coordinator_radio)
    assert dialog.coordinator_fields.isEnabled() and not dialog.pole_fields.isEnabled()
    give_passphrase(qtbot, dialog)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.error_label.text() == "L'académie est obligatoire."
    assert identity_of(empty_store) is None
    qtbot.keyClicks(dialog.coordinator_academie_edit, "Nancy-Metz")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, LEFT)
        put_the_sheet_away(qtbot, dialog, tmp_path)
    ident = identity_of(empty_store)
    assert ident.role == "coordinator" and empty_store.encrypted
    assert ident.title == "Coordination académique – académie de Nancy-Metz"
    assert empty_store.owner == "COORD-NANCY-METZ"


@pytest.mark.parametrize("passphrase, confirmation, message", [
    ("", "", "ne peut pas être vide"), ("court", "court", "au moins 12 caractères"),
    (PASSPHRASE, PASSPHRASE + "x", "différentes")])
def test_a_refused_passphrase_is_explained_in_place_and_nothing_is_written(dialog, empty_store, qtbot,
                                                                          passphrase, confirmation, message):
    fill_pole(qtbot, dialog, "NM-07")
    give_passphrase(qtbot, dialog, passphrase, confirmation)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and message in dialog.error_label.text()
    assert identity_of(empty_store) is None and not empty_store.encrypted
    assert encryption.store_state(empty_store.folder) != "encrypted"


def test_the_strength_hint_follows_the_typing(dialog, qtbot):
    fields = dialog.passphrase_fields
    qtbot.keyClicks(fields.passphrase_edit, "abc")
    assert fields.strength_label.text().startswith("Trop courte")
    qtbot.keyClicks(fields.passphrase_edit, " cheval agrafe pile correct")
    assert fields.strength_label.text() == "Solide."


def test_demo_choice_fills_the_store_through_the_worker(dialog, empty_store, qtbot):
    choose(qtbot, dialog.demo_radio)
    assert not dialog.passphrase_box.isVisible()
    assert dialog.ok_button.text() == "Créer la démonstration"
    with qtbot.waitSignal(dialog.accepted, timeout=60_000):
        qtbot.mouseClick(dialog.ok_button, LEFT)
        assert dialog.demo_build is not None
        assert not dialog.button_box.isEnabled()    # no second click while the demo is written
    assert not dialog.demo_build.progress_dialog.isVisible()
    ident = identity_of(empty_store)
    assert ident.demo and ident.role == "pole"
    assert empty_store.owner == ident.code
    with empty_store.session() as session:
        assert partners.count_partners(session) > 10


def test_cancelling_the_demo_writes_nothing_and_the_dialog_stays(dialog, empty_store, qtbot):
    choose(qtbot, dialog.demo_radio)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    build = dialog.demo_build
    with qtbot.waitSignal(build.cancelled, timeout=60_000):
        build.progress_dialog.findChild(QPushButton).click()   # the progress dialog's "Annuler"
    assert dialog.isVisible()
    assert dialog.button_box.isEnabled()
    assert "annulée" in dialog.error_label.text()
    assert identity_of(empty_store) is None
    with empty_store.session() as session:
        assert partners.count_partners(session) == 0
