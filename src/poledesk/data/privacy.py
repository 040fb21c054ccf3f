"""What the data-protection officer needs for the register of processing: which personal data, how much, until when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from poledesk import paths
from poledesk.data import db, purge, vault
from poledesk.data.models import Contact, Escalation, Placement, Pupil
from poledesk.data.text import format_date, plural

# Each kind of person whose data the store holds: (who, which data, how long it is kept).
CATEGORIES = (
    ("Élèves (souvent mineurs)", ("nom, prénom, date de naissance, classe, formation, représentant légal (nom, "
     "courriel, téléphone), besoins en quelques mots, PAI oui/non, situation de handicap oui/non ; copies signées "
     "et versions imprimées remplacées de leurs conventions"),
     "anonymisés après le {purge_day} de l'année scolaire qui suit leur dernière période"),
    ("Interlocuteurs et tuteurs des partenaires", ("nom, prénom, fonction, téléphone, courriel, formations suivies, "
     "accord pour être recontactés"), "tant que le partenariat dure ; supprimés à la demande"),
    ("Personnels des établissements", ("nom du chef d'établissement et du référent, demandeurs des sollicitations "
     "(nom, fonction, courriel), enseignants référents des stages"), "le temps de la relation avec l'établissement"),
    ("Animateur ou animatrice du pôle", "nom, courriel, téléphone du pôle", "le temps de la fonction"),
)


@dataclass(frozen=True, slots=True)
class PurgeGroup:
    school_year: str
    pupils: int
    purge_on: date


@dataclass(frozen=True, slots=True)
class PrivacyReport:
    folder: Path
    encrypted: bool
    kdf: str                      # "Argon2id, 3 passes, 128 Mio" or "" for a clear store
    identified_pupils: int
    minors: int
    anonymised_pupils: int
    contacts: int
    oldest_pupil_record: date | None
    oldest_contact_record: date | None
    purge_day: str                # "31/10"
    groups: tuple[PurgeGroup, ...]
    pupils_with_open_periods: int
    backups_folder: Path
    backups: int
    backups_encrypted: int
    today: date

    def lines(self) -> list[str]:
        """The sheet as French lines (the CLI prints them; the dialog shows them)."""
        out = [f"Base : {paths.store_file(self.folder)}",
               "Chiffrement : " + (f"oui (SQLCipher 4, clé dérivée de la phrase secrète par {self.kdf})"
                                   if self.encrypted else "NON : la base est en clair"),
               f"Élèves identifiés : {self.identified_pupils} (dont {self.minors} mineurs au début de leur période)",
               f"Élèves déjà anonymisés : {self.anonymised_pupils}",
               f"Interlocuteurs des partenaires : {self.contacts}",
               f"Plus ancienne donnée d'élève : {format_date(self.oldest_pupil_record) or '—'}",
               f"Plus ancien interlocuteur : {format_date(self.oldest_contact_record) or '—'}",
               f"Délai de purge réglé : le {self.purge_day} de l'année scolaire suivante"]
        for group in self.groups:
            out.append(f"  {group.pupils} élèves de {group.school_year} : anonymisés le {format_date(group.purge_on)}")
        if self.pupils_with_open_periods:
            out.append(f"  {self.pupils_with_open_periods} élèves dont une période n'est pas terminée : date fixée "
                       "quand elle le sera")
        out.append(f"Sauvegardes : {self.backups} dans {self.backups_folder} ({self.backups_encrypted} chiffrées)")
        return out


def privacy_report(session: Session, folder: Path, *, encrypted: bool, today: date) -> PrivacyReport:
    plan = purge.plan_purge(session, today)
    groups: dict[tuple[str, date], int] = {}
    for candidate in (*plan.due, *plan.upcoming):
        on = plan.runs_on if candidate in plan.due and plan.runs_on else candidate.purge_on
        groups[candidate.school_year, on] = groups.get((candidate.school_year, on), 0) + 1
    identified = Pupil.purged_at.is_(None)
    month, day = purge.purge_day(session)
    backups = db.list_backups(folder)
    return PrivacyReport(
        folder=folder, encrypted=encrypted, kdf=_kdf(folder) if encrypted else "",
        identified_pupils=session.scalar(select(func.count()).select_from(Pupil).where(identified)) or 0,
        minors=_minors(session), anonymised_pupils=session.scalar(
            select(func.count()).select_from(Pupil).where(Pupil.purged_at.is_not(None))) or 0,
        contacts=session.scalar(select(func.count()).select_from(Contact).where(Contact.deleted_at.is_(None))) or 0,
        oldest_pupil_record=_oldest_pupil(session), oldest_contact_record=_date(session.scalar(
            select(func.min(Contact.updated_at)).where(Contact.deleted_at.is_(None)))),
        purge_day=f"{day:02d}/{month:02d}",
        groups=tuple(PurgeGroup(year, count, on) for (year, on), count in sorted(groups.items())),
        pupils_with_open_periods=(session.scalar(select(func.count()).select_from(Pupil).where(identified)) or 0)
        - len(plan.due) - len(plan.upcoming),
        backups_folder=paths.backups_dir(folder), backups=len(backups),
        backups_encrypted=sum(1 for b in backups if db.is_encrypted(b)), today=today)


def _kdf(folder: Path) -> str:
    try:
        cost = vault.read_header(folder).cost
    except vault.VaultError:
        return "Argon2id (en-tête illisible)"
    memory = f"{cost.memory_kib // 1024} Mio" if cost.memory_kib >= 1024 else f"{cost.memory_kib} Kio"
    return f"Argon2id, {plural(cost.time_cost, 'passe')}, {memory}"


def _date(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _oldest_pupil(session: Session) -> date | None:
    """The earliest period (or reception) of a pupil still identified."""
    identified = select(Pupil.id).where(Pupil.purged_at.is_(None))
    firsts = [session.scalar(select(func.min(Escalation.received_on)).where(Escalation.pupil_id.in_(identified))),
              session.scalar(select(func.min(Placement.start_date)).where(Placement.pupil_id.in_(identified)))]
    known = [d for d in firsts if d is not None]
    return min(known) if known else None


def _minors(session: Session) -> int:
    from poledesk.data.pupils import age_on

    starts: dict[int, date] = {}
    for pupil_id, start in session.execute(select(Escalation.pupil_id, Escalation.period_start)):
        starts[pupil_id] = min(start, starts.get(pupil_id, start))
    for pupil_id, start in session.execute(select(Placement.pupil_id, Placement.start_date)):
        starts[pupil_id] = min(start, starts.get(pupil_id, start))
    rows = session.execute(select(Pupil.id, Pupil.birth_date).where(Pupil.purged_at.is_(None),
                                                                    Pupil.birth_date.is_not(None)))
    return len([pupil_id for pupil_id, birth in rows
                if birth is not None and pupil_id in starts and age_on(birth, starts[pupil_id]) < 18])


def purge_day_text(session: Session) -> str:
    month, day = purge.purge_day(session)
    return f"{day:02d}/{month:02d}"


def categories(session: Session) -> list[tuple[str, str, str]]:
    day = purge_day_text(session)
    return [(who, what, how_long.format(purge_day=day)) for who, what, how_long in CATEGORIES]
