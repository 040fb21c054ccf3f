"""The rules a convention is checked against (DOMAIN.md): each with its id, level, sources by date, and explanation.

`check_convention(facts)` is pure: it takes the plain facts of a placement and returns the findings, blocking
ones first. It never raises on odd facts (a period ending before it starts, an empty timetable...): those are
findings too, whoever calls (the form, the CLI, a batch, a placement received in a bundle). `convention_facts`
(data/conventions/facts.py) gathers the facts from the store. A period is checked against the version of each rule
in force on its start date; before a rule's first known version, that first version applies: no period is ever
checked against nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from functools import lru_cache

from poledesk.data.enums import Audience, LegalKind
from poledesk.data.holidays import department_of, holidays_between
from poledesk.data.placements.form import DaySlot
from poledesk.data.pupils import age_on

BLOCKING, WARNING = "blocking", "warning"
OBSERVATION_AUDIENCES = (Audience.OBSERVATION_4E_3E, Audience.SECONDE_GT)
COLLEGE_OBSERVATION_MAX_DAYS = 5
HOURS_PER_DAY_EQUIVALENT = 7             # D124-6: every 7 hours of presence is one day...
DAYS_PER_MONTH_EQUIVALENT = 22           # ...and every 22 days one month
GRATIFICATION_DAYS = 2 * DAYS_PER_MONTH_EQUIVALENT      # due beyond two months (308 h): from the 309th hour
HOST_MAX_DAYS = 6 * DAYS_PER_MONTH_EQUIVALENT           # L124-5: six months with one host per school year
DAY_MINUTES = HOURS_PER_DAY_EQUIVALENT * 60


@dataclass(frozen=True, slots=True)
class RuleVersion:
    applies_from: date
    source: str
    explanation: str            # plain French: what the rule asks and why


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    level: str
    title: str
    versions: tuple[RuleVersion, ...]       # oldest first

    @property
    def applies_from(self) -> date:
        return self.versions[0].applies_from

    @property
    def source(self) -> str:
        return self.versions[-1].source

    def version_on(self, day: date) -> RuleVersion:
        """The version in force on `day`; the oldest one for a day before it (the rule existed under older texts)."""
        in_force = [v for v in self.versions if v.applies_from <= day]
        return in_force[-1] if in_force else self.versions[0]


def _rule(rule_id: str, level: str, title: str, *versions: RuleVersion) -> Rule:
    return Rule(rule_id, level, title, versions)


def _v(applies_from: date, source: str, explanation: str) -> RuleVersion:
    return RuleVersion(applies_from, source, explanation)


RECODIFIED = date(2008, 5, 1)            # the Code du travail's current numbering
STAGES_LAW = date(2014, 7, 12)           # loi n° 2014-788 du 10 juillet 2014 (encadrement des stages)
STAGES_DECREE = date(2014, 12, 1)        # décret n° 2014-1420 du 27 novembre 2014
CHERPION_LAW = date(2011, 7, 30)         # loi n° 2011-893 du 28 juillet 2011

RULES = {rule.id: rule for rule in (
    _rule("consistency", BLOCKING, "Données cohérentes", _v(date(2000, 1, 1), "—",
          "Une période, un emploi du temps et une date de naissance contradictoires ne peuvent pas être vérifiés : "
          "corrigez-les d'abord.")),
    _rule("daily_hours", BLOCKING, "Mineur : 8 h par jour au plus ; observation : 7 h par jour au plus",
          _v(RECODIFIED, "Code du travail, L3162-1",
           "Un élève mineur ne peut pas être présent plus de 8 heures par jour ; en séquence d'observation, "
           "le modèle de convention limite la présence à 7 heures par jour.")),
    _rule("weekly_hours", BLOCKING, "Mineur : 35 h par semaine au plus",
          _v(RECODIFIED, "Code du travail, L3162-1",
           "Un élève mineur ne peut pas être présent plus de 35 heures par semaine.")),
    _rule("observation_week", BLOCKING, "Observation avant 15 ans : 30 h par semaine au plus",
          _v(date(2003, 9, 8), "Circulaire n° 2003-134 du 8 septembre 2003",
           "En séquence d'observation, un élève de moins de 15 ans est présent 30 heures par semaine au plus."),
          _v(date(2024, 7, 12), "Circulaire du 12 juillet 2024 (modèle de convention d'observation)",
           "En séquence d'observation, un élève de moins de 15 ans est présent 30 heures par semaine au plus.")),
    _rule("break", BLOCKING, "Pause d'au moins 30 minutes au-delà de 4 h 30 de présence",
          _v(RECODIFIED, "Code du travail, L3162-3",
           "Dès que la présence d'un mineur dépasse 4 h 30 d'affilée, il a droit à une pause d'au moins "
           "30 minutes consécutives.")),
    _rule("night", BLOCKING, "Travail de nuit interdit aux mineurs",
          _v(RECODIFIED, "Code du travail, L3163-1 et L3163-2",
           "Un mineur ne travaille pas la nuit : entre 20 h et 6 h avant 16 ans, entre 22 h et 6 h de 16 à "
           "18 ans.")),
    _rule("daily_rest", BLOCKING, "Repos quotidien : 14 h avant 16 ans, 12 h ensuite",
          _v(RECODIFIED, "Code du travail, L3164-1",
           "Entre deux journées, un mineur a droit à 14 heures de repos consécutives avant 16 ans, 12 heures "
           "ensuite.")),
    _rule("weekly_rest", BLOCKING, "Deux jours de repos consécutifs par semaine",
          _v(RECODIFIED, "Code du travail, L3164-2",
           "Un mineur a droit à deux jours de repos consécutifs chaque semaine.")),
    _rule("sunday_minor", BLOCKING, "Pas de présence le dimanche pour un mineur",
          _v(RECODIFIED, "Code du travail, L3164-5",
           "Un élève mineur ne peut pas être présent le dimanche.")),
    _rule("public_holiday", BLOCKING, "Pas de présence un jour férié pour un mineur",
          _v(RECODIFIED, "Code du travail, L3164-6",
           "Un élève mineur ne travaille pas les jours fériés : la convention doit prévoir son absence ces "
           "jours-là.")),
    _rule("local_holiday", BLOCKING, "Jours fériés d'Alsace-Moselle pour un mineur",
          _v(RECODIFIED, "Code du travail, L3164-6 et L3134-13",
           "En Moselle, dans le Bas-Rhin et le Haut-Rhin, le Vendredi saint et le 26 décembre sont aussi fériés : "
           "un élève mineur n'y travaille pas.")),
    _rule("adult_daily_hours", BLOCKING, "Majeur : 10 h par jour au plus",
          _v(STAGES_LAW, "Code de l'éducation, L124-14 ; Code du travail, L3121-18",
           "Un stagiaire majeur suit les durées maximales des salariés : 10 heures de présence par jour au plus.")),
    _rule("adult_weekly_hours", BLOCKING, "Majeur : 48 h par semaine au plus",
          _v(STAGES_LAW, "Code de l'éducation, L124-14 ; Code du travail, L3121-20",
           "Un stagiaire majeur ne peut pas être présent plus de 48 heures au cours d'une même semaine.")),
    _rule("adult_average_hours", BLOCKING, "Majeur : 44 h par semaine en moyenne sur 12 semaines",
          _v(STAGES_LAW, "Code de l'éducation, L124-14 ; Code du travail, L3121-22",
           "Sur toute période de 12 semaines consécutives, la présence d'un stagiaire majeur ne dépasse pas "
           "44 heures par semaine en moyenne.")),
    _rule("adult_daily_rest", BLOCKING, "Majeur : 11 h de repos quotidien",
          _v(STAGES_LAW, "Code de l'éducation, L124-14 ; Code du travail, L3131-1",
           "Entre deux journées, un stagiaire majeur a droit à 11 heures de repos consécutives.")),
    _rule("adult_weekly_rest", BLOCKING, "Majeur : un jour de repos par semaine",
          _v(STAGES_LAW, "Code de l'éducation, L124-14 ; Code du travail, L3132-1 et L3132-2",
           "Un stagiaire majeur ne vient pas plus de six jours par semaine et a un repos hebdomadaire de 35 heures "
           "consécutives (24 heures plus les 11 heures du repos quotidien).")),
    _rule("sunday", BLOCKING, "Repos dominical",
          _v(RECODIFIED, "Code du travail, L3132-3",
           "Le repos hebdomadaire est donné le dimanche : la convention ne prévoit pas de présence ce jour-là.")),
    _rule("may_day", WARNING, "Majeur : le 1er mai est chômé",
          _v(STAGES_LAW, "Code de l'éducation, L124-14 ; Code du travail, L3133-4",
             "Le 1er mai est férié et chômé : un stagiaire majeur n'est présent ce jour-là que dans les organismes "
             "qui ne peuvent pas interrompre leur activité (L3133-6).")),
    _rule("representative", BLOCKING, "Représentant légal d'un élève mineur",
          _v(STAGES_DECREE, "Code de l'éducation, D124-4",
           "La convention d'un élève mineur est signée par son représentant légal.")),
    _rule("under_14", BLOCKING, "Moins de 14 ans : entreprise familiale seulement",
          _v(RECODIFIED, "Code du travail, L4153-5",
           "Avant 14 ans, un élève ne peut être accueilli dans une entreprise privée que si elle est familiale ; "
           "une administration ou une association peut l'accueillir.")),
    _rule("observation", BLOCKING, "Séquence d'observation : à partir de la 4e, 5 jours au plus au collège",
          _v(date(2005, 7, 24), "Code de l'éducation, D331-6 et D331-9",
           "La séquence d'observation du collège est réservée aux élèves de 4e et de 3e et dure 5 jours au plus ; "
           "l'élève n'utilise ni machine ni produit dangereux.")),
    _rule("seconde_observation", WARNING, "Observation de seconde : deux semaines dans la fenêtre nationale",
          _v(date(2024, 6, 17), "Décret et arrêté du 29 novembre 2023 ; note de service de l'année",
           "La séquence d'observation de seconde générale et technologique dure deux semaines, aux dates "
           "nationales fixées pour l'année scolaire.")),
    _rule("host_time", BLOCKING, "Six mois au plus chez le même organisme par année scolaire",
          _v(CHERPION_LAW, "Code de l'éducation, L612-9",
           "Un stagiaire passe six mois au plus (132 jours de 7 h) chez le même organisme par année "
           "d'enseignement, toutes ses périodes comptées."),
          _v(STAGES_LAW, "Code de l'éducation, L124-5",
           "Un stagiaire passe six mois au plus (132 jours de 7 h) chez le même organisme par année "
           "d'enseignement, toutes ses périodes et leurs avenants comptés.")),
    _rule("gratification", BLOCKING, "Gratification au-delà de deux mois chez le même organisme",
          _v(CHERPION_LAW, "Code de l'éducation, L612-11",
           "Au-delà de deux mois de présence chez le même organisme dans l'année scolaire, une gratification est "
           "due : l'annexe financière en indique le montant."),
          _v(STAGES_DECREE, "Code de l'éducation, L124-6 et D124-6",
           "Au-delà de deux mois (44 jours de 7 h, soit 308 heures, jours fériés non comptés) chez le même "
           "organisme dans l'année scolaire, une gratification est due dès le premier jour : l'annexe financière "
           "en indique le montant, au moins le minimum légal.")),
    _rule("referent_load", WARNING, "Un enseignant référent suit 16 stagiaires au plus",
          _v(STAGES_DECREE, "Code de l'éducation, D124-3",
           "Un enseignant référent ne suit pas plus de 16 stagiaires en même temps.")),
    _rule("tutor_load", WARNING, "Un tuteur encadre 3 stagiaires au plus",
          _v(STAGES_DECREE, "Code de l'éducation, R124-13",
           "Un tuteur n'encadre pas plus de 3 stagiaires en même temps.")),
    _rule("timetable", BLOCKING, "Emploi du temps cohérent", _v(date(2000, 1, 1), "—",
          "Chaque jour de l'emploi du temps a une arrivée avant le départ et une pause comprise entre les deux.")),
    _rule("period", WARNING, "Période dans l'année scolaire, à venir", _v(date(2000, 1, 1), "—",
          "La période tient dans l'année scolaire (1er septembre – 31 août) et la convention est signée avant "
          "le départ.")),
    _rule("mandatory", BLOCKING, "Mentions obligatoires",
          _v(STAGES_DECREE, "Code de l'éducation, D124-4",
           "La convention nomme le tuteur, l'enseignant référent, la date de naissance de l'élève et le SIRET "
           "de l'organisme d'accueil.")),
)}


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    level: str
    message: str                # what is wrong here, with the figure and the source in brackets
    field: str = ""             # the form field to correct
    source: str = ""            # the article(s) of the version applied
    explanation: str = ""       # the rule in plain French

    @property
    def blocking(self) -> bool:
        return self.level == BLOCKING


@dataclass(frozen=True, slots=True)
class HostPeriod:
    """Another placement of the pupil with the same host, with its dates as amended by its avenants."""

    start_date: date
    end_date: date
    timetable: tuple[DaySlot, ...]


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
    site_postcode: str = ""               # the placement site's: Alsace-Moselle has two more public holidays
    family_business: bool = False
    gratification: str = ""
    holidays_excluded: bool = False       # the convention says the pupil is absent on public holidays
    other_periods: tuple[HostPeriod, ...] = ()   # the pupil's other placements with this host (any school year)
    earlier_days_with_host: int = 0       # more days (7 h each) already spent with this host this school year
    referent_trainees: int = 0            # the referent's other placements overlapping this one
    tutor_trainees: int = 0               # the tutor's other placements overlapping this one
    today: date = field(default_factory=date.today)
    first_print: bool = True
    check_mentions: bool = True           # the mandatory mentions: off for a check from outside (CLI)

    @property
    def department(self) -> str | None:
        return department_of(self.site_postcode)


def hours_text(minutes: int) -> str:
    """510 -> '8 h 30', 480 -> '8 h'."""
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def clock_text(value: time) -> str:
    return f"{value.hour} h {value.minute:02d}" if value.minute else f"{value.hour} h"


def minutes_of(value: time) -> int:
    return value.hour * 60 + value.minute


def presence_minutes(slot: DaySlot) -> int:
    total = minutes_of(slot.end) - minutes_of(slot.start)
    if slot.break_start and slot.break_end:
        total -= minutes_of(slot.break_end) - minutes_of(slot.break_start)
    return total


def longest_stretch_minutes(slot: DaySlot) -> int:
    """The longest stretch of presence without a break (of any length)."""
    if slot.break_start and slot.break_end:
        return max(minutes_of(slot.break_start) - minutes_of(slot.start),
                   minutes_of(slot.end) - minutes_of(slot.break_end))
    return minutes_of(slot.end) - minutes_of(slot.start)


def presence_days(start: date, end: date, timetable: tuple[DaySlot, ...],
                  department: str | None = None, *, holidays: bool = False) -> list[tuple[date, DaySlot]]:
    """The days of the period the timetable has the pupil present; public holidays left out unless `holidays`."""
    by_day = {slot.weekday: slot for slot in timetable}
    skipped = {} if holidays else holidays_in(start, end, department)
    days, day = [], start
    while day <= end:
        if day.weekday() in by_day and day not in skipped:
            days.append((day, by_day[day.weekday()]))
        day += timedelta(days=1)
    return days


@lru_cache(maxsize=4096)
def holidays_in(start: date, end: date, department: str | None = None) -> dict[date, str]:
    """holidays_between, kept for the periods a batch checks again and again (do not change the dict returned)."""
    return holidays_between(start, end, department)


def period_minutes(start: date, end: date, timetable: tuple[DaySlot, ...], department: str | None = None) -> int:
    """Minutes of presence over a period, public holidays not counted (D124-6 counts presence)."""
    return sum(max(presence_minutes(slot), 0) for _, slot in presence_days(start, end, timetable, department))


def equivalent_days(start: date, end: date, timetable: tuple[DaySlot, ...], department: str | None = None) -> int:
    """Days of presence as D124-6 counts them: every 7 hours of presence is one day, public holidays left out."""
    return period_minutes(start, end, timetable, department) // DAY_MINUTES


def age_at_start(facts: ConventionFacts) -> int | None:
    """The pupil's age on the first day; None when the birth date is unknown or after the start."""
    if facts.birth_date is None or facts.birth_date > facts.start_date:
        return None
    return age_on(facts.birth_date, facts.start_date)


def check_convention(facts: ConventionFacts) -> list[Finding]:
    """Every finding, blocking first, then in the order of the rules' table."""
    from poledesk.data.conventions import rule_calendar, rule_hours

    findings: list[Finding] = []
    if facts.check_mentions:
        findings += _mandatory(facts)
    consistency = rule_calendar.consistency(facts)
    shape = _timetable_shape(facts.timetable)
    findings += consistency + shape
    age = age_at_start(facts)
    if age is not None and not shape:
        findings += rule_hours.minor_hours(facts, age) if age < 18 else rule_hours.adult_hours(facts)
    if age is not None and not shape:
        findings += rule_hours.rests(facts, age) + rule_calendar.days_off(facts, age)
    if age is not None and age < 18 and not facts.representative_name.strip():
        findings.append(finding(facts, "representative", f"Élève mineur ({age} ans) : indiquez son représentant "
                                                         "légal, qui signe la convention.", "representative_name"))
    if age is not None and age < 14 and facts.host_legal_kind is LegalKind.COMPANY and not facts.family_business:
        findings.append(finding(facts, "under_14", f"Élève de {age} ans : avant 14 ans, seule une entreprise "
                                                   "familiale peut l'accueillir.", "partner"))
    if not shape:
        findings += rule_calendar.observation(facts) + rule_calendar.host_time(facts)
    findings += _loads(facts)
    findings += _period(facts)
    order = list(RULES)
    return sorted(findings, key=lambda f: (not f.blocking, order.index(f.rule)))


def finding(facts: ConventionFacts, rule_id: str, message: str, field_name: str = "", *,
            level: str | None = None) -> Finding:
    """A finding of the version of `rule_id` in force on the period's start, its source appended to the message."""
    rule = RULES[rule_id]
    version = rule.version_on(facts.start_date)
    message = message.rstrip(".")
    source = f" ({version.source})" if version.source != "—" else ""
    return Finding(rule_id, level or rule.level, message + source, field_name,
                   "" if version.source == "—" else version.source, version.explanation)


def _mandatory(facts: ConventionFacts) -> list[Finding]:
    missing = [("tutor", facts.tutor_name, "Tuteur : désignez le tuteur dans la structure d'accueil."),
               ("referent_teacher_name", facts.referent_teacher_name,
                "Enseignant référent : indiquez son nom."),
               ("birth_date", facts.birth_date, "Date de naissance de l'élève : elle est obligatoire."),
               ("host_siret", facts.host_siret if facts.host_legal_kind is not LegalKind.ASSOCIATION else "x",
                f"SIRET de « {facts.host_name} » : renseignez-le sur la fiche du partenaire.")]
    return [finding(facts, "mandatory", message, name) for name, value, message in missing if not value]


def _timetable_shape(timetable: tuple[DaySlot, ...]) -> list[Finding]:
    from poledesk.data.placements.form import timetable_problems

    rule = RULES["timetable"]
    return [Finding("timetable", rule.level, message.rstrip("."), "timetable", "", rule.versions[0].explanation)
            for message in timetable_problems(timetable)]


def _loads(facts: ConventionFacts) -> list[Finding]:
    found = []
    if facts.referent_trainees + 1 > 16:
        found.append(finding(facts, "referent_load", f"L'enseignant référent suivrait {facts.referent_trainees + 1} "
                                                     "stagiaires en même temps, au-delà de 16",
                             "referent_teacher_name"))
    if facts.tutor_trainees + 1 > 3:
        found.append(finding(facts, "tutor_load", f"Le tuteur encadrerait {facts.tutor_trainees + 1} stagiaires en "
                                                  "même temps, au-delà de 3", "tutor"))
    return found


def _period(facts: ConventionFacts) -> list[Finding]:
    found = []
    year_start = date(facts.start_date.year if facts.start_date.month >= 9 else facts.start_date.year - 1, 9, 1)
    if facts.end_date > date(year_start.year + 1, 8, 31):
        found.append(finding(facts, "period", "La période déborde de l'année scolaire (elle finit après le 31 août)",
                             "end_date"))
    if facts.first_print and facts.start_date < facts.today:
        found.append(finding(facts, "period", "La période a déjà commencé : la convention doit être signée avant le "
                                              "départ en stage", "start_date"))
    return found
