"""Text and date forms shared by the services, the documents and the UI: folding for search, French dates."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime


def fold(text: str | None) -> str:
    """Lower case without accents or ligature quirks: 'Épinal' and 'EPINAL' both give 'epinal'."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "oe"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def format_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy, as every French form and document writes it; '' for no date."""
    return value.strftime("%d/%m/%Y") if value else ""


def format_datetime(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def school_year_of(day: date) -> str:
    """The school year (1 September – 31 August) a day belongs to, written '2026-2027'."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"
