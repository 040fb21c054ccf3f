"""plural() and format_count(): the one way to write a count in French, on screen, in the CLI and on paper."""

from __future__ import annotations

import re
import tokenize
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from poledesk.data.text import NARROW_NO_BREAK_SPACE, fold, format_count, plural, plural_words

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "poledesk"


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_format_count_groups_digits_by_three_with_a_narrow_no_break_space(number):
    text = format_count(number)
    assert text.replace(NARROW_NO_BREAK_SPACE, "") == str(number)
    groups = text.lstrip("-").split(NARROW_NO_BREAK_SPACE)
    assert 1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])


def test_french_takes_the_singular_for_zero_and_one():
    assert plural(0, "partenaire") == "0 partenaire"
    assert plural(1, "ligne rejetée") == "1 ligne rejetée"
    assert plural(2, "ligne rejetée") == "2 lignes rejetées"
    assert plural(8000, "contact") == f"8{NARROW_NO_BREAK_SPACE}000 contacts"
    assert plural(3, "prix fixe") == "3 prix fixes"          # a word ending in s, x or z does not change
    assert plural(2, "offre d'accueil", "offres d'accueil") == "2 offres d'accueil"
    assert plural_words(1, "pourrait", "pourraient") == "pourrait" and plural_words(4, "Refusée") == "Refusées"


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["stage", "convention passée", "élève"]))
def test_plural_is_the_count_then_the_agreeing_words(count, words):
    text = plural(count, words)
    assert text.startswith(format_count(count) + " ")
    assert text.endswith(words if count < 2 else "s")


INLINE_PLURAL = re.compile(r"""['"]s['"] if [^'"]*(> ?1|>= ?2|< ?2|== ?1)""")


def test_no_inline_plural_is_left_in_the_code():
    """'s' if n > 1 else '' was written 54 times, with 0 sometimes plural: plural() is the one way now."""
    found = [f"{path.relative_to(PACKAGE)}:{number}" for path in sorted(PACKAGE.rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if INLINE_PLURAL.search(line) or 'replace(",", "\\u202f")' in line]
    assert found == []


PARENTHESISED_FORM = re.compile(r"[a-zéèêàû]\((s|e|es)\)")   # 'place(s)', 'inscrit(e)', 'déplacé(es)'
DOCSTRING_QUOTES = ('"""', "'''")
STRING_TOKENS = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}   # f-strings split from 3.12


def string_literals(path: Path) -> list[tuple[int, str]]:
    with path.open("rb") as source:
        return [(token.start[0], token.string) for token in tokenize.tokenize(source.readline)
                if token.type in STRING_TOKENS]


def test_no_parenthesised_plural_or_gender_in_user_text():
    """Where the number or the person is known, the words agree: 'place(s)' and 'Né(e)' are not French to read."""
    found = [f"{path.relative_to(PACKAGE)}:{number}" for path in sorted(PACKAGE.rglob("*.py"))
             for number, text in string_literals(path)
             if PARENTHESISED_FORM.search(text) and not text.startswith(DOCSTRING_QUOTES)
             and "page(s)" not in text]   # the one in a log line, which no user reads
    assert found == []


def test_the_parenthesised_form_check_can_fail(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('label = f"{n} place(s) offerte(s)"\n', encoding="utf-8")
    assert [PARENTHESISED_FORM.search(text) is not None for _, text in string_literals(sample)] == [True]


def slow_fold(text: str) -> str:
    """fold as it was written first: the whole text decomposed, its combining marks dropped, case-folded."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae")
                                       .replace("Æ", "ae"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@given(st.text())
def test_folding_character_by_character_folds_as_the_whole_text(text):
    assert fold(text) == slow_fold(text)
