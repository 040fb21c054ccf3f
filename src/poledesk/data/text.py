"""Text forms shared by the services, the documents and the UI: folding for search, French dates and counts."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})
# Apostrophes (typed or typographic) and hyphens of every width separate words, in the index as in the query.
_SEPARATORS = re.compile(r"['\u2019\u02bc`\u00b4\-\u2010\u2011\u2012\u2013\u2014]")
_APOSTROPHES = "['\u2019\u02bc]"
_WORD = re.compile(r"\w+")
# Words written short in French place and organisation names ("St-Dié", "Ste-Marguerite").
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
# Words a French query holds around the ones that carry its meaning ("garage de la gare").
STOP_WORDS = frozenset({
    "a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "ou", "par", "pour", "sur", "un",
    "une",
})


def fold(text: str | None) -> str:
    """Lower case without accents or ligature quirks: 'Épinal' and 'EPINAL' both give 'epinal'."""
    if not text:
        return ""
    if text.isascii():   # nothing to decompose: most names and every code, at a tenth of the cost
        return text.lower()
    return text.translate(_FOLDED)


def fold_character(char: str) -> str:
    """One character folded: its compatibility decomposition (NFKD) without the combining marks, case-folded."""
    decomposed = unicodedata.normalize("NFKD", char.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class _FoldTable(dict[int, str]):
    """fold_character of each character met, worked out once. NFKD decomposes and casefold maps character by
    character (canonical reordering moves only the combining marks, which are dropped), so folding a text is
    translating each of its characters: str.translate does it in C, where a generator took a tenth of an import."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_character(chr(code))
        return folded


_FOLDED = _FoldTable()


def split_words(text: str | None) -> list[str]:
    """The words of a text folded (œ → oe, no accents, lower case) and split at apostrophes and hyphens."""
    return _WORD.findall(_SEPARATORS.sub(" ", fold(text)))


def search_tokens(text: str | None) -> list[str]:
    """The words of a text as the search index holds them: split_words with the short forms spelled out
    ('St-Dié' -> ['saint', 'die'])."""
    return [ABBREVIATIONS.get(word, word) for word in split_words(text)]


SEARCH_FOLD_SQL = "search_fold"   # search_text's name in SQL, registered on every connection of a store


def search_text(text: str | None) -> str:
    """The text the search index holds for `text`: its search_tokens, plus each word that an apostrophe cut
    joined back ("N'Diaye" is found by « diaye » and « ndiaye »)."""
    words = search_tokens(text)
    joined = [re.sub(_APOSTROPHES, "", fold(word)) for word in re.findall(rf"\w+{_APOSTROPHES}\w+", text or "")]
    return " ".join(words + joined)


def meaningful_words(words: list[str]) -> list[str]:
    """The words without the French stop words, unless the query holds nothing else ('de' alone stays)."""
    kept = [word for word in words if word not in STOP_WORDS]
    return kept or words


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
