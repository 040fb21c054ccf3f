"""Start-up at realistic scale: builds a pole-scale and an académie-scale demo store, then prints, for each, the
time from process start to the window shell's first paint (tabs, menus, lists saying « chargement… ») and to the
real window's, beside a bare PySide6 window with four tabs (bare_window.py) started in turn in the same run.

    .venv/bin/python benchmarks/startup.py [--runs 5] [--keep DIR] [--scales pole,academy]

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
from pathlib import Path

HERE = Path(__file__).parent
HEAVY = ("sqlalchemy", "sqlcipher3", "reportlab", "openpyxl", "cryptography", "pyrage", "poledesk.data.models",
         "poledesk.data.conventions")

# The child process: open the real application, note the shell's first paint and what was loaded then, quit at
# the window's first paint; seconds since the parent's clock.
CHILD = """
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
from poledesk.ui import app as application
from poledesk.ui import shell

HEAVY = %r
shown = shell.WindowShell.show_and_wait_for_paint

def note_shell(self):
    shown(self)
    print(f"shell {time.time() - float(sys.argv[2]):.4f}", flush=True)
    print("heavy:", ",".join(m for m in sys.modules if m.startswith(HEAVY)), flush=True)

def quit_at_first_paint(self):
    print(f"window {time.time() - float(sys.argv[2]):.4f}", flush=True)
    QApplication.instance().quit()

shell.WindowShell.show_and_wait_for_paint = note_shell
application.Launcher._on_first_paint = quit_at_first_paint
sys.exit(application.run_app(Path(sys.argv[1])))
"""


def build(folder: Path, scale: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "poledesk", "--data-dir", str(folder), "demo", "--scale", scale,
                    "--seed", "2026"], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def environment() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}


def time_to_first_paint(folder: Path) -> tuple[float, float, str]:
    """(seconds to the shell's paint, to the window's, heavy modules loaded when the shell was painted)."""
    started = time.time()
    result = subprocess.run([sys.executable, "-c", CHILD % (HEAVY,), str(folder), f"{started:.6f}"],
                            env=environment(), capture_output=True, text=True, timeout=300, check=True)
    lines = dict(line.split(" ", 1) for line in result.stdout.strip().splitlines() if " " in line)
    return float(lines["shell"]), float(lines["window"]), lines.get("heavy:", "").strip()


def bare_window() -> float:
    started = time.time()
    result = subprocess.run([sys.executable, str(HERE / "bare_window.py"), f"{started:.6f}"], env=environment(),
                            capture_output=True, text=True, timeout=120, check=True)
    return float(result.stdout.strip().splitlines()[-1])


def measure(folder: Path, runs: int) -> tuple[float, float, float, set[str]]:
    """Median seconds of the shell, the window and the bare window, each run in turn with the others."""
    time_to_first_paint(folder)            # the first run warms the file cache; it is not counted
    bare_window()
    shells, windows, bares, heavy = [], [], [], set()
    for _ in range(runs):
        shell, window, loaded = time_to_first_paint(folder)
        shells.append(shell)
        windows.append(window)
        heavy |= set(filter(None, loaded.split(",")))
        bares.append(bare_window())
    return statistics.median(shells), statistics.median(windows), statistics.median(bares), heavy


def store_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("poledesk.sqlite*"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="build the stores in this folder and keep them (reused if there)")
    parser.add_argument("--scales", default="pole,academy")
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
            shell, window, bare, heavy = measure(folder, args.runs)
            print(f"{scale:8s} base {store_size(folder) / 1e6:6.1f} Mo   coquille peinte en {shell:.2f} s, fenêtre "
                  f"remplie en {window:.2f} s, fenêtre Qt nue en {bare:.2f} s (médianes de {args.runs}) : "
                  f"{shell / bare:.1f} fois la fenêtre nue (objectif ≤ 3)   modules lourds chargés avant la "
                  f"coquille : {', '.join(sorted(heavy)) or 'aucun'}")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
