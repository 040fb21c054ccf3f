#!/usr/bin/env bash
# Builds the standalone PoleDesk folder (dist/PoleDesk-VERSION/, with PoleDesk and poledesk-cli) from poledesk.spec,
# then prints its size and how long the build took.
#   bash scripts/build-app.sh              with .venv/bin/python (scripts/install.sh made it)
#   PYTHON=/path/python bash scripts/build-app.sh
# PyInstaller is installed into that Python's environment if it is missing; on Linux a C compiler (cc) is needed
# too (scripts/trim_icu.py). On Windows, run it from Git Bash
# with PYTHON=.venv/Scripts/python.exe (see the README), then build the setup program with installer/poledesk.iss.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-.venv/bin/python}
if ! "$python" -c 'import PyInstaller' >/dev/null 2>&1; then
    "$python" -m pip install --quiet "pyinstaller>=6.10"
fi
version=$("$python" -c 'import re, pathlib; print(re.search(r"__version__ = \"([^\"]+)\"", pathlib.Path("src/poledesk/__init__.py").read_text()).group(1))')
started=$(date +%s)
"$python" -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller poledesk.spec
elapsed=$(( $(date +%s) - started ))
folder="dist/PoleDesk-$version"
size_mb=$(du -sm "$folder" | cut -f1)
echo "Application construite : $folder ($size_mb Mo) en $elapsed s."
# The issue's budget. About 154 MB on Linux: the spec leaves out the Qt modules and libraries PoleDesk never loads
# and ships Qt's ICU data for French only (scripts/trim_icu.py, which needs a C compiler: without one the folder
# keeps ICU's 31 MB of world data and goes over the budget, and this says so).
budget=${POLEDESK_SIZE_BUDGET_MB:-180}
if [ "$size_mb" -gt "$budget" ]; then
    echo "Le dossier dépasse le budget de $budget Mo : les plus gros éléments :" >&2
    du -sm "$folder"/_internal/* | sort -rn | head -15 >&2
    exit 1
fi
