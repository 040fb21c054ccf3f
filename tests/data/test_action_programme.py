"""The programme d'actions: plan, check, review and list actions; the new fields travel in bundles."""

from __future__ import annotations

from datetime import date

import pytest

from poledesk.data.actions.programme import (
    ActionForm,
    ReviewForm,
    action_form,
    delete_action,
    list_actions,
    review_action,
    save_action,
)
from poledesk.data.enums import ActionAxis, ActionReview, ActionStatus, EstablishmentKind
from poledesk.data.models import Establishment, Partner
from poledesk.data.validation import ValidationError
from poledesk.sync.records import SPECS


def form(**changes) -> ActionForm:
    values = {"school_year": "2026-2027", "axis": ActionAxis.PARTNERS, "title": "Petit-déjeuner des entreprises",
              "starts_on": date(2026, 10, 1), "ends_on": date(2026, 10, 1), "indicator": "partners_new",
              "target": "15"}
    return ActionForm(**(values | changes))


def test_an_action_is_planned_with_its_partners_and_schools_then_reviewed(pole_store):
    with pole_store.transaction() as session:
        partner = Partner(name="Garage Leclerc")
        school = Establishment(uai="0540038Y", name="Lycée Henri-Poincaré", kind=EstablishmentKind.LYCEE)
        session.add_all([partner, school])
        session.flush()
        action_id = save_action(session, form(partner_ids=(partner.id,), establishment_ids=(school.id,)))
        review_action(session, action_id, ReviewForm(ActionReview.PARTLY, "12 entreprises venues sur 15", "12"))
    with pole_store.session() as session:
        (row,) = list_actions(session, "2026-2027")
        assert row.partners == ("Garage Leclerc",) and row.establishments == ("Lycée Henri-Poincaré",)
        assert row.indicator_label == "Nouveaux partenaires" and row.target == "15"
        assert (row.review, row.measured_value, row.status) == (ActionReview.PARTLY, "12", ActionStatus.DONE)
        assert row.owner == "NM-07"
        assert action_form(session, action_id).partner_ids == (partner.id,)
        assert list_actions(session, "2025-2026") == [] and list_actions(session, "2026-2027", poles=["X"]) == []


@pytest.mark.parametrize(("changes", "field", "start"), [
    ({"title": "  "}, "title", "L'intitulé"),
    ({"ends_on": date(2026, 9, 20)}, "ends_on", "La fin de l'action précède"),
    ({"starts_on": date(2026, 8, 1), "ends_on": None}, "starts_on", "La date doit tomber dans l'année scolaire"),
    ({"school_year": "2026"}, "school_year", "Année scolaire invalide"),
    ({"indicator": ""}, "indicator", "Choisissez l'indicateur"),
])
def test_a_wrong_action_is_explained_per_field_and_nothing_is_written(pole_store, changes, field, start):
    with pole_store.transaction() as session, pytest.raises(ValidationError) as raised:
        save_action(session, form(**changes))
    assert raised.value.problems[field].startswith(start)
    with pole_store.session() as session:
        assert list_actions(session, "2026-2027") == []


def test_a_review_needs_its_result_in_words_and_not_done_drops_the_action(pole_store):
    with pole_store.transaction() as session:
        action_id = save_action(session, form())
        with pytest.raises(ValidationError) as raised:
            review_action(session, action_id, ReviewForm(ActionReview.DONE, " "))
        assert "résultat" in raised.value.problems["result"]
        review_action(session, action_id, ReviewForm(ActionReview.NOT_DONE, "Reportée faute de salle"))
        assert list_actions(session, "2026-2027")[0].status == ActionStatus.DROPPED
        delete_action(session, action_id)
        assert list_actions(session, "2026-2027") == []


def test_the_new_action_fields_travel_in_bundles():
    assert {"starts_on", "ends_on", "target", "review", "review_result", "measured_value"} <= SPECS["action"].keys
