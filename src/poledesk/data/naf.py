"""The NAF rév. 2 nomenclature (INSEE): sous-classes and sections with their French labels, read once."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from poledesk import paths
from poledesk.data.text import fold

NAF_FILE = "naf_rev2.csv"

# "47.11F", "4711F", "47 11 f", "47.11-F": two digits, two digits, one letter, whatever the separators.
_LOOSE_CODE = re.compile(r"(\d{2})[\s.\-]*(\d{2})[\s.\-]*([A-Za-z])")


@dataclass(frozen=True, slots=True)
class NafEntry:
    """One sous-classe: its code as INSEE writes it ("47.11F"), its label, and its section letter."""

    code: str
    label: str
    section: str


@dataclass(frozen=True, slots=True)
class _Nomenclature:
    entries: dict[str, NafEntry]
    sections: dict[str, str]


def normalise_naf(text: str | None) -> str | None:
    """'4711f', ' 47.11F ', '47 11 F' -> '47.11F'; None when the text has not the shape of a sous-classe.

    Only the shape is checked here: whether the code exists is `is_known_naf`'s business.
    """
    if not text:
        return None
    match = _LOOSE_CODE.fullmatch(text.strip())
    if match is None:
        return None
    division, rest, letter = match.groups()
    return f"{division}.{rest}{letter.upper()}"


def naf_label(code: str | None) -> str | None:
    """The official label of a sous-classe ('Hypermarchés' for '47.11F' or '4711f'), None if unknown."""
    entry = _find(code)
    return entry.label if entry else None


def naf_section(code: str | None) -> tuple[str, str] | None:
    """The section of a sous-classe as (letter, label), e.g. ('G', "Commerce ; réparation d'automobiles…")."""
    entry = _find(code)
    if entry is None:
        return None
    return entry.section, _load().sections[entry.section]


def naf_code_of_label(text: str | None) -> str | None:
    """The sous-classe whose official label a text spells ('coiffure' -> '96.02A'), accents and case aside;
    None when no label matches or several do."""
    return _by_label().get(fold(" ".join((text or "").split()))) or None


@cache
def _by_label() -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in _load().entries.values():
        key = fold(entry.label)
        found[key] = "" if key in found else entry.code     # a label two codes share names neither
    return found


def is_known_naf(code: str | None) -> bool:
    return _find(code) is not None


def all_naf() -> list[NafEntry]:
    """Every sous-classe in code order (732 of them)."""
    return list(_load().entries.values())


def all_sections() -> dict[str, str]:
    """The 21 sections, letter -> label, in letter order."""
    return dict(_load().sections)


def _find(code: str | None) -> NafEntry | None:
    normalised = normalise_naf(code)
    return _load().entries.get(normalised) if normalised else None


@cache
def _load() -> _Nomenclature:
    """Read the CSV once. Section rows have a one-letter code; sous-classe rows have a 'NN.NNX' code."""
    entries: dict[str, NafEntry] = {}
    sections: dict[str, str] = {}
    with paths.resource(NAF_FILE).open(encoding="utf-8", newline="") as file:
        lines = (line for line in file if not line.startswith("#"))
        for row in csv.DictReader(lines, delimiter=";"):
            if len(row["code"]) == 1:
                sections[row["code"]] = row["label"]
            else:
                entries[row["code"]] = NafEntry(row["code"], row["label"], row["section"])
    return _Nomenclature(entries, sections)
