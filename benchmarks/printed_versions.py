"""Saving an edit of a printed convention's stage: the printed paper kept as PDF, against a plain save.

    .venv/bin/python benchmarks/printed_versions.py [--count 20] [--keep DIR]

The floor, measured in the same run, is the same edit (two more days) saved with save_placement on a draft, where
no paper is kept. The figure is the save of the same edit on printed conventions, which renders the paper as it was
printed and stores it: what the user waits for after « Enregistrer ». The budget is 1 s a save; the size stored
per paper is printed too.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from poledesk import paths
from poledesk.data.conventions import tracking, versions
from poledesk.data.db import Store, open_store
from poledesk.data.enums import ConventionStatus
from poledesk.data.models import Placement, PrintedVersion
from poledesk.data.placements.form import PlacementForm, placement_form, save_placement
from poledesk.reports.convention_files import paper_renderer

BUDGET_MS = 1000.0


def placements_in(store: Store, status: ConventionStatus, count: int) -> list[int]:
    with store.session() as session:
        ids = session.scalars(select(Placement.id).where(Placement.convention_status == status,
                                                         Placement.deleted_at.is_(None)).order_by(Placement.id))
        return [i for i in ids if not tracking.blocking_messages(session, i, today=date.today())][:count]


def measure(store: Store, ids: list[int], save: Callable[..., object]) -> float:
    """The median time of one edit (end date two days later) saved in its own transaction, in ms."""
    times = []
    for placement_id in ids:
        started = time.perf_counter()
        with store.transaction() as session:
            form = placement_form(session, placement_id)
            save(session, replace(form, end_date=form.end_date + timedelta(days=2)), placement_id)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="a folder for the demo store, reused when it holds one")
    parser.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="poledesk-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    fresh = not paths.store_file(folder).exists()
    store = open_store(folder)
    if fresh:
        from poledesk.data.demo import build as demo

        demo.create_demo_store(store, scale="pole", seed=1)
    drafts = placements_in(store, ConventionStatus.DRAFT, args.count)
    printed = placements_in(store, ConventionStatus.PRINTED, args.count)
    with store.session() as session:     # ReportLab and the articles loaded once, as after a first print
        paper_renderer(session)

    def keeping(session: Session, form: PlacementForm, placement_id: int) -> object:
        return versions.save_printed_placement(session, form, placement_id, today=date.today(),
                                               render=paper_renderer(session))

    floor_ms = measure(store, drafts, save_placement)
    kept_ms = measure(store, printed, keeping)
    with store.session() as session:
        kept = session.scalar(select(func.count()).select_from(PrintedVersion)) or 0
        size = session.scalar(select(func.avg(func.length(PrintedVersion.pdf)))) or 0
    print(f"{len(drafts)} drafts, {len(printed)} printed conventions, one edit each")
    print(f"plain save (floor):        {floor_ms:7.1f} ms median")
    print(f"save keeping the paper:    {kept_ms:7.1f} ms median (budget {BUDGET_MS:.0f} ms)")
    print(f"papers kept: {kept}, {size / 1024:.0f} Kio each on average")
    store.close()


if __name__ == "__main__":
    main()
