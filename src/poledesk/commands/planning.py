"""`poledesk planning`: the bassin's calendar of a school year written as .xlsx or .pdf, and its weeks in tension."""

from __future__ import annotations

import argparse
from pathlib import Path

GROUPS = ("audience", "formation", "sector")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    planning = commands.add_parser("planning", help="le calendrier des périodes de l'année (.xlsx ou .pdf) et ses "
                                                    "semaines en tension")
    planning.add_argument("--year", required=True, metavar="AAAA-AAAA", help="l'année scolaire, par exemple 2026-2027")
    planning.add_argument("--out", required=True, type=Path, metavar="FICHIER",
                          help="le fichier à écrire : .xlsx (classeur) ou .pdf (A4 paysage)")
    planning.add_argument("--group", choices=GROUPS, default="audience",
                          help="les lignes : publics (audience), formations (formation) ou secteurs (sector)")
    planning.add_argument("--pole", metavar="CODE", help="pour une coordination : le calendrier d'un seul pôle")
    planning.set_defaults(handler=run_planning)


def run_planning(args: argparse.Namespace, folder: Path) -> int:
    from poledesk.commands.protection import open_cli_store
    from poledesk.data.planning import view
    from poledesk.reports.planning import write_planning

    store = open_cli_store(folder, create=False)
    try:
        with store.session() as session:
            setting = view.planning_setting(session, args.year)
            calendar = view.draw_calendar(session, setting, grouping=args.group, owner=args.pole)
    finally:
        store.close()
    written = write_planning(calendar, setting, args.out)
    tensions = calendar.tensions()
    print(f"Calendrier {setting.school_year} écrit : {written} ({len(calendar.rows)} lignes, "
          f"{len(calendar.weeks)} semaines).")
    if not tensions:
        print("Aucune semaine en tension : la demande ne dépasse les places offertes nulle part.")
        return 0
    weeks = len({t.week.monday for t in tensions})
    print(f"Semaines en tension ({weeks}) :")
    for tension in tensions:
        print(f"  {view.tension_label(tension)}")
    return 0
