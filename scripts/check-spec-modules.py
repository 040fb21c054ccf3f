"""Fails when a module of poledesk would be missing from the standalone build.

poledesk.spec takes its hidden imports from PyInstaller's collect_submodules("poledesk"), which silently leaves out
a module that cannot be imported while the spec runs. This compares that list with the source tree; given the
build's PYZ archive (--pyz build/pyinstaller/poledesk/PYZ-00.pyz), it also checks every module really went in.
Quick (a few seconds, no build): .ci/run calls it before the tests.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src"
# Alembic runs these by path from the migrations folder, which ships as files.
DATA_ONLY = ("poledesk.data.migrations.versions.", "poledesk.data.migrations.env")


def source_modules() -> set[str]:
    found = set()
    for path in (SOURCE / "poledesk").rglob("*.py"):
        parts = path.relative_to(SOURCE).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if not name.startswith(DATA_ONLY) and name not in DATA_ONLY:
            found.add(name)
    return found


def collected_modules() -> set[str]:
    sys.path.insert(0, str(SOURCE))
    from PyInstaller.utils.hooks import collect_submodules

    return set(collect_submodules("poledesk"))


def archived_modules(pyz: Path) -> set[str]:
    from PyInstaller.archive.readers import ZlibArchiveReader

    return {name for name in ZlibArchiveReader(str(pyz)).toc if name == "poledesk" or name.startswith("poledesk.")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pyz", type=Path, help="the PYZ archive of a build, to check too")
    args = parser.parse_args()
    expected = source_modules()
    problems = [f"not collected by the spec: {name}" for name in sorted(expected - collected_modules())]
    if args.pyz is not None:
        problems += [f"missing from {args.pyz.name}: {name}" for name in sorted(expected - archived_modules(args.pyz))]
    for problem in problems:
        print(problem, file=sys.stderr)
    where = " and the built archive" if args.pyz is not None else ""
    print(f"{len(expected)} poledesk modules, {len(problems)} missing from the spec's collection{where}.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
