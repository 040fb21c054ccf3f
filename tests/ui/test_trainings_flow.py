"""The Formations des tuteurs tab driven like the animateur does, through the real main window on the demo pole."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QMessageBox

from poledesk.data.enums import TrainingStatus
from poledesk.data.models import Contact
from poledesk.data.partners import contacts as contacts
from poledesk.data.text import format_date
from poledesk.data.trainings import edits as training_edits
from poledesk.data.trainings import listing as trainings
from poledesk.data.trainings.listing import InviteeFilter
from poledesk.ui.main_window import MainWindow

LEFT = Qt.MouseButton.LeftButton
CHECK = Qt.ItemDataRole.CheckStateRole
TITLE = "Accueillir un stagiaire mineur – atelier pratique"
PLACE = "Salle Érable, Maison de l'entreprise, Nancy"


@pytest.fixture
def window(qtbot, store):
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.resize(1500, 900)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentWidget(window.trainings_tab)
    yield window
    window.trainings_tab.runner.wait(10000)
    window.runner.wait(5000)


def detail_of(store, session_id: int) -> trainings.SessionDetail:
    with store.session() as session:
        return trainings.session_detail(session, session_id)


def tick(model_proxy, row: int, column: int) -> bool:
    """What a click on a row's check box does: set its check state through the view's model."""
    return model_proxy.setData(model_proxy.index(row, column), Qt.CheckState.Checked.value, CHECK)


def answer(qtbot, tab, button: QMessageBox.StandardButton) -> None:
    qtbot.waitUntil(lambda: tab.message_box is not None and tab.message_box.isVisible())
    qtbot.mouseClick(tab.message_box.button(button), LEFT)


def plan_session(qtbot, tab, store, *, capacity: int = 3) -> int:
    """Plan a session for today through the dialog; the end before the start is refused first, at its field."""
    with store.session() as session:
        before = trainings.count_sessions(session)
    qtbot.mouseClick(tab.new_button, LEFT)
    dialog = tab.dialog
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "Nouvelle session de formation"
    dialog.title_edit.setText(TITLE)                      # accented text: setText, not keyClicks
    dialog.place_edit.setText(PLACE)
    qtbot.keyClicks(dialog.trainer_edit, "Claire Martin")
    dialog.theme_combo.setCurrentText("Réglementation")
    dialog.date_edit.set_value(date.today())
    dialog.start_edit.setTime(QTime(14, 0))
    dialog.end_edit.setTime(QTime(11, 30))
    dialog.capacity_spin.setValue(capacity)
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert dialog.isVisible()
    assert dialog.errors.text("end_time") == "L'heure de fin doit être après l'heure de début."
    with store.session() as session:
        assert trainings.count_sessions(session) == before
    dialog.end_edit.setTime(QTime(17, 0))
    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert tab.session_detail is not None and tab.session_detail.id == saved.args[0]
    assert tab.current_row().title == TITLE and tab.panel.heading_label.text().startswith(TITLE)
    return saved.args[0]


def a_commune_with_untrained_tutors(store, session_id: int) -> str:
    with store.session() as session:
        for commune in trainings.invitee_choices(session).communes:
            found = trainings.find_invitees(session, session_id, InviteeFilter(commune=commune, not_trained=True))
            if len(found) >= 6:
                return commune
    raise AssertionError("no commune with enough untrained tutors in the demo")


def invite_five(qtbot, tab, store, session_id: int) -> list[str]:
    qtbot.mouseClick(tab.panel.invite_button, LEFT)
    dialog = tab.invite_dialog
    qtbot.waitExposed(dialog)
    commune = a_commune_with_untrained_tutors(store, session_id)
    dialog.commune_combo.setCurrentIndex(dialog.commune_combo.findData(commune))
    qtbot.mouseClick(dialog.untrained_check, LEFT)
    assert dialog.untrained_check.isChecked() and not dialog.invite_button.isEnabled()
    shown = dialog.shown_rows()
    with store.session() as session:
        expected = trainings.find_invitees(session, session_id, InviteeFilter(commune=commune, not_trained=True))
    assert sorted(r.id for r in shown) == sorted(r.id for r in expected)
    assert all(r.commune == commune and r.trainings_attended == 0 and r.is_tutor for r in shown)
    for row in range(5):
        assert tick(dialog.proxy, row, 0)
    chosen = [dialog.proxy.row_at(row).full_name for row in range(5)]
    assert dialog.count_label.text().endswith("5 cochées") and dialog.invite_button.text() == "Inviter (5)"
    qtbot.mouseClick(dialog.invite_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    return chosen


def test_plan_invite_register_waitlist_promote_attend_and_print(qtbot, window, store, tmp_path, monkeypatch):
    tab = window.trainings_tab
    session_id = plan_session(qtbot, tab, store)
    invited = invite_five(qtbot, tab, store, session_id)
    panel = tab.panel
    assert sorted(r.contact for r in panel.proxy.shown_rows()) == sorted(invited)
    assert all(panel.proxy.index(r, 2).data().startswith("Invité le") for r in range(5))
    assert panel.summary_label.text() == "0 inscrit sur 3 places · 5 invitations sans réponse"

    # Register the five: three seats, then the waiting list in the order of registration.
    panel.table.selectAll()
    order = [r.contact for r in panel.proxy.shown_rows()]
    qtbot.mouseClick(panel.register_button, LEFT)
    assert panel.summary_label.text() == "3 inscrits sur 3 places · 2 en liste d'attente"
    assert panel.message_label.text().endswith(f"Sur liste d'attente (session complète) : {order[3]}, {order[4]}.")
    assert [panel.proxy.index(r, 2).data() for r in (3, 4)] == ["Liste d'attente (1re)", "Liste d'attente (2e)"]
    assert tab.proxy.index(tab.proxy.shown_rows().index(tab.current_row()), 5).data() == "3 / 3 (+2 en attente)"

    # Cancel a seat: the first on the waiting list takes it.
    panel.table.selectRow(1)
    leaving = panel.proxy.row_at(1)
    qtbot.mouseClick(panel.unregister_button, LEFT)
    assert panel.message_label.text() == (f"1 inscription annulée. {order[3]} quitte la liste "
                                          "d'attente : place confirmée.")
    after = detail_of(store, session_id)
    assert (after.registered, after.waitlisted) == (3, 1)
    assert next(r for r in after.registrations if r.contact == order[3]).is_registered
    assert next(r for r in after.registrations if r.id == leaving.id).cancelled_on == date.today()

    # Tick who came: the session is held, the tutor's history and the partner's file say so.
    present = panel.proxy.row_at(0)
    with store.session() as session:
        partner_id = session.get(Contact, present.contact_id).partner_id
        trained_before = len(contacts.training_history(session, present.contact_id))
    assert panel.attendance_hint.text() == "Cochez la colonne « Présent » pour chaque personne venue."
    assert tick(panel.proxy, 0, 3)
    qtbot.waitUntil(lambda: panel.proxy.index(0, 3).data(CHECK) == Qt.CheckState.Checked)
    assert tab.current_row().status is TrainingStatus.HELD
    assert panel.summary_label.text().endswith("1 présent – session tenue")
    with store.session() as session:
        history = contacts.training_history(session, present.contact_id)
    assert history[0].session_id == session_id and history[0].title == TITLE
    assert len(history) == trained_before + 1
    window.tabs.setCurrentWidget(window.partners_tab)
    assert window.partners_tab.select_id(partner_id)
    count = len(history)
    expected = f"{count} formation{'s' if count > 1 else ''} suivie{'s' if count > 1 else ''}"
    assert expected in window.partners_tab.detail.value("Contacts", present.contact)
    window.tabs.setCurrentWidget(tab)

    # The attendance sheet and the attestation, saved where the user chose.
    sheet = tmp_path / "emargement.pdf"
    monkeypatch.setattr(tab, "ask_save_path", lambda *_args: sheet)
    with qtbot.waitSignal(tab.document_saved, timeout=10000):
        qtbot.mouseClick(panel.sheet_button, LEFT)
    text = " ".join(PdfReader(sheet).pages[0].extract_text().split())
    for line in detail_of(store, session_id).expected:
        assert f"{line.last_name.upper()} {line.first_name}" in text
    assert format_date(date.today()) in text and "Salle Érable" in text
    attestations = tmp_path / "attestations.pdf"
    monkeypatch.setattr(tab, "ask_save_path", lambda *_args: attestations)
    with qtbot.waitSignal(tab.document_saved, timeout=10000):
        qtbot.mouseClick(panel.attestations_button, LEFT)
    pages = PdfReader(attestations).pages
    assert len(pages) == 1 and present.contact in pages[0].extract_text()
    assert panel.proxy.index(0, 4).data() == format_date(date.today())
    assert panel.message_label.text() == f"Enregistré : {attestations}"


def test_a_contact_who_is_not_a_tutor_is_asked_about_then_marked(qtbot, window, store):
    tab = window.trainings_tab
    session_id = plan_session(qtbot, tab, store, capacity=1)
    with store.session() as session:
        stranger = next(r for r in trainings.find_invitees(session, session_id, InviteeFilter(tutors_only=False))
                        if not r.is_tutor)
    qtbot.mouseClick(tab.panel.invite_button, LEFT)
    dialog = tab.invite_dialog
    qtbot.mouseClick(dialog.tutors_check, LEFT)
    dialog.search_edit.setText(f"{stranger.last_name} {stranger.partner}")
    qtbot.waitUntil(lambda: [r.id for r in dialog.shown_rows()] == [stranger.id], timeout=3000)
    assert dialog.proxy.index(0, 7).data() == "Non"
    assert tick(dialog.proxy, 0, 0)
    qtbot.mouseClick(dialog.register_button, LEFT)
    qtbot.waitUntil(lambda: tab.message_box is not None and tab.message_box.isVisible())
    assert tab.message_box.text() == f"{stranger.full_name} ne figure pas parmi les tuteurs et tutrices : l'y ajouter ?"
    answer(qtbot, tab, QMessageBox.StandardButton.Yes)
    with store.session() as session:
        assert session.get(Contact, stranger.id).is_tutor
    line = detail_of(store, session_id).registrations[0]
    assert (line.contact_id, line.is_registered, line.is_tutor) == (stranger.id, True, True)
    assert tab.panel.message_label.text() == f"Inscription : {stranger.full_name}."


def test_a_cancelled_session_refuses_attendance_in_french(qtbot, window, store):
    tab = window.trainings_tab
    target = next(r for r in tab.proxy.shown_rows() if r.upcoming and r.registered)
    assert tab.select_id(target.id)
    assert tab.panel.attendance_hint.text().startswith("La session n'a pas encore eu lieu (prévue le "
                                                       f"{format_date(target.session_date)})")
    qtbot.mouseClick(tab.cancel_session_button, LEFT)
    assert tab.message_box.text().startswith(f"Annuler la session « {target.title} »")
    answer(qtbot, tab, QMessageBox.StandardButton.Yes)
    assert tab.current_row().status is TrainingStatus.CANCELLED and not tab.cancel_session_button.isEnabled()
    refusal = "Cette session a été annulée : les présences ne peuvent pas être saisies."
    panel = tab.panel
    assert panel.attendance_hint.text() == refusal
    assert not panel.proxy.flags(panel.proxy.index(0, 3)) & Qt.ItemFlag.ItemIsUserCheckable
    assert not tick(panel.proxy, 0, 3)
    assert not panel.invite_button.isEnabled() and not panel.sheet_button.isEnabled()
    line = next(r for r in panel.proxy.shown_rows() if r.is_registered)
    tab.set_attendance(line, True)            # what a tick would ask: the service refuses, in French
    assert tab.message_box.text() == refusal
    assert not any(r.attended for r in detail_of(store, target.id).registrations)


def test_duplicate_edit_and_filters(qtbot, window, store):
    tab = window.trainings_tab
    source = tab.proxy.row_at(0)
    tab.select_id(source.id)
    qtbot.mouseClick(tab.copy_button, LEFT)
    dialog = tab.dialog
    assert dialog.windowTitle() == "Dupliquer la session" and dialog.title_edit.text() == source.title
    day = training_edits.next_free_day(source.session_date, date.today())
    assert dialog.date_edit.value() == day and dialog.status_combo.currentData() == TrainingStatus.PLANNED
    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.save_button, LEFT)
    copy = detail_of(store, saved.args[0])
    assert copy.session_date == day and copy.registrations == () and tab.current_row().id == copy.id
    qtbot.mouseClick(tab.edit_button, LEFT)
    dialog = tab.dialog
    assert dialog.windowTitle() == "Modifier la session"
    dialog.capacity_spin.setValue(0)
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert dialog.errors.text("capacity") == "La capacité doit être comprise entre 1 et 200 places."
    dialog.reject()
    every = tab.proxy.rowCount()
    tab.theme_combo.setCurrentIndex(tab.theme_combo.findData(source.theme))
    assert 0 < tab.proxy.rowCount() < every and all(r.theme == source.theme for r in tab.proxy.shown_rows())
    tab.theme_combo.setCurrentIndex(0)
    year = tab.year_combo.itemData(tab.year_combo.count() - 1)
    tab.year_combo.setCurrentIndex(tab.year_combo.count() - 1)
    assert tab.year_combo.currentText() == f"Année {year}"
    assert 0 < tab.proxy.rowCount() < every and all(r.school_year == year for r in tab.proxy.shown_rows())


def test_mail_export_and_many_attestations_off_the_ui_thread(qtbot, window, store, tmp_path, monkeypatch):
    tab = window.trainings_tab
    full = max(tab.proxy.shown_rows(), key=lambda r: r.waitlisted)
    tab.select_id(full.id)
    opened: list[str] = []
    monkeypatch.setattr(tab, "open_url", opened.append)
    qtbot.mouseClick(tab.panel.mail_button, LEFT)
    query = parse_qs(urlsplit(opened[0]).query)
    live = trainings.invited_lines(detail_of(store, full.id))
    assert sorted(query["bcc"][0].split(",")) == sorted(r.email for r in live if r.email)
    assert query["subject"] == [full.title] and opened[0].startswith("mailto:?bcc=")
    export = tmp_path / "invites.csv"
    monkeypatch.setattr(tab, "ask_save_path", lambda *_args: export)
    with qtbot.waitSignal(tab.document_saved, timeout=10000):
        qtbot.mouseClick(tab.panel.export_button, LEFT)
    lines = export.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "nom;prénom;courriel;structure;session;date;horaires;lieu" and len(lines) == len(live) + 1

    held = max((r for r in tab.proxy.shown_rows() if r.status is TrainingStatus.HELD), key=lambda r: r.attended)
    assert held.attended > 3
    tab.select_id(held.id)
    undated = {r.id for r in detail_of(store, held.id).attendees if r.attestation_issued_on is None}
    target = tmp_path / "attestations.pdf"
    monkeypatch.setattr(tab, "ask_save_path", lambda *_args: Path(target))
    with qtbot.waitSignal(tab.document_saved, timeout=20000):
        qtbot.mouseClick(tab.panel.attestations_button, LEFT)
        assert tab.progress_dialog is not None    # more than a few pages: made by a worker, with a progress dialog
    assert len(PdfReader(target).pages) == held.attended
    attendees = detail_of(store, held.id).attendees
    assert all(r.attestation_issued_on for r in attendees)
    assert all(r.attestation_issued_on == date.today() for r in attendees if r.id in undated)
    assert not tab.progress_dialog.isVisible()
