"""The rules a convention is checked against (DOMAIN.md): each with its id, level, source and date, in French.

`check_convention(facts)` is pure: it takes the plain facts of a placement and returns the findings, blocking
ones first. `convention_facts` (data/convention_data.py) gathers those facts from the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from poledesk.data.enums import Audience, LegalKind
from poledesk.data.placements.form import WEEKDAYS, DaySlot
from poledesk.data.pupils import age_on

BLOCKING, WARNING = "blocking", "warning"
OBSERVATION_AUDIENCES = (Audience.OBSERVATION_4E_3E, Audience.SECONDE_GT)
COLLEGE_OBSERVATION_MAX_DAYS = 5
GRATIFICATION_DAYS = 44                  # two months of 22 days (D124-6): due beyond that
HOURS_PER_DAY_EQUIVALENT = 7


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    level: str
    source: str
    applies_from: date
    title: str


RULES = {rule.id: rule for rule in (
    Rule("daily_hours", BLOCKING, "Code du travail, L3162-1", date(2008, 5, 1),
         "Mineur : 8 h par jour au plus ; observation : 7 h par jour au plus"),
    Rule("weekly_hours", BLOCKING, "Code du travail, L3162-1", date(2008, 5, 1), "Mineur : 35 h par semaine au plus"),
    Rule("break", BLOCKING, "Code du travail, L3162-3", date(2008, 5, 1),
         "Pause d'au moins 30 minutes au-delà de 4 h 30 de présence"),
    Rule("night", BLOCKING, "Code du travail, L3163-1 et L3163-2", date(2008, 5, 1),
         "Travail de nuit interdit aux mineurs"),
    Rule("daily_rest", BLOCKING, "Code du travail, L3164-1", date(2008, 5, 1),
         "Repos quotidien : 14 h avant 16 ans, 12 h ensuite"),
    Rule("weekly_rest", BLOCKING, "Code du travail, L3164-2", date(2008, 5, 1),
         "Deux jours de repos consécutifs par semaine"),
    Rule("representative", BLOCKING, "Code de l'éducation, D124-4", date(2014, 11, 29),
         "Représentant légal d'un élève mineur"),
    Rule("under_14", BLOCKING, "Code du travail, L4153-5", date(2008, 5, 1),
         "Moins de 14 ans : entreprise familiale seulement"),
    Rule("observation", BLOCKING, "Code de l'éducation, D331-6 et D331-9", date(2005, 7, 24),
         "Séquence d'observation : à partir de la 4e, 5 jours au plus au collège"),
    Rule("gratification", BLOCKING, "Code de l'éducation, L124-6 et D124-6", date(2014, 11, 29),
         "Gratification au-delà de deux mois chez le même organisme"),
    Rule("referent_load", WARNING, "Code de l'éducation, D124-3", date(2014, 11, 29),
         "Un enseignant référent suit 16 stagiaires au plus"),
    Rule("tutor_load", WARNING, "Code de l'éducation, R124-13", date(2014, 11, 29),
         "Un tuteur encadre 3 stagiaires au plus"),
    Rule("timetable", BLOCKING, "—", date(2015, 1, 1), "Emploi du temps cohérent"),
    Rule("period", WARNING, "—", date(2015, 1, 1), "Période dans l'année scolaire, à venir"),
    Rule("mandatory", BLOCKING, "Code de l'éducation, D124-4", date(2014, 11, 29), "Mentions obligatoires"),
)}


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    level: str
    message: str
    field: str = ""

    @property
    def blocking(self) -> bool:
        return self.level == BLOCKING


@dataclass(frozen=True, slots=True)
class ConventionFacts:
    """Everything the rules look at, as plain values."""

    audience: Audience
    start_date: date
    end_date: date
    timetable: tuple[DaySlot, ...]
    birth_date: date | None
    pupil_name: str = "x"
    pupil_class: str = ""
    representative_name: str = ""
    tutor_name: str = ""
    referent_teacher_name: str = ""
    host_name: str = "x"
    host_siret: str = ""
    host_legal_kind: LegalKind = LegalKind.COMPANY
    family_business: bool = False
    gratification: str = ""
    earlier_days_with_host: int = 0       # days (7 h each) already spent with this host this school year
    referent_trainees: int = 0            # the referent's other placements overlapping this one
    tutor_trainees: int = 0               # the tutor's other placements overlapping this one
    today: date = field(default_factory=date.today)
    first_print: bool = True


def hours_text(minutes: int) -> str:
    """510 -> '8 h 30', 480 -> '8 h'."""
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def clock_text(value: time) -> str:
    return f"{value.hour} h {value.minute:02d}" if value.minute else f"{value.hour} h"


def presence_minutes(slot: DaySlot) -> int:
    total = _minutes(slot.end) - _minutes(slot.start)
    if slot.break_start and slot.break_end:
        total -= _minutes(slot.break_end) - _minutes(slot.break_start)
    return total


def longest_stretch_minutes(slot: DaySlot) -> int:
    """The longest stretch of presence without a break (of any length)."""
    if slot.break_start and slot.break_end:
        return max(_minutes(slot.break_start) - _minutes(slot.start), _minutes(slot.end) - _minutes(slot.break_end))
    return _minutes(slot.end) - _minutes(slot.start)


def presence_days(start: date, end: date, timetable: tuple[DaySlot, ...]) -> list[tuple[date, DaySlot]]:
    by_day = {slot.weekday: slot for slot in timetable}
    days, day = [], start
    while day <= end:
        if day.weekday() in by_day:
            days.append((day, by_day[day.weekday()]))
        day += timedelta(days=1)
    return days


def equivalent_days(start: date, end: date, timetable: tuple[DaySlot, ...]) -> int:
    """Days of presence as D124-6 counts them: every 7 hours of presence is one day."""
    minutes = sum(presence_minutes(slot) for _, slot in presence_days(start, end, timetable))
    return minutes // (HOURS_PER_DAY_EQUIVALENT * 60)


def check_convention(facts: ConventionFacts) -> list[Finding]:
    """Every finding, blocking first, then in the order of the rules' table."""
    findings: list[Finding] = []
    findings += _mandatory(facts)
    shape = _timetable_shape(facts.timetable)
    findings += shape
    age = age_on(facts.birth_date, facts.start_date) if facts.birth_date else None
    if age is not None and age < 18 and not shape:
        findings += _minor_hours(facts, age)
    if age is not None and age < 18 and not facts.representative_name.strip():
        findings.append(_f("representative", f"Élève mineur ({age} ans) : indiquez son représentant légal, qui "
                                             "signe la convention.", "representative_name"))
    if age is not None and age < 14 and facts.host_legal_kind is LegalKind.COMPANY and not facts.family_business:
        findings.append(_f("under_14", f"Élève de {age} ans : avant 14 ans, seule une entreprise familiale peut "
                                       "l'accueillir.", "partner"))
    findings += _observation(facts)
    findings += _gratification(facts)
    findings += _loads(facts)
    findings += _period(facts)
    in_force = [f for f in findings if RULES[f.rule].applies_from <= facts.start_date]
    return sorted(in_force, key=lambda f: (not f.blocking, list(RULES).index(f.rule)))


def _f(rule_id: str, message: str, field_name: str = "") -> Finding:
    rule = RULES[rule_id]
    message = message.rstrip(".")
    source = f" ({rule.source})" if rule.source != "—" else ""
    return Finding(rule_id, rule.level, message + source, field_name)


def _mandatory(facts: ConventionFacts) -> list[Finding]:
    missing = [("tutor", facts.tutor_name, "Tuteur : désignez le tuteur dans la structure d'accueil."),
               ("referent_teacher_name", facts.referent_teacher_name,
                "Enseignant référent : indiquez son nom."),
               ("birth_date", facts.birth_date, "Date de naissance de l'élève : elle est obligatoire."),
               ("host_siret", facts.host_siret if facts.host_legal_kind is not LegalKind.ASSOCIATION else "x",
                f"SIRET de « {facts.host_name} » : renseignez-le sur la fiche du partenaire.")]
    return [_f("mandatory", message, name) for name, value, message in missing if not value]


def _timetable_shape(timetable: tuple[DaySlot, ...]) -> list[Finding]:
    from poledesk.data.placements.form import timetable_problems

    if not timetable:
        return [_f("timetable", "Emploi du temps : indiquez au moins un jour de présence.", "timetable")]
    return [_f("timetable", message, "timetable") for message in timetable_problems(timetable)]


def _minor_hours(facts: ConventionFacts, age: int) -> list[Finding]:
    found: list[Finding] = []
    observation = facts.audience in OBSERVATION_AUDIENCES
    day_limit = 7 * 60 if observation else 8 * 60
    who = f"un élève de {age} ans" + (" en séquence d'observation" if observation else "")
    night_start = time(20, 0) if age < 16 else time(22, 0)
    for slot in sorted(facts.timetable, key=lambda s: s.weekday):
        day, minutes = WEEKDAYS[slot.weekday], presence_minutes(slot)
        if minutes > day_limit:
            found.append(_f("daily_hours", f"{day} : {hours_text(minutes)} de présence, au-delà des "
                                           f"{hours_text(day_limit)} autorisées pour {who}", "timetable"))
        found += _break(slot, day)
        if slot.start < time(6, 0) or slot.end > night_start:
            found.append(_f("night", f"{day} : présence de {clock_text(slot.start)} à {clock_text(slot.end)}, or le "
                                     f"travail est interdit entre {clock_text(night_start)} et 6 h pour un élève "
                                     f"de {age} ans", "timetable"))
    week = sum(presence_minutes(s) for s in facts.timetable)
    if week > 35 * 60:
        found.append(_f("weekly_hours", f"Semaine : {hours_text(week)} de présence, au-delà des 35 h autorisées "
                                        f"pour un élève de {age} ans", "timetable"))
    found += _rests(facts.timetable, age)
    return found


def _break(slot: DaySlot, day: str) -> list[Finding]:
    minutes = presence_minutes(slot)
    pause = (_minutes(slot.break_end) - _minutes(slot.break_start)) if slot.break_start and slot.break_end else 0
    if minutes > 270 and pause < 30:
        return [_f("break", f"{day} : {hours_text(minutes)} de présence avec "
                            + (f"une pause de {pause} minutes" if pause else "aucune pause")
                            + ", or une pause d'au moins 30 minutes est due au-delà de 4 h 30", "timetable")]
    if longest_stretch_minutes(slot) > 270:
        return [_f("break", f"{day} : {hours_text(longest_stretch_minutes(slot))} sans interruption, au-delà des "
                            "4 h 30 permises", "timetable")]
    return []


def _rests(timetable: tuple[DaySlot, ...], age: int) -> list[Finding]:
    found: list[Finding] = []
    needed = 14 * 60 if age < 16 else 12 * 60
    by_day = {slot.weekday: slot for slot in timetable}
    for weekday, slot in sorted(by_day.items()):
        following = by_day.get((weekday + 1) % 7)
        if following is None:
            continue
        rest = 24 * 60 - _minutes(slot.end) + _minutes(following.start)
        if rest < needed:
            found.append(_f("daily_rest", f"{WEEKDAYS[weekday]} – {WEEKDAYS[(weekday + 1) % 7].lower()} : "
                                          f"{hours_text(rest)} de repos entre deux journées, moins des "
                                          f"{hours_text(needed)} dues à un élève de {age} ans", "timetable"))
    free = [day not in by_day for day in range(7)]
    if not any(free[day] and free[(day + 1) % 7] for day in range(7)):
        found.append(_f("weekly_rest", "Semaine : il faut deux jours de repos consécutifs", "timetable"))
    return found


def _observation(facts: ConventionFacts) -> list[Finding]:
    if facts.audience is not Audience.OBSERVATION_4E_3E:
        return []
    found: list[Finding] = []
    level = facts.pupil_class.strip().lower()[:2]
    if level in ("6e", "5e", "6è", "5è"):
        found.append(_f("observation", f"Classe de {facts.pupil_class} : la séquence d'observation est réservée "
                                       "aux élèves de 4e et de 3e", "pupil_class"))
    days = len(presence_days(facts.start_date, facts.end_date, facts.timetable))
    if days > COLLEGE_OBSERVATION_MAX_DAYS:
        found.append(_f("observation", f"{days} jours de présence : une séquence d'observation au collège dure "
                                       f"{COLLEGE_OBSERVATION_MAX_DAYS} jours au plus", "end_date"))
    return found


def _gratification(facts: ConventionFacts) -> list[Finding]:
    days = facts.earlier_days_with_host + equivalent_days(facts.start_date, facts.end_date, facts.timetable)
    if days <= GRATIFICATION_DAYS or facts.gratification.strip():
        return []
    finding = _f("gratification", f"{days} jours de présence chez « {facts.host_name} » cette année scolaire, "
                                  f"au-delà de {GRATIFICATION_DAYS} jours : une gratification est due ; indiquez "
                                  "son montant dans l'annexe financière", "gratification")
    if facts.audience is Audience.STS:
        return [finding]
    return [Finding(finding.rule, WARNING, finding.message, finding.field)]


def _loads(facts: ConventionFacts) -> list[Finding]:
    found = []
    if facts.referent_trainees + 1 > 16:
        found.append(_f("referent_load", f"L'enseignant référent suivrait {facts.referent_trainees + 1} "
                                         "stagiaires en même temps, au-delà de 16", "referent_teacher_name"))
    if facts.tutor_trainees + 1 > 3:
        found.append(_f("tutor_load", f"Le tuteur encadrerait {facts.tutor_trainees + 1} stagiaires en même "
                                      "temps, au-delà de 3", "tutor"))
    return found


def _period(facts: ConventionFacts) -> list[Finding]:
    found = []
    year_start = date(facts.start_date.year if facts.start_date.month >= 9 else facts.start_date.year - 1, 9, 1)
    if facts.end_date > date(year_start.year + 1, 8, 31):
        found.append(_f("period", "La période déborde de l'année scolaire (elle finit après le 31 août)",
                        "end_date"))
    if facts.first_print and facts.start_date < facts.today:
        found.append(_f("period", "La période a déjà commencé : la convention doit être signée avant le départ "
                                  "en stage", "start_date"))
    return found


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


