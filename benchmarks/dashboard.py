"""Tableau de bord refresh on a pole-scale demo store: the figures' read, the tab's fill, against a floor.

    .venv/bin/python benchmarks/dashboard.py [--runs 20] [--store DIR]

The floor, measured in the same run on the same store, is the bare read of the rows the dashboard needs with no
ORM and no computation (sqlite3, one SELECT per table): what any refresh must pay. The budget is 200 ms.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BUDGET_MS = 200.0
FLOOR_TABLES = ("escalation", "partner", "hosting_offer", "visit", "establishment", "establishment_formation",
                "placement", "training_session", "registration")


def build(folder: Path) -> None:
    subprocess.run([sys.executable, "-m", "poledesk", "--data-dir", str(folder), "demo", "--seed", "2026"],
                   check=True, stdout=subprocess.DEVNULL)


def floor_ms(file: Path) -> float:
    connection = sqlite3.connect(file)
    started = time.perf_counter()
    for table in FLOOR_TABLES:
        connection.execute(f"SELECT * FROM {table}").fetchall()   # fixed table names
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--store", type=Path, help="an existing pole store (else a demo is built)")
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from poledesk.data.db import open_store
    from poledesk.data.indicators.today import dashboard
    from poledesk.ui.dashboard_tab import DashboardTab
    from poledesk.ui.workers import TaskRunner

    app = QApplication.instance() or QApplication([])
    folder = args.store or Path(tempfile.mkdtemp(prefix="poledesk-dashboard-"))
    if args.store is None:
        build(folder)
    store = open_store(folder)
    runner = TaskRunner()
    tab = DashboardTab(store, runner=runner)
    tab.resize(1280, 760)
    reads, fills, totals, floors = [], [], [], []
    for _ in range(args.runs):
        floors.append(floor_ms(store.file))
        started = time.perf_counter()
        with store.session() as session:
            data = dashboard(session)
        read = time.perf_counter()
        tab.show_dashboard(data)
        app.processEvents()
        done = time.perf_counter()
        reads.append((read - started) * 1000)
        fills.append((done - read) * 1000)
        totals.append((done - started) * 1000)
    median = statistics.median
    print(f"store: {store.file} ({sum(p.stat().st_size for p in folder.glob('poledesk.sqlite*')) // 1024} Kio)")
    print(f"floor (bare sqlite3 read of the rows): median {median(floors):6.1f} ms")
    print(f"figures read (worker thread):          median {median(reads):6.1f} ms, max {max(reads):6.1f} ms")
    print(f"tab filled (UI thread):                median {median(fills):6.1f} ms, max {max(fills):6.1f} ms")
    print(f"refresh, read + fill:                  median {median(totals):6.1f} ms, max {max(totals):6.1f} ms "
          f"(budget {BUDGET_MS:.0f} ms: {'OK' if median(totals) < BUDGET_MS else 'OVER'}; "
          f"{median(totals) / median(floors):.1f} × the floor)")
    runner.wait(5000)
    store.close()


if __name__ == "__main__":
    main()
