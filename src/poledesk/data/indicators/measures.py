"""What an indicator is: a French definition, a value for the year and the year before, the records behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from poledesk.data.text import format_count

NOT_FILLED = "non renseigné"


def school_year_bounds(school_year: str) -> tuple[date, date]:
    """'2026-2027' -> (1 September 2026, 31 August 2027)."""
    start = int(school_year.split("-")[0])
    return date(start, 9, 1), date(start + 1, 8, 31)


def previous_school_year(school_year: str) -> str:
    start = int(school_year.split("-")[0])
    return f"{start - 1}-{start}"


def check_school_year(text: str) -> str:
    """'2026-2027' as typed, or ValueError with a French message."""
    parts = text.strip().split("-")
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() and len(p) == 4 for p in parts) \
            or int(parts[1]) != int(parts[0]) + 1:
        raise ValueError(f"Année scolaire invalide « {text} » : écrivez-la comme 2026-2027.")
    return text.strip()


@dataclass(frozen=True, slots=True)
class Measure:
    """One figure. `value` is None when its denominator is missing: it then reads « non renseigné », never 0."""

    value: float | None
    record_ids: tuple[int, ...] = ()
    numerator: int | None = None
    denominator: int | None = None

    @classmethod
    def count(cls, ids: list[int] | tuple[int, ...]) -> Measure:
        ids = tuple(sorted(set(ids)))
        return cls(float(len(ids)), ids, len(ids), None)

    @classmethod
    def ratio(cls, numerator: int, denominator: int | None, ids: list[int] | tuple[int, ...] = ()) -> Measure:
        value = None if not denominator else numerator / denominator
        return cls(value, tuple(sorted(set(ids))), numerator, denominator or None)


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator for a scope and a school year, against the previous school year.

    `table` names the records listed in `record_ids` ('escalation', 'partner', 'visit', 'placement',
    'training_session', 'contact', 'hosting_offer', 'establishment'), so a figure opens to its list.
    """

    key: str
    family: str
    label: str
    definition: str
    kind: str                          # count, ratio, share, days
    table: str
    current: Measure
    previous: Measure
    breakdown: tuple[tuple[str, int], ...] = field(default=())

    @property
    def text(self) -> str:
        return format_measure(self.kind, self.current)

    @property
    def previous_text(self) -> str:
        return format_measure(self.kind, self.previous)


def format_number(value: float, decimals: int = 0) -> str:
    """French figures: narrow no-break space between thousands, comma for decimals."""
    text = f"{abs(value):.{decimals}f}"
    whole, _, fraction = text.partition(".")
    sign = "-" if value < 0 and float(text) != 0 else ""
    grouped = sign + format_count(int(whole))
    return f"{grouped},{fraction}" if fraction else grouped


def format_measure(kind: str, measure: Measure) -> str:
    if measure.value is None:
        return NOT_FILLED
    if kind == "share":
        return f"{format_number(measure.value * 100)} %"
    if kind == "ratio":
        return format_number(measure.value, 2)
    if kind == "days":
        return f"{format_number(measure.value, 1 if measure.value % 1 else 0)} j"
    return format_number(measure.value)


@dataclass(frozen=True, slots=True)
class IndicatorReport:
    """Every indicator of one scope (pole codes, or every pole) for one school year."""

    school_year: str
    previous_year: str
    poles: tuple[str, ...]             # the pole codes covered; empty for "the whole store"
    indicators: tuple[Indicator, ...]

    def get(self, key: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.key == key:
                return indicator
        raise KeyError(key)

    def family(self, family: str) -> list[Indicator]:
        return [i for i in self.indicators if i.family == family]
