"""What a search tells the user: the row found through a contact or a tag says so; nothing found says what was
looked for and offers something that finds partners."""

from __future__ import annotations

from PySide6.QtCore import Qt

from poledesk.data.partners import contacts
from poledesk.data.partners import edits as partner_edits
from poledesk.data.partners.edits import PartnerForm
from poledesk.ui.partners_tab import PartnersTab


def open_tab(qtbot, store) -> PartnersTab:
    tab = PartnersTab(store)
    qtbot.addWidget(tab)
    tab.resize(1280, 700)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def type_search(qtbot, tab: PartnersTab, text: str) -> None:
    tab.search_edit.clear()
    qtbot.keyClicks(tab.search_edit, text)
    qtbot.keyClick(tab.search_edit, Qt.Key.Key_Return)


def names_shown(tab: PartnersTab) -> list[str]:
    return [tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())]


def test_a_row_found_through_a_contact_or_a_tag_says_so(qtbot, small_store):
    with small_store.transaction() as session:
        partner_id = partner_edits.save_partner(session, PartnerForm(
            name="Mairie de Vandœuvre", commune="Vandœuvre-lès-Nancy", postcode="54500", tags="collectivité"))
        contacts.save_contact(session, partner_id, contacts.ContactForm(first_name="Gaëlle", last_name="N'Diaye"))
    tab = open_tab(qtbot, small_store)
    type_search(qtbot, tab, "vandoeuvre")
    assert names_shown(tab) == ["Mairie de Vandœuvre"]                   # its name: nothing more to say
    type_search(qtbot, tab, "ndiaye")
    assert names_shown(tab) == ["Mairie de Vandœuvre — par contact Gaëlle N'Diaye"]
    assert "Trouvé par son contact Gaëlle N'Diaye" in tab.proxy.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    type_search(qtbot, tab, "hotellerie")
    assert names_shown(tab) == ["Hôtel des Vosges — par étiquette hôtellerie"]
    type_search(qtbot, tab, "mairie de vand")                             # « de » is a stop word, « vand » a prefix
    assert names_shown(tab) == ["Mairie de Vandœuvre"]
    assert not tab.empty_label.isVisible()


def test_nothing_found_says_what_was_looked_for_and_the_suggestion_finds_partners(qtbot, small_store):
    tab = open_tab(qtbot, small_store)
    type_search(qtbot, tab, "garage zzz")
    assert tab.proxy.rowCount() == 0
    assert tab.count_label.text() == "Aucun partenaire"
    assert tab.empty_label.isVisible()
    text = tab.empty_label.text()
    assert "Aucun partenaire ne correspond à « garage zzz »." in text
    assert "Essayer « garage »" in text and "1 partenaire" in text
    tab.empty_label.linkActivated.emit("try")
    assert tab.search_edit.text() == "garage"
    assert names_shown(tab) == ["Garage de l'Église"]
    assert not tab.empty_label.isVisible()


def test_a_filter_that_hides_every_match_is_offered_to_be_removed(qtbot, small_store):
    tab = open_tab(qtbot, small_store)
    bar = tab.filter_bar
    bar.commune_combo.setCurrentText("Nancy")
    bar.changed.emit()
    type_search(qtbot, tab, "boulangerie")
    assert tab.proxy.rowCount() == 0
    assert "Retirer les filtres" in tab.empty_label.text() and "1 partenaire sans eux" in tab.empty_label.text()
    tab.empty_label.linkActivated.emit("try")
    qtbot.waitUntil(lambda: names_shown(tab) == ["Boulangerie Lefèvre"], timeout=3000)


def test_nothing_to_suggest_still_says_how_to_search(qtbot, small_store):
    tab = open_tab(qtbot, small_store)
    type_search(qtbot, tab, "qwxz")
    assert "Aucun partenaire ne correspond à « qwxz »." in tab.empty_label.text()
    assert "le début d'un mot" in tab.empty_label.text()
