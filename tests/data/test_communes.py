"""Communes: postcode and commune checked together, official spelling, where a commune lies."""

from __future__ import annotations

import pytest

from poledesk.data import communes
from poledesk.data.validation import InvalidValue


@pytest.mark.parametrize(("postcode", "typed", "official"), [
    ("54000", "nancy", "Nancy"),
    ("88100", "St-Dié des Vosges", "Saint-Dié-des-Vosges"),
    ("54500", "VANDŒUVRE LES NANCY", "Vandœuvre-lès-Nancy"),
    ("54035", "Nancy Cedex", "Nancy Cedex"),          # a CEDEX code the list does not know: kept as typed
])
def test_the_commune_is_spelt_as_its_postcode_says(postcode, typed, official):
    assert communes.check_commune(postcode, typed) == official


def test_a_commune_that_does_not_use_the_postcode_is_refused_with_the_right_ones():
    with pytest.raises(InvalidValue) as error:
        communes.check_commune("54000", "Metz")
    assert error.value.message == "« Metz » n'a pas le code postal 54000 ; communes de ce code postal : Nancy."


def test_neighbours_share_an_intercommunalite():
    nancy, laxou, toul = (communes.locate("54000", "Nancy"), communes.locate("54520", "Laxou"),
                          communes.locate("54200", "Toul"))
    assert nancy.epci == laxou.epci != toul.epci
    assert nancy.departement == toul.departement == "54"
    assert communes.locate("54000", "Metz") is None
