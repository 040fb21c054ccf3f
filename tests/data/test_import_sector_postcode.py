"""Imports read as users type: a « Secteur » column, postcodes that lost a digit, a partial export."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from poledesk.data import communes
from poledesk.data.models import Partner
from poledesk.data.naf import naf_code_of_label
from poledesk.data.partners import listing as partners
from poledesk.data.spreadsheets.export import export_partners
from poledesk.data.spreadsheets.partner_import import import_partners


def write_workbook(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Raison sociale", "Code postal", "Ville", "Secteur", "Mots-clés"])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_a_naf_label_is_found_whatever_its_case_and_accents():
    assert naf_code_of_label("coiffure") == "96.02A"
    assert naf_code_of_label("  Boulangerie et boulangerie-patisserie ") == "10.71C"
    assert naf_code_of_label("BTP") is None and naf_code_of_label("") is None


def test_a_postcode_that_lost_a_digit_is_read_against_its_commune():
    assert communes.postcode_in_light_of("5400", "Nancy") == "54000"
    assert communes.postcode_in_light_of("05400", "Nancy") == "54000"       # Excel's 5400, zero-padded
    assert communes.postcode_in_light_of("1000", "Bourg-en-Bresse") == "01000"
    assert communes.postcode_in_light_of("54000", "Nancy") == "54000"
    assert communes.postcode_in_light_of("05400", "Veynes") == "05400"      # a real 05400 stays
    assert communes.postcode_in_light_of("54", "Nancy") == "54"             # 54000 or 54100: not guessed
    assert communes.postcode_in_light_of("5400", "Commune inconnue") == "5400"


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(sorted(communes._by_postcode())))
def test_a_postcode_cut_of_its_leading_zeros_or_last_zero_comes_back_when_unambiguous(postcode):
    place = communes._by_postcode()[postcode][0]
    for cut in {postcode.lstrip("0"), postcode[:-1] if postcode.endswith("0") else postcode}:
        found = communes.postcode_in_light_of(cut, place.name)
        assert found == cut or communes.locate(found, place.name) is not None


def test_the_secteur_column_fills_the_naf_sector_or_becomes_a_tag(pole_store, tmp_path):
    path = write_workbook(tmp_path / "réseau.xlsx", [
        ["Salon Élégance", 5400, "Nancy", "Coiffure", None],
        ["Toitures de la Meurthe", "54000", "Nancy", "BTP", "alternance"],
        ["Garage Central", "54000", "Nancy", None, None],
    ])
    outcome = import_partners(pole_store, path)
    assert outcome.summary.created == 3, outcome
    with pole_store.session() as session:
        found = {p.name: p for p in session.scalars(select(Partner))}
        salon, roofs, garage = found["Salon Élégance"], found["Toitures de la Meurthe"], found["Garage Central"]
        assert (salon.postcode, salon.naf_code, salon.sector, salon.tags) == ("54000", "96.02A", "Coiffure", "")
        assert (roofs.naf_code, roofs.sector, roofs.tags) == ("", "", "alternance; BTP")
        assert (garage.naf_code, garage.tags) == ("", "")
        assert [r.name for r in partners.search_partners(session, "btp")] == ["Toitures de la Meurthe"]


def test_the_partners_shown_are_exported_alone_with_their_records(store, tmp_path):
    with store.session() as session:
        shown = partners.search_partners(session, "boulangerie")
        assert 0 < len(shown) < partners.count_partners(session)
        summary = export_partners(session, tmp_path / "affichés.xlsx", partner_ids=[r.id for r in shown])
    assert summary.partners == len(shown)
    workbook = openpyxl.load_workbook(tmp_path / "affichés.xlsx")
    exported = {row[0] for row in workbook["Partenaires"].iter_rows(min_row=2, values_only=True)}
    assert exported == {r.name for r in shown}
    assert {row[0] for row in workbook["Contacts"].iter_rows(min_row=2, values_only=True)} <= exported
    assert {row[0] for row in workbook["Offres"].iter_rows(min_row=2, values_only=True)} <= exported
