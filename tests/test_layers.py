"""The house's layers: data/, sync/, reports/ and commands/ know nothing of Qt or of the layers above them;
ui/ runs no SQL and names a store session through poledesk.data."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "poledesk"
FORBIDDEN = {
    "data": ("PySide6", "shiboken6", "poledesk.ui", "poledesk.sync", "poledesk.reports"),
    "sync": ("PySide6", "shiboken6", "poledesk.ui", "poledesk.reports"),
    "reports": ("PySide6", "shiboken6", "poledesk.ui", "poledesk.sync"),
    "commands": ("PySide6", "shiboken6", "poledesk.ui"),
    "ui": ("sqlalchemy",),
}


def imports_of(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: relative import (use absolute imports)"
            names.append(node.module or "")
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports(layer):
    files = list((PACKAGE / layer).rglob("*.py"))
    assert files or layer in ("sync", "reports"), f"no module in {layer}/"
    for path in files:
        for name in imports_of(path):
            assert not name.startswith(FORBIDDEN[layer]), f"{path.relative_to(PACKAGE)} imports {name}"


def test_the_ui_names_a_session_by_the_alias_data_exports():
    """ui/ may not import SQLAlchemy, yet its callbacks take a session: poledesk.data.Session is that type."""
    from sqlalchemy.orm import Session

    import poledesk.data

    assert poledesk.data.Session is Session
    users = [path for path in (PACKAGE / "ui").rglob("*.py")
             if any(isinstance(node, ast.ImportFrom) and node.module == "poledesk.data"
                    and any(alias.name == "Session" for alias in node.names)
                    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))]
    assert len(users) >= 5
    for path in (PACKAGE / "ui").rglob("*.py"):
        assert "session: Any" not in path.read_text(encoding="utf-8"), f"{path.relative_to(PACKAGE)}: use Session"


def test_the_commands_never_load_qt(tmp_path):
    """Every sub-command's module imports without Qt: a server or a script runs the CLI without a display."""
    import subprocess
    import sys

    from poledesk.cli import COMMAND_MODULES

    code = ("import importlib, sys\n"
            f"for name in {COMMAND_MODULES!r} + ('poledesk.cli',):\n"
            "    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')\n"
            "             or m == 'poledesk.ui' or m.startswith('poledesk.ui.')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": str(PACKAGE.parent), "PATH": ""}, cwd=tmp_path)
    assert done.stdout.strip() == "[]"
