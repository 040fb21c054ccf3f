"""Writing establishments: UAI checked and unique, archive and restore, formations and pupils per year."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from poledesk.data.enums import Audience, EstablishmentKind, PriorityEducation
from poledesk.data.establishments import edits as edits
from poledesk.data.models import Establishment, EstablishmentFormation, Formation
from poledesk.data.validation import ValidationError

POINCARE = edits.EstablishmentForm(uai="0540038y", name="Lycée  Henri-Poincaré", kind=EstablishmentKind.LYCEE,
                                   postcode="54000", commune="Nancy", referent_email="DDFPT@ac-nancy-metz.FR",
                                   priority_education=PriorityEducation.REP)


def save(store, form, establishment_id=None) -> int:
    with store.transaction() as session:
        return edits.save_establishment(session, form, establishment_id)


def test_an_establishment_is_saved_normalised(pole_store):
    establishment_id = save(pole_store, POINCARE)
    with pole_store.session() as session:
        school = session.get(Establishment, establishment_id)
        assert (school.uai, school.name, school.referent_email) == ("0540038Y", "Lycée Henri-Poincaré",
                                                                     "DDFPT@ac-nancy-metz.fr")
        assert edits.establishment_form(session, establishment_id).priority_education is PriorityEducation.REP


def test_a_wrong_uai_letter_and_a_taken_uai_are_refused_in_place(pole_store):
    with pytest.raises(ValidationError) as wrong:
        save(pole_store, edits.EstablishmentForm(uai="0540038A", name=""))
    assert set(wrong.value.problems) == {"uai", "name", "commune"}
    save(pole_store, POINCARE)
    with pytest.raises(ValidationError) as taken:
        save(pole_store, edits.EstablishmentForm(uai="0540038Y", name="Autre lycée"))
    assert taken.value.problems["uai"] == "Cet UAI est déjà celui de « Lycée Henri-Poincaré »."
    with pole_store.session() as session:
        assert len(session.scalars(select(Establishment)).all()) == 1


def test_archive_frees_nothing_and_restore_checks_the_uai_again(pole_store):
    establishment_id = save(pole_store, POINCARE)
    with pole_store.transaction() as session:
        edits.archive_establishment(session, establishment_id)
    replacement = save(pole_store, POINCARE)    # the UAI of an archived school can be used again
    with pytest.raises(ValidationError, match="déjà celui"), pole_store.transaction() as session:
        edits.restore_establishment(session, establishment_id)
    with pole_store.transaction() as session:
        edits.archive_establishment(session, replacement)
        edits.restore_establishment(session, establishment_id)
    with pole_store.session() as session:
        assert session.get(Establishment, establishment_id).deleted_at is None


def test_pupil_counts_per_formation_and_year(pole_store):
    establishment_id = save(pole_store, POINCARE)
    with pole_store.transaction() as session:
        commerce = Formation(code="40025214", label="Bac pro Métiers du commerce et de la vente",
                             audience=Audience.PFMP_BACPRO, pfmp_weeks=22)
        cuisine = Formation(code="50022135", label="CAP Cuisine", audience=Audience.PFMP_CAP, pfmp_weeks=14)
        session.add_all([commerce, cuisine])
        session.flush()
        ids = commerce.id, cuisine.id
        edits.set_pupil_counts(session, establishment_id, "2026-2027", {ids[0]: 48, ids[1]: 24})
    with pole_store.transaction() as session:
        edits.set_pupil_counts(session, establishment_id, "2026-2027", {ids[0]: 52})
        edits.set_pupil_counts(session, establishment_id, "2025-2026", {ids[0]: 45})
    with pole_store.session() as session:
        assert edits.pupil_counts(session, establishment_id, "2026-2027") == {ids[0]: 52}
        assert edits.pupil_counts(session, establishment_id, "2025-2026") == {ids[0]: 45}
        assert [f.label for f in edits.list_formations(session)] == ["Bac pro Métiers du commerce et de la vente",
                                                                    "CAP Cuisine"]
    with pytest.raises(ValidationError) as error, pole_store.transaction() as session:
        edits.set_pupil_counts(session, establishment_id, "2026-2028", {ids[0]: -1})
    assert set(error.value.problems) == {"school_year", "pupils"}
    with pole_store.session() as session:
        live = session.scalars(select(EstablishmentFormation).where(EstablishmentFormation.deleted_at.is_(None)))
        assert sorted(r.pupils for r in live) == [45, 52]
