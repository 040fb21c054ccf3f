"""Start-up at realistic scale: builds a pole-scale and an académie-scale demo store, then prints, for each, the
time from process start to the window shell's first paint (tabs, menus, lists saying « chargement… »), to the
real window's, and to the rows of the tab shown (the tab left open: the Tableau de bord, the Partenaires…), with
the process's CPU time at those two moments, beside a bare PySide6 window with four tabs (bare_window.py) started
in turn in the same run.

    .venv/bin/python benchmarks/startup.py [--runs 5] [--keep DIR] [--scales pole,academy] [--tabs 0,1]

Target: the shell painted in at most 3 times the bare window's time, with neither the ORM models, ReportLab,
openpyxl, the crypto libraries nor the rule tables loaded. Qt runs on the offscreen platform unless
QT_QPA_PLATFORM says otherwise (under xvfb-run, set it to xcb).
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
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
HEAVY = ("sqlalchemy", "sqlcipher3", "reportlab", "openpyxl", "cryptography", "pyrage", "poledesk.data.models",
         "poledesk.data.conventions")

# The child process: open the real application, note the shell's first paint and what was loaded then, quit at
# the window's first paint; seconds since the parent's clock.
CHILD = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from poledesk.ui import app as application
from poledesk.ui import shell, ui_state

HEAVY = %r
shown = shell.WindowShell.show_and_wait_for_paint

def note_shell(self):
    shown(self)
    print(f"shell {time.time() - float(sys.argv[2]):.4f}", flush=True)
    print("heavy:", ",".join(m for m in sys.modules if m.startswith(HEAVY)), flush=True)

def rows_shown(tab):
    if hasattr(tab, "count_label"):                 # a list: its count replaces « chargement… »
        return tab.count_label.text() not in ("", shell.LOADING)
    return getattr(tab, "data", True) is not None   # the Tableau de bord: its figures; another tab: at paint

def note_rows():
    print(f"rows {time.time() - float(sys.argv[2]):.4f} {time.process_time():.4f}", flush=True)
    QApplication.instance().quit()

def quit_once_rows_shown(self):
    print(f"window {time.time() - float(sys.argv[2]):.4f} {time.process_time():.4f}", flush=True)
    tab = self.window.tabs.currentWidget()
    if rows_shown(tab):
        note_rows()
        return
    # Told, not polled: a timer waking the UI thread would take the GIL from the thread reading the rows.
    arrived = getattr(tab, "filled", None) or getattr(tab, "refreshed")
    arrived.connect(lambda: QTimer.singleShot(0, note_rows))   # once the rows are shown

settings = ui_state.settings(Path(sys.argv[1]))
settings.setValue(ui_state.MAIN_TAB, int(sys.argv[3]))   # the tab left open at the last session
settings.sync()
shell.WindowShell.show_and_wait_for_paint = note_shell
application.Launcher._on_first_paint = quit_once_rows_shown
sys.exit(application.run_app(Path(sys.argv[1])))
"""


def build(folder: Path, scale: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "poledesk", "--data-dir", str(folder), "demo", "--scale", scale,
                    "--seed", "2026"], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def environment() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}


@dataclass
class Start:
    """One start's seconds since the process began, and its CPU seconds (all threads) at paint and at rows."""

    shell: float
    window: float
    rows: float
    window_cpu: float
    rows_cpu: float
    heavy: str


def time_to_first_paint(folder: Path, tab: int) -> Start:
    """One start of the application on `folder`, the tab `tab` left open."""
    started = time.time()
    result = subprocess.run([sys.executable, "-c", CHILD % (HEAVY,), str(folder), f"{started:.6f}", str(tab)],
                            env=environment(), capture_output=True, text=True, timeout=300, check=True)
    lines = dict(line.split(" ", 1) for line in result.stdout.strip().splitlines() if " " in line)
    window, window_cpu = map(float, lines["window"].split())
    rows, rows_cpu = map(float, lines["rows"].split())
    return Start(float(lines["shell"]), window, rows, window_cpu, rows_cpu, lines.get("heavy:", "").strip())


def bare_window() -> float:
    started = time.time()
    result = subprocess.run([sys.executable, str(HERE / "bare_window.py"), f"{started:.6f}"], env=environment(),
                            capture_output=True, text=True, timeout=120, check=True)
    return float(result.stdout.strip().splitlines()[-1])


def measure(folder: Path, runs: int, tab: int) -> tuple[Start, float, set[str]]:
    """Medians of each figure of a start (each taken apart) and of the bare window, each run in turn."""
    time_to_first_paint(folder, tab)       # the first run warms the file cache; it is not counted
    bare_window()
    starts, bares, heavy = [], [], set()
    for _ in range(runs):
        start = time_to_first_paint(folder, tab)
        starts.append(start)
        heavy |= set(filter(None, start.heavy.split(",")))
        bares.append(bare_window())
    medians = Start(*(statistics.median(getattr(s, name) for s in starts)
                      for name in ("shell", "window", "rows", "window_cpu", "rows_cpu")), heavy="")
    return medians, statistics.median(bares), heavy


def store_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("poledesk.sqlite*"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="build the stores in this folder and keep them (reused if there)")
    parser.add_argument("--scales", default="pole,academy")
    parser.add_argument("--tabs", default="0,1", help="the tabs left open, by index: 0 Tableau de bord, "
                                                      "1 Partenaires, 3 Stages")
    args = parser.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="poledesk-bench-"))
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cœurs, plateforme Qt "
          f"{os.environ.get('QT_QPA_PLATFORM', 'offscreen')}")
    try:
        for scale in args.scales.split(","):
            folder = root / scale
            if not (folder / "poledesk.sqlite").exists():
                shutil.rmtree(folder, ignore_errors=True)
                print(f"{scale:8s} génération {build(folder, scale):6.1f} s")
            for tab in map(int, args.tabs.split(",")):
                start, bare, heavy = measure(folder, args.runs, tab)
                print(f"{scale:8s} onglet {tab}  base {store_size(folder) / 1e6:5.1f} Mo   coquille peinte en "
                      f"{start.shell:.2f} s, fenêtre peinte en {start.window:.2f} s (CPU {start.window_cpu:.2f} s), "
                      f"lignes affichées en {start.rows:.2f} s (CPU {start.rows_cpu:.2f} s), fenêtre Qt nue en "
                      f"{bare:.2f} s (médianes de {args.runs}) : coquille à {start.shell / bare:.1f} fois la fenêtre "
                      f"nue (objectif ≤ 3)   modules lourds chargés avant la coquille : "
                      f"{', '.join(sorted(heavy)) or 'aucun'}")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
