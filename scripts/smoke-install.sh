#!/usr/bin/env bash
# Drives an installed PoleDesk as a user would, on a machine without a screen, in throw-away data folders:
# demo, check, a convention PDF, an export then an import, keys and a bundle written, then the window shown
# offscreen. Used by scripts/check-wheel.sh (an installed wheel) and scripts/test-app.sh (the standalone build).
#   bash scripts/smoke-install.sh CLI WINDOW      e.g. venv/bin/poledesk venv/bin/poledesk
set -euo pipefail
cli=$1
window=${2:-$1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen POLEDESK_DATA_DIR="$work/unused"
# Real poles protect their store with a passphrase: headless commands read it from the environment.
export POLEDESK_PASSPHRASE="phrase secrete du test de l application"

step() { printf '  %s : ' "$1"; }
expect() {   # expect TEXT COMMAND...: the command succeeds and prints TEXT
    local text=$1 out
    shift
    if ! out=$("$@" 2>&1); then
        echo "ÉCHEC"; echo "$out" >&2; exit 1
    fi
    if ! grep -qF -- "$text" <<<"$out"; then
        echo "ÉCHEC (« $text » attendu)"; echo "$out" >&2; exit 1
    fi
    echo "ok"
}

pole="$work/pole" coordination="$work/coordination" other="$work/autre-pole"
step "démonstration";           expect "Démonstration créée" "$cli" --data-dir "$pole" demo
step "vérification de la base"; expect "est saine" "$cli" --data-dir "$pole" check
step "convention en PDF";       expect "Convention écrite" "$cli" --data-dir "$pole" convention 1 --out "$work/c.pdf"
head -c 5 "$work/c.pdf" | grep -q "%PDF-" || { echo "la convention n'est pas un PDF" >&2; exit 1; }
step "export des partenaires";  expect "Partenaires : " "$cli" --data-dir "$pole" export partners "$work/p.xlsx"
# A real pole's store is encrypted at set-up: its recovery sheet goes to the throw-away folder, not the current one.
"$cli" --data-dir "$other" init pole NM-99 --name "Pôle d'essai" --bassin Essai --academie Nancy-Metz \
    --recovery-sheet "$work/secours-autre-pole.pdf" >/dev/null
head -c 5 "$work/secours-autre-pole.pdf" | grep -q "%PDF-" || { echo "pas de feuille de secours" >&2; exit 1; }
step "import des partenaires";  expect "Import terminé" "$cli" --data-dir "$other" import partners "$work/p.xlsx"
step "export et import en .ods"; expect "Partenaires : " "$cli" --data-dir "$pole" export partners "$work/p.ods"
"$cli" --data-dir "$work/pole-ods" init pole NM-98 --name "Pôle LibreOffice" --bassin Essai --academie Nancy-Metz \
    --recovery-sheet "$work/secours-pole-ods.pdf" >/dev/null
expect "Import terminé" "$cli" --data-dir "$work/pole-ods" import partners "$work/p.ods"

step "clés et paquet chiffré"
"$cli" --data-dir "$pole" keys init >/dev/null
"$cli" --data-dir "$coordination" init coordinator Nancy-Metz --recovery-sheet "$work/secours-coordination.pdf" >/dev/null
"$cli" --data-dir "$pole" keys export-card "$work/pole.json" >/dev/null
"$cli" --data-dir "$coordination" keys export-card "$work/coordination.json" >/dev/null
card=$("$cli" --data-dir "$coordination" keys import-card "$work/pole.json")
code=$(sed -n 's/^Code de vérification : \([0-9 ]*\)$/\1/p' <<<"$card")
pole_code=$(sed -n 's/^Correspondant enregistré : \([^ ]*\) .*/\1/p' <<<"$card")
"$cli" --data-dir "$pole" keys import-card "$work/coordination.json" >/dev/null
"$cli" --data-dir "$pole" keys verify COORD-NANCY-METZ --code "$code" >/dev/null
"$cli" --data-dir "$coordination" keys verify "$pole_code" --code "$code" >/dev/null
expect "Paquet n° 1" "$cli" --data-dir "$pole" bundle export --to COORD-NANCY-METZ --out "$work/b.age"
step "import du paquet";        expect "importé" "$cli" --data-dir "$coordination" bundle import "$work/b.age"
step "fenêtre (hors écran)";    expect "Fenêtre affichée" "$window" --data-dir "$pole" --smoke
echo "Installation vérifiée : toutes les étapes ont réussi."
