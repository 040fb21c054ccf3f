"""Benchmark: print one convention (median of 20, target < 150 ms) and a batch of 200 (target < 30 s).

    .venv/bin/python benchmarks/render_conventions.py [--keep DIR] [--repeat 20] [--batch 200]

Without --keep, a demo pole store is built in a temporary folder (`poledesk --data-dir DIR demo`) and removed
afterwards; with --keep DIR, the store in DIR is used, and built there first if DIR has none.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import select

from poledesk import paths
from poledesk.data.conventions.document import convention_document
from poledesk.data.db import open_store
from poledesk.data.models import Placement
from poledesk.reports.convention_files import convention_pdf, render_conventions
from poledesk.reports.conventions import render_convention

ONE_TARGET_MS, BATCH_TARGET_S = 150, 30


def build_demo(folder: Path) -> None:
    poledesk = Path(sys.executable).with_name("poledesk")
    command = [str(poledesk), "--data-dir", str(folder), "demo"] if poledesk.exists() else [
        sys.executable, "-m", "poledesk", "--data-dir", str(folder), "demo"]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def run(folder: Path, *, repeat: int, batch: int) -> None:
    if not paths.store_file(folder).exists():
        started = time.perf_counter()
        build_demo(folder)
        print(f"Base de démonstration créée en {time.perf_counter() - started:.1f} s : {folder}")
    store = open_store(folder, create=False)
    today = date.today()
    try:
        with store.session() as session:
            ids = session.scalars(select(Placement.id).where(Placement.deleted_at.is_(None))
                                  .order_by(Placement.id)).all()
            printable = [i for i in ids if not convention_document(session, i, today=today).blocking]
            first = printable[0]
            convention_pdf(session, first, today=today)            # warm-up: fonts, articles, imports
            whole, render = [], []
            for _ in range(repeat):
                started = time.perf_counter()
                data = convention_pdf(session, first, today=today)
                whole.append(time.perf_counter() - started)
                document = convention_document(session, first, today=today)
                started = time.perf_counter()
                render_convention(document)
                render.append(time.perf_counter() - started)
        one = statistics.median(whole) * 1000
        print(f"Une convention (stage n° {first}, {len(data) // 1024} Kio) : médiane {one:.0f} ms sur {repeat} "
              f"(lecture + règles + PDF ; PDF seul {statistics.median(render) * 1000:.0f} ms) – objectif "
              f"< {ONE_TARGET_MS} ms : {'atteint' if one < ONE_TARGET_MS else 'MANQUÉ'}")
        chosen = (ids * (batch // len(ids) + 1))[:batch] if ids else []
        with tempfile.TemporaryDirectory(prefix="poledesk-lot-") as out:
            started = time.perf_counter()
            result = render_conventions(store, chosen, Path(out), today=today)
            seconds = time.perf_counter() - started
        print(f"Lot de {len(chosen)} : {seconds:.1f} s ({seconds / max(len(chosen), 1) * 1000:.0f} ms par "
              f"convention) – {result.describe()} – objectif < {BATCH_TARGET_S} s : "
              f"{'atteint' if seconds < BATCH_TARGET_S else 'MANQUÉ'}")
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="dossier de la base à utiliser (créée s'il est vide) et garder")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    if args.keep:
        run(args.keep.resolve(), repeat=args.repeat, batch=args.batch)
        return
    with tempfile.TemporaryDirectory(prefix="poledesk-bench-") as folder:
        run(Path(folder), repeat=args.repeat, batch=args.batch)


if __name__ == "__main__":
    main()
