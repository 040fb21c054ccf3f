"""`poledesk import` and `poledesk export`: partners and establishments from and to spreadsheets."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from poledesk.commands.console import end_progress, print_progress
from poledesk.data.text import plural

EXIT_OK, EXIT_REFUSED = 0, 2


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imports = commands.add_parser("import", help="importer des partenaires ou des établissements d'un classeur "
                                                 "(.xlsx, .xls, .xlsb, .ods) ou d'un fichier CSV")
    imports.add_argument("kind", choices=("partners", "establishments"), metavar="QUOI",
                         help="partners (partenaires) ou establishments (établissements)")
    imports.add_argument("file", metavar="FICHIER", help="classeur .xlsx, .xls, .xlsb, .ods ou fichier .csv")
    imports.add_argument("--mapping", help='correspondance en JSON, champ -> en-tête de colonne, par exemple '
                                           '{"name": "Raison sociale", "notes": null}')
    imports.add_argument("--feuille", help="nom de la feuille à lire (sinon la première qui a des données)")
    imports.add_argument("--accepter-partiel", action="store_true",
                         help="importer les lignes valides même si d'autres sont rejetées")
    imports.set_defaults(handler=run_import)
    exports = commands.add_parser("export", help="exporter les partenaires, contacts, offres et visites (.xlsx, "
                                                 ".ods ; .csv : les partenaires seuls)")
    exports.add_argument("kind", choices=("partners",), metavar="QUOI", help="partners (partenaires)")
    exports.add_argument("file", metavar="FICHIER", help="fichier .xlsx, .ods ou .csv à écrire")
    exports.set_defaults(handler=run_export)


def run_import(args: argparse.Namespace, folder: Path) -> int:
    from poledesk.commands.protection import open_cli_store as open_store
    from poledesk.data.spreadsheets import establishment_import as establishment_import
    from poledesk.data.spreadsheets import partner_import as spreadsheet_import

    run = (spreadsheet_import.import_partners if args.kind == "partners"
           else establishment_import.import_establishments)
    mapping = mapping_argument(args.mapping)
    store = open_store(folder)
    try:   # a SpreadsheetError reaches the CLI's one error handler (code 2)
        outcome = run(store, Path(args.file), mapping, sheet_name=args.feuille,
                      include_valid_when_rejected=args.accepter_partiel, progress=print_progress)
    finally:
        store.close()
    end_progress()
    plan, summary = outcome.plan, outcome.summary
    rejected = plural(plan.count("reject"), "rejeté")
    if summary is None:
        print(f"Import refusé, rien n'a été modifié : {plan.count('create')} à créer, {plan.count('merge')} à "
              f"fusionner, {rejected}.")
    else:
        added = f", {plural(summary.contacts_added, 'interlocuteur ajouté')}" if summary.contacts_added else ""
        print(f"Import terminé : {plural(summary.created, 'créé')}, {plural(summary.merged, 'fusionné')}, "
              f"{rejected}{added}.")
    for line in plan.report_lines():
        print(line)
    if summary is not None:
        return EXIT_OK
    valid = len(plan.rows) - len(plan.rejected_rows)
    advice = (f"ou relancez avec --accepter-partiel pour importer {plural(valid, 'autre ligne')}" if valid
              else "aucune autre ligne n'est importable")
    print(f"{plural(len(plan.rejected_rows), 'ligne rejetée')} : corrigez le fichier, {advice}.", file=sys.stderr)
    return EXIT_REFUSED


def mapping_argument(text: str | None) -> dict[str, str | None] | None:
    from poledesk.data.spreadsheets.errors import SpreadsheetError

    if text is None:
        return None
    try:
        mapping = json.loads(text)
    except json.JSONDecodeError as error:
        raise SpreadsheetError(f"--mapping : JSON illisible ({error.msg}, caractère {error.pos + 1}).") from None
    if not isinstance(mapping, dict) or not all(isinstance(v, str | None) for v in mapping.values()):
        raise SpreadsheetError('--mapping : attendu un objet JSON champ -> en-tête, par exemple '
                               '{"name": "Raison sociale"}.')
    return mapping


def run_export(args: argparse.Namespace, folder: Path) -> int:
    from poledesk.commands.protection import open_cli_store as open_store
    from poledesk.data.spreadsheets.export import export_partners

    store = open_store(folder)
    try:   # a SpreadsheetError reaches the CLI's one error handler (code 2)
        with store.session() as session:
            summary = export_partners(session, Path(args.file), progress=print_progress)
    finally:
        store.close()
    end_progress()
    print(f"Export écrit : {summary.path}")
    print(summary.describe() + ".")
    return EXIT_OK
