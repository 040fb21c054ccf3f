"""What an escalation form proposes once the establishment is chosen: the audience its kind calls for, and a
period from the establishment's planned periods or, without one, school weeks clear of holidays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from poledesk.data.enums import Audience, EstablishmentKind
from poledesk.data.holidays import department_of
from poledesk.data.identity import current_identity
from poledesk.data.models import Establishment
from poledesk.data.planning.periods import list_periods
from poledesk.data.planning.school_calendar import DEFAULT_ZONE, Week, parse_school_year, school_weeks, zone_of
from poledesk.data.text import format_date, school_year_of, school_year_start

# The audience a school of each kind asks for most: a collège's 3e observation, a lycée's seconde, an LP's PFMP.
AUDIENCE_OF_KIND = {
    EstablishmentKind.COLLEGE: Audience.OBSERVATION_4E_3E, EstablishmentKind.LYCEE: Audience.SECONDE_GT,
    EstablishmentKind.LP: Audience.PFMP_BACPRO, EstablishmentKind.LPO: Audience.PFMP_BACPRO,
    EstablishmentKind.SEP: Audience.PFMP_BACPRO, EstablishmentKind.EREA: Audience.PFMP_CAP,
    EstablishmentKind.CFA: Audience.APPRENTICESHIP,
}
# Weeks of a default period when the school has planned none: observation one week, seconde two, PFMP four.
DEFAULT_WEEKS = {Audience.OBSERVATION_4E_3E: 1, Audience.SECONDE_GT: 2, Audience.PFMP_CAP: 4,
                 Audience.PFMP_BACPRO: 4, Audience.STS: 6, Audience.APPRENTICESHIP: 4}


@dataclass(frozen=True, slots=True)
class PeriodDefault:
    start: date
    end: date
    source: str          # in French, for the form: where the dates come from
    formation_id: int | None = None    # the formation of the planned period, when it names one


def audience_for(session: Session, establishment_id: int) -> Audience | None:
    school = session.get(Establishment, establishment_id)
    return AUDIENCE_OF_KIND.get(school.kind) if school is not None else None


def default_period(session: Session, establishment_id: int | None, audience: Audience, *,
                   today: date, lead_days: int = 14) -> PeriodDefault:
    """The next period the establishment planned for the audience (starting `lead_days` from today at the
    earliest), or else the first run of school weeks from then on that no school holiday or public holiday cuts."""
    earliest = today + timedelta(days=lead_days)
    if establishment_id is not None:
        planned = [p for p in list_periods(session, establishment_id=establishment_id)
                   if p.audience is audience and p.start_date >= earliest]
        if planned:
            first = min(planned, key=lambda p: p.start_date)
            label = f" ({first.formation_label})" if first.formation_label else ""
            return PeriodDefault(first.start_date, first.end_date,
                                 f"Période prévue par l'établissement{label}, du {format_date(first.start_date)} "
                                 f"au {format_date(first.end_date)}.", first.formation_id)
    school = session.get(Establishment, establishment_id) if establishment_id is not None else None
    identity = current_identity(session)
    zone = zone_of(identity.academie) if identity is not None else DEFAULT_ZONE
    weeks = DEFAULT_WEEKS[audience]
    run = _clear_weeks(earliest, weeks, zone, department_of(school.postcode) if school else None)
    if run is None:
        monday = earliest + timedelta(days=(7 - earliest.weekday()) % 7)
        return PeriodDefault(monday, monday + timedelta(days=7 * weeks - 3), "")
    return PeriodDefault(run[0].monday, run[-1].friday,
                         "Aucune période prévue par l'établissement : semaines de cours proposées, hors vacances "
                         "scolaires et jours fériés.")


def _clear_weeks(earliest: date, count: int, zone: str, department: str | None) -> list[Week] | None:
    """The first `count` consecutive school weeks from `earliest` with no holiday at all, over this school year
    and the next."""
    weeks: list[Week] = []
    next_year = school_year_start(earliest).year + 1
    for year in (school_year_of(earliest), f"{next_year}-{next_year + 1}"):
        first_day = parse_school_year(year)[0]    # the week holding 1 September may end the summer holidays
        weeks.extend(w for w in school_weeks(year, zone, department) if w.monday >= max(earliest, first_day)
                     and (not weeks or w.monday > weeks[-1].monday))
    run: list[Week] = []
    for week in weeks:
        clear = week.holiday_weekdays == 0 and not week.public_holidays
        contiguous = not run or week.monday - run[-1].monday == timedelta(days=7)
        run = (run + [week] if contiguous else [week]) if clear else []
        if len(run) == count:
            return run
    return None
