"""Text forms shared by the services, the documents and the UI: folding for search, French dates and counts."""

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


def school_year_start(day: date) -> date:
    """The 1 September that opens the school year (1 September – 31 August) a day belongs to."""
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def school_year_of(day: date) -> str:
    """The school year a day belongs to, written '2026-2027'."""
    start = school_year_start(day).year
    return f"{start}-{start + 1}"


NARROW_NO_BREAK_SPACE = "\u202f"   # French groups digits by three with it: 8 000, 10 000 000
_INVARIABLE_ENDINGS = ("s", "x", "z")


def format_count(number: int) -> str:
    """8000 -> '8 000', -12500 -> '-12 500': digits grouped by three with a narrow no-break space."""
    return f"{number:,}".replace(",", NARROW_NO_BREAK_SPACE)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'0 partenaire', '1 ligne rejetée', '2 lignes rejetées', '8 000 contacts': the count, then the words.

    French takes the singular for 0 and 1. Without `plural_form`, each word takes an s (unless it ends in s, x
    or z); give it when that is wrong: plural(n, "ligne non importée", "lignes non importées")."""
    return f"{format_count(count)} {plural_words(count, singular, plural_form)}"


def plural_words(count: int, singular: str, plural_form: str | None = None) -> str:
    """The words alone, agreeing with `count`, for a sentence that places the number elsewhere."""
    if count < 2:
        return singular
    if plural_form is not None:
        return plural_form
    return " ".join(word if word.endswith(_INVARIABLE_ENDINGS) else word + "s" for word in singular.split(" "))
