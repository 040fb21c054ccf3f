"""Hostile inputs for every boundary, and the one property they must obey.

The property: PoleDesk either accepts the input into a store that `check_store` finds sound, or refuses it with a
PoleDeskError carrying a French message, the store unchanged (every row of every table). Anything else (a Python
exception, an English message, a half-written store) fails.

Two profiles: the short one runs in CI (the whole fuzz suite under a minute); benchmarks/fuzz.py runs the long one
(POLEDESK_FUZZ=long) and prints how many cases each boundary ran, counted in CASES.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import select

from poledesk.data.db import Store, check_store
from poledesk.data.errors import PoleDeskError
from poledesk.data.models import Base

LONG = os.environ.get("POLEDESK_FUZZ") == "long"
SCALE = int(os.environ.get("POLEDESK_FUZZ_SCALE") or 20)
CASES: Counter[str] = Counter()
REASONS: dict[str, Counter[str]] = {}   # boundary -> the start of each refusal's message: what the cases reached


def fuzz_settings(short: int) -> settings:
    """Examples for CI (`short`) or the long run (SCALE times more); no example database kept."""
    return settings(max_examples=short * SCALE if LONG else short, deadline=None, database=None,
                    derandomize=not LONG, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow, HealthCheck.data_too_large])


# --- Strategies ---------------------------------------------------------------------------------------------------

CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from(["\x7f", "\x85", "\u2028", "\u2029"])
RTL = st.sampled_from(["\u202e", "\u200f", "\u202b", "\u2067", "\u061c"])
EMOJI = st.sampled_from(["😀", "👩🏽‍🔧", "🇫🇷", "\U0001f9d1\u200d\U0001f4bb", "🧑‍🏫"])
SQL = st.sampled_from(["'; DROP TABLE partner; --", "\" OR 1=1 --", "Robert'); DELETE FROM pupil;--",
                       "%' AND 1=0 UNION SELECT * FROM setting --", "NULL", "\\x00", "' || randomblob(1e9) || '"])
FORMULA = st.sampled_from(["=1+1", "=HYPERLINK(\"http://x\")", "@SUM(A1)", "+33 3 83", "-2+3", "=cmd|' /C calc'!A0"])
COMBINING = st.sampled_from(["e\u0301", "A\u030a", "\u0300\u0300\u0300", "ﬁ", "Å"])


def hostile_text(*, max_size: int = 60) -> st.SearchStrategy[str]:
    """Text a form, a cell or a record may carry: empty, blank, huge, control characters, emoji, right-to-left
    marks, SQL and formula injections, decomposed accents, and ordinary French around them."""
    piece = st.one_of(st.text(max_size=max_size), CONTROL, RTL, EMOJI, SQL, FORMULA, COMBINING,
                      st.sampled_from(["Garage Leclerc", "Boulangerie L'Épi d'Or", "Noé Müller", "Œuvre", "  "]))
    joined = st.lists(piece, max_size=4).map("".join)
    huge = st.integers(150, 20_000).map(lambda n: ("Société " * (n // 8 + 1))[:n])
    return st.one_of(st.just(""), joined, joined, joined, huge)


def mostly(sane: Any, hostile: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A sane value seven times in eight, else a hostile one: a form with one bad field among good ones, which is
    what reaches deepest (a form of only bad fields stops at its first check)."""
    # sampled_from, not one_of(just, just, …): Hypothesis merges equal branches, and would pick hostile one in two
    return st.sampled_from(range(8)).flatmap(lambda n: hostile if n == 5 else st.just(sane))


HOSTILE_INT = st.one_of(st.integers(-5, 200), st.sampled_from([2 ** 31, 2 ** 53 + 1, 2 ** 63 - 1, 2 ** 63, 2 ** 70,
                                                              -(2 ** 63) - 1, -(2 ** 80)]))
HOSTILE_DATE = st.one_of(st.sampled_from([date(1, 1, 1), date(9999, 12, 31), date(1900, 2, 28), date(2000, 2, 29)]),
                         st.dates())
JSON_SCALAR = st.one_of(st.none(), st.booleans(), HOSTILE_INT, st.floats(allow_nan=True), hostile_text(max_size=30))


def json_value(depth: int = 3) -> st.SearchStrategy[Any]:
    """Any JSON value, nested a little: what a forged record field may hold instead of its type."""
    return st.recursive(JSON_SCALAR, lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=depth * 3)


def byte_mutation(data: bytes) -> st.SearchStrategy[bytes]:
    """`data` with bytes flipped, cut, duplicated or spliced with random ones: random damage to a real file."""
    size = len(data)

    def flip(positions: list[int]) -> bytes:
        out = bytearray(data)
        for position in positions:
            out[position % size] ^= 0xFF
        return bytes(out)

    return st.one_of(
        st.lists(st.integers(0, size - 1), min_size=1, max_size=8).map(flip),
        st.integers(0, size).map(lambda cut: data[:cut]),
        st.tuples(st.integers(0, size), st.binary(max_size=64)).map(lambda t: data[:t[0]] + t[1] + data[t[0]:]),
        st.tuples(st.integers(0, size), st.integers(0, size)).map(lambda t: data[:t[0]] + data[t[1]:]),
        st.binary(max_size=512),
    )


# --- The property ---------------------------------------------------------------------------------------------------

# What English system or library messages say; a French message may quote the user's own text («…»), not these.
ENGLISH = re.compile(r"\b(the|is not|no such|error|invalid|expected|unexpected|failed|cannot|traceback|"
                     r"exception|object|none|line \d+ column|must be|not supported|out of range)\b", re.IGNORECASE)


def is_french(message: str) -> bool:
    outside_quotes = re.sub(r"«[^»]*»", "", message)
    return bool(message.strip()) and not ENGLISH.search(outside_quotes)


def store_digest(store: Store) -> str:
    """Every row of every table: equal means the refusal changed nothing."""
    digest = hashlib.sha256()
    with store.session() as session:
        for name, table in sorted(Base.metadata.tables.items()):
            rows = session.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest.update(name.encode() + repr([tuple(row) for row in rows]).encode())
    return digest.hexdigest()


def accepted_or_refused(boundary: str, store: Store, attempt: Callable[[], object]) -> str:
    """Run `attempt` once and check the property; 'accepted' or 'refused'."""
    before = store_digest(store)
    try:
        attempt()
    except PoleDeskError as error:
        assert is_french(error.message), f"{boundary}: not a French message: {error.message!r}"
        assert store_digest(store) == before, f"{boundary}: refused ({error.message}) but the store changed"
        CASES[f"{boundary}, refused"] += 1
        REASONS.setdefault(boundary, Counter())[error.message[:70]] += 1
        return "refused"
    assert check_store(store.file, key=store.key) == [], f"{boundary}: accepted into a store that is not sound"
    CASES[f"{boundary}, accepted"] += 1
    return "accepted"


def cases_run(boundary: str, examples: Callable[[], None]) -> int:
    """Run a hypothesis test of one boundary; how many of its cases reached the property (each one checked it)."""
    before = CASES[f"{boundary}, accepted"] + CASES[f"{boundary}, refused"]
    examples()
    return CASES[f"{boundary}, accepted"] + CASES[f"{boundary}, refused"] - before
