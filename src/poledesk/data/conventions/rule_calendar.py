"""The rules on dates: consistency, Sundays and public holidays, observation lengths and windows, time with a host.

Day counts leave public holidays out (D124-6 counts presence), with Alsace-Moselle's two more where the site is.
"""

from __future__ import annotations

from datetime import date, timedelta

from poledesk.data.conventions.rule_tables import (
    gratification_rate,
    school_year_bounds,
    school_year_of,
    seconde_window,
)
from poledesk.data.conventions.rules import (
    COLLEGE_OBSERVATION_MAX_DAYS,
    DAY_MINUTES,
    GRATIFICATION_DAYS,
    HOST_MAX_DAYS,
    ConventionFacts,
    Finding,
    finding,
    holidays_in,
    hours_text,
    period_minutes,
    presence_days,
)
from poledesk.data.enums import Audience
from poledesk.data.placements.form import WEEKDAYS
from poledesk.data.text import format_date

SECONDE_DAYS = 10                        # two weeks of five days
# Apprentices hold a work contract, not a convention de stage: L124-5 and L124-6 do not cover them.
NOT_A_STAGE = (Audience.APPRENTICESHIP,)


def consistency(facts: ConventionFacts) -> list[Finding]:
    """Facts that contradict each other: each is a blocking finding, never an exception."""
    found: list[Finding] = []
    if facts.end_date < facts.start_date:
        found.append(finding(facts, "consistency", f"La période finit le {format_date(facts.end_date)}, avant son "
                                                   f"début le {format_date(facts.start_date)}", "end_date"))
    if not facts.timetable:
        found.append(finding(facts, "consistency", "Emploi du temps vide : indiquez au moins un jour de présence",
                             "timetable"))
    elif facts.end_date >= facts.start_date:
        inside = {facts.start_date + timedelta(days=n) for n in range(min((facts.end_date - facts.start_date).days
                                                                          + 1, 7))}
        outside = sorted({s.weekday for s in facts.timetable if 0 <= s.weekday < 7}
                         - {day.weekday() for day in inside})
        if outside:
            days = ", ".join(WEEKDAYS[d].lower() for d in outside)
            found.append(finding(facts, "consistency", f"Emploi du temps : {days} hors de la période du "
                                                       f"{format_date(facts.start_date)} au "
                                                       f"{format_date(facts.end_date)}", "timetable"))
    if facts.birth_date is not None and facts.birth_date > facts.start_date:
        found.append(finding(facts, "consistency", f"Date de naissance le {format_date(facts.birth_date)}, après le "
                                                   f"début de la période : corrigez-la", "birth_date"))
    return found


def days_off(facts: ConventionFacts, age: int) -> list[Finding]:
    """Sunday rest for everyone (L3132-3, L3164-5 for minors); no public holiday for a minor (L3164-6); 1 May off
    for an adult too (L3133-4), a warning since some hosts cannot stop (L3133-6)."""
    found: list[Finding] = []
    if any(slot.weekday == 6 for slot in facts.timetable):
        if age < 18:
            found.append(finding(facts, "sunday_minor", f"Dimanche : un élève de {age} ans ne peut pas être présent "
                                                        "le dimanche", "timetable"))
        else:
            found.append(finding(facts, "sunday", "Dimanche : le repos hebdomadaire est donné le dimanche ; retirez "
                                                  "ce jour de l'emploi du temps", "timetable"))
    if age < 18 and not facts.holidays_excluded:
        found += _holidays_worked(facts, age)
    elif not facts.holidays_excluded:
        worked = {day for day, _ in presence_days(facts.start_date, facts.end_date, facts.timetable, holidays=True)}
        for day in sorted(d for d in worked if (d.month, d.day) == (5, 1)):
            found.append(finding(facts, "may_day", f"{WEEKDAYS[day.weekday()]} {format_date(day)} : le 1er mai est "
                                                   "chômé ; prévoyez l'absence du stagiaire, sauf si l'organisme ne "
                                                   "peut pas interrompre son activité", "timetable"))
    return found


def _holidays_worked(facts: ConventionFacts, age: int) -> list[Finding]:
    worked = {day for day, _ in presence_days(facts.start_date, facts.end_date, facts.timetable, holidays=True)}
    national = holidays_in(facts.start_date, facts.end_date)
    local = holidays_in(facts.start_date, facts.end_date, facts.department)
    found = []
    for day, name in sorted(local.items()):
        if day not in worked:
            continue
        rule_id = "public_holiday" if day in national else "local_holiday"
        where = " en Alsace-Moselle" if rule_id == "local_holiday" else ""
        found.append(finding(facts, rule_id, f"{WEEKDAYS[day.weekday()]} {format_date(day)} ({name}) : jour "
                                             f"férié{where}, or un élève de {age} ans ne travaille pas les jours "
                                             "fériés ; prévoyez son absence ce jour-là", "timetable"))
    return found


def observation(facts: ConventionFacts) -> list[Finding]:
    if facts.audience is Audience.OBSERVATION_4E_3E:
        return _college_observation(facts)
    if facts.audience is Audience.SECONDE_GT:
        return _seconde_observation(facts)
    return []


def _college_observation(facts: ConventionFacts) -> list[Finding]:
    found: list[Finding] = []
    level = facts.pupil_class.strip().lower()[:2]
    if level in ("6e", "5e", "6è", "5è"):
        found.append(finding(facts, "observation", f"Classe de {facts.pupil_class} : la séquence d'observation est "
                                                   "réservée aux élèves de 4e et de 3e", "pupil_class"))
    days = len(presence_days(facts.start_date, facts.end_date, facts.timetable, facts.department))
    if days > COLLEGE_OBSERVATION_MAX_DAYS:
        found.append(finding(facts, "observation", f"{days} jours de présence : une séquence d'observation au "
                                                   f"collège dure {COLLEGE_OBSERVATION_MAX_DAYS} jours au plus",
                             "end_date"))
    return found


def _seconde_observation(facts: ConventionFacts) -> list[Finding]:
    found: list[Finding] = []
    days = len(presence_days(facts.start_date, facts.end_date, facts.timetable, facts.department))
    span = (facts.end_date - facts.start_date).days + 1
    if days > SECONDE_DAYS or span > 14:
        found.append(finding(facts, "seconde_observation", f"{days} jours de présence sur {span} jours : la séquence "
                                                           "d'observation de seconde dure deux semaines", "end_date"))
    window = seconde_window(facts.start_date)
    year = school_year_of(facts.start_date)
    if facts.start_date < date(2024, 6, 17):
        found.append(finding(facts, "seconde_observation", "La séquence d'observation de seconde existe depuis "
                                                           "juin 2024 : vérifiez la nature de cette période",
                             "start_date"))
    elif window is None:
        # No dated row for this year yet: the decree's own frame holds, two weeks in June (D333-2).
        june = date(school_year_bounds(facts.start_date)[1].year, 6, 1)
        if facts.start_date < june or facts.end_date > june.replace(day=30):
            found.append(finding(facts, "seconde_observation", f"Période hors du mois de juin {june.year}, où se "
                                                               "place la séquence d'observation de seconde (la "
                                                               f"fenêtre nationale {year} n'est pas encore dans la "
                                                               "table de PoleDesk)", "start_date"))
    elif facts.start_date < window.start or facts.end_date > window.end:
        found.append(finding(facts, "seconde_observation", f"Période hors de la fenêtre nationale {year}, du "
                                                           f"{format_date(window.start)} au "
                                                           f"{format_date(window.end)} ({window.source})",
                             "start_date"))
    return found


def minutes_with_host(facts: ConventionFacts) -> int:
    """This period's presence and the pupil's other periods with the host in the same school year, public holidays
    left out; the earlier days given as a number count 7 h each."""
    first, last = school_year_bounds(facts.start_date)
    dept = facts.department
    total = period_minutes(max(facts.start_date, first), min(facts.end_date, last), facts.timetable, dept)
    for other in facts.other_periods:
        total += period_minutes(max(other.start_date, first), min(other.end_date, last), other.timetable, dept)
    return total + facts.earlier_days_with_host * DAY_MINUTES


def gratification_due(facts: ConventionFacts) -> bool:
    """More than two months (308 h) with this host this school year: due from the 309th hour (D124-6)."""
    return facts.audience not in NOT_A_STAGE and minutes_with_host(facts) > GRATIFICATION_DAYS * DAY_MINUTES


def host_time(facts: ConventionFacts) -> list[Finding]:
    """L124-5 (six months with one host) and L124-6 (gratification beyond two months), blocking for every
    audience under a convention de stage."""
    if facts.audience in NOT_A_STAGE:
        return []
    minutes, found = minutes_with_host(facts), []
    host = f"chez « {facts.host_name} »" if facts.host_name.strip() else "chez cet organisme"
    where = f"{hours_text(minutes)} de présence {host} en {school_year_of(facts.start_date)}"
    if minutes > HOST_MAX_DAYS * DAY_MINUTES:
        found.append(finding(facts, "host_time", f"{where}, au-delà des six mois permis par année scolaire "
                                                 f"({hours_text(HOST_MAX_DAYS * DAY_MINUTES)}, soit {HOST_MAX_DAYS} "
                                                 "jours de 7 h)", "end_date"))
    if gratification_due(facts) and not facts.gratification.strip():
        rate = gratification_rate(facts.start_date)
        found.append(finding(facts, "gratification", f"{where}, au-delà de deux mois "
                                                     f"({hours_text(GRATIFICATION_DAYS * DAY_MINUTES)}, soit "
                                                     f"{GRATIFICATION_DAYS} jours de 7 h) : une gratification est "
                                                     "due ; indiquez son montant dans l'annexe financière, au moins "
                                                     f"{rate.text()}", "gratification"))
    return found
