"""A convention's life: every move and refusal, the signed copy and its hash, avenants numbered with what changed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from poledesk.data.conventions import tracking as tracking
from poledesk.data.conventions.document import change_lines, convention_document, stored_changes
from poledesk.data.conventions.rules import age_on
from poledesk.data.enums import ConventionStatus
from poledesk.data.models import Amendment, Contact, Placement
from poledesk.data.placements import form as placements
from poledesk.data.placements.form import DaySlot
from poledesk.data.validation import ValidationError

S = ConventionStatus
TODAY = date.today()   # the demo store is built around today
PDF = b"%PDF-1.4\n% copie signee\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def ids_with(store, status: ConventionStatus, *, printable: bool = True) -> list[int]:
    """Placements of the demo store in a status; printable ones only (no blocking finding) by default."""
    with store.session() as session:
        ids = session.scalars(select(Placement.id).where(Placement.convention_status == status,
                                                         Placement.deleted_at.is_(None)).order_by(Placement.id))
        return [i for i in ids if not printable or not tracking.blocking_messages(session, i, today=TODAY)]


def placement(store, placement_id: int) -> Placement:
    with store.session() as session:
        return session.get(Placement, placement_id)


def move(store, placement_id: int, to: ConventionStatus, **kwargs) -> None:
    with store.transaction() as session:
        expected = kwargs.pop("expected", None) or tracking.convention_status(session, placement_id)
        tracking.move_convention(session, placement_id, to, expected=expected, today=TODAY, **kwargs)


def refused(store, placement_id: int, to: ConventionStatus, **kwargs) -> str:
    before = placement(store, placement_id)
    with pytest.raises(ValidationError) as error:
        move(store, placement_id, to, **kwargs)
    after = placement(store, placement_id)
    assert (after.convention_status, after.printed_on, after.signed_on, after.cancelled_on) == (
        before.convention_status, before.printed_on, before.signed_on, before.cancelled_on)   # nothing written
    return " ".join(error.value.problems.values())


def test_a_draft_printed_then_signed_then_cancelled(store):
    draft = ids_with(store, S.DRAFT)[0]
    with store.transaction() as session:
        assert tracking.convention_state(session, draft, today=TODAY).moves == (S.PRINTED, S.SIGNED_OUTSIDE,
                                                                                 S.CANCELLED)
        assert tracking.mark_printed(session, draft, today=TODAY) is True
    assert (placement(store, draft).convention_status, placement(store, draft).printed_on) == (S.PRINTED, TODAY)
    with store.transaction() as session:   # a reprint keeps the first print's date
        assert tracking.mark_printed(session, draft, today=TODAY + timedelta(days=3)) is False
    assert placement(store, draft).printed_on == TODAY
    move(store, draft, S.SIGNED, on=TODAY)
    signed = placement(store, draft)
    assert (signed.convention_status, signed.signed_on) == (S.SIGNED, TODAY)
    with store.session() as session:
        state = tracking.convention_state(session, draft, today=TODAY)
    assert state.moves == (S.CANCELLED,)
    assert state.status_text() == f"Signée le {TODAY:%d/%m/%Y} (imprimée le {TODAY:%d/%m/%Y})"
    move(store, draft, S.CANCELLED)
    assert (placement(store, draft).convention_status, placement(store, draft).cancelled_on) == (S.CANCELLED, TODAY)
    with store.session() as session:
        state = tracking.convention_state(session, draft, today=TODAY)
    assert state.moves == () and not state.printable and not state.attestation_available
    assert state.status_text() == f"Annulée le {TODAY:%d/%m/%Y}"


def test_back_to_draft_only_from_printed_and_it_clears_the_print_date(store):
    printed = ids_with(store, S.PRINTED)[0]
    move(store, printed, S.DRAFT)
    assert (placement(store, printed).convention_status, placement(store, printed).printed_on) == (S.DRAFT, None)
    signed = ids_with(store, S.SIGNED)[0]
    assert refused(store, signed, S.DRAFT).startswith("Une convention signée ne revient pas au brouillon")
    outside = ids_with(store, S.SIGNED_OUTSIDE)[0]
    assert "ne peut pas passer à « Brouillon »" in refused(store, outside, S.DRAFT)


def test_refusals_say_why_in_french_and_write_nothing(store):
    draft, printed = ids_with(store, S.DRAFT)[0], ids_with(store, S.PRINTED)[0]
    assert "doit d'abord être imprimée" in refused(store, draft, S.SIGNED)
    assert "entre-temps" in refused(store, draft, S.CANCELLED, expected=S.PRINTED)
    assert "postérieure à aujourd'hui" in refused(store, printed, S.SIGNED, on=TODAY + timedelta(days=1))
    printed_on = placement(store, printed).printed_on
    assert f"imprimée le {printed_on:%d/%m/%Y}" in refused(store, printed, S.SIGNED,
                                                           on=printed_on - timedelta(days=1))
    cancelled = ids_with(store, S.CANCELLED, printable=False)[0]
    for to in (S.DRAFT, S.PRINTED, S.SIGNED, S.SIGNED_OUTSIDE):
        assert "annulée" in refused(store, cancelled, to)
    with store.transaction() as session, pytest.raises(ValidationError, match="annulée"):
        tracking.mark_printed(session, cancelled, today=TODAY)


def test_signed_outside_poledesk_from_a_draft_keeps_no_print_date(store):
    draft = ids_with(store, S.DRAFT)[1]
    move(store, draft, S.SIGNED_OUTSIDE, on=TODAY - timedelta(days=2))
    signed = placement(store, draft)
    assert (signed.convention_status, signed.signed_on, signed.printed_on) == (S.SIGNED_OUTSIDE,
                                                                               TODAY - timedelta(days=2), None)


def test_a_convention_the_rules_block_is_never_marked_printed(store):
    draft = ids_with(store, S.DRAFT)[2]
    with store.transaction() as session:   # the tutor removed through the service
        form = placements.placement_form(session, draft)
        placements.save_placement(session, replace(form, tutor_id=None), draft)
    with store.session() as session:
        state = tracking.convention_state(session, draft, today=TODAY)
    assert not state.printable and [f.field for f in state.blocking] == ["tutor"]
    with store.transaction() as session, pytest.raises(ValidationError, match="Tuteur"):
        tracking.mark_printed(session, draft, today=TODAY)
    assert placement(store, draft).convention_status is S.DRAFT


def test_a_batch_marks_its_drafts_printed_and_leaves_the_others(store):
    draft, printed, signed = ids_with(store, S.DRAFT)[0], ids_with(store, S.PRINTED)[0], ids_with(store, S.SIGNED)[0]
    with store.transaction() as session:
        assert tracking.mark_printed_many(session, [draft, printed, signed], today=TODAY) == 1
    assert [placement(store, i).convention_status for i in (draft, printed, signed)] == [S.PRINTED, S.PRINTED,
                                                                                         S.SIGNED]


def test_the_attestation_waits_for_the_period_to_start(store):
    with store.session() as session:
        draft = tracking.convention_state(session, ids_with(store, S.DRAFT)[0], today=TODAY)
    assert draft.start_date > TODAY and not draft.attestation_available
    assert replace(draft, today=draft.start_date).attestation_available


# -- the signed copy -------------------------------------------------------------------------------------------------

def attach(store, placement_id: int, source: Path) -> tracking.SignedCopyCheck:
    with store.transaction() as session:
        return tracking.attach_signed_copy(session, placement_id, source, data_folder=store.folder)


def check(store, placement_id: int) -> tracking.SignedCopyCheck:
    with store.session() as session:
        return tracking.signed_copy_path(session, placement_id, data_folder=store.folder)


def test_the_signed_copy_is_copied_with_its_hash_and_checked_again(store, tmp_path):
    signed = ids_with(store, S.SIGNED)[0]
    assert check(store, signed).state == tracking.COPY_NONE
    scan = tmp_path / "Scan Convention.PDF"
    scan.write_bytes(PDF)
    attached = attach(store, signed, scan)
    stored = placement(store, signed)
    assert stored.signed_copy_sha256 == hashlib.sha256(PDF).hexdigest()
    assert stored.signed_copy_file == f"convention-signee-{signed:06d}-{stored.signed_copy_sha256[:16]}.pdf"
    assert attached.path == store.folder / "conventions-signees" / stored.signed_copy_file
    assert attached.path.read_bytes() == PDF
    scan.unlink()                                   # the store keeps its own copy
    found = check(store, signed)
    assert found.ok and found.path == attached.path
    attached.path.write_bytes(PDF + b"% ajout\n")   # altered behind PoleDesk's back
    altered = check(store, signed)
    assert altered.state == tracking.COPY_ALTERED and "a été modifiée" in altered.message
    attached.path.unlink()
    missing = check(store, signed)
    assert missing.state == tracking.COPY_MISSING and "déplacée ou supprimée" in missing.message


def test_a_photo_replaces_the_copy_and_other_files_are_refused(store, tmp_path):
    signed = ids_with(store, S.SIGNED_OUTSIDE)[0]
    photo = tmp_path / "photo.png"
    photo.write_bytes(PNG)
    assert attach(store, signed, photo).path.suffix == ".png"
    assert check(store, signed).ok
    before = placement(store, signed).signed_copy_sha256
    cases = {"lettre.docx": (b"PK\x03\x04", "Type de fichier refusé (« .docx »)"),
             "faux.pdf": (b"bonjour", "n'est pas un vrai fichier PDF"),
             "vide.jpg": (b"", "n'est pas un vrai fichier JPEG")}
    for name, (content, message) in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
            attach(store, signed, tmp_path / name)
    big = tmp_path / "gros.pdf"
    with big.open("wb") as handle:
        handle.write(PDF)
        handle.truncate(20 * 1024 * 1024 + 1)
    with pytest.raises(ValidationError, match="20 Mo au plus"):
        attach(store, signed, big)
    with pytest.raises(ValidationError, match="introuvable"):
        attach(store, signed, tmp_path / "absent.pdf")
    assert placement(store, signed).signed_copy_sha256 == before


def test_a_copy_is_attached_to_signed_conventions_only(store, tmp_path):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(PDF)
    with pytest.raises(ValidationError, match="Marquez d'abord la convention comme signée"):
        attach(store, ids_with(store, S.PRINTED)[0], scan)
    assert not (store.folder / "conventions-signees").exists()


# -- avenants --------------------------------------------------------------------------------------------------------

def signed_with_two_tutors(store) -> tuple[int, int]:
    """A signed placement of a minor whose host has another contact, and that contact's id."""
    with store.session() as session:
        for placement_id in ids_with(store, S.SIGNED):
            p = session.get(Placement, placement_id)
            others = session.scalars(select(Contact.id).where(Contact.partner_id == p.partner_id,
                                                              Contact.id != p.tutor_id,
                                                              Contact.deleted_at.is_(None))).all()
            if others and age_on(p.pupil.birth_date, p.start_date) < 18:
                return placement_id, others[0]
    raise AssertionError("no signed placement of a minor with two contacts at the host")


def amend(store, placement_id: int, reason: str = "Prolongation demandée par le tuteur", **changes):
    with store.transaction() as session:
        form = replace(placements.placement_form(session, placement_id), **changes)
        return tracking.record_amendment(session, placement_id, form, reason=reason, today=TODAY)


def amendments_of(store, placement_id: int) -> list[Amendment]:
    with store.session() as session:
        return session.scalars(select(Amendment).where(Amendment.placement_id == placement_id)
                               .order_by(Amendment.number)).all()


def test_avenants_are_numbered_and_say_what_changed_in_french(store):
    placement_id, other_tutor = signed_with_two_tutors(store)
    before = placement(store, placement_id)
    start, end = before.start_date, before.end_date
    known = len(amendments_of(store, placement_id))
    first = amend(store, placement_id, end_date=end + timedelta(days=7), tutor_id=other_tutor)
    assert first.number == known + 1
    labels = {c.label: (c.before, c.after) for c in first.changes}
    assert labels["Date de fin"] == (f"{end:%d/%m/%Y}", f"{end + timedelta(days=7):%d/%m/%Y}")
    with store.session() as session:
        tutor_name = session.get(Contact, other_tutor).first_name
    assert tutor_name in labels["Tuteur"][1] and set(labels) == {"Date de fin", "Tuteur"}
    stored = amendments_of(store, placement_id)[-1]
    assert json.loads(stored.changes) == {"end_date": [end.isoformat(), (end + timedelta(days=7)).isoformat()],
                                          "tutor_id": [before.tutor_id, other_tutor]}
    assert stored.created_on == TODAY and stored.reason == "Prolongation demandée par le tuteur"
    assert placement(store, placement_id).end_date == end + timedelta(days=7)   # the placement shows the new terms
    assert placement(store, placement_id).convention_status is S.SIGNED          # still signed: the avenant is not yet
    short_friday = DaySlot(4, time(8, 30), time(12, 0))
    with store.session() as session:
        week = placements.placement_form(session, placement_id).timetable
    second = amend(store, placement_id, reason="Vendredi après-midi libéré",
                   timetable=tuple(s for s in week if s.weekday != 4) + (short_friday,),
                   start_date=start + timedelta(days=1))
    assert second.number == known + 2
    assert [c.label for c in second.changes] == ["Date de début", "Emploi du temps hebdomadaire"]
    assert "Vendredi 8 h 30 – 12 h" in second.changes[1].after and "Vendredi 8 h 30 – 12 h" not in \
        second.changes[1].before
    with store.session() as session:   # the avenant's document reads what record_amendment wrote
        document = convention_document(session, placement_id, today=TODAY)
    printed = document.amendment(known + 2)
    assert printed is not None and [c.label for c in printed.changes] == [c.label for c in second.changes]
    assert [c.after for c in printed.changes][0] == f"{start + timedelta(days=1):%d/%m/%Y}"


def test_an_edit_with_no_term_changed_makes_no_avenant(store):
    placement_id, _other = signed_with_two_tutors(store)
    known = len(amendments_of(store, placement_id))
    assert amend(store, placement_id, reason="", referent_teacher_email="prof@ac-nancy-metz.fr") is None
    assert len(amendments_of(store, placement_id)) == known
    assert placement(store, placement_id).referent_teacher_email == "prof@ac-nancy-metz.fr"


def test_avenant_refusals_write_nothing(store):
    placement_id, _other = signed_with_two_tutors(store)
    end = placement(store, placement_id).end_date
    known = len(amendments_of(store, placement_id))
    with pytest.raises(ValidationError, match="motif de l'avenant"):
        amend(store, placement_id, reason="  ", end_date=end + timedelta(days=2))
    with pytest.raises(ValidationError, match="ne changent pas par avenant"):
        amend(store, placement_id, family_business=True)
    with store.session() as session:
        week = placements.placement_form(session, placement_id).timetable
    long_monday = DaySlot(0, time(7, 0), time(18, 0), time(12, 0), time(12, 30))   # 10 h 30: illegal for a minor
    with pytest.raises(ValidationError, match="non conforme"):
        amend(store, placement_id, timetable=(long_monday,) + tuple(s for s in week if s.weekday != 0))
    printed = ids_with(store, S.PRINTED)[0]
    with pytest.raises(ValidationError, match="Seule une convention signée"):
        amend(store, printed, end_date=placement(store, printed).end_date + timedelta(days=1))
    assert len(amendments_of(store, placement_id)) == known and placement(store, placement_id).end_date == end
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Amendment)
                              .where(Amendment.placement_id == printed)) == 0


def test_an_avenant_is_marked_signed_once_and_not_before_it_was_made(store):
    placement_id, _other = signed_with_two_tutors(store)
    info = amend(store, placement_id, end_date=placement(store, placement_id).end_date + timedelta(days=3))
    with store.transaction() as session, pytest.raises(ValidationError, match="établi le"):
        tracking.mark_amendment_signed(session, placement_id, info.number, signed_on=TODAY - timedelta(days=1),
                                       today=TODAY)
    with store.transaction() as session:
        tracking.mark_amendment_signed(session, placement_id, info.number, signed_on=TODAY, today=TODAY)
    assert amendments_of(store, placement_id)[-1].signed_on == TODAY
    with store.transaction() as session, pytest.raises(ValidationError, match="déjà signé"):
        tracking.mark_amendment_signed(session, placement_id, info.number, signed_on=TODAY, today=TODAY)


def test_a_signed_placement_is_never_saved_silently(store):
    from sqlalchemy import select

    from poledesk.data.enums import ConventionStatus
    from poledesk.data.models import Placement
    from poledesk.data.placements.form import placement_form, save_placement
    from poledesk.data.validation import ValidationError

    with store.session() as session:
        signed_id = session.scalars(select(Placement.id).where(
            Placement.convention_status == ConventionStatus.SIGNED, Placement.deleted_at.is_(None))).first()
        form = placement_form(session, signed_id)
    with pytest.raises(ValidationError, match="par un avenant"), store.transaction() as session:
        save_placement(session, form, signed_id)


def test_the_screen_and_the_printed_avenant_word_the_changes_the_same(store):
    """The amendment form shows change_lines of the edit; the avenant prints change_lines of what was stored."""
    import io

    from pypdf import PdfReader

    from poledesk.reports.conventions import render_amendment

    placement_id, other_tutor = signed_with_two_tutors(store)
    end = placement(store, placement_id).end_date
    shown = amend(store, placement_id, end_date=end + timedelta(days=3), tutor_id=other_tutor)
    with store.transaction() as session:   # the new tutor leaves the host afterwards: the avenant still names them
        session.get(Contact, other_tutor).deleted_at = datetime.now()
    with store.session() as session:
        document = convention_document(session, placement_id, today=TODAY)
        name = f"{session.get(Contact, other_tutor).first_name} {session.get(Contact, other_tutor).last_name}"
    printed = document.amendment(shown.number)
    assert printed is not None and printed.changes == shown.changes
    assert dict((c.label, c.after) for c in printed.changes)["Tuteur"] == name.strip()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render_amendment(document, printed))).pages)
    assert " ".join(name.split()[-1:]) in text and f"{end + timedelta(days=3):%d/%m/%Y}" in text


changed_values = st.one_of(st.none(), st.text(max_size=12), st.integers(min_value=1, max_value=50),
                           st.dates().map(date.isoformat))


@given(st.dictionaries(st.sampled_from(["start_date", "end_date", "tutor_id", "meals", "activities", "other_term"]),
                       st.tuples(changed_values, changed_values).map(list), max_size=5))
def test_stored_changes_read_back_to_the_same_words(changes):
    names = {3: "Léa Martin"}
    assert change_lines(stored_changes(json.dumps(changes)), names) == change_lines(changes, names)
    assert all(line.label and line.before and line.after for line in change_lines(changes, names))
