"""What the Planification view, its exports and the CLI ask of the calendar: its setting (year, zone, département),
the drawn calendar, what lies behind a cell, a period moved, the weeks in tension for an escalation, and the weeks
where neighbouring poles compete for one sector."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from poledesk.data import identity
from poledesk.data.enums import Audience
from poledesk.data.holidays import department_of
from poledesk.data.models import Establishment, HostingOffer, Partner, PlanningPeriod, Pole
from poledesk.data.planning.calendar import (
    OVER,
    Calendar,
    Cell,
    OfferFact,
    PeriodFact,
    Tension,
    build_calendar,
    load_facts,
)
from poledesk.data.planning.periods import list_periods, period_form_of, save_period
from poledesk.data.planning.school_calendar import Week, parse_school_year, school_weeks, shipped_years, zone_of
from poledesk.data.text import format_date, plural_words, school_year_of
from poledesk.data.validation import ValidationError

LEGEND_ALL_YEAR = "Une offre sans mois précisés compte ses places toute l'année."


@dataclass(frozen=True, slots=True)
class Setting:
    """The calendar's frame: the school year, the holidays' zone and the département of the public holidays."""

    school_year: str
    zone: str
    department: str | None
    title: str               # the pole's (or the académie's) name, for headers and exports
    coordinator: bool

    def weeks(self) -> list[Week]:
        return school_weeks(self.school_year, self.zone, self.department)


@dataclass(frozen=True, slots=True)
class PoleChoice:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class CellDetail:
    """The periods and the offers behind one cell of the calendar."""

    row_label: str
    week: Week
    cell: Cell
    periods: tuple[PeriodFact, ...]
    offers: tuple[OfferFact, ...]


@dataclass(frozen=True, slots=True)
class Competition:
    """A week where periods of several poles compete for the places of one sector, beyond what it offers."""

    week: Week
    sector: str
    owners: tuple[str, ...]
    cell: Cell


def planning_setting(session: Session, school_year: str | None = None, *, today: date | None = None) -> Setting:
    """The year (today's school year by default), the zone of this install's académie, and the département most of
    its establishments are in (Alsace-Moselle has two more public holidays)."""
    year = school_year or school_year_of(today or date.today())
    try:
        parse_school_year(year)
    except ValueError as error:
        raise ValidationError({"school_year": str(error)}) from error
    ident = identity.current_identity(session)
    postcodes = session.scalars(select(Establishment.postcode).where(Establishment.deleted_at.is_(None)))
    departments = Counter(d for d in (department_of(p) for p in postcodes) if d)
    department = departments.most_common(1)[0][0] if departments else None
    coordinator = ident is not None and ident.role == identity.ROLE_COORDINATOR
    title = "" if ident is None else (f"Académie de {ident.academie}" if coordinator else ident.name)
    return Setting(year, zone_of(ident.academie if ident else ""), department, title, coordinator)


def school_years(today: date | None = None) -> list[str]:
    """The years the view offers: those of the shipped holiday table, and today's."""
    return sorted({*shipped_years(), school_year_of(today or date.today())})


def planning_poles(session: Session) -> list[PoleChoice]:
    """The poles whose calendar a coordinator can look at, by name."""
    rows = session.execute(select(Pole.code, Pole.name).where(Pole.deleted_at.is_(None)).order_by(Pole.name))
    return [PoleChoice(code, name) for code, name in rows]


def draw_calendar(session: Session, setting: Setting, *, grouping: str = "audience",
                  owner: str | None = None) -> Calendar:
    """The calendar of the setting's year, of one pole's records when `owner` is given."""
    facts = load_facts(session, setting.school_year, owner=owner)
    return build_calendar(facts, setting.weeks(), school_year=setting.school_year, grouping=grouping)


def redraw(calendar: Calendar, *, grouping: str | None = None,
           moves: Mapping[int, tuple[date, date]] | None = None) -> Calendar:
    """The same facts drawn again, grouped otherwise or with some periods moved (what-if): no store needed."""
    if not moves and grouping in (None, calendar.grouping):
        return calendar
    facts = calendar.facts.moved(moves or {})
    return build_calendar(facts, calendar.weeks, school_year=calendar.school_year,
                          grouping=grouping or calendar.grouping)


def cell_detail(calendar: Calendar, row_index: int, week_index: int) -> CellDetail:
    row = calendar.rows[row_index]
    cell = row.cells[week_index]
    periods = {p.id: p for p in calendar.facts.periods}
    offers = {o.id: o for o in calendar.facts.offers}
    return CellDetail(row.label, calendar.weeks[week_index], cell,
                      tuple(sorted((periods[i] for i in cell.period_ids), key=lambda p: (p.establishment_name,
                                                                                           p.division))),
                      tuple(sorted((offers[i] for i in cell.offer_ids), key=lambda o: (-o.places, o.partner_name))))


def shifted(period: PeriodFact, weeks: int) -> tuple[date, date]:
    return period.start_date + timedelta(weeks=weeks), period.end_date + timedelta(weeks=weeks)


def move_period(session: Session, period_id: int, start: date, end: date) -> int:
    """Save a period's new dates, checked as the period form checks them (it stays in its school year)."""
    rows = [row for row in list_periods(session) if row.id == period_id]
    if not rows:
        raise ValidationError({"start_date": "Cette période a été supprimée entre-temps."})
    row = rows[0]
    form = replace(period_form_of(row), start_date=start, end_date=end)
    return save_period(session, form, period_id, school_year=row.school_year)


def tension_label(tension: Tension) -> str:
    cell = tension.cell
    return (f"semaine du {format_date(tension.week.monday)} – {tension.row_label} : {cell.demand} élèves pour "
            f"{cell.capacity} places")


# -- escalations ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TensionIndex:
    """The weeks in tension of some school years, per audience and per formation, to warn escalations."""

    by_audience: Mapping[str, frozenset[date]]
    by_formation: Mapping[int | str, frozenset[date]]   # by formation id, and by its label (what lists show)
    years: frozenset[str]

    def weeks_in_tension(self, audience: Audience | None, formation: int | str | None, start: date | None,
                         end: date | None) -> list[date]:
        """Mondays of the weeks in tension that a period from start to end touches (its formation's row when the
        bassin plans that formation, else its audience's)."""
        if start is None or end is None or end < start:
            return []
        if formation is not None and formation in self.by_formation:
            mondays = self.by_formation[formation]
        elif audience is not None:
            mondays = self.by_audience.get(audience.value, frozenset())
        else:
            return []
        first = start - timedelta(days=start.weekday())
        return sorted(m for m in mondays if first <= m <= end)


def tension_index(session: Session, years: Iterable[str], *, owner: str | None = None) -> TensionIndex:
    by_audience: dict[str, set[date]] = {}
    by_formation: dict[int | str, set[date]] = {}
    wanted = sorted(set(years))
    for year in wanted:
        setting = planning_setting(session, year)
        facts = load_facts(session, year, owner=owner)
        weeks = setting.weeks()
        audience_sheet = build_calendar(facts, weeks, school_year=year, grouping="audience")
        for row in audience_sheet.rows:
            by_audience.setdefault(row.key, set()).update(_over(audience_sheet.weeks, row.cells))
        formation_sheet = build_calendar(facts, weeks, school_year=year, grouping="formation")
        for row in formation_sheet.rows:
            if row.key.isdigit():   # "-<audience>": the periods of no formation
                over = _over(formation_sheet.weeks, row.cells)
                by_formation.setdefault(int(row.key), set()).update(over)
                by_formation.setdefault(row.label, set()).update(over)
    return TensionIndex({k: frozenset(v) for k, v in by_audience.items()},
                        {k: frozenset(v) for k, v in by_formation.items()}, frozenset(wanted))


def _over(weeks: Sequence[Week], cells: Sequence[Cell]) -> set[date]:
    return {week.monday for week, cell in zip(weeks, cells, strict=True) if cell.level == OVER}


def weeks_in_tension(session: Session, *, audience: Audience | None, formation_id: int | None,
                     start: date | None, end: date | None) -> list[date]:
    """The Mondays of the weeks in tension between start and end, for this audience (or formation)."""
    if start is None or end is None or end < start:
        return []
    years = {school_year_of(start), school_year_of(end)}
    return tension_index(session, years).weeks_in_tension(audience, formation_id, start, end)


def planning_stamp(session: Session) -> tuple[object, ...]:
    """What changes whenever a period, an offer or a partner is written (count and last write of each table): a
    cheap query that tells a TensionIndex it must be computed again."""
    stamp: list[object] = []
    for model in (PlanningPeriod, HostingOffer, Partner, Establishment):
        stamp += session.execute(select(func.count(model.id), func.max(model.updated_at))).one()
    return tuple(stamp)


class TensionCache:
    """A TensionIndex kept while the store's periods, offers and partners stay as they were (see planning_stamp):
    lists and forms ask it at every refresh, and the calendar is drawn only after a change."""

    def __init__(self) -> None:
        self._key: tuple[object, ...] | None = None
        self._index: TensionIndex | None = None

    def index(self, session: Session, years: Iterable[str]) -> TensionIndex:
        wanted = frozenset(years)
        key = (*planning_stamp(session), wanted)
        if self._index is None or key != self._key:
            self._index = tension_index(session, wanted)
            self._key = key
        return self._index

    def weeks(self, session: Session, audience: Audience | None, formation: int | str | None, start: date | None,
              end: date | None) -> list[date]:
        """The weeks in tension a period touches; `formation` is a formation's id, or its label as lists show it."""
        if start is None or end is None or end < start:
            return []
        years = {school_year_of(start), school_year_of(end)}
        known = self._index.years if self._index is not None else frozenset()
        index = self.index(session, years | known)
        return index.weeks_in_tension(audience, formation, start, end)


def tension_warning(mondays: Sequence[date]) -> str:
    """The French warning an escalation shows; empty when no week is in tension."""
    if not mondays:
        return ""
    shown = ", ".join(format_date(m) for m in mondays[:4]) + ("…" if len(mondays) > 4 else "")
    count = len(mondays)
    weeks = "une semaine en tension" if count == 1 else f"{count} semaines en tension"
    return (f"Période en {weeks} dans le bassin ({plural_words(count, 'semaine')} du {shown}) : plus d'élèves "
            "dehors que de places offertes. Commencez la recherche tôt.")


# -- coordinator ---------------------------------------------------------------------------------------------------
def competitions(calendar: Calendar) -> list[Competition]:
    """Weeks where a sector's places are exceeded and its pupils come from more than one pole (grouped by sector
    whatever the calendar's grouping)."""
    sheet = calendar if calendar.grouping == "sector" else redraw(calendar, grouping="sector")
    owners = {p.id: p.owner for p in sheet.facts.periods}
    found = []
    for row in sheet.rows:
        for week, cell in zip(sheet.weeks, row.cells, strict=True):
            poles = tuple(sorted({owners[i] for i in cell.period_ids}))
            if cell.level == OVER and len(poles) > 1:
                found.append(Competition(week, row.label, poles, cell))
    return sorted(found, key=lambda c: (c.week.monday, c.sector))


def count_rows(session: Session, school_year: str) -> int:
    """The bare count of a year's live periods: the floor the benchmark sets the calendar's draw beside."""
    first = date(int(school_year[:4]), 9, 1)
    return session.scalar(select(func.count(PlanningPeriod.id)).where(
        PlanningPeriod.deleted_at.is_(None), PlanningPeriod.start_date >= first,
        PlanningPeriod.start_date < date(first.year + 1, 9, 1))) or 0

