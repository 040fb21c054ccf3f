"""The demo: a realistic fictional pole, or a whole académie of them, for first start, tests and benchmarks.

This module owns the public entry (create_demo_store, DemoSummary), the identity, the progress, and the order of
the stages; the records themselves come from the builder's layers (demo_builder, demo_network, demo_escalations,
demo_activity) and the word lists of demo_names.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from poledesk.data import identity
from poledesk.data.db import Store
from poledesk.data.demo import names as words
from poledesk.data.demo.builder import SharedIds, of_place, slug
from poledesk.data.demo.history import HistoryBuilder
from poledesk.data.models import Pole
from poledesk.data.progress import Progress
from poledesk.data.text import plural

ACADEMIE = "Nancy-Metz"
SCALES = ("pole", "academy")
STAGES = ("Établissements", "Partenaires", "Contacts", "Offres d'accueil", "Visites", "Sollicitations", "Stages",
          "Formations des tuteurs", "Programme d'actions", "Dossiers clos d'une année passée")


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """How many records of each kind the demo wrote."""

    poles: int = 0
    establishments: int = 0
    formations: int = 0
    partners: int = 0
    contacts: int = 0
    tutors: int = 0
    offers: int = 0
    visits: int = 0
    escalations: int = 0
    pupils: int = 0
    placements: int = 0
    training_sessions: int = 0
    registrations: int = 0
    actions: int = 0

    def describe(self) -> str:
        """A short French sentence: '600 partenaires, 1 500 contacts dont 512 tuteurs, …'."""
        parts = [] if self.poles == 1 else [plural(self.poles, "pôle", "pôles")]
        parts += [plural(self.partners, "partenaire", "partenaires"),
                  f"{plural(self.contacts, 'contact', 'contacts')} dont {plural(self.tutors, 'tuteur', 'tuteurs')}",
                  plural(self.offers, "offre d'accueil", "offres d'accueil"), plural(self.visits, "visite", "visites"),
                  plural(self.establishments, "établissement", "établissements"),
                  plural(self.formations, "formation", "formations"),
                  plural(self.escalations, "sollicitation", "sollicitations"),
                  plural(self.placements, "stage", "stages"),
                  plural(self.training_sessions, "session de formation des tuteurs",
                         "sessions de formation des tuteurs"),
                  plural(self.actions, "action", "actions")]
        return ", ".join(parts)


def create_demo_store(store: Store, *, scale: str = "pole", seed: int = 2026,
                      progress: Progress | None = None) -> DemoSummary:
    """Fill an empty store with fictional records, all in one transaction; refuse a store already set up.

    The content depends only on `seed` and today's date (uids and clocks differ from run to run).
    """
    if scale not in SCALES:
        raise ValueError(f"Échelle de démonstration inconnue « {scale} » : « pole » ou « academy ».")
    with store.session() as session:
        if identity.current_identity(session) is not None:
            raise identity.IdentityError("Ce dossier de données est déjà configuré : la démonstration n'a rien "
                                         "modifié.")
    bassins = words.BASSINS if scale == "academy" else tuple(b for b in words.BASSINS if b.code == words.POLE_BASSIN)
    counts: Counter[str] = Counter()
    steps = _Steps(progress, total=len(bassins) * len(STAGES))
    shared = SharedIds()
    today = date.today()
    with store.transaction() as session:
        ident = _set_identity(session, scale, seed)
        for bassin in bassins:
            builder = _PoleBuilder(session, bassin, rng=random.Random(f"{seed}:{bassin.code}"),
                                   animator=_animator(seed, bassin), today=today, shared=shared, counts=counts)
            builder.build(steps, add_pole_row=scale == "academy")
    store.set_owner(ident.code)
    steps.finish()
    return DemoSummary(**counts)


def _set_identity(session: Session, scale: str, seed: int) -> identity.Identity:
    if scale == "academy":
        return identity.init_coordinator(session, ACADEMIE, demo=True)
    bassin = next(b for b in words.BASSINS if b.code == words.POLE_BASSIN)
    return identity.init_pole(session, bassin.code, name=f"Pôle de stages du bassin {of_place(bassin.name)}",
                              bassin=bassin.name, academie=ACADEMIE, animator=_animator(seed, bassin), demo=True)


def _animator(seed: int, bassin: words.BassinSpec) -> str:
    """The pole's animateur or animatrice: drawn apart, so that it is the same at both scales."""
    names = random.Random(f"{seed}:animator:{bassin.code}")
    return f"{names.choice(words.WOMEN + words.MEN)} {names.choice(words.SURNAMES)}"


class _Steps:
    """Counts the stages done and reports them to the caller's progress callable."""

    def __init__(self, progress: Progress | None, *, total: int) -> None:
        self._progress, self.total, self.done = progress, total, 0

    def start(self, label: str) -> None:
        if self._progress is not None:
            self._progress(self.done, self.total, label)
        self.done += 1

    def finish(self) -> None:
        if self._progress is not None:
            self._progress(self.total, self.total, "Terminé")


class _PoleBuilder(HistoryBuilder):
    """One pole's builder, every layer of stages in it: the pole record, then the stages in their order."""

    def build(self, steps: _Steps, *, add_pole_row: bool) -> None:
        label = f"{self.code} {self.bassin.name} – " if add_pole_row else ""
        stages = (self.add_schools, self.add_partners, self.add_contacts, self.add_offers, self.add_visits,
                  self.add_escalations, self.add_placements, self.add_trainings, self.add_actions,
                  self.add_past_cases)
        self.add_pole(create=add_pole_row)
        for name, stage in zip(STAGES, stages, strict=True):
            steps.start(label + name)
            stage()

    def add_pole(self, *, create: bool) -> None:
        seat = self.bassin.communes[0]
        values = dict(email=f"pole-stages.{slug(self.bassin.name)}@ac-nancy-metz.fr", phone=self.phone(seat[1]))
        if create:
            created = self.new(Pole, code=self.code, name=f"Pôle de stages du bassin {of_place(self.bassin.name)}",
                               bassin=self.bassin.name, academie=ACADEMIE, animator_name=self.animator, **values)
            self.save([created], "poles")
            return
        pole = identity.pole_of(self.session, self.code)
        assert pole is not None  # init_pole wrote it in this transaction
        pole.email, pole.phone = values["email"], values["phone"]
        self.counts["poles"] += 1
