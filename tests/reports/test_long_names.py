"""A pupil (or host) with very long names: the convention wraps them and they read back whole; a value no page can
hold (stored before the field limits) ends in a French DocumentError, never ReportLab's LayoutError."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from poledesk.data.conventions.document import convention_document
from poledesk.data.errors import DocumentError
from poledesk.data.models import Partner, Placement, Pupil
from poledesk.reports.conventions import render_attestation, render_convention

TODAY = date(2026, 9, 1)
# One unbreakable word (no space to wrap at), and a long compound name with spaces and hyphens
WORD = "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafewarenwohlgepflege" * 3
SPACED = "Marie-Christine Éléonore de La Tour-d'Auvergne-Lauraguais " * 5


def squeezed_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return "".join(text.replace("\u00a0", " ").replace("\u2019", "'").split())


def at_limit(model: type, column: str, text: str) -> str:
    return text[:model.__table__.columns[column].type.length].strip()


@pytest.mark.parametrize("text", [WORD, SPACED], ids=["one-word", "spaced"])
def test_names_as_long_as_their_fields_allow_wrap_and_read_back_whole(store, text):
    with store.transaction() as session:
        placement = session.scalars(select(Placement).order_by(Placement.id)).first()
        pupil, host = session.get(Pupil, placement.pupil_id), session.get(Partner, placement.partner_id)
        for column in ("first_name", "last_name", "representative_name", "class_name"):
            setattr(pupil, column, at_limit(Pupil, column, text))
        host.name = at_limit(Partner, "name", text)
        placement_id = placement.id
    with store.session() as session:
        document = convention_document(session, placement_id, today=TODAY)
    for render in (render_convention, render_attestation):
        read = squeezed_text(render(document))
        for value in (document.pupil.first_name, document.pupil.last_name.upper(), document.host.name):
            assert "".join(value.replace("\u2019", "'").split()) in read, render.__name__


def test_a_name_no_page_can_hold_is_refused_in_french(store):
    with store.session() as session:
        placement_id = session.scalars(select(Placement.id).order_by(Placement.id)).first()
        document = convention_document(session, placement_id, today=TODAY)
    huge = ("Marie-Christine Éléonore " * 500)[:10_000]
    document = dataclasses.replace(document, pupil=dataclasses.replace(document.pupil, first_name=huge,
                                                                        last_name=huge, representative_name=huge))
    for render in (render_convention, render_attestation):
        with pytest.raises(DocumentError, match="trop long pour tenir sur une page"):
            render(document)
