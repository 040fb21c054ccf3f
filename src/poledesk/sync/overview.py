"""The coordinator's view of its académie: each pole's exchanges and records, partners shared by several poles."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from poledesk.data.identity import POLE_CODE, ROLE_POLE
from poledesk.data.models import Partner, Pole
from poledesk.data.sync_tables import Peer, SyncConflict
from poledesk.data.text import plural as plural_of
from poledesk.sync.records import ORDER, SPECS

NO_CARD = "pas de carte"
TITLE_COLUMNS = ("name", "label", "title", "code", "uai")   # what names a record, in this order of preference
# Each record type in French, singular and plural, in the order the summaries list them.
TABLE_WORDS: dict[str, tuple[str, str]] = {
    "pole": ("pôle", "pôles"), "formation": ("formation", "formations"),
    "establishment": ("établissement", "établissements"),
    "establishment_formation": ("formation d'établissement", "formations d'établissements"),
    "partner": ("partenaire", "partenaires"), "contact": ("contact", "contacts"),
    "hosting_offer": ("offre d'accueil", "offres d'accueil"), "visit": ("visite", "visites"),
    "pupil": ("élève", "élèves"), "escalation": ("sollicitation", "sollicitations"),
    "escalation_event": ("étape de sollicitation", "étapes de sollicitation"),
    "proposal": ("proposition", "propositions"), "placement": ("stage", "stages"),
    "timetable_day": ("horaire de stage", "horaires de stage"), "amendment": ("avenant", "avenants"),
    "training_session": ("session de formation", "sessions de formation"),
    "registration": ("inscription", "inscriptions"), "action": ("action", "actions"),
    "equity_count": ("compte d'équité", "comptes d'équité"),
    "planning_period": ("période planifiée", "périodes planifiées"),
}


@dataclass(frozen=True, slots=True)
class PoleOverview:
    """One pole as the coordinator sees it: its pinned key (if any), where exchanges stand, its records."""

    code: str
    name: str
    fingerprint: str | None            # None: no identity card imported yet
    verified_at: datetime | None
    revoked_at: datetime | None
    last_sequence_received: int
    last_received_at: datetime | None
    last_sequence_sent: int
    acknowledged_by_peer: int
    last_sent_at: datetime | None
    counts: dict[str, int] = field(default_factory=dict)   # table name -> live records owned by the pole

    @property
    def state(self) -> str:
        """In French, as PeerRow.state says it, or 'pas de carte'."""
        if self.fingerprint is None:
            return NO_CARD
        if self.revoked_at is not None:
            return "révoqué"
        return "vérifié" if self.verified_at is not None else "à vérifier par téléphone"

    @property
    def records(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class SharedPartner:
    """One SIRET found in the partners of several poles: each pole keeps its own record (and its own name)."""

    siret: str
    names: tuple[tuple[str, str], ...]   # (pole code, partner name), by pole code

    @property
    def poles(self) -> tuple[str, ...]:
        return tuple(sorted({pole for pole, _name in self.names}))


def count_words(number: int, table: str) -> str:
    """'1 partenaire', '8 108 partenaires' (French: 0 and 1 take the singular, thousands a narrow space)."""
    singular, plural = TABLE_WORDS.get(table, (table, table))
    return plural_of(number, singular, plural)


def describe_counts(counts: Mapping[str, int]) -> str:
    """'8 partenaires, 2 contacts, 1 élève' in the tables' order; 'aucun enregistrement' when empty."""
    parts = [count_words(counts[name], name) for name in ORDER if counts.get(name)]
    parts += [count_words(n, name) for name, n in sorted(counts.items()) if name not in SPECS and n]
    return ", ".join(parts) or "aucun enregistrement"


def record_counts(session: Session) -> dict[str, Counter[str]]:
    """Live (not deleted) records per owner and per table: {'NM-07': Counter({'partner': 600, …})}."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for name in ORDER:
        table = SPECS[name].table
        query = (select(table.c.owner, func.count()).where(table.c.deleted_at.is_(None))
                 .group_by(table.c.owner))
        for owner, number in session.execute(query):
            counts[owner][name] = number
    return dict(counts)


def pole_overview(session: Session) -> list[PoleOverview]:
    """Every pole the coordinator knows, by code: those with a pinned card and those whose records it holds."""
    counts = record_counts(session)
    peers = {p.code: p for p in session.scalars(select(Peer).where(Peer.role == ROLE_POLE))}
    names = dict(session.execute(select(Pole.code, Pole.name).where(Pole.deleted_at.is_(None))).all())
    codes = set(peers) | {code for code in names if POLE_CODE.fullmatch(code)}
    codes |= {owner for owner in counts if POLE_CODE.fullmatch(owner)}
    return [_overview(code, peers.get(code), names.get(code, ""), counts.get(code, Counter()))
            for code in sorted(codes)]


def _overview(code: str, peer: Peer | None, name: str, counts: Counter[str]) -> PoleOverview:
    if peer is None:
        return PoleOverview(code, name, None, None, None, 0, None, 0, 0, None, dict(counts))
    return PoleOverview(code, name or peer.name, peer.fingerprint, peer.verified_at, peer.revoked_at,
                        peer.last_sequence_received, peer.last_received_at, peer.last_sequence_sent,
                        peer.acknowledged_by_peer, peer.last_sent_at, dict(counts))


def shared_partners(session: Session) -> list[SharedPartner]:
    """Live partners whose SIRET appears in more than one pole, grouped by SIRET (the same firm, two records)."""
    live = Partner.deleted_at.is_(None) & Partner.siret.is_not(None) & (Partner.siret != "")
    shared = (select(Partner.siret).where(live).group_by(Partner.siret)
              .having(func.count(func.distinct(Partner.owner)) > 1))
    query = (select(Partner.siret, Partner.owner, Partner.name).where(live, Partner.siret.in_(shared))
             .order_by(Partner.siret, Partner.owner, Partner.name))
    grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for siret, owner, name in session.execute(query):
        if siret is not None:   # IN (shared) never matches a missing SIRET
            grouped[siret].append((owner, name))
    return [SharedPartner(siret, tuple(names)) for siret, names in grouped.items()]


def count_conflicts(session: Session) -> int:
    """Conflicts still waiting for a person's decision."""
    query = select(func.count()).select_from(SyncConflict).where(SyncConflict.resolved_at.is_(None))
    return session.scalar(query) or 0


def record_titles(session: Session, wanted: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """What names each record asked for ({table: uids}) — its name, label or title — keyed by uid."""
    titles: dict[str, str] = {}
    for name, uids in wanted.items():
        spec = SPECS.get(name)
        uids = sorted(set(uids))
        if spec is None or not uids:
            continue
        column = next((spec.table.c[c] for c in TITLE_COLUMNS if c in spec.table.c), None)
        if column is None:
            continue
        titles.update(session.execute(select(spec.table.c.uid, column).where(spec.table.c.uid.in_(uids))).all())
    return titles
