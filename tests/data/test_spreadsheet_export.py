"""Exporting the partner network to .xlsx: four sheets a spreadsheet user can filter, written whole or not at all,
and a Partenaires sheet that imports back as it is."""

from __future__ import annotations

import os
import stat
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from poledesk.data import identity
from poledesk.data.db import open_store
from poledesk.data.enums import Audience, HeadcountBand, LegalKind, PartnerStatus, VisitKind
from poledesk.data.models import Partner
from poledesk.data.partners import contacts as contacts
from poledesk.data.partners import edits as partner_edits
from poledesk.data.partners import offers as offers
from poledesk.data.partners import visits as visits
from poledesk.data.partners.edits import PartnerForm
from poledesk.data.progress import Cancelled
from poledesk.data.spreadsheets import export as export_module
from poledesk.data.spreadsheets.errors import SpreadsheetError
from poledesk.data.spreadsheets.export import export_partners
from poledesk.data.spreadsheets.partner_import import import_partners

TODAY = date(2026, 11, 23)
LECLERC = PartnerForm(name="Garage Leclerc", siret="73282932000074", legal_kind=LegalKind.COMPANY, naf_code="45.20A",
                      headcount_band=HeadcountBand.SMALL, address="12 rue Saint-Dizier", postcode="54000",
                      commune="Nancy", phone="03 83 86 21 15", email="contact@garage-leclerc.fr",
                      website="garage-leclerc.fr", status=PartnerStatus.ACTIVE, representative_name="Paul Leclerc",
                      representative_role="Gérant", insurer="MAAF", accepts_disability=True, min_age=15,
                      requires_protective_equipment=True, tags="automobile; alternance", notes="Accueil le lundi",
                      framework_start=date(2025, 9, 1), framework_end=date(2028, 8, 31))
CRECHE = PartnerForm(name="Crèche Les Lutins", legal_kind=LegalKind.ASSOCIATION, postcode="54500",
                     commune="Vandœuvre-lès-Nancy", status=PartnerStatus.PAUSED, status_reason="Travaux jusqu'en mars",
                     accepts_pai=True, interview_first=True)


@pytest.fixture
def network(pole_store):
    """Two live partners with a contact, an offer and a visit; an archived partner and an archived contact."""
    with pole_store.transaction() as session:
        leclerc = partner_edits.save_partner(session, LECLERC)
        partner_edits.save_partner(session, CRECHE)
        gone = partner_edits.save_partner(session, PartnerForm(name="Ancien Garage", postcode="54000",
                                                               commune="Nancy"))
        contacts.save_contact(session, leclerc, contacts.ContactForm(
            last_name="Dupont", first_name="Marie", role="Tutrice", phone="0612345678",
            email="marie.dupont@garage-leclerc.fr", is_tutor=True))
        old = contacts.save_contact(session, leclerc, contacts.ContactForm(last_name="Parti"))
        contacts.archive_contact(session, old)
        contacts.save_contact(session, gone, contacts.ContactForm(last_name="Fantôme"))
        partner_edits.archive_partner(session, gone)
        offers.save_offer(session, leclerc, offers.OfferForm(
            audience=Audience.PFMP_BACPRO, sector="Maintenance des véhicules", places=2, months=(1, 2, 11),
            last_confirmed_on=date(2026, 9, 15)), today=TODAY)
        visits.log_visit(session, leclerc, visits.VisitForm(
            visited_on=date(2026, 10, 5), kind=VisitKind.VISIT, who="Claire Lefèvre", summary="Atelier visité",
            next_action="Rappeler pour les PFMP de janvier", next_action_due=date(2026, 11, 30)), today=TODAY)
    return pole_store


def export(store, path: Path, progress=None):
    with store.session() as session:
        return export_partners(session, path, **({"progress": progress} if progress else {}))


def rows_of(sheet) -> list[tuple]:
    return [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2)]


def test_the_workbook_has_four_sheets_a_user_can_sort_and_filter(network, tmp_path):
    summary = export(network, tmp_path / "réseau.xlsx")
    assert (summary.partners, summary.contacts, summary.offers, summary.visits) == (2, 1, 1, 1)
    assert summary.describe() == "Partenaires : 2 lignes ; Contacts : 1 ligne ; Offres : 1 ligne ; Visites : 1 ligne"
    workbook = openpyxl.load_workbook(tmp_path / "réseau.xlsx")
    assert workbook.sheetnames == ["Partenaires", "Contacts", "Offres", "Visites"]
    refs = {"Partenaires": "A1:Z3", "Contacts": "A1:I2", "Offres": "A1:K2", "Visites": "A1:J2"}
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == refs[sheet.title]
        assert all(cell.font.bold for cell in sheet[1])
        assert all(sheet.column_dimensions[cell.column_letter].width >= len(cell.value) for cell in sheet[1])


def test_partners_are_written_with_french_headers_labels_dates_and_text_kept_text(network, tmp_path):
    export(network, tmp_path / "réseau.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "réseau.xlsx")["Partenaires"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:8] == ["Nom", "SIRET", "Code NAF", "Forme juridique", "Tranche d'effectif", "Adresse",
                           "Code postal", "Commune"]
    assert headers[-1] == "Secteur d'activité"
    creche, leclerc = (dict(zip(headers, row, strict=True)) for row in rows_of(sheet))
    assert (leclerc["Nom"], leclerc["SIRET"], leclerc["Code postal"], leclerc["Forme juridique"],
            leclerc["Tranche d'effectif"], leclerc["Statut"], leclerc["Accueil handicap"], leclerc["Accueil PAI"],
            leclerc["Âge minimum"], leclerc["Étiquettes"]) == (
        "Garage Leclerc", "73282932000074", "54000", "Entreprise", "10 à 49 salariés", "Actif", "Oui", "Non", 15,
        "automobile; alternance")
    assert (creche["SIRET"], creche["Statut"], creche["Motif du statut"]) == (
        None, "En pause", "Travaux jusqu'en mars")
    siret = sheet.cell(3, headers.index("SIRET") + 1)
    assert (siret.data_type, siret.number_format) == ("s", "@")
    start = sheet.cell(3, headers.index("Convention-cadre : début") + 1)
    assert start.value == datetime(2025, 9, 1) and start.number_format == "DD/MM/YYYY"
    assert sheet.column_dimensions["A"].width >= len("Crèche Les Lutins")


def test_contacts_offers_and_visits_carry_their_partners_name(network, tmp_path):
    export(network, tmp_path / "réseau.xlsx")
    workbook = openpyxl.load_workbook(tmp_path / "réseau.xlsx")
    assert rows_of(workbook["Contacts"]) == [(
        "Garage Leclerc", "73282932000074", "Dupont", "Marie", "Tutrice", "06 12 34 56 78",
        "marie.dupont@garage-leclerc.fr", "Oui", "Oui")]
    assert rows_of(workbook["Offres"]) == [(
        "Garage Leclerc", "PFMP – Bac pro", None, "Maintenance des véhicules", 2, "janvier, février, novembre", None,
        "Tous", None, datetime(2026, 9, 15), None)]
    assert rows_of(workbook["Visites"]) == [(
        "Garage Leclerc", datetime(2026, 10, 5), "Visite", None, "Claire Lefèvre", "Atelier visité", None,
        "Rappeler pour les PFMP de janvier", datetime(2026, 11, 30), None)]
    assert workbook["Visites"]["B2"].number_format == "DD/MM/YYYY"


def test_the_file_is_written_whole_private_and_alone(network, tmp_path):
    target = tmp_path / "exports" / "réseau.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"ancienne version")
    export(network, target)
    assert openpyxl.load_workbook(target).sheetnames[0] == "Partenaires"
    assert os.listdir(target.parent) == ["réseau.xlsx"]
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize("cancel_at", [1, 4, 6])
def test_a_cancelled_export_leaves_the_old_file_and_no_trace(network, tmp_path, cancel_at):
    target = tmp_path / "exports" / "réseau.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"ancienne version")
    seen = []

    def cancel(done: int, total: int, label: str = "") -> None:
        seen.append((done, total))
        if done == cancel_at:
            raise Cancelled

    with pytest.raises(Cancelled):
        export(network, target, cancel)
    assert seen[-1] == (cancel_at, 6)
    assert target.read_bytes() == b"ancienne version"
    assert os.listdir(target.parent) == ["réseau.xlsx"]


def test_a_failed_replace_leaves_no_trace(network, tmp_path):
    target = tmp_path / "exports" / "réseau.xlsx"
    target.mkdir(parents=True)      # a folder where the file should go: the final rename fails
    with pytest.raises(SpreadsheetError, match="n'a pas pu être écrit dans"):
        export(network, target)
    assert os.listdir(target.parent) == ["réseau.xlsx"]


def test_an_export_that_cannot_be_written_says_why(network, tmp_path):
    with pytest.raises(SpreadsheetError, match="L'export s'écrit dans un classeur .xlsx ou .ods, ou dans un fichier "
                                               ".csv : « réseau.pdf » n'en est pas un."):
        export(network, tmp_path / "réseau.pdf")
    blocker = tmp_path / "un-fichier"
    blocker.write_text("pas un dossier")
    with pytest.raises(SpreadsheetError, match="n'a pas pu être écrit"):
        export(network, blocker / "réseau.xlsx")


@pytest.fixture
def other_pole(tmp_path):
    """A second, empty pole store, to import an export into."""
    store = open_store(tmp_path / "autre-pole")
    with store.transaction() as session:
        ident = identity.init_pole(session, "NM-08", name="Pôle de stages de Lunéville", bassin="Lunéville",
                                   academie="Nancy-Metz")
    store.set_owner(ident.code)
    yield store
    store.close()


def forms_of(store) -> dict[str, PartnerForm]:
    with store.session() as session:
        ids = session.scalars(select(Partner.id).where(Partner.deleted_at.is_(None))).all()
        forms = [partner_edits.partner_form(session, partner_id) for partner_id in ids]
    return {(form.name, form.commune): form for form in forms}


def test_an_export_imports_back_as_the_same_partners(network, other_pole, tmp_path):
    export(network, tmp_path / "réseau.xlsx")
    outcome = import_partners(other_pole, tmp_path / "réseau.xlsx")
    assert outcome.written and outcome.plan.report_lines() == []
    assert forms_of(other_pole) == forms_of(network)


def test_the_demo_network_survives_a_round_trip(store, other_pole, tmp_path):
    summary = export(store, tmp_path / "démo.xlsx")
    assert summary.partners > 50 and summary.contacts > summary.partners // 2
    outcome = import_partners(other_pole, tmp_path / "démo.xlsx")
    assert outcome.plan.report_lines() == []
    assert outcome.summary.created == summary.partners
    assert forms_of(other_pole) == forms_of(store)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.integers(), st.none(), st.dates()))
def test_a_cell_is_as_wide_as_its_longest_line_whatever_breaks_it(value):
    # The widths take a one-line cell's length at once: it must agree with splitting at every line break.
    expected = 0 if value is None else 10 if isinstance(value, date) else max(
        (len(line) for line in str(value).splitlines()), default=0)
    assert export_module._shown_length(value) == expected
