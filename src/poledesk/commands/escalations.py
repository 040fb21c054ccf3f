"""`poledesk escalations list`: the pending list of escalations as a table, most urgent first."""

from __future__ import annotations

import argparse
from pathlib import Path

from poledesk.commands.console import print_table
from poledesk.data.enums import EscalationStatus
from poledesk.data.text import fold, format_date, plural

COLUMNS = ("Urgence", "Début", "Fin", "Élève", "Établissement", "Public", "Statut", "Reçue le")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    escalations = commands.add_parser("escalations", help="les sollicitations des établissements")
    actions = escalations.add_subparsers(dest="action", required=True, parser_class=type(escalations),
                                         metavar="ACTION")
    listing = actions.add_parser("list", help="la liste des sollicitations, les plus urgentes d'abord")
    listing.add_argument("--status", action="append", type=parse_status, metavar="STATUT",
                         help="ne garder que ce statut (répétable) : " + ", ".join(s.value for s in EscalationStatus))
    listing.add_argument("--toutes", action="store_true", help="inclure les sollicitations closes")
    listing.set_defaults(handler=run_list)


def parse_status(text: str) -> EscalationStatus:
    """A status by its code (received) or its French label (« Reçue »), case and accents ignored."""
    wanted = fold(text.strip())
    for status in EscalationStatus:
        if wanted in (status.value, fold(status.label)):
            return status
    choices = ", ".join(f"{s.value} ({s.label})" for s in EscalationStatus)
    raise argparse.ArgumentTypeError(f"statut inconnu « {text} » ; au choix : {choices}")


def run_list(args: argparse.Namespace, folder: Path) -> int:
    from poledesk.commands.protection import open_cli_store as open_store
    from poledesk.data.escalations import listing as escalations

    store = open_store(folder, create=False)
    try:
        with store.session() as session:
            rows = escalations.list_escalations(session, open_only=not (args.toutes or args.status))
    finally:
        store.close()
    if args.status:
        rows = [row for row in rows if row.status in args.status]
    lines = [(escalations.urgency_text(r.urgency, r.days_left) or "—", format_date(r.period_start),
              format_date(r.period_end), r.pupil, r.establishment, r.audience.label, r.status.label,
              format_date(r.received_on)) for r in rows]
    print_table(COLUMNS, lines)
    print(plural(len(rows), "sollicitation" if args.toutes or args.status else "sollicitation ouverte") + ".")
    return 0
