"""The indicators service: one scope (a pole, several poles, the académie) and a school year, in French."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy.orm import Session

from poledesk.data.indicators import equity
from poledesk.data.indicators.catalog import ENTRIES, Entry
from poledesk.data.indicators.compute import FAMILY_FIGURES, Figures
from poledesk.data.indicators.facts import Facts, load_facts
from poledesk.data.indicators.measures import Indicator, IndicatorReport, check_school_year, previous_school_year

ALL_ENTRIES: dict[str, Entry] = {**ENTRIES, **equity.ENTRIES}


def _figures(facts: Facts, year: str, today: date) -> Figures:
    figures: Figures = {}
    for family in (*FAMILY_FIGURES, equity.equity):
        figures.update(family(facts, year, today))
    return figures


def report_from_facts(facts: Facts, school_year: str, *, poles: Collection[str] = (),
                      today: date | None = None) -> IndicatorReport:
    """Every indicator of `facts` for `school_year`, each against the year before."""
    today = today or date.today()
    previous = previous_school_year(school_year)
    now, before = _figures(facts, school_year, today), _figures(facts, previous, today)
    indicators = tuple(
        Indicator(key, entry.family, entry.label, entry.definition, entry.kind, entry.table,
                  now[key][0], before[key][0], now[key][1])
        for key, entry in ALL_ENTRIES.items())
    return IndicatorReport(school_year, previous, tuple(sorted(poles)), indicators)


def compute_indicators(session: Session, school_year: str, *, poles: Collection[str] | None = None,
                       today: date | None = None) -> IndicatorReport:
    """The indicators of the records owned by `poles` (pole codes), or of the whole store when None.

    A pole's store holds only its own records, so None is that pole; on the coordinator's store None is the académie.
    """
    year = check_school_year(school_year)
    facts = load_facts(session, poles)
    return report_from_facts(facts, year, poles=poles or (), today=today)
