"""The demo's planned periods: each school's classes out at partners, bac pro commerce all in November."""

from __future__ import annotations

from datetime import date, timedelta

from poledesk.data.demo import names as words
from poledesk.data.demo.history import HistoryBuilder
from poledesk.data.enums import Audience
from poledesk.data.models import PlanningPeriod

# audience -> ((month, week of the month, weeks long), ...) and the class levels that go out
WINDOWS: dict[Audience, tuple[tuple[int, int, int], ...]] = {
    Audience.OBSERVATION_4E_3E: ((12, 2, 1), (1, 3, 1), (2, 1, 1)),
    Audience.SECONDE_GT: ((6, 3, 2),),
    Audience.PFMP_CAP: ((11, 2, 3), (3, 2, 4), (1, 2, 3)),
    Audience.PFMP_BACPRO: ((11, 3, 3), (1, 2, 4), (3, 3, 4)),
    Audience.STS: ((5, 2, 6), (1, 3, 4)),
}
LEVELS = {Audience.PFMP_CAP: ("1CAP", "2CAP"), Audience.PFMP_BACPRO: ("1re", "Tle"), Audience.STS: ("BTS1",),
          Audience.SECONDE_GT: ("2nde",), Audience.OBSERVATION_4E_3E: ("",)}
OWN_WINDOWS = {"OBS-4E": ((5, 3, 1),)}
CONCENTRATED = "BP-MCVA"   # every school sends it out the same November weeks: the demo's tension


class PlanningBuilder(HistoryBuilder):
    def add_periods(self) -> None:
        periods = []
        for school, codes in zip(self.schools, self.school_codes, strict=True):
            for code in codes:
                spec = self.specs[code]
                for level in LEVELS.get(spec.audience, ()):
                    periods += self.periods_of(school.id, code, spec, level)
        self.save(periods, "periods")

    def periods_of(self, school_id: int, code: str, spec: words.FormationSpec, level: str) -> list[PlanningPeriod]:
        r = self.rng
        windows = OWN_WINDOWS.get(code, WINDOWS[spec.audience])
        chosen = windows if code == CONCENTRATED else r.sample(windows, 1)
        found = []
        for month, week, length in chosen:
            shift = 0 if code == CONCENTRATED and month == 11 else r.randint(-1, 1)
            monday = self._monday(month, week + shift)
            division = f"{level} {spec.short}".strip() if level else f"{spec.short.upper()} {r.choice('ABC')}"
            low, high = (14, 20) if code == CONCENTRATED else (8, 16)
            found.append(self.new(PlanningPeriod, establishment_id=school_id, formation_id=self.formations[code].id,
                                  division=division, audience=spec.audience, start_date=monday,
                                  end_date=monday + timedelta(days=7 * length - 3), pupils=r.randint(low, high),
                                  source="entered"))
        return found

    def _monday(self, month: int, week: int) -> date:
        first = date(self.year_start.year + (month < 9), month, 1)
        first_monday = first + timedelta(days=(7 - first.weekday()) % 7)
        monday = first_monday + timedelta(days=7 * (max(week, 1) - 1))
        while any(start <= monday + timedelta(days=2) <= end for start, end in self.holidays):
            monday += timedelta(days=7)   # schools plan no period in their holidays
        return monday
