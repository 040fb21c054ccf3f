"""Importing partners and establishments from spreadsheets: the sheet read as the user sees it, the plan row by
row, one transaction, and nothing written when a file is refused or the import cancelled."""

from __future__ import annotations

import hashlib
import re
import string
import unicodedata
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from poledesk.data import settings as store_settings
from poledesk.data.enums import EstablishmentKind, PartnerStatus, PriorityEducation
from poledesk.data.establishments.edits import EstablishmentForm, save_establishment
from poledesk.data.models import Base, Contact, Establishment, Partner, Setting
from poledesk.data.partners import edits as partner_edits
from poledesk.data.partners import fulltext
from poledesk.data.partners import listing as partner_listing
from poledesk.data.partners.edits import PartnerForm
from poledesk.data.progress import Cancelled
from poledesk.data.spreadsheets.errors import SpreadsheetError
from poledesk.data.spreadsheets.establishment_import import import_establishments
from poledesk.data.spreadsheets.mapping import (
    ESTABLISHMENT_FIELDS,
    PARTNER_FIELDS,
    guess_mapping,
    header_key,
    resolve_mapping,
)
from poledesk.data.spreadsheets.partner_import import (
    WRITE_BATCH,
    apply_partner_import,
    import_partners,
    plan_partner_import,
)
from poledesk.data.spreadsheets.plan import CREATE, MERGE, REJECT, RowProblem
from poledesk.data.spreadsheets.reading import NO_CACHED_VALUE, read_sheet
from poledesk.data.text import fold

LECLERC = "73282932000074"
PARC, CRECHE, SIMON, ROUX, PETIT = "40483304800014", "55208131700018", "38012986600014", "44306184100013", \
    "80314912900014"
HEADERS = ["Ville", "Raison sociale", "n° SIRET", "Code Postal", "Suivi par", "STATUT", "Début convention-cadre",
           "Tél.", "Contact nom", "Contact prénom", "Tuteur", "Commentaire", "Mots clés", "Courriel"]


# --- Helpers -------------------------------------------------------------------------


def write_workbook(path: Path, rows: dict[int, list], *, title: str = "Partenaires", merged: tuple[str, ...] = (),
                   extra_sheets: tuple[str, ...] = ()) -> Path:
    """A workbook whose sheet holds `rows` (row number -> values from column A), as a user would have typed it."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for number, values in rows.items():
        for column, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(number, column, value)
    for cells in merged:
        sheet.merge_cells(cells)
    for name in extra_sheets:
        workbook.create_sheet(name)
    workbook.save(path)
    return path


def cache_formula_value(path: Path, cell: str, value: str) -> None:
    """Give a formula cell the computed value Excel would have saved with it (openpyxl saves none)."""
    with zipfile.ZipFile(path) as source:
        parts = {item: source.read(item) for item in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    pattern = re.compile(rb'<c r="' + cell.encode() + rb'"([^>]*)><f>(.*?)</f><v\s*/>')
    parts[sheet], count = pattern.subn(lambda m: b'<c r="%s"%s t="str"><f>%s</f><v>%s</v>' % (
        cell.encode(), m.group(1), m.group(2), value.encode()), parts[sheet])
    assert count == 1, f"no formula in {cell}"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def store_digest(store) -> str:
    """A digest of every row of every table (FTS index included): equal digests, unchanged store."""
    digest = hashlib.sha256()
    with store.session() as session:
        for table in [*sorted(Base.metadata.tables), "partner_fts"]:
            for row in session.execute(text(f"SELECT * FROM {table} ORDER BY 1")):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def save_partner(store, form: PartnerForm) -> int:
    with store.transaction() as session:
        return partner_edits.save_partner(session, form)


def partner_by_name(session, name: str) -> Partner:
    return session.scalars(select(Partner).where(Partner.name == name)).one()


# --- The messy sheet ---------------------------------------------------------------------


@pytest.fixture
def network(pole_store):
    """The store before the import: Garage Leclerc (with its SIRET) and Garage du Centre (without one)."""
    leclerc = save_partner(pole_store, PartnerForm(name="Garage Leclerc", siret=LECLERC, postcode="54000",
                                                   commune="Nancy", email="contact@garage-leclerc.fr",
                                                   website="garage-leclerc.fr"))
    centre = save_partner(pole_store, PartnerForm(name="Garage du Centre", postcode="54000", commune="Nancy"))
    return pole_store, leclerc, centre


@pytest.fixture
def messy(tmp_path) -> Path:
    """An animateur's sheet: a blank first row, headers in their own order and words, extra columns, a merged
    commune, a formula with its value and one without, dates typed as text, numbers where text was meant."""
    path = write_workbook(tmp_path / "réseau 2025.xlsx", {
        2: HEADERS,
        3: ["Nancy", "Garage Leclerc", 7.3282932000074E13, 54000, "Claire", "actif", "12/09/2025", "03.83.86.21.15",
            "Dupont", "Marie", "oui", '=B3&" – client historique"', None, None],
        4: ["Épinal", "Boulangerie Martin", None, 88000, None, "Prospect", "2025-09-01", None, None, None, None,
            "Pain bio", "commerce, alimentation", "boulangerie.martin@exemple.fr"],
        6: ["Vandœuvre-lès-Nancy", "Pharmacie du Parc", "404 833 048 00014", "54500", None, "Actif",
            datetime(2025, 1, 6), None, None, None, None, None, None, None],
        7: [None, "Fleurs & Co", "12345678901234", 54500, "Claire", None, None, None, None, None, None, None, None,
            None],
        8: ["Toul", "Menuiserie Vasseur", int(PARC), 54200, None, None, None, None, None, None, None, None, None,
            None],
        9: ["Charleville-Mézières", "Crèche Les Petits Pas", CRECHE, 8000, None, "ACTIF", None, None, None, None,
            None, None, None, None],
        10: ["nancy", "Garage du Centre", None, 54000, None, None, None, None, None, None, None, None, None, None],
        11: ["Toul", "Atelier Simon", SIMON, 54200, None, None, None, None, None, None, None, "=B11&B12", None,
             None],
        12: ["Laxou", "Cabinet Roux", ROUX, 54520, None, "Partenaire", None, None, None, None, None, None, None,
             None],
        13: ["Nancy", "Imprimerie Petit", PETIT, 54000, None, "en pause", "31/02/2025", None, None, None, None, None,
             None, None],
    }, merged=("A6:A7",))
    cache_formula_value(path, "L3", "Garage Leclerc – client historique")
    return path


EXPECTED_PLAN = [
    (3, MERGE, "Garage Leclerc", ()),
    (4, CREATE, "Boulangerie Martin", ()),
    (6, CREATE, "Pharmacie du Parc", ()),
    (7, REJECT, "Fleurs & Co", (RowProblem("n° SIRET", "SIRET invalide : les 9 premiers chiffres (le SIREN) ont une "
                                                       "clé de contrôle fausse (vérifiez les chiffres)."),)),
    (8, REJECT, "Menuiserie Vasseur", (RowProblem("n° SIRET", "même SIRET que la ligne 6"),)),
    (9, CREATE, "Crèche Les Petits Pas", ()),
    (10, REJECT, "Garage du Centre", (RowProblem("Raison sociale", "ressemble à « Garage du Centre » (même nom, "
                                                                   "même commune) : ajoutez le SIRET ou corrigez le "
                                                                   "nom"),)),
    (11, REJECT, "Atelier Simon", (RowProblem("Commentaire", NO_CACHED_VALUE),)),
    (12, REJECT, "Cabinet Roux", (RowProblem("STATUT", "Valeur inconnue « Partenaire » : attendu Prospect, Actif, "
                                                       "En pause ou Ne plus solliciter."),)),
    (13, REJECT, "Imprimerie Petit", (RowProblem("STATUT", "Indiquez pourquoi le statut est « En pause »."),
                                      RowProblem("Début convention-cadre", "Date impossible « 31/02/2025 » : "
                                                                           "vérifiez le jour et le mois."))),
]


def test_the_messy_sheet_is_read_as_the_user_sees_it(messy):
    sheet = read_sheet(messy)
    assert (sheet.name, sheet.sheet_names, sheet.header_row, sheet.headers) == (
        "Partenaires", ("Partenaires",), 2, tuple(HEADERS))
    assert [row.number for row in sheet.rows] == [3, 4, 6, 7, 8, 9, 10, 11, 12, 13]   # row 5 is empty
    by_number = {row.number: row for row in sheet.rows}
    assert by_number[3].values[11] == "Garage Leclerc – client historique"           # the formula's value
    assert by_number[7].values[0] == "Vandœuvre-lès-Nancy"                            # the merged cell
    assert by_number[11].values[11] is None and by_number[11].problems[0].message == NO_CACHED_VALUE
    assert guess_mapping(sheet.headers) == {
        "commune": 0, "name": 1, "siret": 2, "postcode": 3, "status": 5, "framework_start": 6, "phone": 7,
        "contact_last_name": 8, "contact_first_name": 9, "contact_is_tutor": 10, "notes": 11, "tags": 12,
        "email": 13}


def test_the_plan_says_what_becomes_of_each_row(network, messy):
    store, leclerc, _ = network
    sheet = read_sheet(messy)
    with store.session() as session:
        plan = plan_partner_import(session, sheet, guess_mapping(sheet.headers))
    assert [(r.row_number, r.action, r.name, r.problems) for r in plan.rows] == EXPECTED_PLAN
    merge = plan.rows[0]
    assert merge.partner_id == leclerc
    assert merge.changes == ("Téléphone", "Statut", "Notes", "Convention-cadre : début",
                             "nouvel interlocuteur « Marie Dupont »")
    assert (plan.count(CREATE), plan.count(MERGE), plan.count(REJECT)) == (3, 1, 6)
    assert plan.report_lines()[0] == ("ligne 7, colonne « n° SIRET » : SIRET invalide : les 9 premiers chiffres "
                                      "(le SIREN) ont une clé de contrôle fausse (vérifiez les chiffres).")


def test_a_file_with_rejected_rows_changes_nothing(network, messy):
    store = network[0]
    before = store_digest(store)
    outcome = import_partners(store, messy)
    assert not outcome.written and outcome.summary is None
    assert len(outcome.plan.rejected_rows) == 6
    assert store_digest(store) == before


def test_accepting_a_partial_import_writes_the_valid_rows_only(network, messy):
    store, leclerc, centre = network
    outcome = import_partners(store, messy, include_valid_when_rejected=True)
    assert (outcome.summary.created, outcome.summary.merged, outcome.summary.rejected,
            outcome.summary.contacts_added) == (3, 1, 6, 1)
    with store.session() as session:
        names = set(session.scalars(select(Partner.name)))
        assert names == {"Boulangerie Martin", "Crèche Les Petits Pas", "Garage du Centre", "Garage Leclerc",
                         "Pharmacie du Parc"}
        merged = session.get(Partner, leclerc)
        assert (merged.status, merged.phone, merged.framework_start, merged.notes) == (
            PartnerStatus.ACTIVE, "03 83 86 21 15", date(2025, 9, 12), "Garage Leclerc – client historique")
        # Cells left empty never blank what the store knew.
        assert (merged.email, merged.website, merged.siret) == ("contact@garage-leclerc.fr", "garage-leclerc.fr",
                                                                LECLERC)
        tutor = session.scalars(select(Contact).where(Contact.partner_id == leclerc)).one()
        assert (tutor.first_name, tutor.last_name, tutor.is_tutor) == ("Marie", "Dupont", True)
        bakery = partner_by_name(session, "Boulangerie Martin")
        assert (bakery.siret, bakery.postcode, bakery.commune, bakery.tags, bakery.framework_start, bakery.email) == (
            None, "88000", "Épinal", "commerce; alimentation", date(2025, 9, 1), "boulangerie.martin@exemple.fr")
        pharmacy = partner_by_name(session, "Pharmacie du Parc")
        assert (pharmacy.siret, pharmacy.commune, pharmacy.framework_start) == (
            PARC, "Vandœuvre-lès-Nancy", date(2025, 1, 6))
        creche = partner_by_name(session, "Crèche Les Petits Pas")
        assert (creche.postcode, creche.siret, creche.status) == ("08000", CRECHE, PartnerStatus.ACTIVE)
        assert session.get(Partner, centre).name == "Garage du Centre"


def test_importing_the_same_file_twice_changes_nothing_more(network, messy):
    store = network[0]
    import_partners(store, messy, include_valid_when_rejected=True)
    before = store_digest(store)
    again = import_partners(store, messy, include_valid_when_rejected=True)
    rows = {row.row_number: row for row in again.plan.rows}
    assert [rows[n].action for n in (3, 6, 9)] == [MERGE, MERGE, MERGE]
    assert all(rows[n].changes == () for n in (3, 6, 9)) and again.summary.contacts_added == 0
    assert rows[4].action == REJECT   # no SIRET: only its name and commune say it is the one imported before
    assert store_digest(store) == before


def test_cancelling_mid_import_rolls_everything_back(pole_store, tmp_path):
    rows = {1: ["Nom", "Code postal", "Commune"]}
    rows.update({n: [f"Structure {n}", "54000", "Nancy"] for n in range(2, 1202)})
    path = write_workbook(tmp_path / "gros.xlsx", rows)
    before = store_digest(pole_store)
    calls = []

    def cancel_after_first_batch(done: int, total: int, label: str = "") -> None:
        calls.append(done)
        if done > 0:
            raise Cancelled

    sheet = read_sheet(path)
    with pytest.raises(Cancelled), pole_store.transaction() as session:
        plan = plan_partner_import(session, sheet, guess_mapping(sheet.headers))
        apply_partner_import(session, plan, cancel_after_first_batch)
    assert calls == [0, WRITE_BATCH]
    assert store_digest(pole_store) == before


def test_a_plan_made_stale_by_an_archive_is_refused(network, tmp_path):
    store, leclerc, _ = network
    path = write_workbook(tmp_path / "maj.xlsx", {1: ["SIRET", "Nom", "CP", "Ville", "Téléphone"],
                                                  2: [LECLERC, "Garage Leclerc", "54000", "Nancy", "0383862115"]})
    sheet = read_sheet(path)
    with store.session() as session:
        plan = plan_partner_import(session, sheet, guess_mapping(sheet.headers))
    with store.transaction() as session:
        partner_edits.archive_partner(session, leclerc)
    before = store_digest(store)
    with pytest.raises(SpreadsheetError, match="ont changé depuis l'aperçu"), store.transaction() as session:
        apply_partner_import(session, plan)
    assert store_digest(store) == before


def test_a_required_column_missing_is_said_before_any_row(pole_store, tmp_path):
    path = write_workbook(tmp_path / "sans-cp.xlsx", {1: ["Nom", "Ville"], 2: ["Garage Leclerc", "Nancy"]})
    with pytest.raises(SpreadsheetError) as error:
        import_partners(pole_store, path)
    assert str(error.value) == ("Aucune colonne ne correspond à « Code postal » (obligatoire) : choisissez-la dans "
                                "la correspondance des colonnes.")


def test_the_mapping_can_be_corrected_by_header_text(pole_store, tmp_path):
    path = write_workbook(tmp_path / "a.xlsx", {1: ["Enseigne", "Nom", "CP", "Ville"],
                                                2: ["Garage Leclerc", "M. Leclerc", "54000", "Nancy"]})
    outcome = import_partners(pole_store, path, {"name": "enseigne", "representative_name": "Nom"})
    assert outcome.summary.created == 1
    with pole_store.session() as session:
        partner = session.scalars(select(Partner)).one()
        assert (partner.name, partner.representative_name) == ("Garage Leclerc", "M. Leclerc")
    with pytest.raises(SpreadsheetError, match="La colonne « Raison » n'existe pas dans la feuille ; colonnes : "
                                               "« Enseigne », « Nom », « CP », « Ville »."):
        resolve_mapping(read_sheet(path).headers, {"name": "Raison"})
    with pytest.raises(SpreadsheetError, match="Champ inconnu « nom »"):
        resolve_mapping(read_sheet(path).headers, {"nom": "Nom"})


def test_labels_and_words_for_choices_are_understood(pole_store, tmp_path):
    path = write_workbook(tmp_path / "choix.xlsx", {
        1: ["Nom", "CP", "Commune", "Forme juridique", "Statut", "Motif", "Effectif", "Accueil PAI", "Âge minimum"],
        2: ["Mairie de Toul", "54200", "Toul", "collectivite", "NE PLUS SOLLICITER", "Ne répond plus", 35, "x",
            "16 ans"],
        3: ["Les Restos", "54000", "Nancy", "Association", "en pause", "Travaux", "250 salariés et plus", "Non", 15],
        4: ["Bizarre", "54000", "Nancy", "SARL", None, None, "beaucoup", "peut-être", "seize"],
    })
    outcome = import_partners(pole_store, path, include_valid_when_rejected=True)
    assert outcome.plan.report_lines() == [
        "ligne 4, colonne « Forme juridique » : Valeur inconnue « SARL » : attendu Entreprise, Association, "
        "Administration, Collectivité ou Établissement public.",
        "ligne 4, colonne « Effectif » : Valeur inconnue « beaucoup » : attendu 0 à 9 salariés, 10 à 49 salariés, "
        "50 à 249 salariés ou 250 salariés et plus.",
        "ligne 4, colonne « Accueil PAI » : Valeur inconnue « peut-être » : attendu oui ou non.",
        "ligne 4, colonne « Âge minimum » : Nombre entier attendu, lu « seize ».",
    ]
    with pole_store.session() as session:
        toul = partner_by_name(session, "Mairie de Toul")
        assert (toul.legal_kind.label, toul.status, toul.headcount_band.label, toul.accepts_pai, toul.min_age) == (
            "Collectivité", PartnerStatus.DO_NOT_CONTACT, "10 à 49 salariés", True, 16)
        restos = partner_by_name(session, "Les Restos")
        assert (restos.status, restos.headcount_band.label, restos.accepts_pai, restos.min_age) == (
            PartnerStatus.PAUSED, "250 salariés et plus", False, 15)


def test_a_contact_without_a_name_or_with_a_bad_email_rejects_its_row(pole_store, tmp_path):
    path = write_workbook(tmp_path / "contacts.xlsx", {
        1: ["Nom", "CP", "Commune", "Prénom", "Contact courriel"],
        2: ["Garage Leclerc", "54000", "Nancy", "Marie", "marie@"],
    })
    plan = import_partners(pole_store, path).plan
    assert plan.report_lines() == [
        "ligne 2, colonne « Contact courriel » : Adresse électronique invalide : le domaine après le @ est "
        "incomplet (ex. exemple.fr).",
        "ligne 2, colonne « Contact nom » : Le nom de l'interlocuteur est obligatoire.",
    ]


# --- Reading files -------------------------------------------------------------------------


def test_what_is_not_a_spreadsheet_is_refused_in_french(tmp_path):
    photo = tmp_path / "photo.xlsx"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    broken = tmp_path / "cassé.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    pdf = tmp_path / "liste.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    binary_csv = tmp_path / "export.csv"
    binary_csv.write_bytes(b"Nom;CP\x00\x00\x01")
    for path in (photo, broken, pdf, binary_csv):
        with pytest.raises(SpreadsheetError) as error:
            read_sheet(path)
        assert str(error.value) == (f"Le fichier « {path.name} » n'est pas un classeur (.xlsx, .xls, .xlsb, .ods) "
                                    "ni un fichier CSV lisible.")
    with pytest.raises(SpreadsheetError, match="n'existe pas"):
        read_sheet(tmp_path / "absent.xlsx")


def test_a_damaged_old_excel_file_is_refused_in_french(tmp_path):
    old = tmp_path / "partenaires.xls"   # the Excel 97-2003 signature, nothing readable behind it
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(SpreadsheetError) as error:
        read_sheet(old)
    assert str(error.value) == ("Le fichier « partenaires.xls » n'est pas un classeur (.xlsx, .xls, .xlsb, .ods) ni "
                                "un fichier CSV lisible.")


def test_empty_sheets_and_sheets_of_headers_only(tmp_path):
    empty = write_workbook(tmp_path / "vide.xlsx", {})
    with pytest.raises(SpreadsheetError) as error:
        read_sheet(empty)
    assert str(error.value) == "La feuille « Partenaires » du fichier « vide.xlsx » est vide : aucune ligne à importer."
    headers_only = write_workbook(tmp_path / "entetes.xlsx", {3: ["Nom", "CP", "Ville"]})
    with pytest.raises(SpreadsheetError, match="n'a qu'une ligne d'en-têtes \\(ligne 3\\)"):
        read_sheet(headers_only)
    blank_csv = tmp_path / "vide.csv"
    blank_csv.write_text("\n;;\n", encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="Le fichier « vide.csv » est vide"):
        read_sheet(blank_csv)


def test_a_title_above_the_headers_is_not_taken_for_them(tmp_path):
    path = write_workbook(tmp_path / "titre.xlsx", {
        1: ["Partenaires du bassin de Nancy – septembre 2025"],
        3: ["Nom", "CP", "Ville"],
        4: ["Garage Leclerc", "54000", "Nancy"],
    }, merged=("A1:C1",))
    sheet = read_sheet(path)
    assert (sheet.header_row, sheet.headers, [r.number for r in sheet.rows]) == (3, ("Nom", "CP", "Ville"), [4])
    single = tmp_path / "noms.csv"
    single.write_text("Nom\nGarage Leclerc\n", encoding="utf-8")
    assert (read_sheet(single).header_row, read_sheet(single).rows[0].values) == (1, ("Garage Leclerc",))


def test_the_sheet_with_data_is_found_or_named(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notice"
    data = workbook.create_sheet("Réseau")
    data.append(["Nom", "CP", "Ville"])
    data.append(["Garage Leclerc", "54000", "Nancy"])
    workbook.create_sheet("Établissements").append(["UAI", "Nom"])
    path = tmp_path / "classeur.xlsx"
    workbook.save(path)
    sheet = read_sheet(path)
    assert (sheet.name, sheet.sheet_names) == ("Réseau", ("Notice", "Réseau", "Établissements"))
    assert read_sheet(path, sheet_name="reseau").name == "Réseau"
    with pytest.raises(SpreadsheetError, match="n'a pas de feuille « Offres » ; feuilles : « Notice », « Réseau », "
                                               "« Établissements »."):
        read_sheet(path, sheet_name="Offres")


def test_a_windows_csv_with_semicolons(pole_store, tmp_path):
    path = tmp_path / "partenaires.csv"
    path.write_bytes("Raison sociale;Code postal;Commune;Téléphone;Début convention-cadre\r\n"
                     "Crèche « Les Lutins »;54000;Nancy;383862115;05/01/2026\r\n"
                     "\r\n"
                     "Boulangerie Martin;8000;Charleville-Mézières;;\r\n".encode("cp1252"))
    sheet = read_sheet(path)
    assert sheet.headers == ("Raison sociale", "Code postal", "Commune", "Téléphone", "Début convention-cadre")
    assert [row.number for row in sheet.rows] == [2, 4]
    assert sheet.rows[0].values == ("Crèche « Les Lutins »", "54000", "Nancy", "383862115", "05/01/2026")
    assert import_partners(pole_store, path).summary.created == 2
    with pole_store.session() as session:
        lutins = partner_by_name(session, "Crèche « Les Lutins »")
        assert (lutins.phone, lutins.framework_start) == ("03 83 86 21 15", date(2026, 1, 5))
        assert partner_by_name(session, "Boulangerie Martin").postcode == "08000"


def test_a_utf8_csv_with_commas_and_quotes(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text('Nom,Adresse,CP,Ville,SIRET\n"Garage Leclerc","12, rue Saint-Dizier",54000,Nancy,'
                    "7.3282932000074E+13\n", encoding="utf-8-sig")
    sheet = read_sheet(path)
    assert sheet.headers == ("Nom", "Adresse", "CP", "Ville", "SIRET")
    assert sheet.rows[0].values[1] == "12, rue Saint-Dizier"


def test_a_tab_separated_text_file(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text("Nom\tCP\tVille\nGarage Leclerc\t54000\tNancy\n", encoding="utf-8")
    assert read_sheet(path).rows[0].values == ("Garage Leclerc", "54000", "Nancy")


def test_excel_error_values_are_row_problems(pole_store, tmp_path):
    path = tmp_path / "erreur.csv"
    path.write_text("Nom;CP;Ville;Notes\nGarage Leclerc;54000;Nancy;#N/A\n", encoding="utf-8")
    plan = import_partners(pole_store, path).plan
    assert plan.report_lines() == ["ligne 2, colonne « Notes » : erreur de formule #N/A : corrigez la cellule"]


def test_ten_thousand_rows_are_imported_in_one_go(pole_store, tmp_path):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Partenaires")
    sheet.append(["Nom", "Code postal", "Commune"])
    for number in range(10_000):
        sheet.append([f"Structure {number}", "54000", "Nancy"])
    path = tmp_path / "gros.xlsx"
    workbook.save(path)
    outcome = import_partners(pole_store, path)
    assert outcome.summary.created == 10_000
    with pole_store.session() as session:
        assert len(session.scalars(select(Partner.id)).all()) == 10_000


def index_rows(session) -> list[tuple]:
    return [tuple(row) for row in session.execute(text("SELECT rowid, * FROM partner_fts ORDER BY rowid"))]


def test_bulk_imported_partners_are_indexed_and_stamped_as_a_form_would(network, messy):
    store, leclerc, _centre = network
    import_partners(store, messy, include_valid_when_rejected=True)
    with store.session() as session:
        indexed = index_rows(session)
        for statement in fulltext.REBUILD:      # what the index holds when built from scratch
            session.execute(text(statement))
        assert index_rows(session) == indexed
        session.rollback()
        created = session.scalars(select(Partner).where(Partner.id != leclerc, Partner.name != "Garage du Centre"))
        hlcs = set()
        for partner in created:
            assert partner.owner == store.owner and partner.uid and partner.updated_at
            assert partner.search_key == " ".join(fold(str(getattr(partner, f) or "")) for f in Partner.search_fields)
            hlcs.add(partner.hlc)
        assert len(hlcs) == 3 and "" not in hlcs
        assert [r.name for r in partner_listing.search_partners(session, "marti")] == ["Boulangerie Martin"]
        clock = session.scalar(select(Setting.value).where(Setting.key == store_settings.CLOCK_LAST.key))
        assert clock is not None and clock >= max(hlcs)
    # The index's triggers are back after the import: a partner saved by the form is found at once.
    save_partner(store, PartnerForm(name="Quincaillerie Weber", postcode="54000", commune="Nancy"))
    with store.session() as session:
        assert [r.name for r in partner_listing.search_partners(session, "quinc")] == ["Quincaillerie Weber"]


# --- Column mapping --------------------------------------------------------------------------


@pytest.mark.parametrize("fields", [PARTNER_FIELDS, ESTABLISHMENT_FIELDS])
def test_every_known_header_means_one_field_only(fields):
    seen: dict[str, str] = {}
    for field in fields:
        for header in field.headers:
            assert seen.setdefault(header_key(header), field.key) == field.key, header


def without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


KNOWN_KEYS = {header_key(h) for f in PARTNER_FIELDS for h in f.headers}
extra_headers = st.text(alphabet=string.ascii_letters + " -'", min_size=1, max_size=12).filter(
    lambda h: header_key(h) not in KNOWN_KEYS)


@st.composite
def sheets_of_known_headers(draw):
    """Each field under one of its headers, in any case and with or without accents, among unknown columns."""
    columns = []
    for field in PARTNER_FIELDS:
        header = draw(st.sampled_from(field.headers))
        if draw(st.booleans()):
            header = without_accents(header)
        flips = draw(st.lists(st.booleans(), min_size=len(header), max_size=len(header)))
        header = "".join(c.upper() if flip else c.lower() for c, flip in zip(header, flips, strict=True))
        columns.append((field.key, f"  {header} " if draw(st.booleans()) else header))
    columns += [(None, h) for h in draw(st.lists(extra_headers, max_size=8))]
    return draw(st.permutations(columns))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(sheets_of_known_headers())
def test_guess_mapping_finds_every_field_whatever_the_order_case_accents_and_extra_columns(columns):
    mapping = guess_mapping([header for _, header in columns])
    assert mapping == {key: index for index, (key, _) in enumerate(columns) if key is not None}


# --- Establishments ---------------------------------------------------------------------------


def test_establishments_are_created_merged_by_uai_or_rejected(pole_store, tmp_path):
    with pole_store.transaction() as session:
        existing = save_establishment(session, EstablishmentForm(uai="0540038Y", name="Lycée Henri-Poincaré",
                                                                 kind=EstablishmentKind.LYCEE, commune="Nancy",
                                                                 head_name="Mme Durand"))
    path = write_workbook(tmp_path / "etablissements.xlsx", {
        1: ["RNE", "Appellation officielle", "Nature", "CP", "Ville", "Éducation prioritaire", "Proviseur"],
        2: ["0540038y", "Lycée Henri-Poincaré", "LGT", "54000", "Nancy", None, None],
        3: ["0541286E", "Collège Jean-Lamour", "Collège", "54000", "Nancy", "REP+", "M. Petit"],
        4: ["0541286E", "Collège Jean Lamour (bis)", "Collège", "54000", "Nancy", None, None],
        5: ["0540000A", "Lycée inconnu", "Lycée", "54000", "Nancy", None, None],
    })
    refused = import_establishments(pole_store, path)
    assert not refused.written
    assert [(r.row_number, r.action, r.target_id) for r in refused.plan.rows] == [
        (2, MERGE, existing), (3, CREATE, None), (4, REJECT, None), (5, REJECT, None)]
    assert refused.plan.report_lines() == [
        "ligne 4, colonne « RNE » : même UAI que la ligne 3",
        "ligne 5, colonne « RNE » : UAI invalide : la lettre de contrôle ne correspond pas aux chiffres "
        "(vérifiez la saisie).",
    ]
    assert refused.plan.rows[0].changes == ("Code postal",)
    outcome = import_establishments(pole_store, path, include_valid_when_rejected=True)
    assert (outcome.summary.created, outcome.summary.merged, outcome.summary.rejected) == (1, 1, 2)
    with pole_store.session() as session:
        lycee = session.get(Establishment, existing)
        assert (lycee.postcode, lycee.head_name, lycee.kind) == ("54000", "Mme Durand", EstablishmentKind.LYCEE)
        college = session.scalars(select(Establishment).where(Establishment.uai == "0541286E")).one()
        assert (college.name, college.kind, college.priority_education, college.head_name) == (
            "Collège Jean-Lamour", EstablishmentKind.COLLEGE, PriorityEducation.REP_PLUS, "M. Petit")
