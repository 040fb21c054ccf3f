"""One cell-to-text conversion: the import reads a cell as the preview shows it."""

from __future__ import annotations

from datetime import date, datetime, time

from hypothesis import given
from hypothesis import strategies as st

from poledesk.data import spreadsheets
from poledesk.data.spreadsheets.cells import cell_text, read_cell
from poledesk.data.spreadsheets.mapping import PARTNER_FIELDS


def test_a_cell_reads_in_french():
    assert spreadsheets.cell_text is cell_text
    assert cell_text(None) == ""
    assert cell_text(True) == "Oui" and cell_text(False) == "Non"
    assert cell_text(date(2027, 1, 4)) == "04/01/2027"
    assert cell_text(datetime(2027, 1, 4)) == "04/01/2027"
    assert cell_text(time(8, 30)) == "08:30"
    assert cell_text(73282932000074.0) == "73282932000074"   # a SIRET Excel stored as a number
    assert cell_text(2.5) == "2,5"
    assert cell_text("  Boulangerie  ") == "Boulangerie"


@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                 st.booleans(), st.dates(), st.none()))
def test_a_text_field_takes_what_the_preview_shows(value):
    name = next(f for f in PARTNER_FIELDS if f.key == "name")
    assert read_cell(name, value) == cell_text(value)
