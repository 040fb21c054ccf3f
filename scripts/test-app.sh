#!/usr/bin/env bash
# Checks the standalone build made by scripts/build-app.sh, headless: every poledesk module is inside, the French
# Qt translation and the PDF fonts shipped, then the built executables run a user's session (smoke-install.sh).
#   bash scripts/test-app.sh [dist/PoleDesk-VERSION]
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-.venv/bin/python}
folder=${1:-$(ls -d dist/PoleDesk-* | sort | tail -1)}
[ -x "$folder/poledesk-cli" ] || { echo "Pas d'application construite dans « $folder » : lancez scripts/build-app.sh." >&2; exit 1; }
"$python" scripts/check-spec-modules.py --pyz build/pyinstaller/poledesk/PYZ-00.pyz
for shipped in PySide6/Qt/translations/qtbase_fr.qm poledesk/resources/fonts/DejaVuSans.ttf \
               poledesk/resources/fonts/LICENSE-DejaVu.txt poledesk/resources/icons/poledesk.png; do
    [ -f "$folder/_internal/$shipped" ] || { echo "Absent de l'application : $shipped" >&2; exit 1; }
done
echo "Application : $folder ($(du -sm "$folder" | cut -f1) Mo)"
bash scripts/smoke-install.sh "$folder/poledesk-cli" "$folder/PoleDesk"
