"""`poledesk trainings`: the tutor training sessions as a table, their attendance sheets, attestations and lists."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from poledesk.commands.console import end_progress, print_progress, print_table
from poledesk.data import Session
from poledesk.data.text import format_count, plural, plural_words

COLUMNS = ("N°", "Date", "Horaires", "Intitulé", "Thème", "Lieu", "Inscrits", "Présents", "Statut")
EXPORT_SUFFIXES = (".xlsx", ".ods", ".csv")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    trainings = commands.add_parser("trainings", help="les formations des tuteurs et tutrices")
    actions = trainings.add_subparsers(dest="action", required=True, parser_class=type(trainings), metavar="ACTION")
    listing = actions.add_parser("list", help="les sessions, à venir d'abord puis passées")
    listing.add_argument("--annee", default="", metavar="AAAA-AAAA", help="une année scolaire, par exemple 2026-2027")
    listing.add_argument("--theme", default="", help="un thème, écrit comme dans la liste")
    listing.set_defaults(handler=run_list)
    for name, help_text, handler in (
            ("sheet", "la feuille d'émargement d'une session (PDF)", run_sheet),
            ("attestations", "les attestations des présents, une page par personne (PDF)", run_attestations),
            ("export", "la liste des invités (.xlsx, .ods, ou .csv pour un publipostage)", run_export)):
        action = actions.add_parser(name, help=help_text)
        action.add_argument("session_id", type=int, metavar="SESSION_ID", help="le numéro de la session (voir list)")
        action.add_argument("--out", required=True, type=Path, metavar="FICHIER", help="le fichier à écrire")
        action.set_defaults(handler=handler)


def run_list(args: argparse.Namespace, folder: Path) -> int:
    from poledesk.data.text import format_date
    from poledesk.data.trainings import listing as trainings

    with _store(folder) as store, store.session() as session:
        rows = trainings.list_sessions(session, school_year=args.annee, theme=args.theme)
    lines = [(str(r.id), format_date(r.session_date), trainings.hours_text(r.start_time, r.end_time), r.title,
              r.theme, r.place, _registered(r), str(r.attended) if r.attended else "", r.status.label)
             for r in rows]
    print_table(COLUMNS, lines)
    upcoming = sum(1 for r in rows if r.upcoming)
    print(f"{plural(len(rows), 'session')}, dont {upcoming} à venir.")
    return 0


def run_sheet(args: argparse.Namespace, folder: Path) -> int:
    from poledesk.reports import trainings as documents

    def job(session: Session) -> str:
        doc = documents.training_document(session, args.session_id)
        data = documents.render_attendance_sheet(doc, progress=print_progress)
        documents.write_document(args.out, data)
        pages = documents.sheet_pages(len(documents.attendance_lines(doc.session)))
        return (f"Feuille d'émargement écrite : {args.out} ({plural(pages, 'page')}, "
                f"{plural(len(doc.session.expected), 'inscrit')}).")

    return _run(folder, job, write=False)


def run_attestations(args: argparse.Namespace, folder: Path) -> int:
    from poledesk.data.trainings import edits as training_edits
    from poledesk.reports import trainings as documents

    def job(session: Session) -> str:
        doc = documents.training_document(session, args.session_id)
        data = documents.render_attestations(doc, progress=print_progress)
        dated = training_edits.mark_attestations_issued(session, args.session_id)
        documents.write_document(args.out, data)
        count = len(doc.session.attendees)
        return (f"{plural(count, 'attestation')} de formation {plural_words(count, 'écrite')} : {args.out} "
                f"({format_count(dated)} nouvellement {plural_words(dated, 'délivrée')}).")

    return _run(folder, job, write=True)


def run_export(args: argparse.Namespace, folder: Path) -> int:
    from poledesk.reports import trainings as documents

    suffix = args.out.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        print("Erreur : le fichier doit finir par .xlsx ou .ods (classeur) ou .csv (publipostage), "
              f"pas « {suffix or '(rien)'} ».", file=sys.stderr)
        return 1

    from poledesk.data.trainings import listing as trainings

    def job(session: Session) -> str:
        s = documents.training_document(session, args.session_id).session
        data = documents.invitation_file(s, suffix)
        documents.write_document(args.out, data)
        people = len(trainings.invited_lines(s))
        return f"Liste des invités écrite : {args.out} ({plural(people, 'personne')})."

    return _run(folder, job, write=False)


def _registered(row: Any) -> str:
    text = f"{row.registered}/{row.capacity}"
    return f"{text} (+{row.waitlisted} en attente)" if row.waitlisted else text


def _run(folder: Path, job: Callable[[Session], str], *, write: bool) -> int:
    """Run job(session) in one read session, or in one transaction when it writes; a French refusal changes nothing
    (it reaches the CLI's one error handler)."""
    with _store(folder) as store:
        try:
            with store.transaction() if write else store.session() as session:
                summary = job(session)
        except OSError as error:
            end_progress()
            print(f"Erreur : le fichier n'a pas pu être écrit ({error.strerror or error}) ; rien n'a été modifié.",
                  file=sys.stderr)
            return 1
    end_progress()
    print(summary)
    return 0


@contextmanager
def _store(folder: Path) -> Iterator[Any]:
    """The store of `folder`, closed afterwards; StoreError when there is none to open."""
    from poledesk.commands.protection import open_cli_store as open_store

    store = open_store(folder, create=False)
    try:
        yield store
    finally:
        store.close()
