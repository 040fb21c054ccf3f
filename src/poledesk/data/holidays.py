"""French public holidays (jours fériés), computed for any year, with the two more of Alsace-Moselle."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

# Moselle, Bas-Rhin and Haut-Rhin keep the local law (Code du travail, L3134-13): Good Friday and 26 December.
ALSACE_MOSELLE = frozenset({"57", "67", "68"})


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous algorithm of Meeus, Jones and Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=256)
def _national(year: int) -> tuple[tuple[date, str], ...]:
    easter = easter_sunday(year)
    return (
        (date(year, 1, 1), "Jour de l'an"),
        (easter + timedelta(days=1), "Lundi de Pâques"),
        (date(year, 5, 1), "Fête du travail"),
        (date(year, 5, 8), "Victoire 1945"),
        (easter + timedelta(days=39), "Ascension"),
        (easter + timedelta(days=50), "Lundi de Pentecôte"),
        (date(year, 7, 14), "Fête nationale"),
        (date(year, 8, 15), "Assomption"),
        (date(year, 11, 1), "Toussaint"),
        (date(year, 11, 11), "Armistice 1918"),
        (date(year, 12, 25), "Noël"),
    )


def department_of(postcode: str | None) -> str | None:
    """The département of a French postcode ('57000' -> '57'; Corsica '20' and overseas '97x' kept as written)."""
    code = (postcode or "").strip()
    if len(code) != 5 or not code.isdigit():
        return None
    return code[:3] if code.startswith("97") else code[:2]


def public_holidays(year: int, department: str | None = None) -> dict[date, str]:
    """Every public holiday of `year`, date -> French name; with Alsace-Moselle's two when `department` is 57, 67
    or 68. Lundi de Pentecôte is listed: it is a public holiday, even where it is worked as the solidarity day."""
    days = dict(_national(year))
    if department in ALSACE_MOSELLE:
        days[easter_sunday(year) - timedelta(days=2)] = "Vendredi saint"
        days[date(year, 12, 26)] = "Saint-Étienne"
    return dict(sorted(days.items()))


def holidays_between(start: date, end: date, department: str | None = None) -> dict[date, str]:
    """The public holidays from `start` to `end`, both included (empty when end is before start)."""
    found: dict[date, str] = {}
    for year in range(start.year, end.year + 1):
        found.update({day: name for day, name in public_holidays(year, department).items() if start <= day <= end})
    return found


def is_public_holiday(day: date, department: str | None = None) -> bool:
    return day in public_holidays(day.year, department)
