"""The bassin's calendar: per week and per audience, formation or sector, pupils out against places offered.

Rules of the arithmetic (said in the view's legend):
- a period counts in a week when it holds at least one worked day of it (Monday to Friday, not a public holiday);
- an offer counts its places in a week when the week's month (the month of its Wednesday) is one of the offer's
  months; an offer with no months is open all year; only live offers of active partners count;
- an offer with no formation counts for every formation of its audience; a period's sector is the NAF section
  where the network offers the most places for its formation (or its audience, without a formation);
- a cell is in tension when the pupils out exceed the places, and busy when they use more than 80% of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data.enums import Audience, PartnerStatus
from poledesk.data.models import Establishment, Formation, HostingOffer, Partner, PlanningPeriod
from poledesk.data.naf import naf_section
from poledesk.data.planning.school_calendar import Week

GROUPINGS = {"audience": "Publics", "formation": "Formations", "sector": "Secteurs"}
BUSY_SHARE = 0.8
OVER, BUSY, FREE, IDLE = "over", "busy", "free", "idle"
LEVEL_LABELS = {OVER: "demande supérieure aux places", BUSY: "plus de 80 % des places demandées",
                FREE: "places suffisantes", IDLE: "aucun élève dehors"}
NO_SECTOR = "?"
NO_SECTOR_LABEL = "Secteur non déterminé"


@dataclass(frozen=True, slots=True)
class PeriodFact:
    id: int
    owner: str
    establishment_id: int
    establishment_name: str
    formation_id: int | None
    formation_label: str
    division: str
    audience: Audience
    start_date: date
    end_date: date
    pupils: int
    department: str


@dataclass(frozen=True, slots=True)
class OfferFact:
    id: int
    owner: str
    partner_name: str
    audience: Audience
    formation_id: int | None
    sector: str                 # NAF section letter, or NO_SECTOR
    places: int
    months: frozenset[int]      # empty: all year

    def open_in(self, month: int) -> bool:
        return not self.months or month in self.months


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything the calendar is drawn from, read once from the store: plain rows, safe across threads."""

    periods: tuple[PeriodFact, ...]
    offers: tuple[OfferFact, ...]
    formations: Mapping[int, tuple[str, Audience]]
    sectors: Mapping[str, str]  # section letter -> label

    def moved(self, overrides: Mapping[int, tuple[date, date]]) -> Facts:
        """The same facts with some periods moved (what-if): period id -> (start, end)."""
        if not overrides:
            return self
        periods = tuple(replace(p, start_date=overrides[p.id][0], end_date=overrides[p.id][1])
                        if p.id in overrides else p for p in self.periods)
        return replace(self, periods=periods)


@dataclass(frozen=True, slots=True)
class Cell:
    demand: int
    capacity: int
    period_ids: tuple[int, ...]
    offer_ids: tuple[int, ...]

    @property
    def level(self) -> str:
        if self.demand == 0:
            return IDLE
        if self.demand > self.capacity:
            return OVER
        return BUSY if self.demand > BUSY_SHARE * self.capacity else FREE

    @property
    def text(self) -> str:
        return f"{self.demand}/{self.capacity}" if self.demand else ""


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Tension:
    week: Week
    row_label: str
    cell: Cell


@dataclass(frozen=True, slots=True)
class Calendar:
    school_year: str
    grouping: str
    weeks: tuple[Week, ...]
    rows: tuple[Row, ...]
    facts: Facts = field(repr=False, compare=False)

    def tensions(self, levels: Iterable[str] = (OVER,)) -> list[Tension]:
        """Cells at the given levels, week by week."""
        wanted = set(levels)
        found = [Tension(week, row.label, cell) for row in self.rows
                 for week, cell in zip(self.weeks, row.cells, strict=True) if cell.level in wanted]
        return sorted(found, key=lambda t: (t.week.monday, t.row_label))

    def level_of(self, period_id: int) -> str:
        """The worst level of the cells a period counts in (over > busy > free)."""
        levels = {cell.level for row in self.rows for cell in row.cells if period_id in cell.period_ids}
        return next((level for level in (OVER, BUSY, FREE) if level in levels), IDLE)

    def cell(self, row_key: str, monday: date) -> Cell | None:
        for row in self.rows:
            if row.key == row_key:
                for week, cell in zip(self.weeks, row.cells, strict=True):
                    if week.monday == monday:
                        return cell
        return None


# -- reading the store -----------------------------------------------------------------------------------------
def load_facts(session: Session, school_year: str, *, owner: str | None = None) -> Facts:
    """Live periods starting in the school year, live offers of active partners, of one owner when given."""
    first = date(int(school_year[:4]), 9, 1)
    periods = (select(PlanningPeriod.id, PlanningPeriod.owner, PlanningPeriod.establishment_id, Establishment.name,
                      PlanningPeriod.formation_id, Formation.label, PlanningPeriod.division, PlanningPeriod.audience,
                      PlanningPeriod.start_date, PlanningPeriod.end_date, PlanningPeriod.pupils,
                      Establishment.postcode)
               .join(Establishment, Establishment.id == PlanningPeriod.establishment_id)
               .outerjoin(Formation, Formation.id == PlanningPeriod.formation_id)
               .where(PlanningPeriod.deleted_at.is_(None), Establishment.deleted_at.is_(None),
                      PlanningPeriod.start_date >= first, PlanningPeriod.start_date < date(first.year + 1, 9, 1)))
    offers = (select(HostingOffer.id, HostingOffer.owner, Partner.name, HostingOffer.audience,
                     HostingOffer.formation_id, Partner.naf_code, HostingOffer.places, HostingOffer.months)
              .join(Partner, Partner.id == HostingOffer.partner_id)
              .where(HostingOffer.deleted_at.is_(None), Partner.deleted_at.is_(None),
                     Partner.status == PartnerStatus.ACTIVE))
    if owner is not None:
        periods = periods.where(PlanningPeriod.owner == owner)
        offers = offers.where(HostingOffer.owner == owner)
    period_facts = tuple(PeriodFact(pid, own, school, name, fid, label or "", division, audience, start, end, pupils,
                                    (postcode or "")[:2])
                         for pid, own, school, name, fid, label, division, audience, start, end, pupils, postcode
                         in session.execute(periods))
    sectors: dict[str, str] = {}
    offer_facts = []
    for oid, own, name, audience, formation, naf, places, months in session.execute(offers):
        section = _section(naf or "")
        letter = section[0] if section else NO_SECTOR
        sectors[letter] = section[1] if section else NO_SECTOR_LABEL
        offer_facts.append(OfferFact(oid, own, name, audience, formation, letter, max(places or 0, 0),
                                     frozenset(int(m) for m in (months or "").split(",") if m.strip().isdigit())))
    formations = {fid: (label, audience) for fid, label, audience in session.execute(
        select(Formation.id, Formation.label, Formation.audience).where(Formation.deleted_at.is_(None)))}
    return Facts(period_facts, tuple(offer_facts), formations, sectors)


@lru_cache(maxsize=2048)
def _section(naf: str) -> tuple[str, str] | None:
    return naf_section(naf)


# -- the arithmetic --------------------------------------------------------------------------------------------
def period_weeks(period: PeriodFact | tuple[date, date], weeks: Sequence[Week]) -> list[int]:
    """Indexes of the weeks where the period holds at least one worked day (not a weekend, not a public holiday)."""
    start, end = (period.start_date, period.end_date) if isinstance(period, PeriodFact) else period
    return _period_weeks(start, end, weeks, _worked_days(tuple(weeks)))


def _worked_days(weeks: tuple[Week, ...]) -> tuple[tuple[date, ...], ...]:
    """Each week's weekdays that are not public holidays."""
    found = []
    for week in weeks:
        holidays = {day for day, _name in week.public_holidays}
        found.append(tuple(d for d in (week.monday + timedelta(days=n) for n in range(5)) if d not in holidays))
    return tuple(found)


def _period_weeks(start: date, end: date, weeks: Sequence[Week], worked: Sequence[Sequence[date]]) -> list[int]:
    if not weeks or end < start:
        return []
    first = weeks[0].monday   # the weeks follow each other, Monday after Monday
    low = max((start - first).days // 7, 0)
    high = min((end - first).days // 7, len(weeks) - 1)
    return [i for i in range(low, high + 1) if any(start <= day <= end for day in worked[i])]


def build_calendar(facts: Facts, weeks: Sequence[Week], *, school_year: str, grouping: str = "audience") -> Calendar:
    """Rows of cells (one per week) for the grouping: every row that has a period or an offer."""
    if grouping not in GROUPINGS:
        raise ValueError(f"Regroupement inconnu « {grouping} » : {', '.join(GROUPINGS)}.")
    period_keys, offer_keys, labels = _keys(facts, grouping)
    worked = _worked_days(tuple(weeks))
    demand: dict[str, list[list[int]]] = defaultdict(lambda: [[] for _ in weeks])
    for period in facts.periods:
        key = period_keys(period)
        for index in _period_weeks(period.start_date, period.end_date, weeks, worked):
            demand[key][index].append(period.id)
    # Places depend on the week's month only: per row and month, the offers open and their places.
    by_month: dict[str, dict[int, list[OfferFact]]] = defaultdict(lambda: defaultdict(list))
    for offer in facts.offers:
        months = offer.months or range(1, 13)
        for key in offer_keys(offer):
            for month in months:
                by_month[key][month].append(offer)
    supply = {key: {month: (sum(o.places for o in offers), tuple(o.id for o in offers))
                    for month, offers in months.items()} for key, months in by_month.items()}
    pupils = {p.id: p.pupils for p in facts.periods}
    nothing: tuple[int, tuple[int, ...]] = (0, ())
    rows = []
    for key in sorted(set(demand) | set(supply), key=lambda k: labels.get(k, k)):
        out = demand[key] if key in demand else [[] for _ in weeks]
        open_by_month = supply.get(key, {})
        cells = []
        for week, ps in zip(weeks, out, strict=True):
            places, offer_ids = open_by_month.get(week.month, nothing)
            cells.append(Cell(sum(pupils[i] for i in ps), places, tuple(ps), offer_ids))
        rows.append(Row(key, labels.get(key, key), tuple(cells)))
    return Calendar(school_year, grouping, tuple(weeks), tuple(rows), facts)


KeyFunctions = tuple[Callable[[PeriodFact], str], Callable[[OfferFact], tuple[str, ...]], dict[str, str]]


def _keys(facts: Facts, grouping: str) -> KeyFunctions:
    """The row key of a period, the row keys an offer counts in, and the rows' labels."""
    formation_labels = {str(fid): label for fid, (label, _aud) in facts.formations.items()}
    labels: dict[str, str] = {a.value: a.label for a in Audience}
    if grouping == "audience":
        return (lambda p: p.audience.value), (lambda o: (o.audience.value,)), labels
    if grouping == "formation":
        labels = {f"-{a.value}": f"{a.label} (formation non précisée)" for a in Audience} | formation_labels
        by_audience: dict[Audience, list[str]] = defaultdict(list)
        for fid, (_label, audience) in facts.formations.items():
            by_audience[audience].append(str(fid))
        wanted = {str(p.formation_id) if p.formation_id else f"-{p.audience.value}" for p in facts.periods}

        def offer_keys(offer: OfferFact) -> tuple[str, ...]:
            if offer.formation_id:
                return (str(offer.formation_id),)
            # a generic offer serves every formation of its audience that has periods, and the unspecified row
            return tuple(k for k in (*by_audience[offer.audience], f"-{offer.audience.value}") if k in wanted)

        return (lambda p: str(p.formation_id) if p.formation_id else f"-{p.audience.value}"), offer_keys, labels
    sector_of = formation_sectors(facts)
    # a formation no offer names takes its audience's sector (the offers open to the whole audience)
    return ((lambda p: sector_of.get(p.formation_id or "") or sector_of.get(p.audience.value, NO_SECTOR)),
            (lambda o: (o.sector,)),
            {**facts.sectors, NO_SECTOR: NO_SECTOR_LABEL})


def formation_sectors(facts: Facts) -> dict[int | str, str]:
    """formation id (or audience value) -> the NAF section where the network offers it the most places."""
    places: dict[int | str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for offer in facts.offers:
        if offer.sector == NO_SECTOR:
            continue
        places[offer.formation_id or offer.audience.value][offer.sector] += offer.places
        places[offer.audience.value][offer.sector] += offer.places
    return {key: max(sorted(by_sector), key=lambda s: by_sector[s]) for key, by_sector in places.items()}


def compare(before: Calendar, after: Calendar) -> tuple[int, int]:
    """Cells in tension (over capacity) before and after a what-if."""
    return len(before.tensions()), len(after.tensions())
