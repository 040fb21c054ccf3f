"""The floor of start-up: a bare PySide6 window with four empty tabs, from process start to its first paint.

    .venv/bin/python benchmarks/bare_window.py [START]

Prints the seconds since START (the parent's time.time(), given by benchmarks/startup.py) or since its own start.
Nothing of PoleDesk is imported: it is what Python and Qt alone cost on this machine, in the same run.
"""

import sys
import time

STARTED = float(sys.argv[1]) if len(sys.argv) > 1 else time.time()

from PySide6.QtCore import QTimer  # noqa: E402  # the import is part of what is timed
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget  # noqa: E402  # timed too


class BareWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        tabs = QTabWidget()
        for title in ("Un", "Deux", "Trois", "Quatre"):
            tabs.addTab(QLabel(title), title)
        self.setCentralWidget(tabs)
        self.painted = False

    def paintEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # Qt's signature
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            QTimer.singleShot(0, self.report)

    def report(self) -> None:
        print(f"{time.time() - STARTED:.4f}", flush=True)
        QApplication.instance().quit()  # type: ignore[union-attr]  # the application runs


if __name__ == "__main__":
    app = QApplication(sys.argv[:1])
    window = BareWindow()
    window.resize(1280, 800)
    window.show()
    sys.exit(app.exec())
