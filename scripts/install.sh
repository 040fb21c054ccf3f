#!/usr/bin/env bash
# Installs PoleDesk into ./.venv on Debian/Ubuntu: the system libraries Qt needs, then the Python packages.
#   bash scripts/install.sh           the application
#   bash scripts/install.sh --tests   the application and what its test suite needs
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
[ "${1:-}" = "--tests" ] && with_tests=1

python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null 2>&1; then
    echo "PoleDesk a besoin de Python 3.11 ou plus récent (commande $python introuvable)." >&2
    exit 1
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "PoleDesk a besoin de Python 3.11 ou plus récent ; $("$python" --version) est installé." >&2
    exit 1
fi

# Qt's libraries (window on X11/Wayland, offscreen for the tests), and the tools the tests call.
debs=(libegl1 libgl1 libglib2.0-0 libfontconfig1 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0
      libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
      libxcb-render-util0 libxcb-image0 libxcb-xkb1 libx11-xcb1)
if ! "$python" -c 'import ensurepip' >/dev/null 2>&1; then
    debs+=("python3-venv")
fi
[ "$with_tests" = 1 ] && debs+=(age qpdf poppler-utils gcc)   # gcc: the standalone build trims ICU data

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
    for deb in "${debs[@]}"; do
        dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "ok installed" || missing+=("$deb")
    done
fi
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    if [ -n "$sudo" ] && ! command -v sudo >/dev/null 2>&1; then
        echo "Paquets système manquants : ${missing[*]}" >&2
        echo "Installez-les en administrateur : apt-get install ${missing[*]}" >&2
        exit 1
    fi
    echo "Installation des paquets système : ${missing[*]}"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "$with_tests" = 1 ]; then
    .venv/bin/python -m pip install --quiet -e ".[test,app]"
else
    .venv/bin/python -m pip install --quiet -e .
fi
echo "PoleDesk est installé dans $(pwd)/.venv"
