#!/usr/bin/env bash
# Builds PoleDesk's wheel, installs it (not editable) in a fresh virtual environment outside the checkout, and runs
# it as a user would (scripts/smoke-install.sh): demo, check, a convention PDF, an import, a bundle, the window
# shown offscreen. pip's cache is reused, so only the first run downloads the dependencies.
#   bash scripts/check-wheel.sh               with python3 (3.11 or newer)
#   PYTHON=/path/python bash scripts/check-wheel.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
python=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

started=$(date +%s)
"$python" -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir "$work/dist" . 2>/dev/null \
    || "$python" -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" .
wheel=$(ls "$work"/dist/poledesk-*.whl)
"$python" - "$wheel" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
needed = ["poledesk/resources/naf_rev2.csv", "poledesk/resources/fonts/DejaVuSans.ttf",
          "poledesk/resources/icons/poledesk.png", "poledesk/data/migrations/env.py",
          "poledesk/resources/guide/guide.html", "poledesk/resources/guide/stages.png"]
missing = [name for name in needed if name not in names]
stray = sorted({name.split("/")[0] for name in names} - {"poledesk"} - {n.split("/")[0] for n in names if ".dist-info/" in n})
if missing or stray:
    sys.exit(f"wheel: missing {missing}, outside the package {stray}")
print(f"Roue : {len(names)} fichiers, ressources et migrations comprises.")
PY
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --upgrade pip
"$work/venv/bin/python" -m pip install --quiet "$wheel"
echo "Roue installée dans un environnement neuf en $(( $(date +%s) - started )) s."
cd "$work"   # nothing of the checkout on the path: only what the wheel installed
bash "$root/scripts/smoke-install.sh" "$work/venv/bin/poledesk" "$work/venv/bin/poledesk"
