"""The académie report on the 13-pole demo académie: the workbook and the PDF summary, against a floor.

    .venv/bin/python benchmarks/academy_report.py [--runs 3] [--store DIR]

The floor, measured in the same run, is writing a workbook of the same shape (sheets, rows, columns) holding
plain numbers with no store read and no indicator computed: what openpyxl alone costs. The budget is 5 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_S = 5.0


def build(folder: Path) -> None:
    subprocess.run([sys.executable, "-m", "poledesk", "--data-dir", str(folder), "demo", "--scale", "academy",
                    "--seed", "2026"], check=True, stdout=subprocess.DEVNULL)


def floor_s(out: Path, sheets: int, rows: int, columns: int) -> float:
    from openpyxl import Workbook

    started = time.perf_counter()
    book = Workbook()
    for index in range(sheets):
        sheet = book.create_sheet(f"S{index}")
        for row in range(1, rows + 1):
            for column in range(1, columns + 1):
                sheet.cell(row, column, row * column)
    book.save(out)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--store", type=Path, help="an existing académie store (else the demo académie is built)")
    args = parser.parse_args()
    from openpyxl import load_workbook

    from poledesk.data.db import open_store
    from poledesk.reports.indicator_documents import write_indicators

    folder = args.store or Path(tempfile.mkdtemp(prefix="poledesk-academy-"))
    if args.store is None:
        build(folder)
    out = Path(tempfile.mkdtemp(prefix="poledesk-report-"))
    store = open_store(folder)
    xlsx, pdf, floors = [], [], []
    for run in range(args.runs):
        with store.session() as session:
            started = time.perf_counter()
            written = write_indicators(session, "2026-2027", out / f"academie-{run}.xlsx")
            middle = time.perf_counter()
            write_indicators(session, "2026-2027", out / f"academie-{run}.pdf")
            done = time.perf_counter()
        xlsx.append(middle - started)
        pdf.append(done - middle)
        book = load_workbook(out / f"academie-{run}.xlsx")
        shape = (len(book.sheetnames), max(s.max_row for s in book), max(s.max_column for s in book))
        floors.append(floor_s(out / f"floor-{run}.xlsx", *shape))
    store.close()
    median = statistics.median
    print(f"académie: {written.poles} pôles; workbook shape {shape[0]} sheets × {shape[1]} rows × {shape[2]} columns")
    print(f"floor (openpyxl writing plain numbers of that shape): median {median(floors):5.2f} s")
    print(f"workbook (.xlsx):                                     median {median(xlsx):5.2f} s, max {max(xlsx):5.2f} s")
    print(f"PDF summary:                                          median {median(pdf):5.2f} s, max {max(pdf):5.2f} s")
    worst = max(max(xlsx), max(pdf))
    print(f"budget {BUDGET_S:.0f} s for each: {'OK' if worst < BUDGET_S else 'OVER'} (slowest {worst:.2f} s)")


if __name__ == "__main__":
    main()
