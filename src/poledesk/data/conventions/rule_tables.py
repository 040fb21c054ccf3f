"""The dated tables the rules read: the seconde observation's national windows and the gratification's hourly rate.

Both ship as JSON in resources/rules/, one row per year (or per change), so a new year is a new row, not new code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from poledesk import paths

SECONDE_WINDOWS_FILE = "rules/seconde_windows.json"
GRATIFICATION_RATES_FILE = "rules/gratification_rates.json"


@dataclass(frozen=True, slots=True)
class ObservationWindow:
    school_year: str            # '2024-2025'
    start: date
    end: date
    source: str


@dataclass(frozen=True, slots=True)
class GratificationRate:
    applies_from: date
    percent: Decimal            # share of the hourly ceiling of social security
    ceiling: Decimal | None     # that ceiling, € per hour; None when the table does not give it
    hourly: Decimal | None      # the minimum, € per hour of presence; None when the table does not give it
    source: str

    def text(self) -> str:
        """'4,50 € par heure de présence, soit 15 % du plafond horaire de la sécurité sociale'."""
        share = f"{_french(self.percent)} % du plafond horaire de la sécurité sociale"
        if self.hourly is None:
            return share
        return f"{_french(self.hourly, places=2)} € par heure de présence, soit {share}"


def school_year_of(day: date) -> str:
    """'2026-2027' for any day from 1 September 2026 to 31 August 2027."""
    first = day.year if day.month >= 9 else day.year - 1
    return f"{first}-{first + 1}"


def school_year_bounds(day: date) -> tuple[date, date]:
    first = day.year if day.month >= 9 else day.year - 1
    return date(first, 9, 1), date(first + 1, 8, 31)


def seconde_window(day: date) -> ObservationWindow | None:
    """The national window of the school year of `day`; None when the table has no row for that year."""
    return next((w for w in seconde_windows() if w.school_year == school_year_of(day)), None)


@lru_cache(maxsize=1)
def seconde_windows() -> tuple[ObservationWindow, ...]:
    rows = _load(SECONDE_WINDOWS_FILE)["windows"]
    return tuple(ObservationWindow(row["school_year"], date.fromisoformat(row["start"]),
                                   date.fromisoformat(row["end"]), row["source"]) for row in rows)


def gratification_rate(day: date) -> GratificationRate:
    """The rate in force on `day`; before the table's first row, that first row (the oldest text it knows)."""
    rates = gratification_rates()
    in_force = [rate for rate in rates if rate.applies_from <= day]
    return in_force[-1] if in_force else rates[0]


@lru_cache(maxsize=1)
def gratification_rates() -> tuple[GratificationRate, ...]:
    rows = _load(GRATIFICATION_RATES_FILE)["rates"]
    rates = (GratificationRate(date.fromisoformat(row["from"]), Decimal(row["percent"]), _decimal(row["ceiling"]),
                               _decimal(row["hourly"]), row["source"]) for row in rows)
    return tuple(sorted(rates, key=lambda rate: rate.applies_from))


def _load(name: str) -> dict[str, Any]:
    with paths.resource(name).open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _french(value: Decimal, *, places: int | None = None) -> str:
    text = f"{value:.{places}f}" if places is not None else format(value.normalize(), "f")
    return text.replace(".", ",")
