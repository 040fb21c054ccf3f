"""The coordinator's views: every pole side by side with the académie's totals, the map, shared partners."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data.enums import PartnerStatus
from poledesk.data.indicators.facts import PoleFact, load_facts
from poledesk.data.indicators.measures import IndicatorReport, Measure, check_school_year
from poledesk.data.indicators.service import report_from_facts
from poledesk.data.models import Partner
from poledesk.data.text import fold


@dataclass(frozen=True, slots=True)
class PoleReport:
    code: str
    name: str
    bassin: str
    report: IndicatorReport


@dataclass(frozen=True, slots=True)
class AcademyReport:
    """One report per pole (ordered by code) and the académie's, computed from the same facts."""

    school_year: str
    poles: tuple[PoleReport, ...]
    academy: IndicatorReport


@dataclass(frozen=True, slots=True)
class MapRow:
    """A line of the académie's map."""

    code: str
    name: str
    bassin: str
    establishments: int
    pupils: Measure
    partners: int
    places: int
    ratio: Measure


@dataclass(frozen=True, slots=True)
class SharedPartner:
    name: str
    siret: str | None
    commune_key: str
    poles: tuple[str, ...]
    partner_ids: tuple[int, ...]


def academy_report(session: Session, school_year: str, *, today: date | None = None) -> AcademyReport:
    """Every pole of the store and the académie (all of them), for a school year and the one before."""
    year = check_school_year(school_year)
    facts = load_facts(session)
    poles = sorted(facts.poles, key=lambda p: p.code) or [PoleFact("", "", "")]
    per_pole = tuple(PoleReport(p.code, p.name, p.bassin,
                                report_from_facts(facts.of_owner([p.code]), year, poles=[p.code], today=today))
                     for p in poles if p.code)
    academy = report_from_facts(facts, year, poles=[p.code for p in poles if p.code], today=today)
    return AcademyReport(year, per_pole, academy)


def map_row(code: str, name: str, bassin: str, report: IndicatorReport) -> MapRow:
    schools = report.get("pupils").current.record_ids + report.get("schools_without_counts").current.record_ids
    return MapRow(code, name, bassin, len(set(schools)), report.get("pupils").current,
                  int(report.get("partners_active").current.value or 0),
                  int(report.get("places").current.value or 0), report.get("places_ratio").current)


def academy_map(report: AcademyReport) -> tuple[list[MapRow], MapRow]:
    """A row per pole, and the académie's row (its ratio is total places over total pupils, not a mean)."""
    rows = [map_row(p.code, p.name, p.bassin, p.report) for p in report.poles]
    return rows, map_row("", "Académie", "", report.academy)


def shared_partners(session: Session) -> list[SharedPartner]:
    """Live partners known to several poles: the same SIRET, or without one the same name in the same postcode."""
    groups: dict[tuple[str, str], list[tuple[int, str, str, str | None]]] = defaultdict(list)
    statement = (select(Partner.id, Partner.owner, Partner.name, Partner.siret, Partner.postcode)
                 .where(Partner.deleted_at.is_(None), Partner.status != PartnerStatus.DO_NOT_CONTACT))
    for partner_id, owner, name, siret, postcode in session.execute(statement):
        key: tuple[str, str] = ("siret", siret) if siret else ("name", f"{fold(name)}|{postcode}")
        groups[key].append((partner_id, owner, name, siret))
    shared = []
    for (_kind, group_key), members in groups.items():
        owners = sorted({owner for _id, owner, _name, _siret in members})
        if len(owners) > 1:
            shared.append(SharedPartner(members[0][2], members[0][3], group_key, tuple(owners),
                                        tuple(sorted(m[0] for m in members))))
    return sorted(shared, key=lambda s: (-len(s.poles), fold(s.name)))
