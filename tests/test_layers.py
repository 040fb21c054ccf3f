"""The house's layers: data/, sync/ and reports/ know nothing of Qt or of the layers above them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "poledesk"
FORBIDDEN = {
    "data": ("PySide6", "shiboken6", "poledesk.ui", "poledesk.sync", "poledesk.reports"),
    "sync": ("PySide6", "shiboken6", "poledesk.ui", "poledesk.reports"),
    "reports": ("PySide6", "shiboken6", "poledesk.ui", "poledesk.sync"),
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
