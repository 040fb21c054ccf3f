"""The limits every stored value obeys, from a form, a sheet or anywhere else: refused in French at the field, the
store unchanged; accepted text stored in NFC. A property over hostile strings."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from poledesk.data import fields
from poledesk.data.db import open_store
from poledesk.data.identity import init_pole
from poledesk.data.models import Formation, HostingOffer, Partner
from poledesk.data.partners.edits import PartnerForm, save_partner
from poledesk.data.validation import ValidationError


@pytest.fixture(scope="module")
def pole(tmp_path_factory):
    folder = tmp_path_factory.mktemp("limits")
    store = open_store(folder)
    with store.transaction() as session:
        init_pole(session, "NM-07", name="Pôle de Nancy", bassin="Nancy", academie="Nancy-Metz")
    store.close()
    store = open_store(folder)          # opened as the pole: its code owns what it writes
    yield store
    store.close()


def partners(store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(Partner))


def save(store, **values) -> int:
    form = PartnerForm(**{"name": "Garage Leclerc", "postcode": "54000", "commune": "Nancy", **values})
    with store.transaction() as session:
        return save_partner(session, form, allow_duplicate=True)


def test_a_name_over_its_column_is_refused_at_the_field(pole):
    before = partners(pole)
    with pytest.raises(ValidationError) as caught:
        save(pole, name="Garage " + "x" * 10_000)
    assert caught.value.problems["name"] == "Au plus 200 caractères (10\u202f007 saisis)."
    assert partners(pole) == before


def test_a_nul_byte_is_refused_at_the_field(pole):
    before = partners(pole)
    with pytest.raises(ValidationError) as caught:
        save(pole, name="Garage\x00Leclerc")
    assert "U+0000" in caught.value.problems["name"]
    assert partners(pole) == before


def test_notes_keep_their_line_breaks_but_not_other_controls(pole):
    partner_id = save(pole, notes="Appeler le matin.\n\tDemander M. Adam.")
    with pole.session() as session:
        assert session.get(Partner, partner_id).notes == "Appeler le matin.\n\tDemander M. Adam."
    with pytest.raises(ValidationError) as caught:
        save(pole, notes="Sonnerie\x07")
    assert "U+0007" in caught.value.problems["notes"]


def test_decomposed_accents_are_stored_composed(pole):
    partner_id = save(pole, name=unicodedata.normalize("NFD", "Épicerie Thiébaut"), address="1 rue de l'Église")
    with pole.session() as session:
        assert session.get(Partner, partner_id).name == "Épicerie Thiébaut"


def test_the_flush_net_refuses_what_no_form_checked(pole):
    """Anything written without a form (a service, a migration, a merge) meets the same limits."""
    with pytest.raises(ValidationError) as caught, pole.transaction() as session:
        formation = Formation(code="1", label="CAP", audience="pfmp_cap", pfmp_weeks=0)
        session.add(formation)
        session.flush()
        partner = session.scalar(select(Partner).limit(1))
        session.add(HostingOffer(partner=partner, audience="pfmp_cap", places=2 ** 70))
    assert "hors des limites" in caught.value.problems["places"]
    with pole.session() as session:
        assert session.scalar(select(func.count()).select_from(Formation).where(Formation.code == "1")) == 0


def test_text_problem_says_what_is_wrong():
    assert fields.text_problem("Nancy") is None
    assert fields.text_problem("Nancy\nMetz") == ("Ce champ tient sur une ligne : retirez le retour à la ligne ou "
                                                   "la tabulation.")
    assert fields.text_problem("Nancy\nMetz", multiline=True) is None
    assert fields.text_problem("a\u2028b", multiline=True).startswith("Caractère de contrôle invisible (U+2028)")
    assert fields.text_problem("x" * 5, max_length=4) == "Au plus 4 caractères (5 saisis)."
    assert fields.integer_problem(2 ** 63) is not None
    assert fields.integer_problem(-(2 ** 63)) is None
    assert fields.integer_problem(53, "pfmp_weeks") is not None


HOSTILE = st.text(st.characters(codec="utf-8"), max_size=300) | st.sampled_from([
    "", " ", "\u202eevil\u202c", "Robert'); DROP TABLE partner;--", "🦊🏳️‍🌈", "\ufeffBOM", "x" * 201,
    "=HYPERLINK(\"http://x\",\"y\")", "\x00", "Ĺ̷͠o̴n̵g̶", "مرحبا", "e\u0301",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=HOSTILE, notes=HOSTILE)
def test_any_text_is_stored_as_given_in_nfc_or_refused_in_french(pole, name, notes):
    before = partners(pole)
    try:
        partner_id = save(pole, name=name, notes=notes)
    except ValidationError as error:
        assert error.problems and all(isinstance(m, str) and m for m in error.problems.values())
        assert partners(pole) == before
        return
    with pole.session() as session:
        stored = session.get(Partner, partner_id)
        assert stored.name == unicodedata.normalize("NFC", " ".join(name.split()))
        assert stored.notes == unicodedata.normalize("NFC", notes.strip())
        assert fields.text_problem(stored.name, max_length=200) is None
