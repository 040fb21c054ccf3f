"""Fichier > Importer… through the main window: a messy workbook read, mapped, planned row by row, nothing imported
while rows are rejected unless asked, the valid rows written in one transaction, and a cancel that changes nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QMetaObject, Qt
from PySide6.QtWidgets import QFileDialog, QPushButton, QWizard
from sqlalchemy import text

from poledesk.data.establishments import listing as establishments
from poledesk.data.models import Base
from poledesk.data.partners import listing as partners
from poledesk.data.validation import InvalidValue, check_siret
from poledesk.ui.dialogs.import_pages import IGNORE
from poledesk.ui.main_window import MainWindow

NEW_A, WRONG_KEY, NEW_C = 81234567600017, "82345678500019", "834 567 893 00013"
HEADERS = ["Raison sociale", "N° SIRET", "Code Postal", "Ville", "Tél.", "Remarques du pôle", "Suivi par"]
NEXT = QWizard.WizardButton.NextButton
FINISH = QWizard.WizardButton.FinishButton


@pytest.fixture
def window(qtbot, store):
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentWidget(window.partners_tab)     # the Tableau de bord comes first
    yield window
    window.runner.wait(10_000)


@pytest.fixture
def known(store):
    """A demo partner with a SIRET: the workbook's row 7 updates it."""
    with store.session() as session:
        return next(p for p in partners.search_partners(session) if p.siret)


def write_workbook(path: Path, rows: list[list], *, title: str = "Réseau 2025") -> Path:
    """A title line, the headers on row 2, then `rows` from row 3, and a second sheet of notes."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(["Entreprises partenaires – mise à jour de septembre"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("Notes").append(["Rien à importer ici"])
    workbook.save(path)
    return path


@pytest.fixture
def messy(tmp_path, known) -> Path:
    return write_workbook(tmp_path / "réseau été.xlsx", [
        ["Boulangerie Pâtisserie Lefèvre-Müller", NEW_A, 88000, "Épinal", None, None, "Claire"],
        ["Garage de l'Étang", WRONG_KEY, "54000", "Nancy", None, None, "Claire"],
        ["Café des Arts", NEW_C, "54000", "Nancy", "03 83 30 20 10", None, None],
        ["Café des Arts – Épinal", NEW_C, "88000", "Épinal", None, None, "Luc"],
        [known.name, known.siret, known.postcode, known.commune, "03 29 55 44 01", None, None],
        ["Ébénisterie Œuvre & Bois", None, "88100", "Saint-Dié-des-Vosges", None, "Accueille des 3e", None],
    ])


def counts(store) -> tuple[int, int]:
    with store.session() as session:
        return partners.count_partners(session), establishments.count_establishments(session)


def store_digest(store) -> str:
    """Every row of every table (the search index too): an equal digest is an unchanged store."""
    digest = hashlib.sha256()
    with store.session() as session:
        for table in [*sorted(Base.metadata.tables), "partner_fts"]:
            for row in session.execute(text(f"SELECT * FROM {table} ORDER BY 1")):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def names(store) -> set[str]:
    with store.session() as session:
        return {p.name for p in partners.search_partners(session)}


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def open_wizard(qtbot, window, monkeypatch, path: Path, *, readable: bool = True):
    """Fichier > Importer…, then « Parcourir… » picks `path`; returns the wizard once the file is read."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *_args: (str(path), "")))
    window.import_action.trigger()
    wizard = window.spreadsheet_actions.wizard
    qtbot.waitExposed(wizard)
    click(qtbot, wizard.file_page.browse_button)
    qtbot.waitUntil(lambda: not wizard.file_page.reading, timeout=10_000)
    assert wizard.file_page.isComplete() is readable
    return wizard


def go_to_plan(qtbot, wizard) -> None:
    click(qtbot, wizard.button(NEXT))
    assert wizard.currentPage() is wizard.mapping_page
    click(qtbot, wizard.button(NEXT))
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.plan_page, timeout=20_000)


def shown_plan(wizard) -> list[tuple[int, str, str, str, str]]:
    return [(line.row_number, line.action_text, line.name, line.column, line.detail)
            for line in wizard.plan_page.proxy.shown_rows()]


def test_the_menu_says_importer_and_exporter(window):
    texts = [action.text() for action in window.menuBar().actions()[0].menu().actions()]
    assert texts[:5] == ["&Ouvrir un autre dossier de données…", "&Sauvegarder une copie…",
                         "&Protéger la base par une phrase secrète…", "", "&Importer…"]
    assert "&Exporter…" in texts


def test_a_messy_workbook_is_planned_row_by_row_and_only_the_valid_rows_are_imported_when_asked(
        window, store, qtbot, monkeypatch, messy, known):
    before, before_names, digest = counts(store), names(store), store_digest(store)
    wizard = open_wizard(qtbot, window, monkeypatch, messy)
    page = wizard.file_page
    assert [wizard.buttonText(b) for b in (NEXT, FINISH, QWizard.WizardButton.CancelButton)] == [
        "Suivant >", "Importer", "Annuler"]
    assert page.sheet_combo.isVisible() and page.sheet_combo.currentText() == "Réseau 2025"
    assert page.status_label.text() == ("Feuille « Réseau 2025 » : 6 lignes de données, 7 colonnes, en-têtes en "
                                        "ligne 2.")
    assert page.partners_radio.isChecked()

    click(qtbot, wizard.button(NEXT))
    mapping = wizard.mapping_page
    preview = mapping.preview_table
    assert [preview.verticalHeaderItem(r).text() for r in range(preview.rowCount())] == ["3", "4", "5", "6", "7", "8"]
    assert preview.item(0, 1).text() == str(NEW_A) and preview.item(5, 0).text() == "Ébénisterie Œuvre & Bois"
    assert preview.horizontalHeaderItem(1).text() == "N° SIRET\n→ SIRET"
    assert preview.horizontalHeaderItem(6).text() == "Suivi par\n(ignorée)"
    chosen = {key: combo.currentText() for key, combo in mapping.combos.items() if combo.currentData() is not None}
    assert chosen == {"name": "Raison sociale", "siret": "N° SIRET", "postcode": "Code Postal", "commune": "Ville",
                      "phone": "Tél."}
    assert mapping.combos["notes"].currentText() == IGNORE
    mapping.combos["commune"].setCurrentIndex(0)                       # a required field left without a column
    assert mapping.missing_label.text() == "Choisissez la colonne de : « Commune » (obligatoire)."
    assert not wizard.button(NEXT).isEnabled()
    mapping.combos["commune"].setCurrentIndex(mapping.combos["commune"].findText("Ville"))
    mapping.combos["notes"].setCurrentIndex(mapping.combos["notes"].findText("Remarques du pôle"))
    assert wizard.button(NEXT).isEnabled() and not mapping.missing_label.isVisible()

    click(qtbot, wizard.button(NEXT))
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.plan_page, timeout=20_000)
    with pytest.raises(InvalidValue) as wrong:
        check_siret(WRONG_KEY)
    assert shown_plan(wizard) == [
        (3, "Créé", "Boulangerie Pâtisserie Lefèvre-Müller", "", ""),
        (4, "Rejeté", "Garage de l'Étang", "N° SIRET", wrong.value.message),
        (5, "Créé", "Café des Arts", "", ""),
        (6, "Rejeté", "Café des Arts – Épinal", "N° SIRET", "même SIRET que la ligne 5"),
        (7, f"Fusionné avec « {known.name} »", known.name, "", "Modifie : Téléphone"),
        (8, "Créé", "Ébénisterie Œuvre & Bois", "", ""),
    ]
    plan_page = wizard.plan_page
    assert plan_page.counts_label.text() == ("<b>3</b> à créer · <b>1</b> à fusionner · <b>2</b> rejetées, sur 6 "
                                             "lignes de données")
    plan_page.rejected_only_check.setChecked(True)
    assert [line[0] for line in shown_plan(wizard)] == [4, 6]
    assert plan_page.include_check.isVisible() and not plan_page.include_check.isChecked()
    assert plan_page.include_check.text() == ("Importer les 4 lignes valides (les 2 lignes rejetées ne seront pas "
                                              "importées)")
    assert not wizard.button(FINISH).isEnabled()                       # by default nothing is imported
    assert store_digest(store) == digest

    plan_page.include_check.setChecked(True)
    assert wizard.button(FINISH).isEnabled()
    with qtbot.waitSignal(window.spreadsheet_actions.imported, timeout=20_000) as blocker:
        click(qtbot, wizard.button(FINISH))
    summary = blocker.args[0]
    assert (summary.created, summary.merged, summary.rejected) == (3, 1, 2)
    assert not wizard.isVisible()
    message = window.spreadsheet_actions.message_box
    assert message.isVisible() and message.text() == ("Import terminé : 3 partenaires créés, 1 partenaire mis à "
                                                       "jour, 2 lignes rejetées non importées.")
    assert counts(store)[0] == before[0] + 3
    assert names(store) - before_names == {"Boulangerie Pâtisserie Lefèvre-Müller", "Café des Arts",
                                           "Ébénisterie Œuvre & Bois"}
    with store.session() as session:
        found = {p.name: p for p in partners.search_partners(session, "")}
        assert found["Café des Arts"].siret == "83456789300013"
        assert found["Boulangerie Pâtisserie Lefèvre-Müller"].siret == str(NEW_A)
        assert partners.partner_detail(session, known.id).phone == "03 29 55 44 01"
        ebenisterie = partners.partner_detail(session, found["Ébénisterie Œuvre & Bois"].id)
    assert ebenisterie.notes == "Accueille des 3e"                     # the column the user mapped by hand
    assert window.partners_tab.count_label.text() == f"{before[0] + 3} partenaires"   # the tabs refreshed


def test_with_rejected_rows_and_nothing_ticked_cancel_imports_nothing(window, store, qtbot, monkeypatch, messy):
    before = store_digest(store)
    wizard = open_wizard(qtbot, window, monkeypatch, messy)
    go_to_plan(qtbot, wizard)
    advice = wizard.plan_page.advice_label.text()
    assert advice.startswith("Des lignes sont rejetées : par défaut, rien n'est importé.")
    click(qtbot, wizard.button(QWizard.WizardButton.CancelButton))
    assert not wizard.isVisible()
    window.runner.wait(5000)
    assert store_digest(store) == before


def test_establishments_are_imported_from_a_sheet_chosen_among_several(window, store, qtbot, monkeypatch, tmp_path):
    path = tmp_path / "écoles.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Lisez-moi"
    workbook.active.append(["Ce classeur liste les établissements du bassin"])
    schools = workbook.create_sheet("Établissements")
    schools.append(["Code UAI", "Appellation officielle", "Nature", "CP", "Localité"])
    schools.append(["0541234y", "Lycée Émile-Gallé", "Lycée professionnel", "54000", "Nancy"])
    workbook.save(path)
    before = counts(store)
    wizard = open_wizard(qtbot, window, monkeypatch, path, readable=False)
    page = wizard.file_page
    assert page.status_label.text() == ("La feuille « Lisez-moi » du fichier « écoles.xlsx » n'a qu'une ligne "
                                        "d'en-têtes (ligne 1) : aucune ligne à importer.")
    assert not wizard.button(NEXT).isEnabled()
    assert [page.sheet_combo.itemText(i) for i in range(page.sheet_combo.count())] == ["Lisez-moi",
                                                                                       "Établissements"]
    page.sheet_combo.setCurrentIndex(page.sheet_combo.findText("Établissements"))
    page.sheet_combo.activated.emit(page.sheet_combo.currentIndex())
    qtbot.waitUntil(lambda: page.isComplete() and wizard.sheet.name == "Établissements", timeout=10_000)
    page.establishments_radio.setChecked(True)
    go_to_plan(qtbot, wizard)
    assert shown_plan(wizard) == [(2, "Créé", "Lycée Émile-Gallé", "", "")]
    assert not wizard.plan_page.include_check.isVisible() and wizard.button(FINISH).isEnabled()
    with qtbot.waitSignal(window.spreadsheet_actions.imported, timeout=20_000):
        click(qtbot, wizard.button(FINISH))
    assert counts(store)[1] == before[1] + 1
    window.tabs.setCurrentWidget(window.establishments_tab)          # a hidden tab loads when opened
    assert window.establishments_tab.count_label.text() == f"{before[1] + 1} établissements"


def test_cancelling_the_import_progress_leaves_the_store_exactly_as_before(window, store, qtbot, monkeypatch,
                                                                           tmp_path):
    rows = [[f"Entreprise d'essai n° {n:03d}", None, "54000", "Nancy", None, None, None] for n in range(450)]
    path = write_workbook(tmp_path / "gros.xlsx", rows)
    before = store_digest(store)
    wizard = open_wizard(qtbot, window, monkeypatch, path)
    go_to_plan(qtbot, wizard)
    assert wizard.plan.count("create") == 450 and wizard.button(FINISH).isEnabled()
    seen: list[int] = []
    buttons: list[QPushButton] = []

    def press_cancel_once_rows_are_written(done: int, _total: int, _label: str) -> None:
        # On the worker's thread, once a batch has been flushed: the user clicks « Annuler » in the progress
        # dialog (on the UI thread; the worker waits until it is done), and the next report stops the import.
        seen.append(done)
        if done > 0 and len(seen) == 2:
            QMetaObject.invokeMethod(buttons[0], "click", Qt.ConnectionType.BlockingQueuedConnection)

    def watch(worker) -> None:
        buttons.append(wizard.progress.dialog.findChild(QPushButton))
        assert buttons[0].text() == "Annuler"
        worker.signals.progress.connect(press_cancel_once_rows_are_written, Qt.ConnectionType.DirectConnection)

    wizard.apply_started.connect(watch)
    click(qtbot, wizard.button(FINISH))
    qtbot.waitUntil(lambda: not wizard.applying, timeout=20_000)
    assert any(done > 0 for done in seen)                               # rows were flushed before the cancel
    assert wizard.plan_page.outcome_label.text() == "Import annulé : rien n'a été modifié."
    assert wizard.isVisible() and wizard.summary is None
    assert store_digest(store) == before
    assert not any(name.startswith("Entreprise d'essai") for name in names(store))
    assert wizard.button(FINISH).isEnabled()                            # the user may try again


def test_the_file_corrected_in_the_spreadsheet_is_read_again_when_going_back(window, store, qtbot, monkeypatch,
                                                                             tmp_path, known):
    rows = [["Ébénisterie Œuvre & Bois", WRONG_KEY, "88100", "Saint-Dié-des-Vosges", None, "Accueille des 3e",
             None]]
    path = write_workbook(tmp_path / "à corriger.xlsx", rows)
    wizard = open_wizard(qtbot, window, monkeypatch, path)
    click(qtbot, wizard.button(NEXT))
    notes = wizard.mapping_page.combos["notes"]
    notes.setCurrentIndex(notes.findText("Remarques du pôle"))
    click(qtbot, wizard.button(NEXT))
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.plan_page, timeout=20_000)
    assert [line[:2] for line in shown_plan(wizard)] == [(3, "Rejeté")]
    assert not wizard.plan_page.include_check.isVisible()              # no valid row: nothing to tick
    assert wizard.plan_page.advice_label.text().startswith("Aucune ligne n'est importable.")
    assert not wizard.button(FINISH).isEnabled()

    rows[0][1] = str(NEW_A)                                             # corrected in the spreadsheet
    write_workbook(path, rows)
    click(qtbot, wizard.button(QWizard.WizardButton.BackButton))
    click(qtbot, wizard.button(QWizard.WizardButton.BackButton))
    assert wizard.currentPage() is wizard.file_page
    click(qtbot, wizard.button(NEXT))                                   # the file changed: read again, then on
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.mapping_page, timeout=10_000)
    assert wizard.mapping_page.combos["notes"].currentText() == "Remarques du pôle"   # the correction is kept
    click(qtbot, wizard.button(NEXT))
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.plan_page, timeout=20_000)
    assert shown_plan(wizard) == [(3, "Créé", "Ébénisterie Œuvre & Bois", "", "")]
    with qtbot.waitSignal(window.spreadsheet_actions.imported, timeout=20_000):
        click(qtbot, wizard.button(FINISH))
    with store.session() as session:
        found = [p for p in partners.search_partners(session, "Ébénisterie") if p.siret == str(NEW_A)]
        assert len(found) == 1 and partners.partner_detail(session, found[0].id).notes == "Accueille des 3e"
