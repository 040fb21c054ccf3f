"""Working time: the minors' limits (L3162-1 and after), the adults' through L124-14, and the rests between days.

The timetable is weekly: a rule on one day looks at each day of it, a rule on rests looks at the gaps between
consecutive days of the week, Sunday to Monday included, since the same week repeats.
"""

from __future__ import annotations

from datetime import time, timedelta

from poledesk.data.conventions.rules import (
    OBSERVATION_AUDIENCES,
    ConventionFacts,
    Finding,
    clock_text,
    finding,
    hours_text,
    longest_stretch_minutes,
    minutes_of,
    presence_days,
    presence_minutes,
)
from poledesk.data.placements.form import WEEKDAYS, DaySlot

DAY = 24 * 60
MINOR_DAY, OBSERVATION_DAY, MINOR_WEEK, YOUNG_OBSERVATION_WEEK = 8 * 60, 7 * 60, 35 * 60, 30 * 60
BREAK_AFTER, BREAK_LENGTH = 270, 30                    # 4 h 30, then 30 minutes
ADULT_DAY, ADULT_WEEK, ADULT_AVERAGE, AVERAGE_WEEKS = 10 * 60, 48 * 60, 44 * 60, 12
ADULT_DAILY_REST, ADULT_WEEKLY_REST = 11 * 60, 35 * 60


def minor_hours(facts: ConventionFacts, age: int) -> list[Finding]:
    found: list[Finding] = []
    observation = facts.audience in OBSERVATION_AUDIENCES
    day_limit = OBSERVATION_DAY if observation else MINOR_DAY
    who = f"un élève de {age} ans" + (" en séquence d'observation" if observation else "")
    night_start = time(20, 0) if age < 16 else time(22, 0)
    for slot in sorted(facts.timetable, key=lambda s: s.weekday):
        day, minutes = WEEKDAYS[slot.weekday], presence_minutes(slot)
        if minutes > day_limit:
            found.append(finding(facts, "daily_hours", f"{day} : {hours_text(minutes)} de présence, au-delà des "
                                                       f"{hours_text(day_limit)} autorisées pour {who}", "timetable"))
        found += _break(facts, slot, day)
        if slot.start < time(6, 0) or slot.end > night_start:
            found.append(finding(facts, "night", f"{day} : présence de {clock_text(slot.start)} à "
                                                 f"{clock_text(slot.end)}, or le travail est interdit entre "
                                                 f"{clock_text(night_start)} et 6 h pour un élève de {age} ans",
                                 "timetable"))
    week = sum(presence_minutes(s) for s in facts.timetable)
    if week > MINOR_WEEK:
        found.append(finding(facts, "weekly_hours", f"Semaine : {hours_text(week)} de présence, au-delà des 35 h "
                                                    f"autorisées pour un élève de {age} ans", "timetable"))
    elif observation and age < 15 and week > YOUNG_OBSERVATION_WEEK:
        found.append(finding(facts, "observation_week", f"Semaine : {hours_text(week)} de présence, au-delà des "
                                                        f"30 h autorisées en observation pour un élève de {age} ans",
                             "timetable"))
    return found


def _break(facts: ConventionFacts, slot: DaySlot, day: str) -> list[Finding]:
    minutes = presence_minutes(slot)
    pause = (minutes_of(slot.break_end) - minutes_of(slot.break_start)) if slot.break_start and slot.break_end else 0
    if minutes > BREAK_AFTER and pause < BREAK_LENGTH:
        return [finding(facts, "break", f"{day} : {hours_text(minutes)} de présence avec "
                                        + (f"une pause de {pause} minutes" if pause else "aucune pause")
                                        + ", or une pause d'au moins 30 minutes est due au-delà de 4 h 30",
                        "timetable")]
    if longest_stretch_minutes(slot) > BREAK_AFTER:
        return [finding(facts, "break", f"{day} : {hours_text(longest_stretch_minutes(slot))} sans interruption, "
                                        "au-delà des 4 h 30 permises", "timetable")]
    return []


def adult_hours(facts: ConventionFacts) -> list[Finding]:
    """L124-14: an adult trainee's presence follows the employees' maximum durations."""
    found: list[Finding] = []
    for slot in sorted(facts.timetable, key=lambda s: s.weekday):
        minutes = presence_minutes(slot)
        if minutes > ADULT_DAY:
            found.append(finding(facts, "adult_daily_hours", f"{WEEKDAYS[slot.weekday]} : {hours_text(minutes)} de "
                                                             "présence, au-delà des 10 h autorisées pour un "
                                                             "stagiaire majeur", "timetable"))
    week = sum(presence_minutes(s) for s in facts.timetable)
    if week > ADULT_WEEK:
        found.append(finding(facts, "adult_weekly_hours", f"Semaine : {hours_text(week)} de présence, au-delà des "
                                                          "48 h autorisées pour un stagiaire majeur", "timetable"))
    average = worst_average_minutes(facts)
    if week <= ADULT_WEEK and average > ADULT_AVERAGE:
        found.append(finding(facts, "adult_average_hours", f"{hours_text(average)} par semaine en moyenne sur "
                                                           f"{AVERAGE_WEEKS} semaines consécutives, au-delà des 44 h "
                                                           "autorisées pour un stagiaire majeur", "timetable"))
    return found


def worst_average_minutes(facts: ConventionFacts) -> int:
    """The highest weekly average of presence over any 12 consecutive weeks (the trainee is absent outside the
    period, so a short period averages low); public holidays count as worked unless the convention excludes them."""
    days = presence_days(facts.start_date, facts.end_date, facts.timetable, facts.department,
                         holidays=not facts.holidays_excluded)
    span, best, total, first = timedelta(weeks=AVERAGE_WEEKS), 0, 0, 0
    for day, slot in days:                    # a sliding window of 84 days ending on each day of presence
        total += presence_minutes(slot)
        while days[first][0] <= day - span:
            total -= presence_minutes(days[first][1])
            first += 1
        best = max(best, total)
    return best // AVERAGE_WEEKS


def rests(facts: ConventionFacts, age: int) -> list[Finding]:
    return _minor_rests(facts, age) if age < 18 else _adult_rests(facts)


def gaps(timetable: tuple[DaySlot, ...]) -> list[tuple[DaySlot, DaySlot, int]]:
    """Each day of presence, the next one in the repeating week, and the minutes of rest between them."""
    days = sorted(timetable, key=lambda s: s.weekday)
    found = []
    for index, slot in enumerate(days):
        following = days[(index + 1) % len(days)]
        apart = (following.weekday - slot.weekday) % 7 or 7
        found.append((slot, following, apart * DAY - minutes_of(slot.end) + minutes_of(following.start)))
    return found


def _minor_rests(facts: ConventionFacts, age: int) -> list[Finding]:
    found: list[Finding] = []
    needed = 14 * 60 if age < 16 else 12 * 60
    for slot, following, rest in gaps(facts.timetable):
        if (following.weekday - slot.weekday) % 7 == 1 and rest < needed:
            found.append(finding(facts, "daily_rest", f"{_pair(slot, following)} : {hours_text(rest)} de repos "
                                                      f"entre deux journées, moins des {hours_text(needed)} dues à "
                                                      f"un élève de {age} ans", "timetable"))
    present = {slot.weekday for slot in facts.timetable}
    if not any(day not in present and (day + 1) % 7 not in present for day in range(7)):
        found.append(finding(facts, "weekly_rest", "Semaine : il faut deux jours de repos consécutifs", "timetable"))
    return found


def _adult_rests(facts: ConventionFacts) -> list[Finding]:
    found: list[Finding] = []
    pairs = gaps(facts.timetable)
    for slot, following, rest in pairs:
        if (following.weekday - slot.weekday) % 7 == 1 and rest < ADULT_DAILY_REST:
            found.append(finding(facts, "adult_daily_rest", f"{_pair(slot, following)} : {hours_text(rest)} de repos "
                                                            "entre deux journées, moins des 11 h dues à un "
                                                            "stagiaire majeur", "timetable"))
    longest = max((rest for _, _, rest in pairs), default=7 * DAY)
    if len(pairs) > 6 or longest < ADULT_WEEKLY_REST:
        found.append(finding(facts, "adult_weekly_rest", f"Semaine : {len(pairs)} jours de présence et "
                                                         f"{hours_text(longest)} de repos d'affilée au plus, moins "
                                                         "des 35 h du repos hebdomadaire", "timetable"))
    return found


def _pair(slot: DaySlot, following: DaySlot) -> str:
    return f"{WEEKDAYS[slot.weekday]} – {WEEKDAYS[following.weekday].lower()}"
