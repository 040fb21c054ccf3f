"""A convention's life once drafted: printed, signed (here or elsewhere) or cancelled, its signed copy, its avenants.

Every move is made from the status the user saw (`expected`): with writes serialised, a second window's action on
the same convention is refused, not doubled. Nothing here commits: the caller's transaction does, and a refusal
(ValidationError, in French) leaves the store as it was.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from poledesk.data.conventions.document import AmendmentInfo, change_lines, convention_document, tutor_names
from poledesk.data.conventions.facts import convention_facts
from poledesk.data.conventions.rules import Finding, check_convention
from poledesk.data.conventions.versions import PaperState, note_reprint, paper_state
from poledesk.data.enums import ConventionStatus
from poledesk.data.files import write_atomically
from poledesk.data.live import live
from poledesk.data.models import Amendment, Placement
from poledesk.data.placements.form import DaySlot, PlacementForm, placement_form, save_placement
from poledesk.data.system_errors import os_error_message
from poledesk.data.text import fold, format_date
from poledesk.data.validation import ValidationError

S = ConventionStatus
MOVES: dict[ConventionStatus, tuple[ConventionStatus, ...]] = {
    S.DRAFT: (S.PRINTED, S.SIGNED_OUTSIDE, S.CANCELLED),
    S.PRINTED: (S.SIGNED, S.SIGNED_OUTSIDE, S.DRAFT, S.CANCELLED),
    S.SIGNED: (S.CANCELLED,),
    S.SIGNED_OUTSIDE: (S.CANCELLED,),
    S.CANCELLED: (),
}
SIGNED_STATUSES = (S.SIGNED, S.SIGNED_OUTSIDE)
REFUSED_MOVES = {   # why a move the user might try is refused, where a general sentence says too little
    (S.SIGNED, S.DRAFT): "Une convention signée ne revient pas au brouillon : une modification passe par un avenant.",
    (S.DRAFT, S.SIGNED): "La convention doit d'abord être imprimée pour être signée ; une convention signée sur un "
                         "autre document se marque « Signée hors PoleDesk ».",
}

SIGNED_COPIES_FOLDER = "conventions-signees"
MAX_COPY_BYTES = 20 * 1024 * 1024
COPY_KINDS = {".pdf": (".pdf", b"%PDF-", "PDF"), ".jpg": (".jpg", b"\xff\xd8\xff", "JPEG"),
              ".jpeg": (".jpg", b"\xff\xd8\xff", "JPEG"), ".png": (".png", b"\x89PNG\r\n\x1a\n", "PNG")}
COPY_OK, COPY_NONE, COPY_MISSING, COPY_ALTERED = "ok", "none", "missing", "altered"

# What an avenant carries: the terms of the signed convention that may change by avenant (their labels are the
# avenant's, CHANGE_LABELS). Who, where and for which diploma never change by avenant: a new convention does.
AMENDABLE = ("start_date", "end_date", "timetable", "tutor_id", "referent_teacher_name", "site_address",
             "activities", "skills", "meals", "transport", "accommodation", "gratification")
FROZEN = ("pupil_id", "establishment_id", "partner_id", "audience", "formation_id", "family_business")


@dataclass(frozen=True, slots=True)
class ConventionState:
    """What the Stages tab shows of a convention and may do with it, as plain values."""

    placement_id: int
    reference: str
    pupil_name: str
    status: ConventionStatus
    printed_on: date | None
    signed_on: date | None
    cancelled_on: date | None
    start_date: date
    end_date: date
    findings: tuple[Finding, ...]
    amendments: tuple[AmendmentInfo, ...]
    signed_copy_file: str
    moves: tuple[ConventionStatus, ...]
    today: date
    file_slug: str = ""           # 'steiner-matheo': the pupil in the documents' file names, as the batch names them
    paper: PaperState | None = None   # a printed convention's paper: outdated by an edit since, or not

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.blocking)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.blocking)

    @property
    def printable(self) -> bool:
        return self.status is not S.CANCELLED and not self.blocking

    @property
    def attestation_available(self) -> bool:
        """The attestation reports a period that took place: once it has started, unless it was cancelled."""
        return self.status is not S.CANCELLED and self.start_date <= self.today

    def file_name(self, kind: str) -> str:
        return f"{kind}-{self.reference}" + (f"-{self.file_slug}" if self.file_slug else "") + ".pdf"

    def status_text(self) -> str:
        """'Signée le 20/03/2026 (imprimée le 12/03/2026)', 'Brouillon', 'Annulée le …'."""
        printed = f"imprimée le {format_date(self.printed_on)}" if self.printed_on else ""
        if self.status is S.CANCELLED:
            return f"Annulée le {format_date(self.cancelled_on)}" if self.cancelled_on else "Annulée"
        if self.status in SIGNED_STATUSES:
            signed = f"{self.status.label} le {format_date(self.signed_on)}" if self.signed_on else self.status.label
            return signed + (f" ({printed})" if printed else "")
        if self.status is S.PRINTED:
            if self.paper is not None and self.paper.outdated:
                return f"Imprimée le {format_date(self.paper.printed_on)}, modifiée depuis : à réimprimer"
            return printed.capitalize() if printed else S.PRINTED.label
        return S.DRAFT.label


@dataclass(frozen=True, slots=True)
class SignedCopyCheck:
    """Where the signed copy is and whether it is still the file that was attached (COPY_OK)."""

    state: str
    path: Path | None
    message: str

    @property
    def ok(self) -> bool:
        return self.state == COPY_OK


def convention_state(session: Session, placement_id: int, *, today: date,
                     form: PlacementForm | None = None) -> ConventionState:
    """The convention of a live placement; ValidationError (French) for a deleted or purged one. `form`: the
    placement's recorded form, when the caller has it already."""
    document = convention_document(session, placement_id, today=today, form=form)
    placement = live(session, Placement, placement_id)
    return ConventionState(
        placement_id=placement_id, reference=document.reference, pupil_name=document.pupil.name,
        status=placement.convention_status, printed_on=placement.printed_on, signed_on=placement.signed_on,
        cancelled_on=placement.cancelled_on, start_date=placement.start_date, end_date=placement.end_date,
        findings=document.findings, amendments=document.amendments, signed_copy_file=placement.signed_copy_file,
        moves=MOVES[placement.convention_status], today=today,
        file_slug=re.sub(r"[^a-z0-9]+", "-", fold(f"{document.pupil.last_name} {document.pupil.first_name}"))
        .strip("-")[:60], paper=paper_state(session, placement_id))


def convention_status(session: Session, placement_id: int) -> ConventionStatus:
    return live(session, Placement, placement_id).convention_status


def blocking_messages(session: Session, placement_id: int, *, today: date) -> tuple[str, ...]:
    """Why the rules forbid printing this convention now (empty when they do not)."""
    facts = convention_facts(session, placement_form(session, placement_id), placement_id=placement_id, today=today)
    return tuple(f.message for f in check_convention(facts) if f.blocking)


# -- moves ---------------------------------------------------------------------------------------------------------

def mark_printed(session: Session, placement_id: int, *, today: date) -> bool:
    """A draft just printed or saved becomes « Imprimée » today; True if it moved.

    A reprint keeps the first print date (the rules look at it); it closes the paper an edit made obsolete
    (versions.note_reprint). Refused for a cancelled convention, or one the rules block: it must never be
    recorded as printed as if it were fine.
    """
    placement = live(session, Placement, placement_id)
    if placement.convention_status is S.CANCELLED:
        raise ValidationError({"status": "Cette convention est annulée : elle ne peut plus être imprimée."})
    blocking = blocking_messages(session, placement_id, today=today)
    if blocking:
        raise ValidationError({"status": "La convention ne peut pas être imprimée : " + " ; ".join(blocking)})
    note_reprint(session, placement_id, today=today)
    if placement.convention_status is not S.DRAFT:
        return False
    placement.convention_status, placement.printed_on = S.PRINTED, today
    session.flush()
    return True


def mark_printed_many(session: Session, placement_ids: Iterable[int], *, today: date) -> int:
    """mark_printed for each placement of a batch that was just saved; how many drafts became « Imprimée »."""
    return sum(mark_printed(session, placement_id, today=today) for placement_id in placement_ids)


def move_convention(session: Session, placement_id: int, to: ConventionStatus, *, expected: ConventionStatus,
                    today: date, on: date | None = None) -> None:
    """Move the convention from the status the user saw; `on` is the signature date (today by default)."""
    placement = live(session, Placement, placement_id)
    shown = placement.convention_status
    if shown is not expected:
        raise ValidationError({"status": f"La convention est passée à « {shown.label} » entre-temps : rien "
                                         "n'a été modifié."})
    if to not in MOVES[shown]:
        raise ValidationError({"status": _refusal(shown, to)})
    if to is S.PRINTED:
        mark_printed(session, placement_id, today=today)
        return
    if to in SIGNED_STATUSES:
        placement.signed_on = _signature_date(on or today, today=today, printed_on=placement.printed_on)
    elif to is S.CANCELLED:
        placement.cancelled_on = today
    elif to is S.DRAFT:
        placement.printed_on = None   # printed again later, it is a first print for the rules
    placement.convention_status = to
    session.flush()


def _refusal(shown: ConventionStatus, to: ConventionStatus) -> str:
    if shown is S.CANCELLED:
        return ("Cette convention est annulée : elle ne peut plus changer de statut. Créez un nouveau stage si "
                "l'élève y retourne.")
    return REFUSED_MOVES.get((shown, to), f"Une convention « {shown.label} » ne peut pas passer à « {to.label} ».")


def _signature_date(on: date, *, today: date, printed_on: date | None) -> date:
    if on > today:
        raise ValidationError({"signed_on": f"La date de signature ne peut pas être postérieure à aujourd'hui "
                                            f"({format_date(today)})."})
    if printed_on is not None and on < printed_on:
        raise ValidationError({"signed_on": f"La convention a été imprimée le {format_date(printed_on)} : elle ne "
                                            "peut pas avoir été signée avant."})
    return on


# -- the signed copy -----------------------------------------------------------------------------------------------

def attach_signed_copy(session: Session, placement_id: int, source_path: Path | str, *,
                       data_folder: Path) -> SignedCopyCheck:
    """Copy a scan or photo of the signed convention into the data folder and record its name and SHA-256.

    The copy is named from the placement's number and the file's hash, never from the pupil's name (folder
    listings and backups show names; a purge finds the copy by number). A copy attached earlier stays on disk.
    """
    placement = live(session, Placement, placement_id)
    if placement.convention_status not in SIGNED_STATUSES:
        raise ValidationError({"signed_copy": "Marquez d'abord la convention comme signée (dans PoleDesk ou hors "
                                              "PoleDesk) : la copie signée se joint ensuite."})
    source = Path(source_path)
    extension, data = _read_copy(source)
    digest = hashlib.sha256(data).hexdigest()
    name = f"convention-signee-{placement.id:06d}-{digest[:16]}{extension}"
    target = Path(data_folder) / SIGNED_COPIES_FOLDER / name
    write_atomically(target, data)
    placement.signed_copy_file, placement.signed_copy_sha256 = name, digest
    session.flush()
    return SignedCopyCheck(COPY_OK, target, f"Copie signée jointe : « {source.name} ».")


def _read_copy(source: Path) -> tuple[str, bytes]:
    kind = COPY_KINDS.get(source.suffix.lower())
    if kind is None:
        shown = source.suffix or "sans extension"
        raise ValidationError({"signed_copy": f"Type de fichier refusé (« {shown} ») : joignez un PDF ou une photo "
                                              "JPEG ou PNG de la convention signée."})
    extension, magic, kind_name = kind
    try:
        size = source.stat().st_size
        with source.open("rb") as handle:
            data = handle.read(MAX_COPY_BYTES + 1)   # a file growing while read is still caught
    except OSError as error:
        raise ValidationError({"signed_copy": f"Le fichier « {source.name} » est introuvable ou illisible : "
                                              f"{os_error_message(error)}"}) from error
    if max(size, len(data)) > MAX_COPY_BYTES:
        megabytes = f"{max(size, len(data)) / (1024 * 1024):.1f}".replace(".", ",")
        raise ValidationError({"signed_copy": f"Le fichier « {source.name} » fait {megabytes} Mo : 20 Mo au plus. "
                                              "Numérisez-le en résolution plus basse."})
    if not data.startswith(magic):
        raise ValidationError({"signed_copy": f"Le fichier « {source.name} » n'est pas un vrai fichier {kind_name} "
                                              "(son contenu ne correspond pas à son extension)."})
    return extension, data


def signed_copy_path(session: Session, placement_id: int, *, data_folder: Path) -> SignedCopyCheck:
    """The stored copy, checked again against its recorded SHA-256: altered or missing, the message says so."""
    placement = live(session, Placement, placement_id)
    if not placement.signed_copy_file:
        return SignedCopyCheck(COPY_NONE, None, "Aucune copie signée n'est jointe à cette convention.")
    name = Path(placement.signed_copy_file).name   # a name, never a path out of the folder
    path = Path(data_folder) / SIGNED_COPIES_FOLDER / name
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return SignedCopyCheck(COPY_MISSING, path, f"La copie signée « {name} » n'est plus dans le dossier "
                                                   f"« {path.parent} » : elle a été déplacée ou supprimée. "
                                                   "Joignez-la à nouveau.")
    if digest != placement.signed_copy_sha256:
        return SignedCopyCheck(COPY_ALTERED, path, f"La copie signée « {name} » a été modifiée depuis qu'elle a "
                                                   "été jointe (son empreinte SHA-256 ne correspond plus) : elle "
                                                   "n'est pas ouverte. Joignez à nouveau la copie d'origine.")
    return SignedCopyCheck(COPY_OK, path, "")


# -- avenants ------------------------------------------------------------------------------------------------------

def amendment_changes(before: PlacementForm, after: PlacementForm) -> dict[str, list[Any]]:
    """What an edit changes in the terms of a signed convention: field -> [before, after], as JSON values."""
    changes = {}
    for field in AMENDABLE:
        old, new = _json_value(field, getattr(before, field)), _json_value(field, getattr(after, field))
        if old != new:
            changes[field] = [old, new]
    return changes


def record_amendment(session: Session, placement_id: int, form: PlacementForm, *, reason: str,
                     today: date) -> AmendmentInfo | None:
    """Save an edit of a signed placement as avenant n° N+1 (before -> after), and the placement's new terms.

    Returns None when no term changed (the edit is saved as is: a referent's email is no term). Refused, with
    nothing written, when the convention is not signed, when the reason is missing, when the pupil, host,
    school or audience would change, or when the amended convention would break a blocking rule.
    """
    placement = live(session, Placement, placement_id)
    if placement.convention_status not in SIGNED_STATUSES:
        raise ValidationError({"amendment": "Seule une convention signée se modifie par avenant."})
    before = placement_form(session, placement_id)
    if any(getattr(before, field) != getattr(form, field) for field in FROZEN):
        raise ValidationError({"amendment": "L'élève, la structure d'accueil, l'établissement, le public ou la "
                                            "formation d'une convention signée ne changent pas par avenant : "
                                            "annulez la convention et créez un nouveau stage."})
    changes = amendment_changes(before, form)
    if not changes:
        save_placement(session, form, placement_id, amending=True)
        return None
    if not reason.strip():
        raise ValidationError({"reason": "Indiquez le motif de l'avenant (il est imprimé sur l'avenant)."})
    blocking = [f.message for f in check_convention(convention_facts(session, form, placement_id=placement_id,
                                                                     today=today)) if f.blocking]
    if blocking:
        raise ValidationError({"amendment": "L'avenant rendrait la convention non conforme : "
                                            + " ; ".join(blocking)})
    save_placement(session, form, placement_id, amending=True)
    number = (session.scalar(select(func.max(Amendment.number)).where(Amendment.placement_id == placement_id))
              or 0) + 1   # tombstoned avenants keep their number: a number is never given twice
    session.add(Amendment(placement_id=placement_id, number=number, created_on=today, reason=reason.strip(),
                          changes=json.dumps(changes, ensure_ascii=False)))
    session.flush()
    return AmendmentInfo(number, today, reason.strip(), None, change_lines(changes, tutor_names(session, changes)))


def mark_amendment_signed(session: Session, placement_id: int, number: int, *, signed_on: date,
                          today: date) -> None:
    amendment = session.scalar(select(Amendment).where(Amendment.placement_id == placement_id,
                                                       Amendment.number == number, Amendment.deleted_at.is_(None)))
    if amendment is None:
        raise ValidationError({"amendment": f"Le stage n° {placement_id} n'a pas d'avenant n° {number}."})
    if amendment.signed_on is not None:
        raise ValidationError({"amendment": f"L'avenant n° {number} est déjà signé (le "
                                            f"{format_date(amendment.signed_on)})."})
    if signed_on < amendment.created_on:
        raise ValidationError({"signed_on": f"L'avenant a été établi le {format_date(amendment.created_on)} : il "
                                            "ne peut pas avoir été signé avant."})
    amendment.signed_on = _signature_date(signed_on, today=today, printed_on=None)
    session.flush()


def _json_value(field: str, value: Any) -> Any:
    if field == "timetable":
        return [_day_json(slot) for slot in sorted(value, key=lambda s: s.weekday)]
    if isinstance(value, date):
        return value.isoformat()
    return value.strip() if isinstance(value, str) else value


def _day_json(slot: DaySlot) -> dict[str, Any]:
    def clock(value: time | None) -> str | None:
        return value.isoformat(timespec="minutes") if value is not None else None

    return {"weekday": slot.weekday, "start": clock(slot.start), "end": clock(slot.end),
            "break_start": clock(slot.break_start), "break_end": clock(slot.break_end)}

