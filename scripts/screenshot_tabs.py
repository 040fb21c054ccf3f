"""Screenshots of every tab of the demo pole's window at a laptop size, for the docs and for review.

Usage: python scripts/screenshot_tabs.py OUT_FOLDER [--size 1280x800] [--prefix apres]
The demo store is built in a temporary folder; each tab is grabbed offscreen (no display needed).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from poledesk.data.db import open_store
from poledesk.data.demo import build as demo
from poledesk.data.text import fold
from poledesk.ui.app import configure_application
from poledesk.ui.main_window import MainWindow


def settled(window: MainWindow, timeout_s: float = 30.0) -> None:
    """Until the tab shown has its rows or figures (they are read off the UI thread), or `timeout_s` passed."""
    tab = window.tabs.currentWidget()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        QTest.qWait(50)
        waiting = (getattr(tab, "filling", False) or (tab is window.dashboard_tab and tab.data is None)
                   or window.runner.busy or window.reader.busy)
        if not waiting:
            break
    QTest.qWait(100)   # the last paint


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--prefix", default="apres")
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.split("x"))
    app = QApplication([])
    configure_application(app)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder))
        demo.create_demo_store(store, scale="pole", seed=1)
        window = MainWindow(store)
        window.resize(width, height)
        window.show()
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            settled(window)
            name = fold(window.tabs.tabText(index)).replace(" ", "-").replace("'", "-")
            target = args.out / f"{args.prefix}-{name}-{width}x{height}.png"
            window.grab().save(str(target))
            print(target)
        window.close()
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
