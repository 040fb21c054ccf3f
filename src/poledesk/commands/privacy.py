"""`poledesk purge` (anonymise pupils on schedule, or list or postpone it) and `poledesk privacy` (the DPO's sheet)."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

EXIT_OK, EXIT_REFUSED = 0, 2


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    purge = commands.add_parser("purge", help="anonymiser les élèves dont la date de purge est passée")
    purge.add_argument("--dry-run", action="store_true", help="lister seulement ce qui serait anonymisé")
    purge.add_argument("--postpone", metavar="JJ/MM/AAAA", default=None,
                       help="reporter une fois l'anonymisation due, de 30 jours au plus")
    purge.set_defaults(handler=cmd_purge)
    privacy = commands.add_parser("privacy", help="la fiche de protection des données, pour le délégué (DPO)")
    privacy.add_argument("--pdf", type=Path, default=None, metavar="FICHIER", help="écrire aussi la fiche en PDF")
    privacy.set_defaults(handler=cmd_privacy)


def french_date(text: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise ValueError(f"Date invalide « {text} » : écrivez-la JJ/MM/AAAA, par exemple 30/11/2026.") from None


def cmd_purge(args: argparse.Namespace, folder: Path) -> int:
    from poledesk.commands.protection import open_cli_store
    from poledesk.data import purge
    from poledesk.data.validation import ValidationError

    today = date.today()
    store = open_cli_store(folder, create=False)
    try:
        if args.postpone is not None:
            try:
                until = french_date(args.postpone)
                with store.transaction() as session:
                    purge.postpone_purge(session, today, until)
            except (ValueError, ValidationError) as error:
                message = "; ".join(error.problems.values()) if isinstance(error, ValidationError) else str(error)
                print(f"Erreur : {message} Rien n'a été modifié.", file=sys.stderr)
                return EXIT_REFUSED
            print(f"Anonymisation reportée au {until:%d/%m/%Y} (une seule fois).")
            return EXIT_OK
        with store.session() as session:
            plan = purge.plan_purge(session, today)
        for line in plan.lines():
            print(line)
        if args.dry_run or not plan.is_due_now:
            if plan.due and not plan.is_due_now:
                print("L'anonymisation a été reportée : rien n'a été modifié.")
            return EXIT_OK
        result = purge.run_purge(store, today)
    finally:
        store.close()
    print(f"Fait : {result.describe()}")
    return EXIT_OK


def cmd_privacy(args: argparse.Namespace, folder: Path) -> int:
    from poledesk.commands.protection import open_cli_store
    from poledesk.data import identity, privacy

    store = open_cli_store(folder, create=False)
    try:
        with store.session() as session:
            report = privacy.privacy_report(session, folder, encrypted=store.encrypted, today=date.today())
            categories = privacy.categories(session)
            ident = identity.current_identity(session)
    finally:
        store.close()
    for line in report.lines():
        print(line)
    if args.pdf is not None:
        from poledesk.reports.privacy_sheet import write_privacy_sheet

        write_privacy_sheet(args.pdf, report, owner_title=ident.title if ident else "PoleDesk", categories=categories)
        print(f"Fiche écrite : {args.pdf}")
    return EXIT_OK
