"""Accent-insensitive search: the folded words of a query, matched in SQL on a search key or in Python on text."""

from __future__ import annotations

from sqlalchemy import ColumnElement, SQLColumnExpression, and_

from poledesk.data.text import fold


def search_words(text: str) -> list[str]:
    """The folded words of a query ('Épinal  GARE' -> ['epinal', 'gare']): each must appear in a match."""
    return fold(text).split()


def matches_words(column: SQLColumnExpression[str], text: str) -> ColumnElement[bool] | None:
    """SQL: `column` (already folded) contains every word of `text`, LIKE wildcards escaped; None if no words."""
    words = search_words(text)
    if not words:
        return None
    return and_(*(column.contains(word, autoescape=True) for word in words))


def text_matches(haystack: str, words: list[str]) -> bool:
    """Python: a folded haystack contains every word (for lists too small or too joined to need a key)."""
    return all(word in haystack for word in words)
