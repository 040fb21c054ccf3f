"""Aide › « Guide de l'animateur »: the illustrated guide ships with the package, opens from the menu, and F1 opens
it at the section of the tab shown."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from poledesk.ui.guide_window import guide_file
from poledesk.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "poledesk"


class _Guide(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.anchors: set[str] = set()
        self.links: set[str] = set()
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("name"):
            self.anchors.add(values["name"] or "")
        if tag == "a" and (values.get("href") or "").startswith("#"):
            self.links.add((values["href"] or "")[1:])
        if tag == "img":
            self.images.append(values.get("src") or "")


def parsed() -> _Guide:
    guide = _Guide()
    guide.feed(guide_file().read_text(encoding="utf-8"))
    return guide


@pytest.fixture
def window(qtbot, store):
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.runner.wait(5000)


def test_f1_opens_the_guide_at_the_section_of_the_tab_shown(window, qtbot):
    window.tabs.setCurrentWidget(window.placements_tab)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = window.guide_window
    assert guide is not None
    qtbot.waitUntil(guide.isVisible)
    assert guide.windowTitle() == "Guide de l'animateur – PoleDesk"
    qtbot.waitUntil(lambda: guide.section_shown() == "Stages : la convention")
    assert guide.browser.verticalScrollBar().value() > 0
    window.tabs.setCurrentWidget(window.trainings_tab)     # the same window, at another section
    window.guide_action.trigger()
    assert window.guide_window is guide
    qtbot.waitUntil(lambda: guide.section_shown() == "Formations des tuteurs")
    guide.home_button.click()
    qtbot.waitUntil(lambda: guide.section_shown() == "Guide de l'animateur")


def test_the_aide_menu_offers_the_guide_first(window):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Aide")
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts[0] == "&Guide de l'animateur"
    assert window.guide_action.shortcut().toString() == "F1"


def test_every_tab_has_its_section_and_every_picture_is_there(window):
    guide = parsed()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        assert window.guide_section() in guide.anchors, window.tabs.tabText(index)
    assert guide.links <= guide.anchors                                # the contents list leads somewhere
    assert len(guide.images) >= 6
    for name in guide.images:
        picture = QImage(str(guide_file().parent / name))
        assert not picture.isNull() and picture.width() >= 700, name   # a real screenshot, legible


def test_the_guide_covers_the_daily_tasks_in_french():
    text = re.sub(r"<[^>]+>", " ", guide_file().read_text(encoding="utf-8"))
    for task in ("Ajouter un partenaire", "Noter une visite", "Nouvelle sollicitation", "Accepter et créer le stage",
                 "Imprimer, puis faire signer", "avenant", "Nouvelle session", "Feuille", "Préparer le paquet",
                 "Importer un paquet", "Anonymisation annuelle"):
        assert task in text, task
    assert "TODO" not in text and "Lorem" not in text


def test_the_wheel_and_the_standalone_build_carry_the_guide():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["package-data"]["poledesk"]
    shipped = [guide_file(), *(guide_file().parent / name for name in parsed().images)]
    for path in shipped:
        relative = path.relative_to(PACKAGE).as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative
    spec = (ROOT / "poledesk.spec").read_text(encoding="utf-8")
    assert 'collect_data_files("poledesk", subdir="resources")' in spec
