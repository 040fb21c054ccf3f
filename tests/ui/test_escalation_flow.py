"""The animateur's day in the Sollicitations tab, through the real window on the demo store: record a request,
find it in the pending list, propose partners, record a refusal, accept, fill the placement, see it in Stages."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from PySide6.QtCore import Qt, QTime
from sqlalchemy import select

from poledesk.data.enums import Audience, ProposalAnswer
from poledesk.data.enums import EscalationStatus as S
from poledesk.data.escalations import candidates as candidates
from poledesk.data.escalations import edits as escalation_edits
from poledesk.data.escalations import listing as escalations
from poledesk.data.escalations.listing import urgency_of
from poledesk.data.models import Escalation, EscalationEvent, Placement, Proposal
from poledesk.ui.dialogs.escalation_dialog import EscalationDialog
from poledesk.ui.dialogs.form_fields import select_data, to_qdate
from poledesk.ui.dialogs.placement_dialog import BLOCKING_COLOUR, PlacementDialog
from poledesk.ui.dialogs.proposal_dialog import AnswerDialog, ProposalDialog
from poledesk.ui.dialogs.status_dialog import StatusReasonDialog
from poledesk.ui.escalations_tab import URGENCY_COLOURS
from poledesk.ui.main_window import MainWindow

LEFT = Qt.MouseButton.LeftButton
PFMP = (Audience.PFMP_CAP, Audience.PFMP_BACPRO)


@pytest.fixture
def window(qtbot, store):
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.resize(1500, 950)
    win.show()
    qtbot.waitExposed(win)
    win.tabs.setCurrentWidget(win.escalations_tab)
    yield win
    win.runner.wait(5000)


def template(store):
    """An open escalation of the demo, soon, PFMP if possible, with the most candidates: the new one copies its
    school, formation, period and needs, so that the network has partners for it."""
    with store.session() as session:
        rows = [r for r in escalations.list_escalations(session, open_only=True) if 0 < r.days_left < 30]
        scored = [(r.audience in PFMP, len(candidates.escalation_candidates(session, r.id)), r.id) for r in rows]
        _pfmp, count, best = max(scored)
        assert count >= 3
        return escalations.escalation_form(session, best)


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, LEFT)


def double_click_row(qtbot, tab, proxy_row: int) -> None:
    index = tab.proxy.index(proxy_row, 0)
    tab.table.scrollTo(index)
    centre = tab.table.visualRect(index).center()
    qtbot.mouseClick(tab.table.viewport(), LEFT, pos=centre)
    qtbot.mouseDClick(tab.table.viewport(), LEFT, pos=centre)


def fill_request(dialog: EscalationDialog, like, *, start: date, end: date) -> None:
    assert select_data(dialog.establishment_combo, like.establishment_id)
    dialog.asked_name_edit.setText("Mme Géraldine Hœrth")
    dialog.asked_email_edit.setText("geraldine.hoerth@ac-nancy-metz.fr")
    dialog.first_name_edit.setText("Noé")
    dialog.last_name_edit.setText("Müller")
    born = date(start.year - 16, start.month, 1) - timedelta(days=40)      # 16 at the period's start
    dialog.birth_edit.setText(born.strftime("%d/%m/%Y"))
    dialog.class_edit.setText("1re année")
    assert select_data(dialog.audience_combo, like.audience)
    assert select_data(dialog.formation_combo, like.formation_id)
    dialog.start_edit.setDate(to_qdate(start))
    dialog.end_edit.setDate(to_qdate(end))
    dialog.postcode_edit.setText(like.mobility_postcode)
    dialog.commune_edit.setText(like.mobility_commune)
    dialog.radius_spin.setValue(like.mobility_radius_km or 0)
    dialog.accessibility_check.setChecked(like.needs_accessibility)
    dialog.pai_check.setChecked(like.needs_pai)


def shown_status(store, escalation_id):
    with store.session() as session:
        return session.get(Escalation, escalation_id).status


def test_the_whole_escalation_from_request_to_placement(window, store, qtbot):
    tab, like = window.escalations_tab, template(store)
    counts_before = dict(tab.counts)
    click(qtbot, tab.new_button)
    dialog = tab.dialog
    assert isinstance(dialog, EscalationDialog) and dialog.isVisible()
    fill_request(dialog, like, start=like.period_start, end=like.period_start - timedelta(days=1))
    assert dialog.representative_box.isVisible()                       # 16: a minor
    dialog.representative_name_edit.setText("Hélène Müller")
    click(qtbot, dialog.save_button)
    assert dialog.isVisible()
    assert dialog.errors.text("period_end") == "La fin de la période ne peut pas précéder son début."
    assert dialog.first_name_edit.text() == "Noé"                       # nothing typed is lost
    with store.session() as session:
        assert escalations.count_by_status(session) == counts_before

    dialog.end_edit.setDate(to_qdate(like.period_end))
    with qtbot.waitSignal(dialog.saved) as saved:
        click(qtbot, dialog.save_button)
    escalation_id = saved.args[0]
    assert not dialog.isVisible()

    # The pending list: selected, with its urgency's colour; the counts moved.
    row = tab.current_row()
    assert row.id == escalation_id and row.status is S.RECEIVED and row.pupil == "Noé M."
    days = (like.period_start - date.today()).days
    assert row.urgency == urgency_of(S.RECEIVED, days)
    shown = tab.proxy.mapFromSource(tab.model.index(tab.model.rows.index(row), 0))
    assert shown.data(Qt.ItemDataRole.BackgroundRole) == URGENCY_COLOURS[row.urgency][0]
    assert tab.counts[S.RECEIVED] == counts_before[S.RECEIVED] + 1
    assert f"Reçues</a>&nbsp;<b>{counts_before[S.RECEIVED] + 1}</b>" in tab.counts_label.text()

    # Double-click opens the escalation's form.
    double_click_row(qtbot, tab, shown.row())
    qtbot.waitUntil(lambda: tab.dialog is not dialog and tab.dialog.isVisible())
    assert tab.dialog.escalation_id == escalation_id and tab.dialog.last_name_edit.text() == "Müller"
    tab.dialog.reject()

    panel = tab.panel
    assert panel.escalation.id == escalation_id and "Reçue" in panel.status_label.text()
    ranked = panel.candidates_panel.candidates()
    assert len(ranked) >= 3 and panel.tabs.tabText(1) == f"Candidats ({len(ranked)})"
    assert all(r.reasons for r in ranked) and any("place" in reason for reason in ranked[0].reasons)
    assert " · ".join(ranked[0].reasons) in panel.candidates_panel.list.item(0).text()
    first = ranked[0]

    # Propose to the first; it refuses and drops in the list.
    panel.tabs.setCurrentIndex(1)
    panel.candidates_panel.list.setCurrentRow(0)
    click(qtbot, panel.candidates_panel.propose_button)
    proposal_dialog = panel.dialog
    assert isinstance(proposal_dialog, ProposalDialog)
    click(qtbot, proposal_dialog.save_button)
    qtbot.waitUntil(lambda: "Proposition faite" in panel.status_label.text())
    assert tab.counts[S.PROPOSED] == counts_before[S.PROPOSED] + 1
    assert panel.tabs.currentIndex() == 2 and panel.proposals_panel.current_proposal().partner_id == first.partner_id
    click(qtbot, panel.proposals_panel.answer_button)
    answer = panel.dialog
    assert isinstance(answer, AnswerDialog)
    click(qtbot, answer.save_button)                                    # a refusal needs its reason
    assert answer.isVisible() and answer.errors.text("reason").startswith("Indiquez la raison du refus")
    answer.reason_edit.setText("Équipe réduite en janvier")
    click(qtbot, answer.save_button)
    qtbot.waitUntil(lambda: "En recherche" in panel.status_label.text())
    after = panel.candidates_panel.candidates()
    moved = next(r for r in after if r.partner_id == first.partner_id)
    assert after.index(moved) > 0 and "a déjà refusé cette sollicitation" in moved.reasons
    assert "Refusée" in panel.proposals_panel.model.index(0, 3).data()

    # Propose to another, who accepts: the placement form, prefilled, checks the rules as the hours are typed.
    second = after[0]
    panel.candidates_panel.select_partner(second.partner_id)
    click(qtbot, panel.candidates_panel.propose_button)
    click(qtbot, panel.dialog.save_button)
    qtbot.waitUntil(lambda: "Proposition faite" in panel.status_label.text())
    assert panel.proposals_panel.current_proposal().partner_id == second.partner_id
    click(qtbot, panel.proposals_panel.accept_button)
    placement = panel.dialog
    assert isinstance(placement, PlacementDialog) and placement.isVisible()
    assert "Noé Müller" in placement.header_label.text() and "16 ans" in placement.header_label.text()
    assert placement.start_edit.date() == to_qdate(like.period_start)
    assert placement.referent_teacher_name_edit.text() == "Mme Géraldine Hœrth"
    assert not any(f.rule == "daily_hours" for f in placement.findings)
    tuesday = placement.timetable_editor.rows[1]
    tuesday.start.setTime(QTime(8, 0))
    tuesday.end.setTime(QTime(17, 30))
    tuesday.break_start.setTime(QTime(12, 0))
    tuesday.break_end.setTime(QTime(12, 30))
    limit, who = ("8 h", "un élève de 16 ans") if like.audience in PFMP else \
        ("7 h", "un élève de 16 ans en séquence d'observation")
    expected = (f"Mardi : 9 h de présence, au-delà des {limit} autorisées pour {who} "
                "(Code du travail, L3162-1)")
    qtbot.waitUntil(lambda: any(f.message == expected and f.blocking for f in placement.findings))
    texts = [placement.findings_list.item(i) for i in range(placement.findings_list.count())]
    item = next(i for i in texts if expected in i.text())
    assert item.text().startswith("Bloquant") and item.foreground().color() == BLOCKING_COLOUR
    assert placement.notice_label.isVisible() and "ne pourra pas être imprimée" in placement.notice_label.text()
    tuesday.end.setTime(QTime(15, 30))                                  # 7 h: back within the law
    qtbot.waitUntil(lambda: not any(f.rule == "daily_hours" for f in placement.findings))
    placement.activities_edit.setPlainText("Mise en rayon, accueil des clients")
    with qtbot.waitSignal(placement.saved) as created:
        click(qtbot, placement.save_button)
    placement_id = created.args[0]

    # « Placé »: gone from the open list, counted, and the placement is in the Stages tab and the store.
    assert shown_status(store, escalation_id) is S.PLACED
    assert escalation_id not in [r.id for r in tab.proxy.shown_rows()]
    assert tab.counts[S.PLACED] == counts_before[S.PLACED] + 1
    stages = window.placements_tab
    assert stages.current_row().id == placement_id and stages.current_row().pupil == "Noé M."
    with store.session() as session:
        saved_placement = session.get(Placement, placement_id)
        assert saved_placement.escalation_id == escalation_id
        assert saved_placement.partner_id == second.partner_id
        assert saved_placement.activities == "Mise en rayon, accueil des clients"
        assert [(d.weekday, d.end) for d in saved_placement.timetable][:2] == [(0, time(17, 0)), (1, time(15, 30))]
        answers = session.scalars(select(Proposal.answer).where(Proposal.escalation_id == escalation_id)
                                  .order_by(Proposal.id)).all()
        assert answers == [ProposalAnswer.REFUSED, ProposalAnswer.ACCEPTED]


def test_bad_requests_are_refused_at_their_field_and_nothing_is_written(window, store, qtbot):
    tab, like = window.escalations_tab, template(store)
    with store.session() as session:
        before = escalations.count_by_status(session)
    click(qtbot, tab.new_button)
    dialog = tab.dialog
    fill_request(dialog, like, start=like.period_start, end=like.period_end)
    dialog.establishment_combo.setCurrentIndex(0)                        # « Choisir… »
    dialog.birth_edit.setText(date(date.today().year - 9, 1, 1).strftime("%d/%m/%Y"))
    dialog.start_edit.setDate(to_qdate(date.today() - timedelta(days=3)))
    dialog.asked_email_edit.setText("pas-un-courriel")
    click(qtbot, dialog.save_button)
    assert dialog.isVisible()
    assert dialog.errors.text("establishment") == "Choisissez un établissement du pôle."
    assert "aurait 9 ans" in dialog.errors.text("pupil_birth_date")
    assert "déjà commencé" in dialog.errors.text("period_start")
    assert dialog.errors.text("asked_by_email")
    dialog.birth_edit.setText("31/02/2010")
    click(qtbot, dialog.save_button)
    assert dialog.errors.text("pupil_birth_date").startswith("Date de naissance illisible")
    assert dialog.last_name_edit.text() == "Müller"
    with store.session() as session:
        assert escalations.count_by_status(session) == before


def test_filters_and_counts_narrow_the_pending_list(window, store, qtbot):
    tab = window.escalations_tab
    open_total = sum(tab.counts[s] for s in (S.RECEIVED, S.SEARCHING, S.PROPOSED))
    assert tab.proxy.rowCount() == open_total > 0
    assert [r.urgency_rank for r in tab.proxy.shown_rows()] == sorted(r.urgency_rank for r in tab.proxy.shown_rows())
    tab.counts_label.linkActivated.emit("placed")                       # a click on « Placées »
    assert {r.status for r in tab.proxy.shown_rows()} == {S.PLACED}
    assert tab.proxy.rowCount() == tab.counts[S.PLACED] and not tab.closed_check.isEnabled()
    school = tab.proxy.row_at(0).establishment
    index = next(i for i in range(tab.establishment_combo.count()) if tab.establishment_combo.itemText(i)
                 .startswith(school + " ("))
    tab.establishment_combo.setCurrentIndex(index)
    assert {r.establishment for r in tab.proxy.shown_rows()} == {school}
    with store.session() as session:
        expected = escalations.count_by_status(session, establishment_id=tab.establishment_combo.currentData())
    assert tab.counts == expected
    tab.status_combo.setCurrentIndex(0)
    select_data(tab.audience_combo, Audience.PFMP_CAP)
    assert all(r.audience is Audience.PFMP_CAP and r.status in escalations.OPEN_STATUSES
               for r in tab.proxy.shown_rows())
    assert all(tab.formation_combo.itemText(i).startswith(("CAP", "Toutes"))
               for i in range(tab.formation_combo.count()))


def test_closing_asks_why_and_a_stale_move_is_refused(window, store, qtbot):
    tab = window.escalations_tab
    tab.counts_label.linkActivated.emit("received")
    row = tab.proxy.row_at(0)
    tab.select_id(row.id)
    panel = tab.panel
    assert set(panel.move_actions) == {S.SEARCHING, S.PROPOSED, S.CLOSED_UNSOLVED, S.WITHDRAWN}

    # Another window moved it meanwhile: this one, still showing « Reçue », is refused and shows the truth.
    with store.transaction() as session:
        escalation_edits.change_status(session, row.id, S.SEARCHING, expected=S.RECEIVED)
    panel.move_actions[S.PROPOSED].trigger()
    qtbot.waitUntil(lambda: panel.message_box is not None and panel.message_box.isVisible())
    assert "entre-temps" in panel.message_box.text()
    assert shown_status(store, row.id) is S.SEARCHING

    tab.status_combo.setCurrentIndex(0)
    tab.select_id(row.id)
    assert "En recherche" in panel.status_label.text()
    panel.move_actions[S.CLOSED_UNSOLVED].trigger()
    dialog = panel.dialog
    assert isinstance(dialog, StatusReasonDialog)
    click(qtbot, dialog.save_button)
    assert dialog.isVisible() and dialog.errors.text("reason").startswith("Indiquez pourquoi")
    dialog.reason_edit.setText("Aucune structure dans le rayon de mobilité")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert shown_status(store, row.id) is S.CLOSED_UNSOLVED
    with store.session() as session:
        reasons = session.scalars(select(EscalationEvent.reason).where(EscalationEvent.escalation_id == row.id)).all()
    assert reasons[-1] == "Aucune structure dans le rayon de mobilité"
    tab.closed_check.setChecked(True)
    assert tab.select_id(row.id)
    assert "Aucune structure dans le rayon de mobilité" in tab.detail.text()
    assert set(panel.move_actions) == {S.SEARCHING} and not panel.candidates_panel.propose_button.isEnabled()


def test_editing_a_request_keeps_its_pupil_and_logs_nothing_new(window, store, qtbot):
    tab = window.escalations_tab
    row = tab.proxy.row_at(0)
    tab.select_id(row.id)
    click(qtbot, tab.panel.edit_button)
    dialog = tab.dialog
    with store.session() as session:
        form = escalations.escalation_form(session, row.id)
    assert dialog.last_name_edit.text() == form.pupil_last_name and dialog.escalation_id == row.id
    dialog.needs_edit.setText("Préfère un stage le matin")
    click(qtbot, dialog.save_button)
    with store.session() as session:
        assert escalations.escalation_form(session, row.id) == replace(form, needs="Préfère un stage le matin")
    assert tab.current_row().id == row.id


def test_a_new_escalation_hidden_by_the_filters_is_shown_anyway(window, store, qtbot):
    tab, like = window.escalations_tab, template(store)
    tab.counts_label.linkActivated.emit("withdrawn")
    qtbot.keyClicks(tab.search_edit, "zzz")
    qtbot.waitUntil(lambda: tab.proxy.rowCount() == 0)
    click(qtbot, tab.new_button)
    fill_request(tab.dialog, like, start=like.period_start, end=like.period_end)
    with qtbot.waitSignal(tab.dialog.saved) as saved:
        click(qtbot, tab.dialog.save_button)
    assert tab.current_row().id == saved.args[0] and tab.status_combo.currentIndex() == 0
    assert tab.search_edit.text() == "" and tab.panel.escalation.id == saved.args[0]
