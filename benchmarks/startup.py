"""Start-up at realistic scale: builds a pole-scale and an académie-scale demo store, then prints, for each,
the time to generate it, its size, and the time from process start to the main window's first paint.

    .venv/bin/python benchmarks/startup.py [--runs 5] [--keep DIR]

Qt runs on the offscreen platform unless QT_QPA_PLATFORM says otherwise (under xvfb-run, set it to xcb).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The child process: open the real application, quit at the first paint, print seconds since the parent's clock.
CHILD = """
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
from poledesk.ui import app as application

def quit_at_first_paint(self):
    print(f"{time.time() - float(sys.argv[2]):.4f}", flush=True)
    print("heavy:", ",".join(m for m in ("reportlab", "openpyxl", "cryptography", "pyrage") if m in sys.modules))
    QApplication.instance().quit()

application.Launcher._on_first_paint = quit_at_first_paint
sys.exit(application.run_app(Path(sys.argv[1])))
"""


def build(folder: Path, scale: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "poledesk", "--data-dir", str(folder), "demo", "--scale", scale,
                    "--seed", "2026"], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def time_to_first_paint(folder: Path) -> tuple[float, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    started = time.time()
    result = subprocess.run([sys.executable, "-c", CHILD, str(folder), f"{started:.6f}"], env=env,
                            capture_output=True, text=True, timeout=120, check=True)
    lines = result.stdout.strip().splitlines()
    return float(lines[0]), lines[1].removeprefix("heavy:").strip()


def store_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("poledesk.sqlite*"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="build the stores in this folder and keep them")
    args = parser.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="poledesk-bench-"))
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cœurs, plateforme Qt "
          f"{os.environ.get('QT_QPA_PLATFORM', 'offscreen')}")
    try:
        for scale in ("pole", "academy"):
            folder = root / scale
            shutil.rmtree(folder, ignore_errors=True)
            generated = build(folder, scale)
            time_to_first_paint(folder)            # the first run warms the file cache; it is not counted
            paints = [time_to_first_paint(folder) for _ in range(args.runs)]
            seconds = [p[0] for p in paints]
            heavy = {p[1] for p in paints} - {""}
            print(f"{scale:8s} génération {generated:6.1f} s   base {store_size(folder) / 1e6:6.1f} Mo   "
                  f"fenêtre peinte en {statistics.median(seconds):.2f} s (médiane de {args.runs}, "
                  f"min {min(seconds):.2f}, max {max(seconds):.2f})   "
                  f"modules lourds chargés : {', '.join(sorted(heavy)) or 'aucun'}")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
