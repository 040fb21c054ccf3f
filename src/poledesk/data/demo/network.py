"""The demo's network: schools and their formations, then partners, contacts, hosting offers and visits."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import insert

from poledesk.data.demo import names as words
from poledesk.data.demo.builder import DemoBuilder, Person, add_years, email_of, of_place, slug
from poledesk.data.enums import (
    Audience,
    EstablishmentKind,
    HeadcountBand,
    PartnerStatus,
    PriorityEducation,
    VisitKind,
)
from poledesk.data.models import (
    Contact,
    Establishment,
    EstablishmentFormation,
    Formation,
    HostingOffer,
    Partner,
    Visit,
    offer_reservation,
)
from poledesk.data.text import school_year_of

PARTNERS, CONTACTS, OFFERS, VISITS = 600, 1500, 800, 2000
PARTNER_STATUSES = ((PartnerStatus.ACTIVE, 470), (PartnerStatus.PROSPECT, 70), (PartnerStatus.PAUSED, 36),
                    (PartnerStatus.DO_NOT_CONTACT, 24))
BAND_WEIGHTS = {HeadcountBand.MICRO: 1, HeadcountBand.SMALL: 2, HeadcountBand.MEDIUM: 3, HeadcountBand.LARGE: 4}
PUPIL_COUNTS = {Audience.OBSERVATION_4E_3E: (90, 190), Audience.SECONDE_GT: (220, 420), Audience.PFMP_CAP: (24, 40),
                Audience.PFMP_BACPRO: (45, 90), Audience.STS: (24, 60), Audience.APPRENTICESHIP: (20, 60)}


class NetworkBuilder(DemoBuilder):
    """The stages of the pole's network: what escalations and placements are drawn from."""

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
                        referent_email=email_of(referent, "ac-nancy-metz.fr"), referent_phone=self.phone(postcode),
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
        self.managers: list[Person] = []
        for status in statuses:
            sector = self.pick(words.SECTORS, weights)
            manager = self.person()
            self.partners.append(self.partner(sector, status, manager, names))
            self.sectors.append(sector)
            self.managers.append(manager)
        self.save(self.partners, "partners")

    def partner(self, sector: words.Sector, status: PartnerStatus, manager: Person, names: set[str]) -> Partner:
        r = self.rng
        for _ in range(12):
            commune, postcode = self.commune()
            name = r.choice(sector.names).format(nom=r.choice(words.SURNAMES), prenom=r.choice(words.WOMEN + words.MEN),
                                                 commune=commune, de=of_place(commune), lieu=r.choice(words.PLACES))
            if name not in names:
                break
        names.add(name)
        band = r.choices(list(HeadcountBand), words.HEADCOUNT_PROFILES[sector.size])[0]
        domain = f"{slug(name.split(',')[0])}.fr"
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
            framework_end=add_years(framework_start, 3) if framework_start else None)

    def status_reason(self, status: PartnerStatus) -> str:
        reasons = {PartnerStatus.PAUSED: words.PAUSED_REASONS, PartnerStatus.PROSPECT: words.PROSPECT_REASONS,
                   PartnerStatus.DO_NOT_CONTACT: words.DO_NOT_CONTACT_REASONS}.get(status, ("",))
        return self.rng.choice(reasons)

    def add_contacts(self) -> None:
        indexes = range(len(self.partners))
        extra = Counter(self.rng.choices(indexes, [_band_weight(p) for p in self.partners],
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
                        email=email_of(who, partner.email.split("@")[1]), is_tutor=tutor,
                        consents_to_contact=r.random() < 0.95)

    def add_offers(self) -> None:
        hosts = [i for i, p in enumerate(self.partners) if p.status in (PartnerStatus.ACTIVE, PartnerStatus.PAUSED)]
        chosen = [i for i in hosts if self.partners[i].status is PartnerStatus.ACTIVE]  # one offer each, then more
        weights = [_band_weight(self.partners[i]) for i in hosts]
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


def _band_weight(partner: Partner) -> int:
    """How likely a demo partner is to get one more contact or offer: bigger firms more (every one has a band)."""
    assert partner.headcount_band is not None
    return BAND_WEIGHTS[partner.headcount_band]
