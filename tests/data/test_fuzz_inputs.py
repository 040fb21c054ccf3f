"""Fuzzing the local boundaries: form values (partner, escalation with its pupil), and spreadsheets (a real
workbook damaged at random, CSV files of hostile cells). Accepted into a sound store, or refused in French."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from fuzz_support import (
    HOSTILE_DATE,
    HOSTILE_INT,
    accepted_or_refused,
    byte_mutation,
    cases_run,
    fuzz_settings,
    hostile_text,
    mostly,
)
from poledesk.data import identity
from poledesk.data.db import open_store
from poledesk.data.enums import Audience, EstablishmentKind
from poledesk.data.escalations.edits import EscalationForm, save_escalation
from poledesk.data.models import Establishment, Formation
from poledesk.data.partners.edits import PartnerForm, save_partner
from poledesk.data.spreadsheets.partner_import import import_partners

TODAY = date(2026, 10, 1)


@pytest.fixture
def small_pole(tmp_path: Path):
    """A pole with one school and one formation: small, so that checking it after every case stays quick."""
    store = open_store(tmp_path / "pole")
    with store.transaction() as session:
        ident = identity.init_pole(session, "NM-07", name="Pôle de stages de Nancy", bassin="Nancy",
                                   academie="Nancy-Metz")
        formation = Formation(code="40025214", label="Bac pro Métiers du commerce et de la vente",
                              audience=Audience.PFMP_BACPRO, pfmp_weeks=22)
        school = Establishment(uai="0540038Y", name="Lycée Henri-Poincaré", kind=EstablishmentKind.LYCEE,
                               postcode="54000", commune="Nancy")
        session.add_all([formation, school])
    store.set_owner(ident.code)
    with store.session() as session:
        ids = session.get(Establishment, 1).id, session.get(Formation, 1).id
    yield store, ids
    store.close()


partner_forms = st.builds(
    PartnerForm, name=mostly("Garage des Faïenceries", hostile_text()),
    siret=mostly("", st.one_of(hostile_text(max_size=20), st.just("73282932000074"))),
    address=mostly("3 rue de la Faïencerie", hostile_text()), postcode=mostly("54300", hostile_text(max_size=8)),
    commune=mostly("Lunéville", hostile_text()), phone=mostly("03 83 73 00 00", hostile_text(max_size=20)),
    email=mostly("", hostile_text(max_size=30)), website=mostly("", hostile_text(max_size=30)),
    representative_name=mostly("Paul Leclerc", hostile_text()), tags=mostly("", hostile_text()),
    notes=mostly("", hostile_text(max_size=200)), min_age=mostly(None, HOSTILE_INT))


def test_hostile_partner_forms_are_saved_soundly_or_refused_in_french(small_pole):
    store, _ids = small_pole

    @fuzz_settings(50)
    @given(form=partner_forms)
    def attempt(form: PartnerForm) -> None:
        def save() -> None:
            with store.transaction() as session:
                save_partner(session, form, allow_duplicate=True)
        accepted_or_refused("partner form", store, save)

    assert cases_run("partner form", attempt) > 0


def test_hostile_escalation_forms_with_dates_of_year_1_and_9999(small_pole):
    store, (school_id, formation_id) = small_pole
    forms = st.builds(
        EscalationForm, establishment_id=mostly(school_id, st.sampled_from([0, 2 ** 63 - 1])),
        pupil_last_name=mostly("Müller", hostile_text()), pupil_first_name=mostly("Noé", hostile_text()),
        pupil_birth_date=mostly(date(2010, 3, 14), st.one_of(st.none(), HOSTILE_DATE)),
        audience=st.just(Audience.PFMP_BACPRO), period_start=mostly(date(2027, 1, 11), HOSTILE_DATE),
        period_end=mostly(date(2027, 2, 5), HOSTILE_DATE), received_on=mostly(TODAY, HOSTILE_DATE),
        formation_id=mostly(formation_id, st.sampled_from([None, -1])),
        pupil_class=mostly("1re MCV", hostile_text(max_size=10)),
        representative_name=mostly("Anaïs Müller", hostile_text()),
        representative_email=mostly("", hostile_text(max_size=30)),
        mobility_postcode=mostly("", hostile_text(max_size=6)), mobility_radius_km=mostly(None, HOSTILE_INT),
        needs=mostly("", hostile_text(max_size=100)))

    @fuzz_settings(50)
    @given(form=forms)
    def attempt(form: EscalationForm) -> None:
        def save() -> None:
            with store.transaction() as session:
                save_escalation(session, form, owner=store.owner, today=TODAY)
        accepted_or_refused("escalation form", store, save)

    assert cases_run("escalation form", attempt) > 0


def real_workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.title = "Partenaires"
    book.active.append(["Raison sociale", "SIRET", "Code postal", "Ville", "Contact nom", "Tuteur"])
    book.active.append(["Garage Leclerc", "73282932000074", 54000, "Nancy", "Dupont", "oui"])
    book.active.append(["Boulangerie L'Épi d'Or", None, 88000, "Épinal", None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_randomly_damaged_workbooks_are_imported_soundly_or_refused_in_french(small_pole, tmp_path):
    store, _ids = small_pole
    target = tmp_path / "classeur.xlsx"

    @fuzz_settings(30)
    @given(data=byte_mutation(real_workbook()), partial=st.booleans())
    def attempt(data: bytes, partial: bool) -> None:
        target.write_bytes(data)
        accepted_or_refused("workbook bytes", store,
                            lambda: import_partners(store, target, include_valid_when_rejected=partial))

    assert cases_run("workbook bytes", attempt) > 0


def test_csv_files_of_hostile_cells_are_imported_soundly_or_refused_in_french(small_pole, tmp_path):
    store, _ids = small_pole
    target = tmp_path / "partenaires.csv"
    cell = hostile_text(max_size=30).map(lambda text: text.replace('"', '""'))
    rows = st.lists(st.lists(cell, min_size=1, max_size=5), min_size=1, max_size=6)
    encodings = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"])

    @fuzz_settings(30)
    @given(rows=rows, encoding=encodings, delimiter=st.sampled_from([";", ",", "\t"]))
    def attempt(rows: list[list[str]], encoding: str, delimiter: str) -> None:
        lines = ["Raison sociale;Code postal;Ville".replace(";", delimiter)]
        lines += [delimiter.join(f'"{c}"' for c in row) for row in rows]
        target.write_bytes("\n".join(lines).encode(encoding, errors="replace"))
        accepted_or_refused("csv cells", store, lambda: import_partners(store, target,
                                                                        include_valid_when_rejected=True))

    assert cases_run("csv cells", attempt) > 0


def test_workbooks_of_hostile_cells_and_damaged_parts_are_imported_soundly_or_refused(small_pole, tmp_path):
    """Structure-aware: a real workbook whose cells hold hostile values (texts, huge numbers, dates of year 1 and
    9999, formulas), or whose worksheet XML is damaged inside a sound zip."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    store, _ids = small_pole
    target = tmp_path / "classeur.xlsx"
    value = st.one_of(hostile_text(max_size=30).map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)), HOSTILE_INT,
                      HOSTILE_DATE, st.floats(allow_nan=True, allow_infinity=True), st.none())
    rows = st.lists(st.lists(value, min_size=1, max_size=6), min_size=1, max_size=5)
    real = real_workbook()
    with zipfile.ZipFile(io.BytesIO(real)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    damaged_parts = st.tuples(st.sampled_from(sorted(parts)), st.data())

    def with_cells(cells: list[list[object]]) -> bytes | None:
        book = openpyxl.Workbook()
        book.active.append(["Raison sociale", "SIRET", "Code postal", "Ville", "Contact nom", "Tuteur"])
        try:
            for row in cells:
                book.active.append(row)
            buffer = io.BytesIO()
            book.save(buffer)
        except (ValueError, TypeError, OverflowError):   # what openpyxl itself cannot write, no user can bring
            return None
        return buffer.getvalue()

    def with_part(name: str, data: bytes) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for part, content in parts.items():
                archive.writestr(part, data if part == name else content)
        return buffer.getvalue()

    @fuzz_settings(30)
    @given(choice=st.one_of(rows.map(with_cells), damaged_parts.map(
        lambda pick: with_part(pick[0], pick[1].draw(byte_mutation(parts[pick[0]]))))))
    def attempt(choice: bytes | None) -> None:
        assume(choice is not None)
        target.write_bytes(choice)
        accepted_or_refused("workbook cells", store, lambda: import_partners(store, target,
                                                                             include_valid_when_rejected=True))

    assert cases_run("workbook cells", attempt) > 0
