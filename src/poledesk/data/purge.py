"""The purge on schedule (DOMAIN.md, Pupil data): pupils whose periods have all ended are anonymised after purge.day.

What goes: names, birth date, class, legal representative, needs, the free texts written about the pupil's
escalations, and the scans of signed conventions. What stays for the indicators: audience, formation,
establishment, the age band at the start of the first period, the outcome (the escalation's status), the PAI and
disability flags of a pupil nobody can identify any more. Afterwards nothing is recoverable: secure_delete is on
for every connection, the store is VACUUMed, and backups still holding a purged identity are deleted.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from poledesk.data import db, settings
from poledesk.data.conventions import versions
from poledesk.data.conventions.tracking import SIGNED_COPIES_FOLDER
from poledesk.data.db import Store
from poledesk.data.enums import EscalationStatus
from poledesk.data.models import Escalation, EscalationEvent, Placement, Pupil, utcnow
from poledesk.data.pupils import age_on
from poledesk.data.text import format_date, school_year_of
from poledesk.data.validation import ValidationError

log = logging.getLogger(__name__)

MAX_POSTPONE_DAYS = 30
OPEN_STATUSES = (EscalationStatus.RECEIVED, EscalationStatus.SEARCHING, EscalationStatus.PROPOSED)


@dataclass(frozen=True, slots=True)
class PurgeCandidate:
    pupil_id: int
    pseudonym: str
    school_year: str        # of the pupil's last period
    purge_on: date          # the first day the pupil may be anonymised


@dataclass(frozen=True, slots=True)
class PurgePlan:
    today: date
    due: tuple[PurgeCandidate, ...]          # purge_on reached (whatever a postponement says)
    upcoming: tuple[PurgeCandidate, ...]     # every period ended, purge date still ahead
    postponed_to: date | None

    @property
    def runs_on(self) -> date | None:
        """The day the due pupils are anonymised: today, or the postponed day."""
        if not self.due:
            return None
        return self.postponed_to if self.postponed_to and self.postponed_to > self.today else self.today

    @property
    def is_due_now(self) -> bool:
        return bool(self.due) and self.runs_on == self.today

    @property
    def can_postpone(self) -> bool:
        return self.is_due_now and self.postponed_to is None

    def lines(self) -> list[str]:
        """French, one line per school year: '12 élèves de 2025-2026 seront anonymisés le 03/12/2026.'"""
        out = []
        for year, count in sorted(Counter(c.school_year for c in self.due).items()):
            out.append(f"{count} {'élèves' if count > 1 else 'élève'} de {year} "
                       f"{'seront anonymisés' if count > 1 else 'sera anonymisé'} le {format_date(self.runs_on)}.")
        if self.upcoming:
            first = min(c.purge_on for c in self.upcoming)
            count = sum(1 for c in self.upcoming if c.purge_on == first)
            out.append(f"Ensuite : {count} {'élèves' if count > 1 else 'élève'} le {format_date(first)}.")
        return out or ["Aucun élève à anonymiser pour le moment."]


@dataclass(frozen=True, slots=True)
class PurgeResult:
    purged: int
    copies_deleted: int
    backups_deleted: int

    def describe(self) -> str:
        return (f"{self.purged} {'élèves anonymisés' if self.purged > 1 else 'élève anonymisé'}, "
                f"{self.copies_deleted} copies signées supprimées, {self.backups_deleted} sauvegardes "
                "qui contenaient leur identité supprimées.")


def purge_day(session: Session) -> tuple[int, int]:
    month, day = settings.get(session, settings.PURGE_DAY).split("-")
    return int(month), int(day)


def purge_date(last_end: date, month_day: tuple[int, int]) -> date:
    """The day after purge.day (MM-DD) of the school year following the one `last_end` belongs to."""
    start = int(school_year_of(last_end)[:4]) + 1           # the following school year starts in September
    month, day = month_day
    return date(start if month >= 9 else start + 1, month, day) + timedelta(days=1)


def age_band(age: int) -> str:
    return "<14" if age < 14 else "14-15" if age < 16 else "16-17" if age < 18 else "18+"


def _periods(session: Session) -> dict[int, list[tuple[date, date, bool]]]:
    """pupil id -> (start, end, still open) of each of its escalations and placements, tombstoned ones included."""
    periods: dict[int, list[tuple[date, date, bool]]] = {}
    for pupil_id, start, end, status in session.execute(
            select(Escalation.pupil_id, Escalation.period_start, Escalation.period_end, Escalation.status)):
        periods.setdefault(pupil_id, []).append((start, end, status in OPEN_STATUSES))
    for pupil_id, start, end in session.execute(select(Placement.pupil_id, Placement.start_date, Placement.end_date)):
        periods.setdefault(pupil_id, []).append((start, end, False))
    return periods


def plan_purge(session: Session, today: date) -> PurgePlan:
    """Who is due, who comes next, and whether the animateur postponed it (nothing is written)."""
    periods, month_day = _periods(session), purge_day(session)
    owner = settings.get(session, settings.IDENTITY_CODE)
    due: list[PurgeCandidate] = []
    upcoming: list[PurgeCandidate] = []
    rows = session.execute(select(Pupil.id, Pupil.pseudonym, Pupil.owner, Pupil.updated_at)
                           .where(Pupil.purged_at.is_(None)))
    for pupil_id, pseudonym, pupil_owner, updated_at in rows:
        if owner and pupil_owner != owner:
            continue   # a record received from elsewhere is purged by its owner, and reaches us purged
        spans = periods.get(pupil_id) or [(updated_at.date(), updated_at.date(), False)]
        if any(still_open or end >= today for _start, end, still_open in spans):
            continue
        last_end = max(end for _start, end, _open in spans)
        candidate = PurgeCandidate(pupil_id, pseudonym, school_year_of(last_end), purge_date(last_end, month_day))
        (due if candidate.purge_on <= today else upcoming).append(candidate)
    postponed = settings.get(session, settings.PURGE_POSTPONED)
    return PurgePlan(today, tuple(due), tuple(upcoming), date.fromisoformat(postponed) if postponed else None)


def postpone_purge(session: Session, today: date, until: date) -> date:
    """Postpone a due purge once, by at most 30 days; ValidationError (French, nothing written) otherwise."""
    plan = plan_purge(session, today)
    latest = today + timedelta(days=MAX_POSTPONE_DAYS)
    if not plan.due:
        raise ValidationError({"until": "Aucune anonymisation n'est due : il n'y a rien à reporter."})
    if plan.postponed_to is not None:
        raise ValidationError({"until": f"L'anonymisation a déjà été reportée une fois (au "
                                        f"{format_date(plan.postponed_to)}) : elle ne peut plus l'être."})
    if until <= today:
        raise ValidationError({"until": "Choisissez une date après aujourd'hui."})
    if until > latest:
        raise ValidationError({"until": f"Le report est de {MAX_POSTPONE_DAYS} jours au plus : choisissez une date "
                                        f"jusqu'au {format_date(latest)}."})
    settings.put(session, settings.PURGE_POSTPONED, until.isoformat())
    log.info("purge postponed to %s", until.isoformat())
    return until


def anonymise(session: Session, plan: PurgePlan) -> tuple[list[str], list[str]]:
    """Erase the identity of every due pupil in this transaction; (pseudonyms, signed copy file names) purged."""
    ids = [c.pupil_id for c in plan.due]
    copies: list[str] = []
    firsts = {pid: min(start for start, _end, _open in spans) for pid, spans in _periods(session).items()}
    now = utcnow()
    for pupil in session.scalars(select(Pupil).where(Pupil.id.in_(ids))):
        if pupil.birth_date is not None and pupil.id in firsts:
            pupil.age_band = age_band(age_on(pupil.birth_date, firsts[pupil.id]))
        pupil.first_name = pupil.last_name = pupil.class_name = pupil.needs = ""
        pupil.representative_name = pupil.representative_email = pupil.representative_phone = ""
        pupil.birth_date = None
        pupil.purged_at = now
    for escalation in session.scalars(select(Escalation).where(Escalation.pupil_id.in_(ids))):
        escalation.status_reason = escalation.outcome = ""
        escalation.mobility_commune = escalation.mobility_postcode = escalation.mobility_means = ""
        for event in session.scalars(select(EscalationEvent).where(EscalationEvent.escalation_id == escalation.id)):
            event.reason = ""
    placement_ids: list[int] = []
    for placement in session.scalars(select(Placement).where(Placement.pupil_id.in_(ids))):
        placement_ids.append(placement.id)
        if placement.signed_copy_file:
            copies.append(Path(placement.signed_copy_file).name)
        placement.signed_copy_file = placement.signed_copy_sha256 = ""
    versions.delete_versions_of(session, placement_ids)   # the kept papers print the pupil's name
    settings.put(session, settings.PURGE_POSTPONED, "")
    session.flush()
    return [c.pseudonym for c in plan.due], copies


def run_purge(store: Store, today: date) -> PurgeResult:
    """The whole purge: one transaction (a kill -9 leaves all or nothing), then the scans, VACUUM and backups."""
    try:
        with store.transaction() as session:
            plan = plan_purge(session, today)
            if not plan.is_due_now:
                return PurgeResult(0, 0, 0)
            pseudonyms, copies = anonymise(session, plan)
    except (OperationalError, OSError) as error:
        raise db.StoreError(f"L'anonymisation n'a pas pu être enregistrée ({_reason(error)}) : rien n'a été "
                            "modifié. Libérez de la place sur le disque puis recommencez.") from error
    deleted_copies = 0
    for name in copies:
        path = store.folder / SIGNED_COPIES_FOLDER / name
        if path.exists():
            path.unlink()
            deleted_copies += 1
    try:
        vacuum(store)
    except (OperationalError, sqlcipher.OperationalError, OSError) as error:
        raise db.StoreError(f"Les élèves ont été anonymisés, mais la base n'a pas pu être compactée "
                            f"({_reason(error)}) : des traces peuvent rester dans le fichier. Libérez de la place "
                            "puis lancez « poledesk purge » à nouveau.") from error
    backups = delete_backups_holding(store, pseudonyms)
    log.info("purge done: %d pupils anonymised, %d backups deleted", len(pseudonyms), backups)
    return PurgeResult(len(pseudonyms), deleted_copies, backups)


def _reason(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or getattr(error, "strerror", None) or error)
    return "disque plein" if "full" in text or "No space" in text else text


def vacuum(store: Store) -> None:
    """Rewrite the file without the erased pages, then empty the WAL (it held the old pages too).

    VACUUM is atomic: a kill -9 or a full disk during it leaves the file as it was before it.
    """
    connection = store.engine.raw_connection()
    try:
        raw = connection.driver_connection
        assert raw is not None
        raw.execute("VACUUM")
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def delete_backups_holding(store: Store, pseudonyms: list[str]) -> int:
    """Delete every backup where one of the purged pupils still has a name or a birth date."""
    deleted = 0
    for backup in db.list_backups(store.folder):
        if _holds_identity(backup, store.key, pseudonyms):
            backup.unlink()
            deleted += 1
    return deleted


def _holds_identity(backup: Path, key: bytes | None, pseudonyms: list[str]) -> bool:
    connection = db.raw_connect(backup, key if db.is_encrypted(backup) else None, read_only=True)
    try:
        for chunk in range(0, len(pseudonyms), 500):
            part = pseudonyms[chunk:chunk + 500]
            marks = ",".join("?" * len(part))
            found = connection.execute(
                f"SELECT 1 FROM pupil WHERE pseudonym IN ({marks}) AND (last_name != '' OR first_name != '' "
                "OR birth_date IS NOT NULL) LIMIT 1", part).fetchone()
            if found:
                return True
        return False
    except Exception:
        return True
    finally:
        connection.close()
