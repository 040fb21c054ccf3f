"""The demo's past: when partners and offers were first recorded, last school year's escalations and placements,
and the programme d'actions with dates, targets and bilans; so every figure has a year to be compared with."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from poledesk.data.clock import uuid7
from poledesk.data.demo import names as words
from poledesk.data.demo.activity import ActivityBuilder
from poledesk.data.demo.escalations import S
from poledesk.data.enums import ActionAxis, ActionReview, ActionStatus, PartnerStatus
from poledesk.data.models import Action, Amendment, Escalation, HostingOffer, TimetableDay, Travelling
from poledesk.data.pupils import age_on
from poledesk.data.text import school_year_of

# Last school year's escalations, all closed by now: (status, count).
PAST_ESCALATIONS = ((S.PLACED, 44), (S.CLOSED_UNSOLVED, 18), (S.WITHDRAWN, 8))
PAST_PLACEMENTS = 200        # last school year's placements, those found through an escalation included
NEW_THIS_YEAR = 0.08
EXTRA_LAST_YEAR = 3           # actions added to last year's programme (the activity layer plans three)
SHARED_PER_POLE = 3           # partners a pole shares with the first pole of its department (académie demo)
# The indicator an action aims to move, by a word of its title (first match), else by its axis.
INDICATOR_WORDS = (("tuteur", "tutors_trained"), ("visite", "visits"), ("convention", "conventions_signed"),
                   ("entreprise", "partners_new"), ("partenaire", "partners_new"), ("3e", "unplaced_0_days"),
                   ("handicap", "equity_needs_solved"), ("prioritaire", "equity_needs_solved"))
AXIS_INDICATORS = {"1": "escalations_solved_share", "2": "partners_active", "3": "attendance_rate"}
TARGETS = {"tutors_trained": ("40", "36"), "visits": ("1 800", "1 650"), "conventions_signed": ("250", "231"),
           "partners_new": ("40", "31"), "unplaced_0_days": ("0", "3"), "equity_needs_solved": ("10", "7"),
           "escalations_solved_share": ("60 %", "54 %"), "partners_active": ("480", "468"),
           "attendance_rate": ("85 %", "86 %")}
RESULTS = {ActionReview.DONE: "Action menée comme prévue ; la cible est atteinte ou presque.",
           ActionReview.PARTLY: "Action menée en partie : une étape a été reportée faute de disponibilités.",
           ActionReview.NOT_DONE: "Action reportée : les partenaires n'étaient pas disponibles aux dates prévues."}


def uid_on(day: date) -> str:
    """A uid that says the record was created on `day` (the indicators read creation days from uids)."""
    moment = datetime.combine(day, time(10), tzinfo=UTC)
    return uuid7(ms=int(moment.timestamp() * 1000))


class HistoryBuilder(ActivityBuilder):
    """The last layer: it dates the network and adds the school year before this one."""

    def add_actions(self) -> None:
        super().add_actions()
        self.complete_last_programme()
        self.date_the_network()
        self.add_last_year()
        self.plan_and_review_actions()
        self.share_partners()

    def share_partners(self) -> None:
        """The first pole of a department lends a few SIRET-less partners to the next ones: the same association,
        known to two poles, is what the coordinator's « partenaires partagés » finds."""
        without_siret = [p for p in self.partners if p.siret is None][:SHARED_PER_POLE]
        department = self.bassin.communes[0][1][:2]
        known = self.shared.regional.get(department)
        if known is None:
            self.shared.regional[department] = [(p.name, p.commune, p.postcode, p.address) for p in without_siret]
            return
        for partner, (name, commune, postcode, address) in zip(without_siret, known, strict=False):
            partner.name, partner.commune, partner.postcode, partner.address = name, commune, postcode, address
        self.session.flush()

    def complete_last_programme(self) -> None:
        """Last year's programme gets as many actions again, so that its bilan reads like a year's."""
        last_year = school_year_of(self.previous_start)
        done = set(self.session.scalars(select(Action.title).where(Action.owner == self.code,
                                                                    Action.school_year == last_year)))
        specs = [spec for spec in words.ACTIONS if spec[1] not in done][:EXTRA_LAST_YEAR]
        actions = [self.new(Action, school_year=last_year, axis=ActionAxis(axis), title=title, description=text,
                            status=self.rng.choice((ActionStatus.DONE, ActionStatus.DONE, ActionStatus.DROPPED)))
                   for axis, title, text, _indicator in specs]
        self.save(actions, "actions")
        active = [p for p in self.partners if p.status is PartnerStatus.ACTIVE]
        for action in actions:
            action.partners = self.rng.sample(active, self.rng.randint(2, 5))
            action.establishments = self.rng.sample(self.schools, self.rng.randint(1, 3))
        self.session.flush()

    def date_the_network(self) -> None:
        r = self.rng
        created_on: dict[int, date] = {}
        for partner in self.partners:
            recent = r.random() < NEW_THIS_YEAR
            first = self.year_start + timedelta(days=r.randint(0, max(1, (self.today - self.year_start).days)))
            created = min(first if recent else self.year_start - timedelta(days=r.randint(30, 1400)), self.today)
            partner.uid, created_on[partner.id] = uid_on(created), created
        # One query for the pole's offers (partner.offers would load them partner by partner).
        for offer in self.session.scalars(select(HostingOffer).where(HostingOffer.owner == self.code)
                                          .order_by(HostingOffer.id)):
            created = created_on[offer.partner_id]
            latest = min(offer.last_confirmed_on or self.today, self.today)
            offer.uid = uid_on(created + timedelta(days=r.randint(0, max(0, (latest - created).days))))
        self.session.flush()

    def add_last_year(self) -> None:
        """Closed escalations and their placements, in the previous school year's windows."""
        this_start = self.year_start
        self.year_start = self.previous_start      # period() draws in the school year that year_start opens
        try:
            records: list[Travelling] = []
            self.placed = []
            for status, count in PAST_ESCALATIONS:
                for _ in range(count):
                    records.extend(self.past_escalation(status))
            self.save(records)
            self.counts["escalations"] += sum(count for _, count in PAST_ESCALATIONS)
            self.days, self.amendments = [], []
            self.tutor_load = Counter()      # R124-13 counts a tutor's conventions at once: last year's apart
            placements = [self.placement(e.pupil, next(c for c, f in self.formations.items()
                                                       if f.id == e.formation_id), index, e.period_start,
                                         e.period_end, e) for e, index in self.placed]
            while len(placements) < PAST_PLACEMENTS:
                school, code = self.school_and_formation()
                start, end = self.period(code)
                placements.append(self.placement(self.pupil(school, code, start), code, None, start, end, None))
            self.save(placements, "placements")
            self.save([self.new(TimetableDay, placement_id=p.id, **day)
                       for p, days in zip(placements, self.days, strict=True) for day in days])
            self.save([self.new(Amendment, placement_id=p.id, **amendment)
                       for p, amendment in zip(placements, self.amendments, strict=True) if amendment])
        finally:
            self.year_start = this_start

    def past_escalation(self, status: S) -> list[Travelling]:
        r = self.rng
        school, code = self.school_and_formation()
        start, end = self.period(code)
        received = max(self.previous_start + timedelta(days=2), start - timedelta(days=r.randint(15, 70)))
        pupil = self.pupil(school, code, start)
        escalation = self.new(
            Escalation, establishment_id=school.id, pupil=pupil, received_on=received,
            asked_by_name="", audience=self.specs[code].audience, formation_id=self.formations[code].id,
            period_start=start, period_end=end, needs_accessibility=pupil.has_disability, needs_pai=pupil.has_pai,
            status=status)
        events = self.events(escalation, status, received, start)
        age = age_on(pupil.birth_date, start) if pupil.birth_date else 15   # the demo always draws a birth date
        proposals = self.proposals(escalation, status, code, events, age)
        self.close(escalation, status, events)
        return [pupil, escalation, *events, *proposals]

    def plan_and_review_actions(self) -> None:
        r = self.rng
        for action in self.session.scalars(select(Action).where(Action.owner == self.code)):
            key = next((k for word, k in INDICATOR_WORDS if word in action.title.lower()),
                       AXIS_INDICATORS[action.axis.value])
            target, measured = TARGETS[key]
            first_year = int(action.school_year[:4])
            start = date(first_year, r.choice((9, 10, 11, 1, 2, 3)), r.randint(1, 28))
            start = start if start.month >= 9 else start.replace(year=first_year + 1)
            action.indicator, action.target = key, target
            action.starts_on, action.ends_on = start, min(start + timedelta(days=r.randint(0, 120)),
                                                          date(first_year + 1, 6, 30))
            reviewed = action.status in (ActionStatus.DONE, ActionStatus.DROPPED)
            if reviewed:
                review = (ActionReview.NOT_DONE if action.status is ActionStatus.DROPPED
                          else r.choice((ActionReview.DONE, ActionReview.DONE, ActionReview.PARTLY)))
                action.review, action.review_result = review, RESULTS[review]
                action.measured_value = measured if review is not ActionReview.NOT_DONE else ""
        self.session.flush()
