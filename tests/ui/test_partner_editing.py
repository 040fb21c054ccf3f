"""The Partenaires tab as a working tool, driven through the real window on the demo pole: the partner form
(refusal in place, duplicate warning), contacts, offers and exchanges from the panel, archive and restore,
and the « À faire » list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from poledesk.data.enums import Audience, PartnerStatus
from poledesk.data.models import HostingOffer
from poledesk.data.partners import edits as partner_edits
from poledesk.data.partners import listing as partners
from poledesk.data.partners import visits as visits
from poledesk.data.partners.edits import PartnerForm
from poledesk.data.validation import format_siret
from poledesk.ui.follow_ups_panel import OVERDUE_BACKGROUND
from poledesk.ui.main_window import MainWindow
from poledesk.ui.widgets.models import RowTableModel

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def window(qtbot, store):
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.tabs.setCurrentWidget(win.partners_tab)     # the Tableau de bord comes first
    yield win
    win.runner.wait(5000)


def count(store) -> int:
    with store.session() as session:
        return partners.count_partners(session)


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, LEFT)


def double_click_row(qtbot, table, row: int) -> None:
    index = table.model().index(row, 0)
    table.scrollTo(index)
    centre = table.visualRect(index).center()
    qtbot.mouseClick(table.viewport(), LEFT, pos=centre)
    qtbot.mouseDClick(table.viewport(), LEFT, pos=centre)


def open_dialog(qtbot, tab, button):
    before = tab.dialog
    click(qtbot, button)
    qtbot.waitUntil(lambda: tab.dialog is not before and tab.dialog.isVisible())
    return tab.dialog


def saved_partner(store, name: str, **fields) -> int:
    with store.transaction() as session:
        return partner_edits.save_partner(session, PartnerForm(name=name, postcode="54000", commune="Nancy",
                                                               status=PartnerStatus.ACTIVE, **fields))


def test_a_partner_is_created_through_the_form_after_a_refused_siret_and_a_duplicate_warning(window, store, qtbot):
    tab = window.partners_tab
    with store.session() as session:
        existing = next(r for r in partners.search_partners(session) if r.siret)
    before = count(store)
    dialog = open_dialog(qtbot, tab, tab.new_button)
    assert dialog.windowTitle() == "Nouveau partenaire" and dialog.isModal()
    dialog.name_edit.setText("Boulangerie Zéphyrine")
    dialog.siret_edit.setText("10000000910009")                        # wrong check digit
    qtbot.keyClicks(dialog.postcode_edit, "54000")
    assert dialog.commune_edit.text() == "Nancy"                       # the postcode's only commune
    qtbot.keyClicks(dialog.naf_edit, "10.71C")
    assert dialog.sector_label.text() == "Boulangerie et boulangerie-pâtisserie"
    click(qtbot, dialog.save_button)
    assert dialog.isVisible()
    assert dialog.errors.text("siret") and dialog.errors.text("siret").startswith("SIRET invalide")
    assert not dialog.errors.text("name")
    assert dialog.name_edit.text() == "Boulangerie Zéphyrine" and dialog.naf_edit.text() == "10.71C"
    assert count(store) == before                                      # nothing written

    dialog.siret_edit.setText(existing.siret)                          # valid, but another partner's
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.duplicate_box is not None and dialog.duplicate_box.isVisible())
    box = dialog.duplicate_box
    assert "Ce partenaire ressemble à" in box.text() and existing.name in box.text() and "même SIRET" in box.text()
    assert not dialog.errors.text("siret")
    click(qtbot, next(b for b in box.buttons() if b.text() == "Annuler"))
    qtbot.waitUntil(lambda: not box.isVisible())
    assert dialog.isVisible() and count(store) == before

    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.duplicate_box is not box and dialog.duplicate_box.isVisible())
    click(qtbot, dialog.save_anyway_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert count(store) == before + 1
    with store.session() as session:
        saved = partner_edits.partner_form(session, dialog.saved_id)
    assert (saved.name, saved.siret, saved.naf_code, saved.commune) == (
        "Boulangerie Zéphyrine", existing.siret, "10.71C", "Nancy")
    qtbot.waitUntil(lambda: tab.current_row() is not None and tab.current_row().id == dialog.saved_id)
    assert tab.panel.title_label.text() == "Boulangerie Zéphyrine"
    assert tab.count_label.text() == f"{before + 1} partenaires"


def test_a_status_that_needs_a_reason_asks_for_it_beside_the_field(window, store, qtbot):
    tab = window.partners_tab
    dialog = open_dialog(qtbot, tab, tab.new_button)
    assert not dialog.status_reason_edit.isEnabled()
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData(PartnerStatus.PAUSED.value))
    assert dialog.status_reason_edit.isEnabled()
    dialog.name_edit.setText("Garage Étienne")
    click(qtbot, dialog.save_button)
    assert dialog.errors.text("status_reason") == "Indiquez pourquoi le statut est « En pause »."
    assert dialog.errors.text("postcode") and dialog.errors.text("commune")
    assert dialog.isVisible()


def test_double_click_and_modifier_open_the_partner_to_edit_it(window, store, qtbot):
    tab = window.partners_tab
    row = tab.proxy.row_at(3)
    double_click_row(qtbot, tab.table, 3)
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible())
    dialog = tab.dialog
    assert dialog.name_edit.text() == row.name and dialog.windowTitle() == f"Modifier « {row.name} »"
    dialog.phone_edit.setText("0383000001")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    with store.session() as session:
        assert partners.partner_detail(session, row.id).phone == "03 83 00 00 01"
    assert tab.panel.value("Coordonnées", "Téléphone") == "03 83 00 00 01"
    again = open_dialog(qtbot, tab, tab.panel.edit_button)
    assert again.phone_edit.text() == "03 83 00 00 01"


def test_a_contact_an_offer_and_an_exchange_are_added_from_the_panel(window, store, qtbot):
    tab = window.partners_tab
    partner_id = saved_partner(store, "Atelier Zéphyr")
    tab.refresh()
    assert tab.show_partner(partner_id)
    panel = tab.panel
    assert panel.value("Contacts", "Zoé Lefèvre") is None

    contact = open_dialog(qtbot, tab, panel.add_contact_button)
    contact.last_name_edit.setText("Lefèvre")
    contact.first_name_edit.setText("Zoé")
    qtbot.keyClicks(contact.role_edit, "Gerante")
    contact.email_edit.setText("pas-un-courriel")
    click(qtbot, contact.tutor_check)
    click(qtbot, contact.save_button)
    assert contact.isVisible() and contact.errors.text("email")
    contact.email_edit.setText("zoe@atelier-zephyr.fr")
    click(qtbot, contact.save_button)
    qtbot.waitUntil(lambda: panel.value("Contacts", "Zoé Lefèvre") is not None)
    assert panel.value("Contacts", "Zoé Lefèvre").startswith("Gerante\ntuteur ou tutrice")
    assert tab.current_row().contacts == 1

    offer = open_dialog(qtbot, tab, panel.add_offer_button)
    offer.audience_combo.setCurrentIndex(offer.audience_combo.findData(Audience.PFMP_CAP.value))
    offer.sector_edit.setText("Ébénisterie")
    offer.places_spin.setValue(2)
    click(qtbot, offer.save_button)
    assert offer.isVisible() and offer.errors.text("months")           # no month nor week given
    click(qtbot, offer.month_checks[3])
    click(qtbot, offer.month_checks[4])
    click(qtbot, offer.save_button)
    qtbot.waitUntil(lambda: panel.value("Offres", Audience.PFMP_CAP.label) is not None)
    assert panel.value("Offres", Audience.PFMP_CAP.label).startswith("2 places\nÉbénisterie\nMois : mars, avril")
    assert "À reconfirmer : jamais confirmée" in panel.text()                # never confirmed: stale
    assert tab.current_row().places == 2
    offer_id = next(key[1] for key in panel.item_buttons if key[0] == "offer")
    click(qtbot, panel.item_buttons[("offer", offer_id, "confirm")])
    qtbot.waitUntil(lambda: "À reconfirmer" not in panel.text())
    with store.session() as session:
        assert session.get(HostingOffer, offer_id).last_confirmed_on == date.today()

    follow_ups_before = len(window.partners_tab.follow_ups.rows)
    visit = open_dialog(qtbot, tab, panel.visit_button)
    qtbot.waitUntil(visit.summary_edit.hasFocus)                                # ready to type at once
    with store.session() as session:
        assert visit.who_edit.text() == partners.visit_author(session) != ""
    assert visit.date_edit.value() == date.today()
    assert visit.partner_label.text() == "Atelier Zéphyr"
    visit.contact_combo.setCurrentIndex(1)
    assert visit.contact_combo.currentText().startswith("Zoé Lefèvre")
    qtbot.keyClicks(visit.summary_edit, "Visite de l'atelier avec la tutrice")
    qtbot.keyClicks(visit.next_action_edit, "Envoyer la convention-cadre")
    click(qtbot, visit.week_button)
    click(qtbot, visit.save_button)
    qtbot.waitUntil(lambda: not visit.isVisible())
    assert window.banner.isVisible()                      # saved: the window says so
    assert window.banner.text_label.text() == ("Échange avec Atelier Zéphyr noté : il figure dans l'historique de "
                                               "sa fiche.")
    assert "Visite de l'atelier avec la tutrice" in panel.text()
    assert f"échéance {(date.today() + timedelta(days=7)):%d/%m/%Y}, dans 7 j" in panel.text()
    assert len(tab.follow_ups.rows) == follow_ups_before + 1
    assert tab.follow_ups_toggle.text() == f"À faire ({follow_ups_before + 1})"
    assert tab.current_row().last_visit == date.today()


def test_a_contact_is_archived_after_confirmation(window, store, qtbot):
    tab = window.partners_tab
    with store.session() as session:
        row = next(r for r in partners.search_partners(session) if r.contacts >= 2)
        first = partners.list_contacts(session, row.id)[0]
    assert tab.show_partner(row.id)
    click(qtbot, tab.panel.item_buttons[("contact", first.id, "archive")])
    qtbot.waitUntil(lambda: tab.message_box is not None and tab.message_box.isVisible())
    click(qtbot, tab.confirm_button)
    qtbot.waitUntil(lambda: tab.panel.value("Contacts", first.full_name) is None)
    with store.session() as session:
        assert [c.id for c in partners.list_contacts(session, row.id)].count(first.id) == 0
    assert tab.current_row().contacts == row.contacts - 1


def test_a_partner_found_without_accents_is_archived_then_restored_from_the_archives(window, store, qtbot):
    tab = window.partners_tab
    partner_id = saved_partner(store, "Épicerie Zéphyrine")
    tab.refresh()
    total = count(store)
    qtbot.keyClicks(tab.search_edit, "epicerie zephyr")
    qtbot.waitUntil(lambda: [r.id for r in tab.proxy.shown_rows()] == [partner_id])
    assert tab.count_label.text() == "1 partenaire"
    qtbot.mouseClick(tab.table.viewport(), LEFT, pos=tab.table.visualRect(tab.proxy.index(0, 0)).center())
    qtbot.waitUntil(lambda: tab.panel.partner_id == partner_id)

    click(qtbot, tab.panel.archive_button)
    qtbot.waitUntil(lambda: tab.message_box is not None and tab.message_box.isVisible())
    assert "Épicerie Zéphyrine" in tab.message_box.text() and tab.message_box.icon() == QMessageBox.Icon.Question
    click(qtbot, tab.confirm_button)
    qtbot.waitUntil(lambda: tab.proxy.rowCount() == 0)
    assert count(store) == total - 1
    with store.session() as session:
        assert partners.partner_detail(session, partner_id) is None

    click(qtbot, tab.filter_bar.archived_check)
    qtbot.waitUntil(lambda: [r.id for r in tab.proxy.shown_rows()] == [partner_id])
    assert tab.count_label.text() == "1 partenaire archivé"
    assert tab.proxy.index(0, 5).data() == "Archivé"
    qtbot.mouseClick(tab.table.viewport(), LEFT, pos=tab.table.visualRect(tab.proxy.index(0, 0)).center())
    qtbot.waitUntil(lambda: tab.panel.partner_id == partner_id)
    assert tab.panel.restore_button.isVisible() and not tab.panel.edit_button.isVisible()
    assert tab.panel.subtitle_label.text().startswith("Archivé le")
    click(qtbot, tab.panel.restore_button)
    qtbot.waitUntil(lambda: not tab.filter_bar.archived_check.isChecked() and tab.panel.partner_id == partner_id)
    assert tab.panel.edit_button.isVisible() and not tab.panel.restore_button.isVisible()
    assert count(store) == total and tab.current_row().id == partner_id


def test_a_faire_lists_the_overdue_follow_ups_first_and_fait_removes_one(window, store, qtbot):
    tab = window.partners_tab
    today = date.today()
    with store.session() as session:
        due = visits.list_follow_ups(session)
    late = [r for r in due if r.due < today]
    assert late and tab.follow_ups_toggle.text() == f"À faire ({len(due)})"
    click(qtbot, tab.follow_ups_toggle)
    assert tab.pages.currentWidget() is tab.follow_ups
    panel = tab.follow_ups
    assert panel.proxy.rowCount() == len(due)
    first = panel.proxy.row_at(0)
    assert first.due == min(r.due for r in due) < today
    assert panel.proxy.index(0, 1).data() == f"en retard de {(today - first.due).days} j"
    assert panel.proxy.index(0, 2).data(Qt.ItemDataRole.BackgroundRole) == OVERDUE_BACKGROUND
    assert panel.summary_label.text() == f"{len(due)} actions à mener, dont {len(late)} en retard (en rouge)."
    assert not panel.done_button.isEnabled()
    qtbot.mouseClick(panel.table.viewport(), LEFT, pos=panel.table.visualRect(panel.proxy.index(0, 0)).center())
    assert panel.done_button.isEnabled()
    click(qtbot, panel.done_button)
    qtbot.waitUntil(lambda: panel.proxy.rowCount() == len(due) - 1)
    assert first.visit_id not in [r.visit_id for r in panel.proxy.shown_rows()]
    with store.session() as session:
        assert first.visit_id not in [r.visit_id for r in visits.list_follow_ups(session)]
    assert tab.follow_ups_toggle.text() == f"À faire ({len(due) - 1})"
    assert panel.current_row() == panel.proxy.row_at(0)                   # ready for the next « Fait »

    opened = panel.proxy.row_at(0)
    double_click_row(qtbot, panel.table, 0)
    qtbot.waitUntil(lambda: tab.pages.currentIndex() == 0)
    assert tab.partners_toggle.isChecked() and tab.current_row().id == opened.partner_id
    assert tab.panel.title_label.text() == opened.partner_name


def test_fait_in_the_panel_completes_the_follow_up_of_an_exchange(window, store, qtbot):
    tab = window.partners_tab
    with store.session() as session:
        follow_up = visits.list_follow_ups(session)[0]
    assert tab.show_partner(follow_up.partner_id)
    button = tab.panel.item_buttons.get(("visit", follow_up.visit_id, "done"))
    assert button is not None and "en retard de" in tab.panel.text()
    click(qtbot, button)
    qtbot.waitUntil(lambda: ("visit", follow_up.visit_id, "done") not in tab.panel.item_buttons)
    assert f"Fait le {date.today():%d/%m/%Y} : {follow_up.next_action}" in tab.panel.text()
    assert follow_up.visit_id not in [r.visit_id for r in tab.follow_ups.rows]


def test_rows_show_the_sector_in_words_and_the_siret_formatted(window, store, qtbot):
    tab = window.partners_tab
    row = next(r for r in tab.proxy.shown_rows() if r.siret and r.naf_code)
    position = tab.proxy.shown_rows().index(row)
    assert tab.proxy.index(position, 4).data() == row.sector != row.naf_code
    assert tab.proxy.index(position, 4).data(Qt.ItemDataRole.ToolTipRole) == f"{row.naf_code} – {row.sector}"
    assert tab.proxy.index(position, 3).data() == format_siret(row.siret)
    assert tab.proxy.index(position, 0).data(RowTableModel.RowRole) == row


def test_the_table_takes_two_thirds_and_fits_without_scrolling(window, qtbot):
    window.resize(1280, 800)
    tab = window.partners_tab
    qtbot.waitUntil(lambda: abs(tab.splitter.sizes()[0] / sum(tab.splitter.sizes()) - 2 / 3) < 0.02)
    header = tab.table.horizontalHeader()
    qtbot.waitUntil(lambda: header.length() <= tab.table.viewport().width())
    assert tab.table.horizontalScrollBar().maximum() == 0
    assert header.sectionSize(0) > header.sectionSize(1)                      # Nom takes the room left
    assert header.sectionSize(3) >= tab.table.fontMetrics().horizontalAdvance("888 888 888 88888")
    window.resize(1600, 900)
    qtbot.waitUntil(lambda: abs(tab.splitter.sizes()[0] / sum(tab.splitter.sizes()) - 2 / 3) < 0.02)
    qtbot.waitUntil(lambda: header.length() <= tab.table.viewport().width())


def test_the_naf_code_is_found_by_its_activity_without_accents(window, qtbot):
    tab = window.partners_tab
    dialog = open_dialog(qtbot, tab, tab.new_button)
    qtbot.keyClicks(dialog.naf_edit, "hypermarche")
    popup = dialog.naf_completer.popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().rowCount() == 1
    assert popup.model().index(0, 0).data() == "47.11F – Hypermarchés"
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.naf_edit.text() == "47.11F")
    assert dialog.sector_label.text() == "Hypermarchés"


def test_a_date_typed_over_replaces_it_all_and_delete_empties_it(window, qtbot):
    tab = window.partners_tab
    dialog = open_dialog(qtbot, tab, tab.new_button)
    field = dialog.framework_start_date
    edit = field.line_edit
    assert field.value() is None and edit.placeholderText() == "jj/mm/aaaa" and not field.clear_button.isEnabled()
    edit.setFocus()
    qtbot.keyClicks(edit, "01092026")
    assert field.value() == date(2026, 9, 1) and field.clear_button.isEnabled()
    edit.editingFinished.emit()                               # the user leaves the field
    assert edit.text() == "01/09/2026"
    edit.setFocus()
    qtbot.waitUntil(lambda: edit.selectedText() == "01/09/2026")
    qtbot.keyClicks(edit, "11/1/27")                        # typed over: the whole date is replaced
    assert field.value() == date(2027, 1, 11)
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    assert field.value() is None
    field.set_value(date(2026, 9, 1))
    dialog.framework_end_date.set_value(date(2026, 8, 31))
    dialog.name_edit.setText("Garage des Dates")
    qtbot.keyClicks(dialog.postcode_edit, "54000")
    click(qtbot, dialog.save_button)
    assert dialog.errors.text("framework_end") == "La convention-cadre ne peut pas finir avant d'avoir commencé."
    click(qtbot, dialog.framework_end_date.clear_button)
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert tab.panel.value("Identité", "Convention-cadre") == "du 01/09/2026 au ?"


def test_an_offer_is_edited_with_its_formation_and_reserved_schools(window, store, qtbot):
    tab = window.partners_tab
    with store.session() as session:
        formation = next(f for f in partners.offer_formations(session) if f.audience is Audience.PFMP_BACPRO)
    partner_id = saved_partner(store, "Magasin Zéphyr")
    tab.refresh()
    assert tab.show_partner(partner_id)
    offer = open_dialog(qtbot, tab, tab.panel.add_offer_button)
    offer.audience_combo.setCurrentIndex(offer.audience_combo.findData(Audience.PFMP_BACPRO.value))
    labels = [offer.formation_combo.itemText(i) for i in range(1, offer.formation_combo.count())]
    with store.session() as session:
        assert labels == [f.label for f in partners.offer_formations(session) if f.audience is Audience.PFMP_BACPRO]
    offer.formation_combo.setCurrentIndex(offer.formation_combo.findData(formation.id))
    assert not offer.sector_edit.isEnabled()
    click(qtbot, offer.all_months_button)
    school = offer.establishments_list.item(0)
    school.setCheckState(Qt.CheckState.Checked)
    offer.max_requests_spin.setValue(2)
    click(qtbot, offer.save_button)
    qtbot.waitUntil(lambda: not offer.isVisible())
    facts = tab.panel.value("Offres", Audience.PFMP_BACPRO.label)
    assert f"{formation.label}\nMois : toute l'année" in facts
    assert f"Réservée à : {school.text()}" in facts and "Au plus 2 sollicitations par mois" in facts
    offer_id = next(key[1] for key in tab.panel.item_buttons if key[0] == "offer")
    again = open_dialog(qtbot, tab, tab.panel.item_buttons[("offer", offer_id, "edit")])
    assert again.formation_combo.currentData() == formation.id
    assert all(check.isChecked() for check in again.month_checks.values())
    assert again.establishments_list.item(0).checkState() == Qt.CheckState.Checked
    assert again.max_requests_spin.value() == 2
    again.places_spin.setValue(4)
    click(qtbot, again.save_button)
    qtbot.waitUntil(lambda: tab.current_row().places == 4)
    click(qtbot, tab.panel.item_buttons[("offer", offer_id, "archive")])
    qtbot.waitUntil(lambda: tab.message_box is not None and tab.message_box.isVisible())
    click(qtbot, tab.confirm_button)
    qtbot.waitUntil(lambda: tab.current_row().places == 0)
    assert tab.panel.value("Offres", Audience.PFMP_BACPRO.label) is None


def test_the_communes_of_a_shared_postcode_are_offered_and_found_without_accents(window, qtbot):
    tab = window.partners_tab
    dialog = open_dialog(qtbot, tab, tab.new_button)
    qtbot.keyClicks(dialog.postcode_edit, "88400")
    assert dialog.commune_edit.text() == ""                           # three communes: the user chooses
    dialog.commune_edit.setFocus()
    popup = dialog.commune_link.completer.popup()
    qtbot.waitUntil(popup.isVisible)
    assert [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())] == [
        "Gérardmer", "Liézey", "Xonrupt-Longemer"]
    qtbot.keyClicks(dialog.commune_edit, "gerar")
    assert popup.model().rowCount() == 1
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.commune_edit.text() == "Gérardmer")
