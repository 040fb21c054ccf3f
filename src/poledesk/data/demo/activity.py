"""The demo's year of activity: placements with their timetables and amendments, tutor trainings, actions."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import insert

from poledesk.data.demo import names as words
from poledesk.data.demo.builder import email_of
from poledesk.data.demo.escalations import EscalationBuilder
from poledesk.data.enums import (
    ActionAxis,
    ActionStatus,
    Audience,
    ConventionStatus,
    EstablishmentKind,
    PartnerStatus,
    TrainingStatus,
)
from poledesk.data.models import (
    Action,
    Amendment,
    Contact,
    Escalation,
    Placement,
    Pupil,
    Registration,
    TimetableDay,
    TrainingSession,
    action_establishment,
    action_partner,
)
from poledesk.data.pupils import age_on
from poledesk.data.text import school_year_of

PLACEMENTS = 300
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
TRAINING_CALENDAR = ((9, 24), (10, 8), (11, 19), (12, 10), (1, 14), (2, 4), (3, 11), (4, 1), (5, 20), (6, 10))
PAST_TRAININGS, UPCOMING_TRAININGS = 7, 5
FULL_TRAINING, CANCELLED_TRAINING = 8, 3   # positions among the 12 sessions, oldest first


class ActivityBuilder(EscalationBuilder):
    """The stages of the year's activity, on the escalations placed and the network's tutors: the whole builder."""

    def add_placements(self) -> None:
        self.tutor_load: Counter[int] = Counter()
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
        assert pupil.birth_date is not None   # every demo pupil has one
        index, tutor = self.host_and_tutor(code, age_on(pupil.birth_date, start), index)
        self.tutor_load[tutor.id] += 1
        referent = r.choice(self.staff[[s.id for s in self.schools].index(pupil.establishment_id)])
        activities, skills = words.ACTIVITIES[spec.audience]
        placement = self.new(
            Placement, pupil=pupil, establishment_id=pupil.establishment_id, partner_id=self.partners[index].id,
            tutor_id=tutor.id, escalation_id=escalation.id if escalation else None,
            referent_teacher_name=referent.name, referent_teacher_email=email_of(referent, "ac-nancy-metz.fr"),
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
        host = 0
        for _ in range(30):
            host = self.host_for(code, age)
            tutor = next((t for t in self.tutors_of[host] if self.tutor_load[t.id] < 3), None)
            if tutor is not None:
                return host, tutor
        return host, self.tutors_of[host][0]

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
