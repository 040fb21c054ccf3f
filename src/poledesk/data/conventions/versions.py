"""Printed means frozen: an edit of a placement whose convention is printed keeps the PDF of the paper it makes
obsolete, in the placement's history, until the convention is printed again.

The paper in the parties' hands is the one printed: once a term it prints changes, the store keeps that paper's
PDF (rendered just before the edit, from the placement as it was) with what changed, and the convention is « à
réimprimer » until it is printed again. Several edits before the reprint keep one old paper: the one printed.
A signed convention is never edited here: its changes go through an avenant (tracking.record_amendment).
The PDF names the pupil: PrintedVersion never travels, and the purge deletes it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from poledesk.data.conventions.document import CHANGE_LABELS, ConventionDocument, convention_document
from poledesk.data.enums import ConventionStatus
from poledesk.data.live import live
from poledesk.data.models import Placement, PrintedVersion
from poledesk.data.placements.form import PlacementForm, placement_form, save_placement
from poledesk.data.text import format_date
from poledesk.data.validation import ValidationError

Render = Callable[[ConventionDocument], bytes]
# Every printed term of the form, with the label the panel and the banner use; escalation_id prints nothing.
PAPER_LABELS = {
    **CHANGE_LABELS,
    "pupil_id": "Élève", "establishment_id": "Établissement", "partner_id": "Structure d'accueil",
    "audience": "Public", "formation_id": "Formation", "referent_teacher_email": "Courriel du référent",
    "family_business": "Entreprise familiale",
}
PAPER_FIELDS = tuple(f.name for f in fields(PlacementForm) if f.name != "escalation_id")


@dataclass(frozen=True, slots=True)
class PaperState:
    """Where the printed paper of a convention stands: printed on `printed_on`; `outdated` when an edit since
    made it differ from the placement (then `changes` says what, and a reprint is due)."""

    printed_on: date
    outdated: bool
    changes: tuple[str, ...] = ()

    def text(self) -> str:
        if not self.outdated:
            return f"Convention imprimée le {format_date(self.printed_on)}."
        return (f"Le papier imprimé le {format_date(self.printed_on)} ne correspond plus au stage ("
                + ", ".join(c.lower() for c in self.changes) + ") : réimprimez la convention.")


@dataclass(frozen=True, slots=True)
class VersionRow:
    """One superseded paper of the placement's history."""

    id: int
    printed_on: date
    replaced_on: date
    reprinted_on: date | None
    changes: tuple[str, ...]
    size: int

    def text(self) -> str:
        line = (f"Version imprimée le {format_date(self.printed_on)}, remplacée le {format_date(self.replaced_on)} "
                f"({', '.join(c.lower() for c in self.changes)})")
        return line + (f" ; réimprimée le {format_date(self.reprinted_on)}." if self.reprinted_on else
                       " ; pas encore réimprimée.")


def paper_changes(before: PlacementForm, after: PlacementForm) -> tuple[str, ...]:
    """The labels of the printed terms an edit changes, in the form's order (blank ends of texts ignored)."""
    def value(form: PlacementForm, name: str) -> object:
        got = getattr(form, name)
        if name == "timetable":
            return tuple(sorted(got, key=lambda slot: slot.weekday))
        return got.strip() if isinstance(got, str) else got

    return tuple(PAPER_LABELS[name] for name in PAPER_FIELDS if value(before, name) != value(after, name))


def _pending(session: Session, placement_id: int) -> PrintedVersion | None:
    return session.scalar(select(PrintedVersion).where(PrintedVersion.placement_id == placement_id,
                                                       PrintedVersion.reprinted_on.is_(None))
                          .order_by(PrintedVersion.id.desc()).limit(1))


def _current_print(session: Session, placement: Placement) -> date | None:
    """When the paper in hand was printed: the last reprint, or the first print."""
    last = session.scalar(select(PrintedVersion.reprinted_on).where(PrintedVersion.placement_id == placement.id,
                                                                    PrintedVersion.reprinted_on.is_not(None))
                          .order_by(PrintedVersion.reprinted_on.desc(), PrintedVersion.id.desc()).limit(1))
    return last or placement.printed_on


def paper_state(session: Session, placement_id: int) -> PaperState | None:
    """None for a convention not printed (a draft, or signed: its avenants say what changed)."""
    placement = live(session, Placement, placement_id)
    if placement.convention_status is not ConventionStatus.PRINTED:
        return None
    pending = _pending(session, placement_id)
    if pending is not None:
        return PaperState(pending.printed_on, True, tuple(json.loads(pending.changes or "[]")))
    printed = _current_print(session, placement)
    return PaperState(printed, False) if printed is not None else None


def save_printed_placement(session: Session, form: PlacementForm, placement_id: int, *, today: date,
                           render: Render) -> PaperState | None:
    """Save an edit of an existing placement; for a printed convention whose printed terms change, keep first the
    PDF of the paper as printed (`render` turns the document into PDF bytes: reports/ does it, data/ cannot).

    Returns the paper's new state when the edit made the printed paper obsolete, None otherwise. A signed
    convention is refused by save_placement (avenant). Nothing is written when it raises."""
    placement = live(session, Placement, placement_id)
    if placement.convention_status is not ConventionStatus.PRINTED:
        save_placement(session, form, placement_id)
        return None
    before = placement_form(session, placement_id)
    changes = paper_changes(before, form)
    if not changes:
        save_placement(session, form, placement_id)
        return None
    pending = _pending(session, placement_id)
    if pending is None:       # the paper in hand matched until now: keep it as it was printed
        printed_on = _current_print(session, placement) or today
        data = render(convention_document(session, placement_id, today=printed_on, form=before))
        pending = PrintedVersion(placement_id=placement_id, printed_on=printed_on, replaced_on=today, pdf=data,
                                 sha256=hashlib.sha256(data).hexdigest(), changes="[]")
        session.add(pending)
    known = json.loads(pending.changes or "[]")
    merged = [label for label in PAPER_LABELS.values() if label in set(known) | set(changes)]
    pending.changes = json.dumps(list(dict.fromkeys(merged)), ensure_ascii=False)
    save_placement(session, form, placement_id)
    session.flush()
    return PaperState(pending.printed_on, True, tuple(json.loads(pending.changes)))


def note_reprint(session: Session, placement_id: int, *, today: date) -> bool:
    """The convention was printed (or saved as PDF) again: the paper in hand matches; True if one was due."""
    pending = _pending(session, placement_id)
    if pending is None:
        return False
    pending.reprinted_on = today
    session.flush()
    return True


def printed_versions(session: Session, placement_id: int) -> list[VersionRow]:
    """The placement's superseded papers, the newest first."""
    rows = session.execute(select(PrintedVersion).where(PrintedVersion.placement_id == placement_id)
                           .order_by(PrintedVersion.id.desc())).scalars()
    return [VersionRow(v.id, v.printed_on, v.replaced_on, v.reprinted_on, tuple(json.loads(v.changes or "[]")),
                       len(v.pdf)) for v in rows]


def printed_version_pdf(session: Session, version_id: int) -> bytes:
    """The PDF kept, checked against its SHA-256; ValidationError (French) when unknown or altered."""
    version = session.get(PrintedVersion, version_id)
    if version is None:
        raise ValidationError({"version": "Cette version imprimée n'existe plus (anonymisée ou inconnue)."})
    if hashlib.sha256(version.pdf).hexdigest() != version.sha256:
        raise ValidationError({"version": "Cette version imprimée a été altérée dans la base (son empreinte SHA-256 "
                                          "ne correspond plus) : elle n'est pas ouverte."})
    return version.pdf


def delete_versions_of(session: Session, placement_ids: list[int]) -> int:
    """The purge: the kept papers of these placements go with the pupil's identity; how many were deleted."""
    if not placement_ids:
        return 0
    result = session.execute(delete(PrintedVersion).where(PrintedVersion.placement_id.in_(placement_ids)))
    return int(getattr(result, "rowcount", 0) or 0)
