"""The message boxes (ui/messages.py) and the one declaration of the window's settings keys (ui/ui_state.py)."""

from __future__ import annotations

import ast
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from poledesk.data.validation import ValidationError
from poledesk.ui import messages, ui_state

UI = Path(__file__).resolve().parents[2] / "src" / "poledesk" / "ui"


def test_a_refusal_lists_every_problem_of_the_validation_error(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    box = messages.refusal(parent, "Action refusée", ValidationError({"a": "Premier problème.", "b": "Second."}),
                           details="Rien n'a été modifié.")
    assert box.isVisible() and box.icon() == QMessageBox.Icon.Warning
    assert box.text() == "Premier problème.\nSecond." and box.informativeText() == "Rien n'a été modifié."
    assert messages.refusal_text(OSError("disque plein")) == "disque plein"


def test_a_confirmation_acts_only_on_yes_and_says_no_by_default(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    done: list[str] = []
    box = messages.confirmation(parent, "Archiver", "Archiver ?", lambda: done.append("oui"), yes="Archiver")
    assert box.defaultButton() is box.button(messages.NO) and box.button(messages.NO).text() == "Annuler"
    box.button(messages.NO).click()
    assert done == []
    again = messages.confirmation(parent, "Archiver", "Archiver ?", lambda: done.append("oui"), yes="Archiver")
    assert again.button(messages.YES).text() == "Archiver"
    again.button(messages.YES).click()
    assert done == ["oui"]


def test_a_question_hands_back_the_answer_chosen(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    answers: list[QMessageBox.StandardButton] = []
    box = messages.question(parent, "Inscrire", "L'indiquer comme tuteur ?", messages.YES | messages.NO
                            | messages.CANCEL, answers.append)
    box.button(messages.CANCEL).click()
    assert answers == [messages.CANCEL]


def test_every_settings_key_is_declared_once_in_ui_state():
    assert len(set(ui_state.KEYS)) == len(ui_state.KEYS)
    literal_keys = []
    for path in UI.rglob("*.py"):
        if path.name == "ui_state.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("value", "setValue") and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                    and "/" in node.args[0].value):
                literal_keys.append(f"{path.name}: {node.args[0].value}")
    assert literal_keys == []


def test_a_folder_is_remembered_per_kind_of_file(tmp_path):
    settings = ui_state.settings(tmp_path)
    assert ui_state.BUNDLE_FOLDER.read(settings) == str(Path.home())
    ui_state.BUNDLE_FOLDER.write(settings, tmp_path / "paquets")
    assert ui_state.BUNDLE_FOLDER.read(ui_state.settings(tmp_path)) == str(tmp_path / "paquets")
    assert ui_state.CARD_FOLDER.read(settings) == str(Path.home())
