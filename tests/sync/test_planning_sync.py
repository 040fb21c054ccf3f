"""Planned periods travel in bundles like every record: created, moved, removed, and merged by their clock."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sync_support import open_plain

from poledesk.data.models import Establishment, Formation, PlanningPeriod
from poledesk.data.planning import periods


def plan_one(install) -> int:
    with install.store.transaction() as session:
        school = session.scalars(select(Establishment)).first()
        formation = session.scalars(select(Formation)).first()
        return periods.save_period(session, periods.PeriodForm(
            school.id, None, date(2026, 11, 16), date(2026, 12, 11), 24, formation_id=formation.id,
            division="1re MCV A"))


def coordinator_periods(install) -> list[tuple[str, date, int, str]]:
    with install.store.session() as session:
        return [(r.division, r.start_date, r.pupils, r.owner) for r in periods.list_periods(session)]


def test_a_period_reaches_the_coordinator_then_its_move_and_its_removal(small, tmp_path):
    pole, coordinator = small
    period_id = plan_one(pole)
    first = pole.export(coordinator, tmp_path / "p1.age")
    _manifest, _signature, lines = open_plain(first, coordinator)
    assert any(b'"table":"planning_period"' in line for line in lines)
    assert coordinator.load(first).summary.added["planning_period"] == 1
    assert coordinator_periods(coordinator) == [("1re MCV A", date(2026, 11, 16), 24, "NM-07")]
    with pole.store.transaction() as session:
        period = session.get(PlanningPeriod, period_id)
        form = periods.PeriodForm(period.establishment_id, None, date(2026, 11, 30), date(2026, 12, 18), 22,
                                  formation_id=period.formation_id, division=period.division)
        periods.save_period(session, form, period_id)
    pole.load(coordinator.export(pole, tmp_path / "c1.age"))
    assert coordinator.load(pole.export(coordinator, tmp_path / "p2.age")).summary.updated == {"planning_period": 1}
    assert coordinator_periods(coordinator) == [("1re MCV A", date(2026, 11, 30), 22, "NM-07")]
    with pole.store.transaction() as session:
        periods.delete_period(session, period_id)
    assert coordinator.load(pole.export(coordinator, tmp_path / "p3.age")).summary.deleted == {"planning_period": 1}
    assert coordinator_periods(coordinator) == []


def test_the_same_bundle_twice_changes_nothing_more(small, tmp_path):
    pole, coordinator = small
    plan_one(pole)
    bundle = pole.export(coordinator, tmp_path / "p1.age")
    coordinator.load(bundle)
    again = pole.export(coordinator, tmp_path / "p1-full.age", full=True)
    result = coordinator.load(again)
    assert "planning_period" not in result.summary.added and "planning_period" not in result.summary.updated
    assert len(coordinator_periods(coordinator)) == 1
