"""`poledesk rules check FILE.json`: one placement in, the findings of the convention rules out, as JSON.

No store is opened: the placement is described whole in the file (docs/rules-check.md), so other tools and
auditors can check PoleDesk's rules on their own cases. Exit 0 when nothing blocks, 2 when a rule blocks the
convention, 1 when the file cannot be read (the reason on stderr, in French).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_ERROR, EXIT_BLOCKED = 0, 1, 2


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rules = commands.add_parser("rules", help="les règles des conventions, vérifiables hors de PoleDesk")
    actions = rules.add_subparsers(dest="action", required=True, parser_class=type(rules), metavar="ACTION")
    check = actions.add_parser("check", help="vérifier un stage décrit en JSON et afficher les constats en JSON")
    check.add_argument("file", metavar="FICHIER.json", help="le stage à vérifier, ou « - » pour l'entrée standard")
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace, _folder: Path) -> int:
    from poledesk.data.conventions.rules_check import check_placement
    from poledesk.data.validation import ValidationError

    data = _read(args.file)
    if data is None:
        return EXIT_ERROR
    try:
        result = check_placement(data)
    except ValidationError as error:
        print("Erreur : le stage décrit ne peut pas être vérifié :", file=sys.stderr)
        for field, message in error.problems.items():
            print(f"  - {message}" if not field or field in message else f"  - {field} : {message}", file=sys.stderr)
        return EXIT_ERROR
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return EXIT_BLOCKED if result["blocking"] else EXIT_OK


def _read(name: str) -> Any:
    """The JSON of the file (or of stdin for '-'); None after saying why it cannot be read."""
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "encodage UTF-8 attendu"
        print(f"Erreur : impossible de lire « {name} » ({reason}).", file=sys.stderr)
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        print(f"Erreur : « {name} » n'est pas du JSON valide (ligne {error.lineno}, colonne {error.colno}).",
              file=sys.stderr)
        return None
