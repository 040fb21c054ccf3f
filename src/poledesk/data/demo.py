"""The demo: a realistic fictional pole, or a whole académie of them, for first start, tests and benchmarks."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import insert
from sqlalchemy.orm import Session

from poledesk.data import demo_names as words
from poledesk.data import identity
from poledesk.data.db import Store
from poledesk.data.enums import (
    ActionAxis, ActionStatus, Audience, ConventionStatus, EscalationStatus, EstablishmentKind, HeadcountBand,
    LegalKind, PartnerStatus, PriorityEducation, ProposalAnswer, TrainingStatus, VisitKind,
)
from poledesk.data.models import (
    Action, Amendment, Contact, Escalation, EscalationEvent, Establishment, EstablishmentFormation, Formation,
    HostingOffer, Partner, Placement, Pole, Proposal, Pupil, Registration, TimetableDay, TrainingSession, Travelling,
    Visit, action_establishment, action_partner, offer_reservation,
)
from poledesk.data.progress import Progress
from poledesk.data.text import fold, school_year_of

T = TypeVar("T")
S = EscalationStatus

ACADEMIE = "Nancy-Metz"
SCALES = ("pole", "academy")
BATCH = 250  # records per flush: keeps memory flat and lets progress and cancel come often
UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
PARTNERS, CONTACTS, OFFERS, VISITS, PLACEMENTS = 600, 1500, 800, 2000, 300
PARTNER_STATUSES = ((PartnerStatus.ACTIVE, 470), (PartnerStatus.PROSPECT, 70), (PartnerStatus.PAUSED, 36),
                    (PartnerStatus.DO_NOT_CONTACT, 24))
ESCALATION_STATUSES = ((S.RECEIVED, 14), (S.SEARCHING, 20), (S.PROPOSED, 16), (S.PLACED, 46),
                       (S.CLOSED_UNSOLVED, 14), (S.WITHDRAWN, 10))
OPEN = (S.RECEIVED, S.SEARCHING, S.PROPOSED)
STATUS_PATHS = {S.RECEIVED: (S.RECEIVED,), S.SEARCHING: (S.RECEIVED, S.SEARCHING),
                S.PROPOSED: (S.RECEIVED, S.SEARCHING, S.PROPOSED),
                S.PLACED: (S.RECEIVED, S.SEARCHING, S.PROPOSED, S.PLACED),
                S.CLOSED_UNSOLVED: (S.RECEIVED, S.SEARCHING, S.CLOSED_UNSOLVED), S.WITHDRAWN: (S.RECEIVED, S.WITHDRAWN)}
# Which formation a pupil of an escalation or a placement follows: (formation code or audience, weight).
PUPIL_MIX = (("OBS-3E", 32), ("OBS-4E", 6), ("2GT", 10), (Audience.PFMP_CAP, 20), (Audience.PFMP_BACPRO, 26),
             (Audience.STS, 6))
AGES = {"OBS-4E": ((13, 14), (2, 1)), "OBS-3E": ((14, 15), (3, 1)), "2GT": ((15, 16), (3, 1)),
        Audience.PFMP_CAP: ((15, 16, 17, 18, 19), (3, 4, 3, 1, 1)),
        Audience.PFMP_BACPRO: ((15, 16, 17, 18, 19), (3, 4, 4, 2, 1)),
        Audience.STS: ((18, 19, 20, 21, 22), (3, 4, 2, 1, 1)), Audience.APPRENTICESHIP: ((16, 17, 18), (1, 1, 1))}
# Placement windows in the school year ((month, day) first and last day), and the length in days or weeks.
WINDOWS = {"OBS-4E": ((4, 26), (6, 19)), "OBS-3E": ((11, 16), (2, 27)), "2GT": ((6, 8), (6, 26)),
           Audience.PFMP_CAP: ((10, 5), (6, 5)), Audience.PFMP_BACPRO: ((10, 5), (6, 5)),
           Audience.STS: ((1, 4), (6, 26))}
LENGTHS = {"OBS-4E": ("days", 2, 5), "OBS-3E": ("days", 5, 5), "2GT": ("weeks", 2, 2),
           Audience.PFMP_CAP: ("weeks", 3, 6), Audience.PFMP_BACPRO: ("weeks", 3, 6), Audience.STS: ("weeks", 5, 8)}
# School holidays of zone B, roughly (their dates move a little every year): no period overlaps them.
HOLIDAYS = (((10, 17), (11, 2)), ((12, 19), (1, 3)), ((2, 13), (3, 1)), ((4, 10), (4, 26)), ((7, 4), (8, 31)))
# One day of a timetable: start, end, break start, break end. Each half-day stays under 4 h 30; days are 7 h at
# most (6 h for observation), weeks 35 h at most.
TIMETABLES = {"standard": (time(8, 30), time(17), time(12), time(13, 30)),
              "commerce": (time(9), time(17, 30), time(12, 30), time(14)),
              "restauration": (time(9), time(17), time(13), time(14)),
              "santé": (time(7, 30), time(15), time(11, 30), time(12)),
              "chantier": (time(8), time(16), time(12), time(13)),
              "observation": (time(9), time(16, 30), time(12), time(13, 30))}
TIMETABLE_BY_DIVISION = {"47": "commerce", "55": "restauration", "56": "restauration", "10": "restauration",
                         "86": "santé", "87": "santé", "88": "santé", "41": "chantier", "43": "chantier",
                         "45": "chantier", "25": "chantier"}
LANDLINE = {"54": "03 83", "57": "03 87", "55": "03 29", "88": "03 29"}
BAND_WEIGHTS = {HeadcountBand.MICRO: 1, HeadcountBand.SMALL: 2, HeadcountBand.MEDIUM: 3, HeadcountBand.LARGE: 4}
PUPIL_COUNTS = {Audience.OBSERVATION_4E_3E: (90, 190), Audience.SECONDE_GT: (220, 420), Audience.PFMP_CAP: (24, 40),
                Audience.PFMP_BACPRO: (45, 90), Audience.STS: (24, 60), Audience.APPRENTICESHIP: (20, 60)}
TRAINING_CALENDAR = ((9, 24), (10, 8), (11, 19), (12, 10), (1, 14), (2, 4), (3, 11), (4, 1), (5, 20), (6, 10))
PAST_TRAININGS, UPCOMING_TRAININGS = 7, 5
FULL_TRAINING, CANCELLED_TRAINING = 8, 3   # positions among the 12 sessions, oldest first
STAGES = ("Établissements", "Partenaires", "Contacts", "Offres d'accueil", "Visites", "Sollicitations", "Stages",
          "Formations des tuteurs", "Programme d'actions")


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
        parts = [] if self.poles == 1 else [_count(self.poles, "pôle", "pôles")]
        parts += [_count(self.partners, "partenaire", "partenaires"),
                  f"{_count(self.contacts, 'contact', 'contacts')} dont {_count(self.tutors, 'tuteur', 'tuteurs')}",
                  _count(self.offers, "offre d'accueil", "offres d'accueil"), _count(self.visits, "visite", "visites"),
                  _count(self.establishments, "établissement", "établissements"),
                  _count(self.formations, "formation", "formations"),
                  _count(self.escalations, "sollicitation", "sollicitations"),
                  _count(self.placements, "stage", "stages"),
                  _count(self.training_sessions, "session de formation des tuteurs",
                         "sessions de formation des tuteurs"),
                  _count(self.actions, "action", "actions")]
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
    shared = _Shared()
    today = date.today()
    with store.transaction() as session:
        ident = _set_identity(session, scale, seed)
        for bassin in bassins:
            builder = _PoleBuilder(session, bassin, rng=random.Random(f"{seed}:{bassin.code}"),
                                   animator=_animator(seed, bassin), today=today, shared=shared, counts=counts,
                                   steps=steps)
            builder.build(add_pole_row=scale == "academy")
    store.set_owner(ident.code)
    steps.finish()
    return DemoSummary(**counts)


def _set_identity(session: Session, scale: str, seed: int) -> identity.Identity:
    if scale == "academy":
        return identity.init_coordinator(session, ACADEMIE, demo=True)
    bassin = next(b for b in words.BASSINS if b.code == words.POLE_BASSIN)
    return identity.init_pole(session, bassin.code, name=f"Pôle de stages du bassin {_of(bassin.name)}",
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


class _Shared:
    """What must stay unique across the poles of one build."""

    def __init__(self) -> None:
        self.sirets: set[str] = set()
        self.uais: set[str] = set()


@dataclass(slots=True)
class _Person:
    first: str
    last: str
    woman: bool

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


class _PoleBuilder:
    """Builds one pole's records; every random draw comes from `rng`, in a fixed order."""

    def __init__(self, session: Session, bassin: words.BassinSpec, *, rng: random.Random, animator: str,
                 today: date, shared: _Shared, counts: Counter[str], steps: _Steps) -> None:
        self.session, self.bassin, self.rng, self.today = session, bassin, rng, today
        self.shared, self.counts, self.steps = shared, counts, steps
        self.code, self.animator = bassin.code, animator
        start_year = today.year if today.month >= 9 else today.year - 1
        self.year_start = date(start_year, 9, 1)
        self.previous_start = date(start_year - 1, 9, 1)
        self.holidays = [(date(year + (m1 < 9), m1, d1), date(year + (m2 < 9), m2, d2))
                         for year in (start_year, start_year + 1) for (m1, d1), (m2, d2) in HOLIDAYS]
        self.tutor_load: Counter[int] = Counter()

    def build(self, *, add_pole_row: bool) -> None:
        label = f"{self.code} {self.bassin.name} – " if add_pole_row else ""
        stages = (self.add_schools, self.add_partners, self.add_contacts, self.add_offers, self.add_visits,
                  self.add_escalations, self.add_placements, self.add_trainings, self.add_actions)
        self.add_pole(create=add_pole_row)
        for name, stage in zip(STAGES, stages, strict=True):
            self.steps.start(label + name)
            stage()

    # -- helpers ------------------------------------------------------------------------------------------------
    def new(self, model: type[T], **values: Any) -> T:
        return model(owner=self.code, **values)

    def save(self, objects: Sequence[Travelling], counter: str | None = None) -> None:
        for start in range(0, len(objects), BATCH):
            self.session.add_all(objects[start:start + BATCH])
            self.session.flush()
        if counter:
            self.counts[counter] += len(objects)

    def pick(self, items: Sequence[T], weights: Sequence[float] | None = None) -> T:
        return self.rng.choices(items, weights)[0] if weights else self.rng.choice(items)

    def commune(self) -> tuple[str, str]:
        name, postcode, _ = self.pick(self.bassin.communes, [c[2] for c in self.bassin.communes])
        return name, postcode

    def person(self, *, young: bool = False) -> _Person:
        woman = self.rng.random() < 0.5
        firsts = (words.GIRLS if woman else words.BOYS) if young else (words.WOMEN if woman else words.MEN)
        return _Person(self.rng.choice(firsts), self.rng.choice(words.SURNAMES), woman)

    def phone(self, postcode: str) -> str:
        r = self.rng
        return f"{LANDLINE[postcode[:2]]} {r.randint(10, 99)} {r.randint(0, 99):02d} {r.randint(0, 99):02d}"

    def mobile(self) -> str:
        r = self.rng
        return f"0{r.choice('67')} {r.randint(10, 99)} {r.randint(0, 99):02d} {r.randint(0, 99):02d} " \
               f"{r.randint(0, 99):02d}"

    def address(self) -> str:
        street = self.rng.choice(words.STREETS)
        return street if street.startswith("zone") else f"{self.rng.randint(1, 160)} {street}"

    def working_day_since(self, first: date) -> date:
        """A day from `first` to today, Monday to Friday, not in the summer break (when the pole is closed)."""
        while True:
            day = _weekday_on_or_before(self.days_ago(0, (self.today - first).days - 3))
            if not (7, 14) <= (day.month, day.day) <= (8, 24):
                return day

    def days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def role(self, pair: tuple[str, str], who: _Person) -> str:
        return pair[1] if who.woman else pair[0]

    # -- stages -------------------------------------------------------------------------------------------------
    def add_pole(self, *, create: bool) -> None:
        seat = self.bassin.communes[0]
        values = dict(email=f"pole-stages.{_slug(self.bassin.name)}@ac-nancy-metz.fr", phone=self.phone(seat[1]))
        if create:
            pole = self.new(Pole, code=self.code, name=f"Pôle de stages du bassin {_of(self.bassin.name)}",
                            bassin=self.bassin.name, academie=ACADEMIE, animator_name=self.animator, **values)
            self.save([pole], "poles")
            return
        pole = identity.pole_of(self.session, self.code)
        assert pole is not None  # init_pole wrote it in this transaction
        pole.email, pole.phone = values["email"], values["phone"]
        self.counts["poles"] += 1

    def add_schools(self) -> None:
        self.specs = {spec.code: spec for spec in words.FORMATIONS}
        self.formations = {spec.code: self.new(Formation, code=spec.code, label=spec.label, audience=spec.audience,
                                                pfmp_weeks=spec.pfmp_weeks) for spec in words.FORMATIONS}
        self.save(list(self.formations.values()), "formations")
        kinds = [kind for kind, count in words.ESTABLISHMENT_MIX for _ in range(count)]
        patrons = self.rng.sample(words.SCHOOL_PATRONS, len(kinds))
        priorities = [PriorityEducation.REP_PLUS, PriorityEducation.REP, PriorityEducation.REP, PriorityEducation.REP]
        self.schools: list[Establishment] = []
        self.school_codes: list[tuple[str, ...]] = []
        for index, (kind, patron) in enumerate(zip(kinds, patrons, strict=True)):
            priority = priorities.pop() if kind is EstablishmentKind.COLLEGE and priorities else PriorityEducation.NONE
            self.schools.append(self.school(kind, patron, priority, index))
            self.school_codes.append(self.school_formations(kind, index))
        self.save(self.schools, "establishments")
        self.staff = [[self.person() for _ in range(6)] for _ in self.schools]
        links = []
        for school, codes in zip(self.schools, self.school_codes, strict=True):
            for code in codes:
                now = self.rng.randint(*PUPIL_COUNTS[self.specs[code].audience])
                before = round(now * self.rng.uniform(0.9, 1.1))
                for year, pupils in ((self.year_start, now), (self.previous_start, before)):
                    links.append(self.new(EstablishmentFormation, establishment_id=school.id,
                                          formation_id=self.formations[code].id, school_year=school_year_of(year),
                                          pupils=pupils))
        self.save(links)

    def school(self, kind: EstablishmentKind, patron: str, priority: PriorityEducation, index: int) -> Establishment:
        commune, postcode = self.bassin.communes[0][:2] if index % 3 == 0 else self.commune()
        if kind is EstablishmentKind.CFA:
            name = f"{words.CFA_NAMES[index % len(words.CFA_NAMES)]} – {commune}"
        else:
            name = f"{words.SCHOOL_PREFIX[kind]} {patron}"
        head, referent = self.person(), self.person()
        referent_role = words.REFERENT_ROLES.get(kind, ("DDFPT", "DDFPT"))
        uai = self.uai(postcode)
        return self.new(Establishment, uai=uai, name=name, kind=kind, address=self.address(), postcode=postcode,
                        commune=commune, phone=self.phone(postcode), email=f"ce.{uai.lower()}@ac-nancy-metz.fr",
                        head_name=head.name, referent_name=referent.name,
                        referent_role=self.role(referent_role, referent),
                        referent_email=_email(referent, "ac-nancy-metz.fr"), referent_phone=self.phone(postcode),
                        priority_education=priority)

    def school_formations(self, kind: EstablishmentKind, index: int) -> tuple[str, ...]:
        family = words.LP_FAMILIES[index % len(words.LP_FAMILIES)]
        bacpros = tuple(c for c in family if c.startswith("BP-"))
        bts = words.BTS_CODES[index % len(words.BTS_CODES)]
        return {EstablishmentKind.COLLEGE: ("OBS-4E", "OBS-3E"),
                EstablishmentKind.LYCEE: ("2GT", bts) if index % 3 else ("2GT",),
                EstablishmentKind.LPO: ("2GT",) + bacpros[:2] + (bts,), EstablishmentKind.LP: family,
                EstablishmentKind.SEP: bacpros[:2], EstablishmentKind.EREA: words.EREA_CODES[:2],
                EstablishmentKind.CFA: ("APP-PAT",)}[kind]

    def add_partners(self) -> None:
        statuses = [status for status, count in PARTNER_STATUSES for _ in range(count)]
        self.rng.shuffle(statuses)
        weights = [s.weight for s in words.SECTORS]
        names: set[str] = set()
        self.partners: list[Partner] = []
        self.sectors: list[words.Sector] = []
        self.managers: list[_Person] = []
        for status in statuses:
            sector = self.pick(words.SECTORS, weights)
            manager = self.person()
            self.partners.append(self.partner(sector, status, manager, names))
            self.sectors.append(sector)
            self.managers.append(manager)
        self.save(self.partners, "partners")

    def partner(self, sector: words.Sector, status: PartnerStatus, manager: _Person, names: set[str]) -> Partner:
        r = self.rng
        for _ in range(12):
            commune, postcode = self.commune()
            name = r.choice(sector.names).format(nom=r.choice(words.SURNAMES), prenom=r.choice(words.WOMEN + words.MEN),
                                                 commune=commune, de=_of(commune), lieu=r.choice(words.PLACES))
            if name not in names:
                break
        names.add(name)
        band = r.choices(list(HeadcountBand), words.HEADCOUNT_PROFILES[sector.size])[0]
        domain = f"{_slug(name.split(',')[0])}.fr"
        hazardous = any(word in sector.tags for word in ("BTP", "automobile", "industrie", "artisanat"))
        roles = words.MANAGER_ROLES[sector.kind]
        framework = r.random() < 0.08 and status is PartnerStatus.ACTIVE
        framework_start = self.days_ago(30, 1100) if framework else None
        extra = f"; {r.choice(words.EXTRA_TAGS)}" if r.random() < 0.3 else ""
        return self.new(
            Partner, name=name, siret=self.siret(sector.kind, postcode), legal_kind=sector.kind, naf_code=sector.naf,
            headcount_band=band, address=self.address(), postcode=postcode, commune=commune, phone=self.phone(postcode),
            email=f"contact@{domain}", website=f"https://www.{domain}" if r.random() < 0.35 else "", status=status,
            status_reason=self.status_reason(status), representative_name=manager.name,
            representative_role=self.role(roles[0] if band is HeadcountBand.MICRO else roles[-1], manager),
            insurer=r.choice(words.INSURERS), accepts_disability=r.random() < 0.25, accepts_pai=r.random() < 0.4,
            min_age=(r.choice((15, 16)) if hazardous and r.random() < 0.35 else 14 if r.random() < 0.04 else None),
            requires_protective_equipment=hazardous and r.random() < 0.9, interview_first=r.random() < 0.2,
            tags=sector.tags + extra, notes=r.choice(words.PARTNER_NOTES), framework_start=framework_start,
            framework_end=_add_years(framework_start, 3) if framework_start else None)

    def status_reason(self, status: PartnerStatus) -> str:
        reasons = {PartnerStatus.PAUSED: words.PAUSED_REASONS, PartnerStatus.PROSPECT: words.PROSPECT_REASONS,
                   PartnerStatus.DO_NOT_CONTACT: words.DO_NOT_CONTACT_REASONS}.get(status, ("",))
        return self.rng.choice(reasons)

    def add_contacts(self) -> None:
        indexes = range(len(self.partners))
        extra = Counter(self.rng.choices(indexes, [BAND_WEIGHTS[p.headcount_band] for p in self.partners],
                                         k=CONTACTS - len(self.partners)))
        self.contacts_of: list[list[Contact]] = []
        self.tutors_of: list[list[Contact]] = []
        for index in indexes:
            contacts = [self.contact(index, rank) for rank in range(1 + extra[index])]
            self.contacts_of.append(contacts)
            self.tutors_of.append([c for c in contacts if c.is_tutor])
        everyone = [c for contacts in self.contacts_of for c in contacts]
        self.save(everyone, "contacts")
        self.counts["tutors"] += sum(c.is_tutor for c in everyone)

    def contact(self, index: int, rank: int) -> Contact:
        partner, sector, r = self.partners[index], self.sectors[index], self.rng
        who = self.managers[index] if rank == 0 else self.person()
        engaged = partner.status in (PartnerStatus.ACTIVE, PartnerStatus.PAUSED)
        if rank == 0:
            tutor = partner.headcount_band is HeadcountBand.MICRO and r.random() < (0.5 if engaged else 0.1)
            role = partner.representative_role
        else:
            tutor = r.random() < (0.45 if engaged else 0.15)
            role = self.role(sector.tutor_role if tutor else r.choice(words.STAFF_ROLES), who)
        return self.new(Contact, partner_id=partner.id, first_name=who.first, last_name=who.last, role=role,
                        phone=self.mobile() if r.random() < 0.5 else partner.phone,
                        email=_email(who, partner.email.split("@")[1]), is_tutor=tutor,
                        consents_to_contact=r.random() < 0.95)

    def add_offers(self) -> None:
        hosts = [i for i, p in enumerate(self.partners) if p.status in (PartnerStatus.ACTIVE, PartnerStatus.PAUSED)]
        chosen = [i for i in hosts if self.partners[i].status is PartnerStatus.ACTIVE]  # one offer each, then more
        weights = [BAND_WEIGHTS[self.partners[i].headcount_band] for i in hosts]
        chosen += self.rng.choices(hosts, weights, k=OFFERS - len(chosen))
        offered: dict[int, set[str]] = {}
        offers: list[HostingOffer] = []
        self.hosts_by_code: dict[str, list[int]] = {}
        self.host_pools: dict[tuple[str, int], list[int]] = {}
        for index in chosen:
            free = [c for c in self.sectors[index].formations if c not in offered.setdefault(index, set())]
            code = self.rng.choice(free or self.sectors[index].formations)
            offered[index].add(code)
            offers.append(self.offer(index, code))
            if self.partners[index].status is PartnerStatus.ACTIVE and self.tutors_of[index]:
                hosts_of_code = self.hosts_by_code.setdefault(code, [])
                if index not in hosts_of_code:
                    hosts_of_code.append(index)
        self.save(offers, "offers")
        self.reserve(offers)

    def offer(self, index: int, code: str) -> HostingOffer:
        partner, spec, r = self.partners[index], self.specs[code], self.rng
        generic = spec.audience in (Audience.PFMP_CAP, Audience.PFMP_BACPRO) and r.random() < 0.15
        places = r.randint(1, 2) if partner.headcount_band is HeadcountBand.MICRO else r.randint(1, 5)
        return self.new(HostingOffer, partner_id=partner.id, audience=spec.audience,
                        formation_id=None if generic else self.formations[code].id, sector=partner.sector,
                        places=places, months=self.months(code), weeks=r.choice(words.OFFER_WEEKS),
                        max_requests_per_month=r.randint(2, 6) if r.random() < 0.25 else None,
                        last_confirmed_on=self.days_ago(3, 420), notes=r.choice(words.OFFER_NOTES))

    def months(self, code: str) -> str:
        r, audience = self.rng, self.specs[code].audience
        fixed = {"OBS-4E": "5,6", "2GT": "6", "OBS-3E": r.choice(("12,1", "1,2", "12,1,2", "1,2,3,11,12"))}
        if code in fixed:
            return fixed[code]
        if audience is Audience.APPRENTICESHIP:
            return ",".join(str(m) for m in range(1, 13))
        pool = (1, 2, 3, 4, 5, 6) if audience is Audience.STS else (1, 2, 3, 4, 5, 6, 10, 11, 12)
        return ",".join(str(m) for m in sorted(r.sample(pool, r.randint(2, 5))))

    def reserve(self, offers: list[HostingOffer]) -> None:
        rows = []
        for offer in offers:
            if self.rng.random() < 0.08:
                for school in self.rng.sample(self.schools, self.rng.randint(1, 2)):
                    rows.append({"offer_id": offer.id, "establishment_id": school.id})
        if rows:
            self.session.execute(insert(offer_reservation), rows)

    def add_visits(self) -> None:
        weights = {PartnerStatus.ACTIVE: 4, PartnerStatus.PROSPECT: 3, PartnerStatus.PAUSED: 1.5,
                   PartnerStatus.DO_NOT_CONTACT: 0.5}
        chosen = self.rng.choices(range(len(self.partners)), [weights[p.status] for p in self.partners], k=VISITS)
        self.save([self.visit(index) for index in chosen], "visits")

    def visit(self, index: int) -> Visit:
        r = self.rng
        visited = self.working_day_since(self.previous_start)
        kind = r.choices(list(VisitKind), (35, 35, 20, 5, 5))[0]
        contact = r.choice(self.contacts_of[index]) if r.random() < 0.7 else None
        action, due, done = "", None, None
        if r.random() < 0.6:
            action, due = r.choice(words.NEXT_ACTIONS), visited + timedelta(days=r.randint(7, 45))
            if due < self.today and r.random() < (0.92 if (self.today - due).days > 45 else 0.5):
                done = min(self.today, max(visited + timedelta(days=1), due + timedelta(days=r.randint(-6, 8))))
        return self.new(Visit, partner_id=self.partners[index].id, contact_id=contact.id if contact else None,
                        visited_on=visited, kind=kind, who=r.choice(words.VISITORS).format(animator=self.animator),
                        summary=r.choice(words.VISIT_SUMMARIES[kind.value]), outcome=r.choice(words.VISIT_OUTCOMES),
                        next_action=action, next_action_due=due, next_action_done_on=done)

    def add_escalations(self) -> None:
        statuses = [status for status, count in ESCALATION_STATUSES for _ in range(count)]
        self.rng.shuffle(statuses)
        self.placed: list[tuple[Escalation, int]] = []
        records: list[Travelling] = []
        for status in statuses:
            records.extend(self.escalation(status))
        self.save(records)
        self.counts["escalations"] += len(statuses)

    def escalation(self, status: S) -> list[Travelling]:
        r = self.rng
        school, code = self.school_and_formation()
        if status in OPEN:
            start, end = self.upcoming_period(code)
            received = min(self.days_ago(0, 30), start - timedelta(days=3))
        else:
            start, end = self.period(code)
            received = min(start - timedelta(days=r.randint(15, 70)), self.days_ago(2, 10))
            received = max(received, min(self.year_start + timedelta(days=1), start - timedelta(days=3)))
        pupil = self.pupil(school, code, start)
        asker = r.choice(self.staff[self.schools.index(school)])
        commune, postcode = (school.commune, school.postcode) if r.random() < 0.7 else self.commune()
        escalation = self.new(
            Escalation, establishment_id=school.id, pupil=pupil, asked_by_name=asker.name,
            asked_by_role=self.role(r.choice(words.ASKER_ROLES), asker),
            asked_by_email=_email(asker, "ac-nancy-metz.fr"), received_on=received,
            audience=self.specs[code].audience, formation_id=self.formations[code].id,
            period_start=start, period_end=end, mobility_commune=commune, mobility_postcode=postcode,
            mobility_radius_km=r.choice((5, 10, 10, 15, 20, 30)), mobility_means=r.choice(words.MOBILITY_MEANS),
            needs_accessibility=pupil.has_disability, needs_pai=pupil.has_pai, status=status)
        events = self.events(escalation, status, received, start)
        proposals = self.proposals(escalation, status, code, events, _age(pupil.birth_date, start))
        self.close(escalation, status, events)
        return [pupil, escalation, *events, *proposals]

    def school_and_formation(self) -> tuple[Establishment, str]:
        key = self.pick([k for k, _ in PUPIL_MIX], [w for _, w in PUPIL_MIX])
        weights = {PriorityEducation.REP_PLUS: 4, PriorityEducation.REP: 3, PriorityEducation.NONE: 1}
        pairs = [(school, code) for school, codes in zip(self.schools, self.school_codes, strict=True) for code in codes
                 if code == key or self.specs[code].audience == key]
        return self.pick(pairs, [weights[school.priority_education] for school, _ in pairs])

    def period(self, code: str) -> tuple[date, date]:
        """Monday to Friday, inside the formation's window of this school year and outside the holidays."""
        first, last = WINDOWS.get(code) or WINDOWS[self.specs[code].audience]
        first_day, last_day, length = self.in_school_year(first), self.in_school_year(last), self.length(code)
        monday, mondays = _monday_on_or_after(first_day), []
        while monday + length <= last_day:
            if not self.in_holidays(monday, monday + length):
                mondays.append(monday)
            monday += timedelta(days=7)
        start = self.rng.choice(mondays) if mondays else _monday_on_or_after(first_day)
        return start, start + length

    def upcoming_period(self, code: str) -> tuple[date, date]:
        """A period starting in 4 to 60 days (or the first free week after): an open request is urgent or soon."""
        start, length = _monday_on_or_after(self.today + timedelta(days=self.rng.randint(4, 60))), self.length(code)
        while self.in_holidays(start, start + length) and start < self.holidays[-1][1]:
            start += timedelta(days=7)
        return start, start + length

    def length(self, code: str) -> timedelta:
        """From the first Monday to the last working day of a period."""
        unit, low, high = LENGTHS.get(code) or LENGTHS[self.specs[code].audience]
        count = self.rng.randint(low, high)
        return timedelta(days=count - 1 if unit == "days" else count * 7 - 3)

    def in_holidays(self, start: date, end: date) -> bool:
        return any(start <= last and first <= end for first, last in self.holidays)

    def in_school_year(self, month_day: tuple[int, int]) -> date:
        month, day = month_day
        return date(self.year_start.year + (month < 9), month, day)

    def pupil(self, school: Establishment, code: str, start: date) -> Pupil:
        r, spec = self.rng, self.specs[code]
        ages, weights = AGES.get(code) or AGES[spec.audience]
        age = r.choices(ages, weights)[0]
        child, parent = self.person(young=True), self.person()
        if r.random() < 0.8:
            parent.last = child.last
        pai, disability = r.random() < 0.07, r.random() < 0.06
        needs = ("PAI : oui." if pai else "Mobilité réduite : accès de plain-pied." if disability else
                 r.choice(words.PUPIL_NEEDS))
        self.counts["pupils"] += 1
        pupil = self.new(Pupil, establishment_id=school.id, formation_id=self.formations[code].id,
                         first_name=child.first, last_name=child.last, birth_date=self.birth_date(age, start),
                         class_name=self.class_name(code, age), needs=needs, has_pai=pai, has_disability=disability)
        if age < 18:  # a minor's legal representative signs the convention (D124-4)
            pupil.representative_name = parent.name
            pupil.representative_email = _email(parent, r.choice(words.MAIL_PROVIDERS))
            pupil.representative_phone = self.mobile()
        return pupil

    def birth_date(self, age: int, on: date) -> date:
        latest = _add_years(on, -age)
        earliest = _add_years(on, -age - 1) + timedelta(days=1)
        return earliest + timedelta(days=self.rng.randint(0, (latest - earliest).days))

    def class_name(self, code: str, age: int) -> str:
        spec, letter = self.specs[code], self.rng.choice("ABCDEF")
        if spec.audience is Audience.OBSERVATION_4E_3E:
            return f"{spec.short} {letter}"
        if spec.audience is Audience.SECONDE_GT:
            return f"2nde {self.rng.randint(1, 9)}"
        if spec.audience is Audience.PFMP_BACPRO:
            return f"{('2nde pro', '1re pro', 'Tle pro')[min(2, max(0, age - 15))]} {spec.short}"
        level = "1re" if age <= (16 if spec.audience is Audience.PFMP_CAP else 19) else "2e"
        return f"{level} année {'BTS' if spec.audience is Audience.STS else 'CAP'} {spec.short}"

    def events(self, escalation: Escalation, status: S, received: date, start: date) -> list[EscalationEvent]:
        r = self.rng
        limit = {S.PLACED: start - timedelta(days=1), S.CLOSED_UNSOLVED: start + timedelta(days=2)}.get(status, start)
        limit = max(received, min(self.today, limit))
        path = STATUS_PATHS[status]
        if status is S.WITHDRAWN and r.random() < 0.6:
            path = (S.RECEIVED, S.SEARCHING, S.WITHDRAWN)
        first = datetime.combine(received, time(r.randint(8, 9), r.choice((0, 15, 30, 45))))
        span = (limit - received).days
        later = sorted(datetime.combine(received + timedelta(days=r.randint(0, span)),
                                        time(r.randint(10, 17), r.choice((0, 15, 30, 45)))) for _ in path[1:])
        reasons = {S.WITHDRAWN: words.WITHDRAWN_REASONS, S.CLOSED_UNSOLVED: words.UNSOLVED_REASONS}
        return [self.new(EscalationEvent, escalation=escalation, at=at, from_status=path[i - 1] if i else None,
                         to_status=to, reason=r.choice(reasons[to]) if to in reasons else "")
                for i, (at, to) in enumerate(zip([first, *later], path, strict=True))]

    def proposals(self, escalation: Escalation, status: S, code: str, events: list[EscalationEvent],
                  age: int) -> list[Proposal]:
        r = self.rng
        count = {S.RECEIVED: 0, S.SEARCHING: r.randint(0, 2), S.PROPOSED: r.randint(1, 3), S.PLACED: r.randint(1, 3),
                 S.CLOSED_UNSOLVED: r.randint(2, 4), S.WITHDRAWN: r.randint(0, 1)}[status]
        first, last = events[min(1, len(events) - 1)].at.date(), events[-1].at.date()
        days = sorted(first + timedelta(days=r.randint(0, (last - first).days)) for _ in range(count))
        hosts: list[int] = []
        for _ in range(count):
            host = self.host_for(code, age)
            if host not in hosts:
                hosts.append(host)
        proposals = []
        for n, (index, day) in enumerate(zip(hosts, days)):
            final = n == len(hosts) - 1
            answer = (ProposalAnswer.ACCEPTED if final and status is S.PLACED else
                      ProposalAnswer.WAITING if final and status is S.PROPOSED else
                      r.choice((ProposalAnswer.REFUSED, ProposalAnswer.REFUSED, ProposalAnswer.NO_ANSWER)))
            answered = {ProposalAnswer.ACCEPTED: last,
                        ProposalAnswer.REFUSED: min(last, day + timedelta(days=r.randint(0, 4)))}
            contacts = self.tutors_of[index] or self.contacts_of[index]
            channel = r.choice((VisitKind.PHONE, VisitKind.PHONE, VisitKind.EMAIL, VisitKind.VISIT))
            proposals.append(self.new(
                Proposal, escalation=escalation, partner_id=self.partners[index].id, contact_id=r.choice(contacts).id,
                contacted_on=day, channel=channel, answer=answer,
                refusal_reason=r.choice(words.REFUSALS) if answer is ProposalAnswer.REFUSED else "",
                answered_on=answered.get(answer)))
            if answer is ProposalAnswer.ACCEPTED:
                self.placed.append((escalation, index))
        return proposals

    def close(self, escalation: Escalation, status: S, events: list[EscalationEvent]) -> None:
        if status in OPEN:
            return
        escalation.closed_on = events[-1].at.date()
        escalation.status_reason = events[-1].reason
        if status is S.PLACED:
            escalation.outcome = "Stage trouvé dans une structure du réseau du pôle."
        else:
            escalation.outcome = events[-1].reason

    def host_for(self, code: str, age: int) -> int:
        """A partner index able to host this pupil: an offer for the formation, a tutor, the right age."""
        if (code, age) not in self.host_pools:
            self.host_pools[code, age] = self.host_pool(code, age)
        return self.rng.choice(self.host_pools[code, age])

    def host_pool(self, code: str, age: int) -> list[int]:
        pool = self.hosts_by_code.get(code) or [i for c in sorted(self.hosts_by_code) for i in self.hosts_by_code[c]
                                                if self.specs[c].audience == self.specs[code].audience]
        pool = pool or [i for c in sorted(self.hosts_by_code) for i in self.hosts_by_code[c]]
        # Under 14, a private company may only host a pupil of the family (L4153-5): keep to public hosts.
        fitting = [i for i in pool if (self.partners[i].min_age or 0) <= age
                   and (age >= 14 or self.partners[i].legal_kind is not LegalKind.COMPANY)]
        return fitting or pool

    def add_placements(self) -> None:
        placements: list[Placement] = []
        self.days: list[list[dict[str, Any]]] = []
        self.amendments: list[dict[str, Any] | None] = []
        for escalation, index in self.placed:
            code = next(c for c, f in self.formations.items() if f.id == escalation.formation_id)
            placements.append(self.placement(escalation.pupil, code, index, escalation.period_start,
                                             escalation.period_end, escalation))
        while len(placements) < PLACEMENTS:
            school, code = self.school_and_formation()
            start, end = self.period(code)
            placements.append(self.placement(self.pupil(school, code, start), code, None, start, end, None))
        self.save(placements, "placements")
        self.save([self.new(TimetableDay, placement_id=placement.id, **day)
                   for placement, days in zip(placements, self.days, strict=True) for day in days])
        self.save([self.new(Amendment, placement_id=placement.id, **amendment)
                   for placement, amendment in zip(placements, self.amendments, strict=True) if amendment])

    def placement(self, pupil: Pupil, code: str, index: int | None, start: date, end: date,
                  escalation: Escalation | None) -> Placement:
        r, spec = self.rng, self.specs[code]
        index, tutor = self.host_and_tutor(code, _age(pupil.birth_date, start), index)
        self.tutor_load[tutor.id] += 1
        referent = r.choice(self.staff[[s.id for s in self.schools].index(pupil.establishment_id)])
        activities, skills = words.ACTIVITIES[spec.audience]
        placement = self.new(
            Placement, pupil=pupil, establishment_id=pupil.establishment_id, partner_id=self.partners[index].id,
            tutor_id=tutor.id, escalation_id=escalation.id if escalation else None,
            referent_teacher_name=referent.name, referent_teacher_email=_email(referent, "ac-nancy-metz.fr"),
            audience=spec.audience, formation_id=self.formations[code].id, start_date=start, end_date=end,
            activities=activities, skills=skills, site_address=self.address() if r.random() < 0.1 else "",
            meals=r.choice(words.MEALS), transport=r.choice(words.TRANSPORT), accommodation="Sans objet.",
            gratification="Non due : durée inférieure à deux mois.")
        self.set_convention(placement)
        self.days.append(self.timetable(placement, code, self.sectors[index]))
        amend = (placement.convention_status is ConventionStatus.SIGNED and r.random() < 0.06
                 and spec.audience in (Audience.PFMP_CAP, Audience.PFMP_BACPRO, Audience.STS))
        self.amendments.append(self.amend(placement) if amend else None)
        return placement

    def host_and_tutor(self, code: str, age: int, index: int | None) -> tuple[int, Contact]:
        """The host and a tutor of it with fewer than 3 pupils (R124-13), or the given host's least busy tutor."""
        if index is not None:  # the partner that accepted the escalation's proposal
            return index, min(self.tutors_of[index], key=lambda t: self.tutor_load[t.id])
        for _ in range(30):
            index = self.host_for(code, age)
            tutor = next((t for t in self.tutors_of[index] if self.tutor_load[t.id] < 3), None)
            if tutor is not None:
                return index, tutor
        return index, self.tutors_of[index][0]

    def set_convention(self, placement: Placement) -> None:
        r, start = self.rng, placement.start_date
        c = ConventionStatus
        if placement.end_date < self.today:
            status = r.choices((c.SIGNED, c.SIGNED_OUTSIDE, c.CANCELLED), (65, 25, 10))[0]
        elif start <= self.today + timedelta(days=21):
            status = r.choices((c.SIGNED, c.SIGNED_OUTSIDE, c.PRINTED, c.CANCELLED), (60, 10, 25, 5))[0]
        else:
            status = r.choices((c.DRAFT, c.PRINTED, c.SIGNED), (50, 35, 15))[0]
        printed = min(self.today, start - timedelta(days=r.randint(10, 40)))
        placement.convention_status = status
        if status in (ConventionStatus.PRINTED, ConventionStatus.SIGNED, ConventionStatus.CANCELLED):
            placement.printed_on = printed
        if status in (ConventionStatus.SIGNED, ConventionStatus.SIGNED_OUTSIDE):
            placement.signed_on = min(self.today, printed + timedelta(days=r.randint(2, 9)))
        if status is ConventionStatus.CANCELLED:
            placement.cancelled_on = min(self.today, printed + timedelta(days=r.randint(1, 8)))

    def timetable(self, placement: Placement, code: str, sector: words.Sector) -> list[dict[str, Any]]:
        observation = self.specs[code].audience in (Audience.OBSERVATION_4E_3E, Audience.SECONDE_GT)
        key = "observation" if observation else TIMETABLE_BY_DIVISION.get(sector.naf[:2], "standard")
        start, end, pause, resume = TIMETABLES[key]
        worked = min(5, (placement.end_date - placement.start_date).days + 1)
        days = []
        for weekday in range(worked):
            if observation and weekday == 2 and worked == 5:  # Wednesday morning only, as at school
                days.append(dict(weekday=2, start=start, end=pause))
            else:
                days.append(dict(weekday=weekday, start=start, end=end, break_start=pause, break_end=resume))
        return days

    def amend(self, placement: Placement) -> dict[str, Any] | None:
        """An avenant that lengthens a signed placement by a week (the placement shows the new end)."""
        new_end = placement.end_date + timedelta(days=7)
        if self.in_holidays(placement.start_date, new_end) or placement.signed_on is None:
            return None
        created = min(self.today, placement.signed_on + timedelta(days=self.rng.randint(3, 20)))
        signed = created + timedelta(days=self.rng.randint(1, 6))
        changes = {"end_date": [placement.end_date.isoformat(), new_end.isoformat()]}
        placement.end_date = new_end
        return dict(number=1, created_on=created, changes=json.dumps(changes),
                    reason="Prolongation d'une semaine à la demande du tuteur.",
                    signed_on=signed if signed <= self.today else None)

    def add_trainings(self) -> None:
        tutors = [t for tutors in self.tutors_of for t in tutors]
        sessions, registrations = [], []
        for number, day in enumerate(self.training_days()):
            session = self.training(number, day)
            sessions.append(session)
            registrations.extend(self.registrations(session, number, tutors))
        self.save(sessions, "training_sessions")
        self.save(registrations, "registrations")

    def training_days(self) -> list[date]:
        """The last sessions held and the next ones, on the pole's calendar (a Tuesday or a Thursday)."""
        days = []
        for year in range(self.year_start.year - 2, self.year_start.year + 2):
            for month, day in TRAINING_CALENDAR:
                first = date(year + (month < 9), month, day)
                days.append(first + timedelta(days=(1 + 2 * (month % 2) - first.weekday()) % 7))
        past = [d for d in days if d < self.today][-PAST_TRAININGS:]
        return past + [d for d in days if d > self.today + timedelta(days=6)][:UPCOMING_TRAININGS]

    def training(self, number: int, day: date) -> TrainingSession:
        r = self.rng
        title, theme = words.TRAINING_THEMES[number]
        start, end = r.choice(((time(9), time(12)), (time(14), time(17)), (time(9), time(16, 30))))
        lp = r.choice([s for s in self.schools if s.kind in (EstablishmentKind.LP, EstablishmentKind.LPO)])
        status = (TrainingStatus.CANCELLED if number == CANCELLED_TRAINING else
                  TrainingStatus.HELD if day < self.today else TrainingStatus.PLANNED)
        inspector = self.person()
        trainer = r.choice((self.animator, f"{self.animator} et {lp.referent_name}",
                            f"{inspector.name}, {'inspectrice' if inspector.woman else 'inspecteur'} de "
                            "l'éducation nationale"))
        return self.new(TrainingSession, title=title, theme=theme, session_date=day, start_time=start, end_time=end,
                        place=r.choice(words.TRAINING_PLACES).format(school=lp.name, seat=self.bassin.name),
                        trainer=trainer,
                        capacity=15 if number == FULL_TRAINING else r.choice((12, 15, 18, 20)), status=status,
                        notes="Annulée faute de participants." if status is TrainingStatus.CANCELLED else "")

    def registrations(self, session: TrainingSession, number: int, tutors: list[Contact]) -> list[Registration]:
        r, day = self.rng, session.session_date
        held = session.status is TrainingStatus.HELD
        registered = (session.capacity + 4 if number == FULL_TRAINING else 4 if number == CANCELLED_TRAINING else
                      r.randint(8, session.capacity) if held else r.randint(3, session.capacity - 2))
        invited_only = r.randint(3, 8)
        rows = []
        for n, tutor in enumerate(r.sample(tutors, min(len(tutors), registered + invited_only))):
            invited = min(self.today - timedelta(days=r.randint(0, 10)), day - timedelta(days=r.randint(30, 45)))
            signed_up = min(self.today, invited + timedelta(days=r.randint(1, 14))) if n < registered else None
            attended = held and signed_up is not None and r.random() < 0.85
            attestation = day + timedelta(days=r.randint(1, 10)) if attended else None
            cancelled = session.status is TrainingStatus.CANCELLED and signed_up is not None
            rows.append(self.new(
                Registration, session=session, contact_id=tutor.id, invited_on=invited, registered_on=signed_up,
                waitlisted=signed_up is not None and n >= session.capacity, attended=attended,
                attestation_issued_on=attestation if attestation and attestation <= self.today else None,
                cancelled_on=day - timedelta(days=5) if cancelled else None))
        return rows

    def add_actions(self) -> None:
        this_year, last_year = school_year_of(self.today), school_year_of(self.previous_start)
        plans = [(this_year, spec) for spec in words.ACTIONS]
        plans += [(last_year, spec) for spec in self.rng.sample(words.ACTIONS, 3)]
        actions = []
        for year, (axis, title, description, indicator) in plans:
            status = (self.rng.choice((ActionStatus.DONE, ActionStatus.DONE, ActionStatus.DROPPED)) if year == last_year
                      else self.rng.choice((ActionStatus.PLANNED, ActionStatus.RUNNING, ActionStatus.RUNNING,
                                            ActionStatus.DONE)))
            actions.append(self.new(Action, school_year=year, axis=ActionAxis(axis), title=title,
                                    description=description, status=status, indicator=indicator))
        self.save(actions, "actions")
        active = [p for p in self.partners if p.status is PartnerStatus.ACTIVE]
        partner_rows = [{"action_id": a.id, "partner_id": p.id} for a in actions
                        for p in self.rng.sample(active, self.rng.randint(2, 6))]
        school_rows = [{"action_id": a.id, "establishment_id": s.id} for a in actions
                       for s in self.rng.sample(self.schools, self.rng.randint(1, 4))]
        self.session.execute(insert(action_partner), partner_rows)
        self.session.execute(insert(action_establishment), school_rows)

    # -- identifiers ----------------------------------------------------------------------------------------------
    def siret(self, kind: LegalKind, postcode: str) -> str | None:
        """A SIRET that passes the Luhn check (SIREN key, then the 14 digits), or None for some associations."""
        r, department = self.rng, postcode[:2]
        if kind is LegalKind.ASSOCIATION and r.random() < 0.3:
            return None
        while True:
            body = {LegalKind.LOCAL_AUTHORITY: f"21{department}{r.randint(0, 9999):04d}",
                    LegalKind.PUBLIC_BODY: f"26{department}{r.randint(0, 9999):04d}",
                    LegalKind.ADMINISTRATION: f"11{r.randint(0, 999999):06d}",
                    LegalKind.ASSOCIATION: f"{r.choice('4578')}{r.randint(0, 9999999):07d}"}.get(
                kind, f"{r.randint(3, 9)}{r.randint(0, 9999999):07d}")
            siren = body + _luhn_key(body)
            nic = f"{r.choice((1, 1, 1, 1, 2, 2, 3, 4, 5, 7)):04d}"
            siret = siren + nic + _luhn_key(siren + nic)
            if siret not in self.shared.sirets and not siren.startswith("356000000"):  # La Poste has its own rule
                self.shared.sirets.add(siret)
                return siret

    def uai(self, postcode: str) -> str:
        while True:
            body = f"0{postcode[:2]}{self.rng.randint(0, 9999):04d}"
            uai = body + UAI_LETTERS[int(body) % 23]
            if uai not in self.shared.uais:
                self.shared.uais.add(uai)
                return uai


def _luhn_key(body: str) -> str:
    """The digit that, appended to `body`, makes the whole pass the Luhn check."""
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char) * (2 if position % 2 == 0 else 1)  # doubled: odd places once the key is appended
        total += digit - 9 if digit > 9 else digit
    return str(-total % 10)


def _of(place: str) -> str:
    """'de Nancy', "d'Épinal", 'du Ban-Saint-Martin': the French preposition before a place name."""
    if place.startswith("Le "):
        return f"du {place[3:]}"
    if place.startswith("Les "):
        return f"des {place[4:]}"
    return f"d'{place}" if fold(place[0]) in "aeiouy" else f"de {place}"


def _slug(text: str, separator: str = "-") -> str:
    return re.sub(r"[^a-z0-9]+", separator, fold(text).replace("'", "")).strip(separator)


def _email(person: _Person, domain: str) -> str:
    return f"{_slug(person.first)}.{_slug(person.last)}@{domain}"


def _count(number: int, singular: str, plural: str) -> str:
    """'1 500 contacts', grouped the French way with a narrow no-break space."""
    return f"{number:,}".replace(",", "\u202f") + " " + (singular if number <= 1 else plural)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _age(birth: date | None, on: date) -> int:
    assert birth is not None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=-day.weekday() % 7)


def _weekday_on_or_before(day: date) -> date:
    return day - timedelta(days=max(0, day.weekday() - 4))
