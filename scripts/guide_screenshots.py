"""Retake the illustrations of the « Guide de l'animateur » from the real window, on the demo pole, offscreen.

Usage: python scripts/guide_screenshots.py [OUT_FOLDER]   (default: src/poledesk/resources/guide)
Each tab is shown at 1280×800 with a record selected, grabbed, and scaled to the guide's width; the form of a
stage whose convention is printed is grabbed with an edit typed, so that its warning shows. Run it again after a
change of the window, and look at the pictures before committing them.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from poledesk.data.conventions import tracking
from poledesk.data.db import Store, open_store
from poledesk.data.demo import build as demo
from poledesk.data.enums import ConventionStatus
from poledesk.data.placements import listing as placement_list
from poledesk.data.text import format_date
from poledesk.ui.app import configure_application
from poledesk.ui.dialogs.placement_dialog import PlacementDialog
from poledesk.ui.main_window import MainWindow

GUIDE = Path(__file__).resolve().parent.parent / "src/poledesk/resources/guide"
SIZE = (1280, 800)
WIDTH = 760          # the guide's <img width>: the pictures are scaled once here, not by the browser
SHOTS = {            # file name -> the tab's attribute on MainWindow
    "tableau-de-bord": "dashboard_tab", "partenaires": "partners_tab", "sollicitations": "escalations_tab",
    "stages": "placements_tab", "formations": "trainings_tab", "etablissements": "establishments_tab",
}


def settle(app: QApplication) -> None:
    for _ in range(8):
        app.processEvents()


def save(widget: QWidget, target: Path) -> None:
    """The widget as the guide shows it, in 256 colours: a third of the size, for the wheel and the build."""
    from PIL import Image  # Pillow comes with ReportLab

    picture = widget.grab().scaledToWidth(WIDTH, Qt.TransformationMode.SmoothTransformation)
    picture.save(str(target), "PNG")
    with Image.open(target) as image:
        reduced = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    reduced.save(target, optimize=True)
    print(f"{target} ({target.stat().st_size // 1024} Ko)")


def printed_placement(store: Store) -> int:
    """A printed convention the rules let print again: its form shows the « papier imprimé » warning."""
    with store.session() as session:
        rows = placement_list.list_placements(session, "")
        return next(r.id for r in rows if r.convention_status is ConventionStatus.PRINTED
                    and not tracking.blocking_messages(session, r.id, today=date.today()))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path, nargs="?", default=GUIDE)
    args = parser.parse_args()
    app = QApplication([])
    configure_application(app)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder))
        demo.create_demo_store(store, scale="pole", seed=1)
        window = MainWindow(store)
        window.resize(*SIZE)
        window.path_label.hide()     # a temporary folder's path means nothing to the reader
        window.show()
        for name, attribute in SHOTS.items():
            tab = getattr(window, attribute)
            window.tabs.setCurrentWidget(tab)
            settle(app)
            if hasattr(tab, "proxy") and tab.proxy.rowCount():
                tab.table.selectRow(0)      # a record shown beside the list, as the user sees it
            settle(app)
            save(window, args.out / f"{name}.png")
        placement_id = printed_placement(store)
        window.tabs.setCurrentWidget(window.placements_tab)
        window.placements_tab.open_placement(placement_id)
        dialog = window.placements_tab.dialog
        assert isinstance(dialog, PlacementDialog)
        settle(app)
        end = dialog.end_edit.value() or date.today()
        dialog.end_edit.line_edit.setText(format_date(end + timedelta(days=2)))
        settle(app)
        save(dialog, args.out / "stage-imprime.png")
        dialog.reject()
        window.close()
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
