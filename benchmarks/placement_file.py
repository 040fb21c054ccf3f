"""The Stages tab's file of one placement: placement_file against the four services the tab composed before.

    .venv/bin/python benchmarks/placement_file.py [--keep DIR] [--count 100]

Builds the pole-scale demo store (or reuses the one in DIR with --keep), then, for `count` placements, each in a
new read session as when a row is selected, counts the SQL statements and times both ways. The composition of the
four services is the floor measured in the same run: placement_file must read less, and take no longer.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import event

from poledesk import paths
from poledesk.data import conventions
from poledesk.data.conventions import tracking
from poledesk.data.db import Store, open_store
from poledesk.data.placements import form as placements
from poledesk.data.placements import listing as placement_list


def composed(store: Store, placement_id: int, today: date) -> None:
    """What the Stages tab did before: four services, each reading the placement again."""
    with store.session() as session:
        form = placements.placement_form(session, placement_id)
        placement_list.placement_context(session, form, placement_id=placement_id)
        tracking.convention_state(session, placement_id, today=today)


def one_service(store: Store, placement_id: int, today: date) -> None:
    with store.session() as session:
        conventions.placement_file(session, placement_id, today)


def measure(store: Store, ids: list[int], way: Callable[[Store, int, date], None]) -> tuple[float, float]:
    """(median milliseconds, mean statements) over the placements."""
    statements = [0]

    def seen(*_args: object) -> None:
        statements[0] += 1

    event.listen(store.engine, "before_cursor_execute", seen)
    times, today = [], date.today()
    try:
        for placement_id in ids:
            started = time.perf_counter()
            way(store, placement_id, today)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    return statistics.median(times), statements[0] / len(ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="a folder for the demo store, reused when it holds one")
    parser.add_argument("--count", type=int, default=100)
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="poledesk-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    fresh = not paths.store_file(folder).exists()
    store = open_store(folder)
    if fresh:
        from poledesk.data.demo import build as demo

        demo.create_demo_store(store, scale="pole", seed=1)
    with store.session() as session:
        ids = [row.id for row in placement_list.list_placements(session, "")][:args.count]
    one_service(store, ids[0], date.today())   # caches warmed (the communes' list, the holidays) for both ways
    floor_ms, floor_statements = measure(store, ids, composed)
    file_ms, file_statements = measure(store, ids, one_service)
    print(f"{len(ids)} placements, one read session each")
    print(f"four services (floor): {floor_ms:6.2f} ms median, {floor_statements:5.1f} SQL statements a placement")
    print(f"placement_file:        {file_ms:6.2f} ms median, {file_statements:5.1f} SQL statements a placement")
    store.close()


if __name__ == "__main__":
    main()
