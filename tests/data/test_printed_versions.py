"""Printed means frozen: an edit of a printed convention keeps the paper's PDF as printed until the reprint; a
signed one changes only by avenant; the kept papers never travel and the purge erases them."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, update

from poledesk.data import purge
from poledesk.data.conventions import tracking, versions
from poledesk.data.enums import ConventionStatus
from poledesk.data.models import Placement, PrintedVersion, Pupil
from poledesk.data.placements.form import placement_form
from poledesk.data.placements.listing import list_placements
from poledesk.data.text import format_date
from poledesk.data.validation import ValidationError
from poledesk.reports.convention_files import convention_pdf, paper_renderer
from poledesk.sync.records import SPECS

S = ConventionStatus
TODAY = date.today()


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", " ")


def printed_id(store) -> int:
    """A printed convention of the demo that the rules let print again."""
    with store.session() as session:
        ids = session.scalars(select(Placement.id).where(Placement.convention_status == S.PRINTED,
                                                         Placement.deleted_at.is_(None)).order_by(Placement.id))
        return next(i for i in ids if not tracking.blocking_messages(session, i, today=TODAY))


def edit(store, placement_id: int, **changes) -> versions.PaperState | None:
    with store.transaction() as session:
        form = replace(placement_form(session, placement_id), **changes)
        return versions.save_printed_placement(session, form, placement_id, today=TODAY,
                                               render=paper_renderer(session))


def kept(store, placement_id: int) -> list[versions.VersionRow]:
    with store.session() as session:
        return versions.printed_versions(session, placement_id)


def test_an_edit_keeps_the_printed_paper_and_asks_for_a_reprint(store):
    placement_id = printed_id(store)
    with store.session() as session:
        before = placement_form(session, placement_id)
        printed_on = session.get(Placement, placement_id).printed_on
    new_end = before.end_date + timedelta(days=1)
    state = edit(store, placement_id, end_date=new_end)
    assert state is not None and state.outdated and state.changes == ("Date de fin",)
    assert state.printed_on == printed_on
    assert state.text().startswith(f"Le papier imprimé le {format_date(printed_on)} ne correspond plus au stage")
    [row] = kept(store, placement_id)
    assert row.reprinted_on is None and row.replaced_on == TODAY
    with store.session() as session:
        old = versions.printed_version_pdf(session, row.id)
        new = convention_pdf(session, placement_id, today=TODAY)
        status = tracking.convention_state(session, placement_id, today=TODAY)
    assert format_date(before.end_date) in text_of(old) and format_date(new_end) not in text_of(old)
    assert format_date(new_end) in text_of(new)                      # the convention itself follows the stage
    assert status.status_text() == f"Imprimée le {format_date(printed_on)}, modifiée depuis : à réimprimer"


def test_several_edits_before_the_reprint_keep_the_one_paper_printed(store):
    placement_id = printed_id(store)
    with store.session() as session:
        before = placement_form(session, placement_id)
    edit(store, placement_id, end_date=before.end_date + timedelta(days=1))
    first = kept(store, placement_id)
    state = edit(store, placement_id, transport="Bus de la ville, carte fournie par le lycée")
    assert state is not None and state.changes == ("Date de fin", "Transport")
    assert [r.id for r in kept(store, placement_id)] == [r.id for r in first]    # still the paper printed
    with store.transaction() as session:
        assert tracking.mark_printed(session, placement_id, today=TODAY) is False   # a reprint: no status move
    [row] = kept(store, placement_id)
    assert row.reprinted_on == TODAY
    with store.session() as session:
        assert versions.paper_state(session, placement_id) == versions.PaperState(TODAY, False)
        assert session.get(Placement, placement_id).printed_on == first[0].printed_on   # the rules' first print
    edit(store, placement_id, transport="À pied")                   # the reprint is now the paper in hand
    newest = kept(store, placement_id)[0]
    assert newest.printed_on == TODAY and newest.reprinted_on is None and len(kept(store, placement_id)) == 2


def test_nothing_printed_changed_or_not_printed_keeps_nothing(store):
    placement_id = printed_id(store)
    with store.session() as session:
        form = placement_form(session, placement_id)
    assert edit(store, placement_id, transport=form.transport + "  ") is None     # blanks print nothing new
    with store.session() as session:
        draft = session.scalar(select(Placement.id).where(Placement.convention_status == S.DRAFT,
                                                          Placement.deleted_at.is_(None)).limit(1))
        draft_end = placement_form(session, draft).end_date
    assert edit(store, draft, end_date=draft_end + timedelta(days=1)) is None
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(PrintedVersion)) == 0
        assert versions.paper_state(session, draft) is None


def test_a_signed_convention_changes_only_by_avenant(store):
    with store.session() as session:
        signed = session.scalar(select(Placement.id).where(Placement.convention_status == S.SIGNED,
                                                           Placement.deleted_at.is_(None)).limit(1))
        end = placement_form(session, signed).end_date
    with pytest.raises(ValidationError, match="avenant"):
        edit(store, signed, end_date=end + timedelta(days=1))
    with store.session() as session:
        assert placement_form(session, signed).end_date == end
        assert session.scalar(select(func.count()).select_from(PrintedVersion)) == 0


def test_an_altered_paper_is_not_handed_back(store):
    placement_id = printed_id(store)
    edit(store, placement_id, transport="Car scolaire")
    [row] = kept(store, placement_id)
    with store.transaction() as session:
        session.execute(update(PrintedVersion).where(PrintedVersion.id == row.id).values(pdf=b"%PDF-1.4 autre"))
    with store.session() as session, pytest.raises(ValidationError, match="altérée"):
        versions.printed_version_pdf(session, row.id)
    with store.session() as session:
        stored = session.get(PrintedVersion, row.id)
        assert stored.sha256 != hashlib.sha256(stored.pdf).hexdigest()


def test_kept_papers_never_travel_and_the_purge_erases_them(store):
    assert "printed_version" not in SPECS                              # no bundle carries a table not in SPECS
    with store.session() as session:
        plan = purge.plan_purge(session, TODAY)
        due = plan.due[0].pupil_id
        placement_id = session.scalar(select(Placement.id).where(Placement.pupil_id == due).limit(1))
        name = session.get(Pupil, due).last_name
    marker = f"Convention de {name} n° 7f3a9c".encode()
    with store.transaction() as session:
        data = b"%PDF-1.4 " + marker
        session.add(PrintedVersion(placement_id=placement_id, printed_on=TODAY, replaced_on=TODAY, pdf=data,
                                   sha256=hashlib.sha256(data).hexdigest(), changes='["Transport"]'))
    assert purge.run_purge(store, TODAY).purged > 0
    with store.session() as session:
        assert versions.printed_versions(session, placement_id) == []
    assert marker not in store.file.read_bytes()               # secure_delete and VACUUM: gone for good


def test_the_stages_list_says_a_printed_convention_edited_since_is_to_reprint(store):
    placement_id = printed_id(store)

    def listed() -> str:
        with store.session() as session:
            return next(r for r in list_placements(session, today=TODAY) if r.id == placement_id).convention_text

    assert listed() == "Imprimée"
    with store.session() as session:
        before = placement_form(session, placement_id)
    edit(store, placement_id, end_date=before.end_date + timedelta(days=1))
    assert listed() == "Imprimée, à réimprimer"
    with store.session() as session:   # what the animateur types in the search finds it
        assert placement_id in {r.id for r in list_placements(session, "à réimprimer", today=TODAY)}
    with store.transaction() as session:
        tracking.mark_printed(session, placement_id, today=TODAY)
    assert listed() == "Imprimée"
