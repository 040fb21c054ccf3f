"""`poledesk report`: the indicators (.xlsx or .pdf), the programme d'actions and its bilan (.pdf) of a year."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from poledesk.data.text import plural

if TYPE_CHECKING:
    from poledesk.reports.indicator_documents import WrittenReport

KINDS = (("indicators", "les indicateurs de l'année, par pôle et pour l'académie (.xlsx ou .pdf)"),
         ("programme", "le programme d'actions de l'année (.pdf)"),
         ("bilan", "le bilan du programme d'actions de l'année (.pdf)"))


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser("report", help="les rapports de l'année : indicateurs, programme d'actions, bilan")
    kinds = report.add_subparsers(dest="kind", required=True, parser_class=type(report), metavar="RAPPORT")
    for name, help_text in KINDS:
        kind = kinds.add_parser(name, help=help_text)
        kind.add_argument("--year", required=True, metavar="AAAA-AAAA", help="l'année scolaire, par exemple 2026-2027")
        kind.add_argument("--out", required=True, type=Path, metavar="FICHIER", help="le fichier à écrire")
        kind.set_defaults(handler=run_report)


def run_report(args: argparse.Namespace, folder: Path) -> int:
    from poledesk.commands.protection import open_cli_store as open_store
    from poledesk.data.db import StoreError
    from poledesk.reports import indicator_documents as documents

    writers = {"indicators": documents.write_indicators, "programme": documents.write_programme,
               "bilan": documents.write_bilan}
    try:
        store = open_store(folder, create=False)
    except StoreError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 1
    try:
        with store.session() as session:
            written = writers[args.kind](session, args.year, args.out)
    except documents.ReportError as error:
        print(f"Erreur : {error} Rien n'a été écrit.", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"Erreur : le fichier n'a pas pu être écrit ({error.strerror or error}).", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(_summary(args.kind, written))
    return 0


def _summary(kind: str, written: WrittenReport) -> str:
    path, poles, actions = written.path, written.poles, written.actions
    if kind == "indicators":
        return f"Indicateurs écrits : {path} ({plural(max(poles, 1), 'pôle')})."
    name = "Programme d'actions" if kind == "programme" else "Bilan"
    return f"{name} écrit : {path} ({plural(actions, 'action')})."
