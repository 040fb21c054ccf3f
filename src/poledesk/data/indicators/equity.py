"""Equity indicators for the coordinator, kept apart: they read what the store holds about needs today.

Escalations carry the pupil's accessibility and PAI needs as two flags; when bundles carry counts per school
year, audience and outcome instead, only this module changes.
"""

from __future__ import annotations

from datetime import date

from poledesk.data.enums import EscalationStatus, PriorityEducation
from poledesk.data.indicators.catalog import Entry
from poledesk.data.indicators.compute import Figures
from poledesk.data.indicators.facts import Facts
from poledesk.data.indicators.measures import Measure, school_year_bounds

ENTRIES = {
    "equity_priority_share": Entry("equity", "Part des sollicitations d'éducation prioritaire",
                                   "Sollicitations de l'année venant d'établissements REP ou REP+, divisées par "
                                   "toutes les sollicitations de l'année.", "share", "escalation"),
    "equity_needs": Entry("equity", "Sollicitations avec handicap ou PAI",
                          "Sollicitations de l'année dont l'élève a besoin d'un accueil accessible ou d'un PAI.",
                          "count", "escalation"),
    "equity_needs_solved": Entry("equity", "Sollicitations avec handicap ou PAI résolues",
                                 "Parmi les sollicitations avec handicap ou PAI, celles qui ont abouti à un stage.",
                                 "count", "escalation"),
}


def equity(facts: Facts, year: str, today: date) -> Figures:
    start, end = school_year_bounds(year)
    rows = [e for e in facts.escalations if start <= e.received_on <= end]
    priority = [e.id for e in rows if e.priority in (PriorityEducation.REP, PriorityEducation.REP_PLUS)]
    needs = [e for e in rows if e.needs_accessibility or e.needs_pai]
    return {
        "equity_priority_share": (Measure.ratio(len(priority), len(rows), priority), ()),
        "equity_needs": (Measure.count([e.id for e in needs]), ()),
        "equity_needs_solved": (Measure.count([e.id for e in needs if e.status == EscalationStatus.PLACED]), ()),
    }
