"""The recovery sheet: the store's recovery key, printed once and kept in the pole's safe."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle

from poledesk.data.text import format_date
from poledesk.reports.style import (
    FONT_BOLD,
    DocumentInfo,
    build_pdf,
    content_width,
    fields_table,
    framed,
    para,
    section,
    spacer,
    styles,
    write_pdf_atomic,
)


def recovery_sheet_pdf(*, recovery_key: str, store_id: str, owner_title: str, folder: Path,
                       printed_on: date | None = None) -> bytes:
    """One A4 page: what the key is, the key itself in large print, and how to use it."""
    printed_on = printed_on or date.today()
    width = content_width()
    key_style = ParagraphStyle("recovery", parent=styles().body, fontName=FONT_BOLD, fontSize=15, leading=22,
                               alignment=1)
    groups = recovery_key.split("-")
    lines = ["  ".join(groups[i:i + 5]) for i in range(0, len(groups), 5)]
    story = [
        para("Feuille de secours de la base PoleDesk", styles().title),
        para(f"{owner_title} – éditée le {format_date(printed_on)}", styles().subtitle),
        para("Cette clé ouvre la base chiffrée de ce poste si la phrase secrète est oubliée ou si le fichier "
             "d'en-tête est perdu. Quiconque la détient peut lire les données des élèves : rangez cette feuille "
             "au coffre du pôle, ne la photographiez pas, ne l'envoyez pas par courriel.", styles().justified),
        spacer(4),
        framed([para(line, key_style) for line in lines], width, title="Clé de secours"),
        spacer(4),
        fields_table((("Identifiant de la base", store_id), ("Dossier de données au moment de l'édition", str(folder))),
                     (width * 0.38, width * 0.62)),
        section("Pour ouvrir la base avec cette clé"),
        para("Dans PoleDesk : à la demande de phrase secrète, choisissez « J'ai perdu ma phrase secrète », saisissez "
             "la clé (les tirets et les espaces sont facultatifs), puis choisissez une nouvelle phrase secrète."),
        para("En ligne de commande : « poledesk passphrase --recovery », puis saisissez la clé et la nouvelle phrase."),
        para("La clé reste valable quand la phrase secrète change. Une clé d'une autre base est refusée sans rien "
             "modifier : vérifiez l'identifiant ci-dessus.", styles().small),
    ]
    info = DocumentInfo(title="Feuille de secours PoleDesk", header_left=owner_title,
                        header_right="Document confidentiel", footer_left=f"Base {store_id}")
    return build_pdf(story, info)


def write_recovery_sheet(path: Path, **fields: object) -> Path:
    write_pdf_atomic(path, recovery_sheet_pdf(**fields))  # type: ignore[arg-type]  # recovery_sheet_pdf's keywords
    return path
