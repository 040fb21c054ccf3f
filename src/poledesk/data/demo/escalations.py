"""The demo's escalations: pupils, their periods, the escalation workflow's events, and proposals to hosts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from poledesk.data.demo import names as words
from poledesk.data.demo.builder import add_years, email_of, monday_on_or_after
from poledesk.data.demo.network import NetworkBuilder
from poledesk.data.enums import Audience, EscalationStatus, LegalKind, PriorityEducation, ProposalAnswer, VisitKind
from poledesk.data.models import Escalation, EscalationEvent, Establishment, Proposal, Pupil, Travelling
from poledesk.data.pupils import age_on

S = EscalationStatus
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
# Closed cases of a past school year whose purge date has passed: a fresh demo always has pupils to purge.
PAST_CASES = ((S.CLOSED_UNSOLVED, 7), (S.WITHDRAWN, 5))
# Placement windows in the school year ((month, day) first and last day), and the length in days or weeks.
WINDOWS = {"OBS-4E": ((4, 26), (6, 19)), "OBS-3E": ((11, 16), (2, 27)), "2GT": ((6, 8), (6, 26)),
           Audience.PFMP_CAP: ((10, 5), (6, 5)), Audience.PFMP_BACPRO: ((10, 5), (6, 5)),
           Audience.STS: ((1, 4), (6, 26))}
LENGTHS = {"OBS-4E": ("days", 2, 5), "OBS-3E": ("days", 5, 5), "2GT": ("weeks", 2, 2),
           Audience.PFMP_CAP: ("weeks", 3, 6), Audience.PFMP_BACPRO: ("weeks", 3, 6), Audience.STS: ("weeks", 5, 8)}


class EscalationBuilder(NetworkBuilder):
    """The stages of the escalations, on the network's schools and hosts; pupils and periods for placements too."""

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
            asked_by_email=email_of(asker, "ac-nancy-metz.fr"), received_on=received,
            audience=self.specs[code].audience, formation_id=self.formations[code].id,
            period_start=start, period_end=end, mobility_commune=commune, mobility_postcode=postcode,
            mobility_radius_km=r.choice((5, 10, 10, 15, 20, 30)), mobility_means=r.choice(words.MOBILITY_MEANS),
            needs_accessibility=pupil.has_disability, needs_pai=pupil.has_pai, status=status)
        events = self.events(escalation, status, received, start)
        assert pupil.birth_date is not None   # every demo pupil has one
        proposals = self.proposals(escalation, status, code, events, age_on(pupil.birth_date, start))
        self.close(escalation, status, events)
        return [pupil, escalation, *events, *proposals]

    def add_past_cases(self) -> None:
        """Closed cases of the last school year whose purge day (31 October) has passed, or of the year before."""
        purge_passed = self.today > date(self.year_start.year, 10, 31)
        past = self.previous_start if purge_passed else date(self.previous_start.year - 1, 9, 1)
        records: list[Travelling] = []
        for status, count in PAST_CASES:
            for _ in range(count):
                school, code = self.school_and_formation()
                start = monday_on_or_after(past + timedelta(days=self.rng.randint(60, 240)))
                end = start + self.length(code)
                received = start - timedelta(days=self.rng.randint(15, 40))
                pupil = self.pupil(school, code, start)
                asker = self.rng.choice(self.staff[self.schools.index(school)])
                escalation = self.new(
                    Escalation, establishment_id=school.id, pupil=pupil, asked_by_name=asker.name,
                    asked_by_role=self.role(self.rng.choice(words.ASKER_ROLES), asker),
                    asked_by_email=email_of(asker, "ac-nancy-metz.fr"), received_on=received,
                    audience=self.specs[code].audience, formation_id=self.formations[code].id, period_start=start,
                    period_end=end, needs_accessibility=pupil.has_disability, needs_pai=pupil.has_pai, status=status)
                events = self.events(escalation, status, received, start)
                self.close(escalation, status, events)
                records.extend([pupil, escalation, *events])
        self.save(records)
        self.counts["escalations"] += sum(count for _, count in PAST_CASES)

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
        monday, mondays = monday_on_or_after(first_day), []
        while monday + length <= last_day:
            if not self.in_holidays(monday, monday + length):
                mondays.append(monday)
            monday += timedelta(days=7)
        start = self.rng.choice(mondays) if mondays else monday_on_or_after(first_day)
        return start, start + length

    def upcoming_period(self, code: str) -> tuple[date, date]:
        """A period starting in 4 to 60 days (or the first free week after): an open request is urgent or soon."""
        start, length = monday_on_or_after(self.today + timedelta(days=self.rng.randint(4, 60))), self.length(code)
        while self.in_holidays(start, start + length) and start < self.holidays[-1][1]:
            start += timedelta(days=7)
        return start, start + length

    def length(self, code: str) -> timedelta:
        """From the first Monday to the last working day of a period."""
        unit, low, high = LENGTHS.get(code) or LENGTHS[self.specs[code].audience]
        count = self.rng.randint(low, high)
        return timedelta(days=count - 1 if unit == "days" else count * 7 - 3)

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
            pupil.representative_email = email_of(parent, r.choice(words.MAIL_PROVIDERS))
            pupil.representative_phone = self.mobile()
        return pupil

    def birth_date(self, age: int, on: date) -> date:
        latest = add_years(on, -age)
        earliest = add_years(on, -age - 1) + timedelta(days=1)
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
        for n, (index, day) in enumerate(zip(hosts, days, strict=False)):
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
