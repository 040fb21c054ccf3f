"""The limits every stored value obeys, whoever brings it (a form, a sheet, a bundle): text without control
characters, in NFC, within its column's length; whole numbers within SQLite's range and the field's sensible one.

Forms and sheets check their fields with `text_problem` / `integer_problem` where the user typed them; bundles check
each record with the same functions; and `check_writes`, a listener on every flush, is the net under all of them, so
that nothing outside these limits is ever stored (one long name would otherwise block the pole's sync for good).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Integer, String, Text, inspect
from sqlalchemy.orm import Session

from poledesk.data.text import format_count
from poledesk.data.validation import InvalidValue, ValidationError

SQLITE_MIN, SQLITE_MAX = -(2 ** 63), 2 ** 63 - 1
# C0 and C1 controls, and the Unicode line and paragraph separators; tab and newline are allowed in texts of several
# lines (notes, summaries), never in one-line fields (names, addresses).
_SINGLE_LINE_BAD = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MULTI_LINE_BAD = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# Sensible ranges of the whole numbers the domain stores, by column name (the same name means the same thing).
RANGES: dict[str, tuple[int, int]] = {
    "places": (0, 1_000), "capacity": (1, 1_000), "pupils": (0, 100_000), "min_age": (10, 30),
    "max_requests_per_month": (0, 1_000), "mobility_radius_km": (0, 1_000), "pfmp_weeks": (0, 52),
    "weekday": (0, 6), "number": (1, 10_000), "sequence": (0, 2 ** 53), "break_minutes": (0, 24 * 60),
}


def _count(n: int) -> str:
    return format_count(n)


def text_problem(value: str, *, max_length: int | None = None, multiline: bool = False) -> str | None:
    """What is wrong with a text, in French, or None when it may be stored (NFC is fixed, not refused)."""
    if not (value.isascii() and value.isprintable()):      # the common case costs two C calls
        bad = (_MULTI_LINE_BAD if multiline else _SINGLE_LINE_BAD).search(value)
        if bad:
            char = bad.group()
            if char in "\n\r\t" and not multiline:
                return "Ce champ tient sur une ligne : retirez le retour à la ligne ou la tabulation."
            return f"Caractère de contrôle invisible (U+{ord(char):04X}) : retirez-le ou retapez le texte."
        value = unicodedata.normalize("NFC", value)
    if max_length is not None and len(value) > max_length:
        return f"Au plus {_count(max_length)} caractères ({_count(len(value))} saisis)."
    return None


def clean_text(value: str, *, max_length: int | None = None, multiline: bool = False) -> str:
    """The text in NFC, or InvalidValue with the French message of `text_problem`."""
    problem = text_problem(value, max_length=max_length, multiline=multiline)
    if problem:
        raise InvalidValue(problem)
    return value if value.isascii() else unicodedata.normalize("NFC", value)


def integer_problem(value: int, field: str | None = None) -> str | None:
    """What is wrong with a whole number, in French, or None: inside SQLite's range and the field's own."""
    low, high = RANGES.get(field or "", (SQLITE_MIN, SQLITE_MAX))
    if not low <= value <= high:
        return f"Nombre hors des limites : entre {_count(low)} et {_count(high)}."
    return None


def column_limits(column: Any) -> tuple[str, int | None, bool] | None:
    """('text', max length, several lines allowed) or ('int', None, False) for a column, None for other types."""
    kind = column.type
    if isinstance(kind, Text):
        return "text", None, True
    if isinstance(kind, String) and not getattr(kind, "enums", None):
        return "text", kind.length, False
    if isinstance(kind, Integer):
        return "int", None, False
    return None


_LIMITS: dict[Any, list[tuple[str, str, str, int | None, bool]]] = {}


def _limits_of(mapper: Any) -> list[tuple[str, str, str, int | None, bool]]:
    cached = _LIMITS.get(mapper)
    if cached is None:
        cached = []
        for attr in mapper.column_attrs:
            column = attr.columns[0]
            limits = column_limits(column)
            if limits is not None:
                cached.append((attr.key, column.name, *limits))
        _LIMITS[mapper] = cached
    return cached


def record_problems(obj: Any) -> dict[str, str]:
    """Every value of a mapped object outside its limits, attribute -> French message; texts are put in NFC."""
    problems: dict[str, str] = {}
    for key, column, kind, length, multiline in _limits_of(inspect(obj).mapper):
        value = getattr(obj, key)
        if value is None or isinstance(value, bool):
            continue
        if kind == "text" and isinstance(value, str):
            problem = text_problem(value, max_length=length, multiline=multiline)
            if problem is None and not value.isascii() and not unicodedata.is_normalized("NFC", value):
                setattr(obj, key, unicodedata.normalize("NFC", value))
        elif kind == "int" and isinstance(value, int):
            problem = integer_problem(value, column)
        else:
            continue
        if problem:
            problems[key] = problem
    return problems


def values_problems(model: type, values: Mapping[str, object]) -> dict[str, str]:
    """The values a form or a sheet's row gives a record, checked against its columns: attribute -> French message.
    Called where the values are checked, so that the message stands beside the field or in the row's report."""
    problems: dict[str, str] = {}
    for key, column, kind, length, multiline in _limits_of(inspect(model)):
        value = values.get(key)
        if value is None or isinstance(value, bool):
            continue
        if kind == "text" and isinstance(value, str):
            problem = text_problem(value, max_length=length, multiline=multiline)
        elif kind == "int" and isinstance(value, int):
            problem = integer_problem(value, column)
        else:
            continue
        if problem:
            problems[key] = problem
    return problems


def check_writes(session: Session, _context: Any, _instances: Any) -> None:
    """Before each flush: refuse (ValidationError, nothing written) any new or changed value outside its limits."""
    for obj in list(session.new) + list(session.dirty):
        problems = record_problems(obj)
        if problems:
            raise ValidationError(problems)

