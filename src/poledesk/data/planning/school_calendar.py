"""The official school calendar per zone (shipped table), and the weeks of a school year with their holidays."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from poledesk import paths
from poledesk.data.holidays import holidays_between

HOLIDAYS_FILE = "school_holidays.csv"
ZONES = ("A", "B", "C")
DEFAULT_ZONE = "B"
# Académies of metropolitan France and their zone (arrêté of the calendar); the demo's académie is Nancy-Metz.
ZONE_OF_ACADEMIE = {
    "besancon": "A", "bordeaux": "A", "clermont-ferrand": "A", "dijon": "A", "grenoble": "A", "limoges": "A",
    "lyon": "A", "poitiers": "A",
    "aix-marseille": "B", "amiens": "B", "lille": "B", "nancy-metz": "B", "nantes": "B", "nice": "B",
    "normandie": "B", "orleans-tours": "B", "reims": "B", "rennes": "B", "strasbourg": "B",
    "creteil": "C", "montpellier": "C", "paris": "C", "toulouse": "C", "versailles": "C",
}
_YEAR = re.compile(r"([0-9]{4})-([0-9]{4})")


@dataclass(frozen=True, slots=True)
class SchoolHoliday:
    name: str
    first_day: date
    last_day: date


@dataclass(frozen=True, slots=True)
class Week:
    """A school week (Monday to Friday), its month for the offers, and what cuts it."""

    monday: date
    month: int                              # the month of its Wednesday: the one holding most of its weekdays
    public_holidays: tuple[tuple[date, str], ...]
    school_holiday: str                     # the name of the school holiday covering a weekday of it, or ""
    holiday_weekdays: int                   # weekdays of school holiday (5: the whole week)

    @property
    def friday(self) -> date:
        return self.monday + timedelta(days=4)

    @property
    def label(self) -> str:
        return self.monday.strftime("%d/%m")

    @property
    def is_holiday(self) -> bool:
        return self.holiday_weekdays == 5


def zone_of(academie: str) -> str:
    """The zone of an académie ('Nancy-Metz' -> 'B'); zone B when the académie is not known."""
    key = academie.strip().lower().replace(" ", "-").replace("é", "e").replace("è", "e")
    return ZONE_OF_ACADEMIE.get(key, DEFAULT_ZONE)


def parse_school_year(text: str) -> tuple[date, date]:
    """'2026-2027' -> (1 September 2026, 31 August 2027); ValueError (French) for anything else."""
    match = _YEAR.fullmatch(text.strip())
    if match is None or int(match.group(2)) != int(match.group(1)) + 1:
        raise ValueError(f"Année scolaire « {text} » illisible : écrivez-la comme 2026-2027.")
    start = int(match.group(1))
    return date(start, 9, 1), date(start + 1, 8, 31)


@cache
def _table() -> dict[tuple[str, str], tuple[SchoolHoliday, ...]]:
    found: dict[tuple[str, str], list[SchoolHoliday]] = {}
    with paths.resource(HOLIDAYS_FILE).open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        for row in csv.DictReader(lines, delimiter=";"):
            holiday = SchoolHoliday(row["name"], date.fromisoformat(row["first_day"]),
                                    date.fromisoformat(row["last_day"]))
            found.setdefault((row["school_year"], row["zone"]), []).append(holiday)
    return {key: tuple(sorted(rows, key=lambda h: h.first_day)) for key, rows in found.items()}


def shipped_years() -> list[str]:
    return sorted({year for year, _zone in _table()})


def school_holidays(school_year: str, zone: str = DEFAULT_ZONE) -> tuple[SchoolHoliday, ...]:
    """The holidays of the shipped table for a year and zone; empty for a year the table does not hold."""
    return _table().get((school_year, zone), ())


def school_weeks(school_year: str, zone: str = DEFAULT_ZONE, department: str | None = None) -> list[Week]:
    """Monday-based weeks from the one holding 1 September to the one the summer holidays start in (without a
    table for the year, to the week holding 4 July), with public holidays and school holidays on each."""
    first, last = parse_school_year(school_year)
    holidays = school_holidays(school_year, zone)
    summer = next((h.first_day for h in holidays if h.first_day.month in (6, 7)), date(last.year, 7, 4))
    public = holidays_between(first - timedelta(days=7), last, department)
    monday = first - timedelta(days=first.weekday())
    weeks: list[Week] = []
    while monday <= summer:
        days = [monday + timedelta(days=n) for n in range(5)]
        covering = [h for h in holidays if any(h.first_day <= d <= h.last_day for d in days)]
        off = sum(1 for d in days if any(h.first_day <= d <= h.last_day for h in covering))
        weeks.append(Week(monday, days[2].month, tuple((d, public[d]) for d in days if d in public),
                          covering[0].name if covering else "", off))
        monday += timedelta(days=7)
    return weeks
