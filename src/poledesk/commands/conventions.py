"""`poledesk convention`: a placement's convention, avenant or attestation as a PDF, refused when a rule blocks it."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from poledesk.data import Session
from poledesk.data.text import plural

EXIT_OK, EXIT_ERROR, EXIT_REFUSED = 0, 1, 2


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("convention", help="éditer la convention d'un stage (PDF), son avenant ou son "
                                                    "attestation")
    parser.add_argument("placement_id", type=int, metavar="PLACEMENT_ID", help="le numéro du stage")
    parser.add_argument("--out", required=True, type=Path, metavar="FICHIER.pdf", help="le fichier PDF à écrire")
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--attestation", action="store_true", help="l'attestation de stage, à la fin de la période")
    kind.add_argument("--avenant", type=int, metavar="N", help="l'avenant n° N à la convention")
    parser.set_defaults(handler=run_convention)


def run_convention(args: argparse.Namespace, folder: Path) -> int:
    """Write the PDF atomically and say so; 2 with the findings on stderr (nothing written), 1 for a bad id.

    A store that cannot be opened, a bad id or an unusable articles file reach the CLI's one error handler."""
    from poledesk.commands.protection import open_cli_store as open_store
    from poledesk.reports.convention_files import BlockingFindings

    store = open_store(folder, create=False)
    try:
        with store.session() as session:
            what, document, data = _render(session, args, folder)
    except BlockingFindings as refusal:   # the findings, one a line, then what was (not) done
        print(f"{refusal}\nRien n'a été écrit.", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        store.close()
    from poledesk.reports.style import write_pdf_atomic

    try:
        write_pdf_atomic(args.out, data)
    except OSError as error:
        print(f"Erreur : impossible d'écrire « {args.out} » ({error.strerror or error}).", file=sys.stderr)
        return EXIT_ERROR
    _print_summary(what, document, args.out, data)
    return EXIT_OK


def _render(session: Session, args: argparse.Namespace, folder: Path) -> tuple[str, Any, bytes]:
    from poledesk.data.conventions.document import convention_document
    from poledesk.data.validation import ValidationError
    from poledesk.reports import conventions
    from poledesk.reports.convention_articles import load_articles
    from poledesk.reports.convention_files import checked_document

    today, articles = date.today(), load_articles(folder)
    if args.attestation:   # never refused: it reports a period that took place
        document = convention_document(session, args.placement_id, today=today)
        return "Attestation de stage écrite", document, conventions.render_attestation(document, articles=articles)
    document = checked_document(session, args.placement_id, today=today)
    if args.avenant is None:
        return "Convention écrite", document, conventions.render_convention(document, articles=articles)
    amendment = document.amendment(args.avenant)
    if amendment is None:
        known = ", ".join(str(a.number) for a in document.amendments) or "aucun"
        raise ValidationError({"amendment": f"Le stage n° {args.placement_id} n'a pas d'avenant n° {args.avenant} "
                                            f"(avenants : {known})."})
    data = conventions.render_amendment(document, amendment, articles=articles)
    return f"Avenant n° {args.avenant} écrit", document, data


def _print_summary(what: str, document: Any, out: Path, data: bytes) -> None:
    from poledesk.data.text import format_date

    pages = len(re.findall(rb"/Type /Page[^s]", data))
    print(f"{what} : {out} ({plural(pages, 'page')}).")
    print(f"Stage n° {document.placement_id} – {document.pupil.name} chez {document.host.name}, du "
          f"{format_date(document.start_date)} au {format_date(document.end_date)}.")
    for finding in document.findings:
        if not finding.blocking:
            print(f"Attention : {finding.message}")
