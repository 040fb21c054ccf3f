"""docs/ARCHITECTURE.md stays true to the code: every area and module it should describe is named in it, so a
module added without a word in the design of record fails here; and every type: ignore or noqa says why."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "poledesk"
DOC = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")


def modules(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__")


def packages(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if (p / "__init__.py").exists())


def named(text: str, name: str) -> bool:
    """`name` appears in backticks, alone or as the start of a dotted path (`workers.Worker`, `db.py`)."""
    return re.search(rf"`{re.escape(name)}(\.\w+)*`", text) is not None


def area_row(area: str) -> str:
    rows = [line for line in DOC.splitlines() if line.startswith(f"| `{area}/` |")]
    assert rows, f"data/{area}/ has no row in the areas table of docs/ARCHITECTURE.md"
    return rows[0]


DATA_AREAS = [a for a in packages(PACKAGE / "data") if a != "migrations"]


@pytest.mark.parametrize("area", DATA_AREAS)
def test_every_data_area_and_each_of_its_modules_has_its_row(area):
    row = area_row(area)
    missing = [m for m in modules(PACKAGE / "data" / area) if not named(row, m)]
    assert not missing, f"data/{area}/: {missing} not named in its row of docs/ARCHITECTURE.md"


@pytest.mark.parametrize("layer", ["data", "ui", "ui/widgets", "sync", "reports", "commands"])
def test_every_module_of_a_layer_is_named(layer):
    missing = [m for m in modules(PACKAGE / layer) if not named(DOC, f"{m}.py") and not named(DOC, m)]
    assert not missing, f"{layer}/: {missing} not named in docs/ARCHITECTURE.md"


def test_every_ui_folder_and_every_migration_is_named():
    assert [f for f in packages(PACKAGE / "ui") if not named(DOC, f"{f}/")] == []
    migrations = modules(PACKAGE / "data" / "migrations" / "versions")
    assert migrations and [m for m in migrations if not named(DOC, m)] == []


def test_the_check_itself_sees_a_missing_name():
    assert named("the `db.py` module, `workers.Worker`", "db.py") and named("`workers.Worker`", "workers")
    assert not named("`dbx.py`", "db.py") and not named("db.py", "db.py")


PRAGMA = re.compile(r"#\s*(type:\s*ignore\[[\w, -]+\]|noqa:\s*[A-Z0-9, ]+)(.*)$")


def test_every_type_ignore_and_noqa_names_its_reason():
    bare = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            found = PRAGMA.search(line)
            if found and not found.group(2).strip(" #()"):
                bare.append(f"{path.relative_to(PACKAGE)}:{number}")
    assert bare == [], "a type: ignore or noqa without its reason after it"
