"""The Planification calendar's draw, for a pole and for an académie, each beside a floor measured in the same run.

    .venv/bin/python benchmarks/planning.py [--runs 10] [--poles 8]

A pole: 40 establishments, 300 periods, 600 partners (1 to 2 offers each); the académie: `--poles` such poles in a
coordinator's store. A draw is what the tab does: the setting, the facts read, the calendar built (and for the
académie, the competing weeks), then the grid filled and painted offscreen. The floor is the bare sqlite3 read
of the same rows (the live periods of the year, the live offers of active partners), with no ORM and no
arithmetic. Budgets: 300 ms for a pole, 2 s for the académie.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from poledesk.data import Session
    from poledesk.data.db import Store

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

YEAR = "2026-2027"
POLE_BUDGET_MS, ACADEMY_BUDGET_MS = 300.0, 2000.0
SCHOOLS, PERIODS, PARTNERS = 40, 300, 600
NAF_CODES = ("47.11D", "56.10A", "45.20A", "86.10Z", "43.21A", "62.01Z", "84.11Z", "10.71C", "96.02A", "55.10Z")
FLOOR_SQL = (
    "SELECT p.id, p.establishment_id, p.formation_id, p.audience, p.start_date, p.end_date, p.pupils, e.name "
    "FROM planning_period p JOIN establishment e ON e.id = p.establishment_id "
    "WHERE p.deleted_at IS NULL AND e.deleted_at IS NULL AND p.start_date >= '2026-09-01' "
    "AND p.start_date < '2027-09-01'",
    "SELECT o.id, o.audience, o.formation_id, o.places, o.months, r.name, r.naf_code FROM hosting_offer o "
    "JOIN partner r ON r.id = o.partner_id WHERE o.deleted_at IS NULL AND r.deleted_at IS NULL "
    "AND r.status = 'active'",
)


def fill_pole(session: Session, code: str, formations: list[Any], rng: random.Random) -> None:
    from poledesk.data.enums import EstablishmentKind, PartnerStatus
    from poledesk.data.models import Establishment, HostingOffer, Partner, PlanningPeriod

    schools = [Establishment(uai=f"{code[-2:]}{i:05d}X", name=f"Lycée {code} n° {i}", kind=EstablishmentKind.LP,
                             postcode=f"54{i:03d}", owner=code) for i in range(SCHOOLS)]
    partners = [Partner(name=f"Entreprise {code}-{i}", naf_code=rng.choice(NAF_CODES), status=PartnerStatus.ACTIVE,
                        owner=code) for i in range(PARTNERS)]
    session.add_all([*schools, *partners])
    session.flush()
    offers = []
    for partner in partners:
        for _ in range(rng.randint(1, 2)):
            formation = rng.choice(formations)
            months = ",".join(str(m) for m in sorted(rng.sample(range(1, 13), rng.randint(2, 6)))) \
                if rng.random() < 0.6 else ""
            offers.append(HostingOffer(partner_id=partner.id, audience=formation.audience, places=rng.randint(1, 4),
                                       formation_id=formation.id if rng.random() < 0.5 else None, months=months,
                                       owner=code))
    session.add_all(offers)
    monday = date(2026, 9, 7)
    periods = []
    for i in range(PERIODS):
        formation = rng.choice(formations)
        start = monday + timedelta(weeks=rng.randint(0, 38))
        periods.append(PlanningPeriod(establishment_id=schools[i % SCHOOLS].id, formation_id=formation.id,
                                      audience=formation.audience, division=f"C{i}", start_date=start,
                                      end_date=start + timedelta(days=7 * rng.randint(1, 4) - 3),
                                      pupils=rng.randint(8, 24), owner=code))
    session.add_all(periods)


def build(folder: Path, poles: int) -> Store:
    """A store of `poles` poles (one: a pole's own store; more: a coordinator's)."""
    from poledesk.data import identity
    from poledesk.data.db import open_store
    from poledesk.data.enums import Audience
    from poledesk.data.models import Formation, Pole

    store = open_store(folder)
    rng = random.Random(2026)
    with store.transaction() as session:
        if poles == 1:
            identity.init_pole(session, "NM-01", name="Pôle de stages de Nancy", bassin="Nancy",
                               academie="Nancy-Metz")
        else:
            identity.init_coordinator(session, "Nancy-Metz")
        codes = [f"NM-{n:02d}" for n in range(1, poles + 1)]
        for code in codes[1:] if poles == 1 else codes:
            session.add(Pole(code=code, name=f"Pôle {code}", academie="Nancy-Metz", owner=code))
        formations = [Formation(code=f"F{i}", label=f"Formation {i}", audience=audience)
                      for i, audience in enumerate([a for a in Audience for _ in range(3)])]
        session.add_all(formations)
        session.flush()
        for code in codes:
            fill_pole(session, code, formations, rng)
    return store


def floor_ms(file: Path) -> float:
    connection = sqlite3.connect(file)
    started = time.perf_counter()
    for sql in FLOOR_SQL:
        connection.execute(sql).fetchall()
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    return elapsed


def measure(label: str, store: Store, runs: int, budget: float, *, coordinator: bool) -> None:
    from PySide6.QtWidgets import QApplication

    from poledesk.data.planning import view
    from poledesk.ui.planning_tab import Loaded, PlanningTab
    from poledesk.ui.workers import TaskRunner

    app = QApplication.instance() or QApplication([])
    runner = TaskRunner()
    tab = PlanningTab(store, runner=runner, coordinator=coordinator)
    tab.resize(1280, 760)
    tab.show()
    runner.wait(20_000)
    app.processEvents()
    reads, fills, floors = [], [], []
    for _ in range(runs):
        floors.append(floor_ms(store.file))
        started = time.perf_counter()
        with store.session() as session:
            setting = view.planning_setting(session, YEAR)
            calendar = view.draw_calendar(session, setting)
            poles = view.planning_poles(session)
        read = time.perf_counter()
        tab._on_loaded(Loaded(setting, calendar, poles))   # what the worker's result does on the UI thread
        tab.grid.viewport().repaint()
        app.processEvents()
        done = time.perf_counter()
        reads.append((read - started) * 1000)
        fills.append((done - read) * 1000)
    median = statistics.median
    total = median(reads) + median(fills)
    periods = len(calendar.facts.periods)
    offers = len(calendar.facts.offers)
    print(f"{label}: {periods} periods, {offers} offers, {len(calendar.rows)} rows × {len(calendar.weeks)} weeks")
    print(f"  floor (bare sqlite3 read of the same rows): median {median(floors):7.1f} ms")
    print(f"  facts read and calendar built (worker):      median {median(reads):7.1f} ms, max {max(reads):7.1f} ms")
    print(f"  grid filled and painted (UI thread):          median {median(fills):7.1f} ms, max {max(fills):7.1f} ms")
    print(f"  draw:                                         median {total:7.1f} ms (budget {budget:.0f} ms: "
          f"{'OK' if total < budget else 'OVER'}; {total / median(floors):.1f} × the floor)")
    runner.wait(5000)
    tab.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--poles", type=int, default=8, help="poles in the académie's store")
    args = parser.parse_args()
    for label, poles, budget in (("pole", 1, POLE_BUDGET_MS), ("académie", args.poles, ACADEMY_BUDGET_MS)):
        folder = Path(tempfile.mkdtemp(prefix=f"poledesk-planning-{poles}-"))
        started = time.perf_counter()
        store = build(folder, poles)
        print(f"{label} store built in {time.perf_counter() - started:.1f} s")
        measure(label, store, args.runs, budget, coordinator=poles > 1)
        store.close()


if __name__ == "__main__":
    main()
